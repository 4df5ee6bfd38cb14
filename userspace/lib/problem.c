// SPDX-License-Identifier: Apache-2.0
/*
 * problem.c - precise error reports: which entry, which field, why
 */
#include <stdarg.h>
#include <string.h>

#include "libfamfs.h"

int famfs_problem_set(struct famfs_problem *p, int err, int64_t index,
		      const char *field, const char *fmt, ...)
{
	va_list ap;

	if (!p)
		return -err;
	p->err = err;
	p->index = index;
	snprintf(p->field, sizeof(p->field), "%s", field ? field : "");
	va_start(ap, fmt);
	vsnprintf(p->msg, sizeof(p->msg), fmt, ap);
	va_end(ap);
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
