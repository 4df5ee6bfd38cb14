// SPDX-License-Identifier: Apache-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * test_util.c - sizes, modes, paths, the fill pattern, the system UUID
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

static void test_parse_size(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(famfs_parse_size("4096", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(famfs_parse_size("8k", &v), 0);
	assert_int_equal(v, 8192);
	assert_int_equal(famfs_parse_size("2M", &v), 0);
	assert_int_equal(v, 2 * MiB);
	assert_int_equal(famfs_parse_size("256m", &v), 0);
	assert_int_equal(v, 256 * MiB);
	assert_int_equal(famfs_parse_size("1G", &v), 0);
	assert_int_equal(v, GiB);
	assert_int_equal(famfs_parse_size("3GiB", &v), 0);
	assert_int_equal(v, 3 * GiB);
	assert_int_equal(famfs_parse_size("1t", &v), 0);
	assert_int_equal(v, 1024 * GiB);
	assert_int_equal(famfs_parse_size("", &v), -EINVAL);
	assert_int_equal(famfs_parse_size("M", &v), -EINVAL);
	assert_int_equal(famfs_parse_size("-1", &v), -EINVAL);
	assert_int_equal(famfs_parse_size("12Q", &v), -EINVAL);
	assert_int_equal(famfs_parse_size("1Mx", &v), -EINVAL);
	assert_int_equal(famfs_parse_size("99999999999T", &v), -ERANGE);
	assert_int_equal(famfs_parse_size("99999999999999999999", &v), -ERANGE);
}

/* decimal only, whatever the leading digits look like */
static void test_parse_size_decimal_only(void **state)
{
	uint64_t v = 7;

	(void)state;
	assert_int_equal(famfs_parse_size("010", &v), 0);
	assert_int_equal(v, 10);
	assert_int_equal(famfs_parse_size("0010k", &v), 0);
	assert_int_equal(v, 10 * 1024);
	v = 7;
	assert_int_equal(famfs_parse_size("0x200000", &v), -EINVAL);
	assert_int_equal(famfs_parse_size("0X10", &v), -EINVAL);
	assert_int_equal(famfs_parse_size("08", &v), 0);
	assert_int_equal(v, 8);
	v = 7;
	assert_int_equal(famfs_parse_size(" 1", &v), -EINVAL);
	assert_int_equal(famfs_parse_size("+1", &v), -EINVAL);
	assert_int_equal(famfs_parse_size("1 ", &v), -EINVAL);
	assert_int_equal(famfs_parse_size("1.5G", &v), -EINVAL);
	assert_int_equal(famfs_parse_size("1e3", &v), -EINVAL);
	assert_int_equal(famfs_parse_size("1MM", &v), -EINVAL);
	assert_int_equal(v, 7);		/* untouched on error */
	assert_int_equal(famfs_parse_size("1P", &v), 0);
	assert_int_equal(v, 1024 * 1024 * GiB);
	assert_int_equal(famfs_parse_size("1eib", &v), 0);
	assert_int_equal(v, 1ULL << 60);
}

/* a size whose rounding to 2 MiB would wrap is -ERANGE */
static void test_parse_size_overflow(void **state)
{
	uint64_t v = 7;

	(void)state;
	assert_int_equal(famfs_parse_size("18446744073709551615", &v), -ERANGE);
	assert_int_equal(famfs_parse_size("18446744073709551616", &v), -ERANGE);
	/* the last size that still rounds up to 2 MiB units: 2^64 - 2 MiB */
	assert_int_equal(famfs_parse_size("18446744073707454465", &v), -ERANGE);
	assert_int_equal(v, 7);
	assert_int_equal(famfs_parse_size("18446744073707454464", &v), 0);
	assert_true(v == 18446744073707454464ULL);
	assert_true(v == FAMFS_SIZE_MAX);
	assert_int_equal(famfs_parse_size("16E", &v), -ERANGE);
	assert_int_equal(famfs_parse_size("16384P", &v), -ERANGE);
	assert_int_equal(famfs_parse_size("16777216T", &v), -ERANGE);
	assert_int_equal(famfs_parse_size("15E", &v), 0);
	assert_true(v == 15ULL << 60);
	assert_int_equal(famfs_parse_size("16777215T", &v), 0);
	assert_true(v == 16777215ULL << 40);
}

static void test_parse_u64(void **state)
{
	uint64_t v = 7;

	(void)state;
	assert_int_equal(famfs_parse_u64("18446744073709551615", &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(famfs_parse_u64("010", &v), 0);
	assert_int_equal(v, 10);
	v = 7;
	assert_int_equal(famfs_parse_u64("18446744073709551616", &v), -ERANGE);
	assert_int_equal(famfs_parse_u64("0x10", &v), -EINVAL);
	assert_int_equal(famfs_parse_u64("1k", &v), -EINVAL);
	assert_int_equal(famfs_parse_u64("", &v), -EINVAL);
	assert_int_equal(famfs_parse_u64("-1", &v), -EINVAL);
	assert_int_equal(v, 7);
}

static void test_parse_mode(void **state)
{
	uint32_t m;

	(void)state;
	assert_int_equal(famfs_parse_mode("644", &m), 0);
	assert_int_equal(m, 0644);
	assert_int_equal(famfs_parse_mode("04755", &m), 0);
	assert_int_equal(m, 04755);
	assert_int_equal(famfs_parse_mode("8", &m), -EINVAL);
	assert_int_equal(famfs_parse_mode("17777", &m), -EINVAL);
	assert_int_equal(famfs_parse_mode("", &m), -EINVAL);
}

static void test_relpath_make(void **state)
{
	char rel[FAMFS_MAX_PATHLEN], abs[200];
	struct famfs_problem p;

	(void)state;
	assert_int_equal(famfs_relpath_make("/mnt/famfs", "/mnt/famfs/a/b", rel,
					    &p), 0);
	assert_string_equal(rel, "a/b");
	assert_int_equal(famfs_relpath_make("/mnt/famfs/", "/mnt/famfs/a", rel,
					    &p), 0);
	assert_string_equal(rel, "a");
	assert_int_equal(famfs_relpath_make("/", "/x/y", rel, &p), 0);
	assert_string_equal(rel, "x/y");
	assert_int_equal(famfs_relpath_make("/mnt/famfs", "/mnt/famfsx/a", rel,
					    &p), -EXDEV);
	assert_int_equal(famfs_relpath_make("/mnt/famfs", "/tmp/a", rel, &p),
			 -EXDEV);
	assert_int_equal(famfs_relpath_make("/mnt/famfs", "/mnt/famfs", rel, &p),
			 -EINVAL);
	assert_int_equal(famfs_relpath_make("/mnt/famfs", "/mnt/famfs/.meta/x",
					    rel, &p), -EINVAL);
	/* 79 bytes fit, 80 do not */
	snprintf(abs, sizeof(abs), "/m/%079d", 0);
	assert_int_equal(famfs_relpath_make("/m", abs, rel, &p), 0);
	assert_int_equal(strlen(rel), 79);
	snprintf(abs, sizeof(abs), "/m/%080d", 0);
	assert_int_equal(famfs_relpath_make("/m", abs, rel, &p), -ENAMETOOLONG);
	assert_non_null(strstr(p.msg, "80 bytes"));
}

static void test_path_abs(void **state)
{
	char dir[256], sub[300], out[4096], cwd[4096];

	(void)state;
	tmpdir_new(dir, sizeof(dir));
	snprintf(sub, sizeof(sub), "%s/d", dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(sub), 0);
	assert_int_equal(famfs_path_abs("newfile", out, sizeof(out)), 0);
	assert_non_null(strstr(out, "/d/newfile"));
	assert_int_equal(out[0], '/');
	assert_int_equal(famfs_path_abs("../d/./x/", out, sizeof(out)), 0);
	assert_non_null(strstr(out, "/d/x"));
	assert_null(strstr(out, ".."));
	assert_int_equal(famfs_path_abs("missing/x", out, sizeof(out)), -ENOENT);
	assert_int_equal(chdir(cwd), 0);
	tmpdir_rm(dir);
}

static void test_pattern(void **state)
{
	static unsigned char buf[1 << 20];
	int64_t bad;

	(void)state;
	famfs_pattern_fill(buf, sizeof(buf), 42, 0);
	assert_int_equal(famfs_pattern_check(buf, sizeof(buf), 42, 0), -1);
	/* any sub-range, at any alignment, is the same bytes */
	assert_int_equal(famfs_pattern_check(buf + 13, 1000, 42, 13), -1);
	famfs_pattern_fill(buf, 77, 42, 5);
	assert_int_equal(famfs_pattern_check(buf, 77, 42, 5), -1);
	famfs_pattern_fill(buf, sizeof(buf), 42, 0);
	buf[123457] ^= 0x40;
	bad = famfs_pattern_check(buf, sizeof(buf), 42, 0);
	assert_int_equal(bad, 123457);
	/* another seed differs from the first word */
	famfs_pattern_fill(buf, sizeof(buf), 43, 0);
	assert_true(famfs_pattern_check(buf, sizeof(buf), 42, 0) < 8);
	assert_true(famfs_pattern_word(1, 0) != famfs_pattern_word(2, 0));
}

/* threads share pieces: the result is the same for any thread count */
static void test_pattern_run(void **state)
{
	size_t lens[3] = { 3 * FAMFS_PATTERN_PIECE + 4097, 5, 0 };
	struct famfs_pattern_job j[3];
	unsigned char *ref;
	unsigned int t, threads[] = { 0, 1, 4, 300 };
	int i;

	(void)state;
	for (i = 0; i < 3; i++) {
		j[i] = (struct famfs_pattern_job){ .buf = malloc(lens[i] + 1),
			.len = lens[i], .seed = 100 + (uint64_t)i };
		assert_non_null(j[i].buf);
	}
	ref = malloc(lens[0]);
	assert_non_null(ref);
	famfs_pattern_fill(ref, lens[0], 100, 0);
	for (t = 0; t < 4; t++) {
		memset(j[0].buf, 0, lens[0]);
		assert_int_equal(famfs_pattern_run(j, 3, false, threads[t]), 0);
		assert_memory_equal(j[0].buf, ref, lens[0]);
		assert_int_equal(famfs_pattern_check(j[1].buf, 5, 101, 0), -1);
		assert_int_equal(famfs_pattern_run(j, 3, true, threads[t]), 0);
		for (i = 0; i < 3; i++)
			assert_int_equal(j[i].bad, -1);
		/* two bad bytes in different pieces: the first one counts */
		((unsigned char *)j[0].buf)[2 * FAMFS_PATTERN_PIECE + 9] ^= 1;
		((unsigned char *)j[0].buf)[FAMFS_PATTERN_PIECE + 3] ^= 1;
		assert_int_equal(famfs_pattern_run(j, 3, true, threads[t]), 0);
		assert_int_equal(j[0].bad, FAMFS_PATTERN_PIECE + 3);
		assert_int_equal(j[1].bad, -1);
	}
	for (i = 0; i < 3; i++)
		free(j[i].buf);
	free(ref);
}

#define PARSE(s) famfs_alloc_cfg_parse(s, strlen(s), &il, &p)

static void test_alloc_cfg_parse(void **state)
{
	static const char block[] =
		"---\n# famfs allocation\nother:\n  nstrips: 9\n"
		"interleaved_alloc:   # default striping\n"
		"  nbuckets: 16\n\n  nstrips: \"8\"\n  chunk_size: 0x400000\n"
		"later: 1\n...\n";
	static const char flow[] =
		"interleaved_alloc: {nbuckets: 6, nstrips: 3, chunk_size: 8M}\n";
	struct famfs_interleave il;
	struct famfs_problem p;

	(void)state;
	assert_int_equal(famfs_alloc_cfg_parse(block, strlen(block), &il, &p), 1);
	assert_int_equal(il.nbuckets, 16);
	assert_int_equal(il.nstrips, 8);
	assert_int_equal(il.chunk, 4 * MiB);
	assert_int_equal(famfs_alloc_cfg_parse(flow, strlen(flow), &il, &p), 1);
	assert_int_equal(il.nbuckets, 6);
	assert_int_equal(il.nstrips, 3);
	assert_int_equal(il.chunk, 8 * MiB);
	/* only nstrips: the rest is left to the command-line defaults */
	assert_int_equal(PARSE("interleaved_alloc:\n nstrips: 2"), 1);
	assert_int_equal(il.nstrips, 2);
	assert_int_equal(il.nbuckets, 0);
	assert_int_equal(il.chunk, 0);
	/* nothing to do: no section, or nstrips 0 */
	assert_int_equal(PARSE(""), 0);
	assert_int_equal(PARSE("a: 1\n"), 0);
	assert_int_equal(PARSE("interleaved_alloc:\n  nstrips: 0\n"), 0);
	/* errors name the line and the key */
	assert_int_equal(PARSE("interleaved_alloc:\n  nstripes: 2\n"), -EINVAL);
	assert_int_equal(p.index, 2);
	assert_string_equal(p.field, "nstripes");
	assert_int_equal(PARSE("interleaved_alloc:\n  nstrips: many\n"), -EINVAL);
	assert_int_equal(PARSE("interleaved_alloc:\n\tnstrips: 2\n"), -EINVAL);
	assert_int_equal(PARSE("interleaved_alloc: [1, 2]\n"), -EINVAL);
	assert_int_equal(PARSE("junk\n"), -EINVAL);
}

static void test_system_uuid(void **state)
{
	char dir[256], path[300], txt[300];
	famfs_uuid_t a, b;
	struct stat st;
	int fd;

	(void)state;
	tmpdir_new(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/opt/system_uuid", dir);
	assert_int_equal(famfs_system_uuid(path, false, a, NULL), -ENOENT);
	assert_int_equal(famfs_system_uuid(path, true, a, NULL), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0444);
	assert_int_equal(st.st_size, 37);	/* 36 chars + newline */
	snprintf(txt, sizeof(txt), "%s/opt", dir);
	assert_int_equal(stat(txt, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0755);
	assert_int_equal(famfs_system_uuid(path, true, b, NULL), 0);
	assert_memory_equal(a, b, 16);

	snprintf(path, sizeof(path), "%s/bad", dir);
	fd = open(path, O_WRONLY | O_CREAT, 0644);
	assert_int_equal(write(fd, "not-a-uuid-at-all-but-long-enough-xxxx\n", 39), 39);
	close(fd);
	assert_int_equal(famfs_system_uuid(path, false, a, NULL), -EINVAL);
	tmpdir_rm(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_size),
		cmocka_unit_test(test_parse_size_decimal_only),
		cmocka_unit_test(test_parse_size_overflow),
		cmocka_unit_test(test_parse_u64),
		cmocka_unit_test(test_parse_mode),
		cmocka_unit_test(test_relpath_make),
		cmocka_unit_test(test_path_abs),
		cmocka_unit_test(test_pattern),
		cmocka_unit_test(test_pattern_run),
		cmocka_unit_test(test_alloc_cfg_parse),
		cmocka_unit_test(test_system_uuid),
	};

	return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
