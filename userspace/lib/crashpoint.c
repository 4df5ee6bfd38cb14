// SPDX-License-Identifier: Apache-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * crashpoint.c - named points where a metadata writer may be cut off
 * (tests/test_crash.c is the user)
 *
 * The publish paths call famfs_crash_point() right after every store to
 * the shared superblock or log (famfs_log_append(): "append:*" points,
 * famfs_mkfs(): "mkfs:*" points), and famfs_meta_flush() calls
 * famfs_crash_flush() right after every flush, naming the flushed range.
 * Between two consecutive calls there is exactly one store (or one flush),
 * so a test that stops the process at the Nth call sees the shared memory
 * as a writer killed there would leave it, and a test that keeps a copy
 * of only the flushed ranges sees what a power cut there would leave.
 *
 * Without a hook (every program but that test) each call is one load of a
 * static pointer and a branch. The hook is process-wide: set it before
 * starting threads; it is not meant for concurrent writers.
 */
#include <stddef.h>

#include "libfamfs.h"

static famfs_crash_hook_fn crash_hook;
static void *crash_ctx;

void famfs_crash_hook_set(famfs_crash_hook_fn fn, void *ctx)
{
	crash_hook = fn;
	crash_ctx = ctx;
}

void famfs_crash_point(const char *point)
{
	if (crash_hook)
		crash_hook(crash_ctx, point, NULL, 0);
}

void famfs_crash_flush(const void *addr, size_t len)
{
	if (crash_hook)
		crash_hook(crash_ctx, "flush", addr, len);
}
