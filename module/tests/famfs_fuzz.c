// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * famfs_fuzz - a model-checked, reproducible ioctl/file/mount fuzzer for
 * famfs.ko
 *
 *   famfs_fuzz MOUNTDIR DEVICE DEVSIZE OPS [SEED [CHECKPOINT]]
 *
 * MOUNTDIR is a fresh famfs mount of DEVICE (DEVSIZE bytes). Runs exactly
 * OPS operations (the bound is the operation count, never the clock) from
 * SEED (default: a random one; printed first either way): the same seed on
 * the same kernel replays the same operations with the same results, which
 * the final "digest" (a hash of every operation's kind and result) shows
 * (the fuzzer re-executes itself without address space randomization: a
 * structure read one byte off holds bytes of the pointers next to it).
 * With CHECKPOINT, the digest after that many operations (and after each
 * twentieth of them) is printed too, so that a shorter rerun with the same
 * seed can be compared with it, and a difference located.
 *
 * The model. The fuzzer keeps a user-space shadow of the mount: for each of
 * NFILES file slots whether its name exists, its open descriptor and access
 * mode, its live mmap (address, offset, length, protection), whether its
 * inode is mapped and the map itself (file type, size, simple extents or
 * interleaved extents with their strips); the directories it made; which
 * device memory (in 2 MiB units, the module's granularity) every mapped
 * inode of the mount holds; and the exact bytes behind every user pointer
 * it passes (its own guarded arenas, famfs mappings inside EOF) or that the
 * pointer cannot be read or written (NULL, low, kernel addresses, guard
 * pages, famfs pages past EOF, read-only mappings). For every operation the
 * model computes, from Documentation/ioctl.md and the VFS rules, either
 * "must succeed" (and what the result is) or the set of errnos of every rule
 * the operation breaks; the kernel's answer must be exactly that: a success
 * where the model expects one (with the size, st_blocks, GET replies and
 * byte counts the model predicts), or a failure whose errno is one of the
 * broken rules' errnos. Anything else is a VIOLATION. Rules:
 *   map (v1 and v2): EFAULT unreadable argument/extent/strip arrays; EINVAL
 *     non-zero __pad0, file/extent type, count 0, devindex != 0, unaligned
 *     offset, length 0 or (v2, and v1 but the last) unaligned, offset 0 for a
 *     non-superblock file, extent longer than or past the device or
 *     overflowing, strips 0, chunk 0/unaligned/larger than the device,
 *     nbytes 0, a non-last interleaved extent not holding whole chunks, a
 *     strip too short for its chunks, nbytes beyond the strips, size beyond
 *     the capacity, total overflow; E2BIG more than 2 extents or 16 strips;
 *     then (a valid map) EEXIST for a mapped file and EBUSY for memory held
 *     by another inode of the mount or twice by the map itself. A success
 *     must leave i_size = file size and st_blocks = the 2 MiB units held,
 *     and GET/GETEXT/GET_V2 return exactly the map (EOVERFLOW: two
 *     interleaved extents; GETEXT EINVAL: interleaved; EINVAL: unmapped).
 *   eviction: an inode's memory is free again once it is unlinked (only an
 *     unmapped file can be: EPERM otherwise), closed and unmapped, and at
 *     umount; live_maps must equal the mapped inodes the model holds.
 *   data: read/write/mmap of an unmapped file EIO; reads inside EOF return
 *     min(len, size - off) bytes, at EOF 0; writes at or past EOF ENOSPC,
 *     crossing it short; partial user buffers short or EFAULT; mmap EACCES/
 *     EINVAL/EOVERFLOW/EBADF by the VFS rules; loads inside EOF never
 *     SIGBUS, a load in the first page past EOF always does.
 *   namespace: unlink/rename/link/symlink/mknod(FIFO)/rmdir EPERM (after the
 *     VFS's ENOENT/EEXIST/EISDIR/ENOTDIR), truncate to another size EPERM,
 *     to the same size ok, O_TRUNC of a non-empty file EPERM, fallocate
 *     EOPNOTSUPP, create/mkdir/mknod(S_IFREG) ok.
 *   mount: invalid options EINVAL, a directory or file ENOTBLK, a missing
 *     path ENOENT, /dev/null ENODEV (EOPNOTSUPP without fsdev_dax), the
 *     mounted device EBUSY; remount mode=/dax=always/source= ok, the rest
 *     EINVAL; every ~5000 operations umount (must work, live_maps 0) and
 *     mount again.
 * About half of the maps are built valid from the model's free memory and
 * then, half of the time, broken in one field, so that every rule is hit on
 * its own. FAMFS_FUZZ_BREAK=1 in the environment makes the model forget the
 * overlap rule on purpose: the run must then report violations. Prints one
 * "VIOLATION" line per unexpected result (at most 50)
 * and a summary with the seed, the operation count, the share that
 * succeeded and the violations; exits 1 if there was a violation.
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
#include <sys/personality.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "linux/famfs_ioctl.h"

#define MiB (1ULL << 20)
#define UNIT (2 * MiB)
#define PAGE 4096ULL
#define NFILES 64
#define NDIRS 3
#define CYCLE_OPS 4000
#define MAX_LFS ((uint64_t)INT64_MAX)

typedef unsigned __int128 u128;
/* errno sets: bit n means errno n (all < 128 here) */
typedef u128 eset_t;
#define E(x) ((eset_t)1 << (x))
/* in a set: success is allowed too (a partial user buffer: short or EFAULT) */
#define MAYOK E(0)

struct mext {			/* a simple extent or strip */
	uint64_t off, len;
};

struct miext {			/* an interleaved extent */
	uint64_t nstrips, chunk, nbytes;
	struct mext strip[FAMFS_MAX_STRIPS];
};

struct mmap_model {		/* a published map */
	uint32_t file_type, ext_type, n;
	uint64_t size;
	struct mext se[FAMFS_MAX_EXTENTS];
	struct miext ie[FAMFS_MAX_EXTENTS];
	uint64_t units;		/* 2 MiB units held */
};

struct ffile {
	char path[256];
	int linked;		/* the name refers to this slot's inode */
	int fd;			/* -1 when closed */
	int acc;		/* O_RDONLY / O_WRONLY / O_RDWR of fd */
	int mapped;		/* the inode has a map */
	struct mmap_model m;
	unsigned char *va;	/* a live mmap of the inode, or NULL */
	uint64_t va_len, va_off;
	int va_prot;
};

static struct ffile files[NFILES];
static int dirs[NDIRS];
static const char *mnt, *dev;
static char target2[256];
static uint64_t devsize, nunits;
/*
 * Generated maps take memory from the first WINDOW bytes only: the guest's
 * nvdimm is a sparse file on the host, and every page touched the first time
 * costs a host allocation (and writeback). Mutated offsets still go anywhere.
 */
#define WINDOW (384 * MiB)
static uint64_t win;
static uint16_t *owner;		/* per 2 MiB unit: slot + 1, or 0 */
static int has_fsdev;
/* FAMFS_FUZZ_BREAK=1: the model forgets the overlap rule (EBUSY), to see it fail */
static int model_break;
/* FAMFS_FUZZ_TRACE="A B": print every result of operations A..B-1 (to locate a difference) */
static unsigned long trace_a, trace_b;
static uint64_t rng, seed;
static unsigned long violations, ops, mount_cycles, nok, nerr;
static uint64_t digest = 0xcbf29ce484222325ULL;
static sigjmp_buf bus_jmp;
static volatile int in_touch;
static unsigned char *arena;	/* argument structures, 64 KiB + guard */
static unsigned char *dummy;	/* a data buffer, 4 MiB + guard */
#define ARENA_LEN (64 * 1024)
#define DUMMY_LEN (4 * MiB)

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

static void mix(uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++) {
		digest ^= (v >> (8 * i)) & 0xff;
		digest *= 0x100000001b3ULL;
	}
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

static const char *ename(int e)
{
	static const char *const n[] = {
		[EPERM] = "EPERM", [ENOENT] = "ENOENT", [EIO] = "EIO",
		[E2BIG] = "E2BIG", [EBADF] = "EBADF", [ENOMEM] = "ENOMEM",
		[EACCES] = "EACCES", [EFAULT] = "EFAULT",
		[ENOTBLK] = "ENOTBLK", [EBUSY] = "EBUSY", [EEXIST] = "EEXIST",
		[ENODEV] = "ENODEV", [ENOTDIR] = "ENOTDIR",
		[EISDIR] = "EISDIR", [EINVAL] = "EINVAL", [EFBIG] = "EFBIG",
		[ENOSPC] = "ENOSPC", [ENOTTY] = "ENOTTY",
		[EOVERFLOW] = "EOVERFLOW", [EOPNOTSUPP] = "EOPNOTSUPP",
	};
	static char buf[8][24];
	static int k;

	if (e == 0)
		return "short";
	if (e > 0 && e < (int)(sizeof(n) / sizeof(n[0])) && n[e])
		return n[e];
	k = (k + 1) % 8;
	snprintf(buf[k], sizeof(buf[k]), "errno %d", e);
	return buf[k];
}

static const char *eset_str(eset_t s)
{
	static char buf[256];
	int e, len = 0;

	buf[0] = 0;
	for (e = 0; e < 128; e++)
		if (s & E(e))
			len += snprintf(buf + len, sizeof(buf) - len, "%s%s",
					len ? "|" : "", ename(e));
	return len ? buf : "success";
}

/* per operation name: results that succeeded / all (printed at the end) */
static struct {
	const char *what;
	unsigned long ok, all;
	unsigned long err[128];
} stats[48];

static void count(const char *what, int ok, int err)
{
	int i;

	for (i = 0; i < 48 && stats[i].what; i++)
		if (stats[i].what == what || !strcmp(stats[i].what, what))
			break;
	if (i == 48)
		return;
	stats[i].what = what;
	stats[i].ok += ok;
	stats[i].all++;
	if (!ok && err > 0 && err < 128)
		stats[i].err[err]++;
}

/*
 * The verdict of one operation: @want is the set of errnos of the rules it
 * breaks (empty: it must succeed). rc < 0 means it failed with errno @err.
 * Returns 1 when the result is what the model said.
 */
static int judge(const char *what, long rc, int err, eset_t want)
{
	mix(rc < 0 ? (uint64_t)(1000 + err) : (uint64_t)rc);
	if (ops >= trace_a && ops < trace_b)
		printf("famfs_fuzz: trace %lu %s %ld %s\n", ops, what, rc,
		       rc < 0 ? ename(err) : "");
	count(what, rc >= 0, err);
	if (rc < 0)
		nerr++;
	else
		nok++;
	if (!want) {
		if (rc < 0) {
			violation("%s: %s, the model says it must succeed",
				  what, ename(err));
			return 0;
		}
		return 1;
	}
	if (rc >= 0 && (want & MAYOK))
		return 1;
	if (rc >= 0) {
		violation("%s: succeeded (rc %ld), the model says %s", what,
			  rc, eset_str(want));
		return 0;
	}
	if (err >= 128 || !(want & E(err))) {
		violation("%s: %s, the model says %s", what, ename(err),
			  eset_str(want));
		return 0;
	}
	return 1;
}

/* ---- user memory as the kernel sees it ---- */

/* the live, accessible part of a slot's mmap: inside EOF, whole pages */
static uint64_t va_access(const struct ffile *f)
{
	uint64_t size = f->mapped ? f->m.size : 0, acc;

	if (!f->va || f->va_off >= size)
		return 0;
	acc = (size - f->va_off + PAGE - 1) & ~(PAGE - 1);
	return acc < ((f->va_len + PAGE - 1) & ~(PAGE - 1)) ? acc :
	       (f->va_len + PAGE - 1) & ~(PAGE - 1);
}

/*
 * How many bytes from @a the kernel can copy (up to @len), for reading
 * (@write = 0) or writing user memory. -1: not a user address at all
 * (access_ok() fails). The addresses passed are always of one of these
 * kinds, so the answer is exact.
 */
static int64_t uavail(uint64_t a, uint64_t len, int write)
{
	uint64_t lo, hi, n;
	int i;

	if (a >= (1ULL << 47))
		return -1;
	if (a >= (uintptr_t)arena && a < (uintptr_t)arena + ARENA_LEN) {
		lo = (uintptr_t)arena;
		hi = lo + ARENA_LEN;
	} else if (a >= (uintptr_t)dummy && a < (uintptr_t)dummy + DUMMY_LEN) {
		lo = (uintptr_t)dummy;
		hi = lo + DUMMY_LEN;
	} else {
		hi = 0;
		for (i = 0; i < NFILES; i++) {
			const struct ffile *f = &files[i];

			lo = (uintptr_t)f->va;
			if (!f->va || a < lo || a >= lo + f->va_len)
				continue;
			if (write && !(f->va_prot & PROT_WRITE))
				return 0;
			hi = lo + va_access(f);
			break;
		}
		if (a >= hi)
			return 0;
	}
	n = hi - a;
	return n < len ? n : len;
}

/* the bytes the kernel reads at @a, or -1 (EFAULT) */
static int uread(uint64_t a, void *out, size_t len)
{
	if (uavail(a, len, 0) != (int64_t)len)
		return -1;
	memcpy(out, (void *)(uintptr_t)a, len);
	return 0;
}

/*
 * A user pointer for @len bytes: usually @good (in the arena or dummy),
 * otherwise NULL, low, kernel, one byte off, running into a guard page, or
 * the start of a famfs mapping.
 */
static uint64_t ptr(void *good, size_t len)
{
	int i;

	switch (below(112)) {
	case 0:
		return 0;
	case 1:
		return 8;
	case 2:
		return 0xffff888000000000ULL;
	case 3:
		return 0xffffffff81000000ULL + below(4096);
	case 4:
		/*
		 * runs into the guard page after half of it: the half before
		 * holds the start of the structure (the kernel may read less
		 * than @len, when a count it read first is smaller), never
		 * bytes left from the device by an earlier read
		 */
		memmove(dummy + DUMMY_LEN - len / 2, good, len / 2);
		return (uintptr_t)dummy + DUMMY_LEN - len / 2;
	case 5:
		return (uintptr_t)good + 1;
	case 6:
		/*
		 * famfs DAX memory: the same bytes, copied to the start of a
		 * writable mapping (as far as it is inside EOF), so that the
		 * kernel faults famfs memory in while it copies; the rest of
		 * the first page is zeroed, so that whatever the kernel reads
		 * there (a count read from another copy can be larger than
		 * this one) does not depend on what earlier runs left in the
		 * device
		 */
		for (i = 0; i < NFILES; i++) {
			const struct ffile *f = &files[i];
			uint64_t acc = va_access(f), n = acc < len ? acc : len;

			if (!f->va || !(f->va_prot & PROT_WRITE) ||
			    f->va_len < len)
				continue;
			memcpy(f->va, good, n);
			if (n < PAGE && acc >= PAGE)
				memset(f->va + n, 0, PAGE - n);
			return (uintptr_t)f->va;
		}
		return (uintptr_t)good;
	default:
		return (uintptr_t)good;
	}
}

/* ---- model state ---- */

static uint64_t units_of(uint64_t off, uint64_t len)
{
	return (off + ((len + UNIT - 1) & ~(UNIT - 1)) - 1) / UNIT -
	       off / UNIT + 1;
}

static void claim(int slot, const struct mext *r, int n)
{
	int i;
	uint64_t u;

	for (i = 0; i < n; i++)
		for (u = r[i].off / UNIT; u < r[i].off / UNIT +
		     units_of(r[i].off, r[i].len); u++)
			owner[u] = slot + 1;
}

static void release(int slot)
{
	uint64_t u;

	for (u = 0; u < nunits; u++)
		if (owner[u] == slot + 1)
			owner[u] = 0;
}

static void drop_va(struct ffile *f)
{
	if (f->va) {
		munmap(f->va, f->va_len);
		f->va = NULL;
	}
}

static void close_fd(struct ffile *f)
{
	if (f->fd >= 0) {
		close(f->fd);
		f->fd = -1;
	}
}

/* an inode nothing refers to any more is evicted: its memory is free */
static void maybe_evict(struct ffile *f)
{
	if (f->linked || f->fd >= 0 || f->va)
		return;
	if (f->mapped)
		release((int)(f - files));
	f->mapped = 0;
	memset(&f->m, 0, sizeof(f->m));
}

static void release_slot(struct ffile *f)
{
	drop_va(f);
	close_fd(f);
	maybe_evict(f);
}

static long mapped_inodes(void)
{
	long n = 0;
	int i;

	for (i = 0; i < NFILES; i++)
		n += files[i].mapped;
	return n;
}

static long live_maps(void)
{
	char buf[32];
	long n = -1;
	int fd = open("/sys/module/famfs/parameters/live_maps", O_RDONLY);

	if (fd < 0)
		return -1;
	if (read(fd, buf, sizeof(buf) - 1) > 0)
		n = strtol(buf, NULL, 10);
	close(fd);
	return n;
}

static void check_live_maps(const char *when)
{
	long k = live_maps();

	if (k >= 0 && k != mapped_inodes())
		violation("%s: live_maps %ld, the model holds %ld mapped inodes",
			  when, k, mapped_inodes());
}

/* i_size and st_blocks of a slot with a descriptor */
static void check_stat(struct ffile *f, const char *what)
{
	uint64_t size = f->mapped ? f->m.size : 0;
	uint64_t blocks = f->mapped ? f->m.units * (UNIT / 512) : 0;
	struct stat st;

	if (fstat(f->fd, &st)) {
		violation("%s: fstat: %s", what, ename(errno));
		return;
	}
	if ((uint64_t)st.st_size != size || (uint64_t)st.st_blocks != blocks)
		violation("%s: size %llu blocks %llu, the model says %llu, %llu",
			  what, (unsigned long long)st.st_size,
			  (unsigned long long)st.st_blocks,
			  (unsigned long long)size, (unsigned long long)blocks);
}

/* ---- random values ---- */

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
		return devsize - UNIT * below(4);
	case 2:
		return devsize + UNIT * below(3);
	case 3:
		return rnd();
	default:
		return UNIT * (1 + below(nunits - 1));
	}
}

