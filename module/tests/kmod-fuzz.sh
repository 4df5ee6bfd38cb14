#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 famfs contributors
# kmod-fuzz.sh - guest script (busybox sh): the model-checked famfs ioctl/file/mount fuzzer
# (famfs_fuzz) on pmem and, on fsdev_dax kernels, on /dev/dax0.0; then no extent map may be left.
# The run is bounded by operations, never by time: the kernel cmdline's fuzzops= (per kernel,
# default 1000000; split evenly when two devices are fuzzed), fuzzseed= (default: the fuzzer
# picks one; printed either way) and fuzzreplay= (default 20000: that many operations are run
# again on a fresh mount with the same seed and must give the same digest - the seed reproduces
# the run). Standalone, or sourced by kmod-harden.sh (FUZZ_INLINE=1: modules are loaded, famfs
# is not mounted, the caller finishes; FUZZ_PHASE=pmem|dax: which device).
if [ -z "${FUZZ_INLINE:-}" ]; then
	. /guest/lib.sh
	M=/mnt/famfs
	mkdir -p $M
	load_dax_modules || report dax-modules FAIL "no namespace0.0"
	result insmod load_famfs || finish
fi
FZ=/usr/local/bin/famfs_fuzz
# breakchecks=1 (run-kmod-harden.sh FAMFS_BREAK_CHECKS=1): the model forgets the overlap rule,
# the fuzzer must report violations
[ "$(arg breakchecks)" != 1 ] || export FAMFS_FUZZ_BREAK=1
# fuzztrace=A,B: every result of operations A..B-1 in both runs (to locate a replay difference)
[ -z "$(arg fuzztrace)" ] || export FAMFS_FUZZ_TRACE="$(arg fuzztrace | tr , ' ')"
fuzzops=$(arg fuzzops)
fuzzops=${fuzzops:-1000000}
fuzzseed=$(arg fuzzseed)
fuzzseed=${fuzzseed:-random}
fuzzreplay=$(arg fuzzreplay)
fuzzreplay=${fuzzreplay:-20000}
# the per-kernel bound is shared by the devices fuzzed on this kernel
if has_fsdev_dax; then fuzzdevops=$((fuzzops / 2)); else fuzzdevops=$fuzzops; fi
[ "$fuzzreplay" -le "$fuzzdevops" ] || fuzzreplay=$fuzzdevops

fuzz_objs() { cat /sys/module/famfs/parameters/live_maps; }

