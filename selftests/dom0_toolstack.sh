#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The toolstack's long hypercalls in a PVH or PV dom0 (xen_hcall
# kernel_site=1).
#
# Runs in dom0 itself (xoq run --pvh-dom0 or --pv-dom0).  Creates and
# destroys a PVH guest with xl, pinned to CPU0, while wakeup_latency,
# pinned to the same CPU, measures how late its 1 ms sleeps wake up; once
# per configuration:
#   stock   no module loaded (the kernel as it is booted)
#   module  xen_hcall kernel_site=1 and xen_upcall loaded, as the package
#           loads them: modprobe, the option from modprobe.d; in a PV
#           dom0 xen_hcall alone (xen_upcall refuses PV, which is checked
#           once, as is xen_hcall's refusal without kernel_site=1)
#   unload  not measured: the modules are loaded, and unloaded while
#           xl destroy runs; rmmod must wait for the tasks inside the
#           reschedule stubs and succeed, with a clean kernel log
#   full    no module loaded, the kernel switched to full preemption at
#           run time (debugfs sched/preempt) before its first cycle; it
#           stays there for the rest of the boot
# and prints for each a line
#   BENCH dom0 config=C create_ms=N destroy_ms=N max_us=N p99_us=N
#     lockups=N mem_ok=0|1 ...
# followed by the kernel_site counters (which hypercalls were interrupted,
# by hypercall number and by memory_op/domctl/sysctl command).
#
# Checks, for each configuration: the guest is created and destroyed, its
# memory comes back (xl info free_memory); for "module" also: no soft
# lockup or other kernel complaint, the latency stays under
# DOM0_MAX_LATENESS_MS, the module saw the kernel's hypercalls and never
# counted a violation.  A cycle whose guest triple-faulted by itself (the
# test bed's emulator, below) is repeated once; a configuration without a
# complete cycle fails.
#
# With DOM0_GATE=1 (dom0_toolstack_pv.sh, make check's [PV dom0] boot),
# after all cycles: the median over the cycles of each cycle's worst
# wake-up must be, for module, at most twice that of full and at most
# a tenth of that of stock (stock is also the negative control: without
# its stall the test could not tell).  In a PV dom0 also the cost of the
# module's probe on the event upcall: before each stock and module cycle,
# DOM0_PINGPONG (default 5000) event round trips on CPU0 (xup_test.ko,
# upcall_cost()); the fastest block's time per round trip with the
# module must stay within 1.1 times the stock one.
#
# Environment: XOQ_GUEST_CFG, XOQ_GUEST_NAME (from the test bed);
# DOM0_CONFIGS (default "module"), DOM0_MAX_LATENESS_MS (default 500),
# DOM0_GUEST_SECONDS (how long the guest runs, default 5); DOM0_TRACE=1
# also lists the privcmd hypercalls that took longer than 100 ms (kprobe
# events on privcmd_ioctl) and CPU0's steal time during each stall.

. "$(dirname "$0")/lib.sh"

CFG=${XOQ_GUEST_CFG:-}
NAME=${XOQ_GUEST_NAME:-}
CONFIGS=${DOM0_CONFIGS:-module}
MAX_MS=${DOM0_MAX_LATENESS_MS:-500}
CPU=0
KS=$XP_HCALL_DEBUGFS/kernel_site

xp_require_root
grep -q control_d /proc/xen/capabilities 2>/dev/null ||
	xp_skip "not dom0 (no control_d in /proc/xen/capabilities)"
command -v xl >/dev/null || xp_skip "no xl: the toolstack is not installed"
if [ -z "$NAME" ] || ! [ -r "$CFG" ]; then
	xp_skip "no guest config (XOQ_GUEST_CFG, XOQ_GUEST_NAME): run in xoq run --pvh-dom0 or --pv-dom0"
fi
[ -x "$XP_DIR/wakeup_latency" ] || xp_bail "wakeup_latency not found in $XP_DIR"

free_mib() {
	xl info | awk '$1 == "free_memory" { print $3 }'
}

