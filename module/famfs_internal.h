/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 famfs contributors
 * famfs_internal.h - shared definitions of the famfs module
 *
 * famfs exposes files that live in shared DAX memory (CXL or pmem). User
 * space owns all metadata: it replays the on-media log and tells the module,
 * file by file, which device ranges back each file (the FAMFSIOC_MAP_*
 * ioctls). The module keeps every file's complete extent map in memory so
 * that reads, writes and faults resolve without upcalls, and it never reads
 * or writes the memory on its own behalf.
 */
#ifndef FAMFS_INTERNAL_H
#define FAMFS_INTERNAL_H

#include <linux/fs.h>
#include <linux/interval_tree.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/ratelimit.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>

#include "../dax-compat/compat.h"
#include "uapi/linux/famfs_ioctl.h"

/*
 * The allocation unit of the on-media format. It is 2 MiB on every
 * architecture, so it is spelled SZ_2M rather than PMD_SIZE.
 */
#define FAMFS_ALIGN		SZ_2M
#define FAMFS_ALIGN_SHIFT	21

#define FAMFS_DEFAULT_MODE	0755

/*
 * Lock order. "A -> B": B is taken while A is held. Only the orders famfs
 * creates or relies on are listed; each arrow names the code that takes it.
 *
 * Data path (file.c, iomap.c; the DAX core's side as in fs/dax.c):
 *   read:   i_rwsem (shared, famfs_file_read_iter) -> dax_read_lock
 *           (dax_iomap_rw; famfs_iomap_begin itself takes no lock)
 *   write:  sb_writers (vfs_write) -> i_rwsem (famfs_file_write_iter)
 *           -> dax_read_lock
 *           A user buffer that faults while dax_iomap_rw() copies nests
 *           the fault below: i_rwsem -> mmap_lock, as in every file system.
 *   fault:  mmap_lock (read; ->huge_fault may run under the per-VMA lock
 *           alone on kernels with per-VMA locks for file faults: famfs has
 *           no ->map_pages, so ->fault and ->*_mkwrite get the mmap_lock)
 *           -> sb_pagefaults (sb_start_pagefault, write faults on shared
 *           mappings, famfs_fault) -> invalidate_lock (shared, famfs_fault)
 *           -> DAX entry lock (dax_iomap_fault, held across ->iomap_begin)
 *           -> dax_read_lock, then the page table lock (not nested)
 *
 * Maps (ioctl.c, inode.c):
 *   publish: i_rwsem (famfs_map_publish) -> range_lock
 *            (famfs_ranges_insert), and i_rwsem -> map_lock, one after the
 *            other: range_lock and map_lock never nest
 *   unlink:  dir i_rwsem -> victim i_rwsem (VFS) -> famfs_unlink; the
 *            victim's i_rwsem serializes it with famfs_map_publish()
 *   evict:   DAX entry lock (final truncate), then range_lock, then
 *            map_lock (famfs_map_unpublish), none held with another
 *
 * Device loss and memory failure (dev.c):
 *   dax_read_lock (dax core, around ->notify_failure) -> famfs_holder_srcu
 *   (read, famfs_dax_notify_failure) -> map_lock -> i_lock (igrab() in
 *   famfs_revoke_all); with map_lock dropped: famfs_holder_srcu ->
 *   invalidate_lock (exclusive, famfs_revoke_inode) -> i_mmap_rwsem and
 *   DAX entry locks (famfs_dax_revoke_mappings: unmap, then delete the
 *   entries). Poison: famfs_holder_srcu -> s_inode_list_lock
 *   (famfs_fail_files).
 *
 * Mount and umount (super.c, dev.c):
 *   s_umount (kill_sb) -> famfs_holder_srcu (synchronize_srcu() in
 *   famfs_dev_detach(): no holder callback may take s_umount);
 *   famfs_claim_lock is a leaf (famfs_claim(), famfs_unclaim()).
 *
 * map_lock and s_inode_list_lock are spinlocks: nothing that sleeps runs
 * under them. Functions that need a lock held by their caller say so with
 * lockdep_assert_held*() (or lockdep_assert(srcu_read_lock_held()) for
 * famfs_holder_srcu).
 */

