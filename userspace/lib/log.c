// SPDX-License-Identifier: Apache-2.0
/*
 * log.c - build, append and read log entries (spec §2.3, §2.4, §2.9)
 */
#include <errno.h>
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

int64_t famfs_log_append(struct famfs_meta *m, const struct famfs_log_entry *e,
			 struct famfs_problem *p)
{
	struct famfs_log *log = m->log;
	uint64_t nslots = famfs_log_nslots(m->log_len);
	uint64_t idx = log->next_index;
	struct famfs_log_entry *slot;

	if (!m->writable)
		return famfs_problem_set(p, EROFS, -1, NULL,
					 "the log is open read-only");
	if (idx >= nslots)
		return famfs_problem_set(p, ENOSPC, -1, NULL,
			"log full: all %llu entries are used",
			(unsigned long long)nslots);

	slot = &log->entries[idx];
	memcpy(slot, e, sizeof(*slot));
	slot->seqnum = idx;
	slot->crc = famfs_entry_crc(slot);
	/* the entry reaches memory before the index that publishes it */
	famfs_meta_flush(m, slot, sizeof(*slot));

	log->next_seqnum = idx + 1;
	log->next_index = idx + 1;
	famfs_meta_flush(m, &log->next_seqnum, 2 * sizeof(uint64_t));
	return (int64_t)idx;
}

static int relpath_copy(char *dst, const char *rel, const char *field,
			struct famfs_problem *p)
{
	size_t n = strlen(rel);

	if (n >= FAMFS_MAX_PATHLEN)
		return famfs_problem_set(p, ENAMETOOLONG, -1, field,
			"relative path \"%s\" is %zu bytes; the log holds at most %d",
			rel, n, FAMFS_MAX_PATHLEN - 1);
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
