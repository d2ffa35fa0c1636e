#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# xen_upcall fails safe where the LAPIC or the hypervisor does not
# cooperate.  Faults are injected on CPU 1 through the test hooks of the
# selftests' build (evtchn/test_hooks.c):
#   back-off   the LAPIC reads as disabled for 12 registrations in a row:
#              retried with back-off (seconds, where one retry per jiffy
#              would take some 50 ms), reported once, then registered;
#   elsewhere  giving the kernel's vector back fails on CPU 1 itself (its
#              3 tries) as it goes offline: CPU 0 does it, no pin;
#   pinned     it fails from CPU 0 too: one line, the module pins itself
#              (rmmod refused) until the test, with CPU 1 back, unpins it;
#   unload     it keeps failing for some 8 s on unload: rmmod waits that
#              long, says why once (after 5 s), and every CPU then takes
#              its events through the kernel's vector.

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=upcall_lib.sh
. "$(dirname "$0")/upcall_lib.sh"

CPU=1
online=/sys/devices/system/cpu/cpu$CPU/online
REFCNT=/sys/module/xen_upcall/refcnt

xp_require_root
xp_require_xen
[ -w "$online" ] || xp_skip "CPU $CPU cannot be taken offline (needs 2 vCPUs)"
xp_kmsg_mark
xp_load_upcall
xp_require_test_hooks

irq_b=$(xp_pingpong_irq_b)
[ -n "$irq_b" ] || xp_bail "no IRQ for xup_test-b in /proc/interrupts"

uptime_ms() {
	awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime
}

# Kernel log lines since the mark that contain TEXT.
kmsg_count() {
	xp_dmesg_since_mark | grep -cF "$1"
}

# --- back-off -------------------------------------------------------------
def0=$(xp_upcall_stat deferrals $CPU)
start=$(uptime_ms)
echo "$CPU 12" >"$XP_UPCALL_DEBUGFS/defer" || xp_bail "defer CPU $CPU 12 times"
i=0
while [ "$(xp_upcall_stat vector $CPU)" = 0xf3 ] && [ $i -lt 200 ]; do
	sleep 0.1
	i=$((i + 1))
done
took=$(($(uptime_ms) - start))
xp_info "CPU $CPU registered our vector $took ms after the first of 12 deferrals"
xp_check_num "deferrals of CPU $CPU" $(($(xp_upcall_stat deferrals $CPU) - def0)) -eq 12
xp_check "CPU $CPU on our vector after the deferrals" \
	[ "$(xp_upcall_stat vector $CPU)" != 0xf3 ]
xp_check_num "ms until registered: backed off, not retried every jiffy" "$took" -ge 2000
xp_check_num "reports of CPU $CPU's disabled LAPIC (one per streak)" \
	"$(kmsg_count "CPU$CPU: local APIC still software-disabled")" -eq 1
xp_check_num "reports of CPU $CPU's LAPIC enabled at last" \
	"$(kmsg_count "CPU$CPU: local APIC enabled after")" -eq 1

# --- elsewhere ------------------------------------------------------------
ref0=$(cat "$REFCNT")
echo "$CPU 3" >"$XP_UPCALL_DEBUGFS/give_back_fail" || xp_bail "give_back_fail $CPU 3"
xp_hotplug_cycle $CPU "$irq_b"
xp_check_num "hotplug cycle failed or lost events (given back from another CPU)" \
	$((xp_hp_failed + xp_hp_lossy)) -eq 0
xp_check_num "lines: CPU $CPU's vector given back from another CPU" \
	"$(kmsg_count "CPU$CPU: the kernel's upcall vector given back from CPU")" -eq 1
xp_check_num "module references after a give-back from another CPU" \
	"$(cat "$REFCNT")" -eq "$ref0"

# --- pinned ---------------------------------------------------------------
echo "$CPU 4" >"$XP_UPCALL_DEBUGFS/give_back_fail" || xp_bail "give_back_fail $CPU 4"
xp_hotplug_cycle $CPU "$irq_b"
xp_check_num "hotplug cycle failed or lost events (give-back failed everywhere)" \
	$((xp_hp_failed + xp_hp_lossy)) -eq 0
xp_check_num "lines: the module stays loaded" \
	"$(kmsg_count "CPU$CPU: cannot give back the kernel's upcall vector")" -eq 1
xp_check_num "module references while pinned" "$(cat "$REFCNT")" -eq $((ref0 + 1))
xp_check "rmmod xen_upcall refused while pinned" \
	sh -c '! rmmod xen_upcall 2>/dev/null'
echo 1 >"$XP_UPCALL_DEBUGFS/unpin" || xp_bail "unpin"
xp_check_num "module references after unpinning" "$(cat "$REFCNT")" -eq "$ref0"

# --- unload ---------------------------------------------------------------
# 4 failures per attempt (3 on CPU 1, 1 from CPU 0): the offline callback's
# and 14 retries of the unload, some 8 s with their back-off.
echo "$CPU 60" >"$XP_UPCALL_DEBUGFS/give_back_fail" || xp_bail "give_back_fail $CPU 60"
hyp=$(xp_hyp_snapshot)
start=$(uptime_ms)
xp_check "rmmod xen_upcall while giving back fails for a while" rmmod xen_upcall
took=$(($(uptime_ms) - start))
xp_check_num "ms rmmod waited for CPU $CPU's give-back" "$took" -ge 5000
xp_check_num "lines: unload waits for CPU $CPU (after 5 s, then every 60 s)" \
	"$(kmsg_count "unload waits: CPU$CPU is still on our vector")" -eq 1
xp_check "no xen-upcall IRQ left in /proc/interrupts" \
	sh -c '! grep -q xen-upcall /proc/interrupts'
xp_check "every CPU takes upcalls through the kernel's vector again" \
	xp_hyp_rose_since "$hyp"
xp_check_pingpong 1000 "through the kernel's vector after the unload"

rmmod xup_test
rmmod xen_hcall
xp_check_dmesg_clean
xp_exit
