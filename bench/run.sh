#!/bin/bash
# bench/run.sh - `make bench`: famfs against raw device access and the usual alternatives,
# side by side, in one qemu guest per tested kernel, plus the host-native user-space timings.
#
#   bash bench/run.sh                 everything: native + every kernel + report
#   BENCH_KERNELS="6.1 7.2" ...       only the kernels whose krel starts with these
#   BENCH_SIZE=64M BENCH_REPS=5 BENCH_FIO_REPS=3      bytes per bandwidth test, repetitions
#   BENCH_COUNTS=1000,6000            file counts for the in-guest logplay/mount/fsck runs
#   BENCH_PERDIR=500                  files per directory in those runs (0: all in one directory)
#   BENCH_CPBIG=512M                  famfs cp vs memcpy with start-up amortised (0: skip)
#   BENCH_MEM=12G BENCH_RAM=3G        nvdimm size (bounds the file counts: 2 MiB per file), RAM
#   BENCH_FIO=all|none|famfs,devdax   targets fio runs on (default famfs,famfs-dax,devdax: fio pays
#                                     seconds per job under TCG); BENCH_FIO_REPS loops per fio job
#   bash bench/run.sh --report        only regenerate the report from the last results
#
# Output: bench/results/{report.md,report.json,report.png} and the raw BENCH lines
# (bench/results/raw/*.jsonl); consoles and images in build/bench/.
# Guests run one at a time, under TCG: absolute times are emulation times.
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$BENCH_DIR")
# shellcheck source=../tests/vm/kernels.sh
source "$REPO/tests/vm/kernels.sh"
W=${BENCH_WORK:-$REPO/build/bench}
RES=${BENCH_RESULTS:-$BENCH_DIR/results}
SIZE=${BENCH_SIZE:-64M}
REPS=${BENCH_REPS:-5}
COUNTS=${BENCH_COUNTS:-1000,6000}
PERDIR=${BENCH_PERDIR:-500}
CPBIG=${BENCH_CPBIG:-512M}
MEM=${BENCH_MEM:-12G}
RAM=${BENCH_RAM:-3G}
# the second region (raw device_dax baseline): legacy pmem carved out of guest RAM
MEMMAP=${BENCH_MEMMAP:-512M!2G}
DOFIO=${BENCH_FIO:-famfs,famfs-dax,devdax}
FREPS=${BENCH_FIO_REPS:-3}
mkdir -p "$W" "$RES/raw"

report() {
	python3 "$BENCH_DIR/report.py" "$RES" && log "bench: report in $RES/report.md"
}
if [ "${1:-}" = --report ]; then report; exit; fi

need_root
t_start=$(date +%s)

