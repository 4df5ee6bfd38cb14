// SPDX-License-Identifier: Apache-2.0
/*
 * cmd_mount.c - famfs mount: kernel mount, meta files, superblock check,
 * log replay (spec §1.2)
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "cmds.h"

static const struct cli_opt mount_opts[] = {
	{ 'v', "verbose", NULL, "print every replayed entry" },
	{ 0 }
};

static int mount_run(int argc, char **argv, const struct cli_cmd *cmd)
{
	unsigned int flags = 0;
	char mnt[PATH_MAX], other[PATH_MAX];
	struct famfs_problem p;
	const char *dev;
	struct stat st;
	int c, rc;

	while ((c = cli_getopt(argc, argv, cmd)) != -1)
		if (c == 'v')
			flags |= FAMFS_PLAY_VERBOSE;
	if (argc - optind != 2)
		return cli_usage_error(cmd, "expected a device and a mount point");
	dev = argv[optind];
	if (stat(dev, &st) < 0) {
		cli_err("%s: %s", dev, strerror(errno));
		return EXIT_FAIL;
	}
	if (!S_ISBLK(st.st_mode) && !S_ISCHR(st.st_mode)) {
		cli_err("%s: not a block or dax character device", dev);
		return EXIT_FAIL;
	}
	if (!realpath(argv[optind + 1], mnt)) {
		cli_err("%s: %s", argv[optind + 1], strerror(errno));
		return EXIT_FAIL;
	}
	if (famfs_dev_mounted(dev, other, sizeof(other)) == 1) {
		cli_err("%s is already mounted on %s", dev, other);
		return EXIT_REFUSED;
	}
	if (famfs_kmount(dev, mnt, &p) < 0)
		return cli_problem(NULL, &p);
	rc = famfs_mkmeta(mnt, 0, NULL, &p);
	if (rc < 0) {
		cli_problem(dev, &p);
		if (umount2(mnt, 0) < 0)
			cli_err("umount %s: %s", mnt, strerror(errno));
		else
			cli_err("%s unmounted again", mnt);
		return EXIT_FAIL;
	}
	return play_log(mnt, flags);
}

const struct cli_cmd cmd_mount = {
	.name = "mount",
	.run = mount_run,
	.args = "DEV MNT",
	.summary = "mount the famfs on DEV at MNT and replay its log",
	.detail =
"DEV is a /dev/daxX.Y (bound to fsdev_dax) or /dev/pmemN device holding a\n"
"famfs made by mkfs.famfs. Without a valid superblock the device is\n"
"unmounted again and the command fails.\n",
	.opts = mount_opts,
};