/**
 * struct famfs_ext - one device range of a file
 * @offset: byte offset in the backing device (not including start_off)
 * @len:    length in bytes
 */
struct famfs_ext {
	u64 offset;
	u64 len;
};

/**
 * struct famfs_iext - an interleaved (striped) extent
 * @nstrips:    number of strips, 1..FAMFS_MAX_STRIPS
 * @chunk_size: bytes per chunk, a multiple of FAMFS_ALIGN
 * @nbytes:     bytes of the file this extent holds
 * @strips:     the strips; chunk n is in strip n % nstrips, stripe n / nstrips
 */
struct famfs_iext {
	u64 nstrips;
	u64 chunk_size;
	u64 nbytes;
	struct famfs_ext strips[FAMFS_MAX_STRIPS];
};

/**
 * union famfs_fext - one extent of a map, of the map's ext_type
 * @se: a simple extent (FAMFS_IOC_EXT_SIMPLE)
 * @ie: an interleaved extent (FAMFS_IOC_EXT_INTERLEAVE)
 */
union famfs_fext {
	struct famfs_ext se;
	struct famfs_iext ie;
};

/**
 * struct famfs_fmap - the extent map of one file, immutable once published
 * @file_size: the file's size in bytes (i_size never changes after mapping)
 * @file_type: FAMFS_REG, FAMFS_SUPERBLOCK or FAMFS_LOG
 * @ext_type:  FAMFS_IOC_EXT_SIMPLE or FAMFS_IOC_EXT_INTERLEAVE
 * @nextents:  number of entries of @ext, 1..FAMFS_MAX_EXTENTS; set by
 *             famfs_fmap_alloc() before @ext is written (__counted_by)
 * @failed:    set when memory backing this file reported a failure
 * @nranges:   number of entries in @ranges
 * @ranges:    the device ranges of the map in FAMFS_ALIGN units, on the
 *             mount's range tree while the map is published
 * @inode:     the inode that owns the published map
 * @node:      entry in famfs_fs_info.maps (or .revoked, .dying) while
 *             published; protected by famfs_fs_info.map_lock
 * @ext:       the extents, walked in order: ext[i].se for simple maps,
 *             ext[i].ie for interleaved ones
 *
 * Allocated by famfs_fmap_alloc() from the famfs_fmap slab cache, whose
 * objects hold FAMFS_MAX_EXTENTS extents (its object count in
 * /proc/slabinfo is the number of live maps). Published in inode->i_private
 * with smp_store_release() under the inode lock; readers use
 * famfs_inode_map(). Freed when the inode is evicted, after its DAX entries
 * are gone (famfs_map_unpublish()).
 */
struct famfs_fmap {
	u64 file_size;
	u32 file_type;
	u32 ext_type;
	u32 nextents;
	bool failed;
	u32 nranges;
	struct interval_tree_node *ranges;
	struct inode *inode;
	struct list_head node;
	union famfs_fext ext[] __counted_by(nextents);
};

/* famfs_fs_info.flags */
#define FAMFS_FSI_FAILED	0	/* the backing device failed or vanished */

