#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Copyright (C) 2026 famfs contributors
# guest-systemd.sh MODE SUITE KREL DEBDIR - famfs mounted at boot by systemd
# from an /etc/fstab line, in a booted Debian guest of SUITE (a release, or
# RELEASE-backports) running kernel KREL, with the famfs packages in DEBDIR
# installed the way a user installs them (apt install ./famfs*.deb; DKMS
# builds famfs.ko for KREL).
#
#   MODE pmem (results pkg:guest:*; bookworm, 6.1): "/dev/pmem0 /mnt/famfs famfs ..."
#   MODE dax  (results pkg:guest-dax:*; the newest kernel with fsdev_dax):
#             "/dev/dax0.0 /mnt/famfs famfs daxmode=famfs,..."
#   MODE cxl  (results pkg:guest-cxl:*; the same kernel, on emulated CXL
#             type-3 memory, tests/vm/cxl.sh): the dax fstab line on a CXL RAM
#             region's dax0.0, with famfs-cxl installed as well
#
#   1. the tree: the release's base tree with systemd as init, udev,
#      linux-image-KREL (its initramfs), its headers and everything famfs'
#      packages pull in, kept as a tarball in $FAMFS_CACHE/pkg/guest-tree-*
#      (key below: rebuilt when anything that goes into it changes); then
#      apt install ./famfs*.deb in it, and the fstab line, the
#      famfs-logplay@mnt-famfs.timer enabled and a oneshot test unit; it
#      becomes an ext4 disk image
#   2. guest W (busybox, tests/vm harness, the packaged tools and the
#      DKMS-built famfs.ko) formats the shared memory file and writes files
#      (and prints their sha256)
#   3. pmem: guest B boots the image (systemd as PID 1, the same memory file
#      as its nvdimm): the fstab mount must show W's files. While B is up, W
#      adds a file; B's timer must replay it. Then B unmounts (the timer
#      stops), mounts again from fstab (the timer starts), removes the famfs
#      package with the timer running (it must stop and its enable link go),
#      and powers off.
#      dax: the memory file holds a devdax namespace, so B's /dev/dax0.0 comes
#      up on device_dax; the mount job (mount.famfs, daxmode=famfs) moves it
#      to fsdev_dax. Boot 1: the mount, W's files (pattern and sha256), the
#      timer replays W's late file; poweroff. A unit ordered before the mount
#      reports, after the mount is stopped at shutdown, the device's driver
#      (must be device_dax again) on the console and on the disk. Boot 2 (the
#      same disk image): the previous shutdown's record, the mount again, the
#      same files (sha256 from boot 1), umount gives the device back to
#      device_dax and a restart of the mount unit takes it again; poweroff,
#      with the same shutdown report.
#      cxl: as dax, on CXL memory (boot.sh --cxl 1's topology and sid's qemu,
#      also for the writer), famfs-cxl installed (its kmem blacklist must be
#      in the initramfs). qemu commits no CXL decoder at boot, so a test-only
#      oneshot (famfs-guest-cxl-region.service, ordered before the mount)
#      does what a host's firmware does: cxl create-region on mem0 (sid's
#      cxl, in /opt/cxl), then it records where the new dax0.0 is before the
#      mount. Boots 1 and 2 also check: kmem not loaded, dax0.0 on device_dax
#      before the mount, no kmem range in /proc/iomem, as many online memory
#      blocks as before the region; boot 2 then loads kmem while mounted
#      (dax0.0 stays on fsdev_dax, no memory onlined), and removes famfs-cxl.
#      Boot 3, the control without famfs-cxl: udev loads kmem, which takes
#      dax0.0 and onlines it as system RAM; every check above must then fail
#      (each is run and must say so), the fstab mount fails (the one failed
#      unit expected) with mount.famfs' message naming system-ram mode, and
#      the shutdown report says kmem.
#   Every boot runs with panic_on_warn; its kernel log must hold no warning,
#   oops or famfs error (in the guest, and on the whole console including the
#   shutdown), and no systemd unit may have failed except those named in
#   EXPECTED_FAILED below, each with its reason.
# Prints "RESULT pkg:guest[-dax]:<name> PASS|FAIL|SKIP" lines. Needs the
# harness's kernel for KREL (tests/vm/kernels.sh fetch), the release's base
# tarball (BASE_TAR, made by run.sh) and root.
#
# To see the dax and cxl checks fail (a throwaway copy next to this script, which finds the
# harness from its own directory; PKG_SKIP_BUILD=1 reuses the packages):
#   cp tests/pkg/guest-systemd.sh tests/pkg/g.sh
#   sed -i 's/@DAXOPT@daxmode=famfs,/@DAXOPT@/' tests/pkg/g.sh   # the fstab line without daxmode=famfs
#   sed -i 's/^BREAK_RESTORE=$/BREAK_RESTORE=1/' tests/pkg/g.sh  # umount without umount.famfs: no restore
#   sed -i 's/^BREAK_CXL=$/BREAK_CXL=1/' tests/pkg/g.sh          # cxl: famfs-cxl without its kmem blacklist
#   # cxl, famfs-cxl without its udev rule instead: BREAK_CXL=1 as above, then
#   sed -i -e '/cxl-broken/s#"$x"/lib/modprobe.d/famfs-cxl.conf "$x"/usr/lib/modprobe.d/famfs-cxl.conf#"$x"/lib/udev/rules.d/62-famfs-cxl-devdax.rules "$x"/usr/lib/udev/rules.d/62-famfs-cxl-devdax.rules#' \
#     -e "s#sed -i '/modprobe.d/d'#sed -i '/62-famfs-cxl/d'#" tests/pkg/g.sh
#   ARCH_CACHE=... FAMFS_WORK=/tmp/wd bash tests/pkg/g.sh dax trixie-backports 7.3.4+deb13-amd64 build/pkg/deb
# (one guest at a time per ARCH_CACHE: apt locks it.) What fails is in packaging/README.md, Tests.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
MODE=$1 SUITE=$2 K=$3 DEBDIR=$4
case $MODE in
pmem) P=guest ;;
dax) P=guest-dax ;;
cxl) P=guest-cxl ;;
*) echo "usage: guest-systemd.sh pmem|dax|cxl SUITE KREL DEBDIR" >&2; exit 2 ;;
esac
BASE=${SUITE%-backports} AT=
[ "$BASE" = "$SUITE" ] || AT="-t $SUITE"
C=${FAMFS_CACHE:-$HOME/.cache/famfs}/pkg
W=${FAMFS_WORK:-$top/build}/pkg-test/$P
MIRROR=${PKG_MIRROR:-http://deb.debian.org/debian}
BASE_TAR=${BASE_TAR:-$C/base-$BASE.tar.zst}
ARCH_CACHE=${ARCH_CACHE:-$C/archives-$SUITE}
R=$W/tree
LOG=$W/guest.log
BREAK_RESTORE=
BREAK_CXL=
rm -rf "$W" && mkdir -p "$W" "$ARCH_CACHE/partial"
: >"$LOG"
export FAMFS_WORK=$W/vm
# shellcheck source=../vm/kernels.sh
source "$top/tests/vm/kernels.sh"

npass=0 nfail=0
result() {
	if [ "$2" -eq 0 ]; then echo "RESULT pkg:$P:$1 PASS${3:+ ($3)}"; npass=$((npass + 1))
	else echo "RESULT pkg:$P:$1 FAIL${3:+ ($3)}"; nfail=$((nfail + 1)); fi
}
check() { local n=$1; shift; if "$@" >>"$LOG" 2>&1; then result "$n" 0; else result "$n" 1 "see $LOG"; return 1; fi; }
timing() { echo "TIMING pkg:$P:$1 $(($(date +%s) - $2))s${3:+ ($3)}"; }
inr() {
	unshare -m -- sh -c 'r=$1 cache=$2 cmd=$3
		mount -t proc proc "$r/proc" && mount --bind /dev "$r/dev" &&
		mount --bind "$cache" "$r/var/cache/apt/archives" &&
		exec chroot "$r" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
			DEBIAN_FRONTEND=noninteractive /bin/bash -c "$cmd"' sh "$R" "$ARCH_CACHE" "$1"
}
# guest_results CONSOLE PREFIX: the guest's RESULT lines, as ours (a SKIP stays a SKIP)
guest_results() {
	local name verdict rest
	while read -r _ name verdict rest; do
		if [ "$verdict" = SKIP ]; then echo "RESULT pkg:$P:$2$name SKIP $rest"; continue; fi
		result "$2$name" "$([ "$verdict" = PASS ] && echo 0 || echo 1)"
	done < <(tr -d '\r' <"$1" | grep -E '^RESULT [^ ]+ (PASS|FAIL|SKIP)')
}
finish() { echo "$P: $npass passed, $nfail failed (log: $LOG)"; [ "$nfail" -eq 0 ]; exit; }

deb_famfs=$(ls "$DEBDIR"/famfs_*.deb 2>/dev/null | head -1)
deb_dkms=$(ls "$DEBDIR"/famfs-dkms_*_all.deb 2>/dev/null | head -1)
[ -n "$deb_famfs" ] && [ -n "$deb_dkms" ] || { result debs 1 "no famfs and famfs-dkms .deb in $DEBDIR"; finish; }
deb_cxl=
if [ "$MODE" = cxl ]; then
	deb_cxl=$(ls "$DEBDIR"/famfs-cxl_*_all.deb 2>/dev/null | head -1)
	[ -n "$deb_cxl" ] || { result debs 1 "no famfs-cxl .deb in $DEBDIR"; finish; }
fi
kernel=$(k_kernel "$K")
[ -s "$kernel" ] || { result kernel 1 "no harness kernel for $K (tests/vm/kernels.sh fetch)"; finish; }
[ -s "$BASE_TAR" ] || { result tree 1 "no base tree $BASE_TAR"; finish; }

# ---- 1. the tree (cached), famfs installed in it, then the disk image
# What the cached tree holds besides the base tree. Everything that goes into
# it is in its key: the suite, the mirror, this list, the kernel, the base
# tarball, the famfs packages' dependency fields and the recipe itself.
GUEST_PKGS="systemd-sysv udev initramfs-tools zstd linux-image-$K linux-headers-$K"
tree_recipe() {
	local deps
	rm -rf "$R" && mkdir -p "$R" && zstd -q -dc "$BASE_TAR" | tar -C "$R" -xf - || return 1
	[ -z "$AT" ] || echo "deb $MIRROR $SUITE main" >>"$R/etc/apt/sources.list"
	inr "apt-get update -q" || return 1
	inr "apt-get install $AT -y -q --no-install-recommends $GUEST_PKGS" || return 1
	# what `apt install ./famfs*.deb` pulls in, so that at test time it installs famfs alone
	rm -rf "$R/tmp/debs" && mkdir -p "$R/tmp/debs" && cp "$deb_famfs" "$deb_dkms" "$R/tmp/debs/" || return 1
	deps=$(inr "cd /tmp/debs && apt-get install -s -q ./famfs*.deb" |
		awk '$1 == "Inst" && $2 != "famfs" && $2 != "famfs-dkms" { printf "%s ", $2 }')
	echo "famfs' dependencies: $deps"
	[ -z "$deps" ] || inr "apt-get install -y -q $deps" || return 1
	rm -rf "$R/tmp/debs"
}
tree_key() {
	{
		echo "suite=$SUITE mirror=$MIRROR kernel=$K packages=$GUEST_PKGS"
		stat -c 'base %n %s %Y' "$BASE_TAR"
		for d in "$deb_famfs" "$deb_dkms"; do dpkg-deb -f "$d" Package Pre-Depends Depends Recommends; done
		declare -f tree_recipe inr
	} | sha256sum | cut -c1-16
}
t=$(date +%s)
key=$(tree_key)
tb=$C/guest-tree-$SUITE-$K-$key.tar.zst
if [ -s "$tb" ]; then
	rm -rf "$R" && mkdir -p "$R" && zstd -q -dc "$tb" | tar -C "$R" -xf -
	result tree $? "cached $(basename "$tb")"
	timing tree "$t" "cache hit, key $key"
else
	# not niced: with a cold cache this tree is on the package tier's longest path
	if tree_recipe >>"$LOG" 2>&1; then
		rm -f "$C/guest-tree-$SUITE-"*.tar.zst
		tar -C "$R" -cf - . | zstd -q -T0 -3 -o "$tb.new" && mv "$tb.new" "$tb"
		result tree $? "built, cached as $(basename "$tb")"
	else
		result tree 1 "see $LOG"; finish
	fi
	timing tree "$t" "built, key $key"
fi

t=$(date +%s)
rm -rf "$R/tmp/debs" && mkdir -p "$R/tmp/debs" && cp "$deb_famfs" "$deb_dkms" $deb_cxl "$R/tmp/debs/"
if [ -n "$BREAK_CXL" ]; then	# a copy broken on purpose (see the header): famfs-cxl without its blacklist
	x=$W/cxl-broken && rm -rf "$x" && dpkg-deb -R "$deb_cxl" "$x" && rm -f "$x"/lib/modprobe.d/famfs-cxl.conf "$x"/usr/lib/modprobe.d/famfs-cxl.conf &&
		sed -i '/modprobe.d/d' "$x/DEBIAN/md5sums" && rm -f "$R"/tmp/debs/famfs-cxl_* && dpkg-deb -b "$x" "$R/tmp/debs/" >/dev/null
fi
check apt-install inr "cd /tmp/debs && apt install -y -q ./famfs*.deb" || finish
kof=$(ls "$R/lib/modules/$K/updates/dkms/"famfs.ko* 2>/dev/null | head -1)
[ -n "$kof" ] || { result dkms-module 1 "no DKMS-built famfs.ko for $K in the tree"; finish; }
result dkms-module 0 "${kof#$R}"
ko=$W/famfs.ko	# the writer's busybox insmod wants it uncompressed
case $kof in
*.xz) xz -dc "$kof" >"$ko" ;;
*.zst) zstd -q -dc "$kof" >"$ko" ;;
*) cp "$kof" "$ko" ;;
esac
if [ "$MODE" = cxl ]; then
	# famfs-cxl: the blacklist where modprobe reads it, in the initramfs (its trigger ran
	# update-initramfs), the udev rule; then the test's stand-in for the firmware: sid's cxl
	check cxl-blacklist inr "modprobe -c | grep -qx 'blacklist kmem'"
	check cxl-initramfs-blacklist inr "lsinitramfs /boot/initrd.img-$K | grep -E '(^|/)lib/modprobe.d/famfs-cxl.conf\$'"
	check cxl-udev-rule inr "ls /usr/lib/udev/rules.d/62-famfs-cxl-devdax.rules"
	check cxl-tools bash "$top/tests/vm/cxl.sh" guest-tools "$R/opt/cxl" || finish
