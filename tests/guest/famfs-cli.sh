#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Copyright (C) 2026 famfs contributors
# famfs-cli.sh - every famfs command and option on one kernel (runs as the guest's /test.sh).
#
# Phase "pmem": the whole command line on /dev/pmem0 (every kernel): mkfs.famfs, famfs mount
# (-r, -R), umount, mkmeta, logplay (-n, --json, incremental), mkdir, creat, cp, verify, flush,
# getmap, check, chkread, fsck (every way in, --json), df, mount.famfs / umount.famfs, the client
# role, 4 concurrent writers, interleaved files, ENOSPC, ENAMETOOLONG, a killed superblock.
# Phase "batch": creat -t, verify --multi/-t, fsck -B, .meta/.alloc.cfg, one creat of > 4096 files.
# Phase "dax": /dev/dax0.0 left on device_dax: the fsdev_dax switch of mkfs -M, mount -M,
# mount.famfs -o daxmode=famfs and its undo by umount (7.x); a clean refusal elsewhere.
# Every check prints "RESULT <name> PASS|FAIL|SKIP [detail]"; the exit status is the number of FAILs.
# The least number of results on any kernel (tests/vm/guest-result.sh fails the guest below it):
# expect-results: 120
. /guest/lib.sh

MNT=/mnt/famfs
SRC=/tmp/cli-src
HELPER=/sbin/mount.famfs
UHELPER=/sbin/umount.famfs
mkdir -p "$MNT" "$SRC"

# --- small checks -----------------------------------------------------------------------------

# json_has TEXT CMD...: CMD exits 0 and its stdout holds TEXT (a "key": value fragment)
json_has() {
	local want=$1 rc=0
	shift
	"$@" >/tmp/json_has 2>/tmp/json_err || rc=$?
	cat /tmp/json_has
	[ "$rc" -eq 0 ] || { echo "exit $rc from: $*"; cat /tmp/json_err; return 1; }
	grep -q -- "$want" /tmp/json_has
}
# json_num KEY: the number after "KEY": in /tmp/json_has
json_num() { sed -n "s/.*\"$1\": \([0-9]*\).*/\1/p" /tmp/json_has | head -n 1; }
owner_is() { [ "$(stat -c '%u:%g %a' "$1")" = "$2" ] || { stat -c '%u:%g %a' "$1"; return 1; }; }
driver_of() { basename "$(readlink "/sys/bus/dax/devices/$1/driver" 2>/dev/null)" 2>/dev/null; }
driver_is() { [ "$(driver_of "$1")" = "$2" ] || { echo "driver: '$(driver_of "$1")'"; return 1; }; }
not_mounted() { ! is_mounted "$MNT"; }
ro_mount() { grep " $MNT famfs " /proc/mounts | grep -q '[ ,]ro[ ,]'; }
# log_used: the log entries used, from famfs df --json
log_used() { json_has '"log_entries_used"' "$FAMFS" df --json "$MNT" >/dev/null && json_num log_entries_used; }
# files_here: regular files in the mount, the meta files left out
files_here() { find "$MNT" -type f ! -path "$MNT/.meta/*" | wc -l; }

# 4 writers at once, each creating 8 files: the log lock serializes them
writers() {
	local w i
	"$FAMFS" mkdir "$MNT/cc" || return 1
	for w in 1 2 3 4; do
		(for i in 1 2 3 4 5 6 7 8; do
			"$FAMFS" creat -s 2M -S "$w$i" "$MNT/cc/w$w-$i" >/dev/null || exit 1
		done) &
	done
	wait
	[ "$(ls "$MNT/cc" | wc -l)" -eq 32 ] || { ls "$MNT/cc" | wc -l; return 1; }
	for w in 1 2 3 4; do for i in 1 2 3 4 5 6 7 8; do
		"$FAMFS" verify -q -S "$w$i" -f "$MNT/cc/w$w-$i" || return 1
	done; done
}