/**
 * struct famfs_fs_info - one mounted famfs
 * @sb:         the superblock, set by fill_super
 * @root_mode:  mode of the root directory (mount option mode=)
 * @mode_set:   mode= was given (in a mount or remount context)
 * @dax_dev:    the dax device holding the data; famfs is its holder
 * @bdev_h:     block device handle (pmem), or NULL for a character device
 * @bdev:       the block device, or NULL
 * @dax_filp:   the open /dev/daxX.Y (character devices only)
 * @dax_ref:    true when @dax_dev carries a lookup reference (put_dax)
 * @start_off:  byte offset of the device in its dax device (partitions)
 * @dev_size:   usable bytes of the device; every extent lies below it
 * @dev_name:   device name for messages, e.g. "pmem0" or "dax0.0"
 * @claim_node: entry in the list of claimed devices
 * @claim_mode: S_IFBLK or S_IFCHR, with @claim_devt the claimed device
 * @claim_devt: device number claimed by this mount
 * @claimed:    @claim_node is on the list
 * @range_lock: protects @ranges
 * @ranges:     device ranges of every published map: no two files, and no
 *              two extents of one file, share memory (fs-dax maps a page
 *              into one file only)
 * @map_lock:   protects @maps, @revoked, @dying and the FAMFS_FSI_FAILED
 *              transition against map publication
 * @maps:       every published map whose mappings were not revoked
 * @revoked:    published maps revoked after a device loss
 * @dying:      maps whose inode was being evicted when the device was lost;
 *              the device loss waits on @map_wq until eviction took them off
 * @map_wq:     woken when a map leaves its list
 * @fail_rs:    rate limit of the memory failure and device loss messages
 * @flags:      FAMFS_FSI_* bits
 */
struct famfs_fs_info {
	struct super_block *sb;
	umode_t root_mode;
	bool mode_set;

	struct dax_device *dax_dev;
	famfs_bdev_handle_t bdev_h;
	struct block_device *bdev;
	struct file *dax_filp;
	bool dax_ref;
	u64 start_off;
	u64 dev_size;
	char dev_name[32];

	struct list_head claim_node;
	umode_t claim_mode;
	dev_t claim_devt;
	bool claimed;

	struct mutex range_lock;	/* protects ranges */
	struct rb_root_cached ranges;

	spinlock_t map_lock;		/* protects maps, revoked, dying */
	struct list_head maps;
	struct list_head revoked;
	struct list_head dying;
	wait_queue_head_t map_wq;

	struct ratelimit_state fail_rs;
	unsigned long flags;
};

static inline struct famfs_fs_info *FAMFS_SB(const struct super_block *sb)
{
	return sb->s_fs_info;
}

static inline struct famfs_fmap *famfs_inode_map(const struct inode *inode)
{
	/* pairs with the smp_store_release() in famfs_map_publish() */
	return smp_load_acquire(&inode->i_private);
}

static inline bool famfs_fs_failed(const struct famfs_fs_info *fsi)
{
	return test_bit(FAMFS_FSI_FAILED, &fsi->flags);
}

/* dev.c */
int famfs_dev_open(struct famfs_fs_info *fsi, struct fs_context *fc);
void famfs_dev_detach(struct famfs_fs_info *fsi);
void famfs_dev_close(struct famfs_fs_info *fsi);
void famfs_dev_exit(void);

/* inode.c */
extern const struct inode_operations famfs_dir_inode_operations;
struct inode *famfs_get_inode(struct super_block *sb, famfs_idmap_t *idmap,
			      const struct inode *dir, umode_t mode);
void famfs_evict_inode(struct inode *inode);
int famfs_fmap_cache_init(void);
void famfs_fmap_cache_exit(void);
struct famfs_fmap *famfs_fmap_alloc(u32 nextents);
void famfs_fmap_free(struct famfs_fmap *map);

/* file.c */
extern const struct file_operations famfs_file_operations;
int famfs_file_check(struct inode *inode);

/* iomap.c */
extern const struct iomap_ops famfs_iomap_ops;
int famfs_fmap_resolve(const struct famfs_fmap *map, u64 pos, u64 *dev_off,
		       u64 *avail);
bool famfs_fmap_overlaps(const struct famfs_fmap *map, u64 offset, u64 len);

/* ioctl.c */
long famfs_file_ioctl(struct file *file, unsigned int cmd, unsigned long arg);
void famfs_map_unpublish(struct famfs_fs_info *fsi, struct famfs_fmap *map);

#endif /* FAMFS_INTERNAL_H */
