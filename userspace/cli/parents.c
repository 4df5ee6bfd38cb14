// SPDX-License-Identifier: Apache-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * parents.c - the directories a new famfs object lives in must be in the
 * log: a replaying host creates nothing under a directory
 * it was never told about. famfs mkdir, creat and cp log a parent made
 * with plain mkdir(1) on the master instead of skipping it.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

/* @rel (below the mount) as a logged directory; exit code */
static int log_one(struct cli_session *s, const char *rel, bool create,
		   uint32_t mode, uint32_t uid, uint32_t gid, bool verbose)
{
	char abs[PATH_MAX + FAMFS_MAX_PATHLEN + 2];
	struct famfs_problem p;
	uint64_t index;
	uint32_t type;
	struct stat st;
	int rc;

	snprintf(abs, sizeof(abs), "%s%s%s", s->mnt,
		 strcmp(s->mnt, "/") ? "/" : "", rel);
	rc = famfs_writer_lookup(&s->w, rel, &type, &index, &p);
	if (rc == 0 && type == FAMFS_LOG_MKDIR)
		return EXIT_OK;
	if (rc == 0) {
		cli_err("%s: is a file in the log (entry %llu), not a directory",
			abs, (unsigned long long)index);
		return EXIT_FAIL;
	}
	if (rc != -ENOENT)
		return cli_problem(abs, &p);
	if (lstat(abs, &st) == 0) {
		if (!S_ISDIR(st.st_mode)) {
			cli_err("%s: exists and is not a directory", abs);
			return EXIT_FAIL;
		}
		/* made with mkdir(1): log it as it is */
		if (famfs_writer_mkdir(&s->w, rel, st.st_mode & 07777,
				       (uint32_t)st.st_uid,
				       (uint32_t)st.st_gid, &p) < 0)
			return cli_problem(abs, &p);
		if (verbose)
			printf("logged existing directory %s\n", abs);
		return EXIT_OK;
	}
	if (!create) {
		cli_err("%s: no such directory (famfs mkdir -p creates it)",
			abs);
		return EXIT_FAIL;
	}
	if (famfs_writer_mkdir(&s->w, rel, mode, uid, gid, &p) < 0)
		return cli_problem(abs, &p);
	if (verbose)
		printf("created directory %s\n", abs);
	return EXIT_OK;
}

int cli_log_parents(struct cli_session *s, const char *abs, bool self,
		    bool create, uint32_t mode, uint32_t uid, uint32_t gid,
		    bool verbose)
{
	char rel[FAMFS_MAX_PATHLEN], sub[FAMFS_MAX_PATHLEN];
	struct famfs_problem p;
	const char *slash;
	int rc;

	if (famfs_relpath_make(s->mnt, abs, rel, &p) < 0)
		return cli_problem(abs, &p);
	for (slash = strchr(rel, '/'); ; slash = strchr(slash + 1, '/')) {
		size_t n = slash ? (size_t)(slash - rel) : strlen(rel);

		if (!slash && !self)
			break;
		memcpy(sub, rel, n);
		sub[n] = '\0';
		/* .meta is made by mount and never logged; only .meta/.alloc.cfg
		 * may be logged below it (famfs_relpath_check() decides) */
		if (slash && slash == rel + n && !strcmp(sub, FAMFS_META_DIR))
			continue;
		rc = log_one(s, sub, create, mode, uid, gid, verbose);
		if (rc || !slash)
			return rc;
	}
	return EXIT_OK;
}
