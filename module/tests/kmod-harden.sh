#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 famfs contributors
# kmod-harden.sh - guest script (busybox sh): famfs.ko hardening checks, driven by
# module/tests/run-kmod-harden.sh. One boot per kernel:
#   badinput     every bad ioctl/mount input as root and as uid 65534 (+ user namespace,
#                without CAP_SYS_RAWIO), exact errno (famfs_ioctl_test badinput)
#   device       the device is told by its inode type (odd node names), one mount per device,
#                remount mode=, rmmod with a mount fails, a second "famfs" fs type is refused
#   faults       famfs:famfs_fault tracepoint: a 64 MiB 2 MiB-aligned file, every byte written
#                and read: exactly 32 order-9 faults, 0 order-0
#   leaks        famfs_fmap slab objects across refused unlinks and a mount/create/umount loop
#   nspolicy     namespace operations the log cannot record (unlink of a mapped file, rmdir,
#                rename, link, symlink, mknod, truncate) fail with EPERM and change nothing;
#                umount still tears the pinned tree down (famfs_ioctl_test nspolicy)
#   blocks       st_blocks of a mapped file is the memory it holds (64 MiB: 131072)
#   interleave   multi-extent interleaved maps: read/write and mmap agree on every byte, and
#                after a remount every strip holds the chunks the formula puts there
#   holder       two partitions of pmem0: famfs on one is the dax holder, the other is EBUSY
#   loss         a process holds a touched mapping while the device goes away (pmem:
#                ndctl disable-namespace, then the nd_pmem unbind; 7.x: the fsdev_dax unbind):
#                SIGBUS on its next access, EIO on read/write/mmap, umount works, no splat
#   poison       MADV_HWPOISON on two files: they fail (EIO/SIGBUS), every event is logged,
#                others work
#   selftest     the ioctl, data-path and interleave self-tests (famfs_ioctl_test selftest)
#   fsdev (7.x)  the same on /dev/dax0.0 bound to fsdev_dax, fsdev_dax pinned while mounted;
#                on 6.x a named SKIP
# Every refusal is checked by its exact errno (famfs_ioctl_test sys: the system call itself,
# since busybox prints only strerror text) or exact exit status.
# and, when /opt/famfs/kmod-fuzz.sh is in the initramfs, the fuzzer (kmod-fuzz.sh) on each device.
# The least number of results on any kernel (6.x: no fsdev phase; tests/vm/guest-result.sh fails
# the guest below it):
# expect-results: 87
. /guest/lib.sh

T=/usr/local/bin/famfs_ioctl_test
M=/mnt/famfs
TR=/sys/kernel/tracing
mkdir -p $M /mnt/b /mnt/x
# the initramfs root may come out 0700: uid 65534 must be able to reach /mnt/famfs
chmod 755 / /mnt

dmesg_has() { dmesg | tail -n "${2:-30}" | grep -q "$1"; }

# breakchecks=1 on the kernel cmdline (run-kmod-harden.sh: FAMFS_BREAK_CHECKS=1): every
# exact-errno, exact-status and no-such-line check expects something wrong on purpose, so each
# of them must FAIL (and the fuzzer's model forgets the overlap rule: violations) - a check
# that still passes cannot fail
BREAK=$(arg breakchecks)
# the exact replies of the data-path checks
if [ "$BREAK" = 1 ]; then
	MMAP_EIO='mmap EPERM' PREAD_EIO='^pread -1 errno 1 ' PWRITE_EIO='^pwrite -1 errno 1 '
else
	MMAP_EIO='mmap EIO' PREAD_EIO='^pread -1 errno 5 ' PWRITE_EIO='^pwrite -1 errno 5 '
fi

# all_eperm OP FILE...: `famfs_ioctl_test sys OP FILE` is EPERM for every FILE (prints the others)
all_eperm() {
	local op=$1 f got bad=0 n=0
	shift
	for f in "$@"; do
		got=$($T sys "$op" "$f" 2>&1)
		n=$((n + 1))
		[ "$got" = EPERM ] || { echo "$op $f: $got"; bad=$((bad + 1)); }
	done
	[ "$BREAK" != 1 ] || bad=$((n - bad))
	echo "$n files, $bad not as expected"
	[ "$n" -gt 0 ] && [ "$bad" = 0 ]
}

