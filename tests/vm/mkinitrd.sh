#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Copyright (C) 2026 famfs contributors
# mkinitrd.sh KREL OUT.cpio.gz GUEST_SCRIPT [--ko FAMFS.KO] [--file SRC:DST]... [--bin PATH]... [--mod NAME]...
#
# A busybox initramfs for one kernel:
#   /bin/busybox (+ applet links made at boot), the kernel's nvdimm/dax/9p modules (decompressed:
#   busybox insmod cannot load .ko.xz/.ko.zst) with depmod data, famfs.ko in
#   /lib/modules/KREL/extra/, ndctl + daxctl + userspace/build/{famfs,mkfs.famfs} and the libraries
#   ldd names (in /usr/local/bin), tests/guest/ as /guest/ (its *.c built static into
#   /usr/local/bin), GUEST_SCRIPT as /test.sh, and an /init that runs /test.sh, prints
#   "TEST-EXIT: <rc>", the dmesg between markers, and powers off.
# --file copies extra files or trees (DST is relative to the initramfs root);
# --bin adds more host binaries (with their libraries) to /usr/local/bin.
# --mod adds more kernel modules (with their dependencies), e.g. the CXL stack (tests/vm/cxl.sh).
set -euo pipefail
# shellcheck source=kernels.sh
source "$(dirname "${BASH_SOURCE[0]}")/kernels.sh"

[ $# -ge 3 ] || die "usage: mkinitrd.sh KREL OUT.cpio.gz GUEST_SCRIPT [--ko KO] [--file SRC:DST]... [--bin PATH]..."
krel=$1 out=$2 script=$3
shift 3
ko='' files=() bins=(/usr/bin/ndctl /usr/bin/daxctl) mods=()
while [ $# -gt 0 ]; do
	case $1 in
	--ko) ko=$2; shift 2 ;;
	--file) files+=("$2"); shift 2 ;;
	--bin) bins+=("$2"); shift 2 ;;
	--mod) mods+=("$2"); shift 2 ;;
	*) die "mkinitrd.sh: unknown argument $1" ;;
	esac
done
moddir=$(k_moddir "$krel") || die "no modules for $krel: run tests/vm/kernels.sh fetch"
[ -f "$script" ] || die "no guest script $script"

# the famfs tools, when user space has built them (FAMFS_TOOLS: another build directory)
tools=${FAMFS_TOOLS:-$FAMFS_REPO/userspace/build}
for b in famfs mkfs.famfs; do
	if [ -x "$tools/$b" ]; then
		bins+=("$tools/$b")
	else
		log "mkinitrd.sh: note: $tools/$b not built, not in the initramfs"
	fi
done

st=$(mktemp -d "${TMPDIR:-/tmp}/famfs-initrd.XXXXXX")
trap 'rm -rf "$st"' EXIT
chmod 755 "$st"     # mktemp makes it 0700: unprivileged guest tests must reach /mnt
mkdir -p "$st"/{bin,sbin,usr/bin,usr/sbin,usr/local/bin,proc,sys,dev,tmp,mnt,root,opt,host,guest,lib/modules/"$krel"/extra}
cp /bin/busybox "$st/bin/busybox"

# --- kernel modules (and, recursively, what they depend on) ---
# nvdimm + dax (fsdev_dax only exists on 7.x), virtio 9p for the host share
WANT="libnvdimm nd_pmem nd_btt nfit dax_pmem device_dax fsdev_dax virtio_pci 9pnet_virtio 9p"
declare -A seen
add_mod() {
	local name=${1//-/_} f dep rel
	[ -n "${seen[$name]:-}" ] && return 0
	seen[$name]=1
	f=$(find "$moddir/kernel" \( -name "$name.ko*" -o -name "${name//_/-}.ko*" \) -print -quit)
	# not a module in this kernel: built in, or absent (fsdev_dax before 7.x)
	[ -n "$f" ] || return 0
	for dep in $(modinfo -F depends "$f" | tr ',' ' '); do add_mod "$dep"; done
	rel=${f#"$moddir"/}
	rel=${rel%.xz}
	rel=${rel%.zst}
	mkdir -p "$st/lib/modules/$krel/$(dirname "$rel")"
	case $f in
	*.xz) xz -dc "$f" ;;
	*.zst) zstd -qdc "$f" ;;
	*) cat "$f" ;;
	esac >"$st/lib/modules/$krel/$rel"
}
for m in $WANT; do add_mod "$m"; done
for m in "${mods[@]}"; do add_mod "$m"; done
# 7.x's linux-modules deb ships none of these: depmod only needs them to exist
for f in modules.builtin modules.builtin.modinfo modules.order; do
	if [ -f "$moddir/$f" ]; then cp "$moddir/$f" "$st/lib/modules/$krel/"; else : >"$st/lib/modules/$krel/$f"; fi
done
if [ -n "$ko" ]; then
	[ -f "$ko" ] || die "no module $ko"
	cp "$ko" "$st/lib/modules/$krel/extra/famfs.ko"
fi
depmod -b "$st" "$krel"

# --- host binaries + their shared libraries ---
for b in "${bins[@]}"; do
	cp -L "$b" "$st/usr/local/bin/$(basename "$b")"
	for lib in $(ldd "$b" | grep -o '/[^ ]*'); do
		mkdir -p "$st/$(dirname "$lib")"
		[ -e "$st/$lib" ] || cp -L "$lib" "$st/$lib"
	done
done

# --- test scripts, their static C helpers, extra files ---
cp -a "$GUEST_DIR"/. "$st/guest/"
for c in "$GUEST_DIR"/*.c; do
	[ -e "$c" ] || continue
	gcc -O2 -Wall -static -o "$st/usr/local/bin/$(basename "$c" .c)" "$c"
done
cp "$script" "$st/test.sh"
for x in "${files[@]}"; do
	mkdir -p "$st/$(dirname "${x#*:}")"
	cp -a "${x%%:*}" "$st/${x#*:}"
done

cat >"$st/init" <<'EOF'
#!/bin/busybox sh
# famfs test guest: run /test.sh, report, power off. Never returns to the kernel (no panic on exit).
/bin/busybox --install -s
export PATH=/usr/local/bin:/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
hostname "$(sed -n 's/.*role=\([^ ]*\).*/guest-\1/p' /proc/cmdline | grep . || echo guest)"

dump_dmesg() {
	echo "=== DMESG BEGIN ==="
	dmesg
	echo "=== DMESG END ==="
}
# a hung test: show the blocked tasks and the log, then stop (the host timeout is the backstop)
tmo=$(sed -n 's/.*test_timeout=\([0-9]*\).*/\1/p' /proc/cmdline)
(
	sleep "${tmo:-240}"
	echo "TEST-TIMEOUT after ${tmo:-240}s"
	echo w >/proc/sysrq-trigger
	dump_dmesg
	poweroff -f
) &

echo "INIT: $(uname -r) up at $(cut -d' ' -f1 /proc/uptime)s"
sh /test.sh
echo "TEST-EXIT: $?"
dump_dmesg
echo "INIT: poweroff at $(cut -d' ' -f1 /proc/uptime)s"
sync
poweroff -f
EOF
chmod +x "$st/init" "$st/test.sh"

mkdir -p "$(dirname "$out")"
(cd "$st" && find . | cpio -o -H newc --quiet | gzip -1) >"$out.tmp"
mv "$out.tmp" "$out"
