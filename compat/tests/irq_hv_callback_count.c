// SPDX-License-Identifier: GPL-2.0
/*
 * irq_stat.irq_hv_callback_count: the per-CPU count of Xen event upcalls
 * (the "HYP" line of /proc/interrupts), which the PV upcall increments
 * once per upcall before it handles the events (CONFIG_X86_HV_CALLBACK_VECTOR;
 * Debian's 6.1, 6.12 and 7.2 have it).  Optional: kernel_site's statistics
 * use it to count an interrupted hypercall once per upcall rather than
 * once per event handler.
 */
#include <linux/hardirq.h>
#include <linux/percpu.h>

static unsigned int __maybe_unused xp_conftest(void)
{
	return this_cpu_read(irq_stat.irq_hv_callback_count);
}
