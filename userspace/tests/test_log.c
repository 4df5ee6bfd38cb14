// SPDX-License-Identifier: Apache-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * test_log.c - append, replay (with a mock play_ops), the writer, images
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

/* a mock instantiation: remembers what was created, EEXIST on repeats */
struct mock {
	char names[64][FAMFS_MAX_PATHLEN];
	int n;
	int fail_at;		/* fail the creation with this ordinal (1-based) */
	bool last_client;
};

static int mock_find(struct mock *k, const char *rel)
{
	int i;

	for (i = 0; i < k->n; i++)
		if (!strcmp(k->names[i], rel))
			return i;
	return -1;
}

static int mock_add(struct mock *k, const char *rel, bool client,
		    struct famfs_problem *p)
{
	k->last_client = client;
	if (mock_find(k, rel) >= 0)
		return -EEXIST;
	if (k->fail_at && k->fail_at == k->n + 1) {
		k->fail_at = 0;
		return famfs_problem_set(p, EIO, -1, NULL, "injected failure");
	}
	snprintf(k->names[k->n++], FAMFS_MAX_PATHLEN, "%s", rel);
	return 0;
}

static int mock_mkdir(void *ctx, const char *rel,
		      const struct famfs_log_mkdir *md, bool client,
		      struct famfs_problem *p)
{
	(void)md;
	return mock_add(ctx, rel, client, p);
}

static int mock_mkfile(void *ctx, const char *rel,
		       const struct famfs_log_file_meta *fm, bool client,
		       struct famfs_problem *p)
{
	(void)fm;
	return mock_add(ctx, rel, client, p);
}

static void mock_ops(struct famfs_play_ops *ops, struct mock *k)
{
	memset(k, 0, sizeof(*k));
	ops->mkdir = mock_mkdir;
	ops->mkfile = mock_mkfile;
	ops->ctx = k;
	ops->exists = NULL;
}

static void test_append_roundtrip(void **state)
{
	const struct famfs_log_entry *e;
	struct famfs_geom g;
	struct timg t;

	(void)state;
	timg_new(&t, GiB, 8 * MiB);
	assert_int_equal(timg_dir(&t, "d"), 0);
	assert_int_equal(timg_file(&t, "d/f", 5000, 10 * MiB, 2 * MiB), 1);
	assert_int_equal(timg_file(&t, "g", 3 * MiB, 12 * MiB, 4 * MiB), 2);
	assert_int_equal(t.m.log->next_index, 3);
	assert_int_equal(t.m.log->next_seqnum, 3);

	famfs_sb_geom(t.m.sb, &g);
	assert_int_equal(famfs_log_entry_get(t.m.log, 1, &g, &e, NULL), 0);
	assert_int_equal(e->seqnum, 1);
	assert_int_equal(e->type, FAMFS_LOG_FILE);
	assert_string_equal(e->file.fm_relpath, "d/f");
	assert_int_equal(e->file.fm_size, 5000);
	assert_int_equal(e->file.fm_flags, FAMFS_FM_ALL_HOSTS_RW);
	assert_int_equal(e->file.fm_fmap.se[0].se_offset, 10 * MiB);
	assert_int_equal(famfs_log_entry_get(t.m.log, 3, &g, &e, NULL), -ENOENT);
	/* the header CRC covers only the immutable fields */
	assert_int_equal(famfs_log_check(t.m.log, 8 * MiB, NULL), 0);
	timg_free(&t);
}

static void test_append_flushes_only_its_lines(void **state)
{
	struct timg t;
	uint64_t before;

	(void)state;
	timg_new(&t, GiB, 8 * MiB);
	before = t.m.flushed_bytes;
	timg_file(&t, "a", 1, 10 * MiB, 2 * MiB);
	/* one 544-byte slot + the 16 header bytes, never the 8 MiB log */
	assert_int_equal(t.m.flushed_bytes - before,
			 sizeof(struct famfs_log_entry) + 16);
	timg_free(&t);
}

