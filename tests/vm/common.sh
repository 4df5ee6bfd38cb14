#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Copyright (C) 2026 famfs contributors
# shellcheck disable=SC2034  # the variables are for the scripts that source this file
# common.sh - paths and small helpers shared by the tests/vm scripts (source it).
#
# FAMFS_CACHE: downloads, unpacked kernels, chroot tarball; outside the repo, survives runs.
# FAMFS_WORK:  scratch (chroot, initramfs images, consoles, memory files); gitignored build/.

FAMFS_REPO=${FAMFS_REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
FAMFS_CACHE=${FAMFS_CACHE:-${HOME:-/root}/.cache/famfs}
FAMFS_WORK=${FAMFS_WORK:-$FAMFS_REPO/build/vm}
VM_DIR=$FAMFS_REPO/tests/vm
GUEST_DIR=$FAMFS_REPO/tests/guest

log() { printf '%s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# timed NAME CMD...: run CMD and print "TIMING NAME <seconds>s" (on stdout) when it ends.
timed() {
	local name=$1 start rc=0
	shift
	start=$(date +%s.%N)
	"$@" || rc=$?
	printf 'TIMING %-28s %6.1fs%s\n' "$name" "$(echo "$(date +%s.%N) - $start" | bc)" \
		"$([ "$rc" -eq 0 ] || echo " (rc=$rc)")"
	return "$rc"
}

need_root() { [ "$(id -u)" -eq 0 ] || die "must run as root (chroot, unshare, qemu images)"; }

# copy_source_tree DIR: the tree the two-host master copies into famfs - the project's own
# sources, at most 150 files (famfs allocates 2 MiB each) - into DIR (run-two-host.sh, run-cxl.sh)
copy_source_tree() {
	local dir=$1 f
	(
		cd "$FAMFS_REPO"
		find module dax-compat userspace tests -type f \
			! -path '*/build/*' ! -name '*.o' ! -name '*.ko' ! -name '*.cmd' ! -name '*.mod*' \
			! -name '*.a' ! -name '*.d' ! -name 'modules.order' ! -name 'Module.symvers' 2>/dev/null |
			sort | awk 'NR <= 150' | while read -r f; do
				mkdir -p "$dir/$(dirname "$f")"
				cp "$f" "$dir/$f"
			done
	)
}

# results_total RESULTS EXPECTED PREFIX SHORTFALL: the end of a guest runner (run-guests.sh,
# run-cxl.sh) over its RESULTS file: "harness: RESULT <PREFIX>results-count" (at least EXPECTED
# results; SHORTFALL, a printf format of EXPECTED, says who declared them), "<PREFIX>results-unique" FAIL for a name printed
# twice (both through the caller's emit), then "N passed, N failed, N skipped"; returns 0 only
# when nothing failed and something passed
results_total() {
	local results=$1 expected=$2 prefix=$3 shortfall=$4 got dups passed failed skipped
	got=$(grep -c ' RESULT [^ ]* \(PASS\|FAIL\|SKIP\)' "$results" || true)
	if [ "$got" -lt "$expected" ]; then
		# shellcheck disable=SC2059  # the format is the caller's
		emit "harness: RESULT ${prefix}results-count FAIL ($got results, $(printf "$shortfall" "$expected"))"
	else
		emit "harness: RESULT ${prefix}results-count PASS ($got results, at least $expected expected)"
	fi
	dups=$(sed -n 's/^\([^ ]*\): RESULT \([^ ]*\) .*/\1\/\2/p' "$results" | sort | uniq -d | tr '\n' ' ')
	[ -z "$dups" ] || emit "harness: RESULT ${prefix}results-unique FAIL (printed more than once: $dups)"
	passed=$(grep -c ' RESULT [^ ]* PASS' "$results" || true)
	failed=$(grep -c ' RESULT [^ ]* FAIL' "$results" || true)
	skipped=$(grep -c ' RESULT [^ ]* SKIP' "$results" || true)
	echo "$passed passed, $failed failed, $skipped skipped"
	[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
}
