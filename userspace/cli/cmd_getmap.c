// SPDX-License-Identifier: Apache-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * cmd_getmap.c - famfs getmap: a file's extent map as the kernel has it
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <linux/famfs_ioctl.h>
#include <json.h>

#include "cmds.h"

static const struct cli_opt getmap_opts[] = {
	{ 'q', "quiet", NULL, "print nothing; the exit status tells" },
	{ 'j', "json", NULL, "print the maps as a JSON array" },
	{ 'c', "continue", NULL, "go on after a file that is not mapped" },
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

static struct json_object *json_ext(const struct famfs_ioc_simple_extent *e)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "devindex", cli_json_u64(e->devindex));
	json_object_object_add(o, "offset", cli_json_u64(e->offset));
	json_object_object_add(o, "length", cli_json_u64(e->len));
	return o;
}

static struct json_object *json_map(const char *file,
				    const struct famfs_ioc_get_fmap *m)
{
	struct json_object *o = json_object_new_object(), *a;
	unsigned int i;

	json_object_object_add(o, "file", json_object_new_string(file));
	json_object_object_add(o, "mapped", json_object_new_boolean(1));
	json_object_object_add(o, "size", cli_json_u64(m->iocmap.fioc_file_size));
	json_object_object_add(o, "type", json_object_new_string(
		m->iocmap.fioc_file_type == FAMFS_SUPERBLOCK ? "superblock" :
		m->iocmap.fioc_file_type == FAMFS_LOG ? "log" : "regular"));
	a = json_object_new_array();
	if (m->iocmap.fioc_ext_type == FAMFS_IOC_EXT_SIMPLE) {
		json_object_object_add(o, "layout", json_object_new_string("simple"));
		for (i = 0; i < m->iocmap.fioc_nextents && i < FAMFS_MAX_EXTENTS; i++)
			json_object_array_add(a, json_ext(&m->ikse[i]));
		json_object_object_add(o, "extents", a);
	} else {
		json_object_object_add(o, "layout", json_object_new_string("interleaved"));
		json_object_object_add(o, "nstrips", cli_json_u64(m->ks.ikie.ie_nstrips));
		json_object_object_add(o, "chunk_size", cli_json_u64(m->ks.ikie.ie_chunk_size));
		for (i = 0; i < m->ks.ikie.ie_nstrips && i < FAMFS_MAX_STRIPS; i++)
			json_object_array_add(a, json_ext(&m->ks.kie_strips[i]));
		json_object_object_add(o, "strips", a);
	}
	return o;
}

static struct json_object *json_err(const char *file, bool famfs,
				    const char *why)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "file", json_object_new_string(file));
	json_object_object_add(o, "mapped", json_object_new_boolean(0));
	json_object_object_add(o, "famfs", json_object_new_boolean(famfs));
	json_object_object_add(o, "error", json_object_new_string(why));
	return o;
}

static void print_map(const char *file, const struct famfs_ioc_get_fmap *m)
{
	unsigned int i;

	printf("%s: size %llu bytes, type %s\n", file,
	       (unsigned long long)m->iocmap.fioc_file_size,
	       m->iocmap.fioc_file_type == FAMFS_SUPERBLOCK ? "superblock" :
	       m->iocmap.fioc_file_type == FAMFS_LOG ? "log" : "regular");
	if (m->iocmap.fioc_ext_type == FAMFS_IOC_EXT_SIMPLE) {
		printf("  %u simple extent(s)\n", m->iocmap.fioc_nextents);
		for (i = 0; i < m->iocmap.fioc_nextents &&
			    i < FAMFS_MAX_EXTENTS; i++)
			print_ext("  extent ", i, &m->ikse[i]);
	} else {
		printf("  interleaved: %llu strips, chunk %llu bytes\n",
		       (unsigned long long)m->ks.ikie.ie_nstrips,
		       (unsigned long long)m->ks.ikie.ie_chunk_size);
		for (i = 0; i < m->ks.ikie.ie_nstrips && i < FAMFS_MAX_STRIPS;
		     i++)
			print_ext("  strip ", i, &m->ks.kie_strips[i]);
	}
}

/* one file: exit code 0 mapped, 1 not famfs / cannot open, 2 unmapped */
static int getmap_one(const char *file, bool quiet, struct json_object *arr)
{
	struct famfs_ioc_get_fmap m;
	int fd, rc;

	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = errno;
		if (arr)
			json_object_array_add(arr, json_err(file, false, strerror(rc)));
		else if (!quiet)
			cli_err("%s: %s", file, strerror(rc));
		return EXIT_FAIL;
	}
	rc = famfs_map_get(fd, &m);
	close(fd);
	if (rc == -ENOTTY) {
		if (arr)
			json_object_array_add(arr, json_err(file, false, "not a famfs file"));
		else if (!quiet)
			cli_err("%s: not a famfs file", file);
		return EXIT_FAIL;
	}
	if (rc < 0) {
		if (arr)
			json_object_array_add(arr, json_err(file, true, "no extent map"));
		else if (!quiet)
			cli_err("%s: famfs file without an extent map (not created by famfs; logplay or remount restores logged files)",
				file);
		return EXIT_UNMAPPED;
	}
	if (arr)
		json_object_array_add(arr, json_map(file, &m));
	else if (!quiet)
		print_map(file, &m);
	return EXIT_OK;
}

static int getmap_run(int argc, char **argv, const struct cli_cmd *cmd)
{
	bool quiet = false, json = false, cont = false;
	struct json_object *arr = NULL;
	int c, rc, worst = EXIT_OK;

	while ((c = cli_getopt(argc, argv, cmd)) != -1) {
		if (c == 'q')
			quiet = true;
		else if (c == 'j')
			json = true;
		else if (c == 'c')
			cont = true;
	}
	if (optind >= argc)
		return cli_usage_error(cmd, "expected one or more files");
	if (json)
		arr = json_object_new_array();
	for (; optind < argc; optind++) {
		rc = getmap_one(argv[optind], quiet, arr);
		if (rc > worst)
			worst = rc;
		if (rc && !cont && !json)
			break;
	}
	if (json)
		cli_json_print(arr);
	return worst;
}

const struct cli_cmd cmd_getmap = {
	.name = "getmap",
	.run = getmap_run,
	.args = "FILE...",
	.summary = "print famfs files' sizes and extent maps, as the kernel has them",
	.detail =
"Exit status (the worst over all files): 0 every file is mapped, 1 not a\n"
"famfs file (or it cannot be opened), 2 a famfs file without a map. Without\n"
"-c, the first such file stops the listing (--json always lists all).\n",
	.examples =
"famfs getmap -q /mnt/famfs/f && echo mapped\n"
"famfs getmap --json /mnt/famfs/a /mnt/famfs/b\n",
	.opts = getmap_opts,
};
