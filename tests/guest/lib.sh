# SPDX-License-Identifier: GPL-2.0-only
# Copyright (C) 2026 famfs contributors
# lib.sh - helpers for the guest test scripts (busybox sh; sourced as /guest/lib.sh).
# shellcheck disable=SC2034  # the variables are for the scripts that source this file
#
# Host binaries are called by absolute path: Debian's busybox sh runs its own applets before
# $PATH, whatever PATH says.
FAMFS=/usr/local/bin/famfs
MKFS=/usr/local/bin/mkfs.famfs
NDCTL=/usr/local/bin/ndctl
MMAPTEST=/usr/local/bin/mmaptest
NSOP=/usr/local/bin/nsop

PASSES=0
FAILS=0
SKIPS=0
OUT=/tmp/result.out

say() { echo "== $*"; }

# arg NAME: the value of NAME=... on the kernel command line
arg() { tr ' ' '\n' </proc/cmdline | sed -n "s/^$1=//p" | tail -1; }

# report NAME PASS|FAIL|SKIP [detail]  (a SKIP's detail is its reason)
report() {
	echo "RESULT $*"
	case $2 in PASS) PASSES=$((PASSES + 1)) ;; SKIP) SKIPS=$((SKIPS + 1)) ;; *) FAILS=$((FAILS + 1)) ;; esac
}

# show the captured output of a failed check (indented, bounded)
show_out() { tail -n 15 "$OUT" | sed 's/^/    | /'; }

# result NAME CMD...: PASS if CMD succeeds. Returns 1 on FAIL, so a check that later ones
# depend on can stop them: result x-mount ... || return
result() {
	local name=$1 rc=0
	shift
	"$@" >"$OUT" 2>&1 || rc=$?
	if [ "$rc" -eq 0 ]; then
		report "$name" PASS
	else
		report "$name" FAIL "exit $rc from: $*"
		show_out
		return 1
	fi
}

# result_rc NAME RC CMD...: PASS if CMD exits with exactly RC (a refusal's documented exit code).
# Its output stays in $LAST for checks of the message.
LAST=/tmp/last.out
result_rc() {
	local name=$1 want=$2 rc=0
	shift 2
	"$@" >"$OUT" 2>&1 || rc=$?
	cp "$OUT" "$LAST"
	if [ "$rc" -eq "$want" ]; then
		report "$name" PASS "exit $rc: $(grep -v '^$' "$OUT" | tail -n 1 | cut -c1-100)"
	else
		report "$name" FAIL "exit $rc, want $want, from: $*"
		show_out
		return 1
	fi
}

# sys_is NAME WANT OP ARGS...: the system call `famfs_ioctl_test sys OP ARGS` (mount, remount,
# umount, rmmod, insmod, unlink, rmdir, map ...; $T is the helper's path) ends with exactly
# WANT: "ok" (exit 0) or the errno's name ("EBUSY", exit status the errno). busybox's applets
# print only strerror text. BREAK=1 (kmod-harden.sh's breakchecks=) expects the wrong
# outcome, to see every such check fail.
sys_is() {
	local name=$1 want=$2 got rc=0
	shift 2
	if [ "${BREAK:-0}" = 1 ]; then
		if [ "$want" = ok ]; then want=EPERM; else want=ok; fi
	fi
	got=$($T sys "$@" 2>&1) || rc=$?
	if [ "$got" = "$want" ] && { [ "$want" = ok ] && [ "$rc" = 0 ] ||
		{ [ "$want" != ok ] && [ "$rc" != 0 ]; }; }; then
		report "$name" PASS "$*: $got"
	else
		report "$name" FAIL "$*: got $got (exit $rc), want $want"
		return 1
	fi
}

# result_errno NAME ERRNO OP ARGS...: PASS if the system call `nsop OP ARGS` fails with exactly
# ERRNO (EPERM, ENOENT ...), or succeeds when ERRNO is "ok"
result_errno() {
	local name=$1 want=$2 got
	shift 2
	got=$("$NSOP" "$@" 2>&1)
	if [ "$got" = "$want" ]; then
		report "$name" PASS "$*: $got"
	else
		report "$name" FAIL "$*: got $got, want $want"
		return 1
	fi
}

