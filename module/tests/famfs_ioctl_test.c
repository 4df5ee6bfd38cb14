// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * famfs_ioctl_test - exercise famfs.ko's ioctls and data path directly
 *
 *   famfs_ioctl_test selftest MOUNTDIR DEVSIZE
 *       run every check on an empty famfs mount over a device of DEVSIZE
 *       bytes (>= 64 MiB); prints "ok NAME" / "FAIL NAME ..." and exits with
 *       the number of failures
 *   famfs_ioctl_test badinput MOUNTDIR DEVSIZE DEVICE SCRATCHDIR
 *       every bad input of the map ioctls and of mount, as root and again
 *       as uid/gid 65534 without capabilities (and in a user namespace),
 *       checking the exact errno; a check that cannot run prints "skip NAME
 *       REASON" (not a pass); exits with the number of failures
 *   famfs_ioctl_test faultcount FILE             mmap FILE shared, write every
 *       byte, then read every byte back (for the fault-count tracepoint check)
 *   famfs_ioctl_test mapmany DIR N [BASE]        create N files DIR/mNNN, file i
 *       mapped to 2 MiB at BASE + i * 2 MiB (default 512 MiB) - leak checks
 *   famfs_ioctl_test map FILE OFFSET LEN SIZE    MAP_CREATE_V2, one extent
 *   famfs_ioctl_test nspolicy MOUNTDIR OFFSET    the namespace policy: in
 *       MOUNTDIR/nsp, every namespace operation the log cannot record
 *       (unlink of a mapped file, rmdir, rename, link, symlink, mknod,
 *       truncate) fails with EPERM and changes nothing (names, inode, size,
 *       link count, every byte of a file mapped at OFFSET, 4 MiB); create,
 *       mkdir and unlink of an unmapped file work. Prints ok/FAIL, exits
 *       with the number of failures
 *   famfs_ioctl_test get FILE                    print MAP_GET_V2
 *   famfs_ioctl_test touch FILE                  mmap FILE shared, write every
 *       2 MiB, print the mapping address (for the PMD-fault check)
 *   famfs_ioctl_test poison FILE OFFSET          madvise(MADV_HWPOISON) the page
 *       at OFFSET of a shared mapping (needs CAP_SYS_ADMIN, MEMORY_FAILURE)
 *   famfs_ioctl_test pread FILE OFFSET           read 4 KiB; exit 0, print errno
 *   famfs_ioctl_test mmapread FILE OFFSET        load one byte through a new
 *       mapping in a child; prints "signal N", "mmap ERRNO" ("mmap EIO") or
 *       "ok"
 *   famfs_ioctl_test holdread FILE OFFSET FLAG   mmap FILE now, create
 *       FLAG.mapped, wait until the file FLAG exists, then load the byte at
 *       OFFSET (exit 0 if it worked, killed by SIGBUS if the memory failed)
 *   famfs_ioctl_test holdtouch FILE FLAG         mmap FILE shared, write and
 *       read a byte in every 2 MiB (the mapping now holds PMDs), create
 *       FLAG.mapped, wait until FLAG exists, then load byte 0 again (exit 0 if
 *       it worked, killed by SIGBUS once the device is gone)
 *   famfs_ioctl_test pwrite FILE OFFSET          write 4 KiB; exit 0, print errno
 *   famfs_ioctl_test sys OP ARGS...              one system call, for exact
 *       errno checks: mount DEV DIR [OPTS] (mount(2) as famfs), remount DIR
 *       OPTS (MS_REMOUNT), umount DIR, rmmod NAME (delete_module(2),
 *       O_NONBLOCK as rmmod does), insmod KO (finit_module(2)), unlink P,
 *       rmdir P, rename A B, symlink TARGET P, map FILE OFFSET LEN SIZE
 *       (MAP_CREATE_V2, one extent). Prints "ok" or the errno's name
 *       ("EBUSY") and exits with 0 or the errno
 *   famfs_ioctl_test interleave MOUNTDIR DEVSIZE  multi-extent interleaved
 *       maps at 64 MiB..: read/write and mmap agree on every byte; leaves the
 *       files holding a known pattern (prints ok/FAIL, exits with failures)
 *   famfs_ioctl_test ilayout MOUNTDIR DEVSIZE    after a remount of the
 *       device "interleave" wrote: every strip, mapped as a plain file, holds
 *       the bytes the interleave formula puts there
 *
 * Build: gcc -O2 -static -Wall -I../uapi -o famfs_ioctl_test famfs_ioctl_test.c
 * Numbers accept 0x prefixes and K/M/G suffixes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/falloc.h>

#include "linux/famfs_ioctl.h"

#define MiB (1ULL << 20)

static int failures;
static const char *mnt;
static uint64_t devsize;
/* badinput: names get this prefix; when set, map ioctls must give EPERM */
static const char *prefix = "";
static int unprivileged;