# no_line REGEX FILE: FILE has lines, none matching REGEX (grep's exit status exactly 1)
no_line() {
	local rc=0 re=$1
	[ "$BREAK" = 1 ] && re=.
	cat "$2" >/tmp/no_line.txt || return 1
	[ -s /tmp/no_line.txt ] || { echo "$2 is empty"; return 1; }
	grep -q "$re" /tmp/no_line.txt || rc=$?
	[ "$rc" = 1 ] || { grep "$re" /tmp/no_line.txt | head -n 5; return 1; }
}

# fmap_objs: extent maps in memory (module counter; famfs_fmap slab objects are not exact)
fmap_objs() { cat /sys/module/famfs/parameters/live_maps; }

# objs_are N: the number of maps is N (prints it otherwise, with the slab line)
objs_are() {
	local n
	n=$(fmap_objs)
	[ "$n" = "$1" ] || {
		echo "live maps: $n, want $1"
		grep famfs_fmap /proc/slabinfo
		return 1
	}
}

# badinput NAME DIR DEVSIZE DEV
badinput() {
	local rc=0
	$T badinput "$2" "$3" "$4" /mnt/x >/tmp/bad.out 2>&1 || rc=$?
	grep -v '^ok ' /tmp/bad.out | sed "s/^/  [$1] /"
	# a check that could not run is a named SKIP, not a pass
	grep '^skip ' /tmp/bad.out >/tmp/bad.skip
	while read -r _ n reason; do
		report "$1-$n" SKIP "$reason"
	done </tmp/bad.skip
	if [ "$rc" -eq 0 ]; then
		report "$1" PASS "$(grep -c '^ok root-' /tmp/bad.out) root + $(grep -c '^ok unpriv-' /tmp/bad.out) unprivileged checks"
	else
		report "$1" FAIL "$(grep -c '^FAIL' /tmp/bad.out) failed checks"
	fi
}

# fault_count NAME DIR OFFSET: 64 MiB file at OFFSET: 32 PMD faults, no PTE fault
fault_count() {
	local ev=$TR/events/famfs/famfs_fault pmd pte bad
	[ -d $TR/events ] || mount -t tracefs nodev $TR 2>/dev/null
	if [ ! -d $ev ]; then
		report "$1" FAIL "no famfs:famfs_fault tracepoint"
		return
	fi
	touch "$2/faultfile" && $T map "$2/faultfile" "$3" 64M 64M || {
		report "$1" FAIL "cannot map $2/faultfile"
		return
	}
	echo 0 >$TR/tracing_on
	echo >$TR/trace
	echo 1 >$ev/enable
	echo 1 >$TR/tracing_on
	$T faultcount "$2/faultfile" >/tmp/fc.out 2>&1 || {
		cat /tmp/fc.out
		report "$1" FAIL "faultcount failed"
	}
	echo 0 >$TR/tracing_on
	echo 0 >$ev/enable
	grep famfs_fault $TR/trace >/tmp/fc.trace
	sed 's/^ */  trace: /' /tmp/fc.trace | head -n 3
	# a first fault may try a PUD (order 18) and fall back (0x800): the DAX core has no
	# PUD support for famfs' 2 MiB extents; every PMD fault must map (NOPAGE, 0x100)
	pmd=$(grep -c ' order 9 .* result 0x100$' /tmp/fc.trace)
	pmdbad=$(grep ' order 9 ' /tmp/fc.trace | grep -vc 'result 0x100$')
	pte=$(grep -c ' order 0 ' /tmp/fc.trace)
	pud=$(grep -c ' order 18 .* result 0x800$' /tmp/fc.trace)
	bad=$(grep -v ' order 9 \| order 0 ' /tmp/fc.trace | grep -vc ' order 18 .* result 0x800$')
	if [ "$pmd" -eq 32 ] && [ "$pmdbad" -eq 0 ] && [ "$pte" -eq 0 ] && [ "$bad" -eq 0 ]; then
		report "$1" PASS "32 PMD faults (NOPAGE), 0 PTE faults, $pud PUD fallback(s) ($(cat /tmp/fc.out))"
	else
		report "$1" FAIL "$pmd PMD faults NOPAGE, $pmdbad PMD not NOPAGE, $pte PTE faults, $bad other"
	fi
	# a mapped file cannot be unlinked: it stays until umount
	sys_is "$1-unlink-eperm" EPERM unlink "$2/faultfile"
	result "$1-unlink-eperm-kept" test -s "$2/faultfile"
}

