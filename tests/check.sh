#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Copyright (C) 2026 famfs contributors
# check.sh - every famfs test, from a fresh Debian 12 machine:
#   1. host set-up (packages for the tools, the harness and the tests), the
#      tested kernels (tests/vm/kernels.sh fetch), the debug kernel's build
#      started in the background, and the self-test of the accounting
#      (tests/vm/check-selftest.sh)
#   2. user-space unit tests (cmocka; no root, no kernel) and the bounded
#      libFuzzer run over the metadata parser
#   3. module style (checkpatch --strict, kernel-doc, sparse), the module
#      built for each tested kernel in its own toolchain, the guest runs on
#      each kernel, and the two-host run (tests/vm/run-guests.sh)
#   4. module hardening and the ioctl/mount fuzzer, one guest per kernel
#   5. the DEB and RPM packages, installed as users do (tests/pkg/run.sh)
#   and beside 4 and 5, once it is built: the debug kernel's hardening and two-host runs
# Every check prints one "RESULT <name> PASS|FAIL|SKIP [detail]" line (a SKIP
# names its reason); the last line is the total, "N passed, N failed, N
# skipped", after the list of every SKIP. "EARLY-WARNING" lines (the
# experimental kernel, when it is newer than every tracked one) are shown
# before it and not counted. The log is kept in build/check.log.
#
# Tier accounting (tests/vm/README.md, "Can the checks fail?"): each tier is
# one script or group of commands, and gets a "RESULT tier:<name>" line of its
# own that FAILs when
#   - the tier printed no RESULT line at all (whatever its exit status),
#   - it printed fewer results than it declares (the minimum below, or its
#     own declaration: cmocka's "Running N test(s)" per binary, run-guests.sh's
#     results-count line),
#   - its exit status is not 0 while none of its results FAILed, or 0 while
#     some did;
# every "NOTE ..." line of a tier (of a guest console: tests/vm/guest-result.sh)
# and every cmocka SKIPPED test is a named SKIP; a result name (with its "<kernel>/<test>: " prefix) printed twice is
# a FAIL (duplicate:<name>).
set -uo pipefail
# our own code builds with -Werror here (distribution builds leave it off)
export WERROR=1
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
mkdir -p build/tiers
log=build/check.log
: >"$log"
rm -f build/tiers/* build/harden.rc build/harden.timing build/pkg.rc build/pkg.timing build/cxl.rc build/cxl.timing build/cxl.log

start=$(date +%s)
say() { printf '%s\n' "$*" | tee -a "$log"; }
# cpu_s: CPU to the CPU seconds (user + system) of the children this shell (or subshell: not
# called from a command substitution) has waited for. qemu guests and compilers are children, so
# a tier's share of the 2 cores shows beside its wall time.
TCK=$(getconf CLK_TCK)
cpu_s() { local st; read -ra st </proc/"$BASHPID"/stat && CPU=$(((st[15] + st[16]) / TCK)); }
# timing_line NAME START [CPU_START]: TLINE to the TIMING line of wall seconds since START and
# CPU seconds since CPU_START (0: all this shell's); a variable, not output: cpu_s must run here
timing_line() {
	cpu_s
	TLINE="TIMING $1 $(($(date +%s) - $2))s${3:+ (cpu $((CPU - $3))s)}"
}
timing() { timing_line "$@"; say "$TLINE"; }

# the least number of results of the tiers that do not declare their own
MIN_OUTSIDE_REFS=1
MIN_MODULE_STYLE=3		# checkpatch, kernel-doc, sparse (PASS, FAIL or SKIP)
MIN_HARDEN_PER_KERNEL=87	# kmod-harden.sh declares 87 (89 on 6.x, 128 on 7.x)
MIN_PKG=25			# tests/pkg/run.sh: builds, lint, DKMS per release, removal, systemd guest
# the ioctl/mount fuzzer's operations per kernel (FAMFS_FUZZ_OPS lowers it for a quick run, and
# the lowered bound is a named SKIP)
MIN_FUZZ_OPS=1000000
fuzz_ops=${FAMFS_FUZZ_OPS:-$MIN_FUZZ_OPS}

RES='(^|: )RESULT [^ ]+ (PASS|FAIL|SKIP)'

# notes_as_skips TIER FILE: each "NOTE text" line of FILE as "RESULT TIER:note-<n> SKIP text"
notes_as_skips() {
	grep -E '^(\[[^]]*\] )?NOTE ' "$2" | sed 's/^\[[^]]*\] //; s/^NOTE //' |
		awk -v t="$1" '{ printf "RESULT %s:note-%d SKIP %s\n", t, NR, $0 }'
}

# account TIER RC MIN FILE: the tier accounting line for the RESULT lines in FILE
account() {
	local name=$1 rc=$2 min=$3 f=$4 n fails
	n=$(grep -cE "$RES" "$f" || true)
	fails=$(grep -cE '(^|: )RESULT [^ ]+ FAIL' "$f" || true)
	if [ "$n" -eq 0 ]; then
		say "RESULT tier:$name FAIL (exit status $rc, but no RESULT line)"
	elif [ "$n" -lt "$min" ]; then
		say "RESULT tier:$name FAIL ($n results, the tier declares at least $min; exit status $rc)"
	elif [ "$rc" -ne 0 ] && [ "$fails" -eq 0 ]; then
		say "RESULT tier:$name FAIL (exit status $rc, but none of its $n results failed)"
	elif [ "$rc" -eq 0 ] && [ "$fails" -ne 0 ]; then
		say "RESULT tier:$name FAIL (exit status 0 with $fails failed results)"
	else
		say "RESULT tier:$name PASS ($n results, at least $min; exit status $rc)"
	fi
}

# fuzz_ops_check KREL LOG: the fuzzer's bound on KREL, from the "KREL: RESULT fuzz-pmem|fuzz-dax"
# lines of run-kmod-harden.sh's LOG (their operations together)
fuzz_ops_check() {
	local k=$1 ops
	ops=$(awk -v p="$k: RESULT " 'index($0, p) == 1 && $3 ~ /^fuzz-(pmem|dax)$/ {
		for (i = 5; i <= NF; i++) if ($i ~ /^operations,?$/) n += $(i - 1) } END { print n + 0 }' "$2")
	if [ "$fuzz_ops" -lt "$MIN_FUZZ_OPS" ]; then
		echo "$k/harden: RESULT fuzz-ops SKIP (FAMFS_FUZZ_OPS=$fuzz_ops lowers the bound of $MIN_FUZZ_OPS; $ops operations ran)"
	elif [ "$ops" -ge "$MIN_FUZZ_OPS" ]; then
		echo "$k/harden: RESULT fuzz-ops PASS ($ops operations, at least $MIN_FUZZ_OPS)"
	else
		echo "$k/harden: RESULT fuzz-ops FAIL ($ops operations, want at least $MIN_FUZZ_OPS)"
	fi
}

# 1. host packages (idempotent; quick when present)
t=$(date +%s)
if bash tests/vm/setup-host.sh >>"$log" 2>&1; then
	say "RESULT host-setup PASS"
else
	say "RESULT host-setup FAIL (see $log)"
fi
timing host-setup "$t"

# 1a. the tested kernels, resolved and fetched once (headers, images, toolchain trees) before
#     the tiers that read them: sparse (the oldest kernel's headers), the debug kernel's build,
#     the guests
t=$(date +%s)
bash tests/vm/kernels.sh fetch >build/kernels-fetch.log 2>&1 || true
timing kernels-fetch "$t"

# 1a'. the debug kernel (tests/vm/debug-kernel.sh: the newest tracked kernel's source with
#     KASAN, lockdep, DEBUG_ATOMIC_SLEEP and DEBUG_LIST, cached like the other kernels) builds in
#     the background from here on, not niced: with a cold cache it is the longest path of the
#     run. The hardening and two-host runs on it start beside tiers 4 and 5 (tests/vm/README.md,
#     "The debug kernel"). FAMFS_DEBUG_KERNEL=0 leaves it out, as a named SKIP.
debug_cache=${FAMFS_CACHE:-${HOME:-/root}/.cache/famfs}
debug=${FAMFS_DEBUG_KERNEL:-1}
rm -rf build/debug.krel build/debug-*.log build/debug-*.rc build/debug.timing build/harden-debug
if [ "$debug" = 1 ]; then
	t_debug=$(date +%s)
	# debug-kernel.sh holds $debug_cache/.debug-kernel.lock until the kernel is built (or not)
	FAMFS_DEBUG_NICE=0 bash tests/vm/kernels.sh debug >build/debug.krel 2>build/debug-kernel.log &
	debug_build_pid=$!
fi

# 1b. the accounting below can fail: each break of tests/vm/check-selftest.sh (fake tiers, fake
#     guest consoles; seconds) must turn into its FAIL
if [ "${FAMFS_CHECK_SELFTEST:-1}" = 0 ]; then
	say "RESULT harness-selftest SKIP (FAMFS_CHECK_SELFTEST=0)"
else
	F=build/tiers/selftest
	bash tests/vm/check-selftest.sh >build/selftest.log 2>&1
	rc=$?
	grep -E "$RES" build/selftest.log >"$F"
	tee -a "$log" <"$F" | grep -v ' PASS' || true
	account harness-selftest "$rc" 21 "$F"
fi

# 2. user-space unit tests: one RESULT line per cmocka test, "unit:<binary>:<test>" (two
#    binaries may have a test of the same name). Each binary declares its count ("Running N
#    test(s)"); the sources declare the total (their cmocka_unit_test entries).
t=$(date +%s)
if make -s -C userspace >>"$log" 2>&1; then
	say "RESULT userspace-build PASS"
else
	say "RESULT userspace-build FAIL"
fi
U=build/tiers/unit
: >"$U"
unit_rc=0
unit_min=$(cat userspace/tests/test_*.c | grep -o 'cmocka_unit_test[a-z_]*(' | wc -l)
for src in userspace/tests/test_*.c; do
	b=$(basename "$src" .c)
	make -s -C userspace "build/tests/$b" >>"$log" 2>&1
	(cd userspace && FAMFS_BUILD=build "build/tests/$b") >"build/unit-$b.log" 2>&1
	rc=$?
	cat "build/unit-$b.log" >>"$log"
	# cmocka lists a failed or skipped test twice (inline and in the summary): count it once
	awk -v b="$b" '
		/^\[       OK \] [^ ]+$/ { print "RESULT unit:" b ":" $4 " PASS" }
		/^\[  FAILED  \] [^ ]+$/ && !f[$4]++ { print "RESULT unit:" b ":" $4 " FAIL" }
		/^\[  SKIPPED \] [^ ]+$/ && !s[$4]++ { print "RESULT unit:" b ":" $4 " SKIP (cmocka skip(): a precondition of the test is missing here; see build/unit-" b ".log)" }
		/^\[  ERROR   \] [^ ]+$/ && !e[$4]++ { print "RESULT unit:" b ":" $4 " FAIL (cmocka ERROR)" }' \
		"build/unit-$b.log" >"build/tiers/unit-$b"
	declared=$(sed -n 's/^\[==========\] Running \([0-9]*\) test(s)\./\1/p' "build/unit-$b.log" | head -n 1)
	got=$(grep -c . "build/tiers/unit-$b" || true)
	if [ -z "$declared" ]; then
		echo "RESULT unit:$b FAIL (exit status $rc before cmocka ran a test; see build/unit-$b.log)" >>"build/tiers/unit-$b"
	elif [ "$got" -ne "$declared" ]; then
		echo "RESULT unit:$b FAIL ($got results, the binary declares $declared; exit status $rc)" >>"build/tiers/unit-$b"
	fi
	[ "$rc" -eq 0 ] || unit_rc=$rc
	cat "build/tiers/unit-$b" >>"$U"
	rm -f "build/tiers/unit-$b"
done
if make -s -C userspace man-check >>"$log" 2>&1; then
	echo "RESULT unit:man-check PASS" >>"$U"
else
	echo "RESULT unit:man-check FAIL (see $log)" >>"$U"
	unit_rc=1
fi
tee -a "$log" <"$U" | grep -v ' PASS' || true
# the crash-consistency test names how many store/flush points it killed the writer at
grep -m1 'crash points covered' "$log" | sed 's/^/INFO /' | tee -a "$log"
account unit "$unit_rc" "$((unit_min + 1))" "$U"
timing unit-tests "$t"

# 2b. the libFuzzer target over the superblock/log/fmap parser, bounded
t=$(date +%s)
if make -s -C userspace fuzz FUZZ_SECONDS="${FAMFS_FUZZ_SECONDS:-60}" >build/fuzz.log 2>&1; then
	say "RESULT userspace-fuzz PASS ($(sed -n 's/^stat::number_of_executed_units: *//p' build/fuzz.log) inputs)"
