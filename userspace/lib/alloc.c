// SPDX-License-Identifier: Apache-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * alloc.c - the allocation bitmap, rebuilt from the log (format.md §7)
 *
 * There is no free-space metadata on the device: one bit per 2 MiB unit is
 * set for the superblock, the log and every extent of every FILE entry.
 * A bit found already set is a collision (two files share memory), which
 * fsck reports. New files get one contiguous run, first fit. The bitmap
 * is built from the log by logindex.c. Sizes are rounded to units with
 * famfs_size_units(), which cannot wrap.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "libfamfs.h"

#define BITS 64

int famfs_bitmap_init(struct famfs_bitmap *bm, uint64_t dev_size)
{
	memset(bm, 0, sizeof(*bm));
	bm->nbits = dev_size / FAMFS_ALLOC_UNIT;
	bm->words = calloc((bm->nbits + BITS - 1) / BITS + 1, sizeof(uint64_t));
	return bm->words ? 0 : -ENOMEM;
}

int famfs_bitmap_copy(struct famfs_bitmap *dst, const struct famfs_bitmap *src)
{
	size_t n = (src->nbits + BITS - 1) / BITS + 1;

	*dst = *src;
	dst->words = malloc(n * sizeof(uint64_t));
	if (!dst->words)
		return -ENOMEM;
	memcpy(dst->words, src->words, n * sizeof(uint64_t));
	return 0;
}

void famfs_bitmap_free(struct famfs_bitmap *bm)
{
	free(bm->words);
	memset(bm, 0, sizeof(*bm));
}

bool famfs_bitmap_test(const struct famfs_bitmap *bm, uint64_t unit)
{
	return unit < bm->nbits &&
	       (bm->words[unit / BITS] >> (unit % BITS)) & 1;
}

static void bit_set(struct famfs_bitmap *bm, uint64_t unit)
{
	bm->words[unit / BITS] |= 1ULL << (unit % BITS);
}

uint64_t famfs_size_units(uint64_t size)
{
	/* ceil(size / unit) without forming size + unit - 1 */
	uint64_t n = size / FAMFS_ALLOC_UNIT + !!(size % FAMFS_ALLOC_UNIT);

	return n ? n : 1;
}

int64_t famfs_bitmap_mark(struct famfs_bitmap *bm, uint64_t off, uint64_t len)
{
	uint64_t first = off / FAMFS_ALLOC_UNIT;
	uint64_t n = len / FAMFS_ALLOC_UNIT + !!(len % FAMFS_ALLOC_UNIT);
	int64_t collisions = 0;
	uint64_t u;

	if (first > bm->nbits || n > bm->nbits - first)
		return -ERANGE;
	for (u = first; u < first + n; u++) {
		if (famfs_bitmap_test(bm, u))
			collisions++;
		bit_set(bm, u);
	}
	return collisions;
}

/* first unit >= @from whose bit is @val, or nbits */
static uint64_t find_bit(const struct famfs_bitmap *bm, uint64_t from, int val)
{
	uint64_t u = from;

	while (u < bm->nbits) {
		uint64_t w = bm->words[u / BITS];

		if (!val)
			w = ~w;
		w >>= u % BITS;
		if (w)
			return u + (uint64_t)__builtin_ctzll(w) < bm->nbits ?
			       u + (uint64_t)__builtin_ctzll(w) : bm->nbits;
		u = (u / BITS + 1) * BITS;
	}
	return bm->nbits;
}

int famfs_alloc_contig(struct famfs_bitmap *bm, uint64_t size,
		       uint64_t *off, uint64_t *len)
{
	uint64_t need = famfs_size_units(size);
	uint64_t start, end, pass;

	if (need > bm->nbits)
		return -ENOSPC;		/* also: more than 64 bits of bytes */
	/* first fit from the cursor to the end, then from the start */
	for (pass = 0; pass < 2; pass++) {
		uint64_t from = pass ? 0 : bm->cursor;
		uint64_t limit = pass ? bm->cursor : bm->nbits;

		start = find_bit(bm, from, 0);
		while (start < limit && start < bm->nbits) {
			end = find_bit(bm, start, 1);
			if (end - start >= need) {
				famfs_bitmap_mark(bm, start * FAMFS_ALLOC_UNIT,
						  need * FAMFS_ALLOC_UNIT);
				bm->cursor = start + need;
				*off = start * FAMFS_ALLOC_UNIT;
				*len = need * FAMFS_ALLOC_UNIT;
				return 0;
			}
			start = find_bit(bm, end, 0);
		}
	}
	return -ENOSPC;
}