GUEST_TYPE=$(cat /sys/hypervisor/guest_type 2>/dev/null || echo '?')
# What the module configuration loads: in a PV dom0 xen_hcall alone.
MODULES="xen_upcall xen_hcall"
[ "$GUEST_TYPE" = PV ] && MODULES=xen_hcall

# As an installed package loads them at boot: modprobe xen_upcall (or on
# PV xen_hcall) from the module tree, with kernel_site=1 from the shipped
# modprobe.d file.
modules_load() {
	xp_unload_leftovers xen_upcall xen_hcall
	xp_install_modules kernel_site=1 || return 1
	# shellcheck disable=SC2086 # the first of $MODULES loads the others
	modprobe ${MODULES%% *} || return 1
	[ "$(cat /sys/module/xen_hcall/parameters/kernel_site)" = Y ] ||
		{ modules_unload; return 1; }
}

modules_unload() {
	# shellcheck disable=SC2086 # a list of modules
	rmmod $MODULES
}

# refused MODULE LINE DESCRIPTION: loading MODULE fails with ENODEV
# (xp_expect_load_refused), with LINE in the kernel log since the mark.
refused() {
	xp_expect_load_refused "$3" "No such device" "$XP_DIR/$1.ko"
	xp_module_gone "$1" || rmmod "$1"
	xp_dmesg_since_mark | grep -qF "$2"
	xp_check_num "$3, saying why" $? -eq 0
}

# PV only, once: xen_hcall refuses to load without kernel_site=1, and
# xen_upcall refuses PV, each with its line in the kernel log.
pv_refusals() {
	xp_unload_leftovers xen_upcall xen_hcall
	xp_kmsg_mark
	refused xen_hcall 'xen_hcall: Xen PV guest: needs kernel_site=1' \
		"PV: xen_hcall without kernel_site=1 is refused"
	if ! insmod "$XP_DIR/xen_hcall.ko" kernel_site=1; then
		xp_fail "PV: xen_hcall kernel_site=1 loads"
		return
	fi
	sed 's/^/# kernel_site: /' "$KS"
	refused xen_upcall 'xen_upcall: Xen PV guest: events arrive through the PV event callback' \
		"PV: xen_upcall is refused"
	xp_check "PV: xen_hcall kernel_site=1 unloads" rmmod xen_hcall
	xp_dmesg_since_mark | grep -E 'xen_hcall|xen_upcall' | sed 's/^/# /'
}

# The modules unloaded while xl destroy runs, DOM0_UNLOAD_MS after its
# start (default 1500: destroydomain starts about a second in and takes
# over a second with an 8 GiB guest), with the sleeper on CPU$CPU so that
# xl is sent into the stubs: rmmod waits for the tasks inside them and
# must succeed.
unload_cycle() {
	modules_load || { xp_fail "unload: load the modules"; return; }
	xp_kmsg_mark
	free0=$(free_mib)
	faulted0=$(triple_fault_domains)
	taskset -c $CPU xl create -q "$CFG" >/tmp/dom0-xl 2>&1
	created=$?
	sleep "${DOM0_GUEST_SECONDS:-5}"
	"$XP_DIR/wakeup_latency" -c $CPU -s 100 60 >/dev/null &
	lat_pid=$!
	taskset -c $CPU xl destroy "$NAME" >>/tmp/dom0-xl 2>&1 &
	xl_pid=$!
	sleep "$(awk -v ms="${DOM0_UNLOAD_MS:-1500}" 'BEGIN { print ms / 1000 }')"
	active=$(awk '$1 == "active" { print $2 }' "$KS")
	t0=$(ms_now)
	modules_unload
	unloaded=$?
	t1=$(ms_now)
	wait $xl_pid
	destroyed=$?
	kill -TERM $lat_pid
	wait $lat_pid
	if [ "$created$destroyed" != 00 ] && new_triple_fault "$faulted0"; then
		wait_free "$free0" >/dev/null
		xp_module_gone xen_hcall || modules_unload
		return 3
	fi
	free1=$(wait_free "$free0")
	xp_info "unload: $active task(s) in the stubs at rmmod, which took $((t1 - t0)) ms"
	xp_check "unload: xl create" [ "$created" = 0 ]
	xp_check "unload: rmmod while xl destroy runs" [ "$unloaded" = 0 ]
	xp_check "unload: xl destroy" [ "$destroyed" = 0 ]
	xp_check "unload: the guest's memory is back (free $free0 -> $free1 MiB)" [ "${free1:-0}" -ge "$free0" ]
	xp_check_dmesg_clean
	return 0
}

