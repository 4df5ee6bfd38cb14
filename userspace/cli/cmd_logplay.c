// SPDX-License-Identifier: Apache-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * cmd_logplay.c - famfs logplay: create what the log holds and this host
 * does not have yet (Documentation/format.md §10)
 */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>

#include <json.h>

#include "cmds.h"

/* -n --json: what the log holds, what replay skips, what this host lacks */
struct dry {
	const char *mnt;
	struct json_object *items, *skipped, *end;
	uint64_t missing;
};

static void dry_entry(void *ctx, uint64_t i, const struct famfs_log_entry *e,
		      enum famfs_verdict v, enum famfs_fsck_class cls,
		      const struct famfs_problem *p)
{
	struct dry *d = ctx;
	char path[PATH_MAX + 100];
	struct json_object *j;
	struct stat st;
	const char *rel;
	bool exists;

	if (v != FAMFS_ENTRY_PLAY) {
		j = cli_json_problem(p);
		json_object_object_add(j, "class", json_object_new_string(
			famfs_fsck_class_name(cls)));
		if (v == FAMFS_ENTRY_END)
			d->end = j;
		else
			json_object_array_add(d->skipped, j);
		return;
	}
	if (e->type != FAMFS_LOG_FILE && e->type != FAMFS_LOG_MKDIR)
		return;
	rel = e->type == FAMFS_LOG_FILE ? e->file.fm_relpath
					: e->mkdir.md_relpath;
	snprintf(path, sizeof(path), "%s/%s", d->mnt, rel);
	exists = lstat(path, &st) == 0;
	d->missing += !exists;
	j = json_object_new_object();
	json_object_object_add(j, "index", cli_json_u64(i));
	json_object_object_add(j, "type", json_object_new_string(
		e->type == FAMFS_LOG_FILE ? "file" : "directory"));
	json_object_object_add(j, "path", json_object_new_string(rel));
	if (e->type == FAMFS_LOG_FILE) {
		json_object_object_add(j, "size", cli_json_u64(e->file.fm_size));
		json_object_object_add(j, "mode", json_object_new_int(
			(int)(e->file.fm_mode & 07777)));
		json_object_object_add(j, "uid", cli_json_u64(e->file.fm_uid));
		json_object_object_add(j, "gid", cli_json_u64(e->file.fm_gid));
	} else {
		json_object_object_add(j, "mode", json_object_new_int(
			(int)(e->mkdir.md_mode & 07777)));
	}
	json_object_object_add(j, "exists", json_object_new_boolean(exists));
	json_object_array_add(d->items, j);
}

static int dry_json(struct famfs_meta *m, const char *mnt, unsigned int flags)
{
	struct dry d = { .mnt = mnt };
	struct json_object *o;
	struct famfs_log_index *ix;
	struct famfs_problem p;
	int rc;

	d.items = json_object_new_array();
	d.skipped = json_object_new_array();
	/* the walk replay does: every entry invalidated, judged the same */
	rc = famfs_log_index_build(&ix, m, dry_entry, &d, &p);
	if (rc) {
		json_object_put(d.items);
		json_object_put(d.skipped);
		return cli_problem(mnt, &p);
	}
	o = json_object_new_object();
	json_object_object_add(o, "mount", json_object_new_string(mnt));
	json_object_object_add(o, "role", json_object_new_string(
		(flags & FAMFS_PLAY_CLIENT) ? "client" : "master"));
	json_object_object_add(o, "entries", cli_json_u64(m->log->next_index));
	json_object_object_add(o, "would_create", cli_json_u64(d.missing));
	json_object_object_add(o, "items", d.items);
	json_object_object_add(o, "skipped", d.skipped);
	if (d.end)
		json_object_object_add(o, "bad_entry", d.end);
	rc = d.end || ix->st.bad_entries ? EXIT_PROBLEMS : EXIT_OK;
	famfs_log_index_free(ix);
	cli_json_print(o);
	return rc;
}

