// SPDX-License-Identifier: Apache-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * util.c - sizes, modes and the seeded fill pattern
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "libfamfs.h"

/*
 * The one size parser of every command line and of .alloc.cfg: decimal
 * digits only (a leading 0 is not octal, "0x" is not hex), then at most
 * one 1024-based suffix. The result is capped at FAMFS_SIZE_MAX so that
 * rounding it up to 2 MiB allocation units can never wrap.
 */
int famfs_parse_size(const char *s, uint64_t *out)
{
	static const char suffixes[] = "kmgtpe";
	unsigned int shift = 0;
	const char *c, *sfx;
	uint64_t v = 0;

	if (!s || !isdigit((unsigned char)*s))
		return -EINVAL;
	for (c = s; isdigit((unsigned char)*c); c++) {
		unsigned int d = (unsigned int)(*c - '0');

		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	if (*c) {
		sfx = strchr(suffixes, tolower((unsigned char)*c));
		if (!sfx)
			return -EINVAL;
		shift = 10 * (unsigned int)(sfx - suffixes + 1);
		c++;
		if (!strcasecmp(c, "ib") || !strcasecmp(c, "b"))
			c += strlen(c);
		if (*c)
			return -EINVAL;
	}
	if (v > (FAMFS_SIZE_MAX >> shift))
		return -ERANGE;
	*out = v << shift;
	return 0;
}

int famfs_parse_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	const char *c;

	if (!s || !*s)
		return -EINVAL;
	for (c = s; *c; c++) {
		unsigned int d = (unsigned int)(*c - '0');

		if (!isdigit((unsigned char)*c))
			return -EINVAL;
		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int famfs_parse_mode(const char *s, uint32_t *out)
{
	unsigned long v;
	char *end;

	if (!s || !*s)
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 8);
	if (errno || *end || v > 07777)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

char *famfs_size_str(uint64_t bytes, char *buf, size_t len)
{
	static const char *const unit[] = { "bytes", "KiB", "MiB", "GiB",
					    "TiB", "PiB" };
	unsigned int i = 0;
	double v = (double)bytes;

	while (v >= 1024 && i < 5) {
		v /= 1024;
		i++;
	}
	if (i == 0)
		snprintf(buf, len, "%llu bytes", (unsigned long long)bytes);
	else if (v == (double)(uint64_t)v)
		snprintf(buf, len, "%llu %s", (unsigned long long)v, unit[i]);
	else
		snprintf(buf, len, "%.1f %s", v, unit[i]);
	return buf;
}

uint64_t famfs_pattern_word(uint64_t seed, uint64_t word)
{
	uint64_t z = seed + (word + 1) * 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void famfs_pattern_fill(void *buf, size_t len, uint64_t seed, uint64_t off)
{
	unsigned char *b = buf;
	size_t i = 0;

	/* unaligned head and tail byte by byte, the middle by words */
	for (; i < len && ((off + i) & 7); i++)
		b[i] = (unsigned char)(famfs_pattern_word(seed, (off + i) >> 3)
				       >> (8 * ((off + i) & 7)));
	for (; i + 8 <= len; i += 8) {
		uint64_t w = famfs_pattern_word(seed, (off + i) >> 3);

		memcpy(b + i, &w, 8);
	}
	for (; i < len; i++)
		b[i] = (unsigned char)(famfs_pattern_word(seed, (off + i) >> 3)
				       >> (8 * ((off + i) & 7)));
}

int64_t famfs_pattern_check(const void *buf, size_t len, uint64_t seed,
			    uint64_t off)
{
	const unsigned char *b = buf;
	size_t i = 0;

	for (; i < len; i++) {
		if (((off + i) & 7) == 0 && i + 8 <= len) {
			uint64_t w = famfs_pattern_word(seed, (off + i) >> 3);

			if (!memcmp(b + i, &w, 8)) {
				i += 7;
				continue;
			}
		}
		if (b[i] != (unsigned char)(famfs_pattern_word(seed,
				(off + i) >> 3) >> (8 * ((off + i) & 7))))
			return (int64_t)(off + i);
	}
	return -1;
}
