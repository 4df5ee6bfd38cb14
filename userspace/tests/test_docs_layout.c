// SPDX-License-Identifier: Apache-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * test_docs_layout.c - the documents cannot drift from the headers
 *
 * Documentation/format.md and Documentation/ioctl.md describe every on-media
 * and ioctl structure in tables that this test reads (the convention is at
 * the top of format.md):
 *
 *   ### 3.1 struct famfs_superblock (200 bytes)
 *   | offset | size | field | type | meaning |
 *   | 0 | 8 | `ts_magic` | u64 | ... |
 *
 *   ## Appendix A. Constants
 *   | name | value | meaning |
 *   | `FAMFS_SUPER_MAGIC` | 0x87b282ff | ... |
 *
 * Every struct size, member offset and member size in those tables is
 * compared with sizeof/offsetof from famfs_format.h and famfs_ioctl.h, every
 * constant with its macro; every member this file knows must be documented,
 * every row must name a known member, and the rows of a struct must cover
 * each of its bytes. The fsck problem classes table of admin.md must list
 * exactly the names famfs_fsck_class_name() gives. The documents are found
 * in $FAMFS_DOCDIR, or in Documentation/ at the top of the source tree.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/famfs_ioctl.h>

#include "testutil.h"

/* ------------------------------------------------ what the headers say */

struct doc_struct {
	const char *name;
	size_t size;
	const char *doc;	/* the document that must describe it */
	bool seen;
};

struct doc_field {
	const char *st;
	const char *name;
	size_t off, size;
	bool seen;
};

struct doc_const {
	const char *name;
	unsigned long long val;
	bool seen;
};

#define S(T, doc)	{ #T, sizeof(struct T), doc, false }
#define F(T, f)		{ #T, #f, offsetof(struct T, f), \
			  sizeof(((struct T *)0)->f), false }
#define C(n)		{ #n, (unsigned long long)(n), false }

static struct doc_struct structs[] = {
	S(famfs_superblock, "format.md"),
	S(famfs_daxdev, "format.md"),
	S(famfs_log, "format.md"),
	S(famfs_log_entry, "format.md"),
	S(famfs_log_file_meta, "format.md"),
	S(famfs_log_mkdir, "format.md"),
	S(famfs_log_daxdev, "format.md"),
	S(famfs_log_fmap, "format.md"),
	S(famfs_simple_extent, "format.md"),
	S(famfs_interleaved_ext, "format.md"),
	S(famfs_ioc_simple_extent, "ioctl.md"),
	S(famfs_ioc_interleaved_ext, "ioctl.md"),
	S(famfs_ioc_fmap, "ioctl.md"),
	S(famfs_ioc_get_fmap, "ioctl.md"),
	S(famfs_extent, "ioctl.md"),
	S(famfs_ioc_map, "ioctl.md"),
};

static struct doc_field fields[] = {
	F(famfs_superblock, ts_magic),
	F(famfs_superblock, ts_version),
	F(famfs_superblock, ts_log_offset),
	F(famfs_superblock, ts_log_len),
	F(famfs_superblock, ts_alloc_unit),
	F(famfs_superblock, ts_omf_ver_major),
	F(famfs_superblock, ts_omf_ver_minor),
	F(famfs_superblock, ts_uuid),
	F(famfs_superblock, ts_dev_uuid),
	F(famfs_superblock, ts_system_uuid),
	F(famfs_superblock, ts_crc),
	F(famfs_superblock, ts_sb_flags),
	F(famfs_superblock, ts_pad0),
	F(famfs_superblock, ts_daxdev),
	F(famfs_superblock, ts_daxdev.dd_size),
	F(famfs_superblock, ts_daxdev.dd_uuid),
	F(famfs_superblock, ts_daxdev.dd_daxdev),

	F(famfs_daxdev, dd_size),
	F(famfs_daxdev, dd_uuid),
	F(famfs_daxdev, dd_daxdev),

