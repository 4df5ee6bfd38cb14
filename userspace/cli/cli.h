/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli.h - shared pieces of the famfs and mkfs.famfs command lines
 *
 * Options are declared as tables (struct cli_opt); getopt strings and the
 * --help text are generated from the same table, so they cannot disagree.
 */
#ifndef FAMFS_CLI_H
#define FAMFS_CLI_H

#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>	/* optind, optarg */

#include "libfamfs.h"

/* Exit codes, the same for every command (documented in famfs --help) */
#define EXIT_OK		0	/* success */
#define EXIT_FAIL	1	/* the operation failed; the reason is printed */
#define EXIT_UNMAPPED	2	/* getmap: a famfs file without a map */
#define EXIT_REFUSED	3	/* refused: client host, existing file system
				 * without -f, device mounted, target exists */
#define EXIT_PROBLEMS	4	/* problems found: fsck errors, verify
				 * mismatch, unmapped files, bad log entry */
#define EXIT_USAGE	64	/* bad option or argument */

struct cli_opt {
	int val;		/* short option character */
	const char *name;	/* long option */
	const char *arg;	/* argument name, NULL if none */
	const char *help;
};

struct cli_cmd {
	const char *name;
	int (*run)(int argc, char **argv, const struct cli_cmd *cmd);
	const char *args;	/* positional synopsis */
	const char *summary;	/* one line */
	const char *detail;	/* paragraphs after the options, or NULL */
	const struct cli_opt *opts;	/* ends with { 0 } */
};

extern const char *cli_prog;	/* "famfs mkdir", "mkfs.famfs" */

/** cli_getopt() - next option of @cmd; -h/--help print help and exit 0,
 *  an unknown option prints the usage and exits EXIT_USAGE. */
int cli_getopt(int argc, char **argv, const struct cli_cmd *cmd);
void cli_help(const struct cli_cmd *cmd, FILE *out);
/** cli_usage_error() - "prog: msg" + usage hint; returns EXIT_USAGE */
int cli_usage_error(const struct cli_cmd *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/** cli_err() - "prog: msg" on stderr */
void cli_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/** cli_problem() - print @p; returns the exit code that fits its error */
int cli_problem(const char *what, const struct famfs_problem *p);
/** cli_exit_code() - EXIT_REFUSED for EPERM/EEXIST/EBUSY, else EXIT_FAIL */
int cli_exit_code(int err);
extern const char cli_exit_table[];

/**
 * struct cli_session - a master's locked write session on the famfs that
 * holds @path: mount found, .meta/.log locked, role checked.
 */
struct cli_session {
	char mnt[4096];
	struct famfs_meta meta;
	struct famfs_play_ops ops;
	struct famfs_writer w;
};

/** cli_session_open() - returns EXIT_OK or the exit code after printing why */
int cli_session_open(struct cli_session *s, const char *abs_path);
void cli_session_close(struct cli_session *s);
/** cli_find_mount() - mount containing @abs; prints why not; exit code */
int cli_find_mount(const char *abs, char *mnt, size_t len);
/** cli_path_normalize() - absolute, lexically normalized (no . / ..) */
int cli_path_normalize(const char *in, char *out, size_t len);

#endif
