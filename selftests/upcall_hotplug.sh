#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# CPU hotplug with xen_upcall loaded: 20 offline/online cycles of CPU 1
# while events flow.  The kernel re-registers its own vector from the boot
# CPU while bringing CPU 1 up, before that CPU's LAPIC is enabled;
# xen_upcall must register its vector again, on CPU 1, with the LAPIC
# enabled, every time; Xen must then deliver CPU 1's events through it
# (the kernel's IRQ counts of CPU 1 during 200 round trips through it,
# after each online), and no event may be lost.

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
seq_before=$(xp_registrations_next)

# End B of the loopback pair belongs on CPU $CPU; after each online it is
# moved back there, so that every batch crosses CPU $CPU's new registration.
irq_b=$(xp_pingpong_irq_b)
[ -n "$irq_b" ] || xp_bail "no IRQ for xup_test-b in /proc/interrupts"

i=0
while [ $i -lt "$CYCLES" ]; do
	i=$((i + 1))
	xp_hotplug_cycle $CPU "$irq_b"
done

xp_check_num "offline/online cycles that failed or left CPU $CPU on the kernel's vector" \
	"$xp_hp_failed" -eq 0
regs=$(($(xp_upcall_stat registrations $CPU) - regs_before))
xp_check_num "registrations of CPU $CPU during $CYCLES cycles" "$regs" -ge "$CYCLES"

# Every registration, as recorded by the module, with the LAPIC enabled.
xp_check_num "registrations with APIC_SPIV bit 8 (LAPIC enabled) clear" \
	"$(xp_registrations_unsafe "$seq_before")" -eq 0
xp_check_num "cycles whose 200 round trips through CPU $CPU lost events" \
	"$xp_hp_lossy" -eq 0
xp_check_num "onlines after which Xen did not deliver CPU $CPU's events through xen_upcall's vector" \
	"$xp_hp_not_ours" -eq 0
# Xen's own record, for this domain and vCPU, in Xen's order: at each
# offline the kernel's vector (registered again by the kernel at CPU-up),
# then ours, with the vector the module logged for that online.
xp_expect_xen_vectors $CPU "$(awk -v s="$seq_before" -v cpu=$CPU '
	NR > 1 && $1 >= s && $2 == cpu { sub(/^0x/, "", $3); printf "f3+ %s ", $3 }' \
	"$XP_UPCALL_DEBUGFS/registrations")"

xp_check_pingpong 2000 "after the cycles"
rmmod xup_test
# After the unload every CPU must hear the kernel's vector again; the
# per-CPU counts name a deaf one (README, "The stalls after unloading the
# modules").
hyp=$(xp_hyp_snapshot)
xp_check "rmmod xen_upcall" rmmod xen_upcall
xp_check "every CPU takes upcalls through the kernel's vector again" \
	xp_hyp_rose_since "$hyp"
xp_info "upcalls through the kernel's vector (CPU count), before: $(echo "$hyp" | tr '\n' ' ')after: $(xp_hyp_snapshot | tr '\n' ' ')"
rmmod xen_hcall
xp_check_dmesg_clean
xp_exit
