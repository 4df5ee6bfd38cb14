// SPDX-License-Identifier: Apache-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * test_validate.c - the append boundary: famfs_log_append
 * refuses every entry a replaying host or the kernel would refuse, with
 * the exact errno, and a refused append changes no byte of the superblock
 * or the log. Also the writer on top of it: size arithmetic that cannot
 * wrap, no append behind an entry replay ends at, memory of skipped
 * entries never handed out, and refusal messages that keep their reason.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

/* a valid image: dir "d", files "d/a" [10, 12) MiB and "b" [12, 16) MiB */
static void base(struct timg *t)
{
	timg_new(t, 64 * MiB, 8 * MiB);
	assert_int_equal(timg_dir(t, "d"), 0);
	assert_int_equal(timg_file(t, "d/a", 1000, 10 * MiB, 2 * MiB), 1);
	assert_int_equal(timg_file(t, "b", 3 * MiB, 12 * MiB, 4 * MiB), 2);
}

static void file_entry(struct famfs_log_entry *e, const char *rel,
		       uint64_t size, uint64_t off, uint64_t len)
{
	struct famfs_simple_extent se = { 0, off, len };

	assert_int_equal(famfs_entry_file(e, rel, size, 0644, 0, 0, &se, 1,
					  NULL), 0);
}

/*
 * famfs_log_append(@e) fails with -@err, names @field (if not NULL), and
 * leaves every byte of superblock and log as it was
 */
static void refused(struct timg *t, const struct famfs_log_entry *e,
		    int err, const char *field)
{
	struct famfs_problem p = { 0 };
	void *before = malloc(t->len);

	assert_non_null(before);
	memcpy(before, t->buf, t->len);
	assert_int_equal(famfs_log_append(&t->m, e, &p), -err);
	assert_int_equal(p.err, err);
	if (field)
		assert_string_equal(p.field, field);
	assert_int_equal(memcmp(before, t->buf, t->len), 0);
	free(before);
}

static void test_refuses_size_beyond_extents(void **state)
{
	struct famfs_log_entry e;
	struct timg t;

	(void)state;
	base(&t);
	/* the original bug: a size whose 2 MiB rounding wraps to one unit */
	file_entry(&e, "huge", UINT64_MAX, 20 * MiB, 2 * MiB);
	refused(&t, &e, EINVAL, "fm_size");
	file_entry(&e, "big", 2 * MiB + 1, 20 * MiB, 2 * MiB);
	refused(&t, &e, EINVAL, "fm_size");
	/* capacity that overflows: 16 extents of 2^63 do not hold 2^64 - 1 */
	file_entry(&e, "ok", 2 * MiB, 20 * MiB, 2 * MiB);
	assert_int_equal(famfs_log_append(&t.m, &e, NULL), 3);
	timg_free(&t);
}

