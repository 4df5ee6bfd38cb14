#!/bin/sh
# famfs-cli.sh - every famfs command and option on one kernel (runs as the guest's /test.sh).
#
# Phase "pmem": the whole command line on /dev/pmem0 (every kernel): mkfs.famfs, famfs mount
# (-r, -R), umount, mkmeta, logplay (-n, --json, incremental), mkdir, creat, cp, verify, flush,
# getmap, check, chkread, fsck (every way in, --json), df, mount.famfs / umount.famfs, the client
# role, 4 concurrent writers, interleaved files, ENOSPC, ENAMETOOLONG, a killed superblock.
# Phase "batch": creat -t, verify --multi/-t, fsck -B, .meta/.alloc.cfg, one creat of > 4096 files.
# Phase "dax": /dev/dax0.0 left on device_dax: the fsdev_dax switch of mkfs -M, mount -M,
# mount.famfs -o daxmode=famfs and its undo by umount (7.x); a clean refusal elsewhere.
# Every check prints "RESULT <name> PASS|FAIL [detail]"; the exit status is the number of FAILs.
. /guest/lib.sh

MNT=/mnt/famfs
SRC=/tmp/cli-src
HELPER=/sbin/mount.famfs
UHELPER=/sbin/umount.famfs
mkdir -p "$MNT" "$SRC"

# --- small checks -----------------------------------------------------------------------------

# rc_is N CMD...: CMD exits with status N exactly
rc_is() {
	local want=$1 rc=0
	shift
	"$@" || rc=$?
	[ "$rc" -eq "$want" ] || { echo "exit $rc, expected $want: $*"; return 1; }
}
# out_has TEXT CMD...: CMD succeeds or fails, but prints TEXT (stdout or stderr)
out_has() {
	local want=$1
	shift
	"$@" >/tmp/out_has 2>&1
	cat /tmp/out_has
	grep -q -- "$want" /tmp/out_has
}
# json_has TEXT CMD...: CMD's stdout holds TEXT (a "key": value fragment)
json_has() {
	local want=$1
	shift
	"$@" >/tmp/json_has 2>/dev/null
	cat /tmp/json_has
	grep -q -- "$want" /tmp/json_has
}
owner_is() { [ "$(stat -c '%u:%g %a' "$1")" = "$2" ] || { stat -c '%u:%g %a' "$1"; return 1; }; }
driver_of() { basename "$(readlink "/sys/bus/dax/devices/$1/driver" 2>/dev/null)" 2>/dev/null; }
driver_is() { [ "$(driver_of "$1")" = "$2" ] || { echo "driver: '$(driver_of "$1")'"; return 1; }; }
not_mounted() { ! is_mounted "$MNT"; }
ro_mount() { grep " $MNT famfs " /proc/mounts | grep -q '[ ,]ro[ ,]'; }
touch_refused() { ! touch "$MNT/rogue" 2>/dev/null; }

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

# the second logplay creates only what is new: a rogue rm, then replay brings back just that one
logplay_incremental() {
	rm "$MNT/d/f1" || return 1
	"$FAMFS" logplay "$MNT" >/tmp/lp.out 2>&1
	cat /tmp/lp.out
	grep -q "files 1 created" /tmp/lp.out && "$FAMFS" verify -q -S 1 -f "$MNT/d/f1"
}

