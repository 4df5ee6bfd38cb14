// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * pfn_t removal (6.17-ish): dax_iomap_fault() hands back an unsigned long
 * pfn. Tested with a call (0 fits an order and enum page_entry_size alike):
 * a pfn_t * parameter fails -Werror=incompatible-pointer-types.
 * Group "dax_pfn" (probes.conf), with dax_pfn_t.
 */
#include <linux/module.h>
#include <linux/mm.h>
#include <linux/dax.h>
#include <linux/iomap.h>

vm_fault_t famfs_probe(struct vm_fault *vmf, const struct iomap_ops *ops);
vm_fault_t famfs_probe(struct vm_fault *vmf, const struct iomap_ops *ops)
{
	unsigned long pfn = 0;

	return dax_iomap_fault(vmf, 0, &pfn, NULL, ops);
}
MODULE_LICENSE("GPL");
