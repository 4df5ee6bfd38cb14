// SPDX-License-Identifier: Apache-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * cmd_mount.c - famfs mount and famfs umount (admin.md §5); the work is in
 * mounting.c, shared with mount.famfs and umount.famfs
 */
#include <sys/mount.h>

#include "cmds.h"

static const struct cli_opt mount_opts[] = {
	{ 'o', "options", "OPTS", "mount options, as for mount.famfs(8): ro, daxmode=famfs, noatime, ..." },
	{ 'M', "set-daxmode", NULL, "bind a /dev/dax device to fsdev_dax first (= -o daxmode=famfs)" },
	{ 'K', "reconfigure-daxmode", NULL, "as -M; a device in system-ram mode (kmem) is first taken to devdax mode with daxctl, its memory offlined (= -o daxmode=reconfigure)" },
	{ 'R', "read-only", NULL, "read-only after the replay (= -o ro)" },
	{ 'r', "remount", NULL, "if DEV is already mounted on MNT: refresh (meta files, replay)" },
	{ 'n', "nologplay", NULL, "do not replay the log" },
	{ 'f', "fake", NULL, "check and print what would be done; change nothing" },
	{ 'v', "verbose", NULL, "print every replayed entry and every mode switch" },
	{ 0 }
};

static int mount_run(int argc, char **argv, const struct cli_cmd *cmd)
{
	struct cli_mount_req r = {
		.flags = MS_NOATIME | MS_NOSUID | MS_NODEV,
	};
	int c, rc;

	while ((c = cli_getopt(argc, argv, cmd)) != -1) {
		switch (c) {
		case 'o':
			rc = cli_mount_options(&r, optarg);
			if (rc)
				return rc;
			break;
		case 'M':
			if (r.daxmode < CLI_DAX_FAMFS)
				r.daxmode = CLI_DAX_FAMFS;
			break;
		case 'K':
			r.daxmode = CLI_DAX_RECONFIGURE;
			break;
		case 'R':
			r.ro = true;
			break;
		case 'r':
			r.remount = true;
			break;
		case 'n':
			r.noreplay = true;
			break;
		case 'f':
			r.fake = true;
			break;
		case 'v':
			r.verbose = true;
			break;
		}
	}
	if (argc - optind != 2)
		return cli_usage_error(cmd, "expected a device and a mount point");
	r.dev = argv[optind];
	r.mnt = argv[optind + 1];
	return cli_mount(&r);
}

const struct cli_cmd cmd_mount = {
	.name = "mount",
	.run = mount_run,
	.args = "DEV MNT",
	.summary = "mount the famfs on DEV at MNT and replay its log",
	.detail =
"DEV is a /dev/daxX.Y (bound to fsdev_dax, Linux 7.x) or /dev/pmemN (fsdax)\n"
"device holding a famfs made by mkfs.famfs. The steps: optionally bind the\n"
"dax device to fsdev_dax (-M; the driver it had is remembered in /run/famfs\n"
"and restored by famfs umount), mount(2), create .meta/.superblock and\n"
".meta/.log, replay the log. Without a valid superblock the device is\n"
"unmounted again (and given back to its driver) and the command fails;\n"
"so is a superblock whose device size differs from the device's (the size\n"
"is outside the superblock's CRC: famfs fsck DEV tells more).\n"
"On a client host every file is created without write permission. With -R\n"
"the mount is made read-only after the replay; famfs logplay switches it\n"
"to read-write for the time of a replay. With -r an existing mount of DEV\n"
"on MNT is refreshed instead of refused. The replay is the one of famfs\n"
"logplay: an entry with a bad CRC ends it, an entry that breaks a rule of\n"
"the log is skipped on every host.\n"
"\n"
"A dax device in system-ram mode (bound to kmem, its memory onlined as\n"
"system RAM) is refused with exit status 5 and a message that says how\n"
"many of its memory blocks are online; nothing is changed (-M does not\n"
"change that: famfs never unbinds kmem through sysfs). With -K (-o\n"
"daxmode=reconfigure) famfs runs 'daxctl reconfigure-device --mode=devdax\n"
"--force daxX.Y' first (daxctl offlines the memory, unbinds kmem, binds\n"
"device_dax), then binds fsdev_dax. If the kernel cannot offline the\n"
"memory (it put unmovable data there), the blocks daxctl offlined are\n"
"onlined again, the device stays in system-ram mode as it was, and the\n"
"exit status is 5; without daxctl installed it is 6. famfs umount gives\n"
"such a device back in devdax mode (device_dax), not in system-ram mode:\n"
"famfs never onlines memory as system RAM.\n"
"\n"
"Exit status: 0 mounted, 1 failed (not mounted; or mounted but some files\n"
"could not be created), 3 DEV is mounted elsewhere (or here, without -r),\n"
"4 mounted but the replay ended early or skipped entries (famfs fsck MNT\n"
"names them), 5 DEV is in system-ram mode (not mounted; nothing changed),\n"
"6 -K and no daxctl.\n",
	.examples =
"famfs mount /dev/dax0.0 /mnt/famfs\n"
"  mount and replay\n"
"famfs mount -M -R /dev/dax0.0 /mnt/famfs\n"
"  switch the device to fsdev_dax, mount, replay, make it read-only\n"
"famfs mount -K /dev/dax0.0 /mnt/famfs\n"
"  the same for a device in system-ram mode: offline its memory first\n"
"famfs mount -r /dev/dax0.0 /mnt/famfs\n"
"  refresh an existing mount (same as famfs logplay /mnt/famfs)\n",
	.opts = mount_opts,
};

static const struct cli_opt umount_opts[] = {
	{ 'l', "lazy", NULL, "detach now, clean up when no longer busy (MNT_DETACH)" },
	{ 'f', "fake", NULL, "print what would be done" },
	{ 'v', "verbose", NULL, "print what is done" },
	{ 0 }
};

static int umount_run(int argc, char **argv, const struct cli_cmd *cmd)
{
	bool lazy = false, fake = false, verbose = false;
	int c;

	while ((c = cli_getopt(argc, argv, cmd)) != -1) {
		if (c == 'l')
			lazy = true;
		else if (c == 'f')
			fake = true;
		else if (c == 'v')
			verbose = true;
	}
	if (argc - optind != 1)
		return cli_usage_error(cmd, "expected a mount point or a device");
	return cli_umount(argv[optind], lazy, fake, verbose);
}

const struct cli_cmd cmd_umount = {
	.name = "umount",
	.run = umount_run,
	.args = "MNT | DEV",
	.summary = "unmount a famfs and give its dax device back to its original driver",
	.detail =
"If famfs mount (or mount.famfs -o daxmode=famfs) moved the dax device to\n"
"fsdev_dax, it is bound again to the driver it had (recorded in /run/famfs).\n"
"A device that famfs mount -K took out of system-ram mode goes to\n"
"device_dax (devdax mode), not back into system RAM, and the message says\n"
"so. A device that was already on fsdev_dax stays there. Installed as\n"
"umount.famfs, umount(8) uses it. Exit status: 0 unmounted, 1 failed,\n"
"3 busy.\n",
	.opts = umount_opts,
};