# a second host: another system UUID in $FAMFS_SYSTEM_UUID
as_client() { FAMFS_SYSTEM_UUID=/tmp/client_uuid "$@"; }
client_refused() {
	local rc=0
	as_client "$FAMFS" "$@" >/tmp/client.out 2>&1 || rc=$?
	cat /tmp/client.out
	[ "$rc" -eq 3 ] && grep -q "this host is a client" /tmp/client.out
}

# a mount without replay (-n), one logged directory made by hand: logplay creates only what is
# missing, counts the directory as existing, and the data is there
logplay_incremental() {
	"$FAMFS" mount -n "$d" "$MNT" || return 1
	[ ! -e "$MNT/d" ] || { echo "mount -n replayed the log"; return 1; }
	"$NSOP" mkdir "$MNT/d" || return 1
	expect 0 "^$MNT: [0-9]+ log entries: files [1-9][0-9]* created, 0 existed; directories [0-9]+ created, 1 existed\$" \
		-- "$FAMFS" logplay "$MNT" || return 1
	cat "$LAST"
	"$FAMFS" verify -q -S 1 -f "$MNT/d/f1"
}

# the CLI refuses a path the log cannot hold (79 bytes) before anything happens: exit 1, its
# reason, no file, no log entry
long_name() {
	local n=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa before
	before=$(log_used)
	[ -n "$before" ] || { echo "no log_entries_used in famfs df --json"; return 1; }
	expect 1 "the path relative to the mount is 86 bytes, the log holds at most 79" \
		-- "$FAMFS" creat -s 2M "$MNT/$n" || return 1
	[ ! -e "$MNT/$n" ] || { echo "$MNT/$n exists"; return 1; }
	[ "$(log_used)" = "$before" ] || { echo "log entries: $before before, $(log_used) after"; return 1; }
}
# the kernel's own limit: a component longer than NAME_MAX (255)
name_256() {
	local n=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
	echo "$MNT/$n$n$n$n"
}

seed_printed() {
	local seed
	"$FAMFS" creat -r -s 4M "$MNT/rnd" >/tmp/rnd.out 2>&1 || return 1
	seed=$(sed -n 's/^seed //p' /tmp/rnd.out)
	[ -n "$seed" ] && "$FAMFS" verify -S "$seed" -f "$MNT/rnd"
}

interleaved() {
	"$FAMFS" creat -N 2 -B 4 -C 2M -s 16M -S 5 "$MNT/striped" || return 1
	"$FAMFS" getmap "$MNT/striped" | grep -q "interleaved: 2 strips" &&
		"$FAMFS" verify -S 5 -f "$MNT/striped"
}

# getmap of two files: each one's size, type, a single 2 MiB-aligned extent of 4 MiB
getmap_two() {
	local a2='0x[0-9a-f]*[02468ace]00000'
	expect 0 "^$MNT/d/f1: size 3145728 bytes, type regular\$" \
		"^$MNT/f3M: size 3150848 bytes, type regular\$" \
		"^  extent 0: offset $a2, length 0x400000 \\(4 MiB\\)\$" \
		-- "$FAMFS" getmap "$MNT/d/f1" "$MNT/f3M" || return 1
	[ "$(grep -c '^  1 simple extent(s)$' "$LAST")" -eq 2 ] &&
		[ "$(grep -c '^  extent 0: ' "$LAST")" -eq 2 ] && [ "$(grep -c '^  extent 1: ' "$LAST")" -eq 0 ] ||
		{ echo "not one extent per file:"; cat "$LAST"; return 1; }
}
# getmap -q: exit 0 and not a word
getmap_quiet() {
	expect 0 -- "$FAMFS" getmap -q "$MNT/d/f1" || return 1
	[ ! -s "$LAST" ] || { echo "getmap -q printed:"; cat "$LAST"; return 1; }
}
# chkread -s -l: read and mmap agree, and the superblock and log header are this famfs's
chkread_sl() {
	expect 0 "^$MNT/d/f2: 3145728 bytes, read\\(2\\) and mmap\\(2\\) agree\$" \
		"^superblock of $MNT:\$" "^  ts_magic +0x87b282ff\$" \
		"^  ts_system_uuid +$(cat /opt/famfs/system_uuid)\$" "^  ts_log_len +0x1000000\$" \
		"^log header of $MNT:\$" "^  famfs_log_magic +0xbadcafef00d\$" \
		-- "$FAMFS" chkread -s -l "$MNT/d/f2"
}
# df: the table, and the file count is the number of files in the mount
df_text() {
	local n
	n=$(files_here)
	expect 0 "^famfs +size +used +free +use% +largest free\$" "^$MNT +[0-9.]+ [KMG]iB +" \
		"^$n files \\([0-9.]+ [KMG]iB of data\\), [0-9]+ directories; log [0-9]+ of [0-9]+ entries used\$" \
		-- "$FAMFS" df "$MNT"
}
# df --json: the same numbers, used + free = total
df_json() {
	local n tot used free
	n=$(files_here)
	json_has '"free_bytes"' "$FAMFS" df --json "$MNT" || return 1
	tot=$(json_num total_bytes) used=$(json_num used_bytes) free=$(json_num free_bytes)
	[ "$(json_num files)" = "$n" ] || { echo "files $(json_num files), $n in the mount"; return 1; }
	[ -n "$tot" ] && [ $((used + free)) -eq "$tot" ] || { echo "used $used + free $free != total $tot"; return 1; }
}
# logplay -n on a host that has everything: nothing would be created
logplay_dry() {
	expect 0 "^dry run: $MNT: [1-9][0-9]* log entries: files 0 created, [1-9][0-9]* existed; directories 0 created, [1-9][0-9]* existed\$" \
		-- "$FAMFS" logplay -n "$MNT"
}

