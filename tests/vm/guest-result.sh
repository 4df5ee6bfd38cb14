#!/bin/bash
# guest-result.sh CONSOLE.LOG [PREFIX] - the verdict of one guest run.
#
# Prints the guest's "RESULT <name> PASS|FAIL|SKIP [detail]" lines (prefixed with "PREFIX: " if given),
# then two checks of its own:
#   guest-exit   the guest reached "TEST-EXIT: 0" (missing: it crashed, hung or was killed)
#   kernel-log   no BUG/WARNING/Oops/GPF/lockdep/hung-task splat in any kernel log line
# Exit 0 only if every line is a PASS.
set -euo pipefail
log=$1
prefix=${2:+$2: }
[ -f "$log" ] || { echo "${prefix}RESULT guest-console FAIL no console log $log"; exit 1; }

# console text may carry \r and NULs
clean() { tr -d '\r\000' <"$log"; }

results=$(clean | grep -aE '^RESULT [^ ]+ (PASS|FAIL|SKIP)' || true)
[ -n "$results" ] || results="RESULT guest-results FAIL the guest printed no RESULT lines"

rc=$(clean | sed -n 's/^TEST-EXIT: \([0-9]*\).*/\1/p' | tail -1)
if [ "$rc" = 0 ]; then
	results+=$'\n'"RESULT guest-exit PASS"
elif [ -n "$rc" ]; then
	results+=$'\n'"RESULT guest-exit FAIL test script exit status $rc"
elif clean | grep -aq '^TEST-TIMEOUT'; then
	results+=$'\n'"RESULT guest-exit FAIL the test hung (guest watchdog fired; blocked tasks in the log)"
else
	panic=$(clean | grep -aE 'Kernel panic' | head -1 | cut -c1-120 || true)
	results+=$'\n'"RESULT guest-exit FAIL no TEST-EXIT: the guest crashed or was killed${panic:+ ($panic)}"
fi

# kernel log lines only ("[   12.345678] ..."), on the console or in the dmesg dump
splat='BUG:|WARNING:|Oops|general protection|kernel BUG at|Kernel panic|UBSAN:|KASAN:|'
splat+='possible circular locking|inconsistent lock state|possible recursive locking|'
splat+='suspicious RCU usage|lock held when returning|bad unlock balance|'
splat+='blocked for more than|rcu_.*detected stall|soft lockup|hard LOCKUP|list_(add|del) corruption'
first=$(clean | grep -aE '^\[ *[0-9]+\.[0-9]+\]' | grep -aE "$splat" | head -1 | cut -c1-160 || true)
if [ -z "$first" ]; then
	results+=$'\n'"RESULT kernel-log PASS"
else
	results+=$'\n'"RESULT kernel-log FAIL $first"
fi

printf '%s\n' "$results" | sed "s|^|$prefix|"
! printf '%s\n' "$results" | grep -q '^RESULT [^ ]* FAIL'
