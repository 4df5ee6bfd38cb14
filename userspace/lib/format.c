// SPDX-License-Identifier: Apache-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * format.c - build and validate superblock, log header, entries and fmaps
 *
 * Validation follows format.md §3-§6 and reports the first problem found,
 * naming the entry index and the on-media field.
 */
#include <errno.h>
#include <string.h>
#include <uuid/uuid.h>

#include "libfamfs.h"

#define MiB (1024ULL * 1024)

static bool is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

static bool unit_aligned(uint64_t v)
{
	return (v & (FAMFS_ALLOC_UNIT - 1)) == 0;
}

int famfs_log_len_check(uint64_t log_len, struct famfs_problem *p)
{
	if (log_len < FAMFS_LOG_LEN_MIN || !is_pow2(log_len))
		return famfs_problem_set(p, EINVAL, -1, "ts_log_len",
			"log length %llu bytes is not a power of two >= 8 MiB",
			(unsigned long long)log_len);
	return 0;
}

uint64_t famfs_min_dev_size(uint64_t log_len)
{
	return FAMFS_LOG_OFFSET + log_len + FAMFS_ALLOC_UNIT;
}

int famfs_sb_init(struct famfs_superblock *sb,
		  const struct famfs_mkfs_params *mp, struct famfs_problem *p)
{
	uint64_t log_len = mp->log_len ? mp->log_len : FAMFS_LOG_LEN_DEFAULT;
	uuid_t u;
	int rc;

	rc = famfs_log_len_check(log_len, p);
	if (rc)
		return rc;
	if (mp->dev_size < famfs_min_dev_size(log_len))
		return famfs_problem_set(p, ENOSPC, -1, "dd_size",
			"device of %llu bytes cannot hold the 2 MiB superblock, a %llu MiB log and one 2 MiB data unit",
			(unsigned long long)mp->dev_size,
			(unsigned long long)(log_len / MiB));

	memset(sb, 0, sizeof(*sb));
	sb->ts_magic = FAMFS_SUPER_MAGIC;
	sb->ts_version = FAMFS_VERSION_CURRENT;
	sb->ts_log_offset = FAMFS_LOG_OFFSET;
	sb->ts_log_len = log_len;
	sb->ts_alloc_unit = FAMFS_ALLOC_UNIT;
	sb->ts_omf_ver_major = FAMFS_OMF_VER_MAJOR;
	sb->ts_omf_ver_minor = FAMFS_OMF_VER_MINOR;
	uuid_generate(u);
	memcpy(sb->ts_uuid, u, sizeof(u));
	uuid_generate(u);
	memcpy(sb->ts_dev_uuid, u, sizeof(u));
	memcpy(sb->ts_system_uuid, mp->system_uuid, sizeof(famfs_uuid_t));
	sb->ts_sb_flags = FAMFS_PRIMARY_SB;
	sb->ts_daxdev.dd_size = mp->dev_size;
	memcpy(sb->ts_daxdev.dd_uuid, sb->ts_dev_uuid, sizeof(famfs_uuid_t));
	if (mp->devname)
		snprintf(sb->ts_daxdev.dd_daxdev, FAMFS_DEVNAME_LEN, "%s",
			 mp->devname);
	sb->ts_crc = famfs_sb_crc(sb);
	return 0;
}

