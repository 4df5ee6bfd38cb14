// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * famfs - shared-memory file system: the per-file map ioctls
 *
 * KABI 42 (v1): FAMFSIOC_MAP_CREATE, MAP_GET, MAP_GETEXT, NOP.
 * KABI 43 (v2): FAMFSIOC_MAP_CREATE_V2, MAP_GET_V2.
 *
 * Setting a map needs CAP_SYS_ADMIN: a map grants access to raw device
 * memory. Every count is bounded before anything it sizes is copied, every
 * extent is checked against the device and for overflow, and the map is
 * published once, under the inode lock. 32-bit (compat) callers are refused
 * with ENOTTY: the structures carry 64-bit user pointers.
 *
 * No two files of a mount, and no two extents of one file, may share device
 * memory: fs-dax associates a page with one file mapping only, so aliases
 * would corrupt its bookkeeping on the first faults. Published maps keep
 * their ranges on the mount's interval tree until the inode is evicted.
 *
 * Errors: EPERM (privilege), EFAULT (bad user memory), EINVAL (malformed
 * map, non-zero padding), E2BIG (too many extents or strips), EEXIST (already mapped), EBUSY
 * (memory used by another file or twice by this one), EIO (device failed),
 * EOVERFLOW (map does not fit the MAP_GET_V2 reply).
 */
#define pr_fmt(fmt) "famfs: " fmt

#include <linux/capability.h>
#include <linux/compat.h>
#include <linux/math64.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "famfs_internal.h"

static bool famfs_file_type_valid(u32 file_type)
{
	return file_type == FAMFS_REG || file_type == FAMFS_SUPERBLOCK ||
	       file_type == FAMFS_LOG;
}

/*
 * One device range: aligned offset, non-zero length (aligned unless
 * @len_unaligned_ok), inside the device, and offset 0 (the superblock) only
 * for the superblock file.
 */
static int famfs_check_range(const struct famfs_fs_info *fsi, u32 file_type,
			     u64 offset, u64 len, bool len_unaligned_ok)
{
	u64 end;

	if (!IS_ALIGNED(offset, FAMFS_ALIGN) || !len)
		return -EINVAL;
	if (!len_unaligned_ok && !IS_ALIGNED(len, FAMFS_ALIGN))
		return -EINVAL;
	if (offset == 0 && file_type != FAMFS_SUPERBLOCK)
		return -EINVAL;
	if (len > fsi->dev_size)
		return -EINVAL;
	/* the capacity the resolver may use: up to the end of the page */
	if (check_add_overflow(offset, round_up(len, PAGE_SIZE), &end) ||
	    end > fsi->dev_size)
		return -EINVAL;
	return 0;
}

static void famfs_range_set(struct interval_tree_node *r, u64 offset, u64 len)
{
	r->start = offset >> FAMFS_ALIGN_SHIFT;
	r->last = (offset + round_up(len, FAMFS_ALIGN) - 1) >> FAMFS_ALIGN_SHIFT;
}

/* The device ranges of a validated map, in FAMFS_ALIGN units. */
static int famfs_map_ranges(struct famfs_fmap *map)
{
	u32 i, j, n = 0;

	if (map->ext_type == FAMFS_IOC_EXT_SIMPLE)
		n = map->nextents;
	else
		for (i = 0; i < map->nextents; i++)
			n += map->ext[i].ie.nstrips;

	map->ranges = kcalloc(n, sizeof(*map->ranges), GFP_KERNEL);
	if (!map->ranges)
		return -ENOMEM;
	map->nranges = n;

	n = 0;
	for (i = 0; i < map->nextents; i++) {
		const union famfs_fext *e = &map->ext[i];

		if (map->ext_type == FAMFS_IOC_EXT_SIMPLE) {
			famfs_range_set(&map->ranges[n++], e->se.offset,
					e->se.len);
			continue;
		}
		for (j = 0; j < e->ie.nstrips; j++)
			famfs_range_set(&map->ranges[n++],
					e->ie.strips[j].offset,
					e->ie.strips[j].len);
	}
	return 0;
}

/* Claim the map's ranges; -EBUSY if any is in use (also by the map itself). */
static int famfs_ranges_insert(struct famfs_fs_info *fsi,
			       struct famfs_fmap *map)
{
	u32 i;
	int rc = 0;

