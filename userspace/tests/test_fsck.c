// SPDX-License-Identifier: Apache-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * test_fsck.c - one corrupted image per fsck problem class: each must be
 * found and named (class, entry index, field), and nothing else reported.
 * Images are built in memory; one test goes through an image file and the
 * famfs fsck --json command line.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

static struct famfs_fsck_result *res;

/* a small, valid image: a dir and three files in [10 MiB, 64 MiB) */
static void good_image(struct timg *t)
{
	timg_new(t, 64 * MiB, 8 * MiB);
	assert_int_equal(timg_dir(t, "d"), 0);
	assert_int_equal(timg_file(t, "d/a", 1000, 10 * MiB, 2 * MiB), 1);
	assert_int_equal(timg_file(t, "b", 3 * MiB, 12 * MiB, 4 * MiB), 2);
	assert_int_equal(timg_file(t, "c", 1, 16 * MiB, 2 * MiB), 3);
}

static void reseal_sb(struct timg *t)
{
	t->m.sb->ts_crc = famfs_sb_crc(t->m.sb);
}

static void reseal_entry(struct timg *t, int i)
{
	t->m.log->entries[i].crc = famfs_entry_crc(&t->m.log->entries[i]);
}

/* fsck @t: exactly @n errors, all of class @cls; the first at @index/@field */
static void expect(struct timg *t, enum famfs_fsck_class cls, uint64_t n,
		   int64_t index, const char *field)
{
	assert_int_equal(famfs_fsck(&t->m, res), 0);
	if (res->errors != n || res->count[cls] != n) {
		char buf[400];
		size_t i;

		for (i = 0; i < res->nfindings; i++)
			fprintf(stderr, "  found [%s] %s\n",
				famfs_fsck_class_name(res->findings[i].cls),
				famfs_problem_str(&res->findings[i].p, buf,
						  sizeof(buf)));
	}
	assert_int_equal(res->errors, n);
	assert_int_equal(res->count[cls], n);
	assert_int_equal(res->findings[0].cls, cls);
	assert_int_equal(res->findings[0].p.index, index);
	if (field)
		assert_string_equal(res->findings[0].p.field, field);
	timg_free(t);
}

static void test_clean(void **state)
{
	struct timg t;

	(void)state;
	good_image(&t);
	assert_int_equal(famfs_fsck(&t.m, res), 0);
	assert_int_equal(res->errors, 0);
	assert_true(res->sb_valid && res->log_valid);
	assert_int_equal(res->files, 3);
	assert_int_equal(res->dirs, 1);
	/* sb + 8 MiB log = 10 MiB reserved, + 8 MiB of files */
	assert_int_equal(res->space.used_bytes, 18 * MiB);
	assert_int_equal(res->space.free_bytes, 46 * MiB);
	assert_int_equal(res->space.largest_free, 46 * MiB);
	timg_free(&t);
}

static void test_v47_is_read(void **state)
{
	struct timg t;

	(void)state;
	good_image(&t);
	t.m.sb->ts_version = 47;
	reseal_sb(&t);
	assert_int_equal(famfs_fsck(&t.m, res), 0);
	assert_int_equal(res->errors, 0);
	timg_free(&t);
}

static void test_sb_magic(void **state)
{
	struct timg t;

	(void)state;
	good_image(&t);
	t.m.sb->ts_magic = 0;		/* what mkfs.famfs -f -k does */
	expect(&t, FAMFS_FSCK_SB_MAGIC, 1, -1, "ts_magic");
}

static void test_sb_version(void **state)
{
	struct timg t;

	(void)state;
	good_image(&t);
	t.m.sb->ts_version = 46;
	reseal_sb(&t);
	expect(&t, FAMFS_FSCK_SB_VERSION, 1, -1, "ts_version");
}

static void test_sb_crc(void **state)
{
	struct timg t;

	(void)state;
	good_image(&t);
	t.m.sb->ts_system_uuid[3] ^= 0x40;	/* a flipped bit */
	expect(&t, FAMFS_FSCK_SB_CRC, 1, -1, "ts_crc");
}

