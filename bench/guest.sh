#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Copyright (C) 2026 famfs contributors
# bench/guest.sh - the guest side of `make bench` (runs as /test.sh, busybox sh).
#
# famfs against raw device-dax on the SAME memory: one famfs file of bsize bytes, and the same
# bytes of the same device mapped raw through device_dax (/dev/dax0.0 at the file's extent offset).
#   fsdev_dax kernels (7.x): famfs on /dev/dax0.0 (fsdev_dax); raw = the same dax0.0 rebound to
#                            device_dax, offset = the file's extent offset
#   other kernels (6.x):     famfs on /dev/pmem0 (fsdax, --map=mem --align=2M); raw = the same
#                            namespace reconfigured as devdax (--map=mem --align=2M), offset = the
#                            extent offset moved by the two modes' data starts (physical addresses
#                            from sysfs)
# A hash of the file's bytes read through famfs and through the raw device proves the region is
# the same one ("sig" lines). Repetitions are interleaved, order alternating (raw famfs | famfs raw
# | raw famfs ...), each repetition one process per target running every figure (op x threads)
# with a fresh mapping (faults included), plus "touch" (one load per 4 KiB page: the fault path
# alone). After every switch of view one untimed figure runs first (settle). Then: the famfs fault
# tracepoint per figure, famfs cp against the same data movement (famfsbench cpref into a file
# made by famfs creat), interleaved, and the bytes flushed per log append.
# Every measurement is one console line "BENCH {json}"; bench/run.sh collects them.
# Parameters (kernel command line): bsize= (bytes per figure, 2 MiB multiple), breps=
# (repetitions), bcpsize= (famfs cp file size), bmode= (icount or tcg: recorded only).
. /guest/lib.sh

FB=/usr/local/bin/famfsbench
MNT=/mnt/famfs
SIZE=$(arg bsize); SIZE=${SIZE:-128M}
REPS=$(arg breps); REPS=${REPS:-7}
CPSIZE=$(arg bcpsize); CPSIZE=${CPSIZE:-64M}
TR=/sys/kernel/tracing
mkdir -p "$MNT" /mnt/tmpfs

note() { echo "BENCH {\"t\":\"note\",\"k\":\"$1\",\"v\":\"$2\"}"; }
err() { echo "BENCH-ERR $*"; }
fatal() { err "$@"; echo "BENCH-FAILED"; exit 1; }
phase() { echo "BENCH {\"t\":\"phase\",\"label\":\"$1\",\"uptime\":$(cut -d' ' -f1 /proc/uptime)}"; }

note kernel "$(uname -r)"
note cmdline "$(cat /proc/cmdline)"
note cpus "$(grep -c ^processor /proc/cpuinfo)"
note size "$SIZE"
note reps "$REPS"
note cpsize "$CPSIZE"
note mode "$(arg bmode)"
load_dax_modules || fatal "dax stack"
load_famfs || fatal "famfs.ko"

# --- the two views of one region --------------------------------------------------------------
if has_fsdev_dax; then BACKEND=fsdev_dax; DEV=/dev/dax0.0; else BACKEND=pmem; DEV=/dev/pmem0; fi
note backend "$BACKEND"
drv() { basename "$(readlink "/sys/bus/dax/devices/dax0.0/driver" 2>/dev/null)"; }
ns_devdax() {
	"$NDCTL" create-namespace -f -e namespace0.0 --mode=devdax --map=mem --align=2M >/tmp/ndctl.out 2>&1 &&
		wait_for 10 test -c /dev/dax0.0
}
ns_fsdax() {
	"$NDCTL" create-namespace -f -e namespace0.0 --mode=fsdax --map=mem --align=2M >/tmp/ndctl.out 2>&1 &&
		wait_for 10 test -b /dev/pmem0
}
# the physical address of byte 0 of /dev/pmem0 and of /dev/dax0.0 (sysfs "resource": the data
# start, after the namespace's info block)
phys_pmem() { cat "$(readlink -f /sys/block/pmem0/device)/resource" 2>/dev/null; }
phys_dax() {
	cat /sys/bus/dax/devices/dax0.0/resource 2>/dev/null ||
		cat "$(readlink -f /sys/bus/dax/devices/dax0.0/..)/resource" 2>/dev/null
}
to_raw() {
	umount "$MNT" || return 1
	if [ $BACKEND = fsdev_dax ]; then
		echo dax0.0 >/sys/bus/dax/drivers/fsdev_dax/unbind
		echo dax0.0 >/sys/bus/dax/drivers/device_dax/bind 2>/dev/null ||
			echo dax0.0 >/sys/bus/dax/drivers/device_dax/new_id
		[ "$(drv)" = device_dax ] && wait_for 10 test -c /dev/dax0.0
	else
		ns_devdax && [ "$(drv)" = device_dax ]
	fi
}
to_famfs() {
	if [ $BACKEND = fsdev_dax ]; then
		bind_fsdev dax0.0 || return 1
	else
		ns_fsdax || return 1
	fi
	"$FAMFS" mount "$DEV" "$MNT" >/tmp/mount.out 2>&1
}
STATE=famfs
goto() {
	[ "$STATE" = "$1" ] && return 0
	if [ "$1" = raw ]; then to_raw; else to_famfs; fi ||
		fatal "switch to $1: $(tail -n 2 /tmp/ndctl.out /tmp/mount.out 2>/dev/null | tr '\n' ' ')"
	STATE=$1
}

