// SPDX-License-Identifier: Apache-2.0
/*
 * fsck.c - check a famfs file system's metadata (spec §1.5)
 *
 * Pass 1: superblock. Pass 2: log length and header. Pass 3: every written
 * entry (CRC, seqnum, payload, extents inside the device and off sb/log).
 * Pass 4: who owns each 2 MiB unit, naming both files of every pair that
 * shares memory. Every finding has a class (enum famfs_fsck_class) with a
 * stable name, like e2fsck's problem codes. Nothing is repaired.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "libfamfs.h"

static const char *const class_names[FAMFS_FSCK_NCLASSES] = {
	[FAMFS_FSCK_SB_MAGIC]		= "sb-magic",
	[FAMFS_FSCK_SB_VERSION]		= "sb-version",
	[FAMFS_FSCK_SB_CRC]		= "sb-crc",
	[FAMFS_FSCK_SB_FIELD]		= "sb-field",
	[FAMFS_FSCK_LOG_TRUNCATED]	= "log-truncated",
	[FAMFS_FSCK_LOG_HEADER]		= "log-header",
	[FAMFS_FSCK_ENTRY_CRC]		= "entry-crc",
	[FAMFS_FSCK_ENTRY_SEQNUM]	= "entry-seqnum",
	[FAMFS_FSCK_ENTRY_INVALID]	= "entry-invalid",
	[FAMFS_FSCK_EXTENT_OUTSIDE]	= "extent-outside-device",
	[FAMFS_FSCK_EXTENT_META]	= "extent-over-metadata",
	[FAMFS_FSCK_OVERLAP]		= "shared-memory",
};

const char *famfs_fsck_class_name(enum famfs_fsck_class c)
{
	return (unsigned int)c < FAMFS_FSCK_NCLASSES ? class_names[c] : "?";
}

enum famfs_fsck_class famfs_fsck_sb_class(const struct famfs_problem *p)
{
	if (!strcmp(p->field, "ts_magic"))
		return FAMFS_FSCK_SB_MAGIC;
	if (!strcmp(p->field, "ts_version"))
		return FAMFS_FSCK_SB_VERSION;
	if (!strcmp(p->field, "ts_crc"))
		return FAMFS_FSCK_SB_CRC;
	return FAMFS_FSCK_SB_FIELD;
}

void famfs_fsck_add(struct famfs_fsck_result *r, enum famfs_fsck_class cls,
		    const struct famfs_problem *p)
{
	r->errors++;
	r->count[cls]++;
	if (r->nfindings < FAMFS_FSCK_MAX_FINDINGS) {
		r->findings[r->nfindings].cls = cls;
		r->findings[r->nfindings].p = *p;
		r->nfindings++;
	}
}

/* an ERANGE extent problem: over the metadata, or past the device end? */
static enum famfs_fsck_class range_class(const struct famfs_log_entry *e,
					 const struct famfs_geom *g)
{
	const struct famfs_log_fmap *f = &e->file.fm_fmap;
	const struct famfs_simple_extent *se = f->se;
	unsigned int i, n = f->fmap_nextents;

	if (f->fmap_ext_type == FAMFS_EXT_INTERLEAVE) {
		se = f->ie[0].ie_strips;
		n = (unsigned int)f->ie[0].ie_nstrips;
	}
	for (i = 0; i < n && i < FAMFS_MAX_SIMPLE_EXTENTS; i++)
		if (se[i].se_offset < g->data_start)
			return FAMFS_FSCK_EXTENT_META;
	return FAMFS_FSCK_EXTENT_OUTSIDE;
}

static enum famfs_fsck_class entry_class(int rc, const struct famfs_log_entry *e,
					 const struct famfs_geom *g)
{
	switch (-rc) {
	case EBADMSG:
		return FAMFS_FSCK_ENTRY_CRC;
	case EILSEQ:
		return FAMFS_FSCK_ENTRY_SEQNUM;
	case ERANGE:
		return range_class(e, g);
	default:
		return FAMFS_FSCK_ENTRY_INVALID;
	}
}

static void overlap(const struct famfs_meta *m, struct famfs_fsck_result *r,
		    uint64_t i, uint64_t o, uint64_t first, uint64_t n)
{
	struct famfs_problem p;

	famfs_problem_set(&p, EEXIST, (int64_t)i, NULL,
		"file \"%s\" and file \"%s\" (log entry %llu) share %llu allocation unit(s) from device offset 0x%llx",
		m->log->entries[i].file.fm_relpath,
		m->log->entries[o].file.fm_relpath, (unsigned long long)o,
		(unsigned long long)n,
		(unsigned long long)(first * FAMFS_ALLOC_UNIT));
	famfs_fsck_add(r, FAMFS_FSCK_OVERLAP, &p);
}

