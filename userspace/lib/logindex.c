// SPDX-License-Identifier: Apache-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * logindex.c - one walk of the log, one rule set (format.md §7, §10)
 *
 * Every reader of the log (replay, fsck, df, the allocator) and the writer
 * judge entries here, so they cannot disagree:
 *
 *   CRC or sequence error        END   replay stops; nothing is appended
 *                                      behind it
 *   famfs_entry_validate() fails SKIP  every host skips it and goes on;
 *                                      its extents stay allocated
 *   otherwise                    PLAY  its path is indexed, its extents
 *                                      are allocated
 *
 * The index remembers the paths of played entries in a hash set
 * (hsearch_r(3)) and the memory every FILE entry claims in a bitmap, so
 * the writer checks a new entry against the whole log in O(1) per path
 * and O(units) per extent, without another walk.
 */
#include <errno.h>
#include <search.h>
#include <stdlib.h>
#include <string.h>

#include <linux/famfs_ioctl.h>	/* FAMFS_MAX_EXTENTS: what the kernel maps */

#include "libfamfs.h"

/* one logged path; records live in blocks so hash keys never move */
struct path_rec {
	char path[FAMFS_MAX_PATHLEN];
	uint32_t type;
	uint64_t index;
};

#define RECS_PER_BLOCK 1024

struct famfs_index_paths {
	struct hsearch_data ht;
	size_t cap, n;			/* hash capacity, records used */
	struct path_rec **blocks;
	size_t nblocks;
};

static int paths_init(struct famfs_index_paths **pp, uint64_t nslots)
{
	struct famfs_index_paths *ps = calloc(1, sizeof(*ps));

	if (!ps)
		return -ENOMEM;
	/* at most one path per slot: the table can never fill up */
	ps->cap = (size_t)nslots + 1;
	if (!hcreate_r(ps->cap, &ps->ht)) {
		free(ps);
		return -ENOMEM;
	}
	*pp = ps;
	return 0;
}

static void paths_free(struct famfs_index_paths *ps)
{
	size_t i;

	if (!ps)
		return;
	hdestroy_r(&ps->ht);
	for (i = 0; i < ps->nblocks; i++)
		free(ps->blocks[i]);
	free(ps->blocks);
	free(ps);
}

static struct path_rec *paths_find(const struct famfs_index_paths *ps,
				   const char *rel)
{
	ENTRY q = { .key = (char *)rel }, *r = NULL;

	/* FIND does not modify the table */
	if (!hsearch_r(q, FIND, &r, (struct hsearch_data *)&ps->ht))
		return NULL;
	return r->data;
}

static int paths_add(struct famfs_index_paths *ps, const char *rel,
		     uint32_t type, uint64_t index)
{
	struct path_rec *rec;
	ENTRY q, *r;

	if (ps->n >= ps->cap)
		return -ENOSPC;
	if (ps->n == ps->nblocks * RECS_PER_BLOCK) {
		struct path_rec **b = realloc(ps->blocks, (ps->nblocks + 1) *
					      sizeof(*b));

		if (!b)
			return -ENOMEM;
		ps->blocks = b;
		b[ps->nblocks] = malloc(RECS_PER_BLOCK * sizeof(**b));
		if (!b[ps->nblocks])
			return -ENOMEM;
		ps->nblocks++;
	}
	rec = &ps->blocks[ps->n / RECS_PER_BLOCK][ps->n % RECS_PER_BLOCK];
	snprintf(rec->path, sizeof(rec->path), "%s", rel);
	rec->type = type;
	rec->index = index;
	q.key = rec->path;
	q.data = rec;
	if (!hsearch_r(q, ENTER, &r, &ps->ht))
		return -ENOMEM;
	if (r->data != rec)
		return 0;	/* already there (validated entries never are) */
	ps->n++;
	return 0;
}

static const char *entry_path(const struct famfs_log_entry *e)
{
	return e->type == FAMFS_LOG_FILE ? e->file.fm_relpath
					 : e->mkdir.md_relpath;
}

