// SPDX-License-Identifier: Apache-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * fsck.c - check a famfs file system's metadata (admin.md §8)
 *
 * Pass 1: superblock, and its device size against the real device. Pass 2:
 * log length and header. Pass 3: every written entry, judged by the same
 * walk replay uses (logindex.c): the entry replay ends at, every entry it
 * skips and why, the entries unreachable behind the end. Pass 4: who owns
 * each 2 MiB unit, naming both files of every pair that shares memory.
 * Pass 5: slots past the index that hold data (informational). Pass 6, on
 * a mounted file system: local objects the log does not hold. Every
 * finding has a class (enum famfs_fsck_class) with a stable name, like
 * e2fsck's problem codes. Nothing is repaired.
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
	[FAMFS_FSCK_DUP_PATH]		= "duplicate-path",
	[FAMFS_FSCK_MISSING_PARENT]	= "missing-parent",
	[FAMFS_FSCK_UNREACHABLE]	= "entry-unreachable",
	[FAMFS_FSCK_DEV_SIZE]		= "device-size-mismatch",
	[FAMFS_FSCK_STALE_SLOT]		= "stale-slot",
	[FAMFS_FSCK_UNLOGGED]		= "unlogged",
};

const char *famfs_fsck_class_name(enum famfs_fsck_class c)
{
	return (unsigned int)c < FAMFS_FSCK_NCLASSES ? class_names[c] : "?";
}

bool famfs_fsck_class_informational(enum famfs_fsck_class c)
{
	return c == FAMFS_FSCK_STALE_SLOT;
}

enum famfs_fsck_class famfs_fsck_sb_class(const struct famfs_problem *p)
{
	if (!strcmp(p->field, "ts_magic"))
		return FAMFS_FSCK_SB_MAGIC;
	if (!strcmp(p->field, "ts_version"))
		return FAMFS_FSCK_SB_VERSION;
	if (!strcmp(p->field, "ts_crc"))
		return FAMFS_FSCK_SB_CRC;
	if (!strcmp(p->field, "dd_size"))
		return FAMFS_FSCK_DEV_SIZE;
	return FAMFS_FSCK_SB_FIELD;
}

void famfs_fsck_add(struct famfs_fsck_result *r, enum famfs_fsck_class cls,
		    const struct famfs_problem *p)
{
	if (famfs_fsck_class_informational(cls))
		r->notes++;
	else
		r->errors++;
	r->count[cls]++;
	if (r->nfindings < FAMFS_FSCK_MAX_FINDINGS) {
		r->findings[r->nfindings].cls = cls;
		r->findings[r->nfindings].p = *p;
		r->nfindings++;
	}
}

static void overlap(const struct famfs_meta *m, struct famfs_fsck_result *r,
		    uint64_t i, uint64_t o, uint64_t first, uint64_t n)
{
	struct famfs_problem p;

	famfs_problem_set(&p, EBUSY, (int64_t)i, NULL,
		"file \"%s\" and file \"%s\" (log entry %llu) share %llu allocation unit(s) from device offset 0x%llx",
		m->log->entries[i].file.fm_relpath,
		m->log->entries[o].file.fm_relpath, (unsigned long long)o,
		(unsigned long long)n,
		(unsigned long long)(first * FAMFS_ALLOC_UNIT));
	famfs_fsck_add(r, FAMFS_FSCK_OVERLAP, &p);
}

/*
 * pass 4: owner[u] = 1 + index of the entry owning unit u (0 = free), for
 * the FILE entries whose memory counts (@claims: played or skipped)
 */
static int pass_owners(const struct famfs_meta *m, const struct famfs_geom *g,
		       const uint8_t *claims, uint64_t n,
		       struct famfs_fsck_result *r)
{
	uint64_t nunits = g->dev_size / FAMFS_ALLOC_UNIT, i;
	uint32_t *owner = calloc(nunits + 1, sizeof(*owner));