static void test_sb_field(void **state)
{
	struct timg t;

	(void)state;
	good_image(&t);
	t.m.sb->ts_log_len = 12 * MiB;	/* not a power of two */
	reseal_sb(&t);
	expect(&t, FAMFS_FSCK_SB_FIELD, 1, -1, "ts_log_len");
}

static void test_log_truncated(void **state)
{
	struct timg t;

	(void)state;
	good_image(&t);
	t.m.log_len = 4 * MiB;		/* the region holds half the log */
	expect(&t, FAMFS_FSCK_LOG_TRUNCATED, 1, -1, "ts_log_len");
}

static void test_log_header(void **state)
{
	struct timg t;

	(void)state;
	good_image(&t);
	t.m.log->magic ^= 1;
	expect(&t, FAMFS_FSCK_LOG_HEADER, 1, -1, "famfs_log_magic");

	good_image(&t);
	t.m.log->last_index++;		/* covered by the header CRC */
	expect(&t, FAMFS_FSCK_LOG_HEADER, 1, -1, "famfs_log_crc");

	good_image(&t);
	t.m.log->next_index = famfs_log_nslots(8 * MiB) + 1;
	expect(&t, FAMFS_FSCK_LOG_HEADER, 1, -1, "famfs_log_next_index");
}

static void test_entry_crc(void **state)
{
	struct timg t;

	(void)state;
	good_image(&t);
	t.m.log->entries[3].file.fm_size = 2;	/* not resealed */
	expect(&t, FAMFS_FSCK_ENTRY_CRC, 1, 3, "famfs_log_entry_crc");
}

static void test_entry_seqnum(void **state)
{
	struct timg t;

	(void)state;
	good_image(&t);
	t.m.log->entries[3].seqnum = 7;
	reseal_entry(&t, 3);
	expect(&t, FAMFS_FSCK_ENTRY_SEQNUM, 1, 3, "famfs_log_entry_seqnum");
}

static void test_entry_invalid(void **state)
{
	struct timg t;

	(void)state;
	good_image(&t);
	strcpy(t.m.log->entries[3].file.fm_relpath, "../escape");
	reseal_entry(&t, 3);
	expect(&t, FAMFS_FSCK_ENTRY_INVALID, 1, 3, "fm_relpath");

	good_image(&t);
	t.m.log->entries[2].type = 9;
	reseal_entry(&t, 2);
	expect(&t, FAMFS_FSCK_ENTRY_INVALID, 1, 2, "famfs_log_entry_type");
}

static void test_extent_outside(void **state)
{
	struct timg t;

	(void)state;
	good_image(&t);
	timg_file(&t, "past-end", 1, 64 * MiB, 2 * MiB);
	expect(&t, FAMFS_FSCK_EXTENT_OUTSIDE, 1, 4, "se[0]");
}

static void test_extent_over_metadata(void **state)
{
	struct timg t;

	(void)state;
	good_image(&t);
	timg_file(&t, "in-log", 1, 4 * MiB, 2 * MiB);
	expect(&t, FAMFS_FSCK_EXTENT_META, 1, 4, "se[0]");

	good_image(&t);
	timg_file(&t, "on-sb", 1, 0, 2 * MiB);
	expect(&t, FAMFS_FSCK_EXTENT_META, 1, 4, "se[0]");
}

static void test_shared_memory(void **state)
{
	char buf[400];
	struct timg t;

	(void)state;
	good_image(&t);
	timg_file(&t, "thief", 1, 14 * MiB, 4 * MiB);	/* b's 2nd unit + c's */
	assert_int_equal(famfs_fsck(&t.m, res), 0);
	assert_int_equal(res->collisions, 2);
	assert_int_equal(res->count[FAMFS_FSCK_OVERLAP], 2);	/* two pairs */
	assert_int_equal(res->errors, 2);
	famfs_problem_str(&res->findings[0].p, buf, sizeof(buf));
	assert_non_null(strstr(buf, "log entry 4"));
	assert_non_null(strstr(buf, "\"thief\" and file \"b\" (log entry 2)"));
	famfs_problem_str(&res->findings[1].p, buf, sizeof(buf));
	assert_non_null(strstr(buf, "\"thief\" and file \"c\" (log entry 3)"));
	timg_free(&t);
}

