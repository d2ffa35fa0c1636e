#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# CPU hotplug with xen_upcall loaded: 20 offline/online cycles of CPU 1
# while events flow.  The kernel re-registers its own vector from the boot
# CPU while bringing CPU 1 up, before that CPU's LAPIC is enabled;
# xen_upcall must register its vector again, on CPU 1, with the LAPIC
# enabled, every time, and no event may be lost.

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=upcall_lib.sh
. "$(dirname "$0")/upcall_lib.sh"

CYCLES=${CYCLES:-20}
CPU=1
online=/sys/devices/system/cpu/cpu$CPU/online

xp_require_root
xp_require_xen
[ -w "$online" ] || xp_skip "CPU $CPU cannot be taken offline (needs 2 vCPUs)"
xp_kmsg_mark
xp_load_upcall

regs_before=$(xp_upcall_stat registrations $CPU)
log=/sys/kernel/debug/xen_upcall/registrations
seq_before=$(awk 'END { print $1 + 1 }' "$log")

# End B of the loopback pair belongs on CPU $CPU; after each online it is
# moved back there, so that every batch crosses CPU $CPU's new registration.
# Batches run between the transitions, not across them: an event that is
# in flight to a CPU while it goes offline can be lost by the kernel's event
# core even without xen_upcall (seen on this test bed with the stock
# kernel), which is not what this test is about.
irq_b=$(awk -F: '/xup_test-b/ { gsub(/ /, "", $1); print $1 }' /proc/interrupts)
[ -n "$irq_b" ] || xp_bail "no IRQ for xup_test-b in /proc/interrupts"

failed_cycles=0
lossy=0
i=0
while [ $i -lt "$CYCLES" ]; do
	i=$((i + 1))
	echo 0 >"$online" || failed_cycles=$((failed_cycles + 1))
	echo 1 >"$online" || failed_cycles=$((failed_cycles + 1))
	echo $CPU >/proc/irq/"$irq_b"/smp_affinity_list ||
		failed_cycles=$((failed_cycles + 1))
	vec=$(xp_upcall_stat vector $CPU)
	if [ "$vec" = 0xf3 ]; then
		# A registration may be deferred for a moment; never skipped.
		sleep 0.2
		vec=$(xp_upcall_stat vector $CPU)
	fi
	[ "$vec" != 0xf3 ] || failed_cycles=$((failed_cycles + 1))
	echo 200 >"$XP_PINGPONG"
	# rounds N sent N received N ns_per_round N
	# shellcheck disable=SC2046 # split the "name value" pairs
	set -- $(cat "$XP_PINGPONG")
	if [ "$4" != 400 ] || [ "$6" != 400 ]; then
		lossy=$((lossy + 1))
		xp_info "cycle $i: $*"
	fi
done

xp_check_num "offline/online cycles that failed or left CPU $CPU on the kernel's vector" \
	"$failed_cycles" -eq 0
regs=$(($(xp_upcall_stat registrations $CPU) - regs_before))
xp_check_num "registrations of CPU $CPU during $CYCLES cycles" "$regs" -ge "$CYCLES"

# Every registration, as recorded by the module, with the LAPIC enabled.
bad=$(awk -v s="$seq_before" 'NR > 1 && $1 >= s && and($4 + 0, 256) == 0' "$log" | wc -l)
xp_check_num "registrations with APIC_SPIV bit 8 (LAPIC enabled) clear" "$bad" -eq 0
xp_check_num "cycles whose 200 round trips through CPU $CPU lost events" \
	"$lossy" -eq 0

xp_check_pingpong 2000 "after the cycles"
rmmod xup_test
xp_check "rmmod xen_upcall" rmmod xen_upcall
rmmod xen_hcall
xp_check_dmesg_clean
xp_exit
