// SPDX-License-Identifier: Apache-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * kmod.c - glue to the famfs kernel module (format.md §10-§11, ioctl.md)
 *
 * The kernel knows nothing of the log: user space mounts, creates the meta
 * files, and gives every file its extent map with one ioctl. This is the
 * only file that issues famfs ioctls or mount(2).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mntent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <linux/fs.h>
#include <linux/famfs_ioctl.h>

#include "libfamfs.h"

_Static_assert(sizeof(struct famfs_ioc_fmap) == 32, "famfs_ioc_fmap");
_Static_assert(sizeof(struct famfs_ioc_map) == 56, "famfs_ioc_map");
_Static_assert(sizeof(struct famfs_ioc_get_fmap) == 448, "famfs_ioc_get_fmap");

/* ------------------------------------------------------------ devices */

int famfs_dev_size(const char *dev, uint64_t *size, enum famfs_dev_kind *kind,
		   struct famfs_problem *p)
{
	char sysfs[128], buf[64];
	struct stat st;
	FILE *f;
	int fd, rc;

	if (stat(dev, &st) < 0)
		return famfs_problem_set(p, errno, -1, NULL, "%s: %s", dev,
					 strerror(errno));
	if (S_ISREG(st.st_mode)) {
		*kind = FAMFS_DEV_FILE;
		*size = (uint64_t)st.st_size;
		return 0;
	}
	if (S_ISBLK(st.st_mode)) {
		*kind = FAMFS_DEV_BLOCK;
		fd = open(dev, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return famfs_problem_set(p, errno, -1, NULL, "%s: %s",
						 dev, strerror(errno));
		rc = ioctl(fd, BLKGETSIZE64, size);
		rc = rc < 0 ? errno : 0;
		close(fd);
		if (rc)
			return famfs_problem_set(p, rc, -1, NULL,
				"%s: cannot get the size: %s", dev,
				strerror(rc));
		return 0;
	}
	if (S_ISCHR(st.st_mode)) {
		*kind = FAMFS_DEV_CHAR;
		snprintf(sysfs, sizeof(sysfs), "/sys/dev/char/%u:%u/size",
			 major(st.st_rdev), minor(st.st_rdev));
		f = fopen(sysfs, "re");
		if (!f)
			return famfs_problem_set(p, errno, -1, NULL,
				"%s: not a dax device (%s: %s)", dev, sysfs,
				strerror(errno));
		rc = fgets(buf, sizeof(buf), f) ? 0 : EIO;
		fclose(f);
		if (rc || famfs_parse_size(strtok(buf, "\n"), size) < 0)
			return famfs_problem_set(p, EIO, -1, NULL,
				"%s: cannot read the size from %s", dev, sysfs);
		return 0;
	}
	return famfs_problem_set(p, ENODEV, -1, NULL,
		"%s: not a dax/pmem device or an image file", dev);
}

/* does the mounts-table source @src name the same thing as @dev/@st? */
static bool same_dev(const char *src, const char *dev, const struct stat *st)
{
	char a[PATH_MAX], b[PATH_MAX];
	struct stat s2;

	if ((S_ISBLK(st->st_mode) || S_ISCHR(st->st_mode)) &&
	    stat(src, &s2) == 0 && (s2.st_mode & S_IFMT) == (st->st_mode & S_IFMT))
		return s2.st_rdev == st->st_rdev;
	return realpath(src, a) && realpath(dev, b) && !strcmp(a, b);
}

int famfs_dev_mounted(const char *dev, char *mnt, size_t mntlen)
{
	struct mntent *me;
	struct stat st;
	FILE *f;
	int found = 0;

	if (stat(dev, &st) < 0)
		return -errno;
	f = setmntent("/proc/self/mounts", "re");
	if (!f)
		return -errno;
	while ((me = getmntent(f))) {
		if (me->mnt_fsname[0] != '/')
			continue;
		if (same_dev(me->mnt_fsname, dev, &st)) {
			if (mnt)
				snprintf(mnt, mntlen, "%s", me->mnt_dir);
			found = 1;
			break;
		}
	}
	endmntent(f);
	return found;
}

bool famfs_is_famfs_mount(const char *path)
{
	struct statfs sfs;

	return statfs(path, &sfs) == 0 &&
	       (unsigned long)sfs.f_type == FAMFS_STATFS_MAGIC;
}

int famfs_find_mount(const char *abs, char *mnt, size_t mntlen)
{
	struct mntent *me;
	size_t best = 0;
	FILE *f;

	f = setmntent("/proc/self/mounts", "re");
	if (!f)
		return -errno;
	while ((me = getmntent(f))) {
		size_t n = strlen(me->mnt_dir);

		if (strcmp(me->mnt_type, "famfs") != 0)
			continue;
		if (strncmp(abs, me->mnt_dir, n) != 0 ||
		    (abs[n] != '/' && abs[n] != '\0' && n != 1))
			continue;
		if (n > best && n < mntlen) {
			best = n;
			strcpy(mnt, me->mnt_dir);
		}
	}
	endmntent(f);
	if (!best || !famfs_is_famfs_mount(mnt))
		return -ENOENT;
	return 0;
}

int famfs_kmount_opts(const char *dev, const char *mnt, unsigned long flags,
		      const char *data, struct famfs_problem *p)
{
	if (mount(dev, mnt, "famfs", flags, data ? data : "") == 0)
		return 0;
	if (errno == ENODEV)
		return famfs_problem_set(p, ENODEV, -1, NULL,
			"mount %s on %s: the kernel has no famfs file system (is the famfs module loaded? try: modprobe famfs)",
			dev, mnt);
	return famfs_problem_set(p, errno, -1, NULL, "mount %s on %s: %s", dev,
				 mnt, strerror(errno));
}

int famfs_kmount(const char *dev, const char *mnt, struct famfs_problem *p)
{
	return famfs_kmount_opts(dev, mnt, MS_NOATIME | MS_NOSUID | MS_NODEV,
				 "", p);
}

int famfs_mount_source(const char *mnt, char *dev, size_t len)
{
	struct mntent *me;
	int rc = -ENOENT;
	FILE *f;

	f = setmntent("/proc/self/mounts", "re");
	if (!f)
		return -errno;
	while ((me = getmntent(f)))
		if (!strcmp(me->mnt_dir, mnt) &&
		    !strcmp(me->mnt_type, "famfs")) {
			snprintf(dev, len, "%s", me->mnt_fsname);
			rc = 0;		/* the last one is on top */
		}
	endmntent(f);
	return rc;
}

int famfs_mount_dev_size(const char *mnt, uint64_t *size,
			 struct famfs_problem *p)
{
	enum famfs_dev_kind kind;
	char dev[PATH_MAX];

