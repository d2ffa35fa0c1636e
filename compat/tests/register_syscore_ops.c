// SPDX-License-Identifier: GPL-2.0
/*
 * interface: syscore resume hook (register_syscore_ops or register_syscore)
 *
 * register_syscore_ops(struct syscore_ops *), hooks without arguments:
 * 6.1 and 6.12.  Replaced by register_syscore() by 7.2.
 */
#include <linux/syscore_ops.h>

static void xp_resume(void)
{
}

static struct syscore_ops xp_ops = {
	.resume = xp_resume,
};

static void __maybe_unused xp_conftest(void)
{
	register_syscore_ops(&xp_ops);
}
