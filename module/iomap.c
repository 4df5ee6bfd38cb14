// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * famfs - shared-memory file system: file offset to device offset
 *
 * This is the hot path of every read, write and fault. Maps are immutable
 * once published and hold at most FAMFS_MAX_EXTENTS extents, so resolution is
 * a walk over at most two extents plus O(1) arithmetic for interleaving, with
 * no locks.
 */
#define pr_fmt(fmt) "famfs: " fmt

#include <linux/math64.h>

#include "famfs_internal.h"

/*
 * Bytes of the device a simple extent can serve. A v1 map may end with a
 * length that is not a multiple of 2 MiB; the allocation under it is, so the
 * final partial page stays inside the file's own allocation unit and can be
 * mapped like any other page.
 */
static u64 famfs_ext_capacity(const struct famfs_fmap *map, u32 i)
{
	u64 len = map->ext[i].se.len;

	if (i == map->nextents - 1)
		return round_up(len, PAGE_SIZE);
	return len;
}

/* Bytes of the file an interleaved extent serves; see famfs_ext_capacity(). */
static u64 famfs_iext_capacity(const struct famfs_fmap *map, u32 i)
{
	u64 nbytes = map->ext[i].ie.nbytes;

	if (i == map->nextents - 1)
		return round_up(nbytes, PAGE_SIZE);
	return nbytes;
}

/**
 * famfs_fmap_resolve() - translate a file offset into a device offset
 * @map:     the file's extent map
 * @pos:     byte offset in the file
 * @dev_off: returns the byte offset in the device (without start_off)
 * @avail:   returns how many bytes are contiguous from @dev_off
 *
 * Interleaved extents: chunk c = off / chunk_size is stored in strip
 * c % nstrips, at stripe c / nstrips of that strip. @avail never reaches
 * past the end of the extent (for the last one: past the end of the page
 * holding its last byte), so a caller never runs from one extent's memory
 * into the strip beyond it.
 *
 * Return: 0, or -EIO when @pos is not backed by the map.
 */
int famfs_fmap_resolve(const struct famfs_fmap *map, u64 pos, u64 *dev_off,
		       u64 *avail)
{
	u64 off = pos;
	u32 i;

	if (map->ext_type == FAMFS_IOC_EXT_SIMPLE) {
		for (i = 0; i < map->nextents; i++) {
			u64 cap = famfs_ext_capacity(map, i);

			if (off < cap) {
				*dev_off = map->ext[i].se.offset + off;
				*avail = cap - off;
				return 0;
			}
			off -= cap;
		}
		return -EIO;
	}

	for (i = 0; i < map->nextents; i++) {
		const struct famfs_iext *ie = &map->ext[i].ie;
		u64 chunk, in_chunk, stripe, strip, strip_off;

		if (off >= famfs_iext_capacity(map, i)) {
			off -= ie->nbytes;
			continue;
		}
		chunk = div64_u64_rem(off, ie->chunk_size, &in_chunk);
		stripe = div64_u64_rem(chunk, ie->nstrips, &strip);
		strip_off = stripe * ie->chunk_size + in_chunk;
		/* Validated at map time; never trust arithmetic on a fault. */
		if (strip_off >= ie->strips[strip].len)
			return -EIO;
		*dev_off = ie->strips[strip].offset + strip_off;
		*avail = min(ie->chunk_size - in_chunk,
			     famfs_iext_capacity(map, i) - off);
		return 0;
	}
	return -EIO;
}

static bool famfs_range_overlaps(u64 a, u64 alen, u64 b, u64 blen)
{
	return a < b + blen && b < a + alen;
}

/**
 * famfs_fmap_overlaps() - does a file use any byte of a device range?
 * @map:    the file's extent map
 * @offset: byte offset of the range in the device (without start_off)
 * @len:    length of the range in bytes
 *
 * Return: true if any extent or strip of @map intersects the range.
 */
bool famfs_fmap_overlaps(const struct famfs_fmap *map, u64 offset, u64 len)
{
	u32 i, j;

	if (len > U64_MAX - offset)
		len = U64_MAX - offset;

	for (i = 0; i < map->nextents; i++) {
		if (map->ext_type == FAMFS_IOC_EXT_SIMPLE) {
			if (famfs_range_overlaps(map->ext[i].se.offset,
						 famfs_ext_capacity(map, i),
						 offset, len))
				return true;
			continue;
		}
		for (j = 0; j < map->ext[i].ie.nstrips; j++) {
			const struct famfs_ext *s = &map->ext[i].ie.strips[j];

			if (famfs_range_overlaps(s->offset, s->len, offset, len))
				return true;
		}
	}
	return false;
}

static int famfs_iomap_begin(struct inode *inode, loff_t pos, loff_t length,
			     unsigned int flags, struct iomap *iomap,
			     struct iomap *srcmap)
{
	struct famfs_fs_info *fsi = FAMFS_SB(inode->i_sb);
	const struct famfs_fmap *map = famfs_inode_map(inode);
	u64 dev_off, avail;

	/*
	 * dax_iomap_rw() callers hold i_rwsem; famfs_fault() holds the
	 * invalidate lock shared, which a device loss relies on to wait for
	 * every fault that may still map memory (famfs_revoke_inode()).
	 */
	lockdep_assert(lockdep_is_held(&inode->i_rwsem) ||
		       lockdep_is_held(&inode->i_mapping->invalidate_lock));
	if (!map || READ_ONCE(map->failed) || famfs_fs_failed(fsi))
		return -EIO;
	/*
	 * Reads and writes are clipped at EOF by the callers and faults past
	 * EOF are refused by the DAX core, so this is a should-not-happen:
	 * fail it rather than returning a zero-length mapping.
	 */
	if (pos < 0 || length <= 0 ||
	    pos >= round_up(map->file_size, PAGE_SIZE))
		return -EIO;
	if (famfs_fmap_resolve(map, pos, &dev_off, &avail))
		return -EIO;

	iomap->type = IOMAP_MAPPED;
	iomap->flags = 0;
	iomap->offset = pos;
	iomap->length = min_t(u64, length, avail);
	iomap->addr = fsi->start_off + dev_off;
	iomap->dax_dev = fsi->dax_dev;
	iomap->bdev = fsi->bdev;
	return 0;
}

const struct iomap_ops famfs_iomap_ops = {
	.iomap_begin	= famfs_iomap_begin,
};
