// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 famfs contributors */
/* 6.19: vma_flags_t; set flags in mmap_prepare with vma_desc_set_flags(). */
#include <linux/module.h>
#include <linux/mm.h>

void famfs_probe(struct vm_area_desc *desc);
void famfs_probe(struct vm_area_desc *desc)
{
	vma_desc_set_flags(desc, VMA_HUGEPAGE_BIT);
}
MODULE_LICENSE("GPL");
