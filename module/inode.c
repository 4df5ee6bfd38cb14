// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * famfs - shared-memory file system: inodes and directories
 *
 * The namespace lives only in the dcache, as in ramfs: every dentry is
 * pinned when created and stays pinned until umount (kill_litter_super() or
 * kill_anon_super() drops the pins). User space rebuilds the tree on every
 * mount by replaying the log. Regular files start unmapped and empty;
 * FAMFSIOC_MAP_CREATE(_V2) gives them their extents and their size, which
 * then never changes.
 */
#define pr_fmt(fmt) "famfs: " fmt

#include <linux/atomic.h>
#include <linux/moduleparam.h>
#include <linux/overflow.h>
#include <linux/pagemap.h>
#include <linux/slab.h>

#include "famfs_internal.h"

/*
 * Mapped files are DAX: the page cache is never used. The mapping still
 * needs ->dirty_folio for the generic code that marks DAX entries dirty.
 */
static const struct address_space_operations famfs_dax_aops = {
	.dirty_folio	= noop_dirty_folio,
};

/*
 * The size of a famfs file is set by its map and never changes: truncate
 * (or open with O_TRUNC on a non-empty file) fails with EPERM (see the
 * namespace policy below). The VFS (notify_change()) holds the inode lock,
 * which famfs_map_publish() takes to set the size.
 */
static int famfs_file_setattr(famfs_idmap_t *idmap, struct dentry *dentry,
			      struct iattr *iattr)
{
	struct inode *inode = d_inode(dentry);

	lockdep_assert_held_write(&inode->i_rwsem);
	if (iattr->ia_valid & ATTR_SIZE) {
		if (iattr->ia_size != i_size_read(inode))
			return -EPERM;
		iattr->ia_valid &= ~ATTR_SIZE;
	}
	return simple_setattr(idmap, dentry, iattr);
}

/*
 * st_blocks is the memory the file holds (set when it is mapped), not the
 * number of pages faulted in so far, which simple_getattr() would report.
 */
static int famfs_file_getattr(famfs_idmap_t *idmap, const struct path *path,
			      struct kstat *stat, u32 request_mask,
			      unsigned int query_flags)
{
	int rc;

	rc = simple_getattr(idmap, path, stat, request_mask, query_flags);
	if (!rc)
		stat->blocks = d_inode(path->dentry)->i_blocks;
	return rc;
}

static const struct inode_operations famfs_file_inode_operations = {
	.setattr	= famfs_file_setattr,
	.getattr	= famfs_file_getattr,
};

/**
 * famfs_get_inode() - allocate a new famfs inode
 * @sb:    the famfs superblock
 * @idmap: id mapping of the mount the request came through
 * @dir:   parent directory, or NULL for the root
 * @mode:  S_IFREG or S_IFDIR plus permission bits
 *
 * Regular files are created unmapped (size 0, not DAX).
 *
 * Return: the new inode, or NULL when out of memory or @mode is not a
 * regular file or directory.
 */
struct inode *famfs_get_inode(struct super_block *sb, famfs_idmap_t *idmap,
			      const struct inode *dir, umode_t mode)
{
	struct inode *inode;

	if (!S_ISREG(mode) && !S_ISDIR(mode))
		return NULL;

	inode = new_inode(sb);
	if (!inode)
		return NULL;

	inode->i_ino = get_next_ino();
	inode_init_owner(idmap, inode, dir, mode);
	famfs_inode_init_ts(inode);

	if (S_ISREG(mode)) {
		inode->i_op = &famfs_file_inode_operations;
		inode->i_fop = &famfs_file_operations;
		inode->i_mapping->a_ops = &famfs_dax_aops;
	} else {
		inode->i_op = &famfs_dir_inode_operations;
		inode->i_fop = &simple_dir_operations;
		/* "." */
		inc_nlink(inode);
	}
	return inode;
}

/**
 * famfs_evict_inode() - release an inode and the extent map it owns
 * @inode: the inode being evicted (last reference gone, unlinked or umount)
 *
 * Called by the VFS after the inode left the superblock's inode list. The
 * map's device ranges are released only after the final truncate, which
 * may wait for pinned pages: until then no other map may get that memory.
 */
