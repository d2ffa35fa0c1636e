#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Stress for xen_hcall's per-CPU "in preemptible hypercall" flag.  xhc_test
# runs long XENMEM hypercalls on every CPU while its stand-in upcall may
# reschedule them, moves their threads between CPUs every few ms, and makes
# the same hypercalls from contexts that must never be rescheduled; a busy
# and a sleeping kernel thread compete for every CPU (kernel threads: see
# the note in modules/xhc_test.c about the test bed).  Afterwards:
#  - no flag invariant was ever broken, and no CPU is left marked;
#  - Xen continued the hypercalls, and tasks migrated between continuations;
#  - with preemption none/voluntary the module rescheduled, with full it
#    left that to the kernel and never asked;
#  - every hypercall did its whole batch and every page came back;
#  - no atomic context was ever switched out, nothing in dmesg, clean unload.
#
# usage: hcall_invariants.sh [SECONDS]  (default $HCALL_STRESS_SECONDS or 30)
# XHC_TEST_PARAMS: module parameters for xhc_test (see modinfo xhc_test.ko);
# XEN_HCALL_PARAMS: module parameters for xen_hcall.

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

duration=${1:-${HCALL_STRESS_SECONDS:-30}}
XT=/sys/kernel/debug/xhc_test

xp_require_root
xp_require_xen
ncpu=$(xp_online_cpus)
[ "$ncpu" -ge 2 ] || xp_skip "needs 2 CPUs to move hypercalls between them (found $ncpu)"
hcall_ko=$(xp_module_file xen_hcall) || xp_bail "xen_hcall.ko not found in $XP_DIR"
test_ko=$(xp_module_file xhc_test) || xp_bail "xhc_test.ko not found in $XP_DIR/modules"
xp_unload_leftovers xhc_test xen_upcall xen_hcall
xp_kmsg_mark

# shellcheck disable=SC2086 # parameters are separate words
insmod "$hcall_ko" ${XEN_HCALL_PARAMS:-} || xp_bail "insmod xen_hcall.ko ${XEN_HCALL_PARAMS:-}"
# shellcheck disable=SC2086 # parameters are separate words
insmod "$test_ko" ${XHC_TEST_PARAMS:-} || {
	rmmod xen_hcall
	xp_bail "insmod xhc_test.ko ${XHC_TEST_PARAMS:-}"
}
mode=$(xp_kv "$XP_HCALL_DEBUGFS/config" preemption)
xp_info "preemption mode $mode; ${duration}s of stress on $ncpu CPUs"

stop_all() {
	echo 0 >"$XT/run" 2>/dev/null
}
trap 'stop_all; exit 1' TERM INT

echo 1 >"$XT/run" || {
	stop_all
	xp_bail "start xhc_test"
}
# One sleep, no progress lines: user mode stays idle while the interrupt
# load is high (see the note on the test bed in modules/xhc_test.c).
sleep "$duration"
stop_all

xp_info "xhc_test results:"
sed 's/^/#   /' "$XT/results"
xp_info "xen_hcall stats:"
sed 's/^/#   /' "$XP_HCALL_DEBUGFS/stats"

r() {
	xp_kv "$XT/results" "$1"
}

xp_check_num "no flag invariant violations" \
	"$(cat "$XP_HCALL_DEBUGFS/violations")" -eq 0
xp_check_num "violations column of stats agrees" "$(xp_stat_sum violations)" -eq 0
xp_check_num "no CPU left marked in a hypercall" "$(xp_stat_sum in_hcall)" -eq 0
xp_check_num "preemptible hypercalls issued" "$(xp_stat_sum issued)" -gt 0
xp_check_num "Xen continued hypercalls (interrupts on the instruction)" \
	"$(xp_stat_sum continuations)" -gt 0
xp_check_num "tasks migrated between continuations" \
	"$(xp_stat_sum migrations)" -gt 0
xp_check_num "hypercall threads were moved between CPUs" \
	"$(r affinity_changes)" -gt 0

if xp_kernel_preempts "$mode"; then
	xp_check_num "preemption $mode: never allowed to reschedule" "$(r tick_hits)" -eq 0
	xp_check_num "preemption $mode: no reschedule requested" \
		"$(xp_stat_sum resched_requested)" -eq 0
elif [ "$mode" = none ] || [ "$mode" = voluntary ]; then
	xp_check_num "stand-in upcall was allowed to reschedule" "$(r tick_hits)" -gt 0
	xp_check_num "reschedules requested" "$(xp_stat_sum resched_requested)" -gt 0
	xp_check_num "reschedules done" "$(xp_stat_sum resched_done)" -gt 0
else
	xp_fail "known preemption mode (config says '$mode')"
fi

xp_check_num "memop batches done" "$(r batches)" -gt 0
xp_check_num "hypercalls that did less than asked" "$(r errors)" -eq 0
xp_check_num "pages Xen did not give back" "$(r pages_lost)" -eq 0
xp_check_num "given-back pages that did not hold a write" "$(r bad_data)" -eq 0
xp_check_num "page allocation failures" "$(r alloc_failures)" -eq 0
for ctx in preempt spinlock irqoff bh tasklet timer; do
	xp_check_num "hypercalls with $ctx context" "$(r "atomic_$ctx")" -gt 0
done
xp_check_num "atomic contexts switched out" "$(r atomic_switched)" -eq 0
xp_check_num "competing sleepers woke up" "$(r sleeper_wakeups)" -gt 0
xp_check_num "competing spinners ran" "$(r spinner_loops)" -gt 0
xp_info "worst wake-up lateness of the sleepers: $(r sleeper_max_late_us) us"

xp_check "rmmod xhc_test" rmmod xhc_test
xp_check "rmmod xen_hcall" rmmod xen_hcall
xp_check_dmesg_clean
xp_exit
