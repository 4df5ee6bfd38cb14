#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 famfs contributors
# run-kmod-smoke.sh [KREL...] - build famfs.ko and the ioctl test, boot each kernel with
# module/tests/kmod-smoke.sh (or another guest script in $SCRIPT), print the
# guests' RESULT lines. Uses the tests/vm harness. Output under ${OUT:-/tmp/famfs-kmod}.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
vm=$repo/tests/vm
out=${OUT:-/tmp/famfs-kmod}
script=${SCRIPT:-$here/kmod-smoke.sh}
name=$(basename "$script" .sh)
mkdir -p "$out"

gcc -O2 -static -Wall -I"$repo/module/uapi" -o "$out/famfs_ioctl_test" \
	"$here/famfs_ioctl_test.c"

krels=("$@")
[ ${#krels[@]} -gt 0 ] || mapfile -t krels < <("$vm/kernels.sh" list)
rc=0
for k in "${krels[@]}"; do
	"$vm/build-module.sh" "$k" "$out/$k" >/dev/null
	"$vm/mkinitrd.sh" "$k" "$out/$k/$name.cpio.gz" "$script" \
		--ko "$out/$k/famfs.ko" --bin "$out/famfs_ioctl_test" 2>"$out/$k/mkinitrd.log"
	"$vm/boot.sh" --krel "$k" --initrd "$out/$k/$name.cpio.gz" \
		--console "$out/$k/$name.log" --timeout 400 || true
	"$vm/guest-result.sh" "$out/$k/$name.log" "$k" || rc=1
done
exit $rc