# --- host tools --------------------------------------------------------------------------------
need=()
command -v fio >/dev/null || need+=(fio)
command -v gnuplot >/dev/null || need+=(gnuplot-nox)
command -v mkfs.ext4 >/dev/null || need+=(e2fsprogs)
if [ ${#need[@]} -gt 0 ]; then
	log "bench: apt-get install ${need[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >"$W/apt.log" 2>&1 ||
		{ apt-get update -q >>"$W/apt.log" 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >>"$W/apt.log" 2>&1; } ||
		die "apt-get install ${need[*]} failed (see $W/apt.log)"
fi
"$REPO/tests/vm/setup-host.sh" >"$W/setup-host.log" 2>&1 || die "setup-host.sh failed (see $W/setup-host.log)"

# --- user space: a private build (others may be rebuilding userspace/build meanwhile) ----------
US=$W/us
if make -s -C "$REPO/userspace" B="$US" all >"$W/userspace.log" 2>&1; then
	TOOLS=$US
else
	log "bench: private user-space build failed (see $W/userspace.log); using userspace/build"
	TOOLS=$REPO/userspace/build
	[ -x "$TOOLS/famfs" ] || make -s -C "$REPO/userspace" >>"$W/userspace.log" 2>&1 || die "no famfs tools"
fi
CFLAGS_B=(-O2 -Wall -D_GNU_SOURCE -I"$REPO/userspace/lib" -I"$REPO/module/uapi")
LIBS_B=("$TOOLS/libfamfs.a" -lz -luuid -ljson-c)
gcc "${CFLAGS_B[@]}" -DWITH_LIBFAMFS -static -o "$W/famfsbench" "$BENCH_DIR/famfsbench.c" "${LIBS_B[@]}" -lpthread
gcc "${CFLAGS_B[@]}" -o "$W/native" "$BENCH_DIR/native.c" "${LIBS_B[@]}"

# --- host-native part --------------------------------------------------------------------------
{
	echo "BENCH {\"t\":\"host\",\"cpu\":\"$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)\",\"cpus\":$(nproc),\"mem_kb\":$(sed -n 's/^MemTotal: *\([0-9]*\).*/\1/p' /proc/meminfo),\"kernel\":\"$(uname -r)\",\"os\":\"$(. /etc/os-release && echo "$PRETTY_NAME")\",\"date\":\"$(date -u +%FT%TZ)\",\"commit\":\"$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null)$(git -C "$REPO" diff --quiet 2>/dev/null || echo +dirty)\"}"
	"$W/native" 5
} >"$RES/raw/native.jsonl"
log "bench: native done ($(grep -c BENCH "$RES/raw/native.jsonl") lines)"

# --- guests ------------------------------------------------------------------------------------
"$REPO/tests/vm/kernels.sh" fetch >"$W/fetch.log" 2>&1 || die "kernels.sh fetch failed (see $W/fetch.log)"
mapfile -t all < <("$REPO/tests/vm/kernels.sh" list)
sel=()
for k in "${all[@]}"; do
	if [ -z "${BENCH_KERNELS:-}" ]; then sel+=("$k"); continue; fi
	for p in $BENCH_KERNELS; do case $k in "$p"*) sel+=("$k") ;; esac; done
done
[ ${#sel[@]} -gt 0 ] || die "no kernel matches BENCH_KERNELS=$BENCH_KERNELS"

memfile=
cleanup() { [ -z "$memfile" ] || rm -f "$memfile"; }
trap cleanup EXIT
rc=0
for k in "${sel[@]}"; do
	t0=$(date +%s)
	ko=$W/ko/$k
	"$REPO/tests/vm/build-module.sh" "$k" "$ko" >"$W/build-$k.log" 2>&1 ||
		{ log "bench: $k: module build failed (see $W/build-$k.log)"; rc=1; continue; }
	# nd_e820 (legacy pmem from memmap=) is not in the harness's module list: bring it along
	e820=$(find "$(k_moddir "$k")/kernel" -name 'nd_e820.ko*' | head -1)
	case $e820 in
	*.xz) xz -dc "$e820" >"$W/nd_e820-$k.ko" ;;
	*.zst) zstd -qdc "$e820" >"$W/nd_e820-$k.ko" ;;
	*) cp "$e820" "$W/nd_e820-$k.ko" ;;
	esac
	# ext4 (+ deps) for the ext4 -o dax baseline: insmod'ed in order from /bench/mods
	rm -rf "$W/mods-$k" && mkdir -p "$W/mods-$k"
	modn=0
	declare -A seen=()
	add_mod() {
		local f dep
		[ -n "${seen[$1]:-}" ] && return 0
		seen[$1]=1
		f=$(find "$(k_moddir "$k")/kernel" \( -name "$1.ko*" -o -name "${1//_/-}.ko*" \) | head -1)
		[ -n "$f" ] || return 0
		for dep in $(modinfo -F depends "$f" | tr ',' ' '); do add_mod "$dep"; done
		modn=$((modn + 1))
		case $f in
		*.xz) xz -dc "$f" ;;
		*.zst) zstd -qdc "$f" ;;
		*) cat "$f" ;;
		esac >"$W/mods-$k/$(printf %02d $modn)-$1.ko"
	}
	for m in crc32c_generic ext4; do add_mod $m; done
	unset seen
	FAMFS_TOOLS=$TOOLS "$REPO/tests/vm/mkinitrd.sh" "$k" "$W/initrd-$k.cpio.gz" "$BENCH_DIR/guest.sh" \
		--ko "$ko/famfs.ko" --bin "$W/famfsbench" --bin "$(command -v fio)" \
		--bin "$(command -v mkfs.ext4)" --file "$W/nd_e820-$k.ko:bench/nd_e820.ko" --file "$W/mods-$k:bench/mods" \
		>"$W/mkinitrd-$k.log" 2>&1 || { log "bench: $k: mkinitrd failed (see $W/mkinitrd-$k.log)"; rc=1; continue; }
	# the nvdimm lives in host RAM (tmpfs), so no disk I/O disturbs the guest's memory
	memfile=$(mktemp /dev/shm/famfs-bench.XXXXXX)
	rm -f "$memfile"
	log "bench: $k: guest running ($(date +%T)) (size=$SIZE reps=$REPS counts=$COUNTS)"
	"$REPO/tests/vm/boot.sh" --krel "$k" --initrd "$W/initrd-$k.cpio.gz" --console "$W/console-$k.log" \
		--mem-file "$memfile" --mem-size "$MEM" --ram "$RAM" --timeout "${BENCH_TIMEOUT:-1500}" -- \
		"memmap=$MEMMAP" "bsize=$SIZE" "breps=$REPS" "bcounts=$COUNTS" "bfio=$DOFIO" "bfreps=$FREPS" \
		"bperdir=$PERDIR" "bcpbig=$CPBIG" || true
	rm -f "$memfile"
	memfile=
	{
		echo "BENCH {\"t\":\"guest\",\"krel\":\"$k\",\"wall_secs\":$(($(date +%s) - t0)),\"mem\":\"$MEM\",\"ram\":\"$RAM\",\"memmap\":\"$MEMMAP\"}"
		grep -a '^BENCH' "$W/console-$k.log" | tr -d '\r'
	} >"$RES/raw/$k.jsonl"
	grep -a 'BENCH-ERR' "$W/console-$k.log" | sed "s/^/bench: $k: /" >&2 || true
	grep -aq BENCH-DONE "$W/console-$k.log" ||
		{ log "bench: $k: guest did not finish (see $W/console-$k.log)"; rc=1; }
	log "bench: $k: $(($(date +%s) - t0)) s, $(grep -c BENCH "$RES/raw/$k.jsonl") lines"
done
# results of kernels no longer tested must not linger in the report
for f in "$RES"/raw/*.jsonl; do
	b=$(basename "$f" .jsonl)
	[ "$b" = native ] && continue
	printf '%s\n' "${all[@]}" | grep -qx "$b" || rm -f "$f"
done
report
log "bench: total $(($(date +%s) - t_start)) s"
exit $rc
