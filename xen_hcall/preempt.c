// SPDX-License-Identifier: GPL-2.0
/*
 * The per-CPU "in preemptible hypercall" flag, and the rule that decides
 * whether an interrupt may reschedule the task it interrupted.
 *
 * The flag of a CPU points to the preemptible hypercall (struct xhc_call, on
 * the caller's stack) that is executing on that CPU, or is NULL.  It is only
 * ever written on its own CPU with preemption disabled:
 *  - by the caller when the hypercall starts and ends (xhc_call_begin/end);
 *  - by the scheduler, through a preempt notifier registered for the call:
 *    sched_out clears it on the CPU the task leaves, sched_in sets it on the
 *    CPU the task resumes on.
 * Because the notifiers run inside the context switch itself, the flag moves
 * with the task no matter who descheduled it (our reschedule stub, full
 * preemption at interrupt exit, an RT lock): there is no window in which the
 * flag is set on a CPU that runs another task, which is the bug the kernel's
 * own xen_in_preemptible_hcall once had.
 *
 * Every reader checks the invariant it relies on and counts a violation
 * instead of acting on a flag that does not belong to the current task.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/export.h>
#include <linux/kprobes.h>
#include <linux/moduleparam.h>
#include <linux/preempt.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/timekeeping.h>
#include <asm/ptrace.h>
#include <xen_preempt/hcall.h>
#include <xp_config.h>

#include "internal.h"
#include "trace.h"

/*
 * Preemption models (README, "Kernels and preemption models"): dynamic
 * none/voluntary is what this module is for; under full, lazy and RT
 * preemption the kernel already preempts at interrupt exit and the rule
 * below leaves it to the kernel.  Kernels built without CONFIG_PREEMPTION
 * (static none/voluntary) are refused: there a spinlock does not show in
 * preempt_count(), so an interrupt cannot tell whether the task it
 * interrupted may be rescheduled, and preempt_schedule() does not exist.
 */
#if !IS_ENABLED(CONFIG_PREEMPTION)
#error "xen_hcall needs CONFIG_PREEMPTION: only preempt counting tells it a task may be rescheduled"
#endif

bool xhc_resched_enabled = true;
module_param_named(resched, xhc_resched_enabled, bool, 0644);
MODULE_PARM_DESC(resched,
		 "Reschedule a task at a continuation of its preemptible hypercall when another task needs the CPU (default Y; N only counts continuations)");

static DEFINE_PER_CPU(struct xhc_call *, xhc_active);

static void xhc_flag_set(struct xhc_call *call)
{
	if (this_cpu_read(xhc_active))
		xhc_count(violations);
	this_cpu_write(xhc_active, call);
}

static void xhc_flag_clear(struct xhc_call *call)
{
	if (this_cpu_read(xhc_active) != call)
		xhc_count(violations);
	this_cpu_write(xhc_active, NULL);
}

static void xhc_sched_out(struct preempt_notifier *pn, struct task_struct *next)
{
	struct xhc_call *call = container_of(pn, struct xhc_call, notifier);

	trace_xen_hcall_preempted(call, smp_processor_id());
	xhc_flag_clear(call);
}

static void xhc_sched_in(struct preempt_notifier *pn, int cpu)
{
	struct xhc_call *call = container_of(pn, struct xhc_call, notifier);

	trace_xen_hcall_resumed(call, call->cpu, cpu);
	if (call->cpu != cpu) {
		call->cpu = cpu;
		xhc_count(migrations);
	}
	xhc_flag_set(call);
}

static struct preempt_ops xhc_preempt_ops = {
	.sched_in = xhc_sched_in,
	.sched_out = xhc_sched_out,
};

void xhc_call_begin(struct xhc_call *call, unsigned int op, bool user)
{
	/*
	 * Only a task can be rescheduled; and a call nested in an interrupt
	 * would overwrite the flag of the task it interrupted.
	 */
	if (!in_task()) {
		call->task = NULL;
		return;
	}
	call->task = current;
	/*
	 * The coarse clock (to the tick) is enough for the longest-call
	 * statistic, which is about calls of milliseconds and more.  Reading
	 * the precise one cost more than the rest of this bracket where Xen
	 * traps RDTSC (xhc_site_cost.ko's "clock", docs/benchmark.md).
	 */
	call->start_ns = ktime_get_coarse_ns();
	call->op = op;
	call->user = user;
	call->in_stub = false;
	preempt_notifier_init(&call->notifier, &xhc_preempt_ops);

	preempt_disable();
	call->cpu = smp_processor_id();
	preempt_notifier_register(&call->notifier);
	xhc_flag_set(call);
	xhc_count(issued);
	preempt_enable();
}