static void test_writer_size_arithmetic_cannot_wrap(void **state)
{
	struct famfs_writer w = { 0 };
	struct famfs_log_fmap fm;
	struct famfs_problem p;
	struct famfs_bitmap bm;
	uint64_t off, len;
	struct timg t;

	(void)state;
	assert_int_equal(famfs_size_units(UINT64_MAX), 1ULL << 43);
	assert_int_equal(famfs_size_units(0), 1);
	assert_int_equal(famfs_size_units(2 * MiB + 1), 2);
	assert_int_equal(famfs_bitmap_init(&bm, GiB), 0);
	assert_int_equal(famfs_alloc_contig(&bm, UINT64_MAX, &off, &len),
			 -ENOSPC);
	famfs_bitmap_free(&bm);

	base(&t);
	w.m = &t.m;
	assert_int_equal(famfs_writer_mkfile(&w, "huge", UINT64_MAX, 0644, 0,
					     0, &fm, &p), -ENOSPC);
	assert_non_null(strstr(p.msg, "a file of 18446744073709551615 bytes is larger than the whole device (64 MiB)"));
	assert_int_equal(famfs_writer_mkfile(&w, "huge", UINT64_MAX - 2 * MiB,
					     0644, 0, 0, &fm, &p), -ENOSPC);
	w.il = (struct famfs_interleave){ .nbuckets = 4, .nstrips = 2,
					  .chunk = 2 * MiB };
	assert_int_equal(famfs_writer_mkfile(&w, "huge", UINT64_MAX, 0644, 0,
					     0, &fm, &p), -ENOSPC);
	assert_int_equal(t.m.log->next_index, 3);	/* nothing logged */
	w.il.nstrips = 0;
	/* refused after its memory was found: the memory is given back */
	assert_int_equal(famfs_writer_mkfile(&w, "b", 1, 0644, 0, 0, &fm, &p),
			 -EEXIST);
	/* nothing was kept allocated: the first free unit is next */
	assert_int_equal(famfs_writer_mkfile(&w, "small", 1, 0644, 0, 0, &fm,
					     &p), 0);
	assert_int_equal(fm.se[0].se_offset, 16 * MiB);
	famfs_writer_done(&w);
	timg_free(&t);
}

/* the sum of a map's extents saturates instead of wrapping to a small size */
static void test_capacity_cannot_wrap(void **state)
{
	struct famfs_log_file_meta fm = { 0 };

	(void)state;
	fm.fm_fmap.fmap_ext_type = FAMFS_EXT_SIMPLE;
	fm.fm_fmap.fmap_nextents = 2;
	fm.fm_fmap.se[0] = (struct famfs_simple_extent){ 0, 10 * MiB, 1ULL << 63 };
	fm.fm_fmap.se[1] = (struct famfs_simple_extent){ 0, 12 * MiB, 1ULL << 63 };
	assert_int_equal(famfs_fmap_capacity(&fm.fm_fmap), UINT64_MAX);
	fm.fm_size = 1ULL << 63;	/* 2^64 bytes hold it; 0 would not */
	assert_int_equal(famfs_fmap_check(&fm, 0, NULL, NULL), 0);
}

static void test_refuses_extent_outside_real_device(void **state)
{
	struct famfs_log_entry e;
	struct timg t;

	(void)state;
	base(&t);
	/* the superblock says 64 MiB; the device has 32 */
	t.m.dev_size = 32 * MiB;
	file_entry(&e, "past-real", 1, 32 * MiB, 2 * MiB);
	refused(&t, &e, ERANGE, "se[0]");
	file_entry(&e, "past-sb", 1, 64 * MiB, 2 * MiB);
	refused(&t, &e, ERANGE, "se[0]");
	/* the last 2 MiB of the 64-bit space + 4 MiB: the end wraps */
	file_entry(&e, "wraps", 1, UINT64_MAX - 2 * MiB + 1, 4 * MiB);
	refused(&t, &e, ERANGE, "se[0]");
	file_entry(&e, "inside", 1, 30 * MiB, 2 * MiB);
	assert_int_equal(famfs_log_append(&t.m, &e, NULL), 3);
	timg_free(&t);
}

static void test_refuses_extent_over_metadata(void **state)
{
	struct famfs_log_entry e;
	struct timg t;

	(void)state;
	base(&t);
	file_entry(&e, "on-sb", 1, 0, 2 * MiB);
	refused(&t, &e, ERANGE, "se[0]");
	file_entry(&e, "in-log", 1, 8 * MiB, 2 * MiB);
	refused(&t, &e, ERANGE, "se[0]");
	timg_free(&t);
}

static void test_refuses_memory_of_another_file(void **state)
{
	struct famfs_simple_extent se[2] = { { 0, 20 * MiB, 4 * MiB },
					     { 0, 22 * MiB, 2 * MiB } };
	struct famfs_log_entry e;
	struct timg t;

	(void)state;
	base(&t);
	file_entry(&e, "thief", 1, 14 * MiB, 2 * MiB);	/* b's last unit */
	refused(&t, &e, EBUSY, "se[0]");
	/* two extents of one file on the same memory */
	assert_int_equal(famfs_entry_file(&e, "self", 1, 0644, 0, 0, se, 2,
					  NULL), 0);
	refused(&t, &e, EINVAL, "se[0]");
	timg_free(&t);
}

