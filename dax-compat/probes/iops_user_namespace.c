// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * 5.12-6.2: inode operations take a struct user_namespace * (replaced by
 * struct mnt_idmap * in 6.3). Tested through ->setattr.
 * Group "idmap" (probes.conf), with iops_mnt_idmap.
 */
#include <linux/module.h>
#include <linux/fs.h>

static int famfs_probe_setattr(struct user_namespace *userns,
			       struct dentry *dentry, struct iattr *attr)
{
	return 0;
}

const struct inode_operations famfs_probe = {
	.setattr = famfs_probe_setattr,
};
MODULE_LICENSE("GPL");
