// SPDX-License-Identifier: Apache-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * cmd_creat.c - famfs creat: allocate, log and create files, optionally
 * filled with the seeded pattern (Documentation/admin.md §5), master only
 *
 * All files of one call share one locked-log session (one lock, one
 * bitmap build); the fill happens after the lock is dropped.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmds.h"

static const struct cli_opt creat_opts[] = {
	{ 's', "size", "SIZE", "file size: decimal bytes, optional K, M, G, T, P or E suffix (1024-based)" },
	{ 'M', "multi", "FILE,SIZE[,SEED]", "one more file with its own size (and seed); repeatable" },
	{ 'S', "seed", "SEED", "fill the file(s) with the pattern of SEED (see verify)" },
	{ 'r', "randomize", NULL, "fill with the pattern of a random seed (printed), or of -S SEED" },
	{ 'm', "mode", "MODE", "octal permissions (default 0644 minus umask)" },
	{ 'u', "uid", "USER", "owner (name or number; default: the caller)" },
	{ 'g', "gid", "GROUP", "group (name or number; default: the caller's)" },
	CLI_INTERLEAVE_OPTS,
	{ 't', "threadct", "N", "threads that fill the files (0..256; 0 = this thread only; default: CPUs)" },
	{ 'v', "verbose", NULL, "print each file's extents" },
	{ 0 }
};

struct creat_file {
	const char *name;
	uint64_t size, seed;
	bool have_size, have_seed;
	char *abs;
	bool created, skip;
};

/* the files of one call: as many as memory allows (the log is the limit) */
struct creat_list {
	struct creat_file *f;
	size_t n, cap;
};

static struct creat_file *creat_add(struct creat_list *l)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct creat_file *f = realloc(l->f, cap * sizeof(*f));

		if (!f)
			return NULL;
		l->f = f;
		l->cap = cap;
	}
	memset(&l->f[l->n], 0, sizeof(l->f[0]));
	return &l->f[l->n++];
}

static void creat_free(struct creat_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->f[i].abs);
	free(l->f);
}

/* files mapped at once by fill(): bounded by vm.max_map_count, not memory */
#define FILL_BATCH 512

/*
 * Fill every file that has a seed with its pattern and write the cache back
 * (visible to other hosts); @nthreads share the pieces of a batch of mapped
 * files. Returns the worst exit code.
 */
static int fill(struct creat_list *l, unsigned int nthreads, bool verbose)
{
	struct famfs_pattern_job jobs[FILL_BATCH];
	struct creat_file *jf[FILL_BATCH];
	size_t i = 0, n, k;
	int worst = EXIT_OK;

	while (i < l->n) {
		for (n = 0; i < l->n && n < FILL_BATCH; i++) {
			struct creat_file *f = &l->f[i];
			void *a;
			int fd;

			if (!f->have_seed || !(f->created || f->skip) ||
			    !f->size)
				continue;
			fd = open(f->abs, O_RDWR | O_CLOEXEC);
			if (fd < 0) {
				cli_err("%s: %s", f->abs, strerror(errno));
				worst = EXIT_FAIL;
				continue;
			}
			a = mmap(NULL, f->size, PROT_READ | PROT_WRITE,
				 MAP_SHARED, fd, 0);
			close(fd);
			if (a == MAP_FAILED) {
				cli_err("%s: mmap: %s", f->abs, strerror(errno));
				worst = EXIT_FAIL;
				continue;
			}
			jobs[n] = (struct famfs_pattern_job){
				.buf = a, .len = f->size, .seed = f->seed,
				.writeback = true };
			jf[n++] = f;
		}
		if (famfs_pattern_run(jobs, n, false, nthreads) < 0) {
			cli_err("fill: out of memory");
			worst = EXIT_FAIL;
		}
		for (k = 0; k < n; k++) {
			munmap(jobs[k].buf, jobs[k].len);
			if (verbose && l->n > 1)
				printf("%s: filled with seed %llu\n",
				       jf[k]->abs,
				       (unsigned long long)jf[k]->seed);
		}
	}
	return worst;
}

static void print_map(const char *abs, uint64_t size,
		      const struct famfs_log_fmap *fm)
{
	char sz[32], ch[32];
	unsigned int i;

	if (fm->fmap_ext_type == FAMFS_EXT_SIMPLE) {
		printf("%s: %llu bytes at device offset 0x%llx (%s allocated)\n",
		       abs, (unsigned long long)size,
		       (unsigned long long)fm->se[0].se_offset,
		       famfs_size_str(fm->se[0].se_len, sz, sizeof(sz)));
		return;
	}
	printf("%s: %llu bytes interleaved over %llu strips of %s, chunk %s:",
	       abs, (unsigned long long)size,
	       (unsigned long long)fm->ie[0].ie_nstrips,
	       famfs_size_str(fm->ie[0].ie_strips[0].se_len, sz, sizeof(sz)),
	       famfs_size_str(fm->ie[0].ie_chunk_size, ch, sizeof(ch)));
	for (i = 0; i < fm->ie[0].ie_nstrips; i++)
		printf(" 0x%llx",
		       (unsigned long long)fm->ie[0].ie_strips[i].se_offset);
	printf("\n");
}

