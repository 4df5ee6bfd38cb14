#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Copyright (C) 2026 famfs contributors
# famfs-kernel.sh - the famfs file-system checks on one kernel (runs as the guest's /test.sh).
#
# Phase "pmem": /dev/pmem0 (fsdax namespace), on every kernel.
# Phase "dax":  /dev/dax0.0 bound to fsdev_dax, on kernels that have fsdev_dax (7.x); on the
#               others, a famfs mount of /dev/dax0.0 must be refused cleanly.
# Both phases use the one nvdimm: the namespace is re-created in between.
# Every check prints "RESULT <name> PASS|FAIL|SKIP [detail]"; the exit status is the number of FAILs.
# The least number of results on any kernel (6.x: pmem phase only; tests/vm/guest-result.sh fails
# the guest below it):
# expect-results: 61
. /guest/lib.sh

MNT=/mnt/famfs
MNT2=/mnt/famfs2
SRC=/tmp/src
mkdir -p "$MNT" "$MNT2"

# --- source data for cp (made once) ---
make_sources() {
	mkdir -p "$SRC/tree/scripts" "$SRC/tree/data/deep/er" "$SRC/tree/modules"
	# 3 MiB + 123 bytes: crosses a 2 MiB allocation unit and ends mid-page
	dd if=/dev/urandom of="$SRC/one.bin" bs=1024 count=3072 2>/dev/null
	dd if=/dev/urandom bs=123 count=1 2>/dev/null >>"$SRC/one.bin"
	dd if=/dev/urandom of="$SRC/pattern" bs=65536 count=16 2>/dev/null
	# a real tree: the guest scripts, some kernel modules, small and odd-sized files
	cp /guest/* "$SRC/tree/scripts/"
	for f in $(find /lib/modules -name '*.ko' | head -n 6); do cp "$f" "$SRC/tree/modules/"; done
	echo "hello famfs" >"$SRC/tree/data/hello.txt"
	dd if=/dev/urandom of="$SRC/tree/data/deep/er/x.bin" bs=4097 count=3 2>/dev/null
	seq 1 20000 >"$SRC/tree/data/deep/numbers.txt"
}

# --- small checks that need more than one command ---
meta_files() { [ -f "$MNT/.meta/.superblock" ] && [ -f "$MNT/.meta/.log" ]; }
rw_write() { dd if="$SRC/pattern" of="$MNT/rw" bs=65536 seek=16 conv=notrunc 2>&1 && size_is "$MNT/rw" 8388608; }
rw_read() { dd if="$MNT/rw" bs=65536 skip=16 count=16 2>/dev/null | cmp - "$SRC/pattern"; }
# getmap of the 64 MiB file: its size, one 2 MiB-aligned extent of exactly 64 MiB
getmap_ok() {
	expect 0 "^$MNT/d1/big: size 67108864 bytes, type regular\$" "^  1 simple extent\\(s\\)\$" \
		"^  extent 0: offset 0x[0-9a-f]*[02468ace]00000, length 0x4000000 \\(64 MiB\\)\$" \
		-- "$FAMFS" getmap "$MNT/d1/big"
}
help_all() {
	local c
	for c in mount logplay mkdir creat cp verify getmap fsck check; do
		"$FAMFS" "$c" --help >/dev/null 2>&1 || { echo "famfs $c --help failed"; return 1; }
	done
	"$MKFS" --help >/dev/null 2>&1 || { echo "mkfs.famfs --help failed"; return 1; }
}

# verify_all T: everything written in phase T is still there, byte for byte
verify_all() {
	local t=$1
	result "$t-$2-dirs" test -d "$MNT/d1/d2/d3"
	result "$t-$2-verify-big" "$FAMFS" verify -S 42 -f "$MNT/d1/big"
	result "$t-$2-verify-small" "$FAMFS" verify -S 7 -f "$MNT/d1/d2/small"
	result "$t-$2-cp-file" cmp "$SRC/one.bin" "$MNT/one.bin"
	result "$t-$2-cp-tree" same_tree "$SRC/tree" "$MNT/tree"
	result "$t-$2-write-read" rw_read
	result "$t-$2-mmap-data" "$MMAPTEST" check "$MNT/mm" 9
}

# fs_checks T DEV [-f]: the whole file-system life cycle on DEV (-f: DEV may hold a famfs already,
# the dax phase reuses the memory of the pmem phase)
fs_checks() {
	local t=$1 dev=$2 force=${3:-}
	say "phase $t on $dev"
	result "$t-mkfs" "$MKFS" $force "$dev" || return
	result_rc "$t-mkfs-refuses-existing" 3 "$MKFS" "$dev"
	# the rest needs the mount (and then the files made early): stop at the first missing base
	result "$t-mount" "$FAMFS" mount "$dev" "$MNT" || return
	result "$t-in-proc-mounts" is_mounted "$MNT"
	result "$t-meta-files" meta_files
	# a second mount of a device that is already mounted: EBUSY (mount(2) directly, no helper)
	result_errno "$t-second-mount-ebusy" EBUSY mount "$dev" "$MNT2"

	result "$t-mkdir-p" "$FAMFS" mkdir -p "$MNT/d1/d2/d3" || { umount "$MNT"; return; }
	result "$t-creat-64M" "$FAMFS" creat -s 64M -S 42 "$MNT/d1/big" || { umount "$MNT"; return; }
	result "$t-creat-size" size_is "$MNT/d1/big" 67108864
	result "$t-creat-odd-size" "$FAMFS" creat -s 5000 -S 7 "$MNT/d1/d2/small"
	result "$t-odd-size" size_is "$MNT/d1/d2/small" 5000
	result_rc "$t-creat-exists-refused" 3 "$FAMFS" creat -s 1M "$MNT/d1/big"
	result "$t-verify" "$FAMFS" verify -S 42 -f "$MNT/d1/big"
	result_rc "$t-verify-wrong-seed" 4 "$FAMFS" verify -S 43 -f "$MNT/d1/big"
	result "$t-cp-file" "$FAMFS" cp "$SRC/one.bin" "$MNT/one.bin"
	result "$t-cp-file-data" cmp "$SRC/one.bin" "$MNT/one.bin"
	result "$t-cp-tree" "$FAMFS" cp -r "$SRC/tree" "$MNT/tree"
	result "$t-cp-tree-data" same_tree "$SRC/tree" "$MNT/tree"

	# the data path through the kernel: write(), read(), mmap
	result "$t-creat-rw" "$FAMFS" creat -s 8M "$MNT/rw"
	result "$t-write" rw_write
	result "$t-read" rw_read
	result_errno "$t-size-fixed" EPERM truncate "$MNT/rw" 1048576
	result "$t-size-kept" size_is "$MNT/rw" 8388608
	result "$t-creat-mm" "$FAMFS" creat -s 6M "$MNT/mm"
	result "$t-mmap-write" "$MMAPTEST" fill "$MNT/mm" 9
	result "$t-mmap-read" "$MMAPTEST" check "$MNT/mm" 9
	result "$t-mmap-vs-read" "$MMAPTEST" cmp "$MNT/d1/big"

	result "$t-getmap" getmap_ok
	result_out "$t-getmap-not-famfs" 1 ": $SRC/one.bin: not a famfs file\$" "$FAMFS" getmap "$SRC/one.bin"
	result "$t-check" expect 0 "^$MNT: [1-9][0-9]* files, 0 without a map, 0 not in the log\$" -- "$FAMFS" check "$MNT"
	result "$t-fsck-mounted" expect 0 "^  this host +master\$" "^no errors\$" -- "$FAMFS" fsck "$MNT"
	result "$t-logplay-idempotent" expect 0 \
		"^$MNT: [1-9][0-9]* log entries: files 0 created, [1-9][0-9]* existed; directories 0 created, [1-9][0-9]* existed\$" \
		-- "$FAMFS" logplay "$MNT"
	verify_all "$t" live

	result "$t-umount" umount "$MNT" || return
	result_rc "$t-gone-after-umount" 1 grep -q " $MNT famfs " /proc/mounts
	result "$t-remount" "$FAMFS" mount "$dev" "$MNT" || return
	verify_all "$t" remount
	result "$t-umount-final" umount "$MNT"
	result "$t-fsck-device" expect 0 "^superblock: version [0-9]+, OMF [0-9.]+, CRC ok\$" "^no errors\$" -- "$FAMFS" fsck "$dev"
}

say "famfs-kernel on $(uname -r)"
result dax-stack load_dax_modules
result famfs-insmod load_famfs
result famfs-filesystem grep -qw famfs /proc/filesystems
# without the tools only the module checks can run
have "$FAMFS" && have "$MKFS" || finish
result famfs-help help_all
make_sources

if result pmem-namespace prepare_pmem && [ -b /dev/pmem0 ]; then
	fs_checks pmem /dev/pmem0
else
	report pmem-device FAIL "no block device /dev/pmem0"
fi

if ! has_fsdev_dax; then
	# 6.x: no fsdev_dax, so famfs cannot use /dev/dax and must say so without crashing
	report dax-fs-checks SKIP "no fsdev_dax on $(uname -r): famfs on /dev/dax needs it"
	if result dax-namespace prepare_dax && [ -c /dev/dax0.0 ]; then
		result_errno dax-refused-without-fsdev EOPNOTSUPP mount /dev/dax0.0 "$MNT2"
	else
		report dax-device FAIL "no /dev/dax0.0"
	fi
else
	report dax-refused-without-fsdev SKIP "$(uname -r) has fsdev_dax: the refusal without it is a 6.x check"
	if result dax-namespace prepare_dax && [ -c /dev/dax0.0 ]; then
		result dax-fsdev-bound test "$(basename "$(readlink /sys/bus/dax/devices/dax0.0/driver)")" = fsdev_dax
		fs_checks dax /dev/dax0.0 -f
	else
		report dax-device FAIL "no fsdev_dax-bound /dev/dax0.0"
	fi
fi

result_errno famfs-rmmod ok rmmod famfs
result_rc famfs-gone 1 grep -q '^famfs ' /proc/modules
finish
