/* SPDX-License-Identifier: GPL-2.0 */
/*
 * This CPU's count of Xen event upcalls (the HYP line of /proc/interrupts):
 * a field of irq_stat in 6.1 and 6.12, an entry of its counts[] in 7.2
 * (compile tests compat/tests/irq_hv_callback_count.c and
 * irq_count_hypervisor_callback.c).  XP_HAVE_HV_CALLBACK_COUNT is 0 where
 * the kernel has neither (then xp_hv_callback_count() returns 0).
 */
#ifndef _XP_IRQ_STAT_H
#define _XP_IRQ_STAT_H

#include <linux/hardirq.h>
#include <linux/percpu.h>
#include <xp_config.h>

#if defined(HAVE_IRQ_HV_CALLBACK_COUNT) || \
	defined(HAVE_IRQ_COUNT_HYPERVISOR_CALLBACK)
#define XP_HAVE_HV_CALLBACK_COUNT 1
#else
#define XP_HAVE_HV_CALLBACK_COUNT 0
#endif

static inline unsigned int xp_hv_callback_count(void)
{
#if defined(HAVE_IRQ_HV_CALLBACK_COUNT)
	return this_cpu_read(irq_stat.irq_hv_callback_count);
#elif defined(HAVE_IRQ_COUNT_HYPERVISOR_CALLBACK)
	return this_cpu_read(irq_stat.counts[IRQ_COUNT_HYPERVISOR_CALLBACK]);
#else
	return 0;
#endif
}

#endif /* _XP_IRQ_STAT_H */
