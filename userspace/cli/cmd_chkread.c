// SPDX-License-Identifier: Apache-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * cmd_chkread.c - famfs chkread: read(2) and mmap(2) of a file must agree
 * (a test tool, admin.md §5); -s / -l dump the superblock or log header
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

static const struct cli_opt chkread_opts[] = {
	{ 's', "superblock", NULL, "also print the superblock of the file's famfs" },
	{ 'l', "log", NULL, "also print the log header of the file's famfs" },
	{ 0 }
};

static int dump(const char *file, bool sb, bool log)
{
	char abs[PATH_MAX], mnt[PATH_MAX], u[37];
	struct famfs_problem p;
	struct famfs_meta m;

	if (cli_path_normalize(file, abs, sizeof(abs)) < 0 ||
	    cli_find_mount(abs, mnt, sizeof(mnt)))
		return EXIT_FAIL;
	if (famfs_meta_open_mount(&m, mnt, FAMFS_META_NOCHECK, &p) < 0)
		return cli_problem(mnt, &p);
	if (sb) {
		printf("superblock of %s:\n", mnt);
		printf("  ts_magic         0x%llx\n", (unsigned long long)m.sb->ts_magic);
		printf("  ts_version       %llu\n", (unsigned long long)m.sb->ts_version);
		printf("  ts_log_offset    0x%llx\n", (unsigned long long)m.sb->ts_log_offset);
		printf("  ts_log_len       0x%llx\n", (unsigned long long)m.sb->ts_log_len);
		printf("  ts_alloc_unit    0x%llx\n", (unsigned long long)m.sb->ts_alloc_unit);
		printf("  ts_omf_ver       %u.%u\n", m.sb->ts_omf_ver_major, m.sb->ts_omf_ver_minor);
		printf("  ts_uuid          %s\n", famfs_uuid_str(m.sb->ts_uuid, u));
		printf("  ts_dev_uuid      %s\n", famfs_uuid_str(m.sb->ts_dev_uuid, u));
		printf("  ts_system_uuid   %s\n", famfs_uuid_str(m.sb->ts_system_uuid, u));
		printf("  ts_crc           0x%llx\n", (unsigned long long)m.sb->ts_crc);
		printf("  dd_size          %llu\n", (unsigned long long)m.sb->ts_daxdev.dd_size);
		printf("  dd_daxdev        %.*s\n", FAMFS_DEVNAME_LEN, m.sb->ts_daxdev.dd_daxdev);
	}
	if (log) {
		printf("log header of %s:\n", mnt);
		printf("  famfs_log_magic       0x%llx\n", (unsigned long long)m.log->magic);
		printf("  famfs_log_len         0x%llx\n", (unsigned long long)m.log->len);
		printf("  famfs_log_last_index  %llu\n", (unsigned long long)m.log->last_index);
		printf("  famfs_log_crc         0x%llx\n", (unsigned long long)m.log->crc);
		printf("  famfs_log_next_seqnum %llu\n", (unsigned long long)m.log->next_seqnum);
		printf("  famfs_log_next_index  %llu\n", (unsigned long long)m.log->next_index);
	}
	famfs_meta_close(&m);
	return EXIT_OK;
}

static int chkread_run(int argc, char **argv, const struct cli_cmd *cmd)
{
	bool sb = false, log = false;
	const char *file;
	struct stat st;
	size_t len, off = 0;
	char *buf, *a;
	int c, fd, rc = EXIT_OK;

	while ((c = cli_getopt(argc, argv, cmd)) != -1) {
		if (c == 's')
			sb = true;
		else if (c == 'l')
			log = true;
	}
	if (argc - optind != 1)
		return cli_usage_error(cmd, "expected one file");
	file = argv[optind];
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		cli_err("%s: %s", file, strerror(errno));
		if (fd >= 0)
			close(fd);
		return EXIT_FAIL;
	}
	len = (size_t)st.st_size;
	if (len) {
		buf = malloc(len);
		a = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
		if (!buf || a == MAP_FAILED) {
			cli_err("%s: %s", file, !buf ? "out of memory"
						     : strerror(errno));
			free(buf);
			close(fd);
			return EXIT_FAIL;
		}
		while (off < len) {
			ssize_t n = pread(fd, buf + off, len - off, (off_t)off);

			if (n <= 0) {
				cli_err("%s: read at %zu: %s", file, off,
					n < 0 ? strerror(errno) : "short file");
				rc = EXIT_FAIL;
				break;
			}
			off += (size_t)n;
		}
		if (!rc && memcmp(buf, a, len)) {
			size_t i = 0;

			while (buf[i] == a[i])
				i++;
			cli_err("%s: read(2) and mmap(2) differ at byte %zu", file, i);
			rc = EXIT_PROBLEMS;
		}
		munmap(a, len);
		free(buf);
	}
	close(fd);
	if (!rc)
		printf("%s: %zu bytes, read(2) and mmap(2) agree\n", file, len);
	if (!rc && (sb || log))
		rc = dump(file, sb, log);
	return rc;
}

const struct cli_cmd cmd_chkread = {
	.name = "chkread",
	.run = chkread_run,
	.args = "FILE",
	.summary = "check that read(2) and mmap(2) of a famfs file return the same bytes",
	.detail = "A test tool. Exit status 0 they agree, 4 they differ, 1 error.\n",
	.opts = chkread_opts,
};
