// SPDX-License-Identifier: GPL-2.0
/*
 * Platform check: the module issues hypercalls with vmcall/vmmcall, which
 * only an HVM or PVH guest of Xen may do.  Xen is recognised by its CPUID
 * leaves, not by trusting the kernel alone; any other hypervisor is
 * refused.  A Xen PV guest (which enters Xen through syscall) is accepted
 * only with kernel_site=1, which is then all the module does there: none
 * of its own hypercalls, no /dev/xen/hcall (xhc_pv).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <asm/cpufeature.h>
#include <asm/processor.h>
#include <asm/xen/hypervisor.h>
#include <xen/xen.h>

#include "internal.h"

bool xhc_pv __read_mostly;

/* The first hypervisor signature, to name what we found instead of Xen. */
static void xhc_hypervisor_signature(char sig[13])
{
	u32 eax, regs[3];

	cpuid(0x40000000, &eax, &regs[0], &regs[1], &regs[2]);
	memcpy(sig, regs, 12);
	sig[12] = '\0';
}

int xhc_detect_platform(void)
{
	char sig[13];

	if (!IS_ENABLED(CONFIG_X86_64)) {
		pr_err("only x86-64 Xen guests are supported\n");
		return -ENODEV;
	}
	/* The kernel runs as a PV guest only on Xen: no CPUID check needed. */
	if (xen_pv_domain()) {
		if (!xhc_kernel_site_requested()) {
			pr_err("Xen PV guest: needs kernel_site=1 (on PV the module only makes the kernel's own hypercalls preemptible; its own vmcall/vmmcall hypercalls and /dev/xen/hcall need an HVM or PVH guest)\n");
			return -ENODEV;
		}
		xhc_pv = true;
		return 0;
	}
	if (!boot_cpu_has(X86_FEATURE_HYPERVISOR)) {
		pr_err("not running on a hypervisor (bare metal): Xen HVM or PVH guest required\n");
		return -ENODEV;
	}
	if (!xen_cpuid_base()) {
		xhc_hypervisor_signature(sig);
		pr_err("hypervisor \"%s\" is not Xen: Xen HVM or PVH guest required\n",
		       sig);
		return -ENODEV;
	}
	if (!xen_hvm_domain()) {
		pr_err("Xen CPUID leaves present but the kernel does not run as a Xen guest (xen_nopv?)\n");
		return -ENODEV;
	}
	return 0;
}
