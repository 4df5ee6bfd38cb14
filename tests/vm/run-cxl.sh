#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Copyright (C) 2026 famfs contributors
# run-cxl.sh [--break region|byte] [--ko-dir DIR] - famfs on emulated CXL type-3 memory.
#
# Per tested kernel with fsdev_dax (7.x; on the others one named SKIP):
#   1. famfs.ko (tests/vm/build-module.sh; --ko-dir DIR: DIR/<krel>/famfs.ko when it is there)
#   2. "cxl": one guest with two type-3 devices (boot.sh --cxl 2) running tests/guest/cxl.sh:
#      a RAM region per device, devdax, famfs mode, the file-system cycle, back to devdax
#   3. "cxl-two-host": guests A (master) and B (client) at the same time on ONE shared type-3
#      backing file (boot.sh --cxl 1 each; tests/guest/two-host.sh with memkind=cxl): each commits its
#      own region, A writes, B replays the log, checksums equal, B refused to write; then the
#      host's checks on what they left in the share
# The CXL guests run sid's qemu with sid's cxl/daxctl in the initramfs (tests/vm/cxl.sh); one
# initramfs per kernel serves all three of its guests.
# Output: "<krel>/cxl: RESULT ...", "<krel>/cxl-two-host[-A|-B]: RESULT ..." lines, TIMING lines,
# last "N passed, N failed, N skipped"; exit non-zero when anything failed (or nothing passed).
# It uses the kernels of the last `kernels.sh fetch` (run-guests.sh does one) and fetches on its
# own only when a kernel or the sid tree is missing.
#   --break region  the single-host guests create no region (cxl_break=region): FAILs expected
#   --break byte    A changes one byte after its manifest (twohost_break=byte): B's checks FAIL
# env: FAMFS_KERNELS="7.3"        only these series
#      FAMFS_CXL_TWO_HOST=newest  the two-host pair on the newest kernel only (default 1: on each);
#                                 0: no two-host run
set -euo pipefail
# shellcheck source=cxl.sh
source "$(dirname "${BASH_SOURCE[0]}")/cxl.sh"
need_root

brk='' kodir=''
while [ $# -gt 0 ]; do
	case $1 in
	--break) brk=$2; shift 2 ;;
	--ko-dir) kodir=$2; shift 2 ;;
	*) die "run-cxl.sh: unknown argument $1" ;;
	esac
done
# the break of each guest, as kernel command line words
single_break=() two_host_break=()
case $brk in
'') ;;
region) single_break=(cxl_break=region) ;;
byte) two_host_break=(twohost_break=byte) ;;
*) die "run-cxl.sh: --break region|byte" ;;
esac

# one guest run at a time per work dir (run-guests.sh takes the same lock): at most two guests
mkdir -p "$FAMFS_WORK"
exec 7>"$FAMFS_WORK/.guests.lock"
flock -n 7 || { log "run-cxl.sh: another guest run holds $FAMFS_WORK/.guests.lock; waiting"; flock 7; }
run=$FAMFS_WORK/run-cxl
rm -rf "$run"
mkdir -p "$run"
results=$run/results.txt
: >"$results"
emit() { printf '%s\n' "$@" | tee -a "$results"; }
finished=0
trap '[ "$finished" = 1 ] || echo "harness: RESULT run-cxl-complete FAIL (aborted, exit status $?)"' EXIT

# the least number of results a guest script declares ("# expect-results-KEY: N")
expect_of() { sed -n "s/^# expect-results-$2: *\([0-9][0-9]*\).*/\1/p" "$GUEST_DIR/$1.sh" | head -n 1; }
PER_GUEST=4 # guest-result.sh's guest-exit, guest-count, guest-unique, kernel-log
HOST_CHECKS=5
expected=0

# --- kernels, tools ---
need_fetch=0
[ -s "$KREL_FILE" ] && [ -s "$LINES_FILE" ] || need_fetch=1
if [ "$need_fetch" = 0 ]; then
	while read -r k; do [ -n "$(k_kernel "$k" 2>/dev/null)" ] || need_fetch=1; done <"$KREL_FILE"
	[ -d "$(cxl_tree)" ] || need_fetch=1
fi
if [ "$need_fetch" = 1 ] && ! "$VM_DIR/kernels.sh" fetch >"$run/krels" 2>"$run/fetch.log"; then
	tail -n 20 "$run/fetch.log" >&2
	emit "harness: RESULT kernels-fetch FAIL (see $run/fetch.log)"
	finished=1
	echo "0 passed, 1 failed, 0 skipped"
	exit 1
