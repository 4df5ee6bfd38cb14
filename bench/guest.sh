#!/bin/sh
# bench/guest.sh - the guest side of `make bench` (runs as /test.sh, busybox sh).
#
# Every measurement is one console line "BENCH {json}" (famfsbench prints most of them);
# bench/run.sh collects them. Phases, all in this one guest:
#   tmpfs        a file on tmpfs (guest RAM)
#   devdax2      raw /dev/daxN.0 (device_dax) on a second region (memmap=...! legacy pmem)
#   pmem-raw     /dev/pmem0 with O_DIRECT pread/pwrite (fio psync + famfsbench dio)
#   ext4-dax     ext4 -o dax on /dev/pmem0
#   famfs        famfs on /dev/pmem0: bandwidth, first touch + fault counts, metadata
#   famfs-dax    (fsdev_dax kernels) famfs on /dev/dax0.0
#   devdax       raw /dev/dax0.0 (device_dax) on the same region as famfs
# Parameters (kernel command line): bsize= (bytes per bandwidth test), breps= (repetitions),
# bcounts= (file counts for logplay, comma separated), btouch= (first-touch file size),
# bfio= (targets fio runs on: comma list, all, or none), bcpbig= (famfs cp size with start-up
# amortised), bperdir= (files per directory in the logplay count runs; 0: all in one).
. /guest/lib.sh

FB=/usr/local/bin/famfsbench
FIO=/usr/local/bin/fio
MNT=/mnt/famfs
SIZE=$(arg bsize); SIZE=${SIZE:-64M}
REPS=$(arg breps); REPS=${REPS:-5}
COUNTS=$(arg bcounts); COUNTS=${COUNTS:-1000,6000}
TOUCH=$(arg btouch); TOUCH=${TOUCH:-1G}
# bfio: the targets fio runs on (comma list, or "all"); fio costs seconds per job under TCG
DOFIO=$(arg bfio); DOFIO=$(echo "${DOFIO:-famfs,famfs-dax,devdax}" | tr ',' ' ')
FREPS=$(arg bfreps); FREPS=${FREPS:-3}
# bcpbig: file size for the start-up-amortised famfs cp run (a multiple of bsize; 0: skip)
CPBIG=$(arg bcpbig); CPBIG=${CPBIG:-512M}
PERDIR=$(arg bperdir); PERDIR=${PERDIR:-500}
# the tracepoints that count PMD / PTE faults: the module's own famfs:famfs_fault (one event per
# fault famfs handles; "order 9" = PMD, "order 0" = PTE, result 0x800 = VM_FAULT_FALLBACK). The
# kernel's fs_dax events still work (FAULT_EVENTS="fs_dax/dax_pmd_fault_done
# fs_dax/dax_pte_fault_done": PMD events ending in FALLBACK are counted apart)
FAULT_EVENTS=${FAULT_EVENTS:-"famfs/famfs_fault"}
TR=/sys/kernel/tracing
mkdir -p "$MNT" /mnt/ext4 /mnt/tmpfs
# bytes 128M -> 134217728 (K, M, G suffixes)
bytes() {
	case $1 in
	*[kK]) echo $((${1%?} * 1024)) ;;
	*M) echo $((${1%M} * 1048576)) ;;
	*G) echo $((${1%G} * 1073741824)) ;;
	*) echo "$1" ;;
	esac
}
SIZE_B=$(bytes "$SIZE")
CPBIG_B=$(bytes "$CPBIG")

note() { echo "BENCH {\"t\":\"note\",\"k\":\"$1\",\"v\":\"$2\"}"; }
phase() { echo "BENCH {\"t\":\"phase\",\"label\":\"$1\",\"uptime\":$(cut -d' ' -f1 /proc/uptime)}"; }

