// SPDX-License-Identifier: GPL-2.0
/*
 * Opt-in (module parameter kernel_site): treat an interrupt that lands on
 * the kernel's own hypercall instruction like one that lands on a
 * preemptible hypercall of this module.
 *
 * The kernel's hypercalls (HYPERVISOR_*(), privcmd's ioctls, so the
 * toolstack's domctls and memory_ops) all call the xen_hypercall static
 * call, whose target on HVM/PVH is xen_hypercall_amd or xen_hypercall_intel:
 * "vmmcall; ret" or "vmcall; ret", after an ENDBR on kernels built with IBT.
 * The target is read at load from the static call's exported trampoline
 * ("jmp <target>") and must hold the same instruction as this module's
 * sites, followed by the kernel's return (xhc_find_kernel_insn()).
 *
 * Xen continues a long hypercall by leaving RIP on the instruction, so an
 * interrupt during a continuation sees regs->ip on it; an interrupt that
 * Xen held back during a hypercall it did not continue sees regs->ip right
 * after it.  When the context is preemptible by the same rule as for our
 * own hypercalls (kernel mode, IF set, nothing but this hardirq in the
 * preempt count), the interrupt may return into a stub of site.S that
 * reschedules and then either runs the instruction again from our copy,
 * xhc_site_borrowed, where Xen continues the hypercall
 * (xhc_site_borrowed_enter, and xhc_site_borrowed_resched on the copy), or
 * returns to the kernel's caller (xhc_site_borrowed_return).
 *
 * On a Xen PV guest the target is xen_hypercall_pv, "push %rcx; push %r11;
 * syscall; pop %r11; pop %rcx; ret", and no module vector sees the event
 * upcall: kernel_site_pv.c gets control at the end of each of its event
 * handlers and applies the same rule, and the stubs are those of
 * xhc_pv_borrowed.
 *
 * This is only sound on a kernel built for preemption (CONFIG_PREEMPTION:
 * PREEMPT_DYNAMIC, e.g. in voluntary mode, or PREEMPT, RT): there all code
 * is written to be preempted wherever the preempt count is zero and
 * interrupts are on, and booting it with preempt=full would preempt at this
 * very point.  Elsewhere the preempt count does not show spinlocks or RCU
 * read-side sections; the module does not build there at all (preempt.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/moduleparam.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/static_call.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <asm/cpufeature.h>
#include <asm/ibt.h>
#include <asm/nospec-branch.h>
#include <asm/ptrace.h>
#include <asm/text-patching.h>
#include <asm/xen/hypercall.h>
#include <xen/interface/xen.h>
#include <xp_config.h>
#include <xp_ibt.h>

#include "internal.h"
#include "trace.h"

static bool xhc_kernel_site_param;
module_param_named(kernel_site, xhc_kernel_site_param, bool, 0444);
MODULE_PARM_DESC(kernel_site,
		 "Also reschedule tasks at the kernel's own hypercall instruction (privcmd, toolstack), where preempt=full would; read at load (default N)");

/* The kernel's hypercall instruction, or 0 while the option is off. */
static unsigned long xhc_kernel_insn __read_mostly;

/*
 * Our copy of the instruction and the stubs of site.S, for vmcall/vmmcall
 * (HVM, PVH) or for syscall (PV), whose kernel function pushes %rcx and
 * %r11 before it and pops them right after it: "after" is there, at the
 * first pop, and the pushes are undone before a stub runs (xhc_pv_unpush()).
 */
struct xhc_kernel_stubs {
	const u8 *copy_insn;	/* the instruction in our copy */
	const u8 *enter;	/* from the kernel's instruction */
	const u8 *resched;	/* from our copy's */
	const u8 *ret;		/* from right after the kernel's */
	unsigned int len;	/* of the instruction */
	bool pv;
};

static const struct xhc_kernel_stubs xhc_stubs_hvm = {
	.copy_insn = xhc_site_borrowed_insn,
	.enter = xhc_site_borrowed_enter,
	.resched = xhc_site_borrowed_resched,
	.ret = xhc_site_borrowed_return,
	.len = 3,			/* vmcall, vmmcall */
};

