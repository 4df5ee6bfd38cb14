/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (C) 2026 famfs contributors */
/* testutil.h - in-memory famfs images for the unit tests */
#ifndef FAMFS_TESTUTIL_H
#define FAMFS_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "libfamfs.h"

#define MiB (1024ULL * 1024)
#define GiB (1024ULL * MiB)

struct timg {
	void *buf;
	size_t len;
	struct famfs_meta m;
};

extern const famfs_uuid_t test_master_uuid;

/** timg_new() - heap image: superblock + empty log of @log_len bytes,
 *  describing a device of @dev_size bytes (only sb + log are allocated) */
void timg_new(struct timg *t, uint64_t dev_size, uint64_t log_len);
void timg_free(struct timg *t);
/**
 * tlog_forge() - write @e into the next slot of @m with its seqnum and CRC
 * and publish it, WITHOUT famfs_log_append()'s validation: the entry
 * another implementation, or damage, could have left (corrupted images).
 * Returns the index.
 */
int64_t tlog_forge(struct famfs_meta *m, const struct famfs_log_entry *e);
/** timg_file() - forge a FILE entry at [off, off+len); returns the index */
int64_t timg_file(struct timg *t, const char *rel, uint64_t size,
		  uint64_t off, uint64_t len);
/** timg_dir() - forge a MKDIR entry; returns the index */
int64_t timg_dir(struct timg *t, const char *rel);
/** tbin() - path of a built program: $FAMFS_BUILD/@prog (default build/) */
const char *tbin(const char *prog, char *buf, size_t len);
/** tmpdir_new() - a fresh directory under $TMPDIR or /tmp */
void tmpdir_new(char *buf, size_t len);
void tmpdir_rm(const char *dir);
/** trun() - run the shell command @cmd: its exit status, and what it wrote to
 *  stdout (redirect stderr in @cmd to get it too) in @out, NUL-terminated,
 *  at most @len - 1 bytes */
int trun(const char *cmd, char *out, size_t len);

#endif
