/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The timer interfaces of 7.2 on the older supported kernels: the code is
 * written against the newest names, and this header provides them where
 * the compile tests (compat/tests/hrtimer_*.c, *timer_delete_sync.c) did
 * not find them.
 */
#ifndef _XP_TIMER_H
#define _XP_TIMER_H

#include <linux/hrtimer.h>
#include <linux/timer.h>
#include <xp_config.h>

#if !defined(HAVE_HRTIMER_SETUP) && defined(HAVE_HRTIMER_INIT)
/* Before 6.13: initialise, then set the callback. */
static inline void hrtimer_setup(struct hrtimer *timer,
				 enum hrtimer_restart (*function)(struct hrtimer *),
				 clockid_t clock_id, enum hrtimer_mode mode)
{
	hrtimer_init(timer, clock_id, mode);
	timer->function = function;
}
#endif

#if !defined(HAVE_TIMER_DELETE_SYNC) && defined(HAVE_DEL_TIMER_SYNC)
/* Before 6.2. */
static inline int timer_delete_sync(struct timer_list *timer)
{
	return del_timer_sync(timer);
}
#endif

#endif /* _XP_TIMER_H */
