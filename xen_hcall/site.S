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
#include <linux/linkage.h>
#include <linux/objtool.h>
#include <asm/alternative.h>
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
SYM_FUNC_START(\name)
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
	ALTERNATIVE "vmcall", "vmmcall", X86_FEATURE_VMMCALL
.if \uaccess
	ASM_CLAC
.endif
	RET
SYM_FUNC_END(\name)

/*
 * Entered only through an interrupt return redirected by
 * xhc_resched_before_hcall(), with the stack of \name at its hypercall
 * instruction.  Flags are saved too: they carry IF and, for a user site,
 * AC, which must not stay set while other tasks run.
 */
SYM_CODE_START(\name\()_resched)
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
	call	xhc_resched_hcall
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
	jmp	\name\()_insn
SYM_CODE_END(\name\()_resched)
.endm

	.text
XHC_SITE xhc_site_kernel, 0
XHC_SITE xhc_site_user, 1