help_and_man() {
	local c
	for c in $("$FAMFS" --list-cmds); do
		"$FAMFS" "$c" --help >/dev/null || { echo "famfs $c --help"; return 1; }
	done
	"$FAMFS" --version | grep -q "superblock version 48"
}

# --- phase pmem -------------------------------------------------------------------------------

make_sources() {
	mkdir -p "$SRC/tree/a/b"
	dd if=/dev/urandom of="$SRC/f3M" bs=1024 count=3077 2>/dev/null
	echo one >"$SRC/s1"
	echo two >"$SRC/s2"
	: >"$SRC/empty"
	echo deep >"$SRC/tree/a/b/deep.txt"
	dd if=/dev/urandom of="$SRC/tree/a/x" bs=4097 count=5 2>/dev/null
}

pmem_phase() {
	local d=/dev/pmem0
	say "phase pmem on $d"
	truncate -s 8M /tmp/small.img
	result_rc mkfs-too-small 1 "$MKFS" /tmp/small.img
	result_rc mkfs-bad-loglen 64 "$MKFS" --loglen 12M "$d"
	result_rc mkfs-kill-needs-force 64 "$MKFS" -k "$d"
	result mkfs "$MKFS" -f --loglen 16M "$d" || return
	result_rc mkfs-refuses-existing 3 "$MKFS" "$d"
	result fsck-device expect 0 "^superblock: version [0-9]+, OMF [0-9.]+, CRC ok\$" "^  this host +master\$" "^no errors\$" \
		-- "$FAMFS" fsck "$d"
	result fsck-device-json json_has '"clean": true' "$FAMFS" fsck --json "$d"

	result mount "$FAMFS" mount -v "$d" "$MNT" || return
	result_out mount-again-refused 3 "$d" "$FAMFS" mount "$d" "$MNT"
	result mount-r-refresh "$FAMFS" mount -r "$d" "$MNT"
	result_rc mkfs-refuses-mounted 3 "$MKFS" -f "$d"

	result mkdir expect 0 "^created directory $MNT/d\$" -- "$FAMFS" mkdir -v "$MNT/d"
	result_rc mkdir-exists-refused 3 "$FAMFS" mkdir "$MNT/d"
	result mkdir-p-mode-owner "$FAMFS" mkdir -p -m 0750 -u 1234 -g 99 "$MNT/p1/p2/p3"
	result mkdir-p-owner owner_is "$MNT/p1/p2/p3" "1234:99 750"
	result mkdir-p-existing "$FAMFS" mkdir -p "$MNT/p1/p2"

	result creat-several "$FAMFS" creat -s 3M -S 1 "$MNT/d/f1" "$MNT/d/f2" "$MNT/d/f3"
	result creat-several-verify "$FAMFS" verify -S 3 -f "$MNT/d/f3"
	result creat-multi "$FAMFS" creat -M "$MNT/m1,1M,11" -M "$MNT/m2,5000,12"
	result creat-multi-verify "$FAMFS" verify -S 12 -f "$MNT/m2"
	result creat-mode-owner "$FAMFS" creat -s 2M -m 0600 -u 42 -g 43 "$MNT/owned"
	result creat-owner owner_is "$MNT/owned" "42:43 600"
	result creat-random-seed seed_printed
	result creat-same-size-kept "$FAMFS" creat -s 3M -S 1 "$MNT/d/f1"
	result_rc creat-other-size-refused 3 "$FAMFS" creat -s 4M "$MNT/d/f1"
	result_out creat-larger-than-device 1 ": huge: a file of 68719476736 bytes is larger than the whole device \\([0-9.]+ GiB\\)\$" \
		"$FAMFS" creat -s 64G "$MNT/huge"
	# smaller than the device, larger than what is free after the superblock, the log and the files
	result_out creat-enospc 1 "no contiguous free run of 2.0 GiB for huge \\([0-9.]+ [MG]iB free, largest free run [0-9.]+ [MG]iB\\)" \
		"$FAMFS" creat -s 2040M "$MNT/huge"
	result_rc creat-enospc-no-file 1 test -e "$MNT/huge"
	result creat-enametoolong long_name
	result_errno kernel-enametoolong ENAMETOOLONG creat "$(name_256)"
	result creat-interleaved interleaved

	result cp-file "$FAMFS" cp "$SRC/f3M" "$MNT/f3M"
	result cp-file-data cmp "$SRC/f3M" "$MNT/f3M"
	result_rc cp-never-overwrites 3 "$FAMFS" cp "$SRC/s1" "$MNT/f3M"
	result cp-several-into-dir "$FAMFS" cp -m 0444 -u 7 -g 8 "$SRC/s1" "$SRC/s2" "$SRC/empty" "$MNT/d"
	result cp-several-data cmp "$SRC/s2" "$MNT/d/s2"
	result cp-mode-owner owner_is "$MNT/d/s1" "7:8 444"
	result cp-empty size_is "$MNT/d/empty" 0
	result cp-r "$FAMFS" cp -r "$SRC/tree" "$MNT/"
	result cp-r-data same_tree "$SRC/tree" "$MNT/tree"
	result_rc cp-dir-needs-r 1 "$FAMFS" cp "$SRC/tree" "$MNT/tree2"

	result_rc verify-wrong-seed 4 "$FAMFS" verify -S 2 -f "$MNT/d/f1"
	result flush expect 0 "^$MNT/d/f1: 3145728 bytes flushed \\((clflushopt|clwb|clflush)" \
		"^$MNT/f3M: 3150848 bytes flushed \\((clflushopt|clwb|clflush)" -- "$FAMFS" flush -v "$MNT/d/f1" "$MNT/f3M"
	result getmap getmap_two
	result getmap-q getmap_quiet
	result getmap-json json_has '"layout": "simple"' "$FAMFS" getmap --json "$MNT/d/f1"
	result_out getmap-not-famfs 1 "^famfs getmap: $SRC/s1: not a famfs file\$|: $SRC/s1: not a famfs file\$" \
		"$FAMFS" getmap "$SRC/s1"
	# a file made by open(O_CREAT) outside famfs: in the kernel, without a map, not in the log
	result_errno unmapped-creat ok creat "$MNT/unmapped"
	result_rc getmap-unmapped 2 "$FAMFS" getmap -q "$MNT/unmapped"
	result check-finds-unmapped expect 4 "^$MNT/unmapped: no extent map\$" "^$MNT/unmapped: .* not in the log" \
		"^$MNT: [1-9][0-9]* files, 1 without a map, 1 not in the log\$" -- "$FAMFS" check "$MNT"
	result_errno unmapped-unlink ok unlink "$MNT/unmapped"
	result check expect 0 "^$MNT: [1-9][0-9]* files, 0 without a map, 0 not in the log\$" -- "$FAMFS" check "$MNT"
	result chkread chkread_sl

	result logplay-n logplay_dry
	result logplay-n-json json_has '"would_create": 0' "$FAMFS" logplay -n --json "$MNT"
	result_rc logplay-json-needs-n 64 "$FAMFS" logplay --json "$MNT"
	result fsck-mounted expect 0 "^  this host +master\$" "^  entry 0: directory d\$" "^  entry [0-9]+: file d/f1, 3145728 bytes\$" \
		"^no errors\$" -- "$FAMFS" fsck -v "$MNT"
	result fsck-read-mode expect 0 "^superblock: version [0-9]+, OMF [0-9.]+, CRC ok\$" "^no errors\$" -- "$FAMFS" fsck -r "$MNT"
	result fsck-mounted-dev json_has '"errors": 0' "$FAMFS" fsck -j "$d"
	result df df_text
	result df-json df_json

	echo 11111111-2222-4333-8444-555555555555 >/tmp/client_uuid
	result client-creat-refused client_refused creat -s 2M "$MNT/c1"
	result client-mkdir-refused client_refused mkdir "$MNT/c2"
	result client-cp-refused client_refused cp "$SRC/s1" "$MNT/c3"
	result client-logplay expect 0 "files 0 created, [1-9][0-9]* existed; .* \\(client: read-only\\)\$" \
		-- as_client "$FAMFS" logplay "$MNT"
	result client-fsck expect 0 "^  this host +client\$" "^no errors\$" -- as_client "$FAMFS" fsck "$MNT"

	result writers-4 writers
	result fsck-after-writers json_has '"shared-memory": 0' "$FAMFS" fsck --json "$MNT"

	result umount expect 0 "^$d unmounted from $MNT\$" -- "$FAMFS" umount -v "$MNT" || return
	result umount-gone not_mounted
	result logplay-incremental logplay_incremental
	result umount-incremental "$FAMFS" umount "$MNT" || return
	result mount-ro "$FAMFS" mount -R "$d" "$MNT" || return
	result mount-ro-is-ro ro_mount
	result_errno mount-ro-no-writes EROFS creat "$MNT/rogue"
	result mount-ro-data "$FAMFS" verify -S 1 -f "$MNT/d/f1"
	result logplay-on-ro expect 0 "^$MNT: [1-9][0-9]* log entries: files 0 created" -- "$FAMFS" logplay "$MNT"
	result still-ro-after-logplay ro_mount
	result umount-ro "$FAMFS" umount "$MNT"

	# a raw kernel mount, then mkmeta + logplay by hand (spec 1.3)
	result raw-mount mount -t famfs -o noatime "$d" "$MNT" &&
	result mkmeta "$FAMFS" mkmeta "$MNT" &&
	result raw-logplay expect 0 "^$MNT: [1-9][0-9]* log entries: files [1-9][0-9]* created, 0 existed" \
		-- "$FAMFS" logplay "$MNT" &&
	result raw-data cmp "$SRC/f3M" "$MNT/f3M"
	umount "$MNT" 2>/dev/null

	# the helpers, as mount(8) runs them
	ln -sf /usr/local/bin/famfs "$HELPER"
	ln -sf /usr/local/bin/famfs "$UHELPER"
	result mount.famfs "$HELPER" "$d" "$MNT" -v -o ro,noexec
	result mount.famfs-data cmp "$SRC/f3M" "$MNT/f3M"
	result mount.famfs-ro ro_mount
	result umount.famfs "$UHELPER" "$MNT"
	result mount.famfs-fake expect 0 "^would mount $d on $MNT" -- "$HELPER" "$d" "$MNT" -f
	result mount.famfs-fake-no-mount not_mounted

	result mkfs-kill "$MKFS" -f -k "$d"
	result_out fsck-killed 4 "^ERROR \\[sb-magic\\]: $d" "$FAMFS" fsck "$d"
	result_out fsck-killed-json 4 '"class": "sb-magic"' "$FAMFS" fsck --json "$d"
	result_rc mount-killed-refused 1 "$FAMFS" mount "$d" "$MNT"
	result mount-killed-not-left not_mounted
}

