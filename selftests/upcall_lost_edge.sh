#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Lost-edge recovery, with a real lost edge.  On this Xen a registration
# never loses one: Xen raises the vector at every registration made with
# the LAPIC enabled, and when the LAPIC is enabled with an upcall pending
# (evtchn/test_lost_edge.c says where).  The test build's hook lose_edge
# makes the loss the recovery is for: on CPU 1, with interrupts off, an
# event is made pending for that CPU, our vector is registered again, and
# the interrupt Xen raised is taken and dropped without dispatching, which
# leaves evtchn_upcall_pending set with no interrupt coming.  Then:
#  - with the module's recovery turned off (the negative control), the
#    event is not delivered within 200 ms: the edge really is lost and
#    nothing else brings it (the hook then repairs the CPU itself);
#  - with the recovery on, it is delivered within 200 ms, and the module
#    counts a recovery.
# Either way the event arrives exactly once.  Then the vector is switched
# (to the kernel's and back to ours) with an event pending across the
# switch, which must also deliver it exactly once, and with nothing
# pending, which must deliver nothing.

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=upcall_lib.sh
. "$(dirname "$0")/upcall_lib.sh"

xp_require_root
xp_require_xen
# End B of the loopback pair is bound to CPU 1 (cpu_b): the pending event
# belongs to that CPU, so everything is done there.
cpu=1
[ -d /sys/devices/system/cpu/cpu$cpu ] || xp_skip "needs 2 vCPUs"
xp_kmsg_mark
xp_load_upcall
xp_require_test_hooks

port=$(cat /sys/kernel/debug/xup_test/send_port)
received=/sys/kernel/debug/xup_test/received
lose=$XP_UPCALL_DEBUGFS/lose_edge

# lose_edge RECOVER LABEL: one lost edge on CPU $cpu; checks its outcome.
lose_edge() {
	le_recover=$1
	le_label=$2
	le_got=$(cat "$received")
	le_rec=$(xp_upcall_stat recoveries $cpu)
	if ! echo "$cpu $port $le_recover" >"$lose"; then
		xp_fail "$le_label: lose_edge on CPU $cpu with port $port"
		return
	fi
	# dropped N pending N delivered_us N repaired N
	# shellcheck disable=SC2046 # split the "name value" pairs
	set -- $(cat "$lose")
	xp_info "$le_label: $*"
	xp_check_num "$le_label: Xen's interrupt taken and dropped undispatched" "$2" -ge 1
	xp_check_num "$le_label: upcall still pending after the drop (evtchn_upcall_pending)" \
		"$4" -eq 1
	if [ "$le_recover" = 1 ]; then
		xp_check "$le_label: delivered within 200 ms (after $6 us)" [ "$6" -ge 0 ]
		xp_check_num "$le_label: recoveries counted on CPU $cpu" \
			$(($(xp_upcall_stat recoveries $cpu) - le_rec)) -eq 1
	else
		xp_check "$le_label: not delivered within 200 ms (delivered_us $6)" \
			[ "$6" -lt 0 ]
		xp_check "$le_label: the hook raised the upcall itself afterwards" \
			[ "$8" = 1 ]
		xp_check_num "$le_label: recoveries counted on CPU $cpu" \
			$(($(xp_upcall_stat recoveries $cpu) - le_rec)) -eq 0
	fi
	xp_check_num "$le_label: events delivered for one pending event" \
		$(($(cat "$received") - le_got)) -eq 1
}

lose_edge 1 "lost edge 1, recovery on"
lose_edge 0 "lost edge, recovery off (negative control)"
lose_edge 1 "lost edge 2, recovery on"
lose_edge 1 "lost edge 3, recovery on"
xp_check_pingpong 1000 "after the lost edges"

for round in 1 2 3; do
	got=$(cat "$received")
	echo "$cpu $port" >"$XP_UPCALL_DEBUGFS/reregister" ||
		xp_bail "reregister CPU $cpu with port $port"
	sleep 0.2
	xp_check_num "switch $round: events delivered for one pending event" \
		$(($(cat "$received") - got)) -eq 1
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
