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
#   ram:  system-ram mode, last (it loads kmem): the second device's region made again with kmem
#         loaded, so its dax device is kmem's with its memory online as system RAM (movable).
#         mkfs.famfs, famfs mount, mount.famfs -o daxmode=famfs and famfs fsck refuse it with exit
#         status 5 and the same three lines, and change nothing; famfs mount -K without daxctl in
#         $PATH exits 6 naming the package; mkfs.famfs -f -K offlines it (daxctl), makes the famfs and
#         leaves the device in devdax mode; back in system-ram mode, mount.famfs -o
#         daxmode=reconfigure mounts it (fsdev_dax, the record says kmem), a file is written and
#         verified, famfs umount gives it back in devdax mode and says so, famfs mount -M sees the
#         file again. Then system RAM once more, one block in ZONE_NORMAL with page tables pinned
#         in it (pinmem.c), the one daxctl visits last: famfs mount -K fails to offline it, exit 5,
#         famfs onlines again the blocks daxctl had offlined, the device exactly as it was.
# On a kernel without fsdev_dax (6.x) the file-system checks are a named SKIP; in a guest with no
# CXL memory (no cxl_devs=: run-guests.sh boots every tests/guest/*.sh on its nvdimm guests) the
# whole script is one named SKIP.
# cxl_break=region (run-cxl.sh --break region) creates no region, to see the checks fail.
# The least number of results: the nvdimm guest of run-guests.sh prints 1; a CXL guest on a
# fsdev_dax kernel many more (run-cxl.sh counts those):
# expect-results: 1
# expect-results-cxl: 90
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

# --- system-ram mode (kmem) -------------------------------------------------------------------
HELPER=/sbin/mount.famfs
PINMEM=/usr/local/bin/pinmem
RAM_DAX='' RAM_N=0 RAM_SZ='' D_RE=''

# re_of TEXT: an extended regex that matches exactly TEXT
re_of() { printf '%s' "$1" | sed 's/[][\.*^$(){}+?|]/\\&/g'; }

# ram_json DAX: daxctl's view of DAX, on one line without blanks
ram_json() { "$CXL_DAXCTL" list -d "$1" 2>&1 | tr -d ' \n'; }

# ram_is DAX DRIVER [ONLINE TOTAL [MOVABLE]]: DAX is bound to DRIVER; for kmem daxctl says
# system-ram, ONLINE of TOTAL memory blocks online, "movable":MOVABLE, and /dev/DAX cannot be opened
# (ENXIO); for device_dax it says devdax. Never a famfs record in /run/famfs, never mounted.
ram_is() {
	local d=$1 drv j
	drv=$(dax_driver "$d")
	j=$(ram_json "$d")
	echo "$d: driver '$drv'; daxctl: $j"
	[ "$drv" = "$2" ] || { echo "want driver $2"; return 1; }
	if [ "$2" = kmem ]; then
		echo "$j" | grep -q '"mode":"system-ram"' || { echo "daxctl does not say system-ram"; return 1; }
		echo "$j" | grep -q "\"online_memblocks\":$3," || { echo "want $3 memory blocks online"; return 1; }
		echo "$j" | grep -q "\"total_memblocks\":$4[,}]" || { echo "want $4 memory blocks"; return 1; }
		[ -z "$5" ] || echo "$j" | grep -q "\"movable\":$5" || { echo "want \"movable\":$5"; return 1; }
		[ "$("$NSOP" open "/dev/$d")" = ENXIO ] || { echo "open /dev/$d: $("$NSOP" open "/dev/$d"), want ENXIO"; return 1; }
	else
		echo "$j" | grep -q '"mode":"devdax"' || { echo "daxctl does not say devdax"; return 1; }
	fi
	[ ! -e "/run/famfs/$d.daxmode" ] || { echo "a famfs record: $(cat "/run/famfs/$d.daxmode")"; return 1; }
	! grep -q "^/dev/$d " /proc/mounts || { echo "/dev/$d is mounted"; return 1; }
}