# leak_checks NAME DEV: per-file maps are freed by umount (a mapped file cannot be unlinked)
leak_checks() {
	local i base
	base=$(fmap_objs)
	result "$1-slab-cache" grep -q '^famfs_fmap ' /proc/slabinfo
	result "$1-live-maps" [ -n "$base" ] || return
	mkdir $M/leak
	result "$1-create-100-maps" $T mapmany $M/leak 100
	result "$1-100-maps-counted" objs_are $((base + 100))
	touch $M/leak/u1 $M/leak/u2
	result "$1-unmapped-has-no-map" objs_are $((base + 100))
	# only unmapped files may be unlinked; the maps stay until umount
	result "$1-unlink-unmapped" rm $M/leak/u1 $M/leak/u2
	result "$1-unlink-mapped-eperm" all_eperm unlink $M/leak/m00*
	sys_is "$1-rmdir-eperm" EPERM rmdir $M/leak
	result "$1-unlink-refused-keeps-maps" objs_are $((base + 100))
	umount $M
	result "$1-umount-frees" objs_are 0
	i=0
	while [ $i -lt 20 ]; do
		mount -t famfs "$2" $M && mkdir $M/d && $T mapmany $M/d 25 >/dev/null &&
			$T mapmany $M 25 1G >/dev/null && umount $M || break
		i=$((i + 1))
	done
	result "$1-mount-loop-20x50" [ $i = 20 ]
	result "$1-mount-loop-frees" objs_are 0
}

# report_checks NAME OUT RC: one result for a famfs_ioctl_test run that printed "ok ..." and
# "FAIL ..." lines to OUT and exited RC; the lines other than "ok" go to the log
report_checks() {
	grep -v '^ok ' "$2" | head -n 20 | sed "s/^/  [$1] /"
	if [ "$3" -eq 0 ]; then
		report "$1" PASS "$(grep -c '^ok ' "$2") checks"
	else
		report "$1" FAIL "exit $3, $(grep -c '^FAIL' "$2") failed checks"
	fi
}

# mounted_test NAME DEV CMD ARG: famfs_ioctl_test CMD on a fresh mount of DEV, which must end with
# "CMD: 0 failure(s)" (exit 101 if it does not), then umount frees every map. DEV is not mounted
# before or after. CMD nspolicy: every namespace operation the log cannot record fails with EPERM
# and changes nothing (exact errno, names, size, bytes; ARG is the file size); CMD selftest: the
# ioctl, data-path and interleave self-tests (ARG is the device size).
mounted_test() {
	local rc=0
	mount -t famfs "$2" $M || {
		report "$1" FAIL "cannot mount $2"
		return
	}
	$T "$3" $M "$4" >/tmp/"$3".out 2>&1 || rc=$?
	grep -qx "$3: 0 failure(s)" /tmp/"$3".out || [ "$rc" -ne 0 ] || rc=101
	report_checks "$1" /tmp/"$3".out "$rc"
	result "$1-umount" umount $M
	result "$1-umount-frees" objs_are 0
}