fi
timing apt-install "$t"

if [ "$MODE" = pmem ]; then
	FSTAB='/dev/pmem0 /mnt/famfs famfs defaults,nofail,x-systemd.device-timeout=300s,x-systemd.requires-mounts-for=/var/lib/famfs 0 0'
else
	FSTAB='/dev/dax0.0 /mnt/famfs famfs @DAXOPT@daxmode=famfs,nofail,x-systemd.device-timeout=300s,x-systemd.requires-mounts-for=/var/lib/famfs 0 0'
	FSTAB=${FSTAB/@DAXOPT@/}
fi
check tree-config inr "set -e
	echo famfs-guest >/etc/hostname
	printf '%s\n' '/dev/vda / ext4 defaults 0 1' '$FSTAB' >/etc/fstab
	mkdir -p /mnt/famfs /var/lib/famfs-test
	systemctl mask serial-getty@ttyS0.service getty@tty1.service" || finish
# a copy broken on purpose (see the header): umount(8) finds no umount.famfs
[ -z "$BREAK_RESTORE" ] || rm -f "$R/usr/sbin/umount.famfs" "$R/sbin/umount.famfs"

# the test unit and its script (B's side)
install -d "$R/usr/local/sbin"
if [ "$MODE" = pmem ]; then
cat >"$R/usr/local/sbin/famfs-guest-test" <<'EOF'
#!/bin/sh
# run once by famfs-guest-test.service after boot: report, then power off
M=/mnt/famfs
r() {	# r NAME CMD...: one RESULT line
	n=$1; shift
	if "$@" >/tmp/out 2>&1; then echo "RESULT $n PASS"
	else echo "RESULT $n FAIL"; tail -n 15 /tmp/out | sed 's/^/    | /'; fi
}
waitfor() { left=$1; shift; while ! "$@" >/dev/null 2>&1; do left=$((left - 1)); [ $left -gt 0 ] || return 1; sleep 1; done; }
r init-is-systemd test "$(cat /proc/1/comm)" = systemd
r fstab-mount findmnt -t famfs $M
r mount-unit systemctl is-active mnt-famfs.mount
r mount-after-uuid-dir sh -c 'systemctl show -p RequiresMountsFor mnt-famfs.mount | grep -q /var/lib/famfs'
r module-from-dkms sh -c 'modinfo -n famfs | grep -q /updates/dkms/'
r meta-files test -n "$(ls -A $M/.meta)"
r files-from-writer sh -c "famfs verify -S 101 -f $M/shared/a.bin && famfs verify -S 102 -f $M/shared/dir/b.bin"
r refresh-timer-active systemctl is-active famfs-logplay@mnt-famfs.timer
echo "FAMFS-READY"
r refresh-timer-replays waitfor 240 test -e $M/shared/late.bin
r late-file-verify famfs verify -S 103 -f $M/shared/late.bin
r umount umount $M
r refresh-timer-stops-on-umount sh -c '! systemctl is-active famfs-logplay@mnt-famfs.timer'
# package removal while a famfs-logplay@ instance runs
r remount-from-fstab systemctl start mnt-famfs.mount
r refresh-timer-restarts waitfor 60 systemctl is-active famfs-logplay@mnt-famfs.timer
r remove-with-running-timer dpkg -r famfs
r remove-stops-timer sh -c '! systemctl is-active famfs-logplay@mnt-famfs.timer &&
	! systemctl is-active famfs-logplay@mnt-famfs.service'
