#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Copyright (C) 2026 famfs contributors
# tests/pkg/run.sh - the famfs packages, installed the way users install them.
#
#   1. build the Debian source package (3.0 (quilt), orig tarball from
#      `make dist`) and the DEBs (make -C packaging deb), lint both with
#      lintian --pedantic (0 errors, 0 warnings); check what each package
#      holds and what its maintainer scripts do
#   2. build the RPMs (make -C packaging rpm; rpmbuild --nodeps on this
#      Debian host) and lint them (rpmlint, Fedora's settings); check their
#      file lists and scriptlets
#   3. for each tested release (bookworm 6.1, trixie 6.12, trixie-backports
#      7.x — a trixie tree with the backports kernel — and sid 7.x), in a
#      clean debootstrap tree: install the release's kernel headers (that tree
#      is kept as $C/headers-SUITE-KREL.tar.zst for the next run), then
#      `apt install ./famfs*.deb`; DKMS must build and install famfs.ko for
#      that kernel (vermagic checked). Installing a second kernel's headers
#      afterwards must build it for that kernel too, with no command from the
#      user. A kernel without CONFIG_FS_DAX, a too-old kernel and a failing
#      build must leave no module behind (and a readable log for the failure).
#      Bookworm (dkms 3.0.10) and sid (3.2): an upgrade to a bumped famfs-dkms
#      (0.1.0-2, a marker in the module source) and a reinstall over a stale
#      build must install the newly built module (the marker). sid: dkms
#      prints no deprecation warning; removal disables an enabled
#      famfs-logplay@ instance; the RPM scriptlets (install, Release upgrade,
#      reinstall, erase) run against its dkms 3.2, with the same proofs.
#      `apt remove` must remove every module and /usr/src/famfs-*.
#   4. booted systemd guests (tests/pkg/guest-systemd.sh, each its own
#      Debian tree, cached, with apt install ./famfs*.deb): "pmem" on the
#      first release's kernel mounts /dev/pmem0 from /etc/fstab (timer,
#      package removal); "cxl" on the newest tracked kernel with fsdev_dax
#      (tests/vm/kernels.sh newest-fsdev) and CXL memory (boot.sh --cxl 1's
#      topology) with famfs-cxl installed too: mounts a CXL region's
#      /dev/dax0.0 with daxmode=famfs from /etc/fstab, boots twice, checks
#      that the device is back on device_dax after every unmount, shutdown
#      included, that kmem never loaded and the device was on device_dax
#      before the mount; a third boot without famfs-cxl is the control (kmem
#      takes it). "dax" (not in the default set: the cxl guest's boots 1 and
#      2 run every one of its checks) does the same on an NVDIMM devdax
#      namespace without famfs-cxl.
#   3 and 4 run side by side (3 in the background, its lines printed after
#   4's): each is mostly one core, dpkg and dkms there, one TCG guest here.
#
# Prints one "RESULT pkg:<name> PASS|FAIL" line per check and TIMING lines.
# Needs root (debootstrap, chroot). Network: the Debian archive only.
#
# env: FAMFS_CACHE (default ~/.cache/famfs; base trees go to $FAMFS_CACHE/pkg)
#      FAMFS_WORK  (default <repo>/build; scratch in $FAMFS_WORK/pkg-test)
#      PKG_RELEASES="bookworm trixie trixie-backports sid"   which releases to install in ("": none)
#      PKG_MIRROR (default http://deb.debian.org/debian)
#      PKG_SKIP_BUILD=1  reuse the packages in $FAMFS_WORK/pkg (make deb/rpm output)
#      PKG_GUEST=0       no booted systemd guest
#      PKG_GUESTS="pmem cxl"  which guests (tests/pkg/guest-systemd.sh): pmem on the first
#                        release's kernel, cxl (and dax, when named) on kernels.sh newest-fsdev
#      PKG_KEEP_TREES=1  keep the release trees and the guests' trees and disk images
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"

