// SPDX-License-Identifier: Apache-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * mkfs.c - write a new superblock and an empty log (format.md §12), and find
 * what a device holds before it is overwritten
 *
 * Write order, so that a crash at any store or flush (crashpoint.c) leaves
 * either the old file system untouched, no file system at all (no famfs
 * magic: mount and logplay refuse, mkfs runs again without -f), or the new
 * one with an empty log -- never a valid superblock over a log that holds
 * entries of another file system:
 *
 *	1. zero the superblock magic, flush	(the old fs is gone)
 *	2. zero the rest of the 2 MiB superblock region, flush (the format's
 *	   padding is zero; this also erases signatures of other file
 *	   systems kept there, such as ext4's at 1 KiB)
 *	3. zero the whole log, flush		(no old entry survives)
 *	4. write the log header, flush
 *	5. write the superblock with magic 0, flush
 *	6. write the magic (one 8-byte store), flush	(the new fs exists)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <blkid.h>

#include "libfamfs.h"

int famfs_sb_describe(const struct famfs_superblock *sb, char *buf,
		      size_t len)
{
	struct famfs_problem why;
	char u[37], s[37];

	if (sb->ts_magic != FAMFS_SUPER_MAGIC)
		return 0;
	famfs_uuid_str(sb->ts_uuid, u);
	if (famfs_sb_check(sb, &why) == 0)
		snprintf(buf, len,
			 "a famfs file system (superblock version %llu, uuid %s, master %s)",
			 (unsigned long long)sb->ts_version, u,
			 famfs_uuid_str(sb->ts_system_uuid, s));
	else
		snprintf(buf, len,
			 "a famfs superblock (version %llu, uuid %s) that does not check: %s",
			 (unsigned long long)sb->ts_version, u, why.msg);
	return 1;
}

int famfs_mkfs(struct famfs_meta *m, const struct famfs_mkfs_params *mp,
	       bool force, struct famfs_problem *p)
{
	uint64_t log_len = mp->log_len ? mp->log_len : FAMFS_LOG_LEN_DEFAULT;
	/* a mount's .meta/.superblock maps the region; a buffer or an
	 * image holds it whole */
	size_t sb_region = m->sb_map && m->sb_map_len < FAMFS_SUPERBLOCK_SIZE ?
			   m->sb_map_len : FAMFS_SUPERBLOCK_SIZE;
	struct famfs_superblock sb;
	char what[400];
	int rc;

	if (!m->writable)
		return famfs_problem_set(p, EROFS, -1, NULL,
					 "the device is open read-only");
	if (!force && famfs_sb_describe(m->sb, what, sizeof(what)))
		return famfs_problem_set(p, EEXIST, -1, "ts_magic",
			"holds %s; use -f to overwrite it", what);
	rc = famfs_sb_init(&sb, mp, p);
	if (rc)
		return rc;
	if (m->log_len < log_len)
		return famfs_problem_set(p, EINVAL, -1, NULL,
			"the log mapping is %llu bytes, %llu needed",
			(unsigned long long)m->log_len,
			(unsigned long long)log_len);

	m->sb->ts_magic = 0;
	famfs_crash_point("mkfs:sb-magic-zeroed");
	famfs_meta_flush(m, &m->sb->ts_magic, sizeof(m->sb->ts_magic));

	memset((char *)m->sb + sizeof(m->sb->ts_magic), 0,
	       sb_region - sizeof(m->sb->ts_magic));
	famfs_crash_point("mkfs:sb-region-zeroed");
	famfs_meta_flush(m, m->sb, sb_region);

	memset(m->log, 0, log_len);
	famfs_crash_point("mkfs:log-zeroed");
	famfs_meta_flush(m, m->log, log_len);

	famfs_log_init(m->log, log_len);
	famfs_crash_point("mkfs:log-header-written");
	famfs_meta_flush(m, m->log, sizeof(*m->log));

	memcpy(m->sb, &sb, sizeof(sb));
	m->sb->ts_magic = 0;
	famfs_crash_point("mkfs:sb-body-written");
	famfs_meta_flush(m, m->sb, sizeof(*m->sb));

	m->sb->ts_magic = sb.ts_magic;
	famfs_crash_point("mkfs:sb-magic-written");
	famfs_meta_flush(m, &m->sb->ts_magic, sizeof(m->sb->ts_magic));
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

/* append ", " and @s to @buf (truncating, never overflowing) */
static void join(char *buf, size_t len, const char *s)
{
	size_t n = strlen(buf);

	if (n + 1 < len)
		snprintf(buf + n, len - n, "%s%s", n ? ", " : "", s);
}

/* what the probe's current result names: "ext4 file system (label ...)" */
static void describe_one(blkid_probe pr, char *buf, size_t len)
{
	const char *type = NULL, *usage = NULL, *label = NULL, *uuid = NULL;
	const char *kind = " signature";
	char one[256];
	int n;

	if (blkid_probe_lookup_value(pr, "TYPE", &type, NULL) == 0) {
		blkid_probe_lookup_value(pr, "USAGE", &usage, NULL);
		blkid_probe_lookup_value(pr, "LABEL", &label, NULL);
		blkid_probe_lookup_value(pr, "UUID", &uuid, NULL);
		if (usage && !strcmp(usage, "filesystem"))
			kind = " file system";
		else if (usage && !strcmp(usage, "raid"))
			kind = " RAID member";
		else if (usage && !strcmp(usage, "crypto"))
			kind = " encrypted volume";
		n = snprintf(one, sizeof(one), "%s%s", type, kind);
		if (n < 0 || (size_t)n >= sizeof(one))
			n = 0;
		if (label && uuid)
			snprintf(one + n, sizeof(one) - (size_t)n,
				 " (label \"%s\", uuid %s)", label, uuid);
		else if (label)
			snprintf(one + n, sizeof(one) - (size_t)n,
				 " (label \"%s\")", label);
		else if (uuid)
			snprintf(one + n, sizeof(one) - (size_t)n,
				 " (uuid %s)", uuid);
		join(buf, len, one);
	} else if (blkid_probe_lookup_value(pr, "PTTYPE", &type, NULL) == 0) {
		snprintf(one, sizeof(one), "%s partition table", type);
		join(buf, len, one);
	}
}

int famfs_sig_probe(const char *path, int fd, char *found, size_t len,
		    struct famfs_problem *p)
{
	blkid_probe pr;
	int rc, n = 0;

	found[0] = '\0';
	if (fd >= 0) {
		pr = blkid_new_probe();
		if (pr && blkid_probe_set_device(pr, fd, 0, 0) < 0) {
			blkid_free_probe(pr);
			pr = NULL;
		}
	} else {
		pr = blkid_new_probe_from_filename(path);
	}
	if (!pr)
		return famfs_problem_set(p, errno ? errno : EIO, -1, NULL,
			"%s: libblkid cannot probe it: %s", path,
			strerror(errno ? errno : EIO));
	blkid_probe_enable_superblocks(pr, 1);
	blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_TYPE |
					  BLKID_SUBLKS_USAGE |
					  BLKID_SUBLKS_LABEL |
					  BLKID_SUBLKS_UUID);
	blkid_probe_enable_partitions(pr, 1);
	blkid_probe_set_partitions_flags(pr, BLKID_PARTS_MAGIC);

	rc = blkid_do_safeprobe(pr);
	if (rc == 0) {
		describe_one(pr, found, len);
		n = 1;
	} else if (rc == -2) {
		/* ambivalent: more than one signature; name them all, as
		 * wipefs does, by walking them one by one */
		blkid_reset_probe(pr);
		while (blkid_do_probe(pr) == 0) {
			describe_one(pr, found, len);
			n++;
		}
		if (!n) {
			snprintf(found, len, "more than one signature");
			n = 1;
		}
	} else if (rc < 0) {
		blkid_free_probe(pr);
		return famfs_problem_set(p, EIO, -1, NULL,
			"%s: the libblkid probe failed", path);
	}
	blkid_free_probe(pr);
	return n;
}

int famfs_sig_probe_meta(const struct famfs_meta *m, const char *path,
			 char *found, size_t len, struct famfs_problem *p)
{
	size_t sblen = m->sb_map && m->sb_map_len < FAMFS_LOG_OFFSET ?
		       m->sb_map_len : FAMFS_LOG_OFFSET;
	int fd, rc;

	/* libblkid reads with read(2), which a dax device does not have:
	 * give it a copy of what famfs maps (superblock region and log) */
	fd = memfd_create("famfs-probe", MFD_CLOEXEC);
	if (fd < 0)
		return famfs_problem_set(p, errno, -1, NULL, "memfd_create: %s",
					 strerror(errno));
	if (pwrite(fd, m->sb, sblen, 0) != (ssize_t)sblen ||
	    pwrite(fd, m->log, m->log_len, FAMFS_LOG_OFFSET) !=
	    (ssize_t)m->log_len) {
		rc = famfs_problem_set(p, EIO, -1, NULL,
			"%s: cannot copy the metadata for libblkid", path);
		close(fd);
		return rc;
	}
	rc = famfs_sig_probe(path, fd, found, len, p);
	close(fd);
	return rc;
}

int famfs_sig_wipe(const char *path, char *wiped, size_t len,
		   struct famfs_problem *p)
{
	blkid_probe pr;
	int fd, rc, n = 0;

	wiped[0] = '\0';
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return famfs_problem_set(p, errno, -1, NULL, "%s: %s", path,
					 strerror(errno));
	pr = blkid_new_probe();
	if (!pr || blkid_probe_set_device(pr, fd, 0, 0) < 0) {
		rc = famfs_problem_set(p, EIO, -1, NULL,
			"%s: libblkid cannot probe it", path);
		goto out;
	}
	blkid_probe_enable_superblocks(pr, 1);
	blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_MAGIC |
					  BLKID_SUBLKS_TYPE |
					  BLKID_SUBLKS_USAGE |
					  BLKID_SUBLKS_BADCSUM);
	blkid_probe_enable_partitions(pr, 1);
	blkid_probe_set_partitions_flags(pr, BLKID_PARTS_MAGIC |
					 BLKID_PARTS_FORCE_GPT);
	/* the wipefs loop: each wipe steps the probe back, so the same
	 * chain is probed again until nothing is left */
	while (blkid_do_probe(pr) == 0) {
		describe_one(pr, wiped, len);
		if (blkid_do_wipe(pr, 0) < 0) {
			rc = famfs_problem_set(p, errno ? errno : EIO, -1, NULL,
				"%s: cannot erase the signature of %s", path,
				wiped);
			goto out;
		}
		if (++n > 64) {
			rc = famfs_problem_set(p, ELOOP, -1, NULL,
				"%s: signatures keep coming back after %d wipes",
				path, n);
			goto out;
		}
	}
	if (fsync(fd) < 0) {
		rc = famfs_problem_set(p, errno, -1, NULL, "%s: fsync: %s",
				       path, strerror(errno));
		goto out;
	}
	rc = n;
out:
	if (pr)
		blkid_free_probe(pr);
	close(fd);
	return rc;
}
