#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 famfs contributors
# kmod-smoke.sh - guest script (busybox sh): famfs.ko on pmem (fsdax) and, where the
# kernel has fsdev_dax, on /dev/dax0.0; driven by module/tests/run-kmod-smoke.sh.
. /guest/lib.sh

T=/usr/local/bin/famfs_ioctl_test
M=/mnt/famfs
mkdir -p $M /mnt/b

# sys_want WANT OP ARGS...: the same as a plain command (prints what is wrong)
sys_want() {
	local want=$1 got
	shift
	got=$($T sys "$@" 2>&1)
	[ "$got" = "$want" ] || { echo "$*: $got, want $want"; return 1; }
}

# no_line REGEX FILE: FILE has lines, none matching REGEX (grep's exit status exactly 1)
no_line() {
	local rc=0
	cat "$2" >/tmp/no_line.txt || return 1
	[ -s /tmp/no_line.txt ] || { echo "$2 is empty"; return 1; }
	grep -q "$1" /tmp/no_line.txt || rc=$?
	[ "$rc" = 1 ] || { grep "$1" /tmp/no_line.txt | head -n 5; return 1; }
}

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

# namespace_ops DIR: the namespace policy, each refusal by its exact errno (kmod-harden.sh's
# nspolicy checks every operation): create and mkdir work, an unmapped file can be unlinked; a
# mapped file cannot (EPERM), nothing is renamed or removed by rmdir (EPERM), and a refused
# operation changes nothing; the mount point itself is EBUSY
namespace_ops() {
	mkdir "$1/d1" && mkdir "$1/d1/d2" && touch "$1/d1/d2/f" &&
		sys_want EPERM rename "$1/d1/d2/f" "$1/d1/g" && [ -f "$1/d1/d2/f" ] &&
		[ ! -e "$1/d1/g" ] && sys_want EPERM rename "$1/alias" "$1/d1/g" &&
		[ -s "$1/alias" ] && [ ! -e "$1/d1/g" ] &&
		sys_want EPERM unlink "$1/alias" && [ -s "$1/alias" ] &&
		sys_want EPERM rmdir "$1/d1/d2" && [ -d "$1/d1/d2" ] &&
		sys_want EPERM symlink alias "$1/sym" && [ ! -e "$1/sym" ] &&
		sys_want ok unlink "$1/d1/d2/f" && [ ! -e "$1/d1/d2/f" ] &&
		sys_want ok unlink "$1/unmapped" && sys_want EBUSY rmdir "$1"
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
sys_is mount-unknown-option-einval EINVAL mount /dev/pmem0 $M foo=1
sys_is mount-dax-never-einval EINVAL mount /dev/pmem0 $M dax=never
sys_is mount-not-a-device-enotblk ENOTBLK mount /guest $M
result mount-not-a-device-logged dmesg_has 'is not a device'
result pmem-mount mount -t famfs -o mode=0750,dax=always /dev/pmem0 $M || finish
result statfs-magic [ "$(stat -f -c %t $M)" = 87b282fe ]
result show-mode grep -q " $M famfs .*mode=750" /proc/mounts
result root-mode [ "$(stat -c %a $M)" = 750 ]
sys_is pmem-second-mount-ebusy EBUSY mount /dev/pmem0 /mnt/b
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
	sys_is dax-device_dax-eopnotsupp EOPNOTSUPP mount /dev/dax0.0 $M
	result dax-device_dax-message dmesg_has 'bound to device_dax'
	result dax-bind-fsdev bind_fsdev dax0.0 || finish
	size=$(cat /sys/bus/dax/devices/dax0.0/size)
	result dax-mount mount -t famfs /dev/dax0.0 $M || finish
	result dax-size-logged dmesg_has "dax0.0: mounting, $((size >> 20)) MiB"
	sys_is dax-second-mount-ebusy EBUSY mount /dev/dax0.0 /mnt/b
	selftest dax-selftest $M $size
	pmd_check dax-pmd-faults $M 48M
	result dax-namespace-ops namespace_ops $M
	result dax-umount umount $M
	result dax-remount sh -c "mount -t famfs /dev/dax0.0 $M && umount $M"
else
	sys_is dax-refused-on-this-kernel-eopnotsupp EOPNOTSUPP mount /dev/dax0.0 $M
	result dax-refused-message dmesg_has 'no fs-dax support for dax character devices'
fi

sys_is rmmod ok rmmod famfs
result module-gone no_line '^famfs ' /proc/modules
finish
