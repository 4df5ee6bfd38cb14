// SPDX-License-Identifier: Apache-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * cmd_mkdir.c - famfs mkdir: logged directories (admin.md §5), master only
 */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmds.h"

static const struct cli_opt mkdir_opts[] = {
	{ 'p', "parents", NULL, "create missing parents; no error if it exists" },
	{ 'm', "mode", "MODE", "octal permissions (default 0755 minus umask)" },
	{ 'u', "uid", "USER", "owner (name or number; default: the caller)" },
	{ 'g', "gid", "GROUP", "group (name or number; default: the caller's)" },
	{ 'v', "verbose", NULL, "print each directory created" },
	{ 0 }
};

/* one level: log + create; @abs must not exist */
static uint32_t d_uid, d_gid;

static int mkdir_one(struct cli_session *s, const char *abs, uint32_t mode,
		     bool verbose)
{
	char rel[FAMFS_MAX_PATHLEN];
	struct famfs_problem p;

	if (famfs_relpath_make(s->mnt, abs, rel, &p) < 0 ||
	    famfs_writer_mkdir(&s->w, rel, mode, d_uid, d_gid, &p) < 0)
		return cli_problem(abs, &p);
	if (verbose)
		printf("created directory %s\n", abs);
	return EXIT_OK;
}

static int mkdir_run(int argc, char **argv, const struct cli_cmd *cmd)
{
	bool parents = false, verbose = false;
	char abs[PATH_MAX];
	struct cli_session s;
	struct stat st;
	mode_t um = umask(0);
	uint32_t mode = 0755 & ~um;
	int c, rc;

	umask(um);
	d_uid = (uint32_t)geteuid();
	d_gid = (uint32_t)getegid();
	while ((c = cli_getopt(argc, argv, cmd)) != -1) {
		switch (c) {
		case 'u':
		case 'g':
			if (cli_owner(optarg, c == 'g', c == 'u' ? &d_uid : &d_gid))
				return cli_usage_error(cmd, "unknown %s '%s'",
					c == 'u' ? "user" : "group", optarg);
			break;
		case 'p':
			parents = true;
			break;
		case 'v':
			verbose = true;
			break;
		case 'm':
			if (famfs_parse_mode(optarg, &mode) < 0)
				return cli_usage_error(cmd, "bad mode '%s'",
						       optarg);
			break;
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(cmd, "expected one directory");
	if (cli_path_normalize(argv[optind], abs, sizeof(abs)) < 0)
		return cli_usage_error(cmd, "bad path %s", argv[optind]);

	if (lstat(abs, &st) == 0 && !(parents && S_ISDIR(st.st_mode))) {
		cli_err("%s: already exists", abs);
		return EXIT_REFUSED;
	}
	rc = cli_session_open(&s, abs);
	if (rc)
		return rc;
	/*
	 * Parents must be logged directories: one made with mkdir(1) is
	 * logged now; a missing one is created only with -p. With -p an
	 * existing DIR is logged too if it is not yet.
	 */
	rc = cli_log_parents(&s, abs, parents, parents, mode, d_uid, d_gid,
			     verbose);
	if (!rc && !parents)
		rc = mkdir_one(&s, abs, mode, verbose);
	cli_session_close(&s);
	return rc;
}

const struct cli_cmd cmd_mkdir = {
	.name = "mkdir",
	.run = mkdir_run,
	.args = "DIR",
	.summary = "create a directory in famfs (master only; one log entry per directory)",
	.detail =
"Without -p an existing path is refused (exit 3), and so is a missing\n"
"parent (exit 1). With -p every missing parent below the mount point is\n"
"created and logged (mode, owner and group apply to each), and an existing\n"
"directory is not an error. Every parent must be in the log, or no other\n"
"host could create what is below it: a directory made with mkdir(1) on the\n"
"master (not logged) is logged now, with its own mode and owner, with or\n"
"without -p; so is DIR itself with -p. A path already in the log is refused\n"
"(exit 3) even if it is missing on this host.\n",
	.examples =
"famfs mkdir -p -m 0770 -g users /mnt/famfs/a/b/c\n"
"  three logged directories\n",
	.opts = mkdir_opts,
};
