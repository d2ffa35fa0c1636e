// SPDX-License-Identifier: GPL-2.0
/*
 * debugcon: copy stdin to I/O port 0xe9 (static, for the test bed's guest).
 *
 * Xen handles port 0xe9 of an HVM guest itself and prints each line written
 * there on its own console as "(dN) line".  dom0 does not see an HVM
 * guest's console, so the test bed sends the guest's output this way.
 * Unlike the kernel's earlyprintk=xen console, which writes to the same
 * port, this keeps the payload's output out of the guest's kernel log.
 */
#include <stdio.h>
#include <sys/io.h>
#include <unistd.h>

#define DEBUGCON_PORT 0xe9

int main(void)
{
	char buf[4096];
	ssize_t n, i;

	if (ioperm(DEBUGCON_PORT, 1, 1)) {
		perror("debugcon: ioperm");
		return 1;
	}
	while ((n = read(STDIN_FILENO, buf, sizeof(buf))) > 0)
		for (i = 0; i < n; i++)
			outb(buf[i], DEBUGCON_PORT);
	return n < 0;
}
