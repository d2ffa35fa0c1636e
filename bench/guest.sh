#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The benchmark, inside one guest boot.  Prints one "BENCH ..." line per
# measurement for the host to aggregate (bench/report).
#
#   guest.sh CONFIGS SIZES ROUNDS
# CONFIGS: space-separated among stock-voluntary, module (default boot) or
# stock-full (preempt=full boot); they are interleaved round by round.

cd "$(dirname "$0")" || exit 1
CONFIGS=$1
SIZES=$2
ROUNDS=$3
CPU=0
DBG=/sys/kernel/debug
NCPUS=$(grep -c ^processor /proc/cpuinfo)
# Throughput pairs per round.
TPUT_PAIRS=3

insmod ./xhc_bench.ko || exit 1
v=/sys/hypervisor/version
echo "BENCH env vcpus=$NCPUS kernel=$(uname -r) xen=$(cat $v/major).$(cat $v/minor)$(cat $v/extra) preempt=$(sed -n 's/.*(\([a-z]*\)).*/\1/p' $DBG/sched/preempt)"

modules_load() {
	insmod ./xen_hcall.ko && insmod ./xen_upcall.ko
}

modules_unload() {
	rmmod xen_upcall xen_hcall
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

# One latency run: the sleeper on CPU competes with one memop round.
latency_run() {
	config=$1 size=$2 round=$3
	[ "$config" = module ] && modules_load
	mark="bench mark $config $size $round $$"
	echo "$mark" >/dev/kmsg
	resched0=$(hcall_stat resched_done)
	steal0=$(steal_ms)
	./wakeup_latency -c $CPU 600 >/tmp/lat &
	lat_pid=$!
	sleep 1
	m=$(memop "$config" "$size")
	sleep 0.2
	kill -TERM $lat_pid
	wait $lat_pid
	resched=$(($(hcall_stat resched_done) - resched0))
	steal=$(($(steal_ms) - steal0))
	[ "$config" = module ] && modules_unload
	echo "BENCH latency config=$config vcpus=$NCPUS size=$size round=$round $(cat /tmp/lat) $m resched $resched steal_ms $steal warnings $(warnings_since "$mark")"
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

round=1
while [ $round -le "$ROUNDS" ]; do
	for size in $SIZES; do
		for config in $CONFIGS; do
			latency_run "$config" "$size" "$round"
		done
	done
	# Throughput in pairs, the order swapped from pair to pair, so that
	# each module run has a stock run next to it (bench/report compares
	# them pair by pair).
	pair=1
	while [ $pair -le $TPUT_PAIRS ]; do
		order=$CONFIGS
		[ $(((round + pair) % 2)) = 1 ] && order=$(echo "$CONFIGS" | awk '{ for (i = NF; i > 0; i--) printf "%s ", $i }')
		for config in $order; do
			throughput_run "$config" 256 "$round" "$pair"
		done
		pair=$((pair + 1))
	done
	round=$((round + 1))
done

# Upcall delivery (loopback ping-pong) and wrapper overhead compare the
# module with the kernel inside one boot, so only the default boot has them.
case " $CONFIGS " in
*" module "*)
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
	i=0
	while [ $i -lt 5 ]; do
		echo 40000 >$DBG/xhc_bench/version
		echo "BENCH wrapper vcpus=$NCPUS $(cat $DBG/xhc_bench/version)"
		i=$((i + 1))
	done
	rmmod xen_hcall
	;;
esac
rmmod xhc_bench
echo "BENCH done"
