// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs view of xen_upcall (/sys/kernel/debug/xen_upcall/):
 *   stats          per-CPU counters and the vector Xen delivers to now
 *   registrations  the last registrations of our vector, with the APIC_SPIV
 *                  value read right before each (bit 8: LAPIC enabled)
 * and, in the selftests' build only, the test hooks of test_hooks.c.
 */
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>

#include "internal.h"

#define XUP_LOG_SIZE	1024

struct xup_registration {
	unsigned int cpu;
	u8 vector;
	u32 spiv;
};

static struct xup_registration xup_log[XUP_LOG_SIZE];
static unsigned long xup_log_count;
static DEFINE_RAW_SPINLOCK(xup_log_lock);
static struct dentry *xup_debugfs;

void xup_log_registration(unsigned int cpu, u8 vector, u32 spiv)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&xup_log_lock, flags);
	xup_log[xup_log_count++ % XUP_LOG_SIZE] =
		(struct xup_registration){ cpu, vector, spiv };
	raw_spin_unlock_irqrestore(&xup_log_lock, flags);
}

static int xup_registrations_show(struct seq_file *m, void *v)
{
	unsigned long i, first;

	seq_puts(m, "seq cpu vector spiv\n");
	raw_spin_lock_irq(&xup_log_lock);
	first = xup_log_count > XUP_LOG_SIZE ? xup_log_count - XUP_LOG_SIZE : 0;
	for (i = first; i < xup_log_count; i++) {
		const struct xup_registration *r = &xup_log[i % XUP_LOG_SIZE];

		seq_printf(m, "%lu %u %#x %#x\n", i, r->cpu, r->vector, r->spiv);
	}
	raw_spin_unlock_irq(&xup_log_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(xup_registrations);

static int xup_stats_show(struct seq_file *m, void *v)
{
	unsigned int cpu;

	seq_puts(m, "cpu vector upcalls spurious registrations deferrals recoveries resched_requested spiv online\n");
	for_each_possible_cpu(cpu) {
		const struct xup_cpu *c = per_cpu_ptr(&xup_cpus, cpu);

		seq_printf(m, "%u %#x %llu %llu %llu %llu %llu %llu %#x %d\n",
			   cpu, READ_ONCE(c->vector), READ_ONCE(c->upcalls),
			   READ_ONCE(c->spurious), READ_ONCE(c->registrations),
			   READ_ONCE(c->deferrals), READ_ONCE(c->recoveries),
			   READ_ONCE(c->resched_requested),
			   READ_ONCE(c->spiv), READ_ONCE(c->online));
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(xup_stats);

void xup_stats_init(void)
{
	xup_debugfs = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("stats", 0400, xup_debugfs, NULL, &xup_stats_fops);
	debugfs_create_file("registrations", 0400, xup_debugfs, NULL,
			    &xup_registrations_fops);
	xup_test_hooks_init(xup_debugfs);
}

void xup_stats_exit(void)
{
	debugfs_remove_recursive(xup_debugfs);
}
