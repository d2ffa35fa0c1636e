#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Load/unload cycles of both modules while events flow and preemptible
# hypercalls run.  Each cycle loads xen_hcall, then, with a loopback
# ping-pong running between CPU 0 and CPU 1 and a long preemptible memory
# hypercall (xhc_bench) in flight, loads and unloads xen_upcall; then
# unloads xen_hcall once its users are done (it cannot go while a module
# or an open file uses it: hcall_unload_busy.sh).  Every cycle:
#  - xen_upcall registered its own vector on every online CPU, and Xen
#    delivers through it: in 0.3 s of ping-pong and timer ticks,
#    each CPU's xen-upcall IRQ count rises and its HYP count does not;
#  - after its unload every CPU takes upcalls through the kernel's vector
#    again (and Xen logged its registration, which the host counts), and
#    no xen-upcall IRQ is left in /proc/interrupts;
#  - the ping-pong lost no event and the hypercall gave every page back.
# Over all cycles: as many IRQs as before, nothing in dmesg.  A leaked
# vector would also make a later load fail once the CPU's vectors run out.
#
# usage: upcall_load_cycles.sh [CYCLES]  (default $LOAD_CYCLES or 10)

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=upcall_lib.sh
. "$(dirname "$0")/upcall_lib.sh"

cycles=${1:-${LOAD_CYCLES:-10}}
# Enough round trips (a few hundred us each here) to outlast a load and an
# unload of xen_upcall.
ROUNDS=${ROUNDS:-3000}
MIB=${MIB:-16}
BENCH=/sys/kernel/debug/xhc_bench/memop

xp_require_root
xp_require_xen
[ -d /sys/devices/system/cpu/cpu1 ] || xp_skip "needs 2 vCPUs for the ping-pong"
xp_unload_leftovers xhc_bench xup_test xhc_test xen_upcall xen_hcall
ko_hcall=$(xp_module_file xen_hcall) || xp_bail "xen_hcall.ko not found"
ko_upcall=$(xp_module_file xen_upcall) || xp_bail "xen_upcall.ko not found"
ko_xup=$(xp_module_file xup_test) || xp_bail "xup_test.ko not found"
ko_bench=$(xp_module_file xhc_bench) || xp_bail "xhc_bench.ko not found"
xp_kmsg_mark
cpus=$(xp_online_cpu_list)
irq_descs() {
	find /sys/kernel/irq -mindepth 1 -maxdepth 1 | wc -l
}
irqs_before=$(irq_descs)
lines_before=$(wc -l </proc/interrupts)

failed_loads=0 not_ours=0 not_delivered=0 not_back=0 left_irq=0 lost=0 pages_bad=0
overlapped=0
start=$(date +%s)
n=0
while [ $n -lt "$cycles" ]; do
	n=$((n + 1))
	if ! insmod "$ko_hcall" || ! insmod "$ko_xup" || ! insmod "$ko_bench"; then
		xp_bail "cycle $n: insmod xen_hcall, xup_test or xhc_bench"
	fi
	echo "module $MIB 1 1" >"$BENCH" &
	bench=$!
	echo "$ROUNDS" >"$XP_PINGPONG" &
	pp=$!

	if insmod "$ko_upcall"; then
		for c in $cpus; do
			vec=$(xp_upcall_stat vector "$c")
			case $vec in
			'' | 0x0 | 0xf3)
				not_ours=$((not_ours + 1))
				xp_info "cycle $n: CPU$c on vector '$vec' after the load"
				;;
			esac
		done
		before=$(xp_upcall_irq_snapshot)
		sleep 0.3
		for c in $cpus; do
			was=$(echo "$before" | awk -v c="$c" '$1 == c { print $2, $3 }')
			ours=$(($(xp_ours_count "$c") - ${was% *}))
			kernels=$(($(xp_hyp_count "$c") - ${was#* }))
			if [ "$ours" -eq 0 ] || [ "$kernels" -ne 0 ]; then
				not_delivered=$((not_delivered + 1))
				xp_info "cycle $n: CPU$c took $ours upcalls through xen_upcall's vector, $kernels through the kernel's"
			fi
		done
		hyp=$(xp_hyp_snapshot)
		rmmod xen_upcall || xp_bail "cycle $n: rmmod xen_upcall"
		kill -0 "$pp" 2>/dev/null && overlapped=$((overlapped + 1))
		if ! xp_hyp_rose_since "$hyp"; then
			not_back=$((not_back + 1))
			xp_info "cycle $n: a CPU took no upcall through the kernel's vector"
		fi
		if grep -q xen-upcall /proc/interrupts; then
			left_irq=$((left_irq + 1))
		fi
	else
		failed_loads=$((failed_loads + 1))
	fi

	wait "$pp"
	wait "$bench"
	# shellcheck disable=SC2046 # "rounds N sent N received N ns_per_round N"
	set -- $(cat "$XP_PINGPONG")
	if [ "$2" != "$ROUNDS" ] || [ "$4" != $((ROUNDS * 2)) ] ||
		[ "$6" != $((ROUNDS * 2)) ]; then
		lost=$((lost + 1))
		xp_info "cycle $n: ping-pong $*"
	fi
	# "round R decrease_ns N populate_ns N pages N released N back N bad N"
	# shellcheck disable=SC2046 # split the "name value" pairs
	set -- $(cat "$BENCH")
	if [ "${10:-}" != "${8:-x}" ] || [ "${12:-}" != "${8:-x}" ] ||
		[ "${14:-}" != 0 ]; then
		pages_bad=$((pages_bad + 1))
		xp_info "cycle $n: memop $*"
	fi
	rmmod xhc_bench xup_test || xp_bail "cycle $n: rmmod xhc_bench xup_test"
	rmmod xen_hcall || xp_bail "cycle $n: rmmod xen_hcall"
	# A sign of life for the test bed, which ends a run whose guest
	# stays silent for minutes (tools/xoq/README.md).
	[ $((n % 5)) -ne 0 ] || xp_info "$n of $cycles cycles done"
done

xp_check_num "cycles in which xen_upcall failed to load" "$failed_loads" -eq 0
xp_check_num "CPUs left on the kernel's vector after a load" "$not_ours" -eq 0
xp_check_num "CPUs whose upcalls Xen did not deliver through xen_upcall's vector after a load" \
	"$not_delivered" -eq 0
xp_check_num "cycles in which a CPU did not get the kernel's vector back" \
	"$not_back" -eq 0
xp_check_num "cycles that left a xen-upcall IRQ behind" "$left_irq" -eq 0
xp_check_num "cycles whose $ROUNDS ping-pong round trips lost events" "$lost" -eq 0
xp_check_num "cycles whose ${MIB} MiB hypercall lost pages" "$pages_bad" -eq 0
xp_check_num "cycles with the ping-pong still running at the unload" \
	"$overlapped" -gt 0
xp_info "$n cycles in $(($(date +%s) - start)) s; ping-pong still running at the unload in $overlapped"
xp_check_same "IRQ descriptors after $n cycles ($irqs_before before)" \
	"$(irq_descs)" "$irqs_before"
xp_check_same "lines of /proc/interrupts after $n cycles ($lines_before before)" \
	"$(wc -l </proc/interrupts)" "$lines_before"
# Each unload gave every vCPU the kernel's vector back through Xen, which
# logged it for this domain; the host counts those lines (tools/check).
unloads=$((n - failed_loads))
for c in $cpus; do
	xp_expect_xen_log "$c" f3 "$unloads"
done
xp_check_dmesg_clean
xp_exit
