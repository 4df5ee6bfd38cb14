/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Copyright (C) 2026 famfs contributors
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
#define EXIT_SYSRAM	5	/* the dax device is in system-ram mode
				 * (kmem) and stays so: no -K/daxmode=
				 * reconfigure, no fsdev_dax, or daxctl
				 * failed and famfs put it back exactly as
				 * it was: nothing changed (a device left
				 * different in any way: EXIT_FAIL) */
#define EXIT_NOTOOL	6	/* a program famfs needs is not installed
				 * (daxctl, for daxmode=reconfigure) */
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
	const char *examples;	/* man page only: "$ cmd\n  what it does\n" */
	const char *page;	/* man page name if not "famfs-<name>" */
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
/**
 * cli_log_parents() - every directory between the mount and @abs (and
 * @abs itself with @self) must be in the log (parents.c): a logged
 * directory is kept; an existing unlogged one (made with mkdir(1)) is
 * logged now with its own mode and owner; a missing one is created and
 * logged with @mode/@uid/@gid when @create (mkdir -p), else refused. A
 * file in the way is refused. Prints why; returns an exit code (1).
 */
int cli_log_parents(struct cli_session *s, const char *abs, bool self,
		    bool create, uint32_t mode, uint32_t uid, uint32_t gid,
		    bool verbose);
/** cli_find_mount() - mount containing @abs; prints why not; exit code */
int cli_find_mount(const char *abs, char *mnt, size_t len);
/** cli_path_normalize() - absolute, lexically normalized (no . / ..) */
int cli_path_normalize(const char *in, char *out, size_t len);

/**
 * cli_owner() - a user (@group false) or group name or number into @out.
 * Returns 0 or -EINVAL (unknown name, bad number).
 */
int cli_owner(const char *s, bool group, uint32_t *out);

/** interleave options shared by creat and cp: -N nstrips -B nbuckets -C chunk */
#define CLI_INTERLEAVE_OPTS \
	{ 'N', "nstrips", "N", "interleave: strips per file (1..16); enables interleaving" }, \
	{ 'B', "nbuckets", "N", "interleave: buckets the device is cut into (default 2 * nstrips, <= 64)" }, \
	{ 'C', "chunksize", "SIZE", "interleave: chunk size, power of two, multiple of 2M (default 2M)" }

/**
 * cli_interleave_opt() - handle -N/-B/-C into @il. Returns 1 if @c was one
 * of them, 0 if not, or EXIT_USAGE after printing why.
 */
int cli_interleave_opt(const struct cli_cmd *cmd, int c, const char *arg,
		       struct famfs_interleave *il);
/** cli_interleave_done() - defaults and checks once the session is open */
int cli_interleave_done(struct famfs_interleave *il, uint64_t dev_size);
/**
 * cli_alloc_cfg() - the default interleaving of the famfs at @mnt from its
 * .meta/.alloc.cfg, with the -N/-B/-C defaults filled in and checked
 * against @dev_size; all zero (contiguous) without the file. Prints why
 * and returns EXIT_FAIL for a bad file. cli_session_open() puts it in
 * s->w.il_default, which command-line -N/-B/-C (s->w.il) override.
 */
int cli_alloc_cfg(const char *mnt, uint64_t dev_size,
		  struct famfs_interleave *il);

/**
 * cli_size() - parse the SIZE argument @arg of option @opt ("-s") with
 * famfs_parse_size() into @out. Returns 0, or EXIT_USAGE after printing
 * why: not a size (FAMFS_SIZE_SYNTAX), or too large (above FAMFS_SIZE_MAX).
 */
int cli_size(const struct cli_cmd *cmd, const char *opt, const char *arg,
	     uint64_t *out);
/**
 * cli_size_error() - print the usage error for famfs_parse_size()'s @rc
 * (-EINVAL or -ERANGE) on @arg of @opt; returns EXIT_USAGE
 */
int cli_size_error(const struct cli_cmd *cmd, const char *opt,
		   const char *arg, int rc);

/** cli_threadct() - a -t argument, 0..FAMFS_PATTERN_MAX_THREADS; -EINVAL */
int cli_threadct(const char *arg, unsigned int *out);
/** cli_threadct_default() - the online CPUs (1..FAMFS_PATTERN_MAX_THREADS) */
unsigned int cli_threadct_default(void);

/* ------------------------------------------------------------ json */
struct json_object;
/** cli_json_print() - pretty-print @o to stdout and release it */
void cli_json_print(struct json_object *o);
/** cli_json_problem() - {"errno","error","index","field","message"} */
struct json_object *cli_json_problem(const struct famfs_problem *p);
/** cli_json_u64() - a JSON integer from a u64 */
struct json_object *cli_json_u64(uint64_t v);

/* ------------------------------------------------------------ mount */