static const struct xhc_kernel_stubs xhc_stubs_pv = {
	.copy_insn = xhc_pv_borrowed_insn,
	.enter = xhc_pv_borrowed_enter,
	.resched = xhc_pv_borrowed_resched,
	.ret = xhc_pv_borrowed_return,
	.len = 2,			/* syscall */
	.pv = true,
};

static const struct xhc_kernel_stubs *xhc_stubs __read_mostly = &xhc_stubs_hvm;

/*
 * Tasks sent from the kernel's instruction, or from right after it, into
 * xhc_site_borrowed_enter or _return that have not yet left (site.S counts
 * them out): they run or sleep in this module's text.
 */
atomic_t xhc_kernel_site_active = ATOMIC_INIT(0);

/* vmcall and vmmcall are 3 bytes long. */
#define XHC_INSN_LEN	3
/* Bytes of the static call's target shown when it is refused. */
#define XHC_PEEK_LEN	(ENDBR_INSN_SIZE + XHC_INSN_LEN + JMP32_INSN_SIZE)

/* Sub-operations are counted for these hypercalls (see xhc_count_op()). */
enum { XHC_SUB_MEMORY, XHC_SUB_DOMCTL, XHC_SUB_SYSCTL, XHC_SUBS };
#define XHC_OPS		64
#define XHC_SUB_OPS	128

struct xhc_kernel_site_stats {
	u64 hits;		/* interrupts on the kernel's instruction */
	u64 after;		/* interrupts right after it (held back by Xen) */
	u64 resched_requested;	/* of those, redirected to reschedule */
	u64 resched_done;	/* reschedules that switched task */
	u64 op[XHC_OPS];	/* hits by hypercall number */
	u64 sub[XHC_SUBS][XHC_SUB_OPS];	/* hits by sub-operation */
};

static DEFINE_PER_CPU(struct xhc_kernel_site_stats, xhc_ks_stats);
#define xhc_ks_count(field)	this_cpu_inc(xhc_ks_stats.field)

/*
 * The xen_hypercall static call, through which HYPERVISOR_*() go, came with
 * the fix for XSA-466 (2024; backported to stable kernels), which also
 * introduced __ADDRESSABLE_xen_hypercall.  Its trampoline is exported (for
 * modules such as privcmd); before that change the kernel called into the
 * hypercall page instead, which this option does not handle.
 */
#ifdef __ADDRESSABLE_xen_hypercall
static unsigned long xhc_hypercall_trampoline(void)
{
	return (unsigned long)STATIC_CALL_TRAMP_ADDR(xen_hypercall);
}
#else
static unsigned long xhc_hypercall_trampoline(void)
{
	return 0;
}
#endif

/*
 * Call-depth tracking (retbleed=stuff on some Intel CPUs) sends every call
 * through an accounting thunk and every return through
 * call_depth_return_thunk, which keep a per-CPU call depth to decide when
 * to refill the return stack buffer.  The stubs leave the kernel's
 * function by a return that no call of theirs matched; that this keeps the
 * accounting balanced has not been verified (the test bed's emulated AMD
 * CPU cannot enable it), so the option refuses to run with it.  It is
 * compiled in on 6.12 and 7.2, but active only when the kernel chose it
 * at boot.
 */
static bool xhc_call_depth_tracking(void)
{
#ifdef HAVE_X86_FEATURE_CALL_DEPTH
	return cpu_feature_enabled(X86_FEATURE_CALL_DEPTH);
#else
	return false;
#endif
}

/* The destination of "jmp rel32" or "jmp rel8" at @addr, else 0. */
static unsigned long xhc_jmp_target(unsigned long addr)
{
	const u8 *insn = (const u8 *)addr;
	s32 rel32;

	if (insn[0] == JMP8_INSN_OPCODE)
		return addr + JMP8_INSN_SIZE + (s8)insn[1];
	if (insn[0] != JMP32_INSN_OPCODE)
		return 0;
	memcpy(&rel32, insn + 1, sizeof(rel32));
	return addr + JMP32_INSN_SIZE + rel32;
}

