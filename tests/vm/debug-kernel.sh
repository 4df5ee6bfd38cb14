#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 famfs contributors
# debug-kernel.sh - build (once) the KASAN + lockdep kernel and print its krel.
#
# Stock Debian kernels have neither KASAN nor lockdep, so the "a KASAN/lockdep report fails the
# run" rule of guest-result.sh could never trigger. This builds one debug kernel:
#   source     Debian's linux-source-X.Y of the newest tracked kernel (kernels.sh list | tail -1),
#              the same version as that kernel's image, from the private apt (.deb in $FAMFS_CACHE/debs)
#   toolchain  that kernel line's build tree (kernels.sh k_toolchain: trixie, gcc-14, for
#              trixie-backports), plus flex/bison/bc/libelf-dev/libssl-dev installed into it once
#   config     x86_64 allnoconfig + tests/vm/debug-kernel.config (merge_config.sh); every option of
#              the fragment must be in the final .config as written, or the build stops
#   krel       <upstream version><CONFIG_LOCALVERSION of the fragment>, e.g. 7.3.4-famfs-debug
# and caches it like kernels.sh's kernels, under $FAMFS_CACHE/k/<krel>/: usr/src/linux-headers-<krel>
# (a KDIR for make -C ... M=), usr/lib/modules/<krel> (the modules and vmlinuz, the bzImage: no
# vmlinux.pvh, a KASAN kernel cannot boot through PVH), famfs-toolchain (the build tree's
# release, for k_toolchain) and famfs-debug-key
# ("<source version> <fragment sha256> <gcc> bzimage"): a change of any rebuilds, otherwise a call
# only prints the krel. TIMING lines (stderr) time each step; the cold total is also kept in
# $FAMFS_CACHE/k/<krel>/build-timing.
# The krel is not in `kernels.sh list`: the tiers run on it only when asked (tests/vm/README.md).
# FAMFS_DEBUG_NICE=N: the compiler's niceness (default 10, a build beside other work; make check
# passes 0: with a cold cache this build is on its longest path).
set -euo pipefail
# shellcheck source=kernels.sh
source "$(dirname "${BASH_SOURCE[0]}")/kernels.sh"

FRAGMENT=$VM_DIR/debug-kernel.config
need_root
[ -f "$FRAGMENT" ] || die "no config fragment $FRAGMENT"
mkdir -p "$FAMFS_CACHE" "$FAMFS_WORK"
t0=$(date +%s.%N)

# --- what to build: the newest tracked kernel's source, in that line's toolchain ---
base=$(krels | tail -n 1)
[ -n "$base" ] || die "no tracked kernel (kernels.sh fetch)"
ver=$(sed -n "s/^linux-image-$base=//p" "$FAMFS_CACHE/pkgs/$base")
[ -n "$ver" ] || die "no image version for $base in $FAMFS_CACHE/pkgs/$base"
series=$(k_series "$base")
srcpkg=linux-source-$series
tc=$(k_toolchain "$base")
gcc=$(k_gcc "$base")
[ -n "$gcc" ] || die "no compiler recorded for $base"
localver=$(sed -n 's/^CONFIG_LOCALVERSION="\(.*\)"$/\1/p' "$FRAGMENT")
[ -n "$localver" ] || die "$FRAGMENT sets no CONFIG_LOCALVERSION (the krel's suffix)"
# 7.3.4-1~bpo13+1 -> 7.3.4 (a "~rc" version would not be make kernelversion's: checked below)
upstream=${ver%-*}
krel=$upstream$localver
root=$(k_root "$krel")
# (bzimage: the boot image kind; caches of the earlier vmlinux.pvh layout do not boot)
key="$ver $(sha256sum "$FRAGMENT" | cut -c1-64) $gcc bzimage"

# one build at a time per cache (not the cache lock: the build takes long, fetches must not wait)
exec 7>"$FAMFS_CACHE/.debug-kernel.lock"
flock 7
if [ -e "$root/.done" ] && [ "$(cat "$root/famfs-debug-key" 2>/dev/null)" = "$key" ]; then
	printf 'TIMING %-28s %6.1fs\n' debug-kernel-warm "$(echo "$(date +%s.%N) - $t0" | bc)" >&2
	echo "$krel"
	exit 0
