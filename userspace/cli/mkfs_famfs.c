// SPDX-License-Identifier: Apache-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * mkfs_famfs.c - main() of mkfs.famfs; the command is cmd_mkfs.c
 */
#include <string.h>

#include "cmds.h"

int main(int argc, char **argv)
{
	cli_prog = "mkfs.famfs";
	if (argc == 2 && (!strcmp(argv[1], "--version") ||
			  !strcmp(argv[1], "-V"))) {
		printf("mkfs.famfs %s (writes superblock version %d)\n",
		       FAMFS_VERSION, FAMFS_VERSION_CURRENT);
		return EXIT_OK;
	}
	return cmd_mkfs.run(argc, argv, &cmd_mkfs);
}
