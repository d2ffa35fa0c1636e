// SPDX-License-Identifier: GPL-2.0
/*
 * interface: hrtimer initialisation (hrtimer_setup or hrtimer_init)
 *
 * hrtimer_setup(timer, function, clock, mode): new in 6.13 (7.2 has it,
 * 6.12 does not), which later removed hrtimer_init().
 */
#include <linux/hrtimer.h>

static enum hrtimer_restart xp_fn(struct hrtimer *timer)
{
	return HRTIMER_NORESTART;
}

static void __maybe_unused xp_conftest(struct hrtimer *timer)
{
	hrtimer_setup(timer, xp_fn, CLOCK_MONOTONIC, HRTIMER_MODE_REL_PINNED_HARD);
}
