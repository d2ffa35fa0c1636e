# shellcheck shell=bash
# xoq prepare: install host tools and build the cached test-bed image
# (xen.bin, the Debian kernel, the dom0 initramfs).  Sourced by xoq.
#
# The cache directory name holds every input that changes the image (package
# versions + a hash of dom0's /init and the recipe), so a warm run only has
# to ask apt for candidate versions and look for one file.

APT_UPDATED=0

apt_update() {
	local t0 out
	[ "$APT_UPDATED" = 1 ] && return
	is_root || die "apt lists are missing or stale and apt-get update needs root"
	t0=$(date +%s)
	out=$(apt-get "${APT_OPTS[@]}" update 2>&1) || { echo "$out" >&2; die "apt-get update failed"; }
	APT_UPDATED=1
	msg "prepare: apt lists updated ($(since "$t0")s)"
}

# apt_update for Debian release $1, the host's or another one (suite_apt).
SUITES_UPDATED=" "

suite_update() {
	local suite=$1 dir=$CACHE_ROOT/apt/$1 t0 out
	if [ "$suite" = "$(host_suite)" ]; then
		apt_update
		return
	fi
	[[ $SUITES_UPDATED != *" $suite "* ]] || return 0
	is_root || die "apt lists for $suite are missing or stale and apt-get update needs root"
	t0=$(date +%s)
	mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
	suite_sources "$suite" >"$dir/sources.list"
	suite_apt "$suite"
	out=$(apt-get "${APT_OPTS[@]}" "${SUITE_APT[@]}" update 2>&1) ||
		{ echo "$out" >&2; die "apt-get update for $suite failed"; }
	SUITES_UPDATED+="$suite "
	msg "prepare: apt lists for $suite updated ($(since "$t0")s)"
}

# apt_update for every release the test bed takes packages from.
update_used_suites() {
	local suite
	for suite in $(printf '%s\n' "$(host_suite)" "$(dom0_suite)" "$(guest_suite)" | sort -u); do
		suite_update "$suite"
	done
}

ensure_host_packages() {
	local t0 pkgs out
	read -ra pkgs <<<"$(host_packages "$1")"
	dpkg -s "${pkgs[@]}" >/dev/null 2>&1 && return
	is_root || die "missing host packages (${pkgs[*]}); run 'xoq prepare' as root"
	t0=$(date +%s)
	apt_update
	out=$(apt-get "${APT_OPTS[@]}" install -y --no-install-recommends "${pkgs[@]}" 2>&1) ||
		{ echo "$out" >&2; die "apt-get install ${pkgs[*]} failed"; }
	msg "prepare: host packages installed ($(since "$t0")s)"
}

# "package version" of kernel $2's image in release $1: the unsigned image
# if it exists (vmlinuz + modules are all we need), else the signed one.
kernel_pkg() {
	local pkg ver found=""
	while read -r pkg ver; do
		case $pkg in
		"linux-image-$2-unsigned") found="$pkg $ver" ;;
		"linux-image-$2") [ -n "$found" ] || found="$pkg $ver" ;;
		esac
	done < <(pkg_candidates "$1" "linux-image-$2-unsigned" "linux-image-$2")
	echo "${found:-linux-image-$2}"
}

# Sets XEN_VER, LINUX_PKG and LINUX_VER (dom0's kernel $DOM0_KVER),
# GUEST_PKG and GUEST_VER (the guest's kernel $KVER), CACHE_KEY (the dom0
# image) and GUEST_KEY (the guest kernel, when it is not dom0's).
resolve_versions() {
	XEN_VER=$(pkg_candidates "$(dom0_suite)" "$XEN_HV_PKG" | awk '{ print $2 }')
	read -r LINUX_PKG LINUX_VER < <(kernel_pkg "$(host_suite)" "$DOM0_KVER")
	GUEST_PKG=$LINUX_PKG GUEST_VER=$LINUX_VER GUEST_KEY=""
	if [ "$KVER" != "$DOM0_KVER" ]; then
		read -r GUEST_PKG GUEST_VER < <(kernel_pkg "$(guest_suite)" "$KVER")
		GUEST_KEY="linux-${KVER}_${GUEST_VER//:/_}"
	fi
	[ -n "$XEN_VER" ] && [ -n "$LINUX_VER" ] && [ -n "$GUEST_VER" ] || return 1
	# An epoch's ':' has no business in a file name.
	CACHE_KEY="xen-${XEN_VER//:/_}_linux-${DOM0_KVER}_${LINUX_VER//:/_}_$(dom0_hash)"
}