static void test_duplicate_path(void **state)
{
	struct timg t;

	(void)state;
	good_image(&t);
	timg_file(&t, "b", 1, 20 * MiB, 2 * MiB);	/* rm b; creat b */
	expect(&t, FAMFS_FSCK_DUP_PATH, 1, 4, "fm_relpath");

	good_image(&t);
	timg_dir(&t, "c");				/* a dir over a file */
	expect(&t, FAMFS_FSCK_DUP_PATH, 1, 4, "md_relpath");
}

static void test_missing_parent(void **state)
{
	struct timg t;

	(void)state;
	good_image(&t);
	timg_file(&t, "made-by-mkdir/f", 1, 20 * MiB, 2 * MiB);
	expect(&t, FAMFS_FSCK_MISSING_PARENT, 1, 4, "fm_relpath");

	good_image(&t);
	timg_dir(&t, "b/sub");				/* under a file */
	expect(&t, FAMFS_FSCK_MISSING_PARENT, 1, 4, "md_relpath");
}

static void test_entry_unreachable(void **state)
{
	char buf[400];
	struct timg t;

	(void)state;
	good_image(&t);
	t.m.log->entries[1].file.fm_size = 2;	/* entry 1: CRC; 2, 3 lost */
	assert_int_equal(famfs_fsck(&t.m, res), 0);
	assert_int_equal(res->errors, 2);
	assert_int_equal(res->count[FAMFS_FSCK_ENTRY_CRC], 1);
	assert_int_equal(res->count[FAMFS_FSCK_UNREACHABLE], 1);
	assert_int_equal(res->unreachable, 2);
	assert_int_equal(res->findings[1].cls, FAMFS_FSCK_UNREACHABLE);
	assert_int_equal(res->findings[1].p.index, 2);
	famfs_problem_str(&res->findings[1].p, buf, sizeof(buf));
	assert_non_null(strstr(buf, "2 entries (2..3, 2 with a valid CRC) behind invalid entry 1"));
	/* what is behind the end counts for nothing: one file, one dir */
	assert_int_equal(res->files, 0);
	assert_int_equal(res->dirs, 1);
	timg_free(&t);
}

static void test_device_size_mismatch(void **state)
{
	struct timg t;

	(void)state;
	good_image(&t);
	t.m.dev_size = 48 * MiB;	/* the real device; the sb says 64 */
	expect(&t, FAMFS_FSCK_DEV_SIZE, 1, -1, "dd_size");

	/* a flipped byte in dd_size, outside the CRC: 2^40 + 64 MiB */
	good_image(&t);
	t.m.dev_size = 64 * MiB;
	t.m.sb->ts_daxdev.dd_size |= 1ULL << 40;
	assert_int_equal(famfs_sb_check(t.m.sb, NULL), 0);	/* CRC fine */
	expect(&t, FAMFS_FSCK_DEV_SIZE, 1, -1, "dd_size");
}

static void test_stale_slot_is_a_note(void **state)
{
	struct timg t;

	(void)state;
	good_image(&t);
	/* an append cut short after writing its slot, before publishing */
	timg_file(&t, "never-published", 1, 20 * MiB, 2 * MiB);
	t.m.log->next_index = 4;
	t.m.log->next_seqnum = 4;
	assert_int_equal(famfs_fsck(&t.m, res), 0);
	assert_int_equal(res->errors, 0);
	assert_int_equal(res->notes, 1);
	assert_int_equal(res->count[FAMFS_FSCK_STALE_SLOT], 1);
	assert_int_equal(res->stale_slots, 1);
	assert_int_equal(res->findings[0].p.index, 4);
	/* ... or between its two header stores */
	t.m.log->next_seqnum = 5;
	assert_int_equal(famfs_fsck(&t.m, res), 0);
	assert_int_equal(res->errors, 0);
	assert_int_equal(res->notes, 2);
	assert_string_equal(res->findings[0].p.field, "famfs_log_next_seqnum");
	/* seqnum two ahead is no crash of ours: an error */
	t.m.log->next_seqnum = 6;
	expect(&t, FAMFS_FSCK_LOG_HEADER, 1, -1, "famfs_log_next_seqnum");
}