else
	say "RESULT userspace-fuzz FAIL (see build/fuzz.log)"
	tail -n 30 build/fuzz.log >>"$log"
fi
timing userspace-fuzz "$t"

# 2b'. nothing in the tree refers to a file outside it (docs, comments, scripts)
F=build/tiers/outside-refs
bash tests/no-outside-refs.sh >build/outside-refs.log 2>&1
rc=$?
{ grep -E "$RES" build/outside-refs.log; notes_as_skips outside-refs build/outside-refs.log; } >"$F"
tee -a "$log" <"$F" | grep -v ' PASS' || true
account outside-refs "$rc" "$MIN_OUTSIDE_REFS" "$F"

# 2c. module style: checkpatch --strict, kernel-doc, sparse
t=$(date +%s)
F=build/tiers/module-style
bash module/tests/checkpatch.sh >build/checkpatch.log 2>&1
rc=$?
{ grep -E "$RES" build/checkpatch.log | sed 's/^RESULT /RESULT module-style:/'
  notes_as_skips module-style build/checkpatch.log; } >"$F"
tee -a "$log" <"$F"
account module-style "$rc" "$MIN_MODULE_STYLE" "$F"
timing module-style "$t"

# 3. module builds, guests on each kernel, two hosts. run-guests.sh counts what it must print
#    (results-count) and ends with its total: both must be there, and the total must be the
#    lines seen here.
t=$(date +%s)
cpu_s
c=$CPU
F=build/tiers/guests
bash tests/vm/run-guests.sh >build/guests.log 2>&1
rc=$?
grep -E '^(TIMING|EARLY-WARNING)' build/guests.log | tee -a "$log"
{ grep -E "$RES" build/guests.log; notes_as_skips guests build/guests.log; } >"$F"
tee -a "$log" <"$F" | grep -v ' PASS' || true
if ! grep -qE '^harness: RESULT results-count ' "$F"; then
	echo "RESULT guests-declared FAIL (run-guests.sh printed no results-count line: it stopped early; see build/guests.log)" | tee -a "$log" >>"$F"
