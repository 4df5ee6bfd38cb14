// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * Before 6.6: huge_fault and dax_iomap_fault take enum page_entry_size
 * (PE_SIZE_PTE/PMD/PUD = 0/1/2), not an order. A prototype probe cannot see
 * this (enum and unsigned int are compatible), so test the enumerator.
 * Group "fault_size" (probes.conf), with huge_fault_order.
 */
#include <linux/module.h>
#include <linux/mm.h>

enum page_entry_size famfs_probe = PE_SIZE_PTE;
MODULE_LICENSE("GPL");
