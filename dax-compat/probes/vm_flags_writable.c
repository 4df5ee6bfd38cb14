// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * Up to 6.2: vma->vm_flags is a plain field that may be modified directly
 * (6.3 made it const; see vm_flags_set).
 * Group "vma_flags" (probes.conf), with vm_flags_set.
 */
#include <linux/module.h>
#include <linux/mm.h>

void famfs_probe(struct vm_area_struct *vma);
void famfs_probe(struct vm_area_struct *vma)
{
	vma->vm_flags |= VM_HUGEPAGE;
}
MODULE_LICENSE("GPL");
