// SPDX-License-Identifier: Apache-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * test_crash.c - crash consistency of a log append and of mkfs, on a file
 * image
 *
 * The library calls famfs_crash_point() after every store to shared
 * metadata and famfs_crash_flush() after every flush (crashpoint.c). A
 * first run of each operation counts those points. Then, for every point
 * N, a forked child runs the operation on a fresh copy of the image
 * (mapped MAP_SHARED, as a writer maps the device) and its hook _exit()s
 * at point N. Two images are checked per point:
 *
 *  - "kill": the image file as the dead child left it: every store before
 *    point N is in it (a killed writer; the memory stays);
 *  - "power": the image before the operation plus only the 64-byte lines
 *    flushed before point N (a power cut on memory that keeps exactly what
 *    was flushed; lines evicted early are not modelled).
 *
 * On each, a fresh open (superblock and log header checks), fsck and a
 * replay must find: a valid log (every entry below next_index valid,
 * replay stops nowhere); every append that returned success present, in
 * order, byte for byte; nothing else changed (superblock, other slots,
 * data). After an append crash the writer must also be able to append
 * again. After a mkfs crash the image holds the old file system untouched,
 * no file system (no famfs magic), or the new one with an all-zero log.
 *
 * The last line is "crash points covered: N ...".
 */
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

#define DEV_SIZE	(20 * MiB)	/* sb, log, 5 data units */
#define LOG_LEN		(8 * MiB)
#define META_LEN	(FAMFS_LOG_OFFSET + LOG_LEN)
#define DATA_START	META_LEN
#define LINE		64
#define CRASH_EXIT	86	/* the child stopped at its crash point */
#define CHILD_FAIL	99	/* the child could not run the operation */
#define MAX_POINTS	128
#define PRE		2	/* entries in the image before the appends */
#define NOPS		3	/* appends under test */

/* what a child tells its parent (a MAP_SHARED anonymous page) */
struct shared {
	int target;		/* stop at this point (1-based); 0: never */
	int seen;		/* points passed so far */
	int returned;		/* appends that returned success */
	int done;		/* the whole operation returned */
	char names[MAX_POINTS][40];
};

#define NLINES		(META_LEN / LINE)

/* the child's side of the hook */
struct child {
	struct shared *sh;
	const unsigned char *base;	/* its mapping of the image, offset 0 */
	unsigned char *durable;		/* flushed lines, as flushed */
	uint64_t *flushed;		/* bitmap of those lines */
	int power_fd;			/* the image before the operation: the
					 * flushed lines go there at the crash */
};

static struct shared *sh;
static char dir[256], img[300], power[300], recov[300];
static int covered_append, covered_mkfs;
static const famfs_uuid_t other_master = { 0xaa, 0xbb, 0xcc, 0xdd };

static void hook(void *ctx, const char *point, const void *addr, size_t len)
{
	struct child *c = ctx;
	int n = ++c->sh->seen;

	if (addr) {
		/* flushed: these whole lines now survive a power cut */
		size_t off = (size_t)((const unsigned char *)addr - c->base);
		size_t a = off & ~(size_t)(LINE - 1);
		size_t e = (off + len + LINE - 1) & ~(size_t)(LINE - 1);

		if (e > META_LEN)
			e = META_LEN;
		memcpy(c->durable + a, c->base + a, e - a);
		for (; a < e; a += LINE)
			c->flushed[a / LINE / 64] |= 1ULL << (a / LINE % 64);
	}
	if (n <= MAX_POINTS)
		snprintf(c->sh->names[n - 1], sizeof(c->sh->names[0]), "%s",
			 point);
	if (n == c->sh->target) {
		size_t l = 0, r;

		/* runs of flushed lines over the image as it was */
		while (l < NLINES) {
			if (!(c->flushed[l / 64] & (1ULL << (l % 64)))) {
				l++;
				continue;
			}
			for (r = l; r < NLINES &&
			     (c->flushed[r / 64] & (1ULL << (r % 64))); r++)
				;
			if (pwrite(c->power_fd, c->durable + l * LINE,
				   (r - l) * LINE, (off_t)(l * LINE)) !=
			    (ssize_t)((r - l) * LINE))
				_exit(CHILD_FAIL);
			l = r;
		}
		_exit(CRASH_EXIT);
	}
}

static void child_fail(const char *what, const struct famfs_problem *p)
{
	fprintf(stderr, "child: %s: %s\n", what, p ? p->msg : "");
	_exit(CHILD_FAIL);
}

