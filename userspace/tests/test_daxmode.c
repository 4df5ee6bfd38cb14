// SPDX-License-Identifier: Apache-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * test_daxmode.c - dax devices in system-ram mode (kmem), on a fake sysfs
 *
 * $FAMFS_SYSFS points lib/daxmode.c at a tree made here:
 *
 *   bus/dax/drivers/{kmem,device_dax,fsdev_dax}/
 *   bus/dax/devices/dax0.0/{driver -> ../../drivers/kmem, resource, size}
 *   bus/dax/devices/dax1.0/{driver -> ../../drivers/device_dax, mapping0/}
 *   devices/system/memory/block_size_bytes            8000000 (128 MiB)
 *   devices/system/memory/memory31..40/{state,valid_zones}
 *
 * dax0.0 is 1 GiB at 4 GiB: memory blocks 32..39; 31 and 40 lie outside.
 * A fake daxctl in $PATH plays the real one's part: it rewrites the driver
 * link and the block states, or fails the way daxctl does when the kernel
 * cannot offline a block. The commands' refusals and messages are checked
 * through build/famfs, mount.famfs and mkfs.famfs on a dev/dax0.0 path in
 * the test's directory that does not exist: famfs_dax_find() names the
 * device by it (a char device node cannot be made without root).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

struct fake {
	char dir[256];		/* the test's temporary directory */
	char sys[300];		/* its fake sysfs */
	char bin[300];		/* a $PATH with the fake daxctl */
	char empty[300];	/* a $PATH without daxctl */
	char path0[PATH_MAX];	/* the original $PATH */
};

static struct fake F;

static void put(const char *path, const char *txt)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(txt, f);
	assert_int_equal(fclose(f), 0);
}

static void get(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

static void sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void sh(const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	assert_int_equal(system(cmd), 0);
}

static void block(int idx, const char *state, const char *zones)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/devices/system/memory/memory%d", F.sys, idx);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/devices/system/memory/memory%d/state",
		 F.sys, idx);
	put(p, state);
	snprintf(p, sizeof(p), "%s/devices/system/memory/memory%d/valid_zones",
		 F.sys, idx);
	put(p, zones);
}

static void block_state(int idx, char *buf, size_t len)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/devices/system/memory/memory%d/state",
		 F.sys, idx);
	get(p, buf, len);
}

static void driver(const char *dev, char *buf, size_t len)
{
	assert_int_equal(famfs_dax_driver(dev, buf, len), 0);
}

/* the fake daxctl: @body is its shell script after "#!/bin/sh" */
static void fake_daxctl(const char *body)
{
	char p[400];

	snprintf(p, sizeof(p), "%s/daxctl", F.bin);
	put(p, body);
	assert_int_equal(chmod(p, 0755), 0);
}

