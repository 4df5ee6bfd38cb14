#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# kmod-failure.sh - guest script: famfs.ko's reaction to memory failure (MADV_HWPOISON on a
# mapped page) and, on kernels with fsdev_dax, to unbinding the device while mounted.
. /guest/lib.sh

T=/usr/local/bin/famfs_ioctl_test
M=/mnt/famfs
mkdir -p $M

dmesg_has() { dmesg | tail -n 30 | grep -q "$1"; }

# poison_test NAME: file "victim" (48M, 4 MiB) gets a poisoned page at 2 MiB; "bystander"
# (64M) does not share memory with it
poison_test() {
	touch $M/victim $M/bystander
	result "$1-map" sh -c "$T map $M/victim 48M 4M 4M && $T map $M/bystander 64M 2M 2M" || return
	rm -f /tmp/go
	$T holdread $M/victim 0 /tmp/go &
	hpid=$!
	sleep 1
	result "$1-madvise" $T poison $M/victim 2M || return
	result "$1-logged" dmesg_has 'memory failure at offset 0x3200000'
	result "$1-read-eio" sh -c "$T pread $M/victim 0 | grep -q 'errno 5 '"
	result "$1-new-mmap-eio" sh -c "$T mmapread $M/victim 0 | grep -q 'mmap failed'"
	touch /tmp/go
	hrc=0
	wait $hpid || hrc=$?
	result "$1-old-mapping-sigbus" [ "$hrc" = 135 ]
	result "$1-bystander-ok" sh -c "$T pread $M/bystander 0 | grep -q 'pread 4096 '"
}

load_dax_modules || report dax-modules FAIL "no namespace0.0"
result insmod load_famfs || finish
result pmem-prepare prepare_pmem || finish
result pmem-mount mount -t famfs /dev/pmem0 $M || finish
poison_test pmem-poison
result pmem-umount umount $M

if has_fsdev_dax; then
	result devdax-prepare prepare_dax || finish
	result dax-mount mount -t famfs /dev/dax0.0 $M || finish
	touch $M/f
	result dax-map $T map $M/f 96M 2M 2M
	# unbind while mounted: refused, or the mount must fail cleanly
	(echo dax0.0 >/sys/bus/dax/drivers/fsdev_dax/unbind) >/tmp/unbind.out 2>&1 &
	upid=$!
	if wait_for 30 sh -c "! kill -0 $upid"; then
		wait $upid && unbound=yes || unbound=no
		echo "unbind: $unbound $(cat /tmp/unbind.out)"
		if [ $unbound = yes ]; then
			result dax-unbind-logged dmesg_has 'device failed or removed'
			result dax-unbind-read-eio sh -c "$T pread $M/f 0 | grep -q 'errno 5 '"
		else
			report dax-unbind-refused PASS "$(cat /tmp/unbind.out)"
		fi
	else
		report dax-unbind FAIL "unbind hangs while mounted"
	fi
	result dax-umount umount $M
fi
result rmmod rmmod famfs
finish
