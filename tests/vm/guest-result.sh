#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Copyright (C) 2026 famfs contributors
# guest-result.sh CONSOLE.LOG [PREFIX [MIN]] - the verdict of one guest run.
#
# Prints the guest's "RESULT <name> PASS|FAIL|SKIP [detail]" lines (prefixed with "PREFIX: " if given),
# then checks of its own:
#   guest-exit     the guest reached "TEST-EXIT: 0" (missing: it crashed, hung or was killed)
#   guest-count    the guest's "GUEST-SUMMARY p passed, f failed, s skipped" (lib.sh finish) is
#                  there and agrees with the RESULT lines on the console (none lost or garbled),
#                  and there are at least MIN of them (the script's "# expect-results: MIN")
#   guest-unique   no result name printed twice (each FAIL must be told apart)
#   kernel-log     no BUG/WARNING/Oops/GPF/lockdep/hung-task splat in any kernel log line
# and each "NOTE text" line of the guest (something it did not run) as "RESULT note-<n> SKIP text".
# Exit 0 only if no line is a FAIL (SKIPs are listed, not failures).
set -euo pipefail
log=$1
prefix=${2:+$2: }
min=${3:-1}
[ -f "$log" ] || { echo "${prefix}RESULT guest-console FAIL no console log $log"; exit 1; }

# console text may carry \r and NULs
clean() { tr -d '\r\000' <"$log"; }

results=$(clean | grep -aE '^RESULT [^ ]+ (PASS|FAIL|SKIP)' || true)
[ -n "$results" ] || results="RESULT guest-results FAIL the guest printed no RESULT lines"

# the count: the guest's own summary, the lines seen here, the script's declared minimum
n() { printf '%s\n' "$results" | grep -c "^RESULT [^ ]* $1" || true; }
np=$(n PASS) nf=$(n FAIL) ns=$(n SKIP)
total=$((np + nf + ns))
summary=$(clean | sed -n 's/^GUEST-SUMMARY \([0-9]*\) passed, \([0-9]*\) failed, \([0-9]*\) skipped.*/\1 \2 \3/p' | tail -1)
if [ -z "$summary" ]; then
	count="RESULT guest-count FAIL no GUEST-SUMMARY line: the script ended before lib.sh's finish ($total results seen, at least $min expected)"
elif [ "$summary" != "$np $nf $ns" ]; then
	count="RESULT guest-count FAIL the guest counted $summary (passed failed skipped), the console shows $np $nf $ns: results lost or garbled"
elif [ "$total" -lt "$min" ]; then
	count="RESULT guest-count FAIL $total results, the script expects at least $min"
else
	count="RESULT guest-count PASS $total results (at least $min expected)"
fi

dups=$(printf '%s\n' "$results" | awk '{print $2}' | sort | uniq -d | tr '\n' ' ')
if [ -n "$dups" ]; then
	unique="RESULT guest-unique FAIL result names printed more than once: $dups"
else
	unique="RESULT guest-unique PASS"
fi

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
results+=$'\n'"$count"$'\n'"$unique"
notes=$(clean | { grep -aE '^NOTE ' || true; } | sed 's/^NOTE //' | awk '{ printf "RESULT note-%d SKIP %s\n", NR, $0 }')
[ -z "$notes" ] || results+=$'\n'"$notes"

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
