// SPDX-License-Identifier: GPL-2.0
/*
 * kernel_site=1 on a Xen PV guest: where the module gets control at the
 * end of the PV event upcall.
 *
 * A PV guest has no upcall vector that xen_upcall could take over.  Xen
 * bounces to the kernel's event callback, xen_pv_evtchn_do_upcall(), which
 * sets the interrupt's registers (set_irq_regs()) and runs the handler of
 * each pending event in hardirq context; in the none and voluntary modes
 * its irqentry_exit() never reschedules.  Xen continues a long hypercall
 * by rewinding the guest's RIP onto the syscall of xen_hypercall_pv and,
 * with events pending, bouncing to the callback: that upcall interrupted
 * the kernel's instruction (kernel_site.c).
 *
 * Every event handler (the timer VIRQ, the reschedule IPI, any other
 * event channel) ends with the irq_handler_exit tracepoint, so a probe
 * there runs inside each upcall after each of its handlers, i.e. after
 * whatever woke a task up.  The probe applies kernel_site's rule to the
 * upcall's registers and redirects the interrupted task into a stub of
 * site.S; once it did, the IP is a stub and the upcall's later handlers
 * leave it alone.  The tracepoint is not exported:
 * for_each_kernel_tracepoint() finds it by name and
 * tracepoint_probe_register() attaches the probe (compile test
 * compat/tests/irq_handler_exit_probe.c).  At unload the probe is removed
 * and tracepoint_synchronize_unregister() waits for every call of it still
 * running, before kernel_site.c waits for the tasks inside the stubs.
 *
 * While no hypercall is in flight the probe reads the upcall's registers
 * and compares their IP with three addresses, after every event handler.
 *
 * A tracepoint calls its probes with preemption disabled on 6.1 and 6.12
 * (__DO_TRACE()) and not on 7.2 (SRCU-fast), so inside the probe the
 * preempt count of an interrupted context that holds nothing is
 * HARDIRQ_OFFSET plus what the tracepoint adds.  That is measured at load
 * on this module's own tracepoint xen_hcall_kernel_site, which is built
 * from the same header as the kernel's: xhc_pv_count.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/hardirq.h>
#include <linux/interrupt.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <asm/irq_regs.h>
#include <asm/ptrace.h>
#include <trace/events/irq.h>
#include <xp_config.h>
#include <xp_irq_stat.h>

#include "internal.h"
#include "trace.h"

/* The kernel's irq_handler_exit tracepoint. */
static struct tracepoint *xhc_pv_tp;

/* preempt_count() inside the probe when the interrupted context is clean. */
static unsigned int xhc_pv_count __read_mostly;

/* preempt_count() in the calibration probe, -1 before it ran. */
static int xhc_pv_calibrated = -1;

static void xhc_pv_find_tp(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "irq_handler_exit"))
		*(struct tracepoint **)priv = tp;
}

static void xhc_pv_calibrate_probe(void *data, const void *site)
{
	WRITE_ONCE(xhc_pv_calibrated, preempt_count());
}

/*
 * Once per upcall for the statistics: the PV upcall counts itself in
 * irq_stat (the HYP line of /proc/interrupts) before it handles the
 * events, so a hypercall interrupted by an upcall with several events is
 * counted once, as on HVM.  Without that counter (optional compile tests,
 * xp_irq_stat.h), once per event handler.
 */
static DEFINE_PER_CPU(unsigned int, xhc_pv_last_upcall);

static bool xhc_pv_first_in_upcall(void)
{
	unsigned int upcall = xp_hv_callback_count();

	if (!XP_HAVE_HV_CALLBACK_COUNT)
		return true;
	if (upcall == this_cpu_read(xhc_pv_last_upcall))
		return false;
	this_cpu_write(xhc_pv_last_upcall, upcall);
	return true;
}

/*
 * After each event handler of an upcall (hardirq, inside the tracepoint):
 * the registers are those of the upcall, set by
 * __xen_pv_evtchn_do_upcall(), which the interrupted context returns to.
 */
static void xhc_pv_upcall_probe(void *data, int irq, struct irqaction *action,
				int ret)
{
	struct pt_regs *regs = get_irq_regs();
	enum xhc_kernel_point point;

	if (!regs || user_mode(regs))
		return;
	point = xhc_kernel_point(regs->ip);
	if (likely(point == XHC_NOT_KERNEL))
		return;
	if (xhc_pv_first_in_upcall())
		xhc_kernel_site_count(regs, point);
	if (xhc_irq_context_preemptible_at(regs, xhc_pv_count) &&
	    need_resched())
		xhc_kernel_site_redirect(regs);
}

/*
 * At load, once @insn is known: find the tracepoint, and measure what a
 * tracepoint adds to the preempt count by firing the module's own
 * (xen_hcall_kernel_site, which names @insn) with a probe that reads it.
 */
int xhc_pv_upcall_init(unsigned long insn)
{
	int before, ret;

	check_trace_callback_type_irq_handler_exit(xhc_pv_upcall_probe);
	for_each_kernel_tracepoint(xhc_pv_find_tp, &xhc_pv_tp);
	if (!xhc_pv_tp) {
		pr_err("kernel_site=1 refused: this kernel has no irq_handler_exit tracepoint, through which the module sees the PV event upcall\n");
		return -ENODEV;
	}
	ret = register_trace_xen_hcall_kernel_site(xhc_pv_calibrate_probe, NULL);
	if (ret) {
		pr_err("kernel_site=1 refused: cannot probe the module's own tracepoint: %d\n",
		       ret);
		return -ENODEV;
	}
	before = preempt_count();
	trace_xen_hcall_kernel_site((void *)insn);
	unregister_trace_xen_hcall_kernel_site(xhc_pv_calibrate_probe, NULL);
	if (READ_ONCE(xhc_pv_calibrated) < before) {
		pr_err("kernel_site=1 refused: could not measure a tracepoint's preempt count (probe saw %d, caller %d)\n",
		       READ_ONCE(xhc_pv_calibrated), before);
		return -ENODEV;
	}
	xhc_pv_count = HARDIRQ_OFFSET + READ_ONCE(xhc_pv_calibrated) - before;
	return 0;
}

int xhc_pv_upcall_start(void)
{
	int ret;

	ret = tracepoint_probe_register(xhc_pv_tp, (void *)xhc_pv_upcall_probe,
					NULL);
	if (ret) {
		pr_err("kernel_site=1 refused: cannot attach to the irq_handler_exit tracepoint: %d\n",
		       ret);
		return -ENODEV;
	}
	return 0;
}

void xhc_pv_upcall_stop(void)
{
	tracepoint_probe_unregister(xhc_pv_tp, (void *)xhc_pv_upcall_probe,
				    NULL);
	tracepoint_synchronize_unregister();
}
