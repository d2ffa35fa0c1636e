# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Helpers of the xen_upcall selftests, on top of lib.sh.

XP_UPCALL_DEBUGFS=/sys/kernel/debug/xen_upcall
XP_PINGPONG=/sys/kernel/debug/xup_test/pingpong

# Loads xen_hcall, xen_upcall and the ping-pong test module, in that order.
xp_load_upcall() {
	xp_unload_leftovers xup_test xhc_test xen_upcall xen_hcall
	for xp_m in xen_hcall xen_upcall xup_test; do
		xp_ko=$(xp_module_file $xp_m) || xp_bail "$xp_m.ko not found in $XP_DIR"
		insmod "$xp_ko" || xp_bail "insmod $xp_m.ko"
	done
}

# Tests that switch vectors or fake a disabled LAPIC need the debugfs test
# hooks, which only the selftests' build of xen_upcall.ko has (make
# XEN_PREEMPT_TEST_HOOKS=1; tools/check builds that).  Call after
# xp_load_upcall: without them, unloads and skips.
xp_require_test_hooks() {
	[ -e "$XP_UPCALL_DEBUGFS/reregister" ] && return 0
	rmmod xup_test xen_upcall xen_hcall 2>/dev/null
	xp_skip "xen_upcall.ko has no test hooks: build it with make XEN_PREEMPT_TEST_HOOKS=1"
}

# Column NAME of CPU's line in xen_upcall's stats file, or in FILE, a copy.
xp_upcall_stat() {
	awk -v c="$1" -v cpu="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) col = i; next }
		$1 == cpu && col { print $col }' "${3:-$XP_UPCALL_DEBUGFS/stats}"
}

# Runs ROUNDS ping-pong round trips; one check that none was lost.
xp_check_pingpong() {
	echo "$1" >"$XP_PINGPONG" || { xp_fail "ping-pong $1 ($2): write failed"; return; }
	xp_pp=$(cat "$XP_PINGPONG")
	xp_info "ping-pong ($2): $xp_pp"
	# shellcheck disable=SC2086 # split the "name value" pairs
	set -- "$1" "$2" $xp_pp
	# $3..$10: rounds N sent N received N ns_per_round N
	if [ "$4" = "$1" ] && [ "$6" = $(($1 * 2)) ] && [ "$8" = "$6" ]; then
		xp_pass "ping-pong $1 round trips ($2): all $6 events received"
	else
		xp_fail "ping-pong $1 round trips ($2): sent $6 of $(($1 * 2)), received $8"
	fi
}

# Online CPUs, one per line.
xp_online_cpu_list() {
	for xp_c in /sys/devices/system/cpu/cpu[0-9]*; do
		xp_n=${xp_c##*cpu}
		if [ ! -e "$xp_c/online" ] || [ "$(cat "$xp_c/online")" = 1 ]; then
			echo "$xp_n"
		fi
	done
}

# CPU's interrupts in the rows of /proc/interrupts that match PATTERN (an
# awk regular expression), summed; 0 if none matches.  The column comes
# from the header, which lists only the online CPUs.
xp_irq_count() {
	awk -v cpu="CPU$1" -v pat="$2" 'NR == 1 {
		for (i = 1; i <= NF; i++) if ($i == cpu) col = i + 1
		next
	} col && $0 ~ pat { n += $col } END { print n + 0 }' /proc/interrupts
}

# CPU's count of upcalls through the kernel's own vector (the HYP line of
# /proc/interrupts: "Hypervisor callback interrupts").
xp_hyp_count() {
	xp_irq_count "$1" '^ *HYP:'
}

# CPU's count of upcalls through xen_upcall's vectors, as the kernel's IRQ
# core counted them (the xen-upcall rows; 0 once the module is unloaded).
xp_ours_count() {
	xp_irq_count "$1" ' xen-upcall$'
}

# The guest's domain ID (xenstore "domid"; it changes on restore).
xp_domid() {
	"$XP_DIR/xs_read" domid
}

# Asks the host to find, in Xen's log, Xen's record of the registration of
# VECTOR (hex, no 0x) for vCPU CPU by this domain (tools/check,
# check_xen_log): "dDvN: upcall vector XX", at least COUNT times (default 1).
xp_expect_xen_log() {
	echo "# xen-log-expect: ${3:+${3}x }d$(xp_domid)v$1: upcall vector $2"
}

# The IRQ of end B of xup_test's loopback pair (the end on cpu_b).
xp_pingpong_irq_b() {
	awk -F: '/xup_test-b/ { gsub(/ /, "", $1); print $1 }' /proc/interrupts
}

# Sequence number the next entry of xen_upcall's registrations log gets.
xp_registrations_next() {
	awk 'END { print $1 + 1 }' "$XP_UPCALL_DEBUGFS/registrations"
}

