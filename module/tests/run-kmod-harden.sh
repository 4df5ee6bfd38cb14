#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 famfs contributors
# run-kmod-harden.sh [KREL...] - famfs.ko hardening checks: build the module, famfs_ioctl_test
# and famfs_fuzz, boot each kernel (tests/vm harness) once with kmod-harden.sh (bad inputs as
# root and unprivileged, device handling, fault-count tracepoint, slab leak checks, fsdev_dax,
# poison, the self-tests) and kmod-fuzz.sh (the model-checked fuzzer), print the guests' RESULT
# lines. Exit 0 when every kernel passed with a clean dmesg and at least the number of results
# kmod-harden.sh declares ("# expect-results: N"). Output under ${OUT:-/tmp/famfs-harden}.
#   FUZZ_OPS=N    fuzzer operations per kernel (default 1000000; 7.x fuzzes pmem and dax0.0,
#                 half each); the run is bounded by operations, not time
#   FUZZ_SEED=N   fuzzer seed (default: a new random one per run, printed; the same seed on the
#                 same kernel reproduces the run)
#   FAMFS_KO_DIR=DIR  use DIR/<krel>/famfs.ko (tests/vm/run-guests.sh's build of the same source
#                 for the same kernel, as make check has it) instead of building the module again
#   FAMFS_DEBUG_SLOWDOWN=N  factor on the guest timeout for the KASAN + lockdep kernel
#                 (tests/vm/debug-kernel.sh, krel *-famfs-debug; default 4; applied by boot.sh)
#   FAMFS_BREAK_CHECKS=1  every exact-errno/exact-status check and the fuzzer's model expect
#                 something wrong on purpose: each of them must FAIL (a check that cannot fail
#                 shows up as a PASS)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
vm=$repo/tests/vm
out=${OUT:-/tmp/famfs-harden}
mkdir -p "$out"

cflags=(-O2 -static -Wall -I"$repo/module/uapi")
gcc "${cflags[@]}" -o "$out/famfs_ioctl_test" "$here/famfs_ioctl_test.c"
gcc "${cflags[@]}" -o "$out/famfs_fuzz" "$here/famfs_fuzz.c"

# famfx.ko: famfs.ko under another module name (same length: the ELF layout stays), so that a
# second module registering the "famfs" file system type can be loaded in the guest
rename_module() {
	python3 - "$1" "$2" <<-'EOF'
	import struct, sys
	data = bytearray(open(sys.argv[1], 'rb').read())
	shoff, = struct.unpack_from('<Q', data, 0x28)
	shentsize, shnum, shstrndx = struct.unpack_from('<HHH', data, 0x3a)
	def sec(i):
	    name, typ, flags, addr, off, size = struct.unpack_from('<IIQQQQ', data, shoff + i * shentsize)
	    return name, off, size
	stroff = sec(shstrndx)[1]
	def secname(n):
	    return bytes(data[stroff + n:data.index(b'\0', stroff + n)]).decode()
	done = set()
	for i in range(shnum):
	    n, off, size = sec(i)
	    name = secname(n)
	    if name == '.modinfo':
	        j = data.index(b'name=famfs\0', off, off + size)
	        data[j:j + 11] = b'name=famfx\0'
	        done.add(name)
	    elif name == '.gnu.linkonce.this_module':
	        j = data.index(b'famfs\0', off, off + size)
	        data[j:j + 6] = b'famfx\0'
	        done.add(name)
	assert len(done) == 2, done
	open(sys.argv[2], 'wb').write(data)
	EOF
}

# the least number of results kmod-harden.sh prints on any kernel (its own declaration)
min=$(sed -n 's/^# expect-results: *\([0-9][0-9]*\).*/\1/p' "$here/kmod-harden.sh" | head -n 1)
fuzzops=${FUZZ_OPS:-1000000}
# the guest's own budget: ~150 s of checks plus the fuzzer at >= 2000 operations per second
tmo=$((300 + fuzzops / 2000))

krels=("$@")
[ ${#krels[@]} -gt 0 ] || mapfile -t krels < <("$vm/kernels.sh" list)
rc=0
for k in "${krels[@]}"; do
	if [ -n "${FAMFS_KO_DIR:-}" ] && [ -f "$FAMFS_KO_DIR/$k/famfs.ko" ]; then
		mkdir -p "$out/$k" && cp "$FAMFS_KO_DIR/$k/famfs.ko" "$out/$k/famfs.ko"
	else
		"$vm/build-module.sh" "$k" "$out/$k" >/dev/null
	fi
	rename_module "$out/$k/famfs.ko" "$out/$k/famfx.ko"
	"$vm/mkinitrd.sh" "$k" "$out/$k/kmod-harden.cpio.gz" "$here/kmod-harden.sh" \
		--ko "$out/$k/famfs.ko" --bin "$out/famfs_ioctl_test" --bin "$out/famfs_fuzz" \
		--file "$here/kmod-fuzz.sh:opt/famfs/kmod-fuzz.sh" \
		--file "$out/$k/famfx.ko:opt/famfs/famfx.ko" 2>"$out/$k/mkinitrd.log"
	seed=${FUZZ_SEED:-$(od -An -N8 -tu8 /dev/urandom | tr -d ' ')}
	echo "$k: fuzzer seed $seed, $fuzzops operations"
	# the debug kernel (tests/vm/debug-kernel.sh: KASAN + lockdep; boot.sh scales its timeout)
	dbg=
	case $k in *-famfs-debug) dbg=debugkernel=1 ;; esac
	"$vm/boot.sh" --krel "$k" --initrd "$out/$k/kmod-harden.cpio.gz" \
		--console "$out/$k/kmod-harden.log" --timeout "$tmo" \
		-- "fuzzops=$fuzzops" "fuzzseed=$seed" ${FAMFS_BREAK_CHECKS:+breakchecks=1} $dbg \
		${FUZZ_TRACE:+fuzztrace=$FUZZ_TRACE} || true
	"$vm/guest-result.sh" "$out/$k/kmod-harden.log" "$k" "$min" || rc=1
done
exit $rc
