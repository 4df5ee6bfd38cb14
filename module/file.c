// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * famfs - shared-memory file system: read, write and mmap
 *
 * Error conventions (documented in module/README.md):
 *   - a file that has no map yet: read, write and mmap fail with EIO;
 *   - the device failed or the file's memory reported a failure: EIO, and
 *     faults on existing mappings raise SIGBUS;
 *   - files never grow: a write that starts at or past EOF fails with ENOSPC
 *     (like a block device), a write that crosses EOF is short.
 *
 * Locking: reads take the inode lock shared and writes exclusive, as
 * dax_iomap_rw() requires. A published map and the file size never change;
 * faults take the mapping's invalidate lock shared only so that a device
 * loss (dev.c) can wait for the faults in flight before it revokes the
 * mappings: a fault that gets the lock after the mount failed maps nothing.
 * The lock order (a write fault: mmap_lock or the per-VMA lock ->
 * sb_start_pagefault -> invalidate_lock -> DAX entry lock) is documented in
 * famfs_internal.h.
 */
#define pr_fmt(fmt) "famfs: " fmt

#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/uio.h>

#include "famfs_internal.h"

#define CREATE_TRACE_POINTS
#include "famfs_trace.h"

/**
 * famfs_file_check() - may this file's data be accessed?
 * @inode: a famfs regular file
 *
 * Return: 0 when the file is mapped and healthy; -EIO when it has no map
 * yet, or when its memory or the whole device reported a failure.
 */
int famfs_file_check(struct inode *inode)
{
	const struct famfs_fmap *map = famfs_inode_map(inode);

	if (!map || READ_ONCE(map->failed) ||
	    famfs_fs_failed(FAMFS_SB(inode->i_sb)) || !IS_DAX(inode))
		return -EIO;
	return 0;
}

static ssize_t famfs_file_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct inode *inode = file_inode(iocb->ki_filp);
	loff_t size;
	ssize_t ret;

	ret = famfs_file_check(inode);
	if (ret)
		return ret;

	size = i_size_read(inode);
	if (iocb->ki_pos >= size || !iov_iter_count(to))
		return 0;
	iov_iter_truncate(to, size - iocb->ki_pos);

	inode_lock_shared(inode);
	ret = dax_iomap_rw(iocb, to, &famfs_iomap_ops);
	inode_unlock_shared(inode);

	file_accessed(iocb->ki_filp);
	return ret;
}

static ssize_t famfs_file_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	struct file *file = iocb->ki_filp;
	struct inode *inode = file_inode(file);
	loff_t size;
	ssize_t ret;

	inode_lock(inode);
	ret = famfs_file_check(inode);
	if (ret)
		goto out_unlock;

	/* O_APPEND, RLIMIT_FSIZE, s_maxbytes; returns the byte count. */
	ret = generic_write_checks(iocb, from);
	if (ret <= 0)
		goto out_unlock;

	size = i_size_read(inode);
	if (iocb->ki_pos >= size) {
		ret = -ENOSPC;
		goto out_unlock;
	}
	iov_iter_truncate(from, size - iocb->ki_pos);

	ret = file_modified(file);
	if (ret)
		goto out_unlock;

	ret = dax_iomap_rw(iocb, from, &famfs_iomap_ops);
out_unlock:
	inode_unlock(inode);
	if (ret > 0)
		ret = generic_write_sync(iocb, ret);
	return ret;
}

static vm_fault_t famfs_fault(struct vm_fault *vmf, unsigned int order)
{
	struct file *file = vmf->vma->vm_file;
	struct inode *inode = file_inode(file);
	bool write = (vmf->flags & FAULT_FLAG_WRITE) &&
		     (vmf->vma->vm_flags & VM_SHARED);
	vm_fault_t ret;

	if (write) {
		sb_start_pagefault(inode->i_sb);
		file_update_time(file);
	}
	filemap_invalidate_lock_shared(inode->i_mapping);
	/* Checked on every fault: a failure also stops existing mappings. */
	if (famfs_file_check(inode))
		ret = VM_FAULT_SIGBUS;
	else
		ret = famfs_dax_fault(vmf, order, &famfs_iomap_ops);
	filemap_invalidate_unlock_shared(inode->i_mapping);
	if (write)
		sb_end_pagefault(inode->i_sb);

	trace_famfs_fault(inode, vmf, order, ret);
	return ret;
}

static vm_fault_t famfs_filemap_fault(struct vm_fault *vmf)
{
	return famfs_fault(vmf, 0);
}

static vm_fault_t famfs_huge_fault(struct vm_fault *vmf,
				   famfs_fault_size_t size)
{
	return famfs_fault(vmf, famfs_fault_order(size));
}

/* First write to a read-only mapped page (page_mkwrite, pfn_mkwrite). */
static vm_fault_t famfs_mkwrite(struct vm_fault *vmf)
{
	return famfs_fault(vmf, 0);
}

static const struct vm_operations_struct famfs_vm_ops = {
	.fault		= famfs_filemap_fault,
	.huge_fault	= famfs_huge_fault,
	.page_mkwrite	= famfs_mkwrite,
	.pfn_mkwrite	= famfs_mkwrite,
};

static int famfs_file_mmap(struct file *file, struct vm_area_struct *vma)
{
	int rc;

	rc = famfs_file_check(file_inode(file));
	if (rc)
		return rc;

	file_accessed(file);
	vma->vm_ops = &famfs_vm_ops;
	famfs_vma_set_hugepage(vma);
	return 0;
}

const struct file_operations famfs_file_operations = {
	.owner			= THIS_MODULE,
	.llseek			= generic_file_llseek,
	.read_iter		= famfs_file_read_iter,
	.write_iter		= famfs_file_write_iter,
	.unlocked_ioctl		= famfs_file_ioctl,
	/* no .compat_ioctl: 32-bit callers get ENOTTY (see ioctl.c) */
	.mmap			= famfs_file_mmap,
	/* 2 MiB-aligned user addresses, so faults can map PMDs */
	.get_unmapped_area	= thp_get_unmapped_area,
	.fsync			= noop_fsync,
	.splice_read		= FAMFS_SPLICE_READ,
	.splice_write		= iter_file_splice_write,
};