static void test_log_full(void **state)
{
	struct famfs_log_entry e;
	struct famfs_problem p;
	struct timg t;
	uint64_t i, n = famfs_log_nslots(8 * MiB);
	char name[32];

	(void)state;
	timg_new(&t, GiB, 8 * MiB);
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "d%llu", (unsigned long long)i);
		assert_int_equal(famfs_entry_mkdir(&e, name, 0755, 0, 0, NULL), 0);
		assert_int_equal(famfs_log_append(&t.m, &e, NULL), (int64_t)i);
	}
	assert_int_equal(famfs_entry_mkdir(&e, "one-more", 0755, 0, 0, NULL), 0);
	assert_int_equal(famfs_log_append(&t.m, &e, &p), -ENOSPC);
	assert_non_null(strstr(p.msg, "log full"));
	assert_int_equal(t.m.log->next_index, 15420);
	timg_free(&t);
}

static void test_replay_bad_crc_reports_index(void **state)
{
	struct famfs_play_stats st;
	struct famfs_play_ops ops;
	struct famfs_problem p;
	struct mock k;
	struct timg t;

	(void)state;
	timg_new(&t, GiB, 8 * MiB);
	timg_dir(&t, "a");
	timg_file(&t, "a/1", 1, 10 * MiB, 2 * MiB);
	timg_file(&t, "a/2", 1, 12 * MiB, 2 * MiB);
	timg_file(&t, "a/3", 1, 14 * MiB, 2 * MiB);
	timg_file(&t, "a/4", 1, 16 * MiB, 2 * MiB);
	t.m.log->entries[3].file.fm_size = 2;	/* bit rot in entry 3 */

	mock_ops(&ops, &k);
	assert_int_equal(famfs_logplay(&t.m, &ops, 0, NULL, &st, &p), -EBADMSG);
	assert_int_equal(st.bad_index, 3);
	assert_int_equal(p.index, 3);
	assert_string_equal(p.field, "famfs_log_entry_crc");
	/* the entries before it were played */
	assert_int_equal(k.n, 3);
	assert_int_equal(st.dirs_created, 1);
	assert_int_equal(st.files_created, 2);

	/* a seqnum that does not match its slot */
	t.m.log->entries[3].file.fm_size = 1;
	t.m.log->entries[3].seqnum = 9;
	t.m.log->entries[3].crc = famfs_entry_crc(&t.m.log->entries[3]);
	assert_int_equal(famfs_logplay(&t.m, &ops, 0, NULL, &st, &p), -EILSEQ);
	assert_int_equal(p.index, 3);
	assert_string_equal(p.field, "famfs_log_entry_seqnum");
	timg_free(&t);
}

static void test_replay_incremental(void **state)
{
	struct famfs_play_stats st;
	struct famfs_play_ops ops;
	struct famfs_log_entry e;
	struct mock k;
	struct timg t;

	(void)state;
	timg_new(&t, GiB, 8 * MiB);
	timg_dir(&t, "d");
	timg_file(&t, "d/x", 1, 10 * MiB, 2 * MiB);
	mock_ops(&ops, &k);
	assert_int_equal(famfs_logplay(&t.m, &ops, FAMFS_PLAY_CLIENT, NULL,
				       &st, NULL), 0);
	assert_true(k.last_client);
	assert_int_equal(st.files_created + st.dirs_created, 2);

	/* the master appends; a second replay creates only the new entry */
	timg_file(&t, "d/y", 1, 12 * MiB, 2 * MiB);
	memset(&e, 0, sizeof(e));
	e.type = FAMFS_LOG_ADD_DAXDEV;
	assert_int_equal(famfs_log_append(&t.m, &e, NULL), 3);
	assert_int_equal(famfs_logplay(&t.m, &ops, 0, NULL, &st, NULL), 0);
	assert_int_equal(st.files_created, 1);
	assert_int_equal(st.files_existed, 1);
	assert_int_equal(st.dirs_existed, 1);
	assert_int_equal(st.skipped, 1);

	/* a creation failure is counted, replay goes on, then -EIO */
	timg_file(&t, "z1", 1, 14 * MiB, 2 * MiB);
	timg_file(&t, "z2", 1, 16 * MiB, 2 * MiB);
	k.fail_at = k.n + 1;
	assert_int_equal(famfs_logplay(&t.m, &ops, 0, NULL, &st, NULL), -EIO);
	assert_int_equal(st.errors, 1);
	assert_int_equal(st.files_created, 1);
	assert_int_equal(mock_find(&k, "z2") >= 0, 1);

	/* dry run creates nothing */
	k.n = 0;
	assert_int_equal(famfs_logplay(&t.m, &ops, FAMFS_PLAY_DRYRUN, NULL,
				       &st, NULL), 0);
	assert_int_equal(k.n, 0);
	assert_int_equal(st.files_created, 4);
	timg_free(&t);
}