# Time CPU0 was runnable but Xen ran something else (steal, in USER_HZ).
steal_ms() {
	awk -v c="cpu$CPU" '$1 == c { print $9 * 10 }' /proc/stat
}

TRACE=/sys/kernel/tracing
HC_ARGS='op=+u0(%dx):u64 a1=+u8(%dx):u64'

trace_start() {
	[ "${DOM0_TRACE:-0}" = 1 ] && [ -w $TRACE/kprobe_events ] || return 0
	# The command of a domctl/sysctl/memory_op, if nested user reads work.
	echo "p:xp_hc privcmd_ioctl cmd=%si:x32 $HC_ARGS sub=+u0(+u8(%dx)):u32" >>$TRACE/kprobe_events 2>/dev/null ||
		echo "p:xp_hc privcmd_ioctl cmd=%si:x32 $HC_ARGS" >>$TRACE/kprobe_events
	# shellcheck disable=SC2016 # $retval is the tracer's
	echo 'r:xp_hcr privcmd_ioctl ret=$retval:s64' >>$TRACE/kprobe_events
	echo 1 >$TRACE/events/kprobes/enable
	: >$TRACE/trace
}

# Prints "# privcmd: T0_MS pid P op N ... took MS ms" for each ioctl over
# 100 ms, then removes the events.
trace_stop() {
	[ -e $TRACE/events/kprobes/xp_hc ] || return 0
	echo 0 >$TRACE/events/kprobes/enable
	awk '/ xp_hc: / { split($1, t, "-"); pid = t[length(t)]; ts = $4 + 0
			start[pid] = ts; line = ""
			for (i = 7; i <= NF; i++) line = line " " $i
			what[pid] = line }
		/ xp_hcr: / { split($1, t, "-"); pid = t[length(t)]; ts = $4 + 0
			if (pid in start && ts - start[pid] > 0.1)
				printf "# %s privcmd: at %d ms pid %s%s took %d ms\n", cfg, start[pid] * 1000, pid, what[pid], (ts - start[pid]) * 1000
			delete start[pid] }' cfg="$1" $TRACE/trace
	echo >$TRACE/kprobe_events
}

# Every 50 ms, "MS STEAL_MS": the time since boot and CPU0's steal so
# far, from another CPU, so that each stall can be told apart from time
# Xen gave to other vCPUs (steal_during).  With DOM0_TRACE=1 only: it
# adds a wake-up every 50 ms on the other CPU.
steal_sampler() {
	while :; do
		awk -v c="cpu$CPU" '$1 == c { s = $9 * 10 }
			END { getline u <"/proc/uptime"; split(u, a, " ")
				printf "%d %d\n", a[1] * 1000, s }' /proc/stat
		sleep 0.05
	done
}

# The stall lines of wakeup_latency with the steal during each: the
# difference of the last samples before its start and its end.
steal_during() {
	awk 'NR == FNR { t[++n] = $1; s[n] = $2; next }
		/^stall / { end = $3; start = end - $5; a = b = ""
			for (i = 1; i <= n; i++) {
				if (t[i] <= start) a = s[i]
				if (t[i] <= end) b = s[i]
			}
			print $0 " steal_ms " (a == "" || b == "" ? "?" : b - a) }' "$1" "$2"
}

# Guest triple faults Xen has logged: a Linux guest does not triple fault
# by itself (its double-fault handler would oops first), the emulator does.
# The guest domains that did, by ID (not reused within a boot), so that a
# new one shows even when Xen's console ring has dropped older lines.
triple_fault_domains() {
	xl dmesg | sed -n 's/.*d\([1-9][0-9]*\)v[0-9]* Triple fault.*/\1/p' | sort -un
}