r remove-drops-enable-link sh -c '! ls /etc/systemd/system/*.wants/ | grep famfs-logplay@'
r umount-after-remove umount $M
. /usr/local/sbin/famfs-guest-common
systemctl poweroff
EOF
else
cat >"$R/usr/local/sbin/famfs-guest-test" <<'EOF'
#!/bin/sh
# run once per boot by famfs-guest-test.service: report, then power off
M=/mnt/famfs
S=/var/lib/famfs-test
r() {	# r NAME CMD...: one RESULT line
	rn=$1; shift
	if "$@" >/tmp/out 2>&1; then echo "RESULT $rn PASS"
	else echo "RESULT $rn FAIL"; tail -n 15 /tmp/out | sed 's/^/    | /'; fi
}
waitfor() { left=$1; shift; while ! "$@" >/dev/null 2>&1; do left=$((left - 1)); [ $left -gt 0 ] || return 1; sleep 1; done; }
drv() { d=$(readlink /sys/bus/dax/devices/dax0.0/driver 2>/dev/null) && basename "$d" || echo none; }
is_drv() { d=$(drv); echo "dax0.0 is on ${d}, want $1"; [ "$d" = "$1" ]; }
n=$(($(cat $S/boot 2>/dev/null || echo 0) + 1))
echo $n >$S/boot && sync
echo "FAMFS-BOOT $n"
b=boot$n-
# cxl: what famfs-cxl is for (famfs-guest-cxl-region recorded the state before the mount in $C)
C=/run/famfs-test
online() { cat /sys/devices/system/memory/memory*/state | grep -cx online; }
not() { ! "$@"; }
kmem_not_loaded() { lsmod | grep -w kmem; ! test -e /sys/module/kmem; }
devdax_before_mount() { cat $C/premount; grep -qx 'driver=device_dax mounted=no' $C/premount; }
no_kmem_iomem() { ! grep -i kmem /proc/iomem; }
blocks_unchanged() { echo "online memory blocks: $(cat $C/online-before) before the region, $(online) now"; [ "$(online)" -eq "$(cat $C/online-before)" ]; }
cxl_checks() {	# boot 1 and 2
	r ${b}cxl-dax-device-on-region sh -c 'readlink -f /sys/bus/dax/devices/dax0.0 | tee /dev/stderr | grep -q /region0/dax_region0/dax0.0$'
	r ${b}cxl-kmem-not-loaded kmem_not_loaded
	r ${b}cxl-device-dax-before-mount devdax_before_mount
	r ${b}cxl-no-kmem-in-iomem no_kmem_iomem
	r ${b}cxl-online-blocks-unchanged blocks_unchanged
}
if [ -e $S/cxl ] && [ $n -eq 3 ]; then
	# the control: famfs-cxl removed at the end of boot 2, the trap is back. Each check of
	# boots 1 and 2 must fail here, and the mount with it
	r ${b}control-famfs-cxl-removed not dpkg -s famfs-cxl
	r ${b}control-region-made test -e /sys/bus/dax/devices/dax0.0
	r ${b}control-dax0.0-on-kmem is_drv kmem
	r ${b}control-kmem-not-loaded-fails not kmem_not_loaded
	r ${b}control-device-dax-before-mount-fails not devdax_before_mount
	r ${b}control-no-kmem-in-iomem-fails not no_kmem_iomem
	r ${b}control-online-blocks-unchanged-fails not blocks_unchanged
	r ${b}control-not-mounted sh -c "! findmnt $M"
	r ${b}control-mount-unit-failed sh -c 'systemctl is-failed mnt-famfs.mount'
	r ${b}control-message-system-ram sh -c "journalctl -b -u mnt-famfs.mount --no-pager | tee /dev/stderr | grep -q 'dax0.0.* is in system-ram mode'"
	journalctl -b -u mnt-famfs.mount --no-pager | grep -i 'system-ram' | head -3 | sed 's/^/    mnt-famfs.mount| /'
	# the one failed unit expected: the mount, refused by mount.famfs
	EXPECTED_FAILED_EXTRA=mnt-famfs.mount
	. /usr/local/sbin/famfs-guest-common
	systemctl poweroff
	exit 0