/* pass 4: owner[u] = 1 + index of the entry owning unit u (0 = free) */
static int pass_owners(const struct famfs_meta *m, const struct famfs_geom *g,
		       const uint8_t *valid, struct famfs_fsck_result *r)
{
	uint64_t nunits = g->dev_size / FAMFS_ALLOC_UNIT, i;
	uint32_t *owner = calloc(nunits + 1, sizeof(*owner));

	if (!owner)
		return -ENOMEM;
	for (i = 0; i < m->log->next_index; i++) {
		const struct famfs_log_entry *e = &m->log->entries[i];
		const struct famfs_log_fmap *f = &e->file.fm_fmap;
		const struct famfs_simple_extent *se = f->se;
		uint64_t last_other = UINT64_MAX;
		unsigned int k, n = f->fmap_nextents;

		if (!valid[i] || e->type != FAMFS_LOG_FILE)
			continue;
		if (f->fmap_ext_type == FAMFS_EXT_INTERLEAVE) {
			se = f->ie[0].ie_strips;
			n = (unsigned int)f->ie[0].ie_nstrips;
		}
		for (k = 0; k < n; k++) {
			uint64_t u = se[k].se_offset / FAMFS_ALLOC_UNIT;
			uint64_t end = u + se[k].se_len / FAMFS_ALLOC_UNIT;
			uint64_t run = 0, first = 0, o = 0;

			/* runs of units owned by one other file: one finding */
			for (; u <= end; u++) {
				uint64_t cur = u < end && u < nunits &&
					       owner[u] && owner[u] != i + 1 ?
					       owner[u] - 1 : UINT64_MAX;

				if (run && cur != o) {
					r->collisions += run;
					if (o != last_other)
						overlap(m, r, i, o, first, run);
					last_other = o;
					run = 0;
				}
				if (cur != UINT64_MAX) {
					if (!run++) {
						first = u;
						o = cur;
					}
				} else if (u < end && u < nunits) {
					owner[u] = (uint32_t)(i + 1);
				}
			}
		}
	}
	free(owner);
	return 0;
}

int famfs_fsck(const struct famfs_meta *m, struct famfs_fsck_result *r)
{
	const struct famfs_superblock *sb = m->sb;
	const struct famfs_log *log = m->log;
	struct famfs_alloc_stats st;
	struct famfs_problem p;
	struct famfs_geom g;
	uint8_t *valid;
	uint64_t i;
	int rc;

	memset(r, 0, sizeof(*r));
	/* pass 1 */
	if (famfs_sb_check(sb, &p)) {
		famfs_fsck_add(r, famfs_fsck_sb_class(&p), &p);
		return 0;
	}
	r->sb_valid = true;
	famfs_sb_geom(sb, &g);
	r->dev_size = g.dev_size;
	r->nslots = famfs_log_nslots(sb->ts_log_len);

	/* pass 2 */
	if (!log || m->log_len < sb->ts_log_len) {
		famfs_problem_set(&p, EIO, -1, "ts_log_len",
			"the log region holds %llu bytes, the superblock says the log is %llu",
			(unsigned long long)(log ? m->log_len : 0),
			(unsigned long long)sb->ts_log_len);
		famfs_fsck_add(r, FAMFS_FSCK_LOG_TRUNCATED, &p);
		return 0;
	}
	if (famfs_log_check(log, sb->ts_log_len, &p)) {
		famfs_fsck_add(r, FAMFS_FSCK_LOG_HEADER, &p);
		return 0;
	}
	if (log->next_seqnum != log->next_index) {
		famfs_problem_set(&p, EINVAL, -1, "famfs_log_next_seqnum",
			"next sequence number %llu differs from next index %llu",
			(unsigned long long)log->next_seqnum,
			(unsigned long long)log->next_index);
		famfs_fsck_add(r, FAMFS_FSCK_LOG_HEADER, &p);
	}
	r->log_valid = true;

	/* pass 3 */
	r->entries = log->next_index;
	valid = calloc(log->next_index + 1, 1);
	if (!valid)
		return -ENOMEM;
	for (i = 0; i < log->next_index; i++) {
		const struct famfs_log_entry *e = &log->entries[i];

		rc = famfs_entry_check(e, i, &g, &p);
		if (rc) {
			famfs_fsck_add(r, entry_class(rc, e, &g), &p);
			r->bad_entries++;
			continue;
		}
		valid[i] = 1;
	}

	/* pass 4 */
	rc = pass_owners(m, &g, valid, r);
	free(valid);
	if (rc)
		return rc;
	rc = famfs_space_get(m, &r->space, &st);
	if (rc)
		return rc;
	r->files = st.files;
	r->dirs = st.dirs;
	r->other = st.other;
	r->used_bytes = r->space.used_bytes;
	r->file_bytes = st.file_bytes;
	return 0;
}

int famfs_space_get(const struct famfs_meta *m, struct famfs_space *sp,
		    struct famfs_alloc_stats *st)
{
	struct famfs_bitmap bm;
	int rc;

