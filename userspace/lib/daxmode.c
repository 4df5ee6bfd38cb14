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
 *
 * A device bound to kmem is in system-ram mode: its memory is hot-plugged
 * as system RAM (memory blocks /sys/devices/system/memory/memoryN), and its
 * /dev/daxX.Y cannot be opened. famfs never unbinds kmem itself: only
 * famfs_dax_reconfigure() takes such a device out, by running daxctl, which
 * offlines the memory blocks before it rebinds the device (admin.md §3.1).
 *
 * $FAMFS_SYSFS (default /sys) is where sysfs is looked for: the unit tests
 * point it at a fake tree.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "libfamfs.h"

/* what the messages call it; the real path is sysfs_root() + /bus/dax */
#define DAX_BUS "/sys/bus/dax"

static const char *rundir(void)
{
	const char *d = getenv("FAMFS_RUNDIR");

	return d && *d ? d : FAMFS_RUNDIR_DEFAULT;
}

static const char *sysfs_root(void)
{
	const char *d = getenv("FAMFS_SYSFS");

	return d && *d ? d : "/sys";
}

/* @buf = sysfs root + the path @fmt makes ("/bus/dax/devices/%s") */
static void __attribute__((format(printf, 3, 4)))
sysfs_path(char *buf, size_t len, const char *fmt, ...)
{
	size_t n;
	va_list ap;

	n = (size_t)snprintf(buf, len, "%s", sysfs_root());
	if (n >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + n, len - n, fmt, ap);
	va_end(ap);
}

