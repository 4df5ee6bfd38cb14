// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * Up to 6.6: inode->i_mtime and i_atime are public struct timespec64 fields
 * (6.7 made them private behind inode_set_mtime_to_ts() and friends).
 * Group "timestamps" (probes.conf), with inode_set_mtime_to_ts.
 */
#include <linux/module.h>
#include <linux/fs.h>

void famfs_probe(struct inode *inode, struct timespec64 ts);
void famfs_probe(struct inode *inode, struct timespec64 ts)
{
	inode->i_mtime = ts;
	inode->i_atime = ts;
}
MODULE_LICENSE("GPL");