fi
total=$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' build/guests.log | tail -n 1)
seen="$(grep -cE '(^|: )RESULT [^ ]+ PASS' "$F") passed, $(grep -cE '(^|: )RESULT [^ ]+ FAIL' "$F") failed, $(grep -cE '(^|: )RESULT [^ ]+ SKIP' "$F") skipped"
if [ -z "$total" ]; then
	say "RESULT guests-total FAIL (run-guests.sh printed no total: it stopped early)"
elif [ "$total" != "$seen" ]; then
	say "RESULT guests-total FAIL (run-guests.sh counted \"$total\", check.sh sees \"$seen\")"
fi
account guests "$rc" 1 "$F"
timing guests "$t" "$c"

# 4 and 5 run side by side: the hardening guests use one core and the package trees mostly
# the other, so the two together take about as long as the package tier alone.
#
# 4. module hardening: bad inputs as root and unprivileged, leaks, device
#    handling, poison, the fault-count tracepoint and the ioctl/mount fuzzer
#    (at least 1 000 000 operations per kernel), one guest per kernel
t=$(date +%s)
(
	FUZZ_OPS=$fuzz_ops OUT=$top/build/harden FAMFS_KO_DIR=$top/build/vm/run/ko \
		bash module/tests/run-kmod-harden.sh >build/harden.log 2>&1
	echo $? >build/harden.rc
	timing_line module-harden "$t" 0
	echo "$TLINE" >build/harden.timing
	c_cxl=$CPU
	# 4b. famfs on emulated CXL type-3 memory (tests/vm/run-cxl.sh), with tier 3's modules
	t_cxl=$(date +%s)
	bash tests/vm/run-cxl.sh --ko-dir "$top/build/vm/run/ko" >build/cxl.log 2>&1
	echo $? >build/cxl.rc
	timing_line cxl "$t_cxl" "$c_cxl"
	echo "$TLINE" >build/cxl.timing
) &
harden_pid=$!

