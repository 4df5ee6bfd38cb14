#!/bin/bash
# kernels.sh - the Debian kernels the guests boot and the module is built against.
#
#   kernels.sh fetch        resolve, download and unpack the newest 6.1.x (bookworm[-security]),
#                           6.12.x (trixie) and 7.x (sid) kernels, prepare the sid build chroot,
#                           print the kernel releases (krels)
#   kernels.sh list         print the krels, one per line: 6.1 first, then 6.12, then 7.x
#   kernels.sh info KREL    print the paths the other scripts use for KREL
#   kernels.sh prune        delete cached kernels that are no longer the resolved ones
#
# As a library (source it): k_root, k_headers, k_moddir, k_kernel, k_gcc, k_native, k_series,
# chroot_dir, chroot_ensure, chroot_headers.
#
# Nothing touches the system's apt configuration: apt runs on a private state in the cache
# (vm-harness.md §2). Everything lands under $FAMFS_CACHE; the chroot is unpacked in $FAMFS_WORK.

# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# linux-image-amd64 version prefixes, oldest first (the order of `list`)
KERNEL_SERIES=${KERNEL_SERIES:-"6.1. 6.12. 7."}
APT_DIR=$FAMFS_CACHE/apt
DEB_DIR=$FAMFS_CACHE/debs
KREL_FILE=$FAMFS_CACHE/krels

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
		deb http://deb.debian.org/debian sid main
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

# resolve: write $KREL_FILE and $FAMFS_CACHE/pkgs/<krel> (one "name=ver" per line)
resolve() {
	local series metav img krel pkgs krels=()
	mkdir -p "$FAMFS_CACHE/pkgs"
	for series in $KERNEL_SERIES; do
		# newest linux-image-amd64 of this series, then the linux-image-<krel>=<ver> it depends on
		metav=$(apt-cache "${APTO[@]}" show linux-image-amd64 | sed -n 's/^Version: //p' |
			awk -v p="$series" 'index($0, p) == 1' | sort -V | tail -1)
		[ -n "$metav" ] || die "no linux-image-amd64 ${series}x in bookworm/trixie/sid"
		img=$(deps "linux-image-amd64=$metav" | awk '/^linux-image-[0-9]/ && !n++')
		krel=${img%%=*}
		krel=${krel#linux-image-}
		pkgs=("$img")
		# 7.x: the image is a meta package over linux-binary-* (vmlinuz) and linux-modules-*
		mapfile -t -O ${#pkgs[@]} pkgs < <(deps "$img" | grep -E '^linux-(binary|modules)-' || true)
		pkgs+=("linux-headers-$krel=${img#*=}")
		mapfile -t -O ${#pkgs[@]} pkgs < <(deps "linux-headers-$krel=${img#*=}" | grep -E '^linux-(headers|kbuild)-' || true)
		printf '%s\n' "${pkgs[@]}" >"$FAMFS_CACHE/pkgs/$krel"
		krels+=("$krel")
	done
	printf '%s\n' "${krels[@]}" >"$KREL_FILE"
}

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
	done <"$KREL_FILE"
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
# can the host build for it? Only if it has that gcc (bookworm: gcc-12, i.e. the 6.1 kernel)
k_native() { command -v "$(k_gcc "$1")" >/dev/null; }
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
	done <"$KREL_FILE"
}

# --- sid chroot for kernels the host cannot build for (6.12, 7.x: gcc-14/16, glibc >= 2.38) ---

chroot_dir() { echo "$FAMFS_WORK/chroot-sid"; }

# the gcc packages the chroot needs, e.g. "gcc-14 gcc-16"
chroot_gccs() {
	local krel
	while read -r krel; do k_native "$krel" || k_gcc "$krel"; done <"$KREL_FILE" | sort -uV | tr '\n' ' ' | sed 's/ $//'
}

# chroot_ensure: make $FAMFS_WORK/chroot-sid usable; restore from the cached tarball or debootstrap
chroot_ensure() {
	local gccs dir key tarball
	gccs=$(chroot_gccs)
	[ -n "$gccs" ] || return 0
	dir=$(chroot_dir)
	key="sid ${gccs}"
	[ "$(cat "$dir/.famfs-chroot" 2>/dev/null)" = "$key" ] && return 0
	tarball=$FAMFS_CACHE/chroot-sid-${gccs// /-}.tar.zst
	rm -rf "$dir" "$dir.tmp"
	mkdir -p "$dir.tmp"
	if [ -f "$tarball" ]; then
		log "restoring the sid chroot from $tarball"
		tar -C "$dir.tmp" -I zstd -xf "$tarball"
	else
		log "debootstrap sid with $gccs (about 45 s)"
		mkdir -p "$FAMFS_CACHE/debootstrap"
		debootstrap --variant=minbase --cache-dir="$FAMFS_CACHE/debootstrap" \
			--include="make,libelf1t64,libssl3t64,zlib1g,pahole,kmod,${gccs// /,}" \
			sid "$dir.tmp" http://deb.debian.org/debian >"$FAMFS_WORK/debootstrap.log" 2>&1 ||
			{ tail -20 "$FAMFS_WORK/debootstrap.log" >&2; die "debootstrap failed (log: $FAMFS_WORK/debootstrap.log)"; }
		# the chroot's own apt would reject the snapshot's expired Release files
		printf 'Acquire::Check-Valid-Until "false";\nAcquire::Check-Date "false";\n' \
			>"$dir.tmp/etc/apt/apt.conf.d/99no-valid-until"
		tar -C "$dir.tmp" -I 'zstd -T0 -3' -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
	fi
	echo "$key" >"$dir.tmp/.famfs-chroot"
	mv "$dir.tmp" "$dir"
}

# chroot_headers KREL: install KREL's headers + kbuild into the chroot (once)
chroot_headers() {
	local krel=$1 dir p
	dir=$(chroot_dir)
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
	local krel
	chroot_ensure
	while read -r krel; do k_native "$krel" || chroot_headers "$krel"; done <"$KREL_FILE"
}

# --- commands ----------------------------------------------------------------------------------

krels() {
	[ -s "$KREL_FILE" ] || { apt_update && resolve; } >&2
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
	echo "gcc      $(k_gcc "$krel") ($(k_native "$krel" && echo native || echo "sid chroot $(chroot_dir)"))"
	echo "debs     $(tr '\n' ' ' <"$FAMFS_CACHE/pkgs/$krel")"
}

prune() {
	local d keep
	keep=$(cat "$KREL_FILE")
	for d in "$FAMFS_CACHE"/k/*/; do
		d=$(basename "$d")
		grep -qxF "$d" <<<"$keep" || { log "removing $FAMFS_CACHE/k/$d"; rm -rf "${FAMFS_CACHE:?}/k/$d"; }
	done
	# debs not named in any current package list
	for d in "$DEB_DIR"/*.deb; do
		[ -e "$d" ] || continue
		cat "$FAMFS_CACHE"/pkgs/* | sed 's/=.*//' | grep -qxF "$(basename "$d" | cut -d_ -f1)" ||
			{ log "removing $d"; rm -f "$d"; }
	done
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -euo pipefail
	case ${1:-} in
	fetch) fetch_all ;;
	list) krels ;;
	info) [ $# -eq 2 ] || die "usage: kernels.sh info KREL"; info "$2" ;;
	prune) prune ;;
	*) sed -n '2,12s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
	esac
fi