void famfs_evict_inode(struct inode *inode)
{
	struct famfs_fmap *map = inode->i_private;

	famfs_dax_break_layout_final(inode);
	truncate_inode_pages_final(&inode->i_data);
	clear_inode(inode);
	inode->i_private = NULL;
	if (map)
		famfs_map_unpublish(FAMFS_SB(inode->i_sb), map);
	famfs_fmap_free(map);
}

/*
 * Maps come from their own slab cache: kmem_cache_destroy() reports any map
 * still alive at module unload, and the cache shows in /proc/slabinfo. The
 * constructor keeps it from being merged with a cache of the same size.
 * Slab statistics are not exact (per-cpu slabs), so the number of live maps
 * is also counted, read-only in /sys/module/famfs/parameters/live_maps (the
 * leak checks of module/tests/kmod-harden.sh).
 */
static struct kmem_cache *famfs_fmap_cachep;
static atomic_long_t famfs_live_maps = ATOMIC_LONG_INIT(0);

static int famfs_live_maps_get(char *buf, const struct kernel_param *kp)
{
	return sprintf(buf, "%ld\n", atomic_long_read(&famfs_live_maps));
}

static const struct kernel_param_ops famfs_live_maps_ops = {
	.get	= famfs_live_maps_get,
};
module_param_cb(live_maps, &famfs_live_maps_ops, NULL, 0444);
MODULE_PARM_DESC(live_maps, "number of file extent maps in memory (read-only)");

/* The slab object: a map with room for FAMFS_MAX_EXTENTS extents. */
static size_t famfs_fmap_max_size(void)
{
	return struct_size((struct famfs_fmap *)NULL, ext, FAMFS_MAX_EXTENTS);
}

static void famfs_fmap_ctor(void *obj)
{
	memset(obj, 0, famfs_fmap_max_size());
}

/**
 * famfs_fmap_cache_init() - create the famfs_fmap slab cache
 *
 * Return: 0, or -ENOMEM.
 */
int famfs_fmap_cache_init(void)
{
	famfs_fmap_cachep = kmem_cache_create("famfs_fmap",
					      famfs_fmap_max_size(), 0,
					      SLAB_RECLAIM_ACCOUNT,
					      famfs_fmap_ctor);
	return famfs_fmap_cachep ? 0 : -ENOMEM;
}

/**
 * famfs_fmap_cache_exit() - destroy the famfs_fmap slab cache
 *
 * Every map must have been freed (all famfs superblocks are gone when the
 * module unloads); the slab allocator complains loudly otherwise.
 */
void famfs_fmap_cache_exit(void)
{
	kmem_cache_destroy(famfs_fmap_cachep);
}

/**
 * famfs_fmap_alloc() - allocate a zeroed, unpublished extent map
 * @nextents: number of extents, 1..FAMFS_MAX_EXTENTS (validated by the
 *            caller: the map ioctls refuse other counts with EINVAL/E2BIG)
 *
 * The map is struct_size(map, ext, @nextents) bytes of a famfs_fmap slab
 * object (kmem_cache_alloc()), zeroed, with map->nextents already set, so
 * that ext[0..@nextents - 1] may be written (the __counted_by() rule: the
 * counter is set before the array is accessed).
 *
 * Return: the map, or NULL when out of memory or @nextents is out of range.
 */
struct famfs_fmap *famfs_fmap_alloc(u32 nextents)
{
	struct famfs_fmap *map;

	if (!nextents || nextents > FAMFS_MAX_EXTENTS)
		return NULL;
	map = kmem_cache_alloc(famfs_fmap_cachep, GFP_KERNEL);
	if (!map)
		return NULL;
	memset(map, 0, struct_size(map, ext, nextents));
	map->nextents = nextents;
	INIT_LIST_HEAD(&map->node);
	atomic_long_inc(&famfs_live_maps);
	return map;
}

/**
 * famfs_fmap_free() - free a map from famfs_fmap_alloc()
 * @map: the map, or NULL
 */
