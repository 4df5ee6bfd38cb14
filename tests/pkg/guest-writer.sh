#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Copyright (C) 2026 famfs contributors
# guest-writer.sh - the master host for tests/pkg/guest-systemd.sh (runs as
# the busybox guest's /test.sh, tests/vm/mkinitrd.sh).
#   phase=1  make namespace0.0 fsdax (/dev/pmem0) or, with dev=dax, devdax
#            (/dev/dax0.0, bound to fsdev_dax here; the namespace's info block
#            in the shared memory makes it /dev/dax0.0 on device_dax in the
#            systemd guest), or with dev=cxl (boot.sh --cxl 1) commit a RAM
#            region on mem0 (cxl create-region) and bind its dax0.0 to
#            fsdev_dax, then mkfs.famfs, create a directory and two files,
#            print "SHA256 <sum> <path>" for each, unmount
#   phase=2  (while the systemd guest has the file system mounted) mount,
#            create one more file, unmount: the client's timer must find it
. /guest/lib.sh

MNT=/mnt/famfs
PHASE=$(arg phase)
KIND=$(arg dev)
DEV=/dev/pmem0
[ "$KIND" = pmem ] || DEV=/dev/dax0.0
# The master is the host whose system UUID mkfs recorded; this initramfs
# forgets everything between boots, so both phases use the same one.
mkdir -p /opt/famfs && echo 8e1f0a52-6f0c-4f3e-9d55-2b7c1a9e4d10 >/opt/famfs/system_uuid

[ "$KIND" = cxl ] || result "W$PHASE-dax-stack" load_dax_modules || finish
if [ "$KIND" = cxl ]; then
	# a new boot: the region again on every phase (qemu commits no decoder at boot)
	result "W$PHASE-cxl-stack" load_cxl_modules 1 || finish
	prepare_cxl mem0 "W$PHASE" || finish
	[ "$CXL_DAX" = dax0.0 ] || { report "W$PHASE-dax0.0" FAIL "the region's dax device is $CXL_DAX"; finish; }
	result "W$PHASE-fsdev" bind_fsdev dax0.0 || finish
elif [ "$KIND" = dax ]; then
	if [ "$PHASE" = 1 ]; then
		result W1-devdax prepare_dax || finish
	else
		result W2-devdax wait_for 10 test -c "$DEV" || finish
	fi
	result "W$PHASE-fsdev" bind_fsdev dax0.0 || finish
else
	[ "$PHASE" != 1 ] || result W1-fsdax prepare_pmem || finish
	result "W$PHASE-pmem" wait_for 10 test -b "$DEV" || finish
fi
result "W$PHASE-insmod" load_famfs || finish
mkdir -p "$MNT"
if [ "$PHASE" = 1 ]; then
	result W1-mkfs "$MKFS" "$DEV" || finish
	result W1-mount "$FAMFS" mount "$DEV" "$MNT" || finish
	result W1-mkdir "$FAMFS" mkdir -p "$MNT/shared/dir"
	result W1-creat-a "$FAMFS" creat -s 3M -S 101 "$MNT/shared/a.bin"
	result W1-creat-b "$FAMFS" creat -s 5M -S 102 "$MNT/shared/dir/b.bin"
	(cd "$MNT" && sha256sum shared/a.bin shared/dir/b.bin) | sed 's/^/SHA256 /'
else
	result W2-mount "$FAMFS" mount "$DEV" "$MNT" || finish
	result W2-creat-late "$FAMFS" creat -s 2M -S 103 "$MNT/shared/late.bin"
	(cd "$MNT" && sha256sum shared/late.bin) | sed 's/^/SHA256 /'
fi
result "W$PHASE-umount" umount "$MNT"
finish
