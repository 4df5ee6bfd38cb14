// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * nsop - one namespace system call, for the guests' exact-errno checks.
 *
 *   nsop unlink PATH          nsop rmdir PATH         nsop mkdir PATH
 *   nsop rename OLD NEW       nsop link OLD NEW       nsop symlink TARGET PATH
 *   nsop mknod PATH           nsop mkfifo PATH        nsop truncate PATH BYTES
 *   nsop otrunc PATH          nsop creat PATH
 *   nsop peek DEV OFFSET      nsop poke DEV OFFSET BYTE
 *   nsop open PATH            nsop read PATH          nsop mmap PATH
 *   nsop mount DEV DIR [OPTS] nsop remount DIR OPTS   nsop umount DIR
 *   nsop rmmod NAME           nsop insmod KO
 *
 * Prints "ok" or the errno's name ("EPERM") and exits with 0 or the errno
 * value, so a test can assert the exact errno: busybox's applets print only
 * strerror text and exit 1 for every error. peek/poke read or write one byte
 * of the first 2 MiB of a pmem or dax device through mmap (dax devices have
 * no read/write), to corrupt a superblock field on purpose; peek prints the
 * byte in decimal. open: open(O_RDONLY); read: open + read(2) of 1 byte;
 * mmap: open + mmap(2) of the first page (MAP_SHARED, PROT_READ), the errno
 * of whichever call failed, the mapping is not touched; mount: mount(2)
 * of DEV on DIR as famfs (OPTS: the data string); remount: MS_REMOUNT of DIR
 * with OPTS; umount: umount(2); rmmod: delete_module(2) (O_NONBLOCK, as
 * rmmod does); insmod: finit_module(2). Built static by
 * tests/vm/mkinitrd.sh into the guest's /usr/local/bin.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static int report(int rc)
{
	int err = errno;
	const char *name;

	if (rc >= 0) {
		puts("ok");
		return 0;
	}
	/* glibc's name of the errno ("EPERM"); NULL for one it does not know */
	name = strerrorname_np(err);
	if (name)
		puts(name);
	else
		printf("errno %d (%s)\n", err, strerror(err));
	return err;
}

#define MAP_LEN (2UL << 20)

/* peek/poke: one byte at OFFSET (< 2 MiB) of DEV, through a shared mapping */
static int byte_at(const char *dev, const char *off_s, const char *val_s)
{
	unsigned long off = strtoul(off_s, NULL, 0);
	unsigned char *a;
	struct stat st;
	int fd;

	if (off >= MAP_LEN)
		return report((errno = EINVAL, -1));
	fd = open(dev, val_s ? O_RDWR : O_RDONLY);
	if (fd < 0 || fstat(fd, &st) < 0)
		return report(-1);
	a = mmap(NULL, MAP_LEN, PROT_READ | (val_s ? PROT_WRITE : 0), MAP_SHARED, fd, 0);
	close(fd);
	if (a == MAP_FAILED)
		return report(-1);
	if (val_s) {
		a[off] = (unsigned char)strtoul(val_s, NULL, 0);
		/* a dax device's stores reach memory directly: it has no msync */
		if (!S_ISCHR(st.st_mode) && msync(a, MAP_LEN, MS_SYNC) < 0)
			return report(-1);
		puts("ok");
	} else {
		printf("%u\n", a[off]);
	}
	munmap(a, MAP_LEN);
	return 0;
}

/* read: one byte through read(2); mmap: map the first page, do not touch it */
static int file_op(const char *op, const char *path)
{
	char c;
	void *a;
	int fd, rc;

	fd = open(path, O_RDONLY);
	if (fd < 0 || !strcmp(op, "open")) {
		if (fd >= 0)
			close(fd);
		return report(fd);
	}
	if (!strcmp(op, "read")) {
		rc = (int)read(fd, &c, 1);
		if (rc == 0)	/* EOF: not an error, but not a byte either */
			errno = ENODATA;
		close(fd);
		return report(rc == 1 ? 0 : -1);
	}
	a = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (a == MAP_FAILED)
		return report(-1);
	munmap(a, 4096);
	return report(0);
}

static int usage(void)
{
	fputs("usage: nsop unlink|rmdir|mkdir|creat|mknod|mkfifo|otrunc PATH\n"
	      "       nsop rename|link|symlink A B\n"
	      "       nsop truncate PATH BYTES\n"
	      "       nsop peek DEV OFFSET | poke DEV OFFSET BYTE\n"
	      "       nsop open|read|mmap PATH\n"
	      "       nsop mount DEV DIR [OPTS] | remount DIR OPTS | umount DIR\n"
	      "       nsop rmmod NAME | insmod KO\n", stderr);
	return 255;
}

int main(int argc, char **argv)
{
	const char *op, *a, *b;
	int fd;

	if (argc < 3)
		return usage();
	op = argv[1];
	a = argv[2];
	b = argc > 3 ? argv[3] : NULL;

	if (!strcmp(op, "unlink"))
		return report(unlink(a));
	if (!strcmp(op, "rmdir"))
		return report(rmdir(a));
	if (!strcmp(op, "mkdir"))
		return report(mkdir(a, 0755));
	if (!strcmp(op, "mknod"))
		return report(mknod(a, S_IFCHR | 0600, makedev(1, 3)));
	if (!strcmp(op, "mkfifo"))
		return report(mknod(a, S_IFIFO | 0600, 0));
	if (!strcmp(op, "creat")) {
		fd = open(a, O_CREAT | O_EXCL | O_WRONLY, 0644);
		if (fd >= 0)
			close(fd);
		return report(fd);
	}
	if (!strcmp(op, "open") || !strcmp(op, "read") || !strcmp(op, "mmap"))
		return file_op(op, a);
	if (!strcmp(op, "umount"))
		return report(umount(a));
	if (!strcmp(op, "rmmod"))
		return report((int)syscall(SYS_delete_module, a, O_NONBLOCK));
	if (!strcmp(op, "insmod")) {
		fd = open(a, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return report(fd);
		return report((int)syscall(SYS_finit_module, fd, "", 0));
	}
	if (!strcmp(op, "otrunc")) {
		fd = open(a, O_WRONLY | O_TRUNC);
		if (fd >= 0)
			close(fd);
		return report(fd);
	}
	if (!b)
		return usage();
	if (!strcmp(op, "peek"))
		return byte_at(a, b, NULL);
	if (!strcmp(op, "poke") && argc > 4)
		return byte_at(a, b, argv[4]);
	if (!strcmp(op, "mount"))
		return report(mount(a, b, "famfs", 0, argc > 4 ? argv[4] : NULL));
	if (!strcmp(op, "remount"))
		return report(mount(NULL, a, NULL, MS_REMOUNT, b));
	if (!strcmp(op, "rename"))
		return report(rename(a, b));
	if (!strcmp(op, "link"))
		return report(link(a, b));
	if (!strcmp(op, "symlink"))
		return report(symlink(a, b));
	if (!strcmp(op, "truncate"))
		return report(truncate(a, strtoll(b, NULL, 0)));
	return usage();
}
