#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Copyright (C) 2026 famfs contributors
# log-integrity.sh - nothing lost on any host: the log takes only entries every host can replay
# (runs as the guest's /test.sh, on every kernel).
#
# Phase "pmem": /dev/pmem0 (fsdax), on every kernel; phase "dax": /dev/dax0.0 bound to
# fsdev_dax, on kernels that have it. In each phase the master makes a few files, then tries
# every operation the log cannot take or record, each with its exact exit code (the CLI) or
# errno (the kernel), and after each refusal unmounts, mounts again (a fresh replay of the
# log) and compares every file's sha256 with what it was: nothing lost, nothing added.
# The second host's replay of the same refusals is in two-host.sh.
# Every check prints "RESULT <name> PASS|FAIL|SKIP [detail]"; the exit status is the number of FAILs.
# The least number of results (pmem phase and the dax SKIP, on a 6.x kernel):
# expect-results: 66
. /guest/lib.sh

MNT=/mnt/famfs
mkdir -p "$MNT"

# the exit codes documented in famfs(8) / mkfs.famfs(8)
EX_FAILED=1	# the operation failed: the message names the object and the reason
EX_REFUSED=3	# refused: client, existing file system, busy device, target exists
EX_PROBLEMS=4	# fsck/check found problems
EX_USAGE=64	# a bad argument (sysexits EX_USAGE)

# sums: "sha256  ./path" of every file and "dir ./path" of every directory, sorted
sums() {
	(cd "$MNT" && { find . -type f ! -path './.meta/*' | sort | xargs -r sha256sum
		find . -mindepth 1 -type d ! -path './.meta*' | sort | sed 's/^/dir /'; })
}
# snapshot: what every later check compares with
snapshot() { sums >/tmp/want.sums; }

# same_as_snapshot: the mounted tree is exactly the snapshot
same_as_snapshot() { sums >/tmp/got.sums && cmp /tmp/want.sums /tmp/got.sums; }

# remount_same: a fresh replay of the log gives back exactly the snapshot
remount_same() {
	umount "$MNT" || return 1
	"$FAMFS" mount "$DEV" "$MNT" || { echo "famfs mount: exit $?"; return 1; }
	sums >/tmp/got.sums
	cmp /tmp/want.sums /tmp/got.sums || { diff /tmp/want.sums /tmp/got.sums; return 1; }
}

# intact T CASE: after a refused operation, the remount shows every file as it was and fsck
# finds nothing
intact() {
	result "$1-$2-remount-same" remount_same
	result "$1-$2-fsck-clean" "$FAMFS" fsck "$MNT"
}

no_entry() { [ ! -e "$1" ] && [ ! -L "$1" ]; }