# --- phase batch: creat -t / verify --multi -t / fsck -B / .meta/.alloc.cfg / > 4096 files ----

alloc_cfg_default() {
	printf 'interleaved_alloc:\n  nbuckets: 4\n  nstrips: 2\n  chunk_size: 2M\n' >/tmp/alloc.cfg
	"$FAMFS" cp /tmp/alloc.cfg "$MNT/.meta/.alloc.cfg" || return 1
	"$FAMFS" creat -s 16M -S 7 "$MNT/b/dflt" || return 1
	"$FAMFS" getmap "$MNT/b/dflt" | grep -q "interleaved: 2 strips" || return 1
	# the command line wins over the file
	"$FAMFS" creat -N 3 -B 6 -s 16M "$MNT/b/cli" || return 1
	"$FAMFS" getmap "$MNT/b/cli" | grep -q "interleaved: 3 strips"
}
alloc_cfg_cp() {
	dd if=/dev/urandom of=/tmp/big8M bs=1M count=8 2>/dev/null
	"$FAMFS" cp /tmp/big8M "$MNT/b/big8M" &&
		"$FAMFS" getmap "$MNT/b/big8M" | grep -q "interleaved: 2 strips" &&
		cmp /tmp/big8M "$MNT/b/big8M"
}
alloc_cfg_bad() {
	printf 'interleaved_alloc:\n  nstripes: 2\n' >/tmp/bad.cfg
	"$FAMFS" cp /tmp/bad.cfg "$MNT/b/bad.cfg" || return 1
	# only .meta/.alloc.cfg counts: a bad one elsewhere changes nothing
	"$FAMFS" creat -s 2M "$MNT/b/after-bad"
}
# more files in one call than the old 4096 limit: the device runs out first (ENOSPC, exit 1),
# and every file that fitted is there
many_files() {
	local i=1 n
	"$FAMFS" mkdir "$MNT/many" || return 1
	set --
	while [ $i -le 4200 ]; do set -- "$@" "$MNT/many/f$i"; i=$((i + 1)); done
	expect 1 "no contiguous free run of 2 MiB for many/f[0-9]+ " -- "$FAMFS" creat -s 1M "$@" || return 1
	n=$(ls "$MNT/many" | wc -l)
	[ "$n" -gt 500 ] && [ -e "$MNT/many/f1" ] && [ -e "$MNT/many/f$n" ] && [ ! -e "$MNT/many/f$((n + 1))" ] &&
		[ ! -e "$MNT/many/f4200" ] || { echo "$n files in $MNT/many, not f1..f$n"; return 1; }
}

