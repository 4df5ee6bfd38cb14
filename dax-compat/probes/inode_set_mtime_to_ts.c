// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 famfs contributors */
/* 6.7: mtime/atime accessors; i_mtime is no longer a public field. */
#include <linux/module.h>
#include <linux/fs.h>

struct timespec64 (*famfs_probe)(struct inode *, struct timespec64) =
	inode_set_mtime_to_ts;
MODULE_LICENSE("GPL");
