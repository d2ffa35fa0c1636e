#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Loads that must be refused, each with an errno and a kernel log line that
# says why, leaving the system as it was (same modules, IRQs, devices and
# debugfs directories; events still arrive through the kernel's vector):
#  - xen_upcall.ko without xen_hcall.ko: ENOENT, "Unknown symbol xhc_...";
#  - xen_hcall.ko with a value its parameter does not take: EINVAL, a line
#    naming the parameter.
# Not here: the refusal under a Xen without per-vCPU upcall vectors (the
# test bed's Xen always offers them, and xl cannot hide Xen's own CPUID
# leaves), and under an HVM guest booted with xen_nopv (nonxen_refuse.sh,
# in the boot that does that).

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=upcall_lib.sh
. "$(dirname "$0")/upcall_lib.sh"

xp_require_root
xp_require_xen
hcall_ko=$(xp_module_file xen_hcall) || xp_bail "xen_hcall.ko not found"
upcall_ko=$(xp_module_file xen_upcall) || xp_bail "xen_upcall.ko not found"
xp_unload_leftovers xhc_bench xup_test xhc_test xen_upcall xen_hcall

# What a refused load must not change.
state() {
	cut -d' ' -f1 /proc/modules | sort
	awk 'NR > 1 { print $1, $NF }' /proc/interrupts
	ls -d /dev/xen/hcall "$XP_HCALL_DEBUGFS" "$XP_UPCALL_DEBUGFS" 2>/dev/null
}

# expect_refusal WHAT ERRNO_TEXT LOG_PATTERN KO [PARAMETERS]: one load
# attempt that must fail with ERRNO_TEXT, log a line matching LOG_PATTERN,
# and change nothing.
expect_refusal() {
	what=$1 want=$2 pattern=$3
	shift 3
	before=$(state)
	hyp=$(xp_hyp_snapshot)
	xp_kmsg_mark
	xp_expect_load_refused "$what" "$want" "$@"
	lines=$(xp_dmesg_since_mark | grep -E "$pattern")
	printf '%s\n' "$lines" | sed -n 's/^/# dmesg: /p'
	xp_check "$what: the kernel log says why" [ -n "$lines" ]
	xp_check_same "$what: modules, IRQs, device and debugfs as before" \
		"$(state)" "$before"
	xp_check "$what: every CPU takes upcalls through the kernel's vector" \
		xp_hyp_rose_since "$hyp"
	xp_check_dmesg_clean
}

expect_refusal "xen_upcall without xen_hcall" "No such file or directory" \
	'xen_upcall: Unknown symbol xhc_' "$upcall_ko"
for value in 2 -1 maybe ''; do
	expect_refusal "xen_hcall resched='$value'" "Invalid argument" \
		"xen_hcall: .*parameter .resched" "$hcall_ko" "resched=$value"
done

xp_exit
