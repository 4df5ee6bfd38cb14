// SPDX-License-Identifier: Apache-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * logplay.c - replay the log into a mounted instance (format.md §10)
 *
 * Incremental: what exists already is counted and left alone, so running
 * logplay again only creates what the master appended since. The actual
 * creation is behind struct famfs_play_ops (kernel glue in kmod.c, a mock
 * in the unit tests).
 */
#include <errno.h>
#include <string.h>

#include "libfamfs.h"

static void play_error(uint64_t i, const char *rel,
		       const struct famfs_problem *pp, int rc)
{
	char buf[400];

	if (pp->msg[0])
		fprintf(stderr, "famfs logplay: entry %llu (%s): %s\n",
			(unsigned long long)i, rel,
			famfs_problem_str(pp, buf, sizeof(buf)));
	else
		fprintf(stderr, "famfs logplay: entry %llu (%s): %s\n",
			(unsigned long long)i, rel, strerror(-rc));
}

struct play {
	const struct famfs_play_ops *ops;
	unsigned int flags;
	FILE *out;
	struct famfs_play_stats *st;
	struct famfs_problem end_p;
};

static void play_one(void *ctx, uint64_t i, const struct famfs_log_entry *e,
		     enum famfs_verdict v, enum famfs_fsck_class cls,
		     const struct famfs_problem *why)
{
	struct play *pl = ctx;
	bool dry = pl->flags & FAMFS_PLAY_DRYRUN;
	bool client = pl->flags & FAMFS_PLAY_CLIENT;
	FILE *vout = (pl->flags & FAMFS_PLAY_VERBOSE) ? pl->out : NULL;
	struct famfs_play_stats *st = pl->st;
	struct famfs_problem pp = { 0 };
	char buf[400];
	int rc;

	if (v == FAMFS_ENTRY_END) {
		st->bad_index = (int64_t)i;
		pl->end_p = *why;
		return;
	}
	st->entries++;
	if (v == FAMFS_ENTRY_SKIP) {
		/* every host skips it: the same rules, the same log */
		st->rejected++;
		fprintf(stderr, "famfs logplay: entry %llu skipped [%s]: %s\n",
			(unsigned long long)i, famfs_fsck_class_name(cls),
			famfs_problem_str(why, buf, sizeof(buf)));
		return;
	}
	switch (e->type) {
	case FAMFS_LOG_FILE:
		if (vout)
			fprintf(vout, "%s file %s (%llu bytes)\n",
				dry ? "would create" : "file",
				e->file.fm_relpath,
				(unsigned long long)e->file.fm_size);
		if (dry) {
			if (pl->ops->exists &&
			    pl->ops->exists(pl->ops->ctx, e->file.fm_relpath))
				st->files_existed++;
			else
				st->files_created++;
			break;
		}
		rc = pl->ops->mkfile(pl->ops->ctx, e->file.fm_relpath, &e->file,
				     client, &pp);
		if (rc == 0) {
			st->files_created++;
		} else if (rc == -EEXIST) {
			st->files_existed++;
		} else {
			st->errors++;
			play_error(i, e->file.fm_relpath, &pp, rc);
		}
		break;
	case FAMFS_LOG_MKDIR:
		if (vout)
			fprintf(vout, "%s directory %s\n",
				dry ? "would create" : "directory",
				e->mkdir.md_relpath);
		if (dry) {
			if (pl->ops->exists &&
			    pl->ops->exists(pl->ops->ctx, e->mkdir.md_relpath))
				st->dirs_existed++;
			else
				st->dirs_created++;
			break;
		}
		rc = pl->ops->mkdir(pl->ops->ctx, e->mkdir.md_relpath,
				    &e->mkdir, client, &pp);
		if (rc == 0) {
			st->dirs_created++;
		} else if (rc == -EEXIST) {
			st->dirs_existed++;
		} else {
			st->errors++;
			play_error(i, e->mkdir.md_relpath, &pp, rc);
		}
		break;
	default:	/* ADD_DAXDEV (v48 roadmap), DELETE (reserved) */
		st->skipped++;
		if (pl->out)
			fprintf(pl->out,
				"note: entry %llu: %s entry skipped (not supported by this famfs)\n",
				(unsigned long long)i,
				e->type == FAMFS_LOG_ADD_DAXDEV ?
				"ADD_DAXDEV" : "DELETE");
		break;
	}
}

int famfs_logplay(struct famfs_meta *m, const struct famfs_play_ops *ops,
		  unsigned int flags, FILE *out, struct famfs_play_stats *st,
		  struct famfs_problem *p)
{
	struct famfs_play_stats local;
	struct famfs_log_index *ix;
	struct play pl;
	int rc;

	if (!st)
		st = &local;
	memset(st, 0, sizeof(*st));
	st->bad_index = -1;
	pl = (struct play){ .ops = ops, .flags = flags, .out = out, .st = st };
	/* one walk: judge each entry as every host does, and play it */
	rc = famfs_log_index_build(&ix, m, play_one, &pl, p);
	if (rc)
		return rc;
	famfs_log_index_free(ix);
	if (st->bad_index >= 0) {
		if (p)
			*p = pl.end_p;
		return -pl.end_p.err;
	}
	if (st->rejected)
		return famfs_problem_set(p, EUCLEAN, -1, NULL,
			"%llu of %llu entries were skipped: they break the log's rules (famfs fsck names them)",
			(unsigned long long)st->rejected,
			(unsigned long long)st->entries);
	if (st->errors)
		return famfs_problem_set(p, EIO, -1, NULL,
			"%llu of %llu entries could not be played",
			(unsigned long long)st->errors,
			(unsigned long long)st->entries);
	return 0;
}
