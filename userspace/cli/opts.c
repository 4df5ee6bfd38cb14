// SPDX-License-Identifier: Apache-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * opts.c - option tables, generated help, messages and exit codes
 */
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json.h>

#include "cli.h"

const char *cli_prog = "famfs";

const char cli_exit_table[] =
"Exit status:\n"
"  0   success\n"
"  1   the operation failed (the message names the object and the reason)\n"
"  2   getmap only: the file is in famfs but has no extent map\n"
"  3   refused: this host is a client, a file system exists (mkfs without -f),\n"
"      the device is mounted, or the target exists\n"
"  4   problems found: fsck errors, verify mismatch, unmapped or unlogged\n"
"      files, or a log entry that ended or was skipped by the replay\n"
"  5   the dax device is in system-ram mode (bound to kmem) and stays so:\n"
"      no -K / daxmode=reconfigure, or its memory could not be offlined\n"
"  6   a program famfs needs is not installed (daxctl, for -K)\n"
"  64  usage error\n";

void cli_help(const struct cli_cmd *cmd, FILE *out)
{
	const struct cli_opt *o;

	fprintf(out, "Usage: %s [options] %s\n\n%s\n", cli_prog, cmd->args,
		cmd->summary);
	fprintf(out, "\nOptions:\n");
	for (o = cmd->opts; o && o->val; o++) {
		char left[64];

		snprintf(left, sizeof(left), "-%c, --%s%s%s", o->val, o->name,
			 o->arg ? " " : "", o->arg ? o->arg : "");
		fprintf(out, "  %-26s %s\n", left, o->help);
	}
	fprintf(out, "  %-26s %s\n", "-h, --help", "show this help");
	if (cmd->detail)
		fprintf(out, "\n%s", cmd->detail);
}

int cli_getopt(int argc, char **argv, const struct cli_cmd *cmd)
{
	static const struct cli_cmd *built;
	static struct option lopts[32];
	static char sopts[80];
	const struct cli_opt *o;
	int n = 0, c;
	char *s = sopts;

	if (built != cmd) {
		*s++ = '+';	/* stop at the first non-option */
		*s++ = ':';	/* report a missing argument as ':' */
		for (o = cmd->opts; o && o->val && n < 30; o++, n++) {
			lopts[n].name = o->name;
			lopts[n].has_arg = o->arg ? required_argument
						  : no_argument;
			lopts[n].flag = NULL;
			lopts[n].val = o->val;
			*s++ = (char)o->val;
			if (o->arg)
				*s++ = ':';
		}
		lopts[n++] = (struct option){ "help", no_argument, NULL, 'h' };
		lopts[n] = (struct option){ 0 };
		*s++ = 'h';
		*s = '\0';
		built = cmd;
		optind = 1;
	}
	opterr = 0;
	c = getopt_long(argc, argv, sopts, lopts, NULL);
	if (c == 'h') {
		cli_help(cmd, stdout);
		exit(EXIT_OK);
	}
	if (c == '?' || c == ':') {
		if (c == ':')
			cli_usage_error(cmd, "option %s needs an argument",
					argv[optind - 1]);
		else if (optopt)
			cli_usage_error(cmd, "unknown option -%c", optopt);
		else
			cli_usage_error(cmd, "unknown option %s",
					argv[optind - 1]);
		exit(EXIT_USAGE);
	}
	return c;
}

int cli_usage_error(const struct cli_cmd *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", cli_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nUsage: %s [options] %s (see %s --help)\n", cli_prog,
		cmd->args, cli_prog);
	return EXIT_USAGE;
}

