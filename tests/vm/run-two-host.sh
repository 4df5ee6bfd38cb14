#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Copyright (C) 2026 famfs contributors
# run-two-host.sh --krel KREL --ko FAMFS.KO --out DIR [--narrate]
#
# The two-host scenario (tests/guest/two-host.sh) on one kernel (7.x: it needs fsdev_dax):
#   1. a "prep" guest makes the fresh 2 GiB shared memory file a devdax namespace;
#   2. guests A (master) and B (client) boot at the same time on that file, each -smp 1,
#      and talk only through flag files in a 9p share (DIR/share) and the memory itself.
# Prints "two-host-<role>: RESULT ..." lines, host-side checks as "two-host: RESULT ...", and
# TIMING lines. --narrate also prints the guests' STORY lines live (tests/demo.sh).
# Exit 0 only if every check passed.
set -euo pipefail
# shellcheck source=kernels.sh
source "$(dirname "${BASH_SOURCE[0]}")/kernels.sh"

krel='' ko='' out='' narrate=0
while [ $# -gt 0 ]; do
	case $1 in
	--krel) krel=$2; shift 2 ;;
	--ko) ko=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--narrate) narrate=1; shift ;;
	*) die "run-two-host.sh: unknown argument $1" ;;
	esac
done
[ -n "$krel" ] && [ -n "$ko" ] && [ -n "$out" ] || die "usage: run-two-host.sh --krel KREL --ko KO --out DIR [--narrate]"
need_root

rm -rf "$out"
mkdir -p "$out/share/tree"
share=$out/share mem=$out/mem.img initrd=$out/initrd.gz

# the tree A copies (common.sh)
copy_source_tree "$share/tree"

"$VM_DIR/mkinitrd.sh" "$krel" "$initrd" "$GUEST_DIR/two-host.sh" --ko "$ko" 2>/dev/null
# a fresh, sparse memory file: no famfs from an earlier run
truncate -s 2G "$mem"

# guest ROLE: boot one guest on the shared memory; mark its exit in the share for the other one
guest() {
	local rc=0
	"$VM_DIR/boot.sh" --krel "$krel" --initrd "$initrd" --console "$out/console-$1.log" \
		--mem-file "$mem" --mem-size 2G --share "$share" --timeout 480 -- "role=$1" || rc=$?
	date >"$share/$1.exit"
	return "$rc"
}

# boot_roles ROLE...: boot these guests at the same time and wait for all of them; with
# --narrate, print their STORY lines as they appear (tail stops when its guest has ended)
boot_roles() {
	local role pid pids=()
	for role in "$@"; do
		: >"$out/console-$role.log"
		guest "$role" &
		pid=$!
		pids+=("$pid")
		if [ "$narrate" = 1 ]; then
			tail -n +1 -F --pid="$pid" "$out/console-$role.log" 2>/dev/null |
				sed -un "s/\r\$//; s/^STORY /  [guest $role] /p" &
		fi
	done
	for pid in "${pids[@]}"; do wait "$pid" || true; done
	wait # the story followers
}

timed two-host-prep boot_roles prep
timed two-host-A+B boot_roles A B

fail=0
for role in prep A B; do
	min=$(sed -n "s/^# expect-results-$role: *\([0-9][0-9]*\).*/\1/p" "$GUEST_DIR/two-host.sh")
	"$VM_DIR/guest-result.sh" "$out/console-$role.log" "two-host-$role" "${min:-1}" || fail=1
done

# host-side checks on what the guests left in the share
check() {
	local name=$1
	shift
	if "$@" >/dev/null 2>&1; then echo "two-host: RESULT $name PASS"; else
		echo "two-host: RESULT $name FAIL"; fail=1; fi
}
# the superblock, as A's and B's famfs read it, names A's system UUID as the master's; famfs on B
# calls B a client, and B's UUID is not A's
master_of() { sed -n 's/.*"master_uuid": "\([0-9a-f-]*\)".*/\1/p' "$share/$1.fsck.json"; }
master_is_A() {
	local a
	a=$(cat "$share/A.uuid")
	[ -n "$a" ] && [ "$(master_of A)" = "$a" ] && [ "$(master_of B)" = "$a" ]
}
B_is_client() {
	grep -q '"role": "client"' "$share/B.fsck.json" && [ -s "$share/B.uuid" ] &&
		! cmp -s "$share/A.uuid" "$share/B.uuid"
}
check master-is-A master_is_A
check B-not-master B_is_client
check manifests-equal cmp "$share/manifest.A" "$share/manifest.B"
check manifest-has-tree sh -c "[ \$(grep -c ' ./tree/' '$share/manifest.A') -eq $(find "$share/tree" -type f | wc -l) ]"
check manifest-has-300M grep -q ' ./big300$' "$share/manifest.A"
# B's checksum of the file A added after B mounted is the one A wrote
check late-file-seen sh -c "test -s '$share/manifest.late' && test -s '$share/late.B' && cmp '$share/manifest.late' '$share/late.B'"
exit "$fail"