static uint64_t val_count(void)
{
	static const uint64_t fixed[] = { 0, 3, 4, 16, 17, 255,
					  0xffffffffULL, 1ULL << 32, ~0ULL };

	return fixed[below(sizeof(fixed) / sizeof(fixed[0]))];
}

/* @k free units at a random place (offset > 0), or a random offset */
static uint64_t free_units(uint64_t k, const struct mext *also, int nalso)
{
	int tries, i;
	uint64_t u, s, j;

	for (tries = 0; tries < 16; tries++) {
		s = 1 + below(win - k);
		for (j = 0; j < k; j++)
			if (owner[s + j])
				break;
		if (j < k)
			continue;
		for (i = 0; i < nalso; i++) {
			u = also[i].off / UNIT;
			if (s < u + units_of(also[i].off, also[i].len) &&
			    u < s + k)
				break;
		}
		if (i == nalso)
			return s * UNIT;
	}
	return UNIT * (1 + below(win - k));
}

/* ---- the map model ---- */

static int ftype_ok(uint32_t t)
{
	return t == FAMFS_REG || t == FAMFS_SUPERBLOCK || t == FAMFS_LOG;
}

/* one device range: famfs_check_range() of Documentation/ioctl.md */
static eset_t range_errs(uint32_t ftype, uint64_t off, uint64_t len,
			 int len_unaligned_ok)
{
	u128 end;

	if (off % UNIT || !len)
		return E(EINVAL);
	if (!len_unaligned_ok && len % UNIT)
		return E(EINVAL);
	if (off == 0 && ftype != FAMFS_SUPERBLOCK)
		return E(EINVAL);
	end = (u128)off + ((len + PAGE - 1) & ~(PAGE - 1));
	if (len > devsize || len > ~0ULL - PAGE + 1 || end > devsize)
		return E(EINVAL);
	return 0;
}

