// SPDX-License-Identifier: Apache-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * test_writers.c - writers on the master serialize on the log lock: 6
 * processes create files in one image concurrently, each session holding
 * the lock from the bitmap build to the append; no memory is allocated
 * twice and no entry is lost. Also interleaved allocation.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

#define WRITERS		6
#define FILES_EACH	25

static void make_image(const char *path, uint64_t size)
{
	struct famfs_mkfs_params mp = { .dev_size = size, .log_len = 8 * MiB };
	struct famfs_problem p;
	struct famfs_meta m;
	int fd;

	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)size), 0);
	close(fd);
	memcpy(mp.system_uuid, test_master_uuid, sizeof(famfs_uuid_t));
	assert_int_equal(famfs_meta_open_image(&m, path, FAMFS_META_WRITE |
					       FAMFS_META_NOCHECK, 8 * MiB, &p), 0);
	assert_int_equal(famfs_mkfs(&m, &mp, false, &p), 0);
	famfs_meta_close(&m);
}

/* one writer process: FILES_EACH sessions of 1..3 files (exit status) */
static int writer(const char *path, int id)
{
	struct famfs_problem p;
	struct famfs_meta m;
	char rel[64];
	int n = 0, k;

	srand((unsigned int)(getpid() * 7919));
	while (n < FILES_EACH) {
		struct famfs_writer w = { 0 };
		int batch = 1 + rand() % 3;

		if (famfs_meta_open_image(&m, path, FAMFS_META_WRITE |
					  FAMFS_META_LOCK, 0, &p) < 0)
			return 10;
		w.m = &m;
		snprintf(rel, sizeof(rel), "w%d", id);
		if (n == 0 && famfs_writer_mkdir(&w, rel, 0755, 0, 0, &p) < 0) {
			fprintf(stderr, "writer %d: %s\n", id, p.msg);
			return 12;
		}
		for (k = 0; k < batch && n < FILES_EACH; k++, n++) {
			snprintf(rel, sizeof(rel), "w%d/f%d", id, n);
			if (famfs_writer_mkfile(&w, rel,
						(uint64_t)(1 + rand() % 3) * 2 * MiB,
						0644, 0, 0, NULL, &p) < 0) {
				fprintf(stderr, "writer %d: %s\n", id, p.msg);
				return 11;
			}
			if (rand() % 4 == 0)
				usleep(200);	/* widen the race window */
		}
		famfs_writer_done(&w);
		famfs_meta_close(&m);
	}
	return 0;
}

