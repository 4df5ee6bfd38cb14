// SPDX-License-Identifier: Apache-2.0
/*
 * cmd_fsck.c - famfs fsck: check the metadata of a mounted famfs, an image
 * file, or an unmounted device (through a temporary mount)
 */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>

#include "cmds.h"

static const struct cli_opt fsck_opts[] = {
	{ 'v', "verbose", NULL, "list every entry and the structure sizes" },
	{ 0 }
};

static int report(const struct famfs_meta *m, bool verbose)
{
	struct famfs_fsck_result r;
	int rc;

	rc = famfs_fsck(m, verbose, stdout, &r);
	if (rc < 0) {
		cli_err("fsck could not run: %s", strerror(-rc));
		return EXIT_FAIL;
	}
	return r.errors ? EXIT_PROBLEMS : EXIT_OK;
}

/* a superblock too broken to open the log is an fsck finding */
static int open_problem(const char *what, const struct famfs_problem *p)
{
	char buf[400];

	if (p->err == ENODATA || p->err == EPROTO || p->err == EBADMSG ||
	    p->err == EINVAL || p->err == EUCLEAN) {
		printf("ERROR: %s: %s\n", what,
		       famfs_problem_str(p, buf, sizeof(buf)));
		return EXIT_PROBLEMS;
	}
	return cli_problem(what, p);
}

static int fsck_run(int argc, char **argv, const struct cli_cmd *cmd)
{
	char abs[PATH_MAX], mnt[PATH_MAX];
	enum famfs_dev_kind kind;
	struct famfs_problem p;
	struct famfs_meta m;
	bool verbose = false;
	const char *target;
	uint64_t size;
	struct stat st;
	int c, rc;

	while ((c = cli_getopt(argc, argv, cmd)) != -1)
		if (c == 'v')
			verbose = true;
	if (argc - optind != 1)
		return cli_usage_error(cmd, "expected a device, an image or a mount point");
	target = argv[optind];
	if (stat(target, &st) < 0) {
		cli_err("%s: %s", target, strerror(errno));
		return EXIT_FAIL;
	}
	if (S_ISDIR(st.st_mode)) {
		if (cli_path_normalize(target, abs, sizeof(abs)) < 0 ||
		    cli_find_mount(abs, mnt, sizeof(mnt)))
			return EXIT_FAIL;
		if (famfs_meta_open_mount(&m, mnt, FAMFS_META_NOCHECK, &p) < 0)
			return cli_problem(mnt, &p);
		rc = report(&m, verbose);
		famfs_meta_close(&m);
		return rc;
	}
	if (famfs_dev_size(target, &size, &kind, &p) < 0)
		return cli_problem(NULL, &p);
	if (famfs_dev_mounted(target, mnt, sizeof(mnt)) == 1) {
		cli_err("%s is mounted on %s: run fsck on the mount point", target,
			mnt);
		return EXIT_REFUSED;
	}
	if (kind == FAMFS_DEV_FILE) {
		if (famfs_meta_open_image(&m, target, FAMFS_META_NOCHECK, 0,
					  &p) < 0)
			return open_problem(target, &p);
		rc = report(&m, verbose);
		famfs_meta_close(&m);
		return rc;
	}
	if (famfs_dummy_mount(target, 0, mnt, sizeof(mnt), &p) < 0)
		return open_problem(target, &p);
	if (famfs_meta_open_mount(&m, mnt, FAMFS_META_NOCHECK, &p) < 0) {
		rc = cli_problem(mnt, &p);
	} else {
		rc = report(&m, verbose);
		famfs_meta_close(&m);
	}
	famfs_dummy_umount(mnt);
	return rc;
}

const struct cli_cmd cmd_fsck = {
	.name = "fsck",
	.run = fsck_run,
	.args = "DEV | IMAGE | MNT",
	.summary = "check the superblock, the log and the allocations (read-only)",
	.detail =
"Checks the superblock (magic, version, CRC), the log header, every entry\n"
"(CRC, sequence number, path, extents inside the device and clear of the\n"
"superblock and log) and reports allocation units claimed by two files.\n"
"A mounted device is checked through its mount point; an unmounted device\n"
"through a temporary mount. Exit status 0 clean, 4 errors found.\n",
	.opts = fsck_opts,
};