void xhc_call_end(struct xhc_call *call)
{
	u64 ns;

	if (!call->task)
		return;

	preempt_disable();
	xhc_flag_clear(call);
	preempt_notifier_unregister(&call->notifier);
	ns = ktime_get_coarse_ns() - call->start_ns;
	if (ns > this_cpu_read(xhc_stats.longest_ns))
		this_cpu_write(xhc_stats.longest_ns, ns);
	preempt_enable();
}

bool xhc_cpu_in_hcall(int cpu)
{
	return READ_ONCE(per_cpu(xhc_active, cpu));
}

static bool xhc_on_hcall_insn(unsigned long ip)
{
	return ip == (unsigned long)xhc_site_kernel_insn ||
	       ip == (unsigned long)xhc_site_user_insn;
}

/**
 * xhc_irq_hit_preemptible_hcall() - may this interrupt reschedule its task?
 * @regs: the interrupted context, as get_irq_regs() returns it
 *
 * True when the interrupt landed on the hypercall instruction of a
 * preemptible hypercall of this module (Xen stopped it early and will
 * continue it when the instruction runs again), and the interrupted context
 * was preemptible: kernel mode, interrupts enabled, a preempt count of
 * exactly the hardirq being handled (no spinlock, no preempt_disable(), no
 * softirq, no nested interrupt), and RCU watching (the reschedule stub
 * checks again that it was watching in the interrupted context).  False
 * under full, lazy or RT preemption, where interrupt exit reschedules by
 * itself, and while rescheduling is off (module parameter ``resched``).
 *
 * With the module parameter ``kernel_site``, also true for an interrupt on
 * the kernel's own hypercall instruction or right after it, under the same
 * context rule (kernel_site.c).
 *
 * Every call also checks that this CPU's in-hypercall flag belongs to the
 * current task, and counts a violation in debugfs if it does not.
 *
 * Context: Hard interrupt, at its end (after all events were handled, as
 * a wakeup done by this interrupt is what makes rescheduling worthwhile).
 * Return: true if xhc_resched_before_hcall() may be applied to @regs.
 */
bool xhc_irq_hit_preemptible_hcall(struct pt_regs *regs)
{
	struct xhc_call *call = this_cpu_read(xhc_active);

	if (!call)
		return xhc_kernel_site_hit(regs);
	if (call->task != current) {
		xhc_count(violations);
		return false;
	}
	if (!regs || user_mode(regs) || !xhc_on_hcall_insn(regs->ip))
		return false;
	xhc_count(continuations);
	return xhc_irq_context_preemptible(regs);
}
EXPORT_SYMBOL_GPL(xhc_irq_hit_preemptible_hcall);

/*
 * The context rule, for our hypercalls and the kernel's (kernel_site.c), in
 * the hardirq: a kernel context with interrupts enabled, a preempt count
 * of exactly the hardirq being handled, and RCU watching (here that is the
 * handler's own context, which the entry code makes RCU watch; the stubs
 * check the interrupted context again, xhc_task_may_schedule()).  @count
 * is what preempt_count() must be for that: HARDIRQ_OFFSET in an interrupt
 * handler, more inside a tracepoint probe that runs with preemption
 * disabled (kernel_site_pv.c).
 */
static bool xhc_irq_context_rule_at(struct pt_regs *regs, unsigned int count)
{
	return regs && !user_mode(regs) && (regs->flags & X86_EFLAGS_IF) &&
	       preempt_count() == count && rcu_is_watching();
}

static bool xhc_irq_context_rule(struct pt_regs *regs)
{
	return xhc_irq_context_rule_at(regs, HARDIRQ_OFFSET);
}

/* Whether this module reschedules at all: the kernel may do it itself. */
static bool xhc_resched_wanted(void)
{
	/* Full, lazy and RT preemption reschedule at interrupt exit themselves. */
	return READ_ONCE(xhc_resched_enabled) && !preempt_model_preemptible();
}

