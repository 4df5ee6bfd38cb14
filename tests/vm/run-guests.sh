#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Copyright (C) 2026 famfs contributors
# run-guests.sh - the guest tier of the tests, from a cold cache on a fresh Debian 12 host.
#
#   1. host packages, kernels (tests/vm/kernels.sh fetch), user-space tools
#   2. famfs.ko for each kernel, in that kernel's toolchain
#   3. per kernel, one guest per test script in tests/guest/ (famfs-kernel.sh, famfs-cli.sh ...;
#      not lib.sh, two-host.sh), started as soon as its module is built (at most two guests at
#      a time, -smp 1 each)
#      then each build's probe results against module/tests/probe-vectors.txt, and a build with
#      a deliberately broken probe (module/tests/probe-break.sh) that must stop with its name
#   4. the two-host scenario on the newest kernel with fsdev_dax (tests/vm/run-two-host.sh)
#   5. the early-warning line (Debian experimental, only when it is newer than every tracked
#      line): module build and the famfs-kernel guest, reported as "EARLY-WARNING" lines that
#      are not counted (a failure there is a warning of what the next kernel will break)
# Output: "<kernel>/<test>: RESULT <check> PASS|FAIL|SKIP ..." lines, TIMING lines, and last
# "N passed, N failed, N skipped". Exit 0 only if nothing failed and something passed.
# Accounting: each guest script declares the least number of results it prints ("# expect-results:
# N" in its header; two-host.sh one per role); guest-result.sh fails a guest that printed fewer, lost
# its GUEST-SUMMARY or repeated a name. This script adds up what the whole run must print (a
# filtered kernel, test or the two-host run counts one SKIP) and fails the run
# (harness: RESULT results-count) when fewer lines came out; an abort prints
# "harness: RESULT run-guests-complete FAIL" and no total.
#
# env: FAMFS_KERNELS="6.1 7.2"  only these series (default: all from kernels.sh list)
#      FAMFS_GUEST_TESTS="famfs-kernel"  only these guest tests (default: all)
#      FAMFS_TWO_HOST=0          skip the two-host scenario
set -euo pipefail
# shellcheck source=kernels.sh
source "$(dirname "${BASH_SOURCE[0]}")/kernels.sh"
need_root

# one run at a time per work dir: a second run would wipe this one's files and double the guests
mkdir -p "$FAMFS_WORK"
exec 7>"$FAMFS_WORK/.guests.lock"
flock -n 7 || { log "run-guests.sh: another guest run holds $FAMFS_WORK/.guests.lock; waiting"; flock 7; }
run=$FAMFS_WORK/run
rm -rf "$run"
mkdir -p "$run"
results=$run/results.txt
: >"$results"

# emit LINE...: a result line, kept for the final count
emit() { printf '%s\n' "$@" | tee -a "$results"; }

# an abort (set -e) must not look like a short, clean run
finished=0
on_exit() {
	local st=$?
	[ "$finished" = 1 ] || echo "harness: RESULT run-guests-complete FAIL (aborted, exit status $st)"
}
trap on_exit EXIT

# expect_of SCRIPT [KEY]: the least number of results the guest script declares
# ("# expect-results: N", or "# expect-results-KEY: N"); 1 if it declares none
expect_of() {
	local n
	n=$(sed -n "s/^# expect-results${2:+-$2}: *\([0-9][0-9]*\).*/\1/p" "$GUEST_DIR/$1.sh" | head -n 1)
	echo "${n:-1}"
}
# each guest adds guest-exit, guest-count, guest-unique and kernel-log to its own results
PER_GUEST=4
expected=0

# --- 1. host, kernels, tools ---
timed setup-host "$VM_DIR/setup-host.sh"
if ! "$VM_DIR/kernels.sh" fetch >"$run/krels" 2>"$run/fetch.log"; then
	grep '^TIMING' "$run/fetch.log" || true
	tail -n 20 "$run/fetch.log" >&2
	emit "harness: RESULT kernels-fetch FAIL (see $run/fetch.log)"
	echo "0 passed, 1 failed"
	exit 1