fi
r ${b}init-is-systemd test "$(cat /proc/1/comm)" = systemd
r ${b}fsdev-dax-driver test -d /sys/bus/dax/drivers/fsdev_dax
if [ $n -gt 1 ]; then	# what the previous boot's shutdown left: the device back on device_dax, unmounted
	r ${b}previous-shutdown-restored sh -c "cat $S/shutdown-$((n - 1)) && grep -qx 'boot=$((n - 1)) driver=device_dax mounted=no record=absent' $S/shutdown-$((n - 1))"
fi
r ${b}fstab-mount findmnt -t famfs $M
r ${b}mount-unit systemctl is-active mnt-famfs.mount
r ${b}mount-unit-from-fstab sh -c 'systemctl show -P SourcePath mnt-famfs.mount | grep -qx /etc/fstab &&
	systemctl show -P Result mnt-famfs.mount | grep -qx success'
r ${b}mount-source sh -c "findmnt -n -o SOURCE $M | grep -qx /dev/dax0.0"
r ${b}mount-after-uuid-dir sh -c 'systemctl show -p RequiresMountsFor mnt-famfs.mount | grep -q /var/lib/famfs'
# the mount job moved the device from device_dax to fsdev_dax and recorded where it was
r ${b}dax-on-fsdev is_drv fsdev_dax
r ${b}daxmode-record sh -c 'cat /run/famfs/dax0.0.daxmode && test "$(cat /run/famfs/dax0.0.daxmode)" = device_dax'
r ${b}device-unit sh -c 'systemctl is-active dev-dax0.0.device &&
	systemctl show -p Requires -p BindsTo mnt-famfs.mount | tee /dev/stderr | grep -q dev-dax0.0.device'