# result_out NAME RC REGEX CMD...: PASS if CMD exits with exactly RC and its output (stdout and
# stderr) has a line matching the extended REGEX: a refusal's code and its reason, or a success
# and what it must print. Output stays in $LAST.
result_out() {
	local name=$1 want=$2 re=$3 rc=0
	shift 3
	"$@" >"$OUT" 2>&1 || rc=$?
	cp "$OUT" "$LAST"
	if [ "$rc" -ne "$want" ]; then
		report "$name" FAIL "exit $rc, want $want, from: $*"
		show_out
		return 1
	fi
	if ! grep -qE -- "$re" "$OUT"; then
		report "$name" FAIL "exit $rc, but no line matches /$re/ in the output of: $*"
		show_out
		return 1
	fi
	report "$name" PASS "exit $rc: $(grep -E -m1 -- "$re" "$OUT" | cut -c1-100)"
}

# expect RC REGEX... -- CMD...: CMD exits with exactly RC and every extended REGEX matches a line
# of its output (stdout and stderr); prints what is wrong otherwise. Output stays in $LAST.
expect() {
	local want=$1 rc=0 res='' re
	shift
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		res="$res$1
"
		shift
	done
	[ "$1" = "--" ] || { echo "expect: no -- before the command"; return 2; }
	shift
	"$@" >/tmp/expect.out 2>&1 || rc=$?
	cp /tmp/expect.out "$LAST"
	if [ "$rc" -ne "$want" ]; then
		echo "exit $rc, want $want, from: $*"
		tail -n 20 /tmp/expect.out
		return 1
	fi
	printf '%s' "$res" | while IFS= read -r re; do
		grep -qE -- "$re" /tmp/expect.out && continue
		echo "exit $rc, but no line matches /$re/ in the output of: $*"
		tail -n 20 /tmp/expect.out
		exit 1
	done
}

# last_has REGEX...: every extended REGEX matches a line of the last result_rc/result_out output
last_has() {
	local re
	for re in "$@"; do
		grep -qE -- "$re" "$LAST" || { echo "no line matches /$re/ in:"; tail -n 20 "$LAST"; return 1; }
	done
}

# have CMD: is this binary in the initramfs? (reported as a FAIL once if not)
have() {
	[ -x "$1" ] && return 0
	report "have-$(basename "$1")" FAIL "$1 is not in the initramfs (not built?)"
	return 1
}

# wait_for SECONDS CMD...: poll CMD every 0.2 s until it succeeds; fail after SECONDS
wait_for() {
	local n=$(($1 * 5))
	shift
	while ! "$@" >/dev/null 2>&1; do
		n=$((n - 1))
		[ "$n" -gt 0 ] || return 1
		sleep 0.2
	done
}

# finish: summary line; the exit status is the number of failed checks
finish() {
	echo "GUEST-SUMMARY $PASSES passed, $FAILS failed, $SKIPS skipped"
	exit "$FAILS"
}

# --- modules and devices ---------------------------------------------------------------------

# load_dax_modules: the nvdimm/dax stack (fsdev_dax exists only on 7.x) and wait for the region
load_dax_modules() {
	local m
	for m in libnvdimm nd_pmem nd_btt nfit dax_pmem device_dax fsdev_dax; do
		modprobe "$m" 2>/dev/null || true
	done
	wait_for 20 test -e /sys/bus/nd/devices/namespace0.0
}

has_fsdev_dax() { [ -d /sys/bus/dax/drivers/fsdev_dax ]; }

load_famfs() { insmod "/lib/modules/$(uname -r)/extra/famfs.ko" && grep -q '^famfs ' /proc/modules; }

# mount_host: the host's shared directory (boot.sh --share) on /host
mount_host() {
	local m
	for m in virtio_pci 9pnet_virtio 9p; do modprobe "$m" 2>/dev/null || true; done
	mkdir -p /host
	mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 host /host
}

# prepare_pmem: namespace0.0 as fsdax -> /dev/pmem0 (struct pages in RAM: --map=mem)
prepare_pmem() {
	"$NDCTL" create-namespace -f -e namespace0.0 --mode=fsdax --map=mem &&
		wait_for 10 test -b /dev/pmem0
}

# prepare_dax: namespace0.0 as devdax -> /dev/dax0.0, bound to fsdev_dax where it exists.
# --map=mem is mandatory when guests share the memory (--map=dev crashes the other guest).
prepare_dax() {
	"$NDCTL" create-namespace -f -e namespace0.0 --mode=devdax --map=mem --align=2M &&
		wait_for 10 test -c /dev/dax0.0 || return 1
	! has_fsdev_dax || bind_fsdev dax0.0
}