	if (!owner)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		const struct famfs_log_entry *e = &m->log->entries[i];
		const struct famfs_log_fmap *f = &e->file.fm_fmap;
		const struct famfs_simple_extent *se = f->se;
		uint64_t last_other = UINT64_MAX;
		unsigned int k, ne = f->fmap_nextents;

		if (!claims[i])
			continue;
		if (f->fmap_ext_type == FAMFS_EXT_INTERLEAVE) {
			se = f->ie[0].ie_strips;
			ne = (unsigned int)f->ie[0].ie_nstrips;
		}
		if (ne > FAMFS_MAX_SIMPLE_EXTENTS)
			ne = FAMFS_MAX_SIMPLE_EXTENTS;
		for (k = 0; k < ne; k++) {
			uint64_t u = se[k].se_offset / FAMFS_ALLOC_UNIT;
			uint64_t end = u + se[k].se_len / FAMFS_ALLOC_UNIT +
				       !!(se[k].se_len % FAMFS_ALLOC_UNIT);
			uint64_t run = 0, first = 0, o = 0;

			if (end > nunits)	/* clipped to the device */
				end = nunits;
			/* runs of units owned by one other file: one finding */
			for (; u <= end; u++) {
				uint64_t cur = u < end && owner[u] &&
					       owner[u] != i + 1 ?
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
				} else if (u < end) {
					owner[u] = (uint32_t)(i + 1);
				}
			}
		}
	}
	free(owner);
	return 0;
}

struct fsck_walk {
	struct famfs_fsck_result *r;
	uint8_t *claims;	/* FILE entries whose memory counts */
};

static void fsck_entry(void *ctx, uint64_t i, const struct famfs_log_entry *e,
		       enum famfs_verdict v, enum famfs_fsck_class cls,
		       const struct famfs_problem *p)
{
	struct fsck_walk *w = ctx;

	if (v != FAMFS_ENTRY_END && e->type == FAMFS_LOG_FILE)
		w->claims[i] = 1;
	if (v == FAMFS_ENTRY_PLAY)
		return;
	w->r->bad_entries++;
	if (v == FAMFS_ENTRY_SKIP)
		w->r->skipped++;
	/* memory shared with an earlier file: pass 4 names both */
	if (cls != FAMFS_FSCK_OVERLAP)
		famfs_fsck_add(w->r, cls, p);
}

/* entries past the one replay ends at: one finding for all of them */
static void unreachable(const struct famfs_meta *m, int64_t end, uint64_t n,
			struct famfs_fsck_result *r)
{
	uint64_t i, valid = 0, first = (uint64_t)end + 1;
	struct famfs_problem p;

	if (end < 0 || first >= n)
		return;
	for (i = first; i < n; i++) {
		const struct famfs_log_entry *e = &m->log->entries[i];

		famfs_meta_invalidate(m, e, sizeof(*e));
		valid += famfs_entry_check(e, i, NULL, NULL) == 0;
	}
	r->unreachable = n - first;
	famfs_problem_set(&p, ENOLINK, (int64_t)first, NULL,
		"%llu entr%s (%llu..%llu, %llu with a valid CRC) behind invalid entry %lld: no host replays them",
		(unsigned long long)(n - first), n - first == 1 ? "y" : "ies",
		(unsigned long long)first, (unsigned long long)(n - 1),
		(unsigned long long)valid, (long long)end);
	famfs_fsck_add(r, FAMFS_FSCK_UNREACHABLE, &p);
}

static bool slot_blank(const struct famfs_log_entry *e)
{
	static const struct famfs_log_entry zero;

	return !memcmp(e, &zero, sizeof(zero));
}

/*
 * pass 5: slots at and past next_index that are not blank: an append cut
 * short before it published its entry, or leftovers of an older file
 * system. Replay never reads them; one note per run of such slots.
 */
