#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Outside Xen (plain QEMU: xoq run --no-xen) xen_hcall.ko must refuse to
# load with ENODEV and say why in one kernel log line.

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

xp_require_root
if xp_is_xen; then
	xp_skip "this is a Xen guest; the test needs a machine without Xen"
fi
hcall_ko=$(xp_module_file xen_hcall) || xp_bail "xen_hcall.ko not found in $XP_DIR"
xp_unload_leftovers xen_hcall
xp_kmsg_mark

xp_expect_load_refused "loading xen_hcall.ko" "No such device (errno 19)" "$hcall_ko"

# The kernel's own notes about loading an unsigned, out-of-tree module
# carry the module's name too; they are not the module's explanation.
lines=$(xp_dmesg_since_mark | grep 'xen_hcall: ' |
	grep -v -e 'taints kernel' -e 'tainting kernel')
n=$(printf '%s' "$lines" | grep -c .)
printf '%s\n' "$lines" | sed -n 's/^/# dmesg: /p'
xp_check_num "one xen_hcall: line in dmesg says why" "$n" -eq 1
xp_check "xen_hcall is not in /proc/modules" xp_module_gone xen_hcall
xp_check_dmesg_clean
xp_exit
