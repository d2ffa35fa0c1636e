// SPDX-License-Identifier: GPL-2.0
/*
 * interface: preempt notifiers (CONFIG_PREEMPT_NOTIFIERS)
 *
 * The in-hypercall flag follows its task through a preempt notifier.  The
 * interface is old and stable; it is absent when the kernel is built
 * without CONFIG_PREEMPT_NOTIFIERS (which KVM selects).
 */
#include <linux/preempt.h>

static void __maybe_unused xp_conftest(struct preempt_notifier *n, struct preempt_ops *ops)
{
	preempt_notifier_inc();
	preempt_notifier_init(n, ops);
	preempt_notifier_register(n);
}
