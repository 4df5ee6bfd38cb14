#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Copyright (C) 2026 famfs contributors
#
# no-outside-refs.sh - nothing in the repository may refer to a file outside
# it. A clone, a release tarball and the installed packages hold only what is
# in the tree, so a comment or document that sends its reader to the build
# machine's design notes, to an absolute path of some workspace or to
# someone's home directory leads nowhere. Code refers to the documents in
# Documentation/ (format.md, ioctl.md, admin.md) instead.
#
# Searches every file git lists (tracked, and untracked but not ignored; or
# every file under the top directory without git), text files only, and
# prints each offending line and one line:
#
#   RESULT docs-no-outside-refs PASS|FAIL [detail]
#
# Usage: tests/no-outside-refs.sh [TOPDIR]   (default: the repository)

set -u
top=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$top" || { echo "RESULT docs-no-outside-refs FAIL (no directory $top)"; exit 1; }

# The patterns are written in two pieces so that this file does not match
# itself.
d=design
patterns=(
	-e "shared/$d"				# the research notes of the build machine
	-e "/wor""k/"				# the build machine's workspace
	-e "/hom""e/[A-Za-z0-9_.-]"		# absolute home directories
	-e "/Use""rs/[A-Za-z0-9_.-]"
	-e "/roo""t/"
	-e "format-and-""cli"			# names of the notes outside the tree
	-e "vm-""harness\.md"
	-e "kernel-""compat\.md"
	-e "seed-""digest\.md"
	-e "perf-""anchors\.md"
	-e "DESIGN""\.md"
	-e "DESIGN"" §"
	-e "spec"" §"				# the old name of the notes' sections
)

if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	list() { git ls-files -z -co --exclude-standard; }
else
	list() { find . -path ./.git -prune -o -path ./build -prune -o -type f -print0 | sed -z 's|^\./||'; }
fi

hits=$(list | while IFS= read -r -d '' f; do [ -f "$f" ] && printf '%s\0' "$f"; done |
	xargs -0 -r grep -I -n -H "${patterns[@]}" -- 2>/dev/null)

if [ -n "$hits" ]; then
	printf '%s\n' "$hits"
	n=$(printf '%s\n' "$hits" | wc -l)
	echo "RESULT docs-no-outside-refs FAIL ($n line(s) refer outside the repository; point them at Documentation/ instead)"
	exit 1
fi
echo "RESULT docs-no-outside-refs PASS"
exit 0
