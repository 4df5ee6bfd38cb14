// SPDX-License-Identifier: Apache-2.0
/*
 * Copyright (C) 2026 famfs contributors
 * flush.c - CPU cache write-back and invalidation for DAX mappings
 *
 * Shared memory may not be cache-coherent between hosts (format.md §9), so a
 * writer pushes the lines it wrote out of its cache, and a reader drops
 * lines it may hold stale before re-reading. x86_64 picks clwb (write back,
 * keep the line), clflushopt or clflush by CPUID; every sequence ends with
 * a store fence. aarch64 uses dc cvac / dc civac + dsb.
 */
#include <stdint.h>

#include "libfamfs.h"

#define LINE 64

#if defined(__x86_64__)
#include <cpuid.h>

enum { INSN_UNKNOWN, INSN_CLFLUSH, INSN_CLFLUSHOPT, INSN_CLWB };

static int insn_probe(void)
{
	static int insn = INSN_UNKNOWN;
	unsigned int a, b, c, d;

	if (insn != INSN_UNKNOWN)
		return insn;
	insn = INSN_CLFLUSH;
	if (__get_cpuid_count(7, 0, &a, &b, &c, &d)) {
		if (b & (1u << 24))
			insn = INSN_CLWB;
		else if (b & (1u << 23))
			insn = INSN_CLFLUSHOPT;
	}
	return insn;
}

static int flushopt_available(void)
{
	unsigned int a, b, c, d;

	return __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & (1u << 23));
}

static void line_op(const void *addr, size_t len, int insn)
{
	uintptr_t p = (uintptr_t)addr & ~(uintptr_t)(LINE - 1);
	uintptr_t end = (uintptr_t)addr + len;

	if (!len)
		return;
	for (; p < end; p += LINE) {
		volatile char *l = (volatile char *)p;

		switch (insn) {
		case INSN_CLWB:
			__asm__ volatile("clwb %0" : "+m"(*l));
			break;
		case INSN_CLFLUSHOPT:
			__asm__ volatile("clflushopt %0" : "+m"(*l));
			break;
		default:
			__asm__ volatile("clflush %0" : "+m"(*l));
			break;
		}
	}
	__asm__ volatile("sfence" ::: "memory");
}

void famfs_cpu_writeback(const void *addr, size_t len)
{
	line_op(addr, len, insn_probe());
}

void famfs_cpu_invalidate(const void *addr, size_t len)
{
	/* clwb may keep the line: invalidation needs a real flush */
	line_op(addr, len, flushopt_available() ? INSN_CLFLUSHOPT
						 : INSN_CLFLUSH);
	__asm__ volatile("mfence" ::: "memory");
}

const char *famfs_cpu_flush_insn(void)
{
	switch (insn_probe()) {
	case INSN_CLWB:
		return "clwb";
	case INSN_CLFLUSHOPT:
		return "clflushopt";
	default:
		return "clflush";
	}
}

#elif defined(__aarch64__)

static void line_op(const void *addr, size_t len, int invalidate)
{
	uintptr_t p = (uintptr_t)addr & ~(uintptr_t)(LINE - 1);
	uintptr_t end = (uintptr_t)addr + len;

	for (; p < end; p += LINE) {
		if (invalidate)
			__asm__ volatile("dc civac, %0" :: "r"(p) : "memory");
		else
			__asm__ volatile("dc cvac, %0" :: "r"(p) : "memory");
	}
	__asm__ volatile("dsb sy" ::: "memory");
}

void famfs_cpu_writeback(const void *addr, size_t len)
{
	line_op(addr, len, 0);
}

void famfs_cpu_invalidate(const void *addr, size_t len)
{
	line_op(addr, len, 1);
}

const char *famfs_cpu_flush_insn(void)
{
	return "dc cvac";
}

#else

void famfs_cpu_writeback(const void *addr, size_t len)
{
	(void)addr;
	(void)len;
	__sync_synchronize();
}

void famfs_cpu_invalidate(const void *addr, size_t len)
{
	(void)addr;
	(void)len;
	__sync_synchronize();
}

const char *famfs_cpu_flush_insn(void)
{
	return "none";
}

#endif
