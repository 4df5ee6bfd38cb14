// SPDX-License-Identifier: GPL-2.0
/*
 * famfs_fuzz - a bounded, reproducible ioctl/file/mount fuzzer for famfs.ko
 *
 *   famfs_fuzz MOUNTDIR DEVICE DEVSIZE [SECONDS [SEED [MAXITER]]]
 *
 * MOUNTDIR is a fresh famfs mount of DEVICE (DEVSIZE bytes). Runs until
 * SECONDS (default 25) or MAXITER operations (default 200000) are done, with
 * a fixed seed (default 1): random and boundary values in every field of
 * every famfs ioctl, bad and hostile user pointers (NULL, unaligned, kernel
 * addresses, famfs DAX memory of the same file), wrong file types
 * (directories), unmapped files, closed and reopened descriptors, unlinked
 * unmapped files (a mapped file cannot be unlinked: EPERM), mmap with random
 * geometry, truncate/fallocate, reads and writes at boundary offsets, rmdir
 * and rename (always EPERM), mount attempts with random options and sources,
 * remounts, and every ~1500 operations a full umount/mount cycle.
 *
 * Every result is checked against the errno set the operation may return
 * and against what the fuzzer knows (maps that overlap another file's memory
 * are EBUSY, a file mapped once stays mapped with
 * the same size, GET returns what CREATE set, mapped files never SIGBUS
 * inside EOF). Prints one "VIOLATION" line per unexpected result (at most
 * 50) and a summary; exits with 1 if anything was unexpected. The kernel
 * side (no splat, no leaked map) is checked by kmod-fuzz.sh.
 *
 * Build: gcc -O2 -static -Wall -I../uapi -o famfs_fuzz famfs_fuzz.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "linux/famfs_ioctl.h"

#define MiB (1ULL << 20)
#define NFILES 12

/* errno sets: bit n means errno n is acceptable (all < 128 here) */
typedef unsigned __int128 eset_t;
#define E(x) ((eset_t)1 << (x))

struct ffile {
	char path[256];
	int fd;			/* -1 when closed */
	int acc;		/* O_RDONLY / O_WRONLY / O_RDWR of fd */
	int exists;		/* has a directory entry (by path) */
	int mapped;		/* known to be mapped */
	int interleaved2;	/* mapped with 2 interleaved extents */
	int getext_ok;		/* simple map: MAP_GETEXT works */
	uint64_t size;		/* file size once mapped */
	void *map;		/* a live mmap of it, or NULL */
	size_t maplen;
};

static struct ffile files[NFILES];
static const char *mnt, *dev;
static char target2[256];
static uint64_t devsize;
static uint64_t rng;
static unsigned long violations, ops, mount_cycles;
static unsigned long nok, nerr;
static sigjmp_buf bus_jmp;
static volatile int in_touch;
static unsigned char *dummy;	/* a valid user buffer, 4 MiB */

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static uint64_t below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