fi
if ! timed cxl-tools cxl_tools_ensure; then
	emit "harness: RESULT cxl-tools FAIL (sid's qemu/cxl/daxctl in $(cxl_tree); log $FAMFS_WORK/cxl-tools.log)"
	finished=1
	echo "0 passed, 1 failed, 0 skipped"
	exit 1
fi
emit "harness: RESULT cxl-tools PASS ($(cxl_versions))"
expected=$((expected + 1))
cxl_guest_tools "$run/cxltools"
[ -f "$FAMFS_REPO/userspace/Makefile" ] &&
	timed userspace-tools make -s -C "$FAMFS_REPO/userspace" >"$run/userspace.log" 2>&1 || true

krels=()
while read -r k; do
	expected=$((expected + 1))
	if [ -n "${FAMFS_KERNELS:-}" ] && ! grep -qw "$(k_series "$k")" <<<"$FAMFS_KERNELS"; then
		emit "$k/cxl: RESULT cxl SKIP (not in FAMFS_KERNELS=$FAMFS_KERNELS)"
	elif ! k_has_fsdev "$k"; then
		emit "$k/cxl: RESULT cxl SKIP (no fsdev_dax in $k: famfs on a CXL dax device needs it)"
	else
		krels+=("$k")
		expected=$((expected - 1))
	fi
done <"$KREL_FILE"

# --- module builds ---
built=()
for k in "${krels[@]}"; do
	expected=$((expected + 1))
	mkdir -p "$run/ko/$k"
	if [ -n "$kodir" ] && [ -f "$kodir/$k/famfs.ko" ]; then
		cp "$kodir/$k/famfs.ko" "$run/ko/$k/famfs.ko"
		emit "$k/cxl: RESULT module-build PASS (from $kodir/$k)"
		built+=("$k")
	elif timed "build-$(k_series "$k")" "$VM_DIR/build-module.sh" "$k" "$run/ko/$k" >"$run/build-$k.out" 2>&1; then
		grep '^TIMING' "$run/build-$k.out" || true
		emit "$k/cxl: RESULT module-build PASS $(k_gcc "$k")"
		built+=("$k")
	else
		emit "$k/cxl: RESULT module-build FAIL (log: $run/ko/$k/build.log)"
		grep -v '^TIMING' "$run/build-$k.out" | tail -n 25 | sed 's/^/    | /' || true
	fi
done

# initrd KREL: one initramfs per kernel for all its CXL guests: the CXL modules, sid's tools under
# /opt/cxl, and as /test.sh a switch to /guest/two-host.sh (role= on the cmdline) or /guest/cxl.sh
MODS=()
for m in $CXL_MODULES; do MODS+=(--mod "$m"); done
cat >"$run/test.sh" <<'EOF'
#!/bin/sh
if grep -q ' role=' /proc/cmdline; then exec sh /guest/two-host.sh; else exec sh /guest/cxl.sh; fi
EOF
initrd() {
	"$VM_DIR/mkinitrd.sh" "$1" "$run/initrd-$1.gz" "$run/test.sh" --ko "$run/ko/$1/famfs.ko" \
		--file "$run/cxltools:/opt/cxl" "${MODS[@]}" 2>"$run/initrd-$1.log"
}

# single KREL: the one-host guest on two type-3 devices; the CXL window a NUMA node of its own
# (cxl.sh's system-ram section binds page tables to it)
single() {
	FAMFS_CXL_NUMA=1 "$VM_DIR/boot.sh" --krel "$1" --initrd "$run/initrd-$1.gz" --console "$run/console-$1-cxl.log" \
		--cxl 2 --mem-size 1G --timeout 300 -- cxl_devs=2 "${single_break[@]}"
}

# two_host KREL: A and B on one shared backing file, flags and manifests in a 9p share
two_host() {
	local k=$1 d role pids=() pid
	d=$run/two-host-$k
	mkdir -p "$d/share/tree"
	# the tree A copies (common.sh)
	copy_source_tree "$d/share/tree"
	# a fresh, sparse backing file: no famfs from an earlier run
	truncate -s 2G "$d/mem.img"
	for role in A B; do
		(
			rc=0
			"$VM_DIR/boot.sh" --krel "$k" --initrd "$run/initrd-$k.gz" --console "$d/console-$role.log" \
				--cxl 1 --mem-file "$d/mem.img" --mem-size 2G --share "$d/share" --timeout 480 \
				-- "role=$role" memkind=cxl "${two_host_break[@]}" || rc=$?
			# the other guest stops waiting for this one (two-host.sh other_gone)
			date >"$d/share/$role.exit"
			exit "$rc"
		) &
		pids+=($!)
	done
	for pid in "${pids[@]}"; do wait "$pid" || true; done
}

