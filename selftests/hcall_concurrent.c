// SPDX-License-Identifier: GPL-2.0
/*
 * hcall_concurrent: hypercalls issued at the same time from every vCPU,
 * by threads pinned one per CPU sharing one /dev/xen/hcall file, must all
 * return what Xen returns, and each must be counted as a preemptible
 * hypercall on the CPU that issued it.  Half of the calls make Xen write
 * into the calling thread's own buffer, so a mix-up between the CPUs'
 * in-flight calls would show as a wrong string.
 *
 * usage: hcall_concurrent [-n CALLS_PER_CPU]
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hcall_lib.h"

struct worker {
	pthread_t thread;
	int cpu;
	long calls;
	long wrong;		/* results that differ from sysfs */
	long errors;		/* calls that failed */
	long off_cpu;		/* calls made while not on @cpu */
	int first_errno;
};

static int fd;
static long iterations = 10000;
static long want_version;
static struct xt_version sys;
static pthread_barrier_t start;

static void *worker_fn(void *arg)
{
	char extra[XT_XEN_EXTRAVERSION_LEN + 1];
	struct worker *w = arg;
	cpu_set_t set;
	long i, ret;

	CPU_ZERO(&set);
	CPU_SET(w->cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		w->first_errno = errno;
	pthread_barrier_wait(&start);
	if (w->first_errno)
		return NULL;

	for (i = 0; i < iterations; i++) {
		if (i & 1) {
			memset(extra, 0x55, sizeof(extra));
			extra[XT_XEN_EXTRAVERSION_LEN] = '\0';
			ret = xt_hypercall(fd, XT_HYPERVISOR_xen_version,
					   XT_XENVER_extraversion,
					   (__u64)(unsigned long)extra,
					   0, 0, 0);
			if (ret == 0 && strcmp(extra, sys.extra))
				w->wrong++;
		} else {
			ret = xt_hypercall(fd, XT_HYPERVISOR_xen_version,
					   XT_XENVER_version, 0, 0, 0, 0);
			if (ret >= 0 && ret != want_version)
				w->wrong++;
		}
		if (ret < 0) {
			if (!w->errors++)
				w->first_errno = errno;
		}
		if (sched_getcpu() != w->cpu)
			w->off_cpu++;
		w->calls++;
	}
	return NULL;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct xt_cpu_stats before[XT_MAX_CPUS], after[XT_MAX_CPUS];
	struct worker *w;
	int ncpu, opt, i;
	double t0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((opt = getopt(argc, argv, "n:")) != -1) {
		if (opt != 'n')
			xt_bail("usage: %s [-n CALLS_PER_CPU]", argv[0]);
		iterations = atol(optarg);
	}
	xt_require_root();
	xt_require_xen();
	ncpu = xt_online_cpus();
	if (ncpu < 2)
		xt_skip("needs at least 2 online CPUs, found %d", ncpu);
	if (ncpu > XT_MAX_CPUS)
		ncpu = XT_MAX_CPUS;

	xt_sysfs_version(&sys);
	want_version = (long)sys.major << 16 | sys.minor;
	fd = xt_open_device(true);
	if (fd < 0)
		xt_bail("open %s: %s", XEN_HCALL_DEVICE, strerror(errno));
	if (xt_read_stats(before, XT_MAX_CPUS) < ncpu)
		xt_bail("cannot read per-CPU counters from debugfs");

	w = calloc(ncpu, sizeof(*w));
	if (!w || pthread_barrier_init(&start, NULL, ncpu + 1))
		xt_bail("out of memory");
	for (i = 0; i < ncpu; i++) {
		w[i].cpu = i;
		if (pthread_create(&w[i].thread, NULL, worker_fn, &w[i]))
			xt_bail("pthread_create failed");
	}
	t0 = now();
	pthread_barrier_wait(&start);
	for (i = 0; i < ncpu; i++)
		pthread_join(w[i].thread, NULL);
	xt_info("%d threads x %ld calls in %.2f s", ncpu, iterations,
		now() - t0);

	if (xt_read_stats(after, XT_MAX_CPUS) < ncpu)
		xt_bail("cannot read per-CPU counters from debugfs");

	for (i = 0; i < ncpu; i++) {
		unsigned long long issued = after[i].issued - before[i].issued;

		xt_result(w[i].calls == iterations && !w[i].errors &&
			  !w[i].wrong,
			  "cpu%d: %ld calls, %ld wrong results, %ld errors%s%s",
			  i, w[i].calls, w[i].wrong, w[i].errors,
			  w[i].first_errno ? ", first: " : "",
			  w[i].first_errno ? strerror(w[i].first_errno) : "");
		xt_result(!w[i].off_cpu,
			  "cpu%d: thread stayed on its CPU (%ld calls elsewhere)",
			  i, w[i].off_cpu);
		/* Other tasks may add calls, never remove them. */
		xt_result(issued >= (unsigned long long)w[i].calls,
			  "cpu%d: %llu preemptible hypercalls counted, >= %ld",
			  i, issued, w[i].calls);
		xt_result(after[i].violations == before[i].violations,
			  "cpu%d: no flag violations (%llu before, %llu after)",
			  i, before[i].violations, after[i].violations);
		xt_result(!after[i].in_hcall,
			  "cpu%d: no hypercall left marked in flight", i);
	}
	xt_finish();
}