int famfs_sb_check(const struct famfs_superblock *sb, struct famfs_problem *p)
{
	uint64_t crc;
	int rc;

	if (sb->ts_magic != FAMFS_SUPER_MAGIC)
		return famfs_problem_set(p, ENODATA, -1, "ts_magic",
			"no famfs superblock (magic 0x%llx, expected 0x%llx)",
			(unsigned long long)sb->ts_magic, FAMFS_SUPER_MAGIC);
	if (sb->ts_version < FAMFS_VERSION_MIN ||
	    sb->ts_version > FAMFS_VERSION_CURRENT)
		return famfs_problem_set(p, EPROTO, -1, "ts_version",
			"unsupported superblock version %llu (this famfs reads %d and %d)",
			(unsigned long long)sb->ts_version,
			FAMFS_VERSION_MIN, FAMFS_VERSION_CURRENT);
	crc = famfs_sb_crc(sb);
	if (sb->ts_crc != crc)
		return famfs_problem_set(p, EBADMSG, -1, "ts_crc",
			"superblock CRC mismatch (stored 0x%llx, computed 0x%llx)",
			(unsigned long long)sb->ts_crc,
			(unsigned long long)crc);
	if (sb->ts_log_offset != FAMFS_LOG_OFFSET)
		return famfs_problem_set(p, EINVAL, -1, "ts_log_offset",
			"log offset 0x%llx, expected 0x%llx",
			(unsigned long long)sb->ts_log_offset, FAMFS_LOG_OFFSET);
	rc = famfs_log_len_check(sb->ts_log_len, p);
	if (rc)
		return rc;
	if (sb->ts_alloc_unit != FAMFS_ALLOC_UNIT)
		return famfs_problem_set(p, EINVAL, -1, "ts_alloc_unit",
			"allocation unit %llu bytes is not supported (only 2 MiB)",
			(unsigned long long)sb->ts_alloc_unit);
	if (sb->ts_daxdev.dd_size < FAMFS_LOG_OFFSET + sb->ts_log_len)
		return famfs_problem_set(p, EINVAL, -1, "ts_daxdev.dd_size",
			"device size %llu bytes is smaller than superblock + log",
			(unsigned long long)sb->ts_daxdev.dd_size);
	return 0;
}

void famfs_sb_geom(const struct famfs_superblock *sb, struct famfs_geom *g)
{
	g->dev_size = sb->ts_daxdev.dd_size;
	g->data_start = sb->ts_log_offset + sb->ts_log_len;
}

void famfs_log_init(struct famfs_log *log, uint64_t log_len)
{
	memset(log, 0, sizeof(*log));
	log->magic = FAMFS_LOG_MAGIC;
	log->len = log_len;
	log->last_index = famfs_log_nslots(log_len) - 1;
	log->crc = famfs_log_hdr_crc(log);
	log->next_seqnum = 0;
	log->next_index = 0;
}

int famfs_log_check(const struct famfs_log *log, uint64_t log_len,
		    struct famfs_problem *p)
{
	uint64_t crc, nslots = famfs_log_nslots(log_len);

	if (log->magic != FAMFS_LOG_MAGIC)
		return famfs_problem_set(p, ENODATA, -1, "famfs_log_magic",
			"no famfs log (magic 0x%llx, expected 0x%llx)",
			(unsigned long long)log->magic, FAMFS_LOG_MAGIC);
	crc = famfs_log_hdr_crc(log);
	if (log->crc != crc)
		return famfs_problem_set(p, EBADMSG, -1, "famfs_log_crc",
			"log header CRC mismatch (stored 0x%llx, computed 0x%llx)",
			(unsigned long long)log->crc, (unsigned long long)crc);
	if (log->len != log_len)
		return famfs_problem_set(p, EINVAL, -1, "famfs_log_len",
			"log header says %llu bytes, the superblock %llu",
			(unsigned long long)log->len,
			(unsigned long long)log_len);
	if (nslots == 0 || log->last_index != nslots - 1)
		return famfs_problem_set(p, EINVAL, -1, "famfs_log_last_index",
			"last index %llu, a %llu-byte log has %llu slots",
			(unsigned long long)log->last_index,
			(unsigned long long)log_len,
			(unsigned long long)nslots);
	if (log->next_index > nslots)
		return famfs_problem_set(p, EINVAL, -1, "famfs_log_next_index",
			"next index %llu beyond the %llu slots",
			(unsigned long long)log->next_index,
			(unsigned long long)nslots);
	return 0;
}