# poison_test NAME: file "victim" gets a poisoned page at 2 MiB; "bystander" does not
# share memory with it
poison_test() {
	touch $M/victim $M/bystander $M/victim2
	result "$1-map" sh -c "$T map $M/victim 48M 4M 4M && $T map $M/bystander 64M 2M 2M && $T map $M/victim2 80M 2M 2M" || return
	rm -f /tmp/go /tmp/go.mapped
	$T holdread $M/victim 0 /tmp/go &
	hpid=$!
	result "$1-holder-mapped" wait_for 30 test -e /tmp/go.mapped || return
	result "$1-madvise" $T poison $M/victim 2M || return
	result "$1-logged" dmesg_has "$2: memory failure at offset 0x3200000"
	result "$1-second-file-poisoned" $T poison $M/victim2 0
	result "$1-second-event-logged" dmesg_has "$2: memory failure at offset 0x5000000"
	result "$1-every-event-logged" [ "$(dmesg | grep -c 'memory failure at offset')" = 2 ]
	result "$1-read-eio" sh -c "$T pread $M/victim 0 | tee /dev/stderr | grep -q '$PREAD_EIO'"
	result "$1-new-mmap-eio" sh -c "$T mmapread $M/victim 0 | tee /dev/stderr | grep -qx '$MMAP_EIO'"
	touch /tmp/go
	hrc=0
	wait $hpid || hrc=$?
	result "$1-old-mapping-sigbus" [ "$hrc" = 135 ]
	result "$1-bystander-ok" sh -c "$T pread $M/bystander 0 | grep -q 'pread 4096 '"
	result "$1-bystander-mmap-ok" sh -c "$T mmapread $M/bystander 0 | grep -q '^ok'"
}

# blocks_check NAME DIR OFFSET: st_blocks counts the memory a file holds, not the pages faulted in
blocks_check() {
	touch "$2/blocksfile" "$2/blocks-unmapped"
	result "$1-map" $T map "$2/blocksfile" "$3" 64M 64M || return
	result "$1-fresh-64m" [ "$(stat -c '%b %B' "$2/blocksfile")" = "131072 512" ]
	result "$1-after-faults" sh -c "$T faultcount $2/blocksfile && [ \$(stat -c %b $2/blocksfile) = 131072 ]"
	result "$1-unmapped-0" [ "$(stat -c %b "$2/blocks-unmapped")" = 0 ]
}

# interleave_check NAME DEV SIZE: multi-extent interleaved maps, read/write and mmap agree on
# every byte (famfs_ioctl_test interleave); after a remount every strip holds the chunks the
# interleave formula puts there (ilayout). DEV is not mounted before or after.
interleave_check() {
	local rc=0
	mount -t famfs "$2" $M || {
		report "$1" FAIL "cannot mount $2"
		return
	}
	$T interleave $M "$3" >/tmp/ilv.out 2>&1 || rc=$?
	umount $M || rc=100
	if [ "$rc" -eq 0 ]; then
		if mount -t famfs "$2" $M; then
			$T ilayout $M "$3" >>/tmp/ilv.out 2>&1 || rc=$?
			umount $M || rc=100
		else
			rc=100
		fi
	fi
	report_checks "$1" /tmp/ilv.out "$rc"
}

# mbr_entry START SIZE: a 16-byte MBR partition entry (type 0x83), sectors little endian
mbr_entry() {
	local v b i out='\000\000\000\000\203\000\000\000'
	for v in "$1" "$2"; do
		i=0
		while [ $i -lt 4 ]; do
			b=$(((v >> (8 * i)) & 255))
			out="$out\\$(printf '%03o' $b)"
			i=$((i + 1))
		done
	done
	printf "$out"
}

