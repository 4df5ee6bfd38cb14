/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (C) 2026 famfs contributors */
/* cmds.h - the famfs subcommands, one file each (cmd_<name>.c) */
#ifndef FAMFS_CMDS_H
#define FAMFS_CMDS_H

#include "cli.h"

extern const struct cli_cmd cmd_mount, cmd_umount, cmd_mkmeta, cmd_logplay,
	cmd_mkdir, cmd_creat, cmd_cp, cmd_verify, cmd_flush, cmd_getmap,
	cmd_fsck, cmd_check, cmd_chkread, cmd_df, cmd_mkfs;

/** play_log() - replay the log of the famfs at @mnt; shared by mount and
 *  logplay. Returns an exit code and prints the counts. */
int play_log(const char *mnt, unsigned int flags);

#endif
