// SPDX-License-Identifier: Apache-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * pattern_mt.c - fill or check the seeded pattern over many mapped files
 * with a few threads (creat -t, verify -t; admin.md §5)
 *
 * The pattern is position-addressable, so each job is cut into pieces of
 * FAMFS_PATTERN_PIECE bytes that any thread can take; threads pull the
 * next piece from one shared counter. A check keeps the smallest bad
 * offset of each job, so the answer does not depend on the thread count.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "libfamfs.h"

struct pattern_ctx {
	struct famfs_pattern_job *jobs;
	size_t njobs;
	bool check;
	pthread_mutex_t lock;
	size_t job, piece;	/* the next piece to hand out */
};

/* the next piece, or false when all are taken */
static bool next_piece(struct pattern_ctx *c, size_t *job, uint64_t *off,
		       size_t *len)
{
	bool got = false;

	pthread_mutex_lock(&c->lock);
	while (c->job < c->njobs) {
		struct famfs_pattern_job *j = &c->jobs[c->job];
		uint64_t o = (uint64_t)c->piece * FAMFS_PATTERN_PIECE;

		if (o < j->len) {
			*job = c->job;
			*off = o;
			*len = j->len - o < FAMFS_PATTERN_PIECE ?
			       j->len - o : FAMFS_PATTERN_PIECE;
			c->piece++;
			got = true;
			break;
		}
		c->job++;
		c->piece = 0;
	}
	pthread_mutex_unlock(&c->lock);
	return got;
}

static void *worker(void *arg)
{
	struct pattern_ctx *c = arg;
	uint64_t off;
	size_t job, len;
	int64_t bad;

	while (next_piece(c, &job, &off, &len)) {
		struct famfs_pattern_job *j = &c->jobs[job];
		unsigned char *b = (unsigned char *)j->buf + off;

		if (!c->check) {
			famfs_pattern_fill(b, len, j->seed, off);
			if (j->writeback)
				famfs_cpu_writeback(b, len);
			continue;
		}
		if (j->invalidate)
			famfs_cpu_invalidate(b, len);
		bad = famfs_pattern_check(b, len, j->seed, off);
		if (bad < 0)
			continue;
		pthread_mutex_lock(&c->lock);
		if (j->bad < 0 || bad < j->bad)
			j->bad = bad;
		pthread_mutex_unlock(&c->lock);
	}
	return NULL;
}

int famfs_pattern_run(struct famfs_pattern_job *jobs, size_t njobs,
		      bool check, unsigned int nthreads)
{
	struct pattern_ctx c = { .jobs = jobs, .njobs = njobs, .check = check };
	pthread_t *tids = NULL;
	unsigned int i, started = 0;

	for (i = 0; i < njobs; i++)
		jobs[i].bad = -1;
	if (pthread_mutex_init(&c.lock, NULL))
		return -ENOMEM;
	if (nthreads > FAMFS_PATTERN_MAX_THREADS)
		nthreads = FAMFS_PATTERN_MAX_THREADS;
	if (nthreads > 1)
		tids = calloc(nthreads, sizeof(*tids));	/* none: run alone */
	for (i = 0; tids && i < nthreads; i++) {
		if (pthread_create(&tids[i], NULL, worker, &c))
			break;	/* fewer threads; the caller's does the rest */
		started++;
	}
	worker(&c);	/* the calling thread works too (the only one for 0/1) */
	for (i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
	free(tids);
	pthread_mutex_destroy(&c.lock);
	return 0;
}
