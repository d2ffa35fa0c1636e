#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Lost-edge recovery, exercised deterministically: on each CPU, with
# interrupts off, an event is made pending for that CPU and then its vector
# is switched (to the kernel's and back to xen_upcall's).  Whether or not
# the hypervisor re-raises the vector at registration, the module must find
# evtchn_upcall_pending set and raise the upcall itself, and the event must
# be delivered exactly once.

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=upcall_lib.sh
. "$(dirname "$0")/upcall_lib.sh"

xp_require_root
xp_require_xen
xp_kmsg_mark
xp_load_upcall
xp_require_test_hooks

port=$(cat /sys/kernel/debug/xup_test/send_port)
received=/sys/kernel/debug/xup_test/received
# End B of the loopback pair is bound to CPU 1 (cpu_b): the pending event
# belongs to that CPU, so the switch is done there.
cpu=1
[ -d /sys/devices/system/cpu/cpu$cpu ] || xp_skip "needs 2 vCPUs"

for round in 1 2 3; do
	rec=$(xp_upcall_stat recoveries $cpu)
	got=$(cat "$received")
	echo "$cpu $port" >"$XP_UPCALL_DEBUGFS/reregister" ||
		xp_bail "reregister CPU $cpu with port $port"
	sleep 0.2
	xp_check_num "round $round: events delivered for one pending event" \
		$(($(cat "$received") - got)) -eq 1
	xp_check_num "round $round: lost-edge recoveries on CPU $cpu" \
		$(($(xp_upcall_stat recoveries $cpu) - rec)) -ge 1
done

# Nothing pending: the switch must not invent an event.
got=$(cat "$received")
echo "$cpu" >"$XP_UPCALL_DEBUGFS/reregister" || xp_bail "reregister CPU $cpu"
sleep 0.2
xp_check_num "events delivered when none was pending" \
	$(($(cat "$received") - got)) -eq 0

xp_check_pingpong 1000 "after the switches"
rmmod xup_test
rmmod xen_upcall
rmmod xen_hcall
xp_check_dmesg_clean
xp_exit
