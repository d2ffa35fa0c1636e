/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the C selftests of xen_hcall: kselftest exit codes and
 * nested TAP results, loading the module, /dev/xen/hcall, the version Xen
 * reports through sysfs, and the debugfs counters.
 */
#ifndef _XHC_SELFTEST_HCALL_LIB_H
#define _XHC_SELFTEST_HCALL_LIB_H

#include <stdbool.h>
#include <stdnoreturn.h>
#include <linux/types.h>
#include <xen_preempt/hcall.h>

/* kselftest exit codes */
#define KSFT_PASS	0
#define KSFT_FAIL	1
#define KSFT_SKIP	4

/* From Xen's public ABI (xen/include/public/{xen,version}.h). */
#define XT_HYPERVISOR_xen_version	17
#define XT_XENVER_version		0
#define XT_XENVER_extraversion		1
#define XT_XEN_EXTRAVERSION_LEN		16

/*
 * Xen's public errno.h; Linux on x86 uses the same numbers, and the device
 * passes Xen's result through unchanged.
 */
#define XT_XEN_ENOSYS			38

/* Nested TAP: "ok N ..." / "not ok N ...", then "1..N" from xt_finish(). */
[[gnu::format(printf, 2, 3)]] bool xt_result(bool ok, const char *fmt, ...);
[[gnu::format(printf, 1, 2)]] void xt_info(const char *fmt, ...);
[[gnu::format(printf, 1, 2)]] noreturn void xt_skip(const char *fmt, ...);
[[gnu::format(printf, 1, 2)]] noreturn void xt_bail(const char *fmt, ...);
noreturn void xt_finish(void);

void xt_require_root(void);
void xt_require_xen(void);

/* The unprivileged user of the test bed (and of Debian): nobody/nogroup. */
#define XT_NOBODY	65534
int xt_become_nobody(void);
int xt_online_cpus(void);

int xt_open_device(bool load);
long xt_hypercall(int fd, __u64 op, __u64 a0, __u64 a1, __u64 a2, __u64 a3,
		  __u64 a4);

struct xt_version {
	int major;
	int minor;
	char extra[XT_XEN_EXTRAVERSION_LEN + 1];
};

void xt_sysfs_version(struct xt_version *v);

/* The columns of /sys/kernel/debug/xen_hcall/stats this code checks. */
struct xt_cpu_stats {
	unsigned long long issued;
	unsigned long long violations;
	unsigned long long in_hcall;
};

#define XT_MAX_CPUS	64
int xt_read_stats(struct xt_cpu_stats *stats, int max);

#endif /* _XHC_SELFTEST_HCALL_LIB_H */