phase setup
if [ $BACKEND = fsdev_dax ]; then
	ns_devdax && bind_fsdev dax0.0 || fatal "devdax namespace / fsdev_dax: $(tail -n 2 /tmp/ndctl.out)"
else
	ns_fsdax || fatal "fsdax namespace: $(tail -n 2 /tmp/ndctl.out)"
	P_FAMFS=$(phys_pmem)
fi
"$MKFS" -f "$DEV" >/tmp/mkfs.out 2>&1 || fatal "mkfs.famfs: $(tail -n 2 /tmp/mkfs.out)"
"$FAMFS" mount "$DEV" "$MNT" >/tmp/mount.out 2>&1 || fatal "famfs mount: $(tail -n 2 /tmp/mount.out)"
"$FAMFS" creat -s "$SIZE" "$MNT/bw" >/dev/null || fatal "famfs creat"
ext=$("$FB" extent "$MNT/bw") || fatal "extent of $MNT/bw"
OFF=${ext% *}
# fill the file (the seqwrite figure), then read its hash through famfs
"$FB" pass warm-famfs "$MNT/bw" "$SIZE" 0 -1 seqwrite 1 >/dev/null
"$FB" sig famfs "$MNT/bw" "$SIZE" 0
goto raw
if [ $BACKEND = fsdev_dax ]; then
	RAWOFF=$OFF
else
	P_RAW=$(phys_dax)
	[ -n "$P_FAMFS" ] && [ -n "$P_RAW" ] || fatal "no physical address in sysfs (pmem '$P_FAMFS', dax '$P_RAW')"
	RAWOFF=$((OFF + P_FAMFS - P_RAW))
fi
echo "BENCH {\"t\":\"region\",\"backend\":\"$BACKEND\",\"famfs_dev\":\"$DEV\",\"raw_dev\":\"/dev/dax0.0\",\"raw_driver\":\"$(drv)\",\"extent\":\"$ext\",\"file_offset_on_dev\":$OFF,\"raw_offset\":$RAWOFF,\"phys_famfs_dev\":\"${P_FAMFS:-same device}\",\"phys_raw_dev\":\"${P_RAW:-same device}\"}"
[ $((RAWOFF % 2097152)) = 0 ] && [ "$RAWOFF" -ge 0 ] || fatal "raw offset $RAWOFF not 2 MiB aligned"
"$FB" sig raw /dev/dax0.0 "$SIZE" "$RAWOFF"

# --- bandwidth, interleaved -------------------------------------------------------------------
# one untimed pass of every figure on each view first (the host populates the backing pages)
"$FB" pass warm-raw /dev/dax0.0 "$SIZE" "$RAWOFF" -1 >/dev/null
goto famfs
"$FB" pass warm-famfs "$MNT/bw" "$SIZE" 0 -1 >/dev/null
# after a switch, one untimed figure on the new view first: a fresh mount's inode (or the
# rebound device's) pays one-off set-up on its first faults (an icount trial with 32 MiB figures:
# +1.6 % famfs, +0.5 % raw on the first figure after a switch), which must not land in a timed pass
settle() {
	if [ "$1" = famfs ]; then
		"$FB" pass settle-famfs "$MNT/bw" "$SIZE" 0 -1 seqread 1 >/dev/null
	else
		"$FB" pass settle-raw /dev/dax0.0 "$SIZE" "$RAWOFF" -1 seqread 1 >/dev/null
	fi
}
run_target() {
	prev=$STATE
	goto "$1"
	[ "$prev" = "$1" ] || settle "$1"
	if [ "$1" = famfs ]; then
		"$FB" pass famfs "$MNT/bw" "$SIZE" 0 "$2" || err "pass famfs $2"
	else
		"$FB" pass raw /dev/dax0.0 "$SIZE" "$RAWOFF" "$2" || err "pass raw $2"
	fi
}
phase bandwidth
r=0
while [ $r -lt "$REPS" ]; do
	if [ $((r % 2)) = 0 ]; then run_target famfs $r; run_target raw $r
	else run_target raw $r; run_target famfs $r; fi
	r=$((r + 1))