/* arm the hook on @m's mapping; the durable copy starts as it is now */
static void child_arm(struct child *c, const struct famfs_meta *m)
{
	c->sh = sh;
	c->base = (const unsigned char *)m->sb;
	c->durable = malloc(META_LEN);
	c->flushed = calloc(NLINES / 64, sizeof(uint64_t));
	c->power_fd = open(power, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (!c->durable || !c->flushed || c->power_fd < 0)
		child_fail("setup", NULL);
	famfs_crash_hook_set(hook, c);
}

/* the appends under test, after "d" and "d/a" (PRE) */
static void build_op(int i, struct famfs_log_entry *e)
{
	struct famfs_simple_extent se = { 0, 0, 0 };
	int rc = 0;

	switch (i) {
	case 0:
		rc = famfs_entry_mkdir(e, "e", 0755, 0, 0, NULL);
		break;
	case 1:
		se.se_offset = DATA_START + 2 * MiB;
		se.se_len = 4 * MiB;
		rc = famfs_entry_file(e, "e/f", 3 * MiB, 0644, 0, 0, &se, 1,
				      NULL);
		break;
	case 2:
		se.se_offset = DATA_START + 6 * MiB;
		se.se_len = 2 * MiB;
		rc = famfs_entry_file(e, "g", 1, 0600, 1, 1, &se, 1, NULL);
		break;
	}
	if (rc)
		child_fail("build", NULL);
}

static void op_append(void)
{
	struct famfs_log_entry e;
	struct famfs_problem p;
	struct famfs_meta m;
	struct child c;
	int i;

	if (famfs_meta_open_image(&m, img, FAMFS_META_WRITE | FAMFS_META_LOCK,
				  0, &p) < 0)
		child_fail("open", &p);
	child_arm(&c, &m);
	for (i = 0; i < NOPS; i++) {
		build_op(i, &e);
		if (famfs_log_append(&m, &e, &p) != PRE + i)
			child_fail("append", &p);
		sh->returned++;
	}
}

static void op_mkfs(void)
{
	struct famfs_mkfs_params mp = {
		.dev_size = DEV_SIZE, .log_len = LOG_LEN, .devname = "/dev/new",
	};
	struct famfs_problem p;
	struct famfs_meta m;
	struct child c;

	memcpy(mp.system_uuid, other_master, sizeof(famfs_uuid_t));
	if (famfs_meta_open_image(&m, img, FAMFS_META_WRITE |
				  FAMFS_META_NOCHECK | FAMFS_META_LOCK,
				  LOG_LEN, &p) < 0)
		child_fail("open", &p);
	child_arm(&c, &m);
	if (famfs_mkfs(&m, &mp, true, &p) < 0)
		child_fail("mkfs", &p);
}

/* run @op in a child that stops at point @target (0: never); its status */
static int run_child(void (*op)(void), int target)
{
	pid_t pid;
	int st;

	memset(sh, 0, sizeof(*sh));
	sh->target = target;
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		op();
		sh->done = 1;
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

static bool all_zero(const void *p, size_t len);

/* @path := @buf (META_LEN bytes), then zeros up to DEV_SIZE (as holes) */
static void image_write(const char *path, const unsigned char *buf)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	size_t o, ch = 64 * 1024;

	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, DEV_SIZE), 0);
	for (o = 0; o < META_LEN; o += ch)
		if (!all_zero(buf + o, ch))
			assert_int_equal(pwrite(fd, buf + o, ch, (off_t)o), ch);
	close(fd);
}

static bool all_zero(const void *p, size_t len)
{
	static const unsigned char zero[64 * 1024];
	const unsigned char *b = p;
	size_t n;

	for (; len; b += n, len -= n) {
		n = len < sizeof(zero) ? len : sizeof(zero);
		if (memcmp(b, zero, n))
			return false;
	}
	return true;
}

/* META_LEN bytes of @path; and the file is DEV_SIZE with a zero data area */
static unsigned char *image_read(const char *path)
{
	unsigned char *buf = malloc(META_LEN);
	static unsigned char chunk[1 << 20];
	struct stat st;
	off_t off;
	ssize_t n;
	int fd;

	assert_non_null(buf);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(st.st_size, DEV_SIZE);
	assert_int_equal(pread(fd, buf, META_LEN, 0), META_LEN);
	/* the data area: holes are zero; read whatever is not a hole */
	off = lseek(fd, DATA_START, SEEK_DATA);
	while (off >= 0 && off < (off_t)DEV_SIZE) {
		n = pread(fd, chunk, sizeof(chunk), off);
		assert_true(n > 0);
		if (!all_zero(chunk, (size_t)n))
			fail_msg("%s: data changed near byte %lld", path,
				 (long long)off);
		off += n;
	}
	close(fd);
	return buf;
}

