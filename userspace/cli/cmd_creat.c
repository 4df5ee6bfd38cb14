// SPDX-License-Identifier: Apache-2.0
/*
 * cmd_creat.c - famfs creat: allocate, log and create a file, optionally
 * filled with the seeded pattern (spec §1.8), master only
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmds.h"

static const struct cli_opt creat_opts[] = {
	{ 's', "size", "SIZE", "file size in bytes; K/M/G suffixes (1024-based)" },
	{ 'S', "seed", "SEED", "fill the file with the pattern of SEED (see verify)" },
	{ 'm', "mode", "MODE", "octal permissions (default 0644 minus umask)" },
	{ 'v', "verbose", NULL, "print the allocated extent" },
	{ 0 }
};

/* fill @path (size @size) with the seeded pattern through mmap */
static int fill(const char *path, uint64_t size, uint64_t seed)
{
	void *a;
	int fd;

	if (size == 0)
		return EXIT_OK;
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		cli_err("%s: %s", path, strerror(errno));
		return EXIT_FAIL;
	}
	a = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (a == MAP_FAILED) {
		cli_err("%s: mmap: %s", path, strerror(errno));
		return EXIT_FAIL;
	}
	famfs_pattern_fill(a, size, seed, 0);
	famfs_cpu_writeback(a, size);	/* visible to other hosts */
	munmap(a, size);
	return EXIT_OK;
}

static int creat_run(int argc, char **argv, const struct cli_cmd *cmd)
{
	bool have_size = false, have_seed = false, verbose = false;
	uint64_t size = 0, seed = 0;
	char abs[PATH_MAX], rel[FAMFS_MAX_PATHLEN], sz[32];
	struct famfs_simple_extent se;
	struct famfs_problem p;
	struct cli_session s;
	struct stat st;
	mode_t um = umask(0);
	uint32_t mode = 0644 & ~um;
	int c, rc;

	umask(um);
	while ((c = cli_getopt(argc, argv, cmd)) != -1) {
		switch (c) {
		case 's':
			if (famfs_parse_size(optarg, &size) < 0)
				return cli_usage_error(cmd, "bad size '%s'",
						       optarg);
			have_size = true;
			break;
		case 'S':
			if (famfs_parse_size(optarg, &seed) < 0)
				return cli_usage_error(cmd, "bad seed '%s'",
						       optarg);
			have_seed = true;
			break;
		case 'm':
			if (famfs_parse_mode(optarg, &mode) < 0)
				return cli_usage_error(cmd, "bad mode '%s'",
						       optarg);
			break;
		case 'v':
			verbose = true;
			break;
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(cmd, "expected one file name");
	if (!have_size)
		return cli_usage_error(cmd, "-s SIZE is required");
	rc = famfs_path_abs(argv[optind], abs, sizeof(abs));
	if (rc < 0) {
		cli_err("%s: %s", argv[optind], strerror(-rc));
		return EXIT_FAIL;
	}
	if (stat(abs, &st) == 0) {
		/* same size: keep it (lets a test re-fill with a new seed) */
		if (S_ISREG(st.st_mode) && (uint64_t)st.st_size == size &&
		    have_seed)
			return fill(abs, size, seed);
		cli_err("%s: already exists%s", abs,
			S_ISREG(st.st_mode) && (uint64_t)st.st_size != size ?
			" with a different size" : "");
		return EXIT_REFUSED;
	}
	rc = cli_session_open(&s, abs);
	if (rc)
		return rc;
	if (famfs_relpath_make(s.mnt, abs, rel, &p) < 0 ||
	    famfs_writer_mkfile(&s.w, rel, size, mode, (uint32_t)geteuid(),
				(uint32_t)getegid(), &se, &p) < 0) {
		rc = cli_problem(abs, &p);
		cli_session_close(&s);
		return rc;
	}
	cli_session_close(&s);
	if (verbose)
		printf("%s: %llu bytes at device offset 0x%llx (%s allocated)\n",
		       abs, (unsigned long long)size,
		       (unsigned long long)se.se_offset,
		       famfs_size_str(se.se_len, sz, sizeof(sz)));
	return have_seed ? fill(abs, size, seed) : EXIT_OK;
}

const struct cli_cmd cmd_creat = {
	.name = "creat",
	.run = creat_run,
	.args = "-s SIZE FILE",
	.summary = "create a file of SIZE bytes in famfs (master only)",
	.detail =
"The file gets one contiguous, 2 MiB-aligned run of device memory (a 0-byte\n"
"file gets one 2 MiB unit). An existing file is not changed, except that an\n"
"existing file of the same size is re-filled when -S is given.\n",
	.opts = creat_opts,
};
