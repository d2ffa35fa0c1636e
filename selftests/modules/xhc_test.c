// SPDX-License-Identifier: GPL-2.0
/*
 * xhc_test: load generator and referee for the selftests of xen_hcall.
 *
 * Until xen_upcall.ko provides the real upcall entry, a pinned hrtimer on
 * every CPU stands in for it: its callback runs in hard interrupt context,
 * as the upcall does, and applies xen_hcall's rule to the interrupted
 * context the way the upcall entry will at its end.
 *
 * Writing 1 to /sys/kernel/debug/xhc_test/run starts:
 *  - kthreads that compete for each CPU: sleepers_per_cpu that wake up
 *    every sleep_us and spinners_per_cpu that never sleep;
 *  - memop kthreads (threads_per_cpu per online CPU) that hand nr_pages
 *    pages to Xen and have Xen populate them again, over and over, through
 *    xhc_preemptible_memory_op(): long hypercalls that Xen continues many
 *    times, which the stand-in upcall may reschedule;
 *  - an affinity kthread that moves the memop threads to another CPU every
 *    affinity_ms, so that they migrate in the middle of hypercalls;
 *  - an atomic kthread that makes the same hypercalls on a small batch from
 *    contexts that must never be rescheduled: preemption disabled, spinlock
 *    held, interrupts disabled, bottom halves disabled, tasklet, timer.
 * Writing 0 stops them.  /sys/kernel/debug/xhc_test/results shows what
 * happened as "name value" lines; the test script judges them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/gfp.h>
#include <linux/hrtimer.h>
#include <linux/interrupt.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/timer.h>
#include <linux/uaccess.h>
#include <asm/irq_regs.h>
#include <xen_preempt/hcall.h>
#include <xp_timer.h>

#include "page_batch.h"

static unsigned int nr_pages = 4096;
module_param(nr_pages, uint, 0444);
MODULE_PARM_DESC(nr_pages, "Pages per hypercall of a memop thread");

static unsigned int threads_per_cpu = 1;
module_param(threads_per_cpu, uint, 0444);
MODULE_PARM_DESC(threads_per_cpu, "Memop threads started per online CPU");

static unsigned int affinity_ms = 5;
module_param(affinity_ms, uint, 0444);
MODULE_PARM_DESC(affinity_ms, "Move the memop threads this often (0: never)");

static unsigned int sleepers_per_cpu = 1;
module_param(sleepers_per_cpu, uint, 0444);
MODULE_PARM_DESC(sleepers_per_cpu, "Threads per CPU that sleep and wake up");

static unsigned int sleep_us = 4000;
module_param(sleep_us, uint, 0444);
MODULE_PARM_DESC(sleep_us, "How long a sleeper sleeps at a time");

static unsigned int spinners_per_cpu = 1;
module_param(spinners_per_cpu, uint, 0444);
MODULE_PARM_DESC(spinners_per_cpu, "Threads per CPU that never sleep");

static unsigned int atomic_pages = 128;
module_param(atomic_pages, uint, 0444);
MODULE_PARM_DESC(atomic_pages, "Pages per hypercall from atomic contexts (0: none)");

static unsigned int tick_us = 1000;
module_param(tick_us, uint, 0444);
MODULE_PARM_DESC(tick_us, "Period of the stand-in upcall");

enum xt_counter {
	XT_TICKS,		/* stand-in upcalls */
	XT_TICK_HITS,		/* ... allowed to reschedule their task */
	XT_BATCHES,		/* memop thread decrease + populate cycles */
	XT_PAGES,		/* pages given to Xen and populated again */
	XT_ERRORS,		/* hypercalls that did not do the whole batch */
	XT_PAGES_LOST,		/* pages Xen did not populate again */
	XT_BAD_DATA,		/* populated pages that did not keep a write */
	XT_ALLOC_FAILURES,
	XT_CALL_MIGRATIONS,	/* cycles that ended on another CPU */
	XT_AFFINITY_CHANGES,
	XT_ATOMIC_PREEMPT,	/* cycles from each non-preemptible context */
	XT_ATOMIC_SPINLOCK,
	XT_ATOMIC_IRQOFF,
	XT_ATOMIC_BH,
	XT_ATOMIC_TASKLET,
	XT_ATOMIC_TIMER,
	XT_ATOMIC_SWITCHED,	/* ... during which the task was switched out */
	XT_SLEEPER_WAKEUPS,
	XT_SLEEPER_MAX_LATE_US,	/* worst wake-up lateness of a sleeper */
	XT_SPINNER_LOOPS,	/* 100 us busy loops of the spinners */
	XT_NR
};