/*
 * Whether the instruction at @addr returns to the caller, as the kernel
 * writes a return: "ret", or "jmp" to a return thunk.  The thunk is
 * __x86_return_thunk as compiled, or the one the kernel chose at boot
 * (x86_return_thunk, e.g. srso_return_thunk; not exported): apply_returns()
 * patched the RET of our own copy, xhc_site_borrowed, to the same jump when
 * it loaded this module.  With the ITS mitigation the kernel chooses
 * between "ret" and its_return_thunk by the address of each return, so
 * that thunk is accepted by name.  Any other jmp is not a return.
 */
static bool xhc_is_kernel_return(unsigned long addr)
{
	unsigned long own = (unsigned long)xhc_site_borrowed_ret;
	unsigned long dest;

	if (*(const u8 *)addr == RET_INSN_OPCODE)
		return true;
	if (*(const u8 *)addr != JMP32_INSN_OPCODE)
		return false;
	dest = xhc_jmp_target(addr);
	return dest == (unsigned long)__x86_return_thunk ||
	       dest == (unsigned long)its_return_thunk ||
	       (*(const u8 *)own == JMP32_INSN_OPCODE &&
		dest == xhc_jmp_target(own));
}

bool xhc_kernel_site_requested(void)
{
	return xhc_kernel_site_param;
}

/*
 * The kernel's hypercall instruction in @func, the static call's target,
 * or 0.  @func must be the start of a function; on a kernel built with
 * CONFIG_X86_KERNEL_IBT (Debian 13's 6.12) it begins with an ENDBR64, or
 * with the NOP the kernel writes over an ENDBR it seals, which the
 * kernel's own is_endbr() recognises (always false without IBT, as in
 * Debian 12's 6.1).  7.2 has no ENDBR there: since 6.15 SYM_FUNC_START()
 * no longer adds one and xen_hypercall_amd/intel are ANNOTATE_NOENDBR.
 * Then comes the instruction of our sites ("vmmcall" or "vmcall", as the
 * alternatives chose) and the kernel's return.  An ENDBR changes neither
 * registers nor the stack, so the stack at the instruction is still that
 * of a function entry, which is what xhc_site_borrowed relies on.
 */
/*
 * The first @len bytes of @func, the static call's target, into @code, and
 * its symbol into @sym; false (with the line that says why) unless @func
 * is the start of a function.
 */
static bool xhc_read_target(unsigned long func, u8 *code, size_t len,
			    char *sym)
{
	if (copy_from_kernel_nofault(code, (const void *)func, len)) {
		pr_err("kernel_site=1 refused: cannot read the xen_hypercall static call's target %pS\n",
		       (void *)func);
		return false;
	}
	sprint_symbol(sym, func);
	if (!strstr(sym, "+0x0/")) {
		pr_err("kernel_site=1 refused: the xen_hypercall static call points into a function, to %s\n",
		       sym);
		return false;
	}
	return true;
}

/* The length of the ENDBR (or sealed ENDBR) that @code starts with, or 0. */
static unsigned long xhc_endbr_len(const u8 *code)
{
	u32 word;

	memcpy(&word, code, sizeof(word));
	return xp_is_endbr(word) ? ENDBR_INSN_SIZE : 0;
}

static unsigned long xhc_find_kernel_insn(unsigned long func)
{
	char sym[KSYM_SYMBOL_LEN];
	unsigned long insn;
	u8 code[XHC_PEEK_LEN];

	if (!xhc_read_target(func, code, sizeof(code), sym))
		return 0;
	insn = func + xhc_endbr_len(code);
	if (memcmp(code + (insn - func), xhc_site_borrowed_insn, XHC_INSN_LEN) ||
	    !xhc_is_kernel_return(insn + XHC_INSN_LEN)) {
		pr_err("kernel_site=1 refused: the xen_hypercall static call points to %s (%*ph), not to \"%s%s; ret\"\n",
		       sym, (int)sizeof(code), code,
		       HAS_KERNEL_IBT ? "[endbr64;] " : "", xhc_insn_name());
		return 0;
	}
	return insn;
}

/*
 * PV: the target is xen_hypercall_pv (arch/x86/xen/xen-asm.S), after an
 * ENDBR where SYM_FUNC_START() adds one (6.12; a PV guest never enables
 * IBT, so it is not sealed, but the test is the kernel's either way):
 *	push %rcx; push %r11; syscall; pop %r11; pop %rcx; <the kernel's return>
 * Xen's syscall clobbers %rcx and %r11.  The instruction is the syscall;
 * "right after it" is the first pop, with the two pushes still on the
 * stack, which xhc_pv_unpush() undoes before a stub runs.  Returns the
 * address of the syscall, or 0.
 */
