// SPDX-License-Identifier: Apache-2.0
/*
 * util.c - sizes, modes and the seeded fill pattern
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "libfamfs.h"

int famfs_parse_size(const char *s, uint64_t *out)
{
	unsigned long long v;
	unsigned int shift = 0;
	char *end;

	if (!s || !isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno)
		return -errno;
	switch (tolower((unsigned char)*end)) {
	case '\0':
		break;
	case 'k':
		shift = 10;
		break;
	case 'm':
		shift = 20;
		break;
	case 'g':
		shift = 30;
		break;
	case 't':
		shift = 40;
		break;
	default:
		return -EINVAL;
	}
	if (*end) {
		end++;
		if (!strcasecmp(end, "ib") || !strcasecmp(end, "b"))
			end += strlen(end);
		if (*end)
			return -EINVAL;
	}
	if (shift && v > (~0ULL >> shift))
		return -ERANGE;
	*out = (uint64_t)v << shift;
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
