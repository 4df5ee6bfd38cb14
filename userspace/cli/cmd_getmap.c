// SPDX-License-Identifier: Apache-2.0
/*
 * cmd_getmap.c - famfs getmap: a file's extent map as the kernel has it
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <linux/famfs_ioctl.h>

#include "cmds.h"

static const struct cli_opt getmap_opts[] = {
	{ 'q', "quiet", NULL, "print nothing; the exit status tells" },
	{ 0 }
};

static void print_ext(const char *pfx, unsigned int i,
		      const struct famfs_ioc_simple_extent *e)
{
	char sz[32];

	printf("%s%u: offset 0x%llx, length 0x%llx (%s)\n", pfx, i,
	       (unsigned long long)e->offset, (unsigned long long)e->len,
	       famfs_size_str(e->len, sz, sizeof(sz)));
}

static int getmap_run(int argc, char **argv, const struct cli_cmd *cmd)
{
	struct famfs_ioc_get_fmap m;
	bool quiet = false;
	const char *file;
	unsigned int i;
	int c, fd, rc;

	while ((c = cli_getopt(argc, argv, cmd)) != -1)
		if (c == 'q')
			quiet = true;
	if (argc - optind != 1)
		return cli_usage_error(cmd, "expected one file");
	file = argv[optind];
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		cli_err("%s: %s", file, strerror(errno));
		return EXIT_FAIL;
	}
	rc = famfs_map_get(fd, &m);
	close(fd);
	if (rc == -ENOTTY) {
		if (!quiet)
			cli_err("%s: not a famfs file", file);
		return EXIT_FAIL;
	}
	if (rc < 0) {
		if (!quiet)
			cli_err("%s: famfs file without an extent map (not created by famfs; logplay or remount restores logged files)",
				file);
		return EXIT_UNMAPPED;
	}
	if (quiet)
		return EXIT_OK;
	printf("%s: size %llu bytes, type %s\n", file,
	       (unsigned long long)m.iocmap.fioc_file_size,
	       m.iocmap.fioc_file_type == FAMFS_SUPERBLOCK ? "superblock" :
	       m.iocmap.fioc_file_type == FAMFS_LOG ? "log" : "regular");
	if (m.iocmap.fioc_ext_type == FAMFS_IOC_EXT_SIMPLE) {
		printf("  %u simple extent(s)\n", m.iocmap.fioc_nextents);
		for (i = 0; i < m.iocmap.fioc_nextents &&
			    i < FAMFS_MAX_EXTENTS; i++)
			print_ext("  extent ", i, &m.ikse[i]);
	} else {
		printf("  interleaved: %llu strips, chunk %llu bytes\n",
		       (unsigned long long)m.ks.ikie.ie_nstrips,
		       (unsigned long long)m.ks.ikie.ie_chunk_size);
		for (i = 0; i < m.ks.ikie.ie_nstrips && i < FAMFS_MAX_STRIPS;
		     i++)
			print_ext("  strip ", i, &m.ks.kie_strips[i]);
	}
	return EXIT_OK;
}

const struct cli_cmd cmd_getmap = {
	.name = "getmap",
	.run = getmap_run,
	.args = "FILE",
	.summary = "print a famfs file's size and extents",
	.detail =
"Exit status: 0 the file is mapped, 1 not a famfs file (or it cannot be\n"
"opened), 2 a famfs file without a map.\n",
	.opts = getmap_opts,
};
