// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 famfs contributors */
/* 6.6: sget_dev() (informational: famfs uses anonymous superblocks). */
#include <linux/module.h>
#include <linux/fs.h>
#include <linux/fs_context.h>

struct super_block *(*famfs_probe)(struct fs_context *, dev_t) = sget_dev;
MODULE_LICENSE("GPL");
