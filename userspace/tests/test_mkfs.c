// SPDX-License-Identifier: Apache-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * test_mkfs.c - what mkfs refuses without -f and what it erases
 *: any famfs superblock, any signature libblkid finds, the whole
 * old log
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

#define IMG_SIZE	(64 * MiB)

static char dir[256], img[300];

static int setup(void **state)
{
	(void)state;
	tmpdir_new(dir, sizeof(dir));
	snprintf(img, sizeof(img), "%s/img", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tmpdir_rm(dir);
	return 0;
}

/* a famfs image file with "d" logged and junk after the log's last entry */
static void famfs_image(void)
{
	struct famfs_mkfs_params mp = {
		.dev_size = IMG_SIZE, .log_len = 8 * MiB, .devname = "img",
	};
	struct famfs_log_entry e;
	struct famfs_problem p;
	struct famfs_meta m;
	int fd;

	unlink(img);
	fd = open(img, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, IMG_SIZE), 0);
	close(fd);
	memcpy(mp.system_uuid, test_master_uuid, sizeof(famfs_uuid_t));
	assert_int_equal(famfs_meta_open_image(&m, img, FAMFS_META_WRITE |
					       FAMFS_META_NOCHECK, 8 * MiB,
					       &p), 0);
	assert_int_equal(famfs_mkfs(&m, &mp, false, &p), 0);
	assert_int_equal(famfs_entry_mkdir(&e, "d", 0755, 0, 0, &p), 0);
	assert_int_equal(famfs_log_append(&m, &e, &p), 0);
	famfs_meta_close(&m);
}

/* mkfs without -f on @img as it is now: the errno, and the message in @p */
static int mkfs_noforce(struct famfs_problem *p)
{
	struct famfs_mkfs_params mp = {
		.dev_size = IMG_SIZE, .log_len = 8 * MiB, .devname = "img",
	};
	struct famfs_meta m;
	int rc;

	memset(p, 0, sizeof(*p));
	assert_int_equal(famfs_meta_open_image(&m, img, FAMFS_META_WRITE |
					       FAMFS_META_NOCHECK, 8 * MiB,
					       p), 0);
	rc = famfs_mkfs(&m, &mp, false, p);
	famfs_meta_close(&m);
	return rc;
}

/* rewrite the superblock's version (and, if @reseal, its CRC) */
static void sb_poke(uint64_t version, bool reseal)
{
	struct famfs_superblock sb;
	int fd = open(img, O_RDWR | O_CLOEXEC);

	assert_true(fd >= 0);
	assert_int_equal(pread(fd, &sb, sizeof(sb), 0), sizeof(sb));
	sb.ts_version = version;
	if (reseal)
		sb.ts_crc = famfs_sb_crc(&sb);
	assert_int_equal(pwrite(fd, &sb, sizeof(sb), 0), sizeof(sb));
	close(fd);
}

static void test_mkfs_refuses_any_famfs_superblock(void **state)
{
	struct famfs_problem p;

	(void)state;
	famfs_image();
	assert_int_equal(mkfs_noforce(&p), -EEXIST);
	assert_string_equal(p.field, "ts_magic");
	assert_non_null(strstr(p.msg, "a famfs file system (superblock version 48"));
	/* the other version this famfs reads */
	sb_poke(47, true);
	assert_int_equal(mkfs_noforce(&p), -EEXIST);
	assert_non_null(strstr(p.msg, "version 47"));
	/* a version nobody reads */
	sb_poke(99, true);
	assert_int_equal(mkfs_noforce(&p), -EEXIST);
	assert_non_null(strstr(p.msg, "a famfs superblock (version 99"));
	assert_non_null(strstr(p.msg, "does not check"));
	/* a bad CRC */
	sb_poke(48, false);
	sb_poke(48, true);
	{
		int fd = open(img, O_RDWR | O_CLOEXEC);
		char x = 0x5a;

		assert_true(fd >= 0);
		/* a byte of the fs uuid, inside the CRC */
		assert_int_equal(pwrite(fd, &x, 1, 50), 1);
		close(fd);
	}
	assert_int_equal(mkfs_noforce(&p), -EEXIST);
	assert_non_null(strstr(p.msg, "CRC mismatch"));
}

static void test_mkfs_accepts_blank(void **state)
{
	struct famfs_problem p;
	int fd;

	(void)state;
	unlink(img);
	fd = open(img, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, IMG_SIZE), 0);
	close(fd);
	assert_int_equal(mkfs_noforce(&p), 0);
	/* and what famfs_mkfs() made is refused next time */
	assert_int_equal(mkfs_noforce(&p), -EEXIST);
}