long_name() {
	local n=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
	out_has "at most 79" "$FAMFS" creat -s 2M "$MNT/$n" && [ ! -e "$MNT/$n" ]
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
	result mkfs-too-small rc_is 1 "$MKFS" /tmp/small.img
	result mkfs-bad-loglen rc_is 64 "$MKFS" --loglen 12M "$d"
	result mkfs-kill-needs-force rc_is 64 "$MKFS" -k "$d"
	result mkfs "$MKFS" -f --loglen 16M "$d" || return
	result mkfs-refuses-existing rc_is 3 "$MKFS" "$d"
	result fsck-device "$FAMFS" fsck "$d"
	result fsck-device-json json_has '"clean": true' "$FAMFS" fsck --json "$d"

	result mount "$FAMFS" mount -v "$d" "$MNT" || return
	result mount-again-refused rc_is 3 "$FAMFS" mount "$d" "$MNT"
	result mount-r-refresh "$FAMFS" mount -r "$d" "$MNT"
	result mkfs-refuses-mounted rc_is 3 "$MKFS" -f "$d"

	result mkdir "$FAMFS" mkdir "$MNT/d"
	result mkdir-exists-refused rc_is 3 "$FAMFS" mkdir "$MNT/d"
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
	result creat-other-size-refused rc_is 3 "$FAMFS" creat -s 4M "$MNT/d/f1"
	result creat-enospc out_has "no contiguous free run" "$FAMFS" creat -s 64G "$MNT/huge"
	result creat-enametoolong long_name
	result creat-interleaved interleaved

	result cp-file "$FAMFS" cp "$SRC/f3M" "$MNT/f3M"
	result cp-file-data cmp "$SRC/f3M" "$MNT/f3M"
	result cp-never-overwrites rc_is 3 "$FAMFS" cp "$SRC/s1" "$MNT/f3M"
	result cp-several-into-dir "$FAMFS" cp -m 0444 -u 7 -g 8 "$SRC/s1" "$SRC/s2" "$SRC/empty" "$MNT/d"
	result cp-several-data cmp "$SRC/s2" "$MNT/d/s2"
	result cp-mode-owner owner_is "$MNT/d/s1" "7:8 444"
	result cp-empty size_is "$MNT/d/empty" 0
	result cp-r "$FAMFS" cp -r "$SRC/tree" "$MNT/"
	result cp-r-data same_tree "$SRC/tree" "$MNT/tree"
	result cp-dir-needs-r rc_is 1 "$FAMFS" cp "$SRC/tree" "$MNT/tree2"

	result verify-wrong-seed rc_is 4 "$FAMFS" verify -S 2 -f "$MNT/d/f1"
	result flush "$FAMFS" flush -v "$MNT/d/f1" "$MNT/f3M"
	result getmap "$FAMFS" getmap "$MNT/d/f1" "$MNT/f3M"
	result getmap-q "$FAMFS" getmap -q "$MNT/d/f1"
	result getmap-json json_has '"layout": "simple"' "$FAMFS" getmap --json "$MNT/d/f1"
	result getmap-not-famfs rc_is 1 "$FAMFS" getmap -q "$SRC/s1"
	touch "$MNT/unmapped" 2>/dev/null
	if [ -e "$MNT/unmapped" ]; then
		result getmap-unmapped rc_is 2 "$FAMFS" getmap -q "$MNT/unmapped"
		result check-finds-unmapped rc_is 4 "$FAMFS" check "$MNT"
		rm -f "$MNT/unmapped"
	fi
	result check "$FAMFS" check "$MNT"
	result chkread "$FAMFS" chkread -s -l "$MNT/d/f2"

	result logplay-n "$FAMFS" logplay -n "$MNT"
	result logplay-n-json json_has '"would_create": 0' "$FAMFS" logplay -n --json "$MNT"
	result logplay-json-needs-n rc_is 64 "$FAMFS" logplay --json "$MNT"
	result logplay-incremental logplay_incremental
	result fsck-mounted "$FAMFS" fsck -v "$MNT"
	result fsck-read-mode "$FAMFS" fsck -r "$MNT"
	result fsck-mounted-dev json_has '"errors": 0' "$FAMFS" fsck -j "$d"
	result df "$FAMFS" df "$MNT"
	result df-json json_has '"free_bytes"' "$FAMFS" df --json "$MNT"

	echo 11111111-2222-4333-8444-555555555555 >/tmp/client_uuid
	result client-creat-refused client_refused creat -s 2M "$MNT/c1"
	result client-mkdir-refused client_refused mkdir "$MNT/c2"
	result client-cp-refused client_refused cp "$SRC/s1" "$MNT/c3"
	result client-logplay as_client "$FAMFS" logplay "$MNT"
	result client-fsck as_client "$FAMFS" fsck "$MNT"

	result writers-4 writers
	result fsck-after-writers json_has '"shared-memory": 0' "$FAMFS" fsck --json "$MNT"

	result umount "$FAMFS" umount -v "$MNT" || return
	result umount-gone not_mounted
	result mount-ro "$FAMFS" mount -R "$d" "$MNT" || return
	result mount-ro-is-ro ro_mount
	result mount-ro-no-writes touch_refused
	result mount-ro-data "$FAMFS" verify -S 1 -f "$MNT/d/f1"
	result logplay-on-ro "$FAMFS" logplay "$MNT"
	result still-ro-after-logplay ro_mount
	result umount-ro "$FAMFS" umount "$MNT"

	# a raw kernel mount, then mkmeta + logplay by hand (spec 1.3)
	result raw-mount mount -t famfs -o noatime "$d" "$MNT" &&
	result mkmeta "$FAMFS" mkmeta "$MNT" &&
	result raw-logplay "$FAMFS" logplay "$MNT" &&
	result raw-data cmp "$SRC/f3M" "$MNT/f3M"
	umount "$MNT" 2>/dev/null

	# the helpers, as mount(8) runs them
	ln -sf /usr/local/bin/famfs "$HELPER"
	ln -sf /usr/local/bin/famfs "$UHELPER"
	result mount.famfs "$HELPER" "$d" "$MNT" -v -o ro,noexec
	result mount.famfs-data cmp "$SRC/f3M" "$MNT/f3M"
	result mount.famfs-ro ro_mount
	result umount.famfs "$UHELPER" "$MNT"
	result mount.famfs-fake "$HELPER" "$d" "$MNT" -f
	result mount.famfs-fake-no-mount not_mounted

	result mkfs-kill "$MKFS" -f -k "$d"
	result fsck-killed out_has "sb-magic" "$FAMFS" fsck "$d"
	result fsck-killed-json json_has '"class": "sb-magic"' "$FAMFS" fsck --json "$d"
	result mount-killed-refused rc_is 1 "$FAMFS" mount "$d" "$MNT"
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
	local i=1
	"$FAMFS" mkdir "$MNT/many" || return 1
	set --
	while [ $i -le 4200 ]; do set -- "$@" "$MNT/many/f$i"; i=$((i + 1)); done
	out_has "no contiguous free run" rc_is 1 "$FAMFS" creat -s 1M "$@" || return 1
	[ -e "$MNT/many/f1" ] && [ -e "$MNT/many/f500" ] && [ ! -e "$MNT/many/f4200" ]
}

