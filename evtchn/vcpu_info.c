// SPDX-License-Identifier: GPL-2.0
/*
 * Whether this vCPU may have an upcall pending (evtchn_upcall_pending of
 * its vcpu_info), asked after each registration.
 *
 * The kernel keeps the vcpu_info pointer in the per-CPU variable xen_vcpu,
 * which it does not export.  It is looked up once at load through kallsyms
 * (found with a kprobe, as kallsyms_lookup_name() is not exported either).
 * That lookup is an indirect call, which kernel IBT would trap: a kprobe's
 * address lies after the function's ENDBR, and a function whose address
 * the kernel never takes has its ENDBR sealed anyway.  Without the pointer
 * (IBT, no kprobes, no kallsyms) the answer is always "maybe": every
 * registration then raises the upcall, and a spurious upcall only scans
 * the event channels once.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/percpu.h>
#include <asm/cpufeature.h>
#include <xen/interface/xen.h>

#include "internal.h"

static struct vcpu_info * __percpu *xup_xen_vcpu;

static unsigned long xup_kallsyms_lookup(const char *name)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	unsigned long (*lookup)(const char *name);

	if (register_kprobe(&kp) < 0)
		return 0;
	lookup = (unsigned long (*)(const char *))kp.addr;
	unregister_kprobe(&kp);
	return lookup ? lookup(name) : 0;
}

void xup_vcpu_info_init(void)
{
	if (cpu_feature_enabled(X86_FEATURE_IBT)) {
		pr_info("kernel IBT is on: every registration raises the upcall (evtchn_upcall_pending cannot be read)\n");
		return;
	}
	xup_xen_vcpu = (struct vcpu_info * __percpu *)
		xup_kallsyms_lookup("xen_vcpu");
	if (!xup_xen_vcpu)
		pr_warn("the kernel's per-CPU xen_vcpu was not found (kprobes or kallsyms unavailable): every registration raises the upcall\n");
}

/* Called with interrupts disabled. */
bool xup_upcall_maybe_pending(void)
{
	if (!xup_xen_vcpu)
		return true;
	return READ_ONCE(this_cpu_read(*xup_xen_vcpu)->evtchn_upcall_pending);
}
