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
#include <signal.h>
#include <stdio.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "cmds.h"

/* a device famfs took out of system-ram mode is given back in devdax mode */
static void say_not_sysram(const char *name)
{
	/* stderr: a note, not a result (fsck --json keeps stdout to JSON) */
	fprintf(stderr, "%s: back to %s (devdax mode), not to system-ram mode (kmem) where it was before: famfs never onlines memory as system RAM ('daxctl reconfigure-device --mode=system-ram %s' does)\n",
		name, FAMFS_DEVDAX_DRIVER, name);
}

/*
 * put @name back on the driver famfs found it on, if famfs moved it: a
 * device that was in system-ram mode goes to device_dax
 */
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
	if (famfs_dax_bind(name, famfs_daxmode_back(drv), &p) < 0)
		return cli_problem(NULL, &p);
	famfs_daxmode_forget(name);
	if (!strcmp(drv, FAMFS_KMEM_DRIVER))
		say_not_sysram(name);
	else if (verbose)
		printf("%s: bound to %s again\n", name, drv);
	return EXIT_OK;
}

/* the /dev node, after device_dax is bound (udev may remake it): 5 s; 0 or -1 */
static int wait_node(const char *dev)
{
	struct timespec ts = { 0, 50 * 1000 * 1000 };
	struct stat st;
	int i;

	for (i = 0; i < 100 && stat(dev, &st) < 0; i++)
		nanosleep(&ts, NULL);
	return stat(dev, &st);
}

/* how the running command spells "take it out of system-ram mode" */
static const char *reconfigure_hint(void)
{
	static char hint[128];

	if (!strcmp(cli_prog, "mount.famfs"))
		return "mount with -o daxmode=reconfigure";
	if (!strcmp(cli_prog, "famfs mount"))
		return "use famfs mount -K (-o daxmode=reconfigure)";
	snprintf(hint, sizeof(hint), "use %s -K (--reconfigure-daxmode)",
		 cli_prog);
	return hint;
}

/* the system RAM of dax device @name, as a clause: "(N of M memory blocks online)" */
static void blocks_str(const struct famfs_dax_mem *m, char *buf, size_t len)
{
	char sz[32];

	famfs_size_str((uint64_t)m->online * m->block_size, sz, sizeof(sz));
	snprintf(buf, len, "%u of %u memory blocks online, %s", m->online,
		 m->blocks, sz);
}

/* the refusal: what the device is, what famfs needs, what to do */
static int sysram_refuse(const char *dev, const char *name)
{
	struct famfs_dax_mem m;
	char b[96];
	int rc;

	rc = famfs_dax_memory(name, &m);
	if (rc < 0)
		snprintf(b, sizeof(b), "its memory blocks cannot be read: %s",
			 strerror(-rc));
	else
		blocks_str(&m, b, sizeof(b));
	if (rc == 0 && m.online)
		cli_err("%s (%s) is in system-ram mode: the kmem driver has onlined its memory as system RAM (%s)",
			dev, name, b);
	else
		cli_err("%s (%s) is in system-ram mode: it is bound to the kmem driver (%s)",
			dev, name, b);
	cli_err("famfs needs it in devdax mode; nothing was changed");
	cli_err("run 'daxctl reconfigure-device --mode=devdax --force %s' (it offlines the memory), or %s to have famfs do that",
		name, reconfigure_hint());
	return EXIT_SYSRAM;
}

/* the daxctl command line famfs runs, for messages */
static void daxctl_cmd(const char *name, const struct famfs_dax_reconf *x,
		       char *buf, size_t len)
{
	if (len < sizeof(x->daxctl) + 128)
		return;
	snprintf(buf, len, "'%s reconfigure-device --mode=devdax --force %s'",
		 x->daxctl, name);
}

