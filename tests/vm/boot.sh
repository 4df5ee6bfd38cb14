#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Copyright (C) 2026 famfs contributors
# boot.sh --krel KREL --initrd FILE --console LOG [options] [-- CMDLINE WORDS...]
#
# Boot one guest under TCG with one emulated nvdimm and wait until it powers off.
#   --mem-file F    file backing the nvdimm (created sparse if missing); share it between guests
#                   (default: a temporary file, deleted afterwards)
#   --mem-size S    nvdimm size (default 2G)
#   --ram S         guest RAM (default 1G)
#   --share DIR     host DIR appears in the guest as 9p tag "host" (tests/guest/lib.sh mounts /host)
#   --timeout SEC   kill qemu after SEC seconds (default 300; times FAMFS_DEBUG_SLOWDOWN, default 4,
#                   for the KASAN + lockdep kernel, krel *-famfs-debug); the guest's own watchdog fires
#                   30 s earlier so the console still gets the dmesg
#   --icount        deterministic guest clock: qemu -icount shift=0,align=off,sleep=off (the guest
#                   clock advances 1 ns per executed instruction, whatever the host load; ~+17 %
#                   wall time). For benchmarks (bench/): guest times become instruction counts
#   --cxl N         CXL type-3 memory instead of the nvdimm: N (1 or 2) devices, backed by --mem-file
#                   (and --mem-file.cxl1), under sid's qemu (tests/vm/cxl.sh: topology, workarounds)
#   -- WORDS        extra kernel command line words, e.g. role=A seed=42 (read via /proc/cmdline)
# The exit status is qemu's (124 on timeout); the verdict comes from guest-result.sh.
set -euo pipefail
# shellcheck source=kernels.sh
source "$(dirname "${BASH_SOURCE[0]}")/kernels.sh"

krel='' initrd='' console='' memfile='' memsize=2G ram=1G share='' tmo=300 extra=() icount=0 cxl=0
while [ $# -gt 0 ]; do
	case $1 in
	--krel) krel=$2; shift 2 ;;
	--initrd) initrd=$2; shift 2 ;;
	--console) console=$2; shift 2 ;;
	--mem-file) memfile=$2; shift 2 ;;
	--mem-size) memsize=$2; shift 2 ;;
	--ram) ram=$2; shift 2 ;;
	--share) share=$2; shift 2 ;;
	--timeout) tmo=$2; shift 2 ;;
	--icount) icount=1; shift ;;
	--cxl) cxl=$2; shift 2 ;;
	--) shift; extra=("$@"); break ;;
	*) die "boot.sh: unknown argument $1" ;;
	esac
done
[ -n "$krel" ] && [ -n "$initrd" ] && [ -n "$console" ] || die "usage: boot.sh --krel KREL --initrd FILE --console LOG [...]"
# the debug kernel (debug-kernel.sh: KASAN + lockdep) runs several times slower. Its ACPI
# interpreter is slow enough that, on a loaded host, the loop in qemu's \_SB.PCI0._PRT passes
# ACPICA's 30 s loop timeout (AE_AML_LOOP_TIMEOUT): no PCI interrupt routing, and without
# CONFIG_PCI_MSI the 9p share's virtio interrupt never arrives (the guest hangs until its
# timeout). acpi=noirq routes PCI interrupts through the BIOS's $PIR table instead.
# Its early boot is slow enough, too, that a preempted vCPU spoils the PIT calibration of the TSC
# (seen: 27 MHz for 2096, a guest clock 76 times too fast: every guest timeout fired at once).
# Under TCG the guest reads the host's TSC, so the host's rate is the right one: tsc_early_khz.
case $krel in *-famfs-debug)
	tmo=$((tmo * ${FAMFS_DEBUG_SLOWDOWN:-4}))
	extra+=(acpi=noirq)
	khz=$(awk -F: '/^cpu MHz/ { printf "%d", $2 * 1000; exit }' /proc/cpuinfo)
	[ -z "$khz" ] || extra+=("tsc_early_khz=$khz") ;;
esac
kernel=$(k_kernel "$krel")
[ -n "$kernel" ] || die "no kernel image for $krel: run tests/vm/kernels.sh fetch"

tmpmem=
if [ -z "$memfile" ]; then
	mkdir -p "$FAMFS_WORK"
	memfile=$(mktemp "$FAMFS_WORK/mem.XXXXXX")
	tmpmem=$memfile
	trap 'rm -f "$tmpmem"' EXIT
fi
# sparse: only the pages the guests write take disk space
[ -f "$memfile" ] || truncate -s "$memsize" "$memfile"
[ "$(stat -c %s "$memfile")" -ge "$(numfmt --from=iec "$memsize")" ] || truncate -s "$memsize" "$memfile"

# the nvdimm sits in the hotplug area: maxmem must cover RAM + nvdimm
maxmem=$((($(numfmt --from=iec "$ram") + $(numfmt --from=iec "$memsize")) / 1073741824 + 1))G

args=(
	-accel tcg -smp 1
	-machine "pc,nvdimm=on" -m "$ram,slots=2,maxmem=$maxmem"
	# share=on: writes reach the file, so two guests on one file see each other's data
	-object "memory-backend-file,id=mem1,share=on,mem-path=$memfile,size=$memsize"
	-device "nvdimm,id=nv1,memdev=mem1"
	-kernel "$kernel" -initrd "$initrd"
	# loglevel=4: only errors and worse on the console, so kernel lines rarely split the test's
	# RESULT lines; the full log is in the dmesg dump at the end
	-append "console=ttyS0 loglevel=4 panic=-1 oops=panic panic_on_warn=1 test_timeout=$((tmo > 60 ? tmo - 30 : tmo)) ${extra[*]}"
	-display none -monitor none -serial "file:$console" -no-reboot
)
if [ "$icount" = 1 ]; then
	args+=(-icount shift=0,align=off,sleep=off)
fi
if [ -n "$share" ]; then
	args+=(-virtfs "local,path=$share,mount_tag=host,security_model=none,id=host0")
fi
if [ "$cxl" != 0 ]; then
	# shellcheck source=cxl.sh
	source "$VM_DIR/cxl.sh"
	cxl_boot # does not return
fi

# qemu exits when the guest powers off or panics (panic=-1 + -no-reboot)
timeout --kill-after=10 "$tmo" qemu-system-x86_64 "${args[@]}"
