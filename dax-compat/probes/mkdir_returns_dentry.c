// SPDX-License-Identifier: GPL-2.0
/* 6.15: inode_operations.mkdir returns struct dentry * (int before). */
#include <linux/module.h>
#include <linux/fs.h>

static struct dentry *famfs_probe_mkdir(struct mnt_idmap *idmap,
					struct inode *dir,
					struct dentry *dentry, umode_t mode)
{
	return NULL;
}

const struct inode_operations famfs_probe = {
	.mkdir = famfs_probe_mkdir,
};
MODULE_LICENSE("GPL");