static int setup(void **state)
{
	const char *path = getenv("PATH");
	char p[400];
	int i;

	(void)state;
	memset(&F, 0, sizeof(F));
	snprintf(F.path0, sizeof(F.path0), "%s", path ? path : "/usr/bin:/bin");
	tmpdir_new(F.dir, sizeof(F.dir));
	snprintf(F.sys, sizeof(F.sys), "%s/sys", F.dir);
	snprintf(F.bin, sizeof(F.bin), "%s/bin", F.dir);
	snprintf(F.empty, sizeof(F.empty), "%s/nothing", F.dir);
	sh("cd '%s' && mkdir -p bin nothing dev mnt run sys/bus/dax/drivers/kmem "
	   "sys/bus/dax/drivers/device_dax sys/bus/dax/drivers/fsdev_dax "
	   "sys/bus/dax/devices/dax0.0 sys/bus/dax/devices/dax1.0/mapping0 "
	   "sys/devices/system/memory && "
	   "ln -s ../../drivers/kmem sys/bus/dax/devices/dax0.0/driver && "
	   "ln -s ../../drivers/device_dax sys/bus/dax/devices/dax1.0/driver && "
	   "echo 0x100000000 >sys/bus/dax/devices/dax0.0/resource && "
	   "echo 1073741824 >sys/bus/dax/devices/dax0.0/size && "
	   "echo 0x200000000 >sys/bus/dax/devices/dax1.0/mapping0/start && "
	   "echo 0x20fffffff >sys/bus/dax/devices/dax1.0/mapping0/end && "
	   "echo 8000000 >sys/devices/system/memory/block_size_bytes && "
	   "touch sys/bus/dax/drivers/device_dax/new_id "
	   "sys/bus/dax/drivers/device_dax/bind sys/bus/dax/drivers/kmem/unbind",
	   F.dir);
	for (i = 31; i <= 40; i++)
		block(i, "online", "Movable");
	block(35, "online", "Normal");
	setenv("FAMFS_SYSFS", F.sys, 1);
	setenv("FAMFS_RUNDIR", F.dir, 1);
	/* the fake /dev (no char nodes without root), the fake daxctl */
	snprintf(p, sizeof(p), "%s/dev", F.dir);
	setenv("FAMFS_TEST_DAXDIR", p, 1);
	snprintf(p, sizeof(p), "%s/daxctl", F.bin);
	setenv("FAMFS_DAXCTL", p, 1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	setenv("PATH", F.path0, 1);
	unsetenv("FAMFS_SYSFS");
	unsetenv("FAMFS_RUNDIR");
	unsetenv("FAMFS_TEST_DAXDIR");
	unsetenv("FAMFS_DAXCTL");
	tmpdir_rm(F.dir);
	return 0;
}

/*
 * Only an existing dax char node names a device: a missing path never does
 * (mkfs.famfs -K /nonexistent/typo/dax0.0 must not touch dax0.0), except, for these
 * tests, a missing daxX.Y directly in $FAMFS_TEST_DAXDIR
 */
static void test_find(void **state)
{
	char name[64], p[400];

	(void)state;
	snprintf(p, sizeof(p), "%s/dev/dax0.0", F.dir);
	assert_int_equal(famfs_dax_find(p, name, sizeof(name)), 0);
	assert_string_equal(name, "dax0.0");
	/* a bare name, another directory, a subdirectory: not a device */
	assert_int_equal(famfs_dax_find("dax1.0", name, sizeof(name)), -ENODEV);
	assert_int_equal(famfs_dax_find("/nonexistent/typo/dax0.0", name,
					sizeof(name)), -ENODEV);
	snprintf(p, sizeof(p), "%s/nothing/dax0.0", F.dir);
	assert_int_equal(famfs_dax_find(p, name, sizeof(name)), -ENODEV);
	snprintf(p, sizeof(p), "%s/dev/x/dax0.0", F.dir);
	assert_int_equal(famfs_dax_find(p, name, sizeof(name)), -ENODEV);
	snprintf(p, sizeof(p), "%s/dev/dax9.9", F.dir);
	assert_int_equal(famfs_dax_find(p, name, sizeof(name)), -ENODEV);
	snprintf(p, sizeof(p), "%s/dev/dax0.0x", F.dir);
	assert_int_equal(famfs_dax_find(p, name, sizeof(name)), -ENODEV);
	snprintf(p, sizeof(p), "%s/dev/pmem0", F.dir);
	assert_int_equal(famfs_dax_find(p, name, sizeof(name)), -ENODEV);
	/* a file that exists is what it is, whatever its name */
	snprintf(p, sizeof(p), "%s/dev/dax0.0", F.dir);
	put(p, "x");
	assert_int_equal(famfs_dax_find(p, name, sizeof(name)), -ENODEV);
	unlink(p);
	/* without the test directory, nothing but a real node */
	unsetenv("FAMFS_TEST_DAXDIR");
	assert_int_equal(famfs_dax_find(p, name, sizeof(name)), -ENODEV);
}

/* the memory blocks inside the device's range, from resource + size */
static void test_memory(void **state)
{
	struct famfs_dax_mem m;
	char drv[64];

	(void)state;
	driver("dax0.0", drv, sizeof(drv));
	assert_string_equal(drv, FAMFS_KMEM_DRIVER);
	assert_int_equal(famfs_dax_memory("dax0.0", &m), 0);
	assert_int_equal(m.block_size, 128 * MiB);
	assert_int_equal(m.blocks, 8);		/* 32..39, not 31 or 40 */
	assert_int_equal(m.online, 8);
	assert_int_equal(m.movable, 7);		/* 35 is Normal */
	block(33, "offline", "Normal Movable");
	block(34, "going-offline", "Movable");
	assert_int_equal(famfs_dax_memory("dax0.0", &m), 0);
	assert_int_equal(m.blocks, 8);
	assert_int_equal(m.online, 6);
	/* dax1.0 (mapping0, at 8 GiB): no memory blocks there */
	assert_int_equal(famfs_dax_memory("dax1.0", &m), 0);
	assert_int_equal(m.blocks, 0);
	assert_int_equal(famfs_dax_memory("dax7.0", &m), -ENODEV);
}

/* famfs never unbinds kmem through sysfs */
static void test_bind_refuses_kmem(void **state)
{
	struct famfs_problem p;
	char drv[64], st[32];

	(void)state;
	assert_int_equal(famfs_dax_bind("dax0.0", FAMFS_FSDEV_DRIVER, &p),
			 -EBUSY);
	assert_non_null(strstr(p.msg, "system-ram mode"));
	driver("dax0.0", drv, sizeof(drv));
	assert_string_equal(drv, FAMFS_KMEM_DRIVER);
	block_state(32, st, sizeof(st));
	assert_string_equal(st, "online");
}

/* without daxctl nothing is touched */
static void test_reconfigure_no_daxctl(void **state)
{
	struct famfs_dax_reconf r;
	char drv[64];

	(void)state;
	setenv("PATH", F.empty, 1);
	assert_int_equal(famfs_dax_reconfigure("dax0.0", &r), -ENOENT);
	setenv("PATH", F.path0, 1);
	assert_string_equal(r.daxctl, "");
	driver("dax0.0", drv, sizeof(drv));
	assert_string_equal(drv, FAMFS_KMEM_DRIVER);
	assert_int_equal(famfs_dax_reconfigure("dax1.0", &r), -EINVAL);
}

/* daxctl offlines two blocks, then the kernel refuses the third */
static void test_reconfigure_offline_fails(void **state)
{
	struct famfs_dax_reconf r;
	char body[2048], drv[64], st[128];

	(void)state;
	snprintf(body, sizeof(body),
		 "#!/bin/sh\n"
		 "m=%s/devices/system/memory\n"
		 "echo \"$*\" >%s/args\n"
		 "echo offline >$m/memory32/state\n"
		 "echo offline >$m/memory35/state\n"
		 "echo 'libdaxctl: offline_one_memblock: dax0.0: Failed to offline /sys/devices/system/node/node1/memory36/state: Device or resource busy' >&2\n"
		 "echo 'dax0.0: failed to offline memory: Device or resource busy' >&2\n"
		 "echo 'error reconfiguring devices: Device or resource busy' >&2\n"
		 "echo 'reconfigured 0 devices' >&2\n"
		 "exit 1\n", F.sys, F.dir);
	fake_daxctl(body);
	setenv("PATH", F.bin, 1);
	assert_int_equal(famfs_dax_reconfigure("dax0.0", &r), -EBUSY);
	setenv("PATH", F.path0, 1);
	snprintf(body, sizeof(body), "%s/args", F.dir);
	get(body, st, sizeof(st));
	assert_string_equal(st, "reconfigure-device --mode=devdax --force dax0.0");
	assert_int_equal(r.status, 1);
	assert_true(r.offline_failed);
	assert_false(r.timed_out);
	assert_string_equal(r.msg,
		"dax0.0: failed to offline memory: Device or resource busy");
	assert_string_equal(r.drv, FAMFS_KMEM_DRIVER);
	assert_int_equal(r.before.online, 8);
	assert_int_equal(r.reonlined, 2);
	assert_int_equal(r.lost, 0);
	assert_int_equal(r.after.online, 8);
	/* each block onlined again into the zone it was in */
	block_state(32, st, sizeof(st));
	assert_string_equal(st, "online_movable");
	block_state(35, st, sizeof(st));
	assert_string_equal(st, "online_kernel");
	block_state(33, st, sizeof(st));
	assert_string_equal(st, "online");
	driver("dax0.0", drv, sizeof(drv));
	assert_string_equal(drv, FAMFS_KMEM_DRIVER);
}

/* daxctl does it: kmem unbound, blocks removed, device_dax bound */
static void test_reconfigure_ok(void **state)
{
	static char path[PATH_MAX + 400];
	struct famfs_dax_reconf r;
	char body[2048], drv[64];

	(void)state;
	snprintf(body, sizeof(body),
		 "#!/bin/sh\n"
		 "s=%s\n"
		 "rm -rf $s/devices/system/memory/memory3[2-9]\n"
		 "ln -sfn ../../drivers/device_dax $s/bus/dax/devices/dax0.0/driver\n"
		 "echo '[ { \"chardev\":\"dax0.0\", \"mode\":\"devdax\" } ]'\n"
		 "echo 'reconfigured 1 device' >&2\n", F.sys);
	fake_daxctl(body);
	snprintf(path, sizeof(path), "%s:%s", F.bin, F.path0);
	setenv("PATH", path, 1);
	assert_int_equal(famfs_dax_reconfigure("dax0.0", &r), 0);
	setenv("PATH", F.path0, 1);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.drv, FAMFS_DEVDAX_DRIVER);
	assert_int_equal(r.before.blocks, 8);
	assert_int_equal(r.before.online, 8);
	assert_int_equal(r.after.blocks, 0);
	assert_non_null(strstr(r.daxctl, "/bin/daxctl"));
	driver("dax0.0", drv, sizeof(drv));
	assert_string_equal(drv, FAMFS_DEVDAX_DRIVER);
}

