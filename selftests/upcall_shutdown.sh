#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Power-off with xen_upcall loaded: its reboot notifier must give every
# vCPU back to the kernel's vector 0xf3, for whatever runs next (kexec
# goes through the same notifier; the guest has no kexec).  The guest cannot
# see that happen, so this test loads the modules, leaves them loaded for
# the power-off that ends the run (it runs last), and asks the host to
# find 0xf3 as the last upcall vector Xen logged for every vCPU
# ("xen-log-last:", tools/check).  Without the notifier the last one
# would be xen_upcall's.

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=upcall_lib.sh
. "$(dirname "$0")/upcall_lib.sh"

xp_require_root
xp_require_xen
xp_kmsg_mark
xp_load_upcall

xp_check_own_vectors "left loaded for the power-off"
for cpu in $(xp_online_cpu_list); do
	echo "# xen-log-last: v$cpu: upcall vector f3"
done
# The ping-pong module has no part in the power-off.
rmmod xup_test
xp_check_dmesg_clean
xp_info "xen_hcall and xen_upcall stay loaded until the guest powers off"
xp_exit
