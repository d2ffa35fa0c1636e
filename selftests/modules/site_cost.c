// SPDX-License-Identifier: GPL-2.0
/*
 * xhc_site_cost: what a trivial hypercall costs depending on where its
 * instruction lies and on what surrounds it, to find where the overheads
 * of xen_hcall's wrappers come from.  p4_wrapper (xhc_hypercall()): the
 * explanation to test is that without NRIP-save (QEMU's TCG offers none)
 * Xen decodes the instruction at the guest's RIP for every vmmcall,
 * walking the guest's page tables in software, one level deeper for a
 * 4 KiB-mapped module page than for the kernel's 2 MiB-mapped text.
 * p4_preemptible (xhc_preemptible_hypercall()): what xhc_call_begin() and
 * xhc_call_end() add, piece by piece.
 *
 * XENVER_version, with the kernel's register convention, through
 *   kernel  HYPERVISOR_xen_version(): the kernel's own instruction
 *   mid     a copy of "vmmcall; ret" in this module, mid-page
 *   end     the same, its instruction in the last bytes of a page
 *   split   the same, its instruction across two pages
 * (site_cost_insn.S).  If the decode's page walk is what costs, mid costs
 * more than kernel, and end and split, whose decode reads two pages, more
 * than mid; if the wrapper's own instructions cost, mid equals kernel.
 * And the kernel's instruction with, around each call, what the
 * preemptible wrapper does around its own:
 *   clock     two ktime_get_ns() (the call's duration, for its stats)
 *   notifier  a preempt notifier registered and unregistered, with
 *             preemption disabled around each
 *
 * /sys/kernel/debug/xhc_site_cost/run
 *   write "CALLS": CALLS calls per path, in rounds of one 25-call block per
 *   path, the order rotated from round to round;
 *   read: "rounds N block N kernel_p10_ns N mid_p10_ns N end_p10_ns N
 *   split_p10_ns N clock_p10_ns N notifier_p10_ns N mid_offset N
 *   end_offset N split_offset N": the 10th
 *   percentile of each path's block times (noise only adds time) and the
 *   offsets of the module's instructions in their pages.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/mutex.h>
#include <linux/preempt.h>
#include <linux/seq_file.h>
#include <linux/sort.h>
#include <linux/uaccess.h>
#include <asm/xen/hypercall.h>
#include <xen/interface/version.h>

#include "site_cost.h"

#define XS_BLOCK	25

enum xs_path {
	XS_KERNEL, XS_MID, XS_END, XS_SPLIT, XS_CLOCK, XS_NOTIFIER, XS_PATHS
};

static const char * const xs_path_name[XS_PATHS] = {
	"kernel", "mid", "end", "split", "clock", "notifier",
};

static void xs_sched_in(struct preempt_notifier *pn, int cpu)
{
}

static void xs_sched_out(struct preempt_notifier *pn, struct task_struct *next)
{
}

static struct preempt_ops xs_preempt_ops = {
	.sched_in = xs_sched_in,
	.sched_out = xs_sched_out,
};

static DEFINE_MUTEX(xs_lock);
static u32 xs_p10[XS_PATHS];
static u64 xs_rounds;
static struct dentry *xs_debugfs;

/* XENVER_version through @site, as HYPERVISOR_xen_version() does it. */
#define XS_SITE_CALL(site)						\
({									\
	__HYPERCALL_DECLS;						\
	__HYPERCALL_2ARG(XENVER_version, NULL);				\
	asm volatile("call " #site					\
		     : __HYPERCALL_2PARAM				\
		     : __HYPERCALL_ENTRY(__HYPERVISOR_xen_version)	\
		     : __HYPERCALL_CLOBBER2);				\
	(long)__res;							\
})