static int mock_mk(void *ctx, const char *rel, bool client)
{
	(void)rel;
	(void)client;
	++*(int *)ctx;
	return 0;
}

static int mock_mkdir(void *ctx, const char *rel,
		      const struct famfs_log_mkdir *md, bool client,
		      struct famfs_problem *p)
{
	(void)md;
	(void)p;
	return mock_mk(ctx, rel, client);
}

static int mock_mkfile(void *ctx, const char *rel,
		       const struct famfs_log_file_meta *fm, bool client,
		       struct famfs_problem *p)
{
	(void)fm;
	(void)p;
	return mock_mk(ctx, rel, client);
}

/*
 * The image at @path opens (checked), fsck finds nothing and a replay
 * plays all of its next_index entries; returns next_index.
 */
static uint64_t replay_clean(const char *path, const char *what)
{
	struct famfs_play_ops ops = { mock_mkdir, mock_mkfile, NULL, NULL };
	struct famfs_fsck_result *r = calloc(1, sizeof(*r));
	struct famfs_play_stats st;
	struct famfs_problem p;
	struct famfs_meta m;
	uint64_t n;
	int made = 0, rc;

	assert_non_null(r);
	ops.ctx = &made;
	rc = famfs_meta_open_image(&m, path, 0, 0, &p);
	if (rc)
		fail_msg("%s: does not open: %s", what, p.msg);
	n = m.log->next_index;
	assert_int_equal(famfs_fsck(&m, r), 0);
	if (r->errors)
		fail_msg("%s: fsck: %llu errors, first: %s", what,
			 (unsigned long long)r->errors, r->findings[0].p.msg);
	rc = famfs_logplay(&m, &ops, 0, NULL, &st, &p);
	if (rc || st.bad_index != -1 || st.entries != n ||
	    (uint64_t)made != n)
		fail_msg("%s: replay rc %d, stopped at %lld, %llu of %llu played: %s",
			 what, rc, (long long)st.bad_index,
			 (unsigned long long)st.entries, (unsigned long long)n,
			 rc ? p.msg : "");
	famfs_meta_close(&m);
	free(r);
	return n;
}

/* the writer carries on after the crash: one more append, still clean */
static void append_after(const unsigned char *buf, uint64_t n, const char *what)
{
	struct famfs_log_entry e;
	struct famfs_problem p;
	struct famfs_meta m;

	image_write(recov, buf);
	assert_int_equal(famfs_meta_open_image(&m, recov, FAMFS_META_WRITE, 0,
					       &p), 0);
	assert_int_equal(famfs_entry_mkdir(&e, "z", 0755, 0, 0, &p), 0);
	if (famfs_log_append(&m, &e, &p) != (int64_t)n)
		fail_msg("%s: the next append failed: %s", what, p.msg);
	famfs_meta_close(&m);
	assert_int_equal(replay_clean(recov, what), n + 1);
}

static struct famfs_log_entry *slot_of(unsigned char *buf, uint64_t i)
{
	return &((struct famfs_log *)(buf + FAMFS_LOG_OFFSET))->entries[i];
}

static void check_append(const char *path, const unsigned char *base,
			 unsigned char *ref, int returned, const char *what)
{
	unsigned char *buf = image_read(path);
	struct famfs_log *log = (struct famfs_log *)(buf + FAMFS_LOG_OFFSET);
	struct famfs_log_entry a, b;
	uint64_t n, i, seq;

	n = replay_clean(path, what);
	/* every append that returned is there; nothing beyond the ops */
	if (n < (uint64_t)(PRE + returned) || n > PRE + NOPS)
		fail_msg("%s: %llu entries, %d returned success after %d",
			 what, (unsigned long long)n, returned, PRE);
	/* ... exactly as written, in order */
	for (i = 0; i < n; i++)
		if (memcmp(slot_of(buf, i), slot_of(ref, i), sizeof(a)))
			fail_msg("%s: entry %llu differs", what,
				 (unsigned long long)i);
	/* the header's next_seqnum may be one ahead of next_index (it is
	 * stored first); nothing reads it before the index */
	seq = log->next_seqnum;
	if (seq != n && seq != n + 1)
		fail_msg("%s: next_seqnum %llu, next_index %llu", what,
			 (unsigned long long)seq, (unsigned long long)n);
	/* the slot being written, if any: the new entry, sealed or not */
	if (n < PRE + NOPS && !all_zero(slot_of(buf, n), sizeof(a))) {
		a = *slot_of(buf, n);
		b = *slot_of(ref, n);
		a.seqnum = b.seqnum = 0;
		a.crc = b.crc = 0;
		if (memcmp(&a, &b, sizeof(a)))
			fail_msg("%s: unpublished slot %llu holds something else",
				 what, (unsigned long long)n);
	}
	/* nothing else changed: compare with the old image, with what may
	 * differ copied over from this one */
	{
		unsigned char *exp = malloc(META_LEN);
		struct famfs_log *el = (struct famfs_log *)(exp + FAMFS_LOG_OFFSET);

		assert_non_null(exp);
		memcpy(exp, base, META_LEN);
		el->next_seqnum = log->next_seqnum;
		el->next_index = log->next_index;
		for (i = PRE; i <= n && i < PRE + NOPS; i++)
			*slot_of(exp, i) = *slot_of(buf, i);
		for (i = 0; memcmp(exp, buf, META_LEN) && i < META_LEN; i++)
			if (exp[i] != buf[i])
				fail_msg("%s: byte %llu changed", what,
					 (unsigned long long)i);
		free(exp);
	}
	append_after(buf, n, what);
	free(buf);
}