	mutex_lock(&fsi->range_lock);
	for (i = 0; i < map->nranges; i++) {
		struct interval_tree_node *r = &map->ranges[i];

		if (interval_tree_iter_first(&fsi->ranges, r->start, r->last)) {
			while (i--)
				interval_tree_remove(&map->ranges[i],
						     &fsi->ranges);
			rc = -EBUSY;
			break;
		}
		interval_tree_insert(r, &fsi->ranges);
	}
	mutex_unlock(&fsi->range_lock);
	return rc;
}

static void famfs_ranges_remove(struct famfs_fs_info *fsi,
				struct famfs_fmap *map)
{
	u32 i;

	mutex_lock(&fsi->range_lock);
	for (i = 0; i < map->nranges; i++)
		interval_tree_remove(&map->ranges[i], &fsi->ranges);
	mutex_unlock(&fsi->range_lock);
}

/* Bytes of device memory the map holds: its ranges, in 2 MiB units. */
static u64 famfs_map_bytes(const struct famfs_fmap *map)
{
	u64 units = 0;
	u32 i;

	for (i = 0; i < map->nranges; i++)
		units += map->ranges[i].last - map->ranges[i].start + 1;
	return units << FAMFS_ALIGN_SHIFT;
}

/**
 * famfs_map_unpublish() - release what a published map holds on the mount
 * @fsi: the mount
 * @map: a map that famfs_map_publish() published
 *
 * Called by eviction once the inode's DAX entries are gone (after the final
 * truncate): only then may another map get the same memory, and only then
 * may a device loss that is waiting for this inode's eviction go on.
 */
void famfs_map_unpublish(struct famfs_fs_info *fsi, struct famfs_fmap *map)
{
	famfs_ranges_remove(fsi, map);
	spin_lock(&fsi->map_lock);
	list_del_init(&map->node);
	spin_unlock(&fsi->map_lock);
	wake_up_all(&fsi->map_wq);
}

/*
 * Publish @map on @inode once. On success the inode owns the map, its size
 * is the map's file size for good, it is a DAX file, its st_blocks count the
 * memory it holds, the map's device ranges are claimed on the mount, and the
 * map is on the mount's list (a device loss revokes its mappings).
 */
static int famfs_map_publish(struct inode *inode, struct famfs_fmap *map)
{
	struct famfs_fs_info *fsi = FAMFS_SB(inode->i_sb);
	int rc;

	rc = famfs_map_ranges(map);
	if (rc)
		return rc;

	inode_lock(inode);
	if (inode->i_private) {
		rc = -EEXIST;
		goto out_unlock;
	}
	if (famfs_ranges_insert(fsi, map)) {
		rc = -EBUSY;
		goto out_unlock;
	}
	/* FAMFS_FSI_FAILED is set under map_lock: a device loss sees the map */
	spin_lock(&fsi->map_lock);
	if (famfs_fs_failed(fsi)) {
		spin_unlock(&fsi->map_lock);
		famfs_ranges_remove(fsi, map);
		rc = -EIO;
		goto out_unlock;
	}
	map->inode = inode;
	list_add_tail(&map->node, &fsi->maps);
	spin_unlock(&fsi->map_lock);

	i_size_write(inode, map->file_size);
	inode->i_blocks = famfs_map_bytes(map) >> 9;
	inode->i_flags |= S_DAX;
	/* Readers see a complete map, size and S_DAX: pairs with famfs_inode_map(). */
	smp_store_release(&inode->i_private, map);
out_unlock:
	inode_unlock(inode);
	return rc;
}

