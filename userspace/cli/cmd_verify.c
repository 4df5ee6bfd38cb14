// SPDX-License-Identifier: Apache-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * cmd_verify.c - famfs verify: compare files with the seeded pattern
 * (Documentation/admin.md §5): -S SEED -f FILE, or --multi FILE,SEED repeated
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmds.h"

static const struct cli_opt verify_opts[] = {
	{ 'S', "seed", "SEED", "the seed the file was filled with (creat -S)" },
	{ 'f', "filename", "FILE", "the file to check" },
	{ 'm', "multi", "FILE,SEED", "one more file and its seed; repeatable" },
	{ 't', "threadct", "N", "threads that check the files (0..256; 0 = this thread only; default: CPUs)" },
	{ 'q', "quiet", NULL, "print nothing on success" },
	{ 0 }
};

struct verify_file {
	const char *name;
	uint64_t seed;
	uint64_t size;
	bool ok;		/* opened and mapped */
};

/* files mapped at once: bounded by vm.max_map_count */
#define VERIFY_BATCH 512

/* map @v (read-only) into @j; exit code */
static int map_file(struct verify_file *v, struct famfs_pattern_job *j)
{
	struct stat st;
	void *a;
	int fd;

	fd = open(v->name, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		cli_err("%s: %s", v->name, strerror(errno));
		if (fd >= 0)
			close(fd);
		return EXIT_FAIL;
	}
	if (!S_ISREG(st.st_mode)) {
		cli_err("%s: not a regular file", v->name);
		close(fd);
		return EXIT_FAIL;
	}
	v->size = (uint64_t)st.st_size;
	a = NULL;
	if (st.st_size > 0) {
		a = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
		if (a == MAP_FAILED) {
			cli_err("%s: mmap: %s", v->name, strerror(errno));
			close(fd);
			return EXIT_FAIL;
		}
	}
	close(fd);
	/* another host wrote it: read memory, not our cache */
	*j = (struct famfs_pattern_job){ .buf = a, .len = (size_t)st.st_size,
					 .seed = v->seed, .invalidate = true };
	v->ok = true;
	return EXIT_OK;
}

static int verify_files(struct verify_file *files, size_t nfiles,
			unsigned int nthreads, bool quiet)
{
	struct famfs_pattern_job jobs[VERIFY_BATCH];
	struct verify_file *jf[VERIFY_BATCH];
	int worst = EXIT_OK, rc;
	size_t i = 0, n, k;

	while (i < nfiles) {
		for (n = 0; i < nfiles && n < VERIFY_BATCH; i++) {
			rc = map_file(&files[i], &jobs[n]);
			if (rc) {
				worst = rc > worst ? rc : worst;
				continue;
			}
			jf[n++] = &files[i];
		}
		if (famfs_pattern_run(jobs, n, true, nthreads) < 0) {
			cli_err("verify: out of memory");
			worst = EXIT_FAIL;
		}
		for (k = 0; k < n; k++) {
			struct verify_file *v = jf[k];
			int64_t bad = jobs[k].bad;

			if (jobs[k].len)
				munmap(jobs[k].buf, jobs[k].len);
			if (bad >= 0) {
				cli_err("%s: does not match seed %llu: first difference at byte offset %lld (0x%llx)",
					v->name, (unsigned long long)v->seed,
					(long long)bad, (unsigned long long)bad);
				if (worst < EXIT_PROBLEMS)
					worst = EXIT_PROBLEMS;
			} else if (!quiet) {
				printf("%s: %llu bytes match seed %llu\n",
				       v->name, (unsigned long long)v->size,
				       (unsigned long long)v->seed);
			}
		}
	}
	return worst;
}

/* "FILE,SEED": the last comma splits (a file name may hold commas) */
static int parse_multi(char *arg, struct verify_file *v)
{
	char *comma = strrchr(arg, ',');

	if (!comma || comma == arg)
		return -EINVAL;
	*comma = '\0';
	v->name = arg;
	return famfs_parse_u64(comma + 1, &v->seed) < 0 ? -EINVAL : 0;
}

