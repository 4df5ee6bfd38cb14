// SPDX-License-Identifier: Apache-2.0
/*
 * cmd_logplay.c - famfs logplay: create what the log holds and this host
 * does not have yet (spec §1.4, §2.6)
 */
#include <limits.h>
#include <string.h>

#include "cmds.h"

int play_log(const char *mnt, unsigned int flags)
{
	struct famfs_play_stats st;
	struct famfs_play_ops ops;
	struct famfs_problem p;
	struct famfs_meta m;
	char buf[400];
	int rc;

	rc = famfs_meta_open_mount(&m, mnt, 0, &p);
	if (rc < 0)
		return cli_problem(mnt, &p);
	if (famfs_role(m.sb, NULL, NULL) != FAMFS_ROLE_MASTER)
		flags |= FAMFS_PLAY_CLIENT;
	famfs_kernel_ops(&ops, mnt);
	rc = famfs_logplay(&m, &ops, flags, stdout, &st, &p);
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
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(cmd, "expected one path in a famfs mount");
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
"An invalid entry stops the replay; the entries before it are played.\n",
	.opts = logplay_opts,
};
