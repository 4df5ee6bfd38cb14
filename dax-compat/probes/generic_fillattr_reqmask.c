// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 famfs contributors */
/* 6.6: generic_fillattr(idmap, request_mask, inode, stat). */
#include <linux/module.h>
#include <linux/fs.h>

void (*famfs_probe)(struct mnt_idmap *, u32, struct inode *,
		    struct kstat *) = generic_fillattr;
MODULE_LICENSE("GPL");
