# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# What the host-side tools (tools/deb, tools/deb-test, tools/dkms-test,
# tools/bench, tools/check) share: Debian packages, the machine's DKMS
# tree, a snapshot of the source tree.  Source it.

pkg_installed() {
	[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

# ensure_packages LOG PKG...: apt-get install, non-interactively, the
# packages that are missing; apt-get update only when the first attempt
# fails.  apt's output goes to LOG; on failure its tail is printed as
# "# " lines and the status is 1.
ensure_packages() {
	local log=$1 p missing=()
	shift
	for p in "$@"; do
		pkg_installed "$p" || missing+=("$p")
	done
	[ ${#missing[@]} -gt 0 ] || return 0
	echo "# installing ${missing[*]}"
	if ! DEBIAN_FRONTEND=noninteractive apt-get install -y \
		--no-install-recommends "${missing[@]}" </dev/null >"$log" 2>&1; then
		{ apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install \
			-y --no-install-recommends "${missing[@]}"; } \
			</dev/null >>"$log" 2>&1 || {
			tail -n 20 "$log" | sed 's/^/# /'
			return 1
		}
	fi
}

# lock_dkms_tree SECONDS: wait up to SECONDS until no other run of tools/dkms-test or
# tools/deb-test, from any checkout, uses this machine's DKMS tree and
# /lib/modules (both install xen_hcall.ko and xen_upcall.ko there), then
# hold it until the caller exits.  Uses file descriptor 9.
lock_dkms_tree() {
	exec 9>>"${TMPDIR:-/tmp}/xen-preempt-dkms.lock"
	flock -w "$1" 9
}

# snapshot_tree REPO DEST: a copy of the source tree REPO in DEST (emptied
# first), without build products, the build/ directory or git's data, so
# that a build there sees every warning and never touches what a user
# built in REPO.
snapshot_tree() {
	rm -rf "$2"
	mkdir -p "$2"
	tar -C "$1" --exclude=./build --exclude=./.git --exclude='*.o' \
		--exclude='*.ko' --exclude='*.mod' --exclude='*.mod.c' \
		--exclude='*.cmd' --exclude='*.a' --exclude='*.order' \
		--exclude=Module.symvers --exclude='*.o.d' \
		--exclude=__pycache__ -cf - . |
		tar -C "$2" -xf - &&
		make -s -C "$2/selftests" clean KDIR=/nonexistent >/dev/null
}