	if (famfs_mount_source(mnt, dev, sizeof(dev)) < 0)
		return famfs_problem_set(p, ENODEV, -1, NULL,
			"%s: cannot find the device of this famfs mount in /proc/self/mounts",
			mnt);
	return famfs_dev_size(dev, size, &kind, p);
}

/* -------------------------------------------------------------- maps */

int famfs_map_create(int fd, uint32_t file_type, uint64_t size,
		     const struct famfs_log_fmap *fmap, struct famfs_problem *p)
{
	struct famfs_ioc_simple_extent kse[FAMFS_MAX_SIMPLE_EXTENTS];
	struct famfs_ioc_simple_extent strips[FAMFS_MAX_NSTRIPS];
	struct famfs_ioc_interleaved_ext kie;
	struct famfs_ioc_fmap f;
	struct famfs_ioc_map v1;
	unsigned int i, n;

	memset(&f, 0, sizeof(f));
	f.fioc_file_size = size;
	f.fioc_file_type = file_type;
	if (fmap->fmap_ext_type == FAMFS_EXT_SIMPLE) {
		n = fmap->fmap_nextents;
		if (n < 1 || n > FAMFS_MAX_EXTENTS)
			return famfs_problem_set(p, EINVAL, -1, "fmap_nextents",
				"the map has %u extents; the kernel takes 1..%d",
				n, FAMFS_MAX_EXTENTS);
		for (i = 0; i < n; i++) {
			kse[i].devindex = fmap->se[i].se_devindex;
			kse[i].offset = fmap->se[i].se_offset;
			kse[i].len = fmap->se[i].se_len;
		}
		f.fioc_ext_type = FAMFS_IOC_EXT_SIMPLE;
		f.fioc_nextents = n;
		f.kse = (__u64)(uintptr_t)kse;
	} else {
		const struct famfs_interleaved_ext *ie = &fmap->ie[0];

		n = (unsigned int)ie->ie_nstrips;
		if (fmap->fmap_niext != 1 || n < 1 || n > FAMFS_MAX_STRIPS)
			return famfs_problem_set(p, EINVAL, -1, "ie_nstrips",
				"unsupported interleaved map (%u extents, %u strips)",
				fmap->fmap_niext, n);
		for (i = 0; i < n; i++) {
			strips[i].devindex = ie->ie_strips[i].se_devindex;
			strips[i].offset = ie->ie_strips[i].se_offset;
			strips[i].len = ie->ie_strips[i].se_len;
		}
		kie.ie_nstrips = n;
		kie.ie_chunk_size = ie->ie_chunk_size;
		kie.ie_nbytes = famfs_fmap_capacity(fmap);
		kie.ie_strips = (__u64)(uintptr_t)strips;
		f.fioc_ext_type = FAMFS_IOC_EXT_INTERLEAVE;
		f.fioc_niext = 1;
		f.kie = (__u64)(uintptr_t)&kie;
	}
	if (ioctl(fd, FAMFSIOC_MAP_CREATE_V2, &f) == 0)
		return 0;
	if (errno != ENOTTY)
		return famfs_problem_set(p, errno, -1, NULL,
			"FAMFSIOC_MAP_CREATE_V2: %s", strerror(errno));

	/* a KABI-42 module: v1 takes up to two simple extents */
	if (fmap->fmap_ext_type != FAMFS_EXT_SIMPLE)
		return famfs_problem_set(p, EOPNOTSUPP, -1, NULL,
			"the famfs module (KABI 42) cannot map interleaved files");
	memset(&v1, 0, sizeof(v1));
	v1.extent_type = SIMPLE_DAX_EXTENT;
	v1.file_type = file_type;
	v1.file_size = size;
	v1.ext_list_count = fmap->fmap_nextents;
	for (i = 0; i < fmap->fmap_nextents; i++) {
		v1.ext_list[i].offset = fmap->se[i].se_offset;
		v1.ext_list[i].len = fmap->se[i].se_len;
	}
	if (ioctl(fd, FAMFSIOC_MAP_CREATE, &v1) == 0)
		return 0;
	return famfs_problem_set(p, errno, -1, NULL, "FAMFSIOC_MAP_CREATE: %s",
				 strerror(errno));
}

bool famfs_fd_is_famfs(int fd)
{
	return ioctl(fd, FAMFSIOC_NOP, 0) == 0;
}

int famfs_map_get(int fd, struct famfs_ioc_get_fmap *out)
{
	struct famfs_extent ext[FAMFS_MAX_EXTENTS];
	struct famfs_ioc_map v1;
	unsigned int i;

	if (!famfs_fd_is_famfs(fd))
		return -ENOTTY;
	memset(out, 0, sizeof(*out));
	if (ioctl(fd, FAMFSIOC_MAP_GET_V2, out) == 0)
		return 0;
	if (errno != ENOTTY)
		return -ENODATA;
	memset(&v1, 0, sizeof(v1));
	if (ioctl(fd, FAMFSIOC_MAP_GET, &v1) < 0 || v1.ext_list_count == 0 ||
	    v1.ext_list_count > FAMFS_MAX_EXTENTS)
		return -ENODATA;
	if (ioctl(fd, FAMFSIOC_MAP_GETEXT, ext) < 0)
		return -ENODATA;
	out->iocmap.fioc_file_size = v1.file_size;
	out->iocmap.fioc_file_type = v1.file_type;
	out->iocmap.fioc_ext_type = FAMFS_IOC_EXT_SIMPLE;
	out->iocmap.fioc_nextents = (__u32)v1.ext_list_count;
	for (i = 0; i < v1.ext_list_count; i++) {
		out->ikse[i].offset = ext[i].offset;
		out->ikse[i].len = ext[i].len;
	}
	return 0;
}

/* ------------------------------------------------------- meta files */

static int meta_file(const char *path, uint32_t type, mode_t mode,
		     uint64_t off, uint64_t len, struct famfs_problem *p)
{
	struct famfs_ioc_get_fmap cur;
	struct famfs_log_fmap fm;
	int fd, rc;

	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, mode);
	if (fd < 0)
		return famfs_problem_set(p, errno, -1, NULL, "%s: %s", path,
					 strerror(errno));
	if (famfs_map_get(fd, &cur) == 0) {
		close(fd);		/* mapped by an earlier mount step */
		return 0;
	}
	memset(&fm, 0, sizeof(fm));
	fm.fmap_ext_type = FAMFS_EXT_SIMPLE;
	fm.fmap_nextents = 1;
	fm.se[0].se_offset = off;
	fm.se[0].se_len = len;
	rc = famfs_map_create(fd, type, len, &fm, p);
	close(fd);
	if (rc) {
		char tmp[sizeof(p->msg)];

		if (p) {
			snprintf(tmp, sizeof(tmp), "%s", p->msg);
			famfs_problem_set(p, -rc, -1, NULL, "%s: %s", path, tmp);
		}
		unlink(path);
	}
	return rc;
}

