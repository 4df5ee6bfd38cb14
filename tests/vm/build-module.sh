#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Copyright (C) 2026 famfs contributors
# build-module.sh KREL OUTDIR - build famfs.ko for one kernel from the tree's module/ + dax-compat/.
#
# The sources are copied first (the tree may be edited while we build, and the chroot cannot see it).
# The build is `make -C <copy>/module KDIR=<headers of KREL>`, which must leave <copy>/module/famfs.ko.
#   bookworm (6.1, gcc-12): natively, against the unpacked headers in the cache.
#   trixie, trixie-backports, sid, experimental (gcc-14/16, tools need glibc >= 2.38): in the
#   debootstrap tree of the kernel's toolchain release (kernels.sh fetch prepares it).
# Result: OUTDIR/famfs.ko and OUTDIR/build.log; on failure, exit 1 with the tail of the log.
#
# env: FAMFS_SRC  tree to copy module/ and dax-compat/ from (default: this repo)
set -euo pipefail
# shellcheck source=kernels.sh
source "$(dirname "${BASH_SOURCE[0]}")/kernels.sh"

[ $# -eq 2 ] || die "usage: build-module.sh KREL OUTDIR"
krel=$1
outdir=$2
src=${FAMFS_SRC:-$FAMFS_REPO}
need_root
[ -f "$src/module/Makefile" ] || die "$src/module/Makefile does not exist (nothing to build)"
[ -e "$(k_root "$krel")/.done" ] || die "kernel $krel is not unpacked: run tests/vm/kernels.sh fetch"

mkdir -p "$outdir"
outdir=$(cd "$outdir" && pwd)
rm -f "$outdir/famfs.ko"
logf=$outdir/build.log

# copy_tree DEST: the module sources, without build products of an earlier in-tree build
copy_tree() {
	local dirs=(module)
	[ -d "$src/dax-compat" ] && dirs+=(dax-compat)
	tar -C "$src" -c --exclude='*.o' --exclude='*.ko' --exclude='*.cmd' --exclude='*.mod' \
		--exclude='*.mod.c' --exclude=modules.order --exclude=Module.symvers --exclude=module/build \
		"${dirs[@]}" | tar -C "$1" -x
}

jobs=$(nproc)
# a private copy per build: concurrent builds for one kernel must not share it
trap '[ -z "${copy:-}" ] || rm -rf "$copy"' EXIT
if k_native "$krel"; then
	mkdir -p "$FAMFS_WORK/modbuild"
	copy=$(mktemp -d "$FAMFS_WORK/modbuild/$krel.XXXXXX")
	copy_tree "$copy"
	cmd=(make -j"$jobs" -C "$copy/module" KDIR="$(k_headers "$krel")")
	echo "+ ${cmd[*]}" >"$logf"
	rc=0
	"${cmd[@]}" >>"$logf" 2>&1 || rc=$?
else
	kernels_lock() { exec 8>"$FAMFS_CACHE/.lock"; flock 8; }
	# the chroot is shared by all builds: prepare it under the cache lock
	kernels_lock
	rel=$(k_toolchain "$krel")
	chroot_ensure "$rel"
	chroot_headers "$krel"
	exec 8>&-
	root=$(chroot_dir "$rel")
	mkdir -p "$root/build"
	copy=$(mktemp -d "$root/build/$krel.XXXXXX")
	copy_tree "$copy"
	inner="make -j$jobs -C /build/$(basename "$copy")/module KDIR=/usr/src/linux-headers-$krel"
	echo "+ ($rel tree $root) $inner" >"$logf"
	rc=0
	# objtool needs /proc; the private mount namespace drops the proc mount when the build ends
	unshare -m sh -c "mount -t proc proc '$root/proc' &&
		exec chroot '$root' env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 $inner" \
		>>"$logf" 2>&1 || rc=$?
fi

if [ "$rc" -eq 0 ] && [ ! -f "$copy/module/famfs.ko" ]; then
	echo "build-module.sh: make succeeded but $copy/module/famfs.ko is missing" >>"$logf"
	rc=1
fi
if [ "$rc" -ne 0 ]; then
	echo "build-module.sh: build for $krel FAILED (rc=$rc); last lines of $logf:" >&2
	tail -n 40 "$logf" >&2
	exit 1
fi

cp "$copy/module/famfs.ko" "$outdir/famfs.ko"
vermagic=$(modinfo -F vermagic "$outdir/famfs.ko")
case $vermagic in
"$krel "*) ;;
*) die "famfs.ko vermagic '$vermagic' does not match $krel" ;;
esac
echo "built $outdir/famfs.ko ($vermagic, $(k_gcc "$krel"))" | tee -a "$logf"
