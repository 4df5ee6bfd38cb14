// SPDX-License-Identifier: Apache-2.0
/*
 * logplay.c - replay the log into a mounted instance (spec §2.6)
 *
 * Incremental: what exists already is counted and left alone, so running
 * logplay again only creates what the master appended since. The actual
 * creation is behind struct famfs_play_ops (kernel glue in kmod.c, a mock
 * in the unit tests).
 */
#include <errno.h>
#include <string.h>

#include "libfamfs.h"

static void entry_fresh(const struct famfs_meta *m, const void *addr,
			size_t len)
{
	/* another host appended: drop lines we may hold stale */
	if (m->flush == FAMFS_FLUSH_CPU)
		famfs_cpu_invalidate(addr, len);
}

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

int famfs_logplay(struct famfs_meta *m, const struct famfs_play_ops *ops,
		  unsigned int flags, FILE *out, struct famfs_play_stats *st,
		  struct famfs_problem *p)
{
	bool dry = flags & FAMFS_PLAY_DRYRUN;
	bool client = flags & FAMFS_PLAY_CLIENT;
	FILE *vout = (flags & FAMFS_PLAY_VERBOSE) ? out : NULL;
	struct famfs_play_stats local;
	struct famfs_geom g;
	uint64_t i, n;
	int rc;

	if (!st)
		st = &local;
	memset(st, 0, sizeof(*st));
	st->bad_index = -1;
	famfs_sb_geom(m->sb, &g);
	entry_fresh(m, m->log, sizeof(*m->log));
	n = m->log->next_index;

	for (i = 0; i < n; i++) {
		const struct famfs_log_entry *e = &m->log->entries[i];
		struct famfs_problem pp = { 0 };

		entry_fresh(m, e, sizeof(*e));
		rc = famfs_entry_check(e, i, &g, &pp);
		if (rc && m->flush == FAMFS_FLUSH_CPU) {
			/* maybe a torn read of a concurrent append: retry */
			entry_fresh(m, e, sizeof(*e));
			rc = famfs_entry_check(e, i, &g, &pp);
		}
		if (rc) {
			st->bad_index = (int64_t)i;
			if (p)
				*p = pp;
			return rc;
		}
		st->entries++;

		switch (e->type) {
		case FAMFS_LOG_FILE:
			if (vout)
				fprintf(vout, "%s file %s (%llu bytes)\n",
					dry ? "would create" : "file",
					e->file.fm_relpath,
					(unsigned long long)e->file.fm_size);
			if (dry) {
				st->files_created++;
				break;
			}
			memset(&pp, 0, sizeof(pp));
			rc = ops->mkfile(ops->ctx, e->file.fm_relpath, &e->file,
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
				st->dirs_created++;
				break;
			}
			memset(&pp, 0, sizeof(pp));
			rc = ops->mkdir(ops->ctx, e->mkdir.md_relpath,
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
			if (out)
				fprintf(out,
					"note: entry %llu: %s entry skipped (not supported by this famfs)\n",
					(unsigned long long)i,
					e->type == FAMFS_LOG_ADD_DAXDEV ?
					"ADD_DAXDEV" : "DELETE");
			break;
		}
	}
	if (st->errors)
		return famfs_problem_set(p, EIO, -1, NULL,
			"%llu of %llu entries could not be played",
			(unsigned long long)st->errors,
			(unsigned long long)st->entries);
	return 0;
}