/* the device ranges of @m into @r (simple extents, or every strip of each interleaved one) */
static int model_ranges(const struct mmap_model *m, struct mext *r)
{
	int n = 0, i, j;

	if (m->ext_type == FAMFS_IOC_EXT_SIMPLE)
		for (i = 0; i < (int)m->n; i++)
			r[n++] = m->se[i];
	else
		for (i = 0; i < (int)m->n; i++)
			for (j = 0; j < (int)m->ie[i].nstrips; j++)
				r[n++] = m->ie[i].strip[j];
	return n;
}

/*
 * The state checks of a structurally valid map @m for slot @f: EEXIST
 * (already mapped), EBUSY (memory of another inode, or used twice).
 */
static eset_t state_errs(const struct ffile *f, struct mmap_model *m)
{
	struct mext r[FAMFS_MAX_EXTENTS * FAMFS_MAX_STRIPS];
	eset_t s = 0;
	int n = model_ranges(m, r), i, j;
	uint64_t u, a, b, c, d;

	m->units = 0;
	for (i = 0; i < n; i++) {
		a = r[i].off / UNIT;
		b = a + units_of(r[i].off, r[i].len);
		m->units += b - a;
		for (u = a; u < b; u++)
			if (owner[u] && !model_break)
				s |= E(EBUSY);
		for (j = 0; j < i; j++) {
			c = r[j].off / UNIT;
			d = c + units_of(r[j].off, r[j].len);
			if (a < d && c < b)
				s |= E(EBUSY);
		}
	}
	if (f->mapped)
		s = E(EEXIST) | (s & E(EBUSY));
	return s;
}

static void publish(struct ffile *f, const struct mmap_model *m)
{
	struct mext r[FAMFS_MAX_EXTENTS * FAMFS_MAX_STRIPS];
	int n = model_ranges(m, r);

	f->m = *m;
	f->mapped = 1;
	claim((int)(f - files), r, n);
}

/* what MAP_CREATE_V2 with argument @arg must do; fills @m when valid */
static eset_t model_v2(const struct ffile *f, uint64_t arg,
		       struct mmap_model *m)
{
	struct famfs_ioc_fmap fm;
	struct famfs_ioc_simple_extent se[FAMFS_MAX_EXTENTS];
	struct famfs_ioc_interleaved_ext kie[FAMFS_MAX_EXTENTS];
	struct famfs_ioc_simple_extent st[FAMFS_MAX_STRIPS];
	eset_t s = 0;
	u128 total = 0, sb, chunks, need;
	uint32_t i, j, n;

	memset(m, 0, sizeof(*m));
	if (uread(arg, &fm, sizeof(fm)))
		return E(EFAULT);
	if (fm.__pad0)
		s |= E(EINVAL);
	if (!ftype_ok(fm.fioc_file_type))
		s |= E(EINVAL);
	m->file_type = fm.fioc_file_type;
	m->ext_type = fm.fioc_ext_type;
	m->size = fm.fioc_file_size;
	n = fm.fioc_nextents;
	if (fm.fioc_ext_type == FAMFS_IOC_EXT_SIMPLE) {
		if (!n)
			return s | E(EINVAL);
		if (n > FAMFS_MAX_EXTENTS)
			return s | E(E2BIG);
		if (uread(fm.kse, se, n * sizeof(se[0])))
			return s | E(EFAULT);
		for (i = 0; i < n; i++) {
			if (se[i].devindex)
				s |= E(EINVAL);
			s |= range_errs(fm.fioc_file_type, se[i].offset,
					se[i].len, 0);
			total += se[i].len;
			m->se[i].off = se[i].offset;
			m->se[i].len = se[i].len;
		}
	} else if (fm.fioc_ext_type == FAMFS_IOC_EXT_INTERLEAVE) {
		if (!n)
			return s | E(EINVAL);
		if (n > FAMFS_MAX_EXTENTS)
			return s | E(E2BIG);
		if (uread(fm.kie, kie, n * sizeof(kie[0])))
			return s | E(EFAULT);
		for (i = 0; i < n; i++) {
			struct miext *ie = &m->ie[i];
			int chunk_ok;

			ie->nstrips = kie[i].ie_nstrips;
			ie->chunk = kie[i].ie_chunk_size;
			ie->nbytes = kie[i].ie_nbytes;
			chunk_ok = ie->chunk && !(ie->chunk % UNIT) &&
				   ie->chunk <= devsize;
			if (!chunk_ok)
				s |= E(EINVAL);
			if (!ie->nbytes)
				s |= E(EINVAL);
			/* every extent but the last holds whole chunks */
			if (i < n - 1 && ie->chunk && ie->nbytes % ie->chunk)
				s |= E(EINVAL);
			if (!ie->nstrips) {
				s |= E(EINVAL);
				continue;
			}
			if (ie->nstrips > FAMFS_MAX_STRIPS) {
				s |= E(E2BIG);
				continue;
			}
			if (uread(kie[i].ie_strips, st,
				  ie->nstrips * sizeof(st[0]))) {
				s |= E(EFAULT);
				continue;
			}
			sb = 0;
			for (j = 0; j < ie->nstrips; j++) {
				if (st[j].devindex)
					s |= E(EINVAL);
				s |= range_errs(fm.fioc_file_type,
						st[j].offset, st[j].len, 0);
				ie->strip[j].off = st[j].offset;
				ie->strip[j].len = st[j].len;
				sb += st[j].len;
			}
			if (ie->nbytes > sb)
				s |= E(EINVAL);
			if (ie->chunk) {
				/* strip j holds c / nstrips chunks, +1 if j < c % nstrips */
				chunks = (ie->nbytes + (u128)ie->chunk - 1) /
					 ie->chunk;
				for (j = 0; j < ie->nstrips; j++) {
					need = chunks / ie->nstrips +
					       (j < chunks % ie->nstrips);
					need *= ie->chunk;
					if (need > ie->strip[j].len)
						s |= E(EINVAL);
				}
			}
			total += ie->nbytes;
		}
	} else {
		return s | E(EINVAL);
	}
	if (total > ~0ULL || fm.fioc_file_size > total)
		s |= E(EINVAL);
	m->n = n;
	if (s)
		return s;
	return state_errs(f, m);
}

