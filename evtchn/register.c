// SPDX-License-Identifier: GPL-2.0
/*
 * Registering our vector with Xen (HVMOP_set_evtchn_upcall_vector).
 *
 * Xen marks the vector pending when it is registered, so that an event that
 * is already pending is not lost.  A local APIC that is software-disabled
 * drops that edge (or, on some hypervisors, keeps a stale IRR bit), and the
 * kernel registers each AP's vector from the boot CPU before the AP has
 * enabled its LAPIC.  Hence the rule here: a vCPU's vector is registered on
 * that CPU, with interrupts disabled, and only while APIC_SPIV says its
 * LAPIC is enabled; a CPU whose LAPIC is disabled is deferred and retried.
 * Whatever the hypervisor did with the edge, evtchn_upcall_pending is then
 * checked and the upcall raised if it is set.
 *
 * Who registers what, always on the CPU concerned with interrupts off:
 *  - online callback (CPUHP_AP_ONLINE_DYN): our vector.  It runs after the
 *    LAPIC is set up and after the IRQ core restarted our managed IRQ, and
 *    it undoes the kernel's re-registration of its own vector on CPU-up;
 *  - deferred retry (delayed work bound to the CPU): our vector;
 *  - resume (syscore, after the kernel re-registered its own vector on all
 *    CPUs): our vector, directly on the resuming CPU and through the retry
 *    work on the others;
 *  - offline callback, and so unload (cpuhp_remove_state() runs it on every
 *    CPU): the kernel's vector, before the IRQ core shuts our IRQ down;
 *  - reboot notifier (reboot, power-off, kexec): the kernel's vector on
 *    every CPU, from which none registers ours again (give_back.c).
 * (Giving back that fails there is retried from another CPU, give_back.c.)
 * The upcall entry runs on the same CPU with interrupts off, so it never
 * sees a half-done registration; ->online turns a retry that lost the race
 * with the offline callback into a no-op.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/irqflags.h>
#include <linux/workqueue.h>
#include <asm/apic.h>
#include <asm/irq_vectors.h>
#include <xen/interface/hvm/hvm_op.h>
#include <xen/interface/xen.h>
#include <xen/xen-ops.h>
#include <xen_preempt/hcall.h>
#include <xp_syscore.h>

#include "internal.h"
#include "trace.h"

/*
 * A deferred registration is retried after 1 jiffy, then after twice as
 * long each time, up to a second: a LAPIC enabled a moment later (a CPU
 * coming up) costs a jiffy, one that stays disabled one retry a second,
 * not one every jiffy.  After XUP_DEFER_REPORT of deferrals in a row the
 * CPU is reported, once per such streak.
 */
#define XUP_RETRY_MAX		HZ
#define XUP_DEFER_REPORT	HZ

static enum cpuhp_state xup_hp_state;

/*
 * Through the exported apic rather than apic_read(): in 6.12 and 7.2
 * apic_read() is a static call that is not exported to modules.
 */
u32 xup_read_spiv(void)
{
	return apic->read(APIC_SPIV);
}

/* @cpu's vCPU to @vector; any CPU may ask (give_back.c). */
int xup_hvm_set_vector(unsigned int cpu, u8 vector)
{
	struct xen_hvm_evtchn_upcall_vector op = {
		.vcpu = xen_vcpu_nr(cpu),
		.vector = vector,
	};

	return xhc_hvm_op(HVMOP_set_evtchn_upcall_vector, &op);
}

/*
 * This CPU's vCPU to @vector, with interrupts disabled.  SPIV: the
 * APIC_SPIV value the registration is made under, for tracing.
 */
int xup_set_vector(u8 vector, u32 spiv)
{
	int ret = xup_hvm_set_vector(smp_processor_id(), vector);

	trace_xen_upcall_register(vector, spiv, ret);
	return ret;
}

/* Whatever happened to Xen's edge, make a pending upcall run. */
void xup_recover_lost_edge(u8 vector)
{
	bool pending;

	if (xup_test_no_recovery())
		return;
	pending = xup_upcall_maybe_pending();
	trace_xen_upcall_lost_edge(vector, pending);
	if (!pending)
		return;
	apic->send_IPI_self(vector);
	xup_count(recoveries);
}

/* Called with interrupts disabled, on @cpu: retry later, with back-off. */
static void xup_defer(struct xup_cpu *c, unsigned int cpu, u32 spiv)
{
	unsigned long delay;

	trace_xen_upcall_defer(spiv);
	c->deferrals++;
	if (!c->defer_streak++)
		c->deferred_since = jiffies;
	delay = min_t(unsigned long, 1UL << min(c->defer_streak - 1, 16U),
		      XUP_RETRY_MAX);
	if (!c->defer_reported &&
	    time_after_eq(jiffies, c->deferred_since + XUP_DEFER_REPORT)) {
		c->defer_reported = true;
		pr_warn("CPU%u: local APIC still software-disabled (APIC_SPIV %#x) after %u ms: its events stay on the kernel's vector; retrying every %u ms\n",
			cpu, spiv, jiffies_to_msecs(jiffies - c->deferred_since),
			jiffies_to_msecs(XUP_RETRY_MAX));
	}
	queue_delayed_work_on(cpu, system_highpri_wq, &c->retry, delay);
}

