// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * 6.15: inode_operations.mkdir returns struct dentry * (int before). The
 * result is stored in a pointer: an int result fails -Werror=int-conversion.
 * Independent of the id-mapping type (NULL fits either).
 * Group "mkdir" (probes.conf), with mkdir_returns_int.
 */
#include <linux/module.h>
#include <linux/fs.h>

struct dentry *famfs_probe(const struct inode_operations *iop,
			   struct inode *dir, struct dentry *dentry);
struct dentry *famfs_probe(const struct inode_operations *iop,
			   struct inode *dir, struct dentry *dentry)
{
	struct dentry *ret = iop->mkdir(NULL, dir, dentry, 0755);

	return ret;
}
MODULE_LICENSE("GPL");
