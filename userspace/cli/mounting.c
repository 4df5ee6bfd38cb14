// SPDX-License-Identifier: Apache-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * mounting.c - the whole famfs mount and unmount, shared by "famfs mount",
 * "famfs umount", mount.famfs and umount.famfs:
 *
 *   [bind /dev/daxX.Y to fsdev_dax]  mount(2)  meta files  log replay  [ro]
 *
 * and on unmount the reverse, giving a dax device back to the driver it
 * had before the mount moved it (remembered in /run/famfs).
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "cmds.h"

/* put @name back on the driver famfs found it on, if famfs moved it */
static int restore_dax(const char *name, bool verbose)
{
	struct famfs_problem p;
	char drv[64];

	if (famfs_daxmode_saved(name, drv, sizeof(drv)) < 0)
		return EXIT_OK;		/* famfs did not move it */
	if (!drv[0]) {
		famfs_daxmode_forget(name);
		return EXIT_OK;
	}
	if (famfs_dax_bind(name, drv, &p) < 0)
		return cli_problem(NULL, &p);
	famfs_daxmode_forget(name);
	if (verbose)
		printf("%s: bound to %s again\n", name, drv);
	return EXIT_OK;
}

/* the MS_* flags a mount has now (for remounting it) */
static unsigned long flags_of(const char *mnt)
{
	unsigned long f = 0;
	struct statvfs sv;

	if (statvfs(mnt, &sv) < 0)
		return MS_NOATIME | MS_NOSUID | MS_NODEV;
	if (sv.f_flag & ST_NOSUID)
		f |= MS_NOSUID;
	if (sv.f_flag & ST_NODEV)
		f |= MS_NODEV;
	if (sv.f_flag & ST_NOEXEC)
		f |= MS_NOEXEC;
	if (sv.f_flag & ST_NOATIME)
		f |= MS_NOATIME;
	if (sv.f_flag & ST_RDONLY)
		f |= MS_RDONLY;
	return f;
}

int cli_set_ro(const char *mnt, bool ro)
{
	unsigned long f = flags_of(mnt) & ~(unsigned long)MS_RDONLY;

	if (mount(NULL, mnt, NULL, MS_REMOUNT | f | (ro ? MS_RDONLY : 0),
		  NULL) == 0)
		return 0;
	cli_err("%s: remount %s: %s", mnt, ro ? "read-only" : "read-write",
		strerror(errno));
	return -errno;
}

bool cli_is_ro(const char *mnt)
{
	return flags_of(mnt) & MS_RDONLY;
}

/* meta files + replay on a mounted famfs; keeps a read-only mount ro */
static int refresh(const char *dev, const char *mnt, unsigned int pflags,
		   bool noreplay)
{
	struct famfs_problem p;
	bool ro = cli_is_ro(mnt);
	int rc;

	if (ro && cli_set_ro(mnt, false) < 0)
		return EXIT_FAIL;
	rc = famfs_mkmeta(mnt, 0, NULL, &p);
	if (rc < 0)
		rc = cli_problem(dev, &p);
	else
		rc = noreplay ? EXIT_OK : play_log(mnt, pflags);
	if (ro && cli_set_ro(mnt, true) < 0 && !rc)
		rc = EXIT_FAIL;
	return rc;
}

/*
 * The superblock's device size is outside its CRC: one that disagrees with
 * the device would let the master allocate memory the device does not
 * have, and every host would stop replaying there. Refuse the mount.
 */
static int dev_size_check(const char *dev, const char *mnt,
			  struct famfs_problem *p)
{
	struct famfs_meta m;
	enum famfs_dev_kind kind;
	uint64_t size;
	int rc;

	rc = famfs_dev_size(dev, &size, &kind, p);
	if (rc)
		return rc;
	rc = famfs_meta_open_mount(&m, mnt, FAMFS_META_NOCHECK, p);
	if (rc)
		return rc;
	rc = famfs_sb_dev_check(m.sb, size, p);
	famfs_meta_close(&m);
	return rc;
}

