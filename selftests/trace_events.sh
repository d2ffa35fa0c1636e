#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The trace events of xen_hcall and xen_upcall, through tracefs: each is
# triggered by what it reports and must fire with fields that agree with
# the modules' own counters over the same window.
#
#   upcalls       ping-pong through the loopback pair: xen_upcall_handled
#   rescheduling  a long preemptible hypercall on CPU 0 with a competitor:
#                 xen_hcall_preempted / xen_hcall_resumed, and
#                 xen_upcall_handled with resched=1
#   lost edge     an event made pending across a vector switch on CPU 1:
#                 xen_upcall_lost_edge with evtchn_upcall_pending=1
#   deferral      the same switch, where the registration sees the LAPIC
#                 disabled (debugfs hook): xen_upcall_defer, then the retry
#   hotplug       CPU 1 offline and online: xen_upcall_register, both ways

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=upcall_lib.sh
. "$(dirname "$0")/upcall_lib.sh"

TRACEFS=/sys/kernel/tracing
BENCH=/sys/kernel/debug/xhc_bench/memop
CPU=1
CYCLES=3
MIB=${MIB:-64}
# The ring buffer per CPU while the test runs (KiB): no event may be lost.
BUFFER_KB=4096

xp_require_root
xp_require_xen
[ -d "$TRACEFS/events" ] || mount -t tracefs nodev "$TRACEFS" 2>/dev/null
[ -w "$TRACEFS/trace" ] || xp_skip "tracefs is not available at $TRACEFS"
[ -d /sys/devices/system/cpu/cpu$CPU ] || xp_skip "needs 2 vCPUs"

tmp=$(mktemp -d /tmp/trace_events.XXXXXX) || xp_bail "mktemp"
lost=0

tr_start() {
	echo 0 >"$TRACEFS/tracing_on"
	: >"$TRACEFS/trace"
	echo 1 >"$TRACEFS/tracing_on"
}