# holder_conflict NAME: two partitions of pmem0 share its dax device; famfs on p1 is its holder,
# so mounting p2 is EBUSY with a message; after p1's umount p2 mounts (the claim was released)
holder_conflict() {
	dd if=/dev/zero of=/dev/pmem0 bs=512 count=1 2>/dev/null
	{ mbr_entry 4096 524288; mbr_entry 528384 524288; } |
		dd of=/dev/pmem0 bs=1 seek=446 conv=notrunc 2>/dev/null
	printf '\125\252' | dd of=/dev/pmem0 bs=1 seek=510 conv=notrunc 2>/dev/null
	blockdev --rereadpt /dev/pmem0
	result "$1-partitions" wait_for 10 test -b /dev/pmem0p2 || return
	result "$1-mount-p1" mount -t famfs /dev/pmem0p1 $M || return
	sys_is "$1-p2-ebusy" EBUSY mount /dev/pmem0p2 /mnt/b
	result "$1-p2-logged" dmesg_has 'pmem0p2: its dax device is in use by another holder' 5
	result "$1-umount-p1" umount $M
	result "$1-p2-mounts-after" sh -c "mount -t famfs /dev/pmem0p2 /mnt/b && umount /mnt/b"
	dd if=/dev/zero of=/dev/pmem0 bs=512 count=1 2>/dev/null
	blockdev --rereadpt /dev/pmem0
	result "$1-partitions-gone" wait_for 10 sh -c "! test -e /dev/pmem0p1"
}

# loss_after NAME DEV HPID: the checks after the device DEV is gone while process HPID holds a
# touched mapping of $M/f (famfs_ioctl_test holdtouch, flag /tmp/loss)
loss_after() {
	local hrc=0
	result "$1-logged" dmesg_has "$2: device failed or removed"
	result "$1-read-eio" sh -c "$T pread $M/f 0 | tee /dev/stderr | grep -q '$PREAD_EIO'"
	result "$1-write-eio" sh -c "$T pwrite $M/f 0 | tee /dev/stderr | grep -q '$PWRITE_EIO'"
	result "$1-mmap-eio" sh -c "$T mmapread $M/f 0 | tee /dev/stderr | grep -qx '$MMAP_EIO'"
	touch /tmp/loss
	wait "$3" || hrc=$?
	# 128 + SIGBUS (7)
	result "$1-touched-mapping-sigbus" [ "$hrc" = 135 ]
	result "$1-umount" umount $M
	result "$1-objs-zero" objs_are 0
}

# pmem_loss NAME: a process holds a touched mapping while the pmem namespace goes away.
# `ndctl disable-namespace` first (refused while mounted on the tested kernels; the outcome is
# reported), then the unbind of pmem0's device from nd_pmem, which the driver core cannot refuse.
pmem_loss() {
	local hpid nd rc=0 upid
	result "$1-mount" mount -t famfs /dev/pmem0 $M || return
	touch $M/f
	result "$1-map" $T map $M/f 96M 8M 8M || return
	rm -f /tmp/loss /tmp/loss.mapped
	$T holdtouch $M/f /tmp/loss &
	hpid=$!
	result "$1-holder-touched" wait_for 30 test -e /tmp/loss.mapped || return
	"$NDCTL" disable-namespace namespace0.0 >/tmp/ndctl.out 2>&1 || rc=$?
	if [ "$rc" -ne 0 ]; then
		# refused: exactly ndctl's "disabled 0 namespaces" (exit 240 = -16 EBUSY), nothing else
		if [ "$rc" = "$([ "$BREAK" = 1 ] && echo 241 || echo 240)" ] &&
			grep -q '^disabled 0 namespaces' /tmp/ndctl.out; then
			report "$1-ndctl-disable" PASS "refused while mounted, exit $rc: $(grep -v '^$' /tmp/ndctl.out | tail -n 1 | cut -c1-100)"
		else
			report "$1-ndctl-disable" FAIL "exit $rc, want 240 and 'disabled 0 namespaces': $(grep -v '^$' /tmp/ndctl.out | tail -n 1 | cut -c1-100)"
		fi
		result "$1-ndctl-refused-still-readable" sh -c "$T pread $M/f 0 | grep -q 'pread 4096 '"
		nd=$(basename "$(readlink -f /sys/block/pmem0/device)")
		(echo "$nd" >/sys/bus/nd/drivers/nd_pmem/unbind) >/tmp/unbind.out 2>&1 &
		upid=$!
		result "$1-unbind-$nd-returns" wait_for 60 sh -c "! kill -0 $upid" || return
	else
		report "$1-ndctl-disable" PASS "accepted while mounted: device loss"
	fi
	loss_after "$1" pmem0 "$hpid"
	result "$1-prepare-again" prepare_pmem
}

