/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 famfs contributors
 * compat.h - the kernel API differences famfs has to live with
 *
 * This is the only file that knows that kernels differ. Every choice below is
 * keyed on a HAVE_* symbol that probe.sh derived by compiling a probe against
 * the target kernel's headers (probes/<name>.c documents each API change).
 * Nothing here, or anywhere else in famfs, looks at LINUX_VERSION_CODE:
 * distribution kernels backport APIs one at a time.
 *
 * An API with several generations is a probe group (probes.conf): probe.sh
 * stops the build unless exactly one variant compiled, and defines
 * FAMFS_GROUP_<NAME> only then. Each choice below names every variant and
 * ends in #error, so a missing or stale result can never select a default.
 *
 * The rest of the module is written against the names defined here:
 *   famfs_idmap_t, FAMFS_NOP_IDMAP    inode-operation id mapping argument
 *   FAMFS_IOP_CREATE_PARAMS           ->create parameter list
 *   famfs_mkdir_ret_t, famfs_mkdir_ret()  ->mkdir return convention
 *   famfs_inode_init_ts(), famfs_touch_cmtime()  timestamps
 *   famfs_d_pin(), famfs_kill_sb_anon(), FAMFS_DROP_INODE  dentry pinning
 *   famfs_fault_size_t, famfs_fault_order(), famfs_dax_fault()  DAX faults
 *   famfs_vma_set_hugepage(), FAMFS_SPLICE_READ
 *   famfs_dax_break_layout_final(), famfs_dax_revoke_mappings()
 *   famfs_bdev_handle_t, famfs_bdev_open(), famfs_bdev(), famfs_bdev_close()
 *   FAMFS_FSDEV_SUPPORTED, famfs_dax_find(), famfs_fs_dax_get()
 *   __counted_by()                    flexible array bounds annotation
 *
 * Kernel internals that do not differ between kernels but that module/ does
 * not touch either live in dax_dev.c (declared at the end of this file):
 *   famfs_path_nodev(), famfs_cdev_dax_device()  what the mount source is
 *   famfs_pmem_dax_get()              claim a pmem block device's dax device
 *   famfs_dax_dev_size()              the device's size in bytes
 */
#ifndef FAMFS_DAX_COMPAT_H
#define FAMFS_DAX_COMPAT_H

#include "compat_config.h"

#include <linux/blkdev.h>
#include <linux/dax.h>
#include <linux/dcache.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/iomap.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <linux/wait_bit.h>

#ifndef FAMFS_COMPAT_CONFIG
#error "compat_config.h is missing: build with 'make -C module KDIR=...'"
#endif

#if !IS_ENABLED(CONFIG_FS_DAX)
#error "famfs needs a kernel with CONFIG_FS_DAX"
#endif
#if !IS_ENABLED(CONFIG_INTERVAL_TREE)
#error "famfs needs a kernel with CONFIG_INTERVAL_TREE (dkms.conf excludes others)"
#endif

/* Every probe group of probes.conf, resolved by probe.sh. */
#ifndef FAMFS_GROUP_IDMAP
#error "dax-compat: probe group 'idmap' has no result (rerun probe.sh)"
#endif
#ifndef FAMFS_GROUP_CREATE
#error "dax-compat: probe group 'create' has no result (rerun probe.sh)"
#endif
#ifndef FAMFS_GROUP_MKDIR
#error "dax-compat: probe group 'mkdir' has no result (rerun probe.sh)"
#endif
#ifndef FAMFS_GROUP_TIMESTAMPS
#error "dax-compat: probe group 'timestamps' has no result (rerun probe.sh)"
#endif
#ifndef FAMFS_GROUP_DENTRY_PIN
#error "dax-compat: probe group 'dentry_pin' has no result (rerun probe.sh)"
#endif
#ifndef FAMFS_GROUP_DROP_INODE
#error "dax-compat: probe group 'drop_inode' has no result (rerun probe.sh)"
#endif
#ifndef FAMFS_GROUP_SPLICE_READ
#error "dax-compat: probe group 'splice_read' has no result (rerun probe.sh)"
#endif
#ifndef FAMFS_GROUP_VMA_FLAGS
#error "dax-compat: probe group 'vma_flags' has no result (rerun probe.sh)"
#endif
#ifndef FAMFS_GROUP_FAULT_SIZE
#error "dax-compat: probe group 'fault_size' has no result (rerun probe.sh)"
#endif
#ifndef FAMFS_GROUP_DAX_PFN
#error "dax-compat: probe group 'dax_pfn' has no result (rerun probe.sh)"
#endif
#ifndef FAMFS_GROUP_BDEV_OPEN
#error "dax-compat: probe group 'bdev_open' has no result (rerun probe.sh)"
#endif
#ifndef FAMFS_GROUP_DAX_LOOKUP
#error "dax-compat: probe group 'dax_lookup' has no result (rerun probe.sh)"
#endif

