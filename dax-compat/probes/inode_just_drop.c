// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 famfs contributors */
/* 6.18: generic_delete_inode() renamed inode_just_drop(). */
#include <linux/module.h>
#include <linux/fs.h>

int (*famfs_probe)(struct inode *) = inode_just_drop;
MODULE_LICENSE("GPL");