# ram_zones NODE WANT: the zones of NODE's online memory blocks are WANT ("7 Movable, 1 Normal")
ram_zones() {
	local got
	got=$(for b in /sys/devices/system/node/node"$1"/memory[0-9]*; do
		[ "$(cat "$b/state")" = online ] && cut -d' ' -f1 "$b/valid_zones"
	done | sort | uniq -c | sort -rn | awk '{ printf "%s%s %s", (NR > 1 ? ", " : ""), $1, $2 }')
	echo "node $1: $got"
	[ "$got" = "$2" ]
}

# ram_region MEM REGION DAX: REGION (with dax device DAX) destroyed and MEM's region made again,
# now with kmem loaded and hot-added memory onlined movable: its dax device (RAM_DAX) lands on kmem,
# all of it online, as after a boot. (daxctl's new_id of DAX on device_dax, left by prepare_cxl,
# would match the new device first: removed, as a boot would)
ram_region() {
	local out=/tmp/ram-region.out r bs
	"$CXL" disable-region "$2" && "$CXL" destroy-region "$2" || return 1
	echo "$3" >/sys/bus/dax/drivers/device_dax/remove_id 2>/dev/null
	echo "$3" >/sys/bus/dax/drivers/fsdev_dax/remove_id 2>/dev/null
	echo online_movable >/sys/devices/system/memory/auto_online_blocks || return 1
	"$CXL" create-region -m -t ram -d decoder0.0 -w 1 "$1" >"$out" 2>&1 || { cat "$out"; return 1; }
	r=$(sed -n 's/.*"region":"\(region[0-9]*\)".*/\1/p' "$out" | head -n 1)
	wait_for 10 sh -c "ls -d /sys/bus/cxl/devices/$r/dax_region*/dax*.*" || { echo "no dax device in '$r'"; cat "$out"; return 1; }
	RAM_DAX=$(basename "$(ls -d /sys/bus/cxl/devices/"$r"/dax_region*/dax*.* | head -n 1)")
	wait_for 10 sh -c "readlink /sys/bus/dax/devices/$RAM_DAX/driver | grep -q '/kmem\$'" || { echo "$RAM_DAX: driver '$(dax_driver "$RAM_DAX")', not kmem"; return 1; }
	bs=$((0x$(cat /sys/devices/system/memory/block_size_bytes)))
	RAM_N=$(($(cat "/sys/bus/dax/devices/$RAM_DAX/size") / bs))
	RAM_SZ="$((RAM_N * bs / 1048576)) MiB"
	[ $((RAM_N * bs % 1073741824)) -ne 0 ] || RAM_SZ="$((RAM_N * bs / 1073741824)) GiB"
	D_RE=$(re_of "$RAM_DAX")
	echo "memmap_on_memory: $(cat /sys/module/memory_hotplug/parameters/memmap_on_memory 2>/dev/null), nodes: $(cat /sys/devices/system/node/online)"
	wait_for 10 ram_is "$RAM_DAX" kmem "$RAM_N" "$RAM_N" true
	ram_is "$RAM_DAX" kmem "$RAM_N" "$RAM_N" true
}

# ram_refusal PROG HINT: RE1..RE3, famfs's three lines for PROG on /dev/$RAM_DAX in system-ram mode
ram_refusal() {
	local p
	p=$(re_of "$1")
	RE1="^$p: /dev/$D_RE \\($D_RE\\) is in system-ram mode: the kmem driver has onlined its memory as system RAM \\($RAM_N of $RAM_N memory blocks online, $RAM_SZ\\)\$"
	RE2="^$p: famfs needs it in devdax mode; nothing was changed\$"
	RE3="^$p: run 'daxctl reconfigure-device --mode=devdax --force $D_RE' \\(it offlines the memory\\), or $(re_of "$2") to have famfs do that\$"
}

# ram_taken N: the line famfs prints when it took $RAM_DAX out of system-ram mode (N blocks online)
ram_taken() {
	echo "^$D_RE: taken out of system-ram mode \\($1 of $RAM_N memory blocks online, $RAM_SZ before\\): '[^']*/daxctl reconfigure-device --mode=devdax --force $D_RE' offlined its memory and bound it to device_dax\$"
}
ram_back() {
	echo "^$D_RE: back to device_dax \\(devdax mode\\), not to system-ram mode \\(kmem\\) where it was before: famfs never onlines memory as system RAM \\('daxctl reconfigure-device --mode=system-ram $D_RE' does\\)\$"
}

