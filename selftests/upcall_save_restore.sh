#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Save and restore of the guest with both modules loaded, after xhc_test
# has run preemptible hypercalls on every CPU, with the upcalls flowing.  The
# test asks the test bed's dom0 for `xl save` + `xl restore` with the line
# XOQ-SAVE-RESTORE-REQUEST (tools/xoq/dom0-init.sh) and waits until the
# kernel has resumed.  Then:
#  - the guest really was restored (its domain ID changed), not a
#    cancelled suspend;
#  - xen_upcall's resume hook registered its vector again on every CPU,
#    with the LAPIC enabled, after the kernel had put its own back;
#  - upcalls (timer, IPIs) arrive through it and none through the kernel's
#    vector; a new ping-pong pair loses nothing, and Xen delivers its
#    events to each vCPU through xen_upcall's vector (the kernel's IRQ
#    counts of that CPU); Xen logged, for the new domain and each vCPU,
#    the kernel's vector, then ours, then the kernel's after the unload
#    (tools/check);
#  - xhc_test's hypercalls, run again after the restore, do their whole
#    batch, give every page back, and no flag invariant broke;
#  - the modules unload and Xen delivers each vCPU's events through the
#    kernel's vector again.
# The tests that run after this one in the same boot check the restored
# guest again (tools/check).
#
# Neither runs across the save itself.  The ping-pong's writer waits in the
# kernel uninterruptibly, which the freezer refuses (the suspend would be
# cancelled after 20 s).  Under xhc_test's load the emulated guest was seen
# to take longer to suspend than the 60 s xl gives it.

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=upcall_lib.sh
. "$(dirname "$0")/upcall_lib.sh"

XT=/sys/kernel/debug/xhc_test
# Guest seconds to wait for the resume (the guest does not count the time
# it spent saved).
WAIT=${SAVE_RESTORE_WAIT:-150}

xp_require_root
xp_require_xen
[ -r /etc/xoq.conf ] ||
	xp_skip "needs the xoq test bed, whose dom0 saves and restores the guest on request"
grep -q '^XOQ_GUEST_TYPE=hvm' /etc/xoq.conf &&
	xp_skip "the request travels on the PVH guest's console, which dom0 reads"
test_ko=$(xp_module_file xhc_test) || xp_bail "xhc_test.ko not found"
xp_kmsg_mark
xp_load_upcall
insmod "$test_ko" || xp_bail "insmod xhc_test.ko"
cpus=$(xp_online_cpu_list)

domid=$("$XP_DIR/xs_read" domid)
xp_info "domain ID before the save: ${domid:-unknown}"
seq_before=$(xp_registrations_next)
for c in $cpus; do
	eval "regs_$c=$(xp_upcall_stat registrations "$c")"
done
xp_check_pingpong 1000 "before the save"
# The kernel does not rebind interdomain event channels on resume (only
# VIRQs and IPIs, which keep flowing through the upcall): the loopback pair
# goes, and a new one is made after the restore.
rmmod xup_test || xp_bail "rmmod xup_test"

echo 1 >"$XT/run" || xp_bail "start xhc_test"
sleep 2
echo 0 >"$XT/run"
echo "XOQ-SAVE-RESTORE-REQUEST"
t0=$(date +%s)
resumed=
while [ $(($(date +%s) - t0)) -lt "$WAIT" ]; do
	# kernel/power/process.c, once the tasks run again.
	if xp_dmesg_since_mark | grep -q 'Restarting tasks'; then
		resumed=1
		break
	fi
	sleep 1
done
[ -n "$resumed" ] || xp_bail "no resume within ${WAIT}s of the request"
xp_pass "the guest was suspended and resumed ($(($(date +%s) - t0)) s)"
xp_dmesg_since_mark | grep -iE 'suspend|freez|xen:manage' | sed 's/^/# dmesg: /'

after=$("$XP_DIR/xs_read" domid)
if [ -n "$domid" ] && [ -n "$after" ]; then
	xp_check "restored into a new domain, not a cancelled suspend (domain $domid -> $after)" \
		[ "$after" != "$domid" ]
else
	xp_fail "domain ID readable through /dev/xen/xenbus ('$domid' -> '$after')"
fi

# The resuming CPU registers at once, the others through their retry work.
sleep 1
for c in $cpus; do
	was=$(eval echo "\$regs_$c")
	xp_check_num "CPU$c: registrations since the save" \
		$(($(xp_upcall_stat registrations "$c") - was)) -ge 1
done
xp_check_own_vectors "after the restore"
for c in $cpus; do
	eval "vec_$c=$(xp_upcall_stat vector "$c" | sed 's/^0x//')"
done
xp_check_num "registrations with the LAPIC disabled (APIC_SPIV bit 8 clear)" \
	"$(xp_registrations_unsafe "$seq_before")" -eq 0
xp_check_upcalls_ours

r() {
	xp_kv "$XT/results" "$1"
}
batches=$(r batches)
echo 1 >"$XT/run" || xp_bail "start xhc_test after the restore"
sleep 5
echo 0 >"$XT/run"
xp_info "xhc_test: $(tr '\n' ' ' <"$XT/results")"
xp_check_num "memop batches done after the restore" $(($(r batches) - batches)) -gt 0
xp_check_num "hypercalls that did less than asked" "$(r errors)" -eq 0
xp_check_num "pages Xen did not give back" "$(r pages_lost)" -eq 0
xp_check_num "given-back pages that did not hold a write" "$(r bad_data)" -eq 0
xp_check_num "flag-invariant violations" \
	"$(cat "$XP_HCALL_DEBUGFS/violations")" -eq 0
insmod "$(xp_module_file xup_test)" || xp_bail "insmod xup_test.ko after the restore"
xp_check_pingpong 10000 "after the restore"
xp_check_delivery "after the restore" ours

xp_check "rmmod xhc_test" rmmod xhc_test
hyp=$(xp_hyp_snapshot)
xp_check "rmmod xen_upcall" rmmod xen_upcall
xp_check "every CPU takes upcalls through the kernel's vector after the unload" \
	xp_hyp_rose_since "$hyp"
xp_check_delivery "after the restore and the unload" kernel
# In Xen's order, for the new domain: the kernel's vector put back on
# resume, then ours, then the kernel's at the unload.
for c in $cpus; do
	xp_expect_xen_vectors "$c" "^ f3+ $(eval echo "\$vec_$c") f3"
done
xp_check "rmmod xup_test" rmmod xup_test
xp_check "rmmod xen_hcall" rmmod xen_hcall
xp_check_dmesg_clean
xp_exit