static void check(int cond, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void check(int cond, const char *name, const char *fmt, ...)
{
	va_list ap;

	if (cond) {
		printf("ok %s%s\n", prefix, name);
		return;
	}
	failures++;
	printf("FAIL %s%s: ", prefix, name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* expect "rc" (0 or -1) and, when -1, errno "err" */
static void expect(int rc, int err, const char *name)
{
	int e = errno;

	if (err == 0)
		check(rc == 0, name, "rc=%d errno=%d (%s)", rc, e, strerror(e));
	else
		check(rc == -1 && e == err, name,
		      "rc=%d errno=%d (%s), want errno %d (%s)", rc,
		      rc ? e : 0, rc ? strerror(e) : "-", err, strerror(err));
}

/* a map ioctl: an unprivileged caller gets EPERM whatever the input */
static void expect_map(int rc, int err, const char *name)
{
	expect(rc, unprivileged ? EPERM : err, name);
}

static uint64_t num(const char *s)
{
	char *end;
	uint64_t v = strtoull(s, &end, 0);

	switch (*end) {
	case 'k': case 'K': v <<= 10; break;
	case 'm': case 'M': v <<= 20; break;
	case 'g': case 'G': v <<= 30; break;
	}
	return v;
}

static int newfile(const char *name)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", mnt, name);
	fd = open(path, O_CREAT | O_EXCL | O_RDWR, 0644);
	if (fd < 0) {
		printf("FAIL create %s: %s\n", path, strerror(errno));
		exit(100);
	}
	return fd;
}

static int map_simple(int fd, uint32_t ftype, uint64_t size, uint32_t n,
		      const struct famfs_ioc_simple_extent *se)
{
	struct famfs_ioc_fmap f;

	memset(&f, 0, sizeof(f));
	f.fioc_file_size = size;
	f.fioc_file_type = ftype;
	f.fioc_ext_type = FAMFS_IOC_EXT_SIMPLE;
	f.fioc_nextents = n;
	f.kse = (uintptr_t)se;
	return ioctl(fd, FAMFSIOC_MAP_CREATE_V2, &f);
}

static int map1(int fd, uint64_t off, uint64_t len, uint64_t size)
{
	struct famfs_ioc_simple_extent se = { 0, off, len };

	return map_simple(fd, FAMFS_REG, size, 1, &se);
}

static int map_interleaved(int fd, uint64_t size, uint64_t nstrips,
			   uint64_t chunk, uint64_t nbytes,
			   const struct famfs_ioc_simple_extent *strips)
{
	struct famfs_ioc_interleaved_ext ie;
	struct famfs_ioc_fmap f;

	memset(&f, 0, sizeof(f));
	ie.ie_nstrips = nstrips;
	ie.ie_chunk_size = chunk;
	ie.ie_nbytes = nbytes;
	ie.ie_strips = (uintptr_t)strips;
	f.fioc_file_size = size;
	f.fioc_file_type = FAMFS_REG;
	f.fioc_ext_type = FAMFS_IOC_EXT_INTERLEAVE;
	f.fioc_niext = 1;
	f.kie = (uintptr_t)&ie;
	return ioctl(fd, FAMFSIOC_MAP_CREATE_V2, &f);
}

static void fill(unsigned char *buf, size_t len, uint64_t seed)
{
	uint64_t x = seed * 0x9e3779b97f4a7c15ULL + 1;
	size_t i;

	for (i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		buf[i] = (unsigned char)x;
	}
}

static void test_unmapped(void)
{
	struct famfs_ioc_get_fmap g;
	char buf[16];
	void *p;
	int fd = newfile("unmapped");

	expect(ioctl(fd, FAMFSIOC_NOP), 0, "nop");
	errno = 0;
	expect(read(fd, buf, sizeof(buf)) < 0 ? -1 : 0, EIO, "unmapped-read-eio");
	expect(write(fd, buf, sizeof(buf)) < 0 ? -1 : 0, EIO,
	       "unmapped-write-eio");
	p = mmap(NULL, 2 * MiB, PROT_READ, MAP_SHARED, fd, 0);
	expect(p == MAP_FAILED ? -1 : 0, EIO, "unmapped-mmap-eio");
	expect(ioctl(fd, FAMFSIOC_MAP_GET_V2, &g), EINVAL,
	       "unmapped-get-einval");
	close(fd);
}

static void test_bad_maps(void)
{
	struct famfs_ioc_simple_extent se[3] = {
		{ 0, 4 * MiB, 2 * MiB }, { 0, 8 * MiB, 2 * MiB },
		{ 0, 12 * MiB, 2 * MiB },
	};
	struct famfs_ioc_simple_extent strips[17];
	struct famfs_ioc_fmap f;
	int fd = newfile("bad");
	int i;

	expect_map(map1(fd, 4 * MiB + 4096, 2 * MiB, 2 * MiB), EINVAL,
	       "bad-offset-unaligned");
	expect_map(map1(fd, 4 * MiB, 2 * MiB + 4096, 2 * MiB), EINVAL,
	       "bad-len-unaligned");
	expect_map(map1(fd, 4 * MiB, 0, 0), EINVAL, "bad-len-zero");
	expect_map(map1(fd, 0, 2 * MiB, 2 * MiB), EINVAL, "bad-offset0-regular");
	expect_map(map1(fd, devsize - 2 * MiB, 4 * MiB, 4 * MiB), EINVAL,
	       "bad-past-device");
	expect_map(map1(fd, devsize, 2 * MiB, 2 * MiB), EINVAL,
	       "bad-at-device-end");
	expect_map(map1(fd, ~(2 * MiB - 1), 4 * MiB, 4 * MiB), EINVAL,
	       "bad-overflow");
	expect_map(map1(fd, 4 * MiB, 2 * MiB, 2 * MiB + 1), EINVAL,
	       "bad-size-gt-extents");
	expect_map(map_simple(fd, FAMFS_REG, 2 * MiB, 0, se), EINVAL,
	       "bad-zero-extents");
	expect_map(map_simple(fd, FAMFS_REG, 2 * MiB, 3, se), E2BIG,
	       "bad-three-extents");
	expect_map(map_simple(fd, 7, 2 * MiB, 1, se), EINVAL, "bad-file-type");
	se[0].devindex = 1;
	expect_map(map_simple(fd, FAMFS_REG, 2 * MiB, 1, se), EINVAL,
	       "bad-devindex");
	se[0].devindex = 0;
	expect_map(map_simple(fd, FAMFS_REG, 2 * MiB, 1,
			  (void *)(uintptr_t)8), EFAULT, "bad-user-pointer");
	/* padding must be zero (a valid map otherwise) */
	memset(&f, 0, sizeof(f));
	f.fioc_file_size = 2 * MiB;
	f.fioc_file_type = FAMFS_REG;
	f.fioc_ext_type = FAMFS_IOC_EXT_SIMPLE;
	f.fioc_nextents = 1;
	f.__pad0 = 1;
	f.kse = (uintptr_t)se;
	expect_map(ioctl(fd, FAMFSIOC_MAP_CREATE_V2, &f), EINVAL,
		   "bad-pad-nonzero");
	f.__pad0 = 0x80000000;
	expect_map(ioctl(fd, FAMFSIOC_MAP_CREATE_V2, &f), EINVAL,
		   "bad-pad-high-bit");
	memset(&f, 0, sizeof(f));
	f.fioc_file_size = 2 * MiB;
	f.fioc_ext_type = 5;
	f.fioc_nextents = 1;
	f.kse = (uintptr_t)se;
	expect_map(ioctl(fd, FAMFSIOC_MAP_CREATE_V2, &f), EINVAL, "bad-ext-type");
	expect_map(ioctl(fd, FAMFSIOC_MAP_CREATE_V2, (void *)(uintptr_t)8), EFAULT,
	       "bad-arg-pointer");

	for (i = 0; i < 17; i++) {
		strips[i].devindex = 0;
		strips[i].offset = (uint64_t)(i + 2) * 2 * MiB;
		strips[i].len = 2 * MiB;
	}
	expect_map(map_interleaved(fd, 2 * MiB, 17, 2 * MiB, 2 * MiB, strips),
	       E2BIG, "bad-17-strips");
	expect_map(map_interleaved(fd, 2 * MiB, 0, 2 * MiB, 2 * MiB, strips),
	       EINVAL, "bad-0-strips");
	expect_map(map_interleaved(fd, 2 * MiB, 2, 3 * MiB, 2 * MiB, strips),
	       EINVAL, "bad-chunk-unaligned");
	/* 3 chunks over strips of 2 and 6 MiB: strip 0 needs two chunks */
	strips[1].len = 6 * MiB;
	expect_map(map_interleaved(fd, 6 * MiB, 2, 2 * MiB, 6 * MiB, strips),
	       EINVAL, "bad-strip-capacity");
	strips[1].len = 2 * MiB;
	expect_map(map_interleaved(fd, 4 * MiB, 2, 2 * MiB, 2 * MiB, strips),
	       EINVAL, "bad-size-gt-nbytes");

	/* nothing above may have mapped the file */
	expect_map(map1(fd, 60 * MiB, 2 * MiB, 2 * MiB), 0,
		   "bad-file-still-mappable");
	close(fd);
}

static void test_data(void)
{
	const uint64_t size = 4 * MiB;
	struct famfs_ioc_get_fmap g;
	struct famfs_ioc_map m;
	struct famfs_extent ext[2];
	unsigned char *a = malloc(size + 4096), *b = malloc(size);
	struct stat st;
	unsigned char *p;
	ssize_t n;
	int fd = newfile("data");

	expect(map1(fd, 4 * MiB, size, size), 0, "map-v2");
	expect(map1(fd, 8 * MiB, size, size), EEXIST, "map-twice-eexist");
	fstat(fd, &st);
	check(st.st_size == (off_t)size, "map-sets-size", "size %lld",
	      (long long)st.st_size);
	check(st.st_blocks == (blkcnt_t)(size / 512), "map-sets-blocks",
	      "st_blocks %lld, want %llu", (long long)st.st_blocks,
	      (unsigned long long)(size / 512));

	memset(&g, 0xff, sizeof(g));
	expect(ioctl(fd, FAMFSIOC_MAP_GET_V2, &g), 0, "get-v2");
	check(g.iocmap.fioc_file_size == size &&
	      g.iocmap.fioc_ext_type == FAMFS_IOC_EXT_SIMPLE &&
	      g.iocmap.fioc_nextents == 1 && g.ikse[0].offset == 4 * MiB &&
	      g.ikse[0].len == size && g.ikse[0].devindex == 0,
	      "get-v2-contents", "size %llu type %u n %u off %llu len %llu",
	      (unsigned long long)g.iocmap.fioc_file_size,
	      g.iocmap.fioc_ext_type, g.iocmap.fioc_nextents,
	      (unsigned long long)g.ikse[0].offset,
	      (unsigned long long)g.ikse[0].len);
	expect(ioctl(fd, FAMFSIOC_MAP_GET, &m), 0, "get-v1");
	check(m.file_size == size && m.ext_list_count == 1 &&
	      m.extent_type == SIMPLE_DAX_EXTENT, "get-v1-contents",
	      "size %llu n %llu", (unsigned long long)m.file_size,
	      (unsigned long long)m.ext_list_count);
	expect(ioctl(fd, FAMFSIOC_MAP_GETEXT, ext), 0, "getext-v1");
	check(ext[0].offset == 4 * MiB && ext[0].len == size,
	      "getext-v1-contents", "off %llu len %llu",
	      (unsigned long long)ext[0].offset,
	      (unsigned long long)ext[0].len);

	fill(a, size, 1);
	n = pwrite(fd, a, size, 0);
	check(n == (ssize_t)size, "write", "wrote %zd: %s", n, strerror(errno));
	memset(b, 0, size);
	n = pread(fd, b, size, 0);
	check(n == (ssize_t)size && !memcmp(a, b, size), "read-back",
	      "read %zd", n);

	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	check(p != MAP_FAILED, "mmap", "%s", strerror(errno));
	if (p != MAP_FAILED) {
		check(((uintptr_t)p & (2 * MiB - 1)) == 0, "mmap-2m-aligned",
		      "addr %p", (void *)p);
		check(!memcmp(p, a, size), "mmap-sees-write", "mismatch");
		fill(a, size, 2);
		memcpy(p, a, size);
		msync(p, size, MS_SYNC);
		n = pread(fd, b, size, 0);
		check(n == (ssize_t)size && !memcmp(a, b, size),
		      "read-sees-mmap-store", "read %zd", n);
		munmap(p, size);
	}

	errno = 0;
	n = pwrite(fd, a, 4096, size);
	expect(n < 0 ? -1 : 0, ENOSPC, "write-at-eof-enospc");
	/* rewrites the last page with the data it already holds */
	n = pwrite(fd, a + size - 4096, 8192, size - 4096);
	check(n == 4096, "write-across-eof-short", "wrote %zd", n);
	n = pread(fd, b, 4096, size + 12345);
	check(n == 0, "read-past-eof-zero", "read %zd", n);
	expect(ftruncate(fd, 2 * MiB), EPERM, "truncate-eperm");
	expect(ftruncate(fd, 8 * MiB), EPERM, "extend-eperm");
	expect(ftruncate(fd, size), 0, "truncate-same-size-ok");
	close(fd);

	/* no two files share memory (fs-dax maps a page into one file) */
	fd = newfile("alias");
	expect(map1(fd, 4 * MiB, size, size), EBUSY, "map-overlap-ebusy");
	expect(map1(fd, 6 * MiB, 2 * MiB, 2 * MiB), EBUSY,
	       "map-overlap-inside-ebusy");
	expect(map1(fd, 2 * MiB, 4 * MiB, 4 * MiB), EBUSY,
	       "map-overlap-head-ebusy");
	{
		struct famfs_ioc_simple_extent two[2] = {
			{ 0, 56 * MiB, 2 * MiB }, { 0, 56 * MiB, 2 * MiB },
		};

		expect(map_simple(fd, FAMFS_REG, 4 * MiB, 2, two), EBUSY,
		       "map-self-overlap-ebusy");
	}
	expect(map1(fd, 56 * MiB, 2 * MiB, 2 * MiB), 0, "map-disjoint");
	close(fd);
	free(a);
	free(b);
}

static void test_v1_and_types(void)
{
	struct famfs_ioc_map m;
	unsigned char buf[4096], *p;
	ssize_t n;
	int fd;

	/* v1: the last length may be unaligned */
	fd = newfile("v1");
	memset(&m, 0, sizeof(m));
	m.extent_type = SIMPLE_DAX_EXTENT;
	m.file_type = FAMFS_REG;
	m.file_size = 2 * MiB + 100;
	m.ext_list_count = 2;
	m.ext_list[0].offset = 16 * MiB;
	m.ext_list[0].len = 2 * MiB;
	m.ext_list[1].offset = 20 * MiB;
	m.ext_list[1].len = 100;
	expect(ioctl(fd, FAMFSIOC_MAP_CREATE, &m), 0, "map-v1-unaligned-tail");
	fill(buf, sizeof(buf), 3);
	n = pwrite(fd, buf, 200, 2 * MiB - 100);
	check(n == 200, "v1-write-across-extents", "wrote %zd", n);
	p = mmap(NULL, 2 * MiB + 100, PROT_READ, MAP_SHARED, fd, 0);
	check(p != MAP_FAILED && !memcmp(p + 2 * MiB - 100, buf, 200),
	      "v1-mmap-tail", "%s", p == MAP_FAILED ? strerror(errno) : "data");
	if (p != MAP_FAILED)
		munmap(p, 2 * MiB + 100);
	close(fd);

	fd = newfile("v1bad");
	m.ext_list[0].len = 2 * MiB - 4096;	/* only the last may be */
	expect(ioctl(fd, FAMFSIOC_MAP_CREATE, &m), EINVAL,
	       "map-v1-unaligned-middle");
	m.ext_list[0].len = 2 * MiB;
	m.ext_list_count = 3;
	expect(ioctl(fd, FAMFSIOC_MAP_CREATE, &m), E2BIG, "map-v1-three");
	close(fd);

	/* offset 0 is allowed for the superblock file only */
	fd = newfile("sb");
	{
		struct famfs_ioc_simple_extent se = { 0, 0, 2 * MiB };

		expect(map_simple(fd, FAMFS_SUPERBLOCK, 2 * MiB, 1, &se), 0,
		       "map-superblock-offset0");
	}
	close(fd);
}

static void test_interleaved(void)
{
	/* 2 strips, 2 MiB chunks, 8 MiB: chunks 0,2 in strip 0; 1,3 in 1 */
	struct famfs_ioc_simple_extent strips[2] = {
		{ 0, 32 * MiB, 4 * MiB }, { 0, 40 * MiB, 4 * MiB },
	};
	const uint64_t size = 8 * MiB;
	unsigned char *a = malloc(size), *b = malloc(4 * MiB);
	struct famfs_ioc_get_fmap g;
	ssize_t n;
	int fd, fs0;

	fd = newfile("striped");
	expect(map_interleaved(fd, size, 2, 2 * MiB, size, strips), 0,
	       "map-interleaved");
	memset(&g, 0, sizeof(g));
	expect(ioctl(fd, FAMFSIOC_MAP_GET_V2, &g), 0, "get-v2-interleaved");
	check(g.iocmap.fioc_ext_type == FAMFS_IOC_EXT_INTERLEAVE &&
	      g.iocmap.fioc_niext == 1 && g.ks.ikie.ie_nstrips == 2 &&
	      g.ks.ikie.ie_chunk_size == 2 * MiB &&
	      g.ks.kie_strips[1].offset == 40 * MiB,
	      "get-v2-interleaved-contents", "type %u n %u",
	      g.iocmap.fioc_ext_type, g.iocmap.fioc_niext);
	fill(a, size, 4);
	n = pwrite(fd, a, size, 0);
	check(n == (ssize_t)size, "interleaved-write", "wrote %zd", n);

	/* strips that overlap each other or another file: EBUSY */
	fs0 = newfile("strip0");
	expect(map1(fs0, 32 * MiB, 4 * MiB, 4 * MiB), EBUSY,
	       "map-over-strip-ebusy");
	{
		struct famfs_ioc_simple_extent same[2] = {
			{ 0, 24 * MiB, 2 * MiB }, { 0, 24 * MiB, 2 * MiB },
		};

		expect(map_interleaved(fs0, 4 * MiB, 2, 2 * MiB, 4 * MiB,
				       same), EBUSY, "map-strips-overlap-ebusy");
	}

	/* the mmap view agrees with read() */
	{
		unsigned char *p = mmap(NULL, size, PROT_READ, MAP_SHARED, fd,
					0);

		check(p != MAP_FAILED && !memcmp(p, a, size),
		      "interleaved-mmap", "%s",
		      p == MAP_FAILED ? strerror(errno) : "mismatch");
		if (p != MAP_FAILED)
			munmap(p, size);
	}
	close(fd);

	/*
	 * a mapped file cannot be unlinked (the log cannot record it) and
	 * keeps its ranges; "ilayout" checks the strips after a remount
	 */
	{
		char path[4096];

		snprintf(path, sizeof(path), "%s/striped", mnt);
		expect(unlink(path), EPERM, "unlink-striped-eperm");
		fd = open(path, O_RDONLY);
	}
	expect(map1(fs0, 32 * MiB, 4 * MiB, 4 * MiB), EBUSY,
	       "map-strip0-still-ebusy");
	n = fd < 0 ? -1 : pread(fd, b, 4 * MiB, 4 * MiB);
	check(n == (ssize_t)(4 * MiB) && !memcmp(b, a + 4 * MiB, 4 * MiB),
	      "striped-unchanged", "pread %zd", n);
	if (fd >= 0)
		close(fd);
	close(fs0);
	free(a);
	free(b);
}

static void test_unprivileged(void)
{
	int fd = newfile("unpriv");
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
			_exit(2);
		_exit(map1(fd, 48 * MiB, 2 * MiB, 2 * MiB) == -1 &&
		      errno == EPERM ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "map-unprivileged-eperm", "child status %d", status);
	close(fd);
}

/* --- badinput: every bad input, as root and as an unprivileged user ------ */

/*
 * A 32-bit (compat) ioctl from this 64-bit process: int $0x80 enters the
 * ia32 system call table (ioctl is 54 there), so in_compat_syscall() is true.
 * Run in a child: without ia32 emulation the instruction raises SIGSEGV.
 */
static int compat_ioctl_errno(int fd, unsigned int cmd, uint32_t arg)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		long ret;

		asm volatile("int $0x80"
			     : "=a"(ret)
			     : "a"(54L), "b"((long)fd), "c"((long)cmd),
			       "d"((long)arg)
			     : "r8", "r9", "r10", "r11", "memory", "cc");
		_exit(ret < 0 && ret > -256 ? (int)-ret : 0);
	}
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static void bad_v1(int fd)
{
	struct famfs_ioc_map m;

	memset(&m, 0, sizeof(m));
	m.extent_type = SIMPLE_DAX_EXTENT;
	m.file_type = FAMFS_REG;
	m.file_size = 2 * MiB;
	m.ext_list_count = 1;
	m.ext_list[0].offset = 4 * MiB;
	m.ext_list[0].len = 2 * MiB;

	m.extent_type = INTERLEAVED_EXTENT;
	expect_map(ioctl(fd, FAMFSIOC_MAP_CREATE, &m), EINVAL,
		   "v1-interleaved-type");
	m.extent_type = 77;
	expect_map(ioctl(fd, FAMFSIOC_MAP_CREATE, &m), EINVAL, "v1-bad-ext-type");
	m.extent_type = SIMPLE_DAX_EXTENT;
	m.file_type = 3;
	expect_map(ioctl(fd, FAMFSIOC_MAP_CREATE, &m), EINVAL,
		   "v1-bad-file-type");
	m.file_type = FAMFS_REG;
	m.ext_list_count = 0;
	expect_map(ioctl(fd, FAMFSIOC_MAP_CREATE, &m), EINVAL, "v1-count-0");
	m.ext_list_count = 1ULL << 40;
	expect_map(ioctl(fd, FAMFSIOC_MAP_CREATE, &m), E2BIG, "v1-count-huge");
	m.ext_list_count = ~0ULL;
	expect_map(ioctl(fd, FAMFSIOC_MAP_CREATE, &m), E2BIG, "v1-count-max");
	m.ext_list_count = 1;
	m.ext_list[0].offset = 0;
	expect_map(ioctl(fd, FAMFSIOC_MAP_CREATE, &m), EINVAL,
		   "v1-offset0-regular");
	m.ext_list[0].offset = devsize;
	expect_map(ioctl(fd, FAMFSIOC_MAP_CREATE, &m), EINVAL,
		   "v1-past-device");
	m.ext_list[0].offset = ~(2 * MiB - 1);
	expect_map(ioctl(fd, FAMFSIOC_MAP_CREATE, &m), EINVAL, "v1-overflow");
	m.ext_list[0].offset = 4 * MiB;
	m.ext_list[0].len = ~0ULL - 4096;
	expect_map(ioctl(fd, FAMFSIOC_MAP_CREATE, &m), EINVAL,
		   "v1-len-overflow");
	m.ext_list[0].len = 2 * MiB;
	m.file_size = 2 * MiB + 1;
	expect_map(ioctl(fd, FAMFSIOC_MAP_CREATE, &m), EINVAL,
		   "v1-size-gt-extents");
	expect_map(ioctl(fd, FAMFSIOC_MAP_CREATE, NULL), EFAULT, "v1-null-arg");
}

static void bad_v2_more(int fd)
{
	struct famfs_ioc_simple_extent strips[2] = {
		{ 0, 8 * MiB, 2 * MiB }, { 0, 10 * MiB, 2 * MiB },
	};
	struct famfs_ioc_interleaved_ext ie[3];
	struct famfs_ioc_fmap f;
	int i;

	for (i = 0; i < 3; i++) {
		ie[i].ie_nstrips = 2;
		ie[i].ie_chunk_size = 2 * MiB;
		ie[i].ie_nbytes = 4 * MiB;
		ie[i].ie_strips = (uintptr_t)strips;
	}
	memset(&f, 0, sizeof(f));
	f.fioc_file_size = 4 * MiB;
	f.fioc_file_type = FAMFS_REG;
	f.fioc_ext_type = FAMFS_IOC_EXT_INTERLEAVE;
	f.kie = (uintptr_t)ie;

	f.fioc_niext = 3;
	expect_map(ioctl(fd, FAMFSIOC_MAP_CREATE_V2, &f), E2BIG, "v2-3-iext");
	f.fioc_niext = 0xffffffff;
	expect_map(ioctl(fd, FAMFSIOC_MAP_CREATE_V2, &f), E2BIG,
		   "v2-iext-count-max");
	f.fioc_niext = 0;
	expect_map(ioctl(fd, FAMFSIOC_MAP_CREATE_V2, &f), EINVAL, "v2-0-iext");
	f.fioc_niext = 1;
	ie[0].ie_nstrips = 1ULL << 63;
	expect_map(ioctl(fd, FAMFSIOC_MAP_CREATE_V2, &f), E2BIG,
		   "v2-nstrips-huge");
	ie[0].ie_nstrips = 2;
	ie[0].ie_nbytes = 0;
	expect_map(ioctl(fd, FAMFSIOC_MAP_CREATE_V2, &f), EINVAL,
		   "v2-nbytes-zero");
	ie[0].ie_nbytes = 4 * MiB;
	ie[0].ie_chunk_size = 0;
	expect_map(ioctl(fd, FAMFSIOC_MAP_CREATE_V2, &f), EINVAL, "v2-chunk-0");
	ie[0].ie_chunk_size = devsize + 2 * MiB;
	expect_map(ioctl(fd, FAMFSIOC_MAP_CREATE_V2, &f), EINVAL,
		   "v2-chunk-gt-device");
	ie[0].ie_chunk_size = 2 * MiB;
	ie[0].ie_strips = 8;
	expect_map(ioctl(fd, FAMFSIOC_MAP_CREATE_V2, &f), EFAULT,
		   "v2-strips-pointer");
	ie[0].ie_strips = (uintptr_t)strips;
	f.__pad1 = 7;
	expect_map(ioctl(fd, FAMFSIOC_MAP_CREATE_V2, &f), EINVAL,
		   "v2-pad-nonzero-interleaved");
	f.__pad1 = 0;
	strips[1].devindex = 3;
	expect_map(ioctl(fd, FAMFSIOC_MAP_CREATE_V2, &f), EINVAL,
		   "v2-strip-devindex");
	strips[1].devindex = 0;
	strips[1].offset = 0;
	expect_map(ioctl(fd, FAMFSIOC_MAP_CREATE_V2, &f), EINVAL,
		   "v2-strip-offset0");
	strips[1].offset = devsize - 2 * MiB;
	strips[1].len = 4 * MiB;
	expect_map(ioctl(fd, FAMFSIOC_MAP_CREATE_V2, &f), EINVAL,
		   "v2-strip-past-device");
	strips[1].offset = 10 * MiB;
	strips[1].len = 2 * MiB;
	f.kie = 16;
	expect_map(ioctl(fd, FAMFSIOC_MAP_CREATE_V2, &f), EFAULT,
		   "v2-kie-pointer");
	f.kie = (uintptr_t)ie;
	f.fioc_file_type = FAMFS_SUPERBLOCK + 10;
	expect_map(ioctl(fd, FAMFSIOC_MAP_CREATE_V2, &f), EINVAL,
		   "v2-bad-file-type");
	f.fioc_file_type = FAMFS_REG;
	f.fioc_file_size = ~0ULL;
	expect_map(ioctl(fd, FAMFSIOC_MAP_CREATE_V2, &f), EINVAL,
		   "v2-size-max");
}

static int try_mount(const char *dev, const char *dir, const char *opts)
{
	return mount(dev, dir, "famfs", 0, opts);
}

/* drop CAP_SYS_RAWIO from this process (uid 0 stays) */
static int drop_rawio(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return -1;
	d[CAP_SYS_RAWIO / 32].effective &= ~(1U << (CAP_SYS_RAWIO % 32));
	d[CAP_SYS_RAWIO / 32].permitted &= ~(1U << (CAP_SYS_RAWIO % 32));
	d[CAP_SYS_RAWIO / 32].inheritable &= ~(1U << (CAP_SYS_RAWIO % 32));
	return syscall(SYS_capset, &h, d);
}

/* The checks both users run; @dev is the mounted device, @target a dir. */
static void bad_inputs(const char *dev, const char *target, const char *mapped)
{
	struct famfs_ioc_get_fmap g;
	struct famfs_ioc_map m;
	struct famfs_extent ext[2];
	uint32_t *low;
	char buf[4096];
	void *p;
	int fd, dfd;

	/* map ioctls on an unmapped file */
	test_bad_maps();	/* maps "bad" at the end when privileged */
	fd = newfile("bad2");
	bad_v1(fd);
	bad_v2_more(fd);

	/* unmapped: no data access, no map to get, no size */
	errno = 0;
	expect(read(fd, buf, sizeof(buf)) < 0 ? -1 : 0, EIO, "unmapped-read");
	expect(write(fd, buf, sizeof(buf)) < 0 ? -1 : 0, EIO, "unmapped-write");
	p = mmap(NULL, 2 * MiB, PROT_READ, MAP_SHARED, fd, 0);
	expect(p == MAP_FAILED ? -1 : 0, EIO, "unmapped-mmap");
	expect(ioctl(fd, FAMFSIOC_MAP_GET, &m), EINVAL, "unmapped-get-v1");
	expect(ioctl(fd, FAMFSIOC_MAP_GETEXT, ext), EINVAL,
	       "unmapped-getext-v1");
	expect(ioctl(fd, FAMFSIOC_MAP_GET_V2, &g), EINVAL, "unmapped-get-v2");
	expect(ftruncate(fd, 4096), EPERM, "unmapped-truncate");
	expect(fallocate(fd, 0, 0, 2 * MiB), EOPNOTSUPP, "unmapped-fallocate");
	expect(ioctl(fd, FAMFSIOC_NOP), 0, "nop");
	expect(ioctl(fd, _IO(FAMFSIOC_MAGIC, 0x5f)), ENOTTY, "unknown-ioctl");
	expect(ioctl(fd, _IOW(FAMFSIOC_MAGIC, 0x54, uint64_t), &m), ENOTTY,
	       "wrong-size-ioctl");

	/* 32-bit callers: refused whatever the command */
	low = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	if (low == MAP_FAILED) {
		check(0, "compat-buffer", "%s", strerror(errno));
	} else {
		memset(low, 0, 4096);
		check(compat_ioctl_errno(fd, FAMFSIOC_MAP_CREATE_V2,
					 (uint32_t)(uintptr_t)low) == ENOTTY,
		      "compat-map-create-v2-enotty", "errno %d",
		      compat_ioctl_errno(fd, FAMFSIOC_MAP_CREATE_V2,
					 (uint32_t)(uintptr_t)low));
		check(compat_ioctl_errno(fd, FAMFSIOC_MAP_CREATE,
					 (uint32_t)(uintptr_t)low) == ENOTTY,
		      "compat-map-create-enotty", "errno %d",
		      compat_ioctl_errno(fd, FAMFSIOC_MAP_CREATE,
					 (uint32_t)(uintptr_t)low));
		check(compat_ioctl_errno(fd, FAMFSIOC_MAP_GET_V2,
					 (uint32_t)(uintptr_t)low) == ENOTTY,
		      "compat-map-get-v2-enotty", "errno %d",
		      compat_ioctl_errno(fd, FAMFSIOC_MAP_GET_V2,
					 (uint32_t)(uintptr_t)low));
		munmap(low, 4096);
	}
	close(fd);

	/* ioctls on a directory */
	dfd = open(mnt, O_RDONLY | O_DIRECTORY);
	expect(ioctl(dfd, FAMFSIOC_MAP_CREATE_V2, &m), ENOTTY, "dir-map-ioctl");
	expect(ioctl(dfd, FAMFSIOC_NOP), ENOTTY, "dir-nop-ioctl");
	close(dfd);

	/* a mapped file (mode 0666, mapped by root): size is fixed */
	fd = open(mapped, O_RDWR);
	check(fd >= 0, "open-mapped", "%s: %s", mapped, strerror(errno));
	if (fd >= 0) {
		expect_map(map1(fd, 8 * MiB, 2 * MiB, 2 * MiB), EEXIST,
			   "mapped-map-again");
		expect_map(map1(fd, 30 * MiB, 2 * MiB, 2 * MiB), EEXIST,
			   "mapped-map-again-same-range");
		expect(ftruncate(fd, MiB), EPERM, "mapped-truncate-shrink");
		expect(ftruncate(fd, 8 * MiB), EPERM, "mapped-truncate-grow");
		expect(fallocate(fd, 0, 0, 8 * MiB), EOPNOTSUPP,
		       "mapped-fallocate");
		expect(fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 8 * MiB),
		       EOPNOTSUPP, "mapped-fallocate-keep-size");
		expect(fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
				 0, 4096), EOPNOTSUPP, "mapped-punch-hole");
		errno = 0;
		expect(pwrite(fd, buf, 1, 2 * MiB) < 0 ? -1 : 0, ENOSPC,
		       "mapped-write-at-eof");
		errno = 0;
		expect(pwrite(fd, buf, 1, 1ULL << 40) < 0 ? -1 : 0, ENOSPC,
		       "mapped-write-past-eof");
		close(fd);
		errno = 0;
		fd = open(mapped, O_RDWR | O_TRUNC);
		expect(fd < 0 ? -1 : 0, EPERM, "mapped-open-o_trunc");
		if (fd >= 0)
			close(fd);
	}

	/* mount: without CAP_SYS_ADMIN the VFS refuses before any lookup */
	if (unprivileged) {
		expect(try_mount(dev, target, ""), EPERM, "mount-eperm");
		expect(try_mount("/nonexistent", target, ""), EPERM,
		       "mount-no-source-eperm");
	} else {
		/* the device type comes from the inode, never from the path */
		expect(try_mount("/nonexistent", target, ""), ENOENT,
		       "mount-no-source");
		expect(try_mount(dev, target, ""), EBUSY, "mount-second-ebusy");
		expect(try_mount(mapped, target, ""), ENOTBLK,
		       "mount-regular-file");
		/* fsdev kernels: not a dax device; others: no char support */
		expect(try_mount("/dev/null", target, ""),
		       access("/sys/bus/dax/drivers/fsdev_dax", F_OK) ? EOPNOTSUPP
								       : ENODEV,
		       "mount-not-dax-chardev");
		expect(try_mount(dev, target, "bogus=1"), EINVAL,
		       "mount-unknown-option");
		expect(try_mount(dev, target, "dax=never"), EINVAL,
		       "mount-dax-never");
		expect(try_mount(dev, target, "mode=99999999999"), EINVAL,
		       "mount-mode-range");
	}
}