# mounted on $MNT1, fsdev_dax, and the record says famfs took it from kmem
ram_mounted() {
	[ "$(dax_driver "$RAM_DAX")" = fsdev_dax ] && is_mounted "$MNT1" &&
		[ "$(cat "/run/famfs/$RAM_DAX.daxmode")" = kmem ]
}

# sysram MEM REGION DAX: the system-ram checks (header) on MEM, whose region REGION (dax device
# DAX) is made again
sysram() {
	local d node pid last
	say "system-ram mode: kmem loaded, $1's region made again"
	result ram-kmem-loaded sh -c 'modprobe kmem && test -d /sys/bus/dax/drivers/kmem' || return
	result ram-region-on-kmem ram_region "$1" "$2" "$3" || return
	d=$RAM_DAX
	ln -sf "$FAMFS" "$HELPER"

	# refused: exit status 5, the same three lines, nothing changed
	ram_refusal mkfs.famfs "use mkfs.famfs -K (--reconfigure-daxmode)"
	result ram-mkfs-refused expect 5 "$RE1" "$RE2" "$RE3" -- "$MKFS" "/dev/$d"
	ram_refusal "famfs mount" "use famfs mount -K (-o daxmode=reconfigure)"
	result ram-mount-refused expect 5 "$RE1" "$RE2" "$RE3" -- "$FAMFS" mount "/dev/$d" "$MNT1"
	ram_refusal mount.famfs "mount with -o daxmode=reconfigure"
	result ram-mount.famfs-famfs-refused expect 5 "$RE1" "$RE2" "$RE3" -- "$HELPER" "/dev/$d" "$MNT1" -o daxmode=famfs
	ram_refusal "famfs fsck" "use famfs fsck -K (--reconfigure-daxmode)"
	result ram-fsck-refused expect 5 "$RE1" "$RE2" "$RE3" -- "$FAMFS" fsck "/dev/$d"
	result ram-refused-unchanged ram_is "$d" kmem "$RAM_N" "$RAM_N" true
	# -K without daxctl: exit status 6, the package named, nothing changed
	result ram-no-daxctl expect 6 \
		"^famfs mount: cannot take $D_RE out of system-ram mode: the daxctl program is not installed \\(not found in \\\$PATH\\)\$" \
		"^famfs mount: install the daxctl package \\(Debian, Ubuntu: apt install daxctl; Fedora, RHEL: dnf install daxctl\\); nothing was changed\$" \
		-- env PATH=/nonexistent "$FAMFS" mount -K "/dev/$d" "$MNT1"
	result ram-no-daxctl-unchanged ram_is "$d" kmem "$RAM_N" "$RAM_N" true

	# mkfs.famfs -K: offlined by daxctl, devdax, fsdev_dax for mkfs, devdax again (not system RAM)
	result ram-mkfs-K expect 0 "$(ram_taken "$RAM_N")" "$(ram_back)" "^famfs file system created on /dev/$D_RE\$" \
		-- "$MKFS" -f -K "/dev/$d"
	result ram-mkfs-K-devdax ram_is "$d" device_dax
	# system RAM again (daxctl onlines it movable); mount.famfs -o daxmode=reconfigure
	echo offline >/sys/devices/system/memory/auto_online_blocks
	result ram-system-ram-again expect 0 '"mode":"system-ram"' -- "$CXL_DAXCTL" reconfigure-device --mode=system-ram "$d"
	result ram-system-ram-movable ram_is "$d" kmem "$RAM_N" "$RAM_N" true
	result ram-mount.famfs-reconfigure expect 0 "$(ram_taken "$RAM_N")" \
		"^$D_RE: famfs leaves it in devdax mode afterwards: it never onlines memory as system RAM\$" \
		-- "$HELPER" "/dev/$d" "$MNT1" -o daxmode=reconfigure || return
	result ram-mounted-fsdev ram_mounted
	result ram-creat "$FAMFS" creat -s 16M -S 77 "$MNT1/after-ram"
	result ram-verify "$FAMFS" verify -S 77 -f "$MNT1/after-ram"
	result ram-umount expect 0 "$(ram_back)" -- "$FAMFS" umount "$MNT1"
	result ram-umount-devdax ram_is "$d" device_dax
	result ram-remount "$FAMFS" mount -M "/dev/$d" "$MNT1"
	result ram-remount-verify "$FAMFS" verify -S 77 -f "$MNT1/after-ram"
	result ram-remount-umount "$FAMFS" umount "$MNT1"
	result ram-remount-devdax ram_is "$d" device_dax

	# offlining fails: system RAM again, movable, but the block daxctl visits last (readdir order
	# of the node's directory) in ZONE_NORMAL with page tables pinned in it (pinmem; node $node
	# is this device's memory alone): daxctl offlines all the others first, then fails there;
	# famfs onlines them again, movable
	node=$(cat "/sys/bus/dax/devices/$d/target_node")
	if [ "$node" = 0 ]; then
		report ram-offline-fails SKIP "$d is on NUMA node 0 with the RAM (run-cxl.sh boots this guest with FAMFS_CXL_NUMA=1): page tables cannot be pinned to its memory alone"
		return
	fi
	result ram-system-ram-last expect 0 '"mode":"system-ram"' -- "$CXL_DAXCTL" reconfigure-device --mode=system-ram "$d"
	last=$(find "/sys/devices/system/node/node$node" -maxdepth 1 -name 'memory[0-9]*' | tail -n 1)
	result ram-last-block-normal sh -c "echo offline >$last/state && echo online_kernel >$last/state && [ \"\$(cat $last/valid_zones)\" = Normal ]"
	result ram-zones-before ram_zones "$node" "$((RAM_N - 1)) Movable, 1 Normal"
	"$PINMEM" "$node" 512 >/tmp/pinmem.out 2>&1 &
	pid=$!
	result ram-pinned wait_for 30 grep -q "^pinned 512 page tables on node $node\$" /tmp/pinmem.out
	result ram-offline-fails expect 5 \
		"^famfs mount: $D_RE: the kernel could not offline its memory: '[^']*/daxctl reconfigure-device --mode=devdax --force $D_RE' failed \\(exit [0-9]+\\): $D_RE: failed to offline memory: Device or resource busy\$" \
		"^famfs mount: $D_RE: the kernel has placed unmovable data \\(its own allocations\\) in that memory, and cannot move it out while the system runs\$" \
		"^famfs mount: $D_RE: left in system-ram mode, unchanged: bound to kmem, $RAM_N of $RAM_N memory blocks online, $RAM_SZ, as before \\(famfs onlined again the $((RAM_N - 1)) that daxctl had offlined\\)\$" \
		"^famfs mount: to use it for famfs, boot with its memory left offline \\(memhp_default_state=offline on the kernel command line" \
		-- "$FAMFS" mount -K "/dev/$d" "$MNT1"
	sed 's/^/    > /' "$LAST"
	result ram-offline-fails-unchanged ram_is "$d" kmem "$RAM_N" "$RAM_N"
	result ram-zones-after ram_zones "$node" "$((RAM_N - 1)) Movable, 1 Normal"
	kill "$pid"
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

CXL0_DAX='' CXL1_DAX='' CXL1_REGION=''
if [ "$BREAK_WHAT" = region ]; then
	# no region: the file-system checks run on a dax device that is not there, and must fail
	say "cxl_break=region: no region created, the checks go on with /dev/dax0.0 anyway"
	report cxl-break-region SKIP "cxl_break=region: the regions are not created"
	CXL0_DAX=dax0.0
else
	if prepare_cxl mem0 cxl0; then CXL0_DAX=$CXL_DAX; fi
	if [ "$NDEV" -ge 2 ] && prepare_cxl mem1 cxl1; then CXL1_DAX=$CXL_DAX CXL1_REGION=$CXL_REGION; fi
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
# last: it loads kmem
if [ -n "$CXL1_DAX" ]; then
	sysram mem1 "$CXL1_REGION" "$CXL1_DAX"
else
	report ram SKIP "no second CXL device with a region: the system-ram checks need one"
fi
result_errno famfs-rmmod ok rmmod famfs
finish
