// SPDX-License-Identifier: GPL-2.0
/*
 * hcall_fuzz: random ioctls on /dev/xen/hcall as root, and open attempts
 * as an unprivileged user.
 *
 * Every ioctl draws a command number, an argument pointer and, when the
 * pointer leads to a readable struct privcmd_hypercall, its contents.  What
 * each draw must give is known in advance:
 *  - any command but IOCTL_PRIVCMD_HYPERCALL (random numbers, and the
 *    hypercall command with its size, direction, type or number changed):
 *    ENOTTY;
 *  - IOCTL_PRIVCMD_HYPERCALL with an argument the kernel cannot read
 *    (NULL, low, unmapped, kernel, non-canonical addresses, a struct that
 *    runs off the end of a mapping): EFAULT;
 *  - a readable struct with op >= 64: EINVAL;
 *  - op a number Xen leaves unassigned, any arguments (kernel addresses
 *    too): ENOSYS from Xen;
 *  - op xen_version, random sub-command, a buffer argument that is NULL,
 *    low, unmapped, read-only or a large writable buffer of this process:
 *    a result >= 0 or one of Xen's errors for bad input.
 * Hypercalls that Xen executes get only buffers of this process or none:
 * like privcmd, the device hands its caller's pointers to Xen, which
 * accesses them with the kernel's rights, so a root caller that names
 * kernel memory there is asking Xen to write into the kernel.  That is the
 * device's contract (root only), not something a fuzzer can judge.
 *
 * Commands that the VFS answers itself for any file (FIOCLEX, FIFREEZE...)
 * never reach the driver and some change state; they are not drawn.
 *
 * Afterwards: no WARN or oops tainted the kernel, and the module counted no
 * flag-invariant violation.  The unprivileged part opens a mode 0666 node
 * of the device as uid 65534 with every combination of access mode and
 * flags, repeatedly: every attempt must fail with EPERM.
 *
 * usage: hcall_fuzz [-n IOCTLS] [-s SEED]   (default 100000, seed from time)
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hcall_lib.h"

#define VIOLATIONS	"/sys/kernel/debug/xen_hcall/violations"
#define TAINTED		"/proc/sys/kernel/tainted"
#define TAINT_DIE	0x80UL	/* bit 7: an oops or BUG */
#define TAINT_WARN	0x200UL	/* bit 9 */
#define OPEN_ROUNDS	200

enum outcome { WANT_ENOTTY, WANT_EFAULT, WANT_EINVAL, WANT_ENOSYS, WANT_XEN,
	       NR_OUTCOMES };

static const char * const outcome_names[NR_OUTCOMES] = {
	"unknown command -> ENOTTY",
	"unreadable argument -> EFAULT",
	"op >= 64 -> EINVAL",
	"unassigned hypercall -> ENOSYS",
	"xen_version -> result or Xen's error",
};

static int fd;
static long page_size;
static __u64 rng;
static char *buf;		/* 2 pages, read-write */
static char *edge;		/* last byte before an unmapped page */
static void *ro_page, *gone_page;

static unsigned long drawn[NR_OUTCOMES], wrong[NR_OUTCOMES];
static unsigned long xen_ok, xen_errno[256];

static __u64 rnd(void)
{
	/* xorshift64*: fast, and a seed reproduces a run. */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dULL;
}

static __u64 pick(const __u64 *set, size_t n)
{
	return set[rnd() % n];
}

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Commands the VFS handles before the driver (fs/ioctl.c, do_vfs_ioctl). */
static const unsigned long vfs_cmds[] = {
	FIOCLEX, FIONCLEX, FIONBIO, FIOASYNC, FIOQSIZE, FIFREEZE, FITHAW,
	FS_IOC_FIEMAP, FIGETBSZ, FICLONE, FICLONERANGE, FIDEDUPERANGE,
	FIONREAD, FS_IOC_GETFLAGS, FS_IOC_SETFLAGS, FS_IOC_FSGETXATTR,
	FS_IOC_FSSETXATTR,
};

static bool vfs_cmd(unsigned long cmd)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(vfs_cmds); i++)
		if ((unsigned int)cmd == (unsigned int)vfs_cmds[i])
			return true;
	return false;
}

