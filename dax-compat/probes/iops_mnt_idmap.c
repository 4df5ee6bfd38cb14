// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * 6.3: inode operations take a struct mnt_idmap * (a struct user_namespace *
 * before). Tested through ->setattr, whose signature has not changed
 * otherwise since then (->create lost an argument in 7.3: see create_*.c).
 * Group "idmap" (probes.conf), with iops_user_namespace.
 */
#include <linux/module.h>
#include <linux/fs.h>

static int famfs_probe_setattr(struct mnt_idmap *idmap, struct dentry *dentry,
			       struct iattr *attr)
{
	return 0;
}

const struct inode_operations famfs_probe = {
	.setattr = famfs_probe_setattr,
};
MODULE_LICENSE("GPL");