	rc = famfs_bitmap_build(&bm, m->sb, m->log, NULL, NULL, st);
	if (rc)
		return rc;
	famfs_bitmap_space(&bm, sp);
	famfs_bitmap_free(&bm);
	return 0;
}

void famfs_fsck_print(const struct famfs_meta *m,
		      const struct famfs_fsck_result *r, bool verbose,
		      FILE *out)
{
	const struct famfs_superblock *sb = m->sb;
	char u1[37], s1[32], s2[32], s3[32], buf[400];
	size_t i;
	int c;

	if (r->sb_valid) {
		fprintf(out, "superblock: version %llu, OMF %u.%u, CRC ok\n",
			(unsigned long long)sb->ts_version,
			sb->ts_omf_ver_major, sb->ts_omf_ver_minor);
		fprintf(out, "  uuid         %s\n",
			famfs_uuid_str(sb->ts_uuid, u1));
		fprintf(out, "  device uuid  %s\n",
			famfs_uuid_str(sb->ts_dev_uuid, u1));
		fprintf(out, "  master uuid  %s\n",
			famfs_uuid_str(sb->ts_system_uuid, u1));
		fprintf(out, "  device       %.*s, %s\n", FAMFS_DEVNAME_LEN,
			sb->ts_daxdev.dd_daxdev,
			famfs_size_str(r->dev_size, s1, sizeof(s1)));
		fprintf(out, "  log          %s at offset 2 MiB, %llu entries\n",
			famfs_size_str(sb->ts_log_len, s1, sizeof(s1)),
			(unsigned long long)r->nslots);
		fprintf(out, "  this host    %s\n",
			famfs_role(sb, NULL, NULL) == FAMFS_ROLE_MASTER ?
			"master" : "client");
	}
	if (verbose)
		fprintf(out, "  sizes        superblock %zu, log header %zu, entry %zu, fmap %zu bytes\n",
			sizeof(struct famfs_superblock),
			sizeof(struct famfs_log),
			sizeof(struct famfs_log_entry),
			sizeof(struct famfs_log_fmap));
	if (verbose && r->log_valid) {
		uint64_t n;

		for (n = 0; n < m->log->next_index; n++) {
			const struct famfs_log_entry *e = &m->log->entries[n];

			if (famfs_entry_check(e, n, NULL, NULL))
				continue;
			if (e->type == FAMFS_LOG_FILE)
				fprintf(out, "  entry %llu: file %s, %llu bytes\n",
					(unsigned long long)n,
					e->file.fm_relpath,
					(unsigned long long)e->file.fm_size);
			else if (e->type == FAMFS_LOG_MKDIR)
				fprintf(out, "  entry %llu: directory %s\n",
					(unsigned long long)n,
					e->mkdir.md_relpath);
		}
	}
	for (i = 0; i < r->nfindings; i++)
		fprintf(out, "ERROR [%s]: %s\n",
			famfs_fsck_class_name(r->findings[i].cls),
			famfs_problem_str(&r->findings[i].p, buf, sizeof(buf)));
	if (r->errors > r->nfindings)
		fprintf(out, "(%llu more errors not listed)\n",
			(unsigned long long)(r->errors - r->nfindings));
	if (r->log_valid) {
		fprintf(out, "log: %llu of %llu entries used (%llu files, %llu directories",
			(unsigned long long)r->entries,
			(unsigned long long)r->nslots,
			(unsigned long long)r->files,
			(unsigned long long)r->dirs);
		if (r->other)
			fprintf(out, ", %llu other",
				(unsigned long long)r->other);
		fprintf(out, ")\n");
		fprintf(out, "space: %s of %s used (incl. superblock and log), %s free, largest free run %s; %s in files\n",
			famfs_size_str(r->space.used_bytes, s1, sizeof(s1)),
			famfs_size_str(r->space.total_bytes, s2, sizeof(s2)),
			famfs_size_str(r->space.free_bytes, s3, sizeof(s3)),
			famfs_size_str(r->space.largest_free, buf, 32),
			famfs_size_str(r->file_bytes, u1, sizeof(u1)));
	}
	if (!r->errors) {
		fprintf(out, "no errors\n");
		return;
	}
	fprintf(out, "%llu error(s):", (unsigned long long)r->errors);
	for (c = 0; c < FAMFS_FSCK_NCLASSES; c++)
		if (r->count[c])
			fprintf(out, " %s %llu", famfs_fsck_class_name(c),
				(unsigned long long)r->count[c]);
	fprintf(out, "\n");
}

int famfs_bucket_stats_get(const struct famfs_meta *m, uint32_t nbuckets,
			   struct famfs_bucket_stat *out)
{
	struct famfs_bitmap bm;
	int rc;

	rc = famfs_bitmap_build(&bm, m->sb, m->log, NULL, NULL, NULL);
	if (rc)
		return rc;
	rc = famfs_bitmap_buckets(&bm, nbuckets, out);
	famfs_bitmap_free(&bm);
	return rc;
}
