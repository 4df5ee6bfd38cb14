// SPDX-License-Identifier: Apache-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * native - the user-space parts of famfs that need no kernel, timed on the
 * host against libfamfs.a: for N files (default 1000 10000 100000) build an
 * in-memory image (superblock + a log sized to fit), then time
 *   - allocation + log append per file (famfs_writer_mkfile, no kernel ops),
 *     and the bytes passed to the cache flush per append;
 *   - a full log replay (famfs_logplay: entry checks + CRC, with counting
 *     ops standing in for the kernel's file creation);
 *   - the allocation bitmap build from the log (what every writer does first);
 *   - fsck (famfs_fsck).
 * One line per measurement: BENCH {"t":"native",...}.
 *
 *   native [REPS] [N...]
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "libfamfs.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static unsigned long long played;

static int mock_mkdir(void *ctx, const char *rel, const struct famfs_log_mkdir *md,
		      bool client, struct famfs_problem *p)
{
	(void)ctx; (void)rel; (void)md; (void)client; (void)p;
	played++;
	return 0;
}

static int mock_mkfile(void *ctx, const char *rel, const struct famfs_log_file_meta *fm,
		       bool client, struct famfs_problem *p)
{
	(void)ctx; (void)rel; (void)fm; (void)client; (void)p;
	played++;
	return 0;
}

static void list(const char *key, const double *v, int n)
{
	int i;

	printf(",\"%s\":[", key);
	for (i = 0; i < n; i++)
		printf("%s%.6g", i ? "," : "", v[i]);
	printf("]");
}

static int one(unsigned long n, int reps)
{
	struct famfs_play_ops ops = { mock_mkdir, mock_mkfile, NULL };
	struct famfs_mkfs_params mp = { 0 };
	struct famfs_problem p = { 0 };
	struct famfs_play_stats st;
	struct famfs_alloc_stats ast;
	struct famfs_fsck_result *fr;
	struct famfs_writer w;
	struct famfs_meta m;
	struct famfs_bitmap bm;
	uint64_t log_len = 8ull << 20, f0;
	double t0, t_append, *t_play, *t_fsck, *t_bm;
	char rel[FAMFS_MAX_PATHLEN];
	size_t len;
	void *buf;
	unsigned long i;
	int r, rc;

	while (famfs_log_nslots(log_len) < n + 1)
		log_len <<= 1;
	len = (2u << 20) + log_len;
	buf = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		return perror("mmap"), 1;
	mp.dev_size = (2ull << 20) + log_len + (uint64_t)(n + 16) * (2ull << 20);
	mp.log_len = log_len;
	mp.devname = "/dev/bench-image";
	rc = famfs_meta_from_buffer(&m, buf, len, log_len, &p);
	if (!rc)
		rc = famfs_mkfs(&m, &mp, true, &p);
	if (rc)
		return fprintf(stderr, "mkfs: %s\n", p.msg), 1;
	m.writable = true;

	memset(&w, 0, sizeof(w));
	w.m = &m;
	w.ops = &ops;
	f0 = m.flushed_bytes;
	t0 = now();
	for (i = 0; i < n; i++) {
		snprintf(rel, sizeof(rel), "f%07lu", i);
		rc = famfs_writer_mkfile(&w, rel, 2u << 20, 0644, 0, 0, NULL, &p);
		if (rc)
			return fprintf(stderr, "mkfile %lu: %s\n", i, p.msg), 1;
	}
	t_append = now() - t0;
	famfs_writer_done(&w);
	printf("BENCH {\"t\":\"native\",\"what\":\"alloc_append\",\"n\":%lu,\"log_len\":%llu,"
	       "\"secs\":%.6f,\"us_per_file\":%.3f,\"bytes_per_append\":%.1f}\n",
	       n, (unsigned long long)log_len, t_append, t_append * 1e6 / n,
	       (double)(m.flushed_bytes - f0) / n);

	t_play = calloc(reps, sizeof(double));
	t_fsck = calloc(reps, sizeof(double));
	t_bm = calloc(reps, sizeof(double));
	fr = malloc(sizeof(*fr));
	for (r = 0; r < reps; r++) {
		played = 0;
		t0 = now();
		rc = famfs_logplay(&m, &ops, 0, NULL, &st, &p);
		t_play[r] = now() - t0;
		if (rc || played != n)
			return fprintf(stderr, "logplay rc %d played %llu: %s\n", rc, played, p.msg), 1;

		t0 = now();
		if (famfs_bitmap_init(&bm, mp.dev_size) ||
		    famfs_bitmap_build(&bm, m.sb, m.log, NULL, NULL, &ast))
			return fprintf(stderr, "bitmap build failed\n"), 1;
		t_bm[r] = now() - t0;
		famfs_bitmap_free(&bm);

		t0 = now();
		rc = famfs_fsck(&m, fr);
		t_fsck[r] = now() - t0;
		if (rc || fr->errors)
			return fprintf(stderr, "fsck rc %d errors %llu\n", rc,
				       (unsigned long long)fr->errors), 1;
	}
	printf("BENCH {\"t\":\"native\",\"what\":\"logplay\",\"n\":%lu", n);
	list("secs", t_play, reps);
	printf("}\nBENCH {\"t\":\"native\",\"what\":\"bitmap_build\",\"n\":%lu", n);
	list("secs", t_bm, reps);
	printf("}\nBENCH {\"t\":\"native\",\"what\":\"fsck\",\"n\":%lu", n);
	list("secs", t_fsck, reps);
	printf("}\n");
	free(fr);
	free(t_play);
	free(t_fsck);
	free(t_bm);
	munmap(buf, len);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long def[] = { 1000, 10000, 100000 };
	int reps = argc > 1 ? atoi(argv[1]) : 5, i, rc = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 2) {
		for (i = 2; i < argc; i++)
			rc |= one(strtoul(argv[i], NULL, 0), reps);
	} else {
		for (i = 0; i < 3; i++)
			rc |= one(def[i], reps);
	}
	return rc;
}