static void stale_slots(const struct famfs_meta *m, uint64_t n,
			uint64_t nslots, struct famfs_fsck_result *r)
{
	uint64_t i, first = 0, run = 0, whole = 0;
	struct famfs_problem p;

	for (i = n; i <= nslots; i++) {
		const struct famfs_log_entry *e = &m->log->entries[i];
		bool blank = true;

		if (i < nslots) {
			famfs_meta_invalidate(m, e, sizeof(*e));
			blank = slot_blank(e);
		}
		if (!blank) {
			if (!run++)
				first = i;
			/* a whole entry that was never published */
			whole += famfs_entry_check(e, i, NULL, NULL) == 0;
			continue;
		}
		if (!run)
			continue;
		r->stale_slots += run;
		famfs_problem_set(&p, 0, (int64_t)first, NULL,
			"%llu slot(s) %llu..%llu past the log's next index %llu hold data (%llu of them complete entries); replay never reads them",
			(unsigned long long)run, (unsigned long long)first,
			(unsigned long long)(first + run - 1),
			(unsigned long long)n, (unsigned long long)whole);
		famfs_fsck_add(r, FAMFS_FSCK_STALE_SLOT, &p);
		run = whole = 0;
	}
}

int famfs_fsck(const struct famfs_meta *m, struct famfs_fsck_result *r)
{
	const struct famfs_superblock *sb = m->sb;
	const struct famfs_log *log = m->log;
	struct famfs_log_index *ix;
	struct fsck_walk w;
	struct famfs_problem p;
	uint64_t n;
	int rc;

	memset(r, 0, sizeof(*r));
	/* pass 1 */
	famfs_meta_invalidate(m, sb, sizeof(*sb));
	if (famfs_sb_check(sb, &p)) {
		famfs_fsck_add(r, famfs_fsck_sb_class(&p), &p);
		return 0;
	}
	r->sb_valid = true;
	r->dev_size = sb->ts_daxdev.dd_size;
	r->real_dev_size = m->dev_size;
	r->nslots = famfs_log_nslots(sb->ts_log_len);
	if (famfs_sb_dev_check(sb, m->dev_size, &p))
		famfs_fsck_add(r, FAMFS_FSCK_DEV_SIZE, &p);

	/* pass 2 */
	if (!log || m->log_len < sb->ts_log_len) {
		famfs_problem_set(&p, EIO, -1, "ts_log_len",
			"the log region holds %llu bytes, the superblock says the log is %llu",
			(unsigned long long)(log ? m->log_len : 0),
			(unsigned long long)sb->ts_log_len);
		famfs_fsck_add(r, FAMFS_FSCK_LOG_TRUNCATED, &p);
		return 0;
	}
	famfs_meta_invalidate(m, log, sizeof(*log));
	if (famfs_log_check(log, sb->ts_log_len, &p)) {
		famfs_fsck_add(r, FAMFS_FSCK_LOG_HEADER, &p);
		return 0;
	}
	if (log->next_seqnum == log->next_index + 1) {
		/* famfs_log_append() stores next_seqnum, then next_index:
		 * cut off between the two, its entry was never published,
		 * and the next append writes both again */
		famfs_problem_set(&p, 0, -1, "famfs_log_next_seqnum",
			"next sequence number %llu is one ahead of next index %llu: an append was cut short before it published its entry (harmless)",
			(unsigned long long)log->next_seqnum,
			(unsigned long long)log->next_index);
		famfs_fsck_add(r, FAMFS_FSCK_STALE_SLOT, &p);
	} else if (log->next_seqnum != log->next_index) {
		famfs_problem_set(&p, EINVAL, -1, "famfs_log_next_seqnum",
			"next sequence number %llu differs from next index %llu",
			(unsigned long long)log->next_seqnum,
			(unsigned long long)log->next_index);
		famfs_fsck_add(r, FAMFS_FSCK_LOG_HEADER, &p);
	}
	r->log_valid = true;

	/* pass 3 */
	n = log->next_index;
	r->entries = n;
	w.r = r;
	w.claims = calloc(n + 1, 1);
	if (!w.claims)
		return -ENOMEM;
	rc = famfs_log_index_build(&ix, m, fsck_entry, &w, NULL);
	if (rc) {
		free(w.claims);
		return rc;
	}
	unreachable(m, ix->end, n, r);
	r->bad_entries += r->unreachable;

	/* pass 4 */
	rc = pass_owners(m, &ix->g, w.claims, n, r);
	free(w.claims);
	if (!rc) {
		famfs_bitmap_space(&ix->bm, &r->space);
		r->files = ix->st.files;
		r->dirs = ix->st.dirs;
		r->other = ix->st.other;
		r->used_bytes = r->space.used_bytes;
		r->file_bytes = ix->st.file_bytes;
		/* pass 5 */
		stale_slots(m, n, famfs_log_nslots(sb->ts_log_len), r);
		/* pass 6 */
		if (m->mnt[0])
			rc = famfs_fsck_local(m->mnt, ix, r);
	}
	famfs_log_index_free(ix);
	return rc;
}

