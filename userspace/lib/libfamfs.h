/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Copyright (C) 2026 famfs contributors
 * libfamfs.h - the famfs user-space library
 *
 * One library under mkfs.famfs and famfs. Everything above the "kernel glue"
 * section works on a memory-backed image (a regular file or a heap buffer)
 * without root and without the kernel module, which is how the unit tests
 * exercise it.
 *
 * Conventions:
 *  - functions return 0 or a negative errno; where a caller needs to tell
 *    the user *what* is wrong they also fill a struct famfs_problem (which
 *    log entry, which field, a sentence) when one is passed (it may be NULL);
 *  - offsets and lengths are bytes unless a name says "units" (2 MiB
 *    allocation units);
 *  - "format.md §x" is Documentation/format.md (installed in
 *    /usr/share/doc/famfs/), the on-media format specification; ioctl.md
 *    (kernel ABI) and admin.md (administration) are beside it.
 */
#ifndef LIBFAMFS_H
#define LIBFAMFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "famfs_format.h"

#define FAMFS_SYSTEM_UUID_PATH	"/opt/famfs/system_uuid"
#define FAMFS_META_DIR		".meta"
#define FAMFS_SB_PATH		".meta/.superblock"
#define FAMFS_LOG_PATH		".meta/.log"
#define FAMFS_ALLOC_CFG_PATH	".meta/.alloc.cfg"

/* ---------------------------------------------------------------- problems */

/**
 * struct famfs_problem - what is wrong, precisely enough to act on
 * @err:   positive errno value (EINVAL, EBADMSG for a CRC, ENOSPC, ...)
 * @index: log entry index at fault, or -1 when no entry is involved
 * @field: on-media field name at fault ("ts_crc", "fm_relpath"), or ""
 * @msg:   one sentence, no trailing newline
 */
struct famfs_problem {
	int err;
	int64_t index;
	char field[32];
	char msg[256];
};

