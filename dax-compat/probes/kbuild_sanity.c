// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 famfs contributors */
/* Always compiles: proves the toolchain and KDIR work at all. */
#include <linux/module.h>

int famfs_probe(void);
int famfs_probe(void)
{
	return 0;
}
MODULE_LICENSE("GPL");
