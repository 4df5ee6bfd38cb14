// SPDX-License-Identifier: Apache-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * daxmode.c - which driver a /dev/daxX.Y is bound to, and moving it to
 * fsdev_dax ("famfs mode") and back through sysfs (ioctl.md §4.3)
 *
 *   /sys/bus/dax/devices/daxX.Y/driver -> .../drivers/{device_dax,fsdev_dax}
 *   echo daxX.Y > /sys/bus/dax/drivers/<old>/unbind
 *   echo daxX.Y > /sys/bus/dax/drivers/<new>/new_id   (or .../bind)
 *
 * A move that fails puts the device back on the driver it had, so a device
 * is never left with no driver bound. The driver a device had before
 * famfs moved it is remembered in $FAMFS_RUNDIR (default /run/famfs),
 * one file per device, so umount can restore it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "libfamfs.h"

#define DAX_BUS "/sys/bus/dax"

static const char *rundir(void)
{
	const char *d = getenv("FAMFS_RUNDIR");

	return d && *d ? d : FAMFS_RUNDIR_DEFAULT;
}

int famfs_dax_name(const char *dev, char *name, size_t len)
{
	char sys[64], link[PATH_MAX], *base;
	struct stat st;
	ssize_t n;

	if (stat(dev, &st) < 0)
		return -errno;
	if (!S_ISCHR(st.st_mode))
		return -ENODEV;
	snprintf(sys, sizeof(sys), "/sys/dev/char/%u:%u", major(st.st_rdev),
		 minor(st.st_rdev));
	n = readlink(sys, link, sizeof(link) - 1);
	if (n < 0)
		return -ENODEV;
	link[n] = '\0';
	base = strrchr(link, '/');
	base = base ? base + 1 : link;
	if (strncmp(base, "dax", 3))
		return -ENODEV;
	snprintf(name, len, "%s", base);
	return 0;
}

int famfs_dax_driver(const char *name, char *drv, size_t len)
{
	char path[PATH_MAX], link[PATH_MAX], *base;
	ssize_t n;

	snprintf(path, sizeof(path), DAX_BUS "/devices/%s", name);
	if (access(path, F_OK) < 0)
		return -ENODEV;
	snprintf(path, sizeof(path), DAX_BUS "/devices/%s/driver", name);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0) {
		drv[0] = '\0';		/* no driver bound */
		return 0;
	}
	link[n] = '\0';
	base = strrchr(link, '/');
	snprintf(drv, len, "%s", base ? base + 1 : link);
	return 0;
}

bool famfs_have_fsdev_dax(void)
{
	return access(DAX_BUS "/drivers/" FAMFS_FSDEV_DRIVER, F_OK) == 0;
}

static int sysfs_write(const char *drv, const char *attr, const char *val)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd, rc = 0;

	snprintf(path, sizeof(path), DAX_BUS "/drivers/%s/%s", drv, attr);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	if (n < 0)
		rc = -errno;
	close(fd);
	return rc;
}

/* wait up to ~1 s for @name to be bound to @drv */
static bool bound_to(const char *name, const char *drv)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	char cur[64];
	int i;

	for (i = 0; i < 50; i++) {
		if (famfs_dax_driver(name, cur, sizeof(cur)) == 0 &&
		    !strcmp(cur, drv))
			return true;
		nanosleep(&ts, NULL);
	}
	return false;
}

/* attach unbound @name to @drv: new_id (fsdev never auto-matches), bind */
static int attach(const char *name, const char *drv)
{
	int rc = sysfs_write(drv, "new_id", name);

	if (bound_to(name, drv))
		return 0;
	rc = sysfs_write(drv, "bind", name);
	if (bound_to(name, drv))
		return 0;
	return rc ? rc : -EIO;
}

int famfs_dax_bind(const char *name, const char *drv, struct famfs_problem *p)
{
	char old[64];
	int rc;

	rc = famfs_dax_driver(name, old, sizeof(old));
	if (rc)
		return famfs_problem_set(p, -rc, -1, NULL,
			"%s: not a device on the dax bus (" DAX_BUS "/devices/%s)",
			name, name);
	if (!strcmp(old, drv))
		return 0;
	if (access(DAX_BUS "/drivers/", F_OK) == 0) {
		char path[PATH_MAX];

		snprintf(path, sizeof(path), DAX_BUS "/drivers/%s", drv);
		if (access(path, F_OK) < 0)
			return famfs_problem_set(p, ENODEV, -1, NULL,
				"%s: the kernel has no %s driver (load its module, or this kernel cannot do it)",
				name, drv);
	}
	if (old[0]) {
		rc = sysfs_write(old, "unbind", name);
		if (rc)
			return famfs_problem_set(p, -rc, -1, NULL,
				"%s: cannot unbind it from %s: %s", name, old,
				strerror(-rc));
		/* a new_id left by an earlier move would grab it back */
		if (!strcmp(old, FAMFS_FSDEV_DRIVER))
			sysfs_write(old, "remove_id", name);
	}
	rc = attach(name, drv);
	if (rc == 0)
		return 0;
	/* never leave the device without a driver: put it back */
	if (old[0] && attach(name, old) < 0)
		return famfs_problem_set(p, EIO, -1, NULL,
			"%s: cannot bind it to %s (%s), and rebinding %s failed too: the device has no driver now; try: echo %s > " DAX_BUS "/drivers/%s/bind",
			name, drv, strerror(-rc), old, name, old);
	return famfs_problem_set(p, -rc, -1, NULL,
		"%s: cannot bind it to %s: %s (left on %s)", name, drv,
		strerror(-rc), old[0] ? old : "no driver");
}

/* mkdir -p @dir (0755); 0 or -1 with errno */
static int mkdir_p(const char *dir)
{
	char buf[PATH_MAX], *s;

	snprintf(buf, sizeof(buf), "%s", dir);
	for (s = buf + 1; ; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		{
			char c = *s;

			*s = '\0';
			if (mkdir(buf, 0755) < 0 && errno != EEXIST)
				return -1;
			*s = c;
		}
		if (!*s)
			return 0;
	}
}

static void state_path(const char *name, char *path, size_t len)
{
	snprintf(path, len, "%s/%s.daxmode", rundir(), name);
}

int famfs_daxmode_save(const char *name, const char *drv,
		       struct famfs_problem *p)
{
	char path[PATH_MAX], txt[80];
	int fd, n;

	if (mkdir_p(rundir()) < 0)
		return famfs_problem_set(p, errno, -1, NULL, "cannot create %s: %s",
					 rundir(), strerror(errno));
	state_path(name, path, sizeof(path));
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return famfs_problem_set(p, errno, -1, NULL, "%s: %s", path,
					 strerror(errno));
	n = snprintf(txt, sizeof(txt), "%s\n", drv);
	if (write(fd, txt, (size_t)n) != n) {
		close(fd);
		return famfs_problem_set(p, EIO, -1, NULL, "%s: write failed",
					 path);
	}
	close(fd);
	return 0;
}

int famfs_daxmode_saved(const char *name, char *drv, size_t len)
{
	char path[PATH_MAX], txt[80];
	ssize_t n;
	int fd;

	state_path(name, path, sizeof(path));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, txt, sizeof(txt) - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	txt[n] = '\0';
	txt[strcspn(txt, "\n")] = '\0';
	snprintf(drv, len, "%s", txt);
	return 0;
}

void famfs_daxmode_forget(const char *name)
{
	char path[PATH_MAX];

	state_path(name, path, sizeof(path));
	unlink(path);
}
