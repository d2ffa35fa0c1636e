// SPDX-License-Identifier: GPL-2.0
/*
 * xen_hcall: hypercalls from the module's own instruction site, preemptible
 * hypercalls on kernels whose dynamic preemption mode is none or voluntary,
 * and /dev/xen/hcall for userspace; with kernel_site=1 the kernel's own
 * hypercalls too.  On a Xen PV guest only the last (detect.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <xen/interface/xen.h>
#include <xen/interface/version.h>
#include <xen_preempt/hcall.h>

#include "internal.h"

#define CREATE_TRACE_POINTS
#include "trace.h"

/*
 * What the alternatives patched into the site: 0f 01 d9 or 0f 01 c1; a PV
 * guest's kernel enters Xen with syscall.
 */
const char *xhc_insn_name(void)
{
	if (xhc_pv)
		return "syscall";
	return xhc_site_kernel_insn[2] == 0xd9 ? "vmmcall" : "vmcall";
}

/* PV: the module's own sites are never used; the kernel's hypercall is. */
static int __init xhc_init_pv(int version)
{
	int ret;

	ret = xhc_kernel_site_init();
	if (ret)
		return ret;
	xhc_stats_init();
	ret = xhc_kernel_site_start();
	if (ret) {
		xhc_stats_exit();
		return ret;
	}
	pr_info("Xen %d.%d PV guest: kernel_site only (no /dev/xen/hcall, no hypercalls of its own), preemption mode %s\n",
		version >> 16, version & 0xffff, xhc_preempt_mode());
	return 0;
}

static int __init xhc_init(void)
{
	int version, ret;

	ret = xhc_detect_platform();
	if (ret)
		return ret;

	version = xhc_platform_xen_version(XENVER_version, NULL);
	if (version < 0) {
		pr_err("XENVER_version through %s failed: %d\n",
		       xhc_insn_name(), version);
		return -ENODEV;
	}
	if (xhc_pv)
		return xhc_init_pv(version);

	ret = xhc_kernel_site_init();
	if (ret)
		return ret;
	ret = xhc_preempt_init();
	if (ret)
		return ret;
	xhc_stats_init();
	ret = xhc_device_init();
	if (ret)
		goto err_device;
	ret = xhc_kernel_site_start();
	if (ret)
		goto err_start;

	pr_info("Xen %d.%d, hypercalls via %s, preemption mode %s\n",
		version >> 16, version & 0xffff, xhc_insn_name(),
		xhc_preempt_mode());
	return 0;

err_start:
	xhc_device_exit();
err_device:
	xhc_stats_exit();
	xhc_preempt_exit();
	return ret;
}

static void __exit xhc_exit(void)
{
	xhc_kernel_site_exit();
	if (xhc_pv) {
		xhc_stats_exit();
		return;
	}
	xhc_device_exit();
	xhc_stats_exit();
	xhc_preempt_exit();
}

module_init(xhc_init);
module_exit(xhc_exit);

MODULE_DESCRIPTION("Xen guest hypercalls that can be rescheduled between continuations");
MODULE_LICENSE("GPL");
MODULE_VERSION(XP_VERSION);
