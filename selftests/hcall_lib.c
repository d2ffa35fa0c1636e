// SPDX-License-Identifier: GPL-2.0
/* Helpers shared by the C selftests of xen_hcall (see hcall_lib.h). */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "hcall_lib.h"

#define XT_STATS	"/sys/kernel/debug/xen_hcall/stats"

static int xt_nr, xt_failed;
static bool xt_module_loaded_here;
static int xt_dev_fd = -1;

static void xt_vprint(const char *prefix, const char *fmt, va_list ap)
{
	fputs(prefix, stdout);
	vprintf(fmt, ap);
	putchar('\n');
	fflush(stdout);
}

bool xt_result(bool ok, const char *fmt, ...)
{
	char prefix[32];
	va_list ap;

	xt_nr++;
	if (!ok)
		xt_failed++;
	snprintf(prefix, sizeof(prefix), "%s %d ", ok ? "ok" : "not ok", xt_nr);
	va_start(ap, fmt);
	xt_vprint(prefix, fmt, ap);
	va_end(ap);
	return ok;
}

void xt_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	xt_vprint("# ", fmt, ap);
	va_end(ap);
}

void xt_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	xt_vprint("# SKIP ", fmt, ap);
	va_end(ap);
	exit(KSFT_SKIP);
}

/* A failure that stops the test: the checks after it cannot run. */
void xt_bail(const char *fmt, ...)
{
	va_list ap;

	xt_nr++;
	xt_failed++;
	printf("not ok %d ", xt_nr);
	va_start(ap, fmt);
	xt_vprint("", fmt, ap);
	va_end(ap);
	xt_finish();
}

void xt_finish(void)
{
	printf("1..%d\n", xt_nr);
	if (xt_failed)
		printf("# %d of %d checks failed\n", xt_failed, xt_nr);
	fflush(stdout);
	exit(xt_failed ? KSFT_FAIL : KSFT_PASS);
}

void xt_require_root(void)
{
	if (geteuid() != 0)
		xt_skip("must run as root");
}

void xt_require_xen(void)
{
	char type[16] = "";
	FILE *f = fopen("/sys/hypervisor/type", "r");

	if (f) {
		if (!fgets(type, sizeof(type), f))
			type[0] = '\0';
		fclose(f);
	}
	if (strcmp(type, "xen\n"))
		xt_skip("not a Xen guest (/sys/hypervisor/type is not \"xen\")");
}

/*
 * Credentials of an unprivileged user: uid/gid 65534, no capabilities.
 * Returns 0 or a negative errno.
 */
int xt_become_nobody(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];

	if (setgroups(0, NULL) || setgid(XT_NOBODY) || setuid(XT_NOBODY))
		return -errno;
	if (syscall(SYS_capget, &hdr, data))
		return -errno;
	/* setuid() away from root clears them; check rather than trust. */
	if (data[0].effective || data[1].effective || data[0].permitted ||
	    data[1].permitted)
		return -EPERM;
	return 0;
}

int xt_online_cpus(void)
{
	return (int)sysconf(_SC_NPROCESSORS_ONLN);
}

/* atexit: the open device holds a reference on the module. */
static void xt_unload_module(void)
{
	if (xt_dev_fd >= 0)
		close(xt_dev_fd);
	if (xt_module_loaded_here &&
	    syscall(SYS_delete_module, "xen_hcall", O_NONBLOCK))
		printf("# cannot unload xen_hcall: %s\n", strerror(errno));
}

/* Load xen_hcall.ko from the directory of this program. */
static void xt_load_module(void)
{
	char exe[PATH_MAX], path[PATH_MAX + 16];
	ssize_t len;
	int fd;

	len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (len < 0)
		xt_bail("readlink /proc/self/exe: %s", strerror(errno));
	exe[len] = '\0';
	snprintf(path, sizeof(path), "%s/xen_hcall.ko", dirname(exe));

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		xt_bail("open %s: %s", path, strerror(errno));
	if (syscall(SYS_finit_module, fd, "", 0))
		xt_bail("load %s: %s", path, strerror(errno));
	close(fd);
	xt_module_loaded_here = true;
	atexit(xt_unload_module);
	xt_info("loaded %s for this test", path);
}