/* Anything but the hypercall command: random, or the command mutated. */
static unsigned long other_cmd(void)
{
	unsigned long cmd;

	do {
		if (rnd() % 2)
			cmd = (unsigned int)rnd();
		else
			cmd = IOCTL_PRIVCMD_HYPERCALL ^ (1UL << (rnd() % 32));
		/* The upper half is dropped on the way in: the same command. */
		if (rnd() % 8 == 0)
			cmd |= rnd() << 32;
	} while ((unsigned int)cmd == IOCTL_PRIVCMD_HYPERCALL || vfs_cmd(cmd));
	return cmd;
}

/* Any pointer at all, for commands the driver must not look at. */
static unsigned long any_pointer(void)
{
	const __u64 special[] = {
		0, 1, 0xfff, (unsigned long)gone_page, (unsigned long)buf,
		0xffffffff81000000ULL, 0xffff888000000000ULL,
		0x0000800000000000ULL, ~0ULL,
	};

	return rnd() % 4 ? pick(special, ARRAY_SIZE(special)) : rnd();
}

/* A pointer from which the kernel cannot read a struct privcmd_hypercall. */
static unsigned long unreadable_pointer(void)
{
	const __u64 bad[] = {
		0, 1, 0xfff, (unsigned long)gone_page,
		(unsigned long)gone_page + page_size - 1,
		0xffffffff81000000ULL,			/* kernel text */
		0xffff888000000000ULL,			/* direct map */
		0xffffc90000000000ULL,			/* vmalloc */
		0x0000800000000000ULL,			/* first non-canonical */
		0x7ffffffff000ULL,			/* top of user space */
		~0ULL - 7,
	};

	switch (rnd() % 3) {
	case 0:
		return pick(bad, ARRAY_SIZE(bad));
	case 1:
		/* A struct that starts mapped and ends on the unmapped page. */
		return (unsigned long)edge + 1 -
		       (1 + rnd() % (sizeof(struct privcmd_hypercall) - 1));
	default:
		/* Anywhere in the kernel half, canonical or not. */
		return rnd() | (1ULL << 63);
	}
}

/* A buffer for Xen to write to or read from: this process's or nothing. */
static __u64 xen_buffer(void)
{
	const __u64 safe[] = {
		0, 1, 0xfff, (unsigned long)gone_page, (unsigned long)ro_page,
		(unsigned long)buf,
	};

	return pick(safe, ARRAY_SIZE(safe));
}

/* Fills @hc with one draw that reaches the driver's checks; its outcome. */
static enum outcome draw_hypercall(struct privcmd_hypercall *hc)
{
	/* Numbers Xen's public xen.h leaves unassigned. */
	const __u64 unassigned[] = { 11, 44, 45, 46, 47, 56, 57, 58, 59, 60,
					61, 62, 63 };
	int i;

	for (i = 0; i < 5; i++)
		hc->arg[i] = rnd() % 2 ? rnd() : any_pointer();
	switch (rnd() % 3) {
	case 0:
		do
			hc->op = rnd() % 2 ? rnd() : rnd() % 256;
		while (hc->op < XEN_HCALL_NR_OPS);
		return WANT_EINVAL;
	case 1:
		hc->op = pick(unassigned, ARRAY_SIZE(unassigned));
		return WANT_ENOSYS;
	default:
		hc->op = XT_HYPERVISOR_xen_version;
		/* Mostly real sub-commands (0..12 in Xen 4.17), some not. */
		hc->arg[0] = rnd() % 4 ? rnd() % 14 : rnd();
		hc->arg[1] = xen_buffer();
		return WANT_XEN;
	}
}