/* a valid CRC but a broken rule: every host skips it and goes on */
static void test_replay_skips_broken_rules_and_goes_on(void **state)
{
	struct famfs_play_stats st;
	struct famfs_play_ops ops;
	struct famfs_problem p;
	struct mock k;
	struct timg t;
	int client;

	(void)state;
	timg_new(&t, 64 * MiB, 8 * MiB);
	timg_dir(&t, "d");					/* 0 */
	timg_file(&t, "d/a", 1, 10 * MiB, 2 * MiB);		/* 1 */
	timg_file(&t, "d/a", 1, 12 * MiB, 2 * MiB);		/* 2 dup */
	timg_file(&t, "nodir/x", 1, 14 * MiB, 2 * MiB);	/* 3 parent */
	timg_file(&t, "past-end", 1, 64 * MiB, 2 * MiB);	/* 4 outside */
	timg_file(&t, "thief", 1, 10 * MiB, 2 * MiB);		/* 5 shared */
	timg_file(&t, "d/b", 1, 16 * MiB, 2 * MiB);		/* 6 */
	/* the same on the master and on a client */
	for (client = 0; client < 2; client++) {
		mock_ops(&ops, &k);
		assert_int_equal(famfs_logplay(&t.m, &ops, client ?
					       FAMFS_PLAY_CLIENT : 0, NULL,
					       &st, &p), -EUCLEAN);
		assert_int_equal(st.bad_index, -1);
		assert_int_equal(st.rejected, 4);
		assert_int_equal(st.dirs_created, 1);
		assert_int_equal(st.files_created, 2);
		assert_int_equal(k.n, 3);
		assert_true(mock_find(&k, "d/b") >= 0);
		assert_true(mock_find(&k, "thief") < 0);
	}
	timg_free(&t);
}

/*
 * A host without coherent caches: what the reader sees ("cache") starts
 * out stale and becomes the truth ("memory") only for the ranges it
 * invalidates. A reader that parses a line it did not invalidate reads
 * garbage.
 */
struct stale {
	char *cache, *memory;
	size_t len;
};

static void refetch(void *ctx, const void *addr, size_t len)
{
	struct stale *s = ctx;
	size_t off = (size_t)((const char *)addr - s->cache);

	assert_true(off < s->len && len <= s->len - off);
	memcpy(s->cache + off, s->memory + off, len);
}

static void stale_image(struct timg *t, struct stale *s, struct famfs_meta *m)
{
	struct famfs_problem p;

	timg_new(t, 64 * MiB, 8 * MiB);
	timg_dir(t, "d");
	timg_file(t, "d/a", 1, 10 * MiB, 2 * MiB);
	timg_file(t, "b", 1, 12 * MiB, 2 * MiB);
	s->len = t->len;
	s->memory = t->buf;
	s->cache = malloc(t->len);
	assert_non_null(s->cache);
	memset(s->cache, 0xaa, t->len);		/* every line stale */
	assert_int_equal(famfs_meta_from_buffer(m, s->cache, s->len, 8 * MiB,
						&p), 0);
	m->invalidate_hook = refetch;
	m->hook_ctx = s;
}

static void stale_reset(struct stale *s)
{
	memset(s->cache, 0xaa, s->len);
}

