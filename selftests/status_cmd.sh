#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# xen-preempt-status on a Xen guest: its platform line, and its verdict
# and exit status through the modules' life: not loaded (3, cannot help
# here), loaded and idle (1, nothing to do yet), after a long preemptible
# hypercall with a competitor on its CPU (0, active and helping), unloaded
# again (3).  On a kernel that preempts by itself (full, lazy, RT) every
# state gives 2 (not needed).

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

STATUS=$XP_DIR/xen-preempt-status
BENCH=/sys/kernel/debug/xhc_bench/memop
MIB=${MIB:-64}

xp_require_root
xp_require_xen
[ -x "$STATUS" ] || xp_bail "xen-preempt-status not found in $XP_DIR"
xp_unload_leftovers xhc_bench xup_test xhc_test xen_upcall xen_hcall
xp_kmsg_mark

# status WANT_RC WANT_VERDICT LABEL: one run, its output shown.
status() {
	out=$("$STATUS" 2>&1)
	rc=$?
	printf '%s\n' "$out" | sed 's/^/#   /'
	xp_check_num "$3: exit status" "$rc" -eq "$1"
	case $out in
	*"verdict:"*"$2"*) xp_pass "$3: verdict '$2'" ;;
	*) xp_fail "$3: verdict '$2'" ;;
	esac
}

load() {
	for m in "$@"; do
		ko=$(xp_module_file "$m") || xp_bail "$m.ko not found in $XP_DIR"
		insmod "$ko" || xp_bail "insmod $m.ko"
	done
}

kmode=$(sed -n 's/.*(\([a-z]*\)).*/\1/p' /sys/kernel/debug/sched/preempt 2>/dev/null)
xp_info "kernel preemption mode: ${kmode:-unknown}"

out=$("$STATUS" 2>&1)
platform="Xen $(cat /sys/hypervisor/guest_type) guest, domU"
case $out in
*"platform:"*"$platform"*) xp_pass "platform: $platform" ;;
*) xp_fail "platform: $platform" ;;
esac

if xp_kernel_preempts "$kmode"; then
	status 2 "not needed: this kernel preempts by itself" "not loaded"
	load xen_hcall xen_upcall
	status 2 "not needed: this kernel preempts by itself" "loaded"
	rmmod xen_upcall xen_hcall
	xp_check_dmesg_clean
	xp_exit
fi

status 3 "cannot help here: xen_upcall is not loaded" "not loaded"
load xen_hcall xen_upcall xhc_bench
status 1 "loaded, nothing to do yet" "loaded, idle"

# A long preemptible memory_op on CPU 0, while a task there wakes up
# every millisecond (upcall_resched.sh checks the rescheduling itself).
taskset -c 0 sh -c 'while :; do usleep 1000; done' &
competitor=$!
sleep 0.5
echo "module $MIB 1 0" >"$BENCH" || xp_fail "memop of $MIB MiB"
kill "$competitor"
wait "$competitor" 2>/dev/null
xp_info "memop: $(cat "$BENCH")"
status 0 "active and helping" "after a long hypercall"

rmmod xhc_bench xen_upcall xen_hcall
status 3 "cannot help here: xen_upcall is not loaded" "unloaded"
xp_check_dmesg_clean
xp_exit