static int run_child(int (*fn)(void *), void *arg)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		fflush(stdout);
		_exit(fn(arg));
	}
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 100;
}

struct bad_args {
	const char *dev, *target, *mapped;
};

static int no_rawio_child(void *a)
{
	const struct bad_args *b = a;

	if (drop_rawio()) {
		printf("FAIL %sdrop-rawio: %s\n", prefix, strerror(errno));
		return 1;
	}
	expect(try_mount(b->dev, b->target, ""), EPERM, "mount-no-rawio");
	return failures;
}

static int userns_child(void *a)
{
	const struct bad_args *b = a;

	if (unshare(CLONE_NEWUSER | CLONE_NEWNS)) {
		/* not a pass: the caller reports it as a named SKIP */
		printf("skip %suserns-mount unshare(CLONE_NEWUSER): %s\n",
		       prefix, strerror(errno));
		return 0;
	}
	expect(try_mount(b->dev, b->target, ""), EPERM, "userns-mount");
	return failures;
}

static int unpriv_child(void *a)
{
	const struct bad_args *b = a;

	if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
	    setresuid(65534, 65534, 65534)) {
		printf("FAIL drop privileges: %s\n", strerror(errno));
		return 1;
	}
	prefix = "unpriv-";
	unprivileged = 1;
	bad_inputs(b->dev, b->target, b->mapped);
	failures += run_child(userns_child, a);
	return failures;
}