static void touch(const char *dir, const char *rel, bool is_dir)
{
	char path[600];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	if (is_dir) {
		assert_int_equal(mkdir(path, 0755), 0);
		return;
	}
	f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
}

/* on a mounted file system: objects made outside the famfs tools */
static void test_unlogged(void **state)
{
	char dir[256], buf[400];
	struct timg t;

	(void)state;
	tmpdir_new(dir, sizeof(dir));
	touch(dir, ".meta", true);		/* made by mount: not reported */
	touch(dir, ".meta/.log", false);
	touch(dir, "d", true);			/* the logged objects */
	touch(dir, "d/a", false);
	touch(dir, "b", false);
	touch(dir, "c", false);
	touch(dir, "touched", false);		/* touch(1) */
	touch(dir, "d/made-by-mkdir", true);	/* mkdir(1) */
	touch(dir, "d/made-by-mkdir/f", false);	/* below it: not repeated */
	good_image(&t);
	snprintf(t.m.mnt, sizeof(t.m.mnt), "%s", dir);
	assert_int_equal(famfs_fsck(&t.m, res), 0);
	assert_int_equal(res->errors, 2);
	assert_int_equal(res->count[FAMFS_FSCK_UNLOGGED], 2);
	assert_int_equal(res->unlogged, 2);
	famfs_problem_str(&res->findings[0].p, buf, sizeof(buf));
	famfs_problem_str(&res->findings[1].p, buf + 200, 200);
	assert_true(strstr(buf, "file \"touched\" is not in the log") ||
		    strstr(buf + 200, "file \"touched\" is not in the log"));
	assert_true(strstr(buf, "directory \"d/made-by-mkdir\"") ||
		    strstr(buf + 200, "directory \"d/made-by-mkdir\""));
	timg_free(&t);
	tmpdir_rm(dir);
}

/* many problems at once: each counted in its class */
static void test_all_entry_classes_together(void **state)
{
	struct timg t;

	(void)state;
	good_image(&t);
	timg_file(&t, "past-end", 1, 64 * MiB, 2 * MiB);	/* 4 */
	timg_file(&t, "in-log", 1, 4 * MiB, 2 * MiB);		/* 5 */
	timg_file(&t, "dup-mem", 1, 10 * MiB, 2 * MiB);	/* 6 */
	timg_file(&t, "b", 1, 30 * MiB, 2 * MiB);		/* 7 */
	timg_file(&t, "nodir/x", 1, 32 * MiB, 2 * MiB);	/* 8 */
	timg_file(&t, "late", 1, 34 * MiB, 2 * MiB);		/* 9 */
	timg_file(&t, "later", 1, 36 * MiB, 2 * MiB);		/* 10 */
	t.m.log->entries[9].file.fm_mode = 0;			/* crc */
	assert_int_equal(famfs_fsck(&t.m, res), 0);
	assert_int_equal(res->count[FAMFS_FSCK_EXTENT_OUTSIDE], 1);
	assert_int_equal(res->count[FAMFS_FSCK_EXTENT_META], 1);
	assert_int_equal(res->count[FAMFS_FSCK_OVERLAP], 1);
	assert_int_equal(res->count[FAMFS_FSCK_DUP_PATH], 1);
	assert_int_equal(res->count[FAMFS_FSCK_MISSING_PARENT], 1);
	assert_int_equal(res->count[FAMFS_FSCK_ENTRY_CRC], 1);
	assert_int_equal(res->count[FAMFS_FSCK_UNREACHABLE], 1);
	assert_int_equal(res->errors, 7);
	assert_int_equal(res->skipped, 5);
	assert_int_equal(res->unreachable, 1);
	timg_free(&t);
}