int cli_mount(struct cli_mount_req *r)
{
	unsigned int pflags = r->verbose ? FAMFS_PLAY_VERBOSE : 0;
	char mnt[PATH_MAX], other[PATH_MAX], name[64] = "", drv[64] = "";
	struct famfs_problem p;
	bool moved = false;
	struct stat st;
	int rc;

	if (stat(r->dev, &st) < 0) {
		cli_err("%s: %s", r->dev, strerror(errno));
		return EXIT_FAIL;
	}
	if (!S_ISBLK(st.st_mode) && !S_ISCHR(st.st_mode)) {
		cli_err("%s: not a block (pmem) or dax character device", r->dev);
		return EXIT_FAIL;
	}
	if (!realpath(r->mnt, mnt)) {
		cli_err("%s: %s", r->mnt, strerror(errno));
		return EXIT_FAIL;
	}
	if (famfs_dev_mounted(r->dev, other, sizeof(other)) == 1) {
		if (r->remount && !strcmp(other, mnt)) {
			if (r->fake)
				return EXIT_OK;
			return refresh(r->dev, mnt, pflags, r->noreplay);
		}
		cli_err("%s is already mounted on %s%s", r->dev, other,
			strcmp(other, mnt) ? "" : " (use -r to refresh it)");
		return EXIT_REFUSED;
	}
	if (S_ISCHR(st.st_mode) && famfs_dax_name(r->dev, name, sizeof(name)) == 0 &&
	    famfs_dax_driver(name, drv, sizeof(drv)) == 0 &&
	    strcmp(drv, FAMFS_FSDEV_DRIVER)) {
		if (!r->daxmode) {
			if (famfs_have_fsdev_dax()) {
				cli_err("%s (%s) is bound to %s; famfs needs it on %s: mount with -o daxmode=famfs to switch it",
					r->dev, name, drv[0] ? drv : "no driver",
					FAMFS_FSDEV_DRIVER);
				return EXIT_FAIL;
			}
		} else if (r->fake) {
			printf("would bind %s (now on %s) to %s\n", name,
			       drv[0] ? drv : "no driver", FAMFS_FSDEV_DRIVER);
		} else {
			char saved[64];

			/* an older record wins: it has the original mode */
			if (famfs_daxmode_saved(name, saved, sizeof(saved)) < 0 &&
			    famfs_daxmode_save(name, drv, &p) < 0)
				return cli_problem(NULL, &p);
			if (famfs_dax_bind(name, FAMFS_FSDEV_DRIVER, &p) < 0) {
				famfs_daxmode_forget(name);
				return cli_problem(NULL, &p);
			}
			moved = true;
			if (r->verbose)
				printf("%s: moved from %s to %s\n", name,
				       drv[0] ? drv : "no driver",
				       FAMFS_FSDEV_DRIVER);
		}
	}
	if (r->fake) {
		printf("would mount %s on %s (options \"%s\")%s\n", r->dev, mnt,
		       r->data, r->ro ? ", then read-only" : "");
		return EXIT_OK;
	}
	if (famfs_kmount_opts(r->dev, mnt, r->flags, r->data, &p) < 0) {
		rc = cli_problem(NULL, &p);
		goto undo_dax;
	}
	if (famfs_mkmeta(mnt, 0, NULL, &p) < 0 ||
	    dev_size_check(r->dev, mnt, &p) < 0) {
		rc = cli_problem(r->dev, &p);
		if (umount2(mnt, 0) < 0)
			cli_err("umount %s: %s", mnt, strerror(errno));
		else
			cli_err("%s unmounted again", mnt);
		if (rc == EXIT_REFUSED)
			rc = EXIT_FAIL;
		goto undo_dax;
	}
	rc = r->noreplay ? EXIT_OK : play_log(mnt, pflags);
	if (r->ro && cli_set_ro(mnt, true) < 0 && !rc)
		rc = EXIT_FAIL;
	return rc;
undo_dax:
	if (moved)
		restore_dax(name, r->verbose);
	return rc;
}

int cli_umount(const char *target, bool lazy, bool fake, bool verbose)
{
	char mnt[PATH_MAX], dev[PATH_MAX], name[64];
	struct stat st;
	int rc;

	if (stat(target, &st) == 0 && (S_ISCHR(st.st_mode) ||
					S_ISBLK(st.st_mode))) {
		snprintf(dev, sizeof(dev), "%s", target);
		if (famfs_dev_mounted(dev, mnt, sizeof(mnt)) != 1) {
			cli_err("%s: not mounted", dev);
			return EXIT_FAIL;
		}
	} else {
		if (cli_path_normalize(target, mnt, sizeof(mnt)) < 0 ||
		    famfs_mount_source(mnt, dev, sizeof(dev)) < 0) {
			cli_err("%s: not a famfs mount point", target);
			return EXIT_FAIL;
		}
	}
	if (fake) {
		printf("would unmount %s from %s\n", dev, mnt);
		return EXIT_OK;
	}
	if (umount2(mnt, lazy ? MNT_DETACH : 0) < 0) {
		rc = errno;
		cli_err("umount %s (%s): %s", mnt, dev, strerror(rc));
		return rc == EBUSY ? EXIT_REFUSED : EXIT_FAIL;
	}
	if (verbose)
		printf("%s unmounted from %s\n", dev, mnt);
	if (famfs_dax_name(dev, name, sizeof(name)) == 0 &&
	    famfs_dev_mounted(dev, NULL, 0) != 1)
		return restore_dax(name, verbose);
	return EXIT_OK;
}