int famfs_relpath_check(const char *rel, size_t fieldlen, int64_t index,
			const char *field, struct famfs_problem *p)
{
	const char *c, *end = memchr(rel, '\0', fieldlen);
	size_t n;

	if (!end)
		return famfs_problem_set(p, ENAMETOOLONG, index, field,
			"path is not NUL-terminated within %zu bytes", fieldlen);
	if (rel == end)
		return famfs_problem_set(p, EINVAL, index, field,
					 "empty path");
	if (rel[0] == '/')
		return famfs_problem_set(p, EINVAL, index, field,
			"path \"%s\" is absolute (must be relative to the mount)",
			rel);
	if (end[-1] == '/')
		return famfs_problem_set(p, EINVAL, index, field,
			"path \"%s\" ends with '/'", rel);
	for (c = rel; c < end; c += n + 1) {
		const char *slash = memchr(c, '/', (size_t)(end - c));

		n = slash ? (size_t)(slash - c) : (size_t)(end - c);
		if (n == 0 || (n == 1 && c[0] == '.') ||
		    (n == 2 && c[0] == '.' && c[1] == '.'))
			return famfs_problem_set(p, EINVAL, index, field,
				"path \"%s\" has an empty, \".\" or \"..\" component",
				rel);
		/* the metadata directory holds one logged file: the
		 * default interleaving, as in the reference tools
		 */
		if (c == rel && n == strlen(FAMFS_META_DIR) &&
		    !memcmp(c, FAMFS_META_DIR, n) &&
		    !((size_t)(end - rel) == strlen(FAMFS_ALLOC_CFG_PATH) &&
		      !memcmp(rel, FAMFS_ALLOC_CFG_PATH, (size_t)(end - rel))))
			return famfs_problem_set(p, EINVAL, index, field,
				"path \"%s\" is inside the metadata directory",
				rel);
		if (!slash)
			break;
	}
	return 0;
}

static int extent_check(const struct famfs_simple_extent *se, int64_t index,
			const char *name, const struct famfs_geom *g,
			struct famfs_problem *p)
{
	uint64_t end;

	if (se->se_devindex != 0)
		return famfs_problem_set(p, EINVAL, index, name,
			"device index %llu (only device 0 exists)",
			(unsigned long long)se->se_devindex);
	if (se->se_len == 0)
		return famfs_problem_set(p, EINVAL, index, name,
					 "zero-length extent");
	if (!unit_aligned(se->se_offset) || !unit_aligned(se->se_len))
		return famfs_problem_set(p, EINVAL, index, name,
			"extent {0x%llx, 0x%llx} is not 2 MiB aligned",
			(unsigned long long)se->se_offset,
			(unsigned long long)se->se_len);
	if (__builtin_add_overflow(se->se_offset, se->se_len, &end))
		return famfs_problem_set(p, ERANGE, index, name,
			"extent {0x%llx, 0x%llx}: its end overflows 64 bits",
			(unsigned long long)se->se_offset,
			(unsigned long long)se->se_len);
	if (se->se_offset < (g ? g->data_start : FAMFS_LOG_OFFSET))
		return famfs_problem_set(p, ERANGE, index, name,
			"extent at 0x%llx overlaps the superblock or log",
			(unsigned long long)se->se_offset);
	if (g && end > g->dev_size)
		return famfs_problem_set(p, ERANGE, index, name,
			"extent {0x%llx, 0x%llx} ends beyond the %llu-byte device",
			(unsigned long long)se->se_offset,
			(unsigned long long)se->se_len,
			(unsigned long long)g->dev_size);
	return 0;
}

/* @sum + @v, or UINT64_MAX when that does not fit (a map that large
 * holds more than any device: the capacity checks then fail safely) */
static uint64_t add_sat(uint64_t sum, uint64_t v)
{
	uint64_t r;

	return __builtin_add_overflow(sum, v, &r) ? UINT64_MAX : r;
}

uint64_t famfs_fmap_capacity(const struct famfs_log_fmap *fm)
{
	uint64_t sum = 0;
	unsigned int i;

	if (fm->fmap_ext_type == FAMFS_EXT_SIMPLE) {
		for (i = 0; i < fm->fmap_nextents &&
			    i < FAMFS_MAX_SIMPLE_EXTENTS; i++)
			sum = add_sat(sum, fm->se[i].se_len);
	} else if (fm->fmap_ext_type == FAMFS_EXT_INTERLEAVE &&
		   fm->fmap_niext == 1) {
		for (i = 0; i < fm->ie[0].ie_nstrips &&
			    i < FAMFS_MAX_NSTRIPS; i++)
			sum = add_sat(sum, fm->ie[0].ie_strips[i].se_len);
	}
	return sum;
}

