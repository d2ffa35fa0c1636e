# shellcheck shell=bash disable=SC2034  # the variables are for run.sh
# xoq run --pvh-dom0 and --pv-dom0: the payload runs in dom0 itself, not in
# a guest, so that it can drive the toolstack (xl) and load modules into
# dom0.  --pv-dom0 keeps the test bed's usual PV dom0; --pvh-dom0 boots
# dom0 as a PVH domain, which Xen builds only with an IOMMU: QEMU emulates
# an AMD one (interrupt remapping on, which needs the q35 machine).
# The payload finds the xl config of a small idle PVH guest in
# $XOQ_GUEST_CFG; dom0's side is dom0-payload.sh.  Sourced by run.sh.

# QEMU arguments on top of the usual ones, for Xen runs.
XEN_QEMU_EXTRA=()

# dom0_payload_setup MODE PAYLOAD_DIR DOM0_CMDLINE_EXTRA: MODE is pv-dom0
# or pvh-dom0.  Adjusts the Xen and dom0 command lines and QEMU's
# arguments, puts the payload and dom0's side into the overlay (before
# build_overlay adds the rest), and sets PVH_GUEST_PAYLOAD, the payload of
# the guest: it only idles.
dom0_payload_setup() {
	local mode=$1 payload=$2 extra=$3 o=$WORK/overlay
	if [ "$mode" = pvh-dom0 ]; then
		XEN_CMDLINE="$XEN_CMDLINE dom0=pvh iommu=1"
		# shellcheck disable=SC2054  # the commas are QEMU's
		XEN_QEMU_EXTRA=(-machine q35 -device amd-iommu,intremap=on)
	fi
	DOM0_CMDLINE="$DOM0_CMDLINE${extra:+ $extra}"
	mkdir -p "$o/xoq" "$o/payload" "$WORK/idle"
	cp -a "$payload/." "$o/payload/"
	install -m 0644 "$XOQ_DIR/dom0-payload.sh" "$o/xoq/dom0-payload.sh"
	echo "$mode" >"$o/xoq/dom0-mode"
	printf '#!/bin/sh\nexec sleep 1000000\n' >"$WORK/idle/run"
	chmod 0755 "$WORK/idle/run"
	PVH_GUEST_PAYLOAD=$WORK/idle
}
