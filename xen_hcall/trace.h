/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Trace events of xen_hcall.ko (events/xen_hcall/ in tracefs).
 *
 * A task inside a preemptible hypercall leaves its CPU and comes back
 * through the preempt notifiers of preempt.c, whatever descheduled it: the
 * reschedule stub of site.S (the voluntary and none modes), preemption at
 * interrupt exit (full), or a lock on PREEMPT_RT.  The events are emitted
 * there, so that every such switch is seen, and a switch that this module
 * caused is told apart by the "stub" field.  They run inside the context
 * switch with interrupts disabled: only plain stores here.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM xen_hcall

#if !defined(_XEN_HCALL_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _XEN_HCALL_TRACE_H

#include <linux/tracepoint.h>

#include "internal.h"

TRACE_EVENT(xen_hcall_preempted,
	    TP_PROTO(const struct xhc_call *call, int cpu),

	    TP_ARGS(call, cpu),

	    TP_STRUCT__entry(__field(unsigned int, op)
			     __field(int, cpu)
			     __field(bool, user)
			     __field(bool, stub)),

	    TP_fast_assign(__entry->op = call->op;
			   __entry->cpu = cpu;
			   __entry->user = call->user;
			   __entry->stub = call->in_stub;),

	    TP_printk("op=%u site=%s cpu=%d stub=%d",
		      __entry->op, __entry->user ? "user" : "kernel",
		      __entry->cpu, __entry->stub)
);

TRACE_EVENT(xen_hcall_resumed,
	    TP_PROTO(const struct xhc_call *call, int prev_cpu, int cpu),

	    TP_ARGS(call, prev_cpu, cpu),

	    TP_STRUCT__entry(__field(unsigned int, op)
			     __field(int, prev_cpu)
			     __field(int, cpu)
			     __field(bool, user)),

	    TP_fast_assign(__entry->op = call->op;
			   __entry->prev_cpu = prev_cpu;
			   __entry->cpu = cpu;
			   __entry->user = call->user;),

	    TP_printk("op=%u site=%s prev_cpu=%d cpu=%d",
		      __entry->op, __entry->user ? "user" : "kernel",
		      __entry->prev_cpu, __entry->cpu)
);

/*
 * Once, at load, when kernel_site=1 takes effect: the kernel's hypercall
 * instruction that the option watches.  On a PV guest the module also
 * hangs a probe of its own on this tracepoint for that one call, to see
 * what a tracepoint adds to preempt_count() around its probes
 * (kernel_site_pv.c).
 */
TRACE_EVENT(xen_hcall_kernel_site,
	    TP_PROTO(const void *site),

	    TP_ARGS(site),

	    TP_STRUCT__entry(__field(const void *, site)),

	    TP_fast_assign(__entry->site = site;),

	    TP_printk("site=%pS", __entry->site)
);

#endif /* _XEN_HCALL_TRACE_H */

/* Out of tree: the including file's Kbuild line adds -I$(src). */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