static eset_t model_v1(const struct ffile *f, uint64_t arg,
		       struct mmap_model *m)
{
	struct famfs_ioc_map im;
	eset_t s = 0;
	u128 total = 0;
	uint32_t i, n;

	memset(m, 0, sizeof(*m));
	if (uread(arg, &im, sizeof(im)))
		return E(EFAULT);
	if (im.extent_type != SIMPLE_DAX_EXTENT || !ftype_ok(im.file_type))
		s |= E(EINVAL);
	if (!im.ext_list_count)
		return s | E(EINVAL);
	if (im.ext_list_count > FAMFS_MAX_EXTENTS)
		return s | E(E2BIG);
	n = im.ext_list_count;
	for (i = 0; i < n; i++) {
		/* every length but the last is a multiple of 2 MiB */
		s |= range_errs(im.file_type, im.ext_list[i].offset,
				im.ext_list[i].len, i == n - 1);
		total += im.ext_list[i].len;
		m->se[i].off = im.ext_list[i].offset;
		m->se[i].len = im.ext_list[i].len;
	}
	if (total > ~0ULL || im.file_size > total)
		s |= E(EINVAL);
	m->file_type = im.file_type;
	m->ext_type = FAMFS_IOC_EXT_SIMPLE;
	m->n = n;
	m->size = im.file_size;
	if (s)
		return s;
	return state_errs(f, m);
}

/* ---- operations ---- */

static void op_open(struct ffile *f)
{
	static const int accs[] = { O_RDONLY, O_WRONLY, O_RDWR, O_RDWR,
				    O_RDWR, O_RDWR, O_RDWR, O_RDONLY };
	int acc = accs[below(8)], flags = acc, fd;
	eset_t want = 0;

	close_fd(f);
	maybe_evict(f);
	if (!f->linked || below(4) == 0)
		flags |= O_CREAT;
	if (below(8) == 0)
		flags |= O_TRUNC;
	if (!f->linked && (flags & O_CREAT)) {
		/* a new inode under the name: the old one goes first */
		release_slot(f);
	} else if (!f->linked) {
		want = E(ENOENT);
	} else if ((flags & O_TRUNC) && f->mapped && f->m.size) {
		/* O_TRUNC is a size change of a non-empty file */
		want = E(EPERM);
	}
	fd = open(f->path, flags, 0644);
	/* the digest takes 0 for a descriptor: its number depends on the caller's */
	if (!judge("open", fd < 0 ? fd : 0, errno, want) || fd < 0) {
		if (fd >= 0)
			close(fd);
		return;
	}
	f->linked = 1;
	f->fd = fd;
	f->acc = acc;
	check_stat(f, "open");
}

static void op_unlink(struct ffile *f)
{
	int rc = unlink(f->path);

	if (judge("unlink", rc, errno, !f->linked ? E(ENOENT) :
		  f->mapped ? E(EPERM) : 0) && rc == 0) {
		f->linked = 0;
		maybe_evict(f);
	}
}

/* a valid simple map of 1-2 extents in free memory */
static void gen_simple(struct mmap_model *m)
{
	uint32_t i;

	memset(m, 0, sizeof(*m));
	m->file_type = below(8) ? FAMFS_REG : FAMFS_LOG;
	m->ext_type = FAMFS_IOC_EXT_SIMPLE;
	m->n = 1 + below(2);
	for (i = 0; i < m->n; i++) {
		m->se[i].len = UNIT * (below(4) ? 1 + below(2) : 1 + below(4));
		m->se[i].off = free_units(m->se[i].len / UNIT, m->se, i);
		m->size += m->se[i].len;
	}
	if (below(2))
		m->size = below(m->size + 1);
}

/* a valid interleaved map of 1-2 extents in free memory */
static void gen_interleaved(struct mmap_model *m)
{
	struct mext used[FAMFS_MAX_EXTENTS * FAMFS_MAX_STRIPS];
	uint64_t chunks, need, j;
	uint32_t i;
	int nused = 0;

	memset(m, 0, sizeof(*m));
	m->file_type = FAMFS_REG;
	m->ext_type = FAMFS_IOC_EXT_INTERLEAVE;
	m->n = 1 + below(2);
	for (i = 0; i < m->n; i++) {
		struct miext *ie = &m->ie[i];

		ie->nstrips = below(8) ? 1 + below(4) : 1 + below(16);
		ie->chunk = UNIT * (below(4) ? 1 : 2);
		if (i < m->n - 1)
			ie->nbytes = ie->chunk * (1 + below(2 * ie->nstrips));
		else
			ie->nbytes = 1 + below(ie->chunk * (1 + below(2)) *
					       ie->nstrips);
		chunks = (ie->nbytes + ie->chunk - 1) / ie->chunk;
		for (j = 0; j < ie->nstrips; j++) {
			need = (chunks / ie->nstrips +
				(j < chunks % ie->nstrips)) * ie->chunk;
			ie->strip[j].len = need ? need : UNIT;
			if (below(8) == 0)
				ie->strip[j].len += UNIT;
			ie->strip[j].off = free_units(ie->strip[j].len / UNIT,
						       used, nused);
			used[nused++] = ie->strip[j];
		}
		m->size += ie->nbytes;
	}
	if (below(2))
		m->size = below(m->size + 1);
}

/* break one thing of a generated map (the model judges the result) */
static void mutate(struct mmap_model *m, uint32_t *pad, uint64_t *devidx)
{
	struct mext *x;
	struct miext *ie = &m->ie[below(m->n)];
	int i;

	x = m->ext_type == FAMFS_IOC_EXT_SIMPLE ? &m->se[below(m->n)] :
	    &ie->strip[below(ie->nstrips)];
	switch (below(20)) {
	case 0:
		*pad = 1 + (uint32_t)below(0xffffffff);
		break;
	case 1:
		m->file_type = below(2) ? 3 + (uint32_t)below(100) :
					  (uint32_t)rnd();
		break;
	case 2:
		m->ext_type = 2 + (uint32_t)below(1000);
		break;
	case 3:
		m->n = (uint32_t)val_count();
		break;
	case 4:
		*devidx = below(2) ? 1 : rnd();
		break;
	case 5:
		x->off += below(2) ? PAGE : 1 + below(UNIT - 1);
		break;
	case 6:
		x->len = below(2) ? 0 : x->len + PAGE * (1 + below(511));
		break;
	case 7:
		x->off = 0;	/* the superblock's offset */
		break;
	case 8:
		x->off = devsize - UNIT * below(2);
		x->len = UNIT * (1 + below(2));
		break;
	case 9:
		x->len = below(2) ? devsize + UNIT : ~0ULL - UNIT + 1;
		break;
	case 10:
		x->off = ~0ULL - UNIT + 1;
		break;
	case 11:
		m->size += 1 + below(UNIT);
		break;
	case 12:
		ie->nstrips = below(3) ? 0 : 17 + below(100);
		break;
	case 13:
		ie->chunk = below(3) ? 0 : below(2) ? ie->chunk + PAGE :
						      devsize + UNIT;
		break;
	case 14:
		ie->nbytes = below(2) ? 0 : ie->nbytes + ie->chunk / 2;
		break;
	case 15:
		ie->strip[below(ie->nstrips)].len -= below(2) ? UNIT :
							 ie->strip[0].len;
		break;
	case 16:
		/* another inode's memory, when there is one */
		for (i = 0; i < (int)win; i++) {
			uint64_t u = below(win);

			if (owner[u]) {
				x->off = u * UNIT;
				break;
			}
		}
		break;
	case 17:
		/* this map's own memory, twice */
		if (m->ext_type == FAMFS_IOC_EXT_SIMPLE && m->n == 2)
			m->se[1].off = m->se[0].off;
		else if (m->ext_type == FAMFS_IOC_EXT_INTERLEAVE &&
			 ie->nstrips > 1)
			ie->strip[1].off = ie->strip[0].off;
		else
			x->off = UNIT * (1 + below(nunits - 1));
		break;
	case 18:
		m->file_type = FAMFS_SUPERBLOCK;
		break;
	default:
		x->off = val64();
		x->len = val64();
		break;
	}
}

