// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs view of xen_upcall (/sys/kernel/debug/xen_upcall/):
 *   stats          per-CPU counters and the vector Xen delivers to now
 *   registrations  the last registrations of our vector, with the APIC_SPIV
 *                  value read right before each (bit 8: LAPIC enabled)
 *   reregister     write "CPU [PORT]": switch CPU to the kernel's vector and
 *                  back with interrupts off, after making event channel PORT
 *                  pending (exercises the lost-edge recovery; for tests)
 *   defer          write "CPU": the same switch, without an event, where the
 *                  registration of our vector sees the LAPIC disabled once
 *                  (exercises the deferral and its retry; for tests)
 */
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/kstrtox.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>

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

static ssize_t xup_reregister_write(struct file *file, const char __user *ubuf,
				    size_t count, loff_t *ppos)
{
	char buf[32];
	unsigned int cpu;
	int port = -1, ret;

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	if (sscanf(buf, "%u %d", &cpu, &port) < 1 || cpu >= nr_cpu_ids)
		return -EINVAL;

	ret = xup_test_reregister(cpu, port, false);
	return ret ? ret : count;
}

static const struct file_operations xup_reregister_fops = {
	.owner = THIS_MODULE,
	.write = xup_reregister_write,
};

static ssize_t xup_defer_write(struct file *file, const char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	unsigned int cpu;
	int ret;

	ret = kstrtouint_from_user(ubuf, count, 10, &cpu);
	if (ret)
		return ret;
	if (cpu >= nr_cpu_ids)
		return -EINVAL;
	ret = xup_test_reregister(cpu, -1, true);
	return ret ? ret : count;
}

static const struct file_operations xup_defer_fops = {
	.owner = THIS_MODULE,
	.write = xup_defer_write,
};

void xup_stats_init(void)
{
	xup_debugfs = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("stats", 0400, xup_debugfs, NULL, &xup_stats_fops);
	debugfs_create_file("registrations", 0400, xup_debugfs, NULL,
			    &xup_registrations_fops);
	debugfs_create_file("reregister", 0200, xup_debugfs, NULL,
			    &xup_reregister_fops);
	debugfs_create_file("defer", 0200, xup_debugfs, NULL, &xup_defer_fops);
}

void xup_stats_exit(void)
{
	debugfs_remove_recursive(xup_debugfs);
}