/* famfs_dax_reconfigure()'s failure @rc, explained; the exit code */
static int sysram_failed(const char *name, int rc,
			 const struct famfs_dax_reconf *x)
{
	char how[160], b[96], cmd[4096 + 128];

	switch (rc) {
	case -ENOENT:
		cli_err("cannot take %s out of system-ram mode: the daxctl program is not installed (not found in $PATH)",
			name);
		cli_err("install the daxctl package (Debian, Ubuntu: apt install daxctl; Fedora, RHEL: dnf install daxctl); nothing was changed");
		return EXIT_NOTOOL;
	case -EACCES:
	case -EPERM:
		cli_err("%s: permission denied reading its memory blocks in sysfs: taking a device out of system-ram mode needs root; nothing was changed",
			name);
		return EXIT_FAIL;
	case -ENODEV:
		cli_err("%s: the device is gone (not in " "/sys/bus/dax/devices" " any more, or its ranges cannot be read); nothing was changed",
			name);
		return EXIT_FAIL;
	case -E2BIG:
		cli_err("%s: more memory ranges or blocks than famfs tracks: famfs does not run daxctl on it; nothing was changed (run 'daxctl reconfigure-device --mode=devdax --force %s' yourself)",
			name, name);
		return EXIT_FAIL;
	case -EBUSY:
	case -EIO:
	case -ETIMEDOUT:
		break;
	default:
		cli_err("%s: cannot read its memory blocks: %s; nothing was changed",
			name, strerror(-rc));
		return EXIT_FAIL;
	}
	daxctl_cmd(name, x, cmd, sizeof(cmd));
	if (x->timed_out)
		snprintf(how, sizeof(how), "did not finish in %d s and was killed (timed out)",
			 x->timeout_s);
	else if (x->sig)
		snprintf(how, sizeof(how), "was stopped: famfs got %s and passed SIGTERM on to it",
			 strsignal(x->sig));
	else if (x->killsig)
		snprintf(how, sizeof(how), "was killed by signal %d (%s)",
			 x->killsig, strsignal(x->killsig));
	else if (x->status > 0)
		snprintf(how, sizeof(how), "failed (exit %d)", x->status);
	else if (x->status == 0)
		snprintf(how, sizeof(how), "exited 0, but the device is still bound to kmem");
	else
		snprintf(how, sizeof(how), "ended in an unknown way");
	if (rc == -ETIMEDOUT) {
		cli_err("%s: %s %s, and did not die after SIGKILL: it may still be changing the device; see 'daxctl list -d %s' and the kernel log",
			name, cmd, how, name);
		return EXIT_FAIL;
	}
	if (rc == -EIO) {
		if (x->drv[0])
			cli_err("%s: %s %s%s%s; the device is now bound to %s (neither kmem nor %s)",
				name, cmd, how, x->msg[0] ? ": " : "", x->msg,
				x->drv, FAMFS_DEVDAX_DRIVER);
		else
			cli_err("%s: %s %s%s%s; the device is now without a driver: its memory is offline; try: echo %s > /sys/bus/dax/drivers/%s/bind",
				name, cmd, how, x->msg[0] ? ": " : "", x->msg,
				name, FAMFS_DEVDAX_DRIVER);
		return EXIT_FAIL;
	}
	if (x->offline_failed) {
		cli_err("%s: the kernel could not offline its memory: %s %s%s%s",
			name, cmd, how, x->msg[0] ? ": " : "", x->msg);
		cli_err("%s: the kernel has placed unmovable data (its own allocations) in that memory, and cannot move it out while the system runs",
			name);
	} else {
		cli_err("%s: %s %s%s%s", name, cmd, how,
			x->msg[0] ? ": " : "", x->msg);
	}
	blocks_str(&x->after, b, sizeof(b));
	if (!x->lost && x->after.online == x->before.online &&
	    x->after.blocks == x->before.blocks &&
	    x->after.movable == x->before.movable) {
		char again[80] = "";

		if (x->reonlined)
			snprintf(again, sizeof(again),
				 " (famfs onlined again the %u that daxctl had offlined)",
				 x->reonlined);
		cli_err("%s: left in system-ram mode, unchanged: bound to kmem, %s, as before%s",
			name, b, again);
		if (x->offline_failed)
			cli_err("to use it for famfs, boot with its memory left offline (memhp_default_state=offline on the kernel command line, no daxctl or udev rule that onlines it: famfs-mount(8), admin.md 3.1), then run this again");
		return EXIT_SYSRAM;
	}
	/* changed: not exit 5, which means nothing changed */
	cli_err("%s: left in system-ram mode, but NOT as before: %s now; before: %u of %u blocks online, %u of them movable; now %u movable",
		name, b, x->before.online, x->before.blocks, x->before.movable,
		x->after.movable);
	if (x->lost)
		cli_err("%s: famfs could not online again %u of the blocks daxctl had offlined: online each in its old zone (echo online_movable, or online_kernel for one that was in ZONE_NORMAL, > /sys/devices/system/memory/memoryN/state; 'daxctl online-memory %s' onlines them all as ZONE_MOVABLE)",
			name, x->lost, name);
	return EXIT_FAIL;
}

int cli_dax_sysram(const char *dev, enum cli_daxmode mode, bool fake,
		   struct cli_dax_state *ds)
{
	struct famfs_dax_reconf x;
	char b[96], cmd[4096 + 128];
	int rc, ret;