r ${b}module-from-dkms sh -c 'modinfo -n famfs | grep -q /updates/dkms/'
r ${b}meta-files test -n "$(ls -A $M/.meta)"
[ ! -e $S/cxl ] || cxl_checks
if [ $n -eq 1 ]; then
	r ${b}files-from-writer sh -c "famfs verify -S 101 -f $M/shared/a.bin && famfs verify -S 102 -f $M/shared/dir/b.bin"
	r ${b}files-sha256 sh -c "cd $M && sha256sum -c $S/writer.sha256"
	r ${b}refresh-timer-active systemctl is-active famfs-logplay@mnt-famfs.timer
	echo "FAMFS-READY"
	r ${b}refresh-timer-replays waitfor 240 test -e $M/shared/late.bin
	r ${b}late-file-verify famfs verify -S 103 -f $M/shared/late.bin
	r ${b}sums-recorded sh -c "cd $M && find shared -type f | sort | xargs sha256sum >$S/sums-boot1 &&
		cat $S/sums-boot1 && test \$(wc -l <$S/sums-boot1) -eq 3 && sync"
else
	r ${b}files-same-as-boot1 sh -c "cd $M && sha256sum -c $S/sums-boot1"
	r ${b}refresh-timer-active systemctl is-active famfs-logplay@mnt-famfs.timer
	r ${b}umount umount $M
	r ${b}umount-restores-device-dax is_drv device_dax
	r ${b}umount-drops-record test ! -e /run/famfs/dax0.0.daxmode
	r ${b}refresh-timer-stops-on-umount sh -c '! systemctl is-active famfs-logplay@mnt-famfs.timer'
	r ${b}remount-from-fstab systemctl start mnt-famfs.mount
	r ${b}remount-on-fsdev is_drv fsdev_dax
	r ${b}remount-files sh -c "cd $M && sha256sum -c $S/sums-boot1"
	r ${b}refresh-timer-restarts waitfor 60 systemctl is-active famfs-logplay@mnt-famfs.timer
	if [ -e $S/cxl ]; then
		# kmem loaded by hand while mounted: dax0.0 stays famfs', no memory is onlined
		r ${b}cxl-modprobe-kmem sh -c 'modprobe kmem && test -d /sys/bus/dax/drivers/kmem'
		r ${b}cxl-kmem-leaves-fsdev is_drv fsdev_dax
		r ${b}cxl-kmem-no-kmem-in-iomem no_kmem_iomem
		r ${b}cxl-kmem-online-blocks-unchanged blocks_unchanged
		r ${b}cxl-kmem-files sh -c "cd $M && sha256sum -c $S/sums-boot1"
		# for boot 3, the control: the package goes (its trigger rebuilds the initramfs)
		r ${b}cxl-remove-famfs-cxl sh -c 'dpkg -r famfs-cxl && ! test -e /usr/lib/modprobe.d/famfs-cxl.conf'
	fi
