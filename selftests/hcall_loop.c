// SPDX-License-Identifier: GPL-2.0
/*
 * hcall_loop: helper of hcall_unload_busy.sh.  Keeps /dev/xen/hcall open
 * and issues XENVER_version through it until SIGTERM or the time limit,
 * checking every result.  Exits 0 only if at least one call was made and
 * every call returned the version sysfs shows.  Does not load the module.
 *
 * usage: hcall_loop [-t SECONDS]
 */
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hcall_lib.h"

static atomic_bool stop;

static void on_term(int sig)
{
	(void)sig;
	atomic_store(&stop, true);
}

int main(int argc, char **argv)
{
	long calls = 0, wrong = 0, errors = 0, want, ret;
	struct sigaction sa = { .sa_handler = on_term };
	int fd, opt, first_errno = 0;
	struct xt_version sys;
	time_t end;

	setvbuf(stdout, NULL, _IOLBF, 0);
	end = time(NULL) + 600;
	while ((opt = getopt(argc, argv, "t:")) != -1) {
		if (opt != 't')
			xt_bail("usage: %s [-t SECONDS]", argv[0]);
		end = time(NULL) + atol(optarg);
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	xt_sysfs_version(&sys);
	want = (long)sys.major << 16 | sys.minor;
	fd = xt_open_device(false);
	if (fd < 0)
		xt_bail("open %s: %s", XEN_HCALL_DEVICE, strerror(errno));

	while (!atomic_load(&stop) && time(NULL) < end) {
		ret = xt_hypercall(fd, XT_HYPERVISOR_xen_version,
				   XT_XENVER_version, 0, 0, 0, 0);
		if (ret < 0 && !errors++)
			first_errno = errno;
		else if (ret >= 0 && ret != want)
			wrong++;
		calls++;
	}
	xt_result(calls > 0 && !wrong && !errors,
		  "hcall_loop: %ld calls, %ld wrong results, %ld errors%s%s",
		  calls, wrong, errors, first_errno ? ", first: " : "",
		  first_errno ? strerror(first_errno) : "");
	xt_finish();
}
