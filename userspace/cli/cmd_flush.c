// SPDX-License-Identifier: Apache-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * cmd_flush.c - famfs flush: write a file's cache lines back to memory and
 * drop them, for memory that is not cache coherent between hosts
 * (Documentation/admin.md §5, Documentation/format.md §9)
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmds.h"

static const struct cli_opt flush_opts[] = {
	{ 'v', "verbose", NULL, "print each file flushed" },
	{ 0 }
};

static int flush_one(const char *file, bool verbose)
{
	struct stat st;
	void *a;
	int fd;

	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		cli_err("%s: %s", file, strerror(errno));
		if (fd >= 0)
			close(fd);
		return EXIT_FAIL;
	}
	if (!S_ISREG(st.st_mode)) {
		cli_err("%s: not a regular file", file);
		close(fd);
		return EXIT_FAIL;
	}
	if (st.st_size) {
		a = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
		if (a == MAP_FAILED) {
			cli_err("%s: mmap: %s", file, strerror(errno));
			close(fd);
			return EXIT_FAIL;
		}
		famfs_cpu_invalidate(a, (size_t)st.st_size);
		munmap(a, (size_t)st.st_size);
	}
	close(fd);
	if (verbose)
		printf("%s: %lld bytes flushed (%s)\n", file,
		       (long long)st.st_size, famfs_cpu_flush_insn());
	return EXIT_OK;
}

static int flush_run(int argc, char **argv, const struct cli_cmd *cmd)
{
	bool verbose = false;
	int c, rc, worst = EXIT_OK;

	while ((c = cli_getopt(argc, argv, cmd)) != -1)
		if (c == 'v')
			verbose = true;
	if (optind >= argc)
		return cli_usage_error(cmd, "expected one or more files");
	for (; optind < argc; optind++) {
		rc = flush_one(argv[optind], verbose);
		if (rc > worst)
			worst = rc;
	}
	return worst;
}

const struct cli_cmd cmd_flush = {
	.name = "flush",
	.run = flush_run,
	.args = "FILE...",
	.summary = "write back and invalidate the CPU cache lines of files",
	.detail =
"Every cache line of each file is written back to memory and dropped\n"
"(clflushopt/clwb/clflush and a fence), so that another host sees what\n"
"this one wrote and this one re-reads what another wrote. Needed only on\n"
"memory that is not cache coherent between hosts.\n",
	.opts = flush_opts,
};
