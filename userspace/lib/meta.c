// SPDX-License-Identifier: Apache-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * meta.c - open the superblock and log: heap buffer, image file, or the
 * .meta files of a mounted famfs (format.md §11: after mount, all access to
 * the metadata goes through the meta files)
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libfamfs.h"

static void meta_reset(struct famfs_meta *m)
{
	memset(m, 0, sizeof(*m));
	m->sb_fd = m->log_fd = m->img_fd = -1;
}

static int meta_check(struct famfs_meta *m, unsigned int flags,
		      struct famfs_problem *p)
{
	int rc;

	if (flags & FAMFS_META_NOCHECK)
		return 0;
	rc = famfs_sb_check(m->sb, p);
	if (rc)
		return rc;
	rc = famfs_sb_dev_check(m->sb, m->dev_size, p);
	if (rc)
		return rc;
	if (m->sb->ts_log_len != m->log_len)
		return famfs_problem_set(p, EINVAL, -1, "ts_log_len",
			"superblock log length %llu, the log is %llu bytes",
			(unsigned long long)m->sb->ts_log_len,
			(unsigned long long)m->log_len);
	return famfs_log_check(m->log, m->log_len, p);
}

int famfs_meta_from_buffer(struct famfs_meta *m, void *buf, size_t buflen,
			   uint64_t log_len, struct famfs_problem *p)
{
	int rc;

	meta_reset(m);
	if (buflen < FAMFS_LOG_OFFSET + sizeof(struct famfs_log))
		return famfs_problem_set(p, EINVAL, -1, NULL,
					 "buffer of %zu bytes is too small", buflen);
	m->sb = buf;
	if (!log_len) {
		rc = famfs_sb_check(m->sb, p);
		if (rc)
			return rc;
		log_len = m->sb->ts_log_len;
	}
	if (buflen < FAMFS_LOG_OFFSET + log_len)
		return famfs_problem_set(p, EINVAL, -1, NULL,
			"buffer of %zu bytes cannot hold a %llu-byte log",
			buflen, (unsigned long long)log_len);
	m->log = (struct famfs_log *)((char *)buf + FAMFS_LOG_OFFSET);
	m->log_len = log_len;
	m->flush = FAMFS_FLUSH_NONE;
	m->writable = true;
	return 0;
}

int famfs_meta_open_image(struct famfs_meta *m, const char *path,
			  unsigned int flags, uint64_t log_len,
			  struct famfs_problem *p)
{
	bool wr = flags & FAMFS_META_WRITE;
	struct famfs_superblock sb;
	struct stat st;
	void *map;
	int rc;

