// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * Before the pfn_t removal (6.17-ish): dax_iomap_fault() hands back a pfn_t
 * (<linux/pfn_t.h>). Tested with a call, as dax_pfn_ulong.
 * Group "dax_pfn" (probes.conf), with dax_pfn_ulong.
 */
#include <linux/module.h>
#include <linux/mm.h>
#include <linux/dax.h>
#include <linux/iomap.h>
#include <linux/pfn_t.h>

vm_fault_t famfs_probe(struct vm_fault *vmf, const struct iomap_ops *ops);
vm_fault_t famfs_probe(struct vm_fault *vmf, const struct iomap_ops *ops)
{
	pfn_t pfn = { 0 };

	return dax_iomap_fault(vmf, 0, &pfn, NULL, ops);
}
MODULE_LICENSE("GPL");