# Whether a guest domain not in $1 (triple_fault_domains' earlier output)
# has triple faulted since.
new_triple_fault() {
	triple_fault_domains | grep -qvxF "$1"
}

# Waits up to 60 s for Xen's free memory to be back at $1 MiB (Xen hands
# a dying domain's memory back while relinquishing its pages); prints it.
wait_free() {
	i=0
	f=$(free_mib)
	while [ "${f:-0}" -lt "$1" ] && [ $i -lt 60 ]; do
		sleep 1
		i=$((i + 1))
		f=$(free_mib)
	done
	echo "$f"
}

ms_now() {
	awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime
}

# PV: the time of DOM0_PINGPONG event round trips between the two ends
# of a loopback pair, both bound to CPU0, in configuration $1.  Each end's
# handler sends the event the other one handles, so the whole ping-pong
# runs in one upcall on CPU0, every handler followed (with the module) by
# its probe: the time adds up the event path, nothing runs in parallel
# and no vCPU blocks in Xen.  (Measured between two CPUs instead, one
# CPU's probe overlapped the other's handler, and waking a blocked vCPU
# cost more than the event path: a probe slowed by 50 us on purpose made
# those round trips faster.)  CPU0 spins in user space meanwhile, a
# context without a hypercall in flight; the writer runs on CPU1.
upcall_cost() {
	[ "$GUEST_TYPE" = PV ] && [ -w /sys/kernel/debug/xup_test/pingpong ] || return 0
	taskset -c 0 sh -c 'while :; do :; done' &
	spin=$!
	ok=1
	taskset -c 1 sh -c "echo ${DOM0_PINGPONG:-5000} >/sys/kernel/debug/xup_test/pingpong" && ok=0
	kill -TERM $spin
	wait $spin 2>/dev/null
	[ $ok = 0 ] || return 0
	# "rounds N sent N received N ns_per_round N"
	# shellcheck disable=SC2046 # the fields of that line
	set -- $(cat /sys/kernel/debug/xup_test/pingpong)
	echo "BENCH dom0_upcall config=$config rounds=$2 sent=$4 received=$6 ns_per_round=$8"
	[ "$4" = "$6" ] && echo "$config $8" >>/tmp/dom0-upcall
}

# PV, after a module cycle that rescheduled tasks: xen-preempt-status's
# verdict is 0, "active and helping".
status_active() {
	[ -x "$XP_DIR/xen-preempt-status" ] || { xp_fail "PV: xen-preempt-status in $XP_DIR"; return; }
	out=$("$XP_DIR/xen-preempt-status" 2>&1)
	rc=$?
	printf '%s\n' "$out" | sed 's/^/# status: /'
	xp_check_num "$config: xen-preempt-status on PV says active and helping (exit status)" "$rc" -eq 0
}

