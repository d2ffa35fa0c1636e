#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# xen_hcall.ko cannot be unloaded while a process has /dev/xen/hcall open
# and issues hypercalls through it, and unloads once that process is gone.

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

xp_require_root
xp_require_xen
hcall_ko=$(xp_module_file xen_hcall) || xp_bail "xen_hcall.ko not found in $XP_DIR"
xp_unload_leftovers xhc_test xen_upcall xen_hcall
xp_kmsg_mark
insmod "$hcall_ko" || xp_bail "insmod xen_hcall.ko"

out=$(mktemp)
"$XP_DIR/hcall_loop" -t 120 >"$out" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; rm -f "$out"; exit 1' TERM INT

holds_device() {
	for fd in "/proc/$1/fd/"*; do
		[ "$(readlink "$fd")" = /dev/xen/hcall ] && return 0
	done
	return 1
}

# Wait until it holds the device open.
i=0
while [ "$i" -lt 100 ] && ! holds_device "$pid"; do
	sleep 0.1
	i=$((i + 1))
done
xp_check "hypercall process has /dev/xen/hcall open" holds_device "$pid"
xp_check_num "module reference held by the open file" \
	"$(xp_module_refcnt xen_hcall)" -ge 1

msg=$(rmmod xen_hcall 2>&1)
rc=$?
xp_info "rmmod: ${msg:-succeeded}"
xp_check "rmmod xen_hcall fails while the device is in use" [ "$rc" -ne 0 ]
case $msg in
*"Resource temporarily unavailable"* | *"in use"* | *busy*)
	xp_pass "rmmod reports the module busy"
	;;
*)
	xp_fail "rmmod reports the module busy"
	;;
esac
xp_check "xen_hcall still loaded" xp_module_loaded xen_hcall
sleep 1
xp_check "hypercall process still running" kill -0 "$pid"

kill -TERM "$pid"
wait "$pid"
rc=$?
sed 's/^/#   /' "$out"
rm -f "$out"
xp_check "hypercall process saw only correct results (exit $rc)" [ "$rc" -eq 0 ]
xp_check_num "reference dropped" "$(xp_module_refcnt xen_hcall)" -eq 0
xp_check "rmmod xen_hcall succeeds afterwards" rmmod xen_hcall
xp_check "xen_hcall gone from /proc/modules" xp_module_gone xen_hcall
xp_check_dmesg_clean
xp_exit