static const char * const xt_names[XT_NR] = {
	[XT_TICKS] = "ticks",
	[XT_TICK_HITS] = "tick_hits",
	[XT_BATCHES] = "batches",
	[XT_PAGES] = "pages",
	[XT_ERRORS] = "errors",
	[XT_PAGES_LOST] = "pages_lost",
	[XT_BAD_DATA] = "bad_data",
	[XT_ALLOC_FAILURES] = "alloc_failures",
	[XT_CALL_MIGRATIONS] = "call_migrations",
	[XT_AFFINITY_CHANGES] = "affinity_changes",
	[XT_ATOMIC_PREEMPT] = "atomic_preempt",
	[XT_ATOMIC_SPINLOCK] = "atomic_spinlock",
	[XT_ATOMIC_IRQOFF] = "atomic_irqoff",
	[XT_ATOMIC_BH] = "atomic_bh",
	[XT_ATOMIC_TASKLET] = "atomic_tasklet",
	[XT_ATOMIC_TIMER] = "atomic_timer",
	[XT_ATOMIC_SWITCHED] = "atomic_switched",
	[XT_SLEEPER_WAKEUPS] = "sleeper_wakeups",
	[XT_SLEEPER_MAX_LATE_US] = "sleeper_max_late_us",
	[XT_SPINNER_LOOPS] = "spinner_loops",
};

static atomic_long_t xt_counts[XT_NR];

static void xt_add(enum xt_counter c, long n)
{
	atomic_long_add(n, &xt_counts[c]);
}

static void xt_inc(enum xt_counter c)
{
	atomic_long_inc(&xt_counts[c]);
}

static void xt_max(enum xt_counter c, long val)
{
	long old = atomic_long_read(&xt_counts[c]);

	do {
		if (val <= old)
			return;
	} while (!atomic_long_try_cmpxchg(&xt_counts[c], &old, val));
}

/* The stand-in upcall. */

static DEFINE_PER_CPU(struct hrtimer, xt_tick);
static struct cpumask xt_tick_cpus;
static ktime_t xt_tick_period;

static enum hrtimer_restart xt_tick_fn(struct hrtimer *timer)
{
	struct pt_regs *regs = get_irq_regs();

	xt_inc(XT_TICKS);
	if (regs && xhc_irq_hit_preemptible_hcall(regs)) {
		xt_inc(XT_TICK_HITS);
		xhc_resched_before_hcall(regs);
	}
	hrtimer_forward_now(timer, xt_tick_period);
	return HRTIMER_RESTART;
}

/* Runs on each CPU: a pinned timer must be started where it fires. */
static void xt_tick_start(void *unused)
{
	struct hrtimer *timer = this_cpu_ptr(&xt_tick);

	hrtimer_setup(timer, xt_tick_fn, CLOCK_MONOTONIC,
		      HRTIMER_MODE_REL_PINNED_HARD);
	hrtimer_start(timer, xt_tick_period, HRTIMER_MODE_REL_PINNED_HARD);
}

/* Called under cpus_read_lock(). */
static void xt_ticks_start(void)
{
	xt_tick_period = ns_to_ktime((u64)max(tick_us, 10U) * NSEC_PER_USEC);
	cpumask_copy(&xt_tick_cpus, cpu_online_mask);
	on_each_cpu_mask(&xt_tick_cpus, xt_tick_start, NULL, true);
}

static void xt_ticks_stop(void)
{
	int cpu;

	for_each_cpu(cpu, &xt_tick_cpus)
		hrtimer_cancel(per_cpu_ptr(&xt_tick, cpu));
}

/* A batch of pages that goes to Xen and comes back (page_batch.h). */

static int xt_memop(unsigned int cmd, void *arg)
{
	return xhc_preemptible_memory_op(cmd, arg);
}

static int xt_batch_alloc(struct page_batch *b, unsigned int nr)
{
	int ret = page_batch_alloc(b, nr);

	if (ret)
		xt_inc(XT_ALLOC_FAILURES);
	return ret;
}

/*
 * One decrease + populate cycle, judged: both hypercalls must do the whole
 * batch, and every page must come back and keep what is written to it.
 * Sleeps between pages only if @may_sleep.
 */
static void xt_batch_cycle(struct page_batch *b, bool may_sleep)
{
	unsigned int nr = b->nr;
	struct page_batch_result r;

	page_batch_cycle(b, xt_memop, may_sleep, &r);
	if (r.released != nr)
		xt_inc(XT_ERRORS);
	if (r.back != r.released) {
		xt_inc(XT_ERRORS);
		xt_add(XT_PAGES_LOST, r.released - r.back);
	}
	xt_add(XT_PAGES, r.back);
	xt_add(XT_BAD_DATA, r.bad_data);
}

