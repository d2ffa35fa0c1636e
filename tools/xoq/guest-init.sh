#!/bin/sh
# /init of the test guest (busybox initramfs, built per run).
#
# Runs /payload/run with its output on the console, then prints the end
# marker "XOQ-END rc=<exit status>" that the host waits for, and powers off.
# Interactive runs (XOQ_INTERACTIVE=1) run the payload if there is one and
# then give a shell; leaving the shell powers off.

PATH=/usr/sbin:/usr/bin:/sbin:/bin
export PATH

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
mount -t tmpfs tmpfs /tmp
mount -t debugfs debugfs /sys/kernel/debug
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
# insmod/modprobe look here even for modules given by path.
mkdir -p "/lib/modules/$(uname -r)"
hostname guest

# XOQ_MODE (xen | no-xen), XOQ_VCPUS, XOQ_INTERACTIVE: for the payload too.
set -a
# shellcheck source=/dev/null
. /etc/xoq.conf
set +a

# An HVM guest's console reaches nobody: its output goes to Xen's debug port
# instead, through a FIFO so that the payload still writes to a file.
if [ "${XOQ_GUEST_TYPE:-}" = hvm ]; then
	mkfifo /tmp/.console
	debugcon </tmp/.console &
	exec >/tmp/.console 2>&1
fi

run_payload() {
	cd /payload || return 127
	if [ -x ./run ]; then
		./run
	elif [ -f ./run ]; then
		sh ./run
	else
		echo "xoq: no /payload/run"
		return 127
	fi
}

# The guest booted: the host times the payload from here (without Xen).
echo "XOQ-START"

if [ "${XOQ_INTERACTIVE:-0}" = 1 ]; then
	[ -f /payload/run ] && run_payload
	echo "xoq: guest shell (XOQ_MODE=$XOQ_MODE); exit it to power off"
	cd /
	setsid cttyhack sh -l
	rc=0
else
	# A payload that reads stdin must not wait for a person who is not there.
	run_payload </dev/null
	rc=$?
fi

echo "XOQ-END rc=$rc"
# Give the console (xenconsoled, in the Xen case) time to take the last line.
sync
sleep 1
poweroff -f