# with_ref LABEL PATH: "LABEL[,devdax2@LABEL] PATH[,/dev/dax1.0]": every mmap target is measured
# interleaved with the raw second-region devdax, pass by pass, so each repetition's ratio pairs
# two passes taken a moment apart (the host is shared: slow phases hit both alike)
with_ref() {
	if [ -n "$DAX2" ]; then echo "$1,devdax2@$1 $2,$DAX2"; else echo "$1 $2"; fi
}
# bw_all LABEL PATH: the C program, 4 ops x 1,2 threads (LABEL/PATH may be comma lists)
bw_all() {
	local op th
	for th in 1 2; do
		for op in seqread seqwrite randread randwrite; do
			"$FB" bw "$1" "$2" "$SIZE" $op $th "$REPS" || echo "BENCH-ERR bw $1 $op $th"
		done
	done
}
# dio_all LABEL DEV: the C program through O_DIRECT (raw block device)
dio_all() {
	local op th bs
	for th in 1 2; do
		for op in seqread seqwrite randread randwrite; do
			case $op in seq*) bs=1M ;; *) bs=4K ;; esac
			"$FB" dio "$1" "$2" "$SIZE" $op $th "$REPS" $bs || echo "BENCH-ERR dio $1 $op $th"
		done
	done
}
# fio_all LABELS PATHS ENGINE: fio, one process per thread count; every op x rep x target is
# its own group ("label:op.rep"), targets interleaved like bw_all
fio_all() {
	local th per op rw bs r args n i l p order
	[ -x "$FIO" ] || return 0
	case " $DOFIO " in *" all "* | *" ${1%%,*} "*) ;; *) return 0 ;; esac
	n=$(echo "$1" | tr ',' '\n' | wc -l)
	for th in 1 2; do
		per=$((SIZE_B / th))
		# mmap engine: every job spans the whole file (io_size = its share of the bytes).
		# Not --offset_increment: fio 3.33's mmap engine maps [0, io_size) of the file
		# whatever the job's offset (prep_full: mmap_off = 0), so a job at offset > 0 never
		# fits its mapping and does munmap + mmap + a fresh PMD fault for every I/O (8192
		# remaps per 32 MiB of 4 KiB I/O, seen with strace and famfs:famfs_fault); a device
		# node, whose size fio takes from --size, escapes it. That was the "2 jobs" collapse.
		if [ "$3" = mmap ]; then
			args="--minimal --ioengine=$3 --size=$SIZE_B --io_size=$per --numjobs=$th --group_reporting"
		else
			args="--minimal --ioengine=$3 --size=$per --offset_increment=$per --numjobs=$th --group_reporting --direct=1"
		fi
		for op in seqread seqwrite randread randwrite; do
			case $op in
			seqread) rw=read bs=1M ;; seqwrite) rw=write bs=1M ;;
			randread) rw=randread bs=4k ;; randwrite) rw=randwrite bs=4k ;;
			esac
			# one job per target and op, FREPS loops each (fio's per-job start-up costs
			# seconds under TCG); targets alternate
			for i in $(seq 1 "$n"); do
				l=$(echo "$1" | cut -d, -f"$i")
				p=$(echo "$2" | cut -d, -f"$i")
				args="$args --name=$l:$op.0 --filename=$p --rw=$rw --bs=$bs --loops=$FREPS --stonewall --new_group"
			done
		done
		# shellcheck disable=SC2086
		"$FIO" $args >/tmp/fio.out 2>/tmp/fio.err || { echo "BENCH-ERR fio $1 $th: $(tail -n 3 /tmp/fio.err | tr '\n' ' ')"; continue; }
		# name; read KiB, KiB/s, IOPS, clat mean us; write KiB, KiB/s, IOPS, clat mean us
		awk -F';' '$1 == 3 { print $3 ";" $6 ";" $7 ";" $8 ";" $16 ";" $47 ";" $48 ";" $49 ";" $57 }' /tmp/fio.out |
			while read -r line; do
				echo "BENCH {\"t\":\"fio\",\"label\":\"$1\",\"engine\":\"fio-$3\",\"threads\":$th,\"terse\":\"$line\"}"
			done
	done
}
# mmap_all LABEL PATH: C program and fio, interleaved with the second-region reference
mmap_all() {
	# shellcheck disable=SC2046
	bw_all $(with_ref "$1" "$2")
	phase "$1-fio"
	# shellcheck disable=SC2046
	fio_all $(with_ref "$1" "$2") mmap
}