/* a fresh file system with "d" and "d/a"; also returns its bytes */
static unsigned char *make_base(bool junk)
{
	struct famfs_mkfs_params mp = {
		.dev_size = DEV_SIZE, .log_len = LOG_LEN, .devname = "/dev/old",
	};
	unsigned char *zero = calloc(1, META_LEN), *buf;
	struct famfs_simple_extent se = { 0, DATA_START, 2 * MiB };
	struct famfs_log_entry e;
	struct famfs_problem p;
	struct famfs_meta m;

	assert_non_null(zero);
	image_write(img, zero);
	free(zero);
	memcpy(mp.system_uuid, test_master_uuid, sizeof(famfs_uuid_t));
	assert_int_equal(famfs_meta_open_image(&m, img, FAMFS_META_WRITE |
					       FAMFS_META_NOCHECK, LOG_LEN,
					       &p), 0);
	assert_int_equal(famfs_mkfs(&m, &mp, false, &p), 0);
	assert_int_equal(famfs_entry_mkdir(&e, "d", 0755, 0, 0, &p), 0);
	assert_int_equal(famfs_log_append(&m, &e, &p), 0);
	assert_int_equal(famfs_entry_file(&e, "d/a", 5000, 0644, 0, 0, &se, 1,
					  &p), 0);
	assert_int_equal(famfs_log_append(&m, &e, &p), 1);
	if (junk) {
		/* what mkfs must erase: bytes in the superblock padding (an
		 * ext4 superblock would be at 1 KiB) and a valid-looking
		 * entry past next_index */
		memset((char *)m.sb + 1024, 0x53, 1024);
		*slot_of((unsigned char *)m.sb, 5) = *slot_of((unsigned char *)m.sb, 1);
		slot_of((unsigned char *)m.sb, 5)->seqnum = 5;
		slot_of((unsigned char *)m.sb, 5)->crc =
			famfs_entry_crc(slot_of((unsigned char *)m.sb, 5));
	}
	famfs_meta_close(&m);
	buf = image_read(img);
	assert_int_equal(replay_clean(img, "base"), PRE);
	return buf;
}

static void print_points(const char *op, int total)
{
	int i;

	printf("%s: %d crash points:", op, total);
	for (i = 0; i < total && i < MAX_POINTS; i++)
		printf(" %s", sh->names[i]);
	printf("\n");
}

static int setup(void **state)
{
	const char *t = getenv("TMPDIR");
	struct stat st;

	(void)state;
	/* keep freed image buffers in the heap: no page faults per point */
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	/* tmpfs when there is one: hundreds of images are written */
	if (!t && stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) &&
	    access("/dev/shm", W_OK) == 0)
		t = "/dev/shm";
	snprintf(dir, sizeof(dir), "%s/famfs-crash-XXXXXX", t ? t : "/tmp");
	if (!mkdtemp(dir))
		return -1;
	snprintf(img, sizeof(img), "%s/img", dir);
	snprintf(power, sizeof(power), "%s/power", dir);
	snprintf(recov, sizeof(recov), "%s/recov", dir);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	return sh == MAP_FAILED ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(img);
	unlink(power);
	unlink(recov);
	rmdir(dir);
	munmap(sh, sizeof(*sh));
	printf("crash points covered: %d (append %d, mkfs %d; each as a killed writer and as a power cut)\n",
	       covered_append + covered_mkfs, covered_append, covered_mkfs);
	return 0;
}

