// SPDX-License-Identifier: Apache-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * cmd_mkmeta.c - famfs mkmeta: create .meta/.superblock and .meta/.log on
 * a raw "mount -t famfs" mount (format.md §11); famfs mount does this itself
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmds.h"

static const struct cli_opt mkmeta_opts[] = {
	{ 0 }
};

static int mkmeta_run(int argc, char **argv, const struct cli_cmd *cmd)
{
	char mnt[PATH_MAX];
	struct famfs_problem p;
	const char *target;
	struct stat st;

	while (cli_getopt(argc, argv, cmd) != -1)
		;
	if (argc - optind != 1)
		return cli_usage_error(cmd, "expected a device or a mount point");
	target = argv[optind];
	if (stat(target, &st) < 0) {
		cli_err("%s: %s", target, strerror(errno));
		return EXIT_FAIL;
	}
	if (S_ISDIR(st.st_mode)) {
		if (!realpath(target, mnt) || !famfs_is_famfs_mount(mnt)) {
			cli_err("%s: not a famfs mount point", target);
			return EXIT_FAIL;
		}
	} else if (famfs_dev_mounted(target, mnt, sizeof(mnt)) != 1 ||
		   !famfs_is_famfs_mount(mnt)) {
		cli_err("%s: not mounted as famfs (mount -t famfs %s MNT first)",
			target, target);
		return EXIT_FAIL;
	}
	if (famfs_mkmeta(mnt, 0, NULL, &p) < 0)
		return cli_problem(mnt, &p);
	printf("%s: meta files ready\n", mnt);
	return EXIT_OK;
}

const struct cli_cmd cmd_mkmeta = {
	.name = "mkmeta",
	.run = mkmeta_run,
	.args = "DEV | MNT",
	.summary = "create the meta files of a famfs mounted with plain mount -t famfs",
	.detail =
"Creates MNT/.meta/.superblock and MNT/.meta/.log and gives them their maps.\n"
"Fails if the device holds no valid superblock. Existing meta files are\n"
"kept. famfs mount and mount.famfs do this themselves.\n",
	.opts = mkmeta_opts,
};
