#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Copyright (C) 2026 famfs contributors
# shellcheck disable=SC2034,SC2154  # cxl_boot runs inside boot.sh, on its variables; CXL_MODULES is for run-cxl.sh
# cxl.sh - guests on emulated CXL type-3 memory (tests/vm/README.md, "CXL memory").
#
#   cxl.sh tools            install sid's qemu and ndctl/cxl/daxctl into the sid tree (once; the
#                           debs stay in $FAMFS_CACHE/cxl/debs) and print their versions
#   cxl.sh guest-tools DIR  sid's cxl/daxctl/ndctl with their libraries and loader in DIR, for the
#                           initramfs: mkinitrd.sh ... --file DIR:/opt/cxl (tests/guest/lib.sh calls
#                           /opt/cxl/bin/cxl ...)
#   cxl.sh versions         "qemu X cxl Y" of the installed tools
#
# As a library: boot.sh --cxl N sources it and calls cxl_boot, which turns boot.sh's nvdimm guest
# into a q35 guest with N CXL type-3 devices and runs it with sid's qemu:
#
#   pcie.0 ── pxb-cxl "cxl.1" (host bridge, bus 12) ─┬─ cxl-rp "cxl_rp0" ── cxl-type3 (volatile-memdev = --mem-file)
#                                                    └─ cxl-rp "cxl_rp1" ── cxl-type3 (volatile-memdev = --mem-file.cxl1)
#   one CXL fixed memory window (cxl-fmw.0) of max(4G, N * --mem-size) on cxl.1: the guest's
#   root decoder decoder0.0; each memdev gets its own region (cxl create-region -t ram -w 1).
#   With FAMFS_CXL_NUMA=1 the RAM is NUMA node 0 (-numa, so there is an SRAT): the window
#   becomes node 1.
#   Every backing file is memory-backend-file,share=on: two guests on one file share the memory.
#
# Why each piece (the details are in the README):
#   * sid's qemu (>= 8.0 has cxl-type3 volatile-memdev; bookworm's 7.2 only persistent-memdev),
#     run from the sid tree through the tree's own loader (no chroot: the host paths stay valid);
#   * -cpu qemu64,-hypervisor: the kernel refuses to commit a region when the CPU says it runs
#     under a hypervisor (cxl_region_invalidate_memregion: "Failed to synchronize CPU cache
#     state", a WARN, and the guests run with panic_on_warn);
#   * the 9p share on bus=pcie.0 (qemu would put it behind the CXL host bridge and refuse it);
#   * kmem is in the initramfs but loaded by nothing but the system-ram section at the end of
#     tests/guest/cxl.sh (no udev in the guests, no module depends on it): loaded, it claims a
#     region's dax device and hot-plugs it as system RAM at once, the trap that section tests.
# shellcheck source=kernels.sh
source "$(dirname "${BASH_SOURCE[0]}")/kernels.sh"

# what the sid tree gets (with their dependencies; no recommends)
CXL_PKGS="qemu-system-x86 ndctl daxctl cxl"
CXL_DEBS=$FAMFS_CACHE/cxl/debs

cxl_tree() { chroot_dir sid; }

