#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run-kmod-harden.sh [KREL...] - famfs.ko hardening checks: build the module, famfs_ioctl_test
# and famfs_fuzz, boot each kernel (tests/vm harness) once with kmod-harden.sh (bad inputs as
# root and unprivileged, device handling, fault-count tracepoint, slab leak checks, fsdev_dax,
# poison) and kmod-fuzz.sh (the fuzzer), print the guests' RESULT lines. Exit 0 when every
# kernel passed with a clean dmesg. Output under ${OUT:-/tmp/famfs-harden}.
#   FUZZ_SECS=N   fuzzer seconds per device (default 20; 7.x fuzzes pmem and dax0.0)
#   FUZZ_SEED=N   fuzzer seed (default 1)
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

krels=("$@")
[ ${#krels[@]} -gt 0 ] || mapfile -t krels < <("$vm/kernels.sh" list)
rc=0
for k in "${krels[@]}"; do
	"$vm/build-module.sh" "$k" "$out/$k" >/dev/null
	rename_module "$out/$k/famfs.ko" "$out/$k/famfx.ko"
	"$vm/mkinitrd.sh" "$k" "$out/$k/kmod-harden.cpio.gz" "$here/kmod-harden.sh" \
		--ko "$out/$k/famfs.ko" --bin "$out/famfs_ioctl_test" --bin "$out/famfs_fuzz" \
		--file "$here/kmod-fuzz.sh:opt/famfs/kmod-fuzz.sh" \
		--file "$out/$k/famfx.ko:opt/famfs/famfs_dup.ko" 2>"$out/$k/mkinitrd.log"
	"$vm/boot.sh" --krel "$k" --initrd "$out/$k/kmod-harden.cpio.gz" \
		--console "$out/$k/kmod-harden.log" --timeout 600 \
		-- "fuzzsecs=${FUZZ_SECS:-20}" "fuzzseed=${FUZZ_SEED:-1}" || true
	"$vm/guest-result.sh" "$out/$k/kmod-harden.log" "$k" || rc=1
done
exit $rc
