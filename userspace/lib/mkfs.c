// SPDX-License-Identifier: Apache-2.0
/*
 * mkfs.c - write a new superblock and an empty log (spec §1.1)
 */
#include <errno.h>
#include <string.h>

#include "libfamfs.h"

int famfs_mkfs(struct famfs_meta *m, const struct famfs_mkfs_params *mp,
	       bool force, struct famfs_problem *p)
{
	uint64_t log_len = mp->log_len ? mp->log_len : FAMFS_LOG_LEN_DEFAULT;
	struct famfs_superblock sb;
	char u[37];
	int rc;

	if (!m->writable)
		return famfs_problem_set(p, EROFS, -1, NULL,
					 "the device is open read-only");
	if (!force && famfs_sb_check(m->sb, NULL) == 0)
		return famfs_problem_set(p, EEXIST, -1, NULL,
			"the device holds a valid famfs file system (uuid %s); use -f to overwrite it",
			famfs_uuid_str(m->sb->ts_uuid, u));
	rc = famfs_sb_init(&sb, mp, p);
	if (rc)
		return rc;
	if (m->log_len < log_len)
		return famfs_problem_set(p, EINVAL, -1, NULL,
			"the log mapping is %llu bytes, %llu needed",
			(unsigned long long)m->log_len,
			(unsigned long long)log_len);

	/* the log first: a valid superblock never points at a stale log */
	famfs_log_init(m->log, log_len);
	famfs_meta_flush(m, m->log, sizeof(*m->log));
	memset(m->sb, 0, sizeof(*m->sb));
	memcpy(m->sb, &sb, sizeof(sb));
	famfs_meta_flush(m, m->sb, sizeof(*m->sb));
	return 0;
}

int famfs_kill_sb(struct famfs_meta *m, struct famfs_problem *p)
{
	if (!m->writable)
		return famfs_problem_set(p, EROFS, -1, NULL,
					 "the device is open read-only");
	m->sb->ts_magic = 0;
	famfs_meta_flush(m, m->sb, sizeof(*m->sb));
	return 0;
}