# 5. packages as users install them: DEB and RPM builds and lint, DKMS in a
#    clean tree of each tested release, removal, a systemd guest mounting
#    famfs from /etc/fstab
(
	bash tests/pkg/run.sh >build/pkg.log 2>&1
	echo $? >build/pkg.rc
	timing_line packages "$t" 0
	echo "$TLINE" >build/pkg.timing
) &
pkg_pid=$!
# the debug kernel's tiers: hardening (device loss, interleave, self-tests, 1M fuzzer operations)
# and the two-host run, once its build is done; a KASAN or lockdep report fails them
if [ "$debug" = 1 ]; then
	(
		flock "$debug_cache/.debug-kernel.lock" true
		dk=$(cat build/debug.krel 2>/dev/null)
		[ -n "$dk" ] || exit 0
		FUZZ_OPS=$fuzz_ops OUT=$top/build/harden-debug bash module/tests/run-kmod-harden.sh "$dk" \
			>build/debug-harden.log 2>&1
		echo $? >build/debug-harden.rc
		FAMFS_WORK=$top/build/vm-debug bash tests/vm/run-two-host.sh --krel "$dk" \
			--ko "$top/build/harden-debug/$dk/famfs.ko" --out "$top/build/vm-debug/two-host" \
			>build/debug-two-host.log 2>&1
		echo $? >build/debug-two-host.rc
		timing_line debug-kernel "$t_debug" 0
		echo "$TLINE (wall: the build and both runs; cpu: both runs)" >build/debug.timing
	) &
	debug_pid=$!