static int famfs_map_create_v1(struct file *file, void __user *arg)
{
	struct inode *inode = file_inode(file);
	struct famfs_fs_info *fsi = FAMFS_SB(inode->i_sb);
	struct famfs_ioc_map imap;
	struct famfs_fmap *map;
	u64 total = 0;
	u32 i, n;
	int rc;

	if (copy_from_user(&imap, arg, sizeof(imap)))
		return -EFAULT;
	if (imap.extent_type != SIMPLE_DAX_EXTENT ||
	    !famfs_file_type_valid(imap.file_type))
		return -EINVAL;
	if (!imap.ext_list_count)
		return -EINVAL;
	if (imap.ext_list_count > FAMFS_MAX_EXTENTS)
		return -E2BIG;
	n = imap.ext_list_count;

	for (i = 0; i < n; i++) {
		const struct famfs_extent *e = &imap.ext_list[i];

		/* every length but the last is a multiple of 2 MiB */
		rc = famfs_check_range(fsi, imap.file_type, e->offset, e->len,
				       i == n - 1);
		if (rc)
			return rc;
		if (check_add_overflow(total, e->len, &total))
			return -EINVAL;
	}
	if (imap.file_size > total)
		return -EINVAL;

	/* map->nextents is n from here on (before ext[] is written) */
	map = famfs_fmap_alloc(n);
	if (!map)
		return -ENOMEM;
	map->file_size = imap.file_size;
	map->file_type = imap.file_type;
	map->ext_type = FAMFS_IOC_EXT_SIMPLE;
	for (i = 0; i < n; i++) {
		map->ext[i].se.offset = imap.ext_list[i].offset;
		map->ext[i].se.len = imap.ext_list[i].len;
	}

	rc = famfs_map_publish(inode, map);
	if (rc)
		famfs_fmap_free(map);
	return rc;
}

/* Fill the map->nextents simple extents of @map from user space. */
static int famfs_fill_simple_v2(const struct famfs_fs_info *fsi,
				const struct famfs_ioc_fmap *fmap,
				struct famfs_fmap *map, u64 *total)
{
	struct famfs_ioc_simple_extent se[FAMFS_MAX_EXTENTS];
	u32 i, n = map->nextents;
	int rc;

	if (copy_from_user(se, u64_to_user_ptr(fmap->kse),
			   array_size(n, sizeof(se[0]))))
		return -EFAULT;

	*total = 0;
	for (i = 0; i < n; i++) {
		if (se[i].devindex != 0)
			return -EINVAL;
		rc = famfs_check_range(fsi, fmap->fioc_file_type, se[i].offset,
				       se[i].len, false);
		if (rc)
			return rc;
		if (check_add_overflow(*total, se[i].len, total))
			return -EINVAL;
		map->ext[i].se.offset = se[i].offset;
		map->ext[i].se.len = se[i].len;
	}
	return 0;
}

/*
 * Check that every chunk of an interleaved extent lands inside its strip:
 * with c = ceil(nbytes / chunk_size) chunks, strip s holds
 * c / nstrips chunks, plus one if s < c % nstrips.
 */
static int famfs_check_iext_capacity(const struct famfs_iext *ie)
{
	u64 chunks, per_strip, extra, need;
	u64 s;

	chunks = div64_u64(ie->nbytes, ie->chunk_size);
	if (ie->nbytes - chunks * ie->chunk_size)
		chunks++;
	per_strip = div64_u64_rem(chunks, ie->nstrips, &extra);

	for (s = 0; s < ie->nstrips; s++) {
		u64 nchunks = s < extra ? per_strip + 1 : per_strip;

		if (check_mul_overflow(nchunks, ie->chunk_size, &need))
			return -EINVAL;
		if (need > ie->strips[s].len)
			return -EINVAL;
	}
	return 0;
}

/* Fill the map->nextents interleaved extents of @map from user space. */
static int famfs_fill_interleaved_v2(const struct famfs_fs_info *fsi,
				     const struct famfs_ioc_fmap *fmap,
				     struct famfs_fmap *map, u64 *total)
{
	struct famfs_ioc_interleaved_ext kie[FAMFS_MAX_EXTENTS];
	struct famfs_ioc_simple_extent strips[FAMFS_MAX_STRIPS];
	u32 i, j, n = map->nextents;
	int rc;

	if (copy_from_user(kie, u64_to_user_ptr(fmap->kie),
			   array_size(n, sizeof(kie[0]))))
		return -EFAULT;