done

# --- fault paths: famfs's own tracepoint, per figure (untimed passes) ------------------------
phase faults
goto famfs
[ -d $TR/events ] || mount -t tracefs nodev $TR 2>/dev/null
if [ -d $TR/events/famfs/famfs_fault ]; then
	echo 65536 >$TR/buffer_size_kb
	for th in 1 2; do
		for op in seqread seqwrite randread randwrite; do
			echo 0 >$TR/tracing_on
			echo >$TR/trace
			echo 1 >$TR/events/famfs/famfs_fault/enable
			echo 1 >$TR/tracing_on
			"$FB" pass famfs-traced "$MNT/bw" "$SIZE" 0 -1 $op $th >/tmp/pass.out
			echo 0 >$TR/tracing_on
			echo 0 >$TR/events/famfs/famfs_fault/enable
			grep 'famfs_fault:' $TR/trace >/tmp/tr.txt
			# order 9 = PMD (0x800 in the result = VM_FAULT_FALLBACK), order 0 = PTE
			pmd=$(grep ' order 9 ' /tmp/tr.txt | grep -vc 'result 0x[0-9a-f]*[89a-f][0-9a-f][0-9a-f]$')
			fb=$(grep ' order 9 ' /tmp/tr.txt | grep -c 'result 0x[0-9a-f]*[89a-f][0-9a-f][0-9a-f]$')
			pte=$(grep -c ' order 0 ' /tmp/tr.txt)
			all=$(wc -l </tmp/tr.txt)
			lost=$(sed -n 's/^overrun: //p' $TR/per_cpu/cpu0/stats 2>/dev/null | head -1)
			echo "BENCH {\"t\":\"faults\",\"op\":\"$op\",\"threads\":$th,\"bytes\":$(sed -n 's/.*"bytes":\([0-9]*\).*/\1/p' /tmp/pass.out),\"pmd\":$pmd,\"pmd_fallback\":$fb,\"pte\":$pte,\"events\":$all,\"overrun\":${lost:-0},\"minflt\":$(sed -n 's/.*"minflt":\([0-9]*\).*/\1/p' /tmp/pass.out)}"
		done
	done
else
	err "no famfs/famfs_fault tracepoint"
fi

# --- famfs cp against the same data movement, interleaved ------------------------------------
phase cp
mount -t tmpfs -o size=$(($(echo "$CPSIZE" | sed 's/M$//') + 16))M tmpfs /mnt/tmpfs
dd if=/dev/urandom of=/mnt/tmpfs/src bs=1M count="${CPSIZE%M}" 2>/dev/null
# the source is in tmpfs's page cache: both sides pread it; read it once before the clock
cat /mnt/tmpfs/src >/dev/null
cp_famfs() { "$FB" exec cp-famfs 1 "$FAMFS" cp /mnt/tmpfs/src "$MNT/cp-$1"; }
cp_ref() {
	"$FB" exec cp-ref-creat 1 "$FAMFS" creat -s "$CPSIZE" "$MNT/ref-$1"
	"$FB" exec cp-ref-copy 1 "$FB" cpref /mnt/tmpfs/src "$MNT/ref-$1"
}
r=0
while [ $r -lt "$REPS" ]; do
	if [ $((r % 2)) = 0 ]; then cp_famfs $r; cp_ref $r; else cp_ref $r; cp_famfs $r; fi
	r=$((r + 1))
done
cmp -s /mnt/tmpfs/src "$MNT/cp-0" || err "famfs cp: the copy differs from the source"
cmp -s /mnt/tmpfs/src "$MNT/ref-0" || err "cpref: the copy differs from the source"

# --- bytes flushed per log append --------------------------------------------------------------
phase flush
"$FB" flush famfs-flush "$MNT" 100
umount "$MNT"
phase end
echo "BENCH-DONE"
