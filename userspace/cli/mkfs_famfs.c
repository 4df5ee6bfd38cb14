// SPDX-License-Identifier: Apache-2.0
/*
 * mkfs_famfs.c - mkfs.famfs: write a superblock (version 48) and an empty
 * log (spec §1.1)
 *
 * An image file is written directly through mmap. A block (/dev/pmemN) or
 * dax (/dev/daxX.Y) device is written through a temporary famfs mount:
 * the kernel never reads the memory, so it mounts a device with no valid
 * superblock, and the meta files give user space a mapping of sb and log.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct cli_opt mkfs_opts[] = {
	{ 'f', "force", NULL, "overwrite an existing famfs file system" },
	{ 'k', "kill", NULL, "with -f: only invalidate the superblock (zero its magic)" },
	{ 'l', "loglen", "SIZE", "log size: power of two >= 8M (default 8M)" },
	{ 0 }
};

static int mkfs_run(int argc, char **argv, const struct cli_cmd *cmd);

static const struct cli_cmd mkfs_cmd = {
	.name = "mkfs.famfs",
	.run = mkfs_run,
	.args = "DEV",
	.summary = "create a famfs file system on DEV (a dax or pmem device, or an image file);\n"
		   "this host becomes its master",
	.detail =
"Exit status: 0 made, 1 failed, 3 refused (a famfs exists and -f was not\n"
"given, or DEV is mounted), 64 usage error.\n",
	.opts = mkfs_opts,
};

static void print_made(const char *dev, const struct famfs_superblock *sb)
{
	char u[37], s1[32], s2[32];

	printf("famfs file system created on %s\n", dev);
	printf("  uuid           %s\n", famfs_uuid_str(sb->ts_uuid, u));
	printf("  device uuid    %s\n", famfs_uuid_str(sb->ts_dev_uuid, u));
	printf("  master uuid    %s (this host)\n",
	       famfs_uuid_str(sb->ts_system_uuid, u));
	printf("  device size    %s (%llu bytes)\n",
	       famfs_size_str(sb->ts_daxdev.dd_size, s1, sizeof(s1)),
	       (unsigned long long)sb->ts_daxdev.dd_size);
	printf("  log            %s: %llu entries\n",
	       famfs_size_str(sb->ts_log_len, s1, sizeof(s1)),
	       (unsigned long long)famfs_log_nslots(sb->ts_log_len));
	printf("  data           %s in 2 MiB units\n",
	       famfs_size_str(sb->ts_daxdev.dd_size - FAMFS_LOG_OFFSET -
			      sb->ts_log_len, s2, sizeof(s2)));
}

static int do_mkfs(struct famfs_meta *m, const char *dev,
		   const struct famfs_mkfs_params *mp, bool force, bool kill)
{
	struct famfs_problem p;
	int rc;

	if (kill) {
		if (famfs_sb_check(m->sb, NULL) < 0)
			printf("%s: no valid famfs superblock; zeroing the magic anyway\n",
			       dev);
		rc = famfs_kill_sb(m, &p);
		if (rc < 0)
			return cli_problem(dev, &p);
		printf("%s: superblock invalidated\n", dev);
		return EXIT_OK;
	}
	rc = famfs_mkfs(m, mp, force, &p);
	if (rc < 0) {
		if (rc == -EEXIST) {
			cli_err("%s: %s", dev, p.msg);
			return EXIT_REFUSED;
		}
		return cli_problem(dev, &p);
	}
	print_made(dev, m->sb);
	return EXIT_OK;
}

static int mkfs_run(int argc, char **argv, const struct cli_cmd *cmd)
{
	struct famfs_mkfs_params mp = { .log_len = FAMFS_LOG_LEN_DEFAULT };
	bool force = false, kill = false;
	char mnt[PATH_MAX], s1[32], s2[32];
	enum famfs_dev_kind kind;
	struct famfs_problem p;
	struct famfs_meta m;
	const char *dev;
	int c, rc;

	while ((c = cli_getopt(argc, argv, cmd)) != -1) {
		switch (c) {
		case 'f':
			force = true;
			break;
		case 'k':
			kill = true;
			break;
		case 'l':
			if (famfs_parse_size(optarg, &mp.log_len) < 0)
				return cli_usage_error(cmd, "bad log size '%s'",
						       optarg);
			if (famfs_log_len_check(mp.log_len, &p) < 0)
				return cli_usage_error(cmd, "%s", p.msg);
			break;
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(cmd, "expected one device");
	if (kill && !force)
		return cli_usage_error(cmd, "-k destroys the file system: it needs -f too");
	dev = argv[optind];
	mp.devname = dev;

	if (famfs_dev_size(dev, &mp.dev_size, &kind, &p) < 0)
		return cli_problem(NULL, &p);
	if (famfs_dev_mounted(dev, mnt, sizeof(mnt)) == 1) {
		cli_err("%s is mounted on %s: unmount it first", dev, mnt);
		return EXIT_REFUSED;
	}
	if (!kill && mp.dev_size < famfs_min_dev_size(mp.log_len)) {
		cli_err("%s: too small: %s, a famfs with a %s log needs at least %s",
			dev, famfs_size_str(mp.dev_size, s1, sizeof(s1)),
			famfs_size_str(mp.log_len, mnt, sizeof(mnt)),
			famfs_size_str(famfs_min_dev_size(mp.log_len), s2,
				       sizeof(s2)));
		return EXIT_FAIL;
	}
	if (famfs_system_uuid(NULL, true, mp.system_uuid, &p) < 0)
		return cli_problem(NULL, &p);

	if (kind == FAMFS_DEV_FILE) {
		rc = famfs_meta_open_image(&m, dev,
					   FAMFS_META_WRITE | FAMFS_META_NOCHECK |
					   FAMFS_META_LOCK, mp.log_len, &p);
		if (rc < 0)
			return cli_problem(NULL, &p);
		rc = do_mkfs(&m, dev, &mp, force, kill);
		famfs_meta_close(&m);
		return rc;
	}
	rc = famfs_dummy_mount(dev, mp.log_len, mnt, sizeof(mnt), &p);
	if (rc < 0)
		return cli_problem(NULL, &p);
	rc = famfs_meta_open_mount(&m, mnt, FAMFS_META_WRITE |
				   FAMFS_META_NOCHECK, &p);
	if (rc < 0) {
		rc = cli_problem(NULL, &p);
	} else {
		rc = do_mkfs(&m, dev, &mp, force, kill);
		famfs_meta_close(&m);
	}
	famfs_dummy_umount(mnt);
	return rc;
}

int main(int argc, char **argv)
{
	cli_prog = "mkfs.famfs";
	if (argc == 2 && (!strcmp(argv[1], "--version") ||
			  !strcmp(argv[1], "-V"))) {
		printf("mkfs.famfs %s (writes superblock version %d)\n",
		       FAMFS_VERSION, FAMFS_VERSION_CURRENT);
		return EXIT_OK;
	}
	return mkfs_run(argc, argv, &mkfs_cmd);
}