/* The rule, and the module's part in it. */
bool xhc_irq_context_preemptible(struct pt_regs *regs)
{
	return xhc_irq_context_rule(regs) && xhc_resched_wanted();
}

/* The same where preempt_count() is @count for an untouched context. */
bool xhc_irq_context_preemptible_at(struct pt_regs *regs, unsigned int count)
{
	return xhc_irq_context_rule_at(regs, count) && xhc_resched_wanted();
}

/**
 * xhc_resched_before_hcall() - reschedule the interrupted task if needed
 * @regs: the interrupted context, for which xhc_irq_hit_preemptible_hcall()
 *	  returned true
 *
 * If another task needs this CPU, makes the interrupt return into a stub
 * that reschedules the interrupted task, with the semantics of
 * raw_irqentry_exit_cond_resched() whatever the dynamic preemption mode,
 * and then executes the hypercall instruction again so that Xen continues
 * the hypercall, possibly on another CPU.  Does nothing otherwise, and on a
 * context that is not on one of this module's hypercall instructions (or,
 * with ``kernel_site``, the kernel's).
 *
 * The context rule is checked again here rather than trusted: kernel mode,
 * interrupts enabled, a preempt count of exactly the hardirq, RCU watching.
 * If it does not hold, the caller broke the contract above: a violation is
 * counted in debugfs and nothing is changed.  The stub checks the context
 * once more before it schedules, including that RCU was watching in the
 * interrupted context, and does not schedule if it was not.
 *
 * Context: Hard interrupt.
 * Return: true if the interrupt now returns into the reschedule stub.
 */
bool xhc_resched_before_hcall(struct pt_regs *regs)
{
	if (!xhc_irq_context_rule(regs)) {
		xhc_count(violations);
		return false;
	}
	if (!xhc_resched_wanted() || !need_resched())
		return false;

	if (regs->ip == (unsigned long)xhc_site_kernel_insn)
		regs->ip = (unsigned long)xhc_site_kernel_resched;
	else if (regs->ip == (unsigned long)xhc_site_user_insn)
		regs->ip = (unsigned long)xhc_site_user_resched;
	else
		return xhc_kernel_site_redirect(regs);
	xhc_count(resched_requested);
	return true;
}
EXPORT_SYMBOL_GPL(xhc_resched_before_hcall);

/*
 * Called by the reschedule stubs of site.S, in the interrupted task, with
 * the registers of the continued hypercall saved on its stack.  The
 * interrupt checked the context; it is checked again here, where a mistake
 * would mean sleeping in atomic context or with RCU not watching
 * (xhc_task_may_schedule()), with interrupts disabled so that the flag
 * read is this task's, and restored as they were.
 */
asmlinkage notrace void xhc_resched_hcall(void)
{
	unsigned long switches, flags;
	struct xhc_call *call;
	bool ok;

	raw_local_irq_save(flags);
	call = this_cpu_read(xhc_active);
	ok = xhc_task_may_schedule(flags) && call && call->task == current;
	raw_local_irq_restore(flags);
	if (unlikely(!ok)) {
		xhc_count(violations);
		return;
	}

	/*
	 * The function itself, not the static call behind preempt_enable()
	 * that the none/voluntary dynamic modes patch out: it reschedules
	 * whenever need_resched() is set, like raw_irqentry_exit_cond_resched().
	 */
	switches = current->nivcsw;
	call->in_stub = true;
	preempt_schedule();
	call->in_stub = false;
	if (current->nivcsw != switches)
		xhc_count(resched_done);
}

NOKPROBE_SYMBOL(xhc_resched_hcall);

const char *xhc_preempt_mode(void)
{
	if (preempt_model_rt())
		return "rt";
#ifdef HAVE_PREEMPT_MODEL_LAZY
	if (preempt_model_lazy())
		return "lazy";
#endif
	if (preempt_model_full())
		return "full";
	if (preempt_model_voluntary())
		return "voluntary";
	return "none";
}

int xhc_preempt_init(void)
{
	preempt_notifier_inc();
	return 0;
}

void xhc_preempt_exit(void)
{
	preempt_notifier_dec();
}
