#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The point of it all: a long preemptible hypercall on CPU 0 (256 MiB given
# to Xen and populated again, one hypercall each) is rescheduled by the
# upcall entry when another task on CPU 0 wants to run, on a kernel booted
# in voluntary (or none) mode; and every page comes back.

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=upcall_lib.sh
. "$(dirname "$0")/upcall_lib.sh"

MIB=${MIB:-256}
BENCH=/sys/kernel/debug/xhc_bench/memop

xp_require_root
xp_require_xen
xp_unload_leftovers xhc_bench xup_test xhc_test xen_upcall xen_hcall
xp_kmsg_mark
for m in xen_hcall xen_upcall xhc_bench; do
	ko=$(xp_module_file $m) || xp_bail "$m.ko not found in $XP_DIR"
	insmod "$ko" || xp_bail "insmod $m.ko"
done
mode=$(xp_kv "$XP_HCALL_DEBUGFS/config" preemption)
if xp_kernel_preempts "$mode"; then
	rmmod xhc_bench xen_upcall xen_hcall
	xp_skip "preemption $mode: the kernel reschedules at interrupt exit by itself"
fi

requested0=$(xp_upcall_stat resched_requested 0)
done0=$(xp_stat_sum resched_done)

# The competitor: wakes up every millisecond on CPU 0.
taskset -c 0 sh -c 'while :; do usleep 1000; done' &
competitor=$!
sleep 0.5
t0=$(date +%s)
rc=0
echo "module $MIB 1 0" >"$BENCH" || rc=1
t1=$(date +%s)
kill "$competitor"
wait "$competitor" 2>/dev/null

xp_check_num "memop through xhc_preemptible_memory_op (write status)" "$rc" -eq 0
# round R decrease_ns N populate_ns N pages N released N back N bad N
# shellcheck disable=SC2046 # split the "name value" pairs
set -- $(cat "$BENCH")
xp_info "memop ($((t1 - t0)) s): $*"
xp_check_num "pages Xen took of $8" "${10}" -eq "$8"
xp_check_num "pages Xen populated again" "${12}" -eq "$8"
xp_check_num "populated pages that lost a write" "${14}" -eq 0

requested=$(($(xp_upcall_stat resched_requested 0) - requested0))
done=$(($(xp_stat_sum resched_done) - done0))
xp_check_num "upcalls on CPU 0 that rescheduled the hypercall" "$requested" -ge 1
xp_check_num "reschedules performed by xen_hcall" "$done" -ge 1
xp_check_num "flag-invariant violations" "$(cat "$XP_HCALL_DEBUGFS/violations")" -eq 0

rmmod xhc_bench
xp_check "rmmod xen_upcall" rmmod xen_upcall
xp_check "rmmod xen_hcall" rmmod xen_hcall
xp_check_dmesg_clean
xp_exit