static int badinput(const char *dev, const char *scratch)
{
	static char dir[4096], mapped[4096], udir[4096];
	struct bad_args b = { dev, scratch, mapped };
	const char *top = mnt;
	int fd;

	/* a 0777 directory for each user, and one mapped 0666 file */
	snprintf(dir, sizeof(dir), "%s/badinput-root", top);
	snprintf(udir, sizeof(udir), "%s/badinput-user", top);
	snprintf(mapped, sizeof(mapped), "%s/badinput-mapped", top);
	if (mkdir(dir, 0777) || mkdir(udir, 0777) || chmod(udir, 0777)) {
		perror("mkdir");
		return 100;
	}
	fd = open(mapped, O_CREAT | O_EXCL | O_RDWR, 0666);
	if (fd < 0 || fchmod(fd, 0666) ||
	    map1(fd, 30 * MiB, 2 * MiB, 2 * MiB)) {
		perror(mapped);
		return 100;
	}
	close(fd);

	mnt = dir;
	prefix = "root-";
	bad_inputs(dev, scratch, mapped);
	fflush(stdout);
	failures += run_child(no_rawio_child, &b);
	failures += run_child(userns_child, &b);

	mnt = udir;
	failures += run_child(unpriv_child, &b);
	printf("badinput: %d failure(s)\n", failures);
	return failures;
}