static void test_refuses_what_the_kernel_refuses(void **state)
{
	struct famfs_simple_extent se[3] = { { 0, 20 * MiB, 2 * MiB },
					     { 0, 24 * MiB, 2 * MiB },
					     { 0, 28 * MiB, 2 * MiB } };
	struct famfs_log_fmap fm = { 0 };
	struct famfs_log_entry e;
	struct timg t;

	(void)state;
	base(&t);
	/* the module maps at most two simple extents */
	assert_int_equal(famfs_entry_file(&e, "three", 1, 0644, 0, 0, se, 3,
					  NULL), 0);
	refused(&t, &e, EINVAL, "fmap_nextents");
	/* strips of 2 and 4 MiB, 2 MiB chunks: 3 chunks, strip 0 needs 4 */
	fm.fmap_ext_type = FAMFS_EXT_INTERLEAVE;
	fm.fmap_niext = 1;
	fm.ie[0].ie_nstrips = 2;
	fm.ie[0].ie_chunk_size = 2 * MiB;
	fm.ie[0].ie_strips[0] = (struct famfs_simple_extent){ 0, 20 * MiB,
							      2 * MiB };
	fm.ie[0].ie_strips[1] = (struct famfs_simple_extent){ 0, 24 * MiB,
							      4 * MiB };
	assert_int_equal(famfs_entry_file_fmap(&e, "uneven", 1, 0644, 0, 0,
					       &fm, NULL), 0);
	refused(&t, &e, EINVAL, "ie_strips");
	/* the same strips the other way round: each holds its chunks */
	fm.ie[0].ie_strips[0].se_len = 4 * MiB;
	fm.ie[0].ie_strips[1].se_len = 2 * MiB;
	assert_int_equal(famfs_entry_file_fmap(&e, "even", 1, 0644, 0, 0,
					       &fm, NULL), 0);
	assert_int_equal(famfs_log_append(&t.m, &e, NULL), 3);
	timg_free(&t);
}

static void test_refuses_missing_parent(void **state)
{
	struct famfs_log_entry e;
	struct timg t;

	(void)state;
	base(&t);
	file_entry(&e, "nodir/f", 1, 20 * MiB, 2 * MiB);
	refused(&t, &e, ENOENT, "fm_relpath");
	assert_int_equal(famfs_entry_mkdir(&e, "nodir/sub", 0755, 0, 0, NULL),
			 0);
	refused(&t, &e, ENOENT, "md_relpath");
	file_entry(&e, "b/under-a-file", 1, 20 * MiB, 2 * MiB);
	refused(&t, &e, ENOTDIR, "fm_relpath");
	/* the mount's root and .meta (made by mount) need no entry */
	file_entry(&e, FAMFS_ALLOC_CFG_PATH, 1, 20 * MiB, 2 * MiB);
	assert_int_equal(famfs_log_append(&t.m, &e, NULL), 3);
	file_entry(&e, "d/c", 1, 22 * MiB, 2 * MiB);
	assert_int_equal(famfs_log_append(&t.m, &e, NULL), 4);
	timg_free(&t);
}

static void test_refuses_logged_path(void **state)
{
	struct famfs_log_entry e;
	struct timg t;

	(void)state;
	base(&t);
	file_entry(&e, "b", 1, 20 * MiB, 2 * MiB);	/* rm'd, created again */
	refused(&t, &e, EEXIST, "fm_relpath");
	assert_int_equal(famfs_entry_mkdir(&e, "d", 0755, 0, 0, NULL), 0);
	refused(&t, &e, EEXIST, "md_relpath");
	file_entry(&e, "d", 1, 20 * MiB, 2 * MiB);	/* a file over a dir */
	refused(&t, &e, EEXIST, "fm_relpath");
	timg_free(&t);
}

