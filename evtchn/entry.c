// SPDX-License-Identifier: GPL-2.0
/*
 * The upcall entry: what runs when Xen raises our vector on a vCPU.
 *
 * It dispatches events through the kernel's own event-channel core, so
 * every driver keeps working unchanged, and then, if the interrupt landed on
 * a preemptible hypercall of xen_hcall in a preemptible context, lets the
 * interrupted task reschedule before Xen continues the hypercall.  That
 * check comes last on purpose: the timer or IPI handled just before is
 * typically what made another task runnable.
 */
#include <linux/interrupt.h>
#include <asm/irq_regs.h>
#include <xen/events.h>
#include <xen_preempt/hcall.h>

#include "internal.h"
#include "trace.h"

irqreturn_t xup_entry(int irq, void *dev_id)
{
	struct pt_regs *regs = get_irq_regs();
	bool events, resched = false;

	if (xup_test_drop_upcall())
		return IRQ_HANDLED;
	xup_count(upcalls);
	/* Xen may raise the vector again after the early EOI: not an error. */
	events = xen_evtchn_do_upcall() != IRQ_NONE;
	if (!events)
		xup_count(spurious);

	if (xhc_irq_hit_preemptible_hcall(regs) &&
	    xhc_resched_before_hcall(regs)) {
		xup_count(resched_requested);
		resched = true;
	}

	trace_xen_upcall_handled(irq, events, resched);
	return IRQ_HANDLED;
}
