// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 famfs contributors */
/* 6.3: vm_flags is read-only; modify it with vm_flags_set(). */
#include <linux/module.h>
#include <linux/mm.h>

void famfs_probe(struct vm_area_struct *vma);
void famfs_probe(struct vm_area_struct *vma)
{
	vm_flags_set(vma, VM_HUGEPAGE);
}
MODULE_LICENSE("GPL");