fi
wait "$harden_pid" "$pkg_pid"

F=build/tiers/harden
{ grep -E '^[^ ]+: RESULT [^ ]+ (PASS|FAIL|SKIP)' build/harden.log |
	sed 's/^\([^ ]*\): RESULT /\1\/harden: RESULT /'
  notes_as_skips harden build/harden.log; } >"$F"
# the fuzzer's bound per kernel: the operations of its fuzz-pmem and fuzz-dax results together
for k in $(bash tests/vm/kernels.sh list 2>/dev/null); do fuzz_ops_check "$k" build/harden.log; done >>"$F"
tee -a "$log" <"$F" | grep -E ' (FAIL|SKIP)' || true
nk=$(bash tests/vm/kernels.sh list 2>/dev/null | grep -c . || true)
account module-harden "$(cat build/harden.rc 2>/dev/null || echo 125)" "$((${nk:-1} * MIN_HARDEN_PER_KERNEL))" "$F"
say "$(cat build/harden.timing 2>/dev/null || echo 'TIMING module-harden ?')"

# the CXL tier ends with its own total, which must be the lines seen here
F=build/tiers/cxl
{ grep -E "$RES" build/cxl.log; notes_as_skips cxl build/cxl.log; } >"$F"
grep '^TIMING' build/cxl.log >>"$log" || true
tee -a "$log" <"$F" | grep -E ' (FAIL|SKIP)' || true
total=$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' build/cxl.log | tail -n 1)
seen="$(grep -cE '(^|: )RESULT [^ ]+ PASS' "$F") passed, $(grep -cE '(^|: )RESULT [^ ]+ FAIL' "$F") failed, $(grep -cE '(^|: )RESULT [^ ]+ SKIP' "$F") skipped"
if [ "$total" != "$seen" ]; then
	say "RESULT cxl-total FAIL (run-cxl.sh counted \"${total:-nothing}\", check.sh sees \"$seen\")"
fi
account cxl "$(cat build/cxl.rc 2>/dev/null || echo 125)" 1 "$F"
say "$(cat build/cxl.timing 2>/dev/null || echo 'TIMING cxl ?')"

