/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <xen/privcmd.h>, as the kernel installs it for userspace, includes
 * <xen/interface/xen.h>, which the kernel does not install.  privcmd.h only
 * needs these two types from it; the sizes are those of Xen's public ABI on
 * x86-64.
 */
#ifndef _XHC_SELFTEST_XEN_INTERFACE_XEN_H
#define _XHC_SELFTEST_XEN_INTERFACE_XEN_H

#include <linux/types.h>

typedef __u16 domid_t;
typedef __u64 xen_pfn_t;

#endif /* _XHC_SELFTEST_XEN_INTERFACE_XEN_H */
