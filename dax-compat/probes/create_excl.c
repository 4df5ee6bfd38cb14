// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * Up to 7.2: inode_operations.create(idmap, dir, dentry, mode, bool excl).
 * A call with five arguments compiles only when ->create takes five; NULL
 * fits either id-mapping type, so this does not depend on the idmap probes.
 * Group "create" (probes.conf), with create_no_excl.
 */
#include <linux/module.h>
#include <linux/fs.h>

int famfs_probe(const struct inode_operations *iop, struct inode *dir,
		struct dentry *dentry);
int famfs_probe(const struct inode_operations *iop, struct inode *dir,
		struct dentry *dentry)
{
	return iop->create(NULL, dir, dentry, S_IFREG | 0644, true);
}
MODULE_LICENSE("GPL");
