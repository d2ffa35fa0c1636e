// SPDX-License-Identifier: GPL-2.0
/*
 * irq_stat.counts[IRQ_COUNT_HYPERVISOR_CALLBACK]: the per-CPU count of Xen
 * event upcalls in the array form of 7.2 (irq_hv_callback_count.c is the
 * field of 6.1 and 6.12).  Optional, as that test.
 */
#include <linux/hardirq.h>
#include <linux/percpu.h>

static unsigned int __maybe_unused xp_conftest(void)
{
	return this_cpu_read(irq_stat.counts[IRQ_COUNT_HYPERVISOR_CALLBACK]);
}
