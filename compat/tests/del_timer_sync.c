// SPDX-License-Identifier: GPL-2.0
/*
 * interface: timer deletion (timer_delete_sync or del_timer_sync)
 *
 * del_timer_sync(): 6.1 and 6.12; removed by 7.2.
 */
#include <linux/timer.h>

static int __maybe_unused xp_conftest(struct timer_list *timer)
{
	return del_timer_sync(timer);
}
