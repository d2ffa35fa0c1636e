// SPDX-License-Identifier: GPL-2.0
/*
 * interface: the kernel's per-vCPU upcall vector state (xen_percpu_upcall)
 *
 * Set when the guest registers HVMOP_set_evtchn_upcall_vector per vCPU:
 * in 6.1 (and backported to Debian 12's 6.1), 6.12 and 7.2.
 */
#include <linux/module.h>
#include <xen/xen.h>
#include <asm/xen/events.h>

static bool __maybe_unused xp_conftest(void)
{
	return xen_percpu_upcall && xen_have_vector_callback;
}
