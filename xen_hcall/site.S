/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The module's own hypercall instruction sites.
 *
 * Each site is a C-callable function that moves its arguments into Xen's
 * hypercall registers and executes the hypercall instruction, which the
 * alternatives patching at module load turns into vmmcall on AMD/Hygon and
 * leaves as vmcall elsewhere.
 *
 * When Xen preempts a long hypercall it rewrites the argument registers and
 * leaves RIP on the hypercall instruction, so that the guest executes it
 * again; an interrupt delivered there sees regs->ip == <site>_insn.  To let
 * the interrupted task reschedule at that point, the interrupt handler sets
 * regs->ip to <site>_resched instead (xhc_resched_before_hcall()).  The
 * stub runs in the interrupted context with the stack exactly as it was at
 * the hypercall instruction, so it needs no return address: it saves the
 * registers Xen's continuation lives in, calls xhc_resched_hcall(), restores
 * them and jumps back to the hypercall instruction, which Xen continues.
 *
 * The instruction before each hypercall instruction has the same stack
 * layout and none of the sites starts with it, so unwinding from an
 * interrupt on the site stays reliable.
 */
#include <linux/cfi_types.h>
#include <linux/linkage.h>
#include <linux/objtool.h>
#include <asm/alternative.h>
#include <asm/asm.h>
#include <asm/cpufeatures.h>
#include <asm/smap.h>
#include <asm/unwind_hints.h>

/*
 * long <name>(unsigned long op, a1, a2, a3, a4, a5)
 *   C ABI:    rdi  rsi rdx rcx r8  r9
 *   Xen ABI:  rax  rdi rsi rdx r10 r8, result in rax
 * \uaccess: the arguments may point to user memory (SMAP must be lifted
 * around the instruction so that Xen can read them).
 */
.macro XHC_SITE name:req, uaccess:req
SYM_TYPED_FUNC_START(\name)
	mov	%rdi, %rax
	mov	%rsi, %rdi
	mov	%rdx, %rsi
	mov	%rcx, %rdx
	mov	%r8, %r10
	mov	%r9, %r8
.if \uaccess
	ASM_STAC
.endif
SYM_INNER_LABEL(\name\()_insn, SYM_L_GLOBAL)
	ANNOTATE_NOENDBR
	ALTERNATIVE "vmcall", "vmmcall", X86_FEATURE_VMMCALL
.if \uaccess
	ASM_CLAC
.endif
	RET
SYM_FUNC_END(\name)

	XHC_RESCHED_STUB \name, xhc_resched_hcall, resched, jmp
.endm

/*
 * <name>_<stub>: entered only through an interrupt return redirected by
 * xhc_resched_before_hcall(), with the stack of a function entry (as at
 * <name>_insn).  Calls \fn to reschedule, then, by \tail:
 *   jmp      continues the hypercall at <name>_insn;
 *   restart  continues it from the start of <name> (a PV copy, which
 *            pushes the registers its "syscall" clobbers first);
 *   call     (from the kernel's hypercall instruction) continues it by
 *            calling <name>, then returns to the kernel's caller;
 *   ret      (from right after the kernel's instruction) returns there.
 * Flags are saved too: they carry IF and, for a user site or privcmd, AC,
 * which must not stay set while other tasks run.  The call and ret forms
 * count themselves out of xhc_kernel_site_active just before returning
 * (only the flags change, which an asm() call may clobber), so that
 * unloading can wait for the tasks inside.
 */
.macro XHC_RESCHED_STUB name:req, fn:req, stub:req, tail:req
SYM_CODE_START(\name\()_\stub)
	UNWIND_HINT_FUNC
	ANNOTATE_NOENDBR
	pushf
	push	%rax
	push	%rdi
	push	%rsi
	push	%rdx
	push	%rcx
	push	%r8
	push	%r9
	push	%r10
	push	%r11
	ASM_CLAC
	call	\fn
	pop	%r11
	pop	%r10
	pop	%r9
	pop	%r8
	pop	%rcx
	pop	%rdx
	pop	%rsi
	pop	%rdi
	pop	%rax
	popf
.ifc \tail,jmp
	jmp	\name\()_insn
.endif
.ifc \tail,restart
	jmp	\name
