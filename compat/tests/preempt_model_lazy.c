// SPDX-License-Identifier: GPL-2.0
/*
 * preempt_model_lazy(): the PREEMPT_LAZY model of 6.13 and later (7.2 has
 * it, 6.12 does not).  Optional: only the name of the mode in debugfs
 * depends on it; preempt_model_preemptible() already counts lazy as
 * preemptible where it exists.
 */
#include <linux/sched.h>

static bool __maybe_unused xp_conftest(void)
{
	return preempt_model_lazy();
}
