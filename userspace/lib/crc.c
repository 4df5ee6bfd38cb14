// SPDX-License-Identifier: Apache-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * crc.c - the CRCs of the on-media format (zlib crc32, format.md §1, §3-§5)
 */
#include <zlib.h>

#include "libfamfs.h"

uint32_t famfs_crc32(uint32_t crc, const void *buf, size_t len)
{
	const Bytef *b = buf;

	/* zlib takes uInt lengths; feed large buffers in pieces */
	while (len > 0) {
		uInt n = len > 0x40000000u ? 0x40000000u : (uInt)len;

		crc = (uint32_t)crc32(crc, b, n);
		b += n;
		len -= n;
	}
	return crc;
}

/*
 * The reference folds the fields magic..system_uuid into the CRC one after
 * the other. They are contiguous with no padding (famfs_format.h asserts
 * the offsets), so one pass over bytes [0, 96) gives the same value.
 */
uint64_t famfs_sb_crc(const struct famfs_superblock *sb)
{
	return famfs_crc32(0, sb, FAMFS_SB_CRC_BYTES);
}

uint64_t famfs_log_hdr_crc(const struct famfs_log *log)
{
	return famfs_crc32(0, log, FAMFS_LOG_CRC_BYTES);
}

uint64_t famfs_entry_crc(const struct famfs_log_entry *e)
{
	return famfs_crc32(0, e, FAMFS_ENTRY_CRC_BYTES);
}
