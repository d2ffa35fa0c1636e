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
# to be created), ALIVE (every 30 s), SILENT (see below), GUEST-DEAD
# <domid> (below), GUEST-GONE, TIMEOUT guest <s>, ERROR <what>, DONE.

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

# A heartbeat for the host, which stops a run whose serial console stays
# silent too long (a silent guest alone must not look like a hang).
if [ "${INTERACTIVE:-0}" != 1 ]; then
	(while sleep 30; do say ALIVE; done) &
fi

# xoq run --pvh-dom0: the payload runs here, in dom0, instead of a guest.
if [ -r /xoq/dom0-payload.sh ]; then
	# shellcheck source=tools/xoq/dom0-payload.sh
	. /xoq/dom0-payload.sh
	say DONE
	off
fi

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

# A guest line containing XOQ-SAVE-RESTORE-REQUEST asks for `xl save` of
# the guest to a file in our tmpfs and `xl restore` from it; the guest goes
# on where it was (its suspend/resume tests).  The file holds the guest's
# memory in ours: refused when it would not fit.  On a failure the guest is
# destroyed, so that the run ends with the ERROR line.
save_restore() {
	file=/tmp/guest.save
	need=$(xl list "$GUEST_NAME" | awk 'NR == 2 { print $3 }')
	avail=$(awk '$1 == "MemAvailable:" { print int($2 / 1024) }' /proc/meminfo)
	# Room for xl and the restore besides the file.
	if [ "${need:-0}" -ge $((avail - 256)) ]; then
		say "ERROR save-restore: the guest's ${need:-?} MiB do not fit in dom0's ${avail} MiB available (use less guest memory)"
		return 1
	fi
	t0=$(date +%s)
	xl -v save "$GUEST_NAME" "$file" >/tmp/save.log 2>&1 || {
		sed 's/^/xl save: /' /tmp/save.log | tail -n 40
		say "ERROR xl save: $(tail -n 1 /tmp/save.log)"
		return 1
	}
	t1=$(date +%s)
	say "SAVE-RESTORE saved $(($(stat -c %s "$file") >> 20)) MiB in $((t1 - t0))s"
	xl -v restore "$file" >/tmp/save.log 2>&1 || {
		sed 's/^/xl restore: /' /tmp/save.log | tail -n 40
		say "ERROR xl restore: $(tail -n 1 /tmp/save.log)"
		return 1
	}
	rm -f "$file"
	say "SAVE-RESTORE restored in $(($(date +%s) - t1))s"
}

# A guest whose console stays silent this long gets Xen's view of it in
# Xen's log, once per silence: debug key q (per vCPU: upcall_pend,
# upcall_mask, blocked or running), e (event channels), r (the
# scheduler's run queues) and v (the VMCBs: the guest's RIP and RFLAGS,
# and whether Xen has an interrupt waiting for it to be injected); in
# dom0's log, xenctx's dump of the guest's vCPUs and stacks.  A
# guest that lost an upcall shows as blocked with upcall_pend set; one
# that Xen does not run, as runnable.
SILENCE_DUMP=45

# A guest that triple-faulted stays (on_reboot = "preserve": a triple
# fault reboots the domain), shut down, under its name: its vCPUs'
# registers and the code around their RIP, read from its own memory, and
# Xen's VMCBs, for the host to tell the emulator's fault from a real one;
# then it goes.  (A guest that powers off is shut down too, briefly,
# before xl destroys it: Xen's log tells the two apart.)
dump_dead_guest() {
	state=$(xl list "$GUEST_NAME" 2>/dev/null | awk 'NR == 2 { print $5 }')
	case $state in
	*s* | *c*) ;;
	*) return 1 ;;
	esac
	id=$(xl domid "$GUEST_NAME")
	xl dmesg | grep -q "d${id}v[0-9]* Triple fault" || return 1
	say "GUEST-DEAD $id: xenctx and Xen's debug key v follow"
	"$XENBIN/xenctx" -a -C "$id" 2>&1 | sed "s/^/xenctx d$id: /"
	xl debug-keys v
	xl destroy "$GUEST_NAME"
}

start=$(date +%s)
saves=0
heard=$start
heard_size=0
dumped=0
while xl list "$GUEST_NAME" >/dev/null 2>&1; do
	now=$(date +%s)
	size=$(stat -c %s "$log" 2>/dev/null || echo 0)
	if [ "$size" != "$heard_size" ]; then
		heard=$now
		heard_size=$size
		dumped=0
	elif [ "$dumped" = 0 ] && [ $((now - heard)) -ge "$SILENCE_DUMP" ]; then
		say "SILENT guest ${SILENCE_DUMP}s: Xen's debug keys q, e, r and v follow"
		for key in q e r v; do
			xl debug-keys "$key"
		done
		# Two more VMCB samples: a vCPU that keeps exiting shows
		# the event it was delivering in one of them.
		for key in v v; do
			sleep 1
			xl debug-keys "$key"
		done
		# Each vCPU's registers and stack, as addresses (a PVH
		# guest's kernel is not relocated: /proc/kallsyms of any
		# boot of the same kernel names them).
		"$XENBIN/xenctx" -a -S -C "$(xl domid "$GUEST_NAME")" 2>&1 |
			sed 's/^/xenctx: /'
		dumped=1
	fi
	if dump_dead_guest; then
		break
	fi
	if [ $((now - start)) -ge "$GUEST_TIMEOUT" ]; then
		say "TIMEOUT guest ${GUEST_TIMEOUT}s"
		xl destroy "$GUEST_NAME"
		break
	fi
	requests=$(grep -c XOQ-SAVE-RESTORE-REQUEST "$log" 2>/dev/null)
	if [ "${requests:-0}" -gt "$saves" ]; then
		saves=$((saves + 1))
		if ! save_restore; then
			xl destroy "$GUEST_NAME" 2>/dev/null
			break
		fi
		continue
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