# two_host_checks KREL: the roles' verdicts and the host's checks on the share
two_host_checks() {
	local k=$1 s role a
	s=$run/two-host-$k/share
	local d=$run/two-host-$k
	for role in A B; do
		"$VM_DIR/guest-result.sh" "$d/console-$role.log" "$k/cxl-two-host-$role" "$(expect_of two-host "$role")" |
			tee -a "$results" || true
	done
	chk() {
		local name=$1 detail=$2
		shift 2
		if "$@" >/dev/null 2>&1; then emit "$k/cxl-two-host: RESULT $name PASS${detail:+ ($detail)}"; else
			emit "$k/cxl-two-host: RESULT $name FAIL${detail:+ ($detail)}"; fi
	}
	master_of() { sed -n 's/.*"master_uuid": "\([0-9a-f-]*\)".*/\1/p' "$s/$1.fsck.json" 2>/dev/null; }
	# sum16 FILE: the start of FILE's sha256 ("none" when it is missing or empty)
	sum16() { if [ -s "$1" ]; then sha256sum <"$1" | cut -c1-16; else echo none; fi; }
	a=$(cat "$s/A.uuid" 2>/dev/null || true)
	chk master-is-A "A $a" sh -c "[ -n '$a' ] && [ '$(master_of A)' = '$a' ] && [ '$(master_of B)' = '$a' ]"
	chk B-not-master "B $(cat "$s/B.uuid" 2>/dev/null || true)" sh -c \
		"grep -q '\"role\": \"client\"' '$s/B.fsck.json' && [ -s '$s/B.uuid' ] && ! cmp -s '$s/A.uuid' '$s/B.uuid'"
	chk sha256-equal "$(wc -l <"$s/manifest.A" 2>/dev/null || echo 0) files; sha256 of A's manifest $(sum16 "$s/manifest.A"), of B's $(sum16 "$s/manifest.B")" \
		sh -c "test -s '$s/manifest.A' && cmp '$s/manifest.A' '$s/manifest.B'"
	chk manifest-has-tree '' sh -c "[ \$(grep -c ' ./tree/' '$s/manifest.A') -eq $(find "$s/tree" -type f | wc -l) ]"
	chk late-file-seen '' sh -c "test -s '$s/manifest.late' && test -s '$s/late.B' && cmp '$s/manifest.late' '$s/late.B'"
}

# --- guests: the single-host ones two at a time, then each kernel's two-host pair ---
ready=()
for k in "${built[@]}"; do
	if timed "initrd-$(k_series "$k")" initrd "$k"; then
		ready+=("$k")
	else
		emit "$k/cxl: RESULT initrd FAIL (see $run/initrd-$k.log)"
	fi
done
built=("${ready[@]}")
running=0
for k in "${built[@]}"; do
	expected=$((expected + $(expect_of cxl cxl) + PER_GUEST))
	if [ "$running" -ge 2 ]; then
		wait -n || true
		running=$((running - 1))
	fi
	timed "cxl-$(k_series "$k")" single "$k" >"$run/single-$k.out" 2>&1 &
	running=$((running + 1))
done
wait || true
for k in "${built[@]}"; do
	grep '^TIMING' "$run/single-$k.out" || true
	"$VM_DIR/guest-result.sh" "$run/console-$k-cxl.log" "$k/cxl" "$(expect_of cxl cxl)" | tee -a "$results" || true
done
two=${FAMFS_CXL_TWO_HOST:-1}
if [ "$two" != 0 ]; then
	for k in "${built[@]}"; do
		if [ "$two" = newest ] && [ "$k" != "${built[${#built[@]} - 1]}" ]; then
			emit "$k/cxl-two-host: RESULT two-host SKIP (FAMFS_CXL_TWO_HOST=newest: only ${built[${#built[@]} - 1]})"
			expected=$((expected + 1))
			continue
		fi
		expected=$((expected + $(expect_of two-host A) + $(expect_of two-host B) + 2 * PER_GUEST + HOST_CHECKS))
		timed "cxl-two-host-$(k_series "$k")" two_host "$k" >"$run/two-host-$k.out" 2>&1 || true
		grep '^TIMING' "$run/two-host-$k.out" || true
		two_host_checks "$k"
	done
else
	emit "harness: RESULT cxl-two-host SKIP (FAMFS_CXL_TWO_HOST=$FAMFS_CXL_TWO_HOST)"
	expected=$((expected + 1))
fi

echo "consoles and logs: $run"
finished=1
results_total "$results" "$expected" cxl- "at least %s expected"
