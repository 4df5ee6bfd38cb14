// SPDX-License-Identifier: Apache-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * cmd_fsck.c - famfs fsck: check the metadata of a mounted famfs, an image
 * file, or an unmounted device (through a temporary mount)
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json.h>

#include "cmds.h"

static const struct cli_opt fsck_opts[] = {
	{ 'v', "verbose", NULL, "list every entry and the structure sizes" },
	{ 'j', "json", NULL, "print the result as JSON" },
	{ 'B', "nbuckets", "N", "also per-bucket used/free/fragment numbers, the device cut into N equal buckets (1..1024)" },
	{ 'm', "mmap", NULL, "read the metadata through mmap (default)" },
	{ 'r', "read", NULL, "read the metadata with read(2) into memory" },
	{ 'M', "set-daxmode", NULL, "move an unmounted /dev/dax device to fsdev_dax for the check (and back)" },
	CLI_OPT_RECONFIGURE,
	{ 0 }
};

#define FSCK_MAX_BUCKETS 1024

struct fsck_opts {
	bool verbose, json, readmode;
	enum cli_daxmode daxmode;
	uint32_t nbuckets;
	const char *target;
};

/* -B: NULL if not asked or not possible (the log is not valid, or the
 * device has fewer units than buckets: printed once) */
static struct famfs_bucket_stat *buckets(const struct famfs_meta *m,
					 const struct famfs_fsck_result *r,
					 const struct fsck_opts *o)
{
	struct famfs_bucket_stat *b;
	int rc;

	if (!o->nbuckets || !r->log_valid)
		return NULL;
	b = calloc(o->nbuckets, sizeof(*b));
	if (!b) {
		cli_err("%s: out of memory", o->target);
		return NULL;
	}
	rc = famfs_bucket_stats_get(m, o->nbuckets, b);
	if (rc) {
		cli_err("%s: -B %u: %s", o->target, o->nbuckets,
			rc == -EINVAL ? "more buckets than 2 MiB units"
				      : strerror(-rc));
		free(b);
		return NULL;
	}
	return b;
}

static void print_buckets(const struct famfs_bucket_stat *b, uint32_t n)
{
	char s1[32], s2[32], s3[32], s4[32];
	uint32_t i;

	printf("buckets: %u\n", n);
	printf("  %6s %18s %10s %10s %10s %6s %10s %9s\n", "bucket", "start",
	       "size", "used", "free", "used%", "largest", "fragments");
	for (i = 0; i < n; i++)
		printf("  %6u 0x%016llx %10s %10s %10s %5.1f%% %10s %9llu\n", i,
		       (unsigned long long)b[i].start,
		       famfs_size_str(b[i].size, s1, sizeof(s1)),
		       famfs_size_str(b[i].used_bytes, s2, sizeof(s2)),
		       famfs_size_str(b[i].free_bytes, s3, sizeof(s3)),
		       b[i].size ? 100.0 * (double)b[i].used_bytes /
				   (double)b[i].size : 0.0,
		       famfs_size_str(b[i].largest_free, s4, sizeof(s4)),
		       (unsigned long long)b[i].free_runs);
}

static struct json_object *json_buckets(const struct famfs_bucket_stat *b,
					uint32_t n)
{
	struct json_object *a = json_object_new_array(), *o;
	uint32_t i;

	for (i = 0; i < n; i++) {
		o = json_object_new_object();
		json_object_object_add(o, "bucket", cli_json_u64(i));
		json_object_object_add(o, "start", cli_json_u64(b[i].start));
		json_object_object_add(o, "size", cli_json_u64(b[i].size));
		json_object_object_add(o, "used_bytes", cli_json_u64(b[i].used_bytes));
		json_object_object_add(o, "free_bytes", cli_json_u64(b[i].free_bytes));
		json_object_object_add(o, "largest_free_bytes", cli_json_u64(b[i].largest_free));
		json_object_object_add(o, "fragments", cli_json_u64(b[i].free_runs));
		json_object_array_add(a, o);
	}
	return a;
}

