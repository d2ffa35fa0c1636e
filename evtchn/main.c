// SPDX-License-Identifier: GPL-2.0
/*
 * xen_upcall: Xen event-channel upcalls through the module's own per-vCPU
 * vector, registered only once the vCPU's local APIC is enabled, with an
 * entry that lets a long preemptible hypercall of xen_hcall be rescheduled.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <asm/apic.h>
#include <asm/xen/events.h>
#include <asm/xen/hypervisor.h>
#include <xen/xen.h>

#include "internal.h"

#define CREATE_TRACE_POINTS
#include "trace.h"

DEFINE_PER_CPU(struct xup_cpu, xup_cpus);

static int xup_check_platform(void)
{
	if (xen_pv_domain()) {
		pr_err("Xen PV guest: events arrive through the PV event callback, which has no vector to register; xen_hcall with kernel_site=1 works there without this module\n");
		return -ENODEV;
	}
	if (!xen_hvm_domain()) {
		pr_err("not a Xen HVM or PVH guest\n");
		return -ENODEV;
	}
	if (!xen_have_vector_callback) {
		pr_err("the kernel does not take Xen events through a vector callback: its event core is not in use\n");
		return -ENODEV;
	}
	if (!xen_percpu_upcall) {
		pr_err("Xen does not offer per-vCPU upcall vectors (HVMOP_set_evtchn_upcall_vector), or the kernel does not use them\n");
		return -ENODEV;
	}
	return 0;
}

static int __init xup_init(void)
{
	int ret;

	ret = xup_check_platform();
	if (ret)
		return ret;
	xup_vcpu_info_init();
	ret = xup_vectors_alloc();
	if (ret)
		return ret;
	xup_stats_init();
	ret = xup_register_init();
	if (ret)
		goto err_register;

	/* The APIC driver decides what a vector's destination looks like. */
	pr_info("event upcalls now arrive through per-CPU vectors of this module (APIC driver: %s)\n",
		apic->name);
	return 0;

err_register:
	xup_stats_exit();
	xup_vectors_free();
	return ret;
}

/*
 * Debugfs goes first (no new test requests), then every CPU gets the
 * kernel's vector back (xup_register_exit() returns only once Xen raises
 * our vector on no online CPU, give_back.c), and only then are our IRQs
 * freed: an interrupt still pending on our vector is handled before its
 * IRQ disappears.
 */
static void __exit xup_exit(void)
{
	xup_stats_exit();
	xup_register_exit();
	xup_vectors_free();
	pr_info("event upcalls returned to the kernel's vector\n");
}

module_init(xup_init);
module_exit(xup_exit);

MODULE_DESCRIPTION("Xen event-channel upcalls through per-vCPU vectors registered once the LAPIC is enabled");
MODULE_LICENSE("GPL");
MODULE_VERSION(XP_VERSION);