set_dirs() {
	CACHE_DIR=$CACHE_ROOT/$CACHE_KEY
	GUEST_DIR=$CACHE_DIR
	[ -z "$GUEST_KEY" ] || GUEST_DIR=$CACHE_ROOT/$GUEST_KEY
}

missing_what() {
	echo "apt knows no $XEN_HV_PKG ($(dom0_suite)), $LINUX_PKG ($(host_suite)) or $GUEST_PKG ($(guest_suite))"
}

# Sets KVER, DOM0_KVER, the versions of resolve_versions, CACHE_DIR (the
# dom0 image) and GUEST_DIR (where the guest's vmlinuz is); builds what is
# not cached yet.
prepare_main() {
	resolve_kver
	if { [ -z "$KVER" ] || [ -z "$DOM0_KVER" ]; } && is_root; then
		update_used_suites
		resolve_kver
	fi
	if [ -z "$KVER" ] || [ -z "$DOM0_KVER" ]; then
		die "cannot find the kernel ABI (apt-cache depends linux-image-amd64); run 'xoq prepare' as root or set XOQ_KVER"
	fi
	ensure_host_packages "$DOM0_KVER"
	if ! resolve_versions; then
		update_used_suites
		resolve_versions || die "$(missing_what)"
	fi
	set_dirs
	[ -f "$CACHE_DIR/ok" ] && [ -f "$GUEST_DIR/ok" ] && return

	is_root || die "the test-bed image is not built yet and building it needs root: run 'xoq prepare' as root"
	mkdir -p "$CACHE_ROOT"
	local lockfd
	exec {lockfd}>"$CACHE_ROOT/.lock"
	if ! flock -n "$lockfd"; then
		msg "prepare: waiting for another xoq prepare to finish"
		flock "$lockfd"
	fi
	# A cold build asks the mirror for the newest versions first: stale
	# lists name .debs the mirror may no longer have.
	update_used_suites
	resolve_versions || die "$(missing_what)"
	set_dirs
	if [ ! -f "$CACHE_DIR/ok" ]; then
		build_image
	fi
	if [ ! -f "$GUEST_DIR/ok" ]; then
		build_guest_kernel
	fi
	exec {lockfd}>&-
}

# Unmount whatever a killed debootstrap left mounted, then delete: --one-file-system
# keeps rm out of a /dev or /proc that is still bound into the tree.
remove_tree() {
	local dir=$1 m
	[ -e "$dir" ] || return 0
	awk -v p="$dir/" 'index($2, p) == 1 { print $2 }' /proc/mounts | sort -r |
		while read -r m; do umount -l "$m" || true; done
	rm -rf --one-file-system "$dir"
}

# Run a build step with its output in the build log.  The step runs in the
# background so that Ctrl-C reaches our trap at once (debootstrap carries on
# through SIGINT), and set -e stays in force inside it; a failing step ends
# the script through the EXIT trap, which reports it.
step() {
	local what=$1 t0
	shift
	t0=$(date +%s)
	STEP=$what
	("$@") >>"$BUILD_LOG" 2>&1 &
	STEP_PID=$!
	wait "$STEP_PID"
	STEP="" STEP_PID=""
	msg "prepare: $what ($(since "$t0")s, total $(since "$PREPARE_T0")s)"
}

# A process and everything it started.
tree_pids() {
	local kids=() kid
	echo "$1"
	read -ra kids 2>/dev/null <"/proc/$1/task/$1/children" || true
	for kid in "${kids[@]}"; do
		tree_pids "$kid"
	done
}