int famfs_dax_name(const char *dev, char *name, size_t len)
{
	char sys[PATH_MAX], link[PATH_MAX], *base;
	struct stat st;
	ssize_t n;

	if (stat(dev, &st) < 0)
		return -errno;
	if (!S_ISCHR(st.st_mode))
		return -ENODEV;
	sysfs_path(sys, sizeof(sys), "/dev/char/%u:%u", major(st.st_rdev),
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

	if (!name[0] || strchr(name, '/'))
		return -ENODEV;
	sysfs_path(path, sizeof(path), "/bus/dax/devices/%s", name);
	if (access(path, F_OK) < 0)
		return -ENODEV;
	sysfs_path(path, sizeof(path), "/bus/dax/devices/%s/driver", name);
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
	char path[PATH_MAX];

	sysfs_path(path, sizeof(path), "/bus/dax/drivers/" FAMFS_FSDEV_DRIVER);
	return access(path, F_OK) == 0;
}

/* write_attr() - write @val to the sysfs attribute @path; 0 or -errno */
static int write_attr(const char *path, const char *val)
{
	int fd, rc = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		rc = -errno;
	close(fd);
	return rc;
}

static int sysfs_write(const char *drv, const char *attr, const char *val)
{
	char path[PATH_MAX];

	sysfs_path(path, sizeof(path), "/bus/dax/drivers/%s/%s", drv, attr);
	return write_attr(path, val);
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

/* the kernel has driver @drv (true if there is no drivers directory at all) */
static bool have_driver(const char *drv)
{
	char path[PATH_MAX];

	sysfs_path(path, sizeof(path), "/bus/dax/drivers/");
	if (access(path, F_OK) < 0)
		return true;
	sysfs_path(path, sizeof(path), "/bus/dax/drivers/%s", drv);
	return access(path, F_OK) == 0;
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
	/* unbinding kmem would hot-remove online system RAM: never here */
	if (!strcmp(old, FAMFS_KMEM_DRIVER))
		return famfs_problem_set(p, EBUSY, -1, NULL,
			"%s is in system-ram mode (bound to kmem): famfs does not unbind kmem; daxctl reconfigure-device --mode=devdax --force %s takes it out (so does famfs mount -o daxmode=reconfigure)",
			name, name);
	if (!have_driver(drv))
		return famfs_problem_set(p, ENODEV, -1, NULL,
			"%s: the kernel has no %s driver (load its module, or this kernel cannot do it)",
			name, drv);
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

/* ------------------------------------------------------ system-ram mode */

int famfs_dax_find(const char *dev, char *name, size_t len)
{
	const char *tdir = getenv("FAMFS_TEST_DAXDIR");
	char path[PATH_MAX];
	const char *base;
	unsigned int a, b;
	size_t dl;
	int n = 0;

	if (famfs_dax_name(dev, name, len) == 0)
		return 0;
	/* the unit tests' fake /dev: never set in real use */
	if (!tdir || !*tdir)
		return -ENODEV;
	dl = strlen(tdir);
	if (strncmp(dev, tdir, dl) || dev[dl] != '/' ||
	    strchr(dev + dl + 1, '/'))
		return -ENODEV;
	if (access(dev, F_OK) == 0 || errno != ENOENT)
		return -ENODEV;
	base = dev + dl + 1;
	if (sscanf(base, "dax%u.%u%n", &a, &b, &n) != 2 || base[n])
		return -ENODEV;
	sysfs_path(path, sizeof(path), "/bus/dax/devices/%s", base);
	if (access(path, F_OK) < 0)
		return -ENODEV;
	snprintf(name, len, "%s", base);
	return 0;
}

/* one sysfs attribute, its first line, into @buf; 0 or -errno */
static int read_attr(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	err = errno;
	close(fd);
	if (n < 0)
		return -err;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static int read_u64(const char *path, int base, uint64_t *v)
{
	char buf[64], *end;
	int rc;

	rc = read_attr(path, buf, sizeof(buf));
	if (rc)
		return rc;
	errno = 0;
	*v = strtoull(buf, &end, base);
	if (errno || end == buf)
		return -EINVAL;
	return 0;
}

#define DAX_MAX_RANGES	64

/*
 * The physical ranges [start, end] of dax device @name: mappingN/start and
 * end, or (a static device) resource and size. Returns how many, or -errno.
 */
static int dax_ranges(const char *name, uint64_t r[][2])
{
	char path[PATH_MAX];
	uint64_t size, v;
	int n, rc;

	for (n = 0; ; n++) {
		sysfs_path(path, sizeof(path),
			   "/bus/dax/devices/%s/mapping%d/start", name, n);
		rc = read_u64(path, 0, &v);
		if (rc == -EACCES)
			return rc;
		if (rc < 0)
			break;
		if (n == DAX_MAX_RANGES)
			return -E2BIG;	/* more ranges than famfs reads */
		r[n][0] = v;
		sysfs_path(path, sizeof(path),
			   "/bus/dax/devices/%s/mapping%d/end", name, n);
		if (read_u64(path, 0, &r[n][1]) < 0 || r[n][1] < r[n][0])
			return -EIO;
	}
	if (n)
		return n;
	sysfs_path(path, sizeof(path), "/bus/dax/devices/%s/resource", name);
	rc = read_u64(path, 0, &r[0][0]);
	if (rc < 0)
		return rc == -EACCES ? rc : -ENODEV;
	sysfs_path(path, sizeof(path), "/bus/dax/devices/%s/size", name);
	rc = read_u64(path, 0, &size);
	if (rc < 0 || !size)
		return rc == -EACCES ? rc : -ENODEV;
	r[0][1] = r[0][0] + size - 1;
	return 1;
}

/* a memory block of a dax device's range, as sysfs shows it */
struct mblock {
	uint64_t idx;		/* /sys/devices/system/memory/memory<idx> */
	bool online;
	char zone[16];		/* the zone of an online block: Movable, Normal */
};

#define DAX_MAX_BLOCKS	(1u << 20)

/*
 * The memory blocks sysfs has in @name's ranges (kmem adds only whole
 * blocks), their state and zone; *@out is malloc()ed. 0 or -errno.
 */
static int dax_blocks(const char *name, struct mblock **out, unsigned int *nout,
		      uint64_t *bs)
{
	uint64_t r[DAX_MAX_RANGES][2], i, first, last;
	unsigned int n = 0, cap = 0;
	struct mblock *b = NULL, *nb;
	char path[PATH_MAX], st[64];
	int nr, k;

	*out = NULL;
	*nout = 0;
	sysfs_path(path, sizeof(path), "/devices/system/memory/block_size_bytes");
	nr = read_u64(path, 16, bs);
	if (nr == -EACCES)
		return nr;
	if (nr < 0 || !*bs)
		return -ENODEV;
	nr = dax_ranges(name, r);
	if (nr < 0)
		return nr;
	for (k = 0; k < nr; k++) {
		first = (r[k][0] + *bs - 1) / *bs;
		last = (r[k][1] + 1) / *bs;	/* exclusive */
		if (last > first && last - first > DAX_MAX_BLOCKS) {
			free(b);
			return -E2BIG;
		}
		for (i = first; i < last; i++) {
			sysfs_path(path, sizeof(path),
				   "/devices/system/memory/memory%llu/state",
				   (unsigned long long)i);
			if (read_attr(path, st, sizeof(st)) < 0)
				continue;	/* not hot-plugged */
			if (n == cap) {
				if (cap >= DAX_MAX_BLOCKS) {
					free(b);
					return -E2BIG;
				}
				cap = cap ? cap * 2 : 64;
				nb = realloc(b, cap * sizeof(*b));
				if (!nb) {
					free(b);
					return -ENOMEM;
				}
				b = nb;
			}
			memset(&b[n], 0, sizeof(b[n]));
			b[n].idx = i;
			b[n].online = !strncmp(st, "online", 6);
			if (b[n].online) {
				char z[64];

				sysfs_path(path, sizeof(path),
					   "/devices/system/memory/memory%llu/valid_zones",
					   (unsigned long long)i);
				if (read_attr(path, z, sizeof(z)) == 0)
					snprintf(b[n].zone, sizeof(b[n].zone),
						 "%.*s", (int)strcspn(z, " "), z);
			}
			n++;
		}
	}
	*out = b;
	*nout = n;
	return 0;
}

static void count_blocks(const struct mblock *b, unsigned int n, uint64_t bs,
			 struct famfs_dax_mem *m)
{
	unsigned int i;

	memset(m, 0, sizeof(*m));
	m->block_size = bs;
	m->blocks = n;
	for (i = 0; i < n; i++) {
		if (!b[i].online)
			continue;
		m->online++;
		if (!strcmp(b[i].zone, "Movable"))
			m->movable++;
	}
}

int famfs_dax_memory(const char *name, struct famfs_dax_mem *m)
{
	struct mblock *b;
	unsigned int n;
	uint64_t bs;
	int rc;

	memset(m, 0, sizeof(*m));
	rc = dax_blocks(name, &b, &n, &bs);
	if (rc)
		return rc;
	count_blocks(b, n, bs, m);
	free(b);
	return 0;
}

const char *famfs_daxmode_back(const char *saved)
{
	return strcmp(saved, FAMFS_KMEM_DRIVER) ? saved : FAMFS_DEVDAX_DRIVER;
}

static int mkdir_p(const char *dir);

static bool is_prog(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISREG(st.st_mode) && access(p, X_OK) == 0;
}

int famfs_daxctl_path(char *out, size_t len)
{
	const char *env = getenv("FAMFS_DAXCTL");
	const char *path = getenv("PATH"), *dir, *e;
	const char *first = env && *env == '/' ? env : FAMFS_DAXCTL;
	int n;

	/* the build's (or $FAMFS_DAXCTL's) daxctl first, then $PATH's */
	if (is_prog(first) && snprintf(out, len, "%s", first) < (int)len)
		return 0;
	if (!path || !*path)
		path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	for (dir = path; *dir; dir = *e ? e + 1 : e) {
		e = strchrnul(dir, ':');
		if (dir[0] != '/')
			continue;	/* never a relative directory as root */
		n = snprintf(out, len, "%.*s/daxctl", (int)(e - dir), dir);
		if (n > 0 && (size_t)n < len && is_prog(out))
			return 0;
	}
	out[0] = '\0';
	return -ENOENT;
}

int famfs_dax_lock(const char *name)
{
	char path[PATH_MAX];
	int fd;

	if (mkdir_p(rundir()) < 0)
		return -errno;
	snprintf(path, sizeof(path), "%s/%s.lock", rundir(), name);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	while (flock(fd, LOCK_EX) < 0) {
		if (errno != EINTR) {
			int err = errno;

			close(fd);
			return -err;
		}
	}
	return fd;
}

/* wait up to @ms for @pid; its status, or -1 (still there) */
static int wait_bounded(pid_t pid, long ms)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	int st;
	long t;

	for (t = 0; t <= ms; t += 20) {
		pid_t w = waitpid(pid, &st, WNOHANG);

		if (w == pid)
			return st;
		if (w < 0 && errno != EINTR)
			return -1;
		nanosleep(&ts, NULL);
	}
	return -1;
}

/*
 * Run @argv (program @path) in its own process group (a ^C to famfs's does
 * not reach it) with stdin /dev/null, its stdout and stderr into @out (the
 * first @len - 1 bytes, NUL-terminated); killed after @timeout_s seconds
 * (r->timed_out). The signals of @sigs, blocked by the caller, are read
 * from a signalfd: the first is recorded in r->sig and passed on to it as
 * SIGTERM. Returns its wait status, -1 if it did not die (r->stuck), or
 * -errno if it could not be started.
 */
static int run_capture(const char *path, char *const argv[], char *out,
		       size_t len, int timeout_s, const sigset_t *sigs,
		       struct famfs_dax_reconf *r)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL }, oldchld;
	struct timespec t0, now, ts = { 0, 0 };
	int pfd[2], st = 0, err, sfd;
	size_t used = 0;
	bool eof = false;
	pid_t pid;

	if (pipe2(pfd, O_CLOEXEC) < 0)
		return -errno;
	sfd = signalfd(-1, sigs, SFD_CLOEXEC | SFD_NONBLOCK);
	/* an inherited SIG_IGN would make the kernel reap it for us */
	sigemptyset(&dfl.sa_mask);
	sigaction(SIGCHLD, &dfl, &oldchld);
	pid = fork();
	if (pid < 0) {
		err = errno;
		close(pfd[0]);
		close(pfd[1]);
		if (sfd >= 0)
			close(sfd);
		sigaction(SIGCHLD, &oldchld, NULL);
		return -err;
	}
	if (pid == 0) {
		sigset_t none;
		int w = pfd[1], nul;

		setpgid(0, 0);
		/* a pipe end on 1 or 2: dup2 would keep its O_CLOEXEC */
		if (w <= 2) {
			w = fcntl(pfd[1], F_DUPFD_CLOEXEC, 3);
			if (w < 0)
				_exit(127);
		}
		nul = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (nul >= 0 && nul != 0)
			dup2(nul, 0);
		else if (nul == 0)
			fcntl(0, F_SETFD, 0);
		if (dup2(w, 1) < 0 || dup2(w, 2) < 0)
			_exit(127);
		for (int i = 0; i < NSIG; i++)
			if (i != SIGKILL && i != SIGSTOP)
				signal(i, SIG_DFL);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		execv(path, argv);
		_exit(127);
	}
	setpgid(pid, pid);	/* either side may win the race */
	close(pfd[1]);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!eof) {
		struct pollfd pf[2] = { { .fd = pfd[0], .events = POLLIN },
					{ .fd = sfd, .events = POLLIN } };
		char buf[1024];
		long left;
		ssize_t n;
		int rc;

		clock_gettime(CLOCK_MONOTONIC, &now);
		left = timeout_s * 1000L - (now.tv_sec - t0.tv_sec) * 1000L -
		       (now.tv_nsec - t0.tv_nsec) / 1000000L;
		if (r->sig) {
			/* told to stop: 30 s for it after the signal */
			long sl = 30000L - (now.tv_sec - ts.tv_sec) * 1000L -
				  (now.tv_nsec - ts.tv_nsec) / 1000000L;

			if (sl <= 0)
				break;	/* SIGKILL below */
			if (sl < left)
				left = sl;
		}
		if (left <= 0) {
			r->timed_out = true;
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			break;
		}
		rc = poll(pf, sfd >= 0 ? 2 : 1, (int)left);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc < 0) {
			/* cannot wait on it: stop it rather than spin */
			kill(-pid, SIGTERM);
			kill(pid, SIGTERM);
			break;
		}
		if (rc == 0)
			continue;	/* the time is up */
		if (sfd >= 0 && (pf[1].revents & POLLIN)) {
			struct signalfd_siginfo si;

			while (read(sfd, &si, sizeof(si)) == sizeof(si))
				if (!r->sig) {
					r->sig = (int)si.ssi_signo;
					clock_gettime(CLOCK_MONOTONIC, &ts);
					kill(pid, SIGTERM);
				}
		}
		if (!(pf[0].revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		n = read(pfd[0], buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			eof = true;
			break;
		}
		if (used + 1 < len) {
			size_t k = (size_t)n < len - 1 - used ? (size_t)n
							      : len - 1 - used;

			memcpy(out + used, buf, k);
			used += k;
		}
	}
	close(pfd[0]);
	out[used] = '\0';
	if (eof && !r->sig) {
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
	} else {
		/* killed or told to stop: it has 10 s to go */
		st = wait_bounded(pid, 10000);
		if (st == -1 && !r->timed_out) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			st = wait_bounded(pid, 5000);
		}
		if (st == -1)
			r->stuck = true;
	}
	if (sfd >= 0) {
		struct signalfd_siginfo si;

		while (read(sfd, &si, sizeof(si)) == sizeof(si))
			if (!r->sig)
				r->sig = (int)si.ssi_signo;
		close(sfd);
	}
	sigaction(SIGCHLD, &oldchld, NULL);
	return st;
}