/* umount gives a device famfs took from kmem back in devdax mode */
static void test_daxmode_back(void **state)
{
	char drv[64];

	(void)state;
	assert_string_equal(famfs_daxmode_back(FAMFS_KMEM_DRIVER),
			    FAMFS_DEVDAX_DRIVER);
	assert_string_equal(famfs_daxmode_back(FAMFS_DEVDAX_DRIVER),
			    FAMFS_DEVDAX_DRIVER);
	assert_string_equal(famfs_daxmode_back(""), "");
	assert_int_equal(famfs_daxmode_save("dax0.0", FAMFS_KMEM_DRIVER, NULL), 0);
	assert_int_equal(famfs_daxmode_saved("dax0.0", drv, sizeof(drv)), 0);
	assert_string_equal(drv, FAMFS_KMEM_DRIVER);
	famfs_daxmode_forget("dax0.0");
	assert_int_equal(famfs_daxmode_saved("dax0.0", drv, sizeof(drv)),
			 -ENOENT);
}

/* nothing about the device changed: still kmem, every block online */
static void unchanged(void)
{
	struct famfs_dax_mem m;
	char drv[64];

	driver("dax0.0", drv, sizeof(drv));
	assert_string_equal(drv, FAMFS_KMEM_DRIVER);
	assert_int_equal(famfs_dax_memory("dax0.0", &m), 0);
	assert_int_equal(m.online, 8);
	assert_int_equal(m.blocks, 8);
}