int play_log(const char *mnt, unsigned int flags)
{
	struct famfs_play_stats st;
	struct famfs_play_ops ops;
	struct famfs_problem p;
	struct famfs_meta m;
	bool ro = false;
	char buf[400];
	int rc;

	rc = famfs_meta_open_mount(&m, mnt, 0, &p);
	if (rc < 0)
		return cli_problem(mnt, &p);
	if (famfs_role(m.sb, NULL, NULL) != FAMFS_ROLE_MASTER)
		flags |= FAMFS_PLAY_CLIENT;
	if (flags & FAMFS_PLAY_JSON) {
		rc = dry_json(&m, mnt, flags);
		famfs_meta_close(&m);
		return rc;
	}
	/* a read-only mount (mount -o ro) is writable for the replay only */
	if (!(flags & FAMFS_PLAY_DRYRUN) && cli_is_ro(mnt)) {
		if (cli_set_ro(mnt, false) < 0) {
			famfs_meta_close(&m);
			return EXIT_FAIL;
		}
		ro = true;
	}
	famfs_kernel_ops(&ops, mnt);
	rc = famfs_logplay(&m, &ops, flags, stdout, &st, &p);
	if (ro && cli_set_ro(mnt, true) < 0 && !rc)
		rc = -EROFS;
	printf("%s%s: %llu log entries: files %llu created, %llu existed; directories %llu created, %llu existed",
	       (flags & FAMFS_PLAY_DRYRUN) ? "dry run: " : "", mnt,
	       (unsigned long long)st.entries,
	       (unsigned long long)st.files_created,
	       (unsigned long long)st.files_existed,
	       (unsigned long long)st.dirs_created,
	       (unsigned long long)st.dirs_existed);
	if (st.skipped)
		printf("; %llu skipped", (unsigned long long)st.skipped);
	if (st.rejected)
		printf("; %llu invalid, skipped", (unsigned long long)st.rejected);
	if (st.errors)
		printf("; %llu failed", (unsigned long long)st.errors);
	printf("%s\n", (flags & FAMFS_PLAY_CLIENT) ? " (client: read-only)" : "");
	famfs_meta_close(&m);
	/* the log's problems first: every host has them, fsck names them */
	if (st.bad_index >= 0) {
		cli_err("%s: replay stopped at an invalid entry (the %lld entries before it were played, nothing after it is trusted; run famfs fsck): %s",
			mnt, (long long)st.bad_index,
			famfs_problem_str(&p, buf, sizeof(buf)));
		return EXIT_PROBLEMS;
	}
	if (st.rejected) {
		cli_err("%s: %llu log entr%s skipped on every host (named above; run famfs fsck)",
			mnt, (unsigned long long)st.rejected,
			st.rejected == 1 ? "y was" : "ies were");
		return EXIT_PROBLEMS;
	}
	return rc < 0 ? EXIT_FAIL : EXIT_OK;
}

static const struct cli_opt logplay_opts[] = {
	{ 'n', "dryrun", NULL, "show what would be created, create nothing" },
	{ 'v', "verbose", NULL, "print every entry" },
	{ 'c', "client", NULL, "play as a client would (strip write permissions)" },
	{ 'j', "json", NULL, "with -n: list the log's files and directories as JSON" },
	{ 0 }
};

static int logplay_run(int argc, char **argv, const struct cli_cmd *cmd)
{
	unsigned int flags = 0;
	char abs[PATH_MAX], mnt[PATH_MAX];
	int c, rc;

	while ((c = cli_getopt(argc, argv, cmd)) != -1) {
		switch (c) {
		case 'n':
			flags |= FAMFS_PLAY_DRYRUN;
			break;
		case 'v':
			flags |= FAMFS_PLAY_VERBOSE;
			break;
		case 'c':
			flags |= FAMFS_PLAY_CLIENT;
			break;
		case 'j':
			flags |= FAMFS_PLAY_JSON;
			break;
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(cmd, "expected one path in a famfs mount");
	if ((flags & FAMFS_PLAY_JSON) && !(flags & FAMFS_PLAY_DRYRUN))
		return cli_usage_error(cmd, "--json needs -n (a dry run)");
	if (cli_path_normalize(argv[optind], abs, sizeof(abs)) < 0)
		return cli_usage_error(cmd, "bad path %s", argv[optind]);
	rc = cli_find_mount(abs, mnt, sizeof(mnt));
	if (rc)
		return rc;
	return play_log(mnt, flags);
}

const struct cli_cmd cmd_logplay = {
	.name = "logplay",
	.run = logplay_run,
	.args = "MNT",
	.summary = "replay the metadata log: create the files and directories this host lacks",
	.detail =
"Entries already present are counted and left alone, so logplay can run any\n"
"number of times. On a client, files are created without write permission.\n"
"An entry with a CRC or sequence error ends the replay: the entries before\n"
"it are played, nothing after it is trusted (exit 4). An entry with a valid\n"
"CRC that breaks a rule of the log (path already logged, parent not a\n"
"logged directory, memory outside the device, over the metadata or of\n"
"another file, a bad path or map) is skipped on every host with its reason\n"
"on stderr, its memory stays allocated, and the replay goes on (exit 4).\n"
"famfs fsck names both kinds. Exit status: 0 all played; 4 the log has\n"
"such entries; 1 the log is fine but some files could not be created\n"
"here, or the log could not be read. A read-only famfs mount is made\n"
"writable for the replay and read-only again after it. -n -j lists every\n"
"logged file and directory with \"exists\" telling whether this host has it,\n"
"the skipped entries (\"skipped\") and the one replay ends at\n"
"(\"bad_entry\").\n",
	.examples =
"famfs logplay /mnt/famfs\n"
"  pick up the files the master created since the last replay\n"
"famfs logplay -n --json /mnt/famfs | jq .would_create\n"
"  how many logged items this host lacks\n",
	.opts = logplay_opts,
};