/*
 * 6.5: __counted_by(member) names the member that holds the number of
 * elements of a flexible array, for the compiler's bounds checking
 * (-fsanitize=bounds, __builtin_dynamic_object_size()). It is only an
 * annotation: the kernel itself defines it empty for compilers without the
 * attribute, and so does famfs for kernels that predate it (optional probe
 * counted_by). Code must set the counter before it writes the array.
 */
#if defined(HAVE_COUNTED_BY) != defined(__counted_by)
#error "dax-compat: the counted_by probe disagrees with the kernel headers' __counted_by"
#endif
#ifndef HAVE_COUNTED_BY
/* __counted_by(member), empty; "..." as checkpatch rejects unused arguments */
#define __counted_by(...)
#endif

/* 6.3: inode operations take a struct mnt_idmap (a user_namespace before). */
#if defined(HAVE_IOPS_MNT_IDMAP)
typedef struct mnt_idmap famfs_idmap_t;
#define FAMFS_NOP_IDMAP (&nop_mnt_idmap)
#elif defined(HAVE_IOPS_USER_NAMESPACE)
typedef struct user_namespace famfs_idmap_t;
#define FAMFS_NOP_IDMAP (&init_user_ns)
#else
#error "dax-compat: no id-mapping type (probe group idmap)"
#endif

/*
 * 7.3: ->create lost its bool excl argument (the VFS handles O_EXCL).
 * FAMFS_IOP_CREATE_PARAMS is the parameter list of a ->create method:
 * idmap, dir, dentry, mode (and excl before 7.3).
 */
#if defined(HAVE_CREATE_NO_EXCL)
#define FAMFS_IOP_CREATE_PARAMS						\
	famfs_idmap_t *idmap, struct inode *dir, struct dentry *dentry,	\
	umode_t mode
#elif defined(HAVE_CREATE_EXCL)
#define FAMFS_IOP_CREATE_PARAMS						\
	famfs_idmap_t *idmap, struct inode *dir, struct dentry *dentry,	\
	umode_t mode, bool excl
#else
#error "dax-compat: no ->create prototype (probe group create)"
#endif

/* 6.15: ->mkdir returns the dentry it instantiated (or NULL, or ERR_PTR). */
#if defined(HAVE_MKDIR_RETURNS_DENTRY)
typedef struct dentry *famfs_mkdir_ret_t;
static inline famfs_mkdir_ret_t famfs_mkdir_ret(int err)
{
	return ERR_PTR(err);
}
#elif defined(HAVE_MKDIR_RETURNS_INT)
typedef int famfs_mkdir_ret_t;
static inline famfs_mkdir_ret_t famfs_mkdir_ret(int err)
{
	return err;
}
#else
#error "dax-compat: no ->mkdir return convention (probe group mkdir)"
#endif

/*
 * 6.6/6.7: timestamps moved behind accessors, ctime first (6.6, backported
 * to Debian's 6.1.y), then mtime/atime (6.7, when the fields went private).
 */
#if defined(HAVE_INODE_SET_MTIME_TO_TS)
#ifndef HAVE_INODE_SET_CTIME_CURRENT
#error "dax-compat: inode_set_mtime_to_ts() without inode_set_ctime_current()"
#endif
static inline void famfs_inode_init_ts(struct inode *inode)
{
	struct timespec64 now = inode_set_ctime_current(inode);

	inode_set_mtime_to_ts(inode, now);
	inode_set_atime_to_ts(inode, now);
}

static inline void famfs_touch_cmtime(struct inode *dir)
{
	inode_set_mtime_to_ts(dir, inode_set_ctime_current(dir));
}
#elif defined(HAVE_INODE_MTIME_FIELD)
static inline struct timespec64 famfs_set_ctime_current(struct inode *inode)
{
#ifdef HAVE_INODE_SET_CTIME_CURRENT
	return inode_set_ctime_current(inode);
#else
	inode->i_ctime = current_time(inode);
	return inode->i_ctime;
#endif
}

static inline void famfs_inode_init_ts(struct inode *inode)
{
	inode->i_mtime = famfs_set_ctime_current(inode);
	inode->i_atime = inode->i_mtime;
}