/* ------------------------------------------------------- -o options */

static const struct {
	const char *name;
	unsigned long set, clear;
} mflags[] = {
	{ "noatime", MS_NOATIME, 0 },	{ "atime", 0, MS_NOATIME },
	{ "nosuid", MS_NOSUID, 0 },	{ "suid", 0, MS_NOSUID },
	{ "nodev", MS_NODEV, 0 },	{ "dev", 0, MS_NODEV },
	{ "noexec", MS_NOEXEC, 0 },	{ "exec", 0, MS_NOEXEC },
	{ "sync", MS_SYNCHRONOUS, 0 },	{ "async", 0, MS_SYNCHRONOUS },
	{ "dirsync", MS_DIRSYNC, 0 },
	{ "relatime", MS_RELATIME, MS_NOATIME },
	{ "norelatime", 0, MS_RELATIME },
	{ "strictatime", MS_STRICTATIME, MS_NOATIME | MS_RELATIME },
	{ "lazytime", MS_LAZYTIME, 0 },
};

/* options mount(8) and fstab use that mean nothing to the kernel */
static bool ignored_opt(const char *o)
{
	static const char *const ign[] = {
		"defaults", "auto", "noauto", "user", "nouser", "users",
		"owner", "group", "nofail", "_netdev", "loop", NULL
	};
	int i;

	if (!strncmp(o, "x-", 2) || !strncmp(o, "comment=", 8) ||
	    !strncmp(o, "X-", 2))
		return true;
	for (i = 0; ign[i]; i++)
		if (!strcmp(o, ign[i]))
			return true;
	return false;
}