kill_tree() {
	local pids
	read -ra pids <<<"$(tree_pids "$1" | tr '\n' ' ')"
	kill -TERM "${pids[@]}" 2>/dev/null || true
}

build_cleanup() {
	local rc=$?
	if [ -n "${STEP_PID:-}" ]; then
		kill_tree "$STEP_PID"
		wait "$STEP_PID" 2>/dev/null || true
	fi
	if [ -n "${STEP:-}" ]; then
		cp "$BUILD_LOG" "$FAILED_LOG" 2>/dev/null || true
		msg "prepare: FAILED at: $STEP (log: $FAILED_LOG); last lines:"
		tail -n 20 "$BUILD_LOG" >&2 || true
	fi
	remove_tree "$TMP_DIR"
	[ "$rc" = 0 ] && rc=2
	exit "$rc"
}

# Path of a downloaded .deb (apt escapes the epoch colon as %3a).
deb_path() {
	local f
	for f in "$CACHE_ROOT/debs/${1}_${2//:/%3a}_"*.deb; do
		[ -f "$f" ] && echo "$f" && return
	done
	return 1
}

# download_debs SUITE PKG=VER...
download_debs() {
	local spec pkg ver
	suite_apt "$1"
	shift
	mkdir -p "$CACHE_ROOT/debs"
	for spec in "$@"; do
		pkg=${spec%%=*} ver=${spec#*=}
		deb_path "$pkg" "$ver" >/dev/null && continue
		(cd "$CACHE_ROOT/debs" && apt-get "${APT_OPTS[@]}" "${SUITE_APT[@]}" download "$pkg=$ver")
		deb_path "$pkg" "$ver" >/dev/null
	done
}

extract_xen() {
	local x=$TMP_DIR/xen-deb gz
	dpkg-deb -x "$(deb_path "$XEN_HV_PKG" "$XEN_VER")" "$x"
	gz=$(find "$x/boot" -name "xen-$XEN_SERIES-amd64.gz" -o -name "xen-$XEN_SERIES*.gz" | head -n 1)
	[ -n "$gz" ] || { echo "no /boot/xen-*.gz in $XEN_HV_PKG"; return 1; }
	# QEMU's -kernel loads the uncompressed multiboot ELF directly.
	zcat "$gz" >"$TMP_DIR/xen.bin"
	rm -rf "$x"
}

# kernel_debs SUITE PKG VER KVER: PKG=VER and, where the image package is
# split (Debian 14 on: vmlinuz in linux-binary-KVER, the modules in
# linux-modules-KVER), the parts it depends on, one PKG=VER per line.
kernel_debs() {
	suite_apt "$1"
	echo "$2=$3"
	apt-cache "${SUITE_APT[@]}" show "$2=$3" 2>/dev/null | sed -n 's/^Depends: //p' |
		head -n 1 | tr ',' '\n' |
		awk -F ' [(]= |[)]' -v b="linux-binary-$4" -v m="linux-modules-$4" '
			{ sub(/^ +/, "") } $1 == b || $1 == m { print $1 "=" $2 }'
}

# extract_linux KVER PKG=VER...: vmlinuz, and the modules in linux/.
extract_linux() {
	local kver=$1 spec
	shift
	for spec in "$@"; do
		dpkg-deb -x "$(deb_path "${spec%%=*}" "${spec#*=}")" "$TMP_DIR/linux"
	done
	# Debian 13 on ships the modules in /usr/lib/modules.
	if [ -d "$TMP_DIR/linux/usr/lib/modules" ]; then
		mkdir -p "$TMP_DIR/linux/lib"
		mv "$TMP_DIR/linux/usr/lib/modules" "$TMP_DIR/linux/lib/"
	fi
	# Debian 14 on ships vmlinuz with the modules, not in /boot.
	if [ -f "$TMP_DIR/linux/boot/vmlinuz-$kver" ]; then
		cp "$TMP_DIR/linux/boot/vmlinuz-$kver" "$TMP_DIR/vmlinuz"
	else
		mv "$TMP_DIR/linux/lib/modules/$kver/vmlinuz" "$TMP_DIR/vmlinuz"
	fi
	# The package ships no modules.dep; modprobe needs one.
	depmod -b "$TMP_DIR/linux" "$kver"
}

run_debootstrap() {
	local mirror=${XOQ_MIRROR:-http://deb.debian.org/debian} extra
	extra=$(echo "$DOM0_EXTRA" | tr ' ' ,)
	mkdir -p "$CACHE_ROOT/debootstrap"
	debootstrap --variant=minbase --include="$XEN_UTILS_PKG,kmod,busybox${extra:+,$extra}" \
		--cache-dir="$CACHE_ROOT/debootstrap" "$(dom0_suite)" "$TMP_DIR/root" "$mirror"
}

# debootstrap takes the release's xen-utils, which can be older than the
# hypervisor from the security archive; make every binary built from the xen
# source package match the hypervisor version.
align_xen_utils() {
	local root=$TMP_DIR/root pkg ver src specs=() debs=()
	# shellcheck disable=SC2016  # dpkg-query's own ${field} syntax
	while read -r pkg ver src; do
		[ "$src" = xen ] && [ "$ver" != "$XEN_VER" ] && specs+=("$pkg=$XEN_VER")
	done < <(chroot "$root" dpkg-query -W -f '${Package} ${Version} ${source:Package}\n')
	[ ${#specs[@]} -gt 0 ] || return 0
	echo "upgrading in dom0 root: ${specs[*]}"
	download_debs "$(dom0_suite)" "${specs[@]}"
	mkdir -p "$root/tmp/xoq-debs"
	for pkg in "${specs[@]}"; do
		cp "$(deb_path "${pkg%%=*}" "$XEN_VER")" "$root/tmp/xoq-debs/"
		debs+=("/tmp/xoq-debs/$(basename "$(deb_path "${pkg%%=*}" "$XEN_VER")")")
	done
	# Package scripts must not try to start daemons on the build host.
	printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
	chmod 755 "$root/usr/sbin/policy-rc.d"
	chroot "$root" dpkg -i "${debs[@]}"
	rm -rf "$root/tmp/xoq-debs" "$root/usr/sbin/policy-rc.d"
}

install_dom0_modules() {
	local root=$TMP_DIR/root tree=$TMP_DIR/linux m ko
	local dst=$root/lib/modules/$DOM0_KVER
	rm -rf "$root/lib/modules"
	mkdir -p "$dst"
	cp "$tree/lib/modules/$DOM0_KVER"/modules.{order,builtin,builtin.modinfo} "$dst/"
	for m in $DOM0_MODULES; do
		# "builtin NAME" lines need nothing; "insmod PATH" lines name files.
		modprobe -d "$tree" -S "$DOM0_KVER" --show-depends "$m" | awk '$1 == "insmod" { print $2 }' |
			while read -r ko; do
				mkdir -p "$root$(dirname "${ko#"$tree"}")"
				cp "$ko" "$root${ko#"$tree"}"
			done
	done
	depmod -b "$root" "$DOM0_KVER"
	# Every listed module must now resolve inside the dom0 root.
	for m in $DOM0_MODULES; do
		modprobe -d "$root" -S "$DOM0_KVER" --show-depends "$m" >/dev/null
	done
}

# dom0 runs from RAM: everything not needed to run xl goes.
strip_root() {
	local root=$TMP_DIR/root
	rm -rf "$root"/usr/share/{doc,man,info,locale,lintian,common-licenses,bash-completion,zsh}
	rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/* "$root"/var/cache/debconf/*-old
	rm -rf "$root"/var/log/* "$root"/usr/share/zoneinfo "$root"/usr/lib/x86_64-linux-gnu/gconv
	# Only pygrub and friends need Python; udev's hardware database is unused.
	rm -rf "$root"/usr/lib/python3* "$root"/usr/lib/python3 "$root"/usr/bin/python3* "$root"/usr/lib/udev/hwdb.*
	install -m 0755 "$XOQ_DIR/dom0-init.sh" "$root/init"
	du -sh "$root"
}

pack_dom0() {
	(cd "$TMP_DIR/root" && find . -print0 | cpio --null -o -H newc --quiet) | gzip -1 >"$TMP_DIR/dom0.cpio.gz"
	ls -l "$TMP_DIR/dom0.cpio.gz"
}

write_info() {
	cat >"$TMP_DIR/versions" <<-EOF
		kver=$DOM0_KVER
		xen_pkg=$XEN_HV_PKG
		xen_ver=$XEN_VER
		linux_pkg=$LINUX_PKG
		linux_ver=$LINUX_VER
		suite=$(dom0_suite)
		extra=$DOM0_EXTRA
		dom0_hash=$(dom0_hash)
		built=$(date -u +%Y-%m-%dT%H:%M:%SZ)
	EOF
	# shellcheck disable=SC2016  # dpkg-query's own ${field} syntax
	chroot "$TMP_DIR/root" dpkg-query -W -f '${Package} ${Version}\n' >"$TMP_DIR/dom0-packages"
}

# begin_build KEY: a temporary directory TMP_DIR that commit_build renames
# to CACHE_ROOT/KEY; a failure in between reports and cleans up.
begin_build() {
	PREPARE_T0=$(date +%s)
	TMP_DIR=$CACHE_ROOT/.tmp-$1.$$
	BUILD_LOG=$TMP_DIR/build.log
	FAILED_LOG=$CACHE_ROOT/prepare-failed.log
	remove_tree "$TMP_DIR"
	mkdir -p "$TMP_DIR"
	msg "prepare: building $1"
	trap build_cleanup EXIT
	trap 'exit 130' INT TERM
}

# Keep the kernel's module tree (depmod'ed) for anyone who needs a Debian
# module in a guest, mark the build complete and move it into place.
commit_build() {
	mkdir -p "$TMP_DIR/modules/lib"
	mv "$TMP_DIR/linux/lib/modules" "$TMP_DIR/modules/lib/"
	remove_tree "$TMP_DIR/linux"
	touch "$TMP_DIR/ok"
	# Atomic: readers see either no cache dir or a complete one.
	mv -T "$TMP_DIR" "$1"
	trap - EXIT INT TERM
	rm -f "$FAILED_LOG"
	msg "prepare: done in $(since "$PREPARE_T0")s: $1"
}

# A guest kernel other than dom0's: vmlinuz and modules only.
build_guest_kernel() {
	local debs
	begin_build "$GUEST_KEY"
	mapfile -t debs < <(kernel_debs "$(guest_suite)" "$GUEST_PKG" "$GUEST_VER" "$KVER")
	step "downloaded ${debs[*]%%=*}" download_debs "$(guest_suite)" "${debs[@]}"
	step "extracted guest vmlinuz and modules" extract_linux "$KVER" "${debs[@]}"
	commit_build "$GUEST_DIR"
}

build_image() {
	begin_build "$CACHE_KEY"
	step "downloaded $XEN_HV_PKG" download_debs "$(dom0_suite)" "$XEN_HV_PKG=$XEN_VER"
	step "downloaded $LINUX_PKG" download_debs "$(host_suite)" "$LINUX_PKG=$LINUX_VER"
	step "extracted xen.bin" extract_xen
	step "extracted vmlinuz and modules" extract_linux "$DOM0_KVER" "$LINUX_PKG=$LINUX_VER"
	step "debootstrapped dom0 root" run_debootstrap
	step "aligned xen-utils with the hypervisor" align_xen_utils
	step "installed dom0 modules" install_dom0_modules
	step "stripped dom0 root" strip_root
	step "wrote versions" write_info
	step "packed dom0 initramfs" pack_dom0
	# The cpio has the dom0 root.
	remove_tree "$TMP_DIR/root"
	commit_build "$CACHE_DIR"
}
