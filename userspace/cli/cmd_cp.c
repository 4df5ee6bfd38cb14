// SPDX-License-Identifier: Apache-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * cmd_cp.c - famfs cp: copy files and trees into famfs (admin.md §5),
 * master only, under one log lock and one allocation bitmap
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmds.h"

struct cp_ctx {
	struct cli_session s;
	bool recursive, verbose, have_mode;
	uint32_t mode, uid, gid;
	unsigned int failures;
	int refused;
	bool stop;		/* out of memory or log slots */
};

static const struct cli_opt cp_opts[] = {
	{ 'r', "recursive", NULL, "copy directories and their contents" },
	{ 'm', "mode", "MODE", "octal permissions of the copies (default: the source's)" },
	{ 'u', "uid", "USER", "owner of the copies (name or number; default: the caller)" },
	{ 'g', "gid", "GROUP", "group of the copies (default: the caller's)" },
	CLI_INTERLEAVE_OPTS,
	{ 'v', "verbose", NULL, "print each file copied" },
	{ 0 }
};

static void fail(struct cp_ctx *c, int code)
{
	c->failures++;
	if (code == EXIT_REFUSED)
		c->refused = 1;
}

/* copy the data of @src (fd) into the new famfs file @dst */
static int copy_data(int sfd, const char *src, const char *dst, uint64_t size)
{
	uint64_t done = 0;
	char *a;
	int fd;

	if (size == 0)
		return 0;
	fd = open(dst, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		cli_err("%s: %s", dst, strerror(errno));
		return -1;
	}
	a = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (a == MAP_FAILED) {
		cli_err("%s: mmap: %s", dst, strerror(errno));
		return -1;
	}
	while (done < size) {
		size_t chunk = size - done > (1u << 20) ? (1u << 20)
							: (size_t)(size - done);
		ssize_t n = pread(sfd, a + done, chunk, (off_t)done);

		if (n <= 0) {
			cli_err("%s: read: %s", src,
				n < 0 ? strerror(errno) : "file shrank while copying");
			munmap(a, size);
			return -1;
		}
		done += (uint64_t)n;
	}
	famfs_cpu_writeback(a, size);
	munmap(a, size);
	return 0;
}

static void copy_file(struct cp_ctx *c, const char *src, const char *dst,
		      const struct stat *sst)
{
	char rel[FAMFS_MAX_PATHLEN];
	struct famfs_problem p;
	struct stat st;
	uint32_t mode = c->have_mode ? c->mode : (uint32_t)(sst->st_mode & 07777);
	int sfd, rc;

	if (lstat(dst, &st) == 0) {
		cli_err("%s: already exists, not overwritten", dst);
		fail(c, EXIT_REFUSED);
		return;
	}
	/* its directory must be logged: log one made with mkdir(1) */
	rc = cli_log_parents(&c->s, dst, false, false, 0, 0, 0, c->verbose);
	if (rc) {
		fail(c, rc);
		return;
	}
	sfd = open(src, O_RDONLY | O_CLOEXEC);
	if (sfd < 0) {
		cli_err("%s: %s", src, strerror(errno));
		fail(c, EXIT_FAIL);
		return;
	}
	if (famfs_relpath_make(c->s.mnt, dst, rel, &p) < 0 ||
	    famfs_writer_mkfile(&c->s.w, rel, (uint64_t)sst->st_size, mode,
				c->uid, c->gid, NULL, &p) < 0) {
		fail(c, cli_problem(dst, &p));
		c->stop = p.err == ENOSPC;
		close(sfd);
		return;
	}
	if (copy_data(sfd, src, dst, (uint64_t)sst->st_size) < 0)
		fail(c, EXIT_FAIL);
	else if (c->verbose)
		printf("%s -> %s\n", src, dst);
	close(sfd);
}

static void copy_path(struct cp_ctx *c, const char *src, const char *dst);

static void copy_tree(struct cp_ctx *c, const char *src, const char *dst,
		      const struct stat *sst)
{
	char rel[FAMFS_MAX_PATHLEN], s2[PATH_MAX], d2[PATH_MAX];
	struct famfs_problem p;
	struct dirent *de;
	struct stat st;
	DIR *d;
	int rc;

	if (lstat(dst, &st) == 0) {
		if (!S_ISDIR(st.st_mode)) {
			cli_err("%s exists and is not a directory", dst);
			fail(c, EXIT_REFUSED);
			return;
		}
		/* an existing directory, and its parents, must be logged */
		rc = cli_log_parents(&c->s, dst, true, false, 0, 0, 0,
				     c->verbose);
		if (rc) {
			fail(c, rc);
			return;
		}
	} else if ((rc = cli_log_parents(&c->s, dst, false, false, 0, 0, 0,
					 c->verbose))) {
		fail(c, rc);
		return;
	} else if (famfs_relpath_make(c->s.mnt, dst, rel, &p) < 0 ||
		   famfs_writer_mkdir(&c->s.w, rel,
				      c->have_mode ? (c->mode | 0700) :
				      (uint32_t)(sst->st_mode & 07777),
				      c->uid, c->gid, &p) < 0) {
		fail(c, cli_problem(dst, &p));
		return;
	}
	d = opendir(src);
	if (!d) {
		cli_err("%s: %s", src, strerror(errno));
		fail(c, EXIT_FAIL);
		return;
	}
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (snprintf(s2, sizeof(s2), "%s/%s", src, de->d_name) >=
			    (int)sizeof(s2) ||
		    snprintf(d2, sizeof(d2), "%s/%s", dst, de->d_name) >=
			    (int)sizeof(d2)) {
			cli_err("%s/%s: path too long", src, de->d_name);
			fail(c, EXIT_FAIL);
			continue;
		}
		copy_path(c, s2, d2);
	}
	closedir(d);
}

