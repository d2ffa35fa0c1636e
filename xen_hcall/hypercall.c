// SPDX-License-Identifier: GPL-2.0
/*
 * Hypercall wrappers around the module's own instruction sites (site.S).
 *
 * The plain wrapper is a tail call into the site.  The preemptible wrappers
 * bracket the site with the per-CPU "in preemptible hypercall" flag
 * (preempt.c), which is what allows an interrupt that lands on the site to
 * reschedule the task before Xen continues the hypercall.
 */
#include <linux/errno.h>
#include <linux/export.h>
#include <asm/xen/hypercall.h>
#include <xen_preempt/hcall.h>

#include "internal.h"

typedef long (*xhc_site_fn)(unsigned long op, unsigned long a1,
			    unsigned long a2, unsigned long a3,
			    unsigned long a4, unsigned long a5);

/* Inlined so that the call to @site stays a direct call. */
static __always_inline long xhc_preemptible_call(xhc_site_fn site,
						 unsigned long op,
						 unsigned long a1,
						 unsigned long a2,
						 unsigned long a3,
						 unsigned long a4,
						 unsigned long a5)
{
	struct xhc_call call;
	long ret;

	xhc_call_begin(&call, op, site == xhc_site_user);
	ret = site(op, a1, a2, a3, a4, a5);
	xhc_call_end(&call);
	return ret;
}

/**
 * xhc_hypercall() - issue a hypercall from xen_hcall's own instruction site
 * @op: hypercall number (``__HYPERVISOR_*``)
 * @a1: first argument
 * @a2: second argument
 * @a3: third argument
 * @a4: fourth argument
 * @a5: fifth argument
 *
 * Arguments the hypercall does not take are ignored.  Pointer arguments must
 * point to kernel memory.  The xhc_hypercallN() macros and the typed helpers
 * in <xen_preempt/hcall.h> are shorthands for this function.
 *
 * On a Xen PV guest, where the module loads only with ``kernel_site=1``
 * and has no hypercall instruction of its own, nothing is issued.
 *
 * Context: Any context.
 * Return: Xen's result: zero or positive on success, a negative errno
 * value on failure; -ENODEV on a PV guest.
 */
long xhc_hypercall(unsigned int op, unsigned long a1, unsigned long a2,
		   unsigned long a3, unsigned long a4, unsigned long a5)
{
	if (unlikely(xhc_pv))
		return -ENODEV;
	return xhc_site_kernel(op, a1, a2, a3, a4, a5);
}
EXPORT_SYMBOL_GPL(xhc_hypercall);

/**
 * xhc_preemptible_hypercall() - issue a hypercall that may be rescheduled
 * @op: hypercall number (``__HYPERVISOR_*``)
 * @a1: first argument
 * @a2: second argument
 * @a3: third argument
 * @a4: fourth argument
 * @a5: fifth argument
 *
 * Like xhc_hypercall(), but while Xen executes the hypercall in several
 * continuations the calling task may be rescheduled between them, and may
 * resume on another CPU, whatever preemption mode the kernel runs in.  This
 * is for long operations (large memory_op batches, toolstack calls) that
 * would otherwise hold the CPU for seconds.
 *
 * Rescheduling happens only when the task was preemptible at the hypercall
 * (preemption and interrupts enabled); called from atomic context, the
 * hypercall runs to completion like xhc_hypercall().  On a Xen PV guest
 * nothing is issued, as for xhc_hypercall().
 *
 * Context: Process context.  May sleep if preemptible.
 * Return: Xen's result: zero or positive on success, a negative errno
 * value on failure; -ENODEV on a PV guest.
 */
long xhc_preemptible_hypercall(unsigned int op, unsigned long a1,
			       unsigned long a2, unsigned long a3,
			       unsigned long a4, unsigned long a5)
{
	if (unlikely(xhc_pv))
		return -ENODEV;
	return xhc_preemptible_call(xhc_site_kernel, op, a1, a2, a3, a4, a5);
}
EXPORT_SYMBOL_GPL(xhc_preemptible_hypercall);

/*
 * XENVER_* for the module itself (load, debugfs): through its own site,
 * or on a PV guest through the kernel's hypercall.
 */
int xhc_platform_xen_version(int cmd, void *arg)
{
	if (xhc_pv)
		return HYPERVISOR_xen_version(cmd, arg);
	return xhc_xen_version(cmd, arg);
}

/* The device's path: preemptible, and the arguments may be user pointers. */
long xhc_user_hypercall(unsigned long op, unsigned long a1, unsigned long a2,
			unsigned long a3, unsigned long a4, unsigned long a5)
{
	return xhc_preemptible_call(xhc_site_user, op, a1, a2, a3, a4, a5);
}