batch_phase() {
	local d=/dev/pmem0
	say "phase batch on $d"
	result batch-mkfs "$MKFS" -f "$d" || return
	result batch-mount "$FAMFS" mount "$d" "$MNT" || return
	"$FAMFS" mkdir "$MNT/b"
	result creat-t0 "$FAMFS" creat -t 0 -s 40M -S 100 "$MNT/b/f1" "$MNT/b/f2"
	result creat-t4 "$FAMFS" creat -t 4 -s 70M -S 200 "$MNT/b/g1" "$MNT/b/g2"
	result_rc creat-t-bad 64 "$FAMFS" creat -t 999 -s 2M "$MNT/b/x"
	result verify-multi "$FAMFS" verify --multi "$MNT/b/f1,100" --multi "$MNT/b/f2,101"
	result verify-multi-list "$FAMFS" verify -t 3 -m "$MNT/b/g1,200" "$MNT/b/g2,201" "$MNT/b/f1,100"
	result verify-multi-and-f "$FAMFS" verify -t 2 -S 200 -f "$MNT/b/g1" --multi "$MNT/b/g2,201"
	result_rc verify-multi-mismatch 4 "$FAMFS" verify -t 2 --multi "$MNT/b/g1,200" "$MNT/b/g2,999"
	result fsck-B expect 0 "^buckets: 4\$" "^no errors\$" -- "$FAMFS" fsck -B 4 "$MNT"
	result fsck-B-json json_has '"fragments"' "$FAMFS" fsck -j -B 8 "$MNT"
	result_rc fsck-B-bad 64 "$FAMFS" fsck -B 0 "$MNT"
	result alloc-cfg-default alloc_cfg_default
	result alloc-cfg-cp alloc_cfg_cp
	result alloc-cfg-elsewhere alloc_cfg_bad
	result creat-over-4096 many_files
	result batch-fsck json_has '"shared-memory": 0' "$FAMFS" fsck --json "$MNT"
	result batch-umount "$FAMFS" umount "$MNT"
}