# Registrations logged from sequence number SEQ on whose APIC_SPIV has
# bit 8 (LAPIC software-enabled) clear; CPU, if given, only that CPU's.
xp_registrations_unsafe() {
	awk -v s="$1" -v cpu="${2:-}" 'NR > 1 && $1 >= s &&
		(cpu == "" || $2 == cpu) && and($4 + 0, 256) == 0' \
		"$XP_UPCALL_DEBUGFS/registrations" | wc -l
}

# Asks the host to find, in the order Xen logged them for this domain's
# vCPU CPU, the upcall vectors VECTORS (hex, no 0x; "XX+": one or more
# times in a row) as a run; a first "^": the first the domain registered
# for that vCPU (tools/check, check_xen_log_vectors).
xp_expect_xen_vectors() {
	echo "# xen-log-expect-vectors: d$(xp_domid)v$1: $2"
}

# One offline/online cycle of CPU (first argument) with xen_upcall and
# xup_test loaded; IRQ_B (second) is xp_pingpong_irq_b.  End B is moved
# back to CPU, whose vector must be xen_upcall's again, and 200 round trips
# run through it.  The round trips run between the transitions, not across
# them: an event in flight to a CPU while it goes offline can be lost by
# the kernel's event core even without xen_upcall (seen on this test bed
# with the stock kernel), which is not what the tests are about.
# Increments xp_hp_failed (a transition failed or left CPU on the kernel's
# vector), xp_hp_lossy (the round trips lost events) and xp_hp_not_ours
# (Xen delivered the round trips' events to CPU through the kernel's
# vector, or not through ours: the module's record can say otherwise).
xp_hp_failed=0
xp_hp_lossy=0
xp_hp_not_ours=0
xp_hotplug_cycle() {
	xp_hp_cpu=$1
	xp_online=/sys/devices/system/cpu/cpu$1/online
	echo 0 >"$xp_online" || xp_hp_failed=$((xp_hp_failed + 1))
	echo 1 >"$xp_online" || xp_hp_failed=$((xp_hp_failed + 1))
	echo "$1" >/proc/irq/"$2"/smp_affinity_list ||
		xp_hp_failed=$((xp_hp_failed + 1))
	xp_vec=$(xp_upcall_stat vector "$xp_hp_cpu")
	if [ "$xp_vec" = 0xf3 ]; then
		# A registration may be deferred for a moment; never skipped.
		sleep 0.2
		xp_vec=$(xp_upcall_stat vector "$xp_hp_cpu")
	fi
	[ "$xp_vec" != 0xf3 ] || xp_hp_failed=$((xp_hp_failed + 1))
	xp_hp_hyp=$(xp_hyp_count "$xp_hp_cpu")
	xp_hp_ours=$(xp_ours_count "$xp_hp_cpu")
	echo 200 >"$XP_PINGPONG"
	xp_hp_hyp=$(($(xp_hyp_count "$xp_hp_cpu") - xp_hp_hyp))
	xp_hp_ours=$(($(xp_ours_count "$xp_hp_cpu") - xp_hp_ours))
	if [ "$xp_hp_hyp" -ne 0 ] || [ "$xp_hp_ours" -eq 0 ]; then
		xp_hp_not_ours=$((xp_hp_not_ours + 1))
		xp_info "CPU $xp_hp_cpu after online: upcalls during 200 round trips: $xp_hp_ours through xen_upcall's vector, $xp_hp_hyp through the kernel's"
	fi
	# rounds N sent N received N ns_per_round N
	# shellcheck disable=SC2046 # split the "name value" pairs
	set -- $(cat "$XP_PINGPONG")
	if [ "$4" != 400 ] || [ "$6" != 400 ]; then
		xp_hp_lossy=$((xp_hp_lossy + 1))
		xp_info "CPU $xp_hp_cpu: $*"
	fi
}

# "CPU count" lines: every online CPU's upcalls through the kernel's vector.
xp_hyp_snapshot() {
	for xp_c in $(xp_online_cpu_list); do
		echo "$xp_c $(xp_hyp_count "$xp_c")"
	done
}

# Waits up to 5 s until every CPU of SNAPSHOT (xp_hyp_snapshot) has taken
# an upcall through the kernel's vector since; status 1 if one has not.
xp_hyp_rose_since() {
	xp_i=0
	while [ $xp_i -lt 50 ]; do
		xp_hyp_snapshot | awk -v was="$(echo "$1" | tr '\n' ' ')" 'BEGIN {
			n = split(was, f, " ")
			for (i = 1; i < n; i += 2) w[f[i]] = f[i + 1]
		} $2 <= w[$1] { stale = 1 } END { exit stale }' && return 0
		sleep 0.1
		xp_i=$((xp_i + 1))
	done
	return 1
}