/* the arena: one fixed place per structure (pointers one byte off stay inside) */
#define A_FMAP		0
#define A_KSE		256
#define A_KIE		512
#define A_STRIPS	1024	/* 2 x 17 strips of 24 bytes */
#define A_MAP1		2048
#define A_GET		4096

/*
 * The file a map goes to: mostly an open, unmapped one (or a new one), and
 * then mostly unlinked first (it holds no memory yet, so it may be), so that
 * its memory comes back when it is closed and unmapped: maps keep
 * succeeding between the umount cycles.
 */
static struct ffile *unlink_first(struct ffile *f);

static struct ffile *map_target(struct ffile *f)
{
	int i, k = below(NFILES);

	if (below(8)) {
		for (i = 0; i < NFILES; i++) {
			struct ffile *g = &files[(k + i) % NFILES];

			if (g->fd >= 0 && !g->mapped)
				return unlink_first(g);
		}
		/* none: a new file under a free name */
		for (i = 0; i < NFILES; i++) {
			struct ffile *g = &files[(k + i) % NFILES];

			if (!g->linked) {
				op_open(g);
				return unlink_first(g);
			}
		}
	}
	return f;
}

static struct ffile *unlink_first(struct ffile *f)
{
	int rc;

	if (f->fd >= 0 && f->linked && !f->mapped && below(8)) {
		rc = unlink(f->path);
		if (judge("unlink", rc, errno, 0) && !rc)
			f->linked = 0;
	}
	return f;
}

static void op_map_v2(struct ffile *f)
{
	struct famfs_ioc_fmap *fm = (void *)(arena + A_FMAP);
	struct famfs_ioc_simple_extent *se = (void *)(arena + A_KSE);
	struct famfs_ioc_interleaved_ext *ie = (void *)(arena + A_KIE);
	struct famfs_ioc_simple_extent *st = (void *)(arena + A_STRIPS);
	struct mmap_model g, m;
	uint32_t pad = 0, i, j;
	uint64_t devidx = 0, arg;
	eset_t want;
	int rc, kind = below(8);

	f = map_target(f);

	if (kind < 3)
		gen_interleaved(&g);
	else
		gen_simple(&g);
	if (kind == 7) {
		/* random fields */
		g.file_type = below(2) ? FAMFS_REG : (uint32_t)below(5);
		g.ext_type = below(4) ? g.ext_type : (uint32_t)below(3);
		g.n = below(2) ? g.n : (uint32_t)val_count();
		g.size = below(2) ? g.size : val64();
		for (i = 0; i < FAMFS_MAX_EXTENTS; i++) {
			g.se[i].off = val64();
			g.se[i].len = below(2) ? UNIT * (1 + below(4)) : val64();
		}
	} else if (kind == 6 || below(3) == 0) {
		mutate(&g, &pad, &devidx);
	}
	memset(arena, 0, A_GET);
	fm->fioc_file_size = g.size;
	fm->fioc_file_type = g.file_type;
	fm->fioc_ext_type = g.ext_type;
	fm->fioc_nextents = g.n;
	fm->__pad0 = pad;
	for (i = 0; i < FAMFS_MAX_EXTENTS; i++) {
		se[i].devindex = i == 0 ? devidx : 0;
		se[i].offset = g.se[i].off;
		se[i].len = g.se[i].len;
		ie[i].ie_nstrips = g.ie[i].nstrips;
		ie[i].ie_chunk_size = g.ie[i].chunk;
		ie[i].ie_nbytes = g.ie[i].nbytes;
		for (j = 0; j < FAMFS_MAX_STRIPS; j++) {
			st[17 * i + j].devindex = i == 0 && j == 0 ? devidx : 0;
			st[17 * i + j].offset = g.ie[i].strip[j].off;
			st[17 * i + j].len = g.ie[i].strip[j].len;
		}
		ie[i].ie_strips = ptr(st + 17 * i, 24 * (g.ie[i].nstrips > 16 ?
						    16 : g.ie[i].nstrips));
	}
	fm->kse = ptr(se, sizeof(*se) * 2);
	if (g.ext_type == FAMFS_IOC_EXT_INTERLEAVE)
		fm->kie = ptr(ie, sizeof(*ie) * 2);
	arg = ptr(fm, sizeof(*fm));
	want = f->fd < 0 ? E(EBADF) : model_v2(f, arg, &m);
	rc = ioctl(f->fd, FAMFSIOC_MAP_CREATE_V2, (void *)(uintptr_t)arg);
	if (judge("MAP_CREATE_V2", rc, errno, want) && rc == 0) {
		publish(f, &m);
		check_stat(f, "MAP_CREATE_V2");
	}
}

static void op_map_v1(struct ffile *f)
{
	struct famfs_ioc_map *im = (void *)(arena + A_MAP1);
	struct mmap_model g, m;
	uint32_t pad = 0, i;
	uint64_t devidx = 0, arg;
	eset_t want;
	int rc;

	f = map_target(f);

	gen_simple(&g);
	if (below(2))
		mutate(&g, &pad, &devidx);
	if (below(2) && g.n >= 1 && g.n <= 2 && g.se[g.n - 1].len > UNIT) {
		/* the last length may be unaligned in v1 */
		uint64_t total;

		g.se[g.n - 1].len -= below(UNIT);
		total = g.se[0].len + (g.n == 2 ? g.se[1].len : 0);
		if (g.size > total && below(4))
			g.size = total;
	}
	memset(im, 0, 256);
	im->extent_type = g.ext_type > 1 ? g.ext_type :
			  pad ? INTERLEAVED_EXTENT : SIMPLE_DAX_EXTENT;
	im->file_type = g.file_type;
	im->file_size = g.size;
	im->ext_list_count = g.n == 1 || g.n == 2 || below(2) ? g.n :
			     val_count();
	for (i = 0; i < FAMFS_MAX_EXTENTS; i++) {
		im->ext_list[i].offset = g.se[i].off;
		im->ext_list[i].len = g.se[i].len;
	}
	arg = ptr(im, sizeof(*im));
	want = f->fd < 0 ? E(EBADF) : model_v1(f, arg, &m);
	rc = ioctl(f->fd, FAMFSIOC_MAP_CREATE, (void *)(uintptr_t)arg);
	if (judge("MAP_CREATE", rc, errno, want) && rc == 0) {
		publish(f, &m);
		check_stat(f, "MAP_CREATE");
	}
}

/* the replies the model predicts */
static void expect_get_v1(const struct mmap_model *m, struct famfs_ioc_map *r)
{
	uint32_t i;

	memset(r, 0, sizeof(*r));
	r->file_type = m->file_type;
	r->file_size = m->size;
	r->ext_list_count = m->n;
	if (m->ext_type == FAMFS_IOC_EXT_SIMPLE) {
		r->extent_type = SIMPLE_DAX_EXTENT;
		for (i = 0; i < m->n; i++) {
			r->ext_list[i].offset = m->se[i].off;
			r->ext_list[i].len = m->se[i].len;
		}
	} else {
		r->extent_type = INTERLEAVED_EXTENT;
	}
}

static void expect_get_v2(const struct mmap_model *m,
			  struct famfs_ioc_get_fmap *r)
{
	uint32_t i;

	memset(r, 0, sizeof(*r));
	r->iocmap.fioc_file_size = m->size;
	r->iocmap.fioc_file_type = m->file_type;
	r->iocmap.fioc_ext_type = m->ext_type;
	if (m->ext_type == FAMFS_IOC_EXT_SIMPLE) {
		r->iocmap.fioc_nextents = m->n;
		for (i = 0; i < m->n; i++) {
			r->ikse[i].offset = m->se[i].off;
			r->ikse[i].len = m->se[i].len;
		}
	} else {
		r->iocmap.fioc_niext = 1;
		r->ks.ikie.ie_nstrips = m->ie[0].nstrips;
		r->ks.ikie.ie_chunk_size = m->ie[0].chunk;
		r->ks.ikie.ie_nbytes = m->ie[0].nbytes;
		for (i = 0; i < m->ie[0].nstrips; i++) {
			r->ks.kie_strips[i].offset = m->ie[0].strip[i].off;
			r->ks.kie_strips[i].len = m->ie[0].strip[i].len;
		}
	}
}

