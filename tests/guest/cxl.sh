#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Copyright (C) 2026 famfs contributors
# cxl.sh - famfs on emulated CXL type-3 memory, one host (runs as the guest's /test.sh).
#
# Booted by tests/vm/run-cxl.sh: boot.sh --cxl 2 (two type-3 devices, mem0 and mem1) with
# cxl_devs=2 on the kernel command line. Each memdev gets its own RAM region, dax device,
# devdax then famfs mode (lib.sh prepare_cxl); then
#   cxl0: the file-system cycle on the first device: mkfs, mount, creat, cp (file and tree),
#         write/read, mmap fill/check, fsck mounted, umount, remount and every file again,
#         umount, fsck of the device, and the device back in devdax mode (daxctl)
#   cxl1: a second famfs on the second device, mounted beside the first (each sees only its files)
# On a kernel without fsdev_dax (6.x) the file-system checks are a named SKIP; in a guest with no
# CXL memory (no cxl_devs=: run-guests.sh boots every tests/guest/*.sh on its nvdimm guests) the
# whole script is one named SKIP.
# cxl_break=region (run-cxl.sh --break region) creates no region, to see the checks fail.
# The least number of results: the nvdimm guest of run-guests.sh prints 1; a CXL guest on a
# fsdev_dax kernel many more (run-cxl.sh counts those):
# expect-results: 1
# expect-results-cxl: 60
. /guest/lib.sh

MNT=/mnt/famfs
MNT1=/mnt/famfs1
SRC=/tmp/src
NDEV=$(arg cxl_devs)
BREAK_WHAT=$(arg cxl_break)

if [ -z "$NDEV" ]; then
	report cxl SKIP "no CXL memory in this guest (no cxl_devs= on the command line): the CXL guests are tests/vm/run-cxl.sh's"
	finish
fi
mkdir -p "$MNT" "$MNT1"

