// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * mmaptest - exercise a file through mmap(MAP_SHARED) in the test guests.
 *   mmaptest fill FILE SEED    write a xorshift pattern over the whole file through mmap, msync
 *   mmaptest check FILE SEED   verify the pattern with read() and again through mmap
 *   mmaptest cmp FILE          compare the file read through mmap with the file read with read()
 * Built static by tests/vm/mkinitrd.sh (gcc -O2 -static) into the guest's /usr/local/bin.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static uint64_t next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* the pattern byte at every offset, one 64-bit word at a time */
static void pattern(unsigned char *buf, size_t len, uint64_t seed)
{
	uint64_t s = seed | 1, w;
	size_t i;

	for (i = 0; i < len; i += 8) {
		w = next(&s);
		memcpy(buf + i, &w, len - i < 8 ? len - i : 8);
	}
}

static unsigned char *read_all(int fd, size_t len)
{
	unsigned char *buf = malloc(len ? len : 1);
	size_t done = 0;
	ssize_t n;

	if (!buf)
		return NULL;
	while (done < len) {
		n = pread(fd, buf + done, len - done, done);
		if (n <= 0) {
			perror("pread");
			free(buf);
			return NULL;
		}
		done += n;
	}
	return buf;
}

static size_t first_diff(const unsigned char *a, const unsigned char *b, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (a[i] != b[i])
			return i;
	return len;
}

int main(int argc, char **argv)
{
	int wr, fd;
	struct stat st;
	size_t len, off;
	unsigned char *map, *want, *got;
	uint64_t seed = argc > 3 ? strtoull(argv[3], NULL, 0) : 0;

	if (argc < 3 || (strcmp(argv[1], "cmp") && argc < 4)) {
		fprintf(stderr, "usage: %s fill|check FILE SEED | cmp FILE\n", argv[0]);
		return 2;
	}
	wr = !strcmp(argv[1], "fill");
	fd = open(argv[2], wr ? O_RDWR : O_RDONLY);
	if (fd < 0 || fstat(fd, &st)) {
		perror(argv[2]);
		return 2;
	}
	len = st.st_size;
	if (!len) {
		fprintf(stderr, "%s: empty file\n", argv[2]);
		return 2;
	}
	map = mmap(NULL, len, wr ? PROT_READ | PROT_WRITE : PROT_READ, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	want = malloc(len);
	if (!want)
		return 2;

	if (wr) {
		pattern(want, len, seed);
		memcpy(map, want, len);
		if (msync(map, len, MS_SYNC)) {
			perror("msync");
			return 1;
		}
		printf("filled %zu bytes through mmap, seed %llu\n", len, (unsigned long long)seed);
		return 0;
	}

	got = read_all(fd, len);
	if (!got)
		return 1;
	if (!strcmp(argv[1], "cmp")) {
		off = first_diff(map, got, len);
		if (off != len) {
			printf("MISMATCH mmap vs read at offset %zu of %zu\n", off, len);
			return 1;
		}
		printf("mmap and read agree on %zu bytes\n", len);
		return 0;
	}
	pattern(want, len, seed);
	off = first_diff(want, got, len);
	if (off == len)
		off = first_diff(want, map, len);
	if (off != len) {
		printf("MISMATCH pattern seed %llu at offset %zu of %zu\n", (unsigned long long)seed, off, len);
		return 1;
	}
	printf("pattern seed %llu verified on %zu bytes (read and mmap)\n", (unsigned long long)seed, len);
	return 0;
}
