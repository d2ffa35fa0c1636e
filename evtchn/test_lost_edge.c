// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only (XEN_PREEMPT_TEST_HOOKS=1, evtchn/Kbuild): a real lost edge, to
 * show that the recovery after each registration (register.c: the
 * evtchn_upcall_pending check and the self-IPI) is what delivers it.
 *
 * Why not a software-disabled LAPIC: Xen 4.17 drops the upcall vector
 * while the vLAPIC is software-disabled (hvm_assert_evtchn_irq() checks
 * vlapic_enabled()), but raises it again when the guest enables the LAPIC
 * with an upcall pending (vlapic_reg_write(), APIC_SPIV; both from Xen
 * commit 26f39b3d705b), and it raises it on every registration made with
 * the LAPIC enabled.  On such a hypervisor no edge is lost at a
 * registration.  What the recovery is for (a hypervisor that does not
 * raise the vector on registration, an edge lost on the way) is made here
 * instead by taking Xen's interrupt and dropping it without dispatching
 * any event: the vCPU is then left with evtchn_upcall_pending set and no
 * interrupt coming, and as Xen raises the vector only when that flag goes
 * from 0 to 1, no later event raises it either.
 *
 * lose_edge  write "CPU PORT RECOVER": on CPU, with interrupts off, make
 *            event channel PORT pending, register our vector again and
 *            drop the interrupt Xen raised for it; the recovery runs only
 *            if RECOVER is 1.  Then wait up to XUP_DELIVERY_BOUND_MS, with
 *            interrupts on and the CPU kept busy (an idle vCPU with a lost
 *            edge would never wake), for an upcall through our vector;
 *            if none came, raise one (the test's own repair, so that the
 *            CPU hears events again).  read: the last outcome,
 *            "dropped N pending N delivered_us N repaired N"
 *            (delivered_us -1: not delivered within the bound).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/workqueue.h>
#include <asm/apic.h>
#include <xen/interface/event_channel.h>
#include <xen_preempt/hcall.h>

#include "internal.h"

/* How long a delivery may take before the edge counts as lost. */
#define XUP_DELIVERY_BOUND_MS	200
/* How long to wait for Xen's interrupt, which is already pending. */
#define XUP_DROP_WAIT_MS	100

/* Per CPU, written on that CPU with interrupts off. */
static DEFINE_PER_CPU(bool, xup_lose_armed);	/* next registration */
static DEFINE_PER_CPU(bool, xup_skip_recovery);
static DEFINE_PER_CPU(bool, xup_dropping);	/* the entry drops upcalls */
static DEFINE_PER_CPU(unsigned long, xup_dropped);

struct xup_lost_edge {
	int port;
	bool recover;
	/* outcome */
	unsigned long dropped;	/* upcalls dropped after the registration */
	bool pending;		/* evtchn_upcall_pending after the drop */
	s64 delivered_us;	/* first upcall after the drop, or -1 */
	bool repaired;		/* the test raised the upcall itself */
};

static DEFINE_MUTEX(xup_lost_edge_lock);
static struct xup_lost_edge xup_last = { .delivered_us = -1 };

/* Called by the upcall entry with interrupts off. */
bool xup_test_drop_upcall(void)
{
	if (likely(!this_cpu_read(xup_dropping)))
		return false;
	this_cpu_inc(xup_dropped);
	return true;
}

/* Called by register.c's recovery with interrupts off. */
bool xup_test_no_recovery(void)
{
	return this_cpu_read(xup_skip_recovery);
}

/*
 * Called by register.c right after our vector was registered, before the
 * recovery, with interrupts off (and, armed, with preemption off too: see
 * xup_lose_edge_here()).  Xen raised the vector at the registration; it is
 * taken here, in a short window with interrupts on, and dropped.
 */
