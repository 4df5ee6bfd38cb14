// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 famfs contributors */
/* 6.17: file_operations.mmap_prepare(struct vm_area_desc *). */
#include <linux/module.h>
#include <linux/fs.h>
#include <linux/mm.h>

static int famfs_probe_prepare(struct vm_area_desc *desc)
{
	return 0;
}

const struct file_operations famfs_probe = {
	.mmap_prepare = famfs_probe_prepare,
};
MODULE_LICENSE("GPL");