C=${FAMFS_CACHE:-$HOME/.cache/famfs}/pkg
W=${FAMFS_WORK:-$top/build}/pkg-test
MIRROR=${PKG_MIRROR:-http://deb.debian.org/debian}
RELEASES=${PKG_RELEASES-bookworm trixie trixie-backports sid}	# set and empty: none
VERSION=$(cat VERSION)
PKGOUT=${FAMFS_WORK:-$top/build}/pkg	# make deb / make rpm output (OUT= of packaging/Makefile)
DEBS=$PKGOUT/deb
RPMS=$PKGOUT/rpm
mkdir -p "$C" "$W"
LOG=$W/run.log
: >"$LOG"

npass=0 nfail=0
result() {	# result NAME 0|1 [detail]
	if [ "$2" -eq 0 ]; then
		echo "RESULT pkg:$1 PASS${3:+ ($3)}"; npass=$((npass + 1))
	else
		echo "RESULT pkg:$1 FAIL${3:+ ($3)}"; nfail=$((nfail + 1))
	fi
}
check() {	# check NAME command...: PASS when the command succeeds
	local name=$1; shift
	if "$@" >>"$LOG" 2>&1; then result "$name" 0; else result "$name" 1 "see $LOG"; return 1; fi
}
timing() { echo "TIMING pkg:$1 $(($(date +%s) - $2))s${3:+ ($3)}"; }	# timing NAME START [NOTE]
log() { printf '### %s\n' "$*" >>"$LOG"; }

[ "$(id -u)" -eq 0 ] || { result root 1 "run as root"; exit 1; }

# ------------------------------------------------------ 1. build, 2. DEB ----
t=$(date +%s)
check build-deps bash packaging/install-build-deps.sh
if [ -n "${PKG_SKIP_BUILD:-}" ]; then	# reuse $PKGOUT (for working on this script)
	echo "pkg: PKG_SKIP_BUILD set, using the packages in $PKGOUT"
else
# The unit tests run in make check's own tier; nocheck keeps a failing unit
# test from hiding every package result.
log "make deb"
DEB_BUILD_OPTIONS="nocheck ${DEB_BUILD_OPTIONS:-}" check deb-build make -C packaging deb LINTIAN=0 OUT="$PKGOUT"
log "make rpm"
check rpm-build make -C packaging rpm RPMLINT=0 OUT="$PKGOUT"
fi
timing build "$t"

t=$(date +%s)
deb_famfs=$(ls "$DEBS"/famfs_"$VERSION"-*_*.deb 2>/dev/null | head -1)
deb_dkms=$(ls "$DEBS"/famfs-dkms_"$VERSION"-*_all.deb 2>/dev/null | head -1)
deb_dev=$(ls "$DEBS"/libfamfs-dev_"$VERSION"-*_*.deb 2>/dev/null | head -1)
deb_cxl=$(ls "$DEBS"/famfs-cxl_"$VERSION"-*_all.deb 2>/dev/null | head -1)
dsc=$(ls "$DEBS"/famfs_"$VERSION"-*.dsc 2>/dev/null | head -1)
if [ -n "$deb_famfs" ] && [ -n "$deb_dkms" ]; then
	# the source package and the binaries, in one run: pedantic, and a
	# warning fails as an error does (P: lines are reported, not failed)
	log "lintian"
	(cd "$DEBS" && lintian --pedantic --tag-display-limit 0 ./*.changes) >"$W/lintian.txt" 2>&1
	cat "$W/lintian.txt" >>"$LOG"
	lint_sum() {	# lint_sum source|binary -> "E errors, W warnings, P pedantic"
		local f
		if [ "$1" = source ]; then f=' source: '; else f='^[EWIP]: [^ ]*: '; fi
		grep -E "$f" "$W/lintian.txt" | { [ "$1" = source ] && cat || grep -v ' source: '; } >"$W/lintian-$1.txt"
		echo "$(grep -c '^E:' "$W/lintian-$1.txt") errors, $(grep -c '^W:' "$W/lintian-$1.txt") warnings, $(grep -c '^P:' "$W/lintian-$1.txt") pedantic"
	}
	for kind in source binary; do
		sum=$(lint_sum $kind)
		case $sum in 0\ errors,\ 0\ warnings*) rc=0 ;; *) rc=1 ;; esac
		[ "$kind" = binary ] || grep -q ' source: ' "$W/lintian.txt" || [ -n "$dsc" ] || rc=1
		result "deb-lintian-$kind" $rc "$sum"
	done
	# the source package unpacks (checksums, orig tarball + debian/) into
	# the release tarball's tree with debian/ on top
	check deb-source-package bash -c "[ -n '$dsc' ] && grep -qx 'Format: 3.0 (quilt)' '$dsc' &&
		grep -q ' famfs_$VERSION.orig.tar.gz\$' '$dsc' && rm -rf '$W/srcx' &&
		dpkg-source -x '$dsc' '$W/srcx' && test -f '$W/srcx/debian/rules' && test -f '$W/srcx/dkms.conf' &&
		test \"\$(tar -tzf '$DEBS/famfs_$VERSION.orig.tar.gz' | head -1)\" = famfs-$VERSION/"
	check deb-copyright-dep5 bash -c "c=\$(dpkg-deb --fsys-tarfile '$deb_famfs' | tar -xO ./usr/share/doc/famfs/copyright);
		echo \"\$c\" | grep -q 'does \\*not\\* cover user programs that use kernel' &&
		echo \"\$c\" | grep -q '^Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/'"

	has() { grep -qE "$2" "$W/$1.list" || { echo "$1: no $2" >&2; return 1; }; }
	dpkg-deb -c "$deb_famfs" | awk '{print $6}' | sed 's|^\.||' >"$W/famfs.list"
	dpkg-deb -c "$deb_dkms" | awk '{print $6}' | sed 's|^\.||' >"$W/dkms.list"
	check deb-famfs-tools has famfs '^/usr/sbin/famfs$'
	check deb-famfs-mkfs has famfs '^/usr/sbin/mkfs\.famfs$'
	check deb-famfs-mount-helper has famfs '^(/usr)?/sbin/mount\.famfs$'
	check deb-famfs-umount-helper has famfs '^(/usr)?/sbin/umount\.famfs$'
	check deb-famfs-units bash -c "grep -qE '^(/usr)?/lib/systemd/system/famfs-logplay@\.service$' '$W/famfs.list' &&
		grep -qE '^(/usr)?/lib/systemd/system/famfs-logplay@\.timer$' '$W/famfs.list'"
	check deb-famfs-udev has famfs '^(/usr)?/lib/udev/rules.d/60-famfs\.rules$'
	check deb-famfs-manpages has famfs '^/usr/share/man/man8/famfs\.8'
	check deb-famfs-completion has famfs '^/usr/share/bash-completion/completions/famfs$'
	check deb-famfs-docs bash -c "for d in format ioctl admin; do grep -qE \"^/usr/share/doc/famfs/\$d\\.md(\\.gz)?\$\" '$W/famfs.list' || { echo missing \$d.md; exit 1; }; done"
	check deb-libfamfs-dev bash -c "[ -n '$deb_dev' ] && dpkg-deb -c '$deb_dev' | grep -q '/usr/include/famfs/libfamfs.h' &&
		dpkg-deb -c '$deb_dev' | grep -q 'libfamfs.a'"
	check deb-dkms-source bash -c "for f in dkms.conf module/Makefile module/Kbuild dax-compat/probe.sh module/uapi/linux/famfs_ioctl.h; do
		grep -qx /usr/src/famfs-$VERSION/\$f '$W/dkms.list' || { echo missing \$f; exit 1; }; done"
	rm -rf "$W/dkmsx" && mkdir -p "$W/dkmsx" && dpkg-deb -R "$deb_dkms" "$W/dkmsx"
	check deb-dkms-conf bash -c "c=$W/dkmsx/usr/src/famfs-$VERSION/dkms.conf;
		grep -qx 'PACKAGE_VERSION=\"$VERSION\"' \$c && grep -qx 'AUTOINSTALL=\"yes\"' \$c &&
		grep -qx 'NO_WEAK_MODULES=\"yes\"' \$c && grep -q '^BUILD_EXCLUSIVE_CONFIG=.*CONFIG_FS_DAX' \$c"
	check deb-dkms-scripts bash -c "grep -q common.postinst $W/dkmsx/DEBIAN/postinst &&
		grep -q 'dkms remove' $W/dkmsx/DEBIAN/prerm && sh -n $W/dkmsx/DEBIAN/postinst && sh -n $W/dkmsx/DEBIAN/prerm"
	check deb-dkms-depends bash -c "dpkg-deb -f '$deb_dkms' Depends | grep -q 'dkms (>= 3.0.10)' &&
		dpkg-deb -f '$deb_dkms' Depends | grep -q pahole"
	check deb-dkms-section-recommends bash -c "[ \"\$(dpkg-deb -f '$deb_dkms' Section)\" = kernel ] &&
		dpkg-deb -f '$deb_dkms' Recommends | grep -qw famfs"
	# tools and module of different upstream versions must not be installed together
	check deb-version-skew-guard bash -c "b=\$(dpkg-deb -f '$deb_famfs' Breaks);
		echo \"\$b\" | grep -q 'famfs-dkms (<< $VERSION)' && echo \"\$b\" | grep -q 'famfs-dkms (>> $VERSION+~)'"
	rm -rf "$W/famfsx" && mkdir -p "$W/famfsx" && dpkg-deb -R "$deb_famfs" "$W/famfsx"
	check deb-famfs-scripts bash -c "grep -q 'udevadm trigger --subsystem-match=dax' $W/famfsx/DEBIAN/postinst &&
		grep -q 'famfs-logplay@' $W/famfsx/DEBIAN/prerm && grep -q 'disable' $W/famfsx/DEBIAN/prerm &&
		sh -n $W/famfsx/DEBIAN/postinst && sh -n $W/famfsx/DEBIAN/prerm"
	check deb-famfs-statedir bash -c "grep -qx '/var/lib/famfs/' $W/famfs.list &&
		grep -q /var/lib/famfs/system_uuid $W/famfsx/usr/sbin/famfs"
	# famfs-cxl: the kmem blacklist and the devdax udev rule, nothing else; its only
	# maintainer-side action is the initramfs-tools trigger (the blacklist in the initramfs)
	rm -rf "$W/cxlx" && mkdir -p "$W/cxlx" && [ -n "$deb_cxl" ] && dpkg-deb -R "$deb_cxl" "$W/cxlx"
	dpkg-deb -c "$deb_cxl" 2>/dev/null | awk '$1 !~ /^d/ {print $6}' | sed 's|^\.||' >"$W/cxl.list"
	check deb-cxl-files bash -c "[ -n '$deb_cxl' ] && cat '$W/cxl.list' &&
		grep -qE '^(/usr)?/lib/modprobe\.d/famfs-cxl\.conf\$' '$W/cxl.list' &&
		grep -qE '^(/usr)?/lib/udev/rules\.d/62-famfs-cxl-devdax\.rules\$' '$W/cxl.list' &&
		[ \$(grep -vc '^/usr/share/' '$W/cxl.list') -eq 2 ]"
	check deb-cxl-blacklist bash -c "grep -qx 'blacklist kmem' $W/cxlx/*lib/modprobe.d/famfs-cxl.conf"
	check deb-cxl-udev-rule bash -c "r=\$(grep -v '^#' $W/cxlx/*lib/udev/rules.d/62-famfs-cxl-devdax.rules | tr -d '\\\\\n');
		echo \"\$r\" | grep -q 'SUBSYSTEMS==\"cxl\"' && echo \"\$r\" | grep -q 'TEST!=\"driver\"' &&
		echo \"\$r\" | grep -q 'RUN+=\"/usr/bin/daxctl reconfigure-device --mode=devdax %k\"'"
	check deb-cxl-scripts bash -c "grep -qx 'activate-noawait update-initramfs' $W/cxlx/DEBIAN/triggers &&
		! ls $W/cxlx/DEBIAN/ | grep -E '^(pre|post)(inst|rm)\$'"
	check deb-cxl-depends bash -c "d=\$(dpkg-deb -f '$deb_cxl' Depends); echo \"\$d\" | grep -qw famfs &&
		echo \"\$d\" | grep -qw daxctl && [ \"\$(dpkg-deb -f '$deb_cxl' Architecture)\" = all ]"
else
	result deb-lintian 1 "no packages"
fi
timing deb-checks "$t"

# ---------------------------------------------------------------- 2. RPM ----
t=$(date +%s)
rpm_famfs=$(ls "$RPMS"/RPMS/*/famfs-"$VERSION"-*.rpm 2>/dev/null | grep -v -e -dkms- -e -devel- | head -1)
rpm_dkms=$(ls "$RPMS"/RPMS/noarch/famfs-dkms-"$VERSION"-*.noarch.rpm 2>/dev/null | head -1)
rpm_devel=$(ls "$RPMS"/RPMS/*/famfs-devel-"$VERSION"-*.rpm 2>/dev/null | head -1)
rpm_cxl=$(ls "$RPMS"/RPMS/noarch/famfs-cxl-"$VERSION"-*.noarch.rpm 2>/dev/null | head -1)
srpm=$(ls "$RPMS"/SRPMS/famfs-"$VERSION"-*.src.rpm 2>/dev/null | head -1)
if [ -n "$rpm_famfs" ] && [ -n "$rpm_dkms" ]; then
	log rpmlint
	rpmlint -c packaging/rpm/rpmlint.toml packaging/rpm/famfs.spec "$rpm_famfs" "$rpm_dkms" \
		${rpm_devel:+"$rpm_devel"} ${rpm_cxl:+"$rpm_cxl"} ${srpm:+"$srpm"} >"$W/rpmlint.txt" 2>&1
	rc=$?
	cat "$W/rpmlint.txt" >>"$LOG"
	result rpm-rpmlint $rc "$(grep -o '[0-9]* errors, [0-9]* warnings' "$W/rpmlint.txt")"
	# famfs has no web site: no URL tag at all rather than a made-up one
	check rpm-url bash -c "! grep -E 'invalid-url (URL|BugURL)' '$W/rpmlint.txt' &&
		! grep -qi localhost packaging/rpm/famfs.spec"

	rq() { rpm -qp --nosignature "$@" 2>/dev/null; }
	rq -l "$rpm_famfs" >"$W/rpm-famfs.list"
	rq -l "$rpm_dkms" >"$W/rpm-dkms.list"
	rhas() { grep -qE "$2" "$W/rpm-$1.list" || { echo "$1: no $2" >&2; return 1; }; }
	check rpm-famfs-files bash -c "grep -qx /usr/sbin/famfs $W/rpm-famfs.list &&
		grep -qx /usr/sbin/mkfs.famfs $W/rpm-famfs.list &&
		grep -qx /usr/lib/systemd/system/famfs-logplay@.timer $W/rpm-famfs.list &&
		grep -qx /usr/lib/systemd/system/famfs-logplay@.service $W/rpm-famfs.list &&
		grep -qx /usr/lib/udev/rules.d/60-famfs.rules $W/rpm-famfs.list &&
		! grep -q '^/usr/include' $W/rpm-famfs.list && ! grep -q '^/usr/src' $W/rpm-famfs.list"
	check rpm-famfs-mount-helper rhas famfs '^/usr/sbin/mount\.famfs$'
	check rpm-famfs-manpages rhas famfs '^/usr/share/man/man8/famfs\.8'
	check rpm-famfs-completion rhas famfs '^/usr/share/bash-completion/completions/famfs$'
	check rpm-famfs-docs bash -c "for d in format ioctl admin; do grep -qx /usr/share/doc/famfs/\$d.md '$W/rpm-famfs.list' || { echo missing \$d.md; exit 1; }; done"
	check rpm-devel-files bash -c "[ -n '$rpm_devel' ] && rpm -qlp --nosignature '$rpm_devel' | grep -qx /usr/include/famfs/libfamfs.h &&
		rpm -qlp --nosignature '$rpm_devel' | grep -qx /usr/lib64/libfamfs.a &&
		rpm -qp --nosignature --provides '$rpm_devel' | grep -q '^famfs-static'"
	check rpm-dkms-noarch bash -c "[ \"\$(rpm -qp --nosignature --qf '%{ARCH}' '$rpm_dkms')\" = noarch ]"
	check rpm-dkms-files bash -c "for f in dkms.conf module/Makefile module/Kbuild dax-compat/probe.sh; do
		grep -qx /usr/src/famfs-$VERSION/\$f $W/rpm-dkms.list || exit 1; done;
		! grep -qE '\\.(o|ko)\$|/build/' $W/rpm-dkms.list"
	check rpm-dkms-requires bash -c "[ \$(rpm -qp --nosignature --requires '$rpm_dkms' | grep -c '^dkms >= 3.0.11') -ge 4 ] &&
		rpm -qp --nosignature --qf '[%{REQUIREFLAGS:deptype} %{REQUIRENAME}\\n]' '$rpm_dkms' | grep -q '^pre.* dkms' &&
		rpm -qp --nosignature --qf '[%{REQUIREFLAGS:deptype} %{REQUIRENAME}\\n]' '$rpm_dkms' | grep -q '^post.* dkms' &&
		rpm -qp --nosignature --qf '[%{REQUIREFLAGS:deptype} %{REQUIRENAME}\\n]' '$rpm_dkms' | grep -q '^preun.* dkms' &&
		rpm -qp --nosignature --requires '$rpm_dkms' | grep -qx gcc && rpm -qp --nosignature --requires '$rpm_dkms' | grep -qx make"
	check rpm-dkms-provides-kmod bash -c "rpm -qp --nosignature --provides '$rpm_dkms' | grep -qx 'famfs-kmod = $VERSION' &&
		rpm -qp --nosignature --conflicts '$rpm_famfs' | grep -qx 'famfs-kmod < $VERSION' &&
		rpm -qp --nosignature --conflicts '$rpm_famfs' | grep -qx 'famfs-kmod > $VERSION'"
	check rpm-devel-requires-base bash -c "rpm -qp --nosignature --requires '$rpm_devel' | grep -q '^famfs(.*) = $VERSION-'"
	# the scriptlets, one file each, for the checks and the dkms run below
	mkdir -p "$W/rpmscripts"
	for tag in PREIN POSTIN PREUN POSTUN POSTTRANS; do	# rpm prints "(none)" for a missing scriptlet
		rq --qf "%{$tag}" "$rpm_dkms" | sed '1{/^(none)$/d}' >"$W/rpmscripts/dkms.$tag"
		rq --qf "%{$tag}" "$rpm_famfs" | sed '1{/^(none)$/d}' >"$W/rpmscripts/famfs.$tag"
		[ -z "$rpm_cxl" ] || rq --qf "%{$tag}" "$rpm_cxl" | sed '1{/^(none)$/d}' >"$W/rpmscripts/cxl.$tag"
	done
	# famfs-cxl: noarch, the blacklist and the udev rule, dracut on install and on erase
	check rpm-cxl-files bash -c "[ -n '$rpm_cxl' ] && [ \"\$(rpm -qp --nosignature --qf '%{ARCH}' '$rpm_cxl')\" = noarch ] &&
		rpm -qlp --nosignature '$rpm_cxl' | grep -qx /usr/lib/modprobe.d/famfs-cxl.conf &&
		rpm -qlp --nosignature '$rpm_cxl' | grep -qx /usr/lib/udev/rules.d/62-famfs-cxl-devdax.rules &&
		rpm -qp --nosignature --requires '$rpm_cxl' | grep -q '^famfs = $VERSION-' &&
		rpm -qp --nosignature --requires '$rpm_cxl' | grep -qx daxctl"
	check rpm-cxl-scriptlets bash -c "cd $W/rpmscripts && grep -qE '^ *dracut -f --regenerate-all( |\$)' cxl.POSTTRANS &&
		grep -qE '^ *dracut -f --regenerate-all( |\$)' cxl.POSTUN && grep -q '\$1 -eq 0' cxl.POSTUN &&
		[ ! -s cxl.PREIN ] && [ ! -s cxl.POSTIN ] && [ ! -s cxl.PREUN ] && for f in cxl.*; do sh -n \$f || exit 1; done"
	check rpm-dkms-scriptlets bash -c "cd $W/rpmscripts &&
		grep -q 'dkms add -m famfs -v $VERSION --rpm_safe_upgrade' dkms.POSTIN &&
		grep -q '/usr/lib/dkms/common.postinst famfs $VERSION' dkms.POSTIN &&
		grep -q 'dkms remove -m famfs -v $VERSION --all --rpm_safe_upgrade' dkms.PREUN &&
		grep -q 'dkms remove' dkms.PREIN && ! grep -q '>/dev/null 2>&1 || :' dkms.POSTIN &&
		for f in dkms.*; do sh -n \$f || exit 1; done"
	check rpm-famfs-scriptlets bash -c "cd $W/rpmscripts && grep -q 'famfs-logplay@.timer' famfs.POSTIN &&
		grep -q 'udevadm trigger --subsystem-match=dax' famfs.POSTIN &&
		grep -q 'disable.*famfs-logplay@.timer \\\${instances}' famfs.PREUN && for f in famfs.*; do sh -n \$f || exit 1; done"
else
	result rpm-rpmlint 1 "no packages"
fi
timing rpm-checks "$t"

# ---------------------------------------------------- 3. DKMS per release ----
# apt_sources SUITE: its sources.list, with the security suite where the release has one (what
# an installed system has, and where the harness takes its kernels from: tests/vm/kernels.sh)
apt_sources() {
	echo "deb $MIRROR $1 main"
	case $1 in
	sid | unstable | experimental) ;;
	*) echo "deb ${MIRROR%/debian}/debian-security $1-security main" ;;
	esac
}

# A minbase tree per release, made once and kept as a tarball.
base_tree() {	# base_tree SUITE -> $C/base-SUITE.tar.zst
	local suite=$1 tb=$C/base-$1.tar.zst r=$W/mk-$1 lk
	[ -s "$tb" ] && return 0
	# the release trees and the guests run side by side: one debootstrap per suite
	exec {lk}>"$C/.base-$suite.lock"
	flock "$lk"
	[ -s "$tb" ] && { exec {lk}>&-; return 0; }
	rm -rf "$r" && mkdir -p "$C/debootstrap-$suite"
	debootstrap --variant=minbase --cache-dir="$C/debootstrap-$suite" \
		"$suite" "$r" "$MIRROR" || { exec {lk}>&-; return 1; }
	apt_sources "$suite" >"$r/etc/apt/sources.list"
	# the mirror is a snapshot: its Release files are past Valid-Until
	printf '%s\n' 'Acquire::Check-Valid-Until "false";' 'Acquire::Check-Date "false";' \
		'APT::Keep-Downloaded-Packages "true";' 'Binary::apt::APT::Keep-Downloaded-Packages "true";' \
		>"$r/etc/apt/apt.conf.d/99famfs-test"
	rm -rf "$r"/var/cache/apt/archives/*.deb
	tar -C "$r" -cf - . | zstd -q -T0 -3 -o "$tb.new" && mv "$tb.new" "$tb"
	rm -rf "$r"
	exec {lk}>&-
}

# unpack_tree TARBALL: a fresh tree $R from a cached tree; dpkg in it skips its fsyncs (as sbuild
# and debootstrap do): nothing here must survive a crash, and the unpacks are minutes of disk
# waits otherwise
unpack_tree() {
	rm -rf "$R" && mkdir -p "$R" && zstd -q -dc "$1" | tar -C "$R" -xf - &&
		echo force-unsafe-io >"$R/etc/dpkg/dpkg.cfg.d/99famfs-test-unsafe-io"
}

# Run a shell command in tree $R with /proc and /dev (objtool needs /proc),
# in a private mount namespace so nothing stays mounted.
inr() {
	unshare -m -- sh -c 'r=$1 cache=$2 cmd=$3
		mount -t proc proc "$r/proc" && mount --bind /dev "$r/dev" &&
		mount --bind "$cache" "$r/var/cache/apt/archives" &&
		exec chroot "$r" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
			DEBIAN_FRONTEND=noninteractive /bin/bash -c "$cmd"' sh "$R" "$ARCH_CACHE" "$1"
}

# The module files famfs has in the tree, one per line.
famfs_kos() { find "$R"/usr/lib/modules/ "$R"/lib/modules/ -name 'famfs.ko*' 2>/dev/null | sort -u; }

rpm_erase() {	# the RPM's %preun on erase: every module and the dkms state go
	# `rpm -e` is a transaction of its own: dkms --rpm_safe_upgrade keys its upgrade lock
	# on the grandparent pid, which for every inr call is this script; the extra fork
	# (& wait) gives the erase a grandparent of its own, as a new rpm process would
	inr "sh /tmp/rpm/dkms.PREUN 0 & wait \$!" && [ -z "$(famfs_kos)" ] && [ ! -e "$R/var/lib/dkms/famfs" ]
}
removed_clean() {
	local left
	left=$(famfs_kos; ls -d "$R"/usr/src/famfs-* "$R"/var/lib/dkms/famfs 2>/dev/null)
	[ -z "$left" ] || { echo "left behind: $left"; return 1; }
}
tools_run() {	# the programs are there and start (their libraries resolve)
	local p rc
	for p in famfs mkfs.famfs; do
		inr "command -v $p" || { echo "$p: not in PATH"; return 1; }
		inr "$p --help" >/dev/null 2>&1; rc=$?
		[ "$rc" -lt 126 ] || { echo "$p: rc $rc"; return 1; }
	done
}

ko_ok() {	# ko_ok KREL: dkms says installed and the .ko's vermagic is KREL
	local k=$1 ko
	# grep without -q: it reads to the end, so tee never dies of SIGPIPE (pipefail)
	inr "dkms status -m famfs" | tee -a "$LOG" | grep "^famfs/$VERSION, $k, [^:]*: installed" >/dev/null || {
		echo "dkms status: famfs not installed for $k"; return 1; }
	ko=$(ls "$R"/lib/modules/"$k"/updates/dkms/famfs.ko* 2>/dev/null | head -1)
	[ -n "$ko" ] || { echo "no famfs.ko in /lib/modules/$k/updates/dkms"; return 1; }
	inr "modinfo -F vermagic /lib/modules/$k/updates/dkms/$(basename "$ko")" | tee -a "$LOG" |
		grep -q "^$k " || { echo "wrong vermagic in $ko"; return 1; }
	inr "modinfo -F name /lib/modules/$k/updates/dkms/$(basename "$ko")" | grep -qx famfs
}
signed() {	# signed KREL: dkms signed famfs.ko with its MOK (for Secure Boot)
	local ko
	ko=$(cd "$R/lib/modules/$1/updates/dkms" 2>/dev/null && ls famfs.ko* | head -1)
	[ -n "$ko" ] && [ -s "$R/var/lib/dkms/mok.pub" ] &&
		inr "modinfo -F signer /lib/modules/$1/updates/dkms/$ko" | tee -a "$LOG" | grep -q .
}

# The marker the bumped famfs-dkms (0.1.0-2) carries in its module source:
# `modinfo -F famfs_pkgtest` of the installed module names the build.
marker() {	# marker KREL -> the installed famfs.ko's famfs_pkgtest field ("" for 0.1.0-1)
	local ko
	ko=$(cd "$R/lib/modules/$1/updates/dkms" 2>/dev/null && ls famfs.ko* | head -1)
	[ -n "$ko" ] && inr "modinfo -F famfs_pkgtest /lib/modules/$1/updates/dkms/$ko"
}
marker_is() {	# marker_is KREL WANT
	local m; m=$(marker "$1"); echo "famfs_pkgtest of the installed module: '${m}', want '$2'"
	[ "$m" = "$2" ]
}
# The marked module source: super.c with a MODULE_INFO the tests look for.
mark_source() {	# mark_source FILE: append the marker to a copy of super.c
	printf '\n/* tests/pkg: the bumped package */\nMODULE_INFO(famfs_pkgtest, "2");\n' >>"$1"
}
# A bumped DEB: the same package at Debian revision 2 (famfs-dkms with the
# marker in module/super.c), for the upgrade and reinstall tests.
bump_debs() {	# -> $W/bump/famfs_*-2_*.deb famfs-dkms_*-2_all.deb
	local d x v
	rm -rf "$W/bump" && mkdir -p "$W/bump"
	for d in "$deb_famfs" "$deb_dkms"; do
		x=$W/bump/x && rm -rf "$x" && dpkg-deb -R "$d" "$x" || return 1
		v=$(sed -n 's/^Version: //p' "$x/DEBIAN/control")
		sed -i "s/^Version: .*/Version: ${v%-*}-2/" "$x/DEBIAN/control"
		sed -i "s/(= ${v})/(= ${v%-*}-2)/g" "$x/DEBIAN/control"
		if [ -d "$x/usr/src/famfs-$VERSION" ]; then
			mark_source "$x/usr/src/famfs-$VERSION/module/super.c"
			(cd "$x" && find usr -type f -exec md5sum {} + | sort -k2 >DEBIAN/md5sums)
		fi
		dpkg-deb --root-owner-group -b "$x" "$W/bump/" >/dev/null || return 1
	done
	rm -rf "$W/bump/x"
	ls "$W"/bump/famfs_"$VERSION"-2_*.deb "$W"/bump/famfs-dkms_"$VERSION"-2_all.deb
}
# Replace the installed build for KREL (module and dkms' copy) with an old
# one, as a stale build left from the previous package would be.
plant_stale() {	# plant_stale KREL SAVED_KO
	local k=$1 f
	for f in "$R"/lib/modules/"$k"/updates/dkms/famfs.ko* "$R"/var/lib/dkms/famfs/"$VERSION"/"$k"/*/module/famfs.ko*; do
		[ -e "$f" ] || { echo "no $f"; return 1; }
		cp "$2" "$f" || return 1
	done
	m=$(marker "$k"); [ -z "$m" ] || { echo "stale module not in place ($m)"; return 1; }
}

release_test() {
	# SUITE is a release (bookworm, trixie, sid) or RELEASE-backports: the release's tree with
	# its backports suite added, the kernel headers taken from backports (what its users run)
	local suite=$1 base=${1%-backports} at= t0 t k1 k2 kf rc
	[ "$base" = "$suite" ] || at="-t $suite"
	R=$W/$suite
	ARCH_CACHE=$C/archives-$suite
	mkdir -p "$ARCH_CACHE/partial"
	t0=$(date +%s)
	t=$(date +%s)
	if ! base_tree "$base" >>"$LOG" 2>&1; then
		result "$suite:tree" 1 "debootstrap failed, see $LOG"; return
	fi
	unpack_tree "$C/base-$base.tar.zst"
	# written here too: a base tree cached before the security suites were added keeps serving
	apt_sources "$base" >"$R/etc/apt/sources.list"
	[ -z "$at" ] || echo "deb $MIRROR $suite main" >>"$R/etc/apt/sources.list"
	check "$suite:apt-update" inr "apt-get update -q" || return
	timing "$suite:tree" "$t"

	# The headers of the release's kernel (what the harness boots), before famfs.
	t=$(date +%s)
	k1=$(inr "apt-cache $at depends linux-headers-amd64" | sed -n 's/^ *Depends: linux-headers-\(.*-amd64\)$/\1/p' | head -1)
	log "$suite: kernel $k1"
	[ -n "$k1" ] || { result "$suite:headers" 1 "no linux-headers-amd64 in $suite"; return; }
	if [ -s "$C/headers-$suite-$k1.tar.zst" ]; then
		# the tree as this step left it last time (same release, same kernel): the headers
		# install is set-up, not a famfs check, and takes minutes on two cores
		unpack_tree "$C/headers-$suite-$k1.tar.zst"
		check "$suite:headers" inr "apt-get update -q && dpkg -s linux-headers-$k1" || return
		timing "$suite:headers" "$t" "cached tree headers-$suite-$k1"
	else
		check "$suite:headers" inr "apt-get install $at -y -q linux-headers-$k1" || return
		rm -f "$C/headers-$suite-"[0-9]*.tar.zst
		tar -C "$R" -cf - . | zstd -q -T0 -3 -o "$C/headers-$suite-$k1.tar.zst.new" &&
			mv "$C/headers-$suite-$k1.tar.zst.new" "$C/headers-$suite-$k1.tar.zst"
		timing "$suite:headers" "$t"
	fi

	# What a user does: apt install ./famfs*.deb
	t=$(date +%s)
	rm -rf "$R/tmp/debs" && mkdir -p "$R/tmp/debs" && cp "$deb_famfs" "$deb_dkms" "$R/tmp/debs/"
	log "$suite: apt install ./famfs*.deb"
	inr "cd /tmp/debs && apt install -y -q ./famfs*.deb" >"$W/$suite.install.out" 2>&1
	rc=$?; cat "$W/$suite.install.out" >>"$LOG"
	result "$suite:apt-install" $rc
	[ "$rc" -eq 0 ] || return
	check "$suite:dkms-installed:$k1" ko_ok "$k1"
	# dkms prints no deprecation warning for our dkms.conf (CLEAN is deprecated from 3.1.8 on)
	! grep -i 'deprecat' "$W/$suite.install.out"
	result "$suite:dkms-no-deprecation" $? "dkms $(inr 'dpkg-query -W -f=\${Version} dkms')"
	# the compile probes' results are in the make.log dkms keeps
	check "$suite:dkms-make-log-probes" bash -c "grep -H 'PROBE .*present:' '$R'/var/lib/dkms/famfs/$VERSION/$k1/*/log/make.log"
	ko1=$W/$suite.famfs-1.ko
	cp "$(ls "$R"/lib/modules/"$k1"/updates/dkms/famfs.ko* | head -1)" "$ko1" 2>/dev/null
	check "$suite:dkms-signed:$k1" signed "$k1"
	check "$suite:tools-run" tools_run
	timing "$suite:apt-install" "$t"

	# Another kernel: its headers alone must trigger the build (header_postinst.d).
	# A backports tree has the release's own dkms and hook, tested in the release's tree.
	t=$(date +%s)
	k2=${k1%-amd64}-rt-amd64
	if [ -z "$at" ]; then
		log "$suite: second kernel $k2"
		check "$suite:headers2" inr "apt-get install $at -y -q linux-headers-$k2"
		check "$suite:dkms-autoinstall:$k2" ko_ok "$k2"
	else
		echo "RESULT pkg:$suite:dkms-autoinstall SKIP (the same dkms and header hook as $base, tested in the $base tree)"
	fi
	timing "$suite:second-kernel" "$t"

	# Kernels dkms must skip: no CONFIG_FS_DAX, and older than 6.1. Fake
	# build trees: the real headers with an edited .config / another name.
	t=$(date +%s)
	# dkms 3.0 reads .config, dkms 3.2 include/config/auto.conf: edit both.
	inr "set -e
		src=/usr/src/linux-headers-$k1
		mk() { k=\$1; h=/usr/src/linux-headers-\$k; rm -rf \$h /lib/modules/\$k
			mkdir -p /lib/modules/\$k && cp -as \$src/. \$h/
			for f in .config include/config/auto.conf; do
				[ ! -e \$src/\$f ] || { rm -f \$h/\$f; sed \"\$2\" \$src/\$f >\$h/\$f; }; done
			ln -s \$h /lib/modules/\$k/build; }
		mk 6.1.0-0-famfsnodax '/^CONFIG_FS_DAX=/d'
		mk 5.10.0-0-famfsold ''
		! grep -q '^CONFIG_FS_DAX=' /usr/src/linux-headers-6.1.0-0-famfsnodax/.config" >>"$LOG" 2>&1
	for k in 6.1.0-0-famfsnodax 5.10.0-0-famfsold; do
		inr "dkms install -m famfs -v $VERSION -k $k" >>"$LOG" 2>&1
		rc=$?
		[ "$rc" -eq 77 ] && [ -z "$(ls "$R/lib/modules/$k/updates" 2>/dev/null)" ]
		result "$suite:dkms-excludes:${k##*-}" $? "dkms rc $rc"
		inr "rm -rf /usr/src/linux-headers-$k /lib/modules/$k" >>"$LOG" 2>&1
	done

	# A build that fails: a readable log, nothing installed, status not "installed". On the
	# second kernel (k1 keeps its module for the checks below); a backports tree has only k1.
	if [ "$suite" = "${RELEASES%% *}" ]; then
		kf=$k2
		[ -z "$at" ] || kf=$k1
		inr "set -e; cp /usr/src/famfs-$VERSION/module/super.c /tmp/super.c.orig
			echo '#error famfs-pkg-test: injected build failure' >>/usr/src/famfs-$VERSION/module/super.c
			dkms remove -m famfs -v $VERSION -k $kf" >>"$LOG" 2>&1
		inr "dkms install -m famfs -v $VERSION -k $kf" >>"$LOG" 2>&1
		rc=$?
		mlog=$(ls "$R"/var/lib/dkms/famfs/"$VERSION"/build/make.log 2>/dev/null)
		[ "$rc" -ne 0 ] && [ -n "$mlog" ] && grep -q 'injected build failure' "$mlog" &&
			[ -z "$(ls "$R/lib/modules/$kf/updates/dkms" 2>/dev/null)" ] &&
			! inr "dkms status -m famfs -k $kf" | grep -q installed
		result "$suite:dkms-build-failure" $? "dkms rc $rc, log ${mlog#$R}"
		inr "cp /tmp/super.c.orig /usr/src/famfs-$VERSION/module/super.c && dkms install -m famfs -v $VERSION -k $kf" >>"$LOG" 2>&1
		check "$suite:dkms-rebuild-after-failure" ko_ok "$kf"
	fi
	timing "$suite:dkms-edge-cases" "$t"

	# Upgrade to a bumped famfs-dkms (0.1.0-1 -> 0.1.0-2: same dkms version,
	# new module source), then reinstall it over a stale build: each time the
	# module dkms installs must be built from the new source (its marker).
	if [ "$suite" = bookworm ] || [ "$suite" = sid ]; then
		t=$(date +%s)
		# one kernel is enough from here on: each build costs minutes
		inr "apt-get remove -y -q linux-headers-$k2" >>"$LOG" 2>&1
		if bump_debs >>"$LOG" 2>&1; then
			rm -rf "$R/tmp/bump" && cp -a "$W/bump" "$R/tmp/bump"
			check "$suite:deb-upgrade" inr "cd /tmp/bump && apt install -y -q ./famfs_${VERSION}-2_*.deb ./famfs-dkms_${VERSION}-2_all.deb"
			check "$suite:deb-upgrade-new-module:$k1" marker_is "$k1" 2
			check "$suite:deb-upgrade-dkms-installed:$k1" ko_ok "$k1"
			if plant_stale "$k1" "$ko1" >>"$LOG" 2>&1; then
				check "$suite:deb-reinstall" inr "cd /tmp/bump && apt install -y -q --reinstall ./famfs-dkms_${VERSION}-2_all.deb"
				check "$suite:deb-reinstall-new-module:$k1" marker_is "$k1" 2
			else
				result "$suite:deb-reinstall" 1 "could not plant a stale module, see $LOG"
			fi
		else
			result "$suite:deb-upgrade" 1 "could not make the bumped packages, see $LOG"
		fi
		timing "$suite:deb-upgrade-reinstall" "$t"
	fi

	# Removal with an enabled famfs-logplay@ instance. No systemd runs in
	# this tree: what is checked is the enable link (the booted guest checks
	# that a running instance stops).
	if [ "$suite" = sid ]; then
		inr "apt-get install -y -q --no-install-recommends systemd" >>"$LOG" 2>&1
		check "$suite:timer-instance-enabled" inr "systemctl enable famfs-logplay@mnt-famfs.timer &&
			test -L /etc/systemd/system/mnt-famfs.mount.wants/famfs-logplay@mnt-famfs.timer"
	fi

	# apt remove: no module, no source, no dkms state left.
	t=$(date +%s)
	check "$suite:apt-remove" inr "apt remove -y -q famfs famfs-dkms"
	if [ "$suite" = sid ]; then
		check "$suite:remove-disables-timer-instance(chroot,enable-link-only)" bash -c \
			"! ls '$R'/etc/systemd/system/*.wants/ 2>/dev/null | grep famfs-logplay@"
	fi
	check "$suite:removed-clean" removed_clean
	timing "$suite:remove" "$t"

	# The RPM's scriptlets with this release's dkms (sid has dkms 3.2, as
	# Fedora does): payload unpacked, then %pre/%post as on install, %preun
	# as on erase.
	if [ "$suite" = sid ] && [ -n "${rpm_dkms:-}" ]; then
		t=$(date +%s)
		# one kernel is enough here: the second kernel's headers go first
		inr "apt-get remove -y -q linux-headers-$k2" >>"$LOG" 2>&1
		# dkms' --rpm_safe_upgrade reads the start time of rpm's process with
		# ps, which every RPM system has and a minbase tree lacks
		inr "apt-get install -y -q --no-install-recommends procps" >>"$LOG" 2>&1
		rm -rf "$R/tmp/rpm" && mkdir -p "$R/tmp/rpm" && cp "$W"/rpmscripts/dkms.* "$R/tmp/rpm/"
		(cd "$R" && rpm2cpio "$rpm_dkms" | cpio -idm --quiet) 2>>"$LOG"
		check "$suite:rpm-scriptlets-install" inr "sh /tmp/rpm/dkms.PREIN 1 && sh /tmp/rpm/dkms.POSTIN 1"
		check "$suite:rpm-dkms-installed:$k1" ko_ok "$k1"
		# Upgrade 0.1.0-1 -> 0.1.0-2 (a Release bump: same dkms version, the
		# module source with the marker) in rpm's order: new %pre, the new
		# payload, new %post, old %preun, old %postun. One shell runs them
		# all, as rpm does: --rpm_safe_upgrade keys on that parent.
		cp "$R/usr/src/famfs-$VERSION/module/super.c" "$R/tmp/rpm/super.c.2" && mark_source "$R/tmp/rpm/super.c.2"
		rpm_upgrade="sh /tmp/rpm/dkms.PREIN 2 && cp /tmp/rpm/super.c.2 /usr/src/famfs-$VERSION/module/super.c &&
			sh /tmp/rpm/dkms.POSTIN 2 && sh /tmp/rpm/dkms.PREUN 1 && sh /tmp/rpm/dkms.POSTUN 1"
		check "$suite:rpm-scriptlets-upgrade" inr "$rpm_upgrade"
		check "$suite:rpm-upgrade-new-module:$k1" marker_is "$k1" 2
		check "$suite:rpm-upgrade-dkms-installed:$k1" ko_ok "$k1"
		# Reinstall (dnf reinstall: the same order) over a stale build
		if plant_stale "$k1" "$ko1" >>"$LOG" 2>&1; then
			check "$suite:rpm-scriptlets-reinstall" inr "$rpm_upgrade"
			check "$suite:rpm-reinstall-new-module:$k1" marker_is "$k1" 2
		else
			result "$suite:rpm-scriptlets-reinstall" 1 "could not plant a stale module, see $LOG"
		fi
		check "$suite:rpm-scriptlets-erase" rpm_erase
		rm -rf "$R/usr/src/famfs-$VERSION"
		# famfs' %preun on erase disables an enabled famfs-logplay@ instance
		# (no systemd runs in the tree: the enable link is what is checked)
		rm -rf "$R/tmp/rpmf" && mkdir -p "$R/tmp/rpmf" && cp "$W"/rpmscripts/famfs.* "$R/tmp/rpmf/"
		(cd "$R" && rpm2cpio "$rpm_famfs" | cpio -idm --quiet) 2>>"$LOG"
		check "$suite:rpm-erase-disables-timer-instance(chroot,enable-link-only)" inr "
			systemctl enable famfs-logplay@mnt-famfs.timer &&
			test -L /etc/systemd/system/mnt-famfs.mount.wants/famfs-logplay@mnt-famfs.timer &&
			sh /tmp/rpmf/famfs.PREUN 0 &&
			! ls /etc/systemd/system/*.wants/ | grep famfs-logplay@"
		timing "$suite:rpm-scriptlets" "$t"
	fi

	[ -n "${PKG_KEEP_TREES:-}" ] || rm -rf "$R"
	timing "$suite:total" "$t0"
}

# The release trees run in the background, beside the booted guests below (mostly one core each:
# dpkg and one guest): their lines and counts come after the guests'.
releases_lane() {
	LOG=$W/run-releases.log
	: >"$LOG"
	npass=0 nfail=0
	if [ -n "${deb_famfs:-}" ] && [ -n "${deb_dkms:-}" ]; then
		for s in $RELEASES; do release_test "$s"; done
	else
		result dkms-releases 1 "no DEBs to install"
	fi
	echo "$npass $nfail" >"$W/releases.count"
}
rm -f "$W/releases.count"
releases_lane >"$W/releases.out" 2>&1 &
releases_pid=$!

# ----------------------------------------------- 4. booted systemd guests ----
# Each boots a Debian system of its own (tree cached in $C/guest-tree-*, then
# apt install ./famfs*.deb) that mounts famfs from /etc/fstab:
#   pmem  the first release's kernel (bookworm, 6.1): /dev/pmem0, the timer, package removal
#   cxl   the newest tracked kernel with fsdev_dax (tests/vm/kernels.sh newest-fsdev, 7.3 from
#         trixie-backports) on emulated CXL memory (tests/vm/cxl.sh, sid's qemu), famfs-cxl
#         installed too: /dev/dax0.0 of a CXL RAM region with daxmode=famfs, two boots of one
#         disk image, then a control boot without famfs-cxl
#   dax   only when PKG_GUESTS names it: the same kernel and tree, /dev/dax0.0 of an NVDIMM
#         devdax namespace, the two boots (every check of it runs in the cxl guest's boots)
# The kernels are the harness's (kernels.sh lines); both are TCG boots of a few minutes.
kernels() { FAMFS_WORK=$W/vm bash tests/vm/kernels.sh "$@" 2>/dev/null; }
guest_run() {	# guest_run MODE SUITE KREL
	local t out=$W/guest-$1.out
	t=$(date +%s)
	if ! base_tree "${2%-backports}" >>"$LOG" 2>&1; then
		result "guest-$1:base-tree" 1 "debootstrap ${2%-backports} failed, see $LOG"; return
	fi
	# its own apt cache: apt locks the one the release trees use (they run at the same time)
	ARCH_CACHE=$C/archives-guest-$2 bash tests/pkg/guest-systemd.sh "$1" "$2" "$3" "$DEBS" >"$out" 2>&1
	grep -E '^(RESULT|TIMING|guest)' "$out"
	npass=$((npass + $(grep -c '^RESULT .* PASS' "$out")))
	nfail=$((nfail + $(grep -c '^RESULT .* FAIL' "$out")))
	grep -q '^RESULT .* PASS' "$out" || result "guest-$1" 1 "no result, see $out"
	timing "guest-$1" "$t"
}
guests=${PKG_GUESTS:-pmem cxl}
[ "${PKG_GUEST:-1}" != 0 ] || guests=
# a guest or release left out is a named SKIP, never silence
for g in pmem dax cxl; do
	if grep -qw "$g" <<<"$guests"; then
		:
	elif [ "$g" = dax ] && [ -z "${PKG_GUESTS:-}" ] && [ "${PKG_GUEST:-1}" != 0 ]; then
		echo "RESULT pkg:guest-dax SKIP (not in the default set: the cxl guest's boots 1 and 2 run every dax check on a CXL region's dax0.0; PKG_GUESTS=\"pmem dax cxl\" adds it on an NVDIMM devdax namespace)"
	else
		echo "RESULT pkg:guest-$g SKIP (left out: PKG_GUEST=${PKG_GUEST:-1} PKG_GUESTS=${PKG_GUESTS:-pmem cxl})"
	fi
done
for r in bookworm trixie trixie-backports sid; do
	case " $RELEASES " in
	*" $r "*) ;;
	*) echo "RESULT pkg:release-$r SKIP (not in PKG_RELEASES=\"$RELEASES\")" ;;
	esac
done
if [ -z "${deb_famfs:-}" ] || [ -z "${deb_dkms:-}" ]; then
	guests=
fi
for g in $guests; do
	case $g in
	pmem)	# the first tested release's line
		s=${RELEASES%% *}; s=${s:-bookworm}
		k=$(kernels lines | awk -v l="$s" '$1 == l { print $2 }')
		if [ -z "$k" ] || [ "$k" = - ]; then
			result guest:kernel 1 "no harness kernel for the $s line (tests/vm/kernels.sh fetch)"
		else
			guest_run pmem "$s" "$k"
		fi ;;
	dax | cxl)	# cxl: the dax guest's kernel and tree, on CXL memory with famfs-cxl
		k=$(kernels newest-fsdev)
		s=$(kernels lines | awk -v k="$k" '$2 == k { print $1; exit }')
		if [ -z "$k" ]; then
			echo "RESULT pkg:guest-$g SKIP no tracked kernel has fsdev_dax (tests/vm/kernels.sh newest-fsdev)"
		elif [ -z "$s" ]; then
			result "guest-$g:kernel" 1 "no kernel line for $k (tests/vm/kernels.sh lines)"
		else
			guest_run "$g" "$s" "$k"
		fi ;;
	*) result "guest-$g" 1 "unknown guest in PKG_GUESTS (pmem, dax, cxl)" ;;
	esac
done

wait "$releases_pid"
cat "$W/releases.out"
if read -r p f <"$W/releases.count"; then
	npass=$((npass + p)) nfail=$((nfail + f))
else
	result releases 1 "the release trees stopped early, see $W/releases.out"
fi
echo "pkg: $npass passed, $nfail failed (logs: $LOG, $W/run-releases.log)"
[ "$nfail" -eq 0 ]
