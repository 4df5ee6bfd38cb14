// SPDX-License-Identifier: GPL-2.0
/* pfn_t removal (6.17-ish): dax_iomap_fault() returns an unsigned long pfn. */
#include <linux/module.h>
#include <linux/mm.h>
#include <linux/dax.h>
#include <linux/iomap.h>

vm_fault_t (*famfs_probe)(struct vm_fault *, unsigned int, unsigned long *,
			  int *, const struct iomap_ops *) = dax_iomap_fault;
MODULE_LICENSE("GPL");
