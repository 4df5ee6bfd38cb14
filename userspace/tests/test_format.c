// SPDX-License-Identifier: Apache-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * test_format.c - on-media layout, CRCs, superblock/log/entry validation
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "testutil.h"

static void test_sizes_offsets(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct famfs_superblock), 200);
	assert_int_equal(offsetof(struct famfs_superblock, ts_crc), 96);
	assert_int_equal(offsetof(struct famfs_superblock, ts_sb_flags), 104);
	assert_int_equal(offsetof(struct famfs_superblock, ts_daxdev), 112);
	assert_int_equal(offsetof(struct famfs_superblock,
				  ts_daxdev.dd_daxdev), 136);
	assert_int_equal(sizeof(struct famfs_log), 48);
	assert_int_equal(sizeof(struct famfs_log_entry), 544);
	assert_int_equal(offsetof(struct famfs_log_entry, crc), 536);
	assert_int_equal(sizeof(struct famfs_log_file_meta), 520);
	assert_int_equal(offsetof(struct famfs_log_file_meta, fm_fmap), 104);
	assert_int_equal(sizeof(struct famfs_log_fmap), 416);
	assert_int_equal(sizeof(struct famfs_interleaved_ext), 400);
	assert_int_equal(offsetof(struct famfs_log_mkdir, md_relpath), 12);
	/* capacity figures of the reference */
	assert_int_equal(famfs_log_nslots(8 * MiB), 15420);
	assert_int_equal(famfs_log_nslots(256 * MiB), 493447);
}

static void test_crc(void **state)
{
	struct famfs_superblock sb;
	struct famfs_mkfs_params mp = { .dev_size = GiB };
	uLong crc;

	(void)state;
	assert_int_equal(famfs_crc32(0, "123456789", 9), 0xcbf43926);
	assert_int_equal(famfs_sb_init(&sb, &mp, NULL), 0);
	/* the reference folds the fields in one at a time */
	crc = crc32(0L, Z_NULL, 0);
	crc = crc32(crc, (void *)&sb.ts_magic, sizeof(sb.ts_magic));
	crc = crc32(crc, (void *)&sb.ts_version, sizeof(sb.ts_version));
	crc = crc32(crc, (void *)&sb.ts_log_offset, sizeof(sb.ts_log_offset));
	crc = crc32(crc, (void *)&sb.ts_log_len, sizeof(sb.ts_log_len));
	crc = crc32(crc, (void *)&sb.ts_alloc_unit, sizeof(sb.ts_alloc_unit));
	crc = crc32(crc, (void *)&sb.ts_omf_ver_major, sizeof(uint32_t));
	crc = crc32(crc, (void *)&sb.ts_omf_ver_minor, sizeof(uint32_t));
	crc = crc32(crc, sb.ts_uuid, 16);
	crc = crc32(crc, sb.ts_dev_uuid, 16);
	crc = crc32(crc, sb.ts_system_uuid, 16);
	assert_int_equal(crc, famfs_sb_crc(&sb));
	assert_int_equal(crc, sb.ts_crc);
}

static void test_sb_build_check(void **state)
{
	struct famfs_mkfs_params mp = { .dev_size = 4 * GiB,
					.devname = "/dev/dax0.0" };
	struct famfs_superblock sb, bad;
	struct famfs_problem p;

	(void)state;
	memcpy(mp.system_uuid, test_master_uuid, 16);
	assert_int_equal(famfs_sb_init(&sb, &mp, &p), 0);
	assert_int_equal(sb.ts_version, 48);
	assert_int_equal(sb.ts_log_len, 8 * MiB);
	assert_int_equal(sb.ts_omf_ver_major, 2);
	assert_int_equal(sb.ts_omf_ver_minor, 2);
	assert_memory_equal(sb.ts_system_uuid, test_master_uuid, 16);
	assert_string_equal(sb.ts_daxdev.dd_daxdev, "/dev/dax0.0");
	assert_int_equal(sb.ts_daxdev.dd_size, 4 * GiB);
	assert_int_equal(famfs_sb_check(&sb, &p), 0);

	bad = sb;
	bad.ts_magic ^= 1;
	assert_int_equal(famfs_sb_check(&bad, &p), -ENODATA);
	assert_string_equal(p.field, "ts_magic");

	bad = sb;
	bad.ts_uuid[3] ^= 0x10;
	assert_int_equal(famfs_sb_check(&bad, &p), -EBADMSG);
	assert_string_equal(p.field, "ts_crc");

	bad = sb;		/* version 47 is read, 46 and 49 are not */
	bad.ts_version = 47;
	bad.ts_crc = famfs_sb_crc(&bad);
	assert_int_equal(famfs_sb_check(&bad, &p), 0);
	bad.ts_version = 46;
	bad.ts_crc = famfs_sb_crc(&bad);
	assert_int_equal(famfs_sb_check(&bad, &p), -EPROTO);
	assert_string_equal(p.field, "ts_version");
	bad.ts_version = 49;
	bad.ts_crc = famfs_sb_crc(&bad);
	assert_int_equal(famfs_sb_check(&bad, &p), -EPROTO);

	bad = sb;		/* flags and daxdev are outside the CRC */
	bad.ts_sb_flags = 7;
	assert_int_equal(famfs_sb_check(&bad, &p), 0);
	bad.ts_daxdev.dd_size = 4 * MiB;
	assert_int_equal(famfs_sb_check(&bad, &p), -EINVAL);
	assert_string_equal(p.field, "ts_daxdev.dd_size");

	bad = sb;
	bad.ts_log_len = 12 * MiB;
	bad.ts_crc = famfs_sb_crc(&bad);
	assert_int_equal(famfs_sb_check(&bad, &p), -EINVAL);
	assert_string_equal(p.field, "ts_log_len");

	mp.log_len = 4 * MiB;
	assert_int_equal(famfs_sb_init(&bad, &mp, &p), -EINVAL);
	mp.log_len = 0;
	mp.dev_size = famfs_min_dev_size(8 * MiB) - 1;
	assert_int_equal(famfs_sb_init(&bad, &mp, &p), -ENOSPC);
	mp.dev_size++;
	assert_int_equal(famfs_sb_init(&bad, &mp, &p), 0);
}

