#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Copyright (C) 2026 famfs contributors
# check-selftest.sh - can the accounting of the test run fail? (tests/vm/README.md, "Can the
# checks fail?")
#
# Breaks, one at a time, what tests/check.sh and tests/vm/guest-result.sh must catch, and checks
# that each break turns into the FAIL (or SKIP) it must:
#   - check.sh on a sandbox of fake tiers (no guest, no build; a few seconds): a tier's exit
#     status with all results PASS, an abort before the total, a tier with no RESULT line, a
#     shortfall, a duplicate name, a cmocka binary that dies mid-run or before its first test,
#     cmocka's SKIPPED and a tier's NOTE line as named SKIPs;
#   - guest-result.sh on fake consoles: no GUEST-SUMMARY, a lost RESULT line, fewer results
#     than declared, a name twice, a NOTE line.
# Prints "RESULT selftest:<case> PASS|FAIL [detail]"; exit 0 when every break was caught.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
sb=$(mktemp -d "${TMPDIR:-/tmp}/famfs-selftest.XXXXXX")
trap 'rm -rf "$sb"' EXIT
fails=0

# ok CASE WANT OUTPUT: PASS if a line of OUTPUT matches the extended regex WANT
ok() {
	if grep -qE -- "$2" <<<"$3"; then
		echo "RESULT selftest:$1 PASS"
	else
		echo "RESULT selftest:$1 FAIL (no line matches /$2/)"
		sed 's/^/    | /' <<<"$3" | tail -n 15
		fails=$((fails + 1))
	fi
}

# the sandbox: check.sh with every tier replaced by a script printing what a healthy tier prints
sandbox() {
	rm -rf "$sb/t"
	mkdir -p "$sb/t/tests/vm" "$sb/t/tests/pkg" "$sb/t/module/tests" "$sb/t/userspace/tests"
	cd "$sb/t" || exit 1
	sed 's/^MIN_HARDEN_PER_KERNEL=.*/MIN_HARDEN_PER_KERNEL=4/; s/^MIN_PKG=.*/MIN_PKG=1/' \
		"$repo/tests/check.sh" >tests/check.sh
	echo 'exit 0' >tests/vm/setup-host.sh
	cat >userspace/Makefile <<'EOF'
all:
	@true
build/tests/%:
	@mkdir -p build/tests; printf '#!/bin/sh\ncat tests/%s.out; exit $$(cat tests/%s.rc 2>/dev/null || echo 0)\n' $* $* >$@; chmod +x $@
man-check:
	@true
fuzz:
	@echo "stat::number_of_executed_units: 5"
EOF
	for t in test_a test_b; do echo 'cmocka_unit_test(x), cmocka_unit_test(y),' >"userspace/tests/$t.c"; done
	printf '%s\n' '[==========] Running 2 test(s).' '[ RUN      ] test_log_header' '[       OK ] test_log_header' \
		'[ RUN      ] y' '[       OK ] y' '[==========] 2 test(s) run.' '[  PASSED  ] 2 test(s).' >userspace/tests/test_a.out
	printf '%s\n' '[==========] Running 2 test(s).' '[ RUN      ] test_log_header' '[       OK ] test_log_header' \
		'[ RUN      ] z' '[  SKIPPED ] z' '[==========] 2 test(s) run.' '[  PASSED  ] 1 test(s).' \
		'[  SKIPPED ] 1 test(s), listed below:' '[  SKIPPED ] z' >userspace/tests/test_b.out
	echo 'echo "RESULT docs-no-outside-refs PASS"' >tests/no-outside-refs.sh
	printf '%s\n' 'echo "RESULT checkpatch PASS"' 'echo "RESULT kernel-doc PASS"' \
		'echo "RESULT sparse SKIP (sparse not installed)"' >module/tests/checkpatch.sh
	printf '%s\n' 'echo k1' 'echo k2' >tests/vm/kernels.sh
	printf '%s\n' 'echo "k1/famfs-cli: RESULT a PASS"' 'echo "k2/famfs-cli: RESULT a PASS"' \
		'echo "harness: RESULT results-count PASS (3 results, at least 3 expected)"' \
		'echo "3 passed, 0 failed, 0 skipped"' >tests/vm/run-guests.sh
	printf '%s\n' 'for k in k1 k2; do for i in 1 2; do echo "$k: RESULT h$i PASS"; done' \
		'echo "$k: RESULT fuzz-pmem PASS seed 7, ${FUZZ_OPS} operations, 9 succeeded (50.0 %)"; done' \
		>module/tests/run-kmod-harden.sh
	printf '%s\n' 'echo "k1/cxl: RESULT c PASS"' 'echo "k2/cxl: RESULT c SKIP (no fsdev_dax)"' \
		'echo "1 passed, 0 failed, 1 skipped"' >tests/vm/run-cxl.sh
	printf '%s\n' 'echo "RESULT pkg:build PASS"' 'echo "NOTE PKG_SKIP_RPM set: no RPM build"' >tests/pkg/run.sh
}
check() { (cd "$sb/t" && FAMFS_CHECK_SELFTEST=0 FAMFS_DEBUG_KERNEL=0 bash tests/check.sh 2>&1); }

