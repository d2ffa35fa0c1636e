// SPDX-License-Identifier: GPL-2.0
/*
 * xhc_sleeper: a kernel thread that sleeps with usleep_range(1000, 1100)
 * on one CPU and records how late each wake-up was: the in-kernel
 * counterpart of bench/wakeup_latency.c, for the benchmark and the latency
 * tests.  It is an ordinary SCHED_OTHER thread, like the user-space one,
 * and needs no process to be scheduled in to be measured, so between them
 * they tell a delay of the wake-up itself from a delay of the return to
 * user space.
 *
 * Lateness is the time past the earliest moment the sleep may end
 * (1000 us after it began): usleep_range() may end anywhere in the 100 us
 * window, so up to 100 us of "lateness" is the range itself.
 *
 * /sys/kernel/debug/xhc_sleeper/run
 *   write "CPU": start a sleeper bound to CPU (stopping a previous one);
 *   write "stop": stop it;
 *   read: of the last (or current) run,
 *     "samples N max_us N p99_us N median_us N hist US:COUNT,..."
 *   where hist counts the wake-ups per bucket of bench/wakeup_latency.c
 *   (below 100 us to the microsecond, above that to two significant
 *   digits), so that runs can be pooled.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bits.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/sort.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

/* At 1 ms per wake-up, 2 min of samples: a bench round takes seconds. */
#define XS_MAX_SAMPLES	BIT(17)

static DEFINE_MUTEX(xs_lock);		/* the thread, the samples */
static struct task_struct *xs_task;
static u32 *xs_late_us;			/* XS_MAX_SAMPLES */
static unsigned int xs_samples;		/* written by the thread only */
static struct dentry *xs_debugfs;

static int xs_thread(void *unused)
{
	u64 t0, late;

	while (!kthread_should_stop()) {
		t0 = ktime_get_ns();
		usleep_range(1000, 1100);
		late = ktime_get_ns() - t0;
		late = late > NSEC_PER_MSEC ? late - NSEC_PER_MSEC : 0;
		if (xs_samples < XS_MAX_SAMPLES)
			xs_late_us[xs_samples++] = min_t(u64, late / NSEC_PER_USEC, U32_MAX);
	}
	return 0;
}

static void xs_stop(void)
{
	if (xs_task) {
		kthread_stop(xs_task);
		put_task_struct(xs_task);
		xs_task = NULL;
	}
}

static int xs_start(unsigned int cpu)
{
	struct task_struct *task;

	if (cpu >= nr_cpu_ids || !cpu_online(cpu))
		return -EINVAL;
	xs_stop();
	xs_samples = 0;
	task = kthread_create_on_cpu(xs_thread, NULL, cpu, "xhc_sleeper/%u");
	if (IS_ERR(task))
		return PTR_ERR(task);
	/* kthread_stop() needs the task even if it has already exited. */
	get_task_struct(task);
	xs_task = task;
	wake_up_process(task);
	return 0;
}

static ssize_t xs_run_write(struct file *file, const char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	unsigned int cpu;
	char buf[16];
	int ret = 0;

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	mutex_lock(&xs_lock);
	if (sysfs_streq(buf, "stop"))
		xs_stop();
	else if (!kstrtouint(buf, 0, &cpu))
		ret = xs_start(cpu);
	else
		ret = -EINVAL;
	mutex_unlock(&xs_lock);
	return ret ? ret : count;
}

static int xs_cmp_u32(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

/* The bucket of bench/wakeup_latency.c: exact below 100, else 2 digits. */
static u32 xs_bucket(u32 us)
{
	u32 scale = 1;

	while (us / scale >= 100)
		scale *= 10;
	return us / scale * scale;
}

static int xs_run_show(struct seq_file *m, void *v)
{
	unsigned int n, i, count;
	u32 *late;

	mutex_lock(&xs_lock);
	/* A snapshot: the thread may still be adding samples. */
	n = READ_ONCE(xs_samples);
	late = kvmalloc_array(n ?: 1, sizeof(*late), GFP_KERNEL);
	if (!late) {
		mutex_unlock(&xs_lock);
		return -ENOMEM;
	}
	memcpy(late, xs_late_us, n * sizeof(*late));
	mutex_unlock(&xs_lock);

	sort(late, n, sizeof(*late), xs_cmp_u32, NULL);
	seq_printf(m, "samples %u max_us %u p99_us %u median_us %u hist ", n,
		   n ? late[n - 1] : 0, n ? late[n * 99 / 100] : 0,
		   n ? late[n / 2] : 0);
	for (i = 0; i < n; i += count) {
		for (count = 1; i + count < n &&
		     xs_bucket(late[i + count]) == xs_bucket(late[i]); count++)
			;
		seq_printf(m, "%s%u:%u", i ? "," : "", xs_bucket(late[i]), count);
	}
	seq_putc(m, '\n');
	kvfree(late);
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
	xs_late_us = vmalloc(XS_MAX_SAMPLES * sizeof(*xs_late_us));
	if (!xs_late_us)
		return -ENOMEM;
	xs_debugfs = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("run", 0600, xs_debugfs, NULL, &xs_run_fops);
	return 0;
}

static void __exit xs_exit(void)
{
	debugfs_remove_recursive(xs_debugfs);
	mutex_lock(&xs_lock);
	xs_stop();
	mutex_unlock(&xs_lock);
	vfree(xs_late_us);
}

module_init(xs_init);
module_exit(xs_exit);

MODULE_DESCRIPTION("Test helper: a kernel thread sleeping 1 ms at a time (usleep_range) that records its wake-up lateness");
MODULE_LICENSE("GPL");
MODULE_INFO(test, "Y");