F=build/tiers/pkg
{ grep -E "$RES" build/pkg.log; notes_as_skips pkg build/pkg.log; } >"$F"
tee -a "$log" <"$F" | grep -E ' (FAIL|SKIP)' || true
account pkg "$(cat build/pkg.rc 2>/dev/null || echo 125)" "$MIN_PKG" "$F"
say "$(cat build/pkg.timing 2>/dev/null || echo 'TIMING packages ?')"

# the debug kernel: its build, its hardening run (with the fuzzer's bound) and its two-host run
F=build/tiers/debug
if [ "$debug" != 1 ]; then
	say "RESULT debug-kernel SKIP (FAMFS_DEBUG_KERNEL=$debug: no KASAN/lockdep run)"
else
	wait "$debug_pid"
	dk=$(cat build/debug.krel 2>/dev/null)
	grep '^TIMING' build/debug-kernel.log | tee -a "$log"
	if [ -z "$dk" ]; then
		echo "RESULT debug-kernel-build FAIL (see build/debug-kernel.log)" >"$F"
		tail -n 20 build/debug-kernel.log | sed 's/^/    | /' >>"$log"
		debug_rc=1
	else
		{ echo "RESULT debug-kernel-build PASS ($dk)"
		  grep -E '^[^ ]+: RESULT [^ ]+ (PASS|FAIL|SKIP)' build/debug-harden.log |
			sed 's/^\([^ ]*\): RESULT /\1\/harden: RESULT /'
		  notes_as_skips debug-harden build/debug-harden.log
		  grep -E '^[^ ]+: RESULT [^ ]+ (PASS|FAIL|SKIP)' build/debug-two-host.log | sed 's/^/debug-/'
		  fuzz_ops_check "$dk" build/debug-harden.log
		} >"$F"
		debug_rc=0
		for r in build/debug-harden.rc build/debug-two-host.rc; do
			[ "$(cat "$r" 2>/dev/null || echo 125)" = 0 ] || debug_rc=1
		done
	fi
	tee -a "$log" <"$F" | grep -E ' (FAIL|SKIP)' || true
	# hardening's declared results, the two-host roles' (two-host.sh) with their guest-result.sh
	# checks (4 per guest) and run-two-host.sh's 6 host checks, and the build line
	th_min=$(sed -n 's/^# expect-results-[A-Za-z]*: *\([0-9]*\).*/\1/p' tests/guest/two-host.sh |
		awk '{ n += $1 + 4 } END { print n + 6 }')
	account debug-kernel "$debug_rc" "$((1 + MIN_HARDEN_PER_KERNEL + th_min))" "$F"
	say "$(cat build/debug.timing 2>/dev/null || echo 'TIMING debug-kernel ?')"
fi

# every result name once: "<prefix>/<name>" (the prefix of "<kernel>/<test>: RESULT name")
sed -nE 's/^(([^ ]+): )?RESULT ([^ ]+) (PASS|FAIL|SKIP).*/\2\/\3/p' "$log" | sed 's|^/||' | sort | uniq -c |
	awk '$1 > 1 { printf "RESULT duplicate:%s FAIL (%d results of this name: a FAIL of one could hide behind the other)\n", $2, $1 }' |
	tee -a "$log"

# a check's name has no spaces: "RESULT <name> PASS|FAIL|SKIP [detail]"
passed=$(grep -cE '(^|: )RESULT [^ ]+ PASS' "$log")
failed=$(grep -cE '(^|: )RESULT [^ ]+ FAIL' "$log")
skipped=$(grep -cE '(^|: )RESULT [^ ]+ SKIP' "$log")
# the debug kernel's build ended before its runs began (its lock): collect its CPU time too
[ -z "${debug_build_pid:-}" ] || wait "$debug_build_pid"
timing_line total "$start" 0
say "$TLINE: $((CPU * 100 / (($(date +%s) - start + 1) * $(nproc))))% of $(nproc) cores busy"
if [ "$failed" -gt 0 ]; then
	echo "failed:"
	grep -E '(^|: )RESULT [^ ]+ FAIL' "$log" | sed 's/^/  /'
fi
if [ "$skipped" -gt 0 ]; then
	echo "skipped:"
	grep -E '(^|: )RESULT [^ ]+ SKIP' "$log" | sed 's/^/  /'
fi
grep '^EARLY-WARNING ' "$log" || true
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
