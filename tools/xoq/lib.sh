# shellcheck shell=bash disable=SC2034  # the variables are for the sourcing files
# Shared functions for xoq: messages, paths, package and version lookup.
# Sourced by the xoq entry point; nothing here runs on its own.

XOQ_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$XOQ_DIR/../.." && pwd)
CACHE_ROOT=${XOQ_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/xen-preempt}

# The Xen release the test bed uses; the binary package names follow from it.
XEN_SERIES=${XOQ_XEN_SERIES:-4.17}
XEN_HV_PKG=xen-hypervisor-$XEN_SERIES-amd64
XEN_UTILS_PKG=xen-utils-$XEN_SERIES

# Modules dom0 needs for the toolstack (their dependencies come along).
DOM0_MODULES="xenfs xen-evtchn xen-gntdev xen-gntalloc xen-privcmd"

# Bump when the way the dom0 image is built changes: it is part of the cache key.
DOM0_RECIPE=2

export DEBIAN_FRONTEND=noninteractive
# apt-get download as root otherwise warns that the _apt user cannot write here.
APT_OPTS=(-q -o APT::Sandbox::User=root)

msg() { printf 'xoq: %s\n' "$*" >&2; }
die() { msg "error: $*"; exit 2; }
usage_error() { msg "usage error: $*"; exit 64; }

# Seconds since $1 (an epoch timestamp), for stage lines.
since() { echo $(( $(date +%s) - $1 )); }

is_root() { [ "$(id -u)" = 0 ]; }

# "package version" for each package apt has a candidate for (one apt-cache
# call: each one costs about half a second).
pkg_candidates() {
	apt-cache policy "$@" 2>/dev/null |
		awk '/^[^ ]/ { p = $1; sub(/:$/, "", p) } $1 == "Candidate:" && $2 != "(none)" { print p, $2 }'
}

apt_lists_present() {
	compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null
}

# The kernel ABI the test bed uses: Debian's current one for this release,
# i.e. what the linux-image-amd64 metapackage depends on.
resolve_kver() {
	if [ -n "${XOQ_KVER:-}" ]; then
		echo "$XOQ_KVER"
		return
	fi
	apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: linux-image-\([0-9][^ ]*\)$/\1/p' | head -n 1
}

# Host tools the test bed needs, plus the headers other code builds against.
host_packages() {
	echo qemu-system-x86 debootstrap cpio busybox-static gzip kmod util-linux \
		coreutils "linux-headers-$1"
}

# Debian release for the dom0 root: the host's own unless overridden.
dom0_suite() {
	if [ -n "${XOQ_SUITE:-}" ]; then
		echo "$XOQ_SUITE"
		return
	fi
	# shellcheck disable=SC1091
	(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
}

# Short hash of everything baked into the dom0 image that is not a package
# version: its /init, the module list, the recipe number and the suite.
dom0_hash() {
	{
		cat "$XOQ_DIR/dom0-init.sh"
		echo "recipe=$DOM0_RECIPE modules=$DOM0_MODULES suite=$(dom0_suite)"
	} | sha256sum | cut -c1-10
}