static const u8 xhc_pv_pushes[] = { 0x51, 0x41, 0x53 };	/* push %rcx; push %r11 */
static const u8 xhc_pv_syscall[] = { 0x0f, 0x05 };
static const u8 xhc_pv_pops[] = { 0x41, 0x5b, 0x59 };	/* pop %r11; pop %rcx */
#define XHC_PV_PEEK_LEN	(ENDBR_INSN_SIZE + sizeof(xhc_pv_pushes) + \
			 sizeof(xhc_pv_syscall) + sizeof(xhc_pv_pops) + \
			 JMP32_INSN_SIZE)

unsigned long xhc_pv_find_kernel_insn(unsigned long func)
{
	char sym[KSYM_SYMBOL_LEN];
	u8 code[XHC_PV_PEEK_LEN];
	unsigned long start;
	const u8 *c;

	if (!xhc_read_target(func, code, sizeof(code), sym))
		return 0;
	start = func + xhc_endbr_len(code);
	c = code + (start - func);
	if (memcmp(c, xhc_pv_pushes, sizeof(xhc_pv_pushes)) ||
	    memcmp(c + 3, xhc_pv_syscall, sizeof(xhc_pv_syscall)) ||
	    memcmp(c + 5, xhc_pv_pops, sizeof(xhc_pv_pops)) ||
	    !xhc_is_kernel_return(start + 8)) {
		pr_err("kernel_site=1 refused: the xen_hypercall static call points to %s (%*ph), not to \"%spush %%rcx; push %%r11; syscall; pop %%r11; pop %%rcx; ret\"\n",
		       sym, (int)sizeof(code), code,
		       HAS_KERNEL_IBT ? "[endbr64;] " : "");
		return 0;
	}
	return start + sizeof(xhc_pv_pushes);
}

int xhc_kernel_site_init(void)
{
	unsigned long tramp, func, insn;
	int ret;

	if (!xhc_kernel_site_param)
		return 0;
	tramp = xhc_hypercall_trampoline();
	if (!tramp) {
		pr_err("kernel_site=1 refused: this kernel has no xen_hypercall static call (it calls the hypercall page)\n");
		return -ENODEV;
	}
	if (xhc_call_depth_tracking()) {
		pr_err("kernel_site=1 refused: call-depth tracking is active (retbleed=stuff), which the reschedule stubs are not verified with\n");
		return -ENODEV;
	}
	func = xhc_jmp_target(tramp);
	if (!func) {
		pr_err("kernel_site=1 refused: unexpected xen_hypercall trampoline %*ph\n",
		       JMP32_INSN_SIZE, (const u8 *)tramp);
		return -ENODEV;
	}
	if (xhc_pv) {
		insn = xhc_pv_find_kernel_insn(func);
		if (!insn)
			return -ENODEV;
		ret = xhc_pv_upcall_init(insn);
		if (ret)
			return ret;
		xhc_stubs = &xhc_stubs_pv;
	} else {
		insn = xhc_find_kernel_insn(func);
		if (!insn)
			return -ENODEV;
		trace_xen_hcall_kernel_site((void *)insn);
	}
	pr_info("kernel_site: continuations of the kernel's hypercalls at %pS may be rescheduled\n",
		(void *)insn);
	WRITE_ONCE(xhc_kernel_insn, insn);
	return 0;
}

/*
 * The last step of loading: on a PV guest, the probe that applies the
 * rule from now on (kernel_site_pv.c).  On HVM/PVH, xen_upcall does that
 * from its vector once it is loaded.
 */
int xhc_kernel_site_start(void)
{
	if (!xhc_pv || !READ_ONCE(xhc_kernel_insn))
		return 0;
	return xhc_pv_upcall_start();
}

/*
 * Sub-operation of a hypercall for the statistics: memory_op's command is
 * in the low bits of its first argument (the rest is Xen's continuation
 * progress); domctl and sysctl start with their command, in the caller's
 * memory (the toolstack's, through privcmd).
 */
