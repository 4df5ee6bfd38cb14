// SPDX-License-Identifier: Apache-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * mkcorpus.c - write the seed inputs of fuzz_meta into fuzz/corpus/
 * (flags byte + superblock + log header + slots): an empty file system,
 * one with directories and files, one with an interleaved file, and a
 * cross-linked one. Run by hand: make fuzz-corpus.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libfamfs.h"

#define MiB (1024ULL * 1024)

static void write_seed(const char *dir, const char *name, uint8_t flags,
		       const void *img, unsigned int nentries)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f) {
		perror(path);
		exit(1);
	}
	fwrite(&flags, 1, 1, f);
	fwrite(img, sizeof(struct famfs_superblock), 1, f);
	fwrite((const char *)img + FAMFS_LOG_OFFSET, sizeof(struct famfs_log) +
	       nentries * sizeof(struct famfs_log_entry), 1, f);
	fclose(f);
}

int main(int argc, char **argv)
{
	struct famfs_mkfs_params mp = { .dev_size = 4096 * MiB,
		.log_len = 8 * MiB, .devname = "/dev/dax0.0" };
	size_t len = FAMFS_LOG_OFFSET + 8 * MiB;
	struct famfs_writer w = { 0 };
	struct famfs_problem p;
	struct famfs_meta m;
	struct famfs_log_entry e;
	struct famfs_simple_extent se = { 0, 20 * MiB, 2 * MiB };
	char *img = calloc(1, len);
	const char *dir = argc > 1 ? argv[1] : "fuzz/corpus";

	if (!img || famfs_meta_from_buffer(&m, img, len, 8 * MiB, &p) ||
	    famfs_mkfs(&m, &mp, false, &p))
		return 1;
	write_seed(dir, "empty", 0, img, 0);
	w.m = &m;
	famfs_writer_mkdir(&w, "dir", 0755, 0, 0, &p);
	famfs_writer_mkdir(&w, "dir/sub", 0700, 1000, 1000, &p);
	famfs_writer_mkfile(&w, "dir/a", 5000, 0644, 0, 0, NULL, &p);
	famfs_writer_mkfile(&w, "dir/sub/b", 9 * MiB, 0600, 1000, 1000, NULL, &p);
	famfs_writer_mkfile(&w, "empty", 0, 0644, 0, 0, NULL, &p);
	write_seed(dir, "files", 0, img, 5);
	write_seed(dir, "files-resealed", 7, img, 5);
	w.il = (struct famfs_interleave){ .nbuckets = 8, .nstrips = 4,
					  .chunk = 2 * MiB };
	famfs_writer_mkfile(&w, "striped", 64 * MiB, 0644, 0, 0, NULL, &p);
	write_seed(dir, "interleaved", 0, img, 6);
	famfs_entry_file(&e, "clone", 1, 0644, 0, 0, &se, 1, &p);
	famfs_log_append(&m, &e, &p);
	/* famfs_log_append() refuses a second file on the same memory:
	 * forge it, as another implementation could have written it */
	e.seqnum = m.log->next_index;
	e.crc = famfs_entry_crc(&e);
	m.log->entries[m.log->next_index] = e;
	m.log->next_seqnum = ++m.log->next_index;
	write_seed(dir, "crosslinked", 0, img, 8);
	famfs_writer_done(&w);
	return 0;
}
