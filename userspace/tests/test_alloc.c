// SPDX-License-Identifier: Apache-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * test_alloc.c - bitmap, first fit, ENOSPC, overlap detection, fsck
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static void test_bitmap_mark(void **state)
{
	struct famfs_bitmap bm;

	(void)state;
	assert_int_equal(famfs_bitmap_init(&bm, 64 * MiB + 1), 0);
	assert_int_equal(bm.nbits, 32);
	assert_int_equal(famfs_bitmap_mark(&bm, 4 * MiB, 3 * MiB), 0); /* 2 units */
	assert_true(famfs_bitmap_test(&bm, 2));
	assert_true(famfs_bitmap_test(&bm, 3));
	assert_false(famfs_bitmap_test(&bm, 4));
	assert_int_equal(famfs_bitmap_mark(&bm, 6 * MiB, 4 * MiB), 1); /* unit 3 again */
	assert_int_equal(famfs_bitmap_mark(&bm, 62 * MiB, 4 * MiB), -ERANGE);
	assert_false(famfs_bitmap_test(&bm, 31));
	famfs_bitmap_free(&bm);
}

static void test_first_fit_enospc(void **state)
{
	struct famfs_bitmap bm;
	uint64_t off, len, u;

	(void)state;
	assert_int_equal(famfs_bitmap_init(&bm, 64 * MiB), 0);
	famfs_bitmap_mark(&bm, 0, 10 * MiB);
	bm.cursor = 5;
	assert_int_equal(famfs_alloc_contig(&bm, 1, &off, &len), 0);
	assert_int_equal(off, 10 * MiB);
	assert_int_equal(len, 2 * MiB);
	assert_int_equal(famfs_alloc_contig(&bm, 0, &off, &len), 0);
	assert_int_equal(off, 12 * MiB);	/* an empty file: one unit */
	assert_int_equal(famfs_alloc_contig(&bm, 5 * MiB, &off, &len), 0);
	assert_int_equal(off, 14 * MiB);
	assert_int_equal(len, 6 * MiB);

	/* fragment the rest: every other unit used from 20 MiB on */
	for (u = 10; u < 32; u += 2)
		famfs_bitmap_mark(&bm, u * 2 * MiB, 2 * MiB);
	/* 11 free units, none adjacent: 4 MiB cannot be placed */
	assert_int_equal(famfs_alloc_contig(&bm, 4 * MiB, &off, &len), -ENOSPC);
	assert_int_equal(famfs_alloc_contig(&bm, 2 * MiB, &off, &len), 0);
	assert_int_equal(off, 22 * MiB);
	/* wraps around past the cursor to reuse a hole before it */
	bm.cursor = bm.nbits;
	assert_int_equal(famfs_alloc_contig(&bm, 2 * MiB, &off, &len), 0);
	assert_int_equal(off, 26 * MiB);
	famfs_bitmap_free(&bm);
}

struct seen {
	int n;
	struct famfs_problem last;
};

static void on_problem(void *ctx, const struct famfs_problem *p)
{
	struct seen *s = ctx;

	s->n++;
	s->last = *p;
}

static void test_build_overlap(void **state)
{
	struct famfs_alloc_stats st;
	struct famfs_bitmap bm;
	struct seen s = { 0 };
	struct timg t;
	uint64_t off, len;

	(void)state;
	timg_new(&t, 64 * MiB, 8 * MiB);
	timg_dir(&t, "d");
	timg_file(&t, "d/a", 3 * MiB, 10 * MiB, 4 * MiB);
	timg_file(&t, "d/b", 1, 20 * MiB, 2 * MiB);
	timg_file(&t, "d/c", 1, 12 * MiB, 4 * MiB);	/* shares 12-14 MiB */
	assert_int_equal(famfs_bitmap_build(&bm, t.m.sb, t.m.log, on_problem,
					    &s, &st), 0);
	assert_int_equal(st.files, 2);		/* d/c is skipped ... */
	assert_int_equal(st.bad_entries, 1);
	assert_int_equal(st.dirs, 1);
	assert_int_equal(st.collisions, 1);	/* ... its memory stays used */
	assert_int_equal(s.n, 1);
	assert_int_equal(s.last.err, EBUSY);
	assert_int_equal(s.last.index, 3);
	assert_string_equal(s.last.field, "se[0]");
	/* sb + log (5 units) + 10..16 MiB (3) + 20 MiB (1) */
	assert_int_equal(st.used_units, 9);
	/* the first hole after sb+log is at 16 MiB */
	assert_int_equal(famfs_alloc_contig(&bm, 2 * MiB, &off, &len), 0);
	assert_int_equal(off, 16 * MiB);
	famfs_bitmap_free(&bm);
	timg_free(&t);
}