fi
[ -z "$(awk -v k="$krel" '$2 == k' "$LINES_FILE")" ] || die "$krel is a tracked kernel's krel"
log "debug kernel $krel: $srcpkg=$ver, $tc tree ($gcc), $(basename "$FRAGMENT"); not cached, building"

tree=$(chroot_dir "$tc")
work=/build/debug-kernel  # inside the tree
wdir=$tree$work
src=$work/linux-source-$series obj=$work/obj stage=$work/stage

# in_tree CMD: run a shell command in the build tree (objtool needs /proc)
in_tree() {
	# shellcheck disable=SC2016  # expanded by the inner sh
	unshare -m sh -c 'mount -t proc proc "$1/proc" &&
		exec chroot "$1" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
		DEBIAN_FRONTEND=noninteractive sh -ec "$2"' in_tree "$tree" "$1"
}
# kmake ARGS: make in the kernel tree with the line's compiler for target and host programs
# (LOCALVERSION= set and empty: no "+" appended, the suffix is the fragment's CONFIG_LOCALVERSION)
kmake() { in_tree "cd $src && nice -n ${FAMFS_DEBUG_NICE:-10} make -s -j$(nproc) O=$obj ARCH=x86_64 CC=$gcc HOSTCC=$gcc LOCALVERSION= $*"; }

download() {
	[ -n "$(deb_file "$srcpkg=$ver")" ] && return 0
	# the lists may predate the source package: update once when apt does not know it
	apt-cache "${APTO[@]}" show "$srcpkg=$ver" >/dev/null 2>&1 || apt_update
	log "downloading $srcpkg=$ver"
	(cd "$DEB_DIR" && apt-get "${APTO[@]}" download -qq "$srcpkg=$ver")
	[ -n "$(deb_file "$srcpkg=$ver")" ] || die "apt-get download $srcpkg=$ver left no .deb in $DEB_DIR"
}

# the build tree of the line, and what a kernel build needs beyond a module build (once per tree)
prepare_tree() {
	exec 8>"$FAMFS_CACHE/.lock"
	flock 8
	chroot_ensure "$tc"
	if [ ! -e "$tree/.debug-kernel-deps" ]; then
		cp /etc/resolv.conf "$tree/etc/resolv.conf"
		in_tree "apt-get update -qq && apt-get install -y -qq --no-install-recommends \
			flex bison bc libelf-dev libssl-dev cpio xz-utils >/dev/null" ||
			die "cannot install the kernel build dependencies into $tree"
		touch "$tree/.debug-kernel-deps"
	fi
	exec 8>&-
}

unpack() {
	# a source tree left by a failed build of the same version is reused (O= never writes to it)
	if [ "$(cat "$wdir/.source" 2>/dev/null)" = "$srcpkg=$ver" ]; then
		rm -rf "$wdir/obj" "$wdir/stage"
		return 0
	fi
	rm -rf "$wdir"
	mkdir -p "$wdir"
	dpkg-deb --fsys-tarfile "$(deb_file "$srcpkg=$ver")" | tar -xO "./usr/src/$srcpkg.tar.xz" |
		xz -dc -T"$(nproc)" | tar -C "$wdir" -x
	[ -f "$tree$src/Makefile" ] || die "$srcpkg.tar.xz has no $(basename "$src")/Makefile"
	echo "$srcpkg=$ver" >"$wdir/.source"
}

# the fragment's option lines, as they must read in .config ("# CONFIG_X is not set" included)
wanted() { grep -E '^(CONFIG_[A-Za-z0-9_]+=|# CONFIG_[A-Za-z0-9_]+ is not set$)' "$FRAGMENT"; }

