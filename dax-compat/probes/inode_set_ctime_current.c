// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 famfs contributors */
/* 6.6 (backported to Debian 6.1.y): inode_set_ctime_current(). */
#include <linux/module.h>
#include <linux/fs.h>

struct timespec64 (*famfs_probe)(struct inode *) = inode_set_ctime_current;
MODULE_LICENSE("GPL");
