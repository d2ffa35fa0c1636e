#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The benchmark, inside one guest boot.  Prints one "BENCH ..." line per
# measurement for the host to aggregate (bench/report).
#
#   guest.sh SIZES ROUNDS [TPUT_PAIRS [HCALL_ARGS]]
# HCALL_ARGS: xen_hcall's parameters in the module configuration (for a
# negative control: "resched=0" must make it INVALID).
#
# Three configurations, all in this boot, interleaved round by round:
#   stock-voluntary  no module, the kernel's HYPERVISOR_memory_op
#   module           xen_hcall + xen_upcall, xhc_preemptible_hypercall()
#   stock-full       no module, after "full" is written to
#                    /sys/kernel/debug/sched/preempt
# A round is, for every size, one decrease + populate pair per
# configuration, each against two fresh sleepers on the same CPU: the
# user-space wakeup_latency and the kernel thread of xhc_bench.ko
# (usleep_range(1000, 1100)).
# Switching the preemption mode patches static calls with INT3s, which the
# emulated test bed does not always survive (README, "The stalls after
# unloading the modules"), so a round runs its voluntary configurations
# together and its full one together, and every other round swaps the two
# halves: one switch per round.  The boot holds the preempt notifier
# static key (xp_key_hold.ko), so that loading and unloading xen_hcall
# every round never patches __schedule().

cd "$(dirname "$0")" || exit 1
SIZES=$1
ROUNDS=$2
TPUT_PAIRS=${3:-1}
HCALL_ARGS=${4:-}
CPU=0
DBG=/sys/kernel/debug
PREEMPT=$DBG/sched/preempt
SLEEPER=$DBG/xhc_bench/sleeper
NCPUS=$(grep -c ^processor /proc/cpuinfo)
SWITCHES=0

# Without the key held, every round would patch __schedule() twice.
insmod ./xp_key_hold.ko || { echo "BENCH invalid reason=xp_key_hold_not_loaded"; exit 1; }
insmod ./xhc_bench.ko || exit 1

mode() {
	sed -n 's/.*(\([a-z]*\)).*/\1/p' $PREEMPT
}

v=/sys/hypervisor/version
echo "BENCH env vcpus=$NCPUS kernel=$(uname -r) xen=$(cat $v/major).$(cat $v/minor)$(cat $v/extra) preempt=$(mode) hcall_args=${HCALL_ARGS:-none}"
[ "$(mode)" = voluntary ] || { echo "BENCH invalid reason=boot_not_voluntary_$(mode)"; exit 1; }

# set_mode voluntary|full, with nothing of the benchmark running.
set_mode() {
	[ "$(mode)" = "$1" ] && return 0
	echo "$1" >$PREEMPT
	SWITCHES=$((SWITCHES + 1))
	echo "# preemption mode now $(mode) (switch $SWITCHES)"
}

modules_load() {
	# shellcheck disable=SC2086 # parameters, word by word
	insmod ./xen_hcall.ko $HCALL_ARGS && insmod ./xen_upcall.ko
}

modules_unload() {
	rmmod xen_upcall xen_hcall
}

# 1 if xen_hcall is loaded.
hcall_loaded() {
	[ -d /sys/module/xen_hcall ] && echo 1 || echo 0
}

# Sum of a column of xen_hcall's per-CPU stats.
hcall_stat() {
	awk -v c="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) col = i; next }
		{ s += $col } END { print s + 0 }' $DBG/xen_hcall/stats 2>/dev/null || echo 0
}

warnings_since() {
	dmesg | awk -v m="$1" 'seen { print } index($0, m) { seen = 1 }' |
		grep -cE 'soft lockup|rcu.*(stall|detected)|hung_task'
}

# memop CONFIG MIB: one decrease + populate round, pinned to CPU; prints
# "hcall_ms N ok 0|1".
memop() {
	path=stock
	[ "$1" = module ] && path=module
	echo "$path $2 1 $CPU" >$DBG/xhc_bench/memop || { echo "hcall_ms 0 ok 0"; return; }
	awk '{ ok = ($8 == $10 && $10 == $12 && $14 == 0); print "hcall_ms", int(($4 + $6) / 1000000), "ok", ok }' \
		$DBG/xhc_bench/memop
}

# Time Xen ran something else on CPU's vCPU (steal), in ms: a stall that
# is steal was not caused by the guest's own hypercall.
steal_ms() {
	awk -v c="cpu$CPU" '$1 == c { print $9 * 10 }' /proc/stat
}

