// SPDX-License-Identifier: Apache-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * cmd_mkfs.c - mkfs.famfs: write a superblock (version 48) and an empty
 * log (Documentation/format.md §12); main() is in mkfs_famfs.c
 *
 * An image file is written directly through mmap. A block (/dev/pmemN) or
 * dax (/dev/daxX.Y) device is written through a temporary famfs mount:
 * the kernel never reads the memory, so it mounts a device with no valid
 * superblock, and the meta files give user space a mapping of sb and log.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmds.h"

static const struct cli_opt mkfs_opts[] = {
	{ 'f', "force", NULL, "overwrite what DEV holds: a famfs file system (any version, valid or not), or any signature libblkid finds (erased)" },
	{ 'k', "kill", NULL, "with -f: only invalidate the superblock (zero its magic)" },
	{ 'l', "loglen", "SIZE", "log size: power of two >= 8M (default 8M); decimal bytes, optional K, M, G, T, P or E suffix" },
	{ 'M', "set-daxmode", NULL, "move a /dev/dax device to fsdev_dax for mkfs (and back after)" },
	CLI_OPT_RECONFIGURE,
	{ 0 }
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

/*
 * Without -f: refuse (EXIT_REFUSED) when libblkid finds any signature on
 * @dev (through @m's mapping if @m is given); EXIT_FAIL if it cannot look.
 */
static int refuse_signatures(const char *dev, const struct famfs_meta *m)
{
	struct famfs_problem p;
	char found[512];
	int rc;

	rc = m ? famfs_sig_probe_meta(m, dev, found, sizeof(found), &p)
	       : famfs_sig_probe(dev, -1, found, sizeof(found), &p);
	if (rc < 0) {
		cli_err("%s: cannot tell what it holds: %s; -f overwrites it unchecked",
			dev, p.msg);
		return EXIT_FAIL;
	}
	if (rc > 0) {
		cli_err("%s: libblkid finds: %s; use -f to overwrite it",
			dev, found);
		return EXIT_REFUSED;
	}
	return EXIT_OK;
}

/* with -f: erase what libblkid finds on an image or block device */
static int wipe_signatures(const char *dev)
{
	struct famfs_problem p;
	char wiped[512];
	int rc;

	rc = famfs_sig_wipe(dev, wiped, sizeof(wiped), &p);
	if (rc < 0)
		return cli_problem(NULL, &p);
	if (rc > 0)
		printf("%s: erased %s\n", dev, wiped);
	return EXIT_OK;
}

static int do_mkfs(struct famfs_meta *m, const char *dev,
		   const struct famfs_mkfs_params *mp, bool force, bool kill,
		   bool probe_meta)
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
	if (!force && probe_meta) {
		/* a dax device: libblkid reads a copy of the mapping */
		rc = refuse_signatures(dev, m);
		if (rc)
			return rc;
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
	enum cli_daxmode daxmode = CLI_DAX_KEEP;
	bool force = false, kill = false;
	struct cli_dax_state ds;
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
		case 'M':
			if (daxmode < CLI_DAX_FAMFS)
				daxmode = CLI_DAX_FAMFS;
			break;
		case 'K':
			daxmode = CLI_DAX_RECONFIGURE;
			break;
		case 'l':
			if (cli_size(cmd, "--loglen", optarg, &mp.log_len))
				return EXIT_USAGE;
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

	/* -K: the cheap checks before daxctl changes anything */
	if (daxmode == CLI_DAX_RECONFIGURE) {
		struct famfs_problem q;

		if (famfs_dev_mounted(dev, mnt, sizeof(mnt)) == 1) {
			cli_err("%s is mounted on %s: unmount it first", dev, mnt);
			return EXIT_REFUSED;
		}
		if (!kill && famfs_dev_size(dev, &mp.dev_size, &kind, &q) == 0 &&
		    mp.dev_size < famfs_min_dev_size(mp.log_len)) {
			cli_err("%s: too small: %s, a famfs with a %s log needs at least %s",
				dev, famfs_size_str(mp.dev_size, s1, sizeof(s1)),
				famfs_size_str(mp.log_len, mnt, sizeof(mnt)),
				famfs_size_str(famfs_min_dev_size(mp.log_len),
					       s2, sizeof(s2)));
			return EXIT_FAIL;
		}
	}
	/* a dax device in system-ram mode: refused, or out of it, first */
	rc = cli_dax_sysram(dev, daxmode, false, &ds);
	if (rc)
		return rc;
	if (famfs_dev_size(dev, &mp.dev_size, &kind, &p) < 0)
		return cli_problem(NULL, &p);
	if (famfs_dev_mounted(dev, mnt, sizeof(mnt)) == 1) {
		cli_err("%s is mounted on %s: unmount it first", dev, mnt);
		return EXIT_REFUSED;
	}
	if (kind == FAMFS_DEV_BLOCK) {
		/* held by another file system, md, dm...: O_EXCL says EBUSY */
		int fd = open(dev, O_RDONLY | O_EXCL | O_CLOEXEC);

		if (fd < 0) {
			cli_err("%s: in use (%s)", dev, strerror(errno));
			return errno == EBUSY ? EXIT_REFUSED : EXIT_FAIL;
		}
		close(fd);
	}
	if (!kill && mp.dev_size < famfs_min_dev_size(mp.log_len)) {
		cli_err("%s: too small: %s, a famfs with a %s log needs at least %s",
			dev, famfs_size_str(mp.dev_size, s1, sizeof(s1)),
			famfs_size_str(mp.log_len, mnt, sizeof(mnt)),
			famfs_size_str(famfs_min_dev_size(mp.log_len), s2,
				       sizeof(s2)));
		return EXIT_FAIL;
	}
	if (!kill && kind != FAMFS_DEV_CHAR) {
		rc = force ? wipe_signatures(dev) : refuse_signatures(dev, NULL);
		if (rc)
			return rc;
	}
	if (famfs_system_uuid(NULL, true, mp.system_uuid, &p) < 0)
		return cli_problem(NULL, &p);

	if (kind == FAMFS_DEV_FILE) {
		rc = famfs_meta_open_image(&m, dev,
					   FAMFS_META_WRITE | FAMFS_META_NOCHECK |
					   FAMFS_META_LOCK, mp.log_len, &p);
		if (rc < 0)
			return cli_problem(NULL, &p);
		rc = do_mkfs(&m, dev, &mp, force, kill, false);
		famfs_meta_close(&m);
		return rc;
	}
	rc = cli_dax_enter(dev, daxmode, &ds);
	if (rc)
		return rc;
	rc = famfs_dummy_mount(dev, mp.log_len, mnt, sizeof(mnt), &p);
	if (rc < 0) {
		rc = cli_problem(NULL, &p);
		cli_dax_leave(&ds);
		return rc;
	}
	rc = famfs_meta_open_mount(&m, mnt, FAMFS_META_WRITE |
				   FAMFS_META_SB_WRITE | FAMFS_META_NOCHECK, &p);
	if (rc < 0) {
		rc = cli_problem(NULL, &p);
	} else {
		rc = do_mkfs(&m, dev, &mp, force, kill,
			     kind == FAMFS_DEV_CHAR);
		famfs_meta_close(&m);
	}
	famfs_dummy_umount(mnt);
	cli_dax_leave(&ds);
	return rc;
}

const struct cli_cmd cmd_mkfs = {
	.name = "mkfs.famfs",
	.run = mkfs_run,
	.args = "DEV",
	.summary = "create a famfs file system on DEV (a dax or pmem device, or an image file);\n"
		   "this host becomes its master",
	.detail =
"Writes a version-48 superblock (2 MiB at offset 0) and an empty log (at\n"
"2 MiB) and records this host's system UUID (/opt/famfs/system_uuid,\n"
"created if missing) as the master's. A /dev/daxX.Y must be bound to\n"
"fsdev_dax (-M, famfs mount -M or mount.famfs -o daxmode=famfs does that)\n"
"and is written through a temporary famfs mount; a /dev/pmemN likewise; an\n"
"image file directly. A device smaller than superblock + log + 2 MiB, a\n"
"mounted device, or one held by another user is refused.\n"
"\n"
"Without -f, mkfs.famfs also refuses a DEV that holds anything: a famfs\n"
"superblock of any version, valid or not (its version, uuid and, if it\n"
"does not check, why are printed), or any signature libblkid finds (file\n"
"systems, RAID members, swap, LUKS, partition tables; named as libblkid\n"
"names them). On a /dev/dax device libblkid sees only the first 2 MiB +\n"
"log length. With -f, what libblkid finds on an image or a block device\n"
"is erased first (as wipefs -a does) and printed. With or without -f,\n"
"the whole superblock region and the whole log are zeroed, so no entry\n"
"of an earlier file system can ever be replayed; a crash part-way leaves\n"
"no file system (run mkfs.famfs again), never an old log under a new\n"
"superblock.\n"
"\n"
"SIZE is decimal bytes with an optional K, M, G, T, P or E suffix\n"
"(1024-based, optionally followed by B or iB); a leading 0 is not octal\n"
"and 0x is refused.\n"
"\n"
"A /dev/daxX.Y in system-ram mode (bound to kmem, its memory onlined as\n"
"system RAM) is refused with exit status 5, nothing changed; -K takes it\n"
"to devdax mode first with 'daxctl reconfigure-device --mode=devdax\n"
"--force' (exit status 6 if daxctl is not installed, 5 if its memory\n"
"cannot be offlined: then it stays in system-ram mode as it was), and\n"
"leaves it in devdax mode (device_dax) after mkfs.\n"
"\n"
"Exit status: 0 made, 1 failed (including: libblkid could not probe\n"
"DEV), 3 refused (DEV holds a famfs or another signature and -f was not\n"
"given, or DEV is mounted or in use), 5 DEV is in system-ram mode, 6 -K\n"
"and no daxctl, 64 usage error (including a SIZE that is not a size or is\n"
"above 16 EiB - 2 MiB).\n",
	.examples =
"mkfs.famfs /dev/dax0.0\n"
"  a famfs with an 8 MiB log (15420 files and directories)\n"
"mkfs.famfs -f --loglen 256M /dev/dax0.0\n"
"  reformat with a 256 MiB log\n"
"mkfs.famfs -f -k /dev/dax0.0\n"
"  invalidate the superblock only\n",
	.opts = mkfs_opts,
	.page = "mkfs.famfs",
};