/** famfs_problem_set() - fill @p (if not NULL); returns -@err for chaining */
int famfs_problem_set(struct famfs_problem *p, int err, int64_t index,
		      const char *field, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/** famfs_problem_str() - "log entry 12: fm_relpath: <msg>" into @buf */
const char *famfs_problem_str(const struct famfs_problem *p, char *buf,
			      size_t len);

/* --------------------------------------------------------------------- crc */

/** famfs_crc32() - zlib crc32 continuing from @crc (start with 0) */
uint32_t famfs_crc32(uint32_t crc, const void *buf, size_t len);
/** famfs_sb_crc() - crc of superblock bytes [0, 96) (format.md §3) */
uint64_t famfs_sb_crc(const struct famfs_superblock *sb);
/** famfs_log_hdr_crc() - crc of magic, len, last_index (format.md §4) */
uint64_t famfs_log_hdr_crc(const struct famfs_log *log);
/** famfs_entry_crc() - crc of entry bytes [0, 536) (format.md §5) */
uint64_t famfs_entry_crc(const struct famfs_log_entry *e);

/* ------------------------------------------------------------------ format */

/**
 * struct famfs_geom - where data may live, from a checked superblock
 * @dev_size:   device bytes (ts_daxdev.dd_size)
 * @data_start: first data byte: log offset + log length
 */
struct famfs_geom {
	uint64_t dev_size;
	uint64_t data_start;
};

/**
 * struct famfs_mkfs_params - what mkfs writes
 * @dev_size:    device bytes; must hold sb + log + one 2 MiB unit
 * @log_len:     log bytes: power of 2, >= 8 MiB (0 = 8 MiB)
 * @devname:     device path stored in dd_daxdev (truncated to 63 bytes:
 *               informational only)
 * @system_uuid: the master host's UUID (ts_system_uuid)
 */
struct famfs_mkfs_params {
	uint64_t dev_size;
	uint64_t log_len;
	const char *devname;
	famfs_uuid_t system_uuid;
};

/** famfs_log_len_check() - format.md §2's log length rule; else -EINVAL */
int famfs_log_len_check(uint64_t log_len, struct famfs_problem *p);
/** famfs_min_dev_size() - bytes a device needs for @log_len: sb+log+2 MiB */
uint64_t famfs_min_dev_size(uint64_t log_len);
/**
 * famfs_sb_init() - build a version-48 superblock in @sb (200 bytes,
 * zeroed first) with fresh random fs and device UUIDs and its CRC.
 * Errors: -EINVAL bad log length, -ENOSPC device too small.
 */
int famfs_sb_init(struct famfs_superblock *sb,
		  const struct famfs_mkfs_params *mp, struct famfs_problem *p);
/**
 * famfs_sb_check() - validate magic, version (47 or 48), CRC, log offset,
 * log length and alloc unit. Errors: -ENODATA no famfs magic, -EPROTO
 * unsupported version, -EBADMSG CRC mismatch, -EINVAL a bad field.
 */
int famfs_sb_check(const struct famfs_superblock *sb, struct famfs_problem *p);
/** famfs_sb_geom() - fill @g from a checked superblock */
void famfs_sb_geom(const struct famfs_superblock *sb, struct famfs_geom *g);
/** famfs_log_init() - write an empty log header for a @log_len-byte log */
void famfs_log_init(struct famfs_log *log, uint64_t log_len);
/**
 * famfs_log_check() - validate the log header: magic, CRC, len == @log_len
 * (the superblock's), last_index, next_index <= capacity, next_seqnum.
 * Errors: -ENODATA bad magic, -EBADMSG CRC, -EINVAL a bad field.
 */
int famfs_log_check(const struct famfs_log *log, uint64_t log_len,
		    struct famfs_problem *p);
/**
 * famfs_relpath_check() - a logged path: NUL within @fieldlen bytes,
 * non-empty, relative, no "." or ".." component, no empty component.
 * Errors: -ENAMETOOLONG, -EINVAL.
 */
int famfs_relpath_check(const char *rel, size_t fieldlen, int64_t index,
			const char *field, struct famfs_problem *p);
/**
 * famfs_fmap_check() - a FILE entry's extent map: type, counts, devindex 0,
 * 2 MiB alignment, capacity >= fm_size, and (if @g) every extent inside
 * [data_start, dev_size). Errors: -EINVAL, -ERANGE (outside the device).
 */
int famfs_fmap_check(const struct famfs_log_file_meta *fm, int64_t index,
		     const struct famfs_geom *g, struct famfs_problem *p);
/**
 * famfs_entry_check() - one log slot: seqnum == @index, CRC, type, payload.
 * Errors: -EBADMSG CRC, -EILSEQ seqnum, -EINVAL/-ERANGE/-ENAMETOOLONG
 * payload (see the checks above).
 */
int famfs_entry_check(const struct famfs_log_entry *e, uint64_t index,
		      const struct famfs_geom *g, struct famfs_problem *p);
/**
 * famfs_entry_payload_check() - famfs_entry_check() without CRC and
 * seqnum (an entry not written yet): type, path syntax, map structure,
 * and with @g every extent inside [data_start, dev_size). @ix is the
 * index reported in @p (-1: none). Errors as famfs_entry_check().
 */
int famfs_entry_payload_check(const struct famfs_log_entry *e, int64_t ix,
			      const struct famfs_geom *g,
			      struct famfs_problem *p);
/** famfs_fmap_capacity() - bytes the map's extents hold */
uint64_t famfs_fmap_capacity(const struct famfs_log_fmap *fm);

/* ------------------------------------------------------------------- flush */

enum famfs_flush_mode {
	FAMFS_FLUSH_NONE,	/* heap buffer: nothing to do (tests) */
	FAMFS_FLUSH_MSYNC,	/* mmap of a regular file: msync the pages */
	FAMFS_FLUSH_CPU,	/* DAX mapping: clwb/clflushopt/clflush + sfence */
};

/** famfs_cpu_writeback() - write lines of [addr, addr+len) back to memory */
void famfs_cpu_writeback(const void *addr, size_t len);
/** famfs_cpu_invalidate() - flush and drop lines so the next read refetches */
void famfs_cpu_invalidate(const void *addr, size_t len);
/** famfs_cpu_flush_insn() - "clwb", "clflushopt", "clflush" or "none" */
const char *famfs_cpu_flush_insn(void);

/* ------------------------------------------------------------ crash points */

/**
 * famfs_crash_hook_fn - called at every crash point (crashpoint.c):
 * @point is "append:entry-copied" (a store just happened) or "flush"
 * (famfs_meta_flush() just made [@addr, @addr + @len) visible/durable;
 * @addr is NULL and @len 0 for store points). A test hook may _exit()
 * there to play a killed writer, or keep the flushed bytes to play a
 * power cut. tests/test_crash.c lists every point.
 */
typedef void (*famfs_crash_hook_fn)(void *ctx, const char *point,
				    const void *addr, size_t len);
/** famfs_crash_hook_set() - install @fn (NULL: none, the default) */
void famfs_crash_hook_set(famfs_crash_hook_fn fn, void *ctx);
/** famfs_crash_point() - a store to shared metadata just happened */
void famfs_crash_point(const char *point);
/** famfs_crash_flush() - famfs_meta_flush() just flushed this range */
void famfs_crash_flush(const void *addr, size_t len);

/* -------------------------------------------------------------------- meta */

/**
 * struct famfs_meta - an open superblock + log, wherever they live
 * @sb, @log:   the mapped structures
 * @log_len:    bytes of the log mapping
 * @flush:      how writes are made durable/visible
 * @flushed_bytes: bytes passed to famfs_meta_flush() (tests count them)
 * @dev_size:   bytes of the real device (image file size, or the size of
 *              the device a mount was made from); 0 = unknown, and then
 *              the superblock's dd_size is all there is to go by
 * @invalidate_hook, @hook_ctx: called by famfs_meta_invalidate() after
 *              the cache instructions; NULL in production. The unit tests
 *              use it to simulate a host whose cache holds stale lines.
 * @ix:         the index of the log (famfs_meta_index()), built on first
 *              use and freed by famfs_meta_close()
 * @mnt:        mount point when opened through .meta files, else ""
 */
struct famfs_log_index;
struct famfs_meta {
	struct famfs_superblock *sb;
	struct famfs_log *log;
	uint64_t log_len;
	enum famfs_flush_mode flush;
	uint64_t flushed_bytes;
	uint64_t dev_size;
	void (*invalidate_hook)(void *ctx, const void *addr, size_t len);
	void *hook_ctx;
	struct famfs_log_index *ix;
	bool writable;
	int sb_fd, log_fd, img_fd;
	void *sb_map, *log_map, *img_map;
	size_t sb_map_len, log_map_len, img_map_len;
	char mnt[4096];
};

#define FAMFS_META_WRITE	(1u << 0)	/* map for writing */
#define FAMFS_META_LOCK		(1u << 1)	/* flock(LOCK_EX) the log */
#define FAMFS_META_NOCHECK	(1u << 2)	/* do not validate sb/log */
#define FAMFS_META_SB_WRITE	(1u << 3)	/* also map the superblock
						 * writable (mkfs, kill) */

/**
 * famfs_meta_from_buffer() - use a heap buffer holding an image from offset
 * 0 (at least 2 MiB + log_len bytes). @log_len 0 = take it from the
 * superblock (which must then be valid). Nothing is freed on close.
 */
int famfs_meta_from_buffer(struct famfs_meta *m, void *buf, size_t buflen,
			   uint64_t log_len, struct famfs_problem *p);
/**
 * famfs_meta_open_image() - mmap [0, 2 MiB + log_len) of a regular file
 * (an image). @log_len as above. Flush mode: msync. With
 * FAMFS_META_NOCHECK and @log_len 0 (fsck), an invalid superblock or an
 * image too short for its log is still opened: the log mapping is what
 * the file holds (m->log_len < ts_log_len), for fsck to report.
 */
int famfs_meta_open_image(struct famfs_meta *m, const char *path,
			  unsigned int flags, uint64_t log_len,
			  struct famfs_problem *p);
/**
 * famfs_meta_open_mount() - mmap MNT/.meta/.superblock and MNT/.meta/.log.
 * With FAMFS_META_LOCK the log fd is flock(LOCK_EX)ed (blocking) until
 * famfs_meta_close() (format.md §9). Flush mode: CPU cache instructions.
 */
int famfs_meta_open_mount(struct famfs_meta *m, const char *mnt,
			  unsigned int flags, struct famfs_problem *p);
/** famfs_meta_flush() - make [addr, addr+len) of the mapping visible */
void famfs_meta_flush(struct famfs_meta *m, const void *addr, size_t len);
/**
 * famfs_meta_invalidate() - before parsing [addr, addr+len) of the
 * metadata: drop the CPU cache lines another host's writes may have made
 * stale (DAX mappings; a no-op for images, whose page cache is coherent),
 * then call m->invalidate_hook. Every reader calls it for the superblock,
 * the log header and each entry it parses.
 */
void famfs_meta_invalidate(const struct famfs_meta *m, const void *addr,
			   size_t len);
/**
 * famfs_sb_dev_check() - the superblock's device size (dd_size, outside
 * its CRC) against @dev_size, the real device's (0 = unknown: passes).
 * Errors: -EUCLEAN with both sizes in @p (field "dd_size").
 */
int famfs_sb_dev_check(const struct famfs_superblock *sb, uint64_t dev_size,
		       struct famfs_problem *p);
/** famfs_meta_close() - unmap, unlock, close; safe after any famfs_meta_* open, failed or not */
void famfs_meta_close(struct famfs_meta *m);

/* --------------------------------------------------------------------- log */

/**
 * famfs_log_entry_get() - slot @index if it is a valid, written entry.
 * Errors: -ENOENT index >= next_index, plus famfs_entry_check()'s.
 */
int famfs_log_entry_get(const struct famfs_log *log, uint64_t index,
			const struct famfs_geom *g,
			const struct famfs_log_entry **ep,
			struct famfs_problem *p);
/**
 * famfs_log_append() - copy @e (built zero-initialised; seqnum and crc are
 * set here) into the next slot, flush that slot's cache lines, then bump
 * next_index/next_seqnum and flush the header's line. Only the lines
 * written are flushed (never the whole log). Returns the slot index
 * (>= 0). Errors: -ENOSPC log full, -EROFS meta not writable.
 */
int64_t famfs_log_append(struct famfs_meta *m, const struct famfs_log_entry *e,
			 struct famfs_problem *p);
/**
 * famfs_entry_file() - build a FILE entry: size, mode, uid, gid, relative
 * path and simple extents (@n in 1..16). Errors: -ENAMETOOLONG, -EINVAL.
 */
int famfs_entry_file(struct famfs_log_entry *e, const char *rel,
		     uint64_t size, uint32_t mode, uint32_t uid, uint32_t gid,
		     const struct famfs_simple_extent *ext, unsigned int n,
		     struct famfs_problem *p);
/**
 * famfs_entry_file_fmap() - build a FILE entry with any extent map (simple
 * or interleaved) in @fm, copied as is. Errors: -ENAMETOOLONG, -EINVAL.
 */
int famfs_entry_file_fmap(struct famfs_log_entry *e, const char *rel,
			  uint64_t size, uint32_t mode, uint32_t uid,
			  uint32_t gid, const struct famfs_log_fmap *fm,
			  struct famfs_problem *p);
/** famfs_entry_mkdir() - build a MKDIR entry. Errors as above. */
int famfs_entry_mkdir(struct famfs_log_entry *e, const char *rel,
		      uint32_t mode, uint32_t uid, uint32_t gid,
		      struct famfs_problem *p);

/* ------------------------------------------------------------------- alloc */

/**
 * struct famfs_bitmap - one bit per 2 MiB unit of the device (format.md §7)
 * @nbits: units on the device (dev_size / 2 MiB, rounded down)
 * @cursor: first unit the next first-fit search looks at
 */
struct famfs_bitmap {
	uint64_t nbits;
	uint64_t *words;
	uint64_t cursor;
	uint64_t reserved_units;	/* superblock + log */
};

/** struct famfs_alloc_stats - what a bitmap build found */
struct famfs_alloc_stats {
	uint64_t files, dirs, other;	/* entries by type */
	uint64_t bad_entries;		/* not played: skipped, or the end */
	uint64_t collisions;		/* units claimed by two extents */
	uint64_t used_units;		/* incl. superblock + log */
	uint64_t file_bytes;		/* sum of fm_size */
};

/** called once per collision or skipped bad entry found by the build */
typedef void (*famfs_alloc_report_fn)(void *ctx, const struct famfs_problem *p);

/** famfs_bitmap_init() - empty bitmap for @dev_size bytes; -ENOMEM */
int famfs_bitmap_init(struct famfs_bitmap *bm, uint64_t dev_size);
/** famfs_bitmap_copy() - @dst becomes a copy of @src (its own words); -ENOMEM */
int famfs_bitmap_copy(struct famfs_bitmap *dst, const struct famfs_bitmap *src);
/**
 * famfs_size_units() - 2 MiB units a @size-byte file occupies: ceil(size /
 * 2 MiB), at least one (an empty file gets one unit). Never wraps: for
 * UINT64_MAX it is 2^43.
 */
uint64_t famfs_size_units(uint64_t size);
void famfs_bitmap_free(struct famfs_bitmap *bm);
/**
 * famfs_bitmap_mark() - set the units of [off, off+len) (len rounded up to
 * 2 MiB); returns how many were already set (collisions), or -ERANGE if the
 * range leaves the device (nothing is set then).
 */
int64_t famfs_bitmap_mark(struct famfs_bitmap *bm, uint64_t off, uint64_t len);
bool famfs_bitmap_test(const struct famfs_bitmap *bm, uint64_t unit);
/**
 * famfs_bitmap_build() - reserve sb + log, then mark every extent of every
 * FILE entry replay plays or skips (famfs_log_index_build(), up to the
 * entry replay ends at; extents clipped to the device). Collisions are
 * counted in @st; skipped and ending entries are counted in
 * st->bad_entries and reported through @fn (may be NULL). A view of an
 * in-memory sb and log: readers of a mapped device use
 * famfs_log_index_build() on their famfs_meta (cache invalidation, the
 * real device size). Errors: -ENOMEM.
 */
int famfs_bitmap_build(struct famfs_bitmap *bm,
		       const struct famfs_superblock *sb,
		       const struct famfs_log *log,
		       famfs_alloc_report_fn fn, void *ctx,
		       struct famfs_alloc_stats *st);
/**
 * famfs_alloc_contig() - first fit of one contiguous run of
 * famfs_size_units(@size) units; marks it and returns its byte offset in
 * @off and rounded length in @len. Errors: -ENOSPC no run fits (any
 * @size, up to UINT64_MAX, without overflow).
 */
int famfs_alloc_contig(struct famfs_bitmap *bm, uint64_t size,
		       uint64_t *off, uint64_t *len);

/**
 * famfs_alloc_in() - first fit of @need units (0 = 1) inside units
 * [@lo, @hi); marks them and returns the first unit in @unit.
 * Errors: -ENOSPC.
 */
int famfs_alloc_in(struct famfs_bitmap *bm, uint64_t lo, uint64_t hi,
		   uint64_t need, uint64_t *unit);
/** famfs_bitmap_clear() - free the units of [off, off+len) (undo) */
void famfs_bitmap_clear(struct famfs_bitmap *bm, uint64_t off, uint64_t len);

/**
 * struct famfs_space - what df reports; bytes, in 2 MiB units
 * @total_bytes:    device, rounded down to 2 MiB
 * @reserved_bytes: superblock + log
 * @used_bytes:     reserved + every allocated unit
 * @free_bytes:     total - used
 * @largest_free:   the largest contiguous free run (the biggest file that
 *                  still fits contiguously)
 * @free_runs:      number of free runs (fragmentation)
 */
struct famfs_space {
	uint64_t total_bytes, reserved_bytes, used_bytes, free_bytes;
	uint64_t largest_free, free_runs;
};

/** famfs_bitmap_space() - df numbers of a built bitmap */
void famfs_bitmap_space(const struct famfs_bitmap *bm, struct famfs_space *sp);

/**
 * struct famfs_bucket_stat - one of fsck -B's equal buckets, in bytes
 * (the same buckets interleaved allocation uses: the last one also gets
 * the units left over by the division)
 * @start, @size:  where the bucket lies on the device
 * @used_bytes:    allocated units (incl. superblock and log)
 * @free_bytes:    free units
 * @largest_free:  the largest free run inside the bucket
 * @free_runs:     free runs inside the bucket (fragments)
 */
struct famfs_bucket_stat {
	uint64_t start, size, used_bytes, free_bytes, largest_free, free_runs;
};

/**
 * famfs_bitmap_buckets() - cut the device of @bm into @nbuckets equal
 * buckets (at least one, at most one per 2 MiB unit) and fill
 * @out[0..nbuckets-1]. Errors: -EINVAL.
 */
int famfs_bitmap_buckets(const struct famfs_bitmap *bm, uint32_t nbuckets,
			 struct famfs_bucket_stat *out);

#define FAMFS_MAX_NBUCKETS	64

/**
 * struct famfs_interleave - striped allocation parameters (format.md §7)
 * @nbuckets: the device is cut into this many equal buckets (<= 64)
 * @nstrips:  strips per file, each in a different bucket (1..16, <= nbuckets)
 * @chunk:    bytes per chunk: a power of two, multiple of 2 MiB
 */
struct famfs_interleave {
	uint32_t nbuckets, nstrips;
	uint64_t chunk;
};

/** famfs_interleave_check() - the rules above for a @dev_size device; -EINVAL */
int famfs_interleave_check(const struct famfs_interleave *il,
			   uint64_t dev_size, struct famfs_problem *p);
/**
 * famfs_alloc_interleave() - one strip of ceil(@size / (nstrips * chunk))
 * chunks in each of nstrips buckets, visited in an order drawn from
 * *@seed (updated); fills @fm with one interleaved extent. All or
 * nothing; no arithmetic on @size wraps. Errors: -ENOSPC fewer than
 * nstrips buckets have room (or a strip larger than the device), -EINVAL.
 */
int famfs_alloc_interleave(struct famfs_bitmap *bm, uint64_t size,
			   const struct famfs_interleave *il, uint32_t *seed,
			   struct famfs_log_fmap *fm);

#define FAMFS_ALLOC_CFG_MAX	65536	/* bytes of .alloc.cfg read */

/**
 * famfs_alloc_cfg_parse() - the default interleaving from the YAML text of
 * a .meta/.alloc.cfg: "interleaved_alloc:" with nbuckets, nstrips and
 * chunk_size (block or flow mapping; K/M/G suffixes). Fields not given
 * stay 0 (the caller applies the command-line defaults and
 * famfs_interleave_check()). Returns 1 if it sets nstrips > 0, 0 if there
 * is no interleaved_alloc section (or nstrips is 0), -EINVAL with the line
 * number in @p->index and the key in @p->field, -ENOMEM.
 */
int famfs_alloc_cfg_parse(const char *text, size_t len,
			  struct famfs_interleave *il, struct famfs_problem *p);
/**
 * famfs_alloc_cfg_read() - famfs_alloc_cfg_parse() of @mnt's
 * FAMFS_ALLOC_CFG_PATH; 0 if there is no such file. Errors: the parse's,
 * -EFBIG (over FAMFS_ALLOC_CFG_MAX), open/read errors; @p names the file.
 */
int famfs_alloc_cfg_read(const char *mnt, struct famfs_interleave *il,
			 struct famfs_problem *p);

/* -------------------------------------------------------------------- path */

/**
 * famfs_relpath_make() - path of @abs relative to mount point @mnt (both
 * absolute and canonical: no "." / ".." / "//"), written to @rel (80
 * bytes). Errors: -EXDEV @abs not below @mnt, -EINVAL @abs is @mnt or a
 * meta file, -ENAMETOOLONG the result does not fit 79 bytes + NUL.
 */
int famfs_relpath_make(const char *mnt, const char *abs,
		       char rel[FAMFS_MAX_PATHLEN], struct famfs_problem *p);
/**
 * famfs_path_abs() - absolute canonical form of @path whose last component
 * may not exist yet: realpath(dirname) + "/" + basename. Errors from
 * realpath (-ENOENT parent missing), -EINVAL for "." / ".." last.
 */
int famfs_path_abs(const char *path, char *out, size_t outlen);

/* -------------------------------------------------------------------- role */

enum famfs_role {
	FAMFS_ROLE_MASTER,	/* local system UUID == ts_system_uuid */
	FAMFS_ROLE_CLIENT,
};

/**
 * famfs_system_uuid() - read the 36-char text UUID in @path (NULL =
 * famfs_system_uuid_path()). With @create, a missing file is made (its
 * directory 0755, the file 0444) holding a random UUID.
 * Errors: -ENOENT (no file, !@create), -EINVAL not a UUID, I/O errors.
 */
int famfs_system_uuid(const char *path, bool create, famfs_uuid_t out,
		      struct famfs_problem *p);
/**
 * famfs_role() - master iff the local UUID (from @uuid_path) equals the
 * superblock's; an unreadable UUID file makes this host a client.
 * @local (may be NULL) receives the local UUID (zero if unreadable).
 */
enum famfs_role famfs_role(const struct famfs_superblock *sb,
			   const char *uuid_path, famfs_uuid_t local);
/** famfs_system_uuid_path() - $FAMFS_SYSTEM_UUID, else /opt/famfs/system_uuid */
const char *famfs_system_uuid_path(void);
/** famfs_uuid_str() - 37-byte text form of @u in @buf */
char *famfs_uuid_str(const famfs_uuid_t u, char buf[37]);

/* ------------------------------------------------------------ size, mode */

/*
 * The largest size any parser accepts: 2^64 - 2 MiB (16 EiB - 2 MiB), the
 * largest multiple of the 2 MiB allocation unit, so that rounding a parsed
 * size up to whole units never wraps.
 */
#define FAMFS_SIZE_MAX		(UINT64_MAX & ~(FAMFS_ALLOC_UNIT - 1))
/* what famfs_parse_size() accepts, for messages and --help */
#define FAMFS_SIZE_SYNTAX	"decimal bytes with an optional K, M, G, T, P or E suffix (1024-based)"

/**
 * famfs_parse_size() - a size argument into bytes (@out, untouched on
 * error): decimal digits only ("010" is ten, "0x10" is refused), then at
 * most one suffix K, M, G, T, P or E (1024-based, case-insensitive,
 * optionally followed by "B" or "iB": "2M", "2MiB", "2mb"). No sign, no
 * blanks. Every command-line size and .alloc.cfg goes through here
 *. Errors: -EINVAL not of that form, -ERANGE above
 * FAMFS_SIZE_MAX (overflow, with or without a suffix).
 */
int famfs_parse_size(const char *s, uint64_t *out);
/**
 * famfs_parse_u64() - a plain decimal number, the whole 64-bit range, no
 * suffix (pattern seeds). Errors: -EINVAL, -ERANGE above UINT64_MAX.
 */
int famfs_parse_u64(const char *s, uint64_t *out);
/** famfs_parse_mode() - octal permission bits <= 07777; -EINVAL */
int famfs_parse_mode(const char *s, uint32_t *out);
/** famfs_size_str() - "8 MiB" / "3.5 GiB" style text */
char *famfs_size_str(uint64_t bytes, char *buf, size_t len);

/* ----------------------------------------------------------------- pattern */

/**
 * The seeded fill pattern of creat -S / verify -S: 64-bit word i of a file
 * (little-endian, at byte 8*i) is splitmix64(seed + (i + 1) * golden).
 * Position-addressable, so any range can be filled or checked alone.
 */
uint64_t famfs_pattern_word(uint64_t seed, uint64_t word);
/** famfs_pattern_fill() - fill @len bytes that sit at file offset @off */
void famfs_pattern_fill(void *buf, size_t len, uint64_t seed, uint64_t off);
/** famfs_pattern_check() - -1 if all match, else the first bad file offset */
int64_t famfs_pattern_check(const void *buf, size_t len, uint64_t seed,
			    uint64_t off);

#define FAMFS_PATTERN_PIECE		(32ULL << 20)	/* bytes per work item */
#define FAMFS_PATTERN_MAX_THREADS	256

/**
 * struct famfs_pattern_job - one mapped file for famfs_pattern_run()
 * @buf, @len:   the mapping of the whole file (offset 0)
 * @seed:        its pattern
 * @writeback:   fill: write the cache lines back after each piece
 * @invalidate:  check: drop cached lines before reading each piece
 * @bad:         check result: -1 all match, else the first bad offset
 */
struct famfs_pattern_job {
	void *buf;
	size_t len;
	uint64_t seed;
	bool writeback, invalidate;
	int64_t bad;
};

/**
 * famfs_pattern_run() - fill (@check false) or check every job, cut into
 * FAMFS_PATTERN_PIECE pieces shared by @nthreads threads (0 or 1: the
 * calling thread alone; at most FAMFS_PATTERN_MAX_THREADS). The result
 * does not depend on @nthreads. Returns 0, -ENOMEM.
 */
int famfs_pattern_run(struct famfs_pattern_job *jobs, size_t njobs,
		      bool check, unsigned int nthreads);

/* ----------------------------------------------------------------- logplay */

/**
 * struct famfs_play_ops - how entries become files (kernel glue, or a mock)
 * @mkdir:  create directory @rel; return 0, -EEXIST if a directory is
 *          already there, other -errno on failure
 * @mkfile: create file @rel with @fm's mode/owner/map; return 0, -EEXIST if
 *          it exists already, other -errno
 * @client: strip write bits (this host is not the master)
 * @exists: dry runs (FAMFS_PLAY_DRYRUN) only: is @rel already there? NULL
 *          counts every entry as one that would be created
 */
struct famfs_play_ops {
	int (*mkdir)(void *ctx, const char *rel, const struct famfs_log_mkdir *md,
		     bool client, struct famfs_problem *p);
	int (*mkfile)(void *ctx, const char *rel,
		      const struct famfs_log_file_meta *fm, bool client,
		      struct famfs_problem *p);
	void *ctx;
	bool (*exists)(void *ctx, const char *rel);
};

/** struct famfs_play_stats - what logplay did */
struct famfs_play_stats {
	uint64_t entries;			/* valid entries visited */
	uint64_t files_created, files_existed;
	uint64_t dirs_created, dirs_existed;
	uint64_t skipped;			/* ADD_DAXDEV, DELETE */
	uint64_t rejected;			/* FAMFS_ENTRY_SKIP: broke a rule */
	uint64_t errors;			/* valid entries that failed */
	int64_t bad_index;			/* FAMFS_ENTRY_END entry, or -1 */
};

#define FAMFS_PLAY_DRYRUN	(1u << 0)
#define FAMFS_PLAY_CLIENT	(1u << 1)	/* strip write bits */
#define FAMFS_PLAY_VERBOSE	(1u << 2)
#define FAMFS_PLAY_JSON		(1u << 3)	/* CLI only: -n --json */

/**
 * famfs_logplay() - replay entries 0..next_index-1 in order (format.md §10),
 * judged by famfs_log_index_build() (every line invalidated before it is
 * parsed). A CRC or sequence error (after one re-read on a DAX mapping)
 * ends the replay there: everything before it has been played, the entry
 * is reported with its index in @p and stats->bad_index. An entry that
 * breaks a rule of famfs_entry_validate() is skipped with its problem on
 * stderr (stats->rejected) and replay goes on, as on every host.
 * Per-entry creation failures are counted (stats->errors) and replay goes
 * on. Messages for verbose mode go to @out (may be NULL). Returns 0 if
 * everything played; else, first that applies: -EBADMSG/-EILSEQ (replay
 * ended early), -EUCLEAN (entries were skipped), -EIO (some valid entries
 * could not be created), -ENOMEM.
 */
int famfs_logplay(struct famfs_meta *m, const struct famfs_play_ops *ops,
		  unsigned int flags, FILE *out, struct famfs_play_stats *st,
		  struct famfs_problem *p);

/* ------------------------------------------------------------------ writer */

/**
 * struct famfs_writer - a master's locked-log session (format.md §9): the
 * .meta/.log flock is held from open to close; the allocation bitmap is
 * built on first use and kept for the session.
 */
struct famfs_writer {
	struct famfs_meta *m;
	struct famfs_bitmap bm;
	bool bm_ready;
	const struct famfs_play_ops *ops;	/* instantiates what is logged */
	struct famfs_interleave il;	/* nstrips 0: contiguous allocation */
	/* the file system's default (.meta/.alloc.cfg), used while
	 * il.nstrips is 0; nstrips 0 here too: contiguous */
	struct famfs_interleave il_default;
	uint32_t seed;			/* bucket order of interleaving */
};

/**
 * famfs_writer_check_master() - -EPERM (with the two UUIDs in the message)
 * unless this host is the master of @sb.
 */
int famfs_writer_check_master(const struct famfs_superblock *sb,
			      const char *uuid_path, struct famfs_problem *p);
/**
 * famfs_writer_mkfile() - allocate memory for @size bytes, append a FILE
 * entry for @rel (famfs_log_append(): validated first), then let
 * ops->mkfile create it. Allocation is one contiguous run (one 2 MiB unit
 * for an empty file), or, when w->il (else w->il_default) is set and
 * @size is at least one chunk, interleaved; no size arithmetic wraps. The
 * log lock is held by the session from the bitmap build to the append,
 * so two writers never get the same memory. Errors: -ENOSPC (no room,
 * larger than the device, or log full), -ENAMETOOLONG, -EEXIST (@rel is
 * in the log), -ENOENT/-ENOTDIR (its parent is not a logged directory),
 * -EUCLEAN (replay ends at an invalid entry: nothing is appended behind
 * it), the other famfs_entry_validate() errors (nothing is logged or
 * allocated then), or the ops' errors (the entry is logged by then: a
 * later logplay creates the file). On success @map (may be NULL) gets the
 * map.
 */
int famfs_writer_mkfile(struct famfs_writer *w, const char *rel,
			uint64_t size, uint32_t mode, uint32_t uid,
			uint32_t gid, struct famfs_log_fmap *map,
			struct famfs_problem *p);
/**
 * famfs_writer_mkdir() - append a MKDIR entry for @rel (validated like
 * famfs_writer_mkfile()'s), then ops->mkdir; a directory already there
 * locally (made with mkdir(1)) is success: it is logged now.
 */
int famfs_writer_mkdir(struct famfs_writer *w, const char *rel, uint32_t mode,
		       uint32_t uid, uint32_t gid, struct famfs_problem *p);
/**
 * famfs_writer_lookup() - is @rel logged? 0 with its entry type
 * (FAMFS_LOG_FILE, FAMFS_LOG_MKDIR) and index (each may be NULL),
 * -ENOENT if not, -ENOMEM.
 */
int famfs_writer_lookup(struct famfs_writer *w, const char *rel,
			uint32_t *type, uint64_t *index,
			struct famfs_problem *p);
void famfs_writer_done(struct famfs_writer *w);

/* -------------------------------------------------------------------- fsck */

/**
 * enum famfs_fsck_class - every kind of corruption fsck names (stable
 * names: famfs_fsck_class_name(), used by --json and the man page)
 */
enum famfs_fsck_class {
	FAMFS_FSCK_SB_MAGIC,		/* "sb-magic": no famfs superblock */
	FAMFS_FSCK_SB_VERSION,		/* "sb-version": not 47 or 48 */
	FAMFS_FSCK_SB_CRC,		/* "sb-crc" */
	FAMFS_FSCK_SB_FIELD,		/* "sb-field": log offset/length, unit, size */
	FAMFS_FSCK_LOG_TRUNCATED,	/* "log-truncated": log region shorter than ts_log_len */
	FAMFS_FSCK_LOG_HEADER,		/* "log-header": magic, CRC, length, indexes */
	FAMFS_FSCK_ENTRY_CRC,		/* "entry-crc" */
	FAMFS_FSCK_ENTRY_SEQNUM,	/* "entry-seqnum" */
	FAMFS_FSCK_ENTRY_INVALID,	/* "entry-invalid": type, path, map fields */
	FAMFS_FSCK_EXTENT_OUTSIDE,	/* "extent-outside-device" */
	FAMFS_FSCK_EXTENT_META,		/* "extent-over-metadata": over sb or log */
	FAMFS_FSCK_OVERLAP,		/* "shared-memory": two files share units */
	FAMFS_FSCK_DUP_PATH,		/* "duplicate-path": a path logged twice */
	FAMFS_FSCK_MISSING_PARENT,	/* "missing-parent": parent not a logged directory */
	FAMFS_FSCK_UNREACHABLE,		/* "entry-unreachable": behind the entry replay ends at */
	FAMFS_FSCK_DEV_SIZE,		/* "device-size-mismatch": dd_size != the real device */
	FAMFS_FSCK_STALE_SLOT,		/* "stale-slot": data past the index (informational) */
	FAMFS_FSCK_UNLOGGED,		/* "unlogged": a local object the log does not hold */
	FAMFS_FSCK_NCLASSES
};

/** famfs_fsck_class_informational() - true for classes that are not errors */
bool famfs_fsck_class_informational(enum famfs_fsck_class c);

/* --------------------------------------------------------------- log index */

/**
 * enum famfs_verdict - what every replaying host does with one log entry
 * (format.md §10). The same rules decide what the writer may
 * append (famfs_entry_validate()), so a host never meets an entry it
 * cannot replay unless another implementation (or damage) wrote it.
 * @FAMFS_ENTRY_PLAY: valid: create the file or directory
 * @FAMFS_ENTRY_SKIP: the CRC is valid but a semantic check fails (path,
 *     map, extent outside the device or over the metadata, memory of
 *     another file, path logged before, parent not a logged directory):
 *     every host skips it and goes on; its extents stay allocated
 * @FAMFS_ENTRY_END: CRC or sequence number error: replay ends here,
 *     nothing after it is trusted, and nothing may be appended behind it
 */
enum famfs_verdict {
	FAMFS_ENTRY_PLAY,
	FAMFS_ENTRY_SKIP,
	FAMFS_ENTRY_END,
};

/**
 * famfs_walk_fn - called for every entry a log walk visits, in log order:
 * @v the verdict; for SKIP and END @cls and @p say why (@p is NULL and
 * @cls meaningless for PLAY).
 */
typedef void (*famfs_walk_fn)(void *ctx, uint64_t index,
			      const struct famfs_log_entry *e,
			      enum famfs_verdict v, enum famfs_fsck_class cls,
			      const struct famfs_problem *p);

struct famfs_index_paths;

/**
 * struct famfs_log_index - what a walk of the log learned: the logged
 * paths (hashed), the memory entries claim, where replay ends.
 * @g:     data_start, and dev_size = the smaller of the superblock's
 *         dd_size and the real device (famfs_meta.dev_size, if known)
 * @bm:    superblock + log + every extent (inside @g) of every FILE entry
 *         played or skipped: memory that is never handed out again
 * @next:  entries walked, [0, next)
 * @end:   index of the entry replay ends at (CRC/seqnum), or -1
 * @end_p: why it ends there
 * @st:    files/dirs/other played; bad_entries = skipped ones (+1 for
 *         @end); collisions = units claimed twice; file_bytes; used_units
 * @paths: private: the path hash set
 */
struct famfs_log_index {
	struct famfs_geom g;
	struct famfs_bitmap bm;
	uint64_t next;
	int64_t end;
	struct famfs_problem end_p;
	struct famfs_alloc_stats st;
	struct famfs_index_paths *paths;
};

/**
 * famfs_log_index_build() - walk entries [0, next_index) of the valid
 * superblock and log of @m, invalidating every line before parsing it
 * (famfs_meta_invalidate(); on a CPU-cache mapping a CRC or sequence
 * error is re-read once, for a concurrent append), judge each entry,
 * call @fn (may be NULL) and index it. Stops at the first END entry.
 * *@ixp gets a new index (famfs_log_index_free()).
 * Errors: -ENOMEM.
 */
int famfs_log_index_build(struct famfs_log_index **ixp,
			  const struct famfs_meta *m, famfs_walk_fn fn,
			  void *ctx, struct famfs_problem *p);
/**
 * famfs_log_index_update() - walk only what was appended since the index
 * was built or last updated (nothing after an END). Errors: -ESTALE the
 * log holds fewer entries than were indexed (it was made anew): build a
 * new index; -ENOMEM.
 */
int famfs_log_index_update(struct famfs_log_index *ix,
			   const struct famfs_meta *m, famfs_walk_fn fn,
			   void *ctx);
/** famfs_log_index_free() - release @ix (NULL is fine) */
void famfs_log_index_free(struct famfs_log_index *ix);
/**
 * famfs_meta_index() - m->ix: built on first use, brought up to date with
 * the log on every later call (rebuilt if the log was made anew).
 * The answer is current as long as no other process appends, which the
 * log lock (FAMFS_META_LOCK) guarantees on the master. Errors: -ENOMEM.
 */
int famfs_meta_index(struct famfs_meta *m, struct famfs_log_index **ixp,
		     struct famfs_problem *p);
/**
 * famfs_entry_validate() - the one rule set for a FILE or MKDIR entry
 * (CRC and seqnum aside): famfs_entry_payload_check() against ix->g (path
 * syntax and length, map structure, size arithmetic without overflow,
 * every extent inside the device and clear of superblock and log), what
 * the kernel maps (at most FAMFS_MAX_EXTENTS simple extents; each strip
 * of an interleaved extent holds its chunks; no extent overlaps another
 * of the same file), the path not logged before, its parent a logged
 * directory, and no unit of memory claimed by an entry before it.
 * @index is reported in @p (-1 for an entry not yet appended); @cls (may
 * be NULL) gets the fsck class of the failure.
 * Errors: -EINVAL, -ENAMETOOLONG, -ERANGE (outside the device or over
 * the metadata), -EEXIST (path logged), -ENOENT (parent not logged),
 * -ENOTDIR (parent logged as a file), -EBUSY (memory of another file).
 */
int famfs_entry_validate(const struct famfs_log_index *ix,
			 const struct famfs_log_entry *e, int64_t index,
			 enum famfs_fsck_class *cls, struct famfs_problem *p);
/**
 * famfs_log_index_commit() - record entry @index (appended, or walked)
 * with verdict @v: a played entry's path is indexed; the extents of a
 * played or skipped FILE entry are marked in ix->bm. Errors: -ENOMEM.
 */
int famfs_log_index_commit(struct famfs_log_index *ix,
			   const struct famfs_log_entry *e, uint64_t index,
			   enum famfs_verdict v);
/**
 * famfs_log_index_lookup() - is @rel logged (by a played entry)? 0 with
 * its entry type (FAMFS_LOG_FILE or FAMFS_LOG_MKDIR) and index (either
 * may be NULL), or -ENOENT.
 */
int famfs_log_index_lookup(const struct famfs_log_index *ix, const char *rel,
			   uint32_t *type, uint64_t *index);

/** famfs_fsck_class_name() - the stable name of @c ("entry-crc") */
const char *famfs_fsck_class_name(enum famfs_fsck_class c);
/** famfs_fsck_sb_class() - class of a famfs_sb_check() problem (by field) */
enum famfs_fsck_class famfs_fsck_sb_class(const struct famfs_problem *p);

/** struct famfs_fsck_finding - one problem and its class */
struct famfs_fsck_finding {
	enum famfs_fsck_class cls;
	struct famfs_problem p;
};

#define FAMFS_FSCK_MAX_FINDINGS	1000	/* kept; all are counted */

/** struct famfs_fsck_result - what famfs_fsck() found */
struct famfs_fsck_result {
	uint64_t errors;		/* problems found (0 = clean) */
	uint64_t notes;			/* informational findings */
	uint64_t count[FAMFS_FSCK_NCLASSES];
	bool sb_valid, log_valid;	/* passes 1 and 2 */
	uint64_t entries, files, dirs, other;
	uint64_t bad_entries, collisions;	/* collisions: units */
	uint64_t skipped, unreachable;	/* entries replay skips / never reaches */
	uint64_t stale_slots, unlogged;
	uint64_t dev_size, used_bytes, file_bytes, nslots;
	uint64_t real_dev_size;		/* 0: unknown */
	struct famfs_space space;	/* valid when log_valid */
	size_t nfindings;
	struct famfs_fsck_finding findings[FAMFS_FSCK_MAX_FINDINGS];
};

/**
 * famfs_fsck() - check the superblock (and its device size against
 * m->dev_size, the real device, when known), the log header, every entry
 * as replay judges it (famfs_log_index_build(): the entry replay ends at,
 * every skipped entry with its class, the entries unreachable behind the
 * end), files sharing memory (naming both entries), slots past the index
 * holding data (informational), and, when @m was opened through a mount
 * (m->mnt), the local objects the log does not hold
 * (famfs_fsck_local()). Every line is invalidated before it is parsed.
 * Nothing is printed or repaired. @r is large (~300 KiB): allocate it.
 * Returns 0 (see @r->errors and @r->notes), -ENOMEM, or the local walk's
 * error.
 */
int famfs_fsck(const struct famfs_meta *m, struct famfs_fsck_result *r);
/**
 * famfs_fsck_local() - one "unlogged" finding in @r for every object
 * below mount point @mnt that is not logged by a played entry of @ix
 * (famfs_unlogged_walk()). Returns 0 or a negative errno of the walk.
 */
int famfs_fsck_local(const char *mnt, const struct famfs_log_index *ix,
		     struct famfs_fsck_result *r);
/**
 * famfs_unlogged_walk() - call @fn(@ctx, rel, what) for every object
 * below mount point @mnt (not crossing into other mounts, .meta left out)
 * that @ix does not hold as a played entry of the same kind: @rel is its
 * path relative to @mnt, @what "file", "directory" or "object" (or "file
 * logged as a directory"...). Below an unlogged directory nothing is
 * reported (nothing below it can be logged). Returns the number of
 * objects reported (>= 0), or -errno if @mnt cannot be walked.
 */
int famfs_unlogged_walk(const char *mnt, const struct famfs_log_index *ix,
			void (*fn)(void *ctx, const char *rel,
				   const char *what),
			void *ctx);
/** famfs_fsck_add() - record a finding in @r (counts it, keeps the first
 *  ones); informational classes count in @r->notes, others in @r->errors */
void famfs_fsck_add(struct famfs_fsck_result *r, enum famfs_fsck_class cls,
		    const struct famfs_problem *p);
/** famfs_fsck_print() - the text report (superblock summary, findings,
 *  counts); @verbose adds struct sizes and one line per entry */
void famfs_fsck_print(const struct famfs_meta *m,
		      const struct famfs_fsck_result *r, bool verbose,
		      FILE *out);
/** famfs_space_get() - df numbers from the log of a valid @m; -ENOMEM */
int famfs_space_get(const struct famfs_meta *m, struct famfs_space *sp,
		    struct famfs_alloc_stats *st);
/**
 * famfs_bucket_stats_get() - famfs_bitmap_buckets() of the bitmap built
 * from the log of a valid @m. Errors: -ENOMEM, -EINVAL.
 */
int famfs_bucket_stats_get(const struct famfs_meta *m, uint32_t nbuckets,
			   struct famfs_bucket_stat *out);

/* ---------------------------------------------------------------- mkfs */

/**
 * famfs_mkfs() - write a version-48 superblock and an empty log into @m
 * (opened with FAMFS_META_WRITE|FAMFS_META_NOCHECK, its log mapping >=
 * mp->log_len), format.md §2 and §12. Without @force it refuses (-EEXIST,
 * field "ts_magic", @p->msg "holds <famfs_sb_describe()>; use -f ...") any
 * superblock with the famfs magic, whatever its version or CRC. It always
 * zeroes the whole log (every slot), so no entry of an earlier file system
 * can be replayed, and it writes in the crash-safe order documented in
 * mkfs.c. Errors: -EEXIST, -EROFS, -EINVAL (log mapping too small),
 * famfs_sb_init()'s.
 */
int famfs_mkfs(struct famfs_meta *m, const struct famfs_mkfs_params *mp,
	       bool force, struct famfs_problem *p);
/**
 * famfs_sb_describe() - 1 if @sb has the famfs magic, with what it is in
 * @buf ("a famfs file system (superblock version 48, uuid U, master M)",
 * or "a famfs superblock (version 47, uuid U) that does not check:
 * <reason>"); 0 (and @buf untouched) if it has not.
 */
int famfs_sb_describe(const struct famfs_superblock *sb, char *buf,
		      size_t len);
/**
 * famfs_sig_probe() - ask libblkid (superblocks incl. RAID members, swap
 * and LUKS, and partition tables; safe probe) what @path holds, or what
 * the descriptor @fd holds when @fd >= 0 (@path then only names it).
 * Returns 0 nothing found, >0 signatures found, named in @found ("ext4
 * file system (label "x", uuid U)", "gpt partition table", several
 * joined by ", "); errors: -errno when @path cannot be opened, -EIO when
 * the probe fails. famfs itself is not known to libblkid: see
 * famfs_sb_describe().
 */
int famfs_sig_probe(const char *path, int fd, char *found, size_t len,
		    struct famfs_problem *p);
/**
 * famfs_sig_probe_meta() - famfs_sig_probe() of a copy of what @m maps
 * (superblock region and log), for a dax device, which libblkid cannot
 * read(2). Signatures beyond 2 MiB + log length are not seen.
 */
int famfs_sig_probe_meta(const struct famfs_meta *m, const char *path,
			 char *found, size_t len, struct famfs_problem *p);
/**
 * famfs_sig_wipe() - erase every signature libblkid finds on @path (an
 * image or a block device), as wipefs -a does, and fsync it; mkfs -f runs
 * it before writing. Returns how many were erased (named in @wiped), or
 * -errno.
 */
int famfs_sig_wipe(const char *path, char *wiped, size_t len,
		   struct famfs_problem *p);
/** famfs_kill_sb() - zero the superblock magic (mkfs -f -k) */
int famfs_kill_sb(struct famfs_meta *m, struct famfs_problem *p);

/* ------------------------------------------------- kernel glue (kmod.c) */

/** where a path is: famfs_dev_kind() */
enum famfs_dev_kind { FAMFS_DEV_FILE, FAMFS_DEV_BLOCK, FAMFS_DEV_CHAR };

/**
 * famfs_dev_size() - bytes of @dev: BLKGETSIZE64 for a block device,
 * /sys/dev/char/M:m/size for a dax char device, st_size for a regular file.
 * Errors: -ENODEV other file types, I/O errors.
 */
int famfs_dev_size(const char *dev, uint64_t *size, enum famfs_dev_kind *kind,
		   struct famfs_problem *p);
/** famfs_dev_mounted() - 1 (mount point in @mnt) if @dev is mounted, 0, -errno */
int famfs_dev_mounted(const char *dev, char *mnt, size_t mntlen);
/** famfs_is_famfs_mount() - statfs f_type == 0x87b282fe */
bool famfs_is_famfs_mount(const char *path);
/**
 * famfs_find_mount() - the famfs mount point containing absolute @abs:
 * the nearest ancestor (or @abs) that is a famfs mount with .meta/.log.
 * Errors: -ENOENT not in a famfs file system.
 */
int famfs_find_mount(const char *abs, char *mnt, size_t mntlen);
/** famfs_kmount() - mount(@dev, @mnt, "famfs", noatime,nosuid,nodev) */
int famfs_kmount(const char *dev, const char *mnt, struct famfs_problem *p);
/**
 * famfs_kmount_opts() - mount(2) with MS_* @flags and kernel option string
 * @data (may be NULL). Errors name the device, mount point and reason.
 */
int famfs_kmount_opts(const char *dev, const char *mnt, unsigned long flags,
		      const char *data, struct famfs_problem *p);
/** famfs_mount_source() - device mounted on @mnt (from /proc/self/mounts) */
int famfs_mount_source(const char *mnt, char *dev, size_t len);
/**
 * famfs_mount_dev_size() - bytes of the device the famfs at mount point
 * @mnt was mounted from (famfs_mount_source() + famfs_dev_size()).
 * Errors: -ENODEV not found in /proc/self/mounts, famfs_dev_size()'s.
 */
int famfs_mount_dev_size(const char *mnt, uint64_t *size,
			 struct famfs_problem *p);
/**
 * famfs_mkmeta() - create MNT/.meta (0755), .superblock and .log (0644 on
 * the master, 0444 on a client) and map them. @log_len 0 = read it from the
 * superblock, which must then be valid (-EUCLEAN "no valid superblock"
 * otherwise). Existing, mapped meta files are kept.
 */
int famfs_mkmeta(const char *mnt, uint64_t log_len, const char *uuid_path,
		 struct famfs_problem *p);
/**
 * famfs_map_create() - give an empty famfs file @fd its map: MAP_CREATE_V2,
 * falling back to v1 MAP_CREATE on ENOTTY (simple, <= 2 extents).
 */
int famfs_map_create(int fd, uint32_t file_type, uint64_t size,
		     const struct famfs_log_fmap *fmap, struct famfs_problem *p);
/** famfs_fd_is_famfs() - FAMFSIOC_NOP succeeds */
bool famfs_fd_is_famfs(int fd);
/**
 * famfs_map_get() - the file's map as the v2 reply (v1 fallback converted).
 * Returns 0 mapped, -ENODATA famfs but not mapped, -ENOTTY not famfs.
 */
struct famfs_ioc_get_fmap;
int famfs_map_get(int fd, struct famfs_ioc_get_fmap *out);
/** famfs_kernel_ops() - play_ops that create files in mount @mnt */
void famfs_kernel_ops(struct famfs_play_ops *ops, const char *mnt);
/**
 * famfs_dummy_mount() - mount @dev on a fresh /tmp/famfs_dummy_XXXXXX and
 * create the meta files (@log_len 0: from the superblock). @mnt gets the
 * directory; undo with famfs_dummy_umount().
 */
int famfs_dummy_mount(const char *dev, uint64_t log_len, char *mnt,
		      size_t mntlen, struct famfs_problem *p);
void famfs_dummy_umount(const char *mnt);

/* ------------------------------------------------ dax modes (daxmode.c) */

#define FAMFS_FSDEV_DRIVER	"fsdev_dax"	/* "famfs mode" (Linux 7.x) */
#define FAMFS_DEVDAX_DRIVER	"device_dax"
#define FAMFS_KMEM_DRIVER	"kmem"		/* "system-ram mode" */
#define FAMFS_RUNDIR_DEFAULT	"/run/famfs"	/* $FAMFS_RUNDIR overrides */
#define FAMFS_DAXCTL_TIMEOUT	600		/* s: daxctl reconfigure-device */
#ifndef FAMFS_DAXCTL
#define FAMFS_DAXCTL		"/usr/bin/daxctl"	/* then $PATH; $FAMFS_DAXCTL overrides */
#endif
/*
 * sysfs is looked for in $FAMFS_SYSFS (default /sys): the unit tests
 * point it at a fake tree
 */

/** famfs_dax_name() - "dax0.0" for a dax char device node; -ENODEV */
int famfs_dax_name(const char *dev, char *name, size_t len);
/** famfs_dax_driver() - driver @name is bound to ("" = none); -ENODEV */
int famfs_dax_driver(const char *name, char *drv, size_t len);
/** famfs_have_fsdev_dax() - the kernel has the fsdev_dax driver */
bool famfs_have_fsdev_dax(void);
/**
 * famfs_dax_bind() - move dax device @name to driver @drv through sysfs
 * (unbind, then new_id or bind), checking the driver link. On failure the
 * old driver is bound again. Errors: -ENODEV no such device or driver,
 * -EBUSY the device is on kmem (famfs never unbinds it: that is
 * famfs_dax_reconfigure()'s), sysfs write errors, -EIO.
 */
int famfs_dax_bind(const char *name, const char *drv, struct famfs_problem *p);
/**
 * famfs_dax_find() - the dax device @dev is: "dax0.0" for an existing dax
 * char device node (stat, S_ISCHR, /sys/dev/char/M:m -> dax*), nothing
 * else (a kmem device keeps its node). -ENODEV. Test only: a missing
 * daxX.Y directly in $FAMFS_TEST_DAXDIR names sysfs's daxX.Y.
 */
int famfs_dax_find(const char *dev, char *name, size_t len);

/** struct famfs_dax_mem - the system RAM a dax device is hot-plugged as */
struct famfs_dax_mem {
	uint64_t block_size;	/* bytes per memory block */
	unsigned int blocks;	/* memory blocks of the device in sysfs */
	unsigned int online;	/* of them online */
	unsigned int movable;	/* of them online in ZONE_MOVABLE */
};

/**
 * famfs_dax_memory() - the memory blocks (/sys/devices/system/memory/
 * memoryN) inside the physical ranges of dax device @name (mappingN, or
 * resource + size) and how many are online. A device not in system-ram
 * mode has none. 0, or -ENODEV (no such device or no memory blocks in
 * sysfs), -ENOMEM, -E2BIG.
 */
int famfs_dax_memory(const char *name, struct famfs_dax_mem *m);

/** struct famfs_dax_reconf - what famfs_dax_reconfigure() did */
struct famfs_dax_reconf {
	struct famfs_dax_mem before;	/* when it started */
	struct famfs_dax_mem after;	/* when it returned */
	int status;		/* daxctl's exit status; -1: did not exit */
	bool timed_out;		/* killed after FAMFS_DAXCTL_TIMEOUT s */
	bool offline_failed;	/* daxctl ended, kmem still bound, blocks that
				 * were online still online (sysfs says so) */
	bool stuck;		/* daxctl did not die after SIGKILL */
	int sig;		/* SIGINT/SIGTERM/SIGHUP/SIGQUIT that came
				 * during daxctl (passed on to it); the
				 * caller re-raises it after reporting */
	int killsig;		/* the signal that ended daxctl, or 0 */
	int timeout_s;		/* daxctl's time: FAMFS_DAXCTL_TIMEOUT, or
				 * $FAMFS_DAXCTL_TIMEOUT (s) */
	unsigned int reonlined;	/* blocks daxctl offlined, onlined again */
	unsigned int lost;	/* blocks daxctl offlined, not onlined again */
	char drv[64];		/* the device's driver at the end */
	char daxctl[4096];	/* the daxctl that ran ("" if none found) */
	char msg[256];		/* daxctl's line that says why it failed */
};

/**
 * famfs_dax_reconfigure() - take dax device @name, bound to kmem, from
 * system-ram mode to devdax mode by running the daxctl program (found in
 * $PATH): "daxctl reconfigure-device --mode=devdax --force NAME", which
 * offlines its memory blocks, unbinds kmem and binds device_dax. If daxctl
 * leaves the device without a driver, famfs binds device_dax. If it leaves
 * it on kmem (a block could not be offlined: the kernel holds unmovable
 * data there; daxctl stops at that block), every block daxctl offlined is
 * onlined again in its old zone, so the device is as before. SIGINT,
 * SIGTERM, SIGHUP and SIGQUIT wait until that is done; daxctl is killed
 * after FAMFS_DAXCTL_TIMEOUT seconds. @r says what happened.
 * Returns 0 (bound to device_dax), -EINVAL (not on kmem), -ENOENT (no
 * daxctl: nothing done), -EBUSY (still in system-ram mode), -EIO (daxctl
 * failed and the device is neither on kmem nor on device_dax), -ENODEV.
 */
int famfs_dax_reconfigure(const char *name, struct famfs_dax_reconf *r);

/**
 * famfs_daxctl_path() - the daxctl famfs would run into @out: $FAMFS_DAXCTL
 * (an absolute path; tests) or else the build's FAMFS_DAXCTL if it is an
 * executable file, else the first in $PATH; -ENOENT
 */
int famfs_daxctl_path(char *out, size_t len);

/**
 * famfs_dax_lock() - an exclusive flock on $FAMFS_RUNDIR/@name.lock
 * (waits for it); the fd (O_CLOEXEC) or -errno. close() releases it.
 */
int famfs_dax_lock(const char *name);

/**
 * famfs_daxmode_back() - the driver famfs gives a device back to at umount,
 * for the driver @saved it had before: the same, except kmem, which is
 * device_dax: famfs never onlines memory as system RAM
 */
const char *famfs_daxmode_back(const char *saved);

/** famfs_daxmode_save() - remember that @name was on @drv before famfs */
int famfs_daxmode_save(const char *name, const char *drv,
		       struct famfs_problem *p);
/** famfs_daxmode_saved() - the remembered driver; -ENOENT if none */
int famfs_daxmode_saved(const char *name, char *drv, size_t len);
/** famfs_daxmode_forget() - drop the record */
void famfs_daxmode_forget(const char *name);

#endif /* LIBFAMFS_H */
