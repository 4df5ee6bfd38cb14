#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 famfs contributors
# probe-vectors.sh BUILD.LOG... - compare the compile-probe results of famfs builds with what
# each kernel line is known to have (module/tests/probe-vectors.txt).
#
# BUILD.LOG is the output of a module build (tests/vm/build-module.sh's OUTDIR/build.log, or
# DKMS's make.log): probe.sh prints "PROBE <release> present: <probes that compiled>". A release
# whose MAJOR.MINOR has no line is reported as such (a new kernel line: add its vector after
# checking each probe against the headers). Exit 0 when every log matched its line.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
table=$here/probe-vectors.txt
[ $# -ge 1 ] || { echo "usage: $0 BUILD.LOG..." >&2; exit 2; }

rc=0
for log in "$@"; do
	line=$(grep -m1 '^  PROBE   [^ ]* present:' "$log" || true)
	if [ -z "$line" ]; then
		echo "FAIL $log: no probe result (did the probes run?)"
		rc=1
		continue
	fi
	rel=$(echo "$line" | awk '{ print $2 }')
	key=$(echo "$rel" | sed -E 's/^([0-9]+\.[0-9]+).*/\1/')
	got=$(echo "${line#*present:}" | tr ' ' '\n' | sed '/^$/d' | sort)
	want=$(sed -n "s/^$key: //p" "$table" | tr ' ' '\n' | sed '/^$/d' | sort)
	if [ -z "$want" ]; then
		echo "FAIL $rel: no expected vector for $key in $table; this kernel has: $(echo "$got" | tr "\n" " ")"
		rc=1
		continue
	fi
	extra=$(comm -23 <(echo "$got") <(echo "$want") | tr '\n' ' ')
	missing=$(comm -13 <(echo "$got") <(echo "$want") | tr '\n' ' ')
	if [ -z "$extra$missing" ]; then
		echo "PASS $rel: $(echo "$got" | wc -l) probes as expected for $key"
	else
		echo "FAIL $rel: unexpected y: ${extra:-none}; unexpected n: ${missing:-none}"
		rc=1
	fi
done
exit $rc