void xup_test_lose_edge(void)
{
	unsigned long dropped = this_cpu_read(xup_dropped);
	u64 start;

	if (likely(!this_cpu_read(xup_lose_armed)))
		return;
	this_cpu_write(xup_lose_armed, false);
	this_cpu_write(xup_dropping, true);
	start = ktime_get_ns();
	local_irq_enable();
	while (this_cpu_read(xup_dropped) == dropped &&
	       ktime_get_ns() - start < XUP_DROP_WAIT_MS * NSEC_PER_MSEC)
		cpu_relax();
	local_irq_disable();
	this_cpu_write(xup_dropping, false);
}

/* Microseconds from @start until an upcall beyond @upcalls, or -1. */
static s64 xup_wait_upcall(u64 upcalls, u64 start)
{
	u64 now;

	do {
		now = ktime_get_ns();
		if (this_cpu_read(xup_cpus.upcalls) != upcalls)
			return div_u64(now - start, NSEC_PER_USEC);
		cpu_relax();
	} while (now - start < XUP_DELIVERY_BOUND_MS * NSEC_PER_MSEC);
	return -1;
}

static long xup_lose_edge_here(void *data)
{
	struct xup_lost_edge *e = data;
	struct evtchn_send send = { .port = e->port };
	unsigned long flags, dropped;
	u64 upcalls;
	long ret;

	/* No other task on this CPU while the entry drops upcalls. */
	preempt_disable();
	local_irq_save(flags);
	dropped = this_cpu_read(xup_dropped);
	ret = xhc_event_channel_op(EVTCHNOP_send, &send);
	if (ret)
		goto out;
	this_cpu_write(xup_lose_armed, true);
	this_cpu_write(xup_skip_recovery, !e->recover);
	xup_register_ours();
	this_cpu_write(xup_skip_recovery, false);
	/* A deferred registration does not disarm it. */
	this_cpu_write(xup_lose_armed, false);
	e->dropped = this_cpu_read(xup_dropped) - dropped;
	e->pending = xup_upcall_maybe_pending();

	upcalls = this_cpu_read(xup_cpus.upcalls);
	local_irq_enable();
	e->delivered_us = xup_wait_upcall(upcalls, ktime_get_ns());
	if (e->delivered_us < 0) {
		local_irq_disable();
		upcalls = this_cpu_read(xup_cpus.upcalls);
		apic->send_IPI_self(this_cpu_read(xup_cpus.vector));
		local_irq_enable();
		e->repaired = true;
		if (xup_wait_upcall(upcalls, ktime_get_ns()) < 0)
			pr_err("CPU%u: lost edge not repaired: the CPU may hear no events\n",
			       smp_processor_id());
	}
out:
	local_irq_restore(flags);
	preempt_enable();
	return ret;
}

int xup_hook_lose_edge(const char *line)
{
	struct xup_lost_edge e = { .delivered_us = -1 };
	unsigned int cpu, recover;
	int ret;

	if (sscanf(line, "%u %d %u", &cpu, &e.port, &recover) != 3 ||
	    cpu >= nr_cpu_ids || e.port < 0 || recover > 1)
		return -EINVAL;
	e.recover = recover;

	mutex_lock(&xup_lost_edge_lock);
	cpus_read_lock();
	if (cpu_online(cpu))
		ret = work_on_cpu(cpu, xup_lose_edge_here, &e);
	else
		ret = -ENODEV;
	cpus_read_unlock();
	if (!ret)
		xup_last = e;
	mutex_unlock(&xup_lost_edge_lock);
	return ret;
}

int xup_hook_lose_edge_show(char *buf, size_t size)
{
	int len;

	mutex_lock(&xup_lost_edge_lock);
	len = scnprintf(buf, size, "dropped %lu pending %d delivered_us %lld repaired %d\n",
			xup_last.dropped, xup_last.pending,
			xup_last.delivered_us, xup_last.repaired);
	mutex_unlock(&xup_lost_edge_lock);
	return len;
}
