// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 famfs contributors */
/* 7.x: dax_dev_get(dev_t) exported (static before). */
#include <linux/module.h>
#include <linux/dax.h>

struct dax_device *(*famfs_probe)(dev_t) = dax_dev_get;
MODULE_LICENSE("GPL");
