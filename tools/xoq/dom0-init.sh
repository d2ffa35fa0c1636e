#!/bin/sh
# /init of the test bed's dom0 (baked into the cached dom0 initramfs).
#
# Brings up the minimum of the Xen toolstack, starts one PVH guest from the
# per-run overlay in /xoq, streams its console to ours with every line
# prefixed "G| " so the host can tell guest lines from Xen's and dom0's, and
# powers the machine off when the guest is gone or its time is up.
#
# Per-run input (from the small cpio the host appends to the initrd):
#   /xoq/params     GUEST_NAME GUEST_TIMEOUT INTERACTIVE (shell assignments)
#   /xoq/guest.cfg  the xl config; kernel and ramdisk next to it
# Lines for the host start with "XOQ-DOM0 ": READY (toolstack up, guest about
# to be created), GUEST-GONE, TIMEOUT guest <s>, ERROR <what>, DONE.

PATH=/usr/sbin:/usr/bin:/sbin:/bin
export PATH

say() { echo "XOQ-DOM0 $*"; }

off() {
	sync
	busybox poweroff -f
	# Not reached; if it is, the kernel panics when /init exits and Xen
	# (noreboot) stops there, which the host reports as a failure too.
	sleep 10
	exit 1
}

fail() {
	say "ERROR $*"
	off
}

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
mkdir -p /dev/pts
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /tmp
# /var/lock and /var/run point into /run; xl needs its lock directory.
mkdir -p /run/lock /run/xen /run/xenstored /var/log/xen /var/lib/xen /var/lib/xenstored
hostname dom0

[ -r /xoq/params ] || fail "no /xoq/params: the per-run overlay is missing"
# shellcheck source=/dev/null
. /xoq/params

for m in xenfs xen-evtchn xen-gntdev xen-gntalloc xen-privcmd; do
	modprobe "$m" || fail "modprobe $m"
done
mount -t xenfs xenfs /proc/xen || fail "mount xenfs"

for XENBIN in /usr/lib/xen-*/bin; do break; done
export XENSTORED_ROOTDIR=/run/xenstored
"$XENBIN/oxenstored" --pid-file /run/xenstore.pid || fail "oxenstored"
i=0
until xenstore-read -s / >/dev/null 2>&1; do
	i=$((i + 1))
	[ "$i" -le 30 ] || fail "xenstored did not come up in 30s"
	sleep 1
done
"$XENBIN/xen-init-dom0" >/dev/null || fail "xen-init-dom0"
"$XENBIN/xenconsoled" --log=guest --log-dir=/var/log/xen --pid-file /run/xenconsoled.pid ||
	fail "xenconsoled"

say READY

if [ "${INTERACTIVE:-0}" = 1 ]; then
	# The guest console is attached to ours (which is QEMU's stdio).
	xl create -c /xoq/guest.cfg || say "ERROR xl create"
	say DONE
	off
fi

xl create /xoq/guest.cfg || fail "xl create"

# Stream the guest console; tail exits (after a final read) once the
# sentinel is gone, so no line written before that is lost.
log=/var/log/xen/guest-$GUEST_NAME.log
sleep 1000000 &
sentinel=$!
tail -n +1 -F --pid="$sentinel" "$log" 2>/dev/null | sed -u 's/\r$//; s/^/G| /' &
streamer=$!

start=$(date +%s)
while xl list "$GUEST_NAME" >/dev/null 2>&1; do
	if [ $(($(date +%s) - start)) -ge "$GUEST_TIMEOUT" ]; then
		say "TIMEOUT guest ${GUEST_TIMEOUT}s"
		xl destroy "$GUEST_NAME"
		break
	fi
	sleep 1
done
say GUEST-GONE
# xenconsoled may still be writing the last ring contents to the log.
sleep 0.5
kill "$sentinel"
wait "$streamer"
say DONE
off