static inline void famfs_touch_cmtime(struct inode *dir)
{
	dir->i_mtime = famfs_set_ctime_current(dir);
}
#else
#error "dax-compat: no timestamp API (probe group timestamps)"
#endif

/*
 * 6.19: in-memory file systems pin dentries with d_make_persistent() and tear
 * down with kill_anon_super(); simple_unlink()/simple_rmdir() unpin. Before,
 * the pin was an extra dget() that kill_litter_super() dropped.
 */
#if defined(HAVE_D_MAKE_PERSISTENT)
static inline void famfs_d_pin(struct dentry *dentry, struct inode *inode)
{
	d_make_persistent(dentry, inode);
}

static inline void famfs_kill_sb_anon(struct super_block *sb)
{
	kill_anon_super(sb);
}
#elif defined(HAVE_KILL_LITTER_SUPER)
static inline void famfs_d_pin(struct dentry *dentry, struct inode *inode)
{
	d_instantiate(dentry, inode);
	dget(dentry);
}

static inline void famfs_kill_sb_anon(struct super_block *sb)
{
	kill_litter_super(sb);
}
#else
#error "dax-compat: no dentry pinning API (probe group dentry_pin)"
#endif

/* 6.18: generic_delete_inode() became inode_just_drop(). */
#if defined(HAVE_INODE_JUST_DROP)
#define FAMFS_DROP_INODE inode_just_drop
#elif defined(HAVE_GENERIC_DELETE_INODE)
#define FAMFS_DROP_INODE generic_delete_inode
#else
#error "dax-compat: no drop_inode helper (probe group drop_inode)"
#endif

/*
 * Splicing must not go through the page cache: famfs files have no
 * ->read_folio. copy_splice_read() (6.5+) and generic_file_splice_read()
 * (before) both call ->read_iter.
 */
#if defined(HAVE_COPY_SPLICE_READ)
#define FAMFS_SPLICE_READ copy_splice_read
#elif defined(HAVE_GENERIC_FILE_SPLICE_READ)
#define FAMFS_SPLICE_READ generic_file_splice_read
#else
#error "dax-compat: no ->read_iter splice helper (probe group splice_read)"
#endif

/* 6.3: vma->vm_flags became read-only outside the vm_flags_*() helpers. */
static inline void famfs_vma_set_hugepage(struct vm_area_struct *vma)
{
#if defined(HAVE_VM_FLAGS_SET)
	vm_flags_set(vma, VM_HUGEPAGE);
#elif defined(HAVE_VM_FLAGS_WRITABLE)
	vma->vm_flags |= VM_HUGEPAGE;
#else
#error "dax-compat: no way to set VMA flags (probe group vma_flags)"
#endif
}

/*
 * Fault size. Before 6.6 ->huge_fault and dax_iomap_fault() take an enum
 * page_entry_size (PTE/PMD/PUD = 0/1/2); since then a page order (0/9/18 on
 * x86-64). Both are integers, so the compiler cannot catch a mix-up: famfs
 * code only ever handles orders and converts at this boundary.
 */
#if defined(HAVE_PAGE_ENTRY_SIZE)
typedef enum page_entry_size famfs_fault_size_t;

static inline unsigned int famfs_fault_order(famfs_fault_size_t pe_size)
{
	switch (pe_size) {
	case PE_SIZE_PMD:
		return PMD_SHIFT - PAGE_SHIFT;
	case PE_SIZE_PUD:
		return PUD_SHIFT - PAGE_SHIFT;
	default:
		return 0;
	}
}

static inline enum page_entry_size famfs_dax_fault_size(unsigned int order)
{
	if (order == PMD_SHIFT - PAGE_SHIFT)
		return PE_SIZE_PMD;
	if (order == PUD_SHIFT - PAGE_SHIFT)
		return PE_SIZE_PUD;
	return PE_SIZE_PTE;
}
#elif defined(HAVE_HUGE_FAULT_ORDER)
typedef unsigned int famfs_fault_size_t;

static inline unsigned int famfs_fault_order(famfs_fault_size_t order)
{
	return order;
}

static inline unsigned int famfs_dax_fault_size(unsigned int order)
{
	return order;
}
#else
#error "dax-compat: unknown fault size convention (probe group fault_size)"
#endif

/* pfn_t was removed (6.17-ish): dax_iomap_fault() hands back a plain pfn. */
#if defined(HAVE_DAX_PFN_ULONG)
typedef unsigned long famfs_pfn_t;
#elif defined(HAVE_DAX_PFN_T)
#include <linux/pfn_t.h>
typedef pfn_t famfs_pfn_t;
#else
#error "dax-compat: unknown dax_iomap_fault() pfn type (probe group dax_pfn)"
#endif

