// SPDX-License-Identifier: Apache-2.0
/*
 * cmd_logplay.c - famfs logplay: create what the log holds and this host
 * does not have yet (spec §1.4, §2.6)
 */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>

#include <json.h>

#include "cmds.h"

/* -n --json: what the log holds and what this host lacks */
static int dry_json(struct famfs_meta *m, const char *mnt, unsigned int flags)
{
	struct json_object *o = json_object_new_object();
	struct json_object *a = json_object_new_array();
	char path[PATH_MAX + 100];
	uint64_t i, n = m->log->next_index, missing = 0;
	struct famfs_geom g;
	struct famfs_problem p;
	struct stat st;
	int rc = EXIT_OK;

	famfs_sb_geom(m->sb, &g);
	for (i = 0; i < n; i++) {
		const struct famfs_log_entry *e = &m->log->entries[i];
		struct json_object *j;
		const char *rel;
		bool exists;

		if (famfs_entry_check(e, i, &g, &p)) {
			json_object_object_add(o, "bad_entry", cli_json_problem(&p));
			rc = EXIT_PROBLEMS;
			break;
		}
		if (e->type != FAMFS_LOG_FILE && e->type != FAMFS_LOG_MKDIR)
			continue;
		rel = e->type == FAMFS_LOG_FILE ? e->file.fm_relpath
						: e->mkdir.md_relpath;
		snprintf(path, sizeof(path), "%s/%s", mnt, rel);
		exists = lstat(path, &st) == 0;
		missing += !exists;
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
		json_object_array_add(a, j);
	}
	json_object_object_add(o, "mount", json_object_new_string(mnt));
	json_object_object_add(o, "role", json_object_new_string(
		(flags & FAMFS_PLAY_CLIENT) ? "client" : "master"));
	json_object_object_add(o, "entries", cli_json_u64(n));
	json_object_object_add(o, "would_create", cli_json_u64(missing));
	json_object_object_add(o, "items", a);
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
	if (st.errors)
		printf("; %llu failed", (unsigned long long)st.errors);
	printf("%s\n", (flags & FAMFS_PLAY_CLIENT) ? " (client: read-only)" : "");
	famfs_meta_close(&m);
	if (st.bad_index >= 0) {
		cli_err("%s: replay stopped at an invalid entry (the %lld entries before it were played): %s",
			mnt, (long long)st.bad_index,
			famfs_problem_str(&p, buf, sizeof(buf)));
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
"An invalid entry stops the replay; the entries before it are played\n"
"(exit 4). A read-only famfs mount is made writable for the replay and\n"
"read-only again after it. -n -j lists every logged file and directory\n"
"with \"exists\" telling whether this host has it.\n",
	.examples =
"famfs logplay /mnt/famfs\n"
"  pick up the files the master created since the last replay\n"
"famfs logplay -n --json /mnt/famfs | jq .would_create\n"
"  how many logged items this host lacks\n",
	.opts = logplay_opts,
};
