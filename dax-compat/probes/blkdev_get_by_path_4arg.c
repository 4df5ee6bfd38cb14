// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 famfs contributors */
/* 6.5-6.8: blkdev_get_by_path(path, blk_mode_t, holder, holder_ops). */
#include <linux/module.h>
#include <linux/blkdev.h>

struct block_device *(*famfs_probe)(const char *, blk_mode_t, void *,
				    const struct blk_holder_ops *) =
	blkdev_get_by_path;
MODULE_LICENSE("GPL");
