// SPDX-License-Identifier: Apache-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * famfs.c - the famfs command: dispatch to cmd_*.c
 *
 * The same binary is mount.famfs and umount.famfs (installed as links):
 * it looks at the name it was started as.
 */
#include <libgen.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmds.h"

static const struct cli_cmd *const commands[] = {
	&cmd_mount, &cmd_umount, &cmd_mkmeta, &cmd_logplay, &cmd_mkdir,
	&cmd_creat, &cmd_cp, &cmd_verify, &cmd_flush, &cmd_getmap,
	&cmd_fsck, &cmd_check, &cmd_chkread, &cmd_df,
};

#define NCMDS (sizeof(commands) / sizeof(commands[0]))

static void main_help(FILE *out)
{
	size_t i;

	fprintf(out,
		"Usage: famfs [--help | --version] <command> [options] [args]\n\n"
		"famfs shares DAX memory between hosts as a file system. The master host\n"
		"(the one that ran mkfs.famfs) creates files; every host mounts and replays\n"
		"the metadata log to see them.\n\nCommands:\n");
	for (i = 0; i < NCMDS; i++)
		fprintf(out, "  %-9s %s\n", commands[i]->name,
			commands[i]->summary);
	fprintf(out, "\n'famfs <command> --help' describes a command; each has a man page,\n"
		"famfs-<command>(8).\n\n%s", cli_exit_table);
}

/* famfs --man-all DIR: write every man page (make man) */
static int man_all(const char *dir)
{
	const struct cli_cmd *all[NCMDS + 1];
	size_t i;

	for (i = 0; i < NCMDS; i++)
		all[i] = commands[i];
	all[NCMDS] = &cmd_mkfs;
	return cli_man_all(dir, all, NCMDS + 1);
}

int main(int argc, char **argv)
{
	static char prog[64];
	char self[256];
	const char *base;
	size_t i;

	snprintf(self, sizeof(self), "%s", argv[0]);
	base = basename(self);
	if (!strcmp(base, "mount.famfs"))
		return cli_mount_helper(argc, argv);
	if (!strcmp(base, "umount.famfs"))
		return cli_umount_helper(argc, argv);
	if (!strcmp(base, "mkfs.famfs")) {
		cli_prog = "mkfs.famfs";
		return cmd_mkfs.run(argc, argv, &cmd_mkfs);
	}

	if (argc < 2) {
		main_help(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		if (argc > 2) {
			for (i = 0; i < NCMDS; i++)
				if (!strcmp(argv[2], commands[i]->name)) {
					snprintf(prog, sizeof(prog), "famfs %s",
						 argv[2]);
					cli_prog = prog;
					cli_help(commands[i], stdout);
					return EXIT_OK;
				}
		}
		main_help(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("famfs %s (superblock version %d, reads %d-%d; ioctl KABI 42/43)\n",
		       FAMFS_VERSION, FAMFS_VERSION_CURRENT, FAMFS_VERSION_MIN,
		       FAMFS_VERSION_CURRENT);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--man-all") && argc == 3)
		return man_all(argv[2]);
	if (!strcmp(argv[1], "--list-cmds")) {
		for (i = 0; i < NCMDS; i++)
			printf("%s\n", commands[i]->name);
		return EXIT_OK;
	}
	for (i = 0; i < NCMDS; i++) {
		if (strcmp(argv[1], commands[i]->name))
			continue;
		snprintf(prog, sizeof(prog), "famfs %s", argv[1]);
		cli_prog = prog;
		return commands[i]->run(argc - 1, argv + 1, commands[i]);
	}
	fprintf(stderr, "famfs: unknown command '%s' (see famfs --help)\n",
		argv[1]);
	return EXIT_USAGE;
}