static void xt_wait_for_stop(void)
{
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ / 10);
}

/* Memop threads. */

struct xt_memop {
	struct task_struct *task;
	unsigned int cpu;	/* where it was sent last */
};

static struct xt_memop *xt_memops;
static unsigned int xt_nr_memops;
static struct task_struct **xt_rivals;	/* sleepers and spinners */
static unsigned int xt_nr_rivals;

static int xt_memop_thread(void *unused)
{
	struct page_batch b;
	int cpu;

	if (xt_batch_alloc(&b, nr_pages)) {
		xt_wait_for_stop();
		return 0;
	}
	while (!kthread_should_stop() && b.nr) {
		cpu = raw_smp_processor_id();
		xt_batch_cycle(&b, true);
		if (raw_smp_processor_id() != cpu)
			xt_inc(XT_CALL_MIGRATIONS);
		xt_inc(XT_BATCHES);
		cond_resched();
	}
	page_batch_free(&b);
	xt_wait_for_stop();
	return 0;
}

/*
 * Moves each memop thread to the next online CPU, and every fourth round
 * lets it run anywhere.  set_cpus_allowed_ptr() waits until a running
 * thread has left its CPU, which it can only do between continuations.
 *
 * Under cpus_read_lock(): a kernel thread may be sent to a CPU that is
 * still online but already going down, and a runnable one is then queued
 * there after the scheduler emptied that CPU for good (sched_cpu_dying()
 * warns "Dying CPU not properly vacated!" and the unplug never finishes).
 */
static int xt_affinity_thread(void *unused)
{
	const struct cpumask *mask;
	unsigned int i, round = 0;
	struct xt_memop *m;

	while (!kthread_should_stop()) {
		msleep(affinity_ms);
		round++;
		cpus_read_lock();
		for (i = 0; i < xt_nr_memops; i++) {
			m = &xt_memops[i];
			m->cpu = cpumask_next(m->cpu, cpu_online_mask);
			if (m->cpu >= nr_cpu_ids)
				m->cpu = cpumask_first(cpu_online_mask);
			mask = round % 4 ? cpumask_of(m->cpu) : cpu_online_mask;
			if (!set_cpus_allowed_ptr(m->task, mask))
				xt_inc(XT_AFFINITY_CHANGES);
		}
		cpus_read_unlock();
	}
	return 0;
}

/*
 * Competitors for the CPUs.  They are kernel threads rather than user
 * processes because of the test bed (Xen under QEMU TCG): it has been seen
 * to deliver an upcall a second time on the first instruction of its own
 * handler, with IF clear.  When the first delivery came from user mode, the
 * second one runs the handler with the user's GS and the guest dies; the
 * more user code the interrupts hit, the likelier that is.
 *
 * Sleepers: each wake-up asks for the CPU, as an interactive task would,
 * and how late it comes shows how long hypercalls held the CPU.
 */
static int xt_sleeper_thread(void *unused)
{
	unsigned long us = max(sleep_us, 100U);
	u64 start, late;

	while (!kthread_should_stop()) {
		start = ktime_get_ns();
		usleep_range(us, us + 50);
		late = ktime_get_ns() - start - us * NSEC_PER_USEC;
		xt_inc(XT_SLEEPER_WAKEUPS);
		xt_max(XT_SLEEPER_MAX_LATE_US, late / NSEC_PER_USEC);
	}
	return 0;
}

/*
 * Spinners: never sleep, and give the CPU up only when the scheduler asks,
 * like a CPU-bound task.
 */
static int xt_spinner_thread(void *unused)
{
	u64 end;

	while (!kthread_should_stop()) {
		end = ktime_get_ns() + 100 * NSEC_PER_USEC;
		while (ktime_get_ns() < end)
			cpu_relax();
		xt_inc(XT_SPINNER_LOOPS);
		cond_resched();
	}
	return 0;
}

/* Hypercalls from contexts that must never be rescheduled. */

static struct page_batch xt_atomic_batch;
static DEFINE_SPINLOCK(xt_atomic_lock);
static struct tasklet_struct xt_tasklet;
static struct timer_list xt_timer;
static DECLARE_COMPLETION(xt_atomic_done);

static void xt_atomic_cycle(enum xt_counter ctx)
{
	unsigned long switches = current->nvcsw + current->nivcsw;

	xt_batch_cycle(&xt_atomic_batch, false);
	if (current->nvcsw + current->nivcsw != switches)
		xt_inc(XT_ATOMIC_SWITCHED);
	xt_inc(ctx);
}

