// SPDX-License-Identifier: Apache-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * alloccfg.c - the file system's default interleaving, .meta/.alloc.cfg
 * (Documentation/format.md §7, §11), read by the writers (creat, cp)
 *
 * The reference writes it as YAML:
 *
 *	interleaved_alloc:
 *	  nbuckets: 8
 *	  nstrips: 4
 *	  chunk_size: 2M
 *
 * This reads that subset by hand: block mappings indented with spaces, or
 * the flow form "interleaved_alloc: {nbuckets: 8, nstrips: 4}", "#"
 * comments, "---"/"..." markers, quoted or plain scalars (numbers with
 * K/M/G suffixes, 0x hex). Other top-level keys are skipped with what is
 * indented under them; an unknown key inside interleaved_alloc is an error
 * (a typo must not silently change how memory is allocated).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libfamfs.h"

static char *trim(char *s)
{
	char *e;

	while (*s == ' ')
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* "key: value" inside interleaved_alloc */
static int cfg_pair(char *key, char *val, unsigned int line,
		    struct famfs_interleave *il, struct famfs_problem *p)
{
	size_t n;
	uint64_t v;

	key = trim(key);
	val = trim(val);
	n = strlen(val);
	if (n >= 2 && (val[0] == '"' || val[0] == '\'') && val[n - 1] == val[0]) {
		val[n - 1] = '\0';
		val = trim(val + 1);
	}
	/* the reference's files may hold 0x hex; command lines may not */
	if (val[0] == '0' && (val[1] == 'x' || val[1] == 'X') &&
	    isxdigit((unsigned char)val[2])) {
		char *end;

		errno = 0;
		v = strtoull(val + 2, &end, 16);
		if (errno || *end || v > FAMFS_SIZE_MAX)
			return famfs_problem_set(p, EINVAL, line, key,
				"line %u: '%s' is not a size", line, val);
	} else if (famfs_parse_size(val, &v) < 0)
		return famfs_problem_set(p, EINVAL, line, key,
			"line %u: '%s' is not a number", line, val);
	if (!strcmp(key, "nbuckets") || !strcmp(key, "nstrips")) {
		if (v > UINT32_MAX)
			return famfs_problem_set(p, EINVAL, line, key,
				"line %u: %s %s is too large", line, key, val);
		if (key[1] == 'b')
			il->nbuckets = (uint32_t)v;
		else
			il->nstrips = (uint32_t)v;
	} else if (!strcmp(key, "chunk_size")) {
		il->chunk = v;
	} else {
		return famfs_problem_set(p, EINVAL, line, key,
			"line %u: unknown key '%s' in interleaved_alloc (nbuckets, nstrips, chunk_size)",
			line, key);
	}
	return 0;
}

/* "{a: 1, b: 2}" */
static int cfg_flow(char *s, unsigned int line, struct famfs_interleave *il,
		    struct famfs_problem *p)
{
	size_t n = strlen(s);
	char *save, *tok, *colon;
	int rc;

	if (n < 2 || s[0] != '{' || s[n - 1] != '}')
		return famfs_problem_set(p, EINVAL, line, "interleaved_alloc",
			"line %u: expected a mapping, got '%s'", line, s);
	s[n - 1] = '\0';
	for (tok = strtok_r(s + 1, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (!*trim(tok))
			continue;
		colon = strchr(tok, ':');
		if (!colon)
			return famfs_problem_set(p, EINVAL, line, NULL,
				"line %u: expected key: value, got '%s'",
				line, trim(tok));
		*colon = '\0';
		rc = cfg_pair(tok, colon + 1, line, il, p);
		if (rc)
			return rc;
	}
	return 0;
}

int famfs_alloc_cfg_parse(const char *text, size_t len,
			  struct famfs_interleave *il, struct famfs_problem *p)
{
	char *buf, *save = NULL, *ln, *s, *colon;
	bool in_section = false, found = false;
	unsigned int line = 0;
	int rc = 0;

	memset(il, 0, sizeof(*il));
	buf = malloc(len + 1);
	if (!buf)
		return famfs_problem_set(p, ENOMEM, -1, NULL, "out of memory");
	memcpy(buf, text, len);
	buf[len] = '\0';
	/* strtok_r would skip empty lines and lose the count: walk by hand */
	for (ln = buf; ln && !rc; ln = save) {
		size_t indent;

		line++;
		save = strchr(ln, '\n');
		if (save)
			*save++ = '\0';
		if (ln[strspn(ln, " ")] == '\t') {
			rc = famfs_problem_set(p, EINVAL, line, NULL,
				"line %u: tab in the indentation", line);
			break;
		}
		/* a comment starts a line or follows a blank */
		for (s = ln; (s = strchr(s, '#')); s++)
			if (s == ln || isspace((unsigned char)s[-1])) {
				*s = '\0';
				break;
			}
		indent = strspn(ln, " ");
		s = trim(ln);
		if (!*s)
			continue;
		if (indent == 0 && (!strcmp(s, "---") || !strcmp(s, "...")))
			continue;
		colon = strchr(s, ':');
		if (indent == 0) {
			if (!colon) {
				rc = famfs_problem_set(p, EINVAL, line, NULL,
					"line %u: expected key:, got '%s'",
					line, s);
				break;
			}
			*colon = '\0';
			in_section = !strcmp(trim(s), "interleaved_alloc");
			if (!in_section)
				continue;
			found = true;
			s = trim(colon + 1);
			if (*s) {
				rc = cfg_flow(s, line, il, p);
				in_section = false;
			}
			continue;
		}
		if (!in_section)
			continue;	/* under another top-level key */
		if (!colon) {
			rc = famfs_problem_set(p, EINVAL, line, NULL,
				"line %u: expected key: value, got '%s'",
				line, s);
			break;
		}
		*colon = '\0';
		rc = cfg_pair(s, colon + 1, line, il, p);
	}
	free(buf);
	if (rc)
		return rc;
	return found && il->nstrips ? 1 : 0;
}

int famfs_alloc_cfg_read(const char *mnt, struct famfs_interleave *il,
			 struct famfs_problem *p)
{
	char path[4096 + sizeof(FAMFS_ALLOC_CFG_PATH) + 1], *text;
	size_t len = 0;
	ssize_t n;
	int fd, rc;

	memset(il, 0, sizeof(*il));
	snprintf(path, sizeof(path), "%s/%s", mnt, FAMFS_ALLOC_CFG_PATH);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		return famfs_problem_set(p, errno, -1, NULL, "%s: %s", path,
					 strerror(errno));
	}
	text = malloc(FAMFS_ALLOC_CFG_MAX);
	if (!text) {
		close(fd);
		return famfs_problem_set(p, ENOMEM, -1, NULL, "out of memory");
	}
	while (len < FAMFS_ALLOC_CFG_MAX &&
	       (n = read(fd, text + len, FAMFS_ALLOC_CFG_MAX - len)) > 0)
		len += (size_t)n;
	close(fd);
	if (len == FAMFS_ALLOC_CFG_MAX) {
		free(text);
		return famfs_problem_set(p, EFBIG, -1, NULL,
			"%s: larger than %d bytes", path, FAMFS_ALLOC_CFG_MAX);
	}
	rc = famfs_alloc_cfg_parse(text, len, il, p);
	free(text);
	if (rc < 0) {
		char msg[sizeof(p->msg)];

		snprintf(msg, sizeof(msg), "%s", p->msg);
		famfs_problem_set(p, p->err, p->index, p->field, "%s: %.200s",
				  path, msg);
	}
	return rc;
}