/*
 * Open /dev/xen/hcall; with @load, load xen_hcall.ko first if the device
 * does not exist, and close the device and unload the module again when
 * the test exits.  Only one device file per test.
 */
int xt_open_device(bool load)
{
	xt_dev_fd = open(XEN_HCALL_DEVICE, O_RDWR | O_CLOEXEC);
	if (xt_dev_fd >= 0 || errno != ENOENT || !load)
		return xt_dev_fd;
	xt_load_module();
	xt_dev_fd = open(XEN_HCALL_DEVICE, O_RDWR | O_CLOEXEC);
	return xt_dev_fd;
}

long xt_hypercall(int fd, __u64 op, __u64 a0, __u64 a1, __u64 a2, __u64 a3,
		  __u64 a4)
{
	struct privcmd_hypercall hc = {
		.op = op,
		.arg = { a0, a1, a2, a3, a4 },
	};

	return ioctl(fd, IOCTL_PRIVCMD_HYPERCALL, &hc);
}

static void xt_read_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");

	if (!f)
		xt_bail("open %s: %s", path, strerror(errno));
	if (!fgets(buf, (int)size, f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
}

/* The version the kernel's own Xen driver shows in /sys/hypervisor. */
void xt_sysfs_version(struct xt_version *v)
{
	char buf[64];

	xt_read_line("/sys/hypervisor/version/major", buf, sizeof(buf));
	v->major = atoi(buf);
	xt_read_line("/sys/hypervisor/version/minor", buf, sizeof(buf));
	v->minor = atoi(buf);
	xt_read_line("/sys/hypervisor/version/extra", v->extra,
		     sizeof(v->extra));
}

/* Column @name of the header line @hdr, or -1. */
static int xt_column(char *hdr, const char *name)
{
	char *save = NULL, *tok;
	int i = 0;

	for (tok = strtok_r(hdr, "\t\n ", &save); tok;
	     tok = strtok_r(NULL, "\t\n ", &save), i++)
		if (!strcmp(tok, name))
			return i;
	return -1;
}

/*
 * Per-CPU counters from debugfs, indexed by CPU number.  Columns are found
 * by their header names.  Returns the number of CPU lines, or -1.
 */
int xt_read_stats(struct xt_cpu_stats *stats, int max)
{
	int col_issued, col_viol, col_in, n = 0;
	char line[512], hdr[512];
	FILE *f = fopen(XT_STATS, "r");

	if (!f)
		return -1;
	if (!fgets(hdr, sizeof(hdr), f))
		goto bad;
	strcpy(line, hdr);
	col_issued = xt_column(line, "issued");
	strcpy(line, hdr);
	col_viol = xt_column(line, "violations");
	strcpy(line, hdr);
	col_in = xt_column(line, "in_hcall");
	if (col_issued < 0 || col_viol < 0 || col_in < 0)
		goto bad;

	memset(stats, 0, sizeof(*stats) * max);
	while (fgets(line, sizeof(line), f)) {
		unsigned long long v[16];
		char *p = line, *end;
		int i, cpu;

		for (i = 0; i < 16; i++, p = end) {
			v[i] = strtoull(p, &end, 10);
			if (end == p)
				break;
		}
		cpu = (int)v[0];
		if (i <= col_in || cpu >= max)
			goto bad;
		stats[cpu].issued = v[col_issued];
		stats[cpu].violations = v[col_viol];
		stats[cpu].in_hcall = v[col_in];
		n++;
	}
	fclose(f);
	return n;
bad:
	fclose(f);
	return -1;
}