/* write every byte of FILE through a shared mapping, then read it back */
static int faultcount(const char *path)
{
	struct stat st;
	unsigned char *p;
	uint64_t i, bad = 0;
	int fd = open(path, O_RDWR);

	if (fd < 0 || fstat(fd, &st)) {
		perror(path);
		return 1;
	}
	p = mmap(NULL, st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	for (i = 0; i < (uint64_t)st.st_size; i++)
		p[i] = (unsigned char)(i * 7 + (i >> 12));
	for (i = 0; i < (uint64_t)st.st_size; i++)
		bad += p[i] != (unsigned char)(i * 7 + (i >> 12));
	printf("touched %llu bytes at %p, %llu mismatches\n",
	       (unsigned long long)st.st_size, (void *)p,
	       (unsigned long long)bad);
	munmap(p, st.st_size);
	close(fd);
	return bad != 0;
}

/* nsp_path NAME: MOUNTDIR/nsp/NAME, in one of four rotating buffers */
static const char *nsp_path(const char *name)
{
	static char buf[4][4096];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/nsp%s%s", mnt, *name ? "/" : "",
		 name);
	return buf[i];
}

/* absent NAME...: none of the names exists */
static void nsp_absent(const char *what, const char *const *names)
{
	struct stat st;

	for (; *names; names++) {
		char name[128];

		snprintf(name, sizeof(name), "%s-%s-absent", what, *names);
		check(lstat(nsp_path(*names), &st) == -1 && errno == ENOENT,
		      name, "%s exists", nsp_path(*names));
	}
}