void famfs_fmap_free(struct famfs_fmap *map)
{
	if (map) {
		kfree(map->ranges);
		kmem_cache_free(famfs_fmap_cachep, map);
		atomic_long_dec(&famfs_live_maps);
	}
}

/* The VFS holds @dir's lock exclusively: its times and link count change. */
static int famfs_new_node(famfs_idmap_t *idmap, struct inode *dir,
			  struct dentry *dentry, umode_t mode)
{
	struct inode *inode;

	lockdep_assert_held_write(&dir->i_rwsem);
	inode = famfs_get_inode(dir->i_sb, idmap, dir, mode);
	if (!inode)
		return -ENOSPC;
	famfs_d_pin(dentry, inode);
	famfs_touch_cmtime(dir);
	return 0;
}

/*
 * The reference famfs tools look for this symbol ("famfs_create [famfs]" in
 * /proc/kallsyms) to tell whether the standalone module is loaded: keep the
 * name.
 */
static int famfs_create(FAMFS_IOP_CREATE_PARAMS)
{
	return famfs_new_node(idmap, dir, dentry, (mode & ~S_IFMT) | S_IFREG);
}

static famfs_mkdir_ret_t famfs_mkdir(famfs_idmap_t *idmap, struct inode *dir,
				     struct dentry *dentry, umode_t mode)
{
	int rc;

	rc = famfs_new_node(idmap, dir, dentry, (mode & ~S_IFMT) | S_IFDIR);
	if (!rc)
		inc_nlink(dir);
	return famfs_mkdir_ret(rc);
}

/*
 * Namespace policy. The log in the shared memory is the only record of the
 * namespace and it can only add files and directories: every host builds
 * its tree by replaying it. An operation the log cannot record would make
 * this host disagree with every other host (and with its own next mount),
 * and a removed or renamed name would let the log hand the same memory to a
 * second file. So, as the reference famfs module's per-mount operation
 * policy does by default, these operations change nothing and fail:
 *
 *   unlink of a mapped file, rmdir, rename, link, symlink, mknod   EPERM
 *   truncate or any other size change (famfs_file_setattr)         EPERM
 *
 * EPERM ("Operation not permitted") is also what the VFS returns for an
 * operation a file system does not offer. create and mkdir (log replay,
 * famfs creat/mkdir/cp) keep working, as do chmod, chown and utimes.
 *
 * A regular file without a map holds no memory and is not in any host's
 * view of the log yet: it may be unlinked, so that user space can undo a
 * creation whose map failed (the next replay creates it again). The VFS
 * holds the inode lock of the victim, which also serializes the map ioctl.
 */
static int famfs_unlink(struct inode *dir, struct dentry *dentry)
{
	lockdep_assert_held_write(&dir->i_rwsem);
	lockdep_assert_held_write(&d_inode(dentry)->i_rwsem);
	if (famfs_inode_map(d_inode(dentry)))
		return -EPERM;
	return simple_unlink(dir, dentry);
}

static int famfs_rmdir(struct inode *dir, struct dentry *dentry)
{
	return -EPERM;
}

static int famfs_rename(famfs_idmap_t *idmap, struct inode *old_dir,
			struct dentry *old_dentry, struct inode *new_dir,
			struct dentry *new_dentry, unsigned int flags)
{
	return -EPERM;
}

static int famfs_link(struct dentry *old_dentry, struct inode *dir,
		      struct dentry *dentry)
{
	return -EPERM;
}

static int famfs_symlink(famfs_idmap_t *idmap, struct inode *dir,
			 struct dentry *dentry, const char *target)
{
	return -EPERM;
}

/* Regular files made with mknod(2) go through ->create, not here. */
static int famfs_mknod(famfs_idmap_t *idmap, struct inode *dir,
		       struct dentry *dentry, umode_t mode, dev_t rdev)
{
	return -EPERM;
}

const struct inode_operations famfs_dir_inode_operations = {
	.create		= famfs_create,
	.lookup		= simple_lookup,
	.mkdir		= famfs_mkdir,
	.unlink		= famfs_unlink,
	.rmdir		= famfs_rmdir,
	.rename		= famfs_rename,
	.link		= famfs_link,
	.symlink	= famfs_symlink,
	.mknod		= famfs_mknod,
};
