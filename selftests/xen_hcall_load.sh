#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# xen_hcall.ko loads in a Xen HVM/PVH guest, reports the version Xen
# reports through the kernel's own driver (/sys/hypervisor), and unloads
# cleanly; xen_upcall.ko too, when it was built.  Then the same with
# kernel_site=1, which must find the kernel's hypercall instruction.

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

# kernel_site=1 on this kernel: the module finds the kernel's hypercall
# instruction (after the ENDBR of a kernel built with IBT), names it in
# debugfs, and interrupts land exactly there while Xen continues the
# kernel's own HYPERVISOR_memory_op() (xhc_bench "stock", counted through
# xen_upcall's entry).  Under full, lazy or RT preemption it stays idle.
KS=$XP_HCALL_DEBUGFS/kernel_site
MEMOP=/sys/kernel/debug/xhc_bench/memop
MIB=64
# ks_sum COLUMN: a column of the per-CPU rows of debugfs kernel_site.
ks_sum() {
	awk -v c="$1" '$1 == "cpu" { for (i = 1; i <= NF; i++) if ($i == c) col = i; next }
		col && $1 ~ /^[0-9]+$/ { s += $col } END { print s + 0 }' "$KS"
}
case $insn in
vmmcall) fn=xen_hypercall_amd ;;
*) fn=xen_hypercall_intel ;;
esac
if ! insmod "$hcall_ko" kernel_site=1; then
	xp_dmesg_since_mark | grep kernel_site | sed 's/^/# dmesg: /'
	xp_fail "insmod xen_hcall.ko kernel_site=1"
elif ! bench_ko=$(xp_module_file xhc_bench) || [ -z "${upcall_ko:-}" ]; then
	xp_fail "kernel_site: xhc_bench.ko and xen_upcall.ko are in the payload"
	rmmod xen_hcall
else
	site=$(sed -n 's/^site //p' "$KS")
	case $site in
	"$fn+0x0/"* | "$fn+0x4/"*)
		xp_pass "kernel_site names $site" ;;
	*)
		xp_fail "kernel_site names $fn+0x0 or +0x4 (after an ENDBR), not '$site'" ;;
	esac
	insmod "$upcall_ko" || xp_fail "insmod xen_upcall.ko"
	insmod "$bench_ko" || xp_fail "insmod xhc_bench.ko"
	hits0=$(ks_sum hits)
	xp_check "kernel's HYPERVISOR_memory_op, $MIB MiB out and back on CPU 0" \
		sh -c "echo 'stock $MIB 1 0' >$MEMOP"
	sed 's/^/# kernel_site: /' "$KS"
	xp_check_num "interrupts on the kernel's instruction $site" \
		"$(($(ks_sum hits) - hits0))" -gt 0
	if xp_kernel_preempts "$mode"; then
		xp_check_num "preemption $mode: kernel_site stays idle (no reschedule requested)" \
			"$(ks_sum resched_requested)" -eq 0
	fi
	xp_check_num "no violations" "$(cat "$XP_HCALL_DEBUGFS/violations")" -eq 0
	rmmod xhc_bench
	rmmod xen_upcall
	xp_check "rmmod xen_hcall (kernel_site=1)" rmmod xen_hcall
fi
xp_check_dmesg_clean
xp_exit