/*
 * The line of daxctl's output that says why it failed, into @msg: the
 * first that names the most telling of these words, else its last line
 * (never its JSON)
 */
static void why_line(const char *out, char *msg, size_t len)
{
	static const char *const keys[] = { "failed to offline memory",
					    "offline", "fail", "error",
					    "refus", "busy" };
	char line[512], last[512] = "", pick[512] = "";
	const char *l, *e;
	size_t k, best = sizeof(keys) / sizeof(keys[0]);

	for (l = out; *l; l = *e ? e + 1 : e) {
		e = strchrnul(l, '\n');
		while (l < e && isspace((unsigned char)*l))
			l++;
		if (l == e || strchr("[]{}\"", *l))
			continue;	/* blank, or daxctl's JSON */
		snprintf(line, sizeof(line), "%.*s", (int)(e - l), l);
		snprintf(last, sizeof(last), "%s", line);
		for (k = 0; k < best; k++)
			if (strcasestr(line, keys[k]))
				break;
		if (k < best) {
			best = k;
			snprintf(pick, sizeof(pick), "%s", line);
		}
	}
	snprintf(msg, len, "%s", pick[0] ? pick : last);
}

static int set_block_state(uint64_t idx, const char *state)
{
	char path[PATH_MAX];

	sysfs_path(path, sizeof(path), "/devices/system/memory/memory%llu/state",
		   (unsigned long long)idx);
	return write_attr(path, state);
}