static void test_log_header(void **state)
{
	struct timg t;
	struct famfs_log saved;
	struct famfs_problem p;

	(void)state;
	timg_new(&t, GiB, 8 * MiB);
	assert_int_equal(t.m.log->last_index, 15419);
	assert_int_equal(famfs_log_check(t.m.log, 8 * MiB, &p), 0);
	saved = *t.m.log;

	t.m.log->magic = 0;
	assert_int_equal(famfs_log_check(t.m.log, 8 * MiB, &p), -ENODATA);
	*t.m.log = saved;
	t.m.log->last_index++;
	assert_int_equal(famfs_log_check(t.m.log, 8 * MiB, &p), -EBADMSG);
	assert_string_equal(p.field, "famfs_log_crc");
	*t.m.log = saved;
	assert_int_equal(famfs_log_check(t.m.log, 16 * MiB, &p), -EINVAL);
	assert_string_equal(p.field, "famfs_log_len");
	*t.m.log = saved;
	t.m.log->next_index = 15421;
	assert_int_equal(famfs_log_check(t.m.log, 8 * MiB, &p), -EINVAL);
	assert_string_equal(p.field, "famfs_log_next_index");
	timg_free(&t);
}

static void test_relpath_check(void **state)
{
	char big[FAMFS_MAX_PATHLEN];

	(void)state;
	assert_int_equal(famfs_relpath_check("a/b/c", 80, 0, "f", NULL), 0);
	assert_int_equal(famfs_relpath_check("", 80, 0, "f", NULL), -EINVAL);
	assert_int_equal(famfs_relpath_check("/abs", 80, 0, "f", NULL), -EINVAL);
	assert_int_equal(famfs_relpath_check("a/../b", 80, 0, "f", NULL), -EINVAL);
	assert_int_equal(famfs_relpath_check("a//b", 80, 0, "f", NULL), -EINVAL);
	assert_int_equal(famfs_relpath_check("a/", 80, 0, "f", NULL), -EINVAL);
	assert_int_equal(famfs_relpath_check("./a", 80, 0, "f", NULL), -EINVAL);
	assert_int_equal(famfs_relpath_check(".meta/x", 80, 0, "f", NULL), -EINVAL);
	assert_int_equal(famfs_relpath_check(".metax", 80, 0, "f", NULL), 0);
	/* the one logged file the metadata directory may hold */
	assert_int_equal(famfs_relpath_check(".meta/.alloc.cfg", 80, 0, "f", NULL), 0);
	assert_int_equal(famfs_relpath_check(".meta/.alloc.cfgx", 80, 0, "f", NULL), -EINVAL);
	assert_int_equal(famfs_relpath_check("..a", 80, 0, "f", NULL), 0);
	memset(big, 'x', sizeof(big));	/* no NUL in the field */
	assert_int_equal(famfs_relpath_check(big, sizeof(big), 0, "f", NULL),
			 -ENAMETOOLONG);
}