	memset(ds, 0, sizeof(*ds));
	ds->lockfd = -1;
	if (famfs_dax_find(dev, ds->name, sizeof(ds->name)) < 0)
		return EXIT_OK;		/* not dax */
	if (mode == CLI_DAX_RECONFIGURE && !fake) {
		/* one famfs at a time takes it out and binds it */
		ds->lockfd = famfs_dax_lock(ds->name);
		if (ds->lockfd < 0) {
			cli_err("%s: cannot lock it (in %s): %s", ds->name,
				getenv("FAMFS_RUNDIR") && *getenv("FAMFS_RUNDIR") ?
				getenv("FAMFS_RUNDIR") : FAMFS_RUNDIR_DEFAULT,
				strerror(-ds->lockfd));
			return EXIT_FAIL;
		}
	}
	if (famfs_dax_driver(ds->name, ds->old, sizeof(ds->old)) < 0 ||
	    strcmp(ds->old, FAMFS_KMEM_DRIVER))
		return EXIT_OK;		/* not in system-ram mode */
	if (mode != CLI_DAX_RECONFIGURE)
		return sysram_refuse(dev, ds->name);
	if (!famfs_have_fsdev_dax()) {
		cli_err("%s (%s) is in system-ram mode, and this kernel has no %s driver: famfs cannot use a dax device here (modprobe %s; Linux 7.x); nothing was changed",
			dev, ds->name, FAMFS_FSDEV_DRIVER, FAMFS_FSDEV_DRIVER);
		return EXIT_SYSRAM;
	}
	if (fake) {
		struct famfs_dax_mem m;

		if (famfs_daxctl_path(x.daxctl, sizeof(x.daxctl)) < 0)
			return sysram_failed(ds->name, -ENOENT, &x);
		ds->from_kmem = true;
		if (famfs_dax_memory(ds->name, &m) < 0)
			memset(&m, 0, sizeof(m));
		blocks_str(&m, b, sizeof(b));
		printf("would take %s out of system-ram mode (%s): daxctl reconfigure-device --mode=devdax --force %s\n",
		       ds->name, b, ds->name);
		return EXIT_OK;
	}
	rc = famfs_dax_reconfigure(ds->name, &x);
	if (rc == -EINVAL)
		return EXIT_OK;		/* not on kmem any more: as -M */
	ds->from_kmem = true;
	if (rc < 0) {
		ret = sysram_failed(ds->name, rc, &x);
		ds->from_kmem = false;
	} else {
		snprintf(ds->old, sizeof(ds->old), "%s", x.drv);
		blocks_str(&x.before, b, sizeof(b));
		daxctl_cmd(ds->name, &x, cmd, sizeof(cmd));
		/* stderr: progress, not a result (fsck --json) */
		fprintf(stderr, "%s: taken out of system-ram mode (%s before): %s offlined its memory and bound it to %s\n",
			ds->name, b, cmd, x.drv);
		fprintf(stderr, "%s: famfs leaves it in devdax mode afterwards: it never onlines memory as system RAM\n",
			ds->name);
		ret = EXIT_OK;
		if (wait_node(dev) < 0) {
			cli_err("%s: its node %s did not appear within 5 s after binding %s",
				ds->name, dev, x.drv);
			ret = EXIT_FAIL;
		}
	}
	if (x.sig) {
		cli_err("%s: stopping on %s", ds->name, strsignal(x.sig));
		fflush(NULL);
		raise(x.sig);	/* its disposition; if it returns: */
		ret = ret ? ret : EXIT_FAIL;
	}
	return ret;
}

