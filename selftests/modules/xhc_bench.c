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
 *   sleeper  write "CPU PERIOD_US": (re)starts a kernel thread bound to CPU
 *            that sleeps PERIOD_US at a time (usleep_range(PERIOD_US,
 *            PERIOD_US * 11 / 10)) and records how late each wake-up is,
 *            from zero; write "stop" to stop it.  read: "cpu N period_us N
 *            running 0|1 samples N max_us N max_net_us N steal_at_max_us N
 *            p99_us N hist US:COUNT,...": since the start, the worst
 *            lateness beyond PERIOD_US, the worst once the CPU's steal time
 *            during that sleep (time the hypervisor ran something else) is
 *            taken off, the steal time during the sleep of the worst, the
 *            99th percentile, and the wake-ups per bucket of lateness as
 *            bench/wakeup_latency.c counts them (below 100 us to the
 *            microsecond, above that to two significant digits), so that
 *            runs can be pooled
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
#include <linux/delay.h>
#include <linux/kernel_stat.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/sort.h>
#include <linux/static_call.h>
#include <linux/string.h>
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

/*
 * A kernel thread that sleeps, the kernel's counterpart of the benchmark's
 * user-space sleeper: each wake-up asks for the CPU, and how late it comes
 * shows how long something else held it.
 */
/* 0-99 us, then 90 buckets per decade (10..99 x 10^k us) up to 1000 s. */
#define XB_HIST_BUCKETS	(100 + 7 * 90)

struct xb_sleeper {
	struct task_struct *task;
	unsigned int cpu, period_us;
	u64 samples, max_ns, max_net_ns, steal_at_max_ns;
	u32 hist[XB_HIST_BUCKETS];
};

static DEFINE_MUTEX(xb_lock);
static DEFINE_MUTEX(xb_sleeper_lock);
static struct xb_sleeper xb_sleeper;
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

/* Steal time of @cpu, as the scheduler's tick accounts it. */
static u64 xb_steal_ns(unsigned int cpu)
{
	return READ_ONCE(kcpustat_cpu(cpu).cpustat[CPUTIME_STEAL]);
}

/*
 * The bucket of @us: exact below 100, else its two leading digits; 1000 s
 * and more count as 990 s.
 */
static unsigned int xb_hist_bucket(u64 us)
{
	unsigned int decade = 0;

	for (us = min_t(u64, us, 999999999); us >= 100; us /= 10)
		decade++;
	return decade ? 100 + (decade - 1) * 90 + us - 10 : us;
}

/* The lowest lateness in bucket @b, in us. */
static u64 xb_hist_value(unsigned int b)
{
	u64 us;
	unsigned int decade;

	if (b < 100)
		return b;
	us = 10 + (b - 100) % 90;
	for (decade = 1 + (b - 100) / 90; decade; decade--)
		us *= 10;
	return us;
}

static int xb_sleeper_thread(void *data)
{
	struct xb_sleeper *s = data;
	u64 period_ns = (u64)s->period_us * NSEC_PER_USEC, start, late, steal;

	while (!kthread_should_stop()) {
		start = ktime_get_ns();
		steal = xb_steal_ns(s->cpu);
		usleep_range(s->period_us, s->period_us + s->period_us / 10);
		late = ktime_get_ns() - start;
		steal = xb_steal_ns(s->cpu) - steal;
		late = late > period_ns ? late - period_ns : 0;
		s->hist[xb_hist_bucket(div_u64(late, NSEC_PER_USEC))]++;
		WRITE_ONCE(s->samples, s->samples + 1);
		if (late > s->max_ns) {
			WRITE_ONCE(s->max_ns, late);
			WRITE_ONCE(s->steal_at_max_ns, steal);
		}
		late = late > steal ? late - steal : 0;
		if (late > s->max_net_ns)
			WRITE_ONCE(s->max_net_ns, late);
	}
	return 0;
}

static void xb_sleeper_stop(void)
{
	if (xb_sleeper.task)
		kthread_stop(xb_sleeper.task);
	xb_sleeper.task = NULL;
}