# bind_fsdev DAX: move a device_dax-bound dax device to fsdev_dax (new_id: fsdev never auto-matches)
bind_fsdev() {
	local drv
	drv=$(basename "$(readlink "/sys/bus/dax/devices/$1/driver" 2>/dev/null)")
	[ "$drv" = fsdev_dax ] && return 0
	[ "$drv" = device_dax ] && echo "$1" >/sys/bus/dax/drivers/device_dax/unbind
	echo "$1" >/sys/bus/dax/drivers/fsdev_dax/new_id 2>/dev/null ||
		echo "$1" >/sys/bus/dax/drivers/fsdev_dax/bind
	[ "$(basename "$(readlink "/sys/bus/dax/devices/$1/driver")")" = fsdev_dax ] &&
		wait_for 5 test -c "/dev/$1"
}

# --- file helpers ------------------------------------------------------------------------------

# sums DIR: "md5  relative/path" for every file below DIR, sorted (compare two trees)
sums() { (cd "$1" && find . -type f ! -path './.meta/*' | sort | xargs -r md5sum); }

# same_tree A B: both trees hold the same files with the same contents
same_tree() {
	sums "$1" >/tmp/sums.a && sums "$2" >/tmp/sums.b && [ -s /tmp/sums.a ] && cmp /tmp/sums.a /tmp/sums.b
}

# size_is FILE BYTES
size_is() { [ "$(stat -c %s "$1")" = "$2" ]; }

is_mounted() { grep -q " $1 famfs " /proc/mounts; }

# --- CXL type-3 memory (tests/vm/boot.sh --cxl N, tests/vm/cxl.sh) ------------------------------
# sid's tools, v85 (bookworm's cxl v76 cannot create RAM regions), with their own loader and
# libraries under /opt/cxl (mkinitrd.sh --file); the host's ndctl/daxctl stay in /usr/local/bin
CXL=/opt/cxl/bin/cxl
CXL_DAXCTL=/opt/cxl/bin/daxctl

# load_cxl_modules N: the CXL stack and its dax driver, then wait for memdevs mem0..mem(N-1).
# kmem is not loaded here on purpose (cxl_not_system_ram below; only cxl.sh's system-ram section
# at its end loads it); fsdev_dax exists on 7.x only
load_cxl_modules() {
	local m i=0
	for m in cxl_acpi cxl_pci cxl_mem dax_cxl device_dax; do
		modprobe "$m" || { echo "modprobe $m failed"; return 1; }
	done
	modprobe fsdev_dax 2>/dev/null || true
	while [ "$i" -lt "${1:-1}" ]; do
		wait_for 20 test -e "/sys/bus/cxl/devices/mem$i" || { echo "no CXL memdev mem$i after 20 s"; return 1; }
		i=$((i + 1))
	done
	ls /sys/bus/cxl/devices/
}

# dax_driver DAX: the driver a dax device is bound to ("" when none)
dax_driver() { basename "$(readlink "/sys/bus/dax/devices/$1/driver" 2>/dev/null)" 2>/dev/null; }

# cxl_not_system_ram DAX: the trap of CXL RAM regions: with kmem loaded, the region's dax device
# is bound to kmem and onlined as system RAM at once. Here: kmem not loaded, DAX not bound to it,
# no "System RAM (kmem)" in /proc/iomem, daxctl does not call it system-ram
cxl_not_system_ram() {
	[ ! -d /sys/bus/dax/drivers/kmem ] || { echo "the kmem driver is loaded"; return 1; }
	[ "$(dax_driver "$1")" != kmem ] || { echo "$1 is bound to kmem"; return 1; }
	! grep -q 'kmem' /proc/iomem || { echo "kmem memory in /proc/iomem:"; grep kmem /proc/iomem; return 1; }
	"$CXL_DAXCTL" list -d "$1" >/tmp/daxctl.out 2>&1
	! grep -q system-ram /tmp/daxctl.out || { echo "daxctl says system-ram:"; cat /tmp/daxctl.out; return 1; }
}