batch_phase() {
	local d=/dev/pmem0
	say "phase batch on $d"
	result batch-mkfs "$MKFS" -f "$d" || return
	result batch-mount "$FAMFS" mount "$d" "$MNT" || return
	"$FAMFS" mkdir "$MNT/b"
	result creat-t0 "$FAMFS" creat -t 0 -s 40M -S 100 "$MNT/b/f1" "$MNT/b/f2"
	result creat-t4 "$FAMFS" creat -t 4 -s 70M -S 200 "$MNT/b/g1" "$MNT/b/g2"
	result creat-t-bad rc_is 64 "$FAMFS" creat -t 999 -s 2M "$MNT/b/x"
	result verify-multi "$FAMFS" verify --multi "$MNT/b/f1,100" --multi "$MNT/b/f2,101"
	result verify-multi-list "$FAMFS" verify -t 3 -m "$MNT/b/g1,200" "$MNT/b/g2,201" "$MNT/b/f1,100"
	result verify-multi-and-f "$FAMFS" verify -t 2 -S 200 -f "$MNT/b/g1" --multi "$MNT/b/g2,201"
	result verify-multi-mismatch rc_is 4 "$FAMFS" verify -t 2 --multi "$MNT/b/g1,200" "$MNT/b/g2,999"
	result fsck-B out_has "buckets: 4" "$FAMFS" fsck -B 4 "$MNT"
	result fsck-B-json json_has '"fragments"' "$FAMFS" fsck -j -B 8 "$MNT"
	result fsck-B-bad rc_is 64 "$FAMFS" fsck -B 0 "$MNT"
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
		result dax-mount-refused-6x rc_is 1 "$FAMFS" mount -M "$d" "$MNT"
		result dax-still-device_dax driver_is dax0.0 device_dax
		result dax-not-mounted not_mounted
		return
	fi
	result dax-mkfs-needs-M rc_is 1 "$MKFS" -f "$d"
	result dax-mkfs-M "$MKFS" -f -M "$d"
	result dax-mkfs-restored driver_is dax0.0 device_dax
	result dax-fsck-M "$FAMFS" fsck -M "$d"
	result dax-mount-needs-M out_has "daxmode=famfs" "$FAMFS" mount "$d" "$MNT"
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
	result dax-mount-bad-sb rc_is 1 "$HELPER" "$d" "$MNT" -o daxmode=famfs
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
fi
dax_phase
umount "$MNT" 2>/dev/null
finish
