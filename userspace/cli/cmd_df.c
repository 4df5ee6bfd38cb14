// SPDX-License-Identifier: Apache-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * cmd_df.c - famfs df: used and free device memory, from the log
 *
 * statfs on a famfs mount knows nothing of the allocations (the kernel
 * never reads the log), so df(1) cannot tell; this can.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>

#include <json.h>

#include "cmds.h"

static const struct cli_opt df_opts[] = {
	{ 'j', "json", NULL, "print the numbers as JSON (bytes)" },
	{ 'b', "bytes", NULL, "print bytes instead of KiB/MiB/GiB" },
	{ 0 }
};

static int df_report(const struct famfs_meta *m, const char *what, bool json,
		     bool bytes)
{
	struct famfs_alloc_stats st;
	struct famfs_space sp;
	uint64_t slots = famfs_log_nslots(m->log_len);
	char a[32], b[32], c[32], d[32];
	int rc;

	rc = famfs_space_get(m, &sp, &st);
	if (rc < 0) {
		cli_err("%s: %s", what, strerror(-rc));
		return EXIT_FAIL;
	}
	if (json) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "target", json_object_new_string(what));
		json_object_object_add(o, "total_bytes", cli_json_u64(sp.total_bytes));
		json_object_object_add(o, "reserved_bytes", cli_json_u64(sp.reserved_bytes));
		json_object_object_add(o, "used_bytes", cli_json_u64(sp.used_bytes));
		json_object_object_add(o, "free_bytes", cli_json_u64(sp.free_bytes));
		json_object_object_add(o, "largest_free_bytes", cli_json_u64(sp.largest_free));
		json_object_object_add(o, "free_runs", cli_json_u64(sp.free_runs));
		json_object_object_add(o, "file_bytes", cli_json_u64(st.file_bytes));
		json_object_object_add(o, "files", cli_json_u64(st.files));
		json_object_object_add(o, "directories", cli_json_u64(st.dirs));
		json_object_object_add(o, "log_entries_used", cli_json_u64(m->log->next_index));
		json_object_object_add(o, "log_entries_total", cli_json_u64(slots));
		cli_json_print(o);
		return EXIT_OK;
	}
#define SZ(v, buf) (bytes ? (snprintf(buf, sizeof(buf), "%llu", \
		(unsigned long long)(v)), buf) : famfs_size_str(v, buf, sizeof(buf)))
	printf("%-24s %12s %12s %12s %5s %14s\n", "famfs", "size", "used",
	       "free", "use%", "largest free");
	printf("%-24s %12s %12s %12s %4llu%% %14s\n", what,
	       SZ(sp.total_bytes, a), SZ(sp.used_bytes, b),
	       SZ(sp.free_bytes, c),
	       sp.total_bytes ? (unsigned long long)(sp.used_bytes * 100 /
						     sp.total_bytes) : 0ULL,
	       SZ(sp.largest_free, d));
#undef SZ
	printf("%llu files (%s of data), %llu directories; log %llu of %llu entries used\n",
	       (unsigned long long)st.files,
	       famfs_size_str(st.file_bytes, a, sizeof(a)),
	       (unsigned long long)st.dirs,
	       (unsigned long long)m->log->next_index,
	       (unsigned long long)slots);
	return EXIT_OK;
}

static int df_run(int argc, char **argv, const struct cli_cmd *cmd)
{
	char abs[PATH_MAX], mnt[PATH_MAX];
	bool json = false, bytes = false;
	enum famfs_dev_kind kind;
	struct famfs_problem p;
	struct famfs_meta m;
	const char *target;
	uint64_t size;
	struct stat st;
	int c, rc;

	while ((c = cli_getopt(argc, argv, cmd)) != -1) {
		if (c == 'j')
			json = true;
		else if (c == 'b')
			bytes = true;
	}
	if (argc - optind != 1)
		return cli_usage_error(cmd, "expected a mount point, a device or an image");
	target = argv[optind];
	if (stat(target, &st) < 0) {
		cli_err("%s: %s", target, strerror(errno));
		return EXIT_FAIL;
	}
	if (S_ISDIR(st.st_mode)) {
		if (cli_path_normalize(target, abs, sizeof(abs)) < 0 ||
		    cli_find_mount(abs, mnt, sizeof(mnt)))
			return EXIT_FAIL;
		if (famfs_meta_open_mount(&m, mnt, 0, &p) < 0)
			return cli_problem(mnt, &p);
		rc = df_report(&m, mnt, json, bytes);
		famfs_meta_close(&m);
		return rc;
	}
	if (famfs_dev_size(target, &size, &kind, &p) < 0)
		return cli_problem(NULL, &p);
	if (kind == FAMFS_DEV_FILE) {
		if (famfs_meta_open_image(&m, target, 0, 0, &p) < 0)
			return cli_problem(target, &p);
		rc = df_report(&m, target, json, bytes);
		famfs_meta_close(&m);
		return rc;
	}
	if (famfs_dev_mounted(target, mnt, sizeof(mnt)) == 1) {
		if (famfs_meta_open_mount(&m, mnt, 0, &p) < 0)
			return cli_problem(mnt, &p);
		rc = df_report(&m, target, json, bytes);
		famfs_meta_close(&m);
		return rc;
	}
	if (famfs_dummy_mount(target, 0, mnt, sizeof(mnt), &p) < 0)
		return cli_problem(target, &p);
	if (famfs_meta_open_mount(&m, mnt, 0, &p) < 0) {
		rc = cli_problem(mnt, &p);
	} else {
		rc = df_report(&m, target, json, bytes);
		famfs_meta_close(&m);
	}
	famfs_dummy_umount(mnt);
	return rc;
}

const struct cli_cmd cmd_df = {
	.name = "df",
	.run = df_run,
	.args = "MNT | DEV | IMAGE",
	.summary = "report used and free device memory of a famfs (from its log)",
	.detail =
"Used memory counts the superblock and log and every 2 MiB unit a logged\n"
"file owns; \"largest free\" is the biggest file that still fits in one\n"
"contiguous run (creat and cp fail with ENOSPC beyond it, even when more\n"
"memory is free in total).\n",
	.examples =
"famfs df /mnt/famfs\n"
"famfs df --json /mnt/famfs | jq .free_bytes\n",
	.opts = df_opts,
};
