#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# kmod-smoke.sh - guest script (busybox sh): famfs.ko on pmem (fsdax) and, where the
# kernel has fsdev_dax, on /dev/dax0.0; driven by module/tests/run-kmod-smoke.sh.
. /guest/lib.sh

T=/usr/local/bin/famfs_ioctl_test
M=/mnt/famfs
mkdir -p $M /mnt/b

# selftest NAME DIR SIZE: run the ioctl/data-path self test, echo its lines
selftest() {
	local rc=0
	$T selftest "$2" "$3" >/tmp/selftest.out 2>&1 || rc=$?
	sed "s/^/  [$1] /" /tmp/selftest.out
	if [ "$rc" -eq 0 ]; then
		report "$1" PASS "$(tail -n 1 /tmp/selftest.out)"
	else
		report "$1" FAIL "$(grep -c '^FAIL' /tmp/selftest.out) failed checks"
	fi
}

# pmd_check NAME DIR OFFSET: an 8 MiB file at OFFSET must fault in with 4 PMD mappings
pmd_check() {
	local t=/sys/kernel/tracing n fb
	[ -d $t/events/fs_dax ] || mount -t tracefs nodev $t 2>/dev/null
	if [ ! -d $t/events/fs_dax ]; then
		report "$1" FAIL "no fs_dax tracepoints"
		return
	fi
	echo 0 >$t/tracing_on
	echo >$t/trace
	echo 1 >$t/events/fs_dax/dax_pmd_fault_done/enable
	touch "$2/pmdfile" && $T map "$2/pmdfile" "$3" 8M 8M || {
		report "$1" FAIL "cannot map $2/pmdfile"
		return
	}
	echo 1 >$t/tracing_on
	$T touch "$2/pmdfile"
	echo 0 >$t/tracing_on
	echo 0 >$t/events/fs_dax/dax_pmd_fault_done/enable
	grep dax_pmd_fault_done $t/trace | sed 's/^ */  trace: /' | head -n 8
	n=$(grep dax_pmd_fault_done $t/trace | grep -c NOPAGE)
	fb=$(grep dax_pmd_fault_done $t/trace | grep -c FALLBACK)
	if [ "$n" -ge 4 ] && [ "$fb" -eq 0 ]; then
		report "$1" PASS "$n PMD faults, no fallback"
	else
		report "$1" FAIL "$n PMD faults, $fb fallbacks"
	fi
}

# namespace_ops DIR: the namespace policy (kmod-harden.sh checks the exact errnos): create and
# mkdir work, an unmapped file can be unlinked; a mapped file cannot, nothing is renamed or
# removed by rmdir, and a refused operation changes nothing
namespace_ops() {
	mkdir "$1/d1" && mkdir "$1/d1/d2" && touch "$1/d1/d2/f" &&
		! mv "$1/d1/d2/f" "$1/d1/g" 2>/dev/null && [ -f "$1/d1/d2/f" ] &&
		[ ! -e "$1/d1/g" ] && ! mv "$1/alias" "$1/d1/g" 2>/dev/null &&
		[ -s "$1/alias" ] && [ ! -e "$1/d1/g" ] &&
		! rm "$1/alias" 2>/dev/null && [ -s "$1/alias" ] &&
		! rmdir "$1/d1/d2" 2>/dev/null && [ -d "$1/d1/d2" ] &&
		! ln -s alias "$1/sym" 2>/dev/null && [ ! -e "$1/sym" ] &&
		rm "$1/d1/d2/f" && [ ! -e "$1/d1/d2/f" ] &&
		rm "$1/unmapped" && ! rmdir "$1" 2>/dev/null
}

dmesg_has() { dmesg | tail -n 20 | grep -q "$1"; }

load_dax_modules || report dax-modules FAIL "no namespace0.0"
result insmod load_famfs || finish
result kabi-param [ "$(cat /sys/module/famfs/parameters/famfs_kabi_version)" = 43 ]
result kallsyms-famfs_create grep -q 'famfs_create.*\[famfs\]' /proc/kallsyms
result filesystems grep -q 'famfs' /proc/filesystems

# --- pmem, fsdax ---
result pmem-prepare prepare_pmem || finish
size=$(($(cat /sys/block/pmem0/size) * 512))
result_fails mount-unknown-option mount -t famfs -o foo=1 /dev/pmem0 $M
result_fails mount-dax-never mount -t famfs -o dax=never /dev/pmem0 $M
result_fails mount-not-a-device mount -t famfs /guest $M
result mount-not-a-device-logged dmesg_has 'is not a device'
result pmem-mount mount -t famfs -o mode=0750,dax=always /dev/pmem0 $M || finish
result statfs-magic [ "$(stat -f -c %t $M)" = 87b282fe ]
result show-mode grep -q " $M famfs .*mode=750" /proc/mounts
result root-mode [ "$(stat -c %a $M)" = 750 ]
result_fails pmem-second-mount-ebusy mount -t famfs /dev/pmem0 /mnt/b
result pmem-ebusy-logged dmesg_has 'pmem0 exclusively: -16'
selftest pmem-selftest $M $size
pmd_check pmem-pmd-faults $M 48M
result pmem-namespace-ops namespace_ops $M
result pmem-umount umount $M
result pmem-remount-empty sh -c "mount -t famfs /dev/pmem0 $M && [ -z \"\$(ls $M)\" ] && umount $M"

# --- character dax device ---
result devdax-prepare "$NDCTL" create-namespace -f -e namespace0.0 --mode=devdax --map=mem --align=2M
wait_for 10 test -c /dev/dax0.0
if has_fsdev_dax; then
	result_fails dax-device_dax-refused mount -t famfs /dev/dax0.0 $M
	result dax-device_dax-message dmesg_has 'bound to device_dax'
	result dax-bind-fsdev bind_fsdev dax0.0 || finish
	size=$(cat /sys/bus/dax/devices/dax0.0/size)
	result dax-mount mount -t famfs /dev/dax0.0 $M || finish
	result dax-size-logged dmesg_has "dax0.0: mounting, $((size >> 20)) MiB"
	result_fails dax-second-mount-ebusy mount -t famfs /dev/dax0.0 /mnt/b
	selftest dax-selftest $M $size
	pmd_check dax-pmd-faults $M 48M
	result dax-namespace-ops namespace_ops $M
	result dax-umount umount $M
	result dax-remount sh -c "mount -t famfs /dev/dax0.0 $M && umount $M"
else
	result_fails dax-refused-on-this-kernel mount -t famfs /dev/dax0.0 $M
	result dax-refused-message dmesg_has 'no fs-dax support for dax character devices'
fi

result rmmod rmmod famfs
result_fails module-gone grep -q '^famfs ' /proc/modules
finish
