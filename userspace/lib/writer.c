// SPDX-License-Identifier: Apache-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * writer.c - the master's side: allocate, log, instantiate (format.md §7, §9)
 *
 * The caller holds the log lock (famfs_meta_open_mount with
 * FAMFS_META_LOCK) for the whole session; this file allocates from a
 * bitmap copied once per session from the log's index, appends the entry
 * through famfs_log_append() (which validates it: the publish protocol is
 * described there), and then creates the file locally through the same
 * play_ops logplay uses.
 */
#include <errno.h>
#include <string.h>

#include "libfamfs.h"

int famfs_writer_check_master(const struct famfs_superblock *sb,
			      const char *uuid_path, struct famfs_problem *p)
{
	char mine[37], master[37];
	famfs_uuid_t local;

	if (famfs_role(sb, uuid_path, local) == FAMFS_ROLE_MASTER)
		return 0;
	famfs_uuid_str(sb->ts_system_uuid, master);
	if (famfs_system_uuid(uuid_path, false, local, NULL) < 0)
		return famfs_problem_set(p, EPERM, -1, NULL,
			"this host is a client: it has no readable system UUID in %s, the master's is %s",
			uuid_path ? uuid_path : famfs_system_uuid_path(), master);
	return famfs_problem_set(p, EPERM, -1, NULL,
		"this host is a client: its system UUID %s differs from the master's %s in the superblock",
		famfs_uuid_str(local, mine), master);
}

/*
 * The session's allocation bitmap: a copy of the memory the whole log
 * claims (the index's), in which this session's allocations are marked
 * before their entries are appended.
 */
static int writer_bitmap(struct famfs_writer *w, struct famfs_problem *p)
{
	struct famfs_log_index *ix;
	int rc;

	if (w->bm_ready)
		return 0;
	rc = famfs_meta_index(w->m, &ix, p);
	if (rc)
		return rc;
	rc = famfs_bitmap_copy(&w->bm, &ix->bm);
	if (rc)
		return famfs_problem_set(p, -rc, -1, NULL,
					 "cannot build the allocation bitmap");
	w->bm_ready = true;
	return 0;
}

int famfs_writer_lookup(struct famfs_writer *w, const char *rel,
			uint32_t *type, uint64_t *index,
			struct famfs_problem *p)
{
	struct famfs_log_index *ix;
	int rc;

	rc = famfs_meta_index(w->m, &ix, p);
	if (rc)
		return rc;
	return famfs_log_index_lookup(ix, rel, type, index);
}

/* give back what alloc_map() took for an entry that was not appended */
static void unalloc(struct famfs_writer *w, const struct famfs_log_fmap *fm)
{
	const struct famfs_simple_extent *se = fm->se;
	unsigned int k, n = fm->fmap_nextents;

	if (fm->fmap_ext_type == FAMFS_EXT_INTERLEAVE) {
		se = fm->ie[0].ie_strips;
		n = (unsigned int)fm->ie[0].ie_nstrips;
	}
	for (k = 0; k < n && k < FAMFS_MAX_SIMPLE_EXTENTS; k++)
		famfs_bitmap_clear(&w->bm, se[k].se_offset, se[k].se_len);
}

static int log_room(struct famfs_writer *w, struct famfs_problem *p)
{
	uint64_t nslots = famfs_log_nslots(w->m->log_len);
	struct famfs_log_index *ix;
	int rc;

	/* brings the index up to date: the header is re-read first */
	rc = famfs_meta_index(w->m, &ix, p);
	if (rc)
		return rc;
	if (w->m->log->next_index >= nslots)
		return famfs_problem_set(p, ENOSPC, -1, NULL,
			"log full: all %llu entries are used",
			(unsigned long long)nslots);
	return 0;
}

static int alloc_map(struct famfs_writer *w, const char *rel, uint64_t size,
		     struct famfs_log_fmap *fm, struct famfs_problem *p)
{
	uint64_t units = famfs_size_units(size), need;
	const struct famfs_interleave *il = w->il.nstrips ? &w->il
							  : &w->il_default;
	char sz[32], lf[32];
	struct famfs_space sp;