static void xhc_count_op(struct pt_regs *regs)
{
	unsigned long op = regs->ax;
	int sub = -1;
	u32 cmd = 0;

	if (op >= XHC_OPS)
		return;
	xhc_ks_count(op[op]);
	switch (op) {
	case __HYPERVISOR_memory_op:
		sub = XHC_SUB_MEMORY;
		cmd = regs->di & 0x3f;	/* MEMOP_CMD_MASK */
		break;
	case __HYPERVISOR_domctl:
		sub = XHC_SUB_DOMCTL;
		break;
	case __HYPERVISOR_sysctl:
		sub = XHC_SUB_SYSCTL;
		break;
	}
	if (sub == XHC_SUB_DOMCTL || sub == XHC_SUB_SYSCTL) {
		if (copy_from_user_nofault(&cmd, (const void __user *)regs->di,
					   sizeof(cmd)))
			return;
	}
	if (sub >= 0 && cmd < XHC_SUB_OPS)
		xhc_ks_count(sub[sub][cmd]);
}

/*
 * The point (internal.h) of @ip: the kernel's instruction, our copy of it
 * (xhc_site_borrowed_insn or xhc_pv_borrowed_insn), or right after the
 * kernel's instruction (its return, or on PV the first of its pops).
 */
enum xhc_kernel_point xhc_kernel_point(unsigned long ip)
{
	unsigned long insn = READ_ONCE(xhc_kernel_insn);

	if (!insn)
		return XHC_NOT_KERNEL;
	if (ip == insn || ip == (unsigned long)xhc_stubs->copy_insn)
		return XHC_KERNEL_INSN;
	if (ip == insn + xhc_stubs->len)
		return XHC_KERNEL_AFTER;
	return XHC_NOT_KERNEL;
}

/* The statistics of an interrupt at @point. */
void xhc_kernel_site_count(struct pt_regs *regs, enum xhc_kernel_point point)
{
	switch (point) {
	case XHC_KERNEL_INSN:
		xhc_ks_count(hits);
		xhc_count_op(regs);
		break;
	case XHC_KERNEL_AFTER:
		xhc_ks_count(after);
		break;
	default:
		break;
	}
}

/*
 * The kernel-site part of xhc_irq_hit_preemptible_hcall(), for an
 * interrupt on a CPU where none of our own preemptible hypercalls runs.
 */
bool xhc_kernel_site_hit(struct pt_regs *regs)
{
	enum xhc_kernel_point point;

	if (!regs || user_mode(regs))
		return false;
	point = xhc_kernel_point(regs->ip);
	if (point == XHC_NOT_KERNEL)
		return false;
	xhc_kernel_site_count(regs, point);
	return xhc_irq_context_preemptible(regs);
}

/*
 * PV: at the kernel's syscall, or right after it, and at our copy's, the
 * function has pushed %rcx and %r11 (they hold the caller's values, which
 * Xen's syscall clobbers).  Pop them into the interrupted context, as the
 * function's own "pop %r11; pop %rcx" would: its stack is then that of a
 * function entry again, with the return address on top, and so is the
 * stack at which the stub starts (site.S).  The stack is the interrupted
 * task's own, where the interrupt's frame lies below it.
 */
static void xhc_pv_unpush(struct pt_regs *regs)
{
	const unsigned long *sp = (const unsigned long *)regs->sp;

	regs->r11 = sp[0];
	regs->cx = sp[1];
	regs->sp += 2 * sizeof(unsigned long);
}

/* The kernel-site part of xhc_resched_before_hcall(). */
bool xhc_kernel_site_redirect(struct pt_regs *regs)
{
	enum xhc_kernel_point point = xhc_kernel_point(regs->ip);

	if (point == XHC_NOT_KERNEL)
		return false;
	if (xhc_stubs->pv)
		xhc_pv_unpush(regs);
	if (regs->ip == (unsigned long)xhc_stubs->copy_insn) {
		/* Already inside the enter stub, and counted. */
		regs->ip = (unsigned long)xhc_stubs->resched;
	} else {
		atomic_inc(&xhc_kernel_site_active);
		regs->ip = point == XHC_KERNEL_AFTER ?
			   (unsigned long)xhc_stubs->ret :
			   (unsigned long)xhc_stubs->enter;
	}
	xhc_ks_count(resched_requested);
	return true;
}

