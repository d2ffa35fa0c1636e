/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel API of xen_hcall.ko: hypercalls issued from the module's own
 * instruction site, their preemptible variants, and the two pieces an upcall
 * handler needs to reschedule a task inside a long hypercall.
 *
 * The exported functions are documented where they are defined
 * (xen_hcall/hypercall.c and xen_hcall/preempt.c).
 */
#ifndef _XEN_PREEMPT_HCALL_H
#define _XEN_PREEMPT_HCALL_H

#include <linux/types.h>
#include <xen/interface/xen.h>

struct pt_regs;

long xhc_hypercall(unsigned int op, unsigned long a1, unsigned long a2,
		   unsigned long a3, unsigned long a4, unsigned long a5);
long xhc_preemptible_hypercall(unsigned int op, unsigned long a1,
			       unsigned long a2, unsigned long a3,
			       unsigned long a4, unsigned long a5);

bool xhc_irq_hit_preemptible_hcall(struct pt_regs *regs);
bool xhc_resched_before_hcall(struct pt_regs *regs);

/* Fixed-arity forms, as in the kernel's HYPERVISOR_* helpers. */
#define xhc_hypercall0(op)		xhc_hypercall(op, 0, 0, 0, 0, 0)
#define xhc_hypercall1(op, a1)		xhc_hypercall(op, a1, 0, 0, 0, 0)
#define xhc_hypercall2(op, a1, a2)	xhc_hypercall(op, a1, a2, 0, 0, 0)
#define xhc_hypercall3(op, a1, a2, a3)	xhc_hypercall(op, a1, a2, a3, 0, 0)
#define xhc_hypercall4(op, a1, a2, a3, a4) \
	xhc_hypercall(op, a1, a2, a3, a4, 0)
#define xhc_hypercall5(op, a1, a2, a3, a4, a5) \
	xhc_hypercall(op, a1, a2, a3, a4, a5)

#define xhc_preemptible_hypercall0(op) \
	xhc_preemptible_hypercall(op, 0, 0, 0, 0, 0)
#define xhc_preemptible_hypercall1(op, a1) \
	xhc_preemptible_hypercall(op, a1, 0, 0, 0, 0)
#define xhc_preemptible_hypercall2(op, a1, a2) \
	xhc_preemptible_hypercall(op, a1, a2, 0, 0, 0)
#define xhc_preemptible_hypercall3(op, a1, a2, a3) \
	xhc_preemptible_hypercall(op, a1, a2, a3, 0, 0)
#define xhc_preemptible_hypercall4(op, a1, a2, a3, a4) \
	xhc_preemptible_hypercall(op, a1, a2, a3, a4, 0)
#define xhc_preemptible_hypercall5(op, a1, a2, a3, a4, a5) \
	xhc_preemptible_hypercall(op, a1, a2, a3, a4, a5)

/*
 * Typed helpers for the operations this project uses.  Each has the
 * signature of the kernel's HYPERVISOR_<name>() and returns Xen's result.
 */
#define XHC_ARG(p)	((unsigned long)(p))

static inline int xhc_xen_version(int cmd, void *arg)
{
	return xhc_hypercall2(__HYPERVISOR_xen_version, cmd, XHC_ARG(arg));
}

static inline int xhc_memory_op(unsigned int cmd, void *arg)
{
	return xhc_hypercall2(__HYPERVISOR_memory_op, cmd, XHC_ARG(arg));
}

static inline int xhc_event_channel_op(int cmd, void *arg)
{
	return xhc_hypercall2(__HYPERVISOR_event_channel_op, cmd, XHC_ARG(arg));
}

static inline int xhc_hvm_op(int op, void *arg)
{
	return xhc_hypercall2(__HYPERVISOR_hvm_op, op, XHC_ARG(arg));
}

static inline int xhc_sched_op(int cmd, void *arg)
{
	return xhc_hypercall2(__HYPERVISOR_sched_op, cmd, XHC_ARG(arg));
}

static inline int xhc_vcpu_op(int cmd, unsigned int vcpu, void *extra)
{
	return xhc_hypercall3(__HYPERVISOR_vcpu_op, cmd, vcpu, XHC_ARG(extra));
}

/* Long-running operations: these may be rescheduled between continuations. */
static inline int xhc_preemptible_memory_op(unsigned int cmd, void *arg)
{
	return xhc_preemptible_hypercall2(__HYPERVISOR_memory_op, cmd,
					  XHC_ARG(arg));
}

static inline int xhc_preemptible_hvm_op(int op, void *arg)
{
	return xhc_preemptible_hypercall2(__HYPERVISOR_hvm_op, op,
					  XHC_ARG(arg));
}

#endif /* _XEN_PREEMPT_HCALL_H */
