// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * 6.5 (backported to Debian 6.1.y): the kernel headers define
 * __counted_by(member), the flexible-array bounds annotation (empty when the
 * compiler lacks the attribute). Without it the struct below is a syntax
 * error.
 */
#include <linux/module.h>
#include <linux/types.h>

struct famfs_probe_flex {
	u32 n;
	u64 a[] __counted_by(n);
};

struct famfs_probe_flex *famfs_probe;
MODULE_LICENSE("GPL");
