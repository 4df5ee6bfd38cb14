// SPDX-License-Identifier: Apache-2.0
/*
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
	printf("%s: %lu files, %lu without a map\n", mnt, n_files, n_unmapped);
	if (n_errors)
		return EXIT_FAIL;
	return n_unmapped ? EXIT_PROBLEMS : EXIT_OK;
}

const struct cli_cmd cmd_check = {
	.name = "check",
	.run = check_run,
	.args = "MNT",
	.summary = "check that every file in a famfs mount has an extent map",
	.detail =
"Files created by other tools (touch, cp(1)) have no map and cannot be\n"
"used; remounting or logplay restores the logged state. Exit status 0 all\n"
"mapped, 4 unmapped files found.\n",
	.opts = check_opts,
};