void cli_err(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", cli_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cli_exit_code(int err)
{
	switch (err) {
	case EPERM:
	case EEXIST:
	case EBUSY:
		return EXIT_REFUSED;
	default:
		return EXIT_FAIL;
	}
}

int cli_problem(const char *what, const struct famfs_problem *p)
{
	char buf[400];

	famfs_problem_str(p, buf, sizeof(buf));
	if (what)
		cli_err("%s: %s", what, buf);
	else
		cli_err("%s", buf);
	return cli_exit_code(p->err);
}

int cli_path_normalize(const char *in, char *out, size_t len)
{
	char buf[PATH_MAX * 2], cwd[PATH_MAX];
	char *save, *tok;
	size_t o = 0;

	if (in[0] == '/') {
		snprintf(buf, sizeof(buf), "%s", in);
	} else {
		if (!getcwd(cwd, sizeof(cwd)))
			return -errno;
		snprintf(buf, sizeof(buf), "%s/%s", cwd, in);
	}
	if (len < 2)
		return -ENAMETOOLONG;
	for (tok = strtok_r(buf, "/", &save); tok;
	     tok = strtok_r(NULL, "/", &save)) {
		size_t n = strlen(tok);

		if (!strcmp(tok, "."))
			continue;
		if (!strcmp(tok, "..")) {
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--;
			continue;
		}
		if (o + 1 + n + 1 > len)
			return -ENAMETOOLONG;
		out[o++] = '/';
		memcpy(out + o, tok, n);
		o += n;
	}
	if (o == 0)
		out[o++] = '/';
	out[o] = '\0';
	return 0;
}

int cli_find_mount(const char *abs, char *mnt, size_t len)
{
	if (famfs_find_mount(abs, mnt, len) == 0)
		return EXIT_OK;
	cli_err("%s: not in a mounted famfs file system", abs);
	return EXIT_FAIL;
}

int cli_session_open(struct cli_session *s, const char *abs_path)
{
	struct famfs_problem p;
	int rc;

	memset(s, 0, sizeof(*s));
	rc = cli_find_mount(abs_path, s->mnt, sizeof(s->mnt));
	if (rc)
		return rc;
	/* role first, read-only: a client gets the reason, not EACCES */
	if (famfs_meta_open_mount(&s->meta, s->mnt, 0, &p) < 0)
		return cli_problem(s->mnt, &p);
	rc = famfs_writer_check_master(s->meta.sb, NULL, &p);
	famfs_meta_close(&s->meta);
	if (rc < 0)
		return cli_problem(NULL, &p);
	if (famfs_meta_open_mount(&s->meta, s->mnt,
				  FAMFS_META_WRITE | FAMFS_META_LOCK, &p) < 0)
		return cli_problem(s->mnt, &p);
	famfs_kernel_ops(&s->ops, s->mnt);
	s->w.m = &s->meta;
	s->w.ops = &s->ops;
	rc = cli_alloc_cfg(s->mnt, s->meta.sb->ts_daxdev.dd_size,
			   &s->w.il_default);
	if (rc)
		cli_session_close(s);
	return rc;
}

int cli_alloc_cfg(const char *mnt, uint64_t dev_size,
		  struct famfs_interleave *il)
{
	struct famfs_problem p;
	int rc;

	rc = famfs_alloc_cfg_read(mnt, il, &p);
	if (rc < 0)
		return cli_problem(NULL, &p);
	if (rc == 0)
		return EXIT_OK;
	/* the command line's defaults for what the file leaves out */
	if (!il->chunk)
		il->chunk = FAMFS_ALLOC_UNIT;
	if (!il->nbuckets)
		il->nbuckets = il->nstrips * 2 > FAMFS_MAX_NBUCKETS ?
			       FAMFS_MAX_NBUCKETS : il->nstrips * 2;
	if (famfs_interleave_check(il, dev_size, &p) < 0) {
		cli_err("%s/%s: %s: %s", mnt, FAMFS_ALLOC_CFG_PATH, p.field,
			p.msg);
		memset(il, 0, sizeof(*il));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

void cli_session_close(struct cli_session *s)
{
	famfs_writer_done(&s->w);
	famfs_meta_close(&s->meta);
}

int cli_owner(const char *s, bool group, uint32_t *out)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (*s && !*end && !errno && v <= UINT32_MAX) {
		*out = (uint32_t)v;
		return 0;
	}
	if (group) {
		struct group *gr = getgrnam(s);

		if (!gr)
			return -EINVAL;
		*out = (uint32_t)gr->gr_gid;
	} else {
		struct passwd *pw = getpwnam(s);

		if (!pw)
			return -EINVAL;
		*out = (uint32_t)pw->pw_uid;
	}
	return 0;
}

int cli_interleave_opt(const struct cli_cmd *cmd, int c, const char *arg,
		       struct famfs_interleave *il)
{
	uint64_t v;

	switch (c) {
	case 'N':
	case 'B':
		if (famfs_parse_size(arg, &v) < 0 || v < 1 ||
		    v > (c == 'N' ? FAMFS_MAX_NSTRIPS : FAMFS_MAX_NBUCKETS))
			return cli_usage_error(cmd, "-%c %s: 1..%d expected", c,
				arg, c == 'N' ? FAMFS_MAX_NSTRIPS
					      : FAMFS_MAX_NBUCKETS);
		if (c == 'N')
			il->nstrips = (uint32_t)v;
		else
			il->nbuckets = (uint32_t)v;
		return 1;
	case 'C':
		if (cli_size(cmd, "-C", arg, &v))
			return EXIT_USAGE;
		il->chunk = v;
		return 1;
	default:
		return 0;
	}
}

int cli_interleave_done(struct famfs_interleave *il, uint64_t dev_size)
{
	struct famfs_problem p;

	if (!il->nstrips && !il->nbuckets && !il->chunk)
		return EXIT_OK;
	if (!il->nstrips) {
		cli_err("-B and -C need -N NSTRIPS (the number of strips per file)");
		return EXIT_USAGE;
	}
	if (!il->chunk)
		il->chunk = FAMFS_ALLOC_UNIT;
	if (!il->nbuckets)
		il->nbuckets = il->nstrips * 2 > FAMFS_MAX_NBUCKETS ?
			       FAMFS_MAX_NBUCKETS : il->nstrips * 2;
	if (famfs_interleave_check(il, dev_size, &p) < 0) {
		cli_err("interleave: %s: %s", p.field, p.msg);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

void cli_json_print(struct json_object *o)
{
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
					       JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

struct json_object *cli_json_u64(uint64_t v)
{
	return json_object_new_uint64(v);
}

struct json_object *cli_json_problem(const struct famfs_problem *p)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "errno", json_object_new_int(p->err));
	json_object_object_add(o, "error",
			       json_object_new_string(strerror(p->err)));
	if (p->index >= 0)
		json_object_object_add(o, "index",
				       json_object_new_int64(p->index));
	if (p->field[0])
		json_object_object_add(o, "field",
				       json_object_new_string(p->field));
	json_object_object_add(o, "message", json_object_new_string(p->msg));
	return o;
}

int cli_size_error(const struct cli_cmd *cmd, const char *opt,
		   const char *arg, int rc)
{
	if (rc == -ERANGE)
		return cli_usage_error(cmd,
			"%s %s: too large: sizes go up to %llu bytes (16 EiB - 2 MiB)",
			opt, arg, (unsigned long long)FAMFS_SIZE_MAX);
	return cli_usage_error(cmd, "%s %s: not a size: %s expected", opt, arg,
			       FAMFS_SIZE_SYNTAX);
}

int cli_size(const struct cli_cmd *cmd, const char *opt, const char *arg,
	     uint64_t *out)
{
	int rc = famfs_parse_size(arg, out);

	return rc ? cli_size_error(cmd, opt, arg, rc) : 0;
}

/* -t: 0..FAMFS_PATTERN_MAX_THREADS; the default is the online CPUs */
int cli_threadct(const char *arg, unsigned int *out)
{
	uint64_t v;

	if (famfs_parse_size(arg, &v) < 0 || v > FAMFS_PATTERN_MAX_THREADS)
		return -EINVAL;
	*out = (unsigned int)v;
	return 0;
}

unsigned int cli_threadct_default(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		return 1;
	return n > FAMFS_PATTERN_MAX_THREADS ? FAMFS_PATTERN_MAX_THREADS
					     : (unsigned int)n;
}
