#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# xen_upcall takes over event delivery on every online CPU with a vector of
# its own (not the kernel's 0xf3), registered under an enabled LAPIC, and
# Xen really delivers each vCPU's events through it (the kernel's IRQ
# counts, per CPU, while events bound to that vCPU flow); events flow
# through it without loss; on unload Xen delivers every vCPU's events
# through the kernel's vector again and no IRQ or vector is left behind.

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=upcall_lib.sh
. "$(dirname "$0")/upcall_lib.sh"

xp_require_root
xp_require_xen
xp_kmsg_mark
xp_load_upcall
# The APIC driver decides how destinations look (physical or logical IDs).
xp_info "$(xp_dmesg_since_mark | grep -m1 -o 'APIC driver: [^)]*')"

xp_check_own_vectors "after the load"
xp_check_upcalls_ours
xp_check_delivery "after the load" ours

xp_check_pingpong 10000 "through xen_upcall's vectors"

hyp=$(xp_hyp_snapshot)
xp_check "rmmod xen_upcall" rmmod xen_upcall
xp_check "no xen-upcall IRQ left in /proc/interrupts" \
	sh -c '! grep -q xen-upcall /proc/interrupts'
xp_check "every CPU takes upcalls through the kernel's vector again" \
	xp_hyp_rose_since "$hyp"
xp_check_delivery "after the unload" kernel
xp_check_pingpong 2000 "through the kernel's vector after unload"

rmmod xup_test
rmmod xen_hcall
xp_check_dmesg_clean
xp_exit
