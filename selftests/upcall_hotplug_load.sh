#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# vCPU hotplug under load: every non-boot vCPU goes offline and online
# again, cycle after cycle, while xhc_test keeps preemptible hypercalls
# running on every CPU (moving them between CPUs, with competing threads)
# and xen_upcall and the ping-pong module are loaded.  After each online
# the CPU must be on xen_upcall's vector again and 200 round trips through
# it must lose nothing (xp_hotplug_cycle in upcall_lib.sh says why they run
# between the transitions).  At the end: every registration was made with
# the LAPIC enabled, each CPU was registered at least once per cycle, no
# flag invariant was broken, every page came back, nothing in dmesg.
#
# usage: upcall_hotplug_load.sh [CYCLES]  (default $HOTPLUG_CYCLES or 5)
# Meant for 4 vCPUs (tools/check boots one); works with 2 or more.

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=upcall_lib.sh
. "$(dirname "$0")/upcall_lib.sh"

cycles=${1:-${HOTPLUG_CYCLES:-5}}
XT=/sys/kernel/debug/xhc_test

xp_require_root
xp_require_xen
cpus=$(xp_online_cpu_list | grep -vx 0)
for c in $cpus; do
	[ -w /sys/devices/system/cpu/cpu"$c"/online ] ||
		xp_skip "CPU $c cannot be taken offline"
done
[ -n "$cpus" ] || xp_skip "needs 2 or more vCPUs (has 1)"
test_ko=$(xp_module_file xhc_test) || xp_bail "xhc_test.ko not found"
xp_kmsg_mark
xp_load_upcall
# xen_upcall's entry reschedules the hypercalls here; xhc_test's stand-in
# tick every 1 ms would only add interrupts, on which the test bed's flake
# (tools/xoq/README.md) feeds.
insmod "$test_ko" tick_us=50000 || xp_bail "insmod xhc_test.ko"

stop_load() {
	echo 0 >"$XT/run" 2>/dev/null
}
trap 'stop_load; exit 1' TERM INT

irq_b=$(xp_pingpong_irq_b)
[ -n "$irq_b" ] || xp_bail "no IRQ for xup_test-b in /proc/interrupts"
seq_before=$(xp_registrations_next)
for c in $cpus; do
	eval "regs_$c=$(xp_upcall_stat registrations "$c")"
done

echo 1 >"$XT/run" || xp_bail "start xhc_test"
xp_info "$cycles cycles of CPUs $(echo "$cpus" | tr '\n' ' ')under xhc_test load"
n=0
while [ $n -lt "$cycles" ]; do
	n=$((n + 1))
	for c in $cpus; do
		xp_hotplug_cycle "$c" "$irq_b"
	done
	# A sign of life for the test bed (see upcall_load_cycles.sh).
	[ $((n % 10)) -ne 0 ] || xp_info "$n of $cycles cycles done"
done
stop_load
transitions=$((n * $(echo "$cpus" | wc -l)))

xp_check_num "of $transitions offline/online cycles, failed or left on the kernel's vector" \
	"$xp_hp_failed" -eq 0
xp_check_num "of $transitions batches of 200 round trips, lost events" \
	"$xp_hp_lossy" -eq 0
xp_check_num "of $transitions onlines, Xen not delivering through xen_upcall's vector after" \
	"$xp_hp_not_ours" -eq 0
for c in $cpus; do
	was=$(eval echo "\$regs_$c")
	xp_check_num "registrations of CPU $c in $cycles cycles" \
		$(($(xp_upcall_stat registrations "$c") - was)) -ge "$cycles"
done
xp_check_num "registrations with the LAPIC disabled (APIC_SPIV bit 8 clear)" \
	"$(xp_registrations_unsafe "$seq_before")" -eq 0
xp_check_pingpong 2000 "after the cycles"

r() {
	xp_kv "$XT/results" "$1"
}
xp_info "xhc_test: $(tr '\n' ' ' <"$XT/results")"
xp_check_num "memop batches done meanwhile" "$(r batches)" -gt 0
xp_check_num "hypercalls that did less than asked" "$(r errors)" -eq 0
xp_check_num "pages Xen did not give back" "$(r pages_lost)" -eq 0
xp_check_num "flag-invariant violations" \
	"$(cat "$XP_HCALL_DEBUGFS/violations")" -eq 0

xp_check "rmmod xhc_test xup_test" rmmod xhc_test xup_test
xp_check "rmmod xen_upcall" rmmod xen_upcall
xp_check "rmmod xen_hcall" rmmod xen_hcall
xp_check_dmesg_clean
xp_exit
