// SPDX-License-Identifier: GPL-2.0
/*
 * Test module for xen_upcall: a loopback event-channel pair inside the
 * guest, one end bound to each of two CPUs, to see events flow (and count
 * what arrives) through whichever upcall vector is in use.
 *
 * /sys/kernel/debug/xup_test/
 *   pingpong  write N: N round trips A -> B -> A, waits for them (2 min max);
 *             read: "rounds N sent N received N ns_per_round N"
 *   received  events received on end B (the end on CPU cpu_b)
 *   send_port the port whose event lands on end B, for
 *             /sys/kernel/debug/xen_upcall/reregister
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/debugfs.h>
#include <linux/interrupt.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <xen/events.h>
#include <xen/interface/event_channel.h>
#include <asm/xen/hypercall.h>

static unsigned int cpu_a;
module_param(cpu_a, uint, 0444);
MODULE_PARM_DESC(cpu_a, "CPU that end A of the loopback pair is bound to (default 0)");

static unsigned int cpu_b = 1;
module_param(cpu_b, uint, 0444);
MODULE_PARM_DESC(cpu_b, "CPU that end B of the loopback pair is bound to (default 1)");

struct xup_test_end {
	evtchn_port_t port;
	int irq;
	atomic_long_t received;
};

static struct xup_test_end end_a, end_b;
static atomic_long_t rounds_left, sent;
static DECLARE_COMPLETION(pingpong_done);
static DEFINE_MUTEX(pingpong_lock);
static u64 last_rounds, last_ns;
static struct dentry *dir;

static void xup_test_send(struct xup_test_end *from)
{
	atomic_long_inc(&sent);
	notify_remote_via_evtchn(from->port);
}

/* B echoes every event back to A. */
static irqreturn_t xup_test_b(int irq, void *dev_id)
{
	atomic_long_inc(&end_b.received);
	if (atomic_long_read(&rounds_left) > 0)
		xup_test_send(&end_b);
	return IRQ_HANDLED;
}

/* A closes a round trip and starts the next one. */
static irqreturn_t xup_test_a(int irq, void *dev_id)
{
	atomic_long_inc(&end_a.received);
	if (atomic_long_dec_return(&rounds_left) > 0)
		xup_test_send(&end_a);
	else
		complete(&pingpong_done);
	return IRQ_HANDLED;
}

static int xup_test_pingpong(u64 rounds)
{
	u64 start;

	if (!rounds)
		return -EINVAL;
	mutex_lock(&pingpong_lock);
	reinit_completion(&pingpong_done);
	atomic_long_set(&sent, 0);
	atomic_long_set(&end_a.received, 0);
	atomic_long_set(&end_b.received, 0);
	atomic_long_set(&rounds_left, rounds);
	start = ktime_get_ns();
	xup_test_send(&end_a);
	/* Generous: only lost events count, the emulated test bed is slow. */
	if (!wait_for_completion_timeout(&pingpong_done, 120 * HZ))
		pr_err("ping-pong: %ld of %llu round trips left after 2 min\n",
		       atomic_long_read(&rounds_left), rounds);
	/* Stop the echo in any case so that nothing keeps running. */
	atomic_long_set(&rounds_left, 0);
	last_ns = ktime_get_ns() - start;
	last_rounds = rounds;
	mutex_unlock(&pingpong_lock);
	return 0;
}

static ssize_t pingpong_write(struct file *file, const char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	u64 rounds;
	int ret = kstrtou64_from_user(ubuf, count, 0, &rounds);

	if (!ret)
		ret = xup_test_pingpong(rounds);
	return ret ? ret : count;
}

static int pingpong_show(struct seq_file *m, void *v)
{
	u64 received = atomic_long_read(&end_a.received);

	seq_printf(m, "rounds %llu sent %ld received %llu ns_per_round %llu\n",
		   last_rounds, atomic_long_read(&sent),
		   received + atomic_long_read(&end_b.received),
		   received ? last_ns / received : 0);
	return 0;
}

static int pingpong_open(struct inode *inode, struct file *file)
{
	return single_open(file, pingpong_show, NULL);
}

static const struct file_operations pingpong_fops = {
	.owner = THIS_MODULE,
	.open = pingpong_open,
	.read = seq_read,
	.write = pingpong_write,
	.llseek = seq_lseek,
	.release = single_release,
};

static int received_get(void *data, u64 *val)
{
	*val = atomic_long_read(&end_b.received);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(received_fops, received_get, NULL, "%llu\n");

static int xup_test_bind(struct xup_test_end *end, irq_handler_t handler,
			 const char *name, unsigned int cpu)
{
	int ret;

	end->irq = bind_evtchn_to_irqhandler(end->port, handler, 0, name, end);
	if (end->irq < 0)
		return end->irq;
	ret = irq_set_affinity(end->irq, cpumask_of(cpu));
	if (ret) {
		unbind_from_irqhandler(end->irq, end);
		return ret;
	}
	return 0;
}

static int __init xup_test_init(void)
{
	struct evtchn_alloc_unbound alloc = {
		.dom = DOMID_SELF, .remote_dom = DOMID_SELF,
	};
	struct evtchn_bind_interdomain bind = { .remote_dom = DOMID_SELF };
	int ret;

	if (!cpu_online(cpu_a) || !cpu_online(cpu_b))
		return -ENODEV;
	/*
	 * The kernel's hypercalls, not xen_hcall's: the pair also measures
	 * the PV upcall (dom0_toolstack.sh), where xen_hcall issues none.
	 */
	ret = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &alloc);
	if (ret)
		return ret;
	bind.remote_port = alloc.port;
	ret = HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &bind);
	if (ret) {
		struct evtchn_close close = { .port = alloc.port };

		HYPERVISOR_event_channel_op(EVTCHNOP_close, &close);
		return ret;
	}
	end_a.port = alloc.port;
	end_b.port = bind.local_port;

	ret = xup_test_bind(&end_a, xup_test_a, "xup_test-a", cpu_a);
	if (ret)
		return ret;
	ret = xup_test_bind(&end_b, xup_test_b, "xup_test-b", cpu_b);
	if (ret) {
		unbind_from_irqhandler(end_a.irq, &end_a);
		return ret;
	}

	dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("pingpong", 0600, dir, NULL, &pingpong_fops);
	debugfs_create_file_unsafe("received", 0400, dir, NULL, &received_fops);
	debugfs_create_u32("send_port", 0400, dir, &end_a.port);
	return 0;
}

static void __exit xup_test_exit(void)
{
	debugfs_remove_recursive(dir);
	unbind_from_irqhandler(end_b.irq, &end_b);
	unbind_from_irqhandler(end_a.irq, &end_a);
}

module_init(xup_test_init);
module_exit(xup_test_exit);

MODULE_DESCRIPTION("Loopback event-channel ping-pong for xen_upcall tests");
MODULE_LICENSE("GPL");
MODULE_INFO(test, "Y");
