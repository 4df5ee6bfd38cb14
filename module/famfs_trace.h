/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 famfs contributors
 * famfs_trace.h - tracepoints of the famfs module
 *
 * famfs:famfs_fault fires once per fault handled by famfs (.fault,
 * .huge_fault, .page_mkwrite, .pfn_mkwrite), after the DAX core resolved it:
 *
 *   echo 1 > /sys/kernel/tracing/events/famfs/famfs_fault/enable
 *
 * Fields: the device and inode number, the file offset of the fault (bytes,
 * page aligned), the fault order (0 PTE, 9 PMD, 18 PUD on x86-64), whether it
 * was a write, and the vm_fault_t result (0x100 VM_FAULT_NOPAGE, 0x800
 * VM_FAULT_FALLBACK, 0x2 VM_FAULT_SIGBUS, ...). These replace the RFC's
 * global sysfs fault counters.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM famfs

#if !defined(_FAMFS_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _FAMFS_TRACE_H

#include <linux/mm_types.h>
#include <linux/tracepoint.h>

TRACE_EVENT(famfs_fault,
	    TP_PROTO(const struct inode *inode, const struct vm_fault *vmf,
		     unsigned int order, vm_fault_t result),
	    TP_ARGS(inode, vmf, order, result),
	    TP_STRUCT__entry(__field(dev_t, dev)
			     __field(u64, ino)
			     __field(u64, offset)
			     __field(unsigned int, order)
			     __field(bool, write)
			     __field(unsigned int, result)),
	    TP_fast_assign(__entry->dev = inode->i_sb->s_dev;
			   __entry->ino = inode->i_ino;
			   __entry->offset = (u64)vmf->pgoff << PAGE_SHIFT;
			   __entry->order = order;
			   __entry->write = !!(vmf->flags & FAULT_FLAG_WRITE);
			   __entry->result = (__force unsigned int)result;),
	    TP_printk("dev %d:%d ino %llu offset 0x%llx order %u %s result 0x%x",
		      MAJOR(__entry->dev), MINOR(__entry->dev), __entry->ino,
		      __entry->offset, __entry->order,
		      __entry->write ? "write" : "read", __entry->result)
);

#endif /* _FAMFS_TRACE_H */

/* This part must be outside the include guard. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE famfs_trace
#include <trace/define_trace.h>