static void violation(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static void violation(const char *fmt, ...)
{
	va_list ap;

	if (++violations > 50)
		return;
	printf("VIOLATION op %lu: ", ops);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

/* rc < 0: errno must be in @allowed; rc >= 0 must be allowed by @ok_allowed */
static int judge(const char *what, long rc, eset_t allowed, int ok_allowed)
{
	int e = errno;

	if (rc < 0) {
		nerr++;
		if (e >= 128 || !(allowed & E(e)))
			violation("%s: unexpected errno %d (%s)", what, e,
				  strerror(e));
		return -e;
	}
	nok++;
	if (!ok_allowed)
		violation("%s: succeeded (rc %ld) but must fail", what, rc);
	return 0;
}

/* A boundary-heavy 64-bit value for offsets, lengths and sizes. */
static uint64_t val64(void)
{
	static const uint64_t fixed[] = {
		0, 1, 4095, 4096, 2 * MiB - 1, 2 * MiB, 2 * MiB + 1,
		4 * MiB, 6 * MiB, 64 * MiB, 1ULL << 31, 1ULL << 32,
		1ULL << 40, 1ULL << 52, 1ULL << 63, ~0ULL, ~0ULL - 4095,
		~(2 * MiB - 1),
	};
	switch (below(6)) {
	case 0:
		return fixed[below(sizeof(fixed) / sizeof(fixed[0]))];
	case 1:
		return devsize - 2 * MiB * below(4);
	case 2:
		return devsize + 2 * MiB * below(3);
	case 3:
		return rnd();
	default:
		/* plausible: 2 MiB aligned inside the device */
		return 2 * MiB * (1 + below(devsize / (2 * MiB) - 1));
	}
}

static uint64_t val_len(void)
{
	if (below(3))
		return 2 * MiB * (1 + below(4));
	return val64();
}

static uint64_t val_count(void)
{
	static const uint64_t fixed[] = { 0, 1, 2, 3, 4, 16, 17, 255,
					  0xffffffffULL, 1ULL << 32, ~0ULL };

	if (below(2))
		return 1 + below(2);
	return fixed[below(sizeof(fixed) / sizeof(fixed[0]))];
}

/*
 * A user pointer for a structure of @len bytes: usually @good, otherwise
 * NULL, tiny, unaligned, past a mapping, a kernel address, or famfs DAX
 * memory (a live mapping of some famfs file).
 */
static uint64_t ptr(void *good, size_t len)
{
	int i;

	switch (below(12)) {
	case 0:
		return 0;
	case 1:
		return 8;
	case 2:
		return 0xffff888000000000ULL;
	case 3:
		return 0xffffffff81000000ULL + below(4096);
	case 4:
		return (uintptr_t)dummy + 4 * MiB - len / 2; /* runs off the end */
	case 5:
		return (uintptr_t)good + 1;
	case 6:
		for (i = 0; i < NFILES; i++)
			if (files[i].map && files[i].maplen >= len)
				return (uintptr_t)files[i].map;
		return (uintptr_t)good;
	default:
		return (uintptr_t)good;
	}
}

static uint32_t ftype(void)
{
	if (below(6))
		return below(4) ? FAMFS_REG : FAMFS_LOG;
	return below(2) ? FAMFS_SUPERBLOCK : (uint32_t)rnd();
}

static struct ffile *pick(void)
{
	return &files[below(NFILES)];
}

static void drop_map(struct ffile *f)
{
	if (f->map) {
		munmap(f->map, f->maplen);
		f->map = NULL;
	}
}

static void close_file(struct ffile *f)
{
	if (f->fd >= 0) {
		close(f->fd);
		f->fd = -1;
	}
}

/* forget a file whose name went away and whose fd was closed */
static void forget(struct ffile *f)
{
	drop_map(f);
	close_file(f);
	f->exists = 0;
	f->mapped = 0;
	f->interleaved2 = 0;
	f->getext_ok = 0;
	f->size = 0;
}

static void op_open(struct ffile *f)
{
	static const int accs[] = { O_RDONLY, O_WRONLY, O_RDWR, O_RDWR };
	int acc = accs[below(4)], flags = acc;
	int fd;

	close_file(f);
	if (!f->exists || below(4) == 0)
		flags |= O_CREAT;
	if (below(8) == 0)
		flags |= O_TRUNC;
	fd = open(f->path, flags, 0644);
	if (fd < 0) {
		/* O_TRUNC of a mapped file with size > 0: EPERM */
		judge("open", -1,
		      (f->exists ? 0 : E(ENOENT)) |
		      ((flags & O_TRUNC) && f->mapped ? E(EPERM) : 0) |
		      ((flags & O_TRUNC) && acc == O_RDONLY ? E(EPERM) : 0),
		      0);
		return;
	}
	nok++;
	if (!f->exists) {
		/* a new file under the old name */
		drop_map(f);
		f->exists = 1;
		f->mapped = 0;
		f->interleaved2 = 0;
		f->getext_ok = 0;
		f->size = 0;
	} else if ((flags & O_TRUNC) && f->mapped > 0 && f->size) {
		violation("open(O_TRUNC) of a mapped file of %llu bytes succeeded",
			  (unsigned long long)f->size);
	}
	f->fd = fd;
	f->acc = acc;
}

/*
 * The namespace policy: a mapped file cannot be unlinked (EPERM, the log
 * cannot record it); an unmapped one can. mapped == -1 (unknown): either.
 */
static void op_unlink(struct ffile *f)
{
	int rc = unlink(f->path);

	judge("unlink", rc, !f->exists ? E(ENOENT) : f->mapped ? E(EPERM) : 0,
	      f->exists && f->mapped <= 0);
	if (!rc) {
		/* keep the fd: an unlinked open file stays usable */
		f->exists = 0;
		if (f->fd < 0)
			forget(f);
	}
}

static void after_map_success(struct ffile *f, const char *what,
			      uint64_t size, int interleaved2, int simple)
{
	struct stat st;

	if (f->mapped) {
		violation("%s: a mapped file was mapped again", what);
		return;
	}
	f->mapped = 1;
	f->size = size;
	f->interleaved2 = interleaved2;
	f->getext_ok = simple;
	if (fstat(f->fd, &st) || (uint64_t)st.st_size != size)
		violation("%s: size %llu after mapping %llu", what,
			  (unsigned long long)st.st_size,
			  (unsigned long long)size);
}

/* errnos any map ioctl may return on this file */
static eset_t map_errs(struct ffile *f)
{
	eset_t a = E(EINVAL) | E(E2BIG) | E(EFAULT) | E(EBUSY);

	if (f->fd < 0)
		return E(EBADF);
	if (f->mapped)
		a |= E(EEXIST);
	return a;
}

static void op_map_v2(struct ffile *f)
{
	struct famfs_ioc_simple_extent se[3], strips[17];
	struct famfs_ioc_interleaved_ext ie[3];
	struct famfs_ioc_fmap fm;
	uint64_t arg, nbytes_total = 0;
	int i, j, rc, simple = below(2);
	int fd = f->fd;

	memset(&fm, 0, sizeof(fm));
	fm.fioc_file_type = ftype();
	fm.fioc_ext_type = below(8) ? (simple ? FAMFS_IOC_EXT_SIMPLE
					      : FAMFS_IOC_EXT_INTERLEAVE)
				    : (uint32_t)rnd();
	for (i = 0; i < 3; i++) {
		se[i].devindex = below(10) ? 0 : val64();
		se[i].offset = val64();
		se[i].len = val_len();
	}
	for (j = 0; j < 17; j++) {
		strips[j].devindex = below(20) ? 0 : val64();
		strips[j].offset = val64();
		strips[j].len = val_len();
	}
	for (i = 0; i < 3; i++) {
		ie[i].ie_nstrips = below(3) ? 1 + below(4) : val_count();
		ie[i].ie_chunk_size = below(3) ? 2 * MiB * (1 + below(2))
					       : val64();
		ie[i].ie_nbytes = below(2) ? 2 * MiB * (1 + below(4))
					   : val64();
		ie[i].ie_strips = ptr(strips, sizeof(strips[0]) *
					       (ie[i].ie_nstrips > 17 ? 17 :
						ie[i].ie_nstrips));
		nbytes_total += ie[i].ie_nbytes;
	}
	if (fm.fioc_ext_type == FAMFS_IOC_EXT_INTERLEAVE) {
		fm.fioc_niext = val_count();
		fm.kie = ptr(ie, sizeof(ie[0]) * 2);
	} else {
		fm.fioc_nextents = val_count();
		fm.kse = ptr(se, sizeof(se[0]) * 2);
	}
	switch (below(4)) {
	case 0:
		fm.fioc_file_size = val64();
		break;
	case 1:
		fm.fioc_file_size = 2 * MiB * below(3) + below(3) * 4096;
		break;
	default:
		fm.fioc_file_size = fm.fioc_ext_type ? nbytes_total
						     : se[0].len;
	}
	arg = ptr(&fm, sizeof(fm));
	rc = ioctl(fd, FAMFSIOC_MAP_CREATE_V2, (void *)(uintptr_t)arg);
	if (judge("MAP_CREATE_V2", rc, map_errs(f), fd >= 0 && !f->mapped) == 0
	    && rc == 0) {
		/* what was read is what was passed, unless arg pointed elsewhere */
		if (arg == (uintptr_t)&fm)
			after_map_success(f, "MAP_CREATE_V2", fm.fioc_file_size,
					  fm.fioc_ext_type ==
					  FAMFS_IOC_EXT_INTERLEAVE &&
					  fm.fioc_niext == 2,
					  fm.fioc_ext_type ==
					  FAMFS_IOC_EXT_SIMPLE);
		else
			f->mapped = -1;	/* unknown contents: resync below */
	}
}

static void op_map_v1(struct ffile *f)
{
	struct famfs_ioc_map m;
	uint64_t arg;
	int rc;

	memset(&m, 0, sizeof(m));
	m.extent_type = below(8) ? SIMPLE_DAX_EXTENT : (uint32_t)rnd();
	m.file_type = ftype();
	m.ext_list_count = val_count();
	m.ext_list[0].offset = val64();
	m.ext_list[0].len = below(2) ? val_len() : below(8 * MiB);
	m.ext_list[1].offset = val64();
	m.ext_list[1].len = below(2) ? val_len() : below(8 * MiB);
	m.file_size = below(2) ? m.ext_list[0].len : val64();
	arg = ptr(&m, sizeof(m));
	rc = ioctl(f->fd, FAMFSIOC_MAP_CREATE, (void *)(uintptr_t)arg);
	if (judge("MAP_CREATE", rc, map_errs(f), f->fd >= 0 && !f->mapped) == 0
	    && rc == 0) {
		if (arg == (uintptr_t)&m)
			after_map_success(f, "MAP_CREATE", m.file_size, 0, 1);
		else
			f->mapped = -1;
	}
}

/* learn the state of a file mapped through a pointer we did not fill */
static void resync(struct ffile *f)
{
	struct famfs_ioc_get_fmap g;
	struct stat st;

	if (f->mapped != -1)
		return;
	f->mapped = 1;
	f->getext_ok = 0;
	f->interleaved2 = 0;
	if (fstat(f->fd, &st) == 0)
		f->size = st.st_size;
	memset(&g, 0, sizeof(g));
	if (ioctl(f->fd, FAMFSIOC_MAP_GET_V2, &g) == 0) {
		f->getext_ok = g.iocmap.fioc_ext_type == FAMFS_IOC_EXT_SIMPLE;
		if (g.iocmap.fioc_file_size != f->size)
			violation("resync: GET_V2 size %llu, i_size %llu",
				  (unsigned long long)g.iocmap.fioc_file_size,
				  (unsigned long long)f->size);
	} else if (errno == EOVERFLOW) {
		f->interleaved2 = 1;
	} else {
		violation("resync: GET_V2 of a mapped file: %s",
			  strerror(errno));
	}
}

static void op_get(struct ffile *f)
{
	static union {
		struct famfs_ioc_get_fmap g;
		struct famfs_ioc_map m;
		struct famfs_extent e[2];
	} u;
	uint64_t arg = ptr(&u, sizeof(u));
	eset_t errs;
	int which = below(3), rc;
	unsigned int cmd = which == 0 ? FAMFSIOC_MAP_GET :
			   which == 1 ? FAMFSIOC_MAP_GETEXT :
					FAMFSIOC_MAP_GET_V2;
	int may_succeed;

	memset(&u, 0xa5, sizeof(u));
	if (f->fd < 0) {
		errs = E(EBADF);
		may_succeed = 0;
	} else if (!f->mapped) {
		errs = E(EINVAL);
		may_succeed = 0;
	} else {
		errs = E(EFAULT);
		may_succeed = 1;
		if (which == 1 && !f->getext_ok) {
			errs |= E(EINVAL);
			may_succeed = 0;
		}
		if (which == 2 && f->interleaved2) {
			errs |= E(EOVERFLOW);
			may_succeed = 0;
		}
	}
	rc = ioctl(f->fd, cmd, (void *)(uintptr_t)arg);
	judge(which == 0 ? "MAP_GET" : which == 1 ? "MAP_GETEXT" : "MAP_GET_V2",
	      rc, errs, may_succeed);
	if (rc == 0 && arg == (uintptr_t)&u) {
		uint64_t size = which == 0 ? u.m.file_size :
				which == 2 ? u.g.iocmap.fioc_file_size : f->size;

		if (size != f->size)
			violation("GET: size %llu, mapped with %llu",
				  (unsigned long long)size,
				  (unsigned long long)f->size);
	}
}

static void op_random_ioctl(struct ffile *f)
{
	unsigned int cmd;
	int rc;

	switch (below(3)) {
	case 0:	/* 'u' magic, random number, direction and size */
		cmd = _IOC(below(4), FAMFSIOC_MAGIC, below(256), below(1024));
		break;
	case 1:	/* a famfs number with the wrong size */
		cmd = _IOC(_IOC_WRITE, FAMFSIOC_MAGIC, 0x50 + below(6),
			   below(600));
		break;
	default:
		cmd = FAMFSIOC_NOP;
	}
	if (cmd == FAMFSIOC_MAP_CREATE || cmd == FAMFSIOC_MAP_CREATE_V2 ||
	    cmd == FAMFSIOC_MAP_GET || cmd == FAMFSIOC_MAP_GETEXT ||
	    cmd == FAMFSIOC_MAP_GET_V2)
		cmd = FAMFSIOC_NOP;
	rc = ioctl(f->fd, cmd, (void *)(uintptr_t)ptr(dummy, 64));
	judge("ioctl-random", rc, f->fd < 0 ? E(EBADF) : E(ENOTTY),
	      f->fd >= 0 && cmd == FAMFSIOC_NOP);
}

static void op_dir_ioctl(void)
{
	int fd = open(mnt, O_RDONLY | O_DIRECTORY);
	static const unsigned int cmds[] = {
		FAMFSIOC_NOP, FAMFSIOC_MAP_CREATE, FAMFSIOC_MAP_CREATE_V2,
		FAMFSIOC_MAP_GET, FAMFSIOC_MAP_GET_V2, FAMFSIOC_MAP_GETEXT,
	};

	judge("dir-ioctl", ioctl(fd, cmds[below(6)], dummy), E(ENOTTY), 0);
	close(fd);
}

static uint64_t io_off(struct ffile *f)
{
	switch (below(5)) {
	case 0:
		return f->size;
	case 1:
		return f->size ? f->size - 1 : 0;
	case 2:
		return val64() & ((1ULL << 62) - 1);
	default:
		return f->size ? below(f->size) : 0;
	}
}

static void op_rw(struct ffile *f)
{
	int write_op = below(2);
	uint64_t off = io_off(f);
	size_t len = below(2) ? 1 + below(8192) : below(3 * MiB);
	void *buf = dummy;
	eset_t errs = 0;
	int may_succeed = 1;
	long rc;

	if (below(6) == 0)
		buf = (void *)(uintptr_t)ptr(dummy, len);
	if (buf != dummy)
		errs |= E(EFAULT);
	if (f->fd < 0 || (write_op && f->acc == O_RDONLY) ||
	    (!write_op && f->acc == O_WRONLY)) {
		errs = E(EBADF);
		may_succeed = 0;
	} else if (!f->mapped) {
		errs = E(EIO);
		may_succeed = !len;	/* may the VFS short-cut zero bytes */
	} else if (write_op && off >= f->size) {
		errs |= E(ENOSPC) | E(EFBIG) | E(EINVAL);
		may_succeed = !len;
	}
	/* the VFS checks the buffer (access_ok) before anything else */
	if (buf != dummy)
		errs |= E(EFAULT);
	/* offsets above LLONG_MAX are EINVAL from the VFS */
	if (off > (uint64_t)INT64_MAX)
		errs |= E(EINVAL);
	errno = 0;
	if (write_op)
		rc = pwrite(f->fd, buf, len, off);
	else
		rc = pread(f->fd, buf, len, off);
	judge(write_op ? "pwrite" : "pread", rc, errs, may_succeed);
	if (rc > 0 && f->mapped > 0 && off + rc > f->size)
		violation("%s past EOF: off %llu + %ld > size %llu",
			  write_op ? "pwrite" : "pread",
			  (unsigned long long)off, rc,
			  (unsigned long long)f->size);
}

static void on_sigbus(int sig)
{
	(void)sig;
	if (in_touch)
		siglongjmp(bus_jmp, 1);
	_exit(99);
}

static void op_mmap(struct ffile *f)
{
	size_t len;
	uint64_t off = below(4) ? 0 : val64() & ~4095ULL;
	int prot = below(2) ? PROT_READ : PROT_READ | PROT_WRITE;
	eset_t errs;
	void *p;

	drop_map(f);
	len = below(3) ? (f->size ? f->size : 2 * MiB) : 1 + below(16 * MiB);
	if (below(10) == 0)
		off |= 1 + below(4095);		/* unaligned: EINVAL */
	if (f->fd < 0) {
		/* the offset is checked before the descriptor */
		errs = E(EBADF) | E(EINVAL) | E(EOVERFLOW);
	} else {
		errs = E(EINVAL) | E(EOVERFLOW) | E(ENOMEM);
		if (f->acc == O_WRONLY || (prot & PROT_WRITE &&
					   f->acc == O_RDONLY))
			errs |= E(EACCES);
		if (!f->mapped)
			errs |= E(EIO);
	}
	p = mmap(NULL, len, prot, MAP_SHARED, f->fd, off);
	if (p == MAP_FAILED) {
		judge("mmap", -1, errs, 0);
		return;
	}
	nok++;
	if (!f->mapped)
		violation("mmap of an unmapped file succeeded");
	f->map = p;
	f->maplen = len;
	/* touch inside EOF only: must never SIGBUS */
	if (f->mapped > 0 && off < f->size) {
		uint64_t end = f->size - off < len ? f->size - off : len;
		uint64_t i, step = below(2) ? 4096 : 2 * MiB;

		in_touch = 1;
		if (sigsetjmp(bus_jmp, 1) == 0) {
			for (i = 0; i < end; i += step) {
				volatile unsigned char *b = p;

				if (prot & PROT_WRITE)
					b[i] = b[i] + 1;
				else
					(void)b[i];
			}
		} else {
			violation("SIGBUS inside EOF (off %llu size %llu)",
				  (unsigned long long)off,
				  (unsigned long long)f->size);
		}
		in_touch = 0;
	}
	if (below(3) == 0)
		drop_map(f);
}

static void op_size(struct ffile *f)
{
	uint64_t len = below(3) ? f->size : val64() & ((1ULL << 62) - 1);
	int rc;

	if (below(2)) {
		rc = ftruncate(f->fd, len);
		/* no size change, ever; same size is a no-op */
		judge("ftruncate", rc,
		      f->fd < 0 ? E(EBADF) : E(EPERM) | E(EINVAL) | E(EFBIG),
		      f->fd >= 0 && f->acc != O_RDONLY && len == f->size);
	} else {
		rc = fallocate(f->fd, below(2) ? 0 : FALLOC_FL_KEEP_SIZE,
			       below(f->size + 1), len);
		judge("fallocate", rc, E(EOPNOTSUPP) | E(EBADF) | E(EINVAL) |
		      E(EFBIG), 0);
	}
}

static void op_namespace(void)
{
	char a[256], b[256];
	int rc;

	snprintf(a, sizeof(a), "%s/d%llu", mnt, (unsigned long long)below(3));
	snprintf(b, sizeof(b), "%s/d%llu", mnt, (unsigned long long)below(3));
	switch (below(3)) {
	case 0:
		rc = mkdir(a, 0755);
		judge("mkdir", rc, E(EEXIST), 1);
		break;
	case 1:
		/* the namespace policy: never removed, never renamed */
		rc = rmdir(a);
		judge("rmdir", rc, E(ENOENT) | E(EPERM), 0);
		break;
	default:
		/* renaming a name onto itself is a no-op the VFS allows */
		rc = rename(a, b);
		judge("rename", rc, E(ENOENT) | E(EPERM), !strcmp(a, b));
	}
}

static void op_mount(void)
{
	static const char *const opts[] = {
		"", "mode=0700", "mode=", "mode=8", "mode=77777777777",
		"dax=always", "dax=never", "dax=", "dax", "bogus",
		"mode=0755,dax=always,mode=0711", "source=/dev/null",
	};
	char o[512], src[256];
	int rc;

	if (below(4) == 0) {
		int i, n = below(sizeof(o) - 1);

		for (i = 0; i < n; i++)
			o[i] = 32 + below(95);
		o[n] = 0;
	} else {
		snprintf(o, sizeof(o), "%s",
			 opts[below(sizeof(opts) / sizeof(opts[0]))]);
	}
	switch (below(5)) {
	case 0:
		snprintf(src, sizeof(src), "%s", mnt);
		break;
	case 1:
		snprintf(src, sizeof(src), "%s", files[below(NFILES)].path);
		break;
	case 2:
		snprintf(src, sizeof(src), "/dev/null");
		break;
	default:
		snprintf(src, sizeof(src), "%s", dev);
	}
	rc = mount(src, target2, "famfs", 0, o);
	judge("mount", rc, E(EINVAL) | E(EBUSY) | E(ENOTBLK) | E(ENODEV) |
	      E(EOPNOTSUPP) | E(ENOENT), 0);
	if (rc == 0)
		umount(target2);

	/* a remount: mode= applies, anything else but dax=always fails */
	rc = mount(NULL, mnt, NULL, MS_REMOUNT,
		   below(2) ? "mode=0755" : opts[below(12)]);
	judge("remount", rc, E(EINVAL), 1);
}

static void close_all(void)
{
	int i;

	for (i = 0; i < NFILES; i++) {
		drop_map(&files[i]);
		close_file(&files[i]);
	}
}

/* umount (must succeed: nothing is open or mapped) and mount again */
static int cycle_mount(void)
{
	int i;

	close_all();
	if (umount(mnt)) {
		violation("umount: %s", strerror(errno));
		return -1;
	}
	if (mount(dev, mnt, "famfs", 0, "")) {
		violation("mount again: %s", strerror(errno));
		return -1;
	}
	for (i = 0; i < NFILES; i++)
		forget(&files[i]);
	mount_cycles++;
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long maxiter = 200000, seconds = 25;
	struct sigaction sa;
	time_t end;
	int i;

	if (argc < 4) {
		fprintf(stderr, "usage: famfs_fuzz MOUNTDIR DEVICE DEVSIZE [SECONDS [SEED [MAXITER]]]\n");
		return 2;
	}
	mnt = argv[1];
	dev = argv[2];
	devsize = strtoull(argv[3], NULL, 0);
	if (argc > 4)
		seconds = strtoul(argv[4], NULL, 0);
	rng = argc > 5 ? strtoull(argv[5], NULL, 0) : 1;
	rng = rng * 0x9e3779b97f4a7c15ULL + 0x1234567;
	if (argc > 6)
		maxiter = strtoul(argv[6], NULL, 0);
	if (devsize < 64 * MiB) {
		fprintf(stderr, "famfs_fuzz: the device must be >= 64 MiB\n");
		return 2;
	}
	snprintf(target2, sizeof(target2), "/tmp/famfs_fuzz_target");
	mkdir(target2, 0755);
	dummy = mmap(NULL, 4 * MiB, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigbus;
	sigaction(SIGBUS, &sa, NULL);
	for (i = 0; i < NFILES; i++) {
		snprintf(files[i].path, sizeof(files[i].path), "%s/f%d", mnt,
			 i);
		files[i].fd = -1;
	}

	end = time(NULL) + seconds;
	for (ops = 0; ops < maxiter; ops++) {
		struct ffile *f = pick();
		unsigned int r = below(100);

		if ((ops & 63) == 0 && time(NULL) >= end)
			break;
		if (f->mapped == -1 && f->fd >= 0)
			resync(f);
		if (r < 12)
			op_open(f);
		else if (r < 15)
			close_file(f);
		else if (r < 18)
			op_unlink(f);
		else if (r < 34)
			op_map_v2(f);
		else if (r < 40)
			op_map_v1(f);
		else if (r < 52)
			op_get(f);
		else if (r < 57)
			op_random_ioctl(f);
		else if (r < 59)
			op_dir_ioctl();
		else if (r < 75)
			op_rw(f);
		else if (r < 85)
			op_mmap(f);
		else if (r < 90)
			op_size(f);
		else if (r < 94)
			op_namespace();
		else if (r < 96 && below(8) == 0)
			op_mount();	/* rarer: each failure is logged */
		else
			op_get(f);
		if (ops % 1500 == 1499 && cycle_mount())
			break;
	}
	close_all();
	printf("famfs_fuzz: %lu operations, %lu succeeded, %lu errors as expected, %lu mount cycles, %lu violation(s)\n",
	       ops, nok, nerr - (violations > nerr ? nerr : 0),
	       mount_cycles, violations);
	return violations ? 1 : 0;
}