static void xt_tasklet_fn(struct tasklet_struct *t)
{
	xt_atomic_cycle(XT_ATOMIC_TASKLET);
	complete(&xt_atomic_done);
}

static void xt_timer_fn(struct timer_list *t)
{
	xt_atomic_cycle(XT_ATOMIC_TIMER);
	complete(&xt_atomic_done);
}

static void xt_atomic_round(unsigned int round)
{
	unsigned long flags;

	switch (round % 6) {
	case 0:
		preempt_disable();
		xt_atomic_cycle(XT_ATOMIC_PREEMPT);
		preempt_enable();
		break;
	case 1:
		spin_lock(&xt_atomic_lock);
		xt_atomic_cycle(XT_ATOMIC_SPINLOCK);
		spin_unlock(&xt_atomic_lock);
		break;
	case 2:
		local_irq_save(flags);
		xt_atomic_cycle(XT_ATOMIC_IRQOFF);
		local_irq_restore(flags);
		break;
	case 3:
		local_bh_disable();
		xt_atomic_cycle(XT_ATOMIC_BH);
		local_bh_enable();
		break;
	case 4:
		reinit_completion(&xt_atomic_done);
		tasklet_schedule(&xt_tasklet);
		wait_for_completion(&xt_atomic_done);
		break;
	default:
		reinit_completion(&xt_atomic_done);
		mod_timer(&xt_timer, jiffies + 1);
		wait_for_completion(&xt_atomic_done);
		break;
	}
}

static int xt_atomic_thread(void *unused)
{
	unsigned int round = 0;

	while (!kthread_should_stop() && xt_atomic_batch.nr) {
		xt_atomic_round(round++);
		usleep_range(1000, 3000);
	}
	xt_wait_for_stop();
	return 0;
}

/* Start and stop. */

static struct task_struct *xt_affinity_task, *xt_atomic_task;
static bool xt_running;
static DEFINE_MUTEX(xt_mutex);

static void xt_stop(void)
{
	unsigned int i;

	if (xt_affinity_task)
		kthread_stop(xt_affinity_task);
	if (xt_atomic_task)
		kthread_stop(xt_atomic_task);
	for (i = 0; i < xt_nr_memops; i++)
		kthread_stop(xt_memops[i].task);
	for (i = 0; i < xt_nr_rivals; i++)
		kthread_stop(xt_rivals[i]);
	xt_affinity_task = NULL;
	xt_atomic_task = NULL;
	tasklet_kill(&xt_tasklet);
	timer_delete_sync(&xt_timer);
	xt_ticks_stop();
	page_batch_free(&xt_atomic_batch);
	kfree(xt_memops);
	xt_memops = NULL;
	xt_nr_memops = 0;
	kfree(xt_rivals);
	xt_rivals = NULL;
	xt_nr_rivals = 0;
	xt_running = false;
	pr_info("stopped: %ld batches, %ld pages, %ld errors, %ld pages lost\n",
		atomic_long_read(&xt_counts[XT_BATCHES]),
		atomic_long_read(&xt_counts[XT_PAGES]),
		atomic_long_read(&xt_counts[XT_ERRORS]),
		atomic_long_read(&xt_counts[XT_PAGES_LOST]));
}

static struct task_struct *xt_thread(int (*fn)(void *), const char *name,
				     unsigned int n)
{
	struct task_struct *t = kthread_create(fn, NULL, "xhc_%s/%u", name, n);

	if (IS_ERR(t))
		pr_err("cannot start thread %s/%u: %ld\n", name, n, PTR_ERR(t));
	return t;
}

/* Starts @fn on @cpu, kept there (rivals) or moved later (memops). */
static struct task_struct *xt_thread_on(int (*fn)(void *), const char *name,
					unsigned int n, unsigned int cpu)
{
	struct task_struct *t = xt_thread(fn, name, n);

	if (!IS_ERR(t)) {
		set_cpus_allowed_ptr(t, cpumask_of(cpu));
		wake_up_process(t);
	}
	return t;
}

static int xt_start_rivals(unsigned int cpu, unsigned int max)
{
	unsigned int i, n = sleepers_per_cpu + spinners_per_cpu;
	struct task_struct *t;

	for (i = 0; i < n && xt_nr_rivals < max; i++) {
		if (i < sleepers_per_cpu)
			t = xt_thread_on(xt_sleeper_thread, "sleeper",
					 xt_nr_rivals, cpu);
		else
			t = xt_thread_on(xt_spinner_thread, "spinner",
					 xt_nr_rivals, cpu);
		if (IS_ERR(t))
			return PTR_ERR(t);
		xt_rivals[xt_nr_rivals++] = t;
	}
	return 0;
}

