// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 famfs contributors */
/* Removed in 6.19 (persistent dentries + kill_anon_super replace it). */
#include <linux/module.h>
#include <linux/fs.h>

void (*famfs_probe)(struct super_block *) = kill_litter_super;
MODULE_LICENSE("GPL");