/* "name,size[,seed]"; -ERANGE: the size is too large (*@sizep names it) */
static int parse_multi(char *arg, struct creat_file *f, const char **sizep)
{
	char *size = strchr(arg, ','), *seed;
	int rc;

	if (!size)
		return -EINVAL;
	*size++ = '\0';
	*sizep = size;
	seed = strchr(size, ',');
	if (seed)
		*seed++ = '\0';
	f->name = arg;
	if (!*arg)
		return -EINVAL;
	rc = famfs_parse_size(size, &f->size);
	if (rc)
		return rc;
	f->have_size = true;
	if (seed) {
		if (famfs_parse_u64(seed, &f->seed) < 0)
			return -EINVAL;
		f->have_seed = true;
	}
	return 0;
}

/*
 * an existing file: a logged one of the same size is kept (re-filled with
 * a seed), anything else is refused; one made outside famfs (touch) is
 * not in the log and has no memory, so it cannot be kept
 */
static int existing(struct cli_session *s, struct creat_file *f,
		    const struct stat *st)
{
	char rel[FAMFS_MAX_PATHLEN];
	struct famfs_problem p;
	uint32_t type;

	if (S_ISREG(st->st_mode) &&
	    (famfs_relpath_make(s->mnt, f->abs, rel, &p) < 0 ||
	     famfs_writer_lookup(&s->w, rel, &type, NULL, &p) < 0 ||
	     type != FAMFS_LOG_FILE)) {
		cli_err("%s: already exists and is not in the log (made outside famfs)",
			f->abs);
		return EXIT_REFUSED;
	}
	if (S_ISREG(st->st_mode) && (uint64_t)st->st_size == f->size) {
		f->skip = true;
		return EXIT_OK;
	}
	cli_err("%s: already exists%s", f->abs,
		S_ISREG(st->st_mode) ? " with a different size" :
		" and is not a regular file");
	return EXIT_REFUSED;
}

static int creat_main(int argc, char **argv, const struct cli_cmd *cmd,
		      struct creat_list *l);

static int creat_run(int argc, char **argv, const struct cli_cmd *cmd)
{
	struct creat_list l = { 0 };
	int rc = creat_main(argc, argv, cmd, &l);

	creat_free(&l);
	return rc;
}

static int creat_main(int argc, char **argv, const struct cli_cmd *cmd,
		      struct creat_list *l)
{
	struct creat_file *f;
	unsigned int nthreads = cli_threadct_default();
	bool have_size = false, have_seed = false, randomize = false;
	bool verbose = false;
	uint64_t size = 0, seed = 0;
	uint32_t uid = (uint32_t)geteuid(), gid = (uint32_t)getegid();
	struct famfs_interleave il = { 0 };
	char rel[FAMFS_MAX_PATHLEN];
	struct famfs_log_fmap fm;
	struct famfs_problem p;
	struct cli_session s;
	struct stat st;
	mode_t um = umask(0);
	uint32_t mode = 0644 & ~um;
	char absbuf[PATH_MAX];
	const char *msize = NULL;
	int c, rc, worst = EXIT_OK;
	size_t i;

	umask(um);
	while ((c = cli_getopt(argc, argv, cmd)) != -1) {
		rc = cli_interleave_opt(cmd, c, optarg, &il);
		if (rc == 1)
			continue;
		if (rc)
			return rc;
		switch (c) {
		case 's':
			if (cli_size(cmd, "-s", optarg, &size))
				return EXIT_USAGE;
			have_size = true;
			break;
		case 'M':
			f = creat_add(l);
			if (!f) {
				cli_err("out of memory");
				return EXIT_FAIL;
			}
			rc = parse_multi(optarg, f, &msize);
			if (rc == -ERANGE)
				return cli_size_error(cmd, "-M", msize, rc);
			if (rc < 0)
				return cli_usage_error(cmd,
					"-M expects FILE,SIZE[,SEED]: '%s'",
					optarg);
			break;
		case 't':
			if (cli_threadct(optarg, &nthreads) < 0)
				return cli_usage_error(cmd,
					"-t %s: 0..%d threads expected", optarg,
					FAMFS_PATTERN_MAX_THREADS);
			break;
		case 'S':
			if (famfs_parse_u64(optarg, &seed) < 0)
				return cli_usage_error(cmd, "bad seed '%s'",
						       optarg);
			have_seed = true;
			break;
		case 'r':
			randomize = true;
			break;
		case 'm':
			if (famfs_parse_mode(optarg, &mode) < 0)
				return cli_usage_error(cmd, "bad mode '%s'",
						       optarg);
			break;
		case 'u':
		case 'g':
			if (cli_owner(optarg, c == 'g', c == 'u' ? &uid : &gid))
				return cli_usage_error(cmd, "unknown %s '%s'",
					c == 'u' ? "user" : "group", optarg);
			break;
		case 'v':
			verbose = true;
			break;
		}
	}
	for (c = optind; c < argc; c++) {
		f = creat_add(l);
		if (!f) {
			cli_err("out of memory");
			return EXIT_FAIL;
		}
		f->name = argv[c];
	}
	if (!l->n)
		return cli_usage_error(cmd, "expected a file name (or -M FILE,SIZE)");
	if (randomize && !have_seed) {
		seed = ((uint64_t)time(NULL) << 20) ^ (uint64_t)getpid();
		have_seed = true;
		printf("seed %llu\n", (unsigned long long)seed);
	}
	for (i = 0; i < l->n; i++) {
		f = &l->f[i];
		if (!f->have_size) {
			if (!have_size)
				return cli_usage_error(cmd,
					"%s: -s SIZE is required", f->name);
			f->size = size;
		}
		if (!f->have_seed && have_seed) {
			/* several files, one seed: each gets its own */
			f->seed = seed + (uint64_t)i;
			f->have_seed = true;
		}
		rc = famfs_path_abs(f->name, absbuf, sizeof(absbuf));
		if (rc < 0) {
			cli_err("%s: %s", f->name, strerror(-rc));
			return EXIT_FAIL;
		}
		f->abs = strdup(absbuf);
		if (!f->abs) {
			cli_err("out of memory");
			return EXIT_FAIL;
		}
	}