# --- phase dax --------------------------------------------------------------------------------

dax_namespace() {
	"$NDCTL" create-namespace -f -e namespace0.0 --mode=devdax --map=mem --align=2M &&
		wait_for 10 test -c /dev/dax0.0
}

dax_phase() {
	local d=/dev/dax0.0
	say "phase dax on $d"
	result dax-namespace dax_namespace || return
	result dax-starts-device_dax driver_is dax0.0 device_dax
	if ! has_fsdev_dax; then
		result_rc dax-mount-refused-6x 1 "$FAMFS" mount -M "$d" "$MNT"
		result dax-still-device_dax driver_is dax0.0 device_dax
		result dax-not-mounted not_mounted
		report dax-fsdev SKIP "no fsdev_dax on $(uname -r): mkfs -M, mount -M, daxmode=famfs and their undo need it"
		return
	fi
	report dax-mount-refused-6x SKIP "$(uname -r) has fsdev_dax: the refusal without it is a 6.x check"
	result_rc dax-mkfs-needs-M 1 "$MKFS" -f "$d"
	result dax-mkfs-M "$MKFS" -f -M "$d"
	result dax-mkfs-restored driver_is dax0.0 device_dax
	result dax-fsck-M "$FAMFS" fsck -M "$d"
	result_out dax-mount-needs-M 1 "daxmode=famfs" "$FAMFS" mount "$d" "$MNT"
	result dax-mount-M "$FAMFS" mount -M "$d" "$MNT" || return
	result dax-on-fsdev driver_is dax0.0 fsdev_dax
	result dax-mode-recorded test -f /run/famfs/dax0.0.daxmode
	result dax-creat "$FAMFS" creat -s 8M -S 3 "$MNT/x"
	result dax-umount "$FAMFS" umount "$MNT"
	result dax-restored driver_is dax0.0 device_dax
	result dax-record-gone test ! -e /run/famfs/dax0.0.daxmode
	result dax-mount.famfs "$HELPER" "$d" "$MNT" -o daxmode=famfs,ro
	result dax-mount.famfs-data "$FAMFS" verify -S 3 -f "$MNT/x"
	result dax-umount.famfs "$UHELPER" "$MNT"
	result dax-umount.famfs-restored driver_is dax0.0 device_dax
	# a failed mount (no superblock) gives the device back too
	result dax-kill "$MKFS" -M -f -k "$d"
	result_rc dax-mount-bad-sb 1 "$HELPER" "$d" "$MNT" -o daxmode=famfs
	result dax-bad-sb-restored driver_is dax0.0 device_dax
	result dax-bad-sb-not-mounted not_mounted
}

say "famfs-cli on $(uname -r)"
result dax-stack load_dax_modules
result famfs-insmod load_famfs || finish
have "$FAMFS" && have "$MKFS" || finish
result help-version help_and_man
make_sources
if result pmem-namespace prepare_pmem && [ -b /dev/pmem0 ]; then
	pmem_phase
	umount "$MNT" 2>/dev/null
	batch_phase
	umount "$MNT" 2>/dev/null
else
	report pmem-device FAIL "no block device /dev/pmem0: the pmem and batch phases did not run"
fi
dax_phase
umount "$MNT" 2>/dev/null
finish
