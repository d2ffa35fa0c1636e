// SPDX-License-Identifier: GPL-2.0
/*
 * xhc_bench: the workloads of the benchmark (bench/) and of
 * upcall_resched.sh, issued either the way the kernel issues them ("stock":
 * HYPERVISOR_*() through the kernel's own hypercall site) or through
 * xen_hcall ("module").  xen_hcall is looked up
 * when needed (symbol_get), so the stock configurations run without it.
 *
 * /sys/kernel/debug/xhc_bench/
 *   memop    write "stock|module MIB ROUNDS CPU": a kernel thread bound to
 *            CPU gives MIB of memory to Xen and has Xen populate it again,
 *            one hypercall each, ROUNDS times; read: one line per round,
 *            "round R decrease_ns N populate_ns N pages N released N back N bad N"
 *   version  write "CALLS": XENVER_version through three paths, the
 *            kernel's HYPERVISOR_xen_version(), xhc_hypercall() and
 *            xhc_preemptible_hypercall(), in rounds of six blocks of 25
 *            calls (kernel, plain, preemptible, preemptible, plain,
 *            kernel); read: "stock_ns N module_ns N preemptible_ns N
 *            calls N rounds N median_ratio_permille N
 *            preemptible_median_permille N block N stock_p10_ns N
 *            module_p10_ns N preemptible_p10_ns N"
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/debugfs.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/sort.h>
#include <linux/static_call.h>
#include <linux/uaccess.h>
#include <asm/xen/hypercall.h>
#include <xen/interface/version.h>
#include <xen_preempt/hcall.h>

#include "page_batch.h"

#define XB_MAX_ROUNDS	64
#define XB_BLOCK	25

struct xb_memop_job {
	bool module;
	unsigned int pages, rounds;
	struct page_batch_result results[XB_MAX_ROUNDS];
	unsigned int done;
	int error;
	struct completion finished;
};

static DEFINE_MUTEX(xb_lock);
static struct xb_memop_job xb_job;
/* The paths of the version file, in the order of their results. */
enum xb_path { XB_KERNEL, XB_PLAIN, XB_PREEMPTIBLE, XB_PATHS };

static u64 xb_version_ns[XB_PATHS], xb_version_calls, xb_version_rounds;
static u32 xb_version_median[XB_PATHS];	/* permille, against the previous path */
static u32 xb_version_p10[XB_PATHS];	/* ns per block */
static struct dentry *xb_debugfs;

static int xb_stock_memop(unsigned int cmd, void *arg)
{
	return HYPERVISOR_memory_op(cmd, arg);
}

/* The signature of xhc_hypercall() and xhc_preemptible_hypercall(). */
typedef long (*xb_hypercall_fn)(unsigned int op, unsigned long a1,
				unsigned long a2, unsigned long a3,
				unsigned long a4, unsigned long a5);

static xb_hypercall_fn xb_xhc_preemptible;

static int xb_module_memop(unsigned int cmd, void *arg)
{
	return xb_xhc_preemptible(__HYPERVISOR_memory_op, cmd,
				  (unsigned long)arg, 0, 0, 0);
}

static int xb_memop_thread(void *data)
{
	struct xb_memop_job *job = data;
	page_batch_memop_fn memop = job->module ? xb_module_memop :
						  xb_stock_memop;
	struct page_batch b;

	job->error = page_batch_alloc(&b, job->pages);
	for (job->done = 0; !job->error && job->done < job->rounds; job->done++)
		page_batch_cycle(&b, memop, true, &job->results[job->done]);
	if (!job->error)
		page_batch_free(&b);
	complete(&job->finished);
	return 0;
}

static int xb_run_memop(bool module, unsigned int mib, unsigned int rounds,
			unsigned int cpu)
{
	struct task_struct *task;

	if (!mib || !rounds || rounds > XB_MAX_ROUNDS || !cpu_online(cpu))
		return -EINVAL;

	memset(&xb_job, 0, sizeof(xb_job));
	xb_job.module = module;
	xb_job.pages = mib << (20 - PAGE_SHIFT);
	xb_job.rounds = rounds;
	init_completion(&xb_job.finished);

	task = kthread_create_on_cpu(xb_memop_thread, &xb_job, cpu,
				     "xhc_bench/%u");
	if (IS_ERR(task))
		return PTR_ERR(task);
	wake_up_process(task);
	wait_for_completion(&xb_job.finished);
	return xb_job.error;
}

