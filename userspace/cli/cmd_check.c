// SPDX-License-Identifier: Apache-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * cmd_check.c - famfs check: every file in a mount has an extent map
 */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include <linux/famfs_ioctl.h>

#include "cmds.h"

static unsigned long n_files, n_unmapped, n_errors;
static bool verbose;

static int visit(const char *path, const struct stat *st, int type,
		 struct FTW *ftw)
{
	struct famfs_ioc_get_fmap m;
	int fd, rc;

	(void)st;
	(void)ftw;
	if (type == FTW_DNR || type == FTW_NS) {
		cli_err("%s: cannot read", path);
		n_errors++;
		return 0;
	}
	if (type != FTW_F)
		return 0;
	n_files++;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		cli_err("%s: %s", path, strerror(errno));
		n_errors++;
		return 0;
	}
	rc = famfs_map_get(fd, &m);
	close(fd);
	if (rc < 0) {
		printf("%s: %s\n", path, rc == -ENOTTY ? "not a famfs file"
						       : "no extent map");
		n_unmapped++;
	} else if (verbose) {
		printf("%s: mapped, %llu bytes\n", path,
		       (unsigned long long)m.iocmap.fioc_file_size);
	}
	return 0;
}

static unsigned long n_unlogged;

static void unlogged(void *ctx, const char *rel, const char *what)
{
	printf("%s/%s: %s not in the log (made outside famfs; other hosts do not see it, and it is gone after a remount)\n",
	       (const char *)ctx, rel, what);
	n_unlogged++;
}

/* local objects the log does not hold */
static int check_logged(const char *mnt)
{
	struct famfs_log_index *ix;
	struct famfs_problem p;
	struct famfs_meta m;
	int rc;

	if (famfs_meta_open_mount(&m, mnt, 0, &p) < 0)
		return cli_problem(mnt, &p);
	rc = famfs_log_index_build(&ix, &m, NULL, NULL, &p);
	if (rc < 0) {
		famfs_meta_close(&m);
		return cli_problem(mnt, &p);
	}
	rc = famfs_unlogged_walk(mnt, ix, unlogged, (void *)mnt);
	famfs_log_index_free(ix);
	famfs_meta_close(&m);
	if (rc < 0) {
		cli_err("%s: %s", mnt, strerror(-rc));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

static const struct cli_opt check_opts[] = {
	{ 'v', "verbose", NULL, "list every file" },
	{ 0 }
};

static int check_run(int argc, char **argv, const struct cli_cmd *cmd)
{
	char abs[PATH_MAX], mnt[PATH_MAX], meta[PATH_MAX + 32];
	int c, rc;

	while ((c = cli_getopt(argc, argv, cmd)) != -1)
		if (c == 'v')
			verbose = true;
	if (argc - optind != 1)
		return cli_usage_error(cmd, "expected a mount point");
	if (cli_path_normalize(argv[optind], abs, sizeof(abs)) < 0)
		return cli_usage_error(cmd, "bad path %s", argv[optind]);
	rc = cli_find_mount(abs, mnt, sizeof(mnt));
	if (rc)
		return rc;
	snprintf(meta, sizeof(meta), "%s/%s", mnt, FAMFS_LOG_PATH);
	if (access(meta, F_OK) < 0) {
		cli_err("%s: %s", meta, strerror(errno));
		n_unmapped++;
	}
	if (nftw(mnt, visit, 32, FTW_PHYS | FTW_MOUNT) < 0) {
		cli_err("%s: %s", mnt, strerror(errno));
		return EXIT_FAIL;
	}
	if (check_logged(mnt))
		n_errors++;
	printf("%s: %lu files, %lu without a map, %lu not in the log\n", mnt,
	       n_files, n_unmapped, n_unlogged);
	if (n_errors)
		return EXIT_FAIL;
	return n_unmapped || n_unlogged ? EXIT_PROBLEMS : EXIT_OK;
}

const struct cli_cmd cmd_check = {
	.name = "check",
	.run = check_run,
	.args = "MNT",
	.summary = "check that every file in a famfs mount has an extent map and is in the log",
	.detail =
"Files created by other tools (touch, cp(1)) have no map and cannot be\n"
"used. Files and directories created by other tools (touch, mkdir(1),\n"
"cp(1)) are not in the log either: no other host sees them, and a remount\n"
"drops them. Each is listed. famfs mkdir -p, creat and cp log a directory\n"
"made with mkdir(1) when they create something in it. Exit status 0 all\n"
"mapped and logged, 4 unmapped or unlogged objects found, 1 the check\n"
"could not run.\n",
	.opts = check_opts,
};