make_sources() {
	mkdir -p "$SRC/tree/scripts" "$SRC/tree/data/deep"
	# 3 MiB + 123 bytes: crosses a 2 MiB allocation unit and ends mid-page
	dd if=/dev/urandom of="$SRC/one.bin" bs=1024 count=3072 2>/dev/null
	dd if=/dev/urandom bs=123 count=1 2>/dev/null >>"$SRC/one.bin"
	dd if=/dev/urandom of="$SRC/pattern" bs=65536 count=16 2>/dev/null
	cp /guest/* "$SRC/tree/scripts/"
	echo "hello cxl" >"$SRC/tree/data/hello.txt"
	seq 1 20000 >"$SRC/tree/data/deep/numbers.txt"
}

rw_write() { dd if="$SRC/pattern" of="$MNT/rw" bs=65536 seek=16 conv=notrunc 2>&1 && size_is "$MNT/rw" 8388608; }
rw_read() { dd if="$MNT/rw" bs=65536 skip=16 count=16 2>/dev/null | cmp - "$SRC/pattern"; }
# the famfs device's memory is the CXL window's: /proc/iomem lists the dax device inside it
in_cxl_window() { awk '/CXL Window/ { w = 1; next } /^[0-9a-f]/ { w = 0 } w && /'"$1"'/ { f = 1 } END { exit !f }' /proc/iomem; }
# the dax device in daxctl's MODE with the driver DRV
dax_mode_is() { "$CXL_DAXCTL" list -d "$1" | grep -q "\"mode\":\"$2\"" && [ "$(dax_driver "$1")" = "$3" ]; }

# verify_all P: every file of the cxl0 cycle, byte for byte
verify_all() {
	result "cxl0-$1-verify-big" "$FAMFS" verify -S 42 -f "$MNT/d1/big"
	result "cxl0-$1-verify-small" "$FAMFS" verify -S 7 -f "$MNT/d1/small"
	result "cxl0-$1-cp-file" cmp "$SRC/one.bin" "$MNT/one.bin"
	result "cxl0-$1-cp-tree" same_tree "$SRC/tree" "$MNT/tree"
	result "cxl0-$1-write-read" rw_read
	result "cxl0-$1-mmap-data" "$MMAPTEST" check "$MNT/mm" 9
}

# fs_cycle DAX: the file-system life cycle on the first device
fs_cycle() {
	local dev=/dev/$1
	result cxl0-in-cxl-window in_cxl_window "$1"
	result cxl0-mkfs "$MKFS" "$dev" || return
	result_rc cxl0-mkfs-refuses-existing 3 "$MKFS" "$dev"
	result cxl0-mount "$FAMFS" mount "$dev" "$MNT" || return
	result cxl0-in-proc-mounts is_mounted "$MNT"
	result cxl0-mkdir-p "$FAMFS" mkdir -p "$MNT/d1/d2" || { umount "$MNT"; return; }
	result cxl0-creat-64M "$FAMFS" creat -s 64M -S 42 "$MNT/d1/big" || { umount "$MNT"; return; }
	result cxl0-creat-size size_is "$MNT/d1/big" 67108864
	result cxl0-creat-odd-size "$FAMFS" creat -s 5000 -S 7 "$MNT/d1/small"
	result_rc cxl0-creat-exists-refused 3 "$FAMFS" creat -s 1M "$MNT/d1/big"
	result cxl0-verify "$FAMFS" verify -S 42 -f "$MNT/d1/big"
	result_rc cxl0-verify-wrong-seed 4 "$FAMFS" verify -S 43 -f "$MNT/d1/big"
	result cxl0-cp-file "$FAMFS" cp "$SRC/one.bin" "$MNT/one.bin"
	result cxl0-cp-tree "$FAMFS" cp -r "$SRC/tree" "$MNT/tree"
	result cxl0-creat-rw "$FAMFS" creat -s 8M "$MNT/rw"
	result cxl0-write rw_write
	result_errno cxl0-size-fixed EPERM truncate "$MNT/rw" 1048576
	result cxl0-creat-mm "$FAMFS" creat -s 6M "$MNT/mm"
	result cxl0-mmap-write "$MMAPTEST" fill "$MNT/mm" 9
	result cxl0-mmap-vs-read "$MMAPTEST" cmp "$MNT/d1/big"
	result cxl0-fsck-mounted expect 0 "^  this host +master\$" "^no errors\$" -- "$FAMFS" fsck "$MNT"
	verify_all live
	result cxl0-umount umount "$MNT" || return
	result_rc cxl0-gone-after-umount 1 grep -q " $MNT famfs " /proc/mounts
	result cxl0-remount "$FAMFS" mount "$dev" "$MNT" || return
	verify_all remount
	result cxl0-umount-final umount "$MNT"
	result cxl0-fsck-device expect 0 "^superblock: version [0-9]+, OMF [0-9.]+, CRC ok\$" "^no errors\$" -- "$FAMFS" fsck "$dev"
}

# second_fs DAX: a famfs on the second device, mounted while the first one is mounted too
second_fs() {
	local dev=/dev/$1
	result cxl1-mkfs "$MKFS" "$dev" || return
	result cxl0-mount-again "$FAMFS" mount "/dev/$CXL0_DAX" "$MNT" || return
	result cxl1-mount "$FAMFS" mount "$dev" "$MNT1" || { umount "$MNT"; return; }
	result cxl1-both-mounted sh -c "grep -q ' $MNT famfs ' /proc/mounts && grep -q ' $MNT1 famfs ' /proc/mounts"
	result cxl1-creat "$FAMFS" creat -s 10M -S 99 "$MNT1/other"
	result cxl1-verify "$FAMFS" verify -S 99 -f "$MNT1/other"
	result cxl1-separate sh -c "test ! -e '$MNT/other' && test ! -e '$MNT1/d1/big' && test -f '$MNT/d1/big'"
	result cxl1-umount umount "$MNT1"
	result cxl0-umount-again umount "$MNT"
	result cxl1-fsck-device expect 0 "^no errors\$" -- "$FAMFS" fsck "$dev"
}

say "cxl on $(uname -r), $NDEV type-3 device(s)"
result cxl-modules load_cxl_modules "$NDEV" || finish
result famfs-insmod load_famfs
have "$FAMFS" && have "$MKFS" && have "$CXL" && have "$CXL_DAXCTL" || finish
if ! has_fsdev_dax; then
	report cxl-fs-checks SKIP "no fsdev_dax on $(uname -r): famfs on a CXL dax device needs it"
	finish
fi
make_sources

CXL0_DAX='' CXL1_DAX=''
if [ "$BREAK_WHAT" = region ]; then
	# no region: the file-system checks run on a dax device that is not there, and must fail
	say "cxl_break=region: no region created, the checks go on with /dev/dax0.0 anyway"
	report cxl-break-region SKIP "cxl_break=region: the regions are not created"
	CXL0_DAX=dax0.0
else
	if prepare_cxl mem0 cxl0; then CXL0_DAX=$CXL_DAX; fi
	if [ "$NDEV" -ge 2 ] && prepare_cxl mem1 cxl1; then CXL1_DAX=$CXL_DAX; fi
fi

if [ -n "$CXL0_DAX" ]; then
	fs_cycle "$CXL0_DAX"
	[ -z "$CXL1_DAX" ] || second_fs "$CXL1_DAX"
	# the device is the admin's again: devdax mode, device_dax driver
	result cxl0-back-to-devdax expect 0 "\"chardev\":\"$CXL0_DAX\"" '"mode":"devdax"' -- \
		"$CXL_DAXCTL" reconfigure-device --mode=devdax "$CXL0_DAX"
	result cxl0-devdax-mode dax_mode_is "$CXL0_DAX" devdax device_dax
fi
if [ -n "$CXL1_DAX" ]; then
	result cxl1-back-to-devdax expect 0 "\"chardev\":\"$CXL1_DAX\"" '"mode":"devdax"' -- \
		"$CXL_DAXCTL" reconfigure-device --mode=devdax "$CXL1_DAX"
	result cxl1-devdax-mode dax_mode_is "$CXL1_DAX" devdax device_dax
fi
[ "$NDEV" -ge 2 ] || report cxl1 SKIP "one type-3 device (cxl_devs=$NDEV)"
result cxl-still-not-system-ram cxl_not_system_ram "${CXL0_DAX:-dax0.0}"
result_errno famfs-rmmod ok rmmod famfs
finish