fi
grep '^TIMING' "$run/fetch.log"
krels=()
while read -r k; do
	if [ -z "${FAMFS_KERNELS:-}" ] || grep -qw "$(k_series "$k")" <<<"$FAMFS_KERNELS"; then
		krels+=("$k")
	else
		emit "$k: RESULT guests SKIP (not in FAMFS_KERNELS=$FAMFS_KERNELS)"
		expected=$((expected + 1))
	fi
done <"$run/krels"
# the tools the guests run; check.sh reports the user-space build itself
[ -f "$FAMFS_REPO/userspace/Makefile" ] &&
	timed userspace-tools make -s -C "$FAMFS_REPO/userspace" >"$run/userspace.log" 2>&1 || true

# --- 2+3. module builds, and the guests of a kernel as soon as its module is built ---
# the per-kernel guest tests: every tests/guest/*.sh but the library, the two-host roles and the
# CXL guest (tests/vm/run-cxl.sh boots it on CXL memory)
tests=()
for t in "$GUEST_DIR"/*.sh; do
	t=$(basename "$t" .sh)
	case $t in lib | two-host | cxl) continue ;; esac
	if [ -z "${FAMFS_GUEST_TESTS:-}" ] || grep -qw "$t" <<<"$FAMFS_GUEST_TESTS"; then
		tests+=("$t")
	else
		emit "harness: RESULT guest-test-$t SKIP (not in FAMFS_GUEST_TESTS=$FAMFS_GUEST_TESTS)"
		expected=$((expected + 1))
	fi
done
# per kernel: the module build, and each test's declared results
for k in "${krels[@]}"; do
	expected=$((expected + 1))
	for t in "${tests[@]}"; do expected=$((expected + $(expect_of "$t") + PER_GUEST)); done
done

# guest KREL TEST: initramfs + boot of one guest test; prints its TIMING line
guest() {
	local k=$1 t=$2 id=$1-$2
	"$VM_DIR/mkinitrd.sh" "$k" "$run/initrd-$id.gz" "$GUEST_DIR/$t.sh" \
		--ko "$run/ko/$k/famfs.ko" 2>"$run/initrd-$id.log" &&
		timed "guest-$(k_series "$k")-$t" "$VM_DIR/boot.sh" --krel "$k" --initrd "$run/initrd-$id.gz" \
			--console "$run/console-$id.log" --mem-size 2G --timeout 300
}
# the next build overlaps the running guests; never more than two guests (-smp 1 each) at once
running=0
built=()
for k in "${krels[@]}"; do
	if timed "build-$(k_series "$k")" "$VM_DIR/build-module.sh" "$k" "$run/ko/$k" >"$run/build-$k.out" 2>&1; then
		grep '^TIMING' "$run/build-$k.out"
		emit "$k: RESULT module-build PASS $(k_gcc "$k")"
		built+=("$k")
	else
		grep '^TIMING' "$run/build-$k.out" || true
		emit "$k: RESULT module-build FAIL (log: $run/ko/$k/build.log)"
		grep -v '^TIMING' "$run/build-$k.out" | tail -n 25 | sed 's/^/    | /' || true
		continue
	fi
	for t in "${tests[@]}"; do
		if [ "$running" -ge 2 ]; then
			wait -n || true
			running=$((running - 1))
		fi
		guest "$k" "$t" >"$run/guest-$k-$t.out" 2>&1 &
		running=$((running + 1))
	done
done
wait || true
# the compile-probe results of each build against what its kernel line is known to have
for k in "${built[@]}"; do
	if out=$(bash "$FAMFS_REPO/module/tests/probe-vectors.sh" "$run/ko/$k/build.log" 2>&1); then
		emit "$k: RESULT probe-vector PASS (${out#PASS })"
	else
		emit "$k: RESULT probe-vector FAIL ($out)"
	fi
done
# a deliberately broken probe must stop the build, naming the probe (newest built kernel)
if [ ${#built[@]} -gt 0 ]; then
	k=${built[${#built[@]} - 1]}
	if timed "probe-break-$(k_series "$k")" bash "$FAMFS_REPO/module/tests/probe-break.sh" --krel "$k" \
		>"$run/probe-break.out" 2>&1; then
		emit "$k: RESULT probe-break-stops-build PASS ($(grep -m1 'famfs cannot be built' "$run/probe-break.out" | cut -c1-90))"
	else
		emit "$k: RESULT probe-break-stops-build FAIL (see $run/probe-break.out)"
		tail -n 15 "$run/probe-break.out" | sed 's/^/    | /' || true
	fi
fi
for k in "${built[@]}"; do
	for t in "${tests[@]}"; do
		grep '^TIMING' "$run/guest-$k-$t.out" || true
		"$VM_DIR/guest-result.sh" "$run/console-$k-$t.log" "$k/$t" "$(expect_of "$t")" |
			tee -a "$results" || true
	done
done

# --- 4. two hosts on the newest kernel that has fsdev_dax ---
if [ "${FAMFS_TWO_HOST:-1}" = 1 ]; then
	k=$(newest_fsdev_krel || true)
	# the roles' declared results, their guest-result.sh checks, run-two-host.sh's 6 host checks
	expected=$((expected + $(expect_of two-host prep) + $(expect_of two-host A) + $(expect_of two-host B) + 3 * PER_GUEST + 6))
	if [ -z "$k" ]; then
		emit "two-host: RESULT two-host-fsdev FAIL (no tracked kernel has fsdev_dax)"
	elif [ ! -f "$run/ko/$k/famfs.ko" ]; then
		emit "two-host: RESULT two-host-module FAIL (no famfs.ko for $k)"
	else
		th_rc=0
		"$VM_DIR/run-two-host.sh" --krel "$k" --ko "$run/ko/$k/famfs.ko" --out "$run/two-host" \
			>"$run/two-host.out" 2>&1 || th_rc=$?
		grep '^TIMING' "$run/two-host.out" || true
		grep -E '^[^ ]+: RESULT ' "$run/two-host.out" | tee -a "$results" || true
		grep -qE '^[^ ]+: RESULT ' "$run/two-host.out" ||
			emit "two-host: RESULT two-host-ran FAIL (see $run/two-host.out)"
		# its exit status counts: a failure with no FAIL line is a FAIL of its own
		if [ "$th_rc" -ne 0 ] && ! grep -qE '^[^ ]+: RESULT [^ ]+ FAIL' "$run/two-host.out"; then
			emit "two-host: RESULT two-host-exit FAIL (run-two-host.sh exit status $th_rc, no FAIL line; see $run/two-host.out)"
		fi
	fi
else
	emit "two-host: RESULT two-host SKIP (FAMFS_TWO_HOST=$FAMFS_TWO_HOST)"
	expected=$((expected + 1))
fi

# --- 5. the early-warning kernel (experimental), when there is a newer one ---
early=$(early_krel)
if [ -z "$early" ]; then
	read -r _ _ ev why < <(grep "^${KERNEL_EARLY%% *} " "$LINES_FILE")
	echo "EARLY-WARNING ${KERNEL_EARLY%% *} SKIP (its newest kernel $ev is ${why//-/ }: nothing to try)"
elif [ -n "${FAMFS_KERNELS:-}" ]; then
	echo "EARLY-WARNING ${KERNEL_EARLY%% *} SKIP (FAMFS_KERNELS=$FAMFS_KERNELS)"
else
	if ! "$VM_DIR/build-module.sh" "$early" "$run/ko/$early" >"$run/build-$early.out" 2>&1; then
		echo "EARLY-WARNING ${KERNEL_EARLY%% *} $early FAIL module build (log: $run/ko/$early/build.log)"
		grep -v '^TIMING' "$run/build-$early.out" | tail -n 25 | sed 's/^/    | /' || true
	else
		guest "$early" famfs-kernel >"$run/guest-$early-famfs-kernel.out" 2>&1 || true
		if "$VM_DIR/guest-result.sh" "$run/console-$early-famfs-kernel.log" "$early/famfs-kernel" \
			>"$run/early.results"; then
			echo "EARLY-WARNING ${KERNEL_EARLY%% *} $early PASS (module build, famfs-kernel guest: $(grep -c ' PASS' "$run/early.results") checks)"
		else
			echo "EARLY-WARNING ${KERNEL_EARLY%% *} $early FAIL (famfs-kernel guest):"
			grep ' FAIL' "$run/early.results" | sed 's/^/    | /'
		fi
	fi
fi

echo "consoles and logs: $run"
finished=1
results_total "$results" "$expected" "" "the kernels, tests and knobs of this run declare at least %s"