	F(famfs_log, magic),
	F(famfs_log, len),
	F(famfs_log, last_index),
	F(famfs_log, crc),
	F(famfs_log, next_seqnum),
	F(famfs_log, next_index),

	F(famfs_log_entry, seqnum),
	F(famfs_log_entry, type),
	F(famfs_log_entry, pad0),
	F(famfs_log_entry, file),
	F(famfs_log_entry, mkdir),
	F(famfs_log_entry, daxdev),
	F(famfs_log_entry, crc),

	F(famfs_log_file_meta, fm_size),
	F(famfs_log_file_meta, fm_flags),
	F(famfs_log_file_meta, fm_uid),
	F(famfs_log_file_meta, fm_gid),
	F(famfs_log_file_meta, fm_mode),
	F(famfs_log_file_meta, fm_relpath),
	F(famfs_log_file_meta, fm_fmap),

	F(famfs_log_mkdir, md_uid),
	F(famfs_log_mkdir, md_gid),
	F(famfs_log_mkdir, md_mode),
	F(famfs_log_mkdir, md_relpath),

	F(famfs_log_daxdev, dd_size),
	F(famfs_log_daxdev, dd_uuid),
	F(famfs_log_daxdev, dd_index),
	F(famfs_log_daxdev, dd_pad0),

	F(famfs_log_fmap, fmap_ext_type),
	F(famfs_log_fmap, fmap_pad0),
	F(famfs_log_fmap, fmap_nextents),
	F(famfs_log_fmap, fmap_pad1),
	F(famfs_log_fmap, se),
	F(famfs_log_fmap, fmap_niext),
	F(famfs_log_fmap, fmap_pad2),
	F(famfs_log_fmap, ie),

	F(famfs_simple_extent, se_devindex),
	F(famfs_simple_extent, se_offset),
	F(famfs_simple_extent, se_len),

	F(famfs_interleaved_ext, ie_nstrips),
	F(famfs_interleaved_ext, ie_chunk_size),
	F(famfs_interleaved_ext, ie_strips),

	F(famfs_ioc_simple_extent, devindex),
	F(famfs_ioc_simple_extent, offset),
	F(famfs_ioc_simple_extent, len),

	F(famfs_ioc_interleaved_ext, ie_nstrips),
	F(famfs_ioc_interleaved_ext, ie_chunk_size),
	F(famfs_ioc_interleaved_ext, ie_nbytes),
	F(famfs_ioc_interleaved_ext, ie_strips),

	F(famfs_ioc_fmap, fioc_file_size),
	F(famfs_ioc_fmap, fioc_file_type),
	F(famfs_ioc_fmap, fioc_ext_type),
	F(famfs_ioc_fmap, fioc_nextents),
	F(famfs_ioc_fmap, __pad0),
	F(famfs_ioc_fmap, kse),
	F(famfs_ioc_fmap, fioc_niext),
	F(famfs_ioc_fmap, __pad1),
	F(famfs_ioc_fmap, kie),

	F(famfs_ioc_get_fmap, iocmap),
	F(famfs_ioc_get_fmap, ikse),
	F(famfs_ioc_get_fmap, ks),
	F(famfs_ioc_get_fmap, ks.ikie),
	F(famfs_ioc_get_fmap, ks.kie_strips),

	F(famfs_extent, offset),
	F(famfs_extent, len),

	F(famfs_ioc_map, extent_type),
	F(famfs_ioc_map, file_type),
	F(famfs_ioc_map, file_size),
	F(famfs_ioc_map, ext_list_count),
	F(famfs_ioc_map, ext_list),
};

