/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Copyright (C) 2026 famfs contributors
 * famfs_ioctl.h - ioctl ABI of the famfs shared-memory file system
 *
 * The module and the user-space tools share this header. The layout and the
 * ioctl numbers are binary-compatible with the reference famfs user space in
 * standalone-module mode: KABI 42 ("v1") and KABI 43 ("v2").
 *
 * Fields the reference declares as C enums are __u32 here: same size and
 * offset on every Linux ABI, but no compiler-dependent width. Fields that
 * carry user pointers are __u64 (botching-up-ioctls.rst); the kernel refuses
 * 32-bit compat callers instead of translating them.
 *
 * All offsets and lengths are in bytes, relative to the start of the dax
 * device. Offsets and lengths of extents are multiples of 2 MiB.
 */
#ifndef _UAPI_LINUX_FAMFS_IOCTL_H
#define _UAPI_LINUX_FAMFS_IOCTL_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* Highest KABI this header describes; the module reports it read-only. */
#define FAMFS_KABI_VERSION		43

/* statfs(2) f_type of a mounted famfs (standalone module) */
#define FAMFS_STATFS_MAGIC		0x87b282fe

/* Limits of the ioctl payloads (not of the on-media log format) */
#define FAMFS_MAX_EXTENTS		2	/* simple extents per v1/v2 map */
#define FAMFS_MAX_STRIPS		16	/* strips per interleaved extent */
#define FAMFS_IOC_MAX_INTERLEAVED_EXTENTS 4	/* reference value; v2 caps at 2 */

/* enum famfs_file_type: what a mapped file is (fioc_file_type, file_type) */
#define FAMFS_REG			0	/* a regular data file */
#define FAMFS_SUPERBLOCK		1	/* .meta/.superblock: may map offset 0 */
#define FAMFS_LOG			2	/* .meta/.log */

/* enum famfs_ioc_ext_type: the kind of extent list (fioc_ext_type) */
#define FAMFS_IOC_EXT_SIMPLE		0
#define FAMFS_IOC_EXT_INTERLEAVE	1

/* v1 enum famfs_extent_type (famfs_ioc_map.extent_type) */
#define SIMPLE_DAX_EXTENT		0
#define INTERLEAVED_EXTENT		1

/**
 * struct famfs_ioc_simple_extent - one contiguous range of the dax device
 * @devindex: backing device index; must be 0 (one device per mount)
 * @offset:   byte offset in the device, 2 MiB aligned
 * @len:      length in bytes, a multiple of 2 MiB
 */
struct famfs_ioc_simple_extent {
	__u64 devindex;
	__u64 offset;
	__u64 len;
};

/**
 * struct famfs_ioc_interleaved_ext - data striped round-robin over strips
 * @ie_nstrips:    number of strips, 1..FAMFS_MAX_STRIPS
 * @ie_chunk_size: bytes per chunk, a multiple of 2 MiB; chunk n lives in
 *                 strip (n % nstrips) at stripe (n / nstrips)
 * @ie_nbytes:     bytes of file data this extent holds; a multiple of
 *                 @ie_chunk_size in every extent but the last
 * @ie_strips:     user pointer to @ie_nstrips simple extents
 */
struct famfs_ioc_interleaved_ext {
	__u64 ie_nstrips;
	__u64 ie_chunk_size;
	__u64 ie_nbytes;
	__u64 ie_strips;
};

/**
 * struct famfs_ioc_fmap - argument of FAMFSIOC_MAP_CREATE_V2 (KABI 43)
 * @fioc_file_size: file size in bytes, <= the bytes the extents hold
 * @fioc_file_type: FAMFS_REG, FAMFS_SUPERBLOCK or FAMFS_LOG
 * @fioc_ext_type:  FAMFS_IOC_EXT_SIMPLE or FAMFS_IOC_EXT_INTERLEAVE
 * @fioc_nextents:  simple: number of extents at @kse (1..FAMFS_MAX_EXTENTS)
 * @__pad0:         padding, must be zero (EINVAL otherwise)
 * @kse:            simple: user pointer to struct famfs_ioc_simple_extent[]
 * @fioc_niext:     interleaved: number of extents at @kie
 * @__pad1:         padding (the same bytes as @__pad0), must be zero
 * @kie:            interleaved: user pointer to famfs_ioc_interleaved_ext[]
 */
struct famfs_ioc_fmap {
	__u64 fioc_file_size;
	__u32 fioc_file_type;
	__u32 fioc_ext_type;
	union {
		struct {
			__u32 fioc_nextents;
			__u32 __pad0;
			__u64 kse;
		};
		struct {
			__u32 fioc_niext;
			__u32 __pad1;
			__u64 kie;
		};
	};
};

/**
 * struct famfs_ioc_get_fmap - reply of FAMFSIOC_MAP_GET_V2 (KABI 43)
 * @iocmap:     size, types and count; the pointers are zero
 * @ikse:       simple maps: the extents
 * @ks:         interleaved maps:
 * @ks.ikie:    the one interleaved extent (its @ie_strips is zero)
 * @ks.kie_strips: its strips
 */
struct famfs_ioc_get_fmap {
	struct famfs_ioc_fmap iocmap;
	union {
		struct famfs_ioc_simple_extent ikse[FAMFS_MAX_EXTENTS];
		struct {
			struct famfs_ioc_interleaved_ext ikie;
			struct famfs_ioc_simple_extent kie_strips[FAMFS_MAX_STRIPS];
		} ks;
	};
};

/**
 * struct famfs_extent - v1 (KABI 42) extent
 * @offset: byte offset in the device, 2 MiB aligned
 * @len:    bytes; a multiple of 2 MiB except in the last extent
 */
struct famfs_extent {
	__u64 offset;
	__u64 len;
};

/**
 * struct famfs_ioc_map - argument of FAMFSIOC_MAP_CREATE / MAP_GET (KABI 42)
 * @extent_type:    SIMPLE_DAX_EXTENT
 * @file_type:      FAMFS_REG, FAMFS_SUPERBLOCK or FAMFS_LOG
 * @file_size:      bytes, <= the sum of the extent lengths
 * @ext_list_count: extents used in @ext_list, 1..FAMFS_MAX_EXTENTS
 * @ext_list:       the extents
 */
struct famfs_ioc_map {
	__u32 extent_type;
	__u32 file_type;
	__u64 file_size;
	__u64 ext_list_count;
	struct famfs_extent ext_list[FAMFS_MAX_EXTENTS];
};

#define FAMFSIOC_MAGIC 'u'

/* KABI 42 (v1) */
#define FAMFSIOC_MAP_CREATE	_IOW(FAMFSIOC_MAGIC, 0x50, struct famfs_ioc_map)
#define FAMFSIOC_MAP_GET	_IOR(FAMFSIOC_MAGIC, 0x51, struct famfs_ioc_map)
/* Writes ext_list_count extents, although the number encodes only one. */
#define FAMFSIOC_MAP_GETEXT	_IOR(FAMFSIOC_MAGIC, 0x52, struct famfs_extent)
/* Succeeds on any famfs file: "is this file in famfs?" */
#define FAMFSIOC_NOP		_IO(FAMFSIOC_MAGIC, 0x53)

/* KABI 43 (v2) */
#define FAMFSIOC_MAP_CREATE_V2	_IOW(FAMFSIOC_MAGIC, 0x54, struct famfs_ioc_fmap)
#define FAMFSIOC_MAP_GET_V2	_IOR(FAMFSIOC_MAGIC, 0x55, struct famfs_ioc_get_fmap)

#endif /* _UAPI_LINUX_FAMFS_IOCTL_H */