# --- fault counting through tracefs -----------------------------------------------------------
trace_on() {
	local e
	[ -d $TR/events ] || mount -t tracefs nodev $TR 2>/dev/null
	echo 0 >$TR/tracing_on
	echo >$TR/trace
	echo 65536 >$TR/buffer_size_kb
	for e in $FAULT_EVENTS; do
		[ -d "$TR/events/$e" ] && echo 1 >"$TR/events/$e/enable"
	done
	echo 1 >$TR/tracing_on
}
# trace_count LABEL BYTES: print the PMD (not FALLBACK), PMD FALLBACK and PTE fault counts
trace_count() {
	local e n pmd=0 fb=0 pte=0 lost
	echo 0 >$TR/tracing_on
	cat $TR/trace >/tmp/trace.txt
	for e in $FAULT_EVENTS; do
		[ -d "$TR/events/$e" ] && echo 0 >"$TR/events/$e/enable"
		n=${e#*/}
		case $n in
		famfs_fault)
			# "order N ... result 0xR": PMD = order 9 whose result lacks the 0x800 bit
			# (VM_FAULT_FALLBACK), PTE = order 0
			grep 'famfs_fault:.* order 9 ' /tmp/trace.txt >/tmp/o9.txt
			b=$(grep -c 'result 0x[0-9a-f]*[89a-f][0-9a-f][0-9a-f]$' /tmp/o9.txt)
			pmd=$((pmd + $(wc -l </tmp/o9.txt) - b)) fb=$((fb + b))
			pte=$((pte + $(grep -c 'famfs_fault:.* order 0 ' /tmp/trace.txt))) ;;
		*pmd*)
			pmd=$((pmd + $(grep "$n:" /tmp/trace.txt | grep -vc FALLBACK)))
			fb=$((fb + $(grep "$n:" /tmp/trace.txt | grep -c FALLBACK))) ;;
		*) pte=$((pte + $(grep -c "$n:" /tmp/trace.txt))) ;;
		esac
	done
	lost=$(sed -n 's/^overrun: //p' $TR/per_cpu/cpu0/stats 2>/dev/null | head -1)
	echo "BENCH {\"t\":\"faults\",\"label\":\"$1\",\"bytes\":$2,\"pmd\":$pmd,\"pmd_fallback\":$fb,\"pte\":$pte,\"overrun\":${lost:-0},\"events\":\"$FAULT_EVENTS\"}"
	grep -m 3 "fault_done\|famfs_fault:" /tmp/trace.txt | sed 's/^/    trace| /'
}
trace_available() {
	local e
	[ -d $TR/events ] || mount -t tracefs nodev $TR 2>/dev/null
	for e in $FAULT_EVENTS; do [ -d "$TR/events/$e" ] && echo "$e"; done | tr '\n' ' '
}

# touch_faults LABEL FILE: first touch of FILE (TOUCH bytes), traced. Twice: the first pass
# also pays the host populating the nvdimm's backing pages (LABEL-hostcold); the second, in a
# fresh process (fresh page tables), is the guest's own fault cost (LABEL).
touch_faults() {
	trace_on
	"$FB" touch "$1-hostcold" "$2" "$TOUCH"
	trace_count "$1-hostcold" "$(bytes "$TOUCH")"
	trace_on
	"$FB" touch "$1" "$2" "$TOUCH"
	trace_count "$1" "$(bytes "$TOUCH")"
}