int famfs_alloc_in(struct famfs_bitmap *bm, uint64_t lo, uint64_t hi,
		   uint64_t need, uint64_t *unit)
{
	uint64_t start, end;

	if (hi > bm->nbits)
		hi = bm->nbits;
	if (need == 0)
		need = 1;
	start = find_bit(bm, lo, 0);
	while (start < hi) {
		end = find_bit(bm, start, 1);
		if (end > hi)
			end = hi;
		if (end - start >= need) {
			famfs_bitmap_mark(bm, start * FAMFS_ALLOC_UNIT,
					  need * FAMFS_ALLOC_UNIT);
			*unit = start;
			return 0;
		}
		if (end >= hi)
			break;
		start = find_bit(bm, end, 0);
	}
	return -ENOSPC;
}

void famfs_bitmap_clear(struct famfs_bitmap *bm, uint64_t off, uint64_t len)
{
	uint64_t u = off / FAMFS_ALLOC_UNIT;
	uint64_t n = len / FAMFS_ALLOC_UNIT + !!(len % FAMFS_ALLOC_UNIT);

	for (; n && u < bm->nbits; u++, n--)
		bm->words[u / BITS] &= ~(1ULL << (u % BITS));
}

void famfs_bitmap_space(const struct famfs_bitmap *bm,
			struct famfs_space *sp)
{
	uint64_t u = 0, start, end;

	memset(sp, 0, sizeof(*sp));
	sp->total_bytes = bm->nbits * FAMFS_ALLOC_UNIT;
	sp->reserved_bytes = bm->reserved_units * FAMFS_ALLOC_UNIT;
	while ((start = find_bit(bm, u, 0)) < bm->nbits) {
		end = find_bit(bm, start, 1);
		sp->free_bytes += (end - start) * FAMFS_ALLOC_UNIT;
		sp->free_runs++;
		if ((end - start) * FAMFS_ALLOC_UNIT > sp->largest_free)
			sp->largest_free = (end - start) * FAMFS_ALLOC_UNIT;
		u = end;
	}
	sp->used_bytes = sp->total_bytes - sp->free_bytes;
}

int famfs_bitmap_buckets(const struct famfs_bitmap *bm, uint32_t nbuckets,
			 struct famfs_bucket_stat *out)
{
	uint64_t per, b;

	if (!nbuckets || nbuckets > bm->nbits)
		return -EINVAL;
	per = bm->nbits / nbuckets;
	for (b = 0; b < nbuckets; b++) {
		struct famfs_bucket_stat *s = &out[b];
		uint64_t lo = b * per;
		uint64_t hi = b == nbuckets - 1 ? bm->nbits : lo + per;
		uint64_t u = lo, start, end;

		memset(s, 0, sizeof(*s));
		s->start = lo * FAMFS_ALLOC_UNIT;
		s->size = (hi - lo) * FAMFS_ALLOC_UNIT;
		while ((start = find_bit(bm, u, 0)) < hi) {
			end = find_bit(bm, start, 1);
			if (end > hi)
				end = hi;	/* a run is cut at the edge */
			s->free_bytes += (end - start) * FAMFS_ALLOC_UNIT;
			s->free_runs++;
			if ((end - start) * FAMFS_ALLOC_UNIT > s->largest_free)
				s->largest_free = (end - start) *
						  FAMFS_ALLOC_UNIT;
			u = end;
		}
		s->used_bytes = s->size - s->free_bytes;
	}
	return 0;
}
