#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Copyright (C) 2026 famfs contributors
# two-host.sh - two guests share one memory device through famfs (runs as the guest's /test.sh).
#
# The role comes from the kernel command line (role=prep|A|B); /host is the host's share (9p),
# the only channel between the guests besides the shared memory itself.
#   prep  make namespace0.0 a devdax device (--map=mem: each guest keeps its struct pages in its
#         own RAM; --map=dev corrupts a guest when two share the memory)
#   A     the master: mkfs, cp -r of a source tree, a 300 MiB file and a few more, a manifest of
#         checksums to the host, flag A.ready; after B.read, one more file and flag A.added
#   B     the client: waits for A.ready, mounts (replaying A's log), reads every file and compares
#         with A's manifest, checks that it cannot create files, flag B.read; after A.added,
#         logplay and checks the new file, flag B.done
# memkind=cxl (tests/vm/run-cxl.sh, boot.sh --cxl 1 on one shared backing file): no prep role; each
# guest commits its own RAM region over the shared type-3 device (lib.sh prepare_cxl) and uses
# its dax device. twohost_break=byte: A changes one byte of a file after writing its manifest
# (B's checksums must then differ: run-cxl.sh --break byte).
# Flags are files in /host written by rename; every wait has a timeout. Lines starting with
# "STORY" narrate the run (tests/demo.sh shows them).
# The least number of results of each role (tests/vm/guest-result.sh fails the guest below it):
# expect-results-prep: 3
# expect-results-A: 30
# expect-results-B: 20
. /guest/lib.sh

MNT=/mnt/famfs
DEV=/dev/dax0.0
H=/host
WAIT=${WAIT:-400}
ROLE=$(arg role)
MEM=$(arg memkind)
case $ROLE in A) OTHER=B ;; *) OTHER=A ;; esac

story() { echo "STORY $*"; }

# flag NAME: tell the other side (atomic: the name appears when the content is complete)
flag() { date >"$H/.$1.tmp" && mv "$H/.$1.tmp" "$H/$1"; }
# await NAME: wait for the other side's flag; give up early once the other guest has exited
# (the host writes A.exit / B.exit when a guest's qemu ends, crashed or not)
other_gone() { [ -e "$H/$OTHER.exit" ]; }
flag_or_gone() { [ -e "$H/$1" ] || other_gone; }
await() {
	wait_for "$WAIT" flag_or_gone "$1"
	[ -e "$H/$1" ] || { echo "no $1 flag: guest $OTHER exited or timed out"; return 1; }
}

# manifest: "sha256  ./path" for every file of the mounted famfs, sorted
manifest() { (cd "$MNT" && find . -type f ! -path './.meta/*' | sort | xargs -r sha256sum); }

my_uuid() { cat /opt/famfs/system_uuid 2>/dev/null; }

# role_is ROLE JSON: famfs fsck --json of the mount says this host is ROLE, the superblock's master
# UUID is A's (what A wrote to the share when it made the file system), and it is this host's
# UUID exactly when ROLE is master
role_is() {
	local master
	cat "$2"
	grep -q "\"role\": \"$1\"" "$2" || { echo "not \"role\": \"$1\""; return 1; }
	master=$(sed -n 's/.*"master_uuid": "\([0-9a-f-]*\)".*/\1/p' "$2")
	[ -n "$master" ] && [ "$master" = "$(cat "$H/A.uuid")" ] || { echo "master_uuid '$master', A's is '$(cat "$H/A.uuid")'"; return 1; }
	case $1 in
	master) [ "$master" = "$(my_uuid)" ] ;;
	*) [ "$master" != "$(my_uuid)" ] ;;
	esac || { echo "this host's UUID $(my_uuid), master $master, role $1"; return 1; }
}

# data_mib: the MiB of file data in the mounted famfs
data_mib() { find "$MNT" -type f ! -path '*/.meta/*' -exec stat -c %s {} + | awk '{s += $1} END {printf "%d", s / 1048576}'; }

# the common start: dax stack, fsdev_dax binding, famfs.ko, the host share
setup() {
	if [ "$MEM" = cxl ]; then
		setup_cxl
		return
	fi
	result "$ROLE-host-share" mount_host
	result "$ROLE-dax-stack" load_dax_modules
	result "$ROLE-dax-device" wait_for 10 test -c "$DEV"
	result "$ROLE-fsdev-bind" bind_fsdev dax0.0
	result "$ROLE-famfs-insmod" load_famfs
	have "$FAMFS" && have "$MKFS" || finish
	mkdir -p "$MNT"
}