static void one_ioctl(void)
{
	struct privcmd_hypercall *hc = NULL;
	unsigned long cmd, arg;
	enum outcome want;
	long ret;
	int err, expect = 0;

	switch (rnd() % 4) {
	case 0:
		cmd = other_cmd();
		arg = any_pointer();
		want = WANT_ENOTTY;
		expect = ENOTTY;
		break;
	case 1:
		cmd = IOCTL_PRIVCMD_HYPERCALL;
		arg = unreadable_pointer();
		want = WANT_EFAULT;
		expect = EFAULT;
		break;
	default:
		cmd = IOCTL_PRIVCMD_HYPERCALL;
		/* Anywhere in the writable buffer, aligned or not. */
		hc = (void *)(buf + page_size +
			      rnd() % (page_size - sizeof(*hc)));
		want = draw_hypercall(hc);
		arg = (unsigned long)hc;
		expect = want == WANT_EINVAL ? EINVAL :
			 want == WANT_ENOSYS ? XT_XEN_ENOSYS : 0;
		break;
	}

	drawn[want]++;
	ret = ioctl(fd, cmd, arg);
	err = ret < 0 ? errno : 0;
	if (want != WANT_XEN) {
		if (ret != -1 || err != expect) {
			if (!wrong[want])
				xt_info("%s: cmd %#lx arg %#lx gave %ld (%s)",
					outcome_names[want], cmd, arg, ret,
					err ? strerror(err) : "no error");
			wrong[want]++;
		}
		return;
	}
	if (ret >= 0) {
		xen_ok++;
		return;
	}
	/* Xen's answers to bad input, and nothing else. */
	switch (err) {
	case EFAULT: case EINVAL: case XT_XEN_ENOSYS: case EPERM: case ENOBUFS:
		xen_errno[err]++;
		return;
	}
	if (!wrong[want])
		xt_info("%s: sub-command %#llx buffer %#llx gave %s",
			outcome_names[want], (unsigned long long)hc->arg[0],
			(unsigned long long)hc->arg[1], strerror(err));
	wrong[want]++;
}