struct local_ctx {
	struct famfs_fsck_result *r;
};

static void local_found(void *ctx, const char *rel, const char *what)
{
	struct local_ctx *c = ctx;
	struct famfs_problem p;

	famfs_problem_set(&p, ENOENT, -1, NULL,
		"%s \"%s\" is not in the log (made outside the famfs tools): no other host sees it, and it is gone after a remount",
		what, rel);
	famfs_fsck_add(c->r, FAMFS_FSCK_UNLOGGED, &p);
}

int famfs_fsck_local(const char *mnt, const struct famfs_log_index *ix,
		     struct famfs_fsck_result *r)
{
	struct local_ctx c = { r };
	int rc;

	rc = famfs_unlogged_walk(mnt, ix, local_found, &c);
	if (rc > 0)
		r->unlogged = (uint64_t)rc;
	return rc < 0 ? rc : 0;
}

int famfs_space_get(const struct famfs_meta *m, struct famfs_space *sp,
		    struct famfs_alloc_stats *st)
{
	struct famfs_log_index *ix;
	int rc;

	rc = famfs_log_index_build(&ix, m, NULL, NULL, NULL);
	if (rc)
		return rc;
	famfs_bitmap_space(&ix->bm, sp);
	if (st)
		*st = ix->st;
	famfs_log_index_free(ix);
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
	if (r->real_dev_size && r->real_dev_size != r->dev_size)
		fprintf(out, "  real device  %s\n",
			famfs_size_str(r->real_dev_size, s1, sizeof(s1)));
	for (i = 0; i < r->nfindings; i++)
		fprintf(out, "%s [%s]: %s\n",
			famfs_fsck_class_informational(r->findings[i].cls) ?
			"NOTE" : "ERROR",
			famfs_fsck_class_name(r->findings[i].cls),
			famfs_problem_str(&r->findings[i].p, buf, sizeof(buf)));
	if (r->errors + r->notes > r->nfindings)
		fprintf(out, "(%llu more findings not listed)\n",
			(unsigned long long)(r->errors + r->notes -
					     r->nfindings));
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
	if (r->notes)
		fprintf(out, "%llu note(s), not errors\n",
			(unsigned long long)r->notes);
	if (!r->errors) {
		fprintf(out, "no errors\n");
		return;
	}
	fprintf(out, "%llu error(s):", (unsigned long long)r->errors);
	for (c = 0; c < FAMFS_FSCK_NCLASSES; c++)
		if (r->count[c] && !famfs_fsck_class_informational(c))
			fprintf(out, " %s %llu", famfs_fsck_class_name(c),
				(unsigned long long)r->count[c]);
	fprintf(out, "\n");
}

int famfs_bucket_stats_get(const struct famfs_meta *m, uint32_t nbuckets,
			   struct famfs_bucket_stat *out)
{
	struct famfs_log_index *ix;
	int rc;

	rc = famfs_log_index_build(&ix, m, NULL, NULL, NULL);
	if (rc)
		return rc;
	rc = famfs_bitmap_buckets(&ix->bm, nbuckets, out);
	famfs_log_index_free(ix);
	return rc;
}