/* the extents of a FILE entry's map as one array (NULL, 0 if none) */
static const struct famfs_simple_extent *
extents(const struct famfs_log_entry *e, unsigned int *n)
{
	const struct famfs_log_fmap *f = &e->file.fm_fmap;

	if (f->fmap_ext_type == FAMFS_EXT_SIMPLE) {
		*n = f->fmap_nextents < FAMFS_MAX_SIMPLE_EXTENTS ?
		     f->fmap_nextents : FAMFS_MAX_SIMPLE_EXTENTS;
		return f->se;
	}
	if (f->fmap_ext_type == FAMFS_EXT_INTERLEAVE) {
		*n = f->ie[0].ie_nstrips < FAMFS_MAX_NSTRIPS ?
		     (unsigned int)f->ie[0].ie_nstrips : FAMFS_MAX_NSTRIPS;
		return f->ie[0].ie_strips;
	}
	*n = 0;
	return NULL;
}

static void ext_name(const struct famfs_log_entry *e, unsigned int k,
		     char *buf, size_t len)
{
	snprintf(buf, len, e->file.fm_fmap.fmap_ext_type == FAMFS_EXT_SIMPLE ?
		 "se[%u]" : "ie_strips[%u]", k);
}

/* an ERANGE from the payload check: over the metadata, or past the end? */
static enum famfs_fsck_class range_class(const struct famfs_log_entry *e,
					 const struct famfs_geom *g)
{
	const struct famfs_simple_extent *se;
	unsigned int k, n;

	se = extents(e, &n);
	for (k = 0; k < n; k++)
		if (se[k].se_offset < g->data_start)
			return FAMFS_FSCK_EXTENT_META;
	return FAMFS_FSCK_EXTENT_OUTSIDE;
}

/*
 * What the kernel's MAP_CREATE_V2 refuses beyond the log's own rules
 * (module/ioctl.c): too many simple extents, a chunk larger than the
 * device, a strip too short for the chunks round-robin puts in it, and
 * extents of one file sharing memory.
 */
static int kernel_rules(const struct famfs_log_entry *e, int64_t index,
			const struct famfs_geom *g, struct famfs_problem *p)
{
	const struct famfs_log_fmap *f = &e->file.fm_fmap;
	const struct famfs_simple_extent *se;
	unsigned int a, b, n;
	char na[32], nb[32];

	if (f->fmap_ext_type == FAMFS_EXT_SIMPLE &&
	    f->fmap_nextents > FAMFS_MAX_EXTENTS)
		return famfs_problem_set(p, EINVAL, index, "fmap_nextents",
			"%u simple extents: the famfs kernel module maps at most %d",
			f->fmap_nextents, FAMFS_MAX_EXTENTS);
	if (f->fmap_ext_type == FAMFS_EXT_INTERLEAVE) {
		const struct famfs_interleaved_ext *ie = &f->ie[0];
		uint64_t chunks, per, extra, s, need;
		uint64_t nbytes = famfs_fmap_capacity(f);

		if (ie->ie_chunk_size > g->dev_size)
			return famfs_problem_set(p, EINVAL, index,
				"ie_chunk_size",
				"chunk size %llu is larger than the device",
				(unsigned long long)ie->ie_chunk_size);
		/* famfs_check_iext_capacity() of the module, nbytes as
		 * famfs_map_create() passes it: the whole capacity */
		chunks = nbytes / ie->ie_chunk_size +
			 (nbytes % ie->ie_chunk_size ? 1 : 0);
		per = chunks / ie->ie_nstrips;
		extra = chunks % ie->ie_nstrips;
		for (s = 0; s < ie->ie_nstrips; s++) {
			if (__builtin_mul_overflow(per + (s < extra),
						   ie->ie_chunk_size, &need) ||
			    need > ie->ie_strips[s].se_len)
				return famfs_problem_set(p, EINVAL, index,
					"ie_strips",
					"strip %llu of %llu bytes cannot hold its chunks of %llu bytes (the strips differ in length)",
					(unsigned long long)s,
					(unsigned long long)ie->ie_strips[s].se_len,
					(unsigned long long)ie->ie_chunk_size);
		}
	}
	se = extents(e, &n);
	for (a = 0; a < n; a++)
		for (b = a + 1; b < n; b++) {
			/* in range and without overflow: checked before */
			if (se[a].se_offset < se[b].se_offset + se[b].se_len &&
			    se[b].se_offset < se[a].se_offset + se[a].se_len) {
				ext_name(e, a, na, sizeof(na));
				ext_name(e, b, nb, sizeof(nb));
				return famfs_problem_set(p, EINVAL, index, na,
					"extents %s and %s of the file overlap",
					na, nb);
			}
		}
	return 0;
}

/* the parent of @rel is a logged directory (or the mount's root) */
static int parent_check(const struct famfs_log_index *ix, const char *rel,
			const char *field, int64_t index,
			struct famfs_problem *p)
{
	const char *slash = strrchr(rel, '/');
	char parent[FAMFS_MAX_PATHLEN];
	const struct path_rec *r;

