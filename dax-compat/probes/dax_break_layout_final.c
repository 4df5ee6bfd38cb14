// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 famfs contributors */
/* 6.15 DAX folio refcounting: wait for idle DAX pages before eviction. */
#include <linux/module.h>
#include <linux/dax.h>

void (*famfs_probe)(struct inode *) = dax_break_layout_final;
MODULE_LICENSE("GPL");