/*
 * The commands: refused with exit status 5 and the same facts; -K without
 * daxctl 6; -K with a daxctl that cannot offline 5 and the device as it was
 */
static void test_cli(void **state)
{
	static const char *const key[] = {
		"is in system-ram mode: the kmem driver has onlined its memory as system RAM (8 of 8 memory blocks online, 1 GiB)",
		": famfs needs it in devdax mode; nothing was changed\n",
		": run 'daxctl reconfigure-device --mode=devdax --force dax0.0' (it offlines the memory), or ",
	};
	char famfs[300], mount[300], mkfs[300], dev[400], mnt[400], env[1600];
	char cmd[4096], body[1024], want[600];
	static char out[16384];
	size_t i;

	(void)state;
	tbin("famfs", famfs, sizeof(famfs));
	tbin("mount.famfs", mount, sizeof(mount));
	tbin("mkfs.famfs", mkfs, sizeof(mkfs));
	if (access(famfs, X_OK) < 0 || access(mkfs, X_OK) < 0)
		skip();
	snprintf(dev, sizeof(dev), "%s/dev/dax0.0", F.dir);
	snprintf(mnt, sizeof(mnt), "%s/mnt", F.dir);
	snprintf(env, sizeof(env), "env FAMFS_SYSFS=%s FAMFS_RUNDIR=%s/run",
		 F.sys, F.dir);

	snprintf(cmd, sizeof(cmd), "%s %s mount %s %s 2>&1", env, famfs, dev, mnt);
	assert_int_equal(trun(cmd, out, sizeof(out)), 5);
	snprintf(want, sizeof(want), "famfs mount: %s (dax0.0) %s\n", dev, key[0]);
	assert_non_null(strstr(out, want));
	for (i = 1; i < 3; i++)
		assert_non_null(strstr(out, key[i]));
	assert_non_null(strstr(out, "or use famfs mount -K (-o daxmode=reconfigure) to have famfs do that\n"));
	unchanged();

	/* daxmode=famfs does not unbind kmem either */
	snprintf(cmd, sizeof(cmd), "%s %s %s %s -o daxmode=famfs 2>&1", env,
		 mount, dev, mnt);
	assert_int_equal(trun(cmd, out, sizeof(out)), 5);
	snprintf(want, sizeof(want), "mount.famfs: %s (dax0.0) %s\n", dev, key[0]);
	assert_non_null(strstr(out, want));
	assert_non_null(strstr(out, "or mount with -o daxmode=reconfigure to have famfs do that\n"));
	unchanged();

	snprintf(cmd, sizeof(cmd), "%s %s -M %s 2>&1", env, mkfs, dev);
	assert_int_equal(trun(cmd, out, sizeof(out)), 5);
	assert_non_null(strstr(out, "mkfs.famfs: "));
	assert_non_null(strstr(out, key[0]));
	assert_non_null(strstr(out, "or use mkfs.famfs -K (--reconfigure-daxmode) to have famfs do that\n"));
	unchanged();

	snprintf(cmd, sizeof(cmd), "%s %s fsck %s 2>&1", env, famfs, dev);
	assert_int_equal(trun(cmd, out, sizeof(out)), 5);
	assert_non_null(strstr(out, "famfs fsck: "));
	assert_non_null(strstr(out, key[1]));
	assert_non_null(strstr(out, "or use famfs fsck -K (--reconfigure-daxmode) to have famfs do that\n"));
	unchanged();

	/* -K, no daxctl in $PATH */
	snprintf(cmd, sizeof(cmd), "%s PATH=%s %s mount -K %s %s 2>&1", env,
		 F.empty, famfs, dev, mnt);
	assert_int_equal(trun(cmd, out, sizeof(out)), 6);
	assert_non_null(strstr(out, "famfs mount: cannot take dax0.0 out of system-ram mode: the daxctl program is not installed (not found in $PATH)\n"));
	assert_non_null(strstr(out, "famfs mount: install the daxctl package (Debian, Ubuntu: apt install daxctl; Fedora, RHEL: dnf install daxctl); nothing was changed\n"));
	unchanged();

	/* -K, the kernel refuses to offline a block: back as it was */
	snprintf(body, sizeof(body),
		 "#!/bin/sh\n"
		 "echo offline >%s/devices/system/memory/memory36/state\n"
		 "echo 'dax0.0: failed to offline memory: Device or resource busy' >&2\n"
		 "exit 1\n", F.sys);
	fake_daxctl(body);
	snprintf(cmd, sizeof(cmd), "%s PATH=%s %s %s %s -o ro,daxmode=reconfigure 2>&1",
		 env, F.bin, mount, dev, mnt);
	assert_int_equal(trun(cmd, out, sizeof(out)), 5);
	snprintf(want, sizeof(want),
		 "mount.famfs: dax0.0: the kernel could not offline its memory: '%s/daxctl reconfigure-device --mode=devdax --force dax0.0' failed (exit 1): dax0.0: failed to offline memory: Device or resource busy\n",
		 F.bin);
	assert_non_null(strstr(out, want));
	assert_non_null(strstr(out, "mount.famfs: dax0.0: the kernel has placed unmovable data (its own allocations) in that memory, and cannot move it out while the system runs\n"));
	assert_non_null(strstr(out, "mount.famfs: dax0.0: left in system-ram mode, unchanged: bound to kmem, 8 of 8 memory blocks online, 1 GiB, as before (famfs onlined again the 1 that daxctl had offlined)\n"));
	assert_non_null(strstr(out, "mount.famfs: to use it for famfs, boot with its memory left offline (memhp_default_state=offline"));
	unchanged();
	snprintf(cmd, sizeof(cmd), "%s/run/dax0.0.daxmode", F.dir);
	assert_int_equal(access(cmd, F_OK), -1);

	/* -f -K: says what it would do, does nothing */
	snprintf(cmd, sizeof(cmd), "%s %s mount -f -K %s %s 2>&1", env, famfs,
		 dev, mnt);
	assert_int_equal(trun(cmd, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "would take dax0.0 out of system-ram mode (8 of 8 memory blocks online, 1 GiB): daxctl reconfigure-device --mode=devdax --force dax0.0\n"));
	unchanged();
}