static void op_get(struct ffile *f)
{
	union {
		struct famfs_ioc_get_fmap g;
		struct famfs_ioc_map m;
		struct famfs_extent e[FAMFS_MAX_EXTENTS];
	} x;
	int which = below(3), rc;
	unsigned int cmd = which == 0 ? FAMFSIOC_MAP_GET :
			   which == 1 ? FAMFSIOC_MAP_GETEXT :
					FAMFSIOC_MAP_GET_V2;
	const char *what = which == 0 ? "MAP_GET" : which == 1 ?
			   "MAP_GETEXT" : "MAP_GET_V2";
	size_t len = 0;
	uint64_t arg = ptr(arena + A_GET, sizeof(x));
	eset_t want = 0;
	uint32_t i;

	memset(&x, 0, sizeof(x));
	memset(arena + A_GET, 0xa5, sizeof(x) + 8);
	if (f->fd < 0) {
		want = E(EBADF);
	} else if (!f->mapped) {
		want = E(EINVAL);
	} else if (which == 0) {
		expect_get_v1(&f->m, &x.m);
		len = sizeof(x.m);
	} else if (which == 1) {
		if (f->m.ext_type != FAMFS_IOC_EXT_SIMPLE) {
			want = E(EINVAL);
		} else {
			for (i = 0; i < f->m.n; i++) {
				x.e[i].offset = f->m.se[i].off;
				x.e[i].len = f->m.se[i].len;
			}
			len = f->m.n * sizeof(x.e[0]);
		}
	} else {
		if (f->m.ext_type == FAMFS_IOC_EXT_INTERLEAVE && f->m.n > 1)
			want = E(EOVERFLOW);
		else
			expect_get_v2(&f->m, &x.g);
		len = want ? 0 : sizeof(x.g);
	}
	if (!want && uavail(arg, len, 1) != (int64_t)len)
		want = E(EFAULT);
	rc = ioctl(f->fd, cmd, (void *)(uintptr_t)arg);
	if (judge(what, rc, errno, want) && rc == 0 &&
	    memcmp((void *)(uintptr_t)arg, &x, len))
		violation("%s: the reply differs from the map the model holds",
			  what);
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
	judge("ioctl", rc, errno, f->fd < 0 ? E(EBADF) :
	      cmd == FAMFSIOC_NOP ? 0 : E(ENOTTY));
}

static void op_dir_ioctl(void)
{
	static const unsigned int cmds[] = {
		FAMFSIOC_NOP, FAMFSIOC_MAP_CREATE, FAMFSIOC_MAP_CREATE_V2,
		FAMFSIOC_MAP_GET, FAMFSIOC_MAP_GET_V2, FAMFSIOC_MAP_GETEXT,
	};
	int fd = open(mnt, O_RDONLY | O_DIRECTORY), rc;

	rc = ioctl(fd, cmds[below(6)], dummy);
	judge("dir-ioctl", rc, errno, E(ENOTTY));
	close(fd);
}

static void op_rw(struct ffile *f)
{
	int wr = below(2), kind = below(10), i;
	uint64_t size = f->mapped ? f->m.size : 0, off, len, n = 0;
	uint64_t buf = (uintptr_t)dummy;
	int64_t avail;
	eset_t want = 0;
	long rc;

	switch (below(16)) {
	case 0:
		off = size;
		break;
	case 1:
		off = size ? size - 1 : 0;
		break;
	case 2:
		off = val64() & ((1ULL << 62) - 1);
		break;
	case 3:
		off = (1ULL << 63) + below(1ULL << 62);	/* negative */
		break;
	default:
		off = size ? below(size) : 0;
	}
	len = below(64) ? 1 + below(8192) : 1 + below(256 * 1024);
	if (kind == 0)
		buf = ptr(dummy, len);
	else if (kind == 1)
		buf = (uintptr_t)dummy + DUMMY_LEN - below(len + 1);
	/* a famfs mapping as the buffer: stay inside its vma */
	for (i = 0; i < NFILES; i++)
		if (files[i].va && buf == (uintptr_t)files[i].va &&
		    len > files[i].va_len)
			len = files[i].va_len;
	avail = uavail(buf, len, !wr);
	if (off > MAX_LFS || off + len > MAX_LFS)
		want |= E(EINVAL);
	if (f->fd < 0 || (wr && f->acc == O_RDONLY) ||
	    (!wr && f->acc == O_WRONLY))
		want |= E(EBADF);
	if (avail < 0)
		want |= E(EFAULT);	/* access_ok() */
	if (!want) {
		if (!f->mapped)
			want = E(EIO);
		else if (wr && off >= size)
			want = E(ENOSPC);
		else
			n = off >= size ? 0 : size - off < len ? size - off : len;
		/*
		 * a buffer that ends early: a short count, or EFAULT (the
		 * copy routines may stop a little before the fault)
		 */
		if (!want && n && avail == 0)
			want = E(EFAULT);
		else if (!want && avail < (int64_t)n)
			want = E(EFAULT) | MAYOK;
	}
	errno = 0;
	if (wr)
		rc = pwrite(f->fd, (void *)(uintptr_t)buf, len, off);
	else
		rc = pread(f->fd, (void *)(uintptr_t)buf, len, off);
	if (!judge(wr ? "pwrite" : "pread", rc, errno, want) || rc < 0)
		return;
	/* the whole of n when the buffer holds it, else a short count */
	if ((avail >= (int64_t)n && (uint64_t)rc != n) ||
	    (avail < (int64_t)n && (rc == 0 || rc > avail)))
		violation("%s: %ld bytes at %llu of a %llu-byte file (len %llu, buffer %lld), the model says %llu",
			  wr ? "pwrite" : "pread", rc,
			  (unsigned long long)off, (unsigned long long)size,
			  (unsigned long long)len, (long long)avail,
			  (unsigned long long)n);
}

static void on_sigbus(int sig)
{
	(void)sig;
	if (in_touch)
		siglongjmp(bus_jmp, 1);
	_exit(99);
}

/* load (or store into) one byte: 1 if it raised SIGBUS */
static int touch_byte(volatile unsigned char *b, int write)
{
	int bus = 0;

	in_touch = 1;
	if (sigsetjmp(bus_jmp, 1) == 0) {
		if (write)
			*b = *b + 1;
		else
			(void)*b;
	} else {
		bus = 1;
	}
	in_touch = 0;
	return bus;
}

static void op_mmap(struct ffile *f)
{
	uint64_t size = f->mapped ? f->m.size : 0, off, len, acc, i, step;
	int prot = below(2) ? PROT_READ : PROT_READ | PROT_WRITE;
	eset_t want = 0;
	unsigned char *p;

	drop_va(f);
	maybe_evict(f);
	size = f->mapped ? f->m.size : 0;
	off = below(4) ? 0 : below(2) ? UNIT * below(4) :
				       val64() & ~(PAGE - 1);
	len = below(3) ? (size ? size : UNIT) : 1 + below(16 * MiB);
	if (below(16) == 0)
		off |= 1 + below(PAGE - 1);
	if (off % PAGE)
		want |= E(EINVAL);
	if (f->fd < 0)
		want |= E(EBADF);
	/* file_mmap_ok(): the last page offset fits MAX_LFS_FILESIZE */
	if (!(off % PAGE) && off / PAGE > (MAX_LFS - ((len + PAGE - 1) &
						      ~(PAGE - 1))) / PAGE)
		want |= E(EOVERFLOW);
	if (!want) {
		if (f->acc == O_WRONLY ||
		    ((prot & PROT_WRITE) && f->acc == O_RDONLY))
			want = E(EACCES);
		else if (!f->mapped)
			want = E(EIO);
	}
	p = mmap(NULL, len, prot, MAP_SHARED, f->fd, off);
	if (!judge("mmap", p == MAP_FAILED ? -1 : 0, errno, want) ||
	    p == MAP_FAILED) {
		if (p != MAP_FAILED)
			munmap(p, len);
		return;
	}
	f->va = p;
	f->va_len = len;
	f->va_off = off;
	f->va_prot = prot;
	/* inside EOF: never SIGBUS; the first page past EOF: always */
	acc = va_access(f);
	for (step = 0; step < 3 && acc; step++) {
		i = step ? below(acc) : 0;
		if (touch_byte(p + i, prot & PROT_WRITE))
			violation("mmap: SIGBUS at %llu inside EOF (off %llu size %llu)",
				  (unsigned long long)i,
				  (unsigned long long)off,
				  (unsigned long long)size);
	}
	if (acc && touch_byte(p + acc - 1, prot & PROT_WRITE))
		violation("mmap: SIGBUS on the last page inside EOF");
	if (acc < ((len + PAGE - 1) & ~(PAGE - 1)) && below(4) == 0 &&
	    !touch_byte(p + acc, 0))
		violation("mmap: no SIGBUS past EOF (off %llu, byte %llu, size %llu)",
			  (unsigned long long)off, (unsigned long long)acc,
			  (unsigned long long)size);
	if (below(3) == 0) {
		drop_va(f);
		maybe_evict(f);
	}
}

