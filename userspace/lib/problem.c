// SPDX-License-Identifier: Apache-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * problem.c - precise error reports: which entry, which field, why
 */
#include <stdarg.h>
#include <string.h>

#include "libfamfs.h"

/*
 * @src into @dst (@len bytes): if it does not fit, its middle gives way
 * to "...", so that both the object named first and the reason that
 * usually ends a message survive (a long path must not hide why).
 */
static void elide(char *dst, size_t len, const char *src)
{
	size_t n = strlen(src), head, tail;

	if (n < len) {
		memcpy(dst, src, n + 1);
		return;
	}
	head = (len - 4) / 3;
	tail = len - 4 - head;
	memcpy(dst, src, head);
	memcpy(dst + head, "...", 3);
	memcpy(dst + head + 3, src + n - tail, tail + 1);
}

int famfs_problem_set(struct famfs_problem *p, int err, int64_t index,
		      const char *field, const char *fmt, ...)
{
	char long_msg[8192];
	va_list ap;

	if (!p)
		return -err;
	p->err = err;
	p->index = index;
	snprintf(p->field, sizeof(p->field), "%s", field ? field : "");
	va_start(ap, fmt);
	vsnprintf(long_msg, sizeof(long_msg), fmt, ap);
	va_end(ap);
	elide(p->msg, sizeof(p->msg), long_msg);
	return -err;
}

const char *famfs_problem_str(const struct famfs_problem *p, char *buf,
			      size_t len)
{
	char where[64] = "";

	if (p->index >= 0)
		snprintf(where, sizeof(where), "log entry %lld: ",
			 (long long)p->index);
	snprintf(buf, len, "%s%s%s%s", where, p->field,
		 p->field[0] ? ": " : "", p->msg);
	return buf;
}