static ssize_t xb_memop_write(struct file *file, const char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	unsigned int mib, rounds, cpu;
	char buf[64], path[8];
	bool module;
	int ret;

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	if (sscanf(buf, "%7s %u %u %u", path, &mib, &rounds, &cpu) != 4)
		return -EINVAL;
	module = !strcmp(path, "module");
	if (!module && strcmp(path, "stock"))
		return -EINVAL;

	mutex_lock(&xb_lock);
	if (module)
		xb_xhc_preemptible = symbol_get(xhc_preemptible_hypercall);
	if (module && !xb_xhc_preemptible)
		ret = -ENOENT;	/* xen_hcall is not loaded */
	else
		ret = xb_run_memop(module, mib, rounds, cpu);
	if (xb_xhc_preemptible)
		symbol_put(xhc_preemptible_hypercall);
	xb_xhc_preemptible = NULL;
	mutex_unlock(&xb_lock);
	return ret ? ret : count;
}

static int xb_memop_show(struct seq_file *m, void *v)
{
	unsigned int i;

	mutex_lock(&xb_lock);
	for (i = 0; i < xb_job.done; i++) {
		const struct page_batch_result *r = &xb_job.results[i];

		seq_printf(m, "round %u decrease_ns %llu populate_ns %llu pages %u released %ld back %ld bad %u\n",
			   i, r->decrease_ns, r->populate_ns, xb_job.pages,
			   r->released, r->back, r->bad_data);
	}
	mutex_unlock(&xb_lock);
	return 0;
}

static long xb_no_hypercall(unsigned int op, unsigned long a1,
			    unsigned long a2, unsigned long a3,
			    unsigned long a4, unsigned long a5)
{
	return -ENOENT;
}

/*
 * xhc_hypercall() and xhc_preemptible_hypercall() through static calls:
 * patched to direct calls once xen_hcall is found, as in a module linked
 * against it, so that the comparison with the kernel's own (static) call
 * is like for like.
 */
DEFINE_STATIC_CALL(xb_xhc_hypercall, xb_no_hypercall);
DEFINE_STATIC_CALL(xb_xhc_preemptible_hypercall, xb_no_hypercall);

/* One block of calls through one path; returns the nanoseconds it took. */
static u64 xb_version_block(enum xb_path path)
{
	u64 t = ktime_get_ns();
	int i;

	for (i = 0; i < XB_BLOCK; i++) {
		if (path == XB_PLAIN)
			static_call(xb_xhc_hypercall)(__HYPERVISOR_xen_version,
						      XENVER_version, 0, 0, 0,
						      0);
		else if (path == XB_PREEMPTIBLE)
			static_call(xb_xhc_preemptible_hypercall)
				(__HYPERVISOR_xen_version, XENVER_version, 0, 0,
				 0, 0);
		else
			HYPERVISOR_xen_version(XENVER_version, NULL);
	}
	return ktime_get_ns() - t;
}

