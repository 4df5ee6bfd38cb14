// SPDX-License-Identifier: Apache-2.0
/*
 * fsck.c - check a famfs file system's metadata (spec §1.5)
 *
 * Pass 1: superblock. Pass 2: log header. Pass 3: every written entry
 * (CRC, seqnum, payload, extents inside the device and off sb/log).
 * Pass 4: the allocation bitmap rebuilt from the log, reporting every
 * allocation unit claimed twice. Nothing is repaired.
 */
#include <errno.h>
#include <string.h>

#include "libfamfs.h"

struct fsck_ctx {
	FILE *out;
	struct famfs_fsck_result *r;
};

static void problem_out(FILE *out, const char *what,
			const struct famfs_problem *p)
{
	char buf[400];

	fprintf(out, "ERROR: %s: %s\n", what,
		famfs_problem_str(p, buf, sizeof(buf)));
}

static void on_alloc(void *ctx, const struct famfs_problem *p)
{
	struct fsck_ctx *c = ctx;

	/* bad entries and out-of-range extents were reported in pass 3 */
	if (p->err != EEXIST)
		return;
	problem_out(c->out, "overlapping allocation", p);
	c->r->errors++;
}

int famfs_fsck(const struct famfs_meta *m, bool verbose, FILE *out,
	       struct famfs_fsck_result *r)
{
	const struct famfs_superblock *sb = m->sb;
	const struct famfs_log *log = m->log;
	struct famfs_alloc_stats st;
	struct famfs_bitmap bm;
	struct famfs_problem p;
	struct fsck_ctx c = { out, r };
	struct famfs_geom g;
	char u1[37], s1[32], s2[32];
	uint64_t i;
	int rc;

	memset(r, 0, sizeof(*r));
	if (famfs_sb_check(sb, &p)) {
		problem_out(out, "superblock", &p);
		r->errors++;
		return 0;
	}
	famfs_sb_geom(sb, &g);
	r->dev_size = g.dev_size;
	r->nslots = famfs_log_nslots(sb->ts_log_len);
	fprintf(out, "superblock: version %llu, format %u.%u, CRC ok\n",
		(unsigned long long)sb->ts_version, sb->ts_omf_ver_major,
		sb->ts_omf_ver_minor);
	fprintf(out, "  uuid         %s\n", famfs_uuid_str(sb->ts_uuid, u1));
	fprintf(out, "  device uuid  %s\n", famfs_uuid_str(sb->ts_dev_uuid, u1));
	fprintf(out, "  master uuid  %s\n",
		famfs_uuid_str(sb->ts_system_uuid, u1));
	fprintf(out, "  device       %.*s, %s\n", FAMFS_DEVNAME_LEN,
		sb->ts_daxdev.dd_daxdev,
		famfs_size_str(g.dev_size, s1, sizeof(s1)));
	fprintf(out, "  log          %s at offset 2 MiB, %llu entries\n",
		famfs_size_str(sb->ts_log_len, s1, sizeof(s1)),
		(unsigned long long)r->nslots);
	fprintf(out, "  this host    %s\n",
		famfs_role(sb, NULL, NULL) == FAMFS_ROLE_MASTER ? "master"
								 : "client");
	if (verbose)
		fprintf(out, "  sizes        superblock %zu, log header %zu, entry %zu, fmap %zu bytes\n",
			sizeof(struct famfs_superblock),
			sizeof(struct famfs_log),
			sizeof(struct famfs_log_entry),
			sizeof(struct famfs_log_fmap));

	if (m->log_len != sb->ts_log_len) {
		fprintf(out, "ERROR: log: the log is %llu bytes, the superblock says %llu\n",
			(unsigned long long)m->log_len,
			(unsigned long long)sb->ts_log_len);
		r->errors++;
		return 0;
	}
	if (famfs_log_check(log, sb->ts_log_len, &p)) {
		problem_out(out, "log header", &p);
		r->errors++;
		return 0;
	}
	if (log->next_seqnum != log->next_index) {
		fprintf(out, "ERROR: log header: famfs_log_next_seqnum %llu differs from famfs_log_next_index %llu\n",
			(unsigned long long)log->next_seqnum,
			(unsigned long long)log->next_index);
		r->errors++;
	}

	r->entries = log->next_index;
	for (i = 0; i < log->next_index; i++) {
		const struct famfs_log_entry *e = &log->entries[i];

		rc = famfs_entry_check(e, i, &g, &p);
		if (rc) {
			problem_out(out, "log", &p);
			r->bad_entries++;
			r->errors++;
			continue;
		}
		if (verbose && e->type == FAMFS_LOG_FILE)
			fprintf(out, "  entry %llu: file %s, %llu bytes\n",
				(unsigned long long)i, e->file.fm_relpath,
				(unsigned long long)e->file.fm_size);
		else if (verbose && e->type == FAMFS_LOG_MKDIR)
			fprintf(out, "  entry %llu: directory %s\n",
				(unsigned long long)i, e->mkdir.md_relpath);
	}

	rc = famfs_bitmap_build(&bm, sb, log, on_alloc, &c, &st);
	if (rc)
		return rc;
	r->files = st.files;
	r->dirs = st.dirs;
	r->other = st.other;
	r->collisions = st.collisions;
	r->used_bytes = st.used_units * FAMFS_ALLOC_UNIT;
	r->file_bytes = st.file_bytes;
	famfs_bitmap_free(&bm);

	fprintf(out, "log: %llu of %llu entries used (%llu files, %llu directories",
		(unsigned long long)r->entries, (unsigned long long)r->nslots,
		(unsigned long long)r->files, (unsigned long long)r->dirs);
	if (r->other)
		fprintf(out, ", %llu other", (unsigned long long)r->other);
	fprintf(out, ")\n");
	fprintf(out, "space: %s of %s allocated (incl. superblock and log), %s in files\n",
		famfs_size_str(r->used_bytes, s1, sizeof(s1)),
		famfs_size_str(g.dev_size, s2, sizeof(s2)),
		famfs_size_str(r->file_bytes, u1, sizeof(u1)));
	if (r->errors)
		fprintf(out, "%llu error(s): %llu bad entries, %llu allocation units claimed twice\n",
			(unsigned long long)r->errors,
			(unsigned long long)r->bad_entries,
			(unsigned long long)r->collisions);
	else
		fprintf(out, "no errors\n");
	return 0;
}
