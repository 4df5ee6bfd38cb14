// SPDX-License-Identifier: GPL-2.0
/* 6.3: inode operations take struct mnt_idmap * (user_namespace * before). */
#include <linux/module.h>
#include <linux/fs.h>

static int famfs_probe_create(struct mnt_idmap *idmap, struct inode *dir,
			      struct dentry *dentry, umode_t mode, bool excl)
{
	return 0;
}

const struct inode_operations famfs_probe = {
	.create = famfs_probe_create,
};
MODULE_LICENSE("GPL");
