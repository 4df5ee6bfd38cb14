/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Copyright (C) 2026 famfs contributors
 * famfs_format.h - the famfs on-media format (superblock version 48)
 *
 * Byte-for-byte compatible with the reference famfs user space on x86_64
 * (Documentation/format.md). Every field is a fixed-width little-endian
 * integer at its natural alignment; every size and offset is checked at
 * compile time at the end of this file, so a change that moves a byte
 * fails the build instead of corrupting a shared memory device.
 *
 * Layout of a famfs device (all offsets in bytes from the device start):
 *
 *   [0, 2 MiB)                     superblock (200 bytes) + zero padding
 *   [2 MiB, 2 MiB + log_len)       metadata log: 48-byte header, 544-byte slots
 *   [2 MiB + log_len, dev_size)    file data, in 2 MiB allocation units
 *
 * The fields are stored little-endian. This code reads and writes them as
 * host integers, which is only correct on little-endian hosts; the build
 * refuses a big-endian target rather than producing foreign images.
 */
#ifndef FAMFS_FORMAT_H
#define FAMFS_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "famfs on-media structures are little-endian; big-endian hosts are not supported"
#endif

#define FAMFS_SUPER_MAGIC		0x87b282ffULL
#define FAMFS_STATFS_MAGIC_V1		0x87b282feULL
#define FAMFS_LOG_MAGIC			0xbadcafef00dULL

#define FAMFS_VERSION_CURRENT		48	/* written by mkfs */
#define FAMFS_VERSION_MIN		47	/* oldest version we read */
#define FAMFS_OMF_VER_MAJOR		2
#define FAMFS_OMF_VER_MINOR		2

#define FAMFS_SUPERBLOCK_SIZE		0x200000ULL	/* 2 MiB region at 0 */
#define FAMFS_LOG_OFFSET		0x200000ULL
#define FAMFS_LOG_LEN_DEFAULT		0x800000ULL	/* 8 MiB */
#define FAMFS_LOG_LEN_MIN		0x800000ULL	/* power of 2, >= 8 MiB */
#define FAMFS_ALLOC_UNIT		0x200000ULL	/* 2 MiB */

#define FAMFS_MAX_PATHLEN		80	/* bytes incl. the NUL */
#define FAMFS_DEVNAME_LEN		64
#define FAMFS_MAX_SIMPLE_EXTENTS	16
#define FAMFS_MAX_INTERLEAVED_EXTENTS	1
#define FAMFS_MAX_NSTRIPS		16
#define FAMFS_SUPERBLOCK_MAX_DAXDEVS	1

/* ts_sb_flags (defined by the reference, unused) */
#define FAMFS_PRIMARY_SB		(1u << 0)
#define FAMFS_SECONDARY_SB		(1u << 1)

/* fm_flags */
#define FAMFS_FM_ALL_HOSTS_RO		1u
#define FAMFS_FM_ALL_HOSTS_RW		2u

/* famfs_log_entry.type */
enum famfs_log_entry_type {
	FAMFS_LOG_FILE		= 0,
	FAMFS_LOG_MKDIR		= 1,
	FAMFS_LOG_DELETE	= 2,	/* reserved: never written nor played */
	FAMFS_LOG_ADD_DAXDEV	= 3,	/* v48: multi-device roadmap, skipped */
	FAMFS_LOG_INVALID	= 4,
};

/* famfs_log_fmap.fmap_ext_type */
enum famfs_ext_type {
	FAMFS_EXT_SIMPLE	= 0,
	FAMFS_EXT_INTERLEAVE	= 1,
};

typedef uint8_t famfs_uuid_t[16];

/** struct famfs_daxdev - the device a file system lives on (88 bytes) */
struct famfs_daxdev {
	uint64_t dd_size;			/* device bytes */
	famfs_uuid_t dd_uuid;
	char dd_daxdev[FAMFS_DEVNAME_LEN];	/* path on the mkfs host */
};

/** struct famfs_superblock - at offset 0 (200 bytes, region 2 MiB) */
struct famfs_superblock {
	uint64_t ts_magic;		/* FAMFS_SUPER_MAGIC */
	uint64_t ts_version;		/* 47 or 48 */
	uint64_t ts_log_offset;		/* FAMFS_LOG_OFFSET */
	uint64_t ts_log_len;		/* bytes, power of 2, >= 8 MiB */
	uint64_t ts_alloc_unit;		/* FAMFS_ALLOC_UNIT */
	uint32_t ts_omf_ver_major;
	uint32_t ts_omf_ver_minor;
	famfs_uuid_t ts_uuid;		/* file system */
	famfs_uuid_t ts_dev_uuid;	/* device */
	famfs_uuid_t ts_system_uuid;	/* the master host */
	uint64_t ts_crc;		/* crc32 of bytes [0, 96) */
	uint32_t ts_sb_flags;
	uint32_t ts_pad0;
	struct famfs_daxdev ts_daxdev;	/* not covered by ts_crc */
};

