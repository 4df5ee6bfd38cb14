// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * pinmem - put unmovable kernel memory on one NUMA node, and keep it there.
 *
 *   pinmem NODE N
 *
 * Binds itself to NODE (set_mempolicy MPOL_BIND), maps N * 2 MiB of
 * anonymous memory without huge pages and touches one byte of each 2 MiB:
 * every touch makes the kernel allocate a page table page, under this
 * task's policy, on NODE. Page tables cannot be migrated, so while pinmem
 * lives, memory of NODE onlined into ZONE_NORMAL cannot be offlined: the
 * deterministic "the kernel has placed unmovable data there" of the CXL
 * guest's system-ram checks (tests/guest/cxl.sh). Prints "pinned N page
 * tables on node NODE" once they are there (the first touched page is
 * checked to be on NODE), then sleeps until it is killed. Exit 1 on a bad
 * argument or a failed system call, 2 if the memory is not on NODE. Built
 * static by tests/vm/mkinitrd.sh into the guest's /usr/local/bin.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MPOL_BIND_	2	/* <linux/mempolicy.h> */
#define MPOL_F_NODE_	1
#define MPOL_F_ADDR_	2
#define SZ_2M		(2UL << 20)

int main(int argc, char **argv)
{
	unsigned long mask[16] = { 0 }, node, n, i;
	char *p, *end;
	int where = -1;

	if (argc != 3) {
		fprintf(stderr, "usage: pinmem NODE N\n");
		return 1;
	}
	node = strtoul(argv[1], &end, 10);
	if (*end || node >= sizeof(mask) * 8) {
		fprintf(stderr, "pinmem: bad node %s\n", argv[1]);
		return 1;
	}
	n = strtoul(argv[2], &end, 10);
	if (*end || !n || n > 65536) {
		fprintf(stderr, "pinmem: bad count %s\n", argv[2]);
		return 1;
	}
	mask[node / (8 * sizeof(long))] = 1UL << (node % (8 * sizeof(long)));
	if (syscall(SYS_set_mempolicy, MPOL_BIND_, mask, sizeof(mask) * 8 + 1)) {
		fprintf(stderr, "pinmem: set_mempolicy: %s\n", strerror(errno));
		return 1;
	}
	p = mmap(NULL, n * SZ_2M, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		fprintf(stderr, "pinmem: mmap: %s\n", strerror(errno));
		return 1;
	}
	madvise(p, n * SZ_2M, MADV_NOHUGEPAGE);
	for (i = 0; i < n; i++)
		p[i * SZ_2M] = 1;
	if (syscall(SYS_get_mempolicy, &where, NULL, 0, p,
		    MPOL_F_NODE_ | MPOL_F_ADDR_)) {
		fprintf(stderr, "pinmem: get_mempolicy: %s\n", strerror(errno));
		return 1;
	}
	if (where != (int)node) {
		fprintf(stderr, "pinmem: the memory is on node %d, not %lu\n",
			where, node);
		return 2;
	}
	printf("pinned %lu page tables on node %lu\n", n, node);
	fflush(stdout);
	for (;;)
		pause();
}
