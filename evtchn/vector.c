// SPDX-License-Identifier: GPL-2.0
/*
 * One IRQ, hence one vector, per CPU, allocated straight from the x86
 * vector domain: no hard-coded vector and no IDT write.
 *
 * Each IRQ is "managed" with its own CPU as affinity.  When that CPU goes
 * offline the IRQ core shuts the IRQ down, and when it comes back the core
 * starts it again (CPUHP_AP_IRQ_AFFINITY_ONLINE, before our online
 * callback), possibly on another vector; an ordinary IRQ would instead be
 * moved to a surviving CPU and stay there.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <asm/apic.h>
#include <asm/hw_irq.h>
#include <asm/irqdomain.h>

#include "internal.h"

static int xup_vector_alloc(unsigned int cpu)
{
	struct xup_cpu *c = per_cpu_ptr(&xup_cpus, cpu);
	struct irq_affinity_desc affinity = { .is_managed = 1 };
	struct irq_alloc_info info = { .mask = cpumask_of(cpu) };
	int irq, ret;

	cpumask_copy(&affinity.mask, cpumask_of(cpu));
	irq = __irq_domain_alloc_irqs(x86_vector_domain, -1, 1,
				      cpu_to_node(cpu), &info, false,
				      &affinity);
	if (irq < 0) {
		pr_err("cannot allocate a vector for CPU %u: %d\n", cpu, irq);
		return irq;
	}

	/*
	 * The vector domain leaves handle_bad_irq.  Its chip acknowledges
	 * (EOI) before the flow handler calls the action, the same order as
	 * the kernel's own upcall: the entry must not EOI again.  Never
	 * threaded: the event core requires interrupts to be disabled.
	 */
	irq_set_handler(irq, handle_edge_irq);
	ret = request_irq(irq, xup_entry, IRQF_NO_THREAD | IRQF_NO_SUSPEND,
			  "xen-upcall", c);
	if (ret) {
		pr_err("cannot request IRQ %d for CPU %u: %d\n", irq, cpu, ret);
		irq_dispose_mapping(irq);
		return ret;
	}
	c->irq = irq;
	return 0;
}

int xup_vectors_alloc(void)
{
	unsigned int cpu;
	int ret;

	for_each_possible_cpu(cpu) {
		ret = xup_vector_alloc(cpu);
		if (ret) {
			xup_vectors_free();
			return ret;
		}
	}
	return 0;
}

void xup_vectors_free(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		struct xup_cpu *c = per_cpu_ptr(&xup_cpus, cpu);

		if (!c->irq)
			continue;
		free_irq(c->irq, c);
		irq_dispose_mapping(c->irq);
		c->irq = 0;
	}
}

/*
 * The vector our IRQ has on this CPU, or 0 if it has none here.  The
 * configuration is only meaningful while the IRQ is started and its
 * vector is allocated on this CPU, which is what the vector domain records
 * as the effective affinity.  Not cfg->dest_apicid: that is the APIC
 * driver's destination, a logical ID in flat or cluster logical mode
 * (nox2apic), not this CPU's physical APIC ID.  A shut-down managed IRQ
 * points to a placeholder vector.
 */
u8 xup_vector_of_this_cpu(void)
{
	struct irq_data *d = irq_get_irq_data(this_cpu_read(xup_cpus.irq));
	struct irq_cfg *cfg = d ? irqd_cfg(d) : NULL;

	if (!cfg || !irqd_is_started(d) ||
	    !cpumask_test_cpu(smp_processor_id(),
			      irq_data_get_effective_affinity_mask(d)) ||
	    cfg->vector < FIRST_EXTERNAL_VECTOR ||
	    cfg->vector == MANAGED_IRQ_SHUTDOWN_VECTOR)
		return 0;
	return cfg->vector;
}