static void test_readers_invalidate_every_line(void **state)
{
	struct famfs_fsck_result *r = malloc(sizeof(*r));
	struct famfs_bucket_stat b[2];
	struct famfs_alloc_stats ast;
	struct famfs_play_stats st;
	struct famfs_play_ops ops;
	struct famfs_space sp;
	struct famfs_meta m;
	struct stale s;
	struct mock k;
	struct timg t;

	(void)state;
	assert_non_null(r);
	stale_image(&t, &s, &m);

	assert_int_equal(famfs_fsck(&m, r), 0);
	assert_int_equal(r->errors, 0);
	assert_int_equal(r->files, 2);

	stale_reset(&s);
	mock_ops(&ops, &k);
	assert_int_equal(famfs_logplay(&m, &ops, FAMFS_PLAY_DRYRUN, NULL, &st,
				       NULL), 0);
	assert_int_equal(st.files_created, 2);

	stale_reset(&s);
	assert_int_equal(famfs_logplay(&m, &ops, 0, NULL, &st, NULL), 0);
	assert_int_equal(k.n, 3);

	stale_reset(&s);
	assert_int_equal(famfs_space_get(&m, &sp, &ast), 0);
	assert_int_equal(ast.files, 2);
	assert_int_equal(sp.used_bytes, 14 * MiB);

	stale_reset(&s);
	assert_int_equal(famfs_bucket_stats_get(&m, 2, b), 0);
	assert_int_equal(b[0].used_bytes, 14 * MiB);

	/* the writer, too, reads the log before it appends */
	stale_reset(&s);
	timg_file(&t, "c", 1, 14 * MiB, 2 * MiB);	/* another writer */
	{
		struct famfs_writer w = { 0 };
		struct famfs_log_fmap fm;
		struct famfs_problem p;

		w.m = &m;
		assert_int_equal(famfs_writer_mkfile(&w, "e", 1, 0644, 0, 0,
						     &fm, &p), 0);
		assert_int_equal(fm.se[0].se_offset, 16 * MiB);
		famfs_writer_done(&w);
	}
	famfs_meta_close(&m);
	free(s.cache);
	timg_free(&t);
	free(r);
}

static void test_writer(void **state)
{
	struct famfs_log_fmap fm;
	struct famfs_play_ops ops;
	struct famfs_writer w = { 0 };
	struct famfs_problem p;
	struct mock k;
	struct timg t;
	char rel[100];

	(void)state;
	timg_new(&t, 64 * MiB, 8 * MiB);	/* data: [10 MiB, 64 MiB) */
	mock_ops(&ops, &k);
	w.m = &t.m;
	w.ops = &ops;
	assert_int_equal(famfs_writer_mkdir(&w, "dir", 0755, 1, 2, &p), 0);
	assert_int_equal(famfs_writer_mkfile(&w, "dir/a", 3 * MiB, 0644, 1, 2,
					     &fm, &p), 0);
	assert_int_equal(fm.se[0].se_offset, 10 * MiB);	/* first fit */
	assert_int_equal(fm.se[0].se_len, 4 * MiB);
	assert_int_equal(famfs_writer_mkfile(&w, "dir/empty", 0, 0644, 1, 2,
					     &fm, &p), 0);
	assert_int_equal(fm.se[0].se_offset, 14 * MiB);
	assert_int_equal(fm.se[0].se_len, 2 * MiB);
	assert_int_equal(k.n, 3);
	assert_int_equal(t.m.log->entries[1].file.fm_uid, 1);

	/* too long a path: refused, nothing logged or allocated */
	memset(rel, 'n', sizeof(rel));
	rel[90] = '\0';
	assert_int_equal(famfs_writer_mkfile(&w, rel, 1, 0644, 0, 0, &fm, &p),
			 -ENAMETOOLONG);
	assert_int_equal(t.m.log->next_index, 3);

	/* 48 MiB left in one run: 50 MiB does not fit */
	assert_int_equal(famfs_writer_mkfile(&w, "big", 50 * MiB, 0644, 0, 0,
					     &fm, &p), -ENOSPC);
	assert_int_equal(t.m.log->next_index, 3);
	assert_int_equal(famfs_writer_mkfile(&w, "fits", 48 * MiB, 0644, 0, 0,
					     &fm, &p), 0);
	famfs_writer_done(&w);

	/* a new session rebuilds the bitmap from the log: still full */
	assert_int_equal(famfs_writer_mkfile(&w, "more", 1, 0644, 0, 0, &fm,
					     &p), -ENOSPC);
	famfs_writer_done(&w);
	timg_free(&t);
}