sandbox
out=$(check)
ok healthy-run-passes '^[0-9]+ passed, 0 failed, [0-9]+ skipped$' "$out"
ok cmocka-skipped-is-skip '^RESULT unit:test_b:z SKIP ' "$out"
ok note-is-skip '^RESULT pkg:note-1 SKIP PKG_SKIP_RPM set' "$out"
ok same-test-two-binaries '^RESULT tier:unit PASS' "$out"

sandbox; echo 'exit 3' >>tests/vm/run-guests.sh
ok guests-exit-status '^RESULT tier:guests FAIL \(exit status 3, but none' "$(check)"
sandbox; printf '%s\n' 'echo "k1/famfs-cli: RESULT a PASS"' 'exit 1' >tests/vm/run-guests.sh
out=$(check)
ok guests-abort-no-total '^RESULT guests-total FAIL' "$out"
ok guests-abort-no-count 'RESULT guests-declared FAIL' "$(cat "$sb/t/build/check.log")"
sandbox; echo 'exit 1' >>module/tests/checkpatch.sh
ok checkpatch-exit-status '^RESULT tier:module-style FAIL \(exit status 1' "$(check)"
sandbox; echo 'exit 0' >tests/no-outside-refs.sh
ok tier-without-result '^RESULT tier:outside-refs FAIL \(exit status 0, but no RESULT line' "$(check)"
sandbox; sed -i 's/for i in 1 2/for i in 1/' module/tests/run-kmod-harden.sh
ok tier-shortfall '^RESULT tier:module-harden FAIL \(6 results, the tier declares at least 8' "$(check)"

# the CXL tier's own total disagrees with its lines (a line lost on the way)
sandbox; sed -i 's/1 passed, 0 failed/2 passed, 0 failed/' tests/vm/run-cxl.sh
ok cxl-total '^RESULT cxl-total FAIL \(run-cxl.sh counted "2 passed, 0 failed, 1 skipped", check.sh sees "1 passed' "$(check)"

# the fuzzer ran fewer operations than the bound: a FAIL per kernel; a bound lowered by
# FAMFS_FUZZ_OPS is a named SKIP
sandbox; sed -i 's/${FUZZ_OPS} operations/999999 operations/' module/tests/run-kmod-harden.sh
ok fuzz-ops-short '^k1/harden: RESULT fuzz-ops FAIL \(999999 operations, want at least 1000000\)' "$(check)"
sandbox
ok fuzz-ops-lowered-is-skip '^k2/harden: RESULT fuzz-ops SKIP \(FAMFS_FUZZ_OPS=5 lowers' "$(FAMFS_FUZZ_OPS=5 check)"
sandbox; echo 'echo "RESULT pkg:build FAIL"' >>tests/pkg/run.sh
ok duplicate-name '^RESULT duplicate:pkg:build FAIL' "$(check)"
sandbox; head -n 4 userspace/tests/test_a.out >x && mv x userspace/tests/test_a.out; echo 139 >userspace/tests/test_a.rc
ok cmocka-dies-mid-run '^RESULT unit:test_a FAIL \(1 results, the binary declares 2; exit status 139' "$(check)"
sandbox; echo 'Segmentation fault' >userspace/tests/test_a.out; echo 139 >userspace/tests/test_a.rc
ok cmocka-dies-at-start '^RESULT unit:test_a FAIL \(exit status 139 before cmocka ran a test' "$(check)"

# guest-result.sh on fake consoles
c=$sb/console.log
gr() { printf '%s\n' "$@" >"$c"; bash "$here/guest-result.sh" "$c" k/t 3 2>&1; }
out=$(gr 'RESULT a PASS' 'RESULT b PASS' 'RESULT c SKIP why' 'GUEST-SUMMARY 2 passed, 0 failed, 1 skipped' 'TEST-EXIT: 0')
ok guest-healthy '^k/t: RESULT guest-count PASS 3 results' "$out"
ok guest-no-summary '^k/t: RESULT guest-count FAIL no GUEST-SUMMARY' \
	"$(gr 'RESULT a PASS' 'RESULT b PASS' 'RESULT c PASS' 'TEST-EXIT: 0')"
ok guest-lost-line '^k/t: RESULT guest-count FAIL the guest counted 3 0 0' \
	"$(gr 'RESULT a PASS' 'RESULT b PASS' 'GUEST-SUMMARY 3 passed, 0 failed, 0 skipped' 'TEST-EXIT: 0')"
ok guest-shortfall '^k/t: RESULT guest-count FAIL 2 results, the script expects at least 3' \
	"$(gr 'RESULT a PASS' 'RESULT b PASS' 'GUEST-SUMMARY 2 passed, 0 failed, 0 skipped' 'TEST-EXIT: 0')"
ok guest-duplicate '^k/t: RESULT guest-unique FAIL result names printed more than once: a' \
	"$(gr 'RESULT a PASS' 'RESULT a FAIL x' 'RESULT b PASS' 'GUEST-SUMMARY 2 passed, 1 failed, 0 skipped' 'TEST-EXIT: 1')"
ok guest-note-is-skip '^k/t: RESULT note-1 SKIP fsdev phase not run' \
	"$(gr 'RESULT a PASS' 'RESULT b PASS' 'RESULT c PASS' 'NOTE fsdev phase not run' 'GUEST-SUMMARY 3 passed, 0 failed, 0 skipped' 'TEST-EXIT: 0')"

exit "$((fails > 0))"
