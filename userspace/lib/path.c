// SPDX-License-Identifier: Apache-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * path.c - paths inside a mounted famfs, as the log records them
 *
 * The log stores paths relative to the mount point in an 80-byte field.
 * A path that does not fit is refused (ENAMETOOLONG), never truncated.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "libfamfs.h"

int famfs_relpath_make(const char *mnt, const char *abs,
		       char rel[FAMFS_MAX_PATHLEN], struct famfs_problem *p)
{
	size_t mlen = strlen(mnt);
	const char *rest;

	while (mlen > 1 && mnt[mlen - 1] == '/')
		mlen--;
	if (mlen == 1 && mnt[0] == '/') {
		rest = abs + 1;
	} else {
		if (strncmp(abs, mnt, mlen) != 0 ||
		    (abs[mlen] != '/' && abs[mlen] != '\0'))
			return famfs_problem_set(p, EXDEV, -1, NULL,
				"%s is not inside the famfs mounted at %.*s",
				abs, (int)mlen, mnt);
		rest = abs + mlen;
		while (*rest == '/')
			rest++;
	}
	if (abs[0] != '/')
		return famfs_problem_set(p, EINVAL, -1, NULL,
					 "%s is not an absolute path", abs);
	if (*rest == '\0')
		return famfs_problem_set(p, EINVAL, -1, NULL,
					 "%s is the mount point itself", abs);
	if (strlen(rest) >= FAMFS_MAX_PATHLEN)
		return famfs_problem_set(p, ENAMETOOLONG, -1, NULL,
			"the path relative to the mount is %zu bytes, the log holds at most %d: \"%s\"",
			strlen(rest), FAMFS_MAX_PATHLEN - 1, rest);
	strcpy(rel, rest);
	return famfs_relpath_check(rel, FAMFS_MAX_PATHLEN, -1, NULL, p);
}

int famfs_path_abs(const char *path, char *out, size_t outlen)
{
	char buf[PATH_MAX], dir[PATH_MAX];
	char *slash, *base;
	size_t n = strlen(path);

	if (n == 0)
		return -ENOENT;
	if (n >= sizeof(buf))
		return -ENAMETOOLONG;
	memcpy(buf, path, n + 1);
	while (n > 1 && buf[n - 1] == '/')
		buf[--n] = '\0';

	slash = strrchr(buf, '/');
	if (!slash) {
		base = buf;
		if (!realpath(".", dir))
			return -errno;
	} else {
		base = slash + 1;
		if (slash == buf) {
			strcpy(dir, "/");
		} else {
			*slash = '\0';
			if (!realpath(buf, dir))
				return -errno;
		}
	}
	if (*base == '\0' || !strcmp(base, ".") || !strcmp(base, "..")) {
		/* "/", "x/." or "x/..": the path exists or is an error */
		if (!realpath(path, dir))
			return -errno;
		if (strlen(dir) >= outlen)
			return -ENAMETOOLONG;
		strcpy(out, dir);
		return 0;
	}
	if ((size_t)snprintf(out, outlen, "%s%s%s", dir,
			     strcmp(dir, "/") ? "/" : "", base) >= outlen)
		return -ENAMETOOLONG;
	return 0;
}