.endif
.ifc \tail,call
	call	\name
	lock decl xhc_kernel_site_active(%rip)
	RET
.endif
.ifc \tail,ret
	lock decl xhc_kernel_site_active(%rip)
	RET
.endif
SYM_CODE_END(\name\()_\stub)
/* Up to \fn's own check, RCU may not be watching: no kprobes here. */
	_ASM_NOKPROBE(\name\()_\stub)
.endm

	.text
XHC_SITE xhc_site_kernel, 0
XHC_SITE xhc_site_user, 1

/*
 * Where a hypercall that an interrupt caught on the kernel's own hypercall
 * instruction (kernel_site.c) continues after a reschedule.  The kernel's
 * instruction is the first one of a function that returns right after it
 * ("vmmcall; ret"), or follows only an ENDBR (kernels built with IBT),
 * which changes neither registers nor the stack: either way the stack at
 * the instruction is that of a function entry, with the return address
 * into the kernel's caller on top.  So calling the same instruction here
 * with the same registers is the same as going back there, without an
 * indirect jump: xhc_site_borrowed_enter does that.  An interrupt during a further
 * continuation lands on xhc_site_borrowed_insn and goes through
 * xhc_site_borrowed_resched.  An interrupt that Xen held back until the
 * kernel's hypercall was over lands right after the instruction and goes
 * through xhc_site_borrowed_return.
 */
SYM_FUNC_START(xhc_site_borrowed)
SYM_INNER_LABEL(xhc_site_borrowed_insn, SYM_L_GLOBAL)
	ANNOTATE_NOENDBR
	ALTERNATIVE "vmcall", "vmmcall", X86_FEATURE_VMMCALL
/* The return as the kernel patched it, to compare the kernel's with. */
SYM_INNER_LABEL(xhc_site_borrowed_ret, SYM_L_GLOBAL)
	ANNOTATE_NOENDBR
	RET
SYM_FUNC_END(xhc_site_borrowed)
	XHC_RESCHED_STUB xhc_site_borrowed, xhc_resched_kernel_site, enter, call
	XHC_RESCHED_STUB xhc_site_borrowed, xhc_resched_kernel_site, resched, jmp
	XHC_RESCHED_STUB xhc_site_borrowed, xhc_resched_kernel_site, return, ret

/*
 * The same for a Xen PV guest, whose kernel enters Xen with "syscall"
 * through xen_hypercall_pv (kernel_site.c):
 *	[endbr64;] push %rcx; push %r11; syscall; pop %r11; pop %rcx; ret
 * Xen clobbers %rcx and %r11, hence the pushes.  xhc_pv_borrowed is a copy
 * of that function.  Before the interrupt returns into one of the stubs
 * below, kernel_site.c undoes the two pushes in the interrupted context
 * (the values go back into %r11 and %rcx, the stack pointer moves up by
 * 16), so that each stub starts, like the ones above, with the stack of a
 * function entry: the return address into the kernel's caller on top, or,
 * from xhc_pv_borrowed_insn, the one into xhc_pv_borrowed_enter.  Then
 * xhc_pv_borrowed_enter calls the copy, which continues the hypercall;
 * xhc_pv_borrowed_resched restarts the copy from its pushes; and
 * xhc_pv_borrowed_return returns to the caller, the hypercall being over.
 * The unwind hints are those of the kernel's xen_hypercall_pv: objtool does
 * not follow "syscall" in a function without them.
 */
SYM_FUNC_START(xhc_pv_borrowed)
	push	%rcx
	push	%r11
	UNWIND_HINT_SAVE
SYM_INNER_LABEL(xhc_pv_borrowed_insn, SYM_L_GLOBAL)
	ANNOTATE_NOENDBR
	syscall
	UNWIND_HINT_RESTORE
	pop	%r11
	pop	%rcx
	RET
SYM_FUNC_END(xhc_pv_borrowed)
	XHC_RESCHED_STUB xhc_pv_borrowed, xhc_resched_kernel_site, enter, call
	XHC_RESCHED_STUB xhc_pv_borrowed, xhc_resched_kernel_site, resched, restart
	XHC_RESCHED_STUB xhc_pv_borrowed, xhc_resched_kernel_site, return, ret