/** struct famfs_simple_extent - one contiguous device range (24 bytes) */
struct famfs_simple_extent {
	uint64_t se_devindex;		/* 0: the only device */
	uint64_t se_offset;		/* bytes, 2 MiB aligned */
	uint64_t se_len;		/* bytes, multiple of 2 MiB */
};

/** struct famfs_interleaved_ext - strips filled round-robin (400 bytes) */
struct famfs_interleaved_ext {
	uint64_t ie_nstrips;		/* 1..16 */
	uint64_t ie_chunk_size;		/* bytes, multiple of 2 MiB */
	struct famfs_simple_extent ie_strips[FAMFS_MAX_NSTRIPS];
};

/** struct famfs_log_fmap - a file's extent map in the log (416 bytes) */
struct famfs_log_fmap {
	uint32_t fmap_ext_type;		/* enum famfs_ext_type */
	uint32_t fmap_pad0;
	union {
		struct {
			uint32_t fmap_nextents;
			uint32_t fmap_pad1;
			struct famfs_simple_extent se[FAMFS_MAX_SIMPLE_EXTENTS];
		};
		struct {
			uint32_t fmap_niext;
			uint32_t fmap_pad2;
			struct famfs_interleaved_ext ie[FAMFS_MAX_INTERLEAVED_EXTENTS];
		};
	};
};

/** struct famfs_log_file_meta - FAMFS_LOG_FILE payload (520 bytes) */
struct famfs_log_file_meta {
	uint64_t fm_size;		/* file bytes */
	uint32_t fm_flags;		/* FAMFS_FM_ALL_HOSTS_RW */
	uint32_t fm_uid;
	uint32_t fm_gid;
	uint32_t fm_mode;
	char fm_relpath[FAMFS_MAX_PATHLEN];	/* relative to the mount */
	struct famfs_log_fmap fm_fmap;
};

/** struct famfs_log_mkdir - FAMFS_LOG_MKDIR payload (92 bytes) */
struct famfs_log_mkdir {
	uint32_t md_uid;
	uint32_t md_gid;
	uint32_t md_mode;
	char md_relpath[FAMFS_MAX_PATHLEN];
};

/** struct famfs_log_daxdev - FAMFS_LOG_ADD_DAXDEV payload (32 bytes) */
struct famfs_log_daxdev {
	uint64_t dd_size;
	famfs_uuid_t dd_uuid;
	uint32_t dd_index;
	uint32_t dd_pad0;
};

/** struct famfs_log_entry - one log slot (544 bytes) */
struct famfs_log_entry {
	uint64_t seqnum;		/* == slot index */
	uint32_t type;			/* enum famfs_log_entry_type */
	uint32_t pad0;
	union {
		struct famfs_log_file_meta file;
		struct famfs_log_mkdir mkdir;
		struct famfs_log_daxdev daxdev;
	};
	uint64_t crc;			/* crc32 of bytes [0, 536) */
};

/** struct famfs_log - the log header at 2 MiB (48 bytes) + slots */
struct famfs_log {
	uint64_t magic;			/* FAMFS_LOG_MAGIC */
	uint64_t len;			/* log bytes incl. this header */
	uint64_t last_index;		/* (len - 48) / 544 - 1 */
	uint64_t crc;			/* crc32 of bytes [0, 24) */
	uint64_t next_seqnum;
	uint64_t next_index;		/* first free slot */
	struct famfs_log_entry entries[];
};

#define FAMFS_SB_CRC_BYTES	offsetof(struct famfs_superblock, ts_crc)
#define FAMFS_LOG_CRC_BYTES	offsetof(struct famfs_log, crc)
#define FAMFS_ENTRY_CRC_BYTES	offsetof(struct famfs_log_entry, crc)

