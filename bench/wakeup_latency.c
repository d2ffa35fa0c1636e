// SPDX-License-Identifier: GPL-2.0
/*
 * wakeup_latency: a cyclictest-like task.  Pinned to one CPU, it sleeps
 * 1 ms at a time (absolute deadlines) and records how late each wake-up
 * was, until SIGTERM/SIGINT or the time limit.  At the end it prints
 *   samples N max_us N p99_us N median_us N
 * It runs as an ordinary (SCHED_OTHER) task on purpose: it stands for the
 * rest of the system that a long hypercall keeps off the CPU.
 * With -s MS, it first prints one line per wake-up later than MS ms,
 *   stall at_ms N late_ms N
 * (at_ms: CLOCK_MONOTONIC when it woke up), to tell when the stalls were.
 *
 * usage: wakeup_latency [-c CPU] [-p PERIOD_US] [-s MS] SECONDS
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static long long ts_ns(const struct timespec *ts)
{
	return ts->tv_sec * 1000000000LL + ts->tv_nsec;
}

static struct timespec ns_ts(long long ns)
{
	struct timespec ts = { ns / 1000000000LL, ns % 1000000000LL };

	return ts;
}

/* Exact below 100 us, else rounded down to two significant digits. */
static long long bucket_us(long long us)
{
	long long scale = 1;

	while (us / scale >= 100)
		scale *= 10;
	return us / scale * scale;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	long long period = 1000000, end, next, late, *lat, stall = 0;
	long long stall_at[64], stall_ns[64];
	size_t n = 0, cap, nstalls = 0, i, count;
	struct timespec now, wake;
	int cpu = -1, opt;
	cpu_set_t set;

	while ((opt = getopt(argc, argv, "c:p:s:")) != -1) {
		if (opt == 'c')
			cpu = atoi(optarg);
		else if (opt == 'p')
			period = atoll(optarg) * 1000;
		else if (opt == 's')
			stall = atoll(optarg) * 1000000;
		else
			goto usage;
	}
	if (optind != argc - 1 || period <= 0)
		goto usage;
	if (cpu >= 0) {
		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set)) {
			perror("sched_setaffinity");
			return 1;
		}
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);

	clock_gettime(CLOCK_MONOTONIC, &now);
	end = ts_ns(&now) + atoll(argv[optind]) * 1000000000LL;
	cap = (size_t)(atoll(argv[optind]) + 1) * (1000000000LL / period) + 16;
	lat = calloc(cap, sizeof(*lat));
	if (!lat) {
		perror("calloc");
		return 1;
	}

	next = ts_ns(&now) + period;
	while (!stop && next < end && n < cap) {
		wake = ns_ts(next);
		if (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &wake, NULL) &&
		    errno != EINTR)
			break;
		clock_gettime(CLOCK_MONOTONIC, &now);
		late = ts_ns(&now) - next;
		lat[n++] = late > 0 ? late : 0;
		if (stall && late > stall &&
		    nstalls < sizeof(stall_at) / sizeof(stall_at[0])) {
			stall_at[nstalls] = ts_ns(&now);
			stall_ns[nstalls++] = late;
		}
		/* After a stall, the next deadline is one period from now. */
		next += period;
		if (next < ts_ns(&now))
			next = ts_ns(&now) + period;
	}

	if (!n) {
		printf("samples 0 max_us 0 p99_us 0 median_us 0 hist \n");
		return 1;
	}
	for (i = 0; i < nstalls; i++)
		printf("stall at_ms %lld late_ms %lld\n", stall_at[i] / 1000000,
		       stall_ns[i] / 1000000);
	qsort(lat, n, sizeof(*lat), cmp_ll);
	printf("samples %zu max_us %lld p99_us %lld median_us %lld hist ", n,
	       lat[n - 1] / 1000, lat[n * 99 / 100] / 1000, lat[n / 2] / 1000);
	for (i = 0; i < n; i += count) {
		for (count = 1; i + count < n &&
		     bucket_us(lat[i + count] / 1000) == bucket_us(lat[i] / 1000);
		     count++)
			;
		printf("%s%lld:%zu", i ? "," : "", bucket_us(lat[i] / 1000), count);
	}
	printf("\n");
	free(lat);
	return 0;

usage:
	fprintf(stderr, "usage: %s [-c CPU] [-p PERIOD_US] [-s MS] SECONDS\n",
		argv[0]);
	return 2;
}