/**
 * enum cli_daxmode - what a command may do to a /dev/dax device's driver:
 * @CLI_DAX_KEEP: nothing (the default);
 * @CLI_DAX_FAMFS: move it to fsdev_dax (-M, daxmode=famfs);
 * @CLI_DAX_RECONFIGURE: the same, and first, if it is in system-ram mode
 * (kmem), take it out with daxctl (-K, daxmode=reconfigure)
 */
enum cli_daxmode {
	CLI_DAX_KEEP,
	CLI_DAX_FAMFS,
	CLI_DAX_RECONFIGURE,
};

/** struct cli_mount_req - a whole famfs mount (famfs mount, mount.famfs) */
struct cli_mount_req {
	const char *dev, *mnt;
	unsigned long flags;	/* MS_* for mount(2), without MS_RDONLY */
	char data[512];		/* options passed to the kernel */
	bool ro;		/* remount read-only after the replay */
	enum cli_daxmode daxmode;	/* bind a /dev/dax device to fsdev_dax */
	bool remount;		/* already mounted here: refresh */
	bool fake;		/* -f: check everything, mount nothing */
	bool noreplay;		/* do not play the log */
	bool verbose;
};

/** cli_mount() - bind (if asked), mount, meta files, replay; exit code */
int cli_mount(struct cli_mount_req *r);
/**
 * cli_umount() - unmount @target (mount point or device) and give a dax
 * device back to the driver it had before famfs mount bound it; exit code
 */
int cli_umount(const char *target, bool lazy, bool fake, bool verbose);
/** struct cli_dax_state - a dax device moved to fsdev_dax for one command */
struct cli_dax_state {
	char name[64], old[64];
	bool moved;		/* cli_dax_leave() binds @old again */
	bool from_kmem;		/* it was in system-ram mode (kmem) */
	int lockfd;		/* famfs_dax_lock() with -K, or -1 */
};
/** cli_dax_unlock() - drop cli_dax_sysram()'s lock (after the bind) */
void cli_dax_unlock(struct cli_dax_state *ds);
/** the -K option of mkfs.famfs, famfs fsck and famfs mount */
#define CLI_OPT_RECONFIGURE \
	{ 'K', "reconfigure-daxmode", NULL, "as -M; a /dev/dax device in system-ram mode (kmem) is first taken to devdax mode with daxctl (its memory offlined)" }
/**
 * cli_dax_sysram() - the first step of a command on @dev: fills @ds. If
 * @dev is, or names, a dax device in system-ram mode (bound to kmem; its
 * /dev node cannot be opened), print what is so and refuse with EXIT_SYSRAM,
 * changing nothing; with @mode CLI_DAX_RECONFIGURE take it to devdax mode
 * with daxctl instead (famfs_dax_reconfigure(): EXIT_NOTOOL without
 * daxctl, EXIT_SYSRAM if it stayed in system-ram mode unchanged, EXIT_FAIL
 * if it changed in any way but is not in devdax mode) and set
 * @ds->from_kmem. Progress goes to stderr. With @fake only say what would
 * be done (EXIT_NOTOOL without daxctl). With -K it holds a per-device lock
 * in $FAMFS_RUNDIR until cli_dax_unlock() or exit. A signal that came
 * while daxctl ran is re-raised after the report. Exit code.
 */
int cli_dax_sysram(const char *dev, enum cli_daxmode mode, bool fake,
		   struct cli_dax_state *ds);
/**
 * cli_dax_enter() - after cli_dax_sysram(): if @dev is a dax device not on
 * fsdev_dax: with @mode CLI_DAX_FAMFS or CLI_DAX_RECONFIGURE move it there
 * (cli_dax_leave() moves it back), with CLI_DAX_KEEP refuse with a hint.
 * Exit code.
 */
int cli_dax_enter(const char *dev, enum cli_daxmode mode,
		  struct cli_dax_state *ds);
/**
 * cli_dax_leave() - give the device back to the driver it had before
 * cli_dax_enter(); one taken out of system-ram mode stays in devdax mode,
 * and the message says so
 */
void cli_dax_leave(struct cli_dax_state *ds);
/** cli_mount_options() - parse a mount -o string into @r; exit code */
int cli_mount_options(struct cli_mount_req *r, const char *opts);
/** cli_set_ro() - remount @mnt read-only or read-write; 0 or -errno */
int cli_set_ro(const char *mnt, bool ro);
/** cli_is_ro() - @mnt is mounted read-only */
bool cli_is_ro(const char *mnt);
/** cli_mount_helper() - main() of mount.famfs */
int cli_mount_helper(int argc, char **argv);
/** cli_umount_helper() - main() of umount.famfs */
int cli_umount_helper(int argc, char **argv);

/* ------------------------------------------------------------ man */
/** cli_man() - the roff man page of @cmd to @out */
void cli_man(const struct cli_cmd *cmd, FILE *out);
/** cli_man_all() - every page (commands, famfs.8, mount.famfs.8) into @dir */
int cli_man_all(const char *dir, const struct cli_cmd *const *cmds, size_t n);

#endif
