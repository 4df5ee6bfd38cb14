// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 famfs contributors */
/* 6.9: block devices are opened as struct file (bdev_file_open_by_path). */
#include <linux/module.h>
#include <linux/blkdev.h>

struct file *(*famfs_probe)(const char *, blk_mode_t, void *,
			    const struct blk_holder_ops *) =
	bdev_file_open_by_path;
MODULE_LICENSE("GPL");