static int nspolicy(uint64_t offset)
{
	static const char *const made[] = {
		"new", "dir2", "hard", "hard2", "sym", "fifo", "sock", "chr",
		NULL,
	};
	const uint64_t size = 4 * MiB;
	unsigned char *a = malloc(size), *b = malloc(size);
	struct stat st0, st, dst0, dst;
	int fd, d;
	ssize_t n;

	if (!a || !b)
		return 100;
	/* the tree: nsp/{mapped (4 MiB at OFFSET), unmapped, u2, sub/, full/f} */
	expect(mkdir(nsp_path(""), 0755), 0, "mkdir-nsp");
	expect(mkdir(nsp_path("sub"), 0755), 0, "mkdir-sub");
	expect(mkdir(nsp_path("full"), 0755), 0, "mkdir-full");
	fd = open(nsp_path("full/f"), O_CREAT | O_EXCL | O_RDWR, 0644);
	check(fd >= 0, "create-full-f", "%s", strerror(errno));
	if (fd >= 0)
		close(fd);
	fd = open(nsp_path("unmapped"), O_CREAT | O_EXCL | O_RDWR, 0644);
	check(fd >= 0, "create-unmapped", "%s", strerror(errno));
	if (fd >= 0)
		close(fd);
	fd = open(nsp_path("u2"), O_CREAT | O_EXCL | O_RDWR, 0644);
	check(fd >= 0, "create-u2", "%s", strerror(errno));
	if (fd >= 0)
		close(fd);
	fd = open(nsp_path("mapped"), O_CREAT | O_EXCL | O_RDWR, 0644);
	if (fd < 0 || map1(fd, offset, size, size)) {
		printf("FAIL nspolicy-setup: %s: %s\n", nsp_path("mapped"),
		       strerror(errno));
		return 100;
	}
	fill(a, size, 9);
	n = pwrite(fd, a, size, 0);
	check(n == (ssize_t)size, "write-mapped", "wrote %zd", n);
	close(fd);
	if (stat(nsp_path("mapped"), &st0) || stat(nsp_path(""), &dst0)) {
		printf("FAIL nspolicy-setup: stat: %s\n", strerror(errno));
		return 100;
	}

	/* refused: EPERM, whatever the object */
	expect(unlink(nsp_path("mapped")), EPERM, "unlink-mapped-eperm");
	expect(rmdir(nsp_path("sub")), EPERM, "rmdir-empty-eperm");
	expect(rmdir(nsp_path("full")), EPERM, "rmdir-nonempty-eperm");
	expect(rename(nsp_path("mapped"), nsp_path("new")), EPERM,
	       "rename-mapped-eperm");
	expect(rename(nsp_path("mapped"), nsp_path("unmapped")), EPERM,
	       "rename-mapped-over-file-eperm");
	expect(rename(nsp_path("unmapped"), nsp_path("new")), EPERM,
	       "rename-unmapped-eperm");
	expect(rename(nsp_path("mapped"), nsp_path("sub/new")), EPERM,
	       "rename-mapped-to-subdir-eperm");
	expect(rename(nsp_path("sub"), nsp_path("dir2")), EPERM,
	       "rename-dir-eperm");
	expect(syscall(SYS_renameat2, AT_FDCWD, nsp_path("mapped"), AT_FDCWD,
		       nsp_path("unmapped"), 2 /* RENAME_EXCHANGE */), EPERM,
	       "rename-exchange-eperm");
	expect(syscall(SYS_renameat2, AT_FDCWD, nsp_path("mapped"), AT_FDCWD,
		       nsp_path("new"), 1 /* RENAME_NOREPLACE */), EPERM,
	       "rename-noreplace-eperm");
	expect(link(nsp_path("mapped"), nsp_path("hard")), EPERM,
	       "link-mapped-eperm");
	expect(link(nsp_path("unmapped"), nsp_path("hard2")), EPERM,
	       "link-unmapped-eperm");
	expect(symlink("mapped", nsp_path("sym")), EPERM, "symlink-eperm");
	expect(mknod(nsp_path("fifo"), S_IFIFO | 0644, 0), EPERM,
	       "mknod-fifo-eperm");
	expect(mknod(nsp_path("sock"), S_IFSOCK | 0644, 0), EPERM,
	       "mknod-socket-eperm");
	expect(mknod(nsp_path("chr"), S_IFCHR | 0644, makedev(1, 3)), EPERM,
	       "mknod-chardev-eperm");
	expect(truncate(nsp_path("mapped"), 0), EPERM, "truncate-to-0-eperm");
	expect(truncate(nsp_path("mapped"), size / 2), EPERM,
	       "truncate-shrink-eperm");
	expect(truncate(nsp_path("mapped"), 2 * size), EPERM,
	       "truncate-grow-eperm");
	expect(open(nsp_path("mapped"), O_WRONLY | O_TRUNC), EPERM,
	       "open-o-trunc-eperm");
	fd = open(nsp_path("mapped"), O_RDWR);
	expect(fd < 0 ? -1 : ftruncate(fd, size - 4096), EPERM,
	       "ftruncate-eperm");
	if (fd >= 0)
		close(fd);
	expect(truncate(nsp_path("unmapped"), 2 * MiB), EPERM,
	       "truncate-unmapped-grow-eperm");

	/* nothing changed */
	nsp_absent("after", made);
	check(stat(nsp_path("mapped"), &st) == 0 && st.st_ino == st0.st_ino &&
	      st.st_size == (off_t)size && st.st_nlink == 1,
	      "mapped-unchanged", "ino %llu/%llu size %lld nlink %llu",
	      (unsigned long long)st.st_ino, (unsigned long long)st0.st_ino,
	      (long long)st.st_size, (unsigned long long)st.st_nlink);
	fd = open(nsp_path("mapped"), O_RDONLY);
	n = fd < 0 ? -1 : pread(fd, b, size, 0);
	check(n == (ssize_t)size && !memcmp(a, b, size), "mapped-same-bytes",
	      "pread %zd", n);
	if (fd >= 0)
		close(fd);
	check(stat(nsp_path("sub"), &st) == 0 && S_ISDIR(st.st_mode),
	      "sub-still-a-dir", "%s", strerror(errno));
	check(stat(nsp_path("full/f"), &st) == 0 && S_ISREG(st.st_mode),
	      "full-f-still-there", "%s", strerror(errno));
	check(stat(nsp_path("unmapped"), &st) == 0 && st.st_size == 0,
	      "unmapped-unchanged", "%s", strerror(errno));
	check(stat(nsp_path(""), &dst) == 0 && dst.st_nlink == dst0.st_nlink,
	      "dir-link-count-unchanged", "nlink %llu, was %llu",
	      (unsigned long long)dst.st_nlink,
	      (unsigned long long)dst0.st_nlink);

	/* still allowed: unlink of an unmapped file, create, mkdir */
	expect(unlink(nsp_path("u2")), 0, "unlink-unmapped-ok");
	check(lstat(nsp_path("u2"), &st) == -1 && errno == ENOENT,
	      "unlink-unmapped-gone", "still there");
	d = open(nsp_path("created"), O_CREAT | O_EXCL | O_RDWR, 0644);
	check(d >= 0, "create-ok", "%s", strerror(errno));
	if (d >= 0)
		close(d);
	expect(mkdir(nsp_path("newdir"), 0755), 0, "mkdir-ok");
	/* mknod(2) of a regular file is a create */
	expect(mknod(nsp_path("regnode"), S_IFREG | 0644, 0), 0,
	       "mknod-regular-ok");
	free(a);
	free(b);
	printf("nspolicy: %d failure(s)\n", failures);
	return failures;
}

static int mapmany(const char *dir, int n, uint64_t base)
{
	char path[4096];
	int i, fd;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/m%03d", dir, i);
		fd = open(path, O_CREAT | O_EXCL | O_RDWR, 0644);
		if (fd < 0 || map1(fd, base + (uint64_t)i * 2 * MiB, 2 * MiB,
				   2 * MiB)) {
			perror(path);
			return 1;
		}
		close(fd);
	}
	return 0;
}

/* --- multi-extent interleaved maps: read/write and mmap agree ------------ */

#define ILV_BASE	(64 * MiB)
#define ILV_GAP		(2 * MiB)	/* unowned memory between strips */

struct ilv_ext {
	uint64_t nstrips, chunk, nbytes;
};

struct ilv_shape {
	const char *name;
	uint64_t size;
	int niext;
	struct ilv_ext e[2];
	int want;		/* errno of MAP_CREATE_V2, 0 if it must map */
};

/*
 * b: two strips of 4 MiB chunks holding 3 chunks (a partial stripe), then
 * three strips of 2 MiB chunks ending inside a chunk and a page; a: a
 * one-strip extent before a two-strip one; c: the first extent ends inside
 * a chunk (6 MiB of 4 MiB chunks), which is ambiguous and refused.
 */
static const struct ilv_shape ilv_shapes[] = {
	{ "ilv-a", 12 * MiB, 2, { { 1, 2 * MiB, 4 * MiB },
				  { 2, 4 * MiB, 8 * MiB } }, 0 },
	{ "ilv-b", 21 * MiB + 12345, 2, { { 2, 4 * MiB, 12 * MiB },
					  { 3, 2 * MiB, 9 * MiB + 12345 } }, 0 },
	{ "ilv-c", 10 * MiB, 2, { { 2, 4 * MiB, 6 * MiB },
				  { 1, 2 * MiB, 4 * MiB } }, EINVAL },
};

#define ILV_NSHAPES (sizeof(ilv_shapes) / sizeof(ilv_shapes[0]))

static uint64_t ilv_div_up(uint64_t a, uint64_t b)
{
	return (a + b - 1) / b;
}

/* chunks strip s of extent e holds */
static uint64_t ilv_strip_chunks(const struct ilv_ext *e, uint64_t s)
{
	uint64_t chunks = ilv_div_up(e->nbytes, e->chunk);

	return chunks / e->nstrips + (s < chunks % e->nstrips);
}

static uint64_t ilv_strip_len(const struct ilv_ext *e, uint64_t s)
{
	uint64_t n = ilv_strip_chunks(e, s);

	return (n ? n : 1) * e->chunk;
}

/* the device offsets of every strip, laid out from ILV_BASE with gaps */
static void ilv_layout(struct famfs_ioc_simple_extent strips[][2][16])
{
	uint64_t off = ILV_BASE;
	unsigned int i, s;
	int x;

	for (i = 0; i < ILV_NSHAPES; i++) {
		for (x = 0; x < ilv_shapes[i].niext; x++) {
			const struct ilv_ext *e = &ilv_shapes[i].e[x];

			for (s = 0; s < e->nstrips; s++) {
				strips[i][x][s].devindex = 0;
				strips[i][x][s].offset = off;
				strips[i][x][s].len = ilv_strip_len(e, s);
				off += strips[i][x][s].len + ILV_GAP;
			}
		}
	}
}

static unsigned char ilv_byte(uint64_t off, unsigned int pass)
{
	uint64_t x = off * 0x9e3779b97f4a7c15ULL + pass * 0x632be59bd9b4e019ULL;

	x ^= x >> 29;
	x *= 0xbf58476d1ce4e5b9ULL;
	return (unsigned char)(x >> 56);
}

/* first offset in [0, len) where buf differs from the pattern at base */
static int64_t ilv_mismatch(const unsigned char *buf, uint64_t base,
			    uint64_t len, unsigned int pass)
{
	uint64_t i;

	for (i = 0; i < len; i++)
		if (buf[i] != ilv_byte(base + i, pass))
			return (int64_t)i;
	return -1;
}