fi
. /usr/local/sbin/famfs-guest-common
systemctl poweroff
EOF
# Stopped after the mount at shutdown (ordered before it): where the device is then
cat >"$R/usr/local/sbin/famfs-guest-shutdown" <<'EOF'
#!/bin/sh
S=/var/lib/famfs-test
n=$(cat $S/boot 2>/dev/null || echo 0)
d=$(readlink /sys/bus/dax/devices/dax0.0/driver 2>/dev/null) && d=$(basename "$d") || d=none
m=no; grep -q ' /mnt/famfs famfs ' /proc/mounts && m=yes
rec=absent; [ ! -e /run/famfs/dax0.0.daxmode ] || rec=$(cat /run/famfs/dax0.0.daxmode)
echo "boot=$n driver=$d mounted=$m record=$rec" >$S/shutdown-$n
sync
echo "FAMFS-SHUTDOWN boot=$n driver=$d mounted=$m record=$rec" >/dev/ttyS0
EOF
chmod 0755 "$R/usr/local/sbin/famfs-guest-shutdown"
cat >"$R/etc/systemd/system/famfs-guest-shutdown.service" <<'EOF'
[Unit]
Description=famfs package test: the dax device's driver after the famfs unmount at shutdown
DefaultDependencies=no
After=systemd-remount-fs.service
Before=mnt-famfs.mount shutdown.target
Conflicts=shutdown.target

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/bin/true
ExecStop=/usr/local/sbin/famfs-guest-shutdown

[Install]
WantedBy=local-fs.target
EOF
fi
if [ "$MODE" = cxl ]; then
touch "$R/var/lib/famfs-test/cxl"
# Test only, in place of the firmware: a host's BIOS commits the CXL decoders of the memory it
# hands the OS, and the kernel finds the region at boot; qemu commits none, so the region is
# made here, before the mount job (which waits for /dev/dax0.0 anyway), the way the harness
# makes it (tests/guest/lib.sh prepare_cxl). Then: where dax0.0 is before the mount.
cat >"$R/usr/local/sbin/famfs-guest-cxl-region" <<'EOF'
#!/bin/sh
C=/run/famfs-test
mkdir -p $C
online() { cat /sys/devices/system/memory/memory*/state | grep -cx online; }
waitfor() { left=$1; shift; while ! "$@" >/dev/null 2>&1; do left=$((left - 1)); [ $left -gt 0 ] || return 1; sleep 1; done; }
waitfor 120 test -e /sys/bus/cxl/devices/mem0 || { echo "no CXL memdev mem0"; exit 1; }
online >$C/online-before
/opt/cxl/bin/cxl create-region -m -t ram -d decoder0.0 -w 1 mem0 || exit 1
waitfor 60 test -e /sys/bus/dax/devices/dax0.0 || { echo "no dax0.0 for the region"; exit 1; }
# the dax device's add event handled (udev: famfs-cxl's rule, or kmem for the control boot)
waitfor 30 test -e /sys/bus/dax/devices/dax0.0/driver
udevadm settle --timeout=60
d=$(readlink /sys/bus/dax/devices/dax0.0/driver) && d=$(basename "$d") || d=none
m=no; grep -q ' /mnt/famfs famfs ' /proc/mounts && m=yes
echo "driver=$d mounted=$m" | tee $C/premount
EOF
chmod 0755 "$R/usr/local/sbin/famfs-guest-cxl-region"
cat >"$R/etc/systemd/system/famfs-guest-cxl-region.service" <<'EOF'
[Unit]
Description=famfs package test: commit the CXL region (test only: firmware does it on real hosts)
DefaultDependencies=no
Wants=systemd-udev-trigger.service
After=systemd-udevd.service systemd-udev-trigger.service systemd-remount-fs.service
Before=mnt-famfs.mount

[Service]
Type=oneshot
RemainAfterExit=yes
TimeoutStartSec=300
ExecStart=/usr/local/sbin/famfs-guest-cxl-region
StandardOutput=journal+console

