// SPDX-License-Identifier: GPL-2.0
/*
 * Giving a vCPU's upcalls back to the kernel's own vector
 * (HYPERVISOR_CALLBACK_VECTOR, 0xf3): when its CPU goes offline, when the
 * module is unloaded, and when the system shuts down, reboots or kexecs.
 *
 * Our IRQ of a CPU may be freed only once Xen no longer raises its vector
 * there.  A vector freed while Xen still raises it is either unhandled (the
 * vCPU's events, its timer among them, stop) or handed to another driver.
 * Hence, for each CPU:
 *  1. on the CPU itself, with interrupts off, up to XUP_GIVE_BACK_TRIES
 *     times (the path every registration takes);
 *  2. if that failed, from another online CPU: the hypercall names the
 *     vCPU, as when the kernel registers its APs from the boot CPU, and
 *     needs nothing of the CPU concerned;
 *  3. if that failed too:
 *     - CPU going offline: it goes down anyway.  That is safe (a vCPU that
 *       is offline takes no interrupt, and the kernel registers its own
 *       vector again before it brings the CPU back), but an unload would
 *       now likely hit the same refusal, so the module pins itself
 *       (rmmod then fails with "in use") and says so once;
 *     - unload: exit frees no IRQ until every online CPU is back on the
 *       kernel's vector.  It retries with back-off, says why after a few
 *       seconds and then once a minute (xup_wait_given_back());
 *     - reboot, power-off, kexec: nothing more can be done; one line says
 *       which CPU the next kernel may find on a vector it does not expect.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/notifier.h>
#include <linux/reboot.h>
#include <linux/smp.h>
#include <asm/irq_vectors.h>

#include "internal.h"

/* Attempts on the CPU itself before another CPU makes the call. */
#define XUP_GIVE_BACK_TRIES	3

/* An unload that waits says why after this long, then at this interval. */
#define XUP_UNLOAD_REPORT_FIRST	(5 * HZ)
#define XUP_UNLOAD_REPORT_EVERY	(60 * HZ)

static bool xup_pinned;		/* __module_get() by xup_pin() */
static bool xup_unloading;	/* exit is giving the vectors back */
static bool xup_down;		/* the reboot notifier has run */

struct xup_give_back {
	unsigned int cpu;	/* the CPU whose vCPU is concerned */
	bool stop;		/* shutdown: no registration of ours after */
	int here;		/* result on the CPU itself */
	int there;		/* result from another CPU, if it was asked */
	unsigned int other;	/* that other CPU */
};

/* On @cpu with interrupts disabled (IPI, or a local call). */
static void xup_give_back_here(void *data)
{
	struct xup_give_back *gb = data;
	struct xup_cpu *c = this_cpu_ptr(&xup_cpus);
	int i, ret = 0;

	if (gb->stop)
		c->online = false;
	gb->here = 0;
	if (c->vector == HYPERVISOR_CALLBACK_VECTOR)
		return;
	for (i = 0; i < XUP_GIVE_BACK_TRIES; i++) {
		ret = xup_test_give_back_error(gb->cpu);
		if (!ret)
			ret = xup_set_vector(HYPERVISOR_CALLBACK_VECTOR,
					     xup_read_spiv());
		if (!ret)
			break;
	}
	gb->here = ret;
	if (ret)
		return;
	c->vector = HYPERVISOR_CALLBACK_VECTOR;
	xup_recover_lost_edge(HYPERVISOR_CALLBACK_VECTOR);
}

/*
 * Step 1 alone, with interrupts disabled: this CPU to the kernel's vector
 * (test_hooks.c switches vectors with it).  0 or -errno.
 */
int xup_register_kernels(void)
{
	struct xup_give_back gb = { .cpu = smp_processor_id() };

	xup_give_back_here(&gb);
	return gb.here;
}

/*
 * On another CPU (IPI): the same hypercall for @gb->cpu's vCPU.  Not
 * traced: xen_upcall_register reports the calling CPU.
 */
static void xup_give_back_there(void *data)
{
	struct xup_give_back *gb = data;

	gb->there = xup_test_give_back_error(gb->cpu);
	if (!gb->there)
		gb->there = xup_hvm_set_vector(gb->cpu,
					       HYPERVISOR_CALLBACK_VECTOR);
}

/*
 * Back on @cpu after another CPU gave its vector back: record it, and, as
 * after any registration, make a pending upcall run whatever became of
 * the edge Xen raised.
 */
static void xup_given_back_remotely(void *data)
{
	this_cpu_write(xup_cpus.vector, HYPERVISOR_CALLBACK_VECTOR);
	xup_recover_lost_edge(HYPERVISOR_CALLBACK_VECTOR);
}

/*
 * Gives @cpu's vCPU back to the kernel's vector: steps 1 and 2 above.
 * Process context, with @cpu kept online (CPU hotplug callback, or the
 * hotplug lock held).  0, or the error of the last attempt.
 */
