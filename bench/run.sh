#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Copyright (C) 2026 famfs contributors
# bench/run.sh - `make bench`: famfs mmap bandwidth against raw device-dax on the same memory,
# famfs cp against the same data movement, in qemu guests, each kernel booted twice: once with a
# deterministic clock (-icount: guest time = executed instructions) and once under plain TCG.
#
#   bash bench/run.sh                 native + every selected kernel x mode + report
#   bash bench/run.sh --report        only regenerate bench/results/report.{md,json} from raw/
#
# Knobs (environment):
#   BENCH_KERNELS="newest-fsdev 6.12"  kernels: "newest-fsdev" (kernels.sh newest-fsdev), a series
#                                      (6.1, 6.12, 7.2: exact series) or a full krel
#   BENCH_MODES="icount tcg"           guest clock modes (tests/vm/boot.sh --icount, or plain TCG)
#   BENCH_SIZE=128M BENCH_REPS=7       bytes per bandwidth figure, interleaved repetitions (>= 5)
#   BENCH_CPSIZE=64M                   famfs cp file size (MiB)
#   BENCH_MEM=2G BENCH_RAM=1G          nvdimm and guest RAM
#   BENCH_COMPARE=OTHER/report.json    also compare with another run in the report (compare.py)
#   BENCH_ALLOW_DIRTY=1                run in a tree with uncommitted changes (the report is then
#                                      marked UNPUBLISHABLE); without it such a tree is refused
#   FAMFS_WORK (tests/vm)              scratch; this script uses $FAMFS_WORK/bench (BENCH_WORK)
#
# Output: bench/results/report.md, report.json, raw/*.jsonl (the BENCH lines of every guest, the
# host-native timings, meta.json). `make bench-readme` puts the table into README.md,
# `python3 bench/compare.py A.json B.json` compares two runs. Guests run one at a time.
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$BENCH_DIR")
# shellcheck source=../tests/vm/kernels.sh
source "$REPO/tests/vm/kernels.sh"
W=${BENCH_WORK:-$FAMFS_WORK/bench}
RES=${BENCH_RESULTS:-$BENCH_DIR/results}
SIZE=${BENCH_SIZE:-128M}
REPS=${BENCH_REPS:-7}
CPSIZE=${BENCH_CPSIZE:-64M}
MODES=${BENCH_MODES:-icount tcg}
MEM=${BENCH_MEM:-2G}
RAM=${BENCH_RAM:-1G}
KSEL=${BENCH_KERNELS:-newest-fsdev 6.12}

report() {
	python3 "$BENCH_DIR/report.py" "$RES" && log "bench: report in $RES/report.md"
}
if [ "${1:-}" = --report ]; then report; exit; fi

need_root
[ "$REPS" -ge 5 ] || die "BENCH_REPS=$REPS: at least 5 repetitions per figure"
case $CPSIZE in *M) ;; *) die "BENCH_CPSIZE must be in MiB (e.g. 64M)" ;; esac
t_start=$(date +%s)

# --- what is measured: the commit, and whether the tree matches it ------------------------------
commit=$(git -C "$REPO" rev-parse HEAD 2>/dev/null || echo unknown)
dirty=$(git -C "$REPO" status --porcelain -- . ':(exclude)bench/results' 2>/dev/null || echo "?? not a git tree")
if [ -n "$dirty" ] && [ "${BENCH_ALLOW_DIRTY:-0}" != 1 ]; then
	printf '%s\n' "$dirty" | head -20 >&2
	die "bench: the tree has uncommitted changes (above): commit and run from a clean clone, or set BENCH_ALLOW_DIRTY=1 for an UNPUBLISHABLE run"
