// SPDX-License-Identifier: GPL-2.0
/*
 * interface: xen_evtchn_do_upcall()
 *
 * The kernel's event-channel dispatch loop, which the upcall entry calls.
 * int (void), returning an irqreturn_t value, in Debian's 6.1, 6.12 and
 * 7.2 (checked in their headers).  Older kernels took a struct pt_regs *
 * and returned nothing; they are not supported.
 */
#include <xen/events.h>

static int __maybe_unused xp_conftest(void)
{
	int (*fn)(void) = xen_evtchn_do_upcall;

	return fn();
}