static struct json_object *json_result(const struct famfs_meta *m,
				       const struct famfs_fsck_result *r,
				       const char *target)
{
	struct json_object *o = json_object_new_object(), *a, *c;
	const struct famfs_superblock *sb = m ? m->sb : NULL;
	char u[37];
	size_t i;
	int k;

	json_object_object_add(o, "target", json_object_new_string(target));
	json_object_object_add(o, "clean", json_object_new_boolean(!r->errors));
	json_object_object_add(o, "errors", cli_json_u64(r->errors));
	json_object_object_add(o, "notes", cli_json_u64(r->notes));

	a = json_object_new_object();
	json_object_object_add(a, "valid", json_object_new_boolean(r->sb_valid));
	if (r->sb_valid) {
		json_object_object_add(a, "version", cli_json_u64(sb->ts_version));
		json_object_object_add(a, "uuid", json_object_new_string(
			famfs_uuid_str(sb->ts_uuid, u)));
		json_object_object_add(a, "device_uuid", json_object_new_string(
			famfs_uuid_str(sb->ts_dev_uuid, u)));
		json_object_object_add(a, "master_uuid", json_object_new_string(
			famfs_uuid_str(sb->ts_system_uuid, u)));
		json_object_object_add(a, "device", json_object_new_string_len(
			sb->ts_daxdev.dd_daxdev,
			(int)strnlen(sb->ts_daxdev.dd_daxdev, FAMFS_DEVNAME_LEN)));
		json_object_object_add(a, "device_size", cli_json_u64(r->dev_size));
		if (r->real_dev_size)
			json_object_object_add(a, "real_device_size",
					       cli_json_u64(r->real_dev_size));
		json_object_object_add(a, "log_len", cli_json_u64(sb->ts_log_len));
		json_object_object_add(a, "role", json_object_new_string(
			famfs_role(sb, NULL, NULL) == FAMFS_ROLE_MASTER ?
			"master" : "client"));
	}
	json_object_object_add(o, "superblock", a);

	a = json_object_new_object();
	json_object_object_add(a, "valid", json_object_new_boolean(r->log_valid));
	if (r->log_valid) {
		json_object_object_add(a, "entries", cli_json_u64(r->entries));
		json_object_object_add(a, "slots", cli_json_u64(r->nslots));
		json_object_object_add(a, "files", cli_json_u64(r->files));
		json_object_object_add(a, "directories", cli_json_u64(r->dirs));
		json_object_object_add(a, "other", cli_json_u64(r->other));
		json_object_object_add(a, "bad_entries", cli_json_u64(r->bad_entries));
		json_object_object_add(a, "skipped", cli_json_u64(r->skipped));
		json_object_object_add(a, "unreachable", cli_json_u64(r->unreachable));
		json_object_object_add(a, "stale_slots", cli_json_u64(r->stale_slots));
	}
	json_object_object_add(o, "log", a);

	if (r->log_valid) {
		a = json_object_new_object();
		json_object_object_add(a, "total_bytes", cli_json_u64(r->space.total_bytes));
		json_object_object_add(a, "used_bytes", cli_json_u64(r->space.used_bytes));
		json_object_object_add(a, "free_bytes", cli_json_u64(r->space.free_bytes));
		json_object_object_add(a, "largest_free_bytes", cli_json_u64(r->space.largest_free));
		json_object_object_add(a, "file_bytes", cli_json_u64(r->file_bytes));
		json_object_object_add(a, "shared_units", cli_json_u64(r->collisions));
		json_object_object_add(o, "space", a);
	}
	c = json_object_new_object();
	for (k = 0; k < FAMFS_FSCK_NCLASSES; k++)
		json_object_object_add(c, famfs_fsck_class_name(k),
				       cli_json_u64(r->count[k]));
	json_object_object_add(o, "counts", c);
	a = json_object_new_array();
	for (i = 0; i < r->nfindings; i++) {
		struct json_object *f = cli_json_problem(&r->findings[i].p);

		json_object_object_add(f, "class", json_object_new_string(
			famfs_fsck_class_name(r->findings[i].cls)));
		json_object_object_add(f, "informational",
			json_object_new_boolean(famfs_fsck_class_informational(
				r->findings[i].cls)));
		json_object_array_add(a, f);
	}
	json_object_object_add(o, "findings", a);
	return o;
}

static int report(const struct famfs_meta *m, const struct fsck_opts *o)
{
	struct famfs_fsck_result *r = malloc(sizeof(*r));
	struct famfs_bucket_stat *b;
	int rc;

	if (!r) {
		cli_err("%s: out of memory", o->target);
		return EXIT_FAIL;
	}
	rc = famfs_fsck(m, r);
	if (rc < 0) {
		cli_err("%s: fsck could not run: %s", o->target, strerror(-rc));
		free(r);
		return EXIT_FAIL;
	}
	b = buckets(m, r, o);
	if (o->json) {
		struct json_object *j = json_result(m, r, o->target);

		if (b)
			json_object_object_add(j, "buckets",
					       json_buckets(b, o->nbuckets));
		cli_json_print(j);
	} else {
		famfs_fsck_print(m, r, o->verbose, stdout);
		if (b)
			print_buckets(b, o->nbuckets);
	}
	rc = r->errors ? EXIT_PROBLEMS : EXIT_OK;
	if (o->nbuckets && r->log_valid && !b && rc == EXIT_OK)
		rc = EXIT_FAIL;
	free(b);
	free(r);
	return rc;
}