static void test_concurrent_writers(void **state)
{
	struct famfs_fsck_result *r = malloc(sizeof(*r));
	char dir[256], path[300];
	struct famfs_problem p;
	struct famfs_meta m;
	pid_t pids[WRITERS];
	int i, st;

	(void)state;
	assert_non_null(r);
	tmpdir_new(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/img", dir);
	make_image(path, 2 * GiB);
	for (i = 0; i < WRITERS; i++) {
		pids[i] = fork();
		assert_true(pids[i] >= 0);
		if (pids[i] == 0)
			_exit(writer(path, i));
	}
	for (i = 0; i < WRITERS; i++) {
		assert_int_equal(waitpid(pids[i], &st, 0), pids[i]);
		assert_true(WIFEXITED(st));
		assert_int_equal(WEXITSTATUS(st), 0);
	}
	assert_int_equal(famfs_meta_open_image(&m, path, 0, 0, &p), 0);
	assert_int_equal(m.log->next_index, WRITERS * (FILES_EACH + 1));
	assert_int_equal(famfs_fsck(&m, r), 0);
	assert_int_equal(r->errors, 0);
	assert_int_equal(r->collisions, 0);
	assert_int_equal(r->files, WRITERS * FILES_EACH);
	assert_int_equal(r->dirs, WRITERS);
	famfs_meta_close(&m);
	free(r);
	tmpdir_rm(dir);
}

static void test_interleave_alloc(void **state)
{
	struct famfs_interleave il = { .nbuckets = 8, .nstrips = 4,
				       .chunk = 2 * MiB };
	struct famfs_log_file_meta fm = { 0 };
	struct famfs_geom g = { GiB, 10 * MiB };
	struct famfs_problem p;
	struct famfs_bitmap bm;
	uint32_t seed = 42;
	uint64_t bucket = GiB / 8;
	unsigned int i, j;

	(void)state;
	assert_int_equal(famfs_interleave_check(&il, GiB, &p), 0);
	assert_int_equal(famfs_bitmap_init(&bm, GiB), 0);
	famfs_bitmap_mark(&bm, 0, 10 * MiB);
	/* 40 MiB over 4 strips of 2 MiB chunks: 5 chunks (10 MiB) per strip */
	assert_int_equal(famfs_alloc_interleave(&bm, 40 * MiB, &il, &seed,
						&fm.fm_fmap), 0);
	assert_int_equal(fm.fm_fmap.fmap_ext_type, FAMFS_EXT_INTERLEAVE);
	assert_int_equal(fm.fm_fmap.ie[0].ie_nstrips, 4);
	for (i = 0; i < 4; i++) {
		const struct famfs_simple_extent *a = &fm.fm_fmap.ie[0].ie_strips[i];

		assert_int_equal(a->se_len, 10 * MiB);
		for (j = 0; j < i; j++)	/* each strip in its own bucket */
			assert_true(a->se_offset / bucket !=
				    fm.fm_fmap.ie[0].ie_strips[j].se_offset / bucket);
	}
	fm.fm_size = 40 * MiB;
	assert_int_equal(famfs_fmap_check(&fm, 0, &g, &p), 0);

	/* fill: eventually fewer than 4 buckets have room: ENOSPC, no leak */
	for (i = 0; i < 100; i++)
		if (famfs_alloc_interleave(&bm, 40 * MiB, &il, &seed,
					   &fm.fm_fmap) < 0)
			break;
	assert_true(i < 100);
	{
		struct famfs_space before, after;

		famfs_bitmap_space(&bm, &before);
		assert_int_equal(famfs_alloc_interleave(&bm, 40 * MiB, &il,
							&seed, &fm.fm_fmap),
				 -ENOSPC);
		famfs_bitmap_space(&bm, &after);
		assert_int_equal(before.free_bytes, after.free_bytes);
	}
	famfs_bitmap_free(&bm);

	/* parameter rules */
	il.nstrips = 17;
	assert_int_equal(famfs_interleave_check(&il, GiB, &p), -EINVAL);
	il.nstrips = 4;
	il.chunk = 3 * MiB;
	assert_int_equal(famfs_interleave_check(&il, GiB, &p), -EINVAL);
	il.chunk = 2 * MiB;
	il.nbuckets = 2;
	assert_int_equal(famfs_interleave_check(&il, GiB, &p), -EINVAL);
}

static void test_interleave_writer(void **state)
{
	struct famfs_fsck_result *r = malloc(sizeof(*r));
	struct famfs_writer w = { 0 };
	struct famfs_log_fmap fm;
	struct famfs_problem p;
	struct timg t;

	(void)state;
	timg_new(&t, GiB, 8 * MiB);
	w.m = &t.m;
	w.il = (struct famfs_interleave){ .nbuckets = 4, .nstrips = 2,
					  .chunk = 4 * MiB };
	w.seed = 1;
	assert_int_equal(famfs_writer_mkfile(&w, "striped", 24 * MiB, 0644, 0,
					     0, &fm, &p), 0);
	assert_int_equal(fm.fmap_ext_type, FAMFS_EXT_INTERLEAVE);
	assert_int_equal(fm.ie[0].ie_strips[0].se_len, 12 * MiB);
	/* smaller than a chunk: contiguous, like the reference */
	assert_int_equal(famfs_writer_mkfile(&w, "small", 1 * MiB, 0644, 0, 0,
					     &fm, &p), 0);
	assert_int_equal(fm.fmap_ext_type, FAMFS_EXT_SIMPLE);
	famfs_writer_done(&w);
	assert_int_equal(famfs_fsck(&t.m, r), 0);
	assert_int_equal(r->errors, 0);
	assert_int_equal(r->files, 2);
	/* a 1 GiB device cannot hold a 2 GiB file, interleaved or not */
	w.bm_ready = false;
	assert_int_equal(famfs_writer_mkfile(&w, "huge", 2 * GiB, 0644, 0, 0,
					     &fm, &p), -ENOSPC);
	assert_non_null(strstr(p.msg, "huge"));
	famfs_writer_done(&w);
	timg_free(&t);
	free(r);
}

/* .meta/.alloc.cfg: the writer's default when no -N is given */
static void test_alloc_cfg_default(void **state)
{
	struct famfs_writer w = { 0 };
	struct famfs_interleave il;
	struct famfs_log_fmap fm;
	struct famfs_problem p;
	char dir[256], path[400];
	struct timg t;
	FILE *f;

	(void)state;
	tmpdir_new(dir, sizeof(dir));
	assert_int_equal(famfs_alloc_cfg_read(dir, &il, &p), 0);	/* none */
	snprintf(path, sizeof(path), "%s/.meta", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/%s", dir, FAMFS_ALLOC_CFG_PATH);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("# written by hand\ninterleaved_alloc:\n  nbuckets: 4\n"
	      "  nstrips: 2\n  chunk_size: 4M\n", f);
	fclose(f);
	assert_int_equal(famfs_alloc_cfg_read(dir, &il, &p), 1);
	assert_int_equal(il.nbuckets, 4);
	assert_int_equal(il.nstrips, 2);
	assert_int_equal(il.chunk, 4 * MiB);

	timg_new(&t, GiB, 8 * MiB);
	w.m = &t.m;
	w.il_default = il;
	w.seed = 1;
	assert_int_equal(famfs_writer_mkfile(&w, "dflt", 24 * MiB, 0644, 0, 0,
					     &fm, &p), 0);
	assert_int_equal(fm.fmap_ext_type, FAMFS_EXT_INTERLEAVE);
	assert_int_equal(fm.ie[0].ie_nstrips, 2);
	assert_int_equal(fm.ie[0].ie_chunk_size, 4 * MiB);
	/* the command line (w.il) wins over the file */
	w.il = (struct famfs_interleave){ .nbuckets = 8, .nstrips = 4,
					  .chunk = 2 * MiB };
	assert_int_equal(famfs_writer_mkfile(&w, "cli", 24 * MiB, 0644, 0, 0,
					     &fm, &p), 0);
	assert_int_equal(fm.ie[0].ie_nstrips, 4);
	famfs_writer_done(&w);
	timg_free(&t);

	/* a bad file names itself and the line */
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("interleaved_alloc:\n  nstrip: 2\n", f);
	fclose(f);
	assert_int_equal(famfs_alloc_cfg_read(dir, &il, &p), -EINVAL);
	assert_non_null(strstr(p.msg, ".alloc.cfg"));
	assert_non_null(strstr(p.msg, "line 2"));
	tmpdir_rm(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_concurrent_writers),
		cmocka_unit_test(test_interleave_alloc),
		cmocka_unit_test(test_interleave_writer),
		cmocka_unit_test(test_alloc_cfg_default),
	};

	return cmocka_run_group_tests_name("writers", tests, NULL, NULL);
}
