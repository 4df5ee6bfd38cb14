// SPDX-License-Identifier: Apache-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * interleave.c - interleaved ("striped") allocation (format.md §7)
 *
 * The device is split into @nbuckets equal buckets. A file gets @nstrips
 * strips, each one contiguous run in a different bucket, visited in a
 * pseudo-random order; each strip holds ceil(size / (nstrips * chunk))
 * chunks. Data is laid out round-robin: chunk n lives in strip
 * n % nstrips at stripe n / nstrips, which is what the kernel's
 * interleaved map (FAMFS_IOC_EXT_INTERLEAVE) resolves.
 */
#include <errno.h>
#include <string.h>

#include "libfamfs.h"

int famfs_interleave_check(const struct famfs_interleave *il,
			   uint64_t dev_size, struct famfs_problem *p)
{
	uint64_t units = dev_size / FAMFS_ALLOC_UNIT;

	if (il->nstrips < 1 || il->nstrips > FAMFS_MAX_NSTRIPS)
		return famfs_problem_set(p, EINVAL, -1, "nstrips",
			"%u strips: 1..%d allowed", il->nstrips,
			FAMFS_MAX_NSTRIPS);
	if (il->nbuckets < il->nstrips || il->nbuckets > FAMFS_MAX_NBUCKETS)
		return famfs_problem_set(p, EINVAL, -1, "nbuckets",
			"%u buckets: at least nstrips (%u) and at most %d",
			il->nbuckets, il->nstrips, FAMFS_MAX_NBUCKETS);
	if (!il->chunk || (il->chunk & (il->chunk - 1)) ||
	    il->chunk % FAMFS_ALLOC_UNIT)
		return famfs_problem_set(p, EINVAL, -1, "chunk_size",
			"chunk size %llu: must be a power of two and a multiple of 2 MiB",
			(unsigned long long)il->chunk);
	if (units / il->nbuckets < il->chunk / FAMFS_ALLOC_UNIT)
		return famfs_problem_set(p, EINVAL, -1, "nbuckets",
			"%u buckets of a %llu-byte device are smaller than one %llu-byte chunk",
			il->nbuckets, (unsigned long long)dev_size,
			(unsigned long long)il->chunk);
	return 0;
}

/* xorshift32: a cheap, seedable bucket order (no statistics needed) */
static uint32_t next_rand(uint32_t *s)
{
	uint32_t x = *s ? *s : 0x9e3779b9u;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*s = x;
	return x;
}

int famfs_alloc_interleave(struct famfs_bitmap *bm, uint64_t size,
			   const struct famfs_interleave *il, uint32_t *seed,
			   struct famfs_log_fmap *fm)
{
	uint64_t stripe, nchunks, strip_units, bucket_units;
	struct famfs_interleaved_ext *ie;
	uint32_t order[FAMFS_MAX_NBUCKETS];
	uint32_t i, got = 0;

	if (!il->nbuckets || il->nbuckets > FAMFS_MAX_NBUCKETS ||
	    !il->nstrips || il->nstrips > FAMFS_MAX_NSTRIPS ||
	    !il->chunk || il->chunk % FAMFS_ALLOC_UNIT)
		return -EINVAL;
	bucket_units = bm->nbits / il->nbuckets;
	if (!bucket_units ||
	    __builtin_mul_overflow((uint64_t)il->nstrips, il->chunk, &stripe))
		return -EINVAL;
	/* ceil(size / stripe) chunks per strip, without forming size +
	 * stripe - 1; a strip larger than 64 bits of bytes cannot fit */
	nchunks = size / stripe + !!(size % stripe);
	if (!nchunks)
		nchunks = 1;
	if (__builtin_mul_overflow(nchunks, il->chunk / FAMFS_ALLOC_UNIT,
				   &strip_units) ||
	    strip_units > bm->nbits)
		return -ENOSPC;
	memset(fm, 0, sizeof(*fm));
	fm->fmap_ext_type = FAMFS_EXT_INTERLEAVE;
	fm->fmap_niext = 1;
	ie = &fm->ie[0];
	ie->ie_nstrips = il->nstrips;
	ie->ie_chunk_size = il->chunk;

	/* Fisher-Yates over the bucket numbers */
	for (i = 0; i < il->nbuckets; i++)
		order[i] = i;
	for (i = il->nbuckets - 1; i > 0; i--) {
		uint32_t j = next_rand(seed) % (i + 1), t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
	for (i = 0; i < il->nbuckets && got < il->nstrips; i++) {
		uint64_t lo = order[i] * bucket_units, unit;
		uint64_t hi = order[i] == il->nbuckets - 1 ? bm->nbits
							   : lo + bucket_units;

		if (famfs_alloc_in(bm, lo, hi, strip_units, &unit) < 0)
			continue;
		ie->ie_strips[got].se_devindex = 0;
		ie->ie_strips[got].se_offset = unit * FAMFS_ALLOC_UNIT;
		ie->ie_strips[got].se_len = strip_units * FAMFS_ALLOC_UNIT;
		got++;
	}
	if (got == il->nstrips)
		return 0;
	/* not enough buckets with room: give back what we took */
	for (i = 0; i < got; i++)
		famfs_bitmap_clear(bm, ie->ie_strips[i].se_offset,
				   ie->ie_strips[i].se_len);
	memset(fm, 0, sizeof(*fm));
	return -ENOSPC;
}
