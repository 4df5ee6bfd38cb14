// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * famfs - shared-memory file system: mount, superblock and module glue
 *
 * A famfs mount is an in-memory tree (like ramfs) over one DAX device. The
 * superblock is anonymous; the device is claimed exclusively for the mount's
 * lifetime and at most one famfs mount may use a device.
 *
 * mount -t famfs [-o mode=<octal>,dax=always] <device> <dir>
 *   <device> is a pmem block device in fsdax mode (/dev/pmemN) or, on kernels
 *   with the fsdev_dax driver, a character dax device bound to fsdev_dax
 *   (/dev/daxX.Y). Mounting needs CAP_SYS_ADMIN (VFS) and CAP_SYS_RAWIO.
 */
#define pr_fmt(fmt) "famfs: " fmt

#include <linux/capability.h>
#include <linux/fs_context.h>
#include <linux/fs_parser.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/statfs.h>

#include "famfs_internal.h"

static int famfs_kabi_version = FAMFS_KABI_VERSION;
module_param(famfs_kabi_version, int, 0444);
MODULE_PARM_DESC(famfs_kabi_version, "famfs ioctl ABI version (read-only)");

static int famfs_show_options(struct seq_file *m, struct dentry *root)
{
	struct famfs_fs_info *fsi = FAMFS_SB(root->d_sb);

	if (fsi->root_mode != FAMFS_DEFAULT_MODE)
		seq_printf(m, ",mode=%o", fsi->root_mode);
	return 0;
}

static const struct super_operations famfs_super_ops = {
	.statfs		= simple_statfs,
	.drop_inode	= FAMFS_DROP_INODE,
	.evict_inode	= famfs_evict_inode,
	.show_options	= famfs_show_options,
};

static int famfs_fill_super(struct super_block *sb, struct fs_context *fc)
{
	struct famfs_fs_info *fsi = FAMFS_SB(sb);
	struct inode *root;

	WRITE_ONCE(fsi->sb, sb);
	sb->s_maxbytes		= MAX_LFS_FILESIZE;
	sb->s_blocksize		= PAGE_SIZE;
	sb->s_blocksize_bits	= PAGE_SHIFT;
	sb->s_magic		= FAMFS_STATFS_MAGIC;
	sb->s_op		= &famfs_super_ops;
	sb->s_time_gran		= 1;

	root = famfs_get_inode(sb, FAMFS_NOP_IDMAP, NULL,
			       S_IFDIR | fsi->root_mode);
	sb->s_root = d_make_root(root);
	if (!sb->s_root)
		return -ENOMEM;
	return 0;
}

static int famfs_get_tree(struct fs_context *fc)
{
	struct famfs_fs_info *fsi = fc->s_fs_info;
	int rc;

	if (!capable(CAP_SYS_RAWIO)) {
		errorfc(fc, "mounting famfs requires CAP_SYS_RAWIO");
		return -EPERM;
	}
	if (!fc->source)
		return invalfc(fc, "no source device given");

	rc = famfs_dev_open(fsi, fc);
	if (rc)
		return rc;
	/*
	 * A new anonymous superblock: the device number of a character dax
	 * device must never be handed to the anonymous-bdev allocator, and
	 * one mount per device is enforced by famfs_dev_open().
	 */
	return get_tree_nodev(fc, famfs_fill_super);
}

enum famfs_param {
	FAMFS_OPT_MODE,
	FAMFS_OPT_DAX,
};

static const struct fs_parameter_spec famfs_fs_parameters[] = {
	fsparam_u32oct("mode",	FAMFS_OPT_MODE),
	fsparam_string("dax",	FAMFS_OPT_DAX),
	{}
};

