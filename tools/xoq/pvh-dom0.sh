# shellcheck shell=bash disable=SC2034  # the variables are for run.sh
# xoq run --pvh-dom0: dom0 boots as a PVH domain and the payload runs in
# dom0 itself, not in a guest, so that it can drive the toolstack (xl) and
# load modules into dom0.  Xen builds a PVH dom0 only with an IOMMU: QEMU
# emulates an AMD one (interrupt remapping on, which needs the q35 machine).
# The payload finds the xl config of a small idle PVH guest in
# $XOQ_GUEST_CFG; dom0's side is dom0-payload.sh.  Sourced by run.sh.

# QEMU arguments on top of the usual ones, for Xen runs.
XEN_QEMU_EXTRA=()

# pvh_dom0_setup PAYLOAD_DIR DOM0_CMDLINE_EXTRA: adjusts the Xen and dom0
# command lines and QEMU's arguments, puts the payload and dom0's side
# into the overlay (before build_overlay adds the rest), and sets
# PVH_GUEST_PAYLOAD, the payload of the guest: it only idles.
pvh_dom0_setup() {
	local payload=$1 extra=$2 o=$WORK/overlay
	XEN_CMDLINE="$XEN_CMDLINE dom0=pvh iommu=1"
	DOM0_CMDLINE="$DOM0_CMDLINE${extra:+ $extra}"
	# shellcheck disable=SC2054  # the commas are QEMU's
	XEN_QEMU_EXTRA=(-machine q35 -device amd-iommu,intremap=on)
	mkdir -p "$o/xoq" "$o/payload" "$WORK/idle"
	cp -a "$payload/." "$o/payload/"
	install -m 0644 "$XOQ_DIR/dom0-payload.sh" "$o/xoq/dom0-payload.sh"
	printf '#!/bin/sh\nexec sleep 1000000\n' >"$WORK/idle/run"
	chmod 0755 "$WORK/idle/run"
	PVH_GUEST_PAYLOAD=$WORK/idle
}