configure() {
	local line sym missing=()
	cp "$FRAGMENT" "$wdir/debug-kernel.config"
	kmake allnoconfig
	in_tree "cd $src && scripts/kconfig/merge_config.sh -m -O $obj $obj/.config $work/debug-kernel.config" \
		>"$wdir/merge_config.log" 2>&1 || { cat "$wdir/merge_config.log" >&2; die "merge_config.sh failed"; }
	kmake olddefconfig
	# Kconfig drops what it cannot honour without a word: every requested line must be there
	while IFS= read -r line; do
		case $line in
		'# '*)
			sym=${line#\# }
			sym=${sym%% *}
			grep -qE "^$sym=" "$wdir/obj/.config" && missing+=("$line (have: $(grep -E "^$sym=" "$wdir/obj/.config"))")
			;;
		*)
			grep -qxF "$line" "$wdir/obj/.config" ||
				missing+=("$line (have: $(grep -E "^(# )?${line%%=*}[= ]" "$wdir/obj/.config" || echo nothing))")
			;;
		esac
	done < <(wanted)
	if [ ${#missing[@]} -gt 0 ]; then
		printf '  %s\n' "${missing[@]}" >&2
		die "${#missing[@]} option(s) of $(basename "$FRAGMENT") did not end up in the .config"
	fi
	log "config: all $(wanted | wc -l) options of $(basename "$FRAGMENT") are set"
	local kr
	# the release string comes from include/config/auto.conf, which syncconfig writes
	kmake syncconfig
	kr=$(kmake kernelrelease)
	[ "$kr" = "$krel" ] || die "make kernelrelease says $kr, expected $krel"
}

# bzImage, not the PVH ELF: the PVH entry runs instrumented C (memcmp) before kasan_early_init
# and triple-faults on the missing shadow (7.3.4); the bzImage path sets KASAN up first
build() {
	kmake bzImage modules >"$wdir/build.log" 2>&1 || { tail -n 40 "$wdir/build.log" >&2; die "kernel build failed (log: $wdir/build.log)"; }
}

# the cache layout of a Debian kernel: headers (a KDIR), modules, the PVH ELF
install_kernel() {
	local hdr=$stage/usr/src/linux-headers-$krel
	rm -rf "$wdir/stage"
	kmake INSTALL_MOD_PATH="$stage/usr" INSTALL_MOD_STRIP=1 modules_install >/dev/null
	rm -f "$wdir/stage/usr/lib/modules/$krel/build" "$wdir/stage/usr/lib/modules/$krel/source"
	# the headers as Debian packages them (scripts/package/builddeb), host programs built
	kmake run-command "KBUILD_RUN_COMMAND='\$(srctree)/scripts/package/install-extmod-build $hdr'"
	cp "$wdir/obj/.config" "$tree$hdr/.config"
	# Debian's Makefile includes it: module builds use the kernel's compiler (and k_gcc reads it)
	printf 'override ARCH = x86\nCC = %s\nHOSTCC = %s\n' "$gcc" "$gcc" >"$tree$hdr/.kernelvariables"
	cp "$wdir/obj/arch/x86/boot/bzImage" "$wdir/stage/usr/lib/modules/$krel/vmlinuz"
	cp "$wdir/obj/.config" "$wdir/stage/config-$krel"
	cp "$wdir/obj/System.map" "$wdir/stage/System.map-$krel"
	echo "$tc" >"$wdir/stage/famfs-toolchain"
	echo "$key" >"$wdir/stage/famfs-debug-key"
	rm -rf "$root"
	mkdir -p "$(dirname "$root")"
	mv "$wdir/stage" "$root"
	touch "$root/.done"
}

{
	timed debug-kernel-download download
	timed debug-kernel-tree prepare_tree
	timed debug-kernel-unpack unpack
	timed debug-kernel-config configure
	timed debug-kernel-build build
	timed debug-kernel-install install_kernel
	# the objects are several GB: the cache keeps what the tiers need
	rm -rf "$wdir"
	printf 'TIMING %-28s %6.1fs\n' debug-kernel-cold "$(echo "$(date +%s.%N) - $t0" | bc)" | tee "$root/build-timing"
} >&2
echo "$krel"