static void op_size(struct ffile *f)
{
	uint64_t size = f->mapped ? f->m.size : 0;
	uint64_t len = below(3) ? size : val64() & ((1ULL << 62) - 1);
	uint64_t off = below(size + 1);
	eset_t want = 0;
	int rc, mode = below(2) ? 0 : FALLOC_FL_KEEP_SIZE;

	if (below(2)) {
		if (f->fd < 0)
			want = E(EBADF);
		else if (f->acc == O_RDONLY)
			want = E(EINVAL);
		else if (len != size)
			want = E(EPERM);
		rc = ftruncate(f->fd, len);
		judge("ftruncate", rc, errno, want);
	} else {
		if (below(4) == 0)
			len = 0;
		if (!len)
			want |= E(EINVAL);
		if (f->fd < 0 || f->acc == O_RDONLY)
			want |= E(EBADF);
		if (!want)
			want = off + len > MAX_LFS ? E(EFBIG) : E(EOPNOTSUPP);
		rc = fallocate(f->fd, mode, off, len);
		judge("fallocate", rc, errno, want);
	}
}

static void dpath(char *p, size_t n, int i)
{
	snprintf(p, n, "%s/d%d", mnt, i);
}

/* the namespace policy: every operation the log cannot record is EPERM */
static void op_namespace(void)
{
	char a[256], b[256];
	int i = below(NDIRS), j = below(NDIRS), rc;
	struct ffile *f = &files[below(NFILES)], *g = &files[below(NFILES)];
	eset_t want = 0;

	dpath(a, sizeof(a), i);
	dpath(b, sizeof(b), j);
	switch (below(9)) {
	case 0:
		rc = mkdir(a, 0755);
		if (judge("mkdir", rc, errno, dirs[i] ? E(EEXIST) : 0) && !rc)
			dirs[i] = 1;
		break;
	case 1:
		rc = rmdir(a);
		judge("rmdir", rc, errno, dirs[i] ? E(EPERM) : E(ENOENT));
		break;
	case 2:
		rc = rmdir(f->path);
		judge("rmdir-file", rc, errno, f->linked ? E(ENOTDIR) :
		      E(ENOENT));
		break;
	case 3:
		/* a rename onto itself is a no-op the VFS allows */
		rc = rename(a, b);
		judge("rename-dir", rc, errno, !dirs[i] ? E(ENOENT) :
		      i == j ? 0 : E(EPERM));
		break;
	case 4:
		if (below(3) == 0) {
			rc = rename(f->path, a);
			judge("rename-file-dir", rc, errno, !f->linked ?
			      E(ENOENT) : dirs[i] ? E(EISDIR) : E(EPERM));
		} else {
			rc = rename(f->path, g->path);
			judge("rename-file", rc, errno, !f->linked ? E(ENOENT) :
			      f == g ? 0 : E(EPERM));
		}
		break;
	case 5:
		rc = link(f->path, g->path);
		if (!f->linked)
			want = E(ENOENT);
		else if (g->linked)
			want = E(EEXIST);
		else
			want = E(EPERM);
		judge("link", rc, errno, want);
		break;
	case 6:
		rc = symlink("f0", g->path);
		judge("symlink", rc, errno, g->linked ? E(EEXIST) : E(EPERM));
		break;
	case 7:
		if (!g->linked && g->fd < 0 && !g->va && below(2)) {
			/* a regular file: a create */
			rc = mknod(g->path, S_IFREG | 0644, 0);
			if (judge("mknod-reg", rc, errno, 0) && !rc)
				g->linked = 1;
		} else {
			rc = mknod(g->path, below(2) ? S_IFIFO | 0644 :
				   S_IFSOCK | 0644, 0);
			judge("mknod", rc, errno, g->linked ? E(EEXIST) :
			      E(EPERM));
		}
		break;
	default:
		/* unlink(2) of a directory */
		rc = unlink(a);
		judge("unlink-dir", rc, errno, dirs[i] ? E(EISDIR) : E(ENOENT));
		break;
	}
}

/* options as the mount API parses them: valid? (@remount: source= is ok) */
static int opts_valid(const char *o, int remount)
{
	char buf[512], *tok, *save = NULL, *v;

	snprintf(buf, sizeof(buf), "%s", o);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		v = strchr(tok, '=');
		if (v)
			*v++ = 0;
		if (!strcmp(tok, "mode")) {
			char *end;
			unsigned long long x;

			if (!v || !*v)
				return 0;
			errno = 0;
			x = strtoull(v, &end, 8);
			if (*end || errno || x > 0xffffffffULL || *v == '-' ||
			    *v == '+' || *v == ' ')
				return 0;
		} else if (!strcmp(tok, "dax")) {
			if (!v || strcmp(v, "always"))
				return 0;
		} else if (!strcmp(tok, "source")) {
			/* mount(2) gave one already: "Multiple sources" */
			if (!remount || !v)
				return 0;
		} else {
			return 0;
		}
	}
	return 1;
}

static void op_mount(void)
{
	static const char *const opts[] = {
		"", "mode=0700", "mode=", "mode=8", "mode=77777777777",
		"dax=always", "dax=never", "dax=", "dax", "bogus",
		"mode=0755,dax=always,mode=0711", "source=/dev/null",
	};
	char o[128], src[256];
	struct ffile *f = &files[below(NFILES)];
	eset_t want = 0;
	int rc, i, n;

	if (below(4) == 0) {
		/* garbage: the first key is never a known one */
		n = 1 + below(sizeof(o) - 2);
		o[0] = '#';
		for (i = 1; i < n; i++)
			o[i] = 32 + below(95);
		o[n] = 0;
	} else {
		snprintf(o, sizeof(o), "%s",
			 opts[below(sizeof(opts) / sizeof(opts[0]))]);
	}
	if (!opts_valid(o, 0))
		want |= E(EINVAL);
	switch (below(5)) {
	case 0:
		snprintf(src, sizeof(src), "%s", mnt);
		want |= E(ENOTBLK);
		break;
	case 1:
		snprintf(src, sizeof(src), "%s", f->path);
		want |= f->linked ? E(ENOTBLK) : E(ENOENT);
		break;
	case 2:
		snprintf(src, sizeof(src), "/dev/null");
		want |= has_fsdev ? E(ENODEV) : E(EOPNOTSUPP);
		break;
	default:
		snprintf(src, sizeof(src), "%s", dev);
		want |= E(EBUSY);
	}
	/* options are parsed before the device is looked at */
	if (want & E(EINVAL))
		want = E(EINVAL);
	rc = mount(src, target2, "famfs", 0, o);
	judge("mount", rc, errno, want);
	if (rc == 0)
		umount(target2);

	/* a remount: mode=, dax=always and source= apply, anything else fails */
	snprintf(o, sizeof(o), "%s", below(2) ? "mode=0755" :
		 opts[below(sizeof(opts) / sizeof(opts[0]))]);
	want = opts_valid(o, 1) ? 0 : E(EINVAL);
	rc = mount(NULL, mnt, NULL, MS_REMOUNT, o);
	judge("remount", rc, errno, want);
}

static void op_stat(struct ffile *f)
{
	struct stat st;
	int rc = fstat(f->fd, &st);

	if (judge("fstat", rc, errno, f->fd < 0 ? E(EBADF) : 0) && !rc)
		check_stat(f, "fstat");
	check_live_maps("check");
}

static void op_close(struct ffile *f)
{
	int rc = close(f->fd);

	judge("close", rc, errno, f->fd < 0 ? E(EBADF) : 0);
	f->fd = -1;
	maybe_evict(f);
}

static void close_all(void)
{
	int i;

	for (i = 0; i < NFILES; i++) {
		drop_va(&files[i]);
		close_fd(&files[i]);
	}
}

