// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 famfs contributors */
/* 6.7-6.8: bdev_open_by_path() returns a struct bdev_handle. */
#include <linux/module.h>
#include <linux/blkdev.h>

struct bdev_handle *(*famfs_probe)(const char *, blk_mode_t, void *,
				   const struct blk_holder_ops *) =
	bdev_open_by_path;
MODULE_LICENSE("GPL");