fi
mkdir -p "$W" "$RES/raw"
rm -f "$RES"/raw/*.jsonl "$RES/raw/meta.json" "$RES/report.png"

# --- host tools and user space (a private build: others may be rebuilding userspace/build) -----
"$REPO/tests/vm/setup-host.sh" >"$W/setup-host.log" 2>&1 || die "setup-host.sh failed (see $W/setup-host.log)"
US=$W/us
make -s -C "$REPO/userspace" B="$US" all >"$W/userspace.log" 2>&1 || die "user-space build failed (see $W/userspace.log)"
TOOLS=$US
CFLAGS_B=(-O2 -Wall -D_GNU_SOURCE -I"$REPO/userspace/lib" -I"$REPO/module/uapi")
LIBS_B=("$TOOLS/libfamfs.a" -lz -luuid -ljson-c -lblkid)
gcc "${CFLAGS_B[@]}" -DWITH_LIBFAMFS -static -o "$W/famfsbench" "$BENCH_DIR/famfsbench.c" "${LIBS_B[@]}" -lpthread
gcc "${CFLAGS_B[@]}" -o "$W/native" "$BENCH_DIR/native.c" "${LIBS_B[@]}"

# --- host-native part (real time) ---------------------------------------------------------------
"$W/native" 5 >"$RES/raw/native.jsonl"
log "bench: native done ($(grep -c BENCH "$RES/raw/native.jsonl") lines)"

# --- kernels ----------------------------------------------------------------------------------
"$REPO/tests/vm/kernels.sh" fetch >"$W/fetch.log" 2>&1 || die "kernels.sh fetch failed (see $W/fetch.log)"
mapfile -t all < <("$REPO/tests/vm/kernels.sh" list)
sel=()
for p in $KSEL; do
	if [ "$p" = newest-fsdev ]; then
		sel+=("$("$REPO/tests/vm/kernels.sh" newest-fsdev)")
		continue
	fi
	n=0
	for k in "${all[@]}"; do
		if [ "$k" = "$p" ] || [ "$(k_series "$k")" = "$p" ]; then sel+=("$k"); n=$((n + 1)); fi
	done
	[ $n -gt 0 ] || die "no tracked kernel matches '$p' (BENCH_KERNELS; tracked: ${all[*]})"
done
mapfile -t sel < <(printf '%s\n' "${sel[@]}" | awk '!seen[$0]++')

qemu_version=$(qemu-system-x86_64 --version | head -1)
{
	printf '{"commit":"%s","dirty":%s,"dirty_files":[' "$commit" "$([ -n "$dirty" ] && echo true || echo false)"
	printf '%s\n' "$dirty" | awk 'NF { gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); printf "%s\"%s\"", n++ ? "," : "", $0 }'
	printf '],"date":"%s","host_cpu":"%s","host_cpus":%s,"host_mem_kb":%s,"host_kernel":"%s","host_os":"%s",' \
		"$(date -u +%FT%TZ)" "$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)" "$(nproc)" \
		"$(sed -n 's/^MemTotal: *\([0-9]*\).*/\1/p' /proc/meminfo)" "$(uname -r)" "$(. /etc/os-release && echo "$PRETTY_NAME")"
	printf '"qemu":"%s","kernels":[%s],"modes":[%s],"size":"%s","reps":%s,"cpsize":"%s","mem":"%s","ram":"%s"}\n' \
		"$qemu_version" "$(printf '"%s",' "${sel[@]}" | sed 's/,$//')" "$(printf '"%s",' $MODES | sed 's/,$//')" \
		"$SIZE" "$REPS" "$CPSIZE" "$MEM" "$RAM"
} >"$RES/raw/meta.json"

memfile=
cleanup() { [ -z "$memfile" ] || rm -f "$memfile"; }
trap cleanup EXIT
rc=0
for k in "${sel[@]}"; do
	ko=$W/ko/$k
	t0=$(date +%s)
	"$REPO/tests/vm/build-module.sh" "$k" "$ko" >"$W/build-$k.log" 2>&1 ||
		{ log "bench: $k: module build failed (see $W/build-$k.log)"; rc=1; continue; }
	FAMFS_TOOLS=$TOOLS "$REPO/tests/vm/mkinitrd.sh" "$k" "$W/initrd-$k.cpio.gz" "$BENCH_DIR/guest.sh" \
		--ko "$ko/famfs.ko" --bin "$W/famfsbench" >"$W/mkinitrd-$k.log" 2>&1 ||
		{ log "bench: $k: mkinitrd failed (see $W/mkinitrd-$k.log)"; rc=1; continue; }
	log "bench: $k: module + initramfs $(($(date +%s) - t0)) s"
	for mode in $MODES; do
		case $mode in icount) ic=(--icount) ;; tcg) ic=() ;; *) die "BENCH_MODES: unknown mode $mode" ;; esac
		t0=$(date +%s)
		con=$W/console-$k-$mode.log
		# the nvdimm lives in host RAM (tmpfs): no disk I/O under the guest's memory
		memfile=$(mktemp /dev/shm/famfs-bench.XXXXXX)
		rm -f "$memfile"
		log "bench: $k $mode: guest running ($(date +%T))"
		"$REPO/tests/vm/boot.sh" --krel "$k" --initrd "$W/initrd-$k.cpio.gz" --console "$con" \
			--mem-file "$memfile" --mem-size "$MEM" --ram "$RAM" --timeout "${BENCH_TIMEOUT:-1200}" "${ic[@]}" -- \
			nokaslr norandmaps "bsize=$SIZE" "breps=$REPS" "bcpsize=$CPSIZE" "bmode=$mode" || true
		rm -f "$memfile"
		memfile=
		{
			echo "BENCH {\"t\":\"guest\",\"krel\":\"$k\",\"mode\":\"$mode\",\"wall_secs\":$(($(date +%s) - t0)),\"mem\":\"$MEM\",\"ram\":\"$RAM\",\"boot_args\":\"${ic[*]}\"}"
			grep -a '^BENCH' "$con" | tr -d '\r'
		} >"$RES/raw/$k.$mode.jsonl"
		grep -a 'BENCH-ERR' "$con" | sed "s/^/bench: $k $mode: /" >&2 || true
		grep -aq '^BENCH-DONE' "$con" || { log "bench: $k $mode: guest did not finish (see $con)"; rc=1; }
		log "bench: $k $mode: $(($(date +%s) - t0)) s, $(grep -c BENCH "$RES/raw/$k.$mode.jsonl") lines"
	done
done
echo "{\"total_secs\":$(($(date +%s) - t_start)),\"rc\":$rc}" >"$RES/raw/end.json"
report
log "bench: total $(($(date +%s) - t_start)) s"
exit $rc