/* umount (must work: nothing is open or mapped), live_maps 0, mount again */
static int cycle_mount(void)
{
	int i;
	long k;

	close_all();
	for (i = 0; i < NFILES; i++)
		maybe_evict(&files[i]);
	check_live_maps("before umount");
	if (umount(mnt)) {
		violation("umount: %s", ename(errno));
		return -1;
	}
	k = live_maps();
	if (k > 0)
		violation("umount: %ld maps still alive", k);
	if (mount(dev, mnt, "famfs", 0, "")) {
		violation("mount again: %s", ename(errno));
		return -1;
	}
	memset(owner, 0, (nunits + 2) * sizeof(*owner));
	for (i = 0; i < NFILES; i++) {
		files[i].linked = 0;
		files[i].mapped = 0;
	}
	memset(dirs, 0, sizeof(dirs));
	mount_cycles++;
	return 0;
}

/* mostly a slot with an open descriptor (when there is one) */
static struct ffile *pick_open(struct ffile *f)
{
	int i, k = below(NFILES);

	if (below(8) == 0)
		return f;
	for (i = 0; i < NFILES; i++)
		if (files[(k + i) % NFILES].fd >= 0)
			return &files[(k + i) % NFILES];
	return f;
}

static double cls_ns[16];
static const char *const cls_name[16] = {
	"open", "close/unlink", "map_v2", "map_v1", "get", "ioctl", "rw",
	"mmap", "size", "namespace", "mount", "stat", "cycle",
};

static void *guarded(size_t len)
{
	unsigned char *p = mmap(NULL, len + PAGE, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED || mprotect(p + len, PAGE, PROT_NONE)) {
		perror("mmap");
		exit(2);
	}
	return p;
}

int main(int argc, char **argv)
{
	unsigned long maxops, checkpoint = 0;
	struct sigaction sa;
	struct timespec t0, t1;
	int i;

	if (argc < 5) {
		fprintf(stderr, "usage: famfs_fuzz MOUNTDIR DEVICE DEVSIZE OPS [SEED [CHECKPOINT]]\n");
		return 2;
	}
	/*
	 * The same addresses in every run: a structure read one byte off
	 * takes bytes of the pointers next to it, so with address space
	 * randomization a seed would not reproduce its results.
	 */
	i = personality(0xffffffff);
	if (i != -1 && !(i & ADDR_NO_RANDOMIZE) &&
	    personality(i | ADDR_NO_RANDOMIZE) != -1) {
		execv("/proc/self/exe", argv);
		perror("famfs_fuzz: execv /proc/self/exe (addresses stay random)");
	}
	mnt = argv[1];
	dev = argv[2];
	devsize = strtoull(argv[3], NULL, 0);
	maxops = strtoul(argv[4], NULL, 0);
	if (argc > 5 && strcmp(argv[5], "random")) {
		seed = strtoull(argv[5], NULL, 0);
	} else if (getrandom(&seed, sizeof(seed), 0) != sizeof(seed)) {
		perror("getrandom");
		return 2;
	}
	if (argc > 6)
		checkpoint = strtoul(argv[6], NULL, 0);
	printf("famfs_fuzz: seed %llu, %lu operations\n",
	       (unsigned long long)seed, maxops);
	fflush(stdout);
	rng = seed * 0x9e3779b97f4a7c15ULL + 0x1234567;
	if (!rng)
		rng = 1;
	if (devsize < 64 * MiB) {
		fprintf(stderr, "famfs_fuzz: the device must be >= 64 MiB\n");
		return 2;
	}
	nunits = devsize / UNIT;
	win = devsize < WINDOW ? nunits : WINDOW / UNIT;
	owner = calloc(nunits + 2, sizeof(*owner));
	has_fsdev = access("/sys/bus/dax/drivers/fsdev_dax", F_OK) == 0;
	model_break = getenv("FAMFS_FUZZ_BREAK") != NULL;
	if (getenv("FAMFS_FUZZ_TRACE"))
		sscanf(getenv("FAMFS_FUZZ_TRACE"), "%lu %lu", &trace_a, &trace_b);
	snprintf(target2, sizeof(target2), "/tmp/famfs_fuzz_target");
	mkdir(target2, 0755);
	arena = guarded(ARENA_LEN);
	dummy = guarded(DUMMY_LEN);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigbus;
	sigaction(SIGBUS, &sa, NULL);
	for (i = 0; i < NFILES; i++) {
		snprintf(files[i].path, sizeof(files[i].path), "%s/f%d", mnt,
			 i);
		files[i].fd = -1;
	}

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (ops = 0; ops < maxops; ops++) {
		struct ffile *f = &files[below(NFILES)];
		unsigned int r = below(1000);
		struct timespec a, b;
		int c = r < 110 ? 0 : r < 170 ? 1 : r < 350 ? 2 : r < 420 ? 3 :
			r < 560 ? 4 : r < 615 ? 5 : r < 780 ? 6 : r < 860 ? 7 :
			r < 900 ? 8 : r < 960 ? 9 : r < 962 ? 10 : 11;

		clock_gettime(CLOCK_MONOTONIC, &a);

		/* the digest at CHECKPOINT and at each twentieth of it */
		if (checkpoint && ops && ops <= checkpoint &&
		    (ops == checkpoint || ops % (checkpoint / 20 ? checkpoint / 20 : 1) == 0)) {
			printf("famfs_fuzz: checkpoint %lu digest %016llx\n",
			       ops, (unsigned long long)digest);
			fflush(stdout);
		}
		mix(r);
		if (r < 110)
			op_open(f);
		else if (r < 140)
			op_close(f);
		else if (r < 170)
			op_unlink(f);
		else if (r < 350)
			op_map_v2(f);
		else if (r < 420)
			op_map_v1(f);
		else if (r < 560)
			op_get(pick_open(f));
		else if (r < 600)
			op_random_ioctl(pick_open(f));
		else if (r < 615)
			op_dir_ioctl();
		else if (r < 780)
			op_rw(pick_open(f));
		else if (r < 860)
			op_mmap(pick_open(f));
		else if (r < 900)
			op_size(pick_open(f));
		else if (r < 960)
			op_namespace();
		else if (r < 962)
			op_mount();
		else
			op_stat(pick_open(f));
		clock_gettime(CLOCK_MONOTONIC, &b);
		cls_ns[c] += (b.tv_sec - a.tv_sec) * 1000000000.0 +
			     (b.tv_nsec - a.tv_nsec);
		if (ops % CYCLE_OPS == CYCLE_OPS - 1) {
			clock_gettime(CLOCK_MONOTONIC, &a);
			if (cycle_mount())
				break;
			clock_gettime(CLOCK_MONOTONIC, &b);
			cls_ns[12] += (b.tv_sec - a.tv_sec) * 1000000000.0 +
				      (b.tv_nsec - a.tv_nsec);
		}
	}
	if (checkpoint && ops == checkpoint)
		printf("famfs_fuzz: checkpoint %lu digest %016llx\n", ops,
		       (unsigned long long)digest);
	close_all();
	for (i = 0; i < NFILES; i++)
		maybe_evict(&files[i]);
	check_live_maps("end");
	printf("famfs_fuzz: succeeded/done by operation:");
	for (i = 0; i < 48 && stats[i].what; i++) {
		int e, sep = '[';

		printf(" %s %lu/%lu", stats[i].what, stats[i].ok, stats[i].all);
		for (e = 1; e < 128; e++)
			if (stats[i].err[e]) {
				printf("%c%s:%lu", sep, ename(e), stats[i].err[e]);
				sep = ',';
			}
		if (sep == ',')
			printf("]");
	}
	printf("\nfamfs_fuzz: seconds by operation class:");
	for (i = 0; i < 16; i++)
		if (cls_ns[i])
			printf(" %s %.1f", cls_name[i], cls_ns[i] / 1e9);
	printf("\n");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("famfs_fuzz: seed %llu, %lu operations, %lu results judged, %lu succeeded (%.1f %%), %lu violation(s), %lu mount cycles, digest %016llx, %.0f ops/s\n",
	       (unsigned long long)seed, ops, nok + nerr, nok,
	       nok + nerr ? 100.0 * nok / (nok + nerr) : 0.0, violations,
	       mount_cycles,
	       (unsigned long long)digest,
	       ops / ((t1.tv_sec - t0.tv_sec) +
		      (t1.tv_nsec - t0.tv_nsec) / 1e9 + 1e-9));
	return violations || ops < maxops ? 1 : 0;
}