static void test_refuses_long_path_and_says_why(void **state)
{
	static char rel[5000], abs[5100];
	struct famfs_log_entry e;
	struct famfs_problem p;

	(void)state;
	memset(rel, 'x', sizeof(rel) - 1);
	assert_int_equal(famfs_entry_mkdir(&e, rel, 0755, 0, 0, &p),
			 -ENAMETOOLONG);
	assert_true(strlen(p.msg) < sizeof(p.msg));
	assert_non_null(strstr(p.msg, "the log holds at most 79"));
	/* the reason survives even where the path comes first */
	snprintf(abs, sizeof(abs), "/mnt/%s", rel);
	assert_int_equal(famfs_relpath_make("/mnt", abs, e.mkdir.md_relpath,
					    &p), -ENAMETOOLONG);
	assert_non_null(strstr(p.msg, "the log holds at most 79"));
	famfs_problem_set(&p, EIO, -1, NULL, "%s: the reason at the end", rel);
	assert_non_null(strstr(p.msg, "the reason at the end"));
	assert_non_null(strstr(p.msg, "xxx...xxx"));
	/* 80 bytes is one too many, 79 fit */
	rel[80] = '\0';
	assert_int_equal(famfs_entry_mkdir(&e, rel, 0755, 0, 0, &p),
			 -ENAMETOOLONG);
	rel[79] = '\0';
	assert_int_equal(famfs_entry_mkdir(&e, rel, 0755, 0, 0, &p), 0);
}

static void test_refuses_to_append_behind_an_end(void **state)
{
	struct famfs_writer w = { 0 };
	struct famfs_log_entry e;
	struct famfs_problem p;
	struct timg t;

	(void)state;
	base(&t);
	t.m.log->entries[1].file.fm_size = 7;	/* bit rot: CRC mismatch */
	file_entry(&e, "new", 1, 20 * MiB, 2 * MiB);
	refused(&t, &e, EUCLEAN, NULL);
	assert_int_equal(famfs_log_append(&t.m, &e, &p), -EUCLEAN);
	assert_int_equal(p.index, 1);
	assert_non_null(strstr(p.msg, "famfs fsck"));
	w.m = &t.m;
	assert_int_equal(famfs_writer_mkfile(&w, "new", 1, 0644, 0, 0, NULL,
					     &p), -EUCLEAN);
	assert_int_equal(famfs_writer_mkdir(&w, "newdir", 0755, 0, 0, &p),
			 -EUCLEAN);
	assert_int_equal(t.m.log->next_index, 3);
	famfs_writer_done(&w);
	/* a sequence error too */
	t.m.log->entries[1].file.fm_size = 1000;
	t.m.log->entries[2].seqnum = 5;
	t.m.log->entries[2].crc = famfs_entry_crc(&t.m.log->entries[2]);
	famfs_log_index_free(t.m.ix);
	t.m.ix = NULL;
	refused(&t, &e, EUCLEAN, NULL);
	timg_free(&t);
}

static void test_skipped_memory_is_never_handed_out(void **state)
{
	struct famfs_writer w = { 0 };
	struct famfs_log_entry e;
	struct famfs_log_fmap fm;
	struct famfs_problem p;
	struct timg t;

	(void)state;
	base(&t);
	/* another implementation logged "b" again at 16 MiB: skipped by
	 * every host, but its memory may hold data: never reuse it */
	file_entry(&e, "b", 1, 16 * MiB, 2 * MiB);
	assert_int_equal(tlog_forge(&t.m, &e), 3);
	w.m = &t.m;
	assert_int_equal(famfs_writer_mkfile(&w, "c", 1, 0644, 0, 0, &fm, &p),
			 0);
	assert_int_equal(fm.se[0].se_offset, 18 * MiB);
	famfs_writer_done(&w);
	timg_free(&t);
}