# Checks on every online CPU that xen_upcall's vector is registered (not
# the kernel's 0xf3) with the LAPIC enabled, and asks the host to find the
# registration in Xen's log ("dNvM: upcall vector XX", tools/check).
# LABEL (first argument) goes into the check names.
xp_check_own_vectors() {
	for xp_c in $(xp_online_cpu_list); do
		xp_vec=$(xp_upcall_stat vector "$xp_c")
		case $xp_vec in
		'' | 0 | 0x0 | 0xf3)
			xp_fail "CPU$xp_c: own vector, not the kernel's 0xf3 ($1; got '$xp_vec')"
			;;
		*) xp_pass "CPU$xp_c: own vector $xp_vec, not the kernel's 0xf3 ($1)" ;;
		esac
		xp_spiv=$(xp_upcall_stat spiv "$xp_c")
		xp_check "CPU$xp_c: registered with APIC_SPIV $xp_spiv (LAPIC enabled)" \
			[ $((xp_spiv & 0x100)) -ne 0 ]
		xp_expect_xen_log "$xp_c" "${xp_vec#0x}"
	done
}

# Which vector Xen really delivers to, per vCPU, seen from the guest: for
# each online CPU, end B of xup_test's loopback pair is bound there (Xen
# then sends B's events to that vCPU), 50 round trips run, and the
# kernel's IRQ counts of that CPU say through which vector they came.
# WANT "ours": xen_upcall's rose and the kernel's (HYP) did not; "kernel":
# HYP rose and no xen-upcall row counted any (after an unload).  Every
# event must arrive.  One check per CPU, LABEL in its name; end B goes
# back to CPU 1 (xup_test's cpu_b) at the end.
xp_check_delivery() {
	xp_dl_label=$1
	xp_dl_want=$2
	xp_dl_irq=$(xp_pingpong_irq_b)
	for xp_c in $(xp_online_cpu_list); do
		xp_dl_name="CPU$xp_c: Xen delivers its events through the $xp_dl_want vector ($xp_dl_label)"
		if ! echo "$xp_c" >/proc/irq/"$xp_dl_irq"/smp_affinity_list; then
			xp_fail "$xp_dl_name: cannot bind end B (IRQ '$xp_dl_irq') to CPU $xp_c"
			continue
		fi
		xp_dl_hyp=$(xp_hyp_count "$xp_c")
		xp_dl_ours=$(xp_ours_count "$xp_c")
		echo 50 >"$XP_PINGPONG"
		xp_dl_hyp=$(($(xp_hyp_count "$xp_c") - xp_dl_hyp))
		xp_dl_ours=$(($(xp_ours_count "$xp_c") - xp_dl_ours))
		# rounds N sent N received N ns_per_round N
		# shellcheck disable=SC2046 # split the "name value" pairs
		set -- $(cat "$XP_PINGPONG")
		xp_dl_seen="$6 of 100 events, upcalls: $xp_dl_ours through xen_upcall's vector, $xp_dl_hyp through the kernel's"
		xp_dl_ok=0
		case $xp_dl_want:$6 in
		ours:100) [ "$xp_dl_hyp" -eq 0 ] && [ "$xp_dl_ours" -gt 0 ] && xp_dl_ok=1 ;;
		kernel:100) [ "$xp_dl_hyp" -gt 0 ] && [ "$xp_dl_ours" -eq 0 ] && xp_dl_ok=1 ;;
		esac
		if [ "$xp_dl_ok" = 1 ]; then
			xp_pass "$xp_dl_name: $xp_dl_seen"
		else
			xp_fail "$xp_dl_name: $xp_dl_seen"
		fi
	done
	echo 1 >/proc/irq/"$xp_dl_irq"/smp_affinity_list ||
		xp_fail "end B (IRQ $xp_dl_irq) back to CPU 1"
}

# "CPU upcalls-through-ours upcalls-through-the-kernel's" per online CPU.
xp_upcall_snapshot() {
	for xp_c in $(xp_online_cpu_list); do
		echo "$xp_c $(xp_upcall_stat upcalls "$xp_c") $(xp_hyp_count "$xp_c")"
	done
}

# The same from the kernel's IRQ counts (xp_ours_count, xp_hyp_count).
xp_upcall_irq_snapshot() {
	for xp_c in $(xp_online_cpu_list); do
		echo "$xp_c $(xp_ours_count "$xp_c") $(xp_hyp_count "$xp_c")"
	done
}

# Timer ticks alone reach every CPU through xen_upcall's vector within a
# second, and none of them through the kernel's: one check of each per CPU.
xp_check_upcalls_ours() {
	xp_before=$(xp_upcall_snapshot)
	sleep 1
	while read -r xp_c xp_ours xp_hyp; do
		xp_was=$(echo "$xp_before" | awk -v c="$xp_c" '$1 == c { print $2, $3 }')
		xp_check "CPU$xp_c: upcalls through our vector rise within 1 s (${xp_was% *} -> $xp_ours)" \
			[ "$xp_ours" -gt "${xp_was% *}" ]
		xp_check_num "CPU$xp_c: upcalls through the kernel's vector meanwhile" \
			$((xp_hyp - ${xp_was#* })) -eq 0
	done <<EOF_SNAPSHOT
$(xp_upcall_snapshot)
EOF_SNAPSHOT
}
