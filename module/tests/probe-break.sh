#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 famfs contributors
# probe-break.sh - show that a broken compile probe stops the famfs build, loudly.
#
#   probe-break.sh KDIR [PROBE]         build natively against the kernel build tree KDIR
#                                       with FAMFS_PROBE_BREAK=PROBE
#   probe-break.sh --krel KREL [PROBE]  build in KREL's own toolchain (tests/vm/build-module.sh);
#                                       the probe source is broken in a copy of the tree, since
#                                       that build runs with a clean environment
#
# A normal build runs first: it must succeed, and it tells which variant of probe group "idmap"
# this kernel compiles (the default PROBE). Then PROBE gets a syntax error and the build must
# fail with: the "ERROR: famfs cannot be built for kernel <release>" line, the probe's group,
# the probe named with its first compiler error, that probe's compiler output, and no famfs.ko.
# PROBE must be one that compiles on this kernel and belongs to a group or a "require" line
# (dax-compat/probes.conf): breaking an optional or info probe is legitimately silent.
# Prints the error message; exit 0 when every assertion held.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)

usage() { echo "usage: $0 KDIR [PROBE] | --krel KREL [PROBE]" >&2; exit 2; }
[ $# -ge 1 ] || usage
krel=
kdir=
if [ "$1" = --krel ]; then
	[ $# -ge 2 ] || usage
	krel=$2
	shift 2
else
	kdir=$(cd "$1" && pwd)
	shift
fi
probe=${1:-}

work=$(mktemp -d /tmp/famfs-probe-break.XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { echo "probe-break: FAIL: $*" >&2; exit 1; }

# tree DIR [BROKEN]: a copy of module/ and dax-compat/ without build products; BROKEN gets the
# same syntax error that FAMFS_PROBE_BREAK appends
tree() {
	mkdir -p "$1"
	tar -C "$repo" -c --exclude='*.o' --exclude='*.ko' --exclude='*.cmd' --exclude='*.mod' \
		--exclude='*.mod.c' --exclude=modules.order --exclude=Module.symvers \
		--exclude=module/build module dax-compat | tar -C "$1" -x
	if [ -n "${2:-}" ]; then
		[ -f "$1/dax-compat/probes/$2.c" ] || fail "no probe dax-compat/probes/$2.c"
		printf '\nFAMFS_PROBE_BREAK deliberate syntax error\n' >>"$1/dax-compat/probes/$2.c"
	fi
}

# build NAME [BROKEN]: build a fresh tree, log in $work/NAME.log; returns make's status
build() {
	local t=$work/$1 rc=0
	if [ -n "$kdir" ]; then
		tree "$t"
		FAMFS_PROBE_BREAK=${2:-} make -C "$t/module" KDIR="$kdir" >"$work/$1.log" 2>&1 || rc=$?
		[ ! -f "$t/module/famfs.ko" ] || touch "$work/$1.ko"
	else
		tree "$t" "${2:-}"
		FAMFS_SRC=$t "$repo/tests/vm/build-module.sh" "$krel" "$work/$1.out" >/dev/null 2>&1 ||
			rc=$?
		cp "$work/$1.out/build.log" "$work/$1.log"
		[ ! -f "$work/$1.out/famfs.ko" ] || touch "$work/$1.ko"
	fi
	return "$rc"
}

build good || { tail -n 30 "$work/good.log" >&2; fail "the unbroken tree does not build"; }
rel=$(sed -n 's/^  PROBE   \([^ ]*\) groups:.*/\1/p' "$work/good.log" | head -n 1)
[ -n "$rel" ] || fail "no probe summary in the build log"
if [ -z "$probe" ]; then
	probe=$(sed -n 's/^  PROBE   [^ ]* groups:.* idmap=\([a-z0-9_]*\).*/\1/p' "$work/good.log")
	[ -n "$probe" ] || fail "cannot tell which idmap variant $rel compiles"
fi
grep -q "^  PROBE   $rel present:.* $probe\( \|$\)" "$work/good.log" ||
	fail "probe $probe does not compile on $rel: breaking it proves nothing"

echo "probe-break: $rel: breaking probe $probe"
rc=0
build broken "$probe" || rc=$?
log=$work/broken.log
sed -n '/ERROR: famfs cannot be built/,/^probe.sh: -----$/p' "$log" | grep -v '^probe.sh: -----$' |
	sed -n '1,12p'
echo "..."
grep '^probe.sh: probe classification' "$log" || true

[ "$rc" -ne 0 ] || fail "the build with a broken $probe succeeded"
[ ! -f "$work/broken.ko" ] || fail "famfs.ko was built with a broken $probe"
grep -q "ERROR: famfs cannot be built for kernel $rel " "$log" ||
	fail "no error line naming kernel $rel"
grep -qE "^  probe (group '[a-z_]+'|'$probe')" "$log" || fail "no probe group named"
grep -qE "^      $probe +failed: .*$probe\\.c:[0-9]+:[0-9]+: error: .*FAMFS_PROBE_BREAK" "$log" ||
	fail "$probe is not named with its first compiler error"
grep -q "compiler output of probe $probe " "$log" || fail "no compiler output of $probe"
echo "probe-break: PASS: the build for $rel stopped, naming probe $probe and its first error"