static int verify_run(int argc, char **argv, const struct cli_cmd *cmd)
{
	struct verify_file *files = NULL, *v;
	size_t nfiles = 0, cap = 0;
	const char *file = NULL;
	bool have_seed = false, quiet = false;
	unsigned int nthreads = cli_threadct_default();
	uint64_t seed = 0;
	int c, rc = EXIT_OK;

	while ((c = cli_getopt(argc, argv, cmd)) != -1) {
		switch (c) {
		case 'S':
			if (famfs_parse_u64(optarg, &seed) < 0) {
				rc = cli_usage_error(cmd, "bad seed '%s'",
						     optarg);
				goto out;
			}
			have_seed = true;
			break;
		case 'f':
			file = optarg;
			break;
		case 'm':
			if (nfiles == cap) {
				cap = cap ? cap * 2 : 16;
				v = realloc(files, cap * sizeof(*v));
				if (!v) {
					cli_err("out of memory");
					rc = EXIT_FAIL;
					goto out;
				}
				files = v;
			}
			memset(&files[nfiles], 0, sizeof(files[0]));
			if (parse_multi(optarg, &files[nfiles]) < 0) {
				rc = cli_usage_error(cmd,
					"--multi expects FILE,SEED: '%s'",
					optarg);
				goto out;
			}
			nfiles++;
			break;
		case 't':
			if (cli_threadct(optarg, &nthreads) < 0) {
				rc = cli_usage_error(cmd,
					"-t %s: 0..%d threads expected", optarg,
					FAMFS_PATTERN_MAX_THREADS);
				goto out;
			}
			break;
		case 'q':
			quiet = true;
			break;
		}
	}
	if (!file && argc - optind == 1 && have_seed)
		file = argv[optind++];
	/* like the reference: --multi A,1 B,2 C,3 (the rest after --multi) */
	for (; nfiles && optind < argc; optind++) {
		v = realloc(files, (nfiles + 1) * sizeof(*v));
		if (!v) {
			cli_err("out of memory");
			rc = EXIT_FAIL;
			goto out;
		}
		files = v;
		memset(&files[nfiles], 0, sizeof(files[0]));
		if (parse_multi(argv[optind], &files[nfiles]) < 0) {
			rc = cli_usage_error(cmd,
				"--multi expects FILE,SEED: '%s'", argv[optind]);
			goto out;
		}
		nfiles++;
	}
	if (argc != optind || (!file && !nfiles) || (file && !have_seed) ||
	    (!file && have_seed)) {
		rc = cli_usage_error(cmd,
			"expected -S SEED -f FILE and/or --multi FILE,SEED ...");
		goto out;
	}
	if (file) {
		v = realloc(files, (nfiles + 1) * sizeof(*v));
		if (!v) {
			cli_err("out of memory");
			rc = EXIT_FAIL;
			goto out;
		}
		files = v;
		/* -f first, then the --multi files in their order */
		memmove(files + 1, files, nfiles * sizeof(*v));
		files[0] = (struct verify_file){ .name = file, .seed = seed };
		nfiles++;
	}
	rc = verify_files(files, nfiles, nthreads, quiet);
out:
	free(files);
	return rc;
}

const struct cli_cmd cmd_verify = {
	.name = "verify",
	.run = verify_run,
	.args = "-S SEED -f FILE | --multi FILE,SEED [FILE,SEED]...",
	.summary = "check that files hold the pattern creat -S SEED wrote",
	.detail =
"--multi may be repeated, or followed by more FILE,SEED arguments (after\n"
"all options). Each file is compared with the pattern of its seed, read\n"
"from memory, not this CPU's cache. The files are cut into 32 MiB pieces\n"
"that -t threads share; the first differing offset reported does not\n"
"depend on -t.\n"
"Exits 0 if every file matches, 4 if one differs (each is named with its\n"
"first differing offset), 1 if one cannot be read.\n",
	.examples =
"famfs verify -S 42 -f /mnt/famfs/a\n"
"  check one file\n"
"famfs verify -t 4 --multi /mnt/famfs/a,42 /mnt/famfs/b,43\n"
"  check two files with four threads\n",
	.opts = verify_opts,
};
