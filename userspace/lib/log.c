// SPDX-License-Identifier: Apache-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * log.c - build, append and read log entries (format.md §4, §5, §9)
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "libfamfs.h"

int famfs_log_entry_get(const struct famfs_log *log, uint64_t index,
			const struct famfs_geom *g,
			const struct famfs_log_entry **ep,
			struct famfs_problem *p)
{
	const struct famfs_log_entry *e;
	int rc;

	if (index >= log->next_index)
		return famfs_problem_set(p, ENOENT, (int64_t)index, NULL,
			"beyond the last written entry (%llu)",
			(unsigned long long)log->next_index);
	e = &log->entries[index];
	rc = famfs_entry_check(e, index, g, p);
	if (rc)
		return rc;
	*ep = e;
	return 0;
}

/*
 * The publish protocol (format.md §9). The log is the only
 * copy of the metadata and every host replays it, so an entry must be
 * replayable before any byte of it reaches the shared memory:
 *
 *  1. validate: famfs_entry_validate() against the index of the whole
 *     log (m->ix, brought up to date here): the rules every replaying
 *     host and the kernel apply. Refuse to append behind an entry that
 *     ends replay (CRC or sequence error): no host would ever see it.
 *  2. write the slot past next_index: invisible, since readers stop at
 *     next_index; a crash here leaves a stale slot (fsck: stale-slot)
 *  3. flush the slot's cache lines to memory,
 *  4. fence: famfs_meta_flush() ends with a store fence (sfence/dsb) or is
 *     a synchronous msync, so the slot is in memory before step 5 stores,
 *  5. bump next_seqnum/next_index (one 16-byte line) and flush it: this
 *     store publishes the entry,
 *  6. record the entry in the index (its path, its memory).
 *
 * After step 1 nothing can fail but the memory itself, so the kernel map
 * that follows (ops->mkfile) can only fail on a device error, and then the
 * log is still valid: the next replay creates the file.
 */
/*
 * Store next_seqnum and next_index (16 bytes, 16-aligned, one cache line)
 * with ONE instruction, so that no crash can leave them unequal: a writer
 * killed between two 8-byte stores would leave a header fsck reports and
 * that makes a reference writer (it takes the entry seqnum from
 * next_seqnum) write an entry no host replays. tests/test_crash.c covers it.
 */
typedef uint64_t famfs_u64x2 __attribute__((vector_size(16), may_alias));
_Static_assert(offsetof(struct famfs_log, next_seqnum) % 16 == 0 &&
	       offsetof(struct famfs_log, next_index) ==
	       offsetof(struct famfs_log, next_seqnum) + 8,
	       "next_seqnum, next_index: one aligned 16-byte pair");

static void log_publish(struct famfs_log *log, uint64_t next)
{
	*(volatile famfs_u64x2 *)&log->next_seqnum = (famfs_u64x2){ next, next };
}

int64_t famfs_log_append(struct famfs_meta *m, const struct famfs_log_entry *e,
			 struct famfs_problem *p)
{
	struct famfs_log *log = m->log;
	uint64_t nslots = famfs_log_nslots(m->log_len);
	struct famfs_log_index *ix;
	struct famfs_log_entry *slot;
	uint64_t idx;
	int rc;

	if (!m->writable)
		return famfs_problem_set(p, EROFS, -1, NULL,
					 "the log is open read-only");
	/* 1. validate */
	rc = famfs_meta_index(m, &ix, p);
	if (rc)
		return rc;
	if (ix->end >= 0)
		return famfs_problem_set(p, EUCLEAN, ix->end, NULL,
			"replay ends at this entry (%s); nothing can be appended behind it: run famfs fsck",
			ix->end_p.msg);
	idx = log->next_index;
	if (idx >= nslots)
		return famfs_problem_set(p, ENOSPC, -1, NULL,
			"log full: all %llu entries are used",
			(unsigned long long)nslots);
	rc = famfs_entry_validate(ix, e, -1, NULL, p);
	if (rc)
		return rc;