	if (!slash)
		return 0;
	snprintf(parent, sizeof(parent), "%.*s", (int)(slash - rel), rel);
	/* .meta is made by mount, not logged; famfs_relpath_check() lets
	 * only .meta/.alloc.cfg through */
	if (!strcmp(parent, FAMFS_META_DIR))
		return 0;
	r = paths_find(ix->paths, parent);
	if (!r)
		return famfs_problem_set(p, ENOENT, index, field,
			"the parent directory \"%s\" of \"%s\" is not in the log",
			parent, rel);
	if (r->type != FAMFS_LOG_MKDIR)
		return famfs_problem_set(p, ENOTDIR, index, field,
			"the parent \"%s\" of \"%s\" is a file (log entry %llu), not a directory",
			parent, rel, (unsigned long long)r->index);
	return 0;
}

/* no unit of @e's memory is claimed by an entry before it */
static int overlap_check(const struct famfs_log_index *ix,
			 const struct famfs_log_entry *e, int64_t index,
			 struct famfs_problem *p)
{
	const struct famfs_simple_extent *se;
	unsigned int k, n;
	char name[32];

	se = extents(e, &n);
	for (k = 0; k < n; k++) {
		uint64_t u = se[k].se_offset / FAMFS_ALLOC_UNIT;
		uint64_t end = u + se[k].se_len / FAMFS_ALLOC_UNIT, used = 0;

		for (; u < end; u++)
			used += famfs_bitmap_test(&ix->bm, u);
		if (used) {
			ext_name(e, k, name, sizeof(name));
			return famfs_problem_set(p, EBUSY, index, name,
				"extent {0x%llx, 0x%llx}: %llu allocation unit(s) already used by another file",
				(unsigned long long)se[k].se_offset,
				(unsigned long long)se[k].se_len,
				(unsigned long long)used);
		}
	}
	return 0;
}

int famfs_entry_validate(const struct famfs_log_index *ix,
			 const struct famfs_log_entry *e, int64_t index,
			 enum famfs_fsck_class *cls, struct famfs_problem *p)
{
	enum famfs_fsck_class dummy;
	const struct path_rec *r;
	const char *field;
	int rc;

	if (!cls)
		cls = &dummy;
	*cls = FAMFS_FSCK_ENTRY_INVALID;
	rc = famfs_entry_payload_check(e, index, &ix->g, p);
	if (rc) {
		if (rc == -ERANGE)
			*cls = range_class(e, &ix->g);
		return rc;
	}
	if (e->type != FAMFS_LOG_FILE && e->type != FAMFS_LOG_MKDIR)
		return 0;	/* DELETE, ADD_DAXDEV: valid, never played */
	field = e->type == FAMFS_LOG_FILE ? "fm_relpath" : "md_relpath";
	if (e->type == FAMFS_LOG_FILE) {
		rc = kernel_rules(e, index, &ix->g, p);
		if (rc)
			return rc;
	}
	r = paths_find(ix->paths, entry_path(e));
	if (r) {
		*cls = FAMFS_FSCK_DUP_PATH;
		return famfs_problem_set(p, EEXIST, index, field,
			"\"%s\" is already in the log (entry %llu, a %s)",
			entry_path(e), (unsigned long long)r->index,
			r->type == FAMFS_LOG_FILE ? "file" : "directory");
	}
	rc = parent_check(ix, entry_path(e), field, index, p);
	if (rc) {
		*cls = FAMFS_FSCK_MISSING_PARENT;
		return rc;
	}
	if (e->type == FAMFS_LOG_FILE) {
		rc = overlap_check(ix, e, index, p);
		if (rc) {
			*cls = FAMFS_FSCK_OVERLAP;
			return rc;
		}
	}
	return 0;
}

/*
 * Mark what a FILE entry claims, clipped to the device: for a skipped
 * entry the map may be nonsense, but whatever part of it lies on the
 * device may hold data the master wrote, so it is never handed out again.
 */