static int ilv_map(int fd, const struct ilv_shape *sh,
		   struct famfs_ioc_simple_extent strips[2][16])
{
	struct famfs_ioc_interleaved_ext ie[2];
	struct famfs_ioc_fmap f;
	int x;

	memset(ie, 0, sizeof(ie));
	for (x = 0; x < sh->niext; x++) {
		ie[x].ie_nstrips = sh->e[x].nstrips;
		ie[x].ie_chunk_size = sh->e[x].chunk;
		ie[x].ie_nbytes = sh->e[x].nbytes;
		ie[x].ie_strips = (uintptr_t)strips[x];
	}
	memset(&f, 0, sizeof(f));
	f.fioc_file_size = sh->size;
	f.fioc_file_type = FAMFS_REG;
	f.fioc_ext_type = FAMFS_IOC_EXT_INTERLEAVE;
	f.fioc_niext = sh->niext;
	f.kie = (uintptr_t)ie;
	return ioctl(fd, FAMFSIOC_MAP_CREATE_V2, &f);
}

/* read the whole file in odd-sized pieces; check it holds @pass */
static void ilv_check_read(int fd, const struct ilv_shape *sh,
			   unsigned int pass, const char *what)
{
	static const uint64_t piece[] = { 4 * MiB, 3 * MiB + 5, MiB, 6 * MiB,
					  4097 };
	unsigned char *buf = malloc(sh->size);
	uint64_t off = 0, n;
	int64_t bad = -1;
	unsigned int i = 0;
	char name[128];
	ssize_t r;

	while (off < sh->size) {
		n = piece[i++ % 5];
		if (n > sh->size - off)
			n = sh->size - off;
		r = pread(fd, buf + off, n, off);
		if (r != (ssize_t)n)
			break;
		off += n;
	}
	if (off == sh->size)
		bad = ilv_mismatch(buf, 0, sh->size, pass);
	snprintf(name, sizeof(name), "%s-%s", sh->name, what);
	check(off == sh->size && bad < 0, name,
	      "read stopped at %llu of %llu; first wrong byte at %lld",
	      (unsigned long long)off, (unsigned long long)sh->size,
	      (long long)bad);

	/* the read from the report: 4 MiB at 4 MiB */
	r = pread(fd, buf, 4 * MiB, 4 * MiB);
	snprintf(name, sizeof(name), "%s-%s-4m-at-4m", sh->name, what);
	check(r == (ssize_t)(4 * MiB) &&
	      ilv_mismatch(buf, 4 * MiB, 4 * MiB, pass) < 0, name,
	      "pread %zd, first wrong byte at +%lld", r,
	      r > 0 ? (long long)ilv_mismatch(buf, 4 * MiB, r, pass) : -1LL);
	free(buf);
}

static void ilv_agree_one(const struct ilv_shape *sh,
			  struct famfs_ioc_simple_extent strips[2][16])
{
	static const uint64_t piece[] = { MiB + 4097, 3 * MiB, 5 * MiB + 7,
					  65536 };
	unsigned char *buf, *p;
	uint64_t off = 0, n;
	unsigned int i = 0;
	char name[128];
	int64_t bad;
	int fd, rc;

	fd = newfile(sh->name);
	rc = ilv_map(fd, sh, strips);
	snprintf(name, sizeof(name), "%s-map", sh->name);
	expect(rc, sh->want, name);
	if (rc) {
		close(fd);
		return;
	}

	/* write() the whole file, read it back through a new mapping */
	buf = malloc(sh->size);
	for (off = 0; off < sh->size; off++)
		buf[off] = ilv_byte(off, 1);
	for (off = 0; off < sh->size; off += n) {
		n = piece[i++ % 4];
		if (n > sh->size - off)
			n = sh->size - off;
		if (pwrite(fd, buf + off, n, off) != (ssize_t)n)
			break;
	}
	snprintf(name, sizeof(name), "%s-write", sh->name);
	check(off >= sh->size, name, "write stopped at %llu: %s",
	      (unsigned long long)off, strerror(errno));
	ilv_check_read(fd, sh, 1, "read-back");