	/* 2. write */
	slot = &log->entries[idx];
	memcpy(slot, e, sizeof(*slot));
	famfs_crash_point("append:entry-copied");	/* crashpoint.c */
	slot->seqnum = idx;
	famfs_crash_point("append:seqnum-set");
	slot->crc = famfs_entry_crc(slot);
	famfs_crash_point("append:crc-set");
	/* 3. flush + 4. fence: the entry reaches memory before the index */
	famfs_meta_flush(m, slot, sizeof(*slot));

	/* 5. publish */
	log_publish(log, idx + 1);
	famfs_crash_point("append:index-published");
	famfs_meta_flush(m, &log->next_seqnum, 2 * sizeof(uint64_t));

	/* 6. index */
	ix->next = idx + 1;
	rc = famfs_log_index_commit(ix, slot, idx, FAMFS_ENTRY_PLAY);
	if (rc) {
		/* published and valid; only our index is behind: rebuild */
		famfs_log_index_free(m->ix);
		m->ix = NULL;
	}
	return (int64_t)idx;
}

static int relpath_copy(char *dst, const char *rel, const char *field,
			struct famfs_problem *p)
{
	size_t n = strlen(rel);

	if (n >= FAMFS_MAX_PATHLEN)
		return famfs_problem_set(p, ENAMETOOLONG, -1, field,
			"the path relative to the mount is %zu bytes, the log holds at most %d: \"%s\"",
			n, FAMFS_MAX_PATHLEN - 1, rel);
	memcpy(dst, rel, n + 1);
	return famfs_relpath_check(dst, FAMFS_MAX_PATHLEN, -1, field, p);
}

int famfs_entry_file_fmap(struct famfs_log_entry *e, const char *rel,
			  uint64_t size, uint32_t mode, uint32_t uid,
			  uint32_t gid, const struct famfs_log_fmap *fmap,
			  struct famfs_problem *p)
{
	struct famfs_log_file_meta *fm = &e->file;

	memset(e, 0, sizeof(*e));
	e->type = FAMFS_LOG_FILE;
	fm->fm_size = size;
	fm->fm_flags = FAMFS_FM_ALL_HOSTS_RW;
	fm->fm_uid = uid;
	fm->fm_gid = gid;
	fm->fm_mode = mode;
	fm->fm_fmap = *fmap;
	return relpath_copy(fm->fm_relpath, rel, "fm_relpath", p);
}

int famfs_entry_file(struct famfs_log_entry *e, const char *rel,
		     uint64_t size, uint32_t mode, uint32_t uid, uint32_t gid,
		     const struct famfs_simple_extent *ext, unsigned int n,
		     struct famfs_problem *p)
{
	struct famfs_log_fmap fm;

	memset(e, 0, sizeof(*e));
	if (n < 1 || n > FAMFS_MAX_SIMPLE_EXTENTS)
		return famfs_problem_set(p, EINVAL, -1, "fmap_nextents",
					 "%u extents (1..%d allowed)", n,
					 FAMFS_MAX_SIMPLE_EXTENTS);
	memset(&fm, 0, sizeof(fm));
	fm.fmap_ext_type = FAMFS_EXT_SIMPLE;
	fm.fmap_nextents = n;
	memcpy(fm.se, ext, n * sizeof(*ext));
	return famfs_entry_file_fmap(e, rel, size, mode, uid, gid, &fm, p);
}

int famfs_entry_mkdir(struct famfs_log_entry *e, const char *rel,
		      uint32_t mode, uint32_t uid, uint32_t gid,
		      struct famfs_problem *p)
{
	memset(e, 0, sizeof(*e));
	e->type = FAMFS_LOG_MKDIR;
	e->mkdir.md_uid = uid;
	e->mkdir.md_gid = gid;
	e->mkdir.md_mode = mode;
	return relpath_copy(e->mkdir.md_relpath, rel, "md_relpath", p);
}
