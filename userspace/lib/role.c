// SPDX-License-Identifier: Apache-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * role.c - master or client (Documentation/format.md §8)
 *
 * Each host keeps a random system UUID in /opt/famfs/system_uuid (the
 * reference location); mkfs records the master's in the superblock. The
 * host whose UUID matches is the master, the only one that may write.
 * The packages build with SYSTEM_UUID_FILE=/var/lib/famfs/system_uuid (an
 * FHS path); /opt/famfs/system_uuid still wins wherever it exists, so the
 * reference tools and these agree on the role.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uuid/uuid.h>

#include "libfamfs.h"

const char *famfs_system_uuid_path(void)
{
	const char *e = getenv("FAMFS_SYSTEM_UUID");

	if (e && *e)
		return e;
#ifdef FAMFS_SYSTEM_UUID_FILE
	if (access(FAMFS_SYSTEM_UUID_PATH, F_OK) < 0 && errno == ENOENT)
		return FAMFS_SYSTEM_UUID_FILE;
#endif
	return FAMFS_SYSTEM_UUID_PATH;
}

char *famfs_uuid_str(const famfs_uuid_t u, char buf[37])
{
	uuid_unparse_lower(u, buf);
	return buf;
}

static int uuid_create(const char *path, famfs_uuid_t out,
		       struct famfs_problem *p)
{
	char dir[4096], txt[38];
	char *slash;
	uuid_t u;
	int fd;
	ssize_t n;

	/* create the missing parents too: /opt may not exist on a new host */
	snprintf(dir, sizeof(dir), "%s", path);
	for (slash = strchr(dir + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			return famfs_problem_set(p, errno, -1, NULL,
				"cannot create %s: %s", dir, strerror(errno));
		*slash = '/';
	}
	uuid_generate(u);
	uuid_unparse_lower(u, txt);
	strcat(txt, "\n");
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444);
	if (fd < 0)
		return famfs_problem_set(p, errno, -1, NULL,
			"cannot create %s: %s", path, strerror(errno));
	n = write(fd, txt, strlen(txt));
	if (n != (ssize_t)strlen(txt) || fsync(fd) < 0) {
		int err = n < 0 ? errno : EIO;

		close(fd);
		unlink(path);
		return famfs_problem_set(p, err, -1, NULL,
			"cannot write %s: %s", path, strerror(err));
	}
	close(fd);
	memcpy(out, u, sizeof(u));
	return 0;
}

int famfs_system_uuid(const char *path, bool create, famfs_uuid_t out,
		      struct famfs_problem *p)
{
	char txt[64];
	ssize_t n;
	int fd, rc;

	if (!path)
		path = famfs_system_uuid_path();
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT && create) {
		rc = uuid_create(path, out, p);
		if (rc != -EEXIST)
			return rc;
		fd = open(path, O_RDONLY | O_CLOEXEC);	/* lost a race */
	}
	if (fd < 0)
		return famfs_problem_set(p, errno, -1, NULL,
			"cannot read the system UUID in %s: %s", path,
			strerror(errno));
	n = read(fd, txt, sizeof(txt) - 1);
	close(fd);
	if (n < 36)
		return famfs_problem_set(p, EINVAL, -1, NULL,
			"%s does not hold a 36-character UUID", path);
	txt[36] = '\0';
	if (uuid_parse(txt, out) < 0)
		return famfs_problem_set(p, EINVAL, -1, NULL,
			"%s: \"%s\" is not a UUID", path, txt);
	return 0;
}

enum famfs_role famfs_role(const struct famfs_superblock *sb,
			   const char *uuid_path, famfs_uuid_t local)
{
	famfs_uuid_t u;

	if (famfs_system_uuid(uuid_path, false, u, NULL) < 0)
		memset(u, 0, sizeof(u));
	if (local)
		memcpy(local, u, sizeof(u));
	if (uuid_is_null(u))
		return FAMFS_ROLE_CLIENT;
	return memcmp(u, sb->ts_system_uuid, sizeof(u)) ? FAMFS_ROLE_CLIENT
							: FAMFS_ROLE_MASTER;
}