static void test_fsck(void **state)
{
	struct famfs_fsck_result *r = malloc(sizeof(*r));
	struct timg t;
	char *buf = NULL;
	size_t blen = 0;
	FILE *out;

	(void)state;
	assert_non_null(r);
	timg_new(&t, 64 * MiB, 8 * MiB);
	timg_file(&t, "a", 1, 10 * MiB, 2 * MiB);
	timg_file(&t, "b", 1, 12 * MiB, 2 * MiB);
	assert_int_equal(famfs_fsck(&t.m, r), 0);
	out = open_memstream(&buf, &blen);
	famfs_fsck_print(&t.m, r, false, out);
	fclose(out);
	assert_int_equal(r->errors, 0);
	assert_non_null(strstr(buf, "no errors"));
	free(buf);

	/* a cross-linked file, an extent past the device, a bad CRC */
	timg_file(&t, "c", 1, 12 * MiB, 2 * MiB);
	timg_file(&t, "d", 1, 64 * MiB, 2 * MiB);
	timg_file(&t, "e", 1, 14 * MiB, 2 * MiB);
	t.m.log->entries[4].file.fm_mode = 0600;
	assert_int_equal(famfs_fsck(&t.m, r), 0);
	buf = NULL;
	out = open_memstream(&buf, &blen);
	famfs_fsck_print(&t.m, r, true, out);
	fclose(out);
	assert_int_equal(r->collisions, 1);
	assert_int_equal(r->bad_entries, 3);	/* not played: c, d, e */
	assert_int_equal(r->skipped, 2);	/* c, d; e ends the replay */
	assert_int_equal(r->errors, 3);
	assert_int_equal(r->count[FAMFS_FSCK_OVERLAP], 1);
	assert_int_equal(r->count[FAMFS_FSCK_EXTENT_OUTSIDE], 1);
	assert_int_equal(r->count[FAMFS_FSCK_ENTRY_CRC], 1);
	assert_non_null(strstr(buf, "file \"c\" and file \"b\""));
	assert_non_null(strstr(buf, "log entry 3: se[0]"));
	assert_non_null(strstr(buf, "log entry 4: famfs_log_entry_crc"));
	free(buf);

	/* a broken superblock stops the check with one error */
	t.m.sb->ts_crc ^= 1;
	assert_int_equal(famfs_fsck(&t.m, r), 0);
	assert_int_equal(r->errors, 1);
	assert_int_equal(r->count[FAMFS_FSCK_SB_CRC], 1);
	timg_free(&t);
	free(r);
}

static void test_buckets(void **state)
{
	struct famfs_bucket_stat b[4];
	struct famfs_bitmap bm;
	struct timg t;

	(void)state;
	/* 70 MiB = 35 units; 4 buckets of 8 units, the last one gets 11 */
	assert_int_equal(famfs_bitmap_init(&bm, 70 * MiB), 0);
	famfs_bitmap_mark(&bm, 0, 10 * MiB);		/* units 0-4 */
	famfs_bitmap_mark(&bm, 14 * MiB, 6 * MiB);	/* units 7-9: crosses 0|1 */
	famfs_bitmap_mark(&bm, 40 * MiB, 2 * MiB);	/* unit 20 */
	famfs_bitmap_mark(&bm, 44 * MiB, 2 * MiB);	/* unit 22 */
	assert_int_equal(famfs_bitmap_buckets(&bm, 4, b), 0);
	assert_int_equal(b[0].start, 0);
	assert_int_equal(b[0].size, 16 * MiB);
	assert_int_equal(b[0].used_bytes, 12 * MiB);	/* 0-4, 7 */
	assert_int_equal(b[0].free_bytes, 4 * MiB);	/* 5-6 */
	assert_int_equal(b[0].free_runs, 1);
	assert_int_equal(b[1].start, 16 * MiB);
	assert_int_equal(b[1].used_bytes, 4 * MiB);	/* 8-9 */
	assert_int_equal(b[1].largest_free, 12 * MiB);	/* 10-15 */
	assert_int_equal(b[1].free_runs, 1);
	assert_int_equal(b[2].used_bytes, 4 * MiB);	/* 20, 22 */
	assert_int_equal(b[2].free_runs, 3);		/* 16-19, 21, 23 */
	assert_int_equal(b[2].largest_free, 8 * MiB);
	assert_int_equal(b[3].start, 48 * MiB);
	assert_int_equal(b[3].size, 22 * MiB);
	assert_int_equal(b[3].free_bytes, 22 * MiB);
	assert_int_equal(b[3].free_runs, 1);
	assert_int_equal(famfs_bitmap_buckets(&bm, 0, b), -EINVAL);
	assert_int_equal(famfs_bitmap_buckets(&bm, 36, b), -EINVAL);
	famfs_bitmap_free(&bm);

	/* from an image's log: sb + log (10 MiB) and one file */
	timg_new(&t, 64 * MiB, 8 * MiB);
	timg_file(&t, "a", 1, 40 * MiB, 2 * MiB);
	assert_int_equal(famfs_bucket_stats_get(&t.m, 2, b), 0);
	assert_int_equal(b[0].used_bytes, 10 * MiB);
	assert_int_equal(b[1].used_bytes, 2 * MiB);
	assert_int_equal(b[1].free_runs, 2);
	timg_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bitmap_mark),
		cmocka_unit_test(test_first_fit_enospc),
		cmocka_unit_test(test_build_overlap),
		cmocka_unit_test(test_fsck),
		cmocka_unit_test(test_buckets),
	};

	return cmocka_run_group_tests_name("alloc", tests, NULL, NULL);
}
