/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Userspace ABI of xen_hcall.ko.
 *
 * The device speaks the privcmd hypercall ABI unchanged, so a toolstack can
 * point its hypercall path at it: IOCTL_PRIVCMD_HYPERCALL with a
 * struct privcmd_hypercall, both from <xen/privcmd.h>.  The hypercall runs
 * through the module's preemptible path.  The ioctl returns Xen's result
 * (a negative result is reported as -1 with errno set to its magnitude).
 *
 * Opening the device requires CAP_SYS_ADMIN.
 *
 * From userspace, <xen/privcmd.h> as the kernel installs it includes
 * <xen/interface/xen.h>, which the kernel does not install: provide its two
 * types (domid_t, xen_pfn_t) as selftests/include/ does, or use Xen's
 * public headers.
 */
#ifndef _UAPI_XEN_PREEMPT_HCALL_H
#define _UAPI_XEN_PREEMPT_HCALL_H

#include <xen/privcmd.h>

#define XEN_HCALL_DEVICE	"/dev/xen/hcall"

/* Xen's hypercall table has this many slots; a larger op gets EINVAL. */
#define XEN_HCALL_NR_OPS	64

#endif /* _UAPI_XEN_PREEMPT_HCALL_H */
