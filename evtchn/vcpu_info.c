// SPDX-License-Identifier: GPL-2.0
/*
 * Access to this vCPU's vcpu_info, for evtchn_upcall_pending.
 *
 * The kernel keeps the pointer in the per-CPU variable xen_vcpu, which it
 * does not export.  It is looked up once at load through kallsyms (found
 * with a kprobe, as kallsyms_lookup_name() is not exported either); the
 * load fails with a clear message when that is not possible.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/percpu.h>
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

int xup_vcpu_info_init(void)
{
	unsigned long addr = xup_kallsyms_lookup("xen_vcpu");

	if (!addr) {
		pr_err("cannot find the kernel's per-CPU xen_vcpu (kprobes or kallsyms unavailable)\n");
		return -ENOENT;
	}
	xup_xen_vcpu = (struct vcpu_info * __percpu *)addr;
	return 0;
}

struct vcpu_info *xup_this_vcpu_info(void)
{
	return this_cpu_read(*xup_xen_vcpu);
}
