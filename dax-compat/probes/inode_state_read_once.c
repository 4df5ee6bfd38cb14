// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 famfs contributors */
/* 6.19: i_state is opaque; read it with inode_state_read_once(). */
#include <linux/module.h>
#include <linux/fs.h>

unsigned int famfs_probe(struct inode *inode);
unsigned int famfs_probe(struct inode *inode)
{
	return inode_state_read_once(inode) & I_FREEING;
}
MODULE_LICENSE("GPL");