/* a superblock too broken to open the log is an fsck finding */
static int open_problem(const struct fsck_opts *o, const struct famfs_problem *p)
{
	struct famfs_fsck_result *r;
	char buf[400];

	if (p->err != ENODATA && p->err != EPROTO && p->err != EBADMSG &&
	    p->err != EUCLEAN)
		return cli_problem(o->target, p);
	if (!o->json) {
		printf("ERROR [%s]: %s: %s\n",
		       famfs_fsck_class_name(famfs_fsck_sb_class(p)), o->target,
		       famfs_problem_str(p, buf, sizeof(buf)));
		return EXIT_PROBLEMS;
	}
	r = calloc(1, sizeof(*r));
	if (!r)
		return EXIT_FAIL;
	famfs_fsck_add(r, famfs_fsck_sb_class(p), p);
	cli_json_print(json_result(NULL, r, o->target));
	free(r);
	return EXIT_PROBLEMS;
}

/* -r: copy superblock and log out of the meta files with read(2) */
static int read_meta(const char *mnt, struct famfs_meta *m, void **bufp,
		     struct famfs_problem *p)
{
	char path[PATH_MAX + 32];
	size_t sblen = FAMFS_SUPERBLOCK_SIZE, len;
	struct stat st;
	char *buf;
	int fd, rc = 0;

	snprintf(path, sizeof(path), "%s/%s", mnt, FAMFS_LOG_PATH);
	if (stat(path, &st) < 0)
		return famfs_problem_set(p, errno, -1, NULL, "%s: %s", path,
					 strerror(errno));
	len = sblen + (size_t)st.st_size;
	buf = calloc(1, len);
	if (!buf)
		return famfs_problem_set(p, ENOMEM, -1, NULL, "out of memory");
	for (int i = 0; i < 2 && !rc; i++) {
		size_t want = i ? (size_t)st.st_size : sblen, got = 0;

		snprintf(path, sizeof(path), "%s/%s", mnt,
			 i ? FAMFS_LOG_PATH : FAMFS_SB_PATH);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			rc = famfs_problem_set(p, errno, -1, NULL, "%s: %s",
					       path, strerror(errno));
			break;
		}
		while (got < want) {
			ssize_t n = pread(fd, buf + (i ? sblen : 0) + got,
					  want - got, (off_t)got);
			if (n <= 0) {
				if (n < 0)
					rc = famfs_problem_set(p, errno, -1,
						NULL, "%s: read: %s", path,
						strerror(errno));
				break;	/* short superblock file: rest is 0 */
			}
			got += (size_t)n;
		}
		close(fd);
	}
	if (!rc)
		rc = famfs_meta_from_buffer(m, buf, len, (uint64_t)st.st_size, p);
	if (rc) {
		free(buf);
		return rc;
	}
	/* a copy, but of this mount: its device, its local objects */
	if (famfs_mount_dev_size(mnt, &m->dev_size, NULL) < 0)
		m->dev_size = 0;
	snprintf(m->mnt, sizeof(m->mnt), "%s", mnt);
	*bufp = buf;
	return 0;
}

static int check_mount(const char *mnt, const struct fsck_opts *o)
{
	struct famfs_problem p;
	struct famfs_meta m;
	void *buf = NULL;
	int rc;

	if (o->readmode)
		rc = read_meta(mnt, &m, &buf, &p);
	else
		rc = famfs_meta_open_mount(&m, mnt, FAMFS_META_NOCHECK, &p);
	if (rc < 0)
		return cli_problem(mnt, &p);
	rc = report(&m, o);
	famfs_meta_close(&m);
	free(buf);
	return rc;
}