	rc = cli_session_open(&s, l->f[0].abs);
	if (rc)
		return rc;
	rc = cli_interleave_done(&il, s.meta.sb->ts_daxdev.dd_size);
	if (rc) {
		cli_session_close(&s);
		return rc;
	}
	s.w.il = il;
	s.w.seed = (uint32_t)getpid();
	for (i = 0; i < l->n; i++) {
		f = &l->f[i];
		if (lstat(f->abs, &st) == 0) {
			rc = existing(&s, f, &st);
			if (rc > worst)
				worst = rc;
			if (!f->skip)
				f->have_seed = false;
			continue;
		}
		/* its directory must be logged: log one made with mkdir(1) */
		rc = cli_log_parents(&s, f->abs, false, false, 0, 0, 0,
				     verbose);
		if (rc) {
			if (rc > worst)
				worst = rc;
			f->have_seed = false;
			continue;
		}
		if (famfs_relpath_make(s.mnt, f->abs, rel, &p) < 0 ||
		    famfs_writer_mkfile(&s.w, rel, f->size, mode, uid, gid,
					&fm, &p) < 0) {
			rc = cli_problem(f->abs, &p);
			if (rc > worst)
				worst = rc;
			f->have_seed = false;
			/* no room or log full: the rest will not fit either */
			if (p.err == ENOSPC)
				break;
			continue;
		}
		f->created = true;
		if (verbose)
			print_map(f->abs, f->size, &fm);
	}
	cli_session_close(&s);

	rc = fill(l, nthreads, verbose);
	return rc > worst ? rc : worst;
}

const struct cli_cmd cmd_creat = {
	.name = "creat",
	.run = creat_run,
	.args = "-s SIZE FILE... | -M FILE,SIZE[,SEED]...",
	.summary = "create files of SIZE bytes in famfs (master only)",
	.detail =
"Each file gets one contiguous, 2 MiB-aligned run of device memory (a 0-byte\n"
"file gets one 2 MiB unit), or with -N an interleaved map: NSTRIPS strips in\n"
"different buckets of the device, filled round-robin in CHUNKSIZE chunks\n"
"(a file smaller than one chunk stays contiguous). All files of one call\n"
"are created under one lock of the log. An existing file of the same size\n"
"is kept (and re-filled when a seed is given); one of another size, one\n"
"made outside famfs (not in the log), and a name already in the log are\n"
"refused (exit 3). The file's directory must exist; one made with mkdir(1)\n"
"on the master is logged first, so that every host can create the file.\n"
"When memory or the log runs out, the remaining files are not created\n"
"(ENOSPC, exit 1). A size larger than the device is refused the same way\n"
"and nothing is logged. With one seed and several files, file i gets seed\n"
"SEED+i.\n"
"\n"
"SIZE (-s, -M, -C) is decimal bytes with an optional K, M, G, T, P or E\n"
"suffix (1024-based, optionally followed by B or iB): -s 010 is ten bytes,\n"
"0x10 is refused. A SIZE that is not of that form, or above 16 EiB - 2 MiB\n"
"(18446744073707454464 bytes, so that rounding up to 2 MiB units cannot\n"
"overflow), is a usage error (exit 64) and nothing is logged. SEED is a\n"
"decimal number (0 to 18446744073709551615).\n",
	.examples =
"famfs creat -s 1G /mnt/famfs/data\n"
"  one 1 GiB file\n"
"famfs creat -s 64M -S 42 /mnt/famfs/a /mnt/famfs/b\n"
"  two files filled with the patterns of seeds 42 and 43\n"
"famfs creat -N 4 -C 2M -s 1G /mnt/famfs/striped\n"
"  a file interleaved over 4 strips\n",
	.opts = creat_opts,
};