static int xt_start(void)
{
	unsigned int cpu, i, max, max_rivals;
	struct task_struct *t = NULL;
	int ret;

	if (atomic_pages && xt_batch_alloc(&xt_atomic_batch, atomic_pages))
		return -ENOMEM;
	max = num_online_cpus() * threads_per_cpu;
	max_rivals = num_online_cpus() * (sleepers_per_cpu + spinners_per_cpu);
	xt_memops = kcalloc(max, sizeof(*xt_memops), GFP_KERNEL);
	xt_rivals = kcalloc(max_rivals, sizeof(*xt_rivals), GFP_KERNEL);
	if ((max && !xt_memops) || (max_rivals && !xt_rivals)) {
		kfree(xt_memops);
		kfree(xt_rivals);
		page_batch_free(&xt_atomic_batch);
		return -ENOMEM;
	}
	xt_running = true;
	/* Every thread goes to a CPU that stays online (xt_affinity_thread). */
	cpus_read_lock();
	xt_ticks_start();
	for_each_online_cpu(cpu) {
		ret = xt_start_rivals(cpu, max_rivals);
		if (ret) {
			t = ERR_PTR(ret);
			break;
		}
		for (i = 0; i < threads_per_cpu && xt_nr_memops < max; i++) {
			t = xt_thread_on(xt_memop_thread, "memop",
					 xt_nr_memops, cpu);
			if (IS_ERR(t))
				break;
			xt_memops[xt_nr_memops].task = t;
			xt_memops[xt_nr_memops++].cpu = cpu;
		}
		if (IS_ERR(t))
			break;
	}
	cpus_read_unlock();
	if (IS_ERR(t))
		goto fail;
	if (xt_atomic_batch.nr) {
		t = xt_thread(xt_atomic_thread, "atomic", 0);
		if (IS_ERR(t))
			goto fail;
		xt_atomic_task = t;
		wake_up_process(t);
	}
	if (affinity_ms && xt_nr_memops) {
		t = xt_thread(xt_affinity_thread, "affinity", 0);
		if (IS_ERR(t))
			goto fail;
		xt_affinity_task = t;
		wake_up_process(t);
	}
	pr_info("started: %u memop threads of %u pages, %u sleepers/spinners, %u atomic pages, affinity every %u ms, tick %u us\n",
		xt_nr_memops, nr_pages, xt_nr_rivals, atomic_pages,
		affinity_ms, tick_us);
	return 0;
fail:
	xt_stop();
	return PTR_ERR(t);
}

/* debugfs */

static struct dentry *xt_debugfs;

static ssize_t xt_run_write(struct file *file, const char __user *buf,
			    size_t count, loff_t *ppos)
{
	bool run;
	int ret;

	ret = kstrtobool_from_user(buf, count, &run);
	if (ret)
		return ret;
	mutex_lock(&xt_mutex);
	if (run && !xt_running)
		ret = xt_start();
	else if (!run && xt_running)
		xt_stop();
	mutex_unlock(&xt_mutex);
	return ret ? ret : count;
}

static int xt_run_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%d\n", READ_ONCE(xt_running));
	return 0;
}

static int xt_run_open(struct inode *inode, struct file *file)
{
	return single_open(file, xt_run_show, NULL);
}

static const struct file_operations xt_run_fops = {
	.owner = THIS_MODULE,
	.open = xt_run_open,
	.read = seq_read,
	.write = xt_run_write,
	.llseek = seq_lseek,
	.release = single_release,
};

static int xt_results_show(struct seq_file *m, void *v)
{
	int i;

	for (i = 0; i < XT_NR; i++)
		seq_printf(m, "%s %ld\n", xt_names[i],
			   atomic_long_read(&xt_counts[i]));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(xt_results);

static int __init xt_init(void)
{
	tasklet_setup(&xt_tasklet, xt_tasklet_fn);
	timer_setup(&xt_timer, xt_timer_fn, 0);
	xt_debugfs = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("run", 0600, xt_debugfs, NULL, &xt_run_fops);
	debugfs_create_file("results", 0400, xt_debugfs, NULL,
			    &xt_results_fops);
	return 0;
}

static void __exit xt_exit(void)
{
	debugfs_remove_recursive(xt_debugfs);
	mutex_lock(&xt_mutex);
	if (xt_running)
		xt_stop();
	mutex_unlock(&xt_mutex);
}

module_init(xt_init);
module_exit(xt_exit);

MODULE_DESCRIPTION("Load generator for the xen_hcall selftests");
MODULE_LICENSE("GPL");
MODULE_INFO(test, "Y");
