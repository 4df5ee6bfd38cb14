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