/*
 * Called by the stubs of xhc_site_borrowed, in the interrupted task, with
 * the registers of the kernel's hypercall saved on its stack.  The kernel's
 * hypercall has no flag of ours to check: what is checked again is the
 * context, where a mistake would mean sleeping in atomic context or with
 * RCU not watching (xhc_task_may_schedule()).  Neither traced nor probed
 * up to that check, which is all that runs before it.
 */
asmlinkage notrace void xhc_resched_kernel_site(void)
{
	unsigned long switches, flags;
	bool ok;

	raw_local_irq_save(flags);
	ok = xhc_task_may_schedule(flags);
	raw_local_irq_restore(flags);
	if (unlikely(!ok)) {
		xhc_count(violations);
		return;
	}
	/* As in xhc_resched_hcall(): the function, not the static call. */
	switches = current->nivcsw;
	preempt_schedule();
	if (current->nivcsw != switches)
		xhc_ks_count(resched_done);
}

NOKPROBE_SYMBOL(xhc_resched_kernel_site);

/*
 * At unload, after xen_upcall (which depends on this module) is gone, or
 * on PV once the probe is gone (and every call of it has returned), so
 * nothing sends tasks here any more: wait for those inside to leave, then
 * for a voluntary context switch of every task, as tracing does for its
 * trampolines, so that none is left on the instructions after the count.
 */
void xhc_kernel_site_exit(void)
{
	if (!READ_ONCE(xhc_kernel_insn))
		return;
	if (xhc_pv)
		xhc_pv_upcall_stop();
	WRITE_ONCE(xhc_kernel_insn, 0);
	while (atomic_read(&xhc_kernel_site_active))
		msleep(20);
	synchronize_rcu_tasks();
}

static const char *const xhc_sub_names[XHC_SUBS] = {
	[XHC_SUB_MEMORY] = "memory_op",
	[XHC_SUB_DOMCTL] = "domctl",
	[XHC_SUB_SYSCTL] = "sysctl",
};

/*
 * debugfs xen_hcall/kernel_site: the instruction, the tasks inside our
 * stubs, then per CPU the interrupts on the instruction and right after
 * it, reschedules requested and done, then "op N hits" and "<name> CMD
 * hits" lines summed over the CPUs, for the hypercalls that were hit on
 * the instruction.
 */
static int xhc_kernel_site_show(struct seq_file *m, void *v)
{
	unsigned long insn = READ_ONCE(xhc_kernel_insn);
	int cpu, i, j;
	u64 sum;

	if (insn)
		seq_printf(m, "site %pS\n", (void *)insn);
	else
		seq_puts(m, "site off\n");
	seq_printf(m, "active %d\n", atomic_read(&xhc_kernel_site_active));
	seq_puts(m, "cpu hits after resched_requested resched_done\n");
	for_each_possible_cpu(cpu) {
		const struct xhc_kernel_site_stats *s = per_cpu_ptr(&xhc_ks_stats, cpu);

		seq_printf(m, "%d %llu %llu %llu %llu\n", cpu, READ_ONCE(s->hits),
			   READ_ONCE(s->after), READ_ONCE(s->resched_requested),
			   READ_ONCE(s->resched_done));
	}
	for (i = 0; i < XHC_OPS; i++) {
		sum = 0;
		for_each_possible_cpu(cpu)
			sum += READ_ONCE(per_cpu_ptr(&xhc_ks_stats, cpu)->op[i]);
		if (sum)
			seq_printf(m, "op %d %llu\n", i, sum);
	}
	for (i = 0; i < XHC_SUBS; i++) {
		for (j = 0; j < XHC_SUB_OPS; j++) {
			sum = 0;
			for_each_possible_cpu(cpu)
				sum += READ_ONCE(per_cpu_ptr(&xhc_ks_stats, cpu)->sub[i][j]);
			if (sum)
				seq_printf(m, "%s %d %llu\n", xhc_sub_names[i], j, sum);
		}
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(xhc_kernel_site);

void xhc_kernel_site_debugfs(struct dentry *dir)
{
	debugfs_create_file("kernel_site", 0400, dir, NULL,
			    &xhc_kernel_site_fops);
}