[Install]
WantedBy=local-fs.target
EOF
fi
# the end of every boot's test: kernel log, failed units
cat >"$R/usr/local/sbin/famfs-guest-common" <<'EOF'
# the kernel log: no warning (panic_on_warn would have stopped the guest),
# oops, lockdep or KASAN report, and no famfs error
# ("module verification failed": DKMS signed famfs.ko with its MOK, which this guest's
# firmware has not enrolled; the kernel only notes the taint)
dmesg | grep -v 'famfs: module verification failed: signature' >/tmp/dmesg
r ${b:-}kernel-log sh -c '! grep -E "WARNING:|BUG:|Oops|Call Trace|general protection|lockdep|KASAN|UBSAN|famfs.*(error|fail)" /tmp/dmesg'
grep -E "WARNING:|BUG:|Oops|Call Trace|famfs|dax" /tmp/dmesg | head -20 | sed 's/^/    dmesg| /'
# every failed unit is a FAIL, except the expected ones:
#   ndctl-monitor.service: Debian's ndctl enables its SMART health monitor, which exits with
#   "no dimms to monitor, exiting" when no DIMM supports health events, and qemu's emulated
#   NVDIMM has none (its journal lines are printed below for the record); nothing of famfs
EXPECTED_FAILED="ndctl-monitor.service ${EXPECTED_FAILED_EXTRA:-}"
systemctl --failed --no-legend --plain | awk '{print $1}' >/tmp/failed
sed 's/^/FAILED-UNIT /' /tmp/failed
for u in $(cat /tmp/failed); do
	journalctl -b -u "$u" --no-pager 2>/dev/null | tail -n 3 | sed "s/^/    $u| /"
done
for u in $EXPECTED_FAILED; do sed -i "/^$u\$/d" /tmp/failed; done
r ${b:-}no-failed-units test ! -s /tmp/failed
journalctl -b -u mnt-famfs.mount --no-pager 2>/dev/null | tail -n 5 | sed 's/^/    mnt-famfs.mount| /'
echo "GUEST-DONE"
EOF
chmod 0755 "$R/usr/local/sbin/famfs-guest-test"
cat >"$R/etc/systemd/system/famfs-guest-test.service" <<'EOF'
[Unit]
Description=famfs package test (reports on the serial console)
Wants=mnt-famfs.mount
After=mnt-famfs.mount famfs-logplay@mnt-famfs.timer systemd-user-sessions.service

[Service]
Type=oneshot
ExecStart=/usr/local/sbin/famfs-guest-test
StandardOutput=tty
StandardError=tty
TTYPath=/dev/ttyS0

[Install]
WantedBy=multi-user.target
EOF
units="famfs-guest-test.service famfs-logplay@mnt-famfs.timer"
[ "$MODE" = pmem ] || units="$units famfs-guest-shutdown.service"
[ "$MODE" != cxl ] || units="$units famfs-guest-cxl-region.service"
check tree-enable inr "systemctl enable $units &&
	test -L /etc/systemd/system/mnt-famfs.mount.wants/famfs-logplay@mnt-famfs.timer" || finish
initrd=$(ls "$R/boot/initrd.img-$K" 2>/dev/null)
[ -n "$initrd" ] || { result tree-initrd 1 "no /boot/initrd.img-$K"; finish; }
cp "$initrd" "$W/initrd.img" && initrd=$W/initrd.img

# ---- 2. the writer (master): format and fill the shared memory
mem=$W/shared-mem
truncate -s 2G "$mem"
tools=$W/tools
mkdir -p "$tools" && dpkg-deb -x "$deb_famfs" "$W/famfs-deb" &&
	cp -a "$W"/famfs-deb/usr/sbin/famfs "$W"/famfs-deb/usr/sbin/mkfs.famfs "$tools/"
t=$(date +%s)
# cxl: the writer boots on the same CXL topology (boot.sh --cxl 1), with the CXL modules and
# sid's cxl/daxctl (tests/vm/cxl.sh, as tests/vm/run-cxl.sh does)
wcxl=() wboot=()
if [ "$MODE" = cxl ]; then
	# shellcheck source=../vm/cxl.sh
	source "$top/tests/vm/cxl.sh"
	for m in $CXL_MODULES; do wcxl+=(--mod "$m"); done
	wcxl+=(--file "$R/opt/cxl:/opt/cxl")
	wboot=(--cxl 1)
fi
check writer-initrd env FAMFS_TOOLS="$tools" bash "$top/tests/vm/mkinitrd.sh" "$K" "$W/writer.cpio.gz" \
	"$top/tests/pkg/guest-writer.sh" --ko "$ko" "${wcxl[@]}" || finish
bash "$top/tests/vm/boot.sh" --krel "$K" --initrd "$W/writer.cpio.gz" --console "$W/w1.log" "${wboot[@]}" \
	--mem-file "$mem" --mem-size 2G --timeout 300 -- phase=1 dev="$MODE" >>"$LOG" 2>&1
guest_results "$W/w1.log" ""
grep -q 'RESULT W1-creat-b PASS' "$W/w1.log" || { result writer 1 "see $W/w1.log"; finish; }
tr -d '\r' <"$W/w1.log" | sed -n 's/^SHA256 //p' >"$R/var/lib/famfs-test/writer.sha256"
[ "$MODE" = pmem ] || check writer-sha256 test "$(wc -l <"$R/var/lib/famfs-test/writer.sha256")" -eq 2
timing writer "$t"