static void test_fmap_check(void **state)
{
	struct famfs_geom g = { .dev_size = GiB, .data_start = 10 * MiB };
	struct famfs_log_entry e;
	struct famfs_simple_extent se = { 0, 10 * MiB, 4 * MiB };
	struct famfs_log_file_meta *fm = &e.file;
	struct famfs_problem p;

	(void)state;
	assert_int_equal(famfs_entry_file(&e, "f", 3 * MiB, 0644, 0, 0, &se, 1,
					  &p), 0);
	assert_int_equal(famfs_fmap_check(fm, 5, &g, &p), 0);

	fm->fm_size = 5 * MiB;
	assert_int_equal(famfs_fmap_check(fm, 5, &g, &p), -EINVAL);
	assert_string_equal(p.field, "fm_size");
	assert_int_equal(p.index, 5);
	fm->fm_size = MiB;

	fm->fm_fmap.se[0].se_offset = 0;	/* over the superblock */
	assert_int_equal(famfs_fmap_check(fm, 5, &g, &p), -ERANGE);
	fm->fm_fmap.se[0].se_offset = 4 * MiB;	/* over the log */
	assert_int_equal(famfs_fmap_check(fm, 5, &g, &p), -ERANGE);
	fm->fm_fmap.se[0].se_offset = 11 * MiB;	/* unaligned */
	assert_int_equal(famfs_fmap_check(fm, 5, &g, &p), -EINVAL);
	assert_string_equal(p.field, "se[0]");
	fm->fm_fmap.se[0].se_offset = GiB - 2 * MiB;	/* past the end */
	assert_int_equal(famfs_fmap_check(fm, 5, &g, &p), -ERANGE);
	fm->fm_fmap.se[0].se_offset = 10 * MiB;
	fm->fm_fmap.se[0].se_devindex = 1;
	assert_int_equal(famfs_fmap_check(fm, 5, &g, &p), -EINVAL);
	fm->fm_fmap.se[0].se_devindex = 0;
	fm->fm_fmap.fmap_nextents = 17;
	assert_int_equal(famfs_fmap_check(fm, 5, &g, &p), -EINVAL);
	assert_string_equal(p.field, "fmap_nextents");

	/* interleaved: 2 strips of 4 MiB, 2 MiB chunks */
	memset(&fm->fm_fmap, 0, sizeof(fm->fm_fmap));
	fm->fm_fmap.fmap_ext_type = FAMFS_EXT_INTERLEAVE;
	fm->fm_fmap.fmap_niext = 1;
	fm->fm_fmap.ie[0].ie_nstrips = 2;
	fm->fm_fmap.ie[0].ie_chunk_size = 2 * MiB;
	fm->fm_fmap.ie[0].ie_strips[0] = (struct famfs_simple_extent){ 0, 10 * MiB, 4 * MiB };
	fm->fm_fmap.ie[0].ie_strips[1] = (struct famfs_simple_extent){ 0, 20 * MiB, 4 * MiB };
	fm->fm_size = 8 * MiB;
	assert_int_equal(famfs_fmap_check(fm, 5, &g, &p), 0);
	assert_int_equal(famfs_fmap_capacity(&fm->fm_fmap), 8 * MiB);
	fm->fm_fmap.ie[0].ie_chunk_size = MiB;
	assert_int_equal(famfs_fmap_check(fm, 5, &g, &p), -EINVAL);
	assert_string_equal(p.field, "ie_chunk_size");
	fm->fm_fmap.fmap_ext_type = 7;
	assert_int_equal(famfs_fmap_check(fm, 5, &g, &p), -EINVAL);
	assert_string_equal(p.field, "fmap_ext_type");
}

static void test_entry_build_limits(void **state)
{
	struct famfs_simple_extent se = { 0, 10 * MiB, 2 * MiB };
	struct famfs_log_entry e;
	struct famfs_problem p;
	char rel[100];

	(void)state;
	memset(rel, 'a', sizeof(rel));
	rel[79] = '\0';		/* 79 bytes: fits */
	assert_int_equal(famfs_entry_file(&e, rel, 1, 0644, 0, 0, &se, 1, &p), 0);
	rel[79] = 'a';
	rel[80] = '\0';		/* 80 bytes: refused, never truncated */
	assert_int_equal(famfs_entry_file(&e, rel, 1, 0644, 0, 0, &se, 1, &p),
			 -ENAMETOOLONG);
	assert_int_equal(famfs_entry_mkdir(&e, rel, 0755, 0, 0, &p),
			 -ENAMETOOLONG);
	assert_int_equal(famfs_entry_mkdir(&e, "/abs", 0755, 0, 0, &p), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sizes_offsets),
		cmocka_unit_test(test_crc),
		cmocka_unit_test(test_sb_build_check),
		cmocka_unit_test(test_log_header),
		cmocka_unit_test(test_relpath_check),
		cmocka_unit_test(test_fmap_check),
		cmocka_unit_test(test_entry_build_limits),
	};

	return cmocka_run_group_tests_name("format", tests, NULL, NULL);
}