/* image files through the command line: exit codes and --json */

static void test_cli_image(void **state)
{
	static char out[65536];
	char dir[256], img[300], cmd[2400], uuid[320], famfs[300], mkfs[300];
	struct famfs_problem p;
	struct famfs_meta m;
	struct famfs_log_entry e;
	struct famfs_simple_extent se = { 0, 10 * MiB, 2 * MiB };
	int fd;

	(void)state;
	tbin("famfs", famfs, sizeof(famfs));
	tbin("mkfs.famfs", mkfs, sizeof(mkfs));
	if (access(famfs, X_OK) < 0)
		skip();
	tmpdir_new(dir, sizeof(dir));
	snprintf(img, sizeof(img), "%s/img", dir);
	snprintf(uuid, sizeof(uuid), "%s/system_uuid", dir);
	setenv("FAMFS_SYSTEM_UUID", uuid, 1);	/* never /opt/famfs here */
	fd = open(img, O_RDWR | O_CREAT, 0600);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, 64 * MiB), 0);
	close(fd);
	snprintf(cmd, sizeof(cmd), "%s %s >/dev/null 2>&1", mkfs, img);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(famfs_meta_open_image(&m, img, FAMFS_META_WRITE, 0, &p), 0);
	assert_int_equal(famfs_entry_file(&e, "f", 1, 0644, 0, 0, &se, 1, &p), 0);
	assert_int_equal(famfs_log_append(&m, &e, &p), 0);
	/* the same memory for another file: the library refuses it ... */
	assert_int_equal(famfs_entry_file(&e, "g", 1, 0644, 0, 0, &se, 1, &p), 0);
	assert_int_equal(famfs_log_append(&m, &e, &p), -EBUSY);
	/* ... another implementation may not */
	assert_int_equal(tlog_forge(&m, &e), 1);
	famfs_meta_close(&m);

	snprintf(cmd, sizeof(cmd), "%s fsck --json %s", famfs, img);
	assert_int_equal(trun(cmd, out, sizeof(out)), 4);
	assert_non_null(strstr(out, "\"shared-memory\": 1"));
	assert_non_null(strstr(out, "\"class\": \"shared-memory\""));
	assert_non_null(strstr(out, "\"clean\": false"));

	/* truncate the image inside the log: log-truncated */
	assert_int_equal(truncate(img, 6 * MiB), 0);
	snprintf(cmd, sizeof(cmd), "%s fsck %s", famfs, img);
	assert_int_equal(trun(cmd, out, sizeof(out)), 4);
	assert_non_null(strstr(out, "ERROR [log-truncated]"));

	/* kill the superblock: sb-magic, also in JSON */
	snprintf(cmd, sizeof(cmd), "truncate -s 64M %s && %s -f -k %s >/dev/null && %s fsck -j %s",
		 img, mkfs, img, famfs, img);
	assert_int_equal(trun(cmd, out, sizeof(out)), 4);
	assert_non_null(strstr(out, "\"class\": \"sb-magic\""));
	tmpdir_rm(dir);
}