# prepare_cxl MEMDEV TAG: MEMDEV's memory as a famfs device, each step a RESULT named TAG-...:
#   TAG-memdev         MEMDEV is there, with volatile (ram) capacity
#   TAG-region         cxl create-region -m -t ram -d decoder0.0 -w 1 MEMDEV: a committed RAM region
#   TAG-dax-device     the region's dax device (dax_regionN/daxN.0)
#   TAG-not-system-ram the dax device is not kmem's (not onlined as system RAM)
#   TAG-devdax         daxctl reconfigure-device --mode=devdax: bound to device_dax, /dev/daxN.0
#   TAG-famfs-mode     daxctl reconfigure-device --mode=famfs: bound to fsdev_dax (7.x)
# Sets CXL_REGION and CXL_DAX; returns 1 at the first step that fails (the later ones need it).
prepare_cxl() {
	local mem=$1 t=$2 size out rc
	CXL_REGION='' CXL_DAX=''
	size=$(cat "/sys/bus/cxl/devices/$mem/ram/size" 2>/dev/null)
	if [ -n "$size" ] && [ "$((size))" -gt 0 ]; then
		report "$t-memdev" PASS "$mem: ram $((size / 1048576)) MiB"
	else
		report "$t-memdev" FAIL "$mem: no volatile capacity (ram/size '${size:-none}')"
		return 1
	fi
	out=/tmp/cxl-region-$mem.out rc=0
	"$CXL" create-region -m -t ram -d decoder0.0 -w 1 "$mem" >"$out" 2>&1 || rc=$?
	if [ "$rc" -ne 0 ]; then
		report "$t-region" FAIL "cxl create-region -m -t ram -d decoder0.0 -w 1 $mem: exit $rc"
		sed 's/^/    | /' "$out" | tail -n 15
		return 1
	fi
	CXL_REGION=$(sed -n 's/.*"region":"\(region[0-9]*\)".*/\1/p' "$out" | head -n 1)
	if [ -z "$CXL_REGION" ] || ! grep -q '"type":"ram"' "$out" || ! grep -q '"decode_state":"commit"' "$out" ||
		[ "$(cat "/sys/bus/cxl/devices/$CXL_REGION/commit" 2>/dev/null)" != 1 ]; then
		report "$t-region" FAIL "no committed ram region in the output of cxl create-region $mem"
		sed 's/^/    | /' "$out" | tail -n 15
		return 1
	fi
	size=$(cat "/sys/bus/cxl/devices/$CXL_REGION/size")
	report "$t-region" PASS "$CXL_REGION: ram, committed, $((size / 1048576)) MiB at $(cat "/sys/bus/cxl/devices/$CXL_REGION/resource")"
	# the dax device of the region appears under its dax_region (cxl_dax_region -> dax_cxl)
	if wait_for 10 sh -c "ls -d /sys/bus/cxl/devices/$CXL_REGION/dax_region*/dax*.* >/dev/null 2>&1"; then
		CXL_DAX=$(basename "$(ls -d /sys/bus/cxl/devices/"$CXL_REGION"/dax_region*/dax*.* | head -n 1)")
		report "$t-dax-device" PASS "$CXL_DAX, $(cat "/sys/bus/dax/devices/$CXL_DAX/size") bytes, driver '$(dax_driver "$CXL_DAX")'"
	else
		report "$t-dax-device" FAIL "no dax device under /sys/bus/cxl/devices/$CXL_REGION/dax_region*"
		return 1
	fi
	result "$t-not-system-ram" cxl_not_system_ram "$CXL_DAX" || return 1
	cxl_reconfigure "$t-devdax" devdax device_dax || return 1
	has_fsdev_dax || return 0
	cxl_reconfigure "$t-famfs-mode" famfs fsdev_dax
}

# cxl_reconfigure NAME MODE DRIVER: daxctl reconfigure-device --mode=MODE $CXL_DAX says MODE, the
# device is bound to DRIVER and /dev/$CXL_DAX is there
cxl_reconfigure() {
	if ! expect 0 "\"mode\":\"$2\"" -- "$CXL_DAXCTL" reconfigure-device --mode="$2" "$CXL_DAX" >"$OUT" 2>&1; then
		report "$1" FAIL "daxctl reconfigure-device --mode=$2 $CXL_DAX"
		show_out
		return 1
	fi
	if [ "$(dax_driver "$CXL_DAX")" != "$3" ] || ! wait_for 5 test -c "/dev/$CXL_DAX"; then
		report "$1" FAIL "$CXL_DAX: mode $2, but driver '$(dax_driver "$CXL_DAX")' (want $3) or no /dev/$CXL_DAX"
		return 1
	fi
	report "$1" PASS "$CXL_DAX: mode $2, driver $3"
}