	*total = 0;
	for (i = 0; i < n; i++) {
		struct famfs_iext *ie = &map->ext[i].ie;
		u64 strip_bytes = 0;

		if (!kie[i].ie_nstrips)
			return -EINVAL;
		if (kie[i].ie_nstrips > FAMFS_MAX_STRIPS)
			return -E2BIG;
		if (!kie[i].ie_chunk_size ||
		    !IS_ALIGNED(kie[i].ie_chunk_size, FAMFS_ALIGN) ||
		    kie[i].ie_chunk_size > fsi->dev_size)
			return -EINVAL;
		/*
		 * All but the last extent hold whole chunks: every chunk then
		 * belongs to exactly one extent, and the file offset where an
		 * extent ends is a chunk boundary of it (only the last extent,
		 * which ends at EOF, may end inside a chunk).
		 */
		if (!kie[i].ie_nbytes)
			return -EINVAL;
		if (i < n - 1) {
			u64 rem;

			div64_u64_rem(kie[i].ie_nbytes, kie[i].ie_chunk_size,
				      &rem);
			if (rem)
				return -EINVAL;
		}
		if (copy_from_user(strips, u64_to_user_ptr(kie[i].ie_strips),
				   array_size(kie[i].ie_nstrips,
					      sizeof(strips[0]))))
			return -EFAULT;

		ie->nstrips = kie[i].ie_nstrips;
		ie->chunk_size = kie[i].ie_chunk_size;
		ie->nbytes = kie[i].ie_nbytes;
		for (j = 0; j < ie->nstrips; j++) {
			if (strips[j].devindex != 0)
				return -EINVAL;
			rc = famfs_check_range(fsi, fmap->fioc_file_type,
					       strips[j].offset, strips[j].len,
					       false);
			if (rc)
				return rc;
			ie->strips[j].offset = strips[j].offset;
			ie->strips[j].len = strips[j].len;
			strip_bytes += strips[j].len;	/* <= 16 * dev_size */
		}
		if (ie->nbytes > strip_bytes)
			return -EINVAL;
		rc = famfs_check_iext_capacity(ie);
		if (rc)
			return rc;
		if (check_add_overflow(*total, ie->nbytes, total))
			return -EINVAL;
	}
	return 0;
}

static int famfs_map_create_v2(struct file *file, void __user *arg)
{
	struct inode *inode = file_inode(file);
	struct famfs_fs_info *fsi = FAMFS_SB(inode->i_sb);
	struct famfs_ioc_fmap fmap;
	struct famfs_fmap *map;
	u64 total = 0;
	u32 n;
	int rc;

	if (copy_from_user(&fmap, arg, sizeof(fmap)))
		return -EFAULT;
	/* padding must be zero, so that it can gain a meaning (aliases __pad1) */
	if (fmap.__pad0)
		return -EINVAL;
	if (!famfs_file_type_valid(fmap.fioc_file_type))
		return -EINVAL;

	/* the extent count sizes the map: bound it before allocating */
	switch (fmap.fioc_ext_type) {
	case FAMFS_IOC_EXT_SIMPLE:
		n = fmap.fioc_nextents;
		break;
	case FAMFS_IOC_EXT_INTERLEAVE:
		n = fmap.fioc_niext;
		break;
	default:
		return -EINVAL;
	}
	if (!n)
		return -EINVAL;
	if (n > FAMFS_MAX_EXTENTS)
		return -E2BIG;

	/* map->nextents is n from here on (before ext[] is written) */
	map = famfs_fmap_alloc(n);
	if (!map)
		return -ENOMEM;
	map->file_size = fmap.fioc_file_size;
	map->file_type = fmap.fioc_file_type;
	map->ext_type = fmap.fioc_ext_type;

	if (map->ext_type == FAMFS_IOC_EXT_SIMPLE)
		rc = famfs_fill_simple_v2(fsi, &fmap, map, &total);
	else
		rc = famfs_fill_interleaved_v2(fsi, &fmap, map, &total);
	if (!rc && fmap.fioc_file_size > total)
		rc = -EINVAL;
	if (!rc)
		rc = famfs_map_publish(inode, map);
	if (rc)
		famfs_fmap_free(map);
	return rc;
}

static int famfs_map_get_v1(struct inode *inode, void __user *arg)
{
	const struct famfs_fmap *map = famfs_inode_map(inode);
	struct famfs_ioc_map imap;
	u32 i;

	if (!map)
		return -EINVAL;

	memset(&imap, 0, sizeof(imap));
	imap.file_type = map->file_type;
	imap.file_size = map->file_size;
	imap.ext_list_count = map->nextents;
	if (map->ext_type == FAMFS_IOC_EXT_SIMPLE) {
		imap.extent_type = SIMPLE_DAX_EXTENT;
		for (i = 0; i < map->nextents; i++) {
			imap.ext_list[i].offset = map->ext[i].se.offset;
			imap.ext_list[i].len = map->ext[i].se.len;
		}
	} else {
		/* v1 cannot describe strips: type and count only */
		imap.extent_type = INTERLEAVED_EXTENT;
	}
	if (copy_to_user(arg, &imap, sizeof(imap)))
		return -EFAULT;
	return 0;
}