# One create/destroy cycle under configuration $1; returns 3, with no
# check made, if the guest died of the test bed's flake.
cycle() {
	config=$1
	if [ "$config" = module ]; then
		modules_load || { xp_fail "$config: modprobe xen_upcall, kernel_site=1 from modprobe.d"; return; }
	fi
	case $config in module | stock) upcall_cost ;; esac
	xp_kmsg_mark
	trace_start
	free0=$(free_mib)
	steal0=$(steal_ms)
	"$XP_DIR/wakeup_latency" -c $CPU -s 100 3600 >/tmp/dom0-lat &
	lat_pid=$!
	: >/tmp/dom0-steal
	steal_pid=
	if [ "${DOM0_TRACE:-0}" = 1 ]; then
		steal_sampler >/tmp/dom0-steal &
		steal_pid=$!
	fi
	sleep 1

	faulted0=$(triple_fault_domains)
	t0=$(ms_now)
	taskset -c $CPU xl create -q "$CFG" >/tmp/dom0-xl 2>&1
	created=$?
	t1=$(ms_now)
	xl list "$NAME" >/dev/null 2>&1
	listed=$?
	sleep "${DOM0_GUEST_SECONDS:-5}"
	t2=$(ms_now)
	taskset -c $CPU xl destroy "$NAME" >>/tmp/dom0-xl 2>&1
	destroyed=$?
	t3=$(ms_now)
	if [ "$created$listed$destroyed" != 000 ] && new_triple_fault "$faulted0"; then
		# The guest died by itself, of the test bed's known QEMU flake
		# (tools/xoq/README.md); xl's own daemon destroyed it.  Xen's
		# view of the fault, for whoever reads the log.
		xl dmesg | grep -E 'Triple fault|RIP: |cr2: ' | tail -n 3 | sed "s/^/# $config: /"
		wait_free "$free0" >/dev/null
		kill -TERM $lat_pid ${steal_pid:+$steal_pid}
		wait $lat_pid ${steal_pid:+$steal_pid}
		trace_stop "$config:"
		[ "$config" = module ] && modules_unload
		return 3
	fi

	free1=$(wait_free "$free0")
	sleep 1
	kill -TERM $lat_pid ${steal_pid:+$steal_pid}
	wait $lat_pid ${steal_pid:+$steal_pid}
	lat=$(tail -n 1 /tmp/dom0-lat)
	trace_stop "$config:"
	steal=$(($(steal_ms) - steal0))
	# When the stalls were, against the xl steps (ms since boot).
	xp_info "$config: xl create $t0..$t1, destroy $t2..$t3 ms; CPU$CPU stolen by Xen: $steal ms"
	if [ -s /tmp/dom0-steal ]; then
		steal_during /tmp/dom0-steal /tmp/dom0-lat
	else
		grep '^stall' /tmp/dom0-lat
	fi | sed "s/^/# $config: /"
	lockups=$(xp_dmesg_since_mark | grep -c 'soft lockup')
	mem_ok=0
	[ "${free1:-0}" -ge "$free0" ] && mem_ok=1

	# shellcheck disable=SC2086 # "samples N max_us N p99_us N median_us N hist US:N,..."
	set -- $lat
	max_us=$4
	echo "$config $max_us" >>/tmp/dom0-worst
	echo "BENCH dom0 config=$config preempt=$PREEMPT create_ms=$((t1 - t0)) destroy_ms=$((t3 - t2)) max_us=$max_us p99_us=$6 median_us=$8 samples=$2 lockups=$lockups free_before=$free0 free_after=$free1 mem_ok=$mem_ok steal_ms=$steal hist=${10:-}"
	sed 's/^/# xl: /' /tmp/dom0-xl

	xp_check "$config: xl create of a PVH guest" [ "$created$listed" = 00 ]
	xp_check "$config: xl destroy" [ "$destroyed" = 0 ]
	xp_check "$config: the guest's memory is back (free $free0 -> $free1 MiB)" [ "$mem_ok" = 1 ]
	if [ "$config" = module ]; then
		sed 's/^/# kernel_site: /' "$KS"
		xp_check_dmesg_clean
		xp_check_num "$config: max wake-up lateness of a task on CPU$CPU, ms" \
			"$((max_us / 1000))" -lt "$MAX_MS"
		# Per-CPU lines: cpu hits after resched_requested resched_done.
		hits=$(awk '$1 ~ /^[0-9]+$/ { s += $2 + $3 } END { print s + 0 }' "$KS")
		done=$(awk '$1 ~ /^[0-9]+$/ { s += $5 } END { print s + 0 }' "$KS")
		xp_check_num "$config: interrupts on or right after the kernel's hypercall instruction" "$hits" -gt 0
		xp_check_num "$config: tasks rescheduled there" "$done" -gt 0
		xp_check_num "$config: flag invariant violations" "$(cat "$XP_HCALL_DEBUGFS/violations")" -eq 0
		[ "$GUEST_TYPE" != PV ] || status_active
		modules_unload || xp_fail "$config: unload the modules"
	else
		xp_info "$config: $lockups soft lockups"
	fi
	return 0
}