static int fsck_run(int argc, char **argv, const struct cli_cmd *cmd)
{
	char abs[PATH_MAX], mnt[PATH_MAX];
	struct fsck_opts o = { 0 };
	struct cli_dax_state ds;
	enum famfs_dev_kind kind;
	struct famfs_problem p;
	struct famfs_meta m;
	uint64_t size;
	struct stat st;
	int c, rc;

	while ((c = cli_getopt(argc, argv, cmd)) != -1) {
		switch (c) {
		case 'v':
			o.verbose = true;
			break;
		case 'j':
			o.json = true;
			break;
		case 'B':
			if (famfs_parse_size(optarg, &size) < 0 || size < 1 ||
			    size > FSCK_MAX_BUCKETS)
				return cli_usage_error(cmd,
					"-B %s: 1..%d buckets expected", optarg,
					FSCK_MAX_BUCKETS);
			o.nbuckets = (uint32_t)size;
			break;
		case 'm':
			o.readmode = false;
			break;
		case 'r':
			o.readmode = true;
			break;
		case 'M':
			if (o.daxmode < CLI_DAX_FAMFS)
				o.daxmode = CLI_DAX_FAMFS;
			break;
		case 'K':
			o.daxmode = CLI_DAX_RECONFIGURE;
			break;
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(cmd, "expected a device, an image or a mount point");
	o.target = argv[optind];
	/* a dax device in system-ram mode: refused, or out of it, first */
	rc = cli_dax_sysram(o.target, o.daxmode, false, &ds);
	if (rc)
		return rc;
	if (stat(o.target, &st) < 0) {
		cli_err("%s: %s", o.target, strerror(errno));
		return EXIT_FAIL;
	}
	if (S_ISDIR(st.st_mode)) {
		if (cli_path_normalize(o.target, abs, sizeof(abs)) < 0 ||
		    cli_find_mount(abs, mnt, sizeof(mnt)))
			return EXIT_FAIL;
		return check_mount(mnt, &o);
	}
	if (famfs_dev_size(o.target, &size, &kind, &p) < 0)
		return cli_problem(NULL, &p);
	if (famfs_dev_mounted(o.target, mnt, sizeof(mnt)) == 1) {
		if (kind != FAMFS_DEV_FILE && famfs_is_famfs_mount(mnt))
			return check_mount(mnt, &o);	/* like the reference: by path */
		cli_err("%s is mounted on %s: run fsck on the mount point",
			o.target, mnt);
		return EXIT_REFUSED;
	}
	if (kind == FAMFS_DEV_FILE) {
		if (famfs_meta_open_image(&m, o.target, FAMFS_META_NOCHECK, 0,
					  &p) < 0)
			return open_problem(&o, &p);
		rc = report(&m, &o);
		famfs_meta_close(&m);
		return rc;
	}
	rc = cli_dax_enter(o.target, o.daxmode, &ds);
	if (rc)
		return rc;
	if (famfs_dummy_mount(o.target, 0, mnt, sizeof(mnt), &p) < 0) {
		rc = open_problem(&o, &p);
	} else {
		rc = check_mount(mnt, &o);
		famfs_dummy_umount(mnt);
	}
	cli_dax_leave(&ds);
	return rc;
}

const struct cli_cmd cmd_fsck = {
	.name = "fsck",
	.run = fsck_run,
	.args = "DEV | IMAGE | MNT",
	.summary = "check the superblock, the log and the allocations (read-only)",
	.detail =
"Checks the superblock (magic, version, CRC, fields, and its device size\n"
"against the real device), the log (length, header) and every entry the\n"
"way replay judges it on every host: the entry replay ends at (CRC or\n"
"sequence error) and the entries behind it, and each entry replay skips\n"
"(path, map, extent outside the device or over the superblock and log,\n"
"memory of another file, a path logged twice, a parent that is not a\n"
"logged directory). Files sharing memory are named in pairs. Slots past\n"
"the log's index that hold data are reported as notes (an append cut\n"
"short before it published its entry: harmless). On a mounted file system\n"
"the files and directories that are not in the log (made with touch,\n"
"mkdir(1) or cp(1) on the master) are reported too. Each problem is\n"
"printed with its class, the log entry index and the on-media field:\n"
"  sb-magic sb-version sb-crc sb-field device-size-mismatch log-truncated\n"
"  log-header entry-crc entry-seqnum entry-unreachable entry-invalid\n"
"  extent-outside-device extent-over-metadata shared-memory\n"
"  duplicate-path missing-parent unlogged\n"
"  stale-slot (a note: informational, not an error)\n"
"A mounted file system is checked through its meta files (give the mount\n"
"point or the mounted device); an unmounted device through a temporary\n"
"mount. With -B N the device is also cut into N equal buckets (the ones\n"
"interleaved allocation uses, -B of creat and cp) and each bucket's used and\n"
"free bytes, largest free run and free runs (fragments) are shown (JSON:\n"
"\"buckets\"). Nothing is repaired. A /dev/daxX.Y in system-ram mode (kmem)\n"
"is refused (exit status 5, nothing changed); -K takes it to devdax mode\n"
"first with daxctl, as famfs mount -K does, and leaves it there. Exit status\n"
"0 clean (notes only), 4 problems found (any class but stale-slot), 1 the\n"
"check could not run, 3 an image/device mounted elsewhere, 5 a device in\n"
"system-ram mode, 6 -K and no daxctl. --json prints \"counts\" per class and\n"
"\"findings\" with class, errno, index, field, message and \"informational\".\n",
	.examples =
"famfs fsck /mnt/famfs\n"
"  check a mounted famfs\n"
"famfs fsck --json /dev/dax0.0 | jq .counts\n"
"  per-class problem counts of an unmounted device\n"
"famfs fsck -B 8 /mnt/famfs\n"
"  free space and fragmentation of each eighth of the device\n",
	.opts = fsck_opts,
};