/* Compile-time layout checks: sizes and offsets measured on the reference. */
#define FAMFS_LAYOUT(type, field, off) \
	_Static_assert(offsetof(type, field) == (off), #type "." #field)
#define FAMFS_SIZE(type, size) \
	_Static_assert(sizeof(type) == (size), "sizeof " #type)

FAMFS_SIZE(struct famfs_daxdev, 88);
FAMFS_SIZE(struct famfs_superblock, 200);
FAMFS_LAYOUT(struct famfs_superblock, ts_magic, 0);
FAMFS_LAYOUT(struct famfs_superblock, ts_version, 8);
FAMFS_LAYOUT(struct famfs_superblock, ts_log_offset, 16);
FAMFS_LAYOUT(struct famfs_superblock, ts_log_len, 24);
FAMFS_LAYOUT(struct famfs_superblock, ts_alloc_unit, 32);
FAMFS_LAYOUT(struct famfs_superblock, ts_omf_ver_major, 40);
FAMFS_LAYOUT(struct famfs_superblock, ts_omf_ver_minor, 44);
FAMFS_LAYOUT(struct famfs_superblock, ts_uuid, 48);
FAMFS_LAYOUT(struct famfs_superblock, ts_dev_uuid, 64);
FAMFS_LAYOUT(struct famfs_superblock, ts_system_uuid, 80);
FAMFS_LAYOUT(struct famfs_superblock, ts_crc, 96);
FAMFS_LAYOUT(struct famfs_superblock, ts_sb_flags, 104);
FAMFS_LAYOUT(struct famfs_superblock, ts_daxdev, 112);
FAMFS_LAYOUT(struct famfs_superblock, ts_daxdev.dd_size, 112);
FAMFS_LAYOUT(struct famfs_superblock, ts_daxdev.dd_uuid, 120);
FAMFS_LAYOUT(struct famfs_superblock, ts_daxdev.dd_daxdev, 136);

FAMFS_SIZE(struct famfs_simple_extent, 24);
FAMFS_SIZE(struct famfs_interleaved_ext, 400);
FAMFS_LAYOUT(struct famfs_interleaved_ext, ie_strips, 16);
FAMFS_SIZE(struct famfs_log_fmap, 416);
FAMFS_LAYOUT(struct famfs_log_fmap, fmap_ext_type, 0);
FAMFS_LAYOUT(struct famfs_log_fmap, fmap_nextents, 8);
FAMFS_LAYOUT(struct famfs_log_fmap, se, 16);
FAMFS_LAYOUT(struct famfs_log_fmap, fmap_niext, 8);
FAMFS_LAYOUT(struct famfs_log_fmap, ie, 16);

FAMFS_SIZE(struct famfs_log_file_meta, 520);
FAMFS_LAYOUT(struct famfs_log_file_meta, fm_size, 0);
FAMFS_LAYOUT(struct famfs_log_file_meta, fm_flags, 8);
FAMFS_LAYOUT(struct famfs_log_file_meta, fm_uid, 12);
FAMFS_LAYOUT(struct famfs_log_file_meta, fm_gid, 16);
FAMFS_LAYOUT(struct famfs_log_file_meta, fm_mode, 20);
FAMFS_LAYOUT(struct famfs_log_file_meta, fm_relpath, 24);
FAMFS_LAYOUT(struct famfs_log_file_meta, fm_fmap, 104);

FAMFS_SIZE(struct famfs_log_mkdir, 92);
FAMFS_LAYOUT(struct famfs_log_mkdir, md_uid, 0);
FAMFS_LAYOUT(struct famfs_log_mkdir, md_gid, 4);
FAMFS_LAYOUT(struct famfs_log_mkdir, md_mode, 8);
FAMFS_LAYOUT(struct famfs_log_mkdir, md_relpath, 12);
FAMFS_SIZE(struct famfs_log_daxdev, 32);

FAMFS_SIZE(struct famfs_log_entry, 544);
FAMFS_LAYOUT(struct famfs_log_entry, seqnum, 0);
FAMFS_LAYOUT(struct famfs_log_entry, type, 8);
FAMFS_LAYOUT(struct famfs_log_entry, file, 16);
FAMFS_LAYOUT(struct famfs_log_entry, mkdir, 16);
FAMFS_LAYOUT(struct famfs_log_entry, crc, 536);

FAMFS_SIZE(struct famfs_log, 48);
FAMFS_LAYOUT(struct famfs_log, magic, 0);
FAMFS_LAYOUT(struct famfs_log, len, 8);
FAMFS_LAYOUT(struct famfs_log, last_index, 16);
FAMFS_LAYOUT(struct famfs_log, crc, 24);
FAMFS_LAYOUT(struct famfs_log, next_seqnum, 32);
FAMFS_LAYOUT(struct famfs_log, next_index, 40);
FAMFS_LAYOUT(struct famfs_log, entries, 48);

#undef FAMFS_LAYOUT
#undef FAMFS_SIZE

/** famfs_log_nslots() - slots in a log of @log_len bytes (8 MiB -> 15420) */
static inline uint64_t famfs_log_nslots(uint64_t log_len)
{
	if (log_len < sizeof(struct famfs_log))
		return 0;
	return (log_len - sizeof(struct famfs_log)) /
		sizeof(struct famfs_log_entry);
}

#endif /* FAMFS_FORMAT_H */