preempt_mode() {
	sed -n 's/.*(\([a-z]*\)).*/\1/p' /sys/kernel/debug/sched/preempt 2>/dev/null
}

PREEMPT=$(preempt_mode)
xp_info "dom0: $(uname -r) ($GUEST_TYPE), $(xp_online_cpus) vCPUs, preemption ${PREEMPT:-unknown}; guest: $(grep -E '^(memory|vcpus)' "$CFG" | tr '\n' ' ')"
# The median of the values of configuration $1 in file $2 ("CONFIG VALUE"
# lines).
median_of() {
	awk -v c="$1" '$1 == c { print $2 }' "$2" | sort -n |
		awk '{ v[NR] = $1 } END { if (NR) print NR % 2 ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

# The smallest value of configuration $1 in file $2: the cost of a block
# of event round trips, as noise on the test bed only ever adds time.
fastest_of() {
	awk -v c="$1" '$1 == c { print $2 }' "$2" | sort -n | head -n 1
}

# The median of the per-cycle worst wake-ups (us) of configuration $1.
median_worst() {
	median_of "$1" /tmp/dom0-worst
}

gate() {
	[ "${DOM0_GATE:-0}" = 1 ] || return 0
	m=$(median_worst module)
	s=$(median_worst stock)
	f=$(median_worst full)
	if [ -z "$m" ] || [ -z "$s" ] || [ -z "$f" ]; then
		xp_fail "gate: cycles of module, stock and full (medians: '${m}' '${s}' '${f}' us)"
		return
	fi
	xp_info "median per-cycle worst wake-up: stock $s us, module $m us, full $f us"
	xp_check "median per-cycle worst: module ($m us) at most twice full ($f us)" \
		[ "$m" -le $((f * 2)) ]
	xp_check "negative control: stock ($s us) at least 10 times module ($m us)" \
		[ "$s" -ge $((m * 10)) ]
	[ "$GUEST_TYPE" = PV ] || return 0
	m=$(fastest_of module /tmp/dom0-upcall)
	s=$(fastest_of stock /tmp/dom0-upcall)
	if [ -z "$m" ] || [ -z "$s" ]; then
		xp_fail "gate: event round trips measured with and without the module (fastest blocks: '${m}' '${s}' ns)"
		return
	fi
	xp_check "fastest block's event round trip: module ($m ns) at most 1.1 times stock ($s ns)" \
		[ $((m * 10)) -le $((s * 11)) ]
}

: >/tmp/dom0-worst
: >/tmp/dom0-upcall
case " $CONFIGS " in
*" module "*) [ "$GUEST_TYPE" != PV ] || pv_refusals ;;
esac
if [ "$GUEST_TYPE" = PV ] && [ "${DOM0_GATE:-0}" = 1 ]; then
	xp_unload_leftovers xup_test
	insmod "$XP_DIR/modules/xup_test.ko" cpu_a=0 cpu_b=0 ||
		xp_fail "PV: load xup_test.ko (a loopback event pair on CPU0)"
fi
for c in $CONFIGS; do
	if [ "$c" = full ] && [ "$PREEMPT" != full ]; then
		echo full >/sys/kernel/debug/sched/preempt 2>/dev/null
		PREEMPT=$(preempt_mode)
		[ "$PREEMPT" = full ] || xp_bail "cannot switch to full preemption (debugfs sched/preempt: ${PREEMPT:-none})"
		xp_info "switched to full preemption at run time"
	fi
	for attempt in 1 2; do
		if [ "$c" = unload ]; then
			unload_cycle
		else
			cycle "$c"
		fi
		[ $? = 3 ] || continue 2
		# For make bench: the flake's rate, per configuration of dom0.
		echo "BENCH dom0_guest_fault config=$c preempt=$PREEMPT"
		[ "$attempt" = 2 ] ||
			xp_info "$c: the guest triple faulted by itself (the test bed's QEMU flake?): cycle repeated once"
	done
	xp_fail "$c: a complete create/destroy cycle (the guest triple faulted in both attempts)"
done
gate
xp_module_gone xup_test || rmmod xup_test
xp_exit