	p = mmap(NULL, sh->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	snprintf(name, sizeof(name), "%s-mmap", sh->name);
	check(p != MAP_FAILED, name, "%s", strerror(errno));
	if (p != MAP_FAILED) {
		bad = ilv_mismatch(p, 0, sh->size, 1);
		snprintf(name, sizeof(name), "%s-mmap-sees-write", sh->name);
		check(bad < 0, name, "first wrong byte at %lld",
		      (long long)bad);

		/* store through the mapping, read() it */
		for (off = 0; off < sh->size; off++)
			p[off] = ilv_byte(off, 2);
		msync(p, sh->size, MS_SYNC);
		munmap(p, sh->size);
		ilv_check_read(fd, sh, 2, "read-sees-mmap");
	}
	free(buf);
	close(fd);
}

/* Every interleaved shape: read/write and mmap agree on every byte. */
static void test_interleave_agree(void)
{
	static struct famfs_ioc_simple_extent strips[ILV_NSHAPES][2][16];
	unsigned int i;

	ilv_layout(strips);
	for (i = 0; i < ILV_NSHAPES; i++)
		ilv_agree_one(&ilv_shapes[i], strips[i]);
}

/*
 * After a remount of the device test_interleave_agree() left its pattern
 * on: map every strip as a plain file and check it holds the chunks the
 * interleave formula puts there (chunk c of an extent: strip c % nstrips,
 * stripe c / nstrips), so both paths wrote the right memory.
 */
static int ilayout(void)
{
	static struct famfs_ioc_simple_extent strips[ILV_NSHAPES][2][16];
	unsigned char *buf;
	unsigned int i, s;
	char name[160];
	int x;

	ilv_layout(strips);
	for (i = 0; i < ILV_NSHAPES; i++) {
		const struct ilv_shape *sh = &ilv_shapes[i];
		uint64_t ext_start = 0;

		if (sh->want)
			continue;
		for (x = 0; x < sh->niext; x++) {
			const struct ilv_ext *e = &sh->e[x];

			for (s = 0; s < e->nstrips; s++) {
				const struct famfs_ioc_simple_extent *st =
					&strips[i][x][s];
				uint64_t c, bad = 0, nchunks;
				int fd;

				snprintf(name, sizeof(name), "%s-e%d-s%u",
					 sh->name, x, s);
				fd = newfile(name);
				if (map1(fd, st->offset, st->len, st->len) ||
				    !(buf = malloc(st->len)) ||
				    pread(fd, buf, st->len, 0) !=
				    (ssize_t)st->len) {
					check(0, name, "map/read strip: %s",
					      strerror(errno));
					close(fd);
					continue;
				}
				nchunks = ilv_div_up(e->nbytes, e->chunk);
				for (c = s; c < nchunks; c += e->nstrips) {
					uint64_t soff = c / e->nstrips * e->chunk;
					uint64_t n = e->chunk;

					if (c * e->chunk + n > e->nbytes)
						n = e->nbytes - c * e->chunk;
					if (ilv_mismatch(buf + soff,
							 ext_start + c * e->chunk,
							 n, 2) >= 0)
						bad++;
				}
				check(bad == 0, name,
				      "%llu chunk(s) not where the formula puts them",
				      (unsigned long long)bad);
				free(buf);
				close(fd);
			}
			ext_start += e->nbytes;
		}
	}
	printf("ilayout: %d failure(s)\n", failures);
	return failures;
}

/*
 * Map FILE, touch every 2 MiB of it (PMD faults), then wait for the device
 * to go away and touch it again: the load must raise SIGBUS.
 */
static int holdtouch(const char *path, const char *flag)
{
	volatile unsigned char *p;
	char mapped[4096];
	struct stat st;
	uint64_t off;
	int i, fd = open(path, O_RDWR);

	if (fd < 0 || fstat(fd, &st)) {
		perror(path);
		return 1;
	}
	p = mmap(NULL, st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	close(fd);
	for (off = 0; off < (uint64_t)st.st_size; off += 2 * MiB) {
		p[off] = (unsigned char)(off >> 21);
		if (p[off] != (unsigned char)(off >> 21))
			return 2;
	}
	snprintf(mapped, sizeof(mapped), "%s.mapped", flag);
	fd = open(mapped, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		perror(mapped);
		return 1;
	}
	close(fd);
	for (i = 0; i < 600 && access(flag, F_OK); i++)
		usleep(100000);
	(void)p[0];	/* the test: SIGBUS once the device is gone */
	return 0;
}

static int do_pwrite(const char *path, uint64_t off)
{
	char buf[4096];
	ssize_t n;
	int fd = open(path, O_WRONLY);

	if (fd < 0) {
		perror(path);
		return 1;
	}
	memset(buf, 0x5a, sizeof(buf));
	n = pwrite(fd, buf, sizeof(buf), off);
	printf("pwrite %zd errno %d (%s)\n", n, n < 0 ? errno : 0,
	       n < 0 ? strerror(errno) : "-");
	close(fd);
	return 0;
}

/* the name of an errno ("EBUSY", glibc's strerrorname_np), or "errno N" for an unknown one */
static const char *errname(int e)
{
	static char buf[32];
	const char *n = strerrorname_np(e);

	if (n)
		return n;
	snprintf(buf, sizeof(buf), "errno %d", e);
	return buf;
}

/*
 * sys OP ARGS: one system call for the guest scripts' exact-errno checks
 * (busybox's applets print only strerror text and exit 1 for every error).
 * Prints "ok" or the errno's name and exits with 0 or the errno.
 */
static int sys_report(int rc)
{
	int e = errno;

	if (rc >= 0) {
		printf("ok\n");
		return 0;
	}
	printf("%s\n", errname(e));
	return e;
}

static int sys_op(int argc, char **argv)
{
	const char *op = argv[0];
	int fd, rc;

	if (argc == 3 && !strcmp(op, "mount"))
		return sys_report(try_mount(argv[1], argv[2], ""));
	if (argc == 4 && !strcmp(op, "mount"))
		return sys_report(try_mount(argv[1], argv[2], argv[3]));
	if (argc == 3 && !strcmp(op, "remount"))
		return sys_report(mount(NULL, argv[1], NULL, MS_REMOUNT,
					argv[2]));
	if (argc == 2 && !strcmp(op, "umount"))
		return sys_report(umount(argv[1]));
	if (argc == 2 && !strcmp(op, "rmmod"))
		return sys_report(syscall(SYS_delete_module, argv[1],
					  O_NONBLOCK));
	if (argc == 2 && !strcmp(op, "insmod")) {
		fd = open(argv[1], O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return sys_report(fd);
		rc = syscall(SYS_finit_module, fd, "", 0);
		close(fd);
		return sys_report(rc);
	}
	if (argc == 2 && !strcmp(op, "unlink"))
		return sys_report(unlink(argv[1]));
	if (argc == 2 && !strcmp(op, "rmdir"))
		return sys_report(rmdir(argv[1]));
	if (argc == 3 && !strcmp(op, "rename"))
		return sys_report(rename(argv[1], argv[2]));
	if (argc == 3 && !strcmp(op, "symlink"))
		return sys_report(symlink(argv[1], argv[2]));
	if (argc == 5 && !strcmp(op, "map")) {
		fd = open(argv[1], O_RDWR);
		if (fd < 0)
			return sys_report(fd);
		rc = map1(fd, num(argv[2]), num(argv[3]), num(argv[4]));
		return sys_report(rc);
	}
	fprintf(stderr, "usage: famfs_ioctl_test sys mount DEV DIR [OPTS] | remount DIR OPTS | umount DIR | rmmod NAME | insmod KO | unlink P | rmdir P | rename A B | symlink T P | map FILE OFF LEN SIZE\n");
	return 255;
}

static int selftest(void)
{
	if (devsize < 64 * MiB) {
		fprintf(stderr, "selftest needs a device of >= 64 MiB\n");
		return 100;
	}
	test_unmapped();
	test_bad_maps();
	test_data();
	test_v1_and_types();
	test_interleaved();
	test_unprivileged();
	if (devsize >= 192 * MiB)
		test_interleave_agree();
	else
		printf("note: interleave agreement needs a device of >= 192 MiB\n");
	printf("selftest: %d failure(s)\n", failures);
	return failures;
}

static int touch(const char *path)
{
	struct stat st;
	volatile unsigned char *p;
	uint64_t off;
	int fd = open(path, O_RDWR);

	if (fd < 0 || fstat(fd, &st)) {
		perror(path);
		return 1;
	}
	p = mmap(NULL, st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	for (off = 0; off < (uint64_t)st.st_size; off += 2 * MiB)
		p[off] = p[off] + 1;
	printf("touched %llu bytes at %p\n", (unsigned long long)st.st_size,
	       (void *)p);
	munmap((void *)p, st.st_size);
	close(fd);
	return 0;
}

/* The kernel may SIGBUS the poisoning process itself: do it in a child. */
static int poison(const char *path, uint64_t off)
{
	int status, fd = open(path, O_RDWR);
	struct stat st;
	pid_t pid;

	if (fd < 0 || fstat(fd, &st)) {
		perror(path);
		return 1;
	}
	pid = fork();
	if (pid == 0) {
		volatile unsigned char *p;

		p = mmap(NULL, st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED,
			 fd, 0);
		if (p == MAP_FAILED)
			_exit(3);
		p[off] = 1;
		_exit(madvise((void *)(p + off), 4096, MADV_HWPOISON) ? 4 : 0);
	}
	waitpid(pid, &status, 0);
	if (WIFEXITED(status) && WEXITSTATUS(status)) {
		printf("poison failed: child status %d\n", WEXITSTATUS(status));
		return 1;
	}
	printf("poisoned %s at offset %llu (child %s %d)\n", path,
	       (unsigned long long)off,
	       WIFSIGNALED(status) ? "signal" : "exit",
	       WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	return 0;
}

static int do_pread(const char *path, uint64_t off)
{
	char buf[4096];
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0) {
		perror(path);
		return 1;
	}
	n = pread(fd, buf, sizeof(buf), off);
	printf("pread %zd errno %d (%s)\n", n, n < 0 ? errno : 0,
	       n < 0 ? strerror(errno) : "-");
	return 0;
}

static int mmapread(const char *path, uint64_t off)
{
	int status, fd = open(path, O_RDONLY);
	pid_t pid;

	if (fd < 0) {
		perror(path);
		return 1;
	}
	pid = fork();
	if (pid == 0) {
		volatile unsigned char *p;

		p = mmap(NULL, off + 4096, PROT_READ, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED) {
			printf("mmap %s\n", errname(errno));
			fflush(stdout);
			_exit(3);
		}
		_exit(p[off] == 0x5a ? 4 : 0);
	}
	waitpid(pid, &status, 0);
	if (WIFSIGNALED(status))
		printf("signal %d\n", WTERMSIG(status));
	else if (WEXITSTATUS(status) != 3)
		printf("ok\n");
	return 0;
}

static int holdread(const char *path, uint64_t off, const char *flag)
{
	volatile unsigned char *p;
	char mapped[4096];
	int i, fd = open(path, O_RDONLY);

	if (fd < 0) {
		perror(path);
		return 1;
	}

	p = mmap(NULL, off + 4096, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	/* tell the caller the mapping exists, so it can poison under it */
	snprintf(mapped, sizeof(mapped), "%s.mapped", flag);
	fd = open(mapped, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		perror(mapped);
		return 1;
	}
	close(fd);
	for (i = 0; i < 300 && access(flag, F_OK); i++)
		usleep(100000);
	(void)p[off];	/* the load is the test: SIGBUS if the memory failed */
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "selftest")) {
		mnt = argv[2];
		devsize = num(argv[3]);
		return selftest();
	}
	if (argc == 6 && !strcmp(argv[1], "badinput")) {
		mnt = argv[2];
		devsize = num(argv[3]);
		return badinput(argv[4], argv[5]);
	}
	if (argc == 4 && !strcmp(argv[1], "interleave")) {
		mnt = argv[2];
		devsize = num(argv[3]);
		test_interleave_agree();
		printf("interleave: %d failure(s)\n", failures);
		return failures;
	}
	if (argc == 4 && !strcmp(argv[1], "ilayout")) {
		mnt = argv[2];
		devsize = num(argv[3]);
		return ilayout();
	}
	if (argc == 4 && !strcmp(argv[1], "holdtouch"))
		return holdtouch(argv[2], argv[3]);
	if (argc == 4 && !strcmp(argv[1], "pwrite"))
		return do_pwrite(argv[2], num(argv[3]));
	if (argc >= 3 && !strcmp(argv[1], "sys"))
		return sys_op(argc - 2, argv + 2);
	if (argc == 3 && !strcmp(argv[1], "faultcount"))
		return faultcount(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "nspolicy")) {
		mnt = argv[2];
		return nspolicy(num(argv[3]));
	}
	if ((argc == 4 || argc == 5) && !strcmp(argv[1], "mapmany"))
		return mapmany(argv[2], atoi(argv[3]),
			       argc == 5 ? num(argv[4]) : 512 * MiB);
	if (argc == 6 && !strcmp(argv[1], "map")) {
		int fd = open(argv[2], O_RDWR);

		if (fd < 0 || map1(fd, num(argv[3]), num(argv[4]),
				   num(argv[5]))) {
			perror(argv[2]);
			return 1;
		}
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "get")) {
		struct famfs_ioc_get_fmap g;
		int fd = open(argv[2], O_RDONLY);

		if (fd < 0 || ioctl(fd, FAMFSIOC_MAP_GET_V2, &g)) {
			perror(argv[2]);
			return 1;
		}
		printf("size %llu type %u ext_type %u n %u\n",
		       (unsigned long long)g.iocmap.fioc_file_size,
		       g.iocmap.fioc_file_type, g.iocmap.fioc_ext_type,
		       g.iocmap.fioc_nextents);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "touch"))
		return touch(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "poison"))
		return poison(argv[2], num(argv[3]));
	if (argc == 4 && !strcmp(argv[1], "pread"))
		return do_pread(argv[2], num(argv[3]));
	if (argc == 5 && !strcmp(argv[1], "holdread"))
		return holdread(argv[2], num(argv[3]), argv[4]);
	if (argc == 4 && !strcmp(argv[1], "mmapread"))
		return mmapread(argv[2], num(argv[3]));
	fprintf(stderr, "usage: see the top of famfs_ioctl_test.c\n");
	return 2;
}
