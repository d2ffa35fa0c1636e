// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/xen/hcall: privcmd's IOCTL_PRIVCMD_HYPERCALL, run through the
 * preemptible path so that a long toolstack hypercall no longer holds its
 * CPU.  Only the hypercall ioctl is offered; mapping foreign memory stays
 * privcmd's business.
 *
 * An open file holds a reference on the module (fops.owner), so the module
 * cannot be unloaded while a hypercall issued here is in flight, including
 * one whose task sleeps in the reschedule stub.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/uaccess.h>
#include <uapi/xen_preempt/hcall.h>

#include "internal.h"

static int xhc_dev_open(struct inode *inode, struct file *file)
{
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	return nonseekable_open(inode, file);
}

static long xhc_dev_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	struct privcmd_hypercall hc;

	if (cmd != IOCTL_PRIVCMD_HYPERCALL)
		return -ENOTTY;
	if (copy_from_user(&hc, (void __user *)arg, sizeof(hc)))
		return -EFAULT;
	if (hc.op >= XEN_HCALL_NR_OPS)
		return -EINVAL;

	/* Pointers inside the arguments are Xen's to check: it returns -EFAULT. */
	return xhc_user_hypercall(hc.op, hc.arg[0], hc.arg[1], hc.arg[2],
				  hc.arg[3], hc.arg[4]);
}

static const struct file_operations xhc_dev_fops = {
	.owner = THIS_MODULE,
	.open = xhc_dev_open,
	.unlocked_ioctl = xhc_dev_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice xhc_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "xen/hcall",
	.fops = &xhc_dev_fops,
	.mode = 0600,
};

int xhc_device_init(void)
{
	int ret = misc_register(&xhc_dev);

	if (ret)
		pr_err("cannot register /dev/%s: %d\n", xhc_dev.name, ret);
	return ret;
}

void xhc_device_exit(void)
{
	misc_deregister(&xhc_dev);
}
