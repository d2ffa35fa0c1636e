#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# xen_hcall.ko loads in a Xen HVM/PVH guest, reports the version Xen
# reports through the kernel's own driver (/sys/hypervisor), and unloads
# cleanly; xen_upcall.ko too, when it was built.

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

xp_require_root
xp_require_xen
hcall_ko=$(xp_module_file xen_hcall) || xp_bail "xen_hcall.ko not found in $XP_DIR"
xp_unload_leftovers xhc_test xen_upcall xen_hcall
xp_kmsg_mark

xp_check "insmod xen_hcall.ko" insmod "$hcall_ko"
xp_module_loaded xen_hcall || xp_bail "xen_hcall not in /proc/modules after insmod"

v=/sys/hypervisor/version
want="$(cat $v/major).$(cat $v/minor)$(cat $v/extra)"
got=$(cat "$XP_HCALL_DEBUGFS/xen_version")
xp_check_same "debugfs xen_version '$got' equals /sys/hypervisor '$want'" \
	"$got" "$want"

# The mode the module works with must be the kernel's dynamic mode, shown
# in parentheses by the scheduler's debugfs file.
mode=$(xp_kv "$XP_HCALL_DEBUGFS/config" preemption)
insn=$(xp_kv "$XP_HCALL_DEBUGFS/config" instruction)
if [ -r /sys/kernel/debug/sched/preempt ]; then
	kmode=$(sed -n 's/.*(\([a-z]*\)).*/\1/p' /sys/kernel/debug/sched/preempt)
	xp_check_same "preemption mode '$mode' is the kernel's ('$kmode')" \
		"$mode" "$kmode"
else
	xp_pass "preemption mode '$mode' # SKIP no /sys/kernel/debug/sched/preempt"
fi
case $insn in
vmcall | vmmcall) xp_pass "hypercall instruction is $insn" ;;
*) xp_fail "hypercall instruction is vmcall or vmmcall (config says '$insn')" ;;
esac
xp_check "/dev/xen/hcall exists" [ -c /dev/xen/hcall ]

if upcall_ko=$(xp_module_file xen_upcall); then
	xp_check "insmod xen_upcall.ko" insmod "$upcall_ko"
	# Timers and IPIs go through the upcall: the guest must keep running
	# (the bound is loose: the test bed's timing is not precise).
	t0=$(date +%s)
	sleep 1
	t=$(($(date +%s) - t0))
	xp_check "sleep 1 with xen_upcall loaded took $t s" [ "$t" -le 5 ]
	xp_check "rmmod xen_upcall" rmmod xen_upcall
	xp_check "xen_upcall gone from /proc/modules" xp_module_gone xen_upcall
else
	xp_pass "xen_upcall load/unload # SKIP xen_upcall.ko is not in the payload (not built yet)"
fi

xp_check "rmmod xen_hcall" rmmod xen_hcall
xp_check "xen_hcall gone from /proc/modules" xp_module_gone xen_hcall
xp_check "debugfs directory removed" [ ! -e "$XP_HCALL_DEBUGFS" ]
xp_check "/dev/xen/hcall removed" [ ! -e /dev/xen/hcall ]
xp_check_dmesg_clean
xp_exit
