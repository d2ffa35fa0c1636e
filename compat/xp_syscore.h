/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A syscore resume hook on every supported kernel.
 *
 * Up to 6.12 a hook is a struct syscore_ops registered with
 * register_syscore_ops(), and its callbacks take no argument.  By 7.2 it
 * is a struct syscore (list node, ops, data) registered with
 * register_syscore(), and the callbacks receive the data pointer.
 * compat/tests/register_syscore*.c tell which one the kernel has.
 */
#ifndef _XP_SYSCORE_H
#define _XP_SYSCORE_H

#include <linux/syscore_ops.h>
#include <xp_config.h>

#if defined(HAVE_REGISTER_SYSCORE)

struct xp_syscore {
	struct syscore core;
	struct syscore_ops ops;
	void (*resume)(void);
};

static inline void xp_syscore_resume(void *data)
{
	struct xp_syscore *s = data;

	s->resume();
}

static inline void xp_register_syscore(struct xp_syscore *s,
				       void (*resume)(void))
{
	s->resume = resume;
	s->ops.resume = xp_syscore_resume;
	s->core.ops = &s->ops;
	s->core.data = s;
	register_syscore(&s->core);
}

static inline void xp_unregister_syscore(struct xp_syscore *s)
{
	unregister_syscore(&s->core);
}

#elif defined(HAVE_REGISTER_SYSCORE_OPS)

struct xp_syscore {
	struct syscore_ops ops;
};

static inline void xp_register_syscore(struct xp_syscore *s,
				       void (*resume)(void))
{
	s->ops.resume = resume;
	register_syscore_ops(&s->ops);
}

static inline void xp_unregister_syscore(struct xp_syscore *s)
{
	unregister_syscore_ops(&s->ops);
}

#endif

#endif /* _XP_SYSCORE_H */
