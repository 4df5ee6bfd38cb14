#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Copyright (C) 2026 famfs contributors
# setup-host.sh - install the Debian 12 host packages the VM harness needs.
# Idempotent: when every package is already installed it does nothing (no apt-get update).
set -euo pipefail

PKGS=(
	qemu-system-x86     # the guests (TCG)
	busybox-static      # guest userland
	cpio gzip           # initramfs
	kmod                # modinfo/depmod for the initramfs module set
	ndctl daxctl        # copied into the guests to create namespaces
	debootstrap         # sid chroot for the 6.12/7.x toolchains
	xz-utils zstd file  # decompress modules and the bzImage payload
	bc make gcc libc6-dev libelf1   # native 6.1 module build, static guest helpers
	pkg-config zlib1g-dev uuid-dev libjson-c-dev libblkid-dev libcmocka-dev   # user space (userspace/Makefile) and its unit tests
	clang libclang-rt-14-dev   # the libFuzzer target over the metadata parser (make -C userspace fuzz)
	sparse python3   # module/tests/checkpatch.sh (sparse), run-kmod-harden.sh (renames a module copy)
	ca-certificates
)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

[ "$(id -u)" -eq 0 ] || { echo "setup-host.sh: need root to install: ${missing[*]}" >&2; exit 1; }
echo "setup-host.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