# --- setup -------------------------------------------------------------------------------------
note kernel "$(uname -r)"
note cpus "$(grep -c ^processor /proc/cpuinfo)"
note cpu "$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)"
note memtotal_kb "$(sed -n 's/^MemTotal: *\([0-9]*\).*/\1/p' /proc/meminfo)"
note size "$SIZE"
note reps "$REPS"
load_dax_modules || { echo "BENCH-ERR dax stack"; exit 1; }
load_famfs || { echo "BENCH-ERR famfs.ko"; exit 1; }
note fault_events "$(trace_available)"
note fsdev_dax "$(has_fsdev_dax && echo yes || echo no)"

# the second region: legacy pmem from memmap=...! (nd_e820)
DAX2=
insmod /bench/nd_e820.ko 2>/dev/null || modprobe nd_e820 2>/dev/null
if wait_for 10 sh -c 'ls /sys/bus/nd/devices/ | grep -q "^namespace1.0$"'; then
	"$NDCTL" create-namespace -f -e namespace1.0 --mode=devdax --map=mem --align=2M >/tmp/ns1.out 2>&1 &&
		wait_for 10 test -c /dev/dax1.0 && DAX2=/dev/dax1.0
	# device_dax, not fsdev_dax: the raw baseline
	if [ -n "$DAX2" ] && [ "$(basename "$(readlink /sys/bus/dax/devices/dax1.0/driver)")" != device_dax ]; then
		echo dax1.0 >"/sys/bus/dax/devices/dax1.0/driver/unbind" 2>/dev/null
		echo dax1.0 >/sys/bus/dax/drivers/device_dax/bind 2>/dev/null
	fi
fi
[ -n "$DAX2" ] || { echo "BENCH-ERR no second region: $(cat /tmp/ns1.out 2>/dev/null | tail -n 2 | tr '\n' ' ')"; }
note devdax2 "${DAX2:-none}"

# --- tmpfs -------------------------------------------------------------------------------------
phase tmpfs
mount -t tmpfs -o size=$((SIZE_B * 2 / 1048576 + 64))M tmpfs /mnt/tmpfs
dd if=/dev/zero of=/mnt/tmpfs/f bs=1M count=$((SIZE_B / 1048576)) 2>/dev/null
mmap_all tmpfs /mnt/tmpfs/f
rm -f /mnt/tmpfs/f

# --- raw pmem, ext4 -o dax, famfs on /dev/pmem0 -----------------------------------------------
prepare_pmem || { echo "BENCH-ERR prepare_pmem"; exit 1; }
phase pmem-raw
dio_all pmem-raw /dev/pmem0
phase pmem-raw-fio
fio_all pmem-raw /dev/pmem0 psync

