// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 famfs contributors */
/* 7.x (fsdev era): fs_dax_get() claims a dax_device for a file system. */
#include <linux/module.h>
#include <linux/dax.h>

int (*famfs_probe)(struct dax_device *, void *,
		   const struct dax_holder_operations *) = fs_dax_get;
MODULE_LICENSE("GPL");