# cxl_tools_ensure: the sid tree with CXL_PKGS installed (a marker in the tree names them)
cxl_tools_ensure() {
	local tree marker
	tree=$(cxl_tree)
	marker=$tree/.famfs-cxl-tools
	[ "$(cat "$marker" 2>/dev/null)" = "$CXL_PKGS" ] && return 0
	need_root
	mkdir -p "$CXL_DEBS" "$FAMFS_WORK"
	# one install at a time (two guests boot at once in the two-host run)
	(
		flock 8
		[ "$(cat "$marker" 2>/dev/null)" = "$CXL_PKGS" ] && exit 0
		[ -d "$tree" ] || chroot_ensure sid
		[ -x "$tree/usr/bin/apt-get" ] || die "no sid tree at $tree (tests/vm/kernels.sh fetch makes it)"
		log "cxl.sh: installing $CXL_PKGS into the sid tree $tree (debs cached in $CXL_DEBS)"
		# apt in the tree, in a private mount namespace: its archive cache is ours, /proc for
		# the maintainer scripts; a stale package list gets one apt-get update
		inst="mount --bind '$CXL_DEBS' '$tree/var/cache/apt/archives' && mount -t proc proc '$tree/proc' &&
			{ chroot '$tree' apt-get install -y -q --no-install-recommends $CXL_PKGS ||
			  { chroot '$tree' apt-get update -q && chroot '$tree' apt-get install -y -q --no-install-recommends $CXL_PKGS; }; }"
		DEBIAN_FRONTEND=noninteractive nice unshare -m sh -c "$inst" >"$FAMFS_WORK/cxl-tools.log" 2>&1 ||
			{ tail -n 20 "$FAMFS_WORK/cxl-tools.log" >&2; die "installing $CXL_PKGS into $tree failed (log: $FAMFS_WORK/cxl-tools.log)"; }
		echo "$CXL_PKGS" >"$marker"
	) 8>"$FAMFS_CACHE/.cxl.lock"
	[ "$(cat "$marker" 2>/dev/null)" = "$CXL_PKGS" ]
}

# cxl_cmd BIN: CXL_CMD=(the command that runs BIN of the sid tree through the tree's own loader
# and libraries); for qemu also its firmware (seabios, option roms) from the tree, not the host's
cxl_cmd() {
	local tree
	tree=$(cxl_tree)
	CXL_CMD=(env "QEMU_MODULE_DIR=$tree/usr/lib/x86_64-linux-gnu/qemu"
		"$tree/usr/lib64/ld-linux-x86-64.so.2" --library-path "$tree/usr/lib/x86_64-linux-gnu" "$tree$1")
	case $1 in
	*/qemu-system-*) CXL_CMD+=(-L "$tree/usr/share/qemu" -L "$tree/usr/share/seabios" -L "$tree/usr/lib/ipxe/qemu") ;;
	esac
}
cxl_run() { cxl_cmd "$1" && "${CXL_CMD[@]}" "${@:2}"; }
cxl_qemu() { cxl_run /usr/bin/qemu-system-x86_64 "$@"; }

cxl_versions() {
	echo "qemu $(cxl_qemu --version | sed -n '1s/^QEMU emulator version //p')" \
		"cxl $(cxl_run /usr/bin/cxl --version)" "daxctl $(cxl_run /usr/bin/daxctl --version)"
}

# cxl_guest_tools DIR: DIR/bin/{cxl,daxctl,ndctl} wrappers that run the sid binaries in DIR/sbin
# with the sid loader and libraries in DIR/lib (the initramfs has the host's older glibc)
cxl_guest_tools() {
	local dir=$1 tree b lib
	tree=$(cxl_tree)
	rm -rf "$dir"
	mkdir -p "$dir/bin" "$dir/sbin" "$dir/lib"
	for b in cxl daxctl ndctl; do
		cp "$tree/usr/bin/$b" "$dir/sbin/$b"
		for lib in $("$tree/usr/lib64/ld-linux-x86-64.so.2" --library-path "$tree/usr/lib/x86_64-linux-gnu" \
			--list "$tree/usr/bin/$b" | grep -o "$tree/[^ ]*"); do
			[ -e "$dir/lib/$(basename "$lib")" ] || cp -L "$lib" "$dir/lib/"
		done
		cat >"$dir/bin/$b" <<-EOF
			#!/bin/sh
			exec /opt/cxl/lib/ld-linux-x86-64.so.2 --library-path /opt/cxl/lib --argv0 $b /opt/cxl/sbin/$b "\$@"
		EOF
		chmod +x "$dir/bin/$b"
	done
}

