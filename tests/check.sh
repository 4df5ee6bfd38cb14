#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# check.sh - every famfs test, from a fresh Debian 12 machine:
#   1. host set-up (packages for the tools, the harness and the tests)
#   2. user-space unit tests (cmocka; no root, no kernel) and the bounded
#      libFuzzer run over the metadata parser
#   3. module style (checkpatch --strict, kernel-doc, sparse), the module
#      built for each tested kernel in its own toolchain, the guest runs on
#      each kernel, and the two-host run (tests/vm/run-guests.sh)
#   4. module hardening and the ioctl/mount fuzzer, one guest per kernel
#   5. the DEB and RPM packages, installed as users do (tests/pkg/run.sh)
# Every check prints one "RESULT <name> PASS|FAIL|SKIP [detail]" line (a SKIP
# names its reason); the last line is the total, "N passed, N failed, N
# skipped". "EARLY-WARNING" lines (the experimental kernel, when it is newer
# than every tracked one) are shown before it and not counted. The log is kept
# in build/check.log.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
mkdir -p build
log=build/check.log
: >"$log"

start=$(date +%s)
say() { printf '%s\n' "$*" | tee -a "$log"; }
timing() { say "TIMING $1 $(($(date +%s) - $2))s"; }

# 1. host packages (idempotent; quick when present)
t=$(date +%s)
if bash tests/vm/setup-host.sh >>"$log" 2>&1; then
	say "RESULT host-setup PASS"
else
	say "RESULT host-setup FAIL (see $log)"
fi
timing host-setup "$t"

# 2. user-space unit tests: one RESULT line per cmocka test
t=$(date +%s)
if make -s -C userspace >>"$log" 2>&1; then
	say "RESULT userspace-build PASS"
else
	say "RESULT userspace-build FAIL"
fi
make -s -C userspace test 2>&1 | tee -a build/unit.log >>"$log"
unit_rc=${PIPESTATUS[0]}
# cmocka lists a failed test twice (inline and in the summary): count it once
awk '/^\[       OK \] / { print "RESULT unit:" $4 " PASS" }
     /^\[  FAILED  \] [^ ]+$/ && !seen[$4]++ { print "RESULT unit:" $4 " FAIL" }' \
	build/unit.log | tee -a "$log"
grep -q '^\[       OK \]' build/unit.log || say "RESULT unit-tests-ran FAIL (no test executed)"
# the crash-consistency test names how many store/flush points it killed the writer at
grep -m1 'crash points covered' build/unit.log | sed 's/^/NOTE /' | tee -a "$log"
[ "$unit_rc" -eq 0 ] || say "RESULT unit-tests-exit FAIL (rc $unit_rc)"
rm -f build/unit.log
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
bash tests/no-outside-refs.sh 2>&1 | tee -a "$log" | grep '^RESULT' | grep -v ' PASS' || true
grep -q '^RESULT docs-no-outside-refs ' "$log" || say "RESULT docs-no-outside-refs FAIL (the check printed no result)"

# 2c. module style: checkpatch --strict, kernel-doc, sparse
t=$(date +%s)
bash module/tests/checkpatch.sh >build/checkpatch.log 2>&1
grep '^RESULT' build/checkpatch.log | sed 's/^RESULT /RESULT module-style:/' | tee -a "$log"
grep -q '^RESULT' build/checkpatch.log || say "RESULT module-style FAIL (see build/checkpatch.log)"
timing module-style "$t"

# 3. module builds, guests on each kernel, two hosts
t=$(date +%s)
bash tests/vm/run-guests.sh 2>&1 | tee -a "$log" | grep -E '^(RESULT|TIMING|EARLY-WARNING|[^ ]+: RESULT)'
timing guests "$t"

# 4. module hardening: bad inputs as root and unprivileged, leaks, device
#    handling, poison, the fault-count tracepoint and the ioctl/mount fuzzer,
#    one guest per kernel
t=$(date +%s)
OUT=$top/build/harden bash module/tests/run-kmod-harden.sh >build/harden.log 2>&1
harden_rc=$?
sed 's/^\([^ ]*\): RESULT /\1\/harden: RESULT /' build/harden.log | grep -E ': RESULT ' | tee -a "$log" |
	grep ' FAIL' || true
# a build or boot that failed before any guest result is a failure too
if [ "$harden_rc" -ne 0 ] && ! grep -q ': RESULT .* FAIL' build/harden.log; then
	say "RESULT module-harden FAIL (rc $harden_rc, see build/harden.log)"
fi
timing module-harden "$t"

# 5. packages as users install them: DEB and RPM builds and lint, DKMS in a
#    clean tree of each tested release, removal, a systemd guest mounting
#    famfs from /etc/fstab
t=$(date +%s)
bash tests/pkg/run.sh >build/pkg.log 2>&1
pkg_rc=$?
grep -E '^RESULT ' build/pkg.log | tee -a "$log" | grep ' FAIL' || true
if [ "$pkg_rc" -ne 0 ] && ! grep -q '^RESULT .* FAIL' build/pkg.log; then
	say "RESULT pkg FAIL (rc $pkg_rc, see build/pkg.log)"
fi
timing packages "$t"

# a check's name has no spaces: "RESULT <name> PASS|FAIL|SKIP [detail]"
passed=$(grep -cE '(^|: )RESULT [^ ]+ PASS' "$log")
failed=$(grep -cE '(^|: )RESULT [^ ]+ FAIL' "$log")
skipped=$(grep -cE '(^|: )RESULT [^ ]+ SKIP' "$log")
timing total "$start"
if [ "$skipped" -gt 0 ]; then
	echo "skipped:"
	grep -E '(^|: )RESULT [^ ]+ SKIP' "$log" | sed 's/^/  /'
fi
grep '^EARLY-WARNING ' "$log" || true
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