t=$(date +%s)
img=$W/root.img
check image mke2fs -q -t ext4 -L famfsroot -d "$R" "$img" 4G || finish
timing image "$t"
# the disk image and the memory file are big: keep them only when asked
[ -n "${PKG_KEEP_TREES:-}" ] || rm -rf "$R"

# ---- 3. the systemd guest: boot N of the image; on boot 1 the writer adds a file meanwhile
boot_client() {	# boot_client CONSOLE: boot the image until it powers off
	local con=$1 qb n rc t2 q
	q=(-accel tcg -smp 1
		-machine pc,nvdimm=on -m 1G,slots=2,maxmem=16G -uuid 6b0c6f3a-5d43-4c1e-9a39-0d6f2a1b7c11
		-object "memory-backend-file,id=mem1,share=on,mem-path=$mem,size=2G" -device nvdimm,id=nv1,memdev=mem1
		-drive "file=$img,if=virtio,format=raw" -kernel "$kernel" -initrd "$initrd"
		-append "root=/dev/vda rw console=ttyS0 panic=-1 panic_on_warn=1 systemd.show_status=0"
		-display none -monitor none -serial "file:$con" -no-reboot)
	if [ "$MODE" = cxl ]; then
		# boot.sh --cxl 1's machine: cxl_boot (tests/vm/cxl.sh) swaps the nvdimm for the CXL
		# topology on the same memory file and runs sid's qemu (the boot 2 removal of
		# famfs-cxl rebuilds the initramfs under TCG: a longer timeout)
		# the disk on pcie.0 (qemu would put it behind the CXL host bridge and refuse it)
		q=("${q[@]/#file=$img,if=virtio,format=raw/file=$img,if=none,id=root,format=raw}" -device virtio-blk-pci,drive=root,bus=pcie.0)
		(cxl=1 memfile=$mem memsize=2G ram=1G share='' tmo=900 tmpmem='' args=("${q[@]}"); cxl_boot) >>"$LOG" 2>&1 &
	else
		timeout --kill-after=10 600 qemu-system-x86_64 "${q[@]}" >>"$LOG" 2>&1 &
	fi
	qb=$!
	if [ "$2" = writer ]; then
		n=0
		while ! grep -q FAMFS-READY "$con" 2>/dev/null && kill -0 $qb 2>/dev/null && [ $n -lt 420 ]; do
			sleep 2; n=$((n + 2))
		done
		timing boot-to-ready "$t"
		if grep -q FAMFS-READY "$con"; then
			t2=$(date +%s)
			bash "$top/tests/vm/boot.sh" --krel "$K" --initrd "$W/writer.cpio.gz" --console "$W/w2.log" "${wboot[@]}" \
				--mem-file "$mem" --mem-size 2G --timeout 300 -- phase=2 dev="$MODE" >>"$LOG" 2>&1
			guest_results "$W/w2.log" ""
			timing writer2 "$t2"
		fi
	fi
	wait $qb
}
# the whole console, shutdown included: a WARN there panics the guest (panic_on_warn)
console_clean() { ! tr -d '\r' <"$1" | grep -E 'WARNING:|BUG:|Oops|Kernel panic|Call Trace|general protection'; }

if [ "$MODE" = pmem ]; then
	t=$(date +%s)
	con=$W/b.log
	boot_client "$con" writer
	rc=$?
	guest_results "$con" "client-"
	grep -q GUEST-DONE "$con"
	result client-ran-to-end $? "qemu rc $rc, console $con"
	grep '^FAILED-UNIT' "$con" | tr -d '\r' | tee -a "$LOG"
	timing client "$t"
else
	boots="1 2"
	[ "$MODE" != cxl ] || boots="1 2 3"	# 3: the control, without famfs-cxl
	for n in $boots; do
		t=$(date +%s)
		con=$W/b$n.log
		boot_client "$con" "$([ $n = 1 ] && echo writer || echo -)"
		rc=$?
		guest_results "$con" ""
		grep -q GUEST-DONE "$con" && [ "$rc" -eq 0 ]
		result boot$n-ran-to-end $? "qemu rc $rc, console $con"
		# after GUEST-DONE: the mount unit stopped (umount.famfs), then the report; the control
		# boot never mounted, and kmem has the device
		want=device_dax name=restores-device-dax
		[ "$n" != 3 ] || want=kmem name=control-on-kmem
		sed -n '/GUEST-DONE/,$p' "$con" | tr -d '\r' | grep '^FAMFS-SHUTDOWN' | tee -a "$LOG" |
			grep -qx "FAMFS-SHUTDOWN boot=$n driver=$want mounted=no record=absent"
		result boot$n-shutdown-$name $? "$(tr -d '\r' <"$con" | grep -m1 '^FAMFS-SHUTDOWN' || echo 'no FAMFS-SHUTDOWN line')"
		console_clean "$con" >>"$LOG"
		result boot$n-console-kernel-log $? "the whole console, shutdown included"
		grep '^FAILED-UNIT' "$con" | tr -d '\r' | tee -a "$LOG"
		timing boot$n "$t"
	done
fi
[ -n "${PKG_KEEP_TREES:-}" ] || rm -f "$img" "$mem"
finish
