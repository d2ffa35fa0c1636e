// SPDX-License-Identifier: GPL-2.0
/*
 * interface: hrtimer initialisation (hrtimer_setup or hrtimer_init)
 *
 * hrtimer_init(timer, clock, mode), then ->function set by hand: 6.1 and
 * 6.12; gone in 7.2.
 */
#include <linux/hrtimer.h>

static void __maybe_unused xp_conftest(struct hrtimer *timer)
{
	hrtimer_init(timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_PINNED_HARD);
}