static void test_master_check(void **state)
{
	char dir[256], path[300];
	struct famfs_problem p;
	famfs_uuid_t u;
	struct timg t;

	(void)state;
	tmpdir_new(dir, sizeof(dir));
	timg_new(&t, GiB, 8 * MiB);
	snprintf(path, sizeof(path), "%s/system_uuid", dir);
	/* a random UUID: this host is a client of test_master_uuid */
	assert_int_equal(famfs_system_uuid(path, true, u, &p), 0);
	assert_int_equal(famfs_role(t.m.sb, path, NULL), FAMFS_ROLE_CLIENT);
	assert_int_equal(famfs_writer_check_master(t.m.sb, path, &p), -EPERM);
	assert_non_null(strstr(p.msg, "this host is a client"));
	assert_non_null(strstr(p.msg, "11223344-5566-4788-99aa-bbccddeeff01"));

	/* record our UUID as the master's: now we are the master */
	memcpy(t.m.sb->ts_system_uuid, u, sizeof(u));
	assert_int_equal(famfs_writer_check_master(t.m.sb, path, &p), 0);
	timg_free(&t);
	tmpdir_rm(dir);
}

static void test_image_file(void **state)
{
	struct famfs_mkfs_params mp = { .dev_size = 32 * MiB, .log_len = 8 * MiB };
	char dir[256], path[300];
	struct famfs_problem p;
	struct famfs_meta m;
	struct famfs_fsck_result *r = malloc(sizeof(*r));
	struct famfs_log_entry e;
	struct famfs_simple_extent se = { 0, 10 * MiB, 2 * MiB };
	int fd;

	(void)state;
	tmpdir_new(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/img", dir);
	fd = open(path, O_RDWR | O_CREAT, 0600);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, 32 * MiB), 0);
	close(fd);

	/* no superblock yet: opening for use fails, mkfs works */
	assert_int_equal(famfs_meta_open_image(&m, path, 0, 0, &p), -ENODATA);
	assert_int_equal(famfs_meta_open_image(&m, path, FAMFS_META_WRITE |
					       FAMFS_META_NOCHECK, 8 * MiB, &p), 0);
	assert_int_equal(famfs_mkfs(&m, &mp, false, &p), 0);
	famfs_meta_close(&m);

	assert_int_equal(famfs_meta_open_image(&m, path, FAMFS_META_WRITE |
					       FAMFS_META_NOCHECK, 8 * MiB, &p), 0);
	assert_int_equal(famfs_mkfs(&m, &mp, false, &p), -EEXIST);	/* needs -f */
	famfs_meta_close(&m);

	assert_int_equal(famfs_meta_open_image(&m, path, FAMFS_META_WRITE |
					       FAMFS_META_LOCK, 0, &p), 0);
	assert_int_equal(famfs_entry_file(&e, "f", 1, 0644, 0, 0, &se, 1, &p), 0);
	assert_int_equal(famfs_log_append(&m, &e, &p), 0);
	famfs_meta_close(&m);

	assert_int_equal(famfs_meta_open_image(&m, path, 0, 0, &p), 0);
	assert_int_equal(m.log->next_index, 1);
	assert_int_equal(famfs_fsck(&m, r), 0);
	assert_int_equal(r->errors, 0);
	assert_int_equal(r->files, 1);
	famfs_meta_close(&m);

	assert_int_equal(famfs_meta_open_image(&m, path, FAMFS_META_WRITE, 0, &p), 0);
	assert_int_equal(famfs_kill_sb(&m, &p), 0);
	famfs_meta_close(&m);
	assert_int_equal(famfs_meta_open_image(&m, path, 0, 0, &p), -ENODATA);
	free(r);
	tmpdir_rm(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_append_roundtrip),
		cmocka_unit_test(test_append_flushes_only_its_lines),
		cmocka_unit_test(test_log_full),
		cmocka_unit_test(test_replay_bad_crc_reports_index),
		cmocka_unit_test(test_replay_incremental),
		cmocka_unit_test(test_replay_skips_broken_rules_and_goes_on),
		cmocka_unit_test(test_readers_invalidate_every_line),
		cmocka_unit_test(test_writer),
		cmocka_unit_test(test_master_check),
		cmocka_unit_test(test_image_file),
	};

	return cmocka_run_group_tests_name("log", tests, NULL, NULL);
}