static int sb_read(const char *path, struct famfs_superblock *sb,
		   struct famfs_problem *p)
{
	void *a;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return famfs_problem_set(p, errno, -1, NULL, "%s: %s", path,
					 strerror(errno));
	a = mmap(NULL, FAMFS_SUPERBLOCK_SIZE, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (a == MAP_FAILED)
		return famfs_problem_set(p, errno, -1, NULL, "%s: mmap: %s",
					 path, strerror(errno));
	famfs_cpu_invalidate(a, sizeof(*sb));
	memcpy(sb, a, sizeof(*sb));
	munmap(a, FAMFS_SUPERBLOCK_SIZE);
	return 0;
}

int famfs_mkmeta(const char *mnt, uint64_t log_len, const char *uuid_path,
		 struct famfs_problem *p)
{
	struct famfs_superblock sb;
	char path[PATH_MAX + 32];
	mode_t log_mode = 0644;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", mnt, FAMFS_META_DIR);
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		return famfs_problem_set(p, errno, -1, NULL, "%s: %s", path,
					 strerror(errno));
	snprintf(path, sizeof(path), "%s/%s", mnt, FAMFS_SB_PATH);
	rc = meta_file(path, FAMFS_SUPERBLOCK, 0444, 0, FAMFS_SUPERBLOCK_SIZE, p);
	if (rc)
		return rc;
	if (!log_len) {
		struct famfs_problem sp;

		rc = sb_read(path, &sb, p);
		if (rc)
			return rc;
		/* keep the field: fsck classifies the problem by it */
		if (famfs_sb_check(&sb, &sp))
			return famfs_problem_set(p, EUCLEAN, -1, sp.field,
				"no valid famfs superblock: %s", sp.msg);
		log_len = sb.ts_log_len;
		if (famfs_role(&sb, uuid_path, NULL) != FAMFS_ROLE_MASTER)
			log_mode = 0444;
	}
	snprintf(path, sizeof(path), "%s/%s", mnt, FAMFS_LOG_PATH);
	return meta_file(path, FAMFS_LOG, log_mode, FAMFS_LOG_OFFSET, log_len, p);
}

int famfs_dummy_mount(const char *dev, uint64_t log_len, char *mnt,
		      size_t mntlen, struct famfs_problem *p)
{
	char tmpl[] = "/tmp/famfs_dummy_XXXXXX";
	int rc;

	if (!mkdtemp(tmpl))
		return famfs_problem_set(p, errno, -1, NULL,
			"cannot create a temporary mount point: %s",
			strerror(errno));
	rc = famfs_kmount(dev, tmpl, p);
	if (rc) {
		rmdir(tmpl);
		return rc;
	}
	rc = famfs_mkmeta(tmpl, log_len, NULL, p);
	if (rc) {
		famfs_dummy_umount(tmpl);
		return rc;
	}
	snprintf(mnt, mntlen, "%s", tmpl);
	return 0;
}

void famfs_dummy_umount(const char *mnt)
{
	if (umount2(mnt, 0) < 0)
		fprintf(stderr, "famfs: umount %s: %s\n", mnt, strerror(errno));
	else
		rmdir(mnt);
}

/* ------------------------------------------- play_ops in a real mount */

static void full_path(const char *mnt, const char *rel, char *out, size_t len)
{
	snprintf(out, len, "%s%s%s", mnt, strcmp(mnt, "/") ? "/" : "", rel);
}

static int k_mkdir(void *ctx, const char *rel, const struct famfs_log_mkdir *md,
		   bool client, struct famfs_problem *p)
{
	mode_t mode = md->md_mode & 07777;
	char path[PATH_MAX + 100];
	struct stat st;

	full_path(ctx, rel, path, sizeof(path));
	if (client)
		mode &= ~0222u;
	if (mkdir(path, mode) < 0) {
		if (errno != EEXIST)
			return famfs_problem_set(p, errno, -1, NULL,
				"mkdir %s: %s", path, strerror(errno));
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
			return -EEXIST;
		return famfs_problem_set(p, ENOTDIR, -1, NULL,
			"%s exists and is not a directory", path);
	}
	/* mkdir(2) applied the umask: set the logged mode exactly */
	if (chmod(path, mode) < 0 ||
	    ((md->md_uid || md->md_gid) &&
	     chown(path, md->md_uid, md->md_gid) < 0))
		return famfs_problem_set(p, errno, -1, NULL,
			"set mode/owner of %s: %s", path, strerror(errno));
	return 0;
}

static int k_mkfile(void *ctx, const char *rel,
		    const struct famfs_log_file_meta *fm, bool client,
		    struct famfs_problem *p)
{
	mode_t mode = fm->fm_mode & 07777;
	char path[PATH_MAX + 100];
	int fd, rc;