static int xup_give_back(struct xup_give_back *gb)
{
	gb->there = 0;
	gb->other = nr_cpu_ids;
	smp_call_function_single(gb->cpu, xup_give_back_here, gb, 1);
	if (!gb->here)
		return 0;

	gb->other = cpumask_any_but(cpu_online_mask, gb->cpu);
	if (gb->other >= nr_cpu_ids)
		return gb->here;
	smp_call_function_single(gb->other, xup_give_back_there, gb, 1);
	if (gb->there)
		return gb->there;
	smp_call_function_single(gb->cpu, xup_given_back_remotely, NULL, 1);
	pr_warn("CPU%u: the kernel's upcall vector given back from CPU%u (on CPU%u itself: %d)\n",
		gb->cpu, gb->other, gb->cpu, gb->here);
	return 0;
}

/* Step 3 on a CPU going offline. */
static void xup_pin(const struct xup_give_back *gb)
{
	if (xup_pinned)
		return;
	xup_pinned = true;
	__module_get(THIS_MODULE);
	pr_err("CPU%u: cannot give back the kernel's upcall vector (on CPU%u: %d, from CPU%u: %d): the module stays loaded so that it never frees a vector Xen may raise\n",
	       gb->cpu, gb->cpu, gb->here, gb->other, gb->there);
}

/*
 * The offline callback of @cpu, on @cpu, with ->online already false.  On
 * unload (cpuhp_remove_state()), a failure is left to xup_wait_given_back().
 */
void xup_give_back_offline(unsigned int cpu)
{
	struct xup_give_back gb = { .cpu = cpu };

	if (xup_give_back(&gb) && !READ_ONCE(xup_unloading))
		xup_pin(&gb);
}

/* Before the hotplug callbacks are removed on unload. */
void xup_give_back_begin_unload(void)
{
	WRITE_ONCE(xup_unloading, true);
}

/*
 * On unload, after the offline callbacks: returns once no online CPU is
 * left on our vector, so that freeing the IRQs is safe.  A CPU that goes
 * offline meanwhile is done (step 3, CPU going offline).
 */
void xup_wait_given_back(void)
{
	unsigned long start = jiffies, report = XUP_UNLOAD_REPORT_FIRST;
	unsigned int sleep_ms = 10;

	for (;;) {
		struct xup_give_back gb = { .cpu = nr_cpu_ids };
		struct xup_give_back failed = { .cpu = nr_cpu_ids };
		unsigned int cpu;

		cpus_read_lock();
		for_each_online_cpu(cpu) {
			if (READ_ONCE(per_cpu(xup_cpus, cpu).vector) ==
			    HYPERVISOR_CALLBACK_VECTOR)
				continue;
			gb.cpu = cpu;
			if (xup_give_back(&gb))
				failed = gb;
		}
		cpus_read_unlock();
		if (failed.cpu >= nr_cpu_ids)
			return;

		if (time_after_eq(jiffies, start + report)) {
			pr_err("unload waits: CPU%u is still on our vector (giving back the kernel's: %d on CPU%u, %d from CPU%u); our IRQs stay until it succeeds, retrying\n",
			       failed.cpu, failed.here, failed.cpu,
			       failed.there, failed.other);
			report += XUP_UNLOAD_REPORT_EVERY;
		}
		msleep(sleep_ms);
		sleep_ms = min(sleep_ms * 2, 1000U);
	}
}

/*
 * Reboot, power-off, halt and kexec (kernel_restart_prepare() and
 * kernel_shutdown_prepare() call the reboot notifiers on every supported
 * kernel, while kernel_kexec() runs the syscore shutdown hooks only since
 * 6.7): every
 * vCPU back on the kernel's vector, for whatever runs next.  Without it a
 * kexec'd kernel that does not use per-vCPU vectors, or registers them
 * later, receives its events on a vector it never set up.  Process
 * context, all CPUs up.  ->online cleared on each CPU keeps a pending
 * retry from registering ours again, and xup_down a CPU coming online
 * afterwards (CPU hotplug is disabled only later).  A crash kexec does
 * not come here: the crash kernel registers its own vector for each CPU
 * it brings up.
 */
static int xup_reboot(struct notifier_block *nb, unsigned long action,
		      void *data)
{
	unsigned int cpu;

	WRITE_ONCE(xup_down, true);
	cpus_read_lock();
	for_each_online_cpu(cpu) {
		struct xup_give_back gb = { .cpu = cpu, .stop = true };

		if (xup_give_back(&gb))
			pr_err("going down: CPU%u stays on our vector (on CPU%u: %d, from CPU%u: %d): the next kernel may receive its events there\n",
			       cpu, cpu, gb.here, gb.other, gb.there);
	}
	cpus_read_unlock();
	return NOTIFY_DONE;
}

static struct notifier_block xup_reboot_nb = {
	.notifier_call = xup_reboot,
};

bool xup_going_down(void)
{
	return READ_ONCE(xup_down);
}

int xup_reboot_hook_register(void)
{
	int ret = register_reboot_notifier(&xup_reboot_nb);

	if (ret)
		pr_err("cannot register the reboot notifier: %d\n", ret);
	return ret;
}

void xup_reboot_hook_unregister(void)
{
	unregister_reboot_notifier(&xup_reboot_nb);
}

#ifdef XP_TEST_HOOKS
/* test_hooks.c: drops the pin once the test has undone its cause. */
bool xup_test_unpin(void)
{
	if (!xup_pinned)
		return false;
	xup_pinned = false;
	module_put(THIS_MODULE);
	return true;
}
#endif