/* daxctl hangs: killed after $FAMFS_DAXCTL_TIMEOUT s, its block back online */
static void test_reconfigure_timeout(void **state)
{
	struct famfs_dax_reconf r;
	char body[1024], st[64];

	(void)state;
	snprintf(body, sizeof(body),
		 "#!/bin/sh\n"
		 "echo offline >%s/devices/system/memory/memory32/state\n"
		 "exec sleep 30\n", F.sys);
	fake_daxctl(body);
	setenv("FAMFS_DAXCTL_TIMEOUT", "1", 1);
	assert_int_equal(famfs_dax_reconfigure("dax0.0", &r), -EBUSY);
	unsetenv("FAMFS_DAXCTL_TIMEOUT");
	assert_true(r.timed_out);
	assert_false(r.offline_failed);	/* a timeout says it timed out */
	assert_false(r.stuck);
	assert_int_equal(r.timeout_s, 1);
	assert_int_equal(r.reonlined, 1);
	assert_int_equal(r.lost, 0);
	block_state(32, st, sizeof(st));
	assert_string_equal(st, "online_movable");
	unchanged();
}

/* daxctl killed by a signal: not "could not offline" */
static void test_reconfigure_killed(void **state)
{
	struct famfs_dax_reconf r;

	(void)state;
	fake_daxctl("#!/bin/sh\nkill -9 $$\n");
	assert_int_equal(famfs_dax_reconfigure("dax0.0", &r), -EBUSY);
	assert_int_equal(r.killsig, 9);
	assert_int_equal(r.status, -1);
	assert_false(r.offline_failed);
	unchanged();
}