/* every new class through the command line: exit status and --json */
static void test_cli_classes(void **state)
{
	static char out[65536];
	struct famfs_mkfs_params mp = { .dev_size = 64 * MiB,
					 .log_len = 8 * MiB };
	char dir[256], img[300], cmd[1200], famfs[300];
	struct famfs_log_entry e;
	struct famfs_simple_extent se = { 0, 10 * MiB, 2 * MiB };
	struct famfs_problem p;
	struct famfs_meta m;
	int fd, i;
	static const struct {
		const char *what, *cls;
		int exit_code;
	} cases[] = {
		{ "duplicate-path", "\"class\": \"duplicate-path\"", 4 },
		{ "missing-parent", "\"class\": \"missing-parent\"", 4 },
		{ "unreachable", "\"class\": \"entry-unreachable\"", 4 },
		{ "device-size", "\"class\": \"device-size-mismatch\"", 4 },
		{ "stale-slot", "\"class\": \"stale-slot\"", 0 },
	};

	(void)state;
	tbin("famfs", famfs, sizeof(famfs));
	if (access(famfs, X_OK) < 0)
		skip();
	tmpdir_new(dir, sizeof(dir));
	snprintf(img, sizeof(img), "%s/img", dir);
	for (i = 0; i < (int)(sizeof(cases) / sizeof(cases[0])); i++) {
		fd = open(img, O_RDWR | O_CREAT | O_TRUNC, 0600);
		assert_true(fd >= 0);
		assert_int_equal(ftruncate(fd, 64 * MiB), 0);
		close(fd);
		assert_int_equal(famfs_meta_open_image(&m, img, FAMFS_META_WRITE |
					FAMFS_META_NOCHECK, 8 * MiB, &p), 0);
		assert_int_equal(famfs_mkfs(&m, &mp, true, &p), 0);
		assert_int_equal(famfs_entry_file(&e, "f", 1, 0644, 0, 0, &se,
						  1, &p), 0);
		assert_int_equal(famfs_log_append(&m, &e, &p), 0);
		se.se_offset = 20 * MiB;
		assert_int_equal(famfs_entry_file(&e, i == 1 ? "x/g" : i == 0 ?
						  "f" : "g", 1, 0644, 0, 0,
						  &se, 1, &p), 0);
		se.se_offset = 10 * MiB;
		if (i < 2)
			tlog_forge(&m, &e);
		else
			assert_int_equal(famfs_log_append(&m, &e, &p), 1);
		if (i == 2)
			m.log->entries[0].file.fm_mode = 0;	/* CRC */
		if (i == 4)
			m.log->next_index = m.log->next_seqnum = 1;
		famfs_meta_close(&m);
		if (i == 3)	/* the device grew: dd_size is not its size */
			assert_int_equal(truncate(img, 96 * MiB), 0);
		snprintf(cmd, sizeof(cmd), "%s fsck --json %s", famfs, img);
		if (trun(cmd, out, sizeof(out)) != cases[i].exit_code ||
		    !strstr(out, cases[i].cls))
			fprintf(stderr, "%s:\n%s\n", cases[i].what, out);
		assert_int_equal(trun(cmd, out, sizeof(out)), cases[i].exit_code);
		assert_non_null(strstr(out, cases[i].cls));
		snprintf(cmd, sizeof(cmd), "%s fsck %s", famfs, img);
		assert_int_equal(trun(cmd, out, sizeof(out)), cases[i].exit_code);
		assert_non_null(strstr(out, i == 4 ? "NOTE [stale-slot]" :
				       "ERROR ["));
	}
	tmpdir_rm(dir);
}

static int setup(void **state)
{
	(void)state;
	res = malloc(sizeof(*res));
	return res ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	free(res);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean),
		cmocka_unit_test(test_v47_is_read),
		cmocka_unit_test(test_sb_magic),
		cmocka_unit_test(test_sb_version),
		cmocka_unit_test(test_sb_crc),
		cmocka_unit_test(test_sb_field),
		cmocka_unit_test(test_log_truncated),
		cmocka_unit_test(test_log_header),
		cmocka_unit_test(test_entry_crc),
		cmocka_unit_test(test_entry_seqnum),
		cmocka_unit_test(test_entry_invalid),
		cmocka_unit_test(test_extent_outside),
		cmocka_unit_test(test_extent_over_metadata),
		cmocka_unit_test(test_shared_memory),
		cmocka_unit_test(test_duplicate_path),
		cmocka_unit_test(test_missing_parent),
		cmocka_unit_test(test_entry_unreachable),
		cmocka_unit_test(test_device_size_mismatch),
		cmocka_unit_test(test_stale_slot_is_a_note),
		cmocka_unit_test(test_unlogged),
		cmocka_unit_test(test_all_entry_classes_together),
		cmocka_unit_test(test_cli_image),
		cmocka_unit_test(test_cli_classes),
	};

	return cmocka_run_group_tests_name("fsck", tests, setup, teardown);
}