int famfs_fmap_check(const struct famfs_log_file_meta *fm, int64_t index,
		     const struct famfs_geom *g, struct famfs_problem *p)
{
	const struct famfs_log_fmap *f = &fm->fm_fmap;
	char name[48];
	unsigned int i;
	int rc;

	if (f->fmap_ext_type == FAMFS_EXT_SIMPLE) {
		if (f->fmap_nextents < 1 ||
		    f->fmap_nextents > FAMFS_MAX_SIMPLE_EXTENTS)
			return famfs_problem_set(p, EINVAL, index,
				"fmap_nextents", "%u extents (1..%d allowed)",
				f->fmap_nextents, FAMFS_MAX_SIMPLE_EXTENTS);
		for (i = 0; i < f->fmap_nextents; i++) {
			snprintf(name, sizeof(name), "se[%u]", i);
			rc = extent_check(&f->se[i], index, name, g, p);
			if (rc)
				return rc;
		}
	} else if (f->fmap_ext_type == FAMFS_EXT_INTERLEAVE) {
		const struct famfs_interleaved_ext *ie = &f->ie[0];

		if (f->fmap_niext != 1)
			return famfs_problem_set(p, EINVAL, index, "fmap_niext",
				"%u interleaved extents (exactly 1 allowed)",
				f->fmap_niext);
		if (ie->ie_nstrips < 1 || ie->ie_nstrips > FAMFS_MAX_NSTRIPS)
			return famfs_problem_set(p, EINVAL, index, "ie_nstrips",
				"%llu strips (1..%d allowed)",
				(unsigned long long)ie->ie_nstrips,
				FAMFS_MAX_NSTRIPS);
		if (!ie->ie_chunk_size || !unit_aligned(ie->ie_chunk_size))
			return famfs_problem_set(p, EINVAL, index,
				"ie_chunk_size",
				"chunk size %llu is not a non-zero multiple of 2 MiB",
				(unsigned long long)ie->ie_chunk_size);
		for (i = 0; i < ie->ie_nstrips; i++) {
			snprintf(name, sizeof(name), "ie_strips[%u]", i);
			rc = extent_check(&ie->ie_strips[i], index, name, g, p);
			if (rc)
				return rc;
		}
	} else {
		return famfs_problem_set(p, EINVAL, index, "fmap_ext_type",
			"unknown extent type %u", f->fmap_ext_type);
	}
	if (famfs_fmap_capacity(f) < fm->fm_size)
		return famfs_problem_set(p, EINVAL, index, "fm_size",
			"file size %llu exceeds the %llu bytes its extents hold",
			(unsigned long long)fm->fm_size,
			(unsigned long long)famfs_fmap_capacity(f));
	return 0;
}

int famfs_entry_check(const struct famfs_log_entry *e, uint64_t index,
		      const struct famfs_geom *g, struct famfs_problem *p)
{
	int64_t ix = (int64_t)index;
	uint64_t crc = famfs_entry_crc(e);

	if (e->crc != crc)
		return famfs_problem_set(p, EBADMSG, ix, "famfs_log_entry_crc",
			"entry CRC mismatch (stored 0x%llx, computed 0x%llx)",
			(unsigned long long)e->crc, (unsigned long long)crc);
	if (e->seqnum != index)
		return famfs_problem_set(p, EILSEQ, ix,
			"famfs_log_entry_seqnum",
			"sequence number %llu in slot %llu",
			(unsigned long long)e->seqnum,
			(unsigned long long)index);
	return famfs_entry_payload_check(e, ix, g, p);
}

int famfs_entry_payload_check(const struct famfs_log_entry *e, int64_t ix,
			      const struct famfs_geom *g,
			      struct famfs_problem *p)
{
	int rc;

	switch (e->type) {
	case FAMFS_LOG_FILE:
		rc = famfs_relpath_check(e->file.fm_relpath, FAMFS_MAX_PATHLEN,
					 ix, "fm_relpath", p);
		if (rc)
			return rc;
		return famfs_fmap_check(&e->file, ix, g, p);
	case FAMFS_LOG_MKDIR:
		return famfs_relpath_check(e->mkdir.md_relpath,
					   FAMFS_MAX_PATHLEN, ix,
					   "md_relpath", p);
	case FAMFS_LOG_DELETE:
	case FAMFS_LOG_ADD_DAXDEV:
		return 0;	/* valid, not played: callers skip them */
	default:
		return famfs_problem_set(p, EINVAL, ix, "famfs_log_entry_type",
					 "unknown entry type %u", e->type);
	}
}
