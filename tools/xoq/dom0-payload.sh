# shellcheck shell=sh
# Sourced by dom0's /init (dom0-init.sh) in PV- or PVH-dom0 mode (xoq run
# --pv-dom0 or --pvh-dom0, see pvh-dom0.sh) once the toolstack is up, instead of
# starting the guest: runs /payload/run here in dom0 under the guest's time
# limit, its output tagged "G| " like a guest console line, since that is
# where the host looks for the test output and the end line
# "XOQ-END rc=N".  dom0's kernel messages stay untagged (dom0.log).

mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
XOQ_MODE=$(cat /xoq/dom0-mode)
XOQ_VCPUS=$(grep -c ^processor /proc/cpuinfo)
XOQ_INTERACTIVE=0
XOQ_GUEST_CFG=/xoq/guest.cfg
XOQ_GUEST_NAME=$GUEST_NAME
export XOQ_MODE XOQ_VCPUS XOQ_INTERACTIVE XOQ_GUEST_CFG XOQ_GUEST_NAME

{
	(cd /payload && exec timeout -k 10 "$GUEST_TIMEOUT" sh ./run) </dev/null 2>&1
	echo $? >/run/payload-rc
} | sed -u 's/^/G| /'
rc=$(cat /run/payload-rc)
# timeout's status when it had to stop the payload (TERM, then KILL).
if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
	say "TIMEOUT guest ${GUEST_TIMEOUT}s"
	xl destroy "$GUEST_NAME" 2>/dev/null
else
	echo "G| XOQ-END rc=$rc"
fi