static int xb_cmp_u32(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

/* The @permille-th quantile of @n block times, sorting them in place. */
static u32 xb_quantile(u32 *v, u64 n, unsigned int permille)
{
	sort(v, n, sizeof(*v), xb_cmp_u32, NULL);
	return v[div64_u64(n * permille, 1000)];
}

/*
 * Rounds of six short blocks, each path twice in mirrored order (kernel,
 * plain, preemptible, preemptible, plain, kernel), so that the paths see
 * the same machine and none always runs first.  Noise only ever adds time,
 * in bursts, so besides the totals the result compares the fastest tenth
 * of each path's blocks (the 10th percentile of block times) and the
 * median of the rounds' ratios of each path to the previous one (plain to
 * kernel: the wrapper; preemptible to plain: the flag and the notifier).
 */
static const enum xb_path xb_order[] = {
	XB_KERNEL, XB_PLAIN, XB_PREEMPTIBLE, XB_PREEMPTIBLE, XB_PLAIN, XB_KERNEL,
};

static int xb_run_version(u64 calls)
{
	u64 rounds = DIV_ROUND_UP(calls, 2 * XB_BLOCK), r, ns[XB_PATHS];
	u32 *block[XB_PATHS], *ratio[XB_PATHS];
	xb_hypercall_fn xhc, xhc_preemptible;
	unsigned int k;
	int p, ret = 0;

	if (!calls || rounds > 100000)
		return -EINVAL;
	for (p = 0; p < XB_PATHS; p++) {
		block[p] = kvmalloc_array(rounds * 2, sizeof(u32), GFP_KERNEL);
		ratio[p] = kvmalloc_array(rounds, sizeof(u32), GFP_KERNEL);
		if (!block[p] || !ratio[p])
			ret = -ENOMEM;
	}
	xhc = symbol_get(xhc_hypercall);
	xhc_preemptible = symbol_get(xhc_preemptible_hypercall);
	if (!xhc || !xhc_preemptible)
		ret = -ENOENT;	/* xen_hcall is not loaded */
	if (ret)
		goto out;
	static_call_update(xb_xhc_hypercall, xhc);
	static_call_update(xb_xhc_preemptible_hypercall, xhc_preemptible);
	memset(xb_version_ns, 0, sizeof(xb_version_ns));
	for (r = 0; r < rounds; r++) {
		memset(ns, 0, sizeof(ns));
		for (k = 0; k < ARRAY_SIZE(xb_order); k++) {
			u32 t = xb_version_block(xb_order[k]);

			p = xb_order[k];
			block[p][2 * r + (k >= ARRAY_SIZE(xb_order) / 2)] = t;
			ns[p] += t;
			xb_version_ns[p] += t;
		}
		for (p = 0; p < XB_PATHS; p++)
			ratio[p][r] = div64_u64(ns[p] * 1000,
						(p ? ns[p - 1] : ns[p]) ?: 1);
		cond_resched();
	}
	xb_version_calls = rounds * 2 * XB_BLOCK;	/* per path */
	xb_version_rounds = rounds;
	for (p = 0; p < XB_PATHS; p++) {
		xb_version_median[p] = xb_quantile(ratio[p], rounds, 500);
		xb_version_p10[p] = xb_quantile(block[p], rounds * 2, 100);
	}
out:
	if (xhc_preemptible) {
		static_call_update(xb_xhc_preemptible_hypercall, xb_no_hypercall);
		symbol_put(xhc_preemptible_hypercall);
	}
	if (xhc) {
		static_call_update(xb_xhc_hypercall, xb_no_hypercall);
		symbol_put(xhc_hypercall);
	}
	for (p = 0; p < XB_PATHS; p++) {
		kvfree(ratio[p]);
		kvfree(block[p]);
	}
	return ret;
}

static ssize_t xb_version_write(struct file *file, const char __user *ubuf,
				size_t count, loff_t *ppos)
{
	u64 calls;
	int ret = kstrtou64_from_user(ubuf, count, 0, &calls);

	if (ret)
		return ret;
	mutex_lock(&xb_lock);
	ret = xb_run_version(calls);
	mutex_unlock(&xb_lock);
	return ret ? ret : count;
}

static int xb_version_show(struct seq_file *m, void *v)
{
	mutex_lock(&xb_lock);
	seq_printf(m, "stock_ns %llu module_ns %llu preemptible_ns %llu calls %llu rounds %llu median_ratio_permille %u preemptible_median_permille %u block %u stock_p10_ns %u module_p10_ns %u preemptible_p10_ns %u\n",
		   xb_version_ns[XB_KERNEL], xb_version_ns[XB_PLAIN],
		   xb_version_ns[XB_PREEMPTIBLE], xb_version_calls,
		   xb_version_rounds, xb_version_median[XB_PLAIN],
		   xb_version_median[XB_PREEMPTIBLE], XB_BLOCK,
		   xb_version_p10[XB_KERNEL], xb_version_p10[XB_PLAIN],
		   xb_version_p10[XB_PREEMPTIBLE]);
	mutex_unlock(&xb_lock);
	return 0;
}

#define XB_RW_FILE(name)						\
static int xb_##name##_open(struct inode *inode, struct file *file)	\
{									\
	return single_open(file, xb_##name##_show, NULL);		\
}									\
static const struct file_operations xb_##name##_fops = {		\
	.owner = THIS_MODULE,						\
	.open = xb_##name##_open,					\
	.read = seq_read,						\
	.write = xb_##name##_write,					\
	.llseek = seq_lseek,						\
	.release = single_release,					\
}

XB_RW_FILE(memop);
XB_RW_FILE(version);

static int __init xb_init(void)
{
	xb_debugfs = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("memop", 0600, xb_debugfs, NULL, &xb_memop_fops);
	debugfs_create_file("version", 0600, xb_debugfs, NULL,
			    &xb_version_fops);
	return 0;
}

static void __exit xb_exit(void)
{
	debugfs_remove_recursive(xb_debugfs);
}

module_init(xb_init);
module_exit(xb_exit);

MODULE_DESCRIPTION("Benchmark workloads: long memory_op hypercalls and trivial hypercalls, stock or through xen_hcall");
MODULE_LICENSE("GPL");
MODULE_INFO(test, "Y");
