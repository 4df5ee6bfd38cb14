// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 famfs contributors */
/* Up to 6.4: blkdev_get_by_path(path, fmode_t, holder); FMODE_EXCL. */
#include <linux/module.h>
#include <linux/blkdev.h>

struct block_device *(*famfs_probe)(const char *, fmode_t, void *) =
	blkdev_get_by_path;
MODULE_LICENSE("GPL");
