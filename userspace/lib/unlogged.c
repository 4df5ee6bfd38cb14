// SPDX-License-Identifier: Apache-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * unlogged.c - local objects of a mounted famfs that the log does not hold
 *
 *
 * On the master, mkdir(1), touch(1) or cp(1) into a famfs mount create
 * objects only this host sees, and only until the next mount. famfs check
 * and famfs fsck name them; famfs mkdir -p, cp and creat log an unlogged
 * parent directory they need.
 */
#include <errno.h>
#include <fts.h>
#include <string.h>

#include "libfamfs.h"

static const char *kind(const FTSENT *f)
{
	switch (f->fts_info) {
	case FTS_D:
		return "directory";
	case FTS_F:
		return "file";
	default:
		return "object";
	}
}

int famfs_unlogged_walk(const char *mnt, const struct famfs_log_index *ix,
			void (*fn)(void *ctx, const char *rel,
				   const char *what),
			void *ctx)
{
	char *const roots[] = { (char *)mnt, NULL };
	size_t mlen = strlen(mnt);
	int found = 0, err = 0;
	FTSENT *f;
	FTS *fts;

	fts = fts_open(roots, FTS_PHYSICAL | FTS_XDEV | FTS_NOCHDIR, NULL);
	if (!fts)
		return -errno;
	for (;;) {
		const char *rel;
		uint32_t type;
		bool is_dir;

		errno = 0;
		f = fts_read(fts);
		if (!f) {
			if (errno)
				err = errno;
			break;
		}
		rel = f->fts_path + mlen;
		if (f->fts_level == 0 || f->fts_info == FTS_DP)
			continue;
		if (f->fts_info == FTS_DNR || f->fts_info == FTS_ERR ||
		    f->fts_info == FTS_NS) {
			err = f->fts_errno;
			continue;
		}
		while (*rel == '/')
			rel++;
		if (f->fts_level == 1 && !strcmp(f->fts_name, FAMFS_META_DIR)) {
			fts_set(fts, f, FTS_SKIP);	/* made by mount */
			continue;
		}
		is_dir = f->fts_info == FTS_D;
		if (famfs_log_index_lookup(ix, rel, &type, NULL) == 0 &&
		    (type == FAMFS_LOG_MKDIR) == is_dir &&
		    (is_dir || f->fts_info == FTS_F))
			continue;
		found++;
		if (famfs_log_index_lookup(ix, rel, &type, NULL) == 0)
			fn(ctx, rel, type == FAMFS_LOG_MKDIR ?
			   "object logged as a directory" :
			   "object logged as a file");
		else
			fn(ctx, rel, kind(f));
		if (is_dir)
			fts_set(fts, f, FTS_SKIP);
	}
	fts_close(fts);
	return err ? -err : found;
}
