// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 famfs contributors */
/* 6.5: copy_splice_read() splices through ->read_iter (no page cache). */
#include <linux/module.h>
#include <linux/fs.h>

ssize_t (*famfs_probe)(struct file *, loff_t *, struct pipe_inode_info *,
		       size_t, unsigned int) = copy_splice_read;
MODULE_LICENSE("GPL");