/* the commands: -EIO, blocks lost (exit 1, not 5), --json, a signal */
static void test_cli_changed(void **state)
{
	char famfs[300], dev[400], mnt[400], env[1600], cmd[4096], body[1024];
	static char out[16384];
	struct famfs_dax_mem m;

	(void)state;
	tbin("famfs", famfs, sizeof(famfs));
	if (access(famfs, X_OK) < 0)
		skip();
	snprintf(dev, sizeof(dev), "%s/dev/dax0.0", F.dir);
	snprintf(mnt, sizeof(mnt), "%s/mnt", F.dir);
	snprintf(env, sizeof(env), "env FAMFS_SYSFS=%s FAMFS_RUNDIR=%s/run",
		 F.sys, F.dir);

	/* a block daxctl offlined is gone: exit 1, what differs said */
	snprintf(body, sizeof(body),
		 "#!/bin/sh\n"
		 "echo offline >%s/devices/system/memory/memory32/state\n"
		 "rm -rf %s/devices/system/memory/memory33\n"
		 "echo 'dax0.0: failed to offline memory: Device or resource busy' >&2\n"
		 "exit 1\n", F.sys, F.sys);
	fake_daxctl(body);
	snprintf(cmd, sizeof(cmd), "%s %s mount -K %s %s 2>&1", env, famfs, dev, mnt);
	assert_int_equal(trun(cmd, out, sizeof(out)), 1);
	assert_non_null(strstr(out, "famfs mount: dax0.0: left in system-ram mode, but NOT as before: 7 of 7 memory blocks online, 896 MiB now; before: 8 of 8 blocks online, 7 of them movable; now 6 movable\n"));
	assert_non_null(strstr(out, "famfs mount: dax0.0: famfs could not online again 1 of the blocks daxctl had offlined"));
	assert_null(strstr(out, "nothing was changed"));
	block(33, "online", "Movable");
	unchanged();

	/* daxctl leaves it without a driver: exit 1 and how to bind it */
	snprintf(body, sizeof(body),
		 "#!/bin/sh\nrm %s/bus/dax/devices/dax0.0/driver\nexit 1\n",
		 F.sys);
	fake_daxctl(body);
	assert_int_equal(trun(cmd, out, sizeof(out)), 1);
	assert_non_null(strstr(out, "; the device is now without a driver: its memory is offline; try: echo dax0.0 > /sys/bus/dax/drivers/device_dax/bind\n"));
	sh("ln -sfn ../../drivers/kmem '%s/bus/dax/devices/dax0.0/driver'", F.sys);
	unchanged();

	/* fsck -K --json: the notes on stderr, stdout is JSON's alone */
	snprintf(body, sizeof(body),
		 "#!/bin/sh\n"
		 "ln -sfn ../../drivers/device_dax %s/bus/dax/devices/dax0.0/driver\n"
		 "echo 'reconfigured 1 device' >&2\n", F.sys);
	fake_daxctl(body);
	snprintf(cmd, sizeof(cmd), "%s %s fsck -K --json %s 2>%s/err", env,
		 famfs, dev, F.dir);
	trun(cmd, out, sizeof(out));
	assert_null(strstr(out, "taken out of system-ram mode"));
	assert_null(strstr(out, "devdax mode"));
	snprintf(cmd, sizeof(cmd), "%s/err", F.dir);
	{
		FILE *f = fopen(cmd, "r");
		size_t n;

		assert_non_null(f);
		n = fread(out, 1, sizeof(out) - 1, f);
		out[n] = '\0';
		fclose(f);
	}
	assert_non_null(strstr(out, "dax0.0: taken out of system-ram mode (8 of 8 memory blocks online, 1 GiB before): "));
	sh("ln -sfn ../../drivers/kmem '%s/bus/dax/devices/dax0.0/driver'", F.sys);

	/* SIGTERM while daxctl runs: passed on, blocks onlined, said, then dies of it */
	snprintf(body, sizeof(body),
		 "#!/bin/sh\n"
		 "echo offline >%s/devices/system/memory/memory34/state\n"
		 "exec sleep 20\n", F.sys);
	fake_daxctl(body);
	snprintf(cmd, sizeof(cmd),
		 "%s %s mount -K %s %s >%s/sig 2>&1 & p=$!; sleep 1; kill -TERM $p; wait $p; echo \"rc=$?\" >>%s/sig; cat %s/sig",
		 env, famfs, dev, mnt, F.dir, F.dir, F.dir);
	trun(cmd, out, sizeof(out));
	assert_non_null(strstr(out, "was stopped: famfs got Terminated and passed SIGTERM on to it"));
	assert_non_null(strstr(out, "famfs mount: dax0.0: left in system-ram mode, unchanged: bound to kmem, 8 of 8 memory blocks online, 1 GiB, as before (famfs onlined again the 1 that daxctl had offlined)\n"));
	assert_non_null(strstr(out, "famfs mount: dax0.0: stopping on Terminated\n"));
	assert_non_null(strstr(out, "rc=143\n"));
	assert_int_equal(famfs_dax_memory("dax0.0", &m), 0);
	unchanged();

	/* -f -K without daxctl: 6, as the real run */
	snprintf(cmd, sizeof(cmd), "%s FAMFS_DAXCTL=%s/daxctl PATH=%s %s mount -f -K %s %s 2>&1",
		 env, F.empty, F.empty, famfs, dev, mnt);
	assert_int_equal(trun(cmd, out, sizeof(out)), 6);
	unchanged();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_find, setup, teardown),
		cmocka_unit_test_setup_teardown(test_memory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bind_refuses_kmem, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reconfigure_no_daxctl, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reconfigure_offline_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reconfigure_ok, setup, teardown),
		cmocka_unit_test_setup_teardown(test_daxmode_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cli, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reconfigure_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reconfigure_killed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cli_changed, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
