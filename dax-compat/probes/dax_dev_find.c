// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 famfs contributors */
/* Posted June 2026: lookup-only dax_dev_find(dev_t) replaces dax_dev_get. */
#include <linux/module.h>
#include <linux/dax.h>

struct dax_device *(*famfs_probe)(dev_t) = dax_dev_find;
MODULE_LICENSE("GPL");
