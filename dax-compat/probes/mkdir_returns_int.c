// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * Up to 6.14: inode_operations.mkdir returns int. The result is stored in an
 * int: a pointer result fails -Werror=int-conversion.
 * Group "mkdir" (probes.conf), with mkdir_returns_dentry.
 */
#include <linux/module.h>
#include <linux/fs.h>

int famfs_probe(const struct inode_operations *iop, struct inode *dir,
		struct dentry *dentry);
int famfs_probe(const struct inode_operations *iop, struct inode *dir,
		struct dentry *dentry)
{
	int ret = iop->mkdir(NULL, dir, dentry, 0755);

	return ret;
}
MODULE_LICENSE("GPL");