/* Writes ext_list_count extents (the ioctl number encodes only one). */
static int famfs_map_getext_v1(struct inode *inode, void __user *arg)
{
	const struct famfs_fmap *map = famfs_inode_map(inode);
	struct famfs_extent ext[FAMFS_MAX_EXTENTS];
	u32 i;

	if (!map || map->ext_type != FAMFS_IOC_EXT_SIMPLE)
		return -EINVAL;

	memset(ext, 0, sizeof(ext));
	for (i = 0; i < map->nextents; i++) {
		ext[i].offset = map->ext[i].se.offset;
		ext[i].len = map->ext[i].se.len;
	}
	if (copy_to_user(arg, ext, array_size(map->nextents, sizeof(ext[0]))))
		return -EFAULT;
	return 0;
}

static int famfs_map_get_v2(struct inode *inode, void __user *arg)
{
	const struct famfs_fmap *map = famfs_inode_map(inode);
	struct famfs_ioc_get_fmap *reply;
	u32 i;
	int rc = 0;

	if (!map)
		return -EINVAL;
	/* the reply holds one interleaved extent */
	if (map->ext_type == FAMFS_IOC_EXT_INTERLEAVE && map->nextents > 1)
		return -EOVERFLOW;

	reply = kzalloc(sizeof(*reply), GFP_KERNEL);
	if (!reply)
		return -ENOMEM;

	reply->iocmap.fioc_file_size = map->file_size;
	reply->iocmap.fioc_file_type = map->file_type;
	reply->iocmap.fioc_ext_type = map->ext_type;
	if (map->ext_type == FAMFS_IOC_EXT_SIMPLE) {
		reply->iocmap.fioc_nextents = map->nextents;
		for (i = 0; i < map->nextents; i++) {
			reply->ikse[i].devindex = 0;
			reply->ikse[i].offset = map->ext[i].se.offset;
			reply->ikse[i].len = map->ext[i].se.len;
		}
	} else {
		const struct famfs_iext *ie = &map->ext[0].ie;

		reply->iocmap.fioc_niext = 1;
		reply->ks.ikie.ie_nstrips = ie->nstrips;
		reply->ks.ikie.ie_chunk_size = ie->chunk_size;
		reply->ks.ikie.ie_nbytes = ie->nbytes;
		for (i = 0; i < ie->nstrips; i++) {
			reply->ks.kie_strips[i].devindex = 0;
			reply->ks.kie_strips[i].offset = ie->strips[i].offset;
			reply->ks.kie_strips[i].len = ie->strips[i].len;
		}
	}
	if (copy_to_user(arg, reply, sizeof(*reply)))
		rc = -EFAULT;
	kfree(reply);
	return rc;
}

/**
 * famfs_file_ioctl() - the FAMFSIOC_* ioctls on famfs regular files
 * @file: an open famfs regular file
 * @cmd:  the ioctl number
 * @arg:  user pointer to the ioctl's structure
 *
 * Return: 0 on success or a negative errno (see the top of this file);
 * -ENOTTY for unknown commands and for 32-bit callers.
 */
long famfs_file_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct inode *inode = file_inode(file);
	void __user *uarg = (void __user *)arg;

	if (in_compat_syscall())
		return -ENOTTY;

	switch (cmd) {
	case FAMFSIOC_NOP:
		return 0;
	case FAMFSIOC_MAP_CREATE:
	case FAMFSIOC_MAP_CREATE_V2:
		if (!capable(CAP_SYS_ADMIN))
			return -EPERM;
		if (famfs_fs_failed(FAMFS_SB(inode->i_sb)))
			return -EIO;
		if (cmd == FAMFSIOC_MAP_CREATE)
			return famfs_map_create_v1(file, uarg);
		return famfs_map_create_v2(file, uarg);
	case FAMFSIOC_MAP_GET:
		return famfs_map_get_v1(inode, uarg);
	case FAMFSIOC_MAP_GETEXT:
		return famfs_map_getext_v1(inode, uarg);
	case FAMFSIOC_MAP_GET_V2:
		return famfs_map_get_v2(inode, uarg);
	default:
		return -ENOTTY;
	}
}
