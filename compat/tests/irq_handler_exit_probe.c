// SPDX-License-Identifier: GPL-2.0
/*
 * interface: a probe on the kernel's irq_handler_exit tracepoint
 *
 * kernel_site=1 on a Xen PV guest gets control at the end of each event
 * handler of the PV upcall through this tracepoint, which the kernel does
 * not export: it is found by name with for_each_kernel_tracepoint() and
 * probed with tracepoint_probe_register(tp, probe, data).  The probe has
 * the tracepoint's prototype, (void *data, int irq, struct irqaction
 * *action, int ret): 6.1, 6.12 and 7.2.  Only compiled, never linked,
 * so the unexported tracepoint may be named here.
 */
#include <linux/interrupt.h>
#include <linux/tracepoint.h>
#include <trace/events/irq.h>

static void xp_probe(void *data, int irq, struct irqaction *action, int ret)
{
}

static void xp_find(struct tracepoint *tp, void *priv)
{
}

static int __maybe_unused xp_conftest(struct tracepoint *tp)
{
	int (*reg)(struct tracepoint *tp, void *probe, void *data) =
		tracepoint_probe_register;
	int (*unreg)(struct tracepoint *tp, void *probe, void *data) =
		tracepoint_probe_unregister;

	check_trace_callback_type_irq_handler_exit(xp_probe);
	for_each_kernel_tracepoint(xp_find, NULL);
	tracepoint_synchronize_unregister();
	return reg(tp, (void *)xp_probe, NULL) ?: unreg(tp, (void *)xp_probe, NULL);
}