/*
 * online again, in its old zone, each block of @was that is offline now;
 * one whose zone famfs does not know (none, unreadable) stays offline and
 * is counted lost, as is every one if the blocks cannot be read
 */
static void reonline(const char *name, const struct mblock *was, unsigned int n,
		     struct famfs_dax_reconf *r)
{
	struct mblock *now;
	unsigned int nn, i, j;
	uint64_t bs;

	if (dax_blocks(name, &now, &nn, &bs) < 0) {
		for (i = 0; i < n; i++)
			if (was[i].online)
				r->lost++;
		return;
	}
	for (i = 0; i < n; i++) {
		const char *st;

		if (!was[i].online)
			continue;
		for (j = 0; j < nn && now[j].idx != was[i].idx; j++)
			;
		if (j < nn && now[j].online)
			continue;
		st = !strcmp(was[i].zone, "Movable") ? "online_movable" :
		     !strcmp(was[i].zone, "Normal") ? "online_kernel" : NULL;
		if (j < nn && st && set_block_state(was[i].idx, st) == 0)
			r->reonlined++;
		else
			r->lost++;
	}
	free(now);
}

/* of the blocks @was had online, how many are online now */
static unsigned int still_online(const char *name, const struct mblock *was,
				 unsigned int n)
{
	struct mblock *now;
	unsigned int nn, i, j, k = 0;
	uint64_t bs;

	if (dax_blocks(name, &now, &nn, &bs) < 0)
		return 0;
	for (i = 0; i < n; i++) {
		if (!was[i].online)
			continue;
		for (j = 0; j < nn && now[j].idx != was[i].idx; j++)
			;
		if (j < nn && now[j].online)
			k++;
	}
	free(now);
	return k;
}