static int famfs_parse_param(struct fs_context *fc, struct fs_parameter *param)
{
	struct famfs_fs_info *fsi = fc->s_fs_info;
	struct fs_parse_result result;
	int opt;

	/* Unknown keys return -ENOPARAM: the VFS handles "source", or fails. */
	opt = fs_parse(fc, famfs_fs_parameters, param, &result);
	if (opt < 0)
		return opt;

	switch (opt) {
	case FAMFS_OPT_MODE:
		fsi->root_mode = result.uint_32 & S_IALLUGO;
		fsi->mode_set = true;
		break;
	case FAMFS_OPT_DAX:
		/* Every mapped famfs file is DAX; "always" is the only mode. */
		if (strcmp(param->string, "always"))
			return invalfc(fc, "dax=%s: only dax=always is supported",
				       param->string);
		break;
	}
	return 0;
}

static void famfs_free_fc(struct fs_context *fc)
{
	struct famfs_fs_info *fsi = fc->s_fs_info;

	/* Still set when get_tree failed before a superblock took it over. */
	if (fsi) {
		famfs_dev_close(fsi);
		kfree(fsi);
	}
}

/*
 * Remount: mode= applies to the root directory (like a chmod), dax=always is
 * accepted, anything else was refused by famfs_parse_param(). The device
 * cannot change; a source given to a remount is ignored, as by every
 * file system.
 */
static int famfs_reconfigure(struct fs_context *fc)
{
	struct famfs_fs_info *req = fc->s_fs_info;
	struct super_block *sb = fc->root->d_sb;
	struct famfs_fs_info *fsi = FAMFS_SB(sb);
	struct inode *root = d_inode(sb->s_root);

	if (!req->mode_set)
		return 0;
	inode_lock(root);
	root->i_mode = (root->i_mode & S_IFMT) | req->root_mode;
	fsi->root_mode = req->root_mode;
	inode_unlock(root);
	return 0;
}

static const struct fs_context_operations famfs_context_ops = {
	.free		= famfs_free_fc,
	.parse_param	= famfs_parse_param,
	.get_tree	= famfs_get_tree,
	.reconfigure	= famfs_reconfigure,
};

static int famfs_init_fs_context(struct fs_context *fc)
{
	struct famfs_fs_info *fsi;

	fsi = kzalloc(sizeof(*fsi), GFP_KERNEL);
	if (!fsi)
		return -ENOMEM;
	fsi->root_mode = FAMFS_DEFAULT_MODE;
	INIT_LIST_HEAD(&fsi->claim_node);
	mutex_init(&fsi->range_lock);
	fsi->ranges = RB_ROOT_CACHED;
	spin_lock_init(&fsi->map_lock);
	INIT_LIST_HEAD(&fsi->maps);
	INIT_LIST_HEAD(&fsi->revoked);
	INIT_LIST_HEAD(&fsi->dying);
	init_waitqueue_head(&fsi->map_wq);
	ratelimit_state_init(&fsi->fail_rs, DEFAULT_RATELIMIT_INTERVAL,
			     DEFAULT_RATELIMIT_BURST);
	fc->s_fs_info = fsi;
	fc->ops = &famfs_context_ops;
	return 0;
}

static void famfs_kill_sb(struct super_block *sb)
{
	struct famfs_fs_info *fsi = FAMFS_SB(sb);

	/*
	 * No memory-failure callback may run on a dying superblock: stop
	 * being the dax holder first (waits for callbacks in flight). Nothing
	 * can fault or do I/O any more: no file is open.
	 */
	if (fsi)
		famfs_dev_detach(fsi);
	/* Evict every inode and free its map, then release the device. */
	famfs_kill_sb_anon(sb);
	if (fsi) {
		famfs_dev_close(fsi);
		kfree(fsi);
	}
}

static struct file_system_type famfs_fs_type = {
	.owner			= THIS_MODULE,
	.name			= "famfs",
	.init_fs_context	= famfs_init_fs_context,
	.parameters		= famfs_fs_parameters,
	.kill_sb		= famfs_kill_sb,
	.fs_flags		= FS_REQUIRES_DEV,
};
MODULE_ALIAS_FS("famfs");

