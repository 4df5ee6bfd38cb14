// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * 7.3: inode_operations.create(idmap, dir, dentry, mode) lost its bool excl
 * argument. A call with four arguments compiles only when ->create takes
 * four. Group "create" (probes.conf), with create_excl.
 */
#include <linux/module.h>
#include <linux/fs.h>

int famfs_probe(const struct inode_operations *iop, struct inode *dir,
		struct dentry *dentry);
int famfs_probe(const struct inode_operations *iop, struct inode *dir,
		struct dentry *dentry)
{
	return iop->create(NULL, dir, dentry, S_IFREG | 0644);
}
MODULE_LICENSE("GPL");