static void mark_claims(struct famfs_log_index *ix,
			const struct famfs_log_entry *e)
{
	const struct famfs_simple_extent *se;
	unsigned int k, n;

	se = extents(e, &n);
	for (k = 0; k < n; k++) {
		uint64_t off = se[k].se_offset, len = se[k].se_len, end;
		int64_t c;

		if (off >= ix->g.dev_size || !len)
			continue;
		if (__builtin_add_overflow(off, len, &end) ||
		    end > ix->g.dev_size)
			len = ix->g.dev_size - off;
		c = famfs_bitmap_mark(&ix->bm, off - off % FAMFS_ALLOC_UNIT,
				      len + off % FAMFS_ALLOC_UNIT);
		if (c > 0)
			ix->st.collisions += (uint64_t)c;
	}
}

int famfs_log_index_commit(struct famfs_log_index *ix,
			   const struct famfs_log_entry *e, uint64_t index,
			   enum famfs_verdict v)
{
	uint64_t sum;
	int rc;

	if (v == FAMFS_ENTRY_END)
		return 0;
	if (v == FAMFS_ENTRY_SKIP) {
		ix->st.bad_entries++;
		if (e->type == FAMFS_LOG_FILE)
			mark_claims(ix, e);
		return 0;
	}
	switch (e->type) {
	case FAMFS_LOG_FILE:
		ix->st.files++;
		ix->st.file_bytes = __builtin_add_overflow(ix->st.file_bytes,
							   e->file.fm_size,
							   &sum) ?
				    UINT64_MAX : sum;
		mark_claims(ix, e);
		break;
	case FAMFS_LOG_MKDIR:
		ix->st.dirs++;
		break;
	default:
		ix->st.other++;
		return 0;
	}
	rc = paths_add(ix->paths, entry_path(e), e->type, index);
	return rc == -ENOSPC ? 0 : rc;	/* more paths than slots: cannot be */
}

/* judge slot @i: its verdict, and why in @cls/@p */
static enum famfs_verdict judge(const struct famfs_log_index *ix,
				const struct famfs_meta *m, uint64_t i,
				enum famfs_fsck_class *cls,
				struct famfs_problem *p)
{
	const struct famfs_log_entry *e = &m->log->entries[i];
	uint64_t crc;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		famfs_meta_invalidate(m, e, sizeof(*e));
		crc = famfs_entry_crc(e);
		if (e->crc == crc && e->seqnum == i)
			break;
		/* a torn read of a concurrent append: read it once more */
		if (pass == 0 && (m->flush == FAMFS_FLUSH_CPU ||
				  m->invalidate_hook))
			continue;
		famfs_entry_check(e, i, NULL, p);	/* names the field */
		*cls = e->crc != crc ? FAMFS_FSCK_ENTRY_CRC
				     : FAMFS_FSCK_ENTRY_SEQNUM;
		return FAMFS_ENTRY_END;
	}
	if (famfs_entry_validate(ix, e, (int64_t)i, cls, p))
		return FAMFS_ENTRY_SKIP;
	return FAMFS_ENTRY_PLAY;
}

static int walk(struct famfs_log_index *ix, const struct famfs_meta *m,
		famfs_walk_fn fn, void *ctx)
{
	uint64_t n, nslots = famfs_log_nslots(m->log_len);
	int rc;

	famfs_meta_invalidate(m, m->log, sizeof(*m->log));
	n = m->log->next_index < nslots ? m->log->next_index : nslots;
	if (n < ix->next)
		return -ESTALE;
	for (; ix->end < 0 && ix->next < n; ix->next++) {
		const struct famfs_log_entry *e = &m->log->entries[ix->next];
		enum famfs_fsck_class cls = FAMFS_FSCK_ENTRY_INVALID;
		struct famfs_problem p = { 0 };
		enum famfs_verdict v;

		v = judge(ix, m, ix->next, &cls, &p);
		if (fn)
			fn(ctx, ix->next, e, v, cls,
			   v == FAMFS_ENTRY_PLAY ? NULL : &p);
		if (v == FAMFS_ENTRY_END) {
			ix->end = (int64_t)ix->next;
			ix->end_p = p;
			ix->st.bad_entries++;
			break;
		}
		rc = famfs_log_index_commit(ix, e, ix->next, v);
		if (rc)
			return rc;
	}
	return 0;
}

static void used_units(struct famfs_log_index *ix)
{
	struct famfs_space sp;

	famfs_bitmap_space(&ix->bm, &sp);
	ix->st.used_units = sp.used_bytes / FAMFS_ALLOC_UNIT;
}