int cli_mount_options(struct cli_mount_req *r, const char *opts)
{
	char buf[1024], *save, *o;
	size_t i;

	if (snprintf(buf, sizeof(buf), "%s", opts) >= (int)sizeof(buf)) {
		cli_err("mount options too long");
		return EXIT_USAGE;
	}
	for (o = strtok_r(buf, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
		if (!strcmp(o, "ro")) {
			r->ro = true;
			continue;
		}
		if (!strcmp(o, "rw")) {
			r->ro = false;
			continue;
		}
		if (!strncmp(o, "daxmode=", 8)) {
			if (!strcmp(o + 8, "famfs") || !strcmp(o + 8, "fsdev"))
				r->daxmode = true;
			else if (!strcmp(o + 8, "keep"))
				r->daxmode = false;
			else {
				cli_err("daxmode=%s: expected daxmode=famfs or daxmode=keep",
					o + 8);
				return EXIT_USAGE;
			}
			continue;
		}
		if (!strcmp(o, "nologplay") || !strcmp(o, "noreplay")) {
			r->noreplay = true;
			continue;
		}
		if (!strcmp(o, "remount")) {
			r->remount = true;
			continue;
		}
		for (i = 0; i < sizeof(mflags) / sizeof(mflags[0]); i++)
			if (!strcmp(o, mflags[i].name))
				break;
		if (i < sizeof(mflags) / sizeof(mflags[0])) {
			r->flags = (r->flags & ~mflags[i].clear) | mflags[i].set;
			continue;
		}
		if (ignored_opt(o))
			continue;
		/* the kernel's own (mode=, dax=): passed on */
		if (strlen(r->data) + strlen(o) + 2 > sizeof(r->data)) {
			cli_err("mount options too long");
			return EXIT_USAGE;
		}
		if (r->data[0])
			strcat(r->data, ",");
		strcat(r->data, o);
	}
	return EXIT_OK;
}

/* ------------------------------------------- mount.famfs, umount.famfs */

int cli_mount_helper(int argc, char **argv)
{
	struct cli_mount_req r = {
		.flags = MS_NOATIME | MS_NOSUID | MS_NODEV,
	};
	const char *pos[2];
	int c, n = 0, rc;

	cli_prog = "mount.famfs";
	/* mount(8): mount.famfs SPEC DIR [-sfnv] [-N ns] [-o OPTIONS] [-t type] */
	opterr = 0;
	while (optind < argc) {
		c = getopt(argc, argv, "+sfnvhrVo:t:N:");
		if (c == -1) {
			if (n < 2)
				pos[n] = argv[optind];
			n++;
			optind++;
			continue;
		}
		switch (c) {
		case 'f':
			r.fake = true;
			break;
		case 'v':
			r.verbose = true;
			break;
		case 'r':
			r.ro = true;
			break;
		case 'o':
			rc = cli_mount_options(&r, optarg);
			if (rc)
				return rc;
			break;
		case 'h':
			printf("Usage: mount.famfs DEV DIR [-fnsv] [-o OPTIONS]\n"
			       "Options: daxmode=famfs|keep, nologplay, ro, rw, noatime, nosuid, nodev,\n"
			       "noexec, mode=OCTAL; fstab-only options are ignored. See mount.famfs(8).\n");
			return EXIT_OK;
		case 'V':
			printf("mount.famfs %s\n", FAMFS_VERSION);
			return EXIT_OK;
		case 's':	/* sloppy: we ignore what we do not know anyway */
		case 'n':	/* no mtab: there is none */
		case 't':
		case 'N':
			break;
		default:
			cli_err("unknown option -%c (see mount.famfs(8))", optopt);
			return EXIT_USAGE;
		}
	}
	if (n != 2) {
		cli_err("expected DEV DIR (usage: mount.famfs DEV DIR [-fnsv] [-o OPTIONS])");
		return EXIT_USAGE;
	}
	r.dev = pos[0];
	r.mnt = pos[1];
	return cli_mount(&r);
}

int cli_umount_helper(int argc, char **argv)
{
	bool lazy = false, verbose = false;
	const char *target = NULL;
	int c;

	cli_prog = "umount.famfs";
	/* umount(8): umount.famfs DIR [-nlfvr] [-t type] */
	opterr = 0;
	while (optind < argc) {
		c = getopt(argc, argv, "+nlfvrht:");
		if (c == -1) {
			target = argv[optind++];
			continue;
		}
		switch (c) {
		case 'l':
			lazy = true;
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			printf("Usage: umount.famfs DIR|DEV [-lnv]\nSee mount.famfs(8).\n");
			return EXIT_OK;
		case 'n':
		case 'f':
		case 'r':
		case 't':
			break;
		default:
			cli_err("unknown option -%c", optopt);
			return EXIT_USAGE;
		}
	}
	if (!target) {
		cli_err("expected a mount point or a device");
		return EXIT_USAGE;
	}
	return cli_umount(target, lazy, false, verbose);
}

int cli_dax_enter(const char *dev, bool bind, struct cli_dax_state *ds)
{
	struct famfs_problem p;

	memset(ds, 0, sizeof(*ds));
	if (famfs_dax_name(dev, ds->name, sizeof(ds->name)) < 0 ||
	    famfs_dax_driver(ds->name, ds->old, sizeof(ds->old)) < 0 ||
	    !strcmp(ds->old, FAMFS_FSDEV_DRIVER))
		return EXIT_OK;		/* not dax, or already on fsdev_dax */
	if (!bind) {
		if (!famfs_have_fsdev_dax())
			return EXIT_OK;	/* the kernel will say why */
		cli_err("%s (%s) is bound to %s; famfs needs it on %s: use -M (--set-daxmode) to switch it for this command",
			dev, ds->name, ds->old[0] ? ds->old : "no driver",
			FAMFS_FSDEV_DRIVER);
		return EXIT_FAIL;
	}
	if (famfs_dax_bind(ds->name, FAMFS_FSDEV_DRIVER, &p) < 0)
		return cli_problem(NULL, &p);
	ds->moved = true;
	return EXIT_OK;
}

void cli_dax_leave(struct cli_dax_state *ds)
{
	struct famfs_problem p;

	if (!ds->moved)
		return;
	if (famfs_dax_bind(ds->name, ds->old[0] ? ds->old : FAMFS_DEVDAX_DRIVER,
			   &p) < 0)
		cli_problem(NULL, &p);
	ds->moved = false;
}
