// SPDX-License-Identifier: Apache-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * famfsbench - the guest side of `make bench`: mmap bandwidth, first-touch
 * fault cost, memcpy, file-create and command timing, log-append flush
 * bytes. Every measurement prints one line
 *
 *     BENCH {"t":"...", ...}
 *
 * that bench/run.sh collects from the guest console.
 *
 *   famfsbench pass LABEL PATH SIZE OFFSET REP [OP THREADS]
 *       the bandwidth figures: for THREADS 1, 2 and OP seqread seqwrite
 *       randread randwrite (or the one given), a fresh 2 MiB-aligned mapping
 *       of SIZE bytes at OFFSET of PATH (famfs file or /dev/daxX.Y), OP over
 *       it, munmap; one line per figure with the seconds (mmap + faults +
 *       accesses + munmap) and the minor faults taken; then "touch" (one
 *       load per 4 KiB page, 1 thread: the fault path alone)
 *   famfsbench sig LABEL PATH SIZE OFFSET
 *       FNV hash of SIZE bytes at OFFSET (the same region seen two ways)
 *   famfsbench extent PATH
 *       (with libfamfs) "OFFSET LENGTH" of a famfs file's one simple extent
 *   famfsbench cpref SRC DST
 *       (with libfamfs) famfs cp's data movement into the existing famfs
 *       file DST (mmap, pread 1 MiB chunks, CPU write-back, munmap)
 *   famfsbench touch LABEL PATH SIZE
 *       first touch (one read per 4 KiB page) of a fresh mapping: seconds
 *       and minor faults (getrusage)
 *   famfsbench memcpy LABEL SRC DST SIZE
 *       mmap SRC read-only and DST read-write, time memcpy(DST, SRC)
 *   famfsbench mkfiles LABEL DIR N [PER_DIR]
 *       open(O_CREAT|O_EXCL)+close N empty files in DIR (or PER_DIR files
 *       in each of DIR/d0, DIR/d1, ...): seconds per file
 *   famfsbench exec LABEL REPS CMD ARGS...
 *       run CMD REPS times (fork/exec, "%d" in an argument = the rep index),
 *       seconds per run
 *   famfsbench flush LABEL MNT N
 *       (with libfamfs) create N empty famfs files in MNT through the log
 *       writer, bytes passed to the cache flush per append
 *   famfsbench cpcopy LABEL SRC SIZE MODE DST [MODE DST]...
 *       (with libfamfs) the copy phase of famfs cp, one way per MODE, each
 *       into its own fresh famfs file DST (so each pays the same PMD faults):
 *       memcpy (mmap SRC, memcpy: no write-back), memcpy-wb (memcpy, then
 *       famfs_cpu_writeback), pread-wb (what famfs cp does: pread 1 MiB
 *       chunks into the mapped DST, then famfs_cpu_writeback); "wb_secs" is
 *       the write-back part
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifdef WITH_LIBFAMFS
#include "libfamfs.h"
#include <linux/famfs_ioctl.h>
#endif

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void die(const char *what)
{
	fprintf(stderr, "famfsbench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static uint64_t parse_size(const char *s)
{
	char *end;
	uint64_t v = strtoull(s, &end, 0);

	switch (*end) {
	case 'k': case 'K': v <<= 10; break;
	case 'm': case 'M': v <<= 20; break;
	case 'g': case 'G': v <<= 30; break;
	default: break;
	}
	return v;
}

static void print_list(const char *key, const double *v, int n)
{
	int i;

	printf(",\"%s\":[", key);
	for (i = 0; i < n; i++)
		printf("%s%.6g", i ? "," : "", v[i]);
	printf("]");
}

static long minflt_self(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

/* ------------------------------------------------------------ bandwidth */

enum op { SEQREAD, SEQWRITE, RANDREAD, RANDWRITE, TOUCH };
static const char *op_names[] = { "seqread", "seqwrite", "randread", "randwrite", "touch" };

struct worker {
	pthread_t tid;
	char *base;		/* slice start in the mapping */
	uint64_t len, bs;
	enum op op;
	uint64_t seed;
	volatile uint64_t sink;
};

static inline uint64_t xorshift(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

static uint64_t read_block(const char *p, uint64_t len)
{
	const uint64_t *w = (const uint64_t *)p;
	uint64_t a = 0, b = 0, c = 0, d = 0, i, n = len / 8;

	for (i = 0; i + 4 <= n; i += 4) {
		a += w[i];
		b += w[i + 1];
		c += w[i + 2];
		d += w[i + 3];
	}
	return a + b + c + d;
}

static void write_block(char *p, uint64_t len, uint64_t v)
{
	uint64_t *w = (uint64_t *)p;
	uint64_t i, n = len / 8;

	for (i = 0; i + 4 <= n; i += 4) {
		w[i] = v;
		w[i + 1] = v;
		w[i + 2] = v;
		w[i + 3] = v;
	}
}

static void one_pass(struct worker *w)
{
	uint64_t pos, blocks = w->len / w->bs, i, s = w->seed, sum = 0;

	switch (w->op) {
	case SEQREAD:
	case SEQWRITE:
		/* 1 MiB steps */
		for (pos = 0; pos < w->len; pos += w->bs) {
			uint64_t n = w->len - pos < w->bs ? w->len - pos : w->bs;

			if (w->op == SEQREAD)
				sum += read_block(w->base + pos, n);
			else
				write_block(w->base + pos, n, pos);
		}
		break;
	case RANDREAD:
	case RANDWRITE:
		for (i = 0; i < blocks; i++) {
			pos = (xorshift(&s) % blocks) * w->bs;
			if (w->op == RANDREAD)
				sum += read_block(w->base + pos, w->bs);
			else
				write_block(w->base + pos, w->bs, i);
		}
		break;
	case TOUCH:
		/* one load per 4 KiB page: the time is mostly page faults */
		for (pos = 0; pos < w->len; pos += 4096)
			sum += *(volatile char *)(w->base + pos);
		break;
	}
	w->seed = s;
	w->sink += sum;
}

static void *worker_main(void *arg)
{
	one_pass(arg);
	return NULL;
}

/*
 * pass: one process per target and repetition. For each figure (THREADS x
 * OP, in a fixed order) a fresh mapping of SIZE bytes at OFFSET of PATH is
 * made at a 2 MiB-aligned address, OP runs over it (THREADS threads, each on
 * its own slice, the same pseudo-random sequence every time), and it is
 * unmapped: the time covers mmap + page faults + the accesses + munmap
 * ("faults included"). famfs files and raw device-dax run exactly this code;
 * only PATH and OFFSET differ.
 */
static char *map_aligned(uint64_t size)
{
	uint64_t al = 2ull << 20;
	char *r, *a;

	r = mmap(NULL, size + al, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (r == MAP_FAILED)
		die("mmap reserve");
	a = (char *)(((uintptr_t)r + al - 1) & ~(uintptr_t)(al - 1));
	if (a > r)
		munmap(r, (size_t)(a - r));
	if (a + size < r + size + al)
		munmap(a + size, (size_t)(r + size + al - (a + size)));
	return a;
}

static double figure(int fd, uint64_t size, uint64_t off, enum op op, int threads,
		     long *faults)
{
	uint64_t bs = (op == SEQREAD || op == SEQWRITE || op == TOUCH) ? (1u << 20) : 4096;
	uint64_t slice = size / (uint64_t)threads / bs * bs;
	struct worker w[2];
	char *want, *map;
	double t0, t;
	long f0;
	int i;

	want = map_aligned(size);
	memset(w, 0, sizeof(w));
	f0 = minflt_self();
	t0 = now();
	map = mmap(want, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, (off_t)off);
	if (map == MAP_FAILED)
		die("mmap");
	for (i = 0; i < threads; i++) {
		w[i].base = map + (uint64_t)i * slice;
		w[i].len = slice;
		w[i].bs = bs;
		w[i].op = op;
		w[i].seed = 0x9e3779b97f4a7c15ULL * (uint64_t)(i + 1);
	}
	if (threads == 1) {
		one_pass(&w[0]);
	} else {
		for (i = 0; i < threads; i++)
			if (pthread_create(&w[i].tid, NULL, worker_main, &w[i]))
				die("pthread_create");
		for (i = 0; i < threads; i++)
			pthread_join(w[i].tid, NULL);
	}
	munmap(map, size);
	t = now() - t0;
	*faults = minflt_self() - f0;
	return t;
}

static int cmd_pass(int argc, char **argv)
{
	enum op op, only_op = SEQREAD;
	int rep, th, fd, only_th = 0;
	uint64_t size, off;
	long faults;
	double t;

	if (argc < 6)
		return fprintf(stderr, "usage: pass LABEL PATH SIZE OFFSET REP [OP THREADS]\n"), 64;
	size = parse_size(argv[3]);
	off = parse_size(argv[4]);
	rep = atoi(argv[5]);
	if (argc > 7) {
		for (only_op = SEQREAD; only_op <= TOUCH; only_op++)
			if (!strcmp(argv[6], op_names[only_op]))
				break;
		if (only_op > TOUCH)
			return fprintf(stderr, "bad op %s\n", argv[6]), 64;
		only_th = atoi(argv[7]);
	}
	if (!size || size % (2u << 20))
		return fprintf(stderr, "pass: SIZE must be a multiple of 2 MiB\n"), 64;
	fd = open(argv[2], O_RDWR);
	if (fd < 0)
		die(argv[2]);
	for (th = 1; th <= 2; th++) {
		for (op = SEQREAD; op <= TOUCH; op++) {
			/* touch (the fault path alone): one thread */
			if (op == TOUCH && th != 1)
				continue;
			if (only_th && (op != only_op || th != only_th))
				continue;
			t = figure(fd, size, off, op, th, &faults);
			printf("BENCH {\"t\":\"pass\",\"label\":\"%s\",\"rep\":%d,\"op\":\"%s\","
			       "\"threads\":%d,\"bytes\":%llu,\"offset\":%llu,\"secs\":%.9f,"
			       "\"minflt\":%ld}\n", argv[1], rep, op_names[op], th,
			       (unsigned long long)size, (unsigned long long)off, t, faults);
		}
	}
	close(fd);
	return 0;
}

/* sig LABEL PATH SIZE OFFSET: a hash of the bytes (one region seen two ways) */
static int cmd_sig(int argc, char **argv)
{
	uint64_t size, off, h = 0xcbf29ce484222325ULL, i;
	const uint64_t *p;
	int fd;

	if (argc < 5)
		return fprintf(stderr, "usage: sig LABEL PATH SIZE OFFSET\n"), 64;
	size = parse_size(argv[3]);
	off = parse_size(argv[4]);
	fd = open(argv[2], O_RDONLY);
	if (fd < 0)
		die(argv[2]);
	p = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, (off_t)off);
	if (p == MAP_FAILED)
		die("mmap");
	for (i = 0; i < size / 8; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	printf("BENCH {\"t\":\"sig\",\"label\":\"%s\",\"bytes\":%llu,\"offset\":%llu,"
	       "\"fnv\":\"%016llx\"}\n", argv[1], (unsigned long long)size,
	       (unsigned long long)off, (unsigned long long)h);
	return 0;
}

/* ------------------------------------------------------------ first touch */

static int cmd_touch(int argc, char **argv)
{
	uint64_t size, i;
	volatile char *map;
	uint64_t sum = 0;
	long f0, f1;
	double t0, t1;
	int fd;

	if (argc < 4)
		return fprintf(stderr, "usage: touch LABEL PATH SIZE\n"), 64;
	size = parse_size(argv[3]);
	fd = open(argv[2], O_RDWR);
	if (fd < 0)
		die(argv[2]);
	map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		die("mmap");
	f0 = minflt_self();
	t0 = now();
	for (i = 0; i < size; i += 4096)
		sum += map[i];
	t1 = now();
	f1 = minflt_self();
	printf("BENCH {\"t\":\"touch\",\"label\":\"%s\",\"bytes\":%llu,\"secs\":%.6f,"
	       "\"minflt\":%ld,\"addr_2m_aligned\":%s,\"sum\":%llu}\n",
	       argv[1], (unsigned long long)size, t1 - t0, f1 - f0,
	       ((uintptr_t)map & ((1u << 21) - 1)) ? "false" : "true",
	       (unsigned long long)sum);
	return 0;
}

/* ------------------------------------------------------------ memcpy */

static int cmd_memcpy(int argc, char **argv)
{
	uint64_t size;
	char *src, *dst;
	double t0, t1;
	int sfd, dfd;

	if (argc < 5)
		return fprintf(stderr, "usage: memcpy LABEL SRC DST SIZE\n"), 64;
	size = parse_size(argv[4]);
	sfd = open(argv[2], O_RDONLY);
	dfd = open(argv[3], O_RDWR);
	if (sfd < 0 || dfd < 0)
		die("open");
	src = mmap(NULL, size, PROT_READ, MAP_SHARED, sfd, 0);
	dst = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, dfd, 0);
	if (src == MAP_FAILED || dst == MAP_FAILED)
		die("mmap");
	t0 = now();
	memcpy(dst, src, size);
	t1 = now();
	printf("BENCH {\"t\":\"memcpy\",\"label\":\"%s\",\"bytes\":%llu,\"secs\":%.6f,"
	       "\"mbs\":%.3f}\n", argv[1], (unsigned long long)size, t1 - t0,
	       (double)size / (t1 - t0) / 1e6);
	return 0;
}

/* ------------------------------------------------------------ file create */

static int cmd_mkfiles(int argc, char **argv)
{
	char name[4096];
	int n, i, fd, per = 0;
	double t0, t1;

	if (argc < 4)
		return fprintf(stderr, "usage: mkfiles LABEL DIR N [PER_DIR]\n"), 64;
	n = atoi(argv[3]);
	if (argc > 4)
		per = atoi(argv[4]);
	t0 = now();
	for (i = 0; i < n; i++) {
		if (per > 0) {
			snprintf(name, sizeof(name), "%s/d%d", argv[2], i / per);
			if (i % per == 0 && mkdir(name, 0755) < 0)
				die(name);
			snprintf(name, sizeof(name), "%s/d%d/f%d", argv[2], i / per, i);
		} else {
			snprintf(name, sizeof(name), "%s/f%07d", argv[2], i);
		}
		fd = open(name, O_CREAT | O_EXCL | O_WRONLY, 0644);
		if (fd < 0)
			die(name);
		close(fd);
	}
	t1 = now();
	printf("BENCH {\"t\":\"mkfiles\",\"label\":\"%s\",\"n\":%d,\"per_dir\":%d,\"secs\":%.6f,"
	       "\"us_per_file\":%.3f}\n", argv[1], n, per, t1 - t0, (t1 - t0) * 1e6 / n);
	return 0;
}

/* ------------------------------------------------------------ exec timing */

static int cmd_exec(int argc, char **argv)
{
	int reps, r, i, status, bad = 0;
	double *secs, t0;
	char **args;
	pid_t pid;

	if (argc < 4)
		return fprintf(stderr, "usage: exec LABEL REPS CMD ARGS...\n"), 64;
	reps = atoi(argv[2]);
	secs = calloc((size_t)reps, sizeof(*secs));
	args = calloc((size_t)argc, sizeof(*args));
	for (r = 0; r < reps; r++) {
		for (i = 3; i < argc; i++) {
			if (strstr(argv[i], "%d")) {
				if (asprintf(&args[i - 3], argv[i], r) < 0)
					die("asprintf");
			} else {
				args[i - 3] = argv[i];
			}
		}
		args[argc - 3] = NULL;
		t0 = now();
		pid = fork();
		if (pid == 0) {
			int null = open("/dev/null", O_WRONLY);

			dup2(null, 1);
			execv(args[0], args);
			_exit(127);
		}
		if (pid < 0 || waitpid(pid, &status, 0) < 0)
			die("fork/wait");
		secs[r] = now() - t0;
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			bad++;
	}
	printf("BENCH {\"t\":\"exec\",\"label\":\"%s\",\"failed\":%d", argv[1], bad);
	print_list("secs", secs, reps);
	printf("}\n");
	return bad ? 1 : 0;
}

/* ------------------------------------------------------------ log flush */

#ifdef WITH_LIBFAMFS
static int cmd_flush(int argc, char **argv)
{
	struct famfs_problem p = { 0 };
	struct famfs_play_ops ops;
	struct famfs_writer w;
	struct famfs_meta m;
	char rel[FAMFS_MAX_PATHLEN];
	uint64_t f0;
	double t0, t1;
	int n, i, rc;

	if (argc < 4)
		return fprintf(stderr, "usage: flush LABEL MNT N\n"), 64;
	n = atoi(argv[3]);
	rc = famfs_meta_open_mount(&m, argv[2], FAMFS_META_WRITE | FAMFS_META_LOCK, &p);
	if (rc < 0)
		return fprintf(stderr, "open_mount: %s\n", p.msg), 1;
	famfs_kernel_ops(&ops, argv[2]);
	memset(&w, 0, sizeof(w));
	w.m = &m;
	w.ops = &ops;
	/* the bitmap build happens on the first mkfile: keep it out of the timing */
	snprintf(rel, sizeof(rel), "flushbench-warm");
	rc = famfs_writer_mkfile(&w, rel, 0, 0644, 0, 0, NULL, &p);
	if (rc < 0)
		return fprintf(stderr, "mkfile: %s\n", p.msg), 1;
	f0 = m.flushed_bytes;
	t0 = now();
	for (i = 0; i < n; i++) {
		snprintf(rel, sizeof(rel), "flushbench-%06d", i);
		rc = famfs_writer_mkfile(&w, rel, 0, 0644, 0, 0, NULL, &p);
		if (rc < 0)
			return fprintf(stderr, "mkfile %s: %s\n", rel, p.msg), 1;
	}
	t1 = now();
	printf("BENCH {\"t\":\"flush\",\"label\":\"%s\",\"n\":%d,\"flushed_bytes\":%llu,"
	       "\"bytes_per_append\":%.1f,\"log_len\":%llu,\"us_per_file\":%.3f,\"insn\":\"%s\"}\n",
	       argv[1], n, (unsigned long long)(m.flushed_bytes - f0),
	       (double)(m.flushed_bytes - f0) / n, (unsigned long long)m.log_len,
	       (t1 - t0) * 1e6 / n, famfs_cpu_flush_insn());
	famfs_writer_done(&w);
	famfs_meta_close(&m);
	return 0;
}

/* ------------------------------------------------------------ cp copy phase */

static int cmd_cpcopy(int argc, char **argv)
{
	uint64_t size, done;
	double t0, t1, twb;
	int sfd, dfd, i;
	char *src, *dst;

	if (argc < 6 || (argc - 4) % 2)
		return fprintf(stderr, "usage: cpcopy LABEL SRC SIZE MODE DST...\n"), 64;
	size = parse_size(argv[3]);
	sfd = open(argv[2], O_RDONLY);
	if (sfd < 0)
		die(argv[2]);
	for (i = 4; i + 1 < argc; i += 2) {
		const char *mode = argv[i];

		dfd = open(argv[i + 1], O_RDWR);
		if (dfd < 0)
			die(argv[i + 1]);
		src = NULL;
		dst = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, dfd, 0);
		if (dst == MAP_FAILED)
			die("mmap dst");
		twb = 0;
		if (!strncmp(mode, "memcpy", 6)) {
			src = mmap(NULL, size, PROT_READ, MAP_SHARED, sfd, 0);
			if (src == MAP_FAILED)
				die("mmap src");
		}
		/* like the memcpy command: the clock starts with both mappings made */
		t0 = now();
		if (src) {
			memcpy(dst, src, size);
			if (!strcmp(mode, "memcpy-wb")) {
				twb = now();
				famfs_cpu_writeback(dst, size);
				twb = now() - twb;
			}
		} else if (!strcmp(mode, "pread-wb")) {
			for (done = 0; done < size; ) {
				size_t c = size - done > (1u << 20) ? (1u << 20) : size - done;
				ssize_t n = pread(sfd, dst + done, c, (off_t)done);

				if (n <= 0)
					die("pread");
				done += (uint64_t)n;
			}
			twb = now();
			famfs_cpu_writeback(dst, size);
			twb = now() - twb;
		} else {
			return fprintf(stderr, "cpcopy: unknown mode %s\n", mode), 64;
		}
		t1 = now();
		printf("BENCH {\"t\":\"cpcopy\",\"label\":\"%s\",\"mode\":\"%s\",\"bytes\":%llu,"
		       "\"secs\":%.6f,\"wb_secs\":%.6f,\"mbs\":%.3f,\"insn\":\"%s\"}\n", argv[1], mode,
		       (unsigned long long)size, t1 - t0, twb, (double)size / (t1 - t0) / 1e6,
		       famfs_cpu_flush_insn());
		munmap(dst, size);
		if (src)
			munmap(src, size);
		close(dfd);
	}
	close(sfd);
	return 0;
}
#endif

#ifdef WITH_LIBFAMFS
/*
 * cpref SRC DST: the reference for famfs cp. DST is an existing famfs file
 * of SRC's size (made by `famfs creat` outside the timer); the data is
 * moved exactly as famfs cp's copy_data() does (userspace/cli/cmd_cp.c):
 * mmap DST, pread 1 MiB chunks of SRC into the mapping, write back the
 * CPU caches, munmap.
 */
static int cmd_cpref(int argc, char **argv)
{
	uint64_t size, done = 0;
	struct stat st;
	int sfd, fd;
	char *a;

	if (argc < 3)
		return fprintf(stderr, "usage: cpref SRC DST\n"), 64;
	sfd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (sfd < 0 || fstat(sfd, &st) < 0)
		die(argv[1]);
	size = (uint64_t)st.st_size;
	fd = open(argv[2], O_RDWR | O_CLOEXEC);
	if (fd < 0)
		die(argv[2]);
	a = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (a == MAP_FAILED)
		die("mmap");
	while (done < size) {
		size_t chunk = size - done > (1u << 20) ? (1u << 20) : (size_t)(size - done);
		ssize_t n = pread(sfd, a + done, chunk, (off_t)done);

		if (n <= 0)
			die("pread");
		done += (uint64_t)n;
	}
	famfs_cpu_writeback(a, size);
	munmap(a, size);
	close(sfd);
	return 0;
}

/* extent PATH: "OFFSET LENGTH" of a famfs file that has one simple extent */
static int cmd_extent(int argc, char **argv)
{
	struct famfs_ioc_get_fmap m;
	int fd, rc;

	if (argc < 2)
		return fprintf(stderr, "usage: extent PATH\n"), 64;
	fd = open(argv[1], O_RDONLY);
	if (fd < 0)
		die(argv[1]);
	rc = famfs_map_get(fd, &m);
	close(fd);
	if (rc < 0)
		return fprintf(stderr, "extent: %s: no famfs map (%d)\n", argv[1], rc), 1;
	if (m.iocmap.fioc_ext_type != FAMFS_IOC_EXT_SIMPLE || m.iocmap.fioc_nextents != 1)
		return fprintf(stderr, "extent: %s: not one simple extent\n", argv[1]), 1;
	printf("%llu %llu\n", (unsigned long long)m.ikse[0].offset,
	       (unsigned long long)m.ikse[0].len);
	return 0;
}
#endif

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2)
		goto usage;
	if (!strcmp(argv[1], "pass"))
		return cmd_pass(argc - 1, argv + 1);
	if (!strcmp(argv[1], "sig"))
		return cmd_sig(argc - 1, argv + 1);
	if (!strcmp(argv[1], "touch"))
		return cmd_touch(argc - 1, argv + 1);
	if (!strcmp(argv[1], "memcpy"))
		return cmd_memcpy(argc - 1, argv + 1);
	if (!strcmp(argv[1], "mkfiles"))
		return cmd_mkfiles(argc - 1, argv + 1);
	if (!strcmp(argv[1], "exec"))
		return cmd_exec(argc - 1, argv + 1);
#ifdef WITH_LIBFAMFS
	if (!strcmp(argv[1], "flush"))
		return cmd_flush(argc - 1, argv + 1);
	if (!strcmp(argv[1], "cpcopy"))
		return cmd_cpcopy(argc - 1, argv + 1);
	if (!strcmp(argv[1], "cpref"))
		return cmd_cpref(argc - 1, argv + 1);
	if (!strcmp(argv[1], "extent"))
		return cmd_extent(argc - 1, argv + 1);
#endif
usage:
	fprintf(stderr, "usage: famfsbench pass|sig|touch|memcpy|mkfiles|exec|flush|cpcopy|cpref|extent ...\n");
	return 64;
}
