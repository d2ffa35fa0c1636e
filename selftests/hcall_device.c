// SPDX-License-Identifier: GPL-2.0
/*
 * hcall_device: every way an ioctl on /dev/xen/hcall can fail, and that a
 * valid hypercall returns what Xen returns.
 *
 * The driver itself refuses unknown ioctls (ENOTTY), argument structs it
 * cannot read (EFAULT), hypercall numbers outside Xen's table (EINVAL) and
 * openers without CAP_SYS_ADMIN (EPERM).  Everything else reaches Xen, whose
 * own errors (EFAULT for a bad buffer, ENOSYS for an unknown hypercall) must
 * come back unchanged.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hcall_lib.h"

#define KERNEL_ADDR	0xffffffff81000000ULL

static int fd;
static long page_size;

/* One ioctl that must fail with @want. */
static void expect_errno(const char *what, unsigned long cmd, void *arg,
			 int want)
{
	long ret = ioctl(fd, cmd, arg);
	int err = ret < 0 ? errno : 0;

	xt_result(ret == -1 && err == want, "%s: %s (got %ld, %s)", what,
		  strerror(want), ret, err ? strerror(err) : "no error");
}

/* One hypercall that must fail with @want. */
static void expect_hcall_errno(const char *what, __u64 op, __u64 a0, __u64 a1,
			       int want)
{
	long ret = xt_hypercall(fd, op, a0, a1, 0, 0, 0);
	int err = ret < 0 ? errno : 0;

	xt_result(ret == -1 && err == want, "%s: %s (got %ld, %s)", what,
		  strerror(want), ret, err ? strerror(err) : "no error");
}