/**
 * famfs_dax_fault() - resolve a DAX page fault of the given size
 * @vmf:   the fault
 * @order: page order of the mapping wanted: 0 (PTE), PMD or PUD order
 * @ops:   iomap operations that translate file offsets to device offsets
 *
 * Context: the caller holds the file mapping's invalidate lock shared, so
 * that a device loss can wait for the fault (famfs_dax_revoke_mappings()).
 *
 * Return: a vm_fault_t (VM_FAULT_FALLBACK when a huge mapping is not
 * possible, VM_FAULT_SIGBUS on mapping errors), as dax_iomap_fault().
 */
static inline vm_fault_t famfs_dax_fault(struct vm_fault *vmf,
					 unsigned int order,
					 const struct iomap_ops *ops)
{
	struct inode *inode = file_inode(vmf->vma->vm_file);
	famfs_pfn_t pfn;
	vm_fault_t ret;

	lockdep_assert_held_read(&inode->i_mapping->invalidate_lock);
	memset(&pfn, 0, sizeof(pfn));
	ret = dax_iomap_fault(vmf, famfs_dax_fault_size(order), &pfn, NULL,
			      ops);
	/* Unreachable while famfs does not offer MAP_SYNC; kept for safety. */
	if (ret & VM_FAULT_NEEDDSYNC)
		ret = dax_finish_sync_fault(vmf, famfs_dax_fault_size(order),
					    pfn);
	return ret;
}

/*
 * 6.15: DAX pages are refcounted; wait until they are idle before evict.
 * Optional (nothing to wait for before); probe.sh requires it on kernels
 * without pfn_t, which all have the refcounting.
 */
static inline void famfs_dax_break_layout_final(struct inode *inode)
{
#ifdef HAVE_DAX_BREAK_LAYOUT_FINAL
	dax_break_layout_final(inode);
#endif
}

/**
 * famfs_dax_revoke_mappings() - unmap a live DAX file and drop its entries
 * @inode: a file whose mapping takes no new faults (the caller holds its
 *         invalidate lock and faults refuse to map)
 *
 * Unmaps every user mapping, waits until no page of the file is pinned
 * (uninterruptibly: the memory is about to go away), then deletes the DAX
 * entries while their struct pages still exist. 6.15+: the DAX core's
 * layout breaking does all of it. Before, an fs-dax page is idle at
 * refcount 1 and its last put wakes &page->_refcount; the DAX entries hold
 * no reference and a truncate deletes them.
 *
 * Context: the caller holds the invalidate lock exclusively (it waits for
 * the faults in flight, which hold it shared); may sleep.
 */
static inline void famfs_dax_revoke_mappings(struct inode *inode)
{
	struct page *page __maybe_unused;

	lockdep_assert_held_write(&inode->i_mapping->invalidate_lock);
#ifdef HAVE_DAX_BREAK_LAYOUT_FINAL
	dax_break_layout_final(inode);
#else
	while ((page = dax_layout_busy_page(inode->i_mapping)))
		wait_var_event(&page->_refcount, page_ref_count(page) == 1);
	truncate_inode_pages(inode->i_mapping, 0);
#endif
}

/*
 * Exclusive block device open. All variants return an ERR_PTR on failure
 * and claim the device for @holder (EBUSY if someone else holds it).
 */
#if defined(HAVE_BDEV_FILE_OPEN_BY_PATH)
/* 6.9+ */
typedef struct file *famfs_bdev_handle_t;

static inline famfs_bdev_handle_t famfs_bdev_open(const char *path,
						  void *holder)
{
	return bdev_file_open_by_path(path, BLK_OPEN_READ | BLK_OPEN_WRITE,
				      holder, NULL);
}

static inline struct block_device *famfs_bdev(famfs_bdev_handle_t h)
{
	return file_bdev(h);
}

static inline void famfs_bdev_close(famfs_bdev_handle_t h, void *holder)
{
	bdev_fput(h);
}
#elif defined(HAVE_BDEV_OPEN_BY_PATH)
/* 6.7, 6.8 (not in the tested matrix) */
typedef struct bdev_handle *famfs_bdev_handle_t;

static inline famfs_bdev_handle_t famfs_bdev_open(const char *path,
						  void *holder)
{
	return bdev_open_by_path(path, BLK_OPEN_READ | BLK_OPEN_WRITE,
				 holder, NULL);
}

