// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 famfs contributors */
/* 6.19: d_make_persistent() pins a dentry (DCACHE_PERSISTENT). */
#include <linux/module.h>
#include <linux/dcache.h>

struct dentry *(*famfs_probe)(struct dentry *, struct inode *) =
	d_make_persistent;
MODULE_LICENSE("GPL");
