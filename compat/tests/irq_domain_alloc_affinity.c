// SPDX-License-Identifier: GPL-2.0
/*
 * interface: IRQ allocation from x86_vector_domain with a managed affinity
 *
 * __irq_domain_alloc_irqs(domain, irq_base, nr_irqs, node, arg, realloc,
 * affinity) with an irq_alloc_info whose mask names the CPU, and
 * irqd_cfg() to read the vector: 6.1, 6.12 and 7.2.
 */
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <asm/hw_irq.h>
#include <asm/irqdomain.h>

static int __maybe_unused xp_conftest(const struct irq_affinity_desc *affinity)
{
	struct irq_alloc_info info = { .mask = cpumask_of(0) };
	struct irq_cfg *(*cfg)(struct irq_data *d) = irqd_cfg;
	int irq;

	irq = __irq_domain_alloc_irqs(x86_vector_domain, -1, 1, NUMA_NO_NODE,
				      &info, false, affinity);
	return irq < 0 ? irq : cfg(irq_get_irq_data(irq))->vector;
}