phase ext4-dax
for m in /bench/mods/*.ko; do insmod "$m" 2>/dev/null; done
if /usr/local/bin/mkfs.ext4 -q -F -b 4096 -O ^metadata_csum /dev/pmem0 $((SIZE_B / 1048576 + 512))M >/tmp/mkfs.ext4.out 2>&1 &&
	mount -t ext4 -o dax /dev/pmem0 /mnt/ext4; then
	dd if=/dev/zero of=/mnt/ext4/f bs=1M count=$((SIZE_B / 1048576)) 2>/dev/null
	sync
	mmap_all ext4-dax /mnt/ext4/f
	umount /mnt/ext4
else
	echo "BENCH-ERR ext4-dax: $(tail -n 2 /tmp/mkfs.ext4.out | tr '\n' ' ')"
fi

# famfs_phase LABEL DEV: bandwidth + first touch on a fresh famfs
famfs_phase() {
	"$MKFS" -f "$2" >/dev/null 2>&1 && "$FAMFS" mount "$2" "$MNT" >/dev/null 2>&1 ||
		{ echo "BENCH-ERR $1: mkfs/mount failed"; return 1; }
	"$FAMFS" creat -s "$SIZE" "$MNT/bw" >/dev/null || echo "BENCH-ERR $1 creat"
	mmap_all "$1" "$MNT/bw"
	"$FAMFS" creat -s "$TOUCH" "$MNT/touch" >/dev/null && touch_faults "$1" "$MNT/touch"
	# a file that is not a multiple of 2 MiB, for the record (its tail is PTE-mapped or not)
	"$FAMFS" creat -s 3M "$MNT/odd" >/dev/null
	trace_on
	"$FB" touch "$1-3M" "$MNT/odd" 3M
	trace_count "$1-3M" 3145728
}
phase famfs
famfs_phase famfs /dev/pmem0

# --- metadata on famfs (pmem) ------------------------------------------------------------------
phase meta
# creat latency: one process per file (what a script pays), and one call for 200 files
"$FB" exec famfs-creat-1proc "$REPS" "$FAMFS" creat -s 2M "$MNT/c1-%d"
# shellcheck disable=SC2046
"$FB" exec famfs-creat-200 1 "$FAMFS" creat -s 0 $(i=0; while [ $i -lt 200 ]; do echo "$MNT/c200-$i"; i=$((i + 1)); done)
"$FB" mkfiles tmpfs-create /mnt/tmpfs 1000
rm -f /mnt/tmpfs/f*
# bytes flushed per log append (the real DAX path: the library's CPU cache flush)
"$FB" flush famfs-flush "$MNT" 100
# famfs cp vs memcpy of the same bytes, into fresh famfs files
dd if=/dev/urandom of=/mnt/tmpfs/src bs=1M count=$((SIZE_B / 1048576)) 2>/dev/null
r=0
while [ $r -lt "$REPS" ]; do
	"$FB" exec famfs-cp 1 "$FAMFS" cp /mnt/tmpfs/src "$MNT/cp-$r"
	"$FAMFS" creat -s "$SIZE" "$MNT/mc-$r" >/dev/null
	"$FB" memcpy memcpy "/mnt/tmpfs/src" "$MNT/mc-$r" "$SIZE"
	# the copy phase alone, in one process, each way into its own fresh famfs file:
	# memcpy, memcpy + write-back, and famfs cp's way (pread into the mapping + write-back)
	for m in memcpy memcpy-wb pread-wb; do
		"$FAMFS" creat -s "$SIZE" "$MNT/cc-$r-$m" >/dev/null
	done
	"$FB" cpcopy cpcopy /mnt/tmpfs/src "$SIZE" memcpy "$MNT/cc-$r-memcpy" pread-wb "$MNT/cc-$r-pread-wb" \
		memcpy-wb "$MNT/cc-$r-memcpy-wb"
	rm -f "$MNT"/cc-$r-*
	r=$((r + 1))
done
cmp -s /mnt/tmpfs/src "$MNT/cp-0" || echo "BENCH-ERR famfs cp: copy differs from the source"
# a file large enough that cp's start-up (process + log session) is amortised: CPBIG
if [ "$CPBIG_B" -gt 0 ]; then
	mount -o remount,size=$(((CPBIG_B + SIZE_B) / 1048576 + 64))M /mnt/tmpfs
	i=0
	while [ $i -lt $((CPBIG_B / SIZE_B)) ]; do cat /mnt/tmpfs/src; i=$((i + 1)); done >/mnt/tmpfs/big
	rm -f /mnt/tmpfs/src
	r=0
	while [ $r -lt 2 ]; do
		"$FB" exec famfs-cp-big 1 "$FAMFS" cp /mnt/tmpfs/big "$MNT/big-$r"
		"$FAMFS" creat -s "$CPBIG" "$MNT/bigmc-$r" >/dev/null
		"$FB" memcpy memcpy-big /mnt/tmpfs/big "$MNT/bigmc-$r" "$CPBIG"
		rm -f "$MNT/big-$r" "$MNT/bigmc-$r"
		r=$((r + 1))
	done
	rm -f /mnt/tmpfs/big
fi
rm -f /mnt/tmpfs/src
umount "$MNT"

# logplay / mount / fsck at each count: a fresh famfs holding COUNT empty files
for n in $(echo "$COUNTS" | tr ',' ' '); do
	"$MKFS" -f /dev/pmem0 >/dev/null 2>&1 && "$FAMFS" mount /dev/pmem0 "$MNT" >/dev/null 2>&1 || break
	"$FAMFS" mkdir "$MNT/m" >/dev/null
	# PERDIR files per directory (m/d0, m/d1, ...), as real trees are; 0: all in m/
	i=0
	rm -f /tmp/dirs
	while [ $i -lt "$n" ]; do
		if [ "$PERDIR" -gt 0 ]; then
			[ $((i % PERDIR)) = 0 ] && echo "$MNT/m/d$((i / PERDIR))" >>/tmp/dirs
			echo "$MNT/m/d$((i / PERDIR))/f$i"
		else
			echo "$MNT/m/f$i"
		fi
		i=$((i + 1))
	done >/tmp/names
	if [ -s /tmp/dirs ]; then
		while read -r d; do "$FAMFS" mkdir "$d" >/dev/null; done </tmp/dirs
	fi
	rm -f /tmp/dirs
	t0=$(cut -d' ' -f1 /proc/uptime)
	# famfs creat takes at most 4096 files per call: batches of 4000
	i=1 ok=1
	while [ $i -le "$n" ]; do
		# shellcheck disable=SC2046
		"$FAMFS" creat -s 0 $(sed -n "$i,$((i + 3999))p" /tmp/names) >/dev/null 2>/tmp/creat.err ||
			{ echo "BENCH-ERR creat $n: $(tail -n 1 /tmp/creat.err)"; ok=0; break; }
		i=$((i + 4000))
	done
	[ $ok = 1 ] || { umount "$MNT"; break; }
	echo "BENCH {\"t\":\"batch-creat\",\"n\":$n,\"t0\":$t0,\"t1\":$(cut -d' ' -f1 /proc/uptime)}"
	got=$(find "$MNT/m" -type f | wc -l)
	umount "$MNT"
	r=0
	while [ $r -lt "$REPS" ]; do
		"$FB" exec "mount-logplay-$n" 1 "$FAMFS" mount /dev/pmem0 "$MNT"
		umount "$MNT"
		"$FB" exec "mount-nologplay-$n" 1 "$FAMFS" mount -n /dev/pmem0 "$MNT"
		"$FB" exec "logplay-$n" 1 "$FAMFS" logplay "$MNT"
		"$FB" exec "logplay-noop-$n" 1 "$FAMFS" logplay "$MNT"
		"$FB" exec "fsck-$n" 1 "$FAMFS" fsck "$MNT"
		umount "$MNT"
		r=$((r + 1))
	done
	rm -rf /mnt/tmpfs/m && mkdir /mnt/tmpfs/m
	"$FB" mkfiles "tmpfs-create-$n" /mnt/tmpfs/m "$n" "$PERDIR"
	rm -rf /mnt/tmpfs/m
	echo "BENCH {\"t\":\"count\",\"n\":$n,\"files\":$got,\"per_dir\":$PERDIR}"
done

# --- famfs on /dev/dax0.0 (fsdev_dax), then raw device_dax on the same region ----------------
if has_fsdev_dax; then
	prepare_dax || echo "BENCH-ERR prepare_dax"
	phase famfs-dax
	famfs_phase famfs-dax /dev/dax0.0 && umount "$MNT"
	echo dax0.0 >/sys/bus/dax/drivers/fsdev_dax/unbind 2>/dev/null
	echo dax0.0 >/sys/bus/dax/drivers/device_dax/bind 2>/dev/null ||
		echo dax0.0 >/sys/bus/dax/drivers/device_dax/new_id 2>/dev/null
else
	"$NDCTL" create-namespace -f -e namespace0.0 --mode=devdax --map=mem --align=2M >/dev/null 2>&1
fi
wait_for 10 test -c /dev/dax0.0
note devdax_driver "$(basename "$(readlink /sys/bus/dax/devices/dax0.0/driver)")"
phase devdax
mmap_all devdax /dev/dax0.0
"$FB" touch devdax-hostcold /dev/dax0.0 "$TOUCH"
"$FB" touch devdax /dev/dax0.0 "$TOUCH"
phase end
echo "BENCH-DONE"
