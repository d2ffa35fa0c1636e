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

# Sets XEN_VER LINUX_PKG LINUX_VER CACHE_KEY for kernel $KVER.
# The kernel package is the unsigned image if it exists (vmlinuz + modules
# are all we need), else the signed one.
resolve_versions() {
	local pkg ver
	XEN_VER="" LINUX_PKG="" LINUX_VER=""
	while read -r pkg ver; do
		case $pkg in
		"$XEN_HV_PKG") XEN_VER=$ver ;;
		"linux-image-$KVER-unsigned") LINUX_PKG=$pkg LINUX_VER=$ver ;;
		"linux-image-$KVER") [ -n "$LINUX_PKG" ] || LINUX_PKG=$pkg LINUX_VER=$ver ;;
		esac
	done < <(pkg_candidates "$XEN_HV_PKG" "linux-image-$KVER-unsigned" "linux-image-$KVER")
	if [ -z "$XEN_VER" ] || [ -z "$LINUX_VER" ]; then
		LINUX_PKG=${LINUX_PKG:-linux-image-$KVER}
		return 1
	fi
	# An epoch's ':' has no business in a file name.
	CACHE_KEY="xen-${XEN_VER//:/_}_linux-${KVER}_${LINUX_VER//:/_}_$(dom0_hash)"
}

# Sets KVER, XEN_VER, LINUX_PKG, LINUX_VER, CACHE_KEY and CACHE_DIR; builds
# the image if it is not cached yet.
prepare_main() {
	KVER=$(resolve_kver)
	if [ -z "$KVER" ] && is_root; then
		apt_update
		KVER=$(resolve_kver)
	fi
	[ -n "$KVER" ] || die "cannot find the kernel ABI (apt-cache depends linux-image-amd64); run 'xoq prepare' as root or set XOQ_KVER"
	ensure_host_packages "$KVER"
	if ! resolve_versions; then
		apt_update
		resolve_versions || die "apt knows no $XEN_HV_PKG or $LINUX_PKG"
	fi
	CACHE_DIR=$CACHE_ROOT/$CACHE_KEY
	[ -f "$CACHE_DIR/ok" ] && return

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
	apt_update
	resolve_versions || die "apt knows no $XEN_HV_PKG or $LINUX_PKG"
	CACHE_DIR=$CACHE_ROOT/$CACHE_KEY
	if [ ! -f "$CACHE_DIR/ok" ]; then
		build_image
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

download_debs() {
	local spec pkg ver
	mkdir -p "$CACHE_ROOT/debs"
	for spec in "$@"; do
		pkg=${spec%%=*} ver=${spec#*=}
		deb_path "$pkg" "$ver" >/dev/null && continue
		(cd "$CACHE_ROOT/debs" && apt-get "${APT_OPTS[@]}" download "$pkg=$ver")
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

extract_linux() {
	dpkg-deb -x "$(deb_path "$LINUX_PKG" "$LINUX_VER")" "$TMP_DIR/linux"
	cp "$TMP_DIR/linux/boot/vmlinuz-$KVER" "$TMP_DIR/vmlinuz"
	# The package ships no modules.dep; modprobe needs one.
	depmod -b "$TMP_DIR/linux" "$KVER"
}

run_debootstrap() {
	local mirror=${XOQ_MIRROR:-http://deb.debian.org/debian}
	mkdir -p "$CACHE_ROOT/debootstrap"
	debootstrap --variant=minbase --include="$XEN_UTILS_PKG,kmod,busybox" \
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
	download_debs "${specs[@]}"
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
	local dst=$root/lib/modules/$KVER
	rm -rf "$root/lib/modules"
	mkdir -p "$dst"
	cp "$tree/lib/modules/$KVER"/modules.{order,builtin,builtin.modinfo} "$dst/"
	for m in $DOM0_MODULES; do
		# "builtin NAME" lines need nothing; "insmod PATH" lines name files.
		modprobe -d "$tree" -S "$KVER" --show-depends "$m" | awk '$1 == "insmod" { print $2 }' |
			while read -r ko; do
				mkdir -p "$root$(dirname "${ko#"$tree"}")"
				cp "$ko" "$root${ko#"$tree"}"
			done
	done
	depmod -b "$root" "$KVER"
	# Every listed module must now resolve inside the dom0 root.
	for m in $DOM0_MODULES; do
		modprobe -d "$root" -S "$KVER" --show-depends "$m" >/dev/null
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
		kver=$KVER
		xen_pkg=$XEN_HV_PKG
		xen_ver=$XEN_VER
		linux_pkg=$LINUX_PKG
		linux_ver=$LINUX_VER
		suite=$(dom0_suite)
		dom0_hash=$(dom0_hash)
		built=$(date -u +%Y-%m-%dT%H:%M:%SZ)
	EOF
	# shellcheck disable=SC2016  # dpkg-query's own ${field} syntax
	chroot "$TMP_DIR/root" dpkg-query -W -f '${Package} ${Version}\n' >"$TMP_DIR/dom0-packages"
}

build_image() {
	PREPARE_T0=$(date +%s)
	TMP_DIR=$CACHE_ROOT/.tmp-$CACHE_KEY.$$
	BUILD_LOG=$TMP_DIR/build.log
	FAILED_LOG=$CACHE_ROOT/prepare-failed.log
	remove_tree "$TMP_DIR"
	mkdir -p "$TMP_DIR"
	msg "prepare: building $CACHE_KEY"
	trap build_cleanup EXIT
	trap 'exit 130' INT TERM
	step "downloaded $XEN_HV_PKG $LINUX_PKG" \
		download_debs "$XEN_HV_PKG=$XEN_VER" "$LINUX_PKG=$LINUX_VER"
	step "extracted xen.bin" extract_xen
	step "extracted vmlinuz and modules" extract_linux
	step "debootstrapped dom0 root" run_debootstrap
	step "aligned xen-utils with the hypervisor" align_xen_utils
	step "installed dom0 modules" install_dom0_modules
	step "stripped dom0 root" strip_root
	step "wrote versions" write_info
	step "packed dom0 initramfs" pack_dom0
	# Keep the kernel's module tree (depmod'ed) for anyone who needs a Debian
	# module in a guest; drop the unpacked dom0 root, the cpio has it.
	mkdir -p "$TMP_DIR/modules/lib"
	mv "$TMP_DIR/linux/lib/modules" "$TMP_DIR/modules/lib/"
	remove_tree "$TMP_DIR/linux"
	remove_tree "$TMP_DIR/root"
	touch "$TMP_DIR/ok"
	# Atomic: readers see either no cache dir or a complete one.
	mv -T "$TMP_DIR" "$CACHE_DIR"
	trap - EXIT INT TERM
	rm -f "$FAILED_LOG"
	msg "prepare: done in $(since "$PREPARE_T0")s: $CACHE_DIR"
}