static struct doc_const consts[] = {
	/* famfs_format.h */
	C(FAMFS_SUPER_MAGIC),
	C(FAMFS_STATFS_MAGIC_V1),
	C(FAMFS_LOG_MAGIC),
	C(FAMFS_VERSION_CURRENT),
	C(FAMFS_VERSION_MIN),
	C(FAMFS_OMF_VER_MAJOR),
	C(FAMFS_OMF_VER_MINOR),
	C(FAMFS_SUPERBLOCK_SIZE),
	C(FAMFS_LOG_OFFSET),
	C(FAMFS_LOG_LEN_DEFAULT),
	C(FAMFS_LOG_LEN_MIN),
	C(FAMFS_ALLOC_UNIT),
	C(FAMFS_MAX_PATHLEN),
	C(FAMFS_DEVNAME_LEN),
	C(FAMFS_MAX_SIMPLE_EXTENTS),
	C(FAMFS_MAX_INTERLEAVED_EXTENTS),
	C(FAMFS_MAX_NSTRIPS),
	C(FAMFS_SUPERBLOCK_MAX_DAXDEVS),
	C(FAMFS_PRIMARY_SB),
	C(FAMFS_SECONDARY_SB),
	C(FAMFS_FM_ALL_HOSTS_RO),
	C(FAMFS_FM_ALL_HOSTS_RW),
	C(FAMFS_LOG_FILE),
	C(FAMFS_LOG_MKDIR),
	C(FAMFS_LOG_DELETE),
	C(FAMFS_LOG_ADD_DAXDEV),
	C(FAMFS_LOG_INVALID),
	C(FAMFS_EXT_SIMPLE),
	C(FAMFS_EXT_INTERLEAVE),
	/* famfs_ioctl.h */
	C(FAMFS_KABI_VERSION),
	C(FAMFS_STATFS_MAGIC),
	C(FAMFS_MAX_EXTENTS),
	C(FAMFS_MAX_STRIPS),
	C(FAMFS_IOC_MAX_INTERLEAVED_EXTENTS),
	C(FAMFS_REG),
	C(FAMFS_SUPERBLOCK),
	C(FAMFS_LOG),
	C(FAMFS_IOC_EXT_SIMPLE),
	C(FAMFS_IOC_EXT_INTERLEAVE),
	C(SIMPLE_DAX_EXTENT),
	C(INTERLEAVED_EXTENT),
	C(FAMFSIOC_MAGIC),
	C(FAMFSIOC_MAP_CREATE),
	C(FAMFSIOC_MAP_GET),
	C(FAMFSIOC_MAP_GETEXT),
	C(FAMFSIOC_NOP),
	C(FAMFSIOC_MAP_CREATE_V2),
	C(FAMFSIOC_MAP_GET_V2),
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------- checker */

struct checker {
	const char *doc;	/* basename, for messages and doc_struct.doc */
	unsigned int errors;
	unsigned int rows;	/* struct rows and constant rows compared */
	/* the struct in scope */
	struct doc_struct *st;
	unsigned char *cover;
	unsigned int st_line;
	bool consts;
};

static void problem(struct checker *c, unsigned int line, const char *fmt,
		    ...) __attribute__((format(printf, 3, 4)));

static void problem(struct checker *c, unsigned int line, const char *fmt,
		    ...)
{
	va_list ap;

	fprintf(stderr, "%s:%u: ", c->doc, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	c->errors++;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

/* a cell that is exactly one number (decimal or 0x hex) */
static bool number(const char *s, unsigned long long *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return !errno && *end == '\0';
}

/* `name` -> name, in place; NULL if the cell is not one quoted name */
static char *quoted(char *s)
{
	size_t n = strlen(s);

	if (n < 3 || s[0] != '`' || s[n - 1] != '`')
		return NULL;
	s[n - 1] = '\0';
	return s + 1;
}

/* end the scope of a struct table: every byte described? */
static void struct_end(struct checker *c)
{
	size_t i, hole = 0, nholes = 0;

	if (!c->st)
		return;
	for (i = 0; i < c->st->size; i++)
		if (!c->cover[i] && !nholes++)
			hole = i;
	if (nholes)
		problem(c, c->st_line,
			"struct %s: %zu byte(s) no row describes, the first at offset %zu",
			c->st->name, nholes, hole);
	free(c->cover);
	c->cover = NULL;
	c->st = NULL;
}

static void heading(struct checker *c, const char *line, unsigned int ln)
{
	const char *s = strstr(line, "struct ");
	char name[64];
	unsigned long long size;
	size_t i;

	struct_end(c);
	c->consts = strstr(line, "Constants") != NULL;
	if (!s)
		return;
	if (sscanf(s, "struct %63[A-Za-z0-9_] (%llu bytes)", name, &size) != 2) {
		problem(c, ln, "a struct heading must read \"struct NAME (SIZE bytes)\": %s",
			line);
		return;
	}
	for (i = 0; i < N(structs); i++)
		if (!strcmp(structs[i].name, name))
			break;
	if (i == N(structs)) {
		problem(c, ln, "struct %s is not known to this test (add it to test_docs_layout.c)",
			name);
		return;
	}
	c->st = &structs[i];
	c->st_line = ln;
	c->st->seen = true;
	if (strcmp(c->st->doc, c->doc))
		problem(c, ln, "struct %s belongs in %s", name, c->st->doc);
	if (size != c->st->size)
		problem(c, ln, "struct %s is %zu bytes, the document says %llu",
			name, c->st->size, size);
	c->cover = calloc(c->st->size, 1);
	assert_non_null(c->cover);
}

static void struct_row(struct checker *c, char **cell, int ncell,
		       unsigned int ln)
{
	unsigned long long off, size;
	const char *f;
	size_t i;

	if (ncell < 3 || !number(cell[0], &off))
		return;		/* the header or separator row */
	f = quoted(cell[2]);
	if (!number(cell[1], &size) || !f) {
		problem(c, ln, "struct %s: a row must read | offset | size | `field` | ...",
			c->st->name);
		return;
	}
	c->rows++;
	for (i = 0; i < N(fields); i++)
		if (!strcmp(fields[i].st, c->st->name) &&
		    !strcmp(fields[i].name, f))
			break;
	if (i == N(fields)) {
		problem(c, ln, "struct %s has no member %s known to this test",
			c->st->name, f);
		return;
	}
	fields[i].seen = true;
	if (off != fields[i].off)
		problem(c, ln, "%s.%s is at offset %zu, the document says %llu",
			c->st->name, f, fields[i].off, off);
	if (size != fields[i].size)
		problem(c, ln, "%s.%s is %zu bytes, the document says %llu",
			c->st->name, f, fields[i].size, size);
	for (i = off; i < off + size && i < c->st->size; i++)
		c->cover[i] = 1;
}

static void const_row(struct checker *c, char **cell, int ncell,
		      unsigned int ln)
{
	unsigned long long v;
	const char *name;
	size_t i;

	if (ncell < 2 || !(name = quoted(cell[0])))
		return;		/* the header or separator row */
	c->rows++;
	for (i = 0; i < N(consts); i++)
		if (!strcmp(consts[i].name, name))
			break;
	if (i == N(consts)) {
		problem(c, ln, "constant %s is not known to this test", name);
		return;
	}
	consts[i].seen = true;
	if (!number(cell[1], &v))
		problem(c, ln, "%s: the value \"%s\" is not a number", name,
			cell[1]);
	else if (v != consts[i].val)
		problem(c, ln, "%s is 0x%llx (%llu), the document says %s",
			name, consts[i].val, consts[i].val, cell[1]);
}

/* check one document held in @text (modified); returns the error count */
static unsigned int check_text(struct checker *c, char *text)
{
	unsigned int ln = 0;
	bool fence = false;
	char *line, *next;

	for (line = text; line; line = next) {
		char *cell[16];
		int ncell = 0;
		char *p, *bar;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		ln++;
		if (!strncmp(line, "```", 3)) {
			fence = !fence;
			continue;
		}
		if (fence)
			continue;
		if (line[0] == '#') {
			heading(c, line, ln);
			continue;
		}
		if (line[0] != '|' || (!c->st && !c->consts))
			continue;
		for (p = line + 1; ncell < 16 && (bar = strchr(p, '|'));
		     p = bar + 1) {
			*bar = '\0';
			cell[ncell++] = trim(p);
		}
		if (c->st)
			struct_row(c, cell, ncell, ln);
		else
			const_row(c, cell, ncell, ln);
	}
	struct_end(c);
	c->consts = false;
	return c->errors;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* $FAMFS_DOCDIR, or Documentation/ of the tree this file is in */
static char *doc_read(const char *doc, char *path, size_t len)
{
	const char *env = getenv("FAMFS_DOCDIR");
	const char *dirs[] = {
		env && *env ? env : NULL,
		"../Documentation",		/* make -C userspace */
		"Documentation",
	};
	char here[4096], *slash, *text;
	size_t i;

	for (i = 0; i < N(dirs); i++) {
		if (!dirs[i])
			continue;
		snprintf(path, len, "%s/%s", dirs[i], doc);
		text = slurp(path);
		if (text || i == 0)	/* an explicit directory is final */
			return text;
	}
	/* relative to this source file: userspace/tests/ -> ../../ */
	snprintf(here, sizeof(here), "%s", __FILE__);
	slash = strrchr(here, '/');
	if (slash)
		*slash = '\0';
	else
		snprintf(here, sizeof(here), ".");
	snprintf(path, len, "%s/../../Documentation/%s", here, doc);
	return slurp(path);
}

static void check_doc(const char *doc, unsigned int min_rows)
{
	struct checker c = { .doc = doc };
	char path[4200];
	char *text = doc_read(doc, path, sizeof(path));

	if (!text)
		fail_msg("cannot read %s (set FAMFS_DOCDIR to the Documentation directory)",
			 path);
	check_text(&c, text);
	free(text);
	printf("%s: %u table rows compared with the headers, %u problem(s)\n",
	       path, c.rows, c.errors);
	if (c.rows < min_rows)
		fail_msg("%s: only %u rows found; is the table convention intact?",
			 doc, c.rows);
	if (c.errors)
		fail_msg("%s disagrees with the headers in %u place(s) (listed above)",
			 doc, c.errors);
}

/* everything the headers define is documented, each in its document */
static void check_complete(const char *doc)
{
	unsigned int missing = 0;
	size_t i, j;

	for (i = 0; i < N(structs); i++) {
		if (strcmp(structs[i].doc, doc))
			continue;
		if (!structs[i].seen) {
			fprintf(stderr, "%s: no table for struct %s\n", doc,
				structs[i].name);
			missing++;
			continue;
		}
		for (j = 0; j < N(fields); j++)
			if (!strcmp(fields[j].st, structs[i].name) &&
			    !fields[j].seen) {
				fprintf(stderr, "%s: struct %s: no row for %s\n",
					doc, structs[i].name, fields[j].name);
				missing++;
			}
	}
	if (missing)
		fail_msg("%s: %u struct(s) or member(s) undocumented", doc,
			 missing);
}

static void test_format_md(void **state)
{
	(void)state;
	check_doc("format.md", N(consts) / 2);
	check_complete("format.md");
}

static void test_ioctl_md(void **state)
{
	(void)state;
	check_doc("ioctl.md", 30);
	check_complete("ioctl.md");
}

/* every constant appears in one of the two documents */
static void test_consts_complete(void **state)
{
	unsigned int missing = 0;
	size_t i;

	(void)state;
	for (i = 0; i < N(consts); i++)
		if (!consts[i].seen) {
			fprintf(stderr, "constant %s is in no Constants table\n",
				consts[i].name);
			missing++;
		}
	assert_int_equal(missing, 0);
}

/* the checker itself: a wrong number, a hole and an unknown row are found */
static void test_checker_catches(void **state)
{
	char doc[] =
		"# x\n"
		"### 1 struct famfs_simple_extent (24 bytes)\n"
		"| offset | size | field | type | meaning |\n"
		"|---|---|---|---|---|\n"
		"| 0 | 8 | `se_devindex` | u64 | |\n"
		"| 8 | 4 | `se_offset` | u64 | wrong size |\n"
		"| 16 | 8 | `se_nope` | u64 | unknown |\n"
		"## Constants\n"
		"| `FAMFS_ALLOC_UNIT` | 0x100000 | wrong |\n"
		"### 2 struct famfs_log (40 bytes)\n"
		"## end\n";
	struct checker c = { .doc = "format.md" };
	struct doc_field saved[N(fields)];
	struct doc_struct saved_st[N(structs)];
	struct doc_const saved_c[N(consts)];

	(void)state;
	/* do not let this self-test count as documentation */
	memcpy(saved, fields, sizeof(saved));
	memcpy(saved_st, structs, sizeof(saved_st));
	memcpy(saved_c, consts, sizeof(saved_c));
	fprintf(stderr, "(self-test of the checker: the problems below are expected)\n");
	/* se_offset size, se_nope unknown, bytes 12..23 undescribed (hole
	 * report), the constant, famfs_log size 40, and its bytes undescribed */
	assert_int_equal(check_text(&c, doc), 6);
	memcpy(fields, saved, sizeof(saved));
	memcpy(structs, saved_st, sizeof(saved_st));
	memcpy(consts, saved_c, sizeof(saved_c));
}

/*
 * admin.md's table under "fsck problem classes": one row per class, the
 * first `name` of the row's first cell; the same set as fsck.c's names
 */
static void test_admin_fsck_classes(void **state)
{
	bool seen[FAMFS_FSCK_NCLASSES] = { false };
	unsigned int ln = 0, errors = 0, rows = 0;
	bool in_table = false;
	char path[4200], *text, *line, *next;
	int c;

	(void)state;
	text = doc_read("admin.md", path, sizeof(path));
	if (!text)
		fail_msg("cannot read %s", path);
	for (line = text; line; line = next) {
		char *q, *e;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		ln++;
		if (line[0] == '#') {
			in_table = strstr(line, "fsck problem classes") != NULL;
			continue;
		}
		if (!in_table || line[0] != '|')
			continue;
		e = strchr(line + 1, '|');
		if (e)
			*e = '\0';
		q = strchr(line + 1, '`');
		if (!q || !(e = strchr(q + 1, '`')))
			continue;	/* the header or separator row */
		*e = '\0';
		rows++;
		for (c = 0; c < FAMFS_FSCK_NCLASSES; c++)
			if (!strcmp(q + 1, famfs_fsck_class_name(c)))
				break;
		if (c == FAMFS_FSCK_NCLASSES) {
			fprintf(stderr, "admin.md:%u: fsck has no class \"%s\"\n",
				ln, q + 1);
			errors++;
		} else {
			seen[c] = true;
		}
	}
	free(text);
	for (c = 0; c < FAMFS_FSCK_NCLASSES; c++)
		if (!seen[c]) {
			fprintf(stderr, "admin.md: fsck class \"%s\" is not in the table of fsck problem classes\n",
				famfs_fsck_class_name(c));
			errors++;
		}
	printf("%s: %u fsck classes documented, %d known, %u problem(s)\n",
	       path, rows, FAMFS_FSCK_NCLASSES, errors);
	assert_int_equal(errors, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checker_catches),
		cmocka_unit_test(test_format_md),
		cmocka_unit_test(test_ioctl_md),
		cmocka_unit_test(test_consts_complete),
		cmocka_unit_test(test_admin_fsck_classes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
