// SPDX-License-Identifier: GPL-2.0
/*
 * interface: syscore resume hook (register_syscore_ops or register_syscore)
 *
 * register_syscore(struct syscore *): the hooks of struct syscore_ops take
 * the data pointer of struct syscore.  In 7.2; not in 6.12.
 */
#include <linux/syscore_ops.h>

static void xp_resume(void *data)
{
}

static const struct syscore_ops xp_ops = {
	.resume = xp_resume,
};

static struct syscore xp_syscore = {
	.ops = &xp_ops,
};

static void __maybe_unused xp_conftest(void)
{
	register_syscore(&xp_syscore);
}