# One latency run: both sleepers on CPU compete with one memop round.
latency_run() {
	config=$1 size=$2 round=$3
	[ "$config" = module ] && modules_load
	loaded=$(hcall_loaded)
	mark="bench mark $config $size $round $$"
	echo "$mark" >/dev/kmsg
	resched0=$(hcall_stat resched_done)
	steal0=$(steal_ms)
	./wakeup_latency -c $CPU 600 >/tmp/lat &
	lat_pid=$!
	echo "$CPU 1000" >$SLEEPER
	sleep 0.5
	m=$(memop "$config" "$size")
	sleep 0.2
	echo stop >$SLEEPER
	kill -TERM $lat_pid
	wait $lat_pid
	resched=$(($(hcall_stat resched_done) - resched0))
	steal=$(($(steal_ms) - steal0))
	[ "$config" = module ] && modules_unload
	common="config=$config vcpus=$NCPUS size=$size round=$round mode=$(mode) hcall_loaded=$loaded $m resched $resched steal_ms $steal warnings $(warnings_since "$mark")"
	echo "BENCH latency sleeper=user $common $(cat /tmp/lat)"
	echo "BENCH latency sleeper=kernel $common $(cat $SLEEPER)"
}

# Throughput: the same round with nothing competing.
throughput_run() {
	config=$1 size=$2 round=$3 pair=$4
	[ "$config" = module ] && modules_load
	resched0=$(hcall_stat resched_done)
	m=$(memop "$config" "$size")
	echo "BENCH throughput config=$config vcpus=$NCPUS size=$size round=$round pair=$pair $m resched $(($(hcall_stat resched_done) - resched0))"
	[ "$config" = module ] && modules_unload
}

# The voluntary half of a round: stock and module at each size, in an
# order swapped from round to round, then the throughput pairs.
voluntary_half() {
	round=$1
	set_mode voluntary
	order="stock-voluntary module"
	[ $((round % 2)) = 0 ] && order="module stock-voluntary"
	for size in $SIZES; do
		for config in $order; do
			latency_run "$config" "$size" "$round"
		done
	done
	# Throughput in pairs, the order swapped from pair to pair, so that
	# each module run has a stock run next to it (bench/report compares
	# them pair by pair).
	pair=1
	while [ "$pair" -le "$TPUT_PAIRS" ]; do
		order="stock-voluntary module"
		[ $(((round + pair) % 2)) = 1 ] && order="module stock-voluntary"
		for config in $order; do
			throughput_run "$config" 256 "$round" "$pair"
		done
		pair=$((pair + 1))
	done
}

full_half() {
	round=$1
	set_mode full
	for size in $SIZES; do
		latency_run stock-full "$size" "$round"
	done
}

round=1
while [ "$round" -le "$ROUNDS" ]; do
	if [ $((round % 2)) = 1 ]; then
		voluntary_half "$round"
		full_half "$round"
	else
		full_half "$round"
		voluntary_half "$round"
	fi
	round=$((round + 1))
done
set_mode voluntary
echo "BENCH switches n=$SWITCHES"

# Upcall delivery (loopback ping-pong) and wrapper overhead compare the
# module with the kernel inside this boot.
cpu_b=$((NCPUS > 1 ? 1 : 0))
insmod ./xen_hcall.ko
insmod ./xup_test.ko cpu_b=$cpu_b
i=0
while [ $i -lt 5 ]; do
	for path in kernel module; do
		[ $path = module ] && insmod ./xen_upcall.ko
		echo 5000 >$DBG/xup_test/pingpong
		echo "BENCH upcall path=$path vcpus=$NCPUS $(cat $DBG/xup_test/pingpong)"
		[ $path = module ] && rmmod xen_upcall
	done
	i=$((i + 1))
done
rmmod xup_test
# five_runs KIND FILE INPUT: five runs of a debugfs experiment.
five_runs() {
	i=0
	while [ $i -lt 5 ]; do
		echo "$3" >"$2"
		echo "BENCH $1 vcpus=$NCPUS $(cat "$2")"
		i=$((i + 1))
	done
}
five_runs wrapper $DBG/xhc_bench/version 40000
rmmod xen_hcall
# Where the wrappers' costs come from (site_cost.c): the same instruction
# at other places in a page, the kernel's with what the wrappers add.
if insmod ./xhc_site_cost.ko; then
	five_runs site $DBG/xhc_site_cost/run 20000
	rmmod xhc_site_cost
fi
rmmod xhc_bench
# xp_key_hold stays: its unload would patch __schedule() once more.
echo "BENCH done"
