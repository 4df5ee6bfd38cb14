#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Copyright (C) 2026 famfs contributors
# kernels.sh - the Debian kernels the guests boot and the module is built against.
#
#   kernels.sh fetch        resolve the newest kernel of each tracked line (below), download and
#                           unpack it, prepare the build trees, print the kernel releases (krels)
#   kernels.sh list         print the krels, one per line, oldest version first (the newest last)
#   kernels.sh lines        print "LINE KREL VERSION TOOLCHAIN" for every resolved line, the
#                           early-warning line included ("experimental - - -" when it has nothing newer)
#   kernels.sh newest-fsdev print the newest tracked krel that has fsdev_dax
#   kernels.sh info KREL    print the paths the other scripts use for KREL
#   kernels.sh prune        delete cached kernels that are no longer the resolved ones
#   kernels.sh debug        build (once) the KASAN + lockdep kernel, print its krel (debug-kernel.sh;
#                           never in `list`: the tiers run on it only when asked)
#
# Tracked lines: the newest linux-image-amd64 of each, resolved from the archive on every fetch.
#   bookworm          bookworm + bookworm-security (6.1)        built natively (the host is bookworm)
#   trixie            trixie + trixie-security (6.12)           built in a trixie tree
#   trixie-backports  trixie-backports (newest 7.x for trixie)  built in a trixie tree (its toolchain)
#   sid               sid (newest 7.x)                          built in a sid tree
#   experimental      only when newer than every line above: the early-warning build (not in `list`)
#
# As a library (source it): k_root, k_headers, k_moddir, k_kernel, k_gcc, k_native, k_series,
# k_toolchain, chroot_dir, chroot_ensure, chroot_headers.
#
# Nothing touches the system's apt configuration: apt runs on a private state in the cache
# (tests/vm/README.md). Everything lands under $FAMFS_CACHE; the chroot is unpacked in $FAMFS_WORK.

# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# "LINE SUITE[,SUITE] TOOLCHAIN": a tracked kernel line, the suites its newest kernel comes from,
# and the release whose toolchain builds its modules (the one its headers were made for)
KERNEL_LINES=${KERNEL_LINES:-"bookworm bookworm,bookworm-security bookworm
trixie trixie,trixie-security trixie
trixie-backports trixie-backports trixie
sid sid sid"}
# the early-warning line: built and booted only when it is newer than every tracked line
KERNEL_EARLY=${KERNEL_EARLY:-"experimental experimental sid"}
HOST_RELEASE=bookworm
APT_DIR=$FAMFS_CACHE/apt
DEB_DIR=$FAMFS_CACHE/debs
KREL_FILE=$FAMFS_CACHE/krels
LINES_FILE=$FAMFS_CACHE/lines

# --- private apt -------------------------------------------------------------------------

APTO=(
	-o Dir::Etc::SourceList="$APT_DIR/sources.list" -o Dir::Etc::SourceParts=/dev/null
	-o Dir::State::Lists="$APT_DIR/lists" -o Dir::Cache="$APT_DIR" -o Dir::State::status=/dev/null
	# the mirror is a snapshot: its Release files are past Valid-Until
	-o Acquire::Check-Valid-Until=false -o Acquire::Check-Date=false
	-o APT::Sandbox::User=root
	# the host's docker-clean config disables the binary cache: 2.5 s per apt-cache call without it
	-o Dir::Cache::pkgcache="$APT_DIR/pkgcache.bin" -o Dir::Cache::srcpkgcache="$APT_DIR/srcpkgcache.bin"
)

apt_update() {
	mkdir -p "$APT_DIR/lists/partial" "$APT_DIR/archives/partial" "$DEB_DIR"
	cat >"$APT_DIR/sources.list" <<-'EOF'
		deb http://deb.debian.org/debian bookworm main
		deb http://deb.debian.org/debian-security bookworm-security main
		deb http://deb.debian.org/debian trixie main
		deb http://deb.debian.org/debian-security trixie-security main
		deb http://deb.debian.org/debian trixie-backports main
		deb http://deb.debian.org/debian sid main
		deb http://deb.debian.org/debian experimental main
	EOF
	apt-get "${APTO[@]}" update -qq
}

# deps PKG[=VER]: the Depends of PKG as "name" or "name=ver" (pinned when the dep is "(= ver)")
deps() {
	local name=${1%%=*} ver=
	[[ $1 == *=* ]] && ver=${1#*=}
	# (awk reads all input: an early exit would SIGPIPE apt-cache and trip pipefail)
	apt-cache "${APTO[@]}" show "$name${ver:+=$ver}" | awk 'sub(/^Depends: /, "") && !n++' |
		tr ',' '\n' | sed -E 's/^ *//; s/ *\| .*//; s/^([^ ]+) \(= ([^)]+)\)$/\1=\2/; s/ .*//'
}

# newest_in SUITE[,SUITE]: the newest linux-image-amd64 version in those suites (empty if none)
newest_in() {
	apt-cache "${APTO[@]}" madison linux-image-amd64 |
		awk -F' *[|] *' -v suites=",$1," '{ split($3, w, " "); s = w[2]; sub(/\/.*/, "", s)
			if (index(suites, "," s ",")) print $2 }' |
		sort -V | tail -1
}

# version_gt A B: Debian version A is newer than B
version_gt() { dpkg --compare-versions "$1" gt "$2"; }

# resolve_one METAVER: the krel of linux-image-amd64=METAVER; writes $FAMFS_CACHE/pkgs/<krel>
resolve_one() {
	local metav=$1 img krel pkgs
	img=$(deps "linux-image-amd64=$metav" | awk '/^linux-image-[0-9]/ && !n++')
	krel=${img%%=*}
	krel=${krel#linux-image-}
	pkgs=("$img")
	# 7.x: the image is a meta package over linux-binary-* (vmlinuz) and linux-modules-*
	mapfile -t -O ${#pkgs[@]} pkgs < <(deps "$img" | grep -E '^linux-(binary|modules)-' || true)
	pkgs+=("linux-headers-$krel=${img#*=}")
	mapfile -t -O ${#pkgs[@]} pkgs < <(deps "linux-headers-$krel=${img#*=}" | grep -E '^linux-(headers|kbuild)-' || true)
	printf '%s\n' "${pkgs[@]}" >"$FAMFS_CACHE/pkgs/$krel"
	echo "$krel"
}

# resolve: the newest kernel of each line -> $LINES_FILE ("LINE KREL VERSION TOOLCHAIN") and
# $KREL_FILE (the krels of the tracked lines, oldest version first)
resolve() {
	local line suites tc metav krel newest= out=()
	mkdir -p "$FAMFS_CACHE/pkgs"
	while read -r line suites tc; do
		[ -n "$line" ] || continue
		metav=$(newest_in "$suites")
		[ -n "$metav" ] || die "no linux-image-amd64 in $suites (kernel line $line)"
		krel=$(resolve_one "$metav")
		out+=("$line $krel $metav $tc")
		if [ -z "$newest" ] || version_gt "$metav" "$newest"; then newest=$metav; fi
	done <<<"$KERNEL_LINES"
	read -r line suites tc <<<"$KERNEL_EARLY"
	metav=$(newest_in "$suites")
	if [ -n "$metav" ] && version_gt "$metav" "$newest"; then
		out+=("$line $(resolve_one "$metav") $metav $tc")
	else
		# "-": nothing newer than the tracked lines; the reason goes in the fourth field
		out+=("$line - ${metav:-none} not-newer-than-$newest")
	fi
	printf '%s\n' "${out[@]}" >"$LINES_FILE"
	# tracked krels, oldest first; two lines may resolve to one kernel
	awk -v early="$line" '$1 != early { print $3, $2 }' "$LINES_FILE" | sort -V -k1,1 | awk '!seen[$2]++ { print $2 }' >"$KREL_FILE"
}

# early_krel: the early-warning kernel to build, or nothing
early_krel() { awk -v early="${KERNEL_EARLY%% *}" '$1 == early && $2 != "-" { print $2 }' "$LINES_FILE"; }
# all_krels: tracked + early-warning
all_krels() { cat "$KREL_FILE"; early_krel; }

# deb_file NAME[=VER]: the cached .deb for a package (empty if not downloaded)
deb_file() {
	local name=${1%%=*} ver=
	[[ $1 == *=* ]] && ver=${1#*=}
	# apt writes the epoch colon as %3a in file names
	ls "$DEB_DIR/${name}_${ver:+${ver//:/%3a}_}"*.deb 2>/dev/null | sort -V | tail -1
}

download() {
	local krel p need=()
	while read -r krel; do
		while read -r p; do
			[ -n "$(deb_file "$p")" ] || need+=("$p")
		done <"$FAMFS_CACHE/pkgs/$krel"
	done < <(all_krels)
	[ ${#need[@]} -eq 0 ] && return 0
	log "downloading ${need[*]}"
	(cd "$DEB_DIR" && apt-get "${APTO[@]}" download -qq "${need[@]}")
}

# --- unpacked kernels ----------------------------------------------------------------------

k_root() { echo "$FAMFS_CACHE/k/$1"; }
k_headers() { echo "$FAMFS_CACHE/k/$1/usr/src/linux-headers-$1"; }
k_moddir() {
	local d
	for d in "$FAMFS_CACHE/k/$1/lib/modules/$1" "$FAMFS_CACHE/k/$1/usr/lib/modules/$1"; do
		[ -d "$d/kernel" ] && { echo "$d"; return 0; }
	done
	return 1
}
# the bzImage: /boot in 6.1/6.12, next to the modules in 7.x
k_vmlinuz() {
	local f
	for f in "$FAMFS_CACHE/k/$1/boot/vmlinuz-$1" "$FAMFS_CACHE/k/$1/usr/lib/modules/$1/vmlinuz"; do
		[ -f "$f" ] && { echo "$f"; return 0; }
	done
	return 1
}
# the image qemu boots: the extracted PVH ELF when there is one, else the bzImage
k_kernel() {
	if [ -s "$FAMFS_CACHE/k/$1/vmlinux.pvh" ]; then echo "$FAMFS_CACHE/k/$1/vmlinux.pvh"; else k_vmlinuz "$1"; fi
}
# the compiler the kernel was built with (gcc-12, gcc-14, gcc-16 ...), from .kernelvariables
k_gcc() { grep -o 'gcc-[0-9]*' "$(k_headers "$1")/.kernelvariables" | awk 'NR == 1'; }
# the release whose toolchain builds modules for KREL (bookworm, trixie, sid), from its line
k_toolchain() {
	local tc
	tc=$(awk -v k="$1" '$2 == k { print $4; exit }' "$LINES_FILE" 2>/dev/null)
	# the debug kernel (debug-kernel.sh) is no line: it records the tree it was built in
	[ -n "$tc" ] || tc=$(cat "$FAMFS_CACHE/k/$1/famfs-toolchain" 2>/dev/null)
	[ -n "$tc" ] || die "kernel $1 is not a resolved kernel line (run kernels.sh fetch)"
	echo "$tc"
}
# is it built on the host itself? Only when its toolchain release is the host's (bookworm)
k_native() { [ "$(k_toolchain "$1")" = "$HOST_RELEASE" ]; }
# does KREL ship the fsdev_dax driver (famfs on /dev/daxX.Y)?
k_has_fsdev() { find "$(k_moddir "$1")" -name 'fsdev_dax.ko*' 2>/dev/null | grep -q .; }
# newest_fsdev_krel: the newest tracked kernel with fsdev_dax (the two-host test and the demo)
newest_fsdev_krel() {
	local k best=
	while read -r k; do if k_has_fsdev "$k"; then best=$k; fi; done <"$KREL_FILE"
	[ -n "$best" ] && echo "$best"
}
# the series a krel belongs to: 6.1, 6.12, 7.2 ...
k_series() { echo "$1" | grep -oE '^[0-9]+\.[0-9]+'; }

unpack() {
	local krel root hdr p
	while read -r krel; do
		root=$(k_root "$krel")
		if [ ! -e "$root/.done" ]; then
			log "unpacking $krel"
			rm -rf "$root"
			mkdir -p "$root"
			# a private directory: never dpkg-deb -x into / or a chroot (it breaks the /lib symlink)
			while read -r p; do dpkg-deb -x "$(deb_file "$p")" "$root"; done <"$FAMFS_CACHE/pkgs/$krel"
			touch "$root/.done"
		fi
		# the headers Makefile includes the arch-independent part by absolute path (/usr/src/...)
		hdr=$(k_headers "$krel")
		sed -i -E "s|^include (.*)?/usr/src/|include $root/usr/src/|; s|^KBUILD_OUTPUT=(.*)?/usr/src/|KBUILD_OUTPUT=$root/usr/src/|" \
			"$hdr/Makefile"
		if [ ! -s "$root/vmlinux.pvh" ]; then
			"$VM_DIR/extract-vmlinux.sh" "$(k_vmlinuz "$krel")" "$root/vmlinux.pvh" ||
				log "warning: $krel: no PVH vmlinux, guests boot the bzImage (slower)"
		fi
	done < <(all_krels)
}

# --- release trees for kernels the host cannot build for (trixie, sid: gcc-14/16, glibc >= 2.38) ---

# chroot_dir RELEASE: the build tree of that release's toolchain
chroot_dir() { echo "$FAMFS_WORK/chroot-$1"; }

# chroot_gccs RELEASE: the gcc packages its tree needs, e.g. "gcc-14 gcc-16"
chroot_gccs() {
	local krel
	while read -r krel; do
		if [ "$(k_toolchain "$krel")" = "$1" ]; then k_gcc "$krel"; fi
	done < <(all_krels) |
		sort -uV | tr '\n' ' ' | sed 's/ $//'
}

# chroot_ensure RELEASE: make $FAMFS_WORK/chroot-RELEASE usable; restore from the cached tarball
# or debootstrap it
chroot_ensure() {
	local rel=$1 gccs dir key tarball
	gccs=$(chroot_gccs "$rel")
	[ -n "$gccs" ] || return 0
	dir=$(chroot_dir "$rel")
	key="$rel ${gccs}"
	[ "$(cat "$dir/.famfs-chroot" 2>/dev/null)" = "$key" ] && return 0
	tarball=$FAMFS_CACHE/chroot-$rel-${gccs// /-}.tar.zst
	rm -rf "$dir" "$dir.tmp"
	mkdir -p "$dir.tmp"
	if [ -f "$tarball" ]; then
		log "restoring the $rel tree from $tarball"
		tar -C "$dir.tmp" -I zstd -xf "$tarball"
	else
		log "debootstrap $rel with $gccs (about 45 s)"
		mkdir -p "$FAMFS_CACHE/debootstrap"
		debootstrap --variant=minbase --cache-dir="$FAMFS_CACHE/debootstrap" \
			--include="make,libelf1t64,libssl3t64,zlib1g,pahole,kmod,${gccs// /,}" \
			"$rel" "$dir.tmp" http://deb.debian.org/debian >"$FAMFS_WORK/debootstrap-$rel.log" 2>&1 ||
			{ tail -20 "$FAMFS_WORK/debootstrap-$rel.log" >&2; die "debootstrap $rel failed (log: $FAMFS_WORK/debootstrap-$rel.log)"; }
		# the chroot's own apt would reject the snapshot's expired Release files
		printf 'Acquire::Check-Valid-Until "false";\nAcquire::Check-Date "false";\n' \
			>"$dir.tmp/etc/apt/apt.conf.d/99no-valid-until"
		tar -C "$dir.tmp" -I 'zstd -T0 -3' -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
	fi
	echo "$key" >"$dir.tmp/.famfs-chroot"
	mv "$dir.tmp" "$dir"
}

# chroot_headers KREL: install KREL's headers + kbuild into its toolchain's tree (once)
chroot_headers() {
	local krel=$1 dir p
	dir=$(chroot_dir "$(k_toolchain "$krel")")
	# the debug kernel: its headers dir from the cache, again whenever it was rebuilt
	if [ -f "$(k_root "$krel")/famfs-debug-key" ]; then
		[ "$(cat "$dir/.headers-$krel" 2>/dev/null)" = "$(cat "$(k_root "$krel")/famfs-debug-key")" ] && return 0
		rm -rf "$dir/usr/src/linux-headers-$krel"
		mkdir -p "$dir/usr/src"
		cp -a "$(k_headers "$krel")" "$dir/usr/src/"
		cp "$(k_root "$krel")/famfs-debug-key" "$dir/.headers-$krel"
		return 0
	fi
	[ -e "$dir/.headers-$krel" ] && return 0
	while read -r p; do
		case $p in
		linux-headers-* | linux-kbuild-*)
			# tar, not dpkg-deb -x: bookworm-style debs ship ./lib/ and would replace lib -> usr/lib
			dpkg-deb --fsys-tarfile "$(deb_file "$p")" | tar -C "$dir" -x --keep-directory-symlink
			;;
		esac
	done <"$FAMFS_CACHE/pkgs/$krel"
	touch "$dir/.headers-$krel"
}

chroot_prepare() {
	local krel rel
	for rel in $(while read -r krel; do k_toolchain "$krel"; done < <(all_krels) | sort -u); do
		[ "$rel" = "$HOST_RELEASE" ] || chroot_ensure "$rel"
	done
	while read -r krel; do k_native "$krel" || chroot_headers "$krel"; done < <(all_krels)
}

# --- commands ----------------------------------------------------------------------------------

krels() {
	[ -s "$KREL_FILE" ] && [ -s "$LINES_FILE" ] || { apt_update && resolve; } >&2
	cat "$KREL_FILE"
}

# fetch_all: everything the builds and boots need, with TIMING lines on stderr
fetch_all() {
	need_root
	mkdir -p "$FAMFS_CACHE" "$FAMFS_WORK"
	# one fetch at a time per cache
	exec 9>"$FAMFS_CACHE/.lock"
	flock 9
	{
		timed kernels-apt-update apt_update
		timed kernels-resolve resolve
		timed kernels-download download
		timed kernels-unpack unpack
		timed kernels-chroot chroot_prepare
	} >&2
	exec 9>&-
	cat "$KREL_FILE"
}

info() {
	local krel=$1
	echo "root     $(k_root "$krel")"
	echo "headers  $(k_headers "$krel")"
	echo "modules  $(k_moddir "$krel")"
	echo "kernel   $(k_kernel "$krel")"
	echo "gcc      $(k_gcc "$krel") ($(k_native "$krel" && echo native || echo "$(k_toolchain "$krel") tree $(chroot_dir "$(k_toolchain "$krel")")"))"
	if [ -f "$FAMFS_CACHE/pkgs/$krel" ]; then
		echo "debs     $(tr '\n' ' ' <"$FAMFS_CACHE/pkgs/$krel")"
	else
		echo "built    by debug-kernel.sh: $(cat "$(k_root "$krel")/famfs-debug-key" 2>/dev/null)"
	fi
}

prune() {
	local d keep
	keep=$(all_krels)
	for d in "$FAMFS_CACHE"/k/*/; do
		d=$(basename "$d")
		# the debug kernel is no line's; debug-kernel.sh replaces it when its key changes
		[ ! -f "$FAMFS_CACHE/k/$d/famfs-debug-key" ] || continue
		grep -qxF "$d" <<<"$keep" || { log "removing $FAMFS_CACHE/k/$d"; rm -rf "${FAMFS_CACHE:?}/k/$d"; }
	done
	# debs not named in any current package list
	for d in "$DEB_DIR"/*.deb; do
		[ -e "$d" ] || continue
		# the debug kernel's source (debug-kernel.sh) is in no package list
		case $(basename "$d") in linux-source-*) continue ;; esac
		cat "$FAMFS_CACHE"/pkgs/* | sed 's/=.*//' | grep -qxF "$(basename "$d" | cut -d_ -f1)" ||
			{ log "removing $d"; rm -f "$d"; }
	done
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -euo pipefail
	case ${1:-} in
	fetch) fetch_all ;;
	list) krels ;;
	lines) krels >/dev/null; cat "$LINES_FILE" ;;
	newest-fsdev) krels >/dev/null; newest_fsdev_krel || die "no tracked kernel has fsdev_dax" ;;
	info) [ $# -eq 2 ] || die "usage: kernels.sh info KREL"; info "$2" ;;
	prune) prune ;;
	debug) exec "$VM_DIR/debug-kernel.sh" ;;
	*) sed -n '4,25s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
	esac
fi