/* An address in this process at which nothing is mapped. */
static void *unmapped_page(void)
{
	void *p = mmap(NULL, page_size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	if (p == MAP_FAILED || munmap(p, page_size))
		xt_bail("mmap/munmap: %s", strerror(errno));
	return p;
}

static void test_driver_errors(void)
{
	struct privcmd_hypercall *hc;
	char *two;

	expect_errno("unknown ioctl", _IO('X', 0x42), NULL, ENOTTY);
	expect_errno("privcmd mmap ioctl (not offered)", IOCTL_PRIVCMD_MMAP,
		     NULL, ENOTTY);
	expect_errno("hypercall ioctl number with a wrong size",
		     _IOC(_IOC_NONE, 'P', 0, 8), NULL, ENOTTY);

	expect_errno("NULL argument", IOCTL_PRIVCMD_HYPERCALL, NULL, EFAULT);
	expect_errno("unmapped argument", IOCTL_PRIVCMD_HYPERCALL,
		     unmapped_page(), EFAULT);
	expect_errno("kernel address as argument", IOCTL_PRIVCMD_HYPERCALL,
		     (void *)KERNEL_ADDR, EFAULT);

	/* The struct starts on a mapped page and ends on an unmapped one. */
	two = mmap(NULL, 2 * page_size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (two == MAP_FAILED || munmap(two + page_size, page_size))
		xt_bail("mmap/munmap: %s", strerror(errno));
	hc = (void *)(two + page_size - sizeof(hc->op));
	hc->op = XT_HYPERVISOR_xen_version;
	expect_errno("argument straddling the end of a mapping",
		     IOCTL_PRIVCMD_HYPERCALL, hc, EFAULT);
	munmap(two, page_size);

	expect_hcall_errno("op 64", XEN_HCALL_NR_OPS, 0, 0, EINVAL);
	expect_hcall_errno("op 2^32 + xen_version (no truncation)",
			   (1ULL << 32) | XT_HYPERVISOR_xen_version,
			   XT_XENVER_version, 0, EINVAL);
	expect_hcall_errno("op ~0", ~0ULL, 0, 0, EINVAL);
}

static void test_valid_calls(void)
{
	char extra[XT_XEN_EXTRAVERSION_LEN + 1];
	struct xt_version sys;
	long ret;

	xt_sysfs_version(&sys);

	ret = xt_hypercall(fd, XT_HYPERVISOR_xen_version, XT_XENVER_version,
			   0, 0, 0, 0);
	xt_result(ret >= 0 && ret >> 16 == sys.major &&
		  (ret & 0xffff) == sys.minor,
		  "XENVER_version: %ld.%ld (sysfs %d.%d)%s", ret >> 16,
		  ret & 0xffff, sys.major, sys.minor,
		  ret < 0 ? strerror(errno) : "");

	/* Xen writes into this user buffer: the user-pointer path works. */
	memset(extra, 0, sizeof(extra));
	ret = xt_hypercall(fd, XT_HYPERVISOR_xen_version,
			   XT_XENVER_extraversion, (__u64)(unsigned long)extra,
			   0, 0, 0);
	xt_result(ret == 0 && !strcmp(extra, sys.extra),
		  "XENVER_extraversion into a user buffer: \"%s\" (sysfs \"%s\", ret %ld%s%s)",
		  extra, sys.extra, ret, ret < 0 ? ", " : "",
		  ret < 0 ? strerror(errno) : "");
}

static void test_xen_errors(void)
{
	void *ro;

	expect_hcall_errno("XENVER_extraversion to address 1",
			   XT_HYPERVISOR_xen_version, XT_XENVER_extraversion,
			   1, EFAULT);
	expect_hcall_errno("XENVER_extraversion to an unmapped page",
			   XT_HYPERVISOR_xen_version, XT_XENVER_extraversion,
			   (__u64)(unsigned long)unmapped_page(), EFAULT);

	/* Xen must honour the guest's page protections. */
	ro = mmap(NULL, page_size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
		  -1, 0);
	/* Present in the page tables, so only the protection stops Xen. */
	if (ro == MAP_FAILED || mlock(ro, page_size))
		xt_bail("mmap/mlock: %s", strerror(errno));
	expect_hcall_errno("XENVER_extraversion to a read-only page",
			   XT_HYPERVISOR_xen_version, XT_XENVER_extraversion,
			   (__u64)(unsigned long)ro, EFAULT);
	munmap(ro, page_size);

	/* Numbers below 64 that Xen's public headers leave unassigned. */
	expect_hcall_errno("unassigned hypercall 47", 47, 0, 0, XT_XEN_ENOSYS);
	expect_hcall_errno("unassigned hypercall 63", 63, 0, 0, XT_XEN_ENOSYS);
}

/* Root, but without CAP_SYS_ADMIN. */
static int drop_sys_admin(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];
	__u32 bit = 1U << (CAP_SYS_ADMIN % 32);
	int i = CAP_SYS_ADMIN / 32;

	if (syscall(SYS_capget, &hdr, data))
		return -errno;
	data[i].effective &= ~bit;
	data[i].permitted &= ~bit;
	data[i].inheritable &= ~bit;
	if (syscall(SYS_capset, &hdr, data))
		return -errno;
	return 0;
}

/*
 * errno of open(@path) in a child with the credentials @drop sets up (0 if
 * the open succeeded).  Exits the test if the credentials cannot be set;
 * @drop returns 0 or a negative errno.
 */
static int open_errno_as(const char *path, int (*drop)(void))
{
	int pipefd[2], res[2] = { 0, 0 };
	pid_t pid;

	if (pipe(pipefd))
		xt_bail("pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		xt_bail("fork: %s", strerror(errno));
	if (pid == 0) {
		res[0] = -drop();
		if (!res[0] && open(path, O_RDWR) < 0)
			res[1] = errno;
		if (write(pipefd[1], res, sizeof(res)) != sizeof(res))
			_exit(1);
		_exit(0);
	}
	close(pipefd[1]);
	if (read(pipefd[0], res, sizeof(res)) != sizeof(res))
		res[0] = EIO;
	close(pipefd[0]);
	waitpid(pid, NULL, 0);
	if (res[0])
		xt_bail("cannot drop privileges: %s", strerror(res[0]));
	return res[1];
}

static void expect_open_errno(const char *what, const char *path,
			      int (*drop)(void), int want)
{
	int err = open_errno_as(path, drop);

	xt_result(err == want, "%s: %s (got %s)", what, strerror(want),
		  err ? strerror(err) : "success");
}

static void test_unprivileged(void)
{
	char dir[] = "/tmp/hcall_device.XXXXXX", node[64];
	struct stat st;

	if (stat(XEN_HCALL_DEVICE, &st))
		xt_bail("stat %s: %s", XEN_HCALL_DEVICE, strerror(errno));
	xt_result(S_ISCHR(st.st_mode) && (st.st_mode & 0777) == 0600 &&
		  st.st_uid == 0,
		  "%s is a root-only character device (mode %o, uid %u)",
		  XEN_HCALL_DEVICE, st.st_mode & 0777, st.st_uid);

	expect_open_errno("open as uid 65534", XEN_HCALL_DEVICE,
			  xt_become_nobody, EACCES);

	/*
	 * With file permissions out of the way (a mode 0666 node for the same
	 * device), the refusal must come from the driver's capability check.
	 */
	if (!mkdtemp(dir) || chmod(dir, 0755))
		xt_bail("mkdtemp: %s", strerror(errno));
	snprintf(node, sizeof(node), "%s/hcall", dir);
	if (mknod(node, S_IFCHR | 0666, st.st_rdev) || chmod(node, 0666))
		xt_bail("mknod %s: %s", node, strerror(errno));
	expect_open_errno("open of a mode 0666 node as uid 65534", node,
			  xt_become_nobody, EPERM);
	expect_open_errno("open as root without CAP_SYS_ADMIN",
			  XEN_HCALL_DEVICE, drop_sys_admin, EPERM);
	unlink(node);
	rmdir(dir);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	xt_require_root();
	xt_require_xen();
	page_size = sysconf(_SC_PAGESIZE);

	fd = xt_open_device(true);
	if (fd < 0)
		xt_bail("open %s: %s", XEN_HCALL_DEVICE, strerror(errno));

	test_driver_errors();
	test_valid_calls();
	test_xen_errors();
	test_unprivileged();
	xt_finish();
}