/* The ioctl ABI is frozen: pin every size, offset and number. */
static void __init famfs_check_abi(void)
{
	BUILD_BUG_ON(sizeof(struct famfs_ioc_simple_extent) != 24);
	BUILD_BUG_ON(sizeof(struct famfs_ioc_interleaved_ext) != 32);
	BUILD_BUG_ON(sizeof(struct famfs_ioc_fmap) != 32);
	BUILD_BUG_ON(sizeof(struct famfs_ioc_get_fmap) != 448);
	BUILD_BUG_ON(sizeof(struct famfs_extent) != 16);
	BUILD_BUG_ON(sizeof(struct famfs_ioc_map) != 56);

	BUILD_BUG_ON(offsetof(struct famfs_ioc_simple_extent, offset) != 8);
	BUILD_BUG_ON(offsetof(struct famfs_ioc_simple_extent, len) != 16);
	BUILD_BUG_ON(offsetof(struct famfs_ioc_interleaved_ext,
			      ie_chunk_size) != 8);
	BUILD_BUG_ON(offsetof(struct famfs_ioc_interleaved_ext,
			      ie_nbytes) != 16);
	BUILD_BUG_ON(offsetof(struct famfs_ioc_interleaved_ext,
			      ie_strips) != 24);
	BUILD_BUG_ON(offsetof(struct famfs_ioc_fmap, fioc_file_type) != 8);
	BUILD_BUG_ON(offsetof(struct famfs_ioc_fmap, fioc_ext_type) != 12);
	BUILD_BUG_ON(offsetof(struct famfs_ioc_fmap, fioc_nextents) != 16);
	BUILD_BUG_ON(offsetof(struct famfs_ioc_fmap, kse) != 24);
	BUILD_BUG_ON(offsetof(struct famfs_ioc_fmap, fioc_niext) != 16);
	BUILD_BUG_ON(offsetof(struct famfs_ioc_fmap, kie) != 24);
	BUILD_BUG_ON(offsetof(struct famfs_ioc_get_fmap, ikse) != 32);
	BUILD_BUG_ON(offsetof(struct famfs_ioc_get_fmap, ks.ikie) != 32);
	BUILD_BUG_ON(offsetof(struct famfs_ioc_get_fmap, ks.kie_strips) != 64);
	BUILD_BUG_ON(offsetof(struct famfs_ioc_map, file_type) != 4);
	BUILD_BUG_ON(offsetof(struct famfs_ioc_map, file_size) != 8);
	BUILD_BUG_ON(offsetof(struct famfs_ioc_map, ext_list_count) != 16);
	BUILD_BUG_ON(offsetof(struct famfs_ioc_map, ext_list) != 24);

	BUILD_BUG_ON(FAMFSIOC_MAP_CREATE != 0x40387550);
	BUILD_BUG_ON(FAMFSIOC_MAP_GET != 0x80387551);
	BUILD_BUG_ON(FAMFSIOC_MAP_GETEXT != 0x80107552);
	BUILD_BUG_ON(FAMFSIOC_NOP != 0x00007553);
	BUILD_BUG_ON(FAMFSIOC_MAP_CREATE_V2 != 0x40207554);
	BUILD_BUG_ON(FAMFSIOC_MAP_GET_V2 != 0x81c07555);
}

static int __init famfs_init(void)
{
	int rc;

	famfs_check_abi();
	rc = famfs_fmap_cache_init();
	if (rc)
		return rc;
	rc = register_filesystem(&famfs_fs_type);
	if (rc == -EBUSY)
		pr_err("a file system type \"famfs\" is already registered (the in-kernel famfs, or another famfs module): unload it first\n");
	else if (rc)
		pr_err("cannot register file system type famfs: %d\n", rc);
	if (rc)
		famfs_fmap_cache_exit();
	return rc;
}

/*
 * A mounted famfs holds a reference on this module (file_system_type.owner),
 * so the module cannot go away under a mount: rmmod fails with EBUSY.
 */
static void __exit famfs_exit(void)
{
	unregister_filesystem(&famfs_fs_type);
	famfs_dev_exit();
	famfs_fmap_cache_exit();
}

module_init(famfs_init);
module_exit(famfs_exit);

MODULE_DESCRIPTION("famfs: shared fabric-attached memory file system");
MODULE_LICENSE("GPL");