	memset(fm, 0, sizeof(*fm));
	/* units <= nbits keeps units * 2 MiB within 64 bits */
	if (units > w->bm.nbits) {
		famfs_bitmap_space(&w->bm, &sp);
		return famfs_problem_set(p, ENOSPC, -1, NULL,
			"%s: a file of %llu bytes is larger than the whole device (%s)",
			rel, (unsigned long long)size,
			famfs_size_str(sp.total_bytes, lf, sizeof(lf)));
	}
	need = units * FAMFS_ALLOC_UNIT;
	/* like the reference: a file smaller than a chunk is contiguous */
	if (il->nstrips && size >= il->chunk) {
		if (famfs_alloc_interleave(&w->bm, size, il, &w->seed, fm) == 0)
			return 0;
		famfs_bitmap_space(&w->bm, &sp);
		return famfs_problem_set(p, ENOSPC, -1, NULL,
			"no room to interleave %s for %s over %u of %u buckets (%s free)",
			famfs_size_str(size, sz, sizeof(sz)), rel,
			il->nstrips, il->nbuckets,
			famfs_size_str(sp.free_bytes, lf, sizeof(lf)));
	}
	fm->fmap_ext_type = FAMFS_EXT_SIMPLE;
	fm->fmap_nextents = 1;
	if (famfs_alloc_contig(&w->bm, size, &fm->se[0].se_offset,
			       &fm->se[0].se_len) == 0)
		return 0;
	famfs_bitmap_space(&w->bm, &sp);
	return famfs_problem_set(p, ENOSPC, -1, NULL,
		"no contiguous free run of %s for %s (%s free, largest free run %s)",
		famfs_size_str(need, sz, sizeof(sz)), rel,
		famfs_size_str(sp.free_bytes, lf, sizeof(lf)),
		famfs_size_str(sp.largest_free, sz, sizeof(sz)));
}

int famfs_writer_mkfile(struct famfs_writer *w, const char *rel,
			uint64_t size, uint32_t mode, uint32_t uid,
			uint32_t gid, struct famfs_log_fmap *map,
			struct famfs_problem *p)
{
	struct famfs_simple_extent se = { 0, 0, FAMFS_ALLOC_UNIT };
	struct famfs_log_fmap fm;
	struct famfs_log_entry e;
	uint64_t cursor;
	int64_t idx;
	int rc;

	/* refuse bad paths and a full log before touching the bitmap */
	rc = famfs_entry_file(&e, rel, size, mode, uid, gid, &se, 1, p);
	if (rc)
		return rc;
	rc = log_room(w, p);
	if (rc)
		return rc;
	rc = writer_bitmap(w, p);
	if (rc)
		return rc;
	cursor = w->bm.cursor;
	rc = alloc_map(w, rel, size, &fm, p);
	if (rc)
		return rc;
	e.file.fm_fmap = fm;
	/* the boundary: validated against the whole log, then published */
	idx = famfs_log_append(w->m, &e, p);
	if (idx < 0) {
		unalloc(w, &fm);
		w->bm.cursor = cursor;
		return (int)idx;
	}
	if (map)
		*map = fm;
	/* only a device error can fail now; the log stays valid */
	if (w->ops && w->ops->mkfile)
		return w->ops->mkfile(w->ops->ctx, rel,
				      &w->m->log->entries[idx].file, false, p);
	return 0;
}

int famfs_writer_mkdir(struct famfs_writer *w, const char *rel, uint32_t mode,
		       uint32_t uid, uint32_t gid, struct famfs_problem *p)
{
	struct famfs_log_entry e;
	int64_t idx;
	int rc;

	rc = famfs_entry_mkdir(&e, rel, mode, uid, gid, p);
	if (rc)
		return rc;
	rc = log_room(w, p);
	if (rc)
		return rc;
	idx = famfs_log_append(w->m, &e, p);
	if (idx < 0)
		return (int)idx;
	if (w->ops && w->ops->mkdir) {
		rc = w->ops->mkdir(w->ops->ctx, rel,
				   &w->m->log->entries[idx].mkdir, false, p);
		/* a directory already there (made by mkdir(1)) is now logged */
		return rc == -EEXIST ? 0 : rc;
	}
	return 0;
}

void famfs_writer_done(struct famfs_writer *w)
{
	if (w->bm_ready)
		famfs_bitmap_free(&w->bm);
	w->bm_ready = false;
}
