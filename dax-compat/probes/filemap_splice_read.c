// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 famfs contributors */
/* 6.5: filemap_splice_read() replaces generic_file_splice_read(). */
#include <linux/module.h>
#include <linux/fs.h>

ssize_t (*famfs_probe)(struct file *, loff_t *, struct pipe_inode_info *,
		       size_t, unsigned int) = filemap_splice_read;
MODULE_LICENSE("GPL");