	full_path(ctx, rel, path, sizeof(path));
	if (client)
		mode &= ~0222u;
	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (fd < 0) {
		if (errno == EEXIST)
			return -EEXIST;
		return famfs_problem_set(p, errno, -1, NULL, "create %s: %s",
					 path, strerror(errno));
	}
	if (fchmod(fd, mode) < 0 ||
	    ((fm->fm_uid || fm->fm_gid) &&
	     fchown(fd, fm->fm_uid, fm->fm_gid) < 0)) {
		rc = famfs_problem_set(p, errno, -1, NULL,
			"set mode/owner of %s: %s", path, strerror(errno));
		goto undo;
	}
	rc = famfs_map_create(fd, FAMFS_REG, fm->fm_size, &fm->fm_fmap, p);
	if (rc)
		goto undo;
	close(fd);
	return 0;
undo:
	/* leave no unmapped file behind: the next logplay retries it */
	close(fd);
	unlink(path);
	return rc;
}

/* a dry run's question: is the logged object already in the mount? */
static bool k_exists(void *ctx, const char *rel)
{
	char path[PATH_MAX + 100];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", (const char *)ctx, rel);
	return lstat(path, &st) == 0;
}

void famfs_kernel_ops(struct famfs_play_ops *ops, const char *mnt)
{
	ops->mkdir = k_mkdir;
	ops->mkfile = k_mkfile;
	ops->ctx = (void *)mnt;
	ops->exists = k_exists;
}
