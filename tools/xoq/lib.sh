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

# The guest: pvh (no device model) or hvm (QEMU in dom0, SeaBIOS).
GUEST_TYPE=${XOQ_GUEST_TYPE:-pvh}
case $GUEST_TYPE in
pvh) DOM0_EXTRA="" ;;
# The device model and firmware xl starts for an HVM guest.
hvm) DOM0_EXTRA="qemu-system-xen seabios" ;;
*) printf 'xoq: usage error: XOQ_GUEST_TYPE must be pvh or hvm, not %s\n' "$GUEST_TYPE" >&2; exit 64 ;;
esac

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

host_suite() {
	# shellcheck disable=SC1091
	(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
}

# apt options that make apt-get and apt-cache see Debian release $1: none for
# the host's own release; for another one, a sources list and package lists
# of its own under the cache, so the system's apt configuration is untouched.
# Sets SUITE_APT.
suite_apt() {
	local dir=$CACHE_ROOT/apt/$1
	SUITE_APT=()
	[ "$1" != "$(host_suite)" ] || return 0
	SUITE_APT=(-o "Dir::Etc::sourcelist=$dir/sources.list" -o Dir::Etc::sourceparts=-
		-o "Dir::State::Lists=$dir/lists" -o "Dir::Cache=$dir/cache")
}

# The sources list for release $1 (unstable has no -updates or -security).
suite_sources() {
	local mirror=${XOQ_MIRROR:-http://deb.debian.org/debian}
	echo "deb $mirror $1 main"
	case $1 in
	sid | unstable) ;;
	*)
		echo "deb $mirror $1-updates main"
		echo "deb ${XOQ_SECURITY_MIRROR:-http://deb.debian.org/debian-security} $1-security main"
		;;
	esac
}

# "package version" for each package apt has a candidate for in release
# $1 (one apt-cache call: each one costs about half a second).
pkg_candidates() {
	suite_apt "$1"
	shift
	apt-cache "${SUITE_APT[@]}" policy "$@" 2>/dev/null |
		awk '/^[^ ]/ { p = $1; sub(/:$/, "", p) } $1 == "Candidate:" && $2 != "(none)" { print p, $2 }'
}

apt_lists_present() {
	compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null
}

# The kernel ABI Debian release $1 currently ships, i.e. what its
# linux-image-amd64 metapackage depends on.
suite_kver() {
	suite_apt "$1"
	apt-cache "${SUITE_APT[@]}" depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: linux-image-\([0-9][^ ]*\)$/\1/p' | head -n 1
}

# Debian release of the guest kernel: the host's unless overridden (e.g.
# trixie for 6.12).  dom0 always runs the host release's kernel.
guest_suite() {
	echo "${XOQ_GUEST_SUITE:-$(host_suite)}"
}

# Sets KVER (the guest kernel: XOQ_KVER, else the guest release's current
# one) and DOM0_KVER (the same when the guest kernel comes from the host's
# release, else the host release's current one).  Empty when apt's lists
# do not know.
resolve_kver() {
	KVER=${XOQ_KVER:-$(suite_kver "$(guest_suite)")}
	if [ "$(guest_suite)" = "$(host_suite)" ]; then
		DOM0_KVER=$KVER
	else
		DOM0_KVER=$(suite_kver "$(host_suite)")
	fi
}

# Host tools the test bed needs, plus the headers other code builds against.
host_packages() {
	echo qemu-system-x86 debootstrap cpio busybox-static gzip kmod util-linux \
		coreutils "linux-headers-$1"
}

# Debian release for the dom0 root and the hypervisor: the one whose
# xen-utils are of XEN_SERIES (the toolstack must match the hypervisor),
# unless overridden.
dom0_suite() {
	if [ -n "${XOQ_SUITE:-}" ]; then
		echo "$XOQ_SUITE"
		return
	fi
	case $XEN_SERIES in
	4.17) echo bookworm ;;
	4.20) echo trixie ;;
	*) host_suite ;;
	esac
}

# Short hash of everything baked into the dom0 image that is not a package
# version: its /init, the module list, the recipe number, the suite and the
# extra packages (the HVM device model).
dom0_hash() {
	{
		cat "$XOQ_DIR/dom0-init.sh"
		echo "recipe=$DOM0_RECIPE modules=$DOM0_MODULES suite=$(dom0_suite)${DOM0_EXTRA:+ extra=$DOM0_EXTRA}"
	} | sha256sum | cut -c1-10
}
