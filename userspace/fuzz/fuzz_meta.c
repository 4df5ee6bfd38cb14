// SPDX-License-Identifier: Apache-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * fuzz_meta.c - libFuzzer target over the on-media parser: superblock,
 * log header, entries and fmaps, through fsck (all passes), the replay
 * loop and the space accounting.
 *
 * Input: one flags byte, then the bytes of the superblock (200), the log
 * header (48) and the log slots (544 each), laid into a zeroed image of
 * 2 MiB + 8 MiB. Flags let the fuzzer get past the CRCs to the checks
 * behind them: bit 0 reseals the superblock CRC, bit 1 the log header
 * CRC, bit 2 every written entry's seqnum and CRC.
 *
 *   make fuzz FUZZ_SECONDS=30        (corpus: fuzz/corpus, kept in git)
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "libfamfs.h"

#define LOG_LEN		FAMFS_LOG_LEN_MIN
#define IMG_LEN		(FAMFS_LOG_OFFSET + LOG_LEN)
#define MAX_DEV		(1ULL << 40)	/* owner map: 2 MiB of RAM per TiB */

static uint8_t *img;
static struct famfs_fsck_result res;

static int mk(void *ctx, const char *rel, const struct famfs_log_mkdir *md,
	      bool client, struct famfs_problem *p)
{
	(void)ctx; (void)md; (void)client; (void)p;
	return strlen(rel) & 1 ? -EEXIST : 0;
}

static int mf(void *ctx, const char *rel, const struct famfs_log_file_meta *fm,
	      bool client, struct famfs_problem *p)
{
	(void)ctx; (void)client;
	if (fm->fm_size & 1)
		return famfs_problem_set(p, EIO, -1, NULL, "mock %s", rel);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct famfs_play_ops ops = { mk, mf, NULL, NULL };
	struct famfs_superblock *sb;
	struct famfs_play_stats st;
	struct famfs_problem p;
	struct famfs_log *log;
	struct famfs_meta m;
	struct famfs_space sp;
	uint8_t flags;
	size_t n;
	uint64_t i, nslots = famfs_log_nslots(LOG_LEN);

	if (size < 1)
		return 0;
	if (!img)
		img = calloc(1, IMG_LEN);	/* beyond the copied region: always 0 */
	memset(img, 0, FAMFS_LOG_OFFSET + sizeof(struct famfs_log) +
	       544 * 64 + 65536);
	flags = data[0];
	data++;
	size--;
	sb = (struct famfs_superblock *)img;
	log = (struct famfs_log *)(img + FAMFS_LOG_OFFSET);
	n = size < sizeof(*sb) ? size : sizeof(*sb);
	memcpy(sb, data, n);
	data += n;
	size -= n;
	if (size > IMG_LEN - FAMFS_LOG_OFFSET)
		size = IMG_LEN - FAMFS_LOG_OFFSET;
	if (size > sizeof(struct famfs_log) + 544 * 64 + 65536 - 64)
		size = sizeof(struct famfs_log) + 544 * 64 + 65536 - 64;
	memcpy(log, data, size);

	/* bound what the input may make us allocate, not what we parse */
	if (sb->ts_daxdev.dd_size > MAX_DEV)
		sb->ts_daxdev.dd_size = MAX_DEV;
	if (flags & 1)
		sb->ts_crc = famfs_sb_crc(sb);
	if (flags & 2)
		log->crc = famfs_log_hdr_crc(log);
	if (flags & 4) {
		for (i = 0; i < log->next_index && i < nslots && i < 64; i++) {
			log->entries[i].seqnum = i;
			log->entries[i].crc = famfs_entry_crc(&log->entries[i]);
		}
	}

	if (famfs_meta_from_buffer(&m, img, IMG_LEN, LOG_LEN, &p) < 0)
		return 0;
	famfs_fsck(&m, &res);
	if (res.sb_valid && res.log_valid && log->next_index <= 64) {
		famfs_logplay(&m, &ops, (flags & 8) ? FAMFS_PLAY_DRYRUN : 0,
			      NULL, &st, &p);
		famfs_space_get(&m, &sp, NULL);
	}
	famfs_meta_close(&m);
	return 0;
}
