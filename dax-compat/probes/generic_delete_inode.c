// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 famfs contributors */
/* Up to 6.17: generic_delete_inode() (see inode_just_drop). */
#include <linux/module.h>
#include <linux/fs.h>

int (*famfs_probe)(struct inode *) = generic_delete_inode;
MODULE_LICENSE("GPL");
