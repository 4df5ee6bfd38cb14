// SPDX-License-Identifier: GPL-2.0
/* <linux/pfn_t.h> and pfn_t exist (gone with the pfn_t removal). */
#include <linux/module.h>
#include <linux/pfn_t.h>

pfn_t famfs_probe;
MODULE_LICENSE("GPL");
