#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# kmod-fuzz.sh - guest script (busybox sh): the bounded famfs ioctl/mount fuzzer
# (famfs_fuzz, fixed seed) on pmem and, on fsdev_dax kernels, on /dev/dax0.0; then no famfs_fmap
# object may be left. The kernel cmdline may set fuzzsecs= (per device, default 20) and
# fuzzseed= (default 1). Standalone, or sourced by kmod-harden.sh (FUZZ_INLINE=1: modules are
# loaded, famfs is not mounted, the caller finishes; FUZZ_PHASE=pmem|dax: which device).
if [ -z "${FUZZ_INLINE:-}" ]; then
	. /guest/lib.sh
	M=/mnt/famfs
	mkdir -p $M
	load_dax_modules || report dax-modules FAIL "no namespace0.0"
	result insmod load_famfs || finish
fi
FZ=/usr/local/bin/famfs_fuzz
secs=$(arg fuzzsecs)
seed=$(arg fuzzseed)

fuzz_objs() { cat /sys/module/famfs/parameters/live_maps; }

# fuzz NAME DEV SIZE
fuzz() {
	local rc=0 t0 t1
	mount -t famfs "$2" $M || { report "$1" FAIL "cannot mount $2"; return; }
	t0=$(date +%s)
	$FZ $M "$2" "$3" "${secs:-20}" "${seed:-1}" >/tmp/fuzz.out 2>&1 || rc=$?
	t1=$(date +%s)
	grep -v '^famfs_fuzz:' /tmp/fuzz.out | head -n 50 | sed "s/^/  [$1] /"
	if [ "$rc" -eq 0 ]; then
		report "$1" PASS "$(tail -n 1 /tmp/fuzz.out | sed 's/^famfs_fuzz: //') in $((t1 - t0)) s"
	else
		report "$1" FAIL "exit $rc: $(tail -n 1 /tmp/fuzz.out)"
	fi
	# the fuzzer leaves the file system mounted (it remounts it in between)
	grep -q " $M famfs " /proc/mounts && umount $M
	result "$1-umount-clean" sh -c "! grep -q ' $M famfs ' /proc/mounts"
	result "$1-no-map-leaked" [ "$(fuzz_objs)" = 0 ]
}

if [ -x $FZ ]; then
	if [ "${FUZZ_PHASE:-pmem}" = pmem ]; then
		result fuzz-pmem-prepare prepare_pmem && {
			psize=$(($(cat /sys/block/pmem0/size) * 512))
			fuzz fuzz-pmem /dev/pmem0 "$psize"
		}
	fi
	if has_fsdev_dax && [ "${FUZZ_PHASE:-dax}" = dax ]; then
		result fuzz-dax-prepare prepare_dax &&
			fuzz fuzz-dax /dev/dax0.0 "$(cat /sys/bus/dax/devices/dax0.0/size)"
	fi
else
	report fuzz FAIL "$FZ is not in the initramfs"
fi

if [ -z "${FUZZ_INLINE:-}" ]; then
	result rmmod rmmod famfs
	result_fails no-objects-remaining sh -c "dmesg | grep -q 'Objects remaining'"
	finish
fi