# fuzz NAME DEV SIZE
fuzz() {
	local rc=0 t0 t1 sum seed share cp d
	mount -t famfs "$2" $M || { report "$1" FAIL "cannot mount $2"; return; }
	t0=$(date +%s)
	$FZ $M "$2" "$3" "$fuzzdevops" "$fuzzseed" "$fuzzreplay" >/tmp/fuzz.out 2>&1 || rc=$?
	t1=$(date +%s)
	{ grep -v '^famfs_fuzz:' /tmp/fuzz.out | head -n 50; grep '^famfs_fuzz: .* by operation' /tmp/fuzz.out; } |
		sed "s/^/  [$1] /"
	sum=$(grep '^famfs_fuzz: seed .*operations, .*succeeded' /tmp/fuzz.out | tail -n 1 | sed 's/^famfs_fuzz: //')
	seed=$(sed -n 's/^famfs_fuzz: seed \([0-9]*\),.*/\1/p' /tmp/fuzz.out | head -n 1)
	if [ "$rc" -eq 0 ] && [ -n "$sum" ]; then
		report "$1" PASS "$sum in $((t1 - t0)) s"
	else
		report "$1" FAIL "exit $rc: ${sum:-$(tail -n 1 /tmp/fuzz.out)}"
	fi
	# at least a third of the operations succeed (the rest are the refusals the model expects)
	share=$(echo "$sum" | sed -n 's/.* succeeded (\([0-9]*\)\.\([0-9]\) %).*/\1\2/p')
	if [ -n "$share" ] && [ "$share" -ge 334 ]; then
		report "$1-success-share" PASS "$((share / 10)).$((share % 10)) % of $fuzzdevops operations succeeded (at least a third)"
	else
		report "$1-success-share" FAIL "${share:-no} per mille succeeded, want at least a third"
	fi
	# the fuzzer leaves the file system mounted (it remounts it in between)
	grep -q " $M famfs " /proc/mounts && umount $M
	result "$1-umount-clean" sh -c "grep -q ' $M famfs ' /proc/mounts; [ \$? = 1 ]"
	result "$1-no-map-leaked" [ "$(fuzz_objs)" = 0 ]

	# the printed seed reproduces the run: the first $fuzzreplay operations again, same digest
	cp=$(sed -n "s/^famfs_fuzz: checkpoint $fuzzreplay digest \([0-9a-f]*\)$/\1/p" /tmp/fuzz.out)
	if [ -z "$seed" ] || [ -z "$cp" ]; then
		report "$1-replay" FAIL "no seed or no checkpoint digest in the first run"
	elif mount -t famfs "$2" $M; then
		rc=0
		$FZ $M "$2" "$3" "$fuzzreplay" "$seed" "$fuzzreplay" >/tmp/fuzz2.out 2>&1 || rc=$?
		d=$(sed -n 's/^famfs_fuzz: seed .* digest \([0-9a-f]*\),.*/\1/p' /tmp/fuzz2.out)
		grep -q " $M famfs " /proc/mounts && umount $M
		if [ "$rc" = 0 ] && [ "$d" = "$cp" ]; then
			report "$1-replay" PASS "seed $seed: the first $fuzzreplay operations again, digest $d both times"
		else
			# where the runs part: the first checkpoint with another digest
			grep '^famfs_fuzz: checkpoint' /tmp/fuzz.out >/tmp/fuzz.cp1
			grep '^famfs_fuzz: checkpoint' /tmp/fuzz2.out >/tmp/fuzz.cp2
			{ grep -v '^famfs_fuzz: \(checkpoint\|trace\)' /tmp/fuzz2.out | head -n 20
			  awk 'NR == FNR { a[FNR] = $0; next }
				a[FNR] != $0 { print "first difference: " a[FNR] " in the run, " $3 " " $5 " on the rerun"; exit }' \
				/tmp/fuzz.cp1 /tmp/fuzz.cp2
			  grep '^famfs_fuzz: trace' /tmp/fuzz.out >/tmp/fuzz.tr1
			  grep '^famfs_fuzz: trace' /tmp/fuzz2.out >/tmp/fuzz.tr2
			  if [ -s /tmp/fuzz.tr1 ] || [ -s /tmp/fuzz.tr2 ]; then
				echo "trace lines: $(wc -l </tmp/fuzz.tr1) in the run, $(wc -l </tmp/fuzz.tr2) on the rerun"
				diff /tmp/fuzz.tr1 /tmp/fuzz.tr2 | head -n 12
			  fi; } | sed "s/^/  [$1-replay] /"
			report "$1-replay" FAIL "seed $seed: exit $rc, digest ${d:-none} on the rerun, $cp in the run"
		fi
		result "$1-replay-no-map-leaked" [ "$(fuzz_objs)" = 0 ]
	else
		report "$1-replay" FAIL "cannot mount $2 again"
	fi
}

if [ -x $FZ ]; then
	if [ "${FUZZ_PHASE:-pmem}" = pmem ]; then
		result fuzz-pmem-prepare prepare_pmem && {
			psize=$(($(cat /sys/block/pmem0/size) * 512))
			fuzz fuzz-pmem /dev/pmem0 "$psize"
		}
	fi
	if has_fsdev_dax && [ "${FUZZ_PHASE:-dax}" = dax ]; then
		result fuzz-dax-prepare prepare_dax &&
			fuzz fuzz-dax /dev/dax0.0 "$(cat /sys/bus/dax/devices/dax0.0/size)"
	fi
else
	report fuzz FAIL "$FZ is not in the initramfs"
fi

if [ -z "${FUZZ_INLINE:-}" ]; then
	result rmmod rmmod famfs
	dmesg >/tmp/dmesg.all
	result no-objects-remaining sh -c "[ -s /tmp/dmesg.all ] && { grep -q 'Objects remaining' /tmp/dmesg.all; [ \$? = 1 ]; }"
	finish
fi
