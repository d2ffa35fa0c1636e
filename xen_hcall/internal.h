/* SPDX-License-Identifier: GPL-2.0 */
/* Declarations shared by the files of xen_hcall.ko. */
#ifndef _XEN_HCALL_INTERNAL_H
#define _XEN_HCALL_INTERNAL_H

#include <linux/irqflags.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/rcupdate.h>
#include <linux/types.h>

struct dentry;
struct pt_regs;
struct task_struct;

/* site.S: the hypercall instruction sites and their reschedule stubs. */
long xhc_site_kernel(unsigned long op, unsigned long a1, unsigned long a2,
		     unsigned long a3, unsigned long a4, unsigned long a5);
long xhc_site_user(unsigned long op, unsigned long a1, unsigned long a2,
		   unsigned long a3, unsigned long a4, unsigned long a5);
extern const u8 xhc_site_kernel_insn[], xhc_site_kernel_resched[];
extern const u8 xhc_site_user_insn[], xhc_site_user_resched[];
extern const u8 xhc_site_borrowed_insn[], xhc_site_borrowed_ret[];
extern const u8 xhc_site_borrowed_resched[];
extern const u8 xhc_site_borrowed_enter[], xhc_site_borrowed_return[];
extern const u8 xhc_pv_borrowed_insn[], xhc_pv_borrowed_resched[];
extern const u8 xhc_pv_borrowed_enter[], xhc_pv_borrowed_return[];
asmlinkage void xhc_resched_hcall(void);
asmlinkage void xhc_resched_kernel_site(void);

/*
 * One preemptible hypercall in progress.  It lives on the calling task's
 * stack; while it is registered, the per-CPU "in preemptible hypercall"
 * flag of the CPU the task runs on points to it.
 */
struct xhc_call {
	struct preempt_notifier notifier;
	struct task_struct *task;
	u64 start_ns;
	int cpu;
	/* For the trace events (trace.h): */
	unsigned int op;	/* hypercall number */
	bool user;		/* issued from the user site */
	bool in_stub;		/* rescheduled by xhc_resched_hcall() */
};

void xhc_call_begin(struct xhc_call *call, unsigned int op, bool user);
void xhc_call_end(struct xhc_call *call);
int xhc_preempt_init(void);
void xhc_preempt_exit(void);
bool xhc_cpu_in_hcall(int cpu);
const char *xhc_preempt_mode(void);
bool xhc_irq_context_preemptible(struct pt_regs *regs);
bool xhc_irq_context_preemptible_at(struct pt_regs *regs, unsigned int count);
extern bool xhc_resched_enabled;

/*
 * The context rule once more, in the interrupted task, where the interrupt
 * returned into a reschedule stub; @flags are the interrupt flags it found
 * (the caller has since disabled interrupts, so that a full-preemption
 * kernel cannot schedule inside rcu_is_watching()'s preempt_enable()).
 * Interrupts on and a zero preempt count, as the interrupt saw them, and
 * RCU watching: inside the interrupt RCU always watches (the entry code
 * sees to it), so only here does it show whether the interrupted context
 * had RCU watching.  An interrupt that came in an extended quiescent state
 * must not schedule, as irqentry_exit() does not.  The callers are notrace
 * and NOKPROBE_SYMBOL() up to this check (rcu_is_watching() is notrace
 * itself), so nothing is traced or probed where RCU may not be watching.
 */
static __always_inline bool xhc_task_may_schedule(unsigned long flags)
{
	return !arch_irqs_disabled_flags(flags) && !preempt_count() &&
	       rcu_is_watching();
}

/* kernel_site.c: the option for the kernel's own hypercall instruction. */
extern atomic_t xhc_kernel_site_active;	/* decremented in site.S */
bool xhc_kernel_site_requested(void);
int xhc_kernel_site_init(void);
int xhc_kernel_site_start(void);
void xhc_kernel_site_exit(void);
bool xhc_kernel_site_hit(struct pt_regs *regs);
bool xhc_kernel_site_redirect(struct pt_regs *regs);
void xhc_kernel_site_debugfs(struct dentry *dir);

/*
 * Where an interrupt may reschedule a task in the kernel's hypercall: on
 * its instruction (Xen continues the hypercall there, or it has not run
 * yet), on our copy of it (the same after a first reschedule), or right
 * after it: an interrupt that became pending while Xen ran a hypercall
 * without continuing it is delivered there, at its end, which is where
 * preempt=full would preempt.
 */
enum xhc_kernel_point { XHC_NOT_KERNEL, XHC_KERNEL_INSN, XHC_KERNEL_AFTER };

enum xhc_kernel_point xhc_kernel_point(unsigned long ip);
void xhc_kernel_site_count(struct pt_regs *regs, enum xhc_kernel_point point);

/* kernel_site_pv.c: the same on a Xen PV guest, from the PV upcall. */
unsigned long xhc_pv_find_kernel_insn(unsigned long func);
int xhc_pv_upcall_init(unsigned long insn);
int xhc_pv_upcall_start(void);
void xhc_pv_upcall_stop(void);

/* Per-CPU counters, shown in debugfs. */
struct xhc_cpu_stats {
	u64 issued;		/* preemptible hypercalls started here */
	u64 continuations;	/* interrupts that hit one on its instruction */
	u64 resched_requested;	/* of those, redirected to reschedule */
	u64 resched_done;	/* reschedules that switched to another task */
	u64 migrations;		/* resumed here after running elsewhere */
	u64 violations;		/* broken flag invariants (must stay 0) */
	u64 longest_ns;		/* longest call ended here, to the tick */
};

DECLARE_PER_CPU(struct xhc_cpu_stats, xhc_stats);
#define xhc_count(field)	this_cpu_inc(xhc_stats.field)

int xhc_stats_init(void);
void xhc_stats_exit(void);

int xhc_detect_platform(void);
extern bool xhc_pv;	/* a Xen PV guest: kernel_site only (detect.c) */
const char *xhc_insn_name(void);
int xhc_platform_xen_version(int cmd, void *arg);
int xhc_device_init(void);
void xhc_device_exit(void);
long xhc_user_hypercall(unsigned long op, unsigned long a1, unsigned long a2,
			unsigned long a3, unsigned long a4, unsigned long a5);

#endif /* _XEN_HCALL_INTERNAL_H */