int famfs_dax_reconfigure(const char *name, struct famfs_dax_reconf *r)
{
	char *argv[] = { "daxctl", "reconfigure-device", "--mode=devdax",
			 "--force", (char *)name, NULL };
	struct mblock *before = NULL;
	sigset_t stop, old;
	char out[8192];
	unsigned int n;
	uint64_t bs;
	int rc, st;

	memset(r, 0, sizeof(*r));
	r->status = -1;
	r->timeout_s = FAMFS_DAXCTL_TIMEOUT;
	if (getenv("FAMFS_DAXCTL_TIMEOUT") && atoi(getenv("FAMFS_DAXCTL_TIMEOUT")) > 0)
		r->timeout_s = atoi(getenv("FAMFS_DAXCTL_TIMEOUT"));
	rc = famfs_dax_driver(name, r->drv, sizeof(r->drv));
	if (rc)
		return rc;
	if (strcmp(r->drv, FAMFS_KMEM_DRIVER))
		return -EINVAL;
	if (famfs_daxctl_path(r->daxctl, sizeof(r->daxctl)) < 0)
		return -ENOENT;
	rc = dax_blocks(name, &before, &n, &bs);
	if (rc)
		return rc;
	count_blocks(before, n, bs, &r->before);

	/*
	 * a ^C or a stop must not leave the memory half offline: they are
	 * blocked, read from a signalfd, passed on to daxctl as SIGTERM;
	 * the caller re-raises r->sig once it has said what happened
	 */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGHUP);
	sigaddset(&stop, SIGQUIT);
	sigprocmask(SIG_BLOCK, &stop, &old);
	st = run_capture(r->daxctl, argv, out, sizeof(out),
			 r->timeout_s, &stop, r);
	if (st < -1) {
		snprintf(r->msg, sizeof(r->msg), "cannot start it: %s",
			 strerror(-st));
		rc = -EIO;
		goto done;
	}
	if (st >= 0 && WIFEXITED(st))
		r->status = WEXITSTATUS(st);
	else if (st >= 0 && WIFSIGNALED(st))
		r->killsig = WTERMSIG(st);
	why_line(out, r->msg, sizeof(r->msg));
	if (r->stuck) {
		rc = -ETIMEDOUT;	/* it may still change the device */
		goto done;
	}
	if (r->status == 0)
		bound_to(name, FAMFS_DEVDAX_DRIVER);
	famfs_dax_driver(name, r->drv, sizeof(r->drv));
	if (!r->drv[0] && attach(name, FAMFS_DEVDAX_DRIVER) == 0)
		famfs_dax_driver(name, r->drv, sizeof(r->drv));
	if (!strcmp(r->drv, FAMFS_DEVDAX_DRIVER)) {
		rc = 0;
		goto done;
	}
	if (strcmp(r->drv, FAMFS_KMEM_DRIVER)) {
		rc = -EIO;	/* no driver, or another one */
		goto done;
	}
	/*
	 * still system RAM. The kernel refused to offline when daxctl ended
	 * by itself with an error and blocks that were online still are
	 * (daxctl stops at the first block that fails)
	 */
	r->offline_failed = !r->timed_out && !r->sig && r->status > 0 &&
			    r->before.online &&
			    still_online(name, before, n) > 0;
	reonline(name, before, n, r);
	rc = -EBUSY;
done:
	if (famfs_dax_memory(name, &r->after) < 0)
		memset(&r->after, 0, sizeof(r->after));
	{
		/* one that came during the re-onlining: for the caller too */
		struct timespec z = { 0, 0 };
		int sg;

		while ((sg = sigtimedwait(&stop, NULL, &z)) > 0)
			if (!r->sig)
				r->sig = sg;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	free(before);
	return rc;
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