# sb_byte DEV OFFSET [BYTE]: read (or write) one superblock byte. fsdev_dax devices have no
# mmap of their own, so a dax device is moved to device_dax for it and back to fsdev_dax.
sb_byte() {
	local dev=$1 rc=0 name op=peek
	shift
	[ $# -lt 2 ] || op=poke
	if [ -c "$dev" ]; then
		name=$(basename "$dev")
		echo "$name" >/sys/bus/dax/drivers/fsdev_dax/unbind &&
			echo "$name" >/sys/bus/dax/drivers/device_dax/bind &&
			wait_for 5 test -c "$dev" || return 1
		"$NSOP" "$op" "$dev" "$@" || rc=$?
		bind_fsdev "$name" || return 1
		return "$rc"
	fi
	"$NSOP" "$op" "$dev" "$@"
}

# size_of FILE
size_of() { stat -c %s "$1"; }

phase() {
	local t=$1 big=18446744073709551615 b
	DEV=$2
	say "phase $t on $DEV"
	result "$t-mkfs" "$MKFS" -f "$DEV" || return
	result "$t-mount" "$FAMFS" mount "$DEV" "$MNT" || return
	result "$t-creat-f1" "$FAMFS" creat -s 3M -S 1 "$MNT/f1"
	result "$t-mkdir-d" "$FAMFS" mkdir "$MNT/d"
	result "$t-creat-d-f2" "$FAMFS" creat -s 5M -S 2 "$MNT/d/f2"
	result "$t-mkdir-empty" "$FAMFS" mkdir "$MNT/empty"
	snapshot

	# sizes: overflow is a usage error, nothing logged; decimal only
	result_rc "$t-creat-size-overflow" $EX_USAGE "$FAMFS" creat -s "$big" "$MNT/huge"
	result "$t-creat-size-overflow-nothing" no_entry "$MNT/huge"
	result_rc "$t-creat-size-overflow-16E" $EX_USAGE "$FAMFS" creat -s 16E "$MNT/huge"
	result_rc "$t-creat-size-hex" $EX_USAGE "$FAMFS" creat -s 0x10 "$MNT/hex"
	intact "$t" size-overflow

	result "$t-creat-size-010" "$FAMFS" creat -s 010 -S 4 "$MNT/ten"
	result "$t-creat-size-010-decimal" test "$(size_of "$MNT/ten")" = 10
	snapshot

	# a parent that is not there: refused before anything is logged
	result_rc "$t-mkdir-missing-parent" $EX_FAILED "$FAMFS" mkdir "$MNT/nodir/sub"
	result "$t-mkdir-missing-parent-nothing" no_entry "$MNT/nodir"
	result_rc "$t-creat-missing-parent" $EX_FAILED "$FAMFS" creat -s 2M "$MNT/nodir/f"
	intact "$t" missing-parent

	# the same path twice: refused, the first file keeps its memory and data
	result_rc "$t-creat-duplicate" $EX_REFUSED "$FAMFS" creat -s 2M -S 9 "$MNT/f1"
	result_rc "$t-mkdir-duplicate-file" $EX_REFUSED "$FAMFS" mkdir "$MNT/f1"
	result "$t-duplicate-f1-data" "$FAMFS" verify -S 1 -f "$MNT/f1"
	intact "$t" duplicate

	# namespace operations the log cannot record: the kernel refuses them, nothing changes
	result_errno "$t-unlink-refused" EPERM unlink "$MNT/f1"
	result_errno "$t-rename-refused" EPERM rename "$MNT/f1" "$MNT/f1b"
	result_errno "$t-rename-dir-refused" EPERM rename "$MNT/d" "$MNT/d2"
	result_errno "$t-rmdir-refused" EPERM rmdir "$MNT/empty"
	result_errno "$t-link-refused" EPERM link "$MNT/f1" "$MNT/f1link"
	result_errno "$t-symlink-refused" EPERM symlink f1 "$MNT/f1sym"
	result_errno "$t-mknod-refused" EPERM mknod "$MNT/node"
	result_errno "$t-mkfifo-refused" EPERM mkfifo "$MNT/fifo"
	result_errno "$t-truncate-refused" EPERM truncate "$MNT/f1" 4096
	result_errno "$t-otrunc-refused" EPERM otrunc "$MNT/f1"
	result "$t-refused-f1-size" test "$(size_of "$MNT/f1")" = 3145728
	result "$t-refused-f1-data" "$FAMFS" verify -S 1 -f "$MNT/f1"
	result "$t-refused-nothing-new" same_as_snapshot
	intact "$t" namespace-refused

	# a directory made with mkdir(1) on the master: the next famfs creat logs it first
	result_errno "$t-plain-mkdir" ok mkdir "$MNT/plain"
	result "$t-creat-under-plain-dir" "$FAMFS" creat -s 2M -S 5 "$MNT/plain/f"
	result "$t-mkdir-p-under-plain-dir" "$FAMFS" mkdir -p "$MNT/plain/x/y"
	snapshot
	intact "$t" plain-dir-logged
	result "$t-plain-dir-data" "$FAMFS" verify -S 5 -f "$MNT/plain/f"

	# a file made outside the tools is reported, and a replay does not bring it back
	result_errno "$t-plain-creat" ok creat "$MNT/unlogged"
	result_rc "$t-fsck-reports-unlogged" $EX_PROBLEMS "$FAMFS" fsck "$MNT"
	result "$t-fsck-names-unlogged" grep -q unlogged "$LAST"
	result "$t-unlogged-gone-after-remount" remount_same

	# the superblock's device size disagrees with the device: mount and fsck say so
	result "$t-umount-for-sb" umount "$MNT" || return
	b=$(sb_byte "$DEV" 117)
	result "$t-sb-size-read" test -n "$b" || return
	result "$t-sb-size-corrupt" sb_byte "$DEV" 117 $(((b + 61) % 256))
	result_rc "$t-mount-sb-size-mismatch" $EX_FAILED "$FAMFS" mount "$DEV" "$MNT"
	result "$t-mount-sb-size-message" grep -qi 'size' "$LAST"
	result_rc "$t-fsck-sb-size-mismatch" $EX_PROBLEMS "$FAMFS" fsck "$DEV"
	result "$t-fsck-names-size-mismatch" grep -q 'device-size' "$LAST"
	result "$t-sb-size-restore" sb_byte "$DEV" 117 "$b"

	# mkfs over a famfs without -f: refused, the file system stays
	result_rc "$t-mkfs-over-famfs-refused" $EX_REFUSED "$MKFS" "$DEV"
	result "$t-mount-after-refusals" "$FAMFS" mount "$DEV" "$MNT" || return
	sums >/tmp/got.sums
	result "$t-all-files-same" cmp /tmp/want.sums /tmp/got.sums
	result "$t-fsck-final" "$FAMFS" fsck "$MNT"
	result "$t-umount" umount "$MNT"
}

say "log-integrity on $(uname -r)"
result dax-stack load_dax_modules
result famfs-insmod load_famfs || finish
have "$FAMFS" && have "$MKFS" && have "$NSOP" || finish

if result pmem-namespace prepare_pmem && [ -b /dev/pmem0 ]; then
	phase pmem /dev/pmem0
else
	report pmem-device FAIL "no block device /dev/pmem0"
fi
if ! has_fsdev_dax; then
	report dax-phase SKIP "$(uname -r) has no fsdev_dax: famfs on /dev/dax needs Linux 7.x"
elif result dax-namespace prepare_dax && [ -c /dev/dax0.0 ]; then
	phase dax /dev/dax0.0
else
	report dax-device FAIL "no fsdev_dax-bound /dev/dax0.0"
fi
finish
