// SPDX-License-Identifier: GPL-2.0
/*
 * interface: timer deletion (timer_delete_sync or del_timer_sync)
 *
 * timer_delete_sync(): new in 6.2 and backported to the 6.1 stable series
 * (Debian 12's 6.1.0-56 has it, as do 6.12 and 7.2).
 */
#include <linux/timer.h>

static int __maybe_unused xp_conftest(struct timer_list *timer)
{
	return timer_delete_sync(timer);
}
