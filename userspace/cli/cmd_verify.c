// SPDX-License-Identifier: Apache-2.0
/*
 * cmd_verify.c - famfs verify: compare a file with the seeded pattern
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmds.h"

static const struct cli_opt verify_opts[] = {
	{ 'S', "seed", "SEED", "the seed the file was filled with (creat -S)" },
	{ 'f', "filename", "FILE", "the file to check" },
	{ 'q', "quiet", NULL, "print nothing on success" },
	{ 0 }
};

static int verify_run(int argc, char **argv, const struct cli_cmd *cmd)
{
	const char *file = NULL;
	bool have_seed = false, quiet = false;
	uint64_t seed = 0;
	struct stat st;
	int64_t bad;
	void *a;
	int c, fd;

	while ((c = cli_getopt(argc, argv, cmd)) != -1) {
		switch (c) {
		case 'S':
			if (famfs_parse_size(optarg, &seed) < 0)
				return cli_usage_error(cmd, "bad seed '%s'",
						       optarg);
			have_seed = true;
			break;
		case 'f':
			file = optarg;
			break;
		case 'q':
			quiet = true;
			break;
		}
	}
	if (!file && argc - optind == 1)
		file = argv[optind++];
	if (!file || !have_seed || argc != optind)
		return cli_usage_error(cmd, "expected -S SEED -f FILE");
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
	bad = -1;
	if (st.st_size > 0) {
		a = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
		if (a == MAP_FAILED) {
			cli_err("%s: mmap: %s", file, strerror(errno));
			close(fd);
			return EXIT_FAIL;
		}
		/* another host wrote it: read memory, not our cache */
		famfs_cpu_invalidate(a, (size_t)st.st_size);
		bad = famfs_pattern_check(a, (size_t)st.st_size, seed, 0);
		munmap(a, (size_t)st.st_size);
	}
	close(fd);
	if (bad >= 0) {
		cli_err("%s: does not match seed %llu: first difference at byte offset %lld (0x%llx)",
			file, (unsigned long long)seed, (long long)bad,
			(unsigned long long)bad);
		return EXIT_PROBLEMS;
	}
	if (!quiet)
		printf("%s: %lld bytes match seed %llu\n", file,
		       (long long)st.st_size, (unsigned long long)seed);
	return EXIT_OK;
}

const struct cli_cmd cmd_verify = {
	.name = "verify",
	.run = verify_run,
	.args = "-S SEED -f FILE",
	.summary = "check that FILE holds the pattern creat -S SEED wrote",
	.detail = "Exits 0 if it matches, 4 with the first differing offset otherwise.\n",
	.opts = verify_opts,
};
