// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * 6.6: ->huge_fault and dax_iomap_fault() take a page order; enum
 * page_entry_size is gone. A prototype cannot show this (an enum and
 * unsigned int are compatible types), so the probe defines the enum tag
 * itself: that compiles only when <linux/mm.h> does not define it.
 * Group "fault_size" (probes.conf), with page_entry_size.
 */
#include <linux/module.h>
#include <linux/mm.h>

enum page_entry_size { FAMFS_PROBE_NO_PAGE_ENTRY_SIZE };

enum page_entry_size famfs_probe = FAMFS_PROBE_NO_PAGE_ENTRY_SIZE;
MODULE_LICENSE("GPL");
