// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only hooks of xen_upcall, in /sys/kernel/debug/xen_upcall/.  They
 * let root make any event channel pending and switch a CPU's upcall vector
 * at will, which nothing but the selftests may do, so this file is built
 * only into the selftests' variant of the module: `make
 * XEN_PREEMPT_TEST_HOOKS=1` (evtchn/Kbuild).  The module a user builds
 * with plain `make` or DKMS has none of it.  That variant is marked as a
 * test module (modinfo "test", which taints the kernel with TAINT_TEST on
 * load), so that a report from a kernel that ran it says so.
 *
 *   reregister  write "CPU [PORT]": switch CPU to the kernel's vector and
 *               back with interrupts off, after making event channel PORT
 *               pending (the event must arrive exactly once)
 *   defer       write "CPU [N]": the same switch without an event, where
 *               the next N registrations on CPU see the LAPIC disabled
 *               (default 1; exercises the deferral and its back-off)
 *   give_back_fail  write "CPU N": the next N attempts to give CPU's vCPU
 *               back to the kernel's vector fail with -EIO before the
 *               hypercall, on CPU or from another (give_back.c)
 *   unpin       write anything: drop the pin a failed give-back took, once
 *               the test has brought the CPU back (-ENOENT if none)
 *   lose_edge   a real lost edge, with or without the recovery
 *               (test_lost_edge.c)
 *
 * A new hook is a function taking the written line and a line in
 * xup_test_hooks[].
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/cpu.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>
#include <xen/interface/event_channel.h>
#include <xen_preempt/hcall.h>

#include "internal.h"

MODULE_INFO(test, "Y");

/* Registrations left on each CPU that see the LAPIC disabled. */
static DEFINE_PER_CPU(unsigned int, xup_fake_lapic_off);

/* Called by register.c with interrupts disabled. */
bool xup_test_lapic_off(void)
{
	if (likely(!this_cpu_read(xup_fake_lapic_off)))
		return false;
	this_cpu_dec(xup_fake_lapic_off);
	return true;
}

/* Attempts left to fail at giving each CPU's vCPU back to 0xf3. */
static DEFINE_PER_CPU(atomic_t, xup_fake_give_back_error);

/* Called by give_back.c, on any CPU, with interrupts disabled. */
int xup_test_give_back_error(unsigned int cpu)
{
	atomic_t *left = per_cpu_ptr(&xup_fake_give_back_error, cpu);

	if (likely(!atomic_read(left)))
		return 0;
	return atomic_dec_if_positive(left) >= 0 ? -EIO : 0;
}

struct xup_switch_args {
	int port;		/* made pending first, if >= 0 */
	unsigned int lapic_off;	/* registrations that see the LAPIC off */
};

/*
 * On the CPU concerned, with interrupts off: make @port pending, then
 * switch to the kernel's vector and back to ours, so that the event is
 * pending across the switch.  Xen raises the vector at each registration
 * too, so this shows exactly-once delivery across a switch, not the
 * recovery (test_lost_edge.c loses an edge for that).
 */
static long xup_switch_here(void *data)
{
	struct xup_switch_args *args = data;
	struct evtchn_send send = { .port = args->port };
	unsigned long flags;
	long ret = 0;

	local_irq_save(flags);
	if (args->port >= 0)
		ret = xhc_event_channel_op(EVTCHNOP_send, &send);
	if (!ret)
		ret = xup_register_kernels();
	if (!ret) {
		this_cpu_write(xup_fake_lapic_off, args->lapic_off);
		xup_register_ours();
	}
	local_irq_restore(flags);
	return ret;
}

static int xup_switch_on(unsigned int cpu, struct xup_switch_args *args)
{
	int ret;

	if (cpu >= nr_cpu_ids)
		return -EINVAL;
	cpus_read_lock();
	if (cpu_online(cpu))
		ret = work_on_cpu(cpu, xup_switch_here, args);
	else
		ret = -ENODEV;
	cpus_read_unlock();
	return ret;
}

static int xup_hook_reregister(const char *line)
{
	struct xup_switch_args args = { .port = -1 };
	unsigned int cpu;

	if (sscanf(line, "%u %d", &cpu, &args.port) < 1)
		return -EINVAL;
	return xup_switch_on(cpu, &args);
}

static int xup_hook_defer(const char *line)
{
	struct xup_switch_args args = { .port = -1, .lapic_off = 1 };
	unsigned int cpu;

	if (sscanf(line, "%u %u", &cpu, &args.lapic_off) < 1 || !args.lapic_off)
		return -EINVAL;
	return xup_switch_on(cpu, &args);
}

static int xup_hook_give_back_fail(const char *line)
{
	unsigned int cpu;
	int n;

	if (sscanf(line, "%u %d", &cpu, &n) != 2 || cpu >= nr_cpu_ids || n < 0)
		return -EINVAL;
	atomic_set(per_cpu_ptr(&xup_fake_give_back_error, cpu), n);
	return 0;
}

static int xup_hook_unpin(const char *line __always_unused)
{
	return xup_test_unpin() ? 0 : -ENOENT;
}

struct xup_test_hook {
	const char *name;
	int (*run)(const char *line);	/* 0 or -errno */
	int (*show)(char *buf, size_t size);	/* optional: what a read gives */
};

static const struct xup_test_hook xup_test_hooks[] = {
	{ "reregister", xup_hook_reregister },
	{ "defer", xup_hook_defer },
	{ "give_back_fail", xup_hook_give_back_fail },
	{ "unpin", xup_hook_unpin },
	{ "lose_edge", xup_hook_lose_edge, xup_hook_lose_edge_show },
};

static ssize_t xup_test_hook_write(struct file *file, const char __user *ubuf,
				   size_t count, loff_t *ppos)
{
	const struct xup_test_hook *hook = file->private_data;
	char line[64];
	int ret;

	if (count >= sizeof(line))
		return -EINVAL;
	if (copy_from_user(line, ubuf, count))
		return -EFAULT;
	line[count] = '\0';
	ret = hook->run(line);
	return ret ? ret : count;
}

static ssize_t xup_test_hook_read(struct file *file, char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	const struct xup_test_hook *hook = file->private_data;
	char text[128];
	int len;

	if (!hook->show)
		return -EINVAL;
	len = hook->show(text, sizeof(text));
	return simple_read_from_buffer(ubuf, count, ppos, text, len);
}

static const struct file_operations xup_test_hook_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = xup_test_hook_read,
	.write = xup_test_hook_write,
};

/* The files go away with @dir (xup_stats_exit()). */
void xup_test_hooks_init(struct dentry *dir)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(xup_test_hooks); i++)
		debugfs_create_file(xup_test_hooks[i].name,
				    xup_test_hooks[i].show ? 0600 : 0200, dir,
				    (void *)&xup_test_hooks[i],
				    &xup_test_hook_fops);
	pr_info("test build: debugfs test hooks enabled\n");
}