# tr_stop FILE: stops tracing and keeps what was recorded; counts the
# events the ring buffer overwrote or dropped.
tr_stop() {
	echo 0 >"$TRACEFS/tracing_on"
	cat "$TRACEFS/trace" >"$1"
	for s in "$TRACEFS"/per_cpu/cpu*/stats; do
		n=$(awk '$1 == "overrun:" || $1 == "dropped" { s += $NF }
			END { print s + 0 }' "$s")
		lost=$((lost + n))
	done
}

# tr_count FILE EVENT [CONDITION]: number of EVENT's records in FILE for
# which the awk CONDITION holds.  CONDITION sees the event's fields as
# f["name"] and the CPU that recorded it as tcpu.
tr_count() {
	awk -v ev="$2:" '
	{
		for (i = 1; i <= NF && $i != ev; i++)
			if ($i ~ /^\[[0-9]+\]$/)
				tcpu = substr($i, 2, length($i) - 2) + 0
		if (i > NF)
			next
		for (k in f)
			delete f[k]
		for (i++; i <= NF; i++) {
			split($i, kv, "=")
			f[kv[1]] = kv[2]
		}
	}
	'"${3:-1}"' { n++ }
	END { print n + 0 }' "$1"
}

# tr_check DESCRIPTION FILE EVENT CONDITION OP LIMIT
tr_check() {
	xp_check_num "$1" "$(tr_count "$2" "$3" "$4")" "$5" "$6"
}

xp_kmsg_mark
xp_load_upcall
xp_require_test_hooks
ko=$(xp_module_file xhc_bench) || xp_bail "xhc_bench.ko not found in $XP_DIR"
insmod "$ko" || xp_bail "insmod xhc_bench.ko"

for ev in xen_hcall/xen_hcall_preempted:op,cpu,user,stub \
	xen_hcall/xen_hcall_resumed:op,prev_cpu,cpu,user \
	xen_upcall/xen_upcall_handled:cpu,vector,events,resched \
	xen_upcall/xen_upcall_register:cpu,vector,spiv,ret \
	xen_upcall/xen_upcall_defer:cpu,spiv \
	xen_upcall/xen_upcall_lost_edge:cpu,vector,pending; do
	fmt=$TRACEFS/events/${ev%%:*}/format
	missing=
	for field in $(echo "${ev#*:}" | tr , ' '); do
		grep -q "field:.* $field;" "$fmt" 2>/dev/null ||
			missing="$missing $field"
	done
	xp_check_same "event ${ev%%:*} exists with its fields${missing:+ (missing:$missing)}" \
		"${missing:-none}" none
done

# "1408", or "7 (expanded: 1408)" while the buffer was never used.
buffer_kb=$(sed 's/.*expanded: \([0-9]*\).*/\1/' "$TRACEFS/buffer_size_kb")
echo "$BUFFER_KB" >"$TRACEFS/buffer_size_kb"
echo 1 >"$TRACEFS/events/xen_hcall/enable"
echo 1 >"$TRACEFS/events/xen_upcall/enable"

# --- upcalls --------------------------------------------------------------
tr_start
cp "$XP_UPCALL_DEBUGFS/stats" "$tmp/stats0"
xp_check_pingpong 1000 "traced"
cp "$XP_UPCALL_DEBUGFS/stats" "$tmp/stats1"
tr_stop "$tmp/upcalls"
for c in $(xp_online_cpu_list); do
	counted=$(($(xp_upcall_stat upcalls "$c" "$tmp/stats1") -
		   $(xp_upcall_stat upcalls "$c" "$tmp/stats0")))
	vec=$(xp_upcall_stat vector "$c")
	tr_check "CPU $c: xen_upcall_handled for each of the $counted upcalls counted" \
		"$tmp/upcalls" xen_upcall_handled "tcpu == $c" -ge "$counted"
	tr_check "CPU $c: xen_upcall_handled with cpu or vector not $c/$vec" \
		"$tmp/upcalls" xen_upcall_handled \
		"tcpu == $c && (f[\"cpu\"] != $c || f[\"vector\"] != \"$vec\" ||
		 f[\"events\"] !~ /^[01]\$/ || f[\"resched\"] !~ /^[01]\$/)" -eq 0
done
tr_check "xen_upcall_handled on CPU $CPU that found events" \
	"$tmp/upcalls" xen_upcall_handled "tcpu == $CPU && f[\"events\"] == 1" -ge 1

# --- preempted / resumed --------------------------------------------------
mode=$(xp_kv "$XP_HCALL_DEBUGFS/config" preemption)
requested0=$(xp_upcall_stat resched_requested 0)
done0=$(xp_stat_sum resched_done)
tr_start
taskset -c 0 sh -c 'while :; do usleep 1000; done' &
competitor=$!
sleep 0.5
rc=0
echo "module $MIB 1 0" >"$BENCH" || rc=1
kill "$competitor"
wait "$competitor" 2>/dev/null
requested=$(($(xp_upcall_stat resched_requested 0) - requested0))
done=$(($(xp_stat_sum resched_done) - done0))
tr_stop "$tmp/hcall"
xp_check_num "memop of $MIB MiB on CPU 0 with a competitor (write status)" "$rc" -eq 0

# __HYPERVISOR_memory_op from the kernel site, by a thread bound to CPU 0.
memop='f["op"] == 12 && f["site"] == "kernel"'
preempted=$(tr_count "$tmp/hcall" xen_hcall_preempted)
xp_check_num "xen_hcall_preempted fired" "$preempted" -ge 1
tr_check "xen_hcall_preempted not op=12 site=kernel cpu=0" "$tmp/hcall" \
	xen_hcall_preempted "!($memop && f[\"cpu\"] == 0 && tcpu == 0)" -eq 0
tr_check "xen_hcall_resumed once per xen_hcall_preempted" "$tmp/hcall" \
	xen_hcall_resumed 1 -eq "$preempted"
tr_check "xen_hcall_resumed not op=12 site=kernel prev_cpu=0 cpu=0" \
	"$tmp/hcall" xen_hcall_resumed \
	"!($memop && f[\"prev_cpu\"] == 0 && f[\"cpu\"] == 0 && tcpu == 0)" -eq 0
if xp_kernel_preempts "$mode"; then
	xp_info "preemption $mode: the kernel preempts at interrupt exit, the stub is unused"
	tr_check "xen_hcall_preempted by the stub under preemption $mode" \
		"$tmp/hcall" xen_hcall_preempted 'f["stub"] == 1' -eq 0
else
	tr_check "xen_hcall_preempted by the stub, at least once per reschedule done ($done)" \
		"$tmp/hcall" xen_hcall_preempted 'f["stub"] == 1' -ge "$((done > 0 ? done : 1))"
	tr_check "xen_upcall_handled with resched=1 on CPU 0 for each of the $requested requested" \
		"$tmp/hcall" xen_upcall_handled \
		'tcpu == 0 && f["resched"] == 1' -ge "$((requested > 0 ? requested : 1))"
fi

# --- lost edge ------------------------------------------------------------
port=$(cat /sys/kernel/debug/xup_test/send_port)
rec0=$(xp_upcall_stat recoveries $CPU)
tr_start
for round in 1 2 3; do
	echo "$CPU $port" >"$XP_UPCALL_DEBUGFS/reregister" ||
		xp_fail "reregister CPU $CPU with port $port (round $round)"
done
sleep 0.2
rec=$(($(xp_upcall_stat recoveries $CPU) - rec0))
tr_stop "$tmp/lost_edge"
vec=$(xp_upcall_stat vector $CPU)
tr_check "xen_upcall_lost_edge with evtchn_upcall_pending=1 on CPU $CPU, one per recovery ($rec)" \
	"$tmp/lost_edge" xen_upcall_lost_edge \
	"tcpu == $CPU && f[\"evtchn_upcall_pending\"] == 1" -eq "$rec"
xp_check_num "lost-edge recoveries on CPU $CPU" "$rec" -ge 3
tr_check "xen_upcall_lost_edge with cpu not $CPU or vector not 0xf3/$vec" \
	"$tmp/lost_edge" xen_upcall_lost_edge \
	"f[\"cpu\"] != tcpu || (f[\"vector\"] != \"0xf3\" && f[\"vector\"] != \"$vec\")" -eq 0

# --- deferral -------------------------------------------------------------
def0=$(xp_upcall_stat deferrals $CPU)
reg0=$(xp_upcall_stat registrations $CPU)
tr_start
echo $CPU >"$XP_UPCALL_DEBUGFS/defer" || xp_fail "defer CPU $CPU"
sleep 0.2
deferred=$(($(xp_upcall_stat deferrals $CPU) - def0))
registered=$(($(xp_upcall_stat registrations $CPU) - reg0))
tr_stop "$tmp/defer"
tr_check "xen_upcall_defer on CPU $CPU, one per deferral ($deferred)" \
	"$tmp/defer" xen_upcall_defer "tcpu == $CPU && f[\"cpu\"] == $CPU" \
	-eq "$deferred"
xp_check_num "deferrals of CPU $CPU" "$deferred" -ge 1
tr_check "xen_upcall_defer with SPIV bit 8 (LAPIC enabled) set" \
	"$tmp/defer" xen_upcall_defer 'f["spiv"] == "" || and(f["spiv"] + 0, 256)' -eq 0
tr_check "xen_upcall_register of the retry on CPU $CPU ($registered registration)" \
	"$tmp/defer" xen_upcall_register \
	"tcpu == $CPU && f[\"vector\"] != \"0xf3\" && f[\"apic_enabled\"] == 1 && f[\"ret\"] == 0" \
	-eq "$registered"
xp_check_num "registrations of CPU $CPU after the deferral" "$registered" -eq 1

# --- registration, CPU hotplug --------------------------------------------
online=/sys/devices/system/cpu/cpu$CPU/online
if [ -w "$online" ]; then
	reg0=$(xp_upcall_stat registrations $CPU)
	tr_start
	i=0
	while [ $i -lt $CYCLES ]; do
		i=$((i + 1))
		echo 0 >"$online" || xp_fail "CPU $CPU offline (cycle $i)"
		echo 1 >"$online" || xp_fail "CPU $CPU online (cycle $i)"
	done
	sleep 0.2
	registered=$(($(xp_upcall_stat registrations $CPU) - reg0))
	tr_stop "$tmp/hotplug"
	vec=$(xp_upcall_stat vector $CPU)
	ours="tcpu == $CPU && f[\"cpu\"] == $CPU && f[\"vector\"] != \"0xf3\" && f[\"ret\"] == 0"
	tr_check "xen_upcall_register of xen_upcall's vector on CPU $CPU, one per registration ($registered)" \
		"$tmp/hotplug" xen_upcall_register "$ours" -eq "$registered"
	xp_check_num "registrations of CPU $CPU in $CYCLES cycles" "$registered" -ge $CYCLES
	tr_check "xen_upcall_register of xen_upcall's vector with the LAPIC disabled" \
		"$tmp/hotplug" xen_upcall_register \
		"$ours && (f[\"apic_enabled\"] != 1 || !and(f[\"spiv\"] + 0, 256))" -eq 0
	last=$(awk -v c="[$(printf %03d $CPU)]" \
		'$0 ~ /xen_upcall_register:/ && index($0, c) && !/vector=0xf3 / {
			v = $0; sub(/.*vector=/, "", v); sub(/ .*/, "", v) }
		END { print v }' "$tmp/hotplug")
	xp_check_same "the last xen_upcall_register of CPU $CPU has its current vector ($vec)" \
		"$last" "$vec"
	tr_check "xen_upcall_register of the kernel's vector 0xf3 on CPU $CPU, one per offline" \
		"$tmp/hotplug" xen_upcall_register \
		"tcpu == $CPU && f[\"vector\"] == \"0xf3\" && f[\"ret\"] == 0" -eq $CYCLES
	tr_check "xen_upcall_lost_edge on CPU $CPU after each registration" \
		"$tmp/hotplug" xen_upcall_lost_edge "tcpu == $CPU" \
		-eq $((registered + CYCLES))
else
	xp_fail "CPU $CPU cannot be taken offline: registration on CPU online not traced"
fi

xp_check_num "events the ring buffer overwrote or dropped" "$lost" -eq 0

echo 0 >"$TRACEFS/events/xen_hcall/enable"
echo 0 >"$TRACEFS/events/xen_upcall/enable"
echo "$buffer_kb" >"$TRACEFS/buffer_size_kb"
echo 1 >"$TRACEFS/tracing_on"
rm -rf "$tmp"
rmmod xhc_bench
rmmod xup_test
xp_check "rmmod xen_upcall" rmmod xen_upcall
xp_check "rmmod xen_hcall" rmmod xen_hcall
xp_check_dmesg_clean
xp_exit
