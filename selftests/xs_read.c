// SPDX-License-Identifier: GPL-2.0
/*
 * xs_read: prints the value of a xenstore key, read through the kernel's
 * /dev/xen/xenbus (the guest has no xenstore tools).  A relative path is
 * relative to the guest's own /local/domain/<domid>/: "domid" gives the
 * domain ID, which changes when the guest is saved and restored.
 *
 * usage: xs_read PATH
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/types.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Xen's public io/xs_wire.h */
#define XS_READ		2
#define XS_ERROR	16

struct xsd_sockmsg {
	__u32 type;
	__u32 req_id;
	__u32 tx_id;
	__u32 len;
};

int main(int argc, char **argv)
{
	struct {
		struct xsd_sockmsg hdr;
		char body[4096];
	} msg;
	size_t len, total;
	ssize_t n;
	int fd;

	if (argc != 2 || strlen(argv[1]) >= sizeof(msg.body)) {
		fprintf(stderr, "usage: %s PATH\n", argv[0]);
		return 2;
	}
	fd = open("/dev/xen/xenbus", O_RDWR);
	if (fd < 0) {
		fprintf(stderr, "xs_read: /dev/xen/xenbus: %s\n", strerror(errno));
		return 1;
	}
	len = strlen(argv[1]) + 1;
	msg.hdr = (struct xsd_sockmsg){ .type = XS_READ, .len = len };
	memcpy(msg.body, argv[1], len);
	total = sizeof(msg.hdr) + len;
	if (write(fd, &msg, total) != (ssize_t)total) {
		fprintf(stderr, "xs_read: write: %s\n", strerror(errno));
		return 1;
	}
	/* The device queues a reply whole; one read takes all of it. */
	n = read(fd, &msg, sizeof(msg) - 1);
	if (n < (ssize_t)sizeof(msg.hdr) ||
	    msg.hdr.len > (size_t)n - sizeof(msg.hdr)) {
		fprintf(stderr, "xs_read: short reply\n");
		return 1;
	}
	msg.body[msg.hdr.len] = '\0';
	if (msg.hdr.type == XS_ERROR) {
		fprintf(stderr, "xs_read: %s: %s\n", argv[1], msg.body);
		return 1;
	}
	printf("%s\n", msg.body);
	return 0;
}
