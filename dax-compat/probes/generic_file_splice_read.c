// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 famfs contributors */
/* Up to 6.4: generic_file_splice_read() (goes through ->read_iter). */
#include <linux/module.h>
#include <linux/fs.h>

ssize_t (*famfs_probe)(struct file *, loff_t *, struct pipe_inode_info *,
		       size_t, unsigned int) = generic_file_splice_read;
MODULE_LICENSE("GPL");