# cxl_boot: called by boot.sh (--cxl N) with its args array built for the nvdimm guest: swap the
# machine, memory and nvdimm for the CXL topology, the 9p share for one on pcie.0, and run sid's
# qemu. Does not return.
CXL_MODULES="cxl_acpi cxl_pci cxl_mem dax_cxl device_dax fsdev_dax kmem"
cxl_boot() {
	local n=$cxl i f bytes win a=() gone=0 want rc
	[[ $n =~ ^[12]$ ]] || die "boot.sh: --cxl takes 1 or 2 (type-3 devices), not '$n'"
	cxl_tools_ensure
	bytes=$(numfmt --from=iec "$memsize")
	[ $((bytes % 268435456)) -eq 0 ] || die "boot.sh --cxl: --mem-size must be a multiple of 256M"
	# drop what makes the nvdimm guest; keep everything else boot.sh put there
	i=0
	while [ "$i" -lt "${#args[@]}" ]; do
		case ${args[i]}:${args[i + 1]:-} in
		-machine:* | -m:* | -object:memory-backend-file,id=mem1,* | -device:nvdimm,* | -virtfs:*)
			gone=$((gone + 1)); i=$((i + 2)); continue ;;
		esac
		a+=("${args[i]}")
		i=$((i + 1))
	done
	want=4
	[ -z "$share" ] || want=5
	[ "$gone" -eq "$want" ] ||
		die "cxl.sh: boot.sh's qemu arguments changed (dropped $gone of -machine -m -object mem1 -device nvdimm -virtfs): update cxl_boot"
	win=$(((n * bytes + 4294967295) / 4294967296 * 4))
	a+=(
		-machine q35,cxl=on -m "$ram"
		# the kernel will not commit a region on a CPU that reports a hypervisor (see above)
		-cpu qemu64,-hypervisor
		-device pxb-cxl,bus_nr=12,bus=pcie.0,id=cxl.1
		-M "cxl-fmw.0.targets.0=cxl.1,cxl-fmw.0.size=${win}G"
	)
	# FAMFS_CXL_NUMA=1 (run-cxl.sh's one-host guest): the RAM as NUMA node 0, so that qemu writes
	# an SRAT and the kernel gives the CXL window a node of its own (node 1), as on real hosts:
	# memory kmem onlines there is node 1's alone (cxl.sh's failing offline pins page tables to it)
	if [ "${FAMFS_CXL_NUMA:-0}" = 1 ]; then
		a+=(-object "memory-backend-ram,id=ram0,size=$ram" -numa "node,nodeid=0,memdev=ram0")
	fi
	for ((i = 0; i < n; i++)); do
		f=$memfile
		[ "$i" -eq 0 ] || f=$memfile.cxl$i
		[ -f "$f" ] && [ "$(stat -c %s "$f")" -ge "$bytes" ] || truncate -s "$memsize" "$f"
		a+=(
			-object "memory-backend-file,id=cxl-mem$i,share=on,mem-path=$f,size=$memsize"
			-device "cxl-rp,port=$i,bus=cxl.1,id=cxl_rp$i,chassis=0,slot=$i"
			-device "cxl-type3,bus=cxl_rp$i,volatile-memdev=cxl-mem$i,id=cxl-vmem$i"
		)
	done
	if [ -n "$tmpmem" ]; then
		trap 'rm -f "$tmpmem" "$tmpmem".cxl*' EXIT
	fi
	if [ -n "$share" ]; then
		a+=(-fsdev "local,id=host0,path=$share,security_model=none"
			-device "virtio-9p-pci,fsdev=host0,mount_tag=host,bus=pcie.0")
	fi
	cxl_cmd /usr/bin/qemu-system-x86_64
	rc=0
	timeout --kill-after=10 "$tmo" "${CXL_CMD[@]}" "${a[@]}" || rc=$?
	exit "$rc"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -euo pipefail
	case ${1:-} in
	tools) cxl_tools_ensure && cxl_versions ;;
	guest-tools) [ $# -eq 2 ] || die "usage: cxl.sh guest-tools DIR"; cxl_tools_ensure && cxl_guest_tools "$2" ;;
	versions) cxl_versions ;;
	*) sed -n '5,14s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
	esac
fi