/* with or without -f: every slot of the old log and the sb padding zeroed */
static void test_mkfs_zeroes_whole_log(void **state)
{
	struct famfs_mkfs_params mp = {
		.dev_size = IMG_SIZE, .log_len = 8 * MiB, .devname = "img",
	};
	unsigned char *buf = malloc(FAMFS_LOG_OFFSET + 8 * MiB);
	struct famfs_log_entry *slot;
	struct famfs_problem p;
	struct famfs_meta m;
	size_t i;

	(void)state;
	assert_non_null(buf);
	famfs_image();
	/* junk: a valid-looking entry far past next_index, bytes in the
	 * superblock padding */
	assert_int_equal(famfs_meta_open_image(&m, img, FAMFS_META_WRITE, 0,
					       &p), 0);
	slot = &m.log->entries[1000];
	*slot = m.log->entries[0];
	slot->seqnum = 1000;
	slot->crc = famfs_entry_crc(slot);
	memset((char *)m.sb + 4096, 0xee, 512);
	memcpy(mp.system_uuid, test_master_uuid, sizeof(famfs_uuid_t));
	assert_int_equal(famfs_mkfs(&m, &mp, true, &p), 0);
	famfs_meta_close(&m);

	i = 0;
	{
		int fd = open(img, O_RDONLY | O_CLOEXEC);

		assert_true(fd >= 0);
		assert_int_equal(pread(fd, buf, FAMFS_LOG_OFFSET + 8 * MiB, 0),
				 FAMFS_LOG_OFFSET + 8 * MiB);
		close(fd);
	}
	for (i = sizeof(struct famfs_superblock); i < FAMFS_LOG_OFFSET; i++)
		if (buf[i])
			fail_msg("superblock region byte %zu is 0x%x", i, buf[i]);
	for (i = FAMFS_LOG_OFFSET + sizeof(struct famfs_log);
	     i < FAMFS_LOG_OFFSET + 8 * MiB; i++)
		if (buf[i])
			fail_msg("log byte %zu is 0x%x", i - FAMFS_LOG_OFFSET,
				 buf[i]);
	free(buf);
}

/* run a shell command; skip the test when the tool is missing (77) */
static void sh(const char *fmt, const char *arg)
{
	char cmd[1024];
	int rc;

	snprintf(cmd, sizeof(cmd), fmt, arg, arg);
	rc = system(cmd);
	if (WIFEXITED(rc) && WEXITSTATUS(rc) == 77)
		skip();
	assert_int_equal(rc, 0);
}

static void test_sig_probe_finds_ext4(void **state)
{
	struct famfs_problem p;
	char found[512];

	(void)state;
	unlink(img);
	sh("PATH=$PATH:/sbin:/usr/sbin; command -v mkfs.ext4 >/dev/null || exit 77; "
	   "truncate -s 64M %s && mkfs.ext4 -q -F -L famfstest %s", img);
	assert_int_equal(famfs_sig_probe(img, -1, found, sizeof(found), &p), 1);
	assert_non_null(strstr(found, "ext4 file system (label \"famfstest\""));
}

static void test_sig_probe_finds_swap(void **state)
{
	struct famfs_problem p;
	char found[512];

	(void)state;
	unlink(img);
	sh("PATH=$PATH:/sbin:/usr/sbin; command -v mkswap >/dev/null || exit 77; "
	   "truncate -s 64M %s && mkswap -q %s", img);
	assert_int_equal(famfs_sig_probe(img, -1, found, sizeof(found), &p), 1);
	assert_non_null(strstr(found, "swap"));
}

/* a hand-made MBR with one partition: "dos partition table" */
static void test_sig_probe_finds_partition_table(void **state)
{
	unsigned char mbr[512] = { 0 };
	struct famfs_problem p;
	char found[512];
	int fd;

	(void)state;
	mbr[446 + 4] = 0x83;			/* Linux */
	mbr[446 + 8] = 0x00, mbr[446 + 9] = 0x08;	/* start LBA 2048 */
	mbr[446 + 12] = 0x00, mbr[446 + 13] = 0x80;	/* 32768 sectors */
	mbr[510] = 0x55, mbr[511] = 0xaa;
	unlink(img);
	fd = open(img, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, IMG_SIZE), 0);
	assert_int_equal(pwrite(fd, mbr, sizeof(mbr), 0), sizeof(mbr));
	close(fd);
	assert_int_equal(famfs_sig_probe(img, -1, found, sizeof(found), &p), 1);
	assert_string_equal(found, "dos partition table");
	/* the same through a descriptor (the dax path copies into a memfd) */
	fd = open(img, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(famfs_sig_probe("copy", fd, found, sizeof(found), &p), 1);
	assert_string_equal(found, "dos partition table");
	close(fd);
}

/* a blank image and a famfs image: libblkid finds nothing (famfs is ours) */
static void test_sig_probe_blank_and_famfs(void **state)
{
	struct famfs_problem p;
	char found[512];

	(void)state;
	famfs_image();
	assert_int_equal(famfs_sig_probe(img, -1, found, sizeof(found), &p), 0);
	assert_string_equal(found, "");
	unlink(img);
	assert_int_equal(famfs_sig_probe(img, -1, found, sizeof(found), &p),
			 -ENOENT);
}

/* mkfs -f: the wipefs loop leaves nothing libblkid finds */
static void test_sig_wipe(void **state)
{
	struct famfs_problem p;
	char found[512];

	(void)state;
	unlink(img);
	sh("PATH=$PATH:/sbin:/usr/sbin; command -v mkfs.ext4 >/dev/null || exit 77; "
	   "truncate -s 64M %s && mkfs.ext4 -q -F %s", img);
	assert_int_equal(famfs_sig_wipe(img, found, sizeof(found), &p), 1);
	assert_non_null(strstr(found, "ext4"));
	assert_int_equal(famfs_sig_probe(img, -1, found, sizeof(found), &p), 0);
	assert_int_equal(famfs_sig_wipe(img, found, sizeof(found), &p), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mkfs_refuses_any_famfs_superblock),
		cmocka_unit_test(test_mkfs_accepts_blank),
		cmocka_unit_test(test_mkfs_zeroes_whole_log),
		cmocka_unit_test(test_sig_probe_finds_ext4),
		cmocka_unit_test(test_sig_probe_finds_swap),
		cmocka_unit_test(test_sig_probe_finds_partition_table),
		cmocka_unit_test(test_sig_probe_blank_and_famfs),
		cmocka_unit_test(test_sig_wipe),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