	meta_reset(m);
	m->img_fd = open(path, (wr ? O_RDWR : O_RDONLY) | O_CLOEXEC);
	if (m->img_fd < 0)
		return famfs_problem_set(p, errno, -1, NULL, "%s: %s", path,
					 strerror(errno));
	if ((flags & FAMFS_META_LOCK) && flock(m->img_fd, LOCK_EX) < 0) {
		rc = famfs_problem_set(p, errno, -1, NULL, "%s: lock: %s",
				       path, strerror(errno));
		goto fail;
	}
	if (fstat(m->img_fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		rc = famfs_problem_set(p, ENODEV, -1, NULL,
				       "%s: not a regular file", path);
		goto fail;
	}
	if (!log_len) {
		if (pread(m->img_fd, &sb, sizeof(sb), 0) != sizeof(sb)) {
			rc = famfs_problem_set(p, EIO, -1, NULL,
				"%s: cannot read the superblock", path);
			goto fail;
		}
		rc = famfs_sb_check(&sb, p);
		if (rc && !(flags & FAMFS_META_NOCHECK))
			goto fail;
		/* fsck: map what there is; a short log is its finding */
		log_len = rc ? FAMFS_LOG_LEN_MIN : sb.ts_log_len;
		if ((flags & FAMFS_META_NOCHECK) &&
		    (uint64_t)st.st_size < FAMFS_LOG_OFFSET + log_len &&
		    (uint64_t)st.st_size >= FAMFS_LOG_OFFSET +
					    sizeof(struct famfs_log))
			log_len = (uint64_t)st.st_size - FAMFS_LOG_OFFSET;
	}
	if ((uint64_t)st.st_size < FAMFS_LOG_OFFSET + log_len) {
		rc = famfs_problem_set(p, EINVAL, -1, NULL,
			"%s: %lld bytes cannot hold superblock and a %llu-byte log",
			path, (long long)st.st_size,
			(unsigned long long)log_len);
		goto fail;
	}
	m->img_map_len = FAMFS_LOG_OFFSET + log_len;
	map = mmap(NULL, m->img_map_len, PROT_READ | (wr ? PROT_WRITE : 0),
		   MAP_SHARED, m->img_fd, 0);
	if (map == MAP_FAILED) {
		rc = famfs_problem_set(p, errno, -1, NULL, "%s: mmap: %s",
				       path, strerror(errno));
		goto fail;
	}
	m->img_map = map;
	m->sb = map;
	m->log = (struct famfs_log *)((char *)map + FAMFS_LOG_OFFSET);
	m->log_len = log_len;
	m->dev_size = (uint64_t)st.st_size;	/* an image is its device */
	m->flush = FAMFS_FLUSH_MSYNC;
	m->writable = wr;
	rc = meta_check(m, flags, p);
	if (rc)
		goto fail;
	return 0;
fail:
	famfs_meta_close(m);
	return rc;
}

/*
 * Open one meta file of a mount (@name below @mnt), optionally take the
 * log lock on it, check it holds at least @min bytes and map all of it.
 * On success *@fd, *@map and *@len describe the mapping; on failure the
 * caller's famfs_meta_close() releases whatever was set.
 */
static int map_meta_file(const char *mnt, const char *name, bool wr,
			 bool lock, size_t min, const char *what, int *fd,
			 void **map, size_t *len, struct famfs_problem *p)
{
	char path[4200];
	struct stat st;
	void *a;

	snprintf(path, sizeof(path), "%s/%s", mnt, name);
	*fd = open(path, (wr ? O_RDWR : O_RDONLY) | O_CLOEXEC);
	if (*fd < 0)
		return famfs_problem_set(p, errno, -1, NULL, "%s: %s", path,
					 strerror(errno));
	if (lock && flock(*fd, LOCK_EX) < 0)
		return famfs_problem_set(p, errno, -1, NULL, "%s: lock: %s",
					 path, strerror(errno));
	if (fstat(*fd, &st) < 0 || (uint64_t)st.st_size < min)
		return famfs_problem_set(p, EINVAL, -1, NULL,
			"%s: not a mapped %s file (size %lld)", path, what,
			(long long)st.st_size);
	a = mmap(NULL, (size_t)st.st_size, PROT_READ | (wr ? PROT_WRITE : 0),
		 MAP_SHARED, *fd, 0);
	if (a == MAP_FAILED)
		return famfs_problem_set(p, errno, -1, NULL, "%s: mmap: %s",
					 path, strerror(errno));
	*map = a;
	*len = (size_t)st.st_size;
	return 0;
}

int famfs_meta_open_mount(struct famfs_meta *m, const char *mnt,
			  unsigned int flags, struct famfs_problem *p)
{
	bool wr = flags & FAMFS_META_WRITE;
	bool sbwr = wr && (flags & FAMFS_META_SB_WRITE);
	void *map;
	int rc;

	meta_reset(m);
	snprintf(m->mnt, sizeof(m->mnt), "%s", mnt);

	rc = map_meta_file(mnt, FAMFS_SB_PATH, sbwr, false,
			   sizeof(struct famfs_superblock), "superblock",
			   &m->sb_fd, &map, &m->sb_map_len, p);
	if (rc)
		goto fail;
	m->sb_map = map;
	m->sb = m->sb_map;
	m->flush = FAMFS_FLUSH_CPU;
	/* another host may have rewritten it: do not trust our cache */
	famfs_meta_invalidate(m, m->sb, sizeof(*m->sb));

	/* the real device size: the superblock's dd_size is outside its CRC */
	rc = famfs_mount_dev_size(mnt, &m->dev_size, p);
	if (rc && wr)
		goto fail;	/* never write without knowing the device */
	if (rc)
		m->dev_size = 0;

	rc = map_meta_file(mnt, FAMFS_LOG_PATH, wr, flags & FAMFS_META_LOCK,
			   sizeof(struct famfs_log), "log", &m->log_fd, &map,
			   &m->log_map_len, p);
	if (rc)
		goto fail;
	m->log_map = map;
	m->log = m->log_map;
	m->log_len = m->log_map_len;
	m->writable = wr;
	famfs_meta_invalidate(m, m->log, sizeof(*m->log));
	rc = meta_check(m, flags, p);
	if (rc)
		goto fail;
	return 0;
fail:
	famfs_meta_close(m);
	return rc;
}

void famfs_meta_flush(struct famfs_meta *m, const void *addr, size_t len)
{
	long pg = sysconf(_SC_PAGESIZE);
	uintptr_t a, e;

	m->flushed_bytes += len;
	switch (m->flush) {
	case FAMFS_FLUSH_CPU:
		famfs_cpu_writeback(addr, len);
		break;
	case FAMFS_FLUSH_MSYNC:
		a = (uintptr_t)addr & ~((uintptr_t)pg - 1);
		e = (uintptr_t)addr + len;
		msync((void *)a, e - a, MS_SYNC);
		break;
	case FAMFS_FLUSH_NONE:
		break;
	}
	famfs_crash_flush(addr, len);	/* test hook, crashpoint.c */
}

void famfs_meta_invalidate(const struct famfs_meta *m, const void *addr,
			   size_t len)
{
	if (m->flush == FAMFS_FLUSH_CPU)
		famfs_cpu_invalidate(addr, len);
	if (m->invalidate_hook)
		m->invalidate_hook(m->hook_ctx, addr, len);
}

int famfs_sb_dev_check(const struct famfs_superblock *sb, uint64_t dev_size,
		       struct famfs_problem *p)
{
	char a[32], b[32];

	if (!dev_size || sb->ts_daxdev.dd_size == dev_size)
		return 0;
	return famfs_problem_set(p, EUCLEAN, -1, "dd_size",
		"the superblock says the device holds %llu bytes (%s), the device has %llu (%s); the superblock is damaged or belongs to another device: run famfs fsck",
		(unsigned long long)sb->ts_daxdev.dd_size,
		famfs_size_str(sb->ts_daxdev.dd_size, a, sizeof(a)),
		(unsigned long long)dev_size,
		famfs_size_str(dev_size, b, sizeof(b)));
}

void famfs_meta_close(struct famfs_meta *m)
{
	famfs_log_index_free(m->ix);
	if (m->img_map)
		munmap(m->img_map, m->img_map_len);
	if (m->sb_map)
		munmap(m->sb_map, m->sb_map_len);
	if (m->log_map)
		munmap(m->log_map, m->log_map_len);
	if (m->img_fd >= 0)
		close(m->img_fd);	/* also drops the flock */
	if (m->sb_fd >= 0)
		close(m->sb_fd);
	if (m->log_fd >= 0)
		close(m->log_fd);
	meta_reset(m);
}