static inline struct block_device *famfs_bdev(famfs_bdev_handle_t h)
{
	return h->bdev;
}

static inline void famfs_bdev_close(famfs_bdev_handle_t h, void *holder)
{
	bdev_release(h);
}
#elif defined(HAVE_BLKDEV_GET_BY_PATH_4ARG)
/* 6.5, 6.6 (not in the tested matrix) */
typedef struct block_device *famfs_bdev_handle_t;

static inline famfs_bdev_handle_t famfs_bdev_open(const char *path,
						  void *holder)
{
	return blkdev_get_by_path(path, BLK_OPEN_READ | BLK_OPEN_WRITE,
				  holder, NULL);
}

static inline struct block_device *famfs_bdev(famfs_bdev_handle_t h)
{
	return h;
}

static inline void famfs_bdev_close(famfs_bdev_handle_t h, void *holder)
{
	blkdev_put(h, holder);
}
#elif defined(HAVE_BLKDEV_GET_BY_PATH_3ARG)
/* up to 6.4 */
typedef struct block_device *famfs_bdev_handle_t;
#define FAMFS_BDEV_FMODE (FMODE_READ | FMODE_WRITE | FMODE_EXCL)

static inline famfs_bdev_handle_t famfs_bdev_open(const char *path,
						  void *holder)
{
	return blkdev_get_by_path(path, FAMFS_BDEV_FMODE, holder);
}

static inline struct block_device *famfs_bdev(famfs_bdev_handle_t h)
{
	return h;
}

static inline void famfs_bdev_close(famfs_bdev_handle_t h, void *holder)
{
	blkdev_put(h, FAMFS_BDEV_FMODE);
}
#else
#error "no known block device open API"
#endif

/*
 * fs-dax on character dax devices (/dev/daxX.Y bound to fsdev_dax) needs
 * fs_dax_get() and a dev_t -> dax_device lookup; both exist from the fsdev
 * series (7.x). Older kernels' device_dax has no dax_operations: fs-dax on
 * it would crash, so the char path is refused there.
 */
#if IS_ENABLED(CONFIG_DEV_DAX_FSDEV) && !defined(HAVE_FS_DAX_GET)
#error "dax-compat: the kernel builds fsdev_dax but the fs_dax_get probe failed"
#endif
#if defined(HAVE_FS_DAX_GET) && FAMFS_GROUP_DAX_LOOKUP != 1
#error "dax-compat: fs_dax_get() without a dax_device lookup (probe group dax_lookup)"
#endif

#if defined(HAVE_FS_DAX_GET)
#define FAMFS_FSDEV_SUPPORTED true

/*
 * Only call this for a dev_t proven to belong to a live dax-bus device:
 * dax_dev_get() fabricates a dax_device for unknown numbers.
 */
static inline struct dax_device *famfs_dax_find(dev_t devt)
{
#if defined(HAVE_DAX_DEV_FIND)
	return dax_dev_find(devt);
#elif defined(HAVE_DAX_DEV_GET)
	return dax_dev_get(devt);
#else
#error "dax-compat: no dax_device lookup (probe group dax_lookup)"
#endif
}

static inline int famfs_fs_dax_get(struct dax_device *dax_dev, void *holder,
				   const struct dax_holder_operations *ops)
{
	return fs_dax_get(dax_dev, holder, ops);
}
#else
#define FAMFS_FSDEV_SUPPORTED false

static inline struct dax_device *famfs_dax_find(dev_t devt)
{
	return NULL;
}

static inline int famfs_fs_dax_get(struct dax_device *dax_dev, void *holder,
				   const struct dax_holder_operations *ops)
{
	return -EOPNOTSUPP;
}
#endif

/*
 * dax_dev.c: the mount source's type and the backing device's size. Not a
 * kernel difference, but kernel internals (the driver model's kobject types,
 * a mount's nodev flags, fs_dax_get_by_bdev()'s holder semantics, the page
 * ranges of dax_direct_access()) kept out of module/. Each is documented at
 * its definition.
 */
bool famfs_path_nodev(const struct path *path);
struct device *famfs_cdev_dax_device(struct inode *inode);
int famfs_pmem_dax_get(struct block_device *bdev, u64 *start_off,
		       void *holder, const struct dax_holder_operations *ops,
		       struct dax_device **dax_devp);
u64 famfs_dax_dev_size(struct dax_device *dax_dev, struct block_device *bdev);

#endif /* FAMFS_DAX_COMPAT_H */