# setup on CXL memory: this guest's own region over the shared type-3 device, devdax, famfs mode
setup_cxl() {
	result "$ROLE-host-share" mount_host
	result "$ROLE-cxl-modules" load_cxl_modules 1 || finish
	prepare_cxl mem0 "$ROLE-cxl" || finish
	DEV=/dev/$CXL_DAX
	result "$ROLE-famfs-insmod" load_famfs
	have "$FAMFS" && have "$MKFS" || finish
	mkdir -p "$MNT"
}

role_prep() {
	result prep-dax-stack load_dax_modules
	result prep-devdax "$NDCTL" create-namespace -f -e namespace0.0 --mode=devdax --map=mem --align=2M
	result prep-dax-device wait_for 10 test -c "$DEV"
	story "prepared the shared memory as $DEV ($(cat /sys/bus/dax/devices/dax0.0/size) bytes)"
}

role_A() {
	setup
	story "Guest A (the master) formats the shared memory with famfs"
	# without a file system there is nothing to share: stop (B stops when A's guest exits)
	result A-mkfs "$MKFS" "$DEV" || finish
	result A-mount "$FAMFS" mount "$DEV" "$MNT" || finish
	my_uuid >"$H/A.uuid"
	result A-has-uuid test -s "$H/A.uuid"
	# the superblock names A's UUID as the master's, and famfs calls A the master
	"$FAMFS" fsck --json "$MNT" >"$H/A.fsck.json" 2>&1
	result A-is-master role_is master "$H/A.fsck.json"
	story "A's system UUID is $(my_uuid): A is recorded as the master in the superblock"

	local n
	n=$(find "$H/tree" -type f | wc -l)
	story "A copies a source tree of $n files into famfs (famfs cp -r)"
	result A-cp-tree "$FAMFS" cp -r "$H/tree" "$MNT/tree"
	story "A creates a 300 MiB file filled with a pattern (famfs creat -S 1001)"
	result A-creat-300M "$FAMFS" creat -s 300M -S 1001 "$MNT/big300"
	result A-mkdir "$FAMFS" mkdir -p "$MNT/dir/sub"
	result A-creat-f1 "$FAMFS" creat -s 3M -S 11 "$MNT/dir/f1"
	result A-creat-f2 "$FAMFS" creat -s 17M -S 12 "$MNT/dir/sub/f2"
	result A-creat-f3 "$FAMFS" creat -s 1000 -S 13 "$MNT/dir/sub/f3"
	printf '%s\n' "big300 1001" "dir/f1 11" "dir/sub/f2 12" "dir/sub/f3 13" >"$H/seeds"
	result A-cp-tree-data same_tree "$H/tree" "$MNT/tree"

	# what the log cannot take is refused before it reaches the log, so B's replay below
	# still sees every file (log-integrity.sh has the full list, with a remount after each)
	story "A tries what the log must refuse: a size that overflows, a missing parent, a path twice, rm and mv"
	result_rc A-refuse-size-overflow 64 "$FAMFS" creat -s 18446744073709551615 "$MNT/huge"
	result_rc A-refuse-missing-parent 1 "$FAMFS" mkdir "$MNT/nodir/sub"
	result_rc A-refuse-duplicate 3 "$FAMFS" creat -s 2M "$MNT/dir/f1"
	result_errno A-refuse-unlink EPERM unlink "$MNT/dir/f1"
	result_errno A-refuse-rename EPERM rename "$MNT/dir/sub/f2" "$MNT/f2moved"
	story "A makes a directory with plain mkdir(1) and a file in it with famfs creat: the directory is logged first"
	result_errno A-plain-mkdir ok mkdir "$MNT/plain"
	result A-creat-under-plain "$FAMFS" creat -s 4M -S 14 "$MNT/plain/f4"
	echo "plain/f4 14" >>"$H/seeds"
	result A-fsck-after-refusals "$FAMFS" fsck "$MNT"

	story "A computes a checksum of every file and hands the list to the host"
	manifest >"$H/.manifest.A" && mv "$H/.manifest.A" "$H/manifest.A"
	result A-manifest test -s "$H/manifest.A" || finish
	if [ "$(arg twohost_break)" = byte ]; then
		# the break: one byte of dir/f1 changes after the manifest; B must notice
		local b
		b=$(dd if="$MNT/dir/f1" bs=1 skip=1000 count=1 2>/dev/null | od -An -tu1 | tr -d ' ')
		story "twohost_break=byte: A changes byte 1000 of dir/f1 ($b -> $(((b + 1) % 256))) after writing its manifest"
		printf "\\$(printf %o $(((b + 1) % 256)))" | dd of="$MNT/dir/f1" bs=1 seek=1000 conv=notrunc 2>/dev/null
	fi
	story "A is ready: $(wc -l <"$H/manifest.A") files, $(data_mib) MiB of data"
	flag A.ready

	story "A waits for B to read everything"
	result A-saw-B-read await B.read
	story "A adds one more file while B still has the file system mounted"
	result A-creat-late "$FAMFS" creat -s 5M -S 77 "$MNT/late"
	(cd "$MNT" && sha256sum ./late) >"$H/manifest.late"
	flag A.added
	result A-saw-B-done await B.done
	result A-umount umount "$MNT"
	result A-fsck "$FAMFS" fsck "$DEV"
}

