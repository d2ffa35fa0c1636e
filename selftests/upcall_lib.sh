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

# Column NAME of CPU's line in xen_upcall's stats file.
xp_upcall_stat() {
	awk -v c="$1" -v cpu="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) col = i; next }
		$1 == cpu && col { print $col }' "$XP_UPCALL_DEBUGFS/stats"
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

# CPU's count of upcalls through the kernel's own vector (the HYP line of
# /proc/interrupts: "Hypervisor callback interrupts").
xp_hyp_count() {
	awk -v col=$(($1 + 2)) '$1 == "HYP:" { print $col }' /proc/interrupts
}
