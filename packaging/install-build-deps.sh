#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Copyright (C) 2026 famfs contributors
# install-build-deps.sh - host packages that `make deb`, `make rpm` and
# tests/pkg/run.sh need on a Debian 12 host. Idempotent: installs only what
# is missing, so a second run costs one dpkg-query.
#   deb: debhelper 13, dh-dkms (dh-sequence-dkms), lintian, build deps of famfs
#   rpm: rpm (rpmbuild), rpmlint
#   test: debootstrap, zstd (cached trees), kmod (modinfo)
set -euo pipefail
pkgs=(build-essential debhelper dh-dkms lintian fakeroot pkg-config
      zlib1g-dev uuid-dev libjson-c-dev libblkid-dev libcmocka-dev
      rpm rpmlint
      debootstrap zstd kmod)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "install-build-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