static void test_crash_append(void **state)
{
	unsigned char *base, *ref;
	char what[128];
	int total, n, rc;

	(void)state;
	base = make_base(false);
	/* the whole operation once: the reference, and how many points */
	assert_int_equal(run_child(op_append, 0), 0);
	assert_int_equal(sh->done, 1);
	assert_int_equal(sh->returned, NOPS);
	total = sh->seen;
	assert_true(total > 0 && total <= MAX_POINTS);
	print_points("append", total);
	ref = image_read(img);
	assert_int_equal(replay_clean(img, "reference"), PRE + NOPS);

	for (n = 1; n <= total; n++) {
		image_write(img, base);
		image_write(power, base);
		rc = run_child(op_append, n);
		assert_int_equal(rc, CRASH_EXIT);
		assert_int_equal(sh->seen, n);
		snprintf(what, sizeof(what), "append: killed at point %d (%s)",
			 n, sh->names[n - 1]);
		check_append(img, base, ref, sh->returned, what);
		snprintf(what, sizeof(what), "append: power cut at point %d (%s)",
			 n, sh->names[n - 1]);
		check_append(power, base, ref, sh->returned, what);
		covered_append++;
	}
	free(ref);
	free(base);
}

/* after a crash in mkfs: the old fs untouched, no fs, or the new empty fs */
static int check_mkfs(const char *path, const unsigned char *base,
		      const char *what)
{
	const struct famfs_superblock *old = (const void *)base;
	unsigned char *buf = image_read(path);
	struct famfs_superblock *sb = (void *)buf;
	struct famfs_problem p;
	struct famfs_meta m;
	char desc[400];
	int state;

	if (sb->ts_magic != FAMFS_SUPER_MAGIC) {
		/* no file system: nothing opens it, mkfs needs no -f */
		if (famfs_meta_open_image(&m, path, 0, 0, &p) != -ENODATA)
			fail_msg("%s: no magic, yet it opens", what);
		if (famfs_sb_describe(sb, desc, sizeof(desc)))
			fail_msg("%s: still described as famfs", what);
		state = 0;
	} else if (!memcmp(sb->ts_uuid, old->ts_uuid, sizeof(sb->ts_uuid))) {
		/* the old file system: then nothing at all was written */
		if (memcmp(buf, base, META_LEN))
			fail_msg("%s: the old superblock over a changed image",
				 what);
		state = 1;
	} else {
		/* the new one: valid, empty, and every old byte gone */
		if (famfs_sb_check(sb, &p))
			fail_msg("%s: new superblock does not check: %s", what,
				 p.msg);
		if (memcmp(sb->ts_system_uuid, other_master,
			   sizeof(famfs_uuid_t)))
			fail_msg("%s: a superblock of neither", what);
		if (replay_clean(path, what) != 0)
			fail_msg("%s: the new log has entries", what);
		if (!all_zero(buf + sizeof(*sb), FAMFS_LOG_OFFSET - sizeof(*sb)))
			fail_msg("%s: old bytes in the superblock region", what);
		if (!all_zero(buf + FAMFS_LOG_OFFSET + sizeof(struct famfs_log),
			      LOG_LEN - sizeof(struct famfs_log)))
			fail_msg("%s: old bytes in the log", what);
		state = 2;
	}
	free(buf);
	return state;
}

static void test_crash_mkfs(void **state)
{
	int total, n, states[3] = { 0 };
	unsigned char *base;
	char what[128];

	(void)state;
	base = make_base(true);
	assert_int_equal(run_child(op_mkfs, 0), 0);
	assert_int_equal(sh->done, 1);
	total = sh->seen;
	assert_true(total > 0 && total <= MAX_POINTS);
	print_points("mkfs", total);
	assert_int_equal(check_mkfs(img, base, "mkfs: complete"), 2);

	for (n = 1; n <= total; n++) {
		image_write(img, base);
		image_write(power, base);
		assert_int_equal(run_child(op_mkfs, n), CRASH_EXIT);
		assert_int_equal(sh->seen, n);
		snprintf(what, sizeof(what), "mkfs: killed at point %d (%s)",
			 n, sh->names[n - 1]);
		states[check_mkfs(img, base, what)]++;
		snprintf(what, sizeof(what), "mkfs: power cut at point %d (%s)",
			 n, sh->names[n - 1]);
		states[check_mkfs(power, base, what)]++;
		covered_mkfs++;
	}
	/* the first store already ends the old file system */
	assert_int_equal(states[1], 1);		/* power cut at point 1 */
	assert_true(states[0] > 0 && states[2] > 0);
	free(base);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crash_append),
		cmocka_unit_test(test_crash_mkfs),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