void cli_dax_unlock(struct cli_dax_state *ds)
{
	if (ds->lockfd >= 0)
		close(ds->lockfd);
	ds->lockfd = -1;
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
	struct cli_dax_state ds;
	struct famfs_problem p;
	bool moved = false;
	struct stat st;
	int rc;

	if (!realpath(r->mnt, mnt)) {
		cli_err("%s: %s", r->mnt, strerror(errno));
		return EXIT_FAIL;
	}
	/* the cheap checks first: -K changes nothing for a mount that fails them */
	if (r->daxmode == CLI_DAX_RECONFIGURE &&
	    (stat(mnt, &st) < 0 || !S_ISDIR(st.st_mode))) {
		cli_err("%s: not a directory", r->mnt);
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
	if (r->daxmode == CLI_DAX_RECONFIGURE && !r->remount &&
	    famfs_mount_source(mnt, other, sizeof(other)) == 0) {
		cli_err("%s: %s is already mounted there", mnt, other);
		return EXIT_REFUSED;
	}
	/* system-ram mode (kmem): refused, or taken to devdax mode here */
	rc = cli_dax_sysram(r->dev, r->daxmode, r->fake, &ds);
	if (rc)
		return rc;
	if (r->fake && ds.from_kmem) {
		printf("would bind %s to %s\n", ds.name, FAMFS_FSDEV_DRIVER);
		printf("would mount %s on %s (options \"%s\")%s\n", r->dev, mnt,
		       r->data, r->ro ? ", then read-only" : "");
		return EXIT_OK;
	}
	if (stat(r->dev, &st) < 0) {
		cli_err("%s: %s", r->dev, strerror(errno));
		return EXIT_FAIL;
	}
	if (!S_ISBLK(st.st_mode) && !S_ISCHR(st.st_mode)) {
		cli_err("%s: not a block (pmem) or dax character device", r->dev);
		return EXIT_FAIL;
	}
	if (S_ISCHR(st.st_mode) && famfs_dax_name(r->dev, name, sizeof(name)) == 0 &&
	    famfs_dax_driver(name, drv, sizeof(drv)) == 0 &&
	    strcmp(drv, FAMFS_FSDEV_DRIVER)) {
		if (r->daxmode == CLI_DAX_KEEP) {
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

			/*
			 * an older record wins: it has the original mode;
			 * kmem, if famfs just took it out of system-ram mode
			 */
			if (ds.from_kmem) {
				if (famfs_daxmode_save(name, FAMFS_KMEM_DRIVER,
						       &p) < 0)
					return cli_problem(NULL, &p);
			} else if (famfs_daxmode_saved(name, saved,
						       sizeof(saved)) < 0 &&
				   famfs_daxmode_save(name, drv, &p) < 0) {
				return cli_problem(NULL, &p);
			}
			if (famfs_dax_bind(name, FAMFS_FSDEV_DRIVER, &p) < 0) {
				famfs_daxmode_forget(name);
				return cli_problem(NULL, &p);
			}
			moved = true;
			cli_dax_unlock(&ds);
			if (r->verbose)
				printf("%s: moved from %s to %s\n", name,
				       drv[0] ? drv : "no driver",
				       FAMFS_FSDEV_DRIVER);
		}
	}
	cli_dax_unlock(&ds);
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
			if (!strcmp(o + 8, "famfs") || !strcmp(o + 8, "fsdev")) {
				r->daxmode = CLI_DAX_FAMFS;
			} else if (!strcmp(o + 8, "reconfigure")) {
				r->daxmode = CLI_DAX_RECONFIGURE;
			} else if (!strcmp(o + 8, "keep")) {
				r->daxmode = CLI_DAX_KEEP;
			} else {
				cli_err("daxmode=%s: expected daxmode=famfs, daxmode=reconfigure or daxmode=keep",
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
			       "Options: daxmode=famfs|reconfigure|keep, nologplay, ro, rw, noatime,\n"
			       "nosuid, nodev, noexec, mode=OCTAL; fstab-only options are ignored.\n"
			       "daxmode=reconfigure also takes a device in system-ram mode (kmem) to\n"
			       "devdax mode with daxctl first. Exit status 5: the device is in system-ram\n"
			       "mode (and stays so), 6: daxctl is not installed. See mount.famfs(8).\n");
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

int cli_dax_enter(const char *dev, enum cli_daxmode mode,
		  struct cli_dax_state *ds)
{
	struct famfs_problem p;
	int rc;

	ds->moved = false;
	if (famfs_dax_name(dev, ds->name, sizeof(ds->name)) < 0 ||
	    famfs_dax_driver(ds->name, ds->old, sizeof(ds->old)) < 0 ||
	    !strcmp(ds->old, FAMFS_FSDEV_DRIVER))
		return EXIT_OK;		/* not dax, or already on fsdev_dax */
	if (mode == CLI_DAX_KEEP) {
		if (!famfs_have_fsdev_dax())
			return EXIT_OK;	/* the kernel will say why */
		cli_err("%s (%s) is bound to %s; famfs needs it on %s: use -M (--set-daxmode) to switch it for this command",
			dev, ds->name, ds->old[0] ? ds->old : "no driver",
			FAMFS_FSDEV_DRIVER);
		return EXIT_FAIL;
	}
	rc = famfs_dax_bind(ds->name, FAMFS_FSDEV_DRIVER, &p);
	cli_dax_unlock(ds);
	if (rc < 0)
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
	else if (ds->from_kmem)
		say_not_sysram(ds->name);
	ds->moved = false;
}