static void *map(int prot)
{
	void *p = mmap(NULL, page_size, prot, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	if (p == MAP_FAILED)
		xt_bail("mmap: %s", strerror(errno));
	return p;
}

/* Whether nothing is mapped at @page (mincore fails with ENOMEM then). */
static bool unmapped(void *page)
{
	unsigned char vec;

	return mincore(page, page_size, &vec) && errno == ENOMEM;
}

static void setup_buffers(void)
{
	/*
	 * The read-only page first: a later mapping could take the place of
	 * the hole below.
	 */
	ro_page = map(PROT_READ);
	/* Three pages: two writable ones, then one that is unmapped. */
	buf = mmap(NULL, 3 * page_size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED || munmap(buf + 2 * page_size, page_size))
		xt_bail("mmap/munmap: %s", strerror(errno));
	memset(buf, 0, 2 * page_size);
	edge = buf + 2 * page_size - 1;
	gone_page = buf + 2 * page_size;
	/* Present in the page tables: only the protection stops Xen. */
	if (mlock(ro_page, page_size) || mlock(buf, 2 * page_size))
		xt_bail("mlock: %s", strerror(errno));
}

static unsigned long read_ulong(const char *path)
{
	unsigned long v = ~0UL;
	FILE *f = fopen(path, "r");

	if (!f || fscanf(f, "%lu", &v) != 1)
		xt_bail("read %s: %s", path, strerror(errno));
	fclose(f);
	return v;
}

static void fuzz(unsigned long n)
{
	unsigned long taint0 = read_ulong(TAINTED), taint, i, total = 0;
	int o;

	for (i = 0; i < n; i++)
		one_ioctl();
	/* Otherwise the "unmapped" draws were not. */
	if (!unmapped(gone_page))
		xt_bail("something was mapped at %p during the run", gone_page);

	for (o = 0; o < NR_OUTCOMES; o++) {
		total += drawn[o];
		xt_result(!wrong[o] && drawn[o] > 0, "%s: %lu ioctls, %lu wrong",
			  outcome_names[o], drawn[o], wrong[o]);
	}
	xt_info("xen_version: %lu results, EFAULT %lu, EINVAL %lu, ENOSYS %lu, EPERM %lu, ENOBUFS %lu",
		xen_ok, xen_errno[EFAULT], xen_errno[EINVAL],
		xen_errno[XT_XEN_ENOSYS], xen_errno[EPERM], xen_errno[ENOBUFS]);
	xt_result(total == n && xen_ok > 0 && xen_errno[EFAULT] > 0,
		  "%lu random ioctls, Xen both answered and refused xen_version",
		  total);
	taint = read_ulong(TAINTED);
	xt_result(!((taint & ~taint0) & (TAINT_DIE | TAINT_WARN)),
		  "no oops or WARN tainted the kernel (taint %#lx -> %#lx)",
		  taint0, taint);
	xt_result(read_ulong(VIOLATIONS) == 0, "no flag-invariant violations");
}

/*
 * As uid 65534, OPEN_ROUNDS times every access mode with a different set
 * of flags, on a mode 0666 node of the device: all must fail with EPERM.
 */
static void unprivileged_opens(void)
{
	const int flags[] = { O_RDONLY, O_WRONLY, O_RDWR, O_RDWR | O_NONBLOCK,
			      O_RDWR | O_CLOEXEC, O_RDONLY | O_NOCTTY,
			      O_WRONLY | O_APPEND, O_RDWR | O_SYNC };
	const int nr_flags = ARRAY_SIZE(flags);
	char dir[] = "/tmp/hcall_fuzz.XXXXXX", node[64];
	unsigned long res[3] = { 0, 0, 0 };	/* EPERM, other, setup errno */
	int pipefd[2], i, f;
	struct stat st;
	pid_t pid;

	if (stat(XEN_HCALL_DEVICE, &st))
		xt_bail("stat %s: %s", XEN_HCALL_DEVICE, strerror(errno));
	if (!mkdtemp(dir) || chmod(dir, 0755))
		xt_bail("mkdtemp: %s", strerror(errno));
	snprintf(node, sizeof(node), "%s/hcall", dir);
	if (mknod(node, S_IFCHR | 0666, st.st_rdev) || chmod(node, 0666) ||
	    pipe(pipefd))
		xt_bail("mknod %s: %s", node, strerror(errno));

	pid = fork();
	if (pid < 0)
		xt_bail("fork: %s", strerror(errno));
	if (pid == 0) {
		res[2] = -xt_become_nobody();
		for (i = 0; !res[2] && i < OPEN_ROUNDS; i++) {
			for (f = 0; f < nr_flags; f++) {
				int nfd = open(node, flags[f]);

				if (nfd < 0 && errno == EPERM)
					res[0]++;
				else
					res[1]++;
				if (nfd >= 0)
					close(nfd);
			}
		}
		if (write(pipefd[1], res, sizeof(res)) != sizeof(res))
			_exit(1);
		_exit(0);
	}
	close(pipefd[1]);
	if (read(pipefd[0], res, sizeof(res)) != sizeof(res))
		res[2] = EIO;
	close(pipefd[0]);
	waitpid(pid, NULL, 0);
	unlink(node);
	rmdir(dir);
	if (res[2])
		xt_bail("cannot become uid %d: %s", XT_NOBODY,
			strerror((int)res[2]));
	xt_result(res[0] == (unsigned long)OPEN_ROUNDS * nr_flags && !res[1],
		  "opens of a mode 0666 node as uid %d: %lu EPERM, %lu other results",
		  XT_NOBODY, res[0], res[1]);
}

int main(int argc, char **argv)
{
	unsigned long n = 100000;
	int opt;

	setvbuf(stdout, NULL, _IOLBF, 0);
	rng = (__u64)time(NULL) ^ ((__u64)getpid() << 32);
	while ((opt = getopt(argc, argv, "n:s:")) != -1) {
		if (opt == 'n')
			n = strtoul(optarg, NULL, 0);
		else if (opt == 's')
			rng = strtoull(optarg, NULL, 0);
		else
			xt_bail("usage: %s [-n IOCTLS] [-s SEED]", argv[0]);
	}
	if (!rng)
		rng = 1;
	xt_require_root();
	xt_require_xen();
	page_size = sysconf(_SC_PAGESIZE);
	xt_info("%lu ioctls, seed %#llx (-s reproduces the run)", n,
		(unsigned long long)rng);

	fd = xt_open_device(true);
	if (fd < 0)
		xt_bail("open %s: %s", XEN_HCALL_DEVICE, strerror(errno));
	setup_buffers();
	fuzz(n);
	unprivileged_opens();
	xt_finish();
}
