#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 famfs contributors
# checkpatch.sh - style checks of famfs.ko's sources with the kernel's own tools
#
#   checkpatch.pl --strict --no-tree -f   module/*.[ch] dax-compat/*.[ch] module/uapi/linux/*.h
#   kernel-doc -none -Wall                every file (kernel-doc on non-static functions, UAPI)
#   sparse (make C=2, when installed)     against the 6.1 headers, our files only
#
# scripts/{checkpatch.pl,spelling.txt,const_structs.checkpatch,kernel-doc*} come from Debian's
# linux-source-6.12 package (trixie), downloaded once into $FAMFS_CACHE/src through the private
# apt state of tests/vm/kernels.sh and extracted there (never into the repo). Exit 0 when clean.
# FAMFS_NO_SPARSE=1 skips sparse.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cache=${FAMFS_CACHE:-$HOME/.cache/famfs}
src=$cache/src
pkg=${FAMFS_LINUX_SOURCE:-linux-source-6.12}
tools=$src/$pkg
rc=0

fetch() {
	[ -x "$tools/scripts/checkpatch.pl" ] && [ -e "$tools/scripts/kernel-doc" ] && return 0
	mkdir -p "$src"
	local deb
	deb=$(ls "$src"/"${pkg}"_*.deb 2>/dev/null | tail -1 || true)
	if [ -z "$deb" ]; then
		# shellcheck source=../../tests/vm/kernels.sh
		(source "$repo/tests/vm/kernels.sh" >/dev/null 2>&1
		 [ -s "$APT_DIR/pkgcache.bin" ] || apt_update
		 cd "$src" && apt-get "${APTO[@]}" download -qq "$pkg") ||
			(cd "$src" && apt-get download -qq "$pkg")
		deb=$(ls "$src"/"${pkg}"_*.deb | tail -1)
	fi
	local tmp tarball
	tmp=$(mktemp -d "$src/x.XXXXXX")
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" --wildcards './usr/src/*.tar.xz'
	tarball=$(ls "$tmp"/usr/src/*.tar.xz | head -1)
	mkdir -p "$tools.tmp"
	tar -xJf "$tarball" -C "$tools.tmp" --strip-components=1 --wildcards \
		'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
		'*/scripts/const_structs.checkpatch' '*/scripts/kernel-doc*' \
		'*/scripts/lib/kdoc/*' '*/tools/lib/python/*' 2>/dev/null ||
		tar -xJf "$tarball" -C "$tools.tmp" --strip-components=1 --wildcards \
			'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
			'*/scripts/const_structs.checkpatch' '*/scripts/kernel-doc*'
	rm -rf "$tmp" "$tools"
	mv "$tools.tmp" "$tools"
}

fetch
cd "$repo"
files=()
for f in module/*.c module/*.h dax-compat/*.c dax-compat/*.h module/uapi/linux/famfs_ioctl.h; do
	case $f in *.mod.c) ;; *) files+=("$f") ;; esac	# build artifacts
done

echo "== checkpatch.pl --strict ($pkg)"
# FILE_PATH_CHANGES/SPDX: files outside a kernel tree; NEW_TYPEDEFS: compat.h's typedefs are
# the point of that file (one name per API generation)
out=$(perl "$tools/scripts/checkpatch.pl" --strict --no-tree --no-summary --terse \
	--ignore FILE_PATH_CHANGES,NEW_TYPEDEFS -f "${files[@]}" 2>&1 || true)
if [ -n "$out" ]; then
	echo "$out"
	echo "RESULT checkpatch FAIL"
	rc=1
else
	echo "RESULT checkpatch PASS"
fi

echo "== kernel-doc -none -Wall"
kdoc=$tools/scripts/kernel-doc
[ -x "$kdoc" ] || kdoc="perl $tools/scripts/kernel-doc.pl"
out=$($kdoc -none -Wall "${files[@]}" 2>&1 || true)
if [ -n "$out" ]; then
	echo "$out"
	echo "RESULT kernel-doc FAIL"
	rc=1
else
	echo "RESULT kernel-doc PASS"
fi

if [ "${FAMFS_NO_SPARSE:-0}" = 1 ]; then
	echo "RESULT sparse SKIP (FAMFS_NO_SPARSE=1)"
elif ! command -v sparse >/dev/null; then
	echo "RESULT sparse SKIP (sparse not installed: apt-get install sparse)"
else
	echo "== sparse (make C=2, 6.1 headers)"
	krel=$("$repo/tests/vm/kernels.sh" list | head -1)
	kdir=$cache/k/$krel/usr/src/linux-headers-$krel
	if [ ! -d "$kdir" ]; then
		echo "RESULT sparse FAIL (no headers of the oldest kernel ${krel:-?} in $cache/k: run tests/vm/kernels.sh fetch first)"
		rc=1
	else
		work=$(mktemp -d "${TMPDIR:-/tmp}/famfs-sparse.XXXXXX")
		mkdir -p "$work/module" && cp -r "$repo/dax-compat" "$work/"
		cp -r "$repo/module/"*.c "$repo/module/"*.h "$repo/module/Kbuild" "$repo/module/Makefile" \
			"$repo/module/uapi" "$work/module/"
		make -s -C "$work/module" KDIR="$kdir" config >/dev/null
		make -C "$kdir" M="$work/module" C=2 CHECK=sparse modules \
			>"$work/sparse.log" 2>&1 || true
		# only what sparse says about our files (kernel headers are not ours to fix)
		out=$(grep -E '^(\./|/)?[^ ]*(module|dax-compat)/[^ /]+\.[ch]:[0-9]+:' "$work/sparse.log" |
			grep -v '/usr/src\|linux-headers' | grep -E 'warning|error' || true)
		if grep -q 'famfs.ko\|LD \[M\]' "$work/sparse.log" && [ -z "$out" ]; then
			echo "RESULT sparse PASS"
		else
			echo "$out"
			tail -n 20 "$work/sparse.log"
			echo "RESULT sparse FAIL"
			rc=1
		fi
		rm -rf "$work"
	fi
fi
exit $rc
