// SPDX-License-Identifier: GPL-2.0
/*
 * xp_key_hold: holds a reference on the kernel's preempt notifier static key
 * while it is loaded, so that xen_hcall's load and unload only change the
 * key's count and never patch __schedule().
 *
 * For the long reliability runs on the emulated test bed (make stress):
 * there, patching a static key in __schedule() while the other vCPU runs
 * it can stall the guest in the emulator's INT3 delivery, with or without
 * any module of this project (README, "The stalls after unloading the
 * modules").  xen_hcall's own calls are unchanged.
 */
#include <linux/module.h>
#include <linux/preempt.h>

static int __init xp_key_hold_init(void)
{
	preempt_notifier_inc();
	return 0;
}

static void __exit xp_key_hold_exit(void)
{
	preempt_notifier_dec();
}

module_init(xp_key_hold_init);
module_exit(xp_key_hold_exit);

MODULE_DESCRIPTION("Test helper: keep the preempt notifier static key enabled");
MODULE_LICENSE("GPL");
