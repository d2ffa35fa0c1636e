// SPDX-License-Identifier: GPL-2.0
/*
 * load_module: loads a kernel module with exactly one finit_module() call.
 * busybox insmod retries a failed finit_module() with init_module(), so a
 * module that refuses to load runs its init (and logs its refusal) twice;
 * a test that counts what the module logs needs a single attempt.
 *
 * usage: load_module FILE [PARAMETERS]
 * Prints "load_module: FILE: <error> (errno N)" and exits 1 on failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int fd, err;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: %s FILE [PARAMETERS]\n", argv[0]);
		return 2;
	}
	fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0 ||
	    syscall(SYS_finit_module, fd, argc > 2 ? argv[2] : "", 0)) {
		err = errno;
		fprintf(stderr, "load_module: %s: %s (errno %d)\n", argv[1],
			strerror(err), err);
		return 1;
	}
	close(fd);
	return 0;
}
