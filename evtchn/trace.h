/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Trace events of xen_upcall.ko (events/xen_upcall/ in tracefs).
 *
 * xen_upcall_handled runs at the end of every upcall, in hard interrupt
 * context; the others run where a vector is registered, with interrupts
 * disabled.  All of them only store what the caller already has, except
 * that xen_upcall_handled looks up the vector of its IRQ, and only while
 * the event is enabled.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM xen_upcall

#if !defined(_XEN_UPCALL_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _XEN_UPCALL_TRACE_H

#include <linux/irq.h>
#include <linux/tracepoint.h>
#include <asm/apicdef.h>
#include <asm/hw_irq.h>

/* vector: the one this interrupt arrived on (its IRQ is started). */
TRACE_EVENT(xen_upcall_handled,
	    TP_PROTO(unsigned int irq, bool events, bool resched),

	    TP_ARGS(irq, events, resched),

	    TP_STRUCT__entry(__field(int, cpu)
			     __field(u8, vector)
			     __field(bool, events)
			     __field(bool, resched)),

	    TP_fast_assign(__entry->cpu = smp_processor_id();
			   __entry->vector = irqd_cfg(irq_get_irq_data(irq))->vector;
			   __entry->events = events;
			   __entry->resched = resched;),

	    TP_printk("cpu=%d vector=%#x events=%d resched=%d",
		      __entry->cpu, __entry->vector, __entry->events,
		      __entry->resched)
);

TRACE_EVENT(xen_upcall_register,
	    TP_PROTO(u8 vector, u32 spiv, int ret),

	    TP_ARGS(vector, spiv, ret),

	    TP_STRUCT__entry(__field(int, cpu)
			     __field(u32, spiv)
			     __field(int, ret)
			     __field(u8, vector)),

	    TP_fast_assign(__entry->cpu = smp_processor_id();
			   __entry->spiv = spiv;
			   __entry->ret = ret;
			   __entry->vector = vector;),

	    TP_printk("cpu=%d vector=%#x spiv=%#x apic_enabled=%d ret=%d",
		      __entry->cpu, __entry->vector, __entry->spiv,
		      !!(__entry->spiv & APIC_SPIV_APIC_ENABLED), __entry->ret)
);

TRACE_EVENT(xen_upcall_defer,
	    TP_PROTO(u32 spiv),

	    TP_ARGS(spiv),

	    TP_STRUCT__entry(__field(int, cpu)
			     __field(u32, spiv)),

	    TP_fast_assign(__entry->cpu = smp_processor_id();
			   __entry->spiv = spiv;),

	    TP_printk("cpu=%d spiv=%#x", __entry->cpu, __entry->spiv)
);

/*
 * After every registration; the upcall is raised if pending is set (always
 * set where evtchn_upcall_pending cannot be read: vcpu_info.c).
 */
TRACE_EVENT(xen_upcall_lost_edge,
	    TP_PROTO(u8 vector, u8 pending),

	    TP_ARGS(vector, pending),

	    TP_STRUCT__entry(__field(int, cpu)
			     __field(u8, vector)
			     __field(u8, pending)),

	    TP_fast_assign(__entry->cpu = smp_processor_id();
			   __entry->vector = vector;
			   __entry->pending = pending;),

	    TP_printk("cpu=%d vector=%#x evtchn_upcall_pending=%u",
		      __entry->cpu, __entry->vector, __entry->pending)
);

#endif /* _XEN_UPCALL_TRACE_H */

/* Out of tree: the including file's Kbuild line adds -I$(src). */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