/* Called with interrupts disabled. */
void xup_register_ours(void)
{
	struct xup_cpu *c = this_cpu_ptr(&xup_cpus);
	unsigned int cpu = smp_processor_id();
	u32 spiv;
	u8 vector;
	int ret;

	if (!c->online)
		return;

	spiv = xup_read_spiv();
	if (xup_test_lapic_off())
		spiv &= ~APIC_SPIV_APIC_ENABLED;
	if (!(spiv & APIC_SPIV_APIC_ENABLED)) {
		xup_defer(c, cpu, spiv);
		return;
	}

	vector = xup_vector_of_this_cpu();
	if (!vector) {
		pr_err("CPU%u: our IRQ has no vector here; keeping the kernel's\n",
		       cpu);
		return;
	}
	ret = xup_set_vector(vector, spiv);
	if (ret) {
		pr_err("CPU%u: HVMOP_set_evtchn_upcall_vector(%#x) failed: %d; keeping the kernel's vector\n",
		       cpu, vector, ret);
		return;
	}
	if (c->defer_reported)
		pr_info("CPU%u: local APIC enabled after %u ms: events through our vector now\n",
			cpu, jiffies_to_msecs(jiffies - c->deferred_since));
	c->defer_streak = 0;
	c->defer_reported = false;
	c->vector = vector;
	c->spiv = spiv;
	c->registrations++;
	xup_log_registration(cpu, vector, spiv);
	/* The selftests' build may take Xen's edge away here (test_lost_edge.c). */
	xup_test_lose_edge();
	xup_recover_lost_edge(vector);
}

static void xup_retry(struct work_struct *work)
{
	unsigned long flags;

	local_irq_save(flags);
	xup_register_ours();
	local_irq_restore(flags);
}

static int xup_cpu_online(unsigned int cpu)
{
	local_irq_disable();
	/* Once the system is going down, CPUs stay on the kernel's vector. */
	this_cpu_write(xup_cpus.online, !xup_going_down());
	xup_register_ours();
	local_irq_enable();
	return 0;
}

static int xup_cpu_offline(unsigned int cpu)
{
	struct xup_cpu *c = this_cpu_ptr(&xup_cpus);

	local_irq_disable();
	c->online = false;
	local_irq_enable();
	/* ->online is false: a retry running meanwhile registers nothing. */
	xup_give_back_offline(cpu);
	/* Runs on @cpu, where the work is bound: nothing can requeue it now. */
	cancel_delayed_work_sync(&c->retry);
	c->defer_streak = 0;
	c->defer_reported = false;
	return 0;
}

/*
 * Called on the resuming CPU with interrupts disabled, after
 * xen_hvm_post_suspend() registered the kernel's vector on every CPU.
 */
static void xup_resume(void)
{
	unsigned int cpu, self = smp_processor_id();

	this_cpu_write(xup_cpus.vector, HYPERVISOR_CALLBACK_VECTOR);
	xup_register_ours();
	for_each_online_cpu(cpu)
		if (cpu != self)
			queue_delayed_work_on(cpu, system_highpri_wq,
					      &per_cpu(xup_cpus, cpu).retry, 0);
}

static struct xp_syscore xup_syscore;

/* After the hotplug callbacks: the work a resume may have queued is gone. */
static void xup_unregister_resume(void)
{
	unsigned int cpu;

	xp_unregister_syscore(&xup_syscore);
	for_each_possible_cpu(cpu)
		cancel_delayed_work_sync(&per_cpu(xup_cpus, cpu).retry);
}

/*
 * The resume and reboot hooks go first and away last: a resume that comes while the
 * hotplug callbacks are not (or no longer) there finds every CPU with
 * ->online false and registers nothing, while hotplug callbacks without
 * the resume hook would leave the CPUs on the kernel's vector after a
 * resume, with ->vector saying ours.
 */
int xup_register_init(void)
{
	unsigned int cpu;
	int ret;

	for_each_possible_cpu(cpu) {
		struct xup_cpu *c = per_cpu_ptr(&xup_cpus, cpu);

		c->vector = HYPERVISOR_CALLBACK_VECTOR;
		INIT_DELAYED_WORK(&c->retry, xup_retry);
	}

	xp_register_syscore(&xup_syscore, xup_resume);
	ret = xup_reboot_hook_register();
	if (ret) {
		xup_unregister_resume();
		return ret;
	}
	ret = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "xen/upcall:online",
				xup_cpu_online, xup_cpu_offline);
	if (ret < 0) {
		pr_err("cannot set up CPU hotplug callbacks: %d\n", ret);
		xup_reboot_hook_unregister();
		xup_unregister_resume();
		return ret;
	}
	xup_hp_state = ret;
	return 0;
}

/*
 * Every online CPU back on the kernel's vector before the caller frees our
 * IRQs: the offline callback gives each back (cpuhp_remove_state() runs
 * it on every online CPU), and what it could not is retried until done.
 */
void xup_register_exit(void)
{
	xup_give_back_begin_unload();
	cpuhp_remove_state(xup_hp_state);
	xup_wait_given_back();
	xup_reboot_hook_unregister();
	xup_unregister_resume();
}
