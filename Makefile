# SPDX-License-Identifier: GPL-2.0-only
# Copyright (C) 2026 famfs contributors
# famfs top-level Makefile: user space, the module, the tests and the packages.
#
#   make                 build the user-space tools (userspace/build/)
#   make module          build famfs.ko for the running kernel (KDIR=... to override)
#   make demo            two qemu guests share emulated memory: A writes, B reads
#   make check           every test: unit tests, module builds, guests, two hosts
#   make unit            user-space unit tests only (no root, no kernel)
#   make bench           benchmarks in guests: report in bench/results/ (bench/README.md)
#   make bench-readme    README.md's benchmark table from bench/results/report.json
#   make bench-compare A=run1.json B=run2.json   do two runs' icount ratios agree within 1 %?
#   make install         install the tools (DESTDIR, PREFIX)
#   make dist            the release tarball build/pkg/famfs-<version>.tar.gz
#   make deb / make rpm  famfs, famfs-dkms and libfamfs-dev packages in build/pkg/

VERSION := $(shell cat VERSION)
KDIR ?= /lib/modules/$(shell uname -r)/build
PREFIX ?= /usr
DESTDIR ?=

.PHONY: all userspace module unit check demo bench bench-readme bench-compare dist deb rpm install clean

all: userspace

userspace:
	$(MAKE) -C userspace

module:
	$(MAKE) -C module KDIR=$(KDIR)

unit:
	$(MAKE) -C userspace test

check:
	bash tests/check.sh

demo:
	bash tests/demo.sh

bench:
	bash bench/run.sh

bench-readme:
	python3 bench/report.py --readme README.md bench/results

bench-compare:
	python3 bench/compare.py $(A) $(B)

dist:
	$(MAKE) -C packaging dist

deb:
	$(MAKE) -C packaging deb

rpm:
	$(MAKE) -C packaging rpm

install:
	$(MAKE) -C userspace install DESTDIR=$(DESTDIR) PREFIX=$(PREFIX)

clean:
	$(MAKE) -C userspace clean
	-$(MAKE) -C module clean KDIR=$(KDIR)
	rm -rf build