# b_verify_seeds: famfs verify every seeded file A made
b_verify_seeds() {
	local f s rc=0
	while read -r f s; do
		"$FAMFS" verify -S "$s" -f "$MNT/$f" || { echo "verify $f failed"; rc=1; }
	done <"$H/seeds"
	return $rc
}

# late_same: B reads the same bytes for the late file as A wrote
# (the checksum goes to the host too, which compares it with A's: late-file-seen)
late_same() {
	(cd "$MNT" && sha256sum ./late) >/tmp/late.B && test -s /tmp/late.B && cp /tmp/late.B "$H/late.B" &&
		test -s "$H/manifest.late" && cmp /tmp/late.B "$H/manifest.late"
}

role_B() {
	setup
	story "Guest B (a client) waits until A says it is ready"
	result B-saw-A-ready await A.ready || finish
	# only mkfs creates /opt/famfs/system_uuid; an installed host has one, so give B its own
	[ -s /opt/famfs/system_uuid ] ||
		{ mkdir -p /opt/famfs && cat /proc/sys/kernel/random/uuid >/opt/famfs/system_uuid; }
	my_uuid >"$H/B.uuid"
	story "B mounts the same memory; famfs replays A's log to build the same files"
	result B-mount "$FAMFS" mount "$DEV" "$MNT" || finish
	# what decides B's role is the superblock: it names A's UUID as the master's, not B's
	"$FAMFS" fsck --json "$MNT" >"$H/B.fsck.json" 2>&1
	result B-is-client role_is client "$H/B.fsck.json"
	story "B's system UUID is $(my_uuid); the superblock names A's $(cat "$H/A.uuid"): B is a client"

	story "B reads every file back and checksums it"
	manifest >"$H/manifest.B"
	result B-files-match-A sh -c "test -s '$H/manifest.B' && cmp '$H/manifest.A' '$H/manifest.B'"
	result B-verify-seeded b_verify_seeds
	story "B read $(wc -l <"$H/manifest.B") files; checksums $(cmp -s "$H/manifest.A" "$H/manifest.B" && echo "all match A's" || echo "DIFFER from A's")"
	result B-mmap-vs-read "$MMAPTEST" cmp "$MNT/big300"

	story "B tries to create a file: a client cannot append to the log"
	result_out B-creat-refused 3 "this host is a client: its system UUID $(my_uuid) differs from the master's $(cat "$H/A.uuid")" \
		"$FAMFS" creat -s 2M -S 5 "$MNT/fromB"
	result_rc B-no-file-from-B 1 test -e "$MNT/fromB"
	flag B.read

	story "B waits for A to add a file"
	result B-saw-A-added await A.added
	result_rc B-late-not-yet-visible 1 test -e "$MNT/late"
	story "B replays the log (famfs logplay) and sees the new file"
	result B-logplay expect 0 "^$MNT: [1-9][0-9]* log entries: files 1 created, [1-9][0-9]* existed; directories 0 created, [0-9]+ existed \\(client: read-only\\)\$" \
		-- "$FAMFS" logplay "$MNT"
	result B-late-visible test -f "$MNT/late" || { flag B.done; finish; }
	result B-late-data late_same
	result B-late-verify "$FAMFS" verify -S 77 -f "$MNT/late"
	result B-umount umount "$MNT"
	flag B.done
}

case $ROLE in
prep) role_prep ;;
A) role_A ;;
B) role_B ;;
*) report two-host-role FAIL "no role=prep|A|B on the kernel command line" ;;
esac
finish