# the debug kernel (debugkernel=1: run-kmod-harden.sh on a *-famfs-debug krel) is only worth its
# cost with KASAN up from boot
[ "$(arg debugkernel)" != 1 ] ||
	result debug-kasan-on sh -c "dmesg | grep -q 'KernelAddressSanitizer initialized'"
load_dax_modules || report dax-modules FAIL "no namespace0.0"
result insmod load_famfs || finish

# --- pmem (fsdax), every kernel ---
result pmem-prepare prepare_pmem || finish
size=$(($(cat /sys/block/pmem0/size) * 512))
result pmem-mount mount -t famfs /dev/pmem0 $M || finish
badinput pmem-badinput $M $size /dev/pmem0

# the device type comes from the inode: any node name works, a regular file never does
pm=$(stat -c '%t %T' /dev/pmem0)
mknod /tmp/not-a-pmem-name b $((0x${pm% *})) $((0x${pm#* }))
ln -s /dev/pmem0 /tmp/pmem-link
sys_is dev-node-alias-ebusy EBUSY mount /tmp/not-a-pmem-name /mnt/b
sys_is dev-symlink-ebusy EBUSY mount /tmp/pmem-link /mnt/b
# (a regular file as the source: badinput's mount-regular-file; busybox mount would loop it)

result remount-mode sh -c "mount -o remount,mode=0711 $M && [ \$(stat -c %a $M) = 711 ] && grep -q ' $M famfs .*mode=711' /proc/mounts"
sys_is remount-bad-option-einval EINVAL remount $M bogus=1
sys_is remount-dax-never-einval EINVAL remount $M dax=never
result remount-mode-kept [ "$(stat -c %a $M)" = 711 ]

# a module in use: delete_module(2) is EWOULDBLOCK (EAGAIN), with or without O_NONBLOCK
sys_is rmmod-while-mounted-ewouldblock EAGAIN rmmod famfs
result rmmod-while-mounted-still-loaded grep -q '^famfs ' /proc/modules
# famfx.ko: famfs.ko renamed by run-kmod-harden.sh (module name famfx, same "famfs" fs type)
dup_not_loaded() {
	grep -q 'name=famfx' /opt/famfs/famfx.ko || { echo "famfx.ko is not named famfx"; return 1; }
	grep -q '^famfs ' /proc/modules || { echo "no famfs line in /proc/modules"; return 1; }
	no_line '^famfx ' /proc/modules
}
sys_is second-famfs-type-ebusy EBUSY insmod /opt/famfs/famfx.ko
result second-famfs-type-logged dmesg_has 'a file system type "famfs" is already registered' 5
result second-famfs-type-not-loaded dup_not_loaded

fault_count pmem-fault-count $M 128M
blocks_check pmem-blocks $M 256M
leak_checks pmem-leak /dev/pmem0	# leaves pmem0 unmounted
mounted_test pmem-nspolicy /dev/pmem0 nspolicy 32M
mounted_test pmem-selftest /dev/pmem0 selftest "$size"

# the fuzzer (pmem), when it is in the initramfs
if [ -f /opt/famfs/kmod-fuzz.sh ]; then
	FUZZ_INLINE=1 FUZZ_PHASE=pmem
	. /opt/famfs/kmod-fuzz.sh
fi

# pmem0 is not mounted here
interleave_check pmem-interleave /dev/pmem0 "$size"
holder_conflict pmem-holder
pmem_loss pmem-loss

# --- character dax device on fsdev_dax (7.x) ---
if has_fsdev_dax; then
	result devdax-prepare prepare_dax || finish
	dsize=$(cat /sys/bus/dax/devices/dax0.0/size)
	dx=$(stat -c '%t %T' /dev/dax0.0)
	mknod /tmp/not-a-dax-name c $((0x${dx% *})) $((0x${dx#* }))
	result dax-mount-by-alias mount -t famfs /tmp/not-a-dax-name $M || finish
	result dax-mount-by-alias-logged dmesg_has 'dax0.0: mounting' 3
	sys_is dax-second-mount-ebusy EBUSY mount /dev/dax0.0 /mnt/b
	badinput dax-badinput $M "$dsize" /dev/dax0.0
	fault_count dax-fault-count $M 256M
	blocks_check dax-blocks $M 384M
	sys_is dax-rmmod-fsdev_dax-while-mounted-ewouldblock EAGAIN rmmod fsdev_dax
	result dax-fsdev_dax-still-loaded grep -q '^fsdev_dax ' /proc/modules
	result dax-umount umount $M
	mounted_test dax-nspolicy /dev/dax0.0 nspolicy 32M
	i=0
	while [ $i -lt 5 ]; do
		mount -t famfs /dev/dax0.0 $M && $T mapmany $M 40 >/dev/null && umount $M || break
		i=$((i + 1))
	done
	result dax-mount-loop-5x40 [ $i = 5 ]
	result dax-mount-loop-frees objs_are 0
	interleave_check dax-interleave /dev/dax0.0 "$dsize"

	if [ -f /opt/famfs/kmod-fuzz.sh ]; then
		FUZZ_INLINE=1 FUZZ_PHASE=dax
		. /opt/famfs/kmod-fuzz.sh
	fi

	# sysfs unbind cannot be refused by a holder: it is device loss for the mount
	# ... and a process holding a touched (PMD-mapped) file faults with SIGBUS after it
	result dax-mount mount -t famfs /dev/dax0.0 $M || finish
	touch $M/f $M/g
	result dax-map $T map $M/f 96M 8M 8M
	rm -f /tmp/loss /tmp/loss.mapped
	$T holdtouch $M/f /tmp/loss &
	hpid=$!
	result dax-unbind-holder-touched wait_for 30 test -e /tmp/loss.mapped
	(echo dax0.0 >/sys/bus/dax/drivers/fsdev_dax/unbind) >/tmp/unbind.out 2>&1 &
	upid=$!
	if wait_for 30 sh -c "! kill -0 $upid"; then
		sys_is dax-unbind-map-eio EIO map $M/g 98M 2M 2M
		loss_after dax-unbind dax0.0 "$hpid"
	else
		report dax-unbind FAIL "unbind hangs while mounted"
		result dax-umount-after-unbind umount $M
	fi
	result pmem-prepare-again prepare_pmem || finish
else
	# nothing ran, so nothing is reported as passed: a named SKIP with its reason
	report fsdev-phase SKIP "no fsdev_dax driver on $(uname -r): character dax devices cannot be mounted (checked by kmod-smoke.sh and famfs-kernel.sh)"
fi

# --- memory failure, last: the poisoned page stays poisoned for the rest of the boot ---
pm=$(stat -c '%t %T' /dev/pmem0)
mknod /tmp/not-a-pmem-name2 b $((0x${pm% *})) $((0x${pm#* }))
result pmem-mount-by-alias mount -t famfs /tmp/not-a-pmem-name2 $M || finish
result pmem-mount-by-alias-logged dmesg_has 'pmem0: mounting' 3
poison_test pmem-poison pmem0
result pmem-umount umount $M
result pmem-objs-zero objs_are 0

sys_is rmmod ok rmmod famfs
result module-gone no_line '^famfs ' /proc/modules
dmesg >/tmp/dmesg.all
result no-objects-remaining no_line 'Objects remaining' /tmp/dmesg.all
# the debug kernel reports locking bugs only while lockdep is on: it switches itself off for good
# after its first report, so every later bug would go unseen
[ "$(arg debugkernel)" != 1 ] ||
	result debug-lockdep-still-on grep -q '^ *debug_locks: *1$' /proc/lockdep_stats
finish