static void copy_path(struct cp_ctx *c, const char *src, const char *dst)
{
	struct stat sst;

	if (c->stop)
		return;
	if (stat(src, &sst) < 0) {
		cli_err("%s: %s", src, strerror(errno));
		fail(c, EXIT_FAIL);
	} else if (S_ISREG(sst.st_mode)) {
		copy_file(c, src, dst, &sst);
	} else if (S_ISDIR(sst.st_mode)) {
		if (c->recursive) {
			copy_tree(c, src, dst, &sst);
		} else {
			cli_err("%s: is a directory (use -r), skipped", src);
			fail(c, EXIT_FAIL);
		}
	} else {
		cli_err("%s: not a regular file or directory, skipped", src);
		fail(c, EXIT_FAIL);
	}
}

static int cp_run(int argc, char **argv, const struct cli_cmd *cmd)
{
	char dst[PATH_MAX], target[PATH_MAX], base[PATH_MAX];
	static struct cp_ctx c;
	struct famfs_interleave il = { 0 };
	bool dst_is_dir;
	struct stat st;
	int i, nsrc, opt, rc;

	c.uid = (uint32_t)geteuid();
	c.gid = (uint32_t)getegid();
	while ((opt = cli_getopt(argc, argv, cmd)) != -1) {
		rc = cli_interleave_opt(cmd, opt, optarg, &il);
		if (rc == 1)
			continue;
		if (rc)
			return rc;
		switch (opt) {
		case 'u':
		case 'g':
			if (cli_owner(optarg, opt == 'g',
				      opt == 'u' ? &c.uid : &c.gid))
				return cli_usage_error(cmd, "unknown %s '%s'",
					opt == 'u' ? "user" : "group", optarg);
			break;
		case 'r':
			c.recursive = true;
			break;
		case 'v':
			c.verbose = true;
			break;
		case 'm':
			if (famfs_parse_mode(optarg, &c.mode) < 0)
				return cli_usage_error(cmd, "bad mode '%s'",
						       optarg);
			c.have_mode = true;
			break;
		}
	}
	nsrc = argc - optind - 1;
	if (nsrc < 1)
		return cli_usage_error(cmd, "expected SRC... DST");
	rc = famfs_path_abs(argv[argc - 1], dst, sizeof(dst));
	if (rc < 0) {
		cli_err("%s: %s", argv[argc - 1], strerror(-rc));
		return EXIT_FAIL;
	}
	dst_is_dir = stat(dst, &st) == 0 && S_ISDIR(st.st_mode);
	if (nsrc > 1 && !dst_is_dir) {
		cli_err("%s: not a directory (several sources given)", dst);
		return EXIT_FAIL;
	}
	rc = cli_session_open(&c.s, dst);
	if (rc)
		return rc;
	rc = cli_interleave_done(&il, c.s.meta.sb->ts_daxdev.dd_size);
	if (rc) {
		cli_session_close(&c.s);
		return rc;
	}
	c.s.w.il = il;
	c.s.w.seed = (uint32_t)getpid();
	for (i = optind; i < argc - 1; i++) {
		/* like cp(1): into an existing directory, keep the name */
		if (dst_is_dir) {
			snprintf(base, sizeof(base), "%s", argv[i]);
			if (snprintf(target, sizeof(target), "%s/%s", dst,
				     basename(base)) >= (int)sizeof(target)) {
				cli_err("%s: path too long", argv[i]);
				fail(&c, EXIT_FAIL);
				continue;
			}
		} else {
			snprintf(target, sizeof(target), "%s", dst);
		}
		copy_path(&c, argv[i], target);
	}
	cli_session_close(&c.s);
	if (!c.failures)
		return EXIT_OK;
	cli_err("%u item(s) not copied", c.failures);
	return c.refused ? EXIT_REFUSED : EXIT_FAIL;
}

const struct cli_cmd cmd_cp = {
	.name = "cp",
	.run = cp_run,
	.args = "[-r] SRC... DST",
	.summary = "copy files (and with -r directory trees) into famfs (master only)",
	.detail =
"An existing destination file is never overwritten. Like cp(1), copying into\n"
"an existing directory keeps the source's name (cp -r A B with an existing B\n"
"creates B/A). An empty source file becomes a 0-byte famfs file backed by\n"
"one 2 MiB unit, so trees are copied whole. Devices, sockets and FIFOs are\n"
"skipped. All copies of one call share one lock of the log and one\n"
"allocation bitmap; running out of memory or log slots stops the copy.\n"
"Every directory a copy lands in must be in the log: one made with\n"
"mkdir(1) on the master is logged first (with its own mode and owner).\n"
"To copy out of famfs, use cp(1).\n",
	.examples =
"famfs cp -r /data/models /mnt/famfs/\n"
"  copy a tree into famfs (creates /mnt/famfs/models)\n"
"famfs cp -m 0444 a b c /mnt/famfs/dir\n"
"  three files, read-only, into an existing famfs directory\n",
	.opts = cp_opts,
};
