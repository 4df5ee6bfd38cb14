// SPDX-License-Identifier: Apache-2.0
/* Copyright (C) 2026 famfs contributors */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "testutil.h"

const famfs_uuid_t test_master_uuid = {
	0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x47, 0x88,
	0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x01,
};

void timg_new(struct timg *t, uint64_t dev_size, uint64_t log_len)
{
	struct famfs_mkfs_params mp = {
		.dev_size = dev_size, .log_len = log_len, .devname = "/dev/test0",
	};
	struct famfs_problem p;

	memcpy(mp.system_uuid, test_master_uuid, sizeof(famfs_uuid_t));
	t->len = FAMFS_LOG_OFFSET + log_len;
	t->buf = calloc(1, t->len);
	assert_non_null(t->buf);
	assert_int_equal(famfs_meta_from_buffer(&t->m, t->buf, t->len, log_len,
						&p), 0);
	assert_int_equal(famfs_mkfs(&t->m, &mp, false, &p), 0);
}

void timg_free(struct timg *t)
{
	famfs_meta_close(&t->m);
	free(t->buf);
	memset(t, 0, sizeof(*t));
}

int64_t tlog_forge(struct famfs_meta *m, const struct famfs_log_entry *e)
{
	uint64_t idx = m->log->next_index;
	struct famfs_log_entry *slot = &m->log->entries[idx];

	assert_true(idx < famfs_log_nslots(m->log_len));
	memcpy(slot, e, sizeof(*slot));
	slot->seqnum = idx;
	slot->crc = famfs_entry_crc(slot);
	famfs_meta_flush(m, slot, sizeof(*slot));
	m->log->next_seqnum = idx + 1;
	m->log->next_index = idx + 1;
	famfs_meta_flush(m, &m->log->next_seqnum, 2 * sizeof(uint64_t));
	return (int64_t)idx;
}

int64_t timg_file(struct timg *t, const char *rel, uint64_t size,
		  uint64_t off, uint64_t len)
{
	struct famfs_simple_extent se = { 0, off, len };
	struct famfs_log_entry e;

	assert_int_equal(famfs_entry_file(&e, rel, size, 0644, 0, 0, &se, 1,
					  NULL), 0);
	return tlog_forge(&t->m, &e);
}

int64_t timg_dir(struct timg *t, const char *rel)
{
	struct famfs_log_entry e;

	assert_int_equal(famfs_entry_mkdir(&e, rel, 0755, 0, 0, NULL), 0);
	return tlog_forge(&t->m, &e);
}

const char *tbin(const char *prog, char *buf, size_t len)
{
	const char *b = getenv("FAMFS_BUILD");

	snprintf(buf, len, "%s/%s", b && *b ? b : "build", prog);
	return buf;
}

void tmpdir_new(char *buf, size_t len)
{
	const char *base = getenv("TMPDIR");

	snprintf(buf, len, "%s/famfs-unit-XXXXXX", base ? base : "/tmp");
	assert_non_null(mkdtemp(buf));
}

void tmpdir_rm(const char *dir)
{
	char cmd[4200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int trun(const char *cmd, char *out, size_t len)
{
	FILE *f = popen(cmd, "r");
	size_t n;

	assert_non_null(f);
	n = fread(out, 1, len - 1, f);
	out[n] = '\0';
	return WEXITSTATUS(pclose(f));
}