static int xb_sleeper_start(unsigned int cpu, unsigned int period_us)
{
	struct task_struct *task;

	if (!period_us || period_us > USEC_PER_SEC || !cpu_online(cpu))
		return -EINVAL;
	xb_sleeper_stop();
	xb_sleeper.cpu = cpu;
	xb_sleeper.period_us = period_us;
	xb_sleeper.samples = 0;
	xb_sleeper.max_ns = 0;
	xb_sleeper.max_net_ns = 0;
	xb_sleeper.steal_at_max_ns = 0;
	memset(xb_sleeper.hist, 0, sizeof(xb_sleeper.hist));
	task = kthread_create_on_cpu(xb_sleeper_thread, &xb_sleeper, cpu,
				     "xb_sleep/%u");
	if (IS_ERR(task))
		return PTR_ERR(task);
	xb_sleeper.task = task;
	wake_up_process(task);
	return 0;
}

static ssize_t xb_sleeper_write(struct file *file, const char __user *ubuf,
				size_t count, loff_t *ppos)
{
	unsigned int cpu, period_us;
	char buf[32];
	int ret = 0;

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	mutex_lock(&xb_sleeper_lock);
	if (sysfs_streq(buf, "stop"))
		xb_sleeper_stop();
	else if (sscanf(buf, "%u %u", &cpu, &period_us) == 2)
		ret = xb_sleeper_start(cpu, period_us);
	else
		ret = -EINVAL;
	mutex_unlock(&xb_sleeper_lock);
	return ret ? ret : count;
}

/*
 * The histogram is read without stopping the thread: a running sleeper
 * may add a wake-up or two while it is printed.
 */
static int xb_sleeper_show(struct seq_file *m, void *v)
{
	u64 samples, seen = 0;
	unsigned int b, p99 = 0;
	const char *sep = "";

	mutex_lock(&xb_sleeper_lock);
	samples = READ_ONCE(xb_sleeper.samples);
	for (b = 0; b < XB_HIST_BUCKETS; b++) {
		seen += xb_sleeper.hist[b];
		if (seen * 100 < samples * 99)
			p99 = b + 1;
	}
	seq_printf(m, "cpu %u period_us %u running %d samples %llu max_us %llu max_net_us %llu steal_at_max_us %llu p99_us %llu hist ",
		   xb_sleeper.cpu, xb_sleeper.period_us, !!xb_sleeper.task,
		   samples, div_u64(READ_ONCE(xb_sleeper.max_ns), NSEC_PER_USEC),
		   div_u64(READ_ONCE(xb_sleeper.max_net_ns), NSEC_PER_USEC),
		   div_u64(READ_ONCE(xb_sleeper.steal_at_max_ns), NSEC_PER_USEC),
		   xb_hist_value(min(p99, XB_HIST_BUCKETS - 1)));
	for (b = 0; b < XB_HIST_BUCKETS; b++) {
		if (!xb_sleeper.hist[b])
			continue;
		seq_printf(m, "%s%llu:%u", sep, xb_hist_value(b), xb_sleeper.hist[b]);
		sep = ",";
	}
	seq_putc(m, '\n');
	mutex_unlock(&xb_sleeper_lock);
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
XB_RW_FILE(sleeper);

static int __init xb_init(void)
{
	xb_debugfs = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("memop", 0600, xb_debugfs, NULL, &xb_memop_fops);
	debugfs_create_file("version", 0600, xb_debugfs, NULL,
			    &xb_version_fops);
	debugfs_create_file("sleeper", 0600, xb_debugfs, NULL,
			    &xb_sleeper_fops);
	return 0;
}

static void __exit xb_exit(void)
{
	debugfs_remove_recursive(xb_debugfs);
	mutex_lock(&xb_sleeper_lock);
	xb_sleeper_stop();
	mutex_unlock(&xb_sleeper_lock);
}

module_init(xb_init);
module_exit(xb_exit);

MODULE_DESCRIPTION("Benchmark workloads: long memory_op hypercalls and trivial hypercalls, stock or through xen_hcall");
MODULE_LICENSE("GPL");
MODULE_INFO(test, "Y");