/* a directory made with mkdir(1) is logged by famfs_writer_mkdir */
static int exists_mkdir(void *ctx, const char *rel,
			const struct famfs_log_mkdir *md, bool client,
			struct famfs_problem *p)
{
	(void)ctx; (void)rel; (void)md; (void)client; (void)p;
	return -EEXIST;
}

static void test_writer_logs_existing_directory(void **state)
{
	struct famfs_play_ops ops = { .mkdir = exists_mkdir };
	struct famfs_writer w = { 0 };
	struct famfs_problem p;
	uint32_t type;
	uint64_t index;
	struct timg t;

	(void)state;
	base(&t);
	w.m = &t.m;
	w.ops = &ops;
	assert_int_equal(famfs_writer_lookup(&w, "made-by-mkdir", &type,
					     &index, &p), -ENOENT);
	assert_int_equal(famfs_writer_mkdir(&w, "made-by-mkdir", 0750, 1, 2,
					    &p), 0);
	assert_int_equal(famfs_writer_lookup(&w, "made-by-mkdir", &type,
					     &index, &p), 0);
	assert_int_equal(type, FAMFS_LOG_MKDIR);
	assert_int_equal(index, 3);
	assert_int_equal(t.m.log->entries[3].mkdir.md_mode, 0750);
	famfs_writer_done(&w);
	timg_free(&t);
}

/* an image whose superblock's device size is not the file's size */
static void test_open_refuses_device_size_mismatch(void **state)
{
	struct famfs_mkfs_params mp = { .dev_size = 64 * MiB,
					 .log_len = 8 * MiB };
	char dir[256], path[300];
	struct famfs_problem p;
	struct famfs_meta m;
	int fd;

	(void)state;
	tmpdir_new(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/img", dir);
	fd = open(path, O_RDWR | O_CREAT, 0600);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, 64 * MiB), 0);
	close(fd);
	assert_int_equal(famfs_meta_open_image(&m, path, FAMFS_META_WRITE |
					       FAMFS_META_NOCHECK, 8 * MiB, &p), 0);
	assert_int_equal(famfs_mkfs(&m, &mp, true, &p), 0);
	famfs_meta_close(&m);
	assert_int_equal(famfs_meta_open_image(&m, path, FAMFS_META_WRITE, 0,
					       &p), 0);
	famfs_meta_close(&m);
	/* the device is 32 MiB now: the superblock no longer describes it */
	assert_int_equal(truncate(path, 32 * MiB), 0);
	assert_int_equal(famfs_meta_open_image(&m, path, FAMFS_META_WRITE, 0,
					       &p), -EUCLEAN);
	assert_string_equal(p.field, "dd_size");
	assert_non_null(strstr(p.msg, "famfs fsck"));
	tmpdir_rm(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refuses_size_beyond_extents),
		cmocka_unit_test(test_writer_size_arithmetic_cannot_wrap),
		cmocka_unit_test(test_capacity_cannot_wrap),
		cmocka_unit_test(test_refuses_extent_outside_real_device),
		cmocka_unit_test(test_refuses_extent_over_metadata),
		cmocka_unit_test(test_refuses_memory_of_another_file),
		cmocka_unit_test(test_refuses_what_the_kernel_refuses),
		cmocka_unit_test(test_refuses_missing_parent),
		cmocka_unit_test(test_refuses_logged_path),
		cmocka_unit_test(test_refuses_long_path_and_says_why),
		cmocka_unit_test(test_refuses_to_append_behind_an_end),
		cmocka_unit_test(test_skipped_memory_is_never_handed_out),
		cmocka_unit_test(test_writer_logs_existing_directory),
		cmocka_unit_test(test_open_refuses_device_size_mismatch),
	};

	return cmocka_run_group_tests_name("validate", tests, NULL, NULL);
}