int famfs_log_index_build(struct famfs_log_index **ixp,
			  const struct famfs_meta *m, famfs_walk_fn fn,
			  void *ctx, struct famfs_problem *p)
{
	struct famfs_log_index *ix = calloc(1, sizeof(*ix));
	int rc;

	*ixp = NULL;
	if (!ix)
		return famfs_problem_set(p, ENOMEM, -1, NULL, "out of memory");
	ix->end = -1;
	famfs_meta_invalidate(m, m->sb, sizeof(*m->sb));
	famfs_sb_geom(m->sb, &ix->g);
	if (m->dev_size && m->dev_size < ix->g.dev_size)
		ix->g.dev_size = m->dev_size;
	rc = famfs_bitmap_init(&ix->bm, ix->g.dev_size);
	if (!rc)
		rc = paths_init(&ix->paths, famfs_log_nslots(m->log_len));
	if (!rc) {
		/* superblock and log: never data */
		famfs_bitmap_mark(&ix->bm, 0, ix->g.data_start < ix->g.dev_size ?
				  ix->g.data_start : ix->g.dev_size);
		ix->bm.reserved_units = (ix->g.data_start + FAMFS_ALLOC_UNIT -
					 1) / FAMFS_ALLOC_UNIT;
		ix->bm.cursor = ix->bm.reserved_units;
		rc = walk(ix, m, fn, ctx);
	}
	if (rc) {
		famfs_log_index_free(ix);
		return famfs_problem_set(p, -rc, -1, NULL,
			"cannot index the log: %s", strerror(-rc));
	}
	used_units(ix);
	*ixp = ix;
	return 0;
}

int famfs_log_index_update(struct famfs_log_index *ix,
			   const struct famfs_meta *m, famfs_walk_fn fn,
			   void *ctx)
{
	int rc = walk(ix, m, fn, ctx);

	used_units(ix);
	return rc;
}

void famfs_log_index_free(struct famfs_log_index *ix)
{
	if (!ix)
		return;
	famfs_bitmap_free(&ix->bm);
	paths_free(ix->paths);
	free(ix);
}

int famfs_meta_index(struct famfs_meta *m, struct famfs_log_index **ixp,
		     struct famfs_problem *p)
{
	int rc;

	if (m->ix) {
		rc = famfs_log_index_update(m->ix, m, NULL, NULL);
		if (rc == 0) {
			*ixp = m->ix;
			return 0;
		}
		famfs_log_index_free(m->ix);	/* -ESTALE: made anew */
		m->ix = NULL;
		if (rc != -ESTALE)
			return famfs_problem_set(p, -rc, -1, NULL,
				"cannot index the log: %s", strerror(-rc));
	}
	rc = famfs_log_index_build(&m->ix, m, NULL, NULL, p);
	*ixp = m->ix;
	return rc;
}

int famfs_log_index_lookup(const struct famfs_log_index *ix, const char *rel,
			   uint32_t *type, uint64_t *index)
{
	const struct path_rec *r = paths_find(ix->paths, rel);

	if (!r)
		return -ENOENT;
	if (type)
		*type = r->type;
	if (index)
		*index = r->index;
	return 0;
}

/* ------------------------------------------------- the allocation bitmap */

struct build_ctx {
	famfs_alloc_report_fn fn;
	void *ctx;
};

static void build_report(void *ctx, uint64_t index,
			 const struct famfs_log_entry *e, enum famfs_verdict v,
			 enum famfs_fsck_class cls, const struct famfs_problem *p)
{
	struct build_ctx *b = ctx;

	(void)index;
	(void)e;
	(void)cls;
	if (v != FAMFS_ENTRY_PLAY && b->fn)
		b->fn(b->ctx, p);
}

int famfs_bitmap_build(struct famfs_bitmap *bm,
		       const struct famfs_superblock *sb,
		       const struct famfs_log *log,
		       famfs_alloc_report_fn fn, void *ctx,
		       struct famfs_alloc_stats *st)
{
	struct build_ctx b = { fn, ctx };
	struct famfs_log_index *ix;
	struct famfs_meta m;
	int rc;

	/* a view of what the caller has: no hook, no cache to drop */
	memset(&m, 0, sizeof(m));
	m.sb = (struct famfs_superblock *)sb;
	m.log = (struct famfs_log *)log;
	m.log_len = sb->ts_log_len;
	m.flush = FAMFS_FLUSH_NONE;
	rc = famfs_log_index_build(&ix, &m, build_report, &b, NULL);
	if (rc)
		return rc;
	if (st)
		*st = ix->st;
	*bm = ix->bm;			/* hand the bitmap over */
	memset(&ix->bm, 0, sizeof(ix->bm));
	famfs_log_index_free(ix);
	return 0;
}
