// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * dax_dev.c - what kind of device backs a famfs mount, and how big it is
 *
 * The answers depend on kernel internals that module/ does not touch: a
 * mount's nodev flags (the kernel's may_open_dev() is not exported), the
 * driver model's kobject types (a character device on the dax bus), the
 * holder semantics of fs_dax_get_by_bdev() (a pmem block device in fsdax
 * mode) and the page ranges dax_direct_access() resolves (the size of a
 * character dax device). module/dev.c only calls the four functions below
 * (declared in compat.h); messages and mount policy stay there.
 */
#include <linux/blkdev.h>
#include <linux/cdev.h>
#include <linux/dax.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/mount.h>
#include <linux/path.h>
#include <linux/platform_device.h>
#include <linux/string.h>

#include "compat.h"

/**
 * famfs_path_nodev() - may device nodes not be opened on this path's mount?
 * @path: the resolved mount source
 *
 * The same test as the kernel's may_open_dev() (fs/namei.c, not exported):
 * the mount was made with MNT_NODEV, or its superblock has SB_I_NODEV (for
 * example a file system mounted in a user namespace).
 *
 * Return: true when opening a device node on @path must be refused (the
 * caller returns -EACCES, as the VFS does).
 */
bool famfs_path_nodev(const struct path *path)
{
	return (path->mnt->mnt_flags & MNT_NODEV) ||
	       (path->mnt->mnt_sb->s_iflags & SB_I_NODEV);
}

/**
 * famfs_cdev_dax_device() - the dax-bus device behind an open character device
 * @inode: the inode of an open character device node (its i_cdev is set
 *         while it is open)
 *
 * The cdev of both dax drivers (device_dax and fsdev_dax) has the dev_dax
 * device as its kobject parent. A kobject is embedded in a struct device
 * exactly when it has the device ktype, which is compared with that of a
 * device that is always registered (platform_bus); the device must then be
 * on the bus named "dax" and carry the node's device number. Nothing is
 * dereferenced that the open file does not keep alive.
 *
 * Return: the dax-bus device (valid while the file stays open), or NULL
 * when @inode is not a character device of the dax bus.
 */
struct device *famfs_cdev_dax_device(struct inode *inode)
{
	struct kobject *parent;
	struct device *dev;

	if (!inode->i_cdev)
		return NULL;
	parent = inode->i_cdev->kobj.parent;
	if (!parent || parent->ktype != platform_bus.kobj.ktype)
		return NULL;
	dev = kobj_to_dev(parent);
	if (!dev->bus || strcmp(dev->bus->name, "dax") ||
	    dev->devt != inode->i_rdev)
		return NULL;
	return dev;
}

/**
 * famfs_pmem_dax_get() - become the dax holder of a pmem block device
 * @bdev:      the block device, opened exclusively by the caller
 * @start_off: returns the byte offset of @bdev in its dax device
 *             (non-zero for a partition)
 * @holder:    the holder to register (famfs passes its famfs_fs_info)
 * @ops:       the holder's callbacks (->notify_failure)
 * @dax_devp:  returns the dax device on success; famfs_dev_detach() drops
 *             it with fs_put_dax()
 *
 * fs_dax_get_by_bdev() returns NULL both for a device without DAX and for
 * one with another holder, and in the second case keeps the reference it
 * took. So the device is looked up without claiming it first (NULL: no
 * DAX), a device that has a holder is refused, and only then is it
 * claimed; if the claim still fails (a holder came in between), the lookup
 * reference the claim kept is dropped here.
 *
 * Return: 0; -EINVAL when @bdev is not DAX-capable (not a pmem namespace in
 * fsdax mode); -EBUSY when its dax device has another holder (a file
 * system on another partition of the same pmem disk); -ENODEV when the dax
 * device died during the claim.
 */
int famfs_pmem_dax_get(struct block_device *bdev, u64 *start_off,
		       void *holder, const struct dax_holder_operations *ops,
		       struct dax_device **dax_devp)
{
	struct dax_device *dax_dev, *held;
	bool alive;
	int id;

	dax_dev = fs_dax_get_by_bdev(bdev, start_off, NULL, NULL);
	if (!dax_dev)
		return -EINVAL;
	if (dax_holder(dax_dev)) {
		put_dax(dax_dev);
		return -EBUSY;
	}
	held = fs_dax_get_by_bdev(bdev, start_off, holder, ops);
	if (held) {
		/* the same device; keep the reference of the claim */
		put_dax(dax_dev);
		*dax_devp = held;
		return 0;
	}
	/*
	 * Still alive: the lookup succeeded (we hold a reference, so it could
	 * grab one) and only the holder was taken; drop the reference it kept.
	 * Dead now: the device died during the claim; whether the claim kept
	 * a reference cannot be told, so none is dropped (at worst one dying
	 * dax_device is never freed).
	 */
	id = dax_read_lock();
	alive = dax_alive(dax_dev);
	dax_read_unlock(id);
	if (alive)
		put_dax(dax_dev);
	put_dax(dax_dev);
	return alive ? -EBUSY : -ENODEV;
}

/* Called under dax_read_lock() (dax_direct_access() requires it). */
static bool famfs_dax_page_ok(struct dax_device *dax_dev, pgoff_t pgoff)
{
	return dax_direct_access(dax_dev, pgoff, 1, DAX_ACCESS, NULL,
				 NULL) == 1;
}

/*
 * Bytes addressable from page 0 on: a dax device's page offsets are
 * contiguous, so the first page dax_direct_access() refuses is its end.
 * Found by doubling, then bisection; only addresses are computed, the
 * memory is never touched.
 */
static u64 famfs_dax_nr_bytes(struct dax_device *dax_dev)
{
	pgoff_t good = 0, bad = 1;
	int id;

	id = dax_read_lock();
	if (!famfs_dax_page_ok(dax_dev, 0)) {
		dax_read_unlock(id);
		return 0;
	}
	/* grow until a page is out of range (bounded at 2^52 bytes) ... */
	while (bad < (1UL << (52 - PAGE_SHIFT)) &&
	       famfs_dax_page_ok(dax_dev, bad)) {
		good = bad;
		bad <<= 1;
	}
	/* ... then bisect: page good is addressable, page bad is not */
	while (bad - good > 1) {
		pgoff_t mid = good + (bad - good) / 2;

		if (famfs_dax_page_ok(dax_dev, mid))
			good = mid;
		else
			bad = mid;
	}
	dax_read_unlock(id);
	return ((u64)good + 1) << PAGE_SHIFT;
}

/**
 * famfs_dax_dev_size() - usable size of the backing device, in bytes
 * @dax_dev: the dax device famfs holds (from famfs_pmem_dax_get() or
 *           fs_dax_get())
 * @bdev:    the pmem block device, or NULL for a character dax device
 *
 * A block device's size is bdev_nr_bytes(). A character dax device has no
 * such number in any exported API: its size is the number of pages
 * dax_direct_access() resolves from page 0 on (at most 2^52 bytes), found
 * in O(log n) calls under dax_read_lock() without touching the memory.
 *
 * Return: the size in bytes; 0 when no page of a character dax device is
 * addressable (the device died, or is not usable for fs-dax).
 */
u64 famfs_dax_dev_size(struct dax_device *dax_dev, struct block_device *bdev)
{
	if (bdev)
		return bdev_nr_bytes(bdev);
	return famfs_dax_nr_bytes(dax_dev);
}
