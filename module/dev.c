// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * famfs - shared-memory file system: the backing DAX device
 *
 * The device is named by the mount source and its type is told by the inode
 * the path resolves to, never by the path string:
 *   - block device: a pmem namespace in fsdax mode. Opened exclusively, then
 *     fs_dax_get_by_bdev() makes famfs the dax holder.
 *   - character device: /dev/daxX.Y bound to the fsdev_dax driver (kernels
 *     with fs_dax_get(), 7.x). The node is opened and proven to be a live
 *     dax-bus device before its dax_device is looked up; fs_dax_get() then
 *     makes famfs the exclusive holder, and refuses devices still bound to
 *     device_dax. The open file is kept for the mount's lifetime, which pins
 *     the driver. Older kernels refuse character devices.
 *
 * At most one famfs mount may use a device: claimed device numbers are kept
 * on a list (exclusive opens give EBUSY too, this also covers lazy umounts).
 *
 * The device size bounds every extent. Block devices: bdev_nr_bytes().
 * Character dax devices: the number of pages dax_direct_access() resolves
 * from page 0 on (a dax device's page offsets are contiguous); found by
 * binary search, which only computes addresses and never touches memory.
 *
 * How the device type and size are told (kobject types, nodev flags, the
 * holder semantics of fs_dax_get_by_bdev(), dax_direct_access() ranges) is
 * kernel internals and lives in dax-compat/dax_dev.c: famfs_path_nodev(),
 * famfs_cdev_dax_device(), famfs_pmem_dax_get(), famfs_dax_dev_size().
 */
#define pr_fmt(fmt) "famfs: " fmt

#include <linux/device.h>
#include <linux/file.h>
#include <linux/fs_context.h>
#include <linux/mutex.h>
#include <linux/namei.h>
#include <linux/pagemap.h>
#include <linux/ratelimit.h>
#include <linux/srcu.h>

#include "famfs_internal.h"

/*
 * The dax core calls ->notify_failure under its own SRCU (dax_srcu), but
 * fs_put_dax() does not wait for callbacks in flight, and a notification may
 * race with umount. famfs_holder_srcu covers every use of the holder's
 * famfs_fs_info in the callback; famfs_dev_detach() clears the holder, then
 * waits for the readers, so the fsi and its superblock outlive every
 * callback.
 */
DEFINE_STATIC_SRCU(famfs_holder_srcu);

/* famfs_claims: the famfs_fs_info of every mount holding a device */
static DEFINE_MUTEX(famfs_claim_lock);
static LIST_HEAD(famfs_claims);

static int famfs_claim(struct famfs_fs_info *fsi, umode_t mode, dev_t devt)
{
	struct famfs_fs_info *other;
	int rc = 0;

	mutex_lock(&famfs_claim_lock);
	list_for_each_entry(other, &famfs_claims, claim_node) {
		if (other->claim_mode == mode && other->claim_devt == devt) {
			rc = -EBUSY;
			goto out;
		}
	}
	fsi->claim_mode = mode;
	fsi->claim_devt = devt;
	fsi->claimed = true;
	list_add(&fsi->claim_node, &famfs_claims);
out:
	mutex_unlock(&famfs_claim_lock);
	return rc;
}

static void famfs_unclaim(struct famfs_fs_info *fsi)
{
	if (!fsi->claimed)
		return;
	mutex_lock(&famfs_claim_lock);
	list_del_init(&fsi->claim_node);
	fsi->claimed = false;
	mutex_unlock(&famfs_claim_lock);
}

/*
 * Mark every file that uses a byte of [offset, offset + len) as failed.
 * Called under famfs_holder_srcu, which keeps @sb alive.
 */
static unsigned int famfs_fail_files(struct super_block *sb, u64 offset,
				     u64 len)
{
	unsigned int nfiles = 0;
	struct inode *inode;

	lockdep_assert(srcu_read_lock_held(&famfs_holder_srcu));
	/*
	 * evict() takes an inode off s_inodes before ->evict_inode frees its
	 * map, so every map seen under the list lock is alive.
	 */
	spin_lock(&sb->s_inode_list_lock);
	list_for_each_entry(inode, &sb->s_inodes, i_sb_list) {
		struct famfs_fmap *map = famfs_inode_map(inode);

		if (map && famfs_fmap_overlaps(map, offset, len)) {
			WRITE_ONCE(map->failed, true);
			nfiles++;
		}
	}
	spin_unlock(&sb->s_inode_list_lock);
	return nfiles;
}

/*
 * Revoke the user mappings of one file after a device loss: wait for its
 * faults in flight (they hold the invalidate lock shared and see
 * FAMFS_FSI_FAILED once they get it, so no new one maps anything), then
 * unmap it everywhere, wait until no page is pinned, and delete its DAX
 * entries while the device's pages still exist.
 */
static void famfs_revoke_inode(struct inode *inode)
{
	struct address_space *mapping = inode->i_mapping;

	filemap_invalidate_lock(mapping);
	famfs_dax_revoke_mappings(inode);
	filemap_invalidate_unlock(mapping);
}

static bool famfs_none_dying(struct famfs_fs_info *fsi)
{
	bool empty;

	spin_lock(&fsi->map_lock);
	empty = list_empty(&fsi->dying);
	spin_unlock(&fsi->map_lock);
	return empty;
}

/*
 * The whole device is going away (the memory with it, once this returns):
 * fail the mount, then revoke every mapping of every mapped file. A file
 * whose inode is being evicted cannot be grabbed: its eviction deletes its
 * DAX entries itself, so wait until it took the map off the list. Returns
 * the number of files revoked. Called under famfs_holder_srcu (@fsi is
 * alive); takes map_lock, then each inode's invalidate lock with map_lock
 * dropped.
 */
static unsigned int famfs_revoke_all(struct famfs_fs_info *fsi)
{
	struct famfs_fmap *map;
	struct inode *inode;
	unsigned int n = 0;

	lockdep_assert(srcu_read_lock_held(&famfs_holder_srcu));
	spin_lock(&fsi->map_lock);
	/* under map_lock: no map is published after this without seeing it */
	set_bit(FAMFS_FSI_FAILED, &fsi->flags);
	while ((map = list_first_entry_or_null(&fsi->maps, struct famfs_fmap,
					       node))) {
		inode = igrab(map->inode);
		if (!inode) {
			list_move_tail(&map->node, &fsi->dying);
			continue;
		}
		list_move_tail(&map->node, &fsi->revoked);
		spin_unlock(&fsi->map_lock);

		famfs_revoke_inode(inode);
		iput(inode);
		n++;
		cond_resched();

		spin_lock(&fsi->map_lock);
	}
	spin_unlock(&fsi->map_lock);

	wait_event(fsi->map_wq, famfs_none_dying(fsi));
	return n;
}

/*
 * Memory failure or device removal, reported by the dax core (called with
 * famfs_holder_srcu held, so @fsi and its superblock are alive). Device-wide
 * events (kill_dax() on unbind/removal reports offset 0, length U64_MAX,
 * before the memory goes away) fail the whole mount and revoke every user
 * mapping; a poisoned range fails the files that use it. Both make later
 * I/O return EIO and faults SIGBUS. Every event is logged, rate limited per
 * mount.
 */
static int famfs_notify_failure_locked(struct famfs_fs_info *fsi, u64 offset,
				       u64 len)
{
	struct super_block *sb;
	unsigned int nfiles = 0;
	bool whole;

	lockdep_assert(srcu_read_lock_held(&famfs_holder_srcu));
	if (!fsi)
		return -EOPNOTSUPP;

	sb = READ_ONCE(fsi->sb);
	whole = (offset == 0 && len == U64_MAX) || !sb;
	if (!whole) {
		/* dax device offset -> offset in our (partition of the) device */
		if (offset < fsi->start_off)
			return -EOPNOTSUPP;
		offset -= fsi->start_off;
		nfiles = famfs_fail_files(sb, offset, len);
	} else {
		nfiles = famfs_revoke_all(fsi);
	}

	if (__ratelimit(&fsi->fail_rs)) {
		if (whole)
			pr_err("%s: device failed or removed; mappings of %u file(s) revoked, all files now fail with EIO/SIGBUS\n",
			       fsi->dev_name, nfiles);
		else
			pr_err("%s: memory failure at offset 0x%llx length 0x%llx; %u file(s) now fail with EIO/SIGBUS\n",
			       fsi->dev_name, offset, len, nfiles);
	}

	/*
	 * For a poisoned range, let the memory-failure core also signal the
	 * processes that map it (its generic path runs on -EOPNOTSUPP).
	 */
	return whole ? 0 : -EOPNOTSUPP;
}

/* The holder callback; see famfs_holder_srcu. */
static int famfs_dax_notify_failure(struct dax_device *dax_dev, u64 offset,
				    u64 len, int mf_flags)
{
	int idx, rc;

	idx = srcu_read_lock(&famfs_holder_srcu);
	rc = famfs_notify_failure_locked(dax_holder(dax_dev), offset, len);
	srcu_read_unlock(&famfs_holder_srcu, idx);
	return rc;
}

static const struct dax_holder_operations famfs_dax_holder_ops = {
	.notify_failure = famfs_dax_notify_failure,
};

static int famfs_open_pmem(struct famfs_fs_info *fsi, struct fs_context *fc)
{
	famfs_bdev_handle_t h;
	struct block_device *bdev;
	struct dax_device *dax_dev;
	int rc;

	h = famfs_bdev_open(fc->source, fsi);
	if (IS_ERR(h)) {
		rc = PTR_ERR(h);
		errorfc(fc, "cannot open block device %s exclusively: %d",
			fc->source, rc);
		return rc;
	}
	bdev = famfs_bdev(h);
	fsi->bdev_h = h;
	fsi->bdev = bdev;
	snprintf(fsi->dev_name, sizeof(fsi->dev_name), "%pg", bdev);

	rc = famfs_claim(fsi, S_IFBLK, bdev->bd_dev);
	if (rc) {
		errorfc(fc, "%s is already mounted as famfs", fsi->dev_name);
		return rc;
	}

	rc = famfs_pmem_dax_get(bdev, &fsi->start_off, fsi,
				&famfs_dax_holder_ops, &dax_dev);
	if (rc == -EINVAL)
		errorfc(fc,
			"%s is not DAX-capable (a raw-mode namespace? use 'ndctl create-namespace -m fsdax')",
			fsi->dev_name);
	else if (rc == -EBUSY)
		errorfc(fc,
			"%s: its dax device is in use by another holder (a file system on another partition of the same disk?)",
			fsi->dev_name);
	if (rc)
		return rc;
	fsi->dax_dev = dax_dev;
	fsi->dev_size = famfs_dax_dev_size(dax_dev, bdev);
	return 0;
}

static int famfs_open_daxchar(struct famfs_fs_info *fsi,
			      const struct path *path, struct fs_context *fc)
{
	struct dax_device *dax_dev;
	struct device *dev;
	struct file *filp;
	int rc;

	if (!FAMFS_FSDEV_SUPPORTED) {
		errorfc(fc,
			"%s is a character device: this kernel has no fs-dax support for dax character devices (fsdev_dax); use a pmem namespace in fsdax mode",
			fc->source);
		return -EOPNOTSUPP;
	}
	if (famfs_path_nodev(path)) {
		errorfc(fc, "%s: device access is not allowed on its file system",
			fc->source);
		return -EACCES;
	}

	filp = dentry_open(path, O_RDWR | O_LARGEFILE, current_cred());
	if (IS_ERR(filp)) {
		rc = PTR_ERR(filp);
		errorfc(fc, "cannot open %s: %d (is a dax driver bound to it?)",
			fc->source, rc);
		return rc;
	}
	fsi->dax_filp = filp;

	dev = famfs_cdev_dax_device(file_inode(filp));
	if (!dev) {
		errorfc(fc, "%s is not a dax device", fc->source);
		return -ENODEV;
	}
	strscpy(fsi->dev_name, dev_name(dev), sizeof(fsi->dev_name));

	rc = famfs_claim(fsi, S_IFCHR, dev->devt);
	if (rc) {
		errorfc(fc, "%s is already mounted as famfs", fsi->dev_name);
		return rc;
	}

	/* Safe now: devt belongs to a live dax device we hold open. */
	dax_dev = famfs_dax_find(dev->devt);
	if (IS_ERR_OR_NULL(dax_dev)) {
		errorfc(fc, "%s: no dax device found", fsi->dev_name);
		return -ENODEV;
	}
	fsi->dax_dev = dax_dev;
	fsi->dax_ref = true;

	rc = famfs_fs_dax_get(dax_dev, fsi, &famfs_dax_holder_ops);
	if (rc) {
		if (rc == -EOPNOTSUPP)
			errorfc(fc,
				"%s is bound to device_dax, not fsdev_dax: run 'daxctl reconfigure-device -m famfs %s', or 'echo %s > /sys/bus/dax/drivers/device_dax/unbind; echo %s > /sys/bus/dax/drivers/fsdev_dax/new_id'",
				fsi->dev_name, fsi->dev_name, fsi->dev_name,
				fsi->dev_name);
		else if (rc == -EBUSY)
			errorfc(fc, "%s is in use by another dax holder",
				fsi->dev_name);
		else
			errorfc(fc, "%s: cannot use for fs-dax: %d",
				fsi->dev_name, rc);
		fsi->dax_dev = NULL;
		fsi->dax_ref = false;
		put_dax(dax_dev);
		return rc;
	}

	fsi->start_off = 0;
	fsi->dev_size = famfs_dax_dev_size(dax_dev, NULL);
	if (!fsi->dev_size) {
		errorfc(fc, "%s: cannot determine the device size",
			fsi->dev_name);
		return -ENODEV;
	}
	return 0;
}

/**
 * famfs_dev_open() - open and claim the mount's backing device
 * @fsi: the new mount's info; on success it holds the device
 * @fc:  the mount context; fc->source names the device
 *
 * On failure everything acquired so far is released (through
 * famfs_dev_close()) and a message is logged to @fc.
 *
 * Return: 0; -EBUSY if the device is mounted or otherwise held;
 * -EOPNOTSUPP for a character device this kernel cannot use; -ENOTBLK if
 * the source is neither a block nor a character device; -EINVAL, -ENODEV,
 * -EACCES or a path lookup error otherwise.
 */
int famfs_dev_open(struct famfs_fs_info *fsi, struct fs_context *fc)
{
	struct path path;
	umode_t mode;
	int rc;

	rc = kern_path(fc->source, LOOKUP_FOLLOW, &path);
	if (rc) {
		errorfc(fc, "cannot find %s: %d", fc->source, rc);
		return rc;
	}
	mode = d_backing_inode(path.dentry)->i_mode;

	if (S_ISBLK(mode)) {
		path_put(&path);
		rc = famfs_open_pmem(fsi, fc);
	} else if (S_ISCHR(mode)) {
		rc = famfs_open_daxchar(fsi, &path, fc);
		path_put(&path);
	} else {
		path_put(&path);
		errorfc(fc, "%s is not a device", fc->source);
		rc = -ENOTBLK;
	}

	if (rc)
		famfs_dev_close(fsi);
	else
		pr_info("%s: mounting, %llu MiB\n", fsi->dev_name,
			fsi->dev_size >> 20);
	return rc;
}

/**
 * famfs_dev_detach() - stop being the dax holder of the backing device
 * @fsi: mount info
 *
 * Clears the holder (no notify_failure callback starts for @fsi after it),
 * drops the dax device references, then waits until every callback that
 * might still use @fsi has returned. Called first when a mount goes away, so
 * no memory-failure notification can race with the superblock teardown.
 * Safe to call more than once.
 */
void famfs_dev_detach(struct famfs_fs_info *fsi)
{
	if (!fsi->dax_dev)
		return;
	/* clears the holder if it is ours, and drops one reference */
	fs_put_dax(fsi->dax_dev, fsi);
	if (fsi->dax_ref)
		put_dax(fsi->dax_dev);
	fsi->dax_dev = NULL;
	fsi->dax_ref = false;
	synchronize_srcu(&famfs_holder_srcu);
}

/**
 * famfs_dev_close() - release the backing device and the mount's claim
 * @fsi: mount info; anything famfs_dev_open() acquired is released
 *
 * Detaches from the dax device first (famfs_dev_detach()), then closes the
 * block or character device, which unpins its driver module.
 *
 * Safe on partially opened and already closed devices.
 */
void famfs_dev_close(struct famfs_fs_info *fsi)
{
	famfs_dev_detach(fsi);
	if (fsi->dax_filp) {
		fput(fsi->dax_filp);
		fsi->dax_filp = NULL;
	}
	if (fsi->bdev_h) {
		famfs_bdev_close(fsi->bdev_h, fsi);
		fsi->bdev_h = NULL;
		fsi->bdev = NULL;
	}
	famfs_unclaim(fsi);
}

/**
 * famfs_dev_exit() - module unload: wait for holder callbacks in flight
 */
void famfs_dev_exit(void)
{
	synchronize_srcu(&famfs_holder_srcu);
}