/* One block of calls through one path; returns the nanoseconds it took. */
static u32 xs_block(enum xs_path path)
{
	struct preempt_notifier pn;
	u64 t = ktime_get_ns();
	int i;

	preempt_notifier_init(&pn, &xs_preempt_ops);
	for (i = 0; i < XS_BLOCK; i++) {
		switch (path) {
		case XS_CLOCK:
			ktime_get_ns();
			HYPERVISOR_xen_version(XENVER_version, NULL);
			ktime_get_ns();
			break;
		case XS_NOTIFIER:
			preempt_disable();
			preempt_notifier_register(&pn);
			preempt_enable();
			HYPERVISOR_xen_version(XENVER_version, NULL);
			preempt_disable();
			preempt_notifier_unregister(&pn);
			preempt_enable();
			break;
		case XS_MID:
			XS_SITE_CALL(xb_site_mid);
			break;
		case XS_END:
			XS_SITE_CALL(xb_site_end);
			break;
		case XS_SPLIT:
			XS_SITE_CALL(xb_site_split);
			break;
		default:
			HYPERVISOR_xen_version(XENVER_version, NULL);
		}
	}
	return ktime_get_ns() - t;
}

static int xs_cmp_u32(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

static int xs_run(u64 calls)
{
	u64 rounds = DIV_ROUND_UP(calls, XS_BLOCK), r;
	u32 *block[XS_PATHS];
	int p, ret = 0;

	if (!calls || rounds > 100000)
		return -EINVAL;
	for (p = 0; p < XS_PATHS; p++) {
		block[p] = kvmalloc_array(rounds, sizeof(u32), GFP_KERNEL);
		if (!block[p])
			ret = -ENOMEM;
	}
	for (r = 0; !ret && r < rounds; r++) {
		for (p = 0; p < XS_PATHS; p++) {
			enum xs_path path = (p + r) % XS_PATHS;

			block[path][r] = xs_block(path);
		}
		cond_resched();
	}
	for (p = 0; p < XS_PATHS; p++) {
		if (!ret) {
			sort(block[p], rounds, sizeof(u32), xs_cmp_u32, NULL);
			xs_p10[p] = block[p][div64_u64(rounds, 10)];
		}
		kvfree(block[p]);
	}
	xs_rounds = ret ? 0 : rounds;
	return ret;
}

static ssize_t xs_run_write(struct file *file, const char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	u64 calls;
	int ret = kstrtou64_from_user(ubuf, count, 0, &calls);

	if (ret)
		return ret;
	mutex_lock(&xs_lock);
	ret = xs_run(calls);
	mutex_unlock(&xs_lock);
	return ret ? ret : count;
}

static int xs_run_show(struct seq_file *m, void *v)
{
	int p;

	mutex_lock(&xs_lock);
	seq_printf(m, "rounds %llu block %u", xs_rounds, XS_BLOCK);
	for (p = 0; p < XS_PATHS; p++)
		seq_printf(m, " %s_p10_ns %u", xs_path_name[p], xs_p10[p]);
	seq_printf(m, " mid_offset %lu end_offset %lu split_offset %lu\n",
		   (unsigned long)offset_in_page(xb_site_mid_insn),
		   (unsigned long)offset_in_page(xb_site_end_insn),
		   (unsigned long)offset_in_page(xb_site_split_insn));
	mutex_unlock(&xs_lock);
	return 0;
}

static int xs_run_open(struct inode *inode, struct file *file)
{
	return single_open(file, xs_run_show, NULL);
}

static const struct file_operations xs_run_fops = {
	.owner = THIS_MODULE,
	.open = xs_run_open,
	.read = seq_read,
	.write = xs_run_write,
	.llseek = seq_lseek,
	.release = single_release,
};

static int __init xs_init(void)
{
	/* The padding of site_cost_insn.S assumes page-aligned module text. */
	if (offset_in_page(xb_site_split_insn) != PAGE_SIZE - 2 ||
	    offset_in_page(xb_site_end_insn) != PAGE_SIZE - 8) {
		pr_err("instruction sites not where expected (end at %lu, split at %lu in their pages)\n",
		       (unsigned long)offset_in_page(xb_site_end_insn),
		       (unsigned long)offset_in_page(xb_site_split_insn));
		return -EINVAL;
	}
	xs_debugfs = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("run", 0600, xs_debugfs, NULL, &xs_run_fops);
	return 0;
}

static void __exit xs_exit(void)
{
	debugfs_remove_recursive(xs_debugfs);
}

module_init(xs_init);
module_exit(xs_exit);

MODULE_DESCRIPTION("Benchmark: the cost of a trivial hypercall by where its instruction lies");
MODULE_LICENSE("GPL");
MODULE_INFO(test, "Y");
