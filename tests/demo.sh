#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Copyright (C) 2026 famfs contributors
# demo.sh - famfs in action: two virtual machines share one piece of memory.
#
# Guest A (the master) formats the memory with famfs and writes files; guest B (a client),
# running at the same time, mounts the same memory and reads the very same bytes, with no
# network and no copy in between. Everything is narrated. Needs root; from a cold cache it
# first downloads the kernels (a few minutes), later runs take about a minute.
set -euo pipefail
# shellcheck source=vm/kernels.sh
source "$(dirname "${BASH_SOURCE[0]}")/vm/kernels.sh"
need_root

out=$FAMFS_WORK/demo
mkdir -p "$FAMFS_WORK"
# not while run-guests.sh runs guests (at most two guests on the machine)
exec 7>"$FAMFS_WORK/.guests.lock"
flock -n 7 || { log "demo.sh: waiting for another guest run to finish"; flock 7; }
say() { printf '\n%s\n' "$*" | fold -s -w 110; }
step() { printf '  - %s\n' "$*"; }

say "famfs demo: two computers, one memory."
step "famfs is a file system for memory that several computers can reach at once (CXL shared"
step "memory). Here two qemu virtual machines play the computers, and one 2 GiB file on this"
step "host plays the shared memory: both machines see it as the device /dev/dax0.0."

say "Getting ready (packages, Linux kernels, the famfs tools and kernel module)..."
"$VM_DIR/setup-host.sh"
"$VM_DIR/kernels.sh" fetch >/dev/null 2>"$FAMFS_WORK/demo-fetch.log" ||
	{ tail -n 20 "$FAMFS_WORK/demo-fetch.log"; die "could not get the kernels"; }
# the newest tracked kernel that has fsdev_dax (trixie-backports or sid)
krel=$("$VM_DIR/kernels.sh" newest-fsdev)
step "kernel: Debian $krel (it has fsdev_dax, which lets a file system use a dax device)"
make -s -C "$FAMFS_REPO/userspace" >"$FAMFS_WORK/demo-userspace.log" 2>&1 ||
	{ tail -n 20 "$FAMFS_WORK/demo-userspace.log"; die "the famfs tools do not build"; }
step "famfs tools built: userspace/build/famfs, userspace/build/mkfs.famfs"
"$VM_DIR/build-module.sh" "$krel" "$out-ko" >/dev/null ||
	die "the famfs kernel module does not build for $krel"
step "famfs kernel module built for $krel"

say "Running the two guests. First a short boot prepares the shared memory as a dax device; then A and B start together. What each of them does, as it happens:"
# the narration lines come live on run-two-host.sh's output; the rest goes to the log
set +e
"$VM_DIR/run-two-host.sh" --krel "$krel" --ko "$out-ko/famfs.ko" --out "$out" --narrate 2>&1 |
	tee "$FAMFS_WORK/demo-run.log" | grep --line-buffered '^  \[guest'
rc=${PIPESTATUS[0]}
set -e

share=$out/share
say "What B read back"
if [ -s "$share/manifest.A" ] && [ -s "$share/manifest.B" ]; then
	total=$(wc -l <"$share/manifest.B")
	step "B found $total files in famfs, all written by A. A sample, with their SHA-256 checksums:"
	printf '      %-52s %-18s %-18s %s\n' "file" "A wrote" "B read" ""
	{ grep -v ' ./tree/' "$share/manifest.B"; grep -m 8 ' ./tree/' "$share/manifest.B"; } |
		while read -r sum path; do
			a=$(awk -v p="$path" '$2 == p {print $1}' "$share/manifest.A")
			printf '      %-52s %-18s %-18s %s\n' "${path#./}" "${a:0:16}" "${sum:0:16}" \
				"$([ "$a" = "$sum" ] && echo match || echo DIFFERENT)"
		done
	if grep -q 'two-host-B: RESULT B-late-data PASS' "$FAMFS_WORK/demo-run.log"; then
		step "The file A added later (late, 5 MiB) appeared on B after famfs logplay, same checksum."
	fi
	if cmp -s "$share/manifest.A" "$share/manifest.B"; then
		step "All $total checksums match: B read exactly the bytes A wrote, through the shared memory."
	else
		step "Some checksums differ: see $share/manifest.A and $share/manifest.B."
	fi
else
	step "No manifests: the run did not get that far (consoles: $out/console-*.log)."
fi
if [ -s "$share/A.uuid" ] && [ -s "$share/B.uuid" ]; then
	step "A's system UUID $(cat "$share/A.uuid") is in the superblock, so A is the master;"
	step "B's UUID $(cat "$share/B.uuid") differs, so B is a client and could not create files."
fi

say "Checks"
grep -E '^[^ ]+: RESULT ' "$FAMFS_WORK/demo-run.log" | grep -c ' PASS' | xargs printf '  %s checks passed\n'
if grep -E '^[^ ]+: RESULT ' "$FAMFS_WORK/demo-run.log" | grep ' FAIL'; then
	say "Some checks FAILED. Guest consoles: $out/console-{prep,A,B}.log"
	exit 1
fi
say "Every check passed."
step "guest consoles, with the full kernel logs: $out/console-{prep,A,B}.log"
exit "$rc"
