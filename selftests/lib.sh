# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Helpers shared by the shell selftests.  POSIX sh: the tests run under
# busybox inside the guest.  Source it from a test as
#	. "$(dirname "$0")/lib.sh"
#
# A test prints its checks as nested TAP ("ok N ...", "not ok N ...") and
# exits with the kselftest codes: 0 pass, 1 fail, 4 skip.  A skip prints
# "# SKIP <reason>", which the runner carries onto the test's TAP line.

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

# The tests, the helper programs and the modules all sit in one directory
# (test modules in its modules/ subdirectory), as `make install` lays it out.
XP_DIR=$(cd "$(dirname "$0")" && pwd)
XP_HCALL_DEBUGFS=/sys/kernel/debug/xen_hcall

xp_nr=0
xp_failed=0

xp_pass() {
	xp_nr=$((xp_nr + 1))
	echo "ok $xp_nr $*"
}

xp_fail() {
	xp_nr=$((xp_nr + 1))
	xp_failed=$((xp_failed + 1))
	echo "not ok $xp_nr $*"
}

# xp_check DESCRIPTION COMMAND...: one check, from COMMAND's exit status.
xp_check() {
	xp_desc=$1
	shift
	if "$@"; then
		xp_pass "$xp_desc"
	else
		xp_fail "$xp_desc"
	fi
}

# xp_check_same DESCRIPTION A B: A is not empty and equals B.
xp_check_same() {
	if [ -n "$2" ] && [ "$2" = "$3" ]; then
		xp_pass "$1"
	else
		xp_fail "$1"
	fi
}

# xp_check_num DESCRIPTION VALUE OP LIMIT: a numeric check (OP: -eq, -gt...).
xp_check_num() {
	case $2 in
	'' | *[!0-9]*)
		xp_fail "$1: no number ('$2')"
		return
		;;
	esac
	xp_check "$1 ($2 $3 $4)" [ "$2" "$3" "$4" ]
}

xp_info() {
	echo "# $*"
}

# xp_expect_load_refused WHAT ERRNO_TEXT KO [PARAMETERS]: one load attempt
# (load_module: busybox insmod would make a second one) that must fail
# with ERRNO_TEXT in its message.
xp_expect_load_refused() {
	xp_lr_what=$1 xp_lr_want=$2
	shift 2
	xp_lr_out=$("$XP_DIR/load_module" "$@" 2>&1)
	xp_lr_rc=$?
	xp_info "$xp_lr_what: ${xp_lr_out:-loaded}"
	xp_check "$xp_lr_what: refused" [ "$xp_lr_rc" -ne 0 ]
	case $xp_lr_out in
	*"$xp_lr_want"*) xp_pass "$xp_lr_what: $xp_lr_want" ;;
	*) xp_fail "$xp_lr_what: $xp_lr_want" ;;
	esac
}

xp_skip() {
	echo "# SKIP $*"
	exit "$KSFT_SKIP"
}

# Ends the test: plan line and exit code from the checks made.  A test
# that made no check has shown nothing: it fails (a skip says why).
xp_exit() {
	[ "$xp_nr" -gt 0 ] || xp_fail "at least one check made"
	echo "1..$xp_nr"
	if [ "$xp_failed" -ne 0 ]; then
		echo "# $xp_failed of $xp_nr checks failed"
		exit "$KSFT_FAIL"
	fi
	exit "$KSFT_PASS"
}

# A failure after which the remaining checks cannot run.
xp_bail() {
	xp_fail "$*"
	xp_exit
}

xp_require_root() {
	[ "$(id -u)" = 0 ] || xp_skip "must run as root"
}

xp_is_xen() {
	[ "$(cat /sys/hypervisor/type 2>/dev/null)" = xen ]
}

xp_require_xen() {
	xp_is_xen || xp_skip "not a Xen guest (/sys/hypervisor/type is not \"xen\")"
}

xp_online_cpus() {
	grep -c '^processor' /proc/cpuinfo
}

# Path of module NAME's .ko in the test directory, or nothing (status 1).
xp_module_file() {
	for xp_f in "$XP_DIR/$1.ko" "$XP_DIR/modules/$1.ko"; do
		if [ -f "$xp_f" ]; then
			echo "$xp_f"
			return 0
		fi
	done
	return 1
}

# Installs xen_hcall.ko and xen_upcall.ko of the test directory as the
# package does, into /lib/modules/<release>/updates/dkms with depmod, and
# the package's /etc/modprobe.d/xen-preempt.conf with its commented-out
# "#options xen_hcall OPTION" line enabled, as docs/install.md tells a
# user; `modprobe xen_upcall` then loads both, with that option.
xp_install_modules() {
	xp_dst=/lib/modules/$(uname -r)/updates/dkms
	mkdir -p "$xp_dst" &&
		cp "$XP_DIR/xen_hcall.ko" "$XP_DIR/xen_upcall.ko" "$xp_dst/" &&
		depmod -a || return 1
	sed "s/^#options xen_hcall $1\$/options xen_hcall $1/" \
		"$XP_DIR/xen-preempt.conf" >/etc/modprobe.d/xen-preempt.conf &&
		grep -qx "options xen_hcall $1" /etc/modprobe.d/xen-preempt.conf
}

xp_module_loaded() {
	grep -q "^$1 " /proc/modules
}

xp_module_gone() {
	! xp_module_loaded "$1"
}

# Reference count of a loaded module, from /proc/modules.
xp_module_refcnt() {
	awk -v m="$1" '$1 == m { print $3 }' /proc/modules
}

# Unloads modules an earlier test left loaded, so that this one starts from
# a clean state; fails the test if that is impossible.
xp_unload_leftovers() {
	for xp_m in "$@"; do
		if xp_module_loaded "$xp_m"; then
			xp_info "$xp_m is still loaded from an earlier test: unloading it"
			rmmod "$xp_m" || xp_bail "cannot unload $xp_m left loaded by an earlier test"
		fi
	done
}

# Kernel log: checks look only at what was logged after the mark.
xp_marks=0
xp_kmsg_mark() {
	# Unique within the test too: a check must not find an earlier mark.
	xp_marks=$((xp_marks + 1))
	XP_MARK="xen_preempt selftest $(basename "$0") pid $$ mark $xp_marks at $(date +%s)"
	# KERN_INFO: in the log, not on the console.
	echo "<6>$XP_MARK" >/dev/kmsg
}

# The lines of the kernel log on stdin that follow the mark.
xp_after_mark() {
	awk -v m="$XP_MARK" 'seen { print } index($0, m) { seen = 1 }'
}

xp_dmesg_since_mark() {
	dmesg | xp_after_mark
}

# What must never appear in the kernel log while a test runs; "No irq
# handler for vector": an interrupt arrived on a vector nobody owns (an
# upcall Xen still delivers to a vector given back).
XP_BAD_KMSG='BUG|WARNING|Oops|general protection|Call Trace|sleeping function called from invalid context|scheduling while atomic|soft lockup|hung_task|blocked for more than|rcu.*stall|self-detected stall|refcount_t|list_(add|del) corruption|kernel panic|nobody cared|No irq handler for vector'

# One check: no oops, warning, lockup or unhandled vector in the log since
# the mark.  The log is a ring: when the mark has been overwritten, what
# came right after it may have been too, and nothing can be proved.
xp_check_dmesg_clean() {
	xp_dc_what="no BUG/WARNING/Oops/lockup/unhandled vector in dmesg"
	[ -n "${XP_MARK:-}" ] || xp_bail "$xp_dc_what: the test made no mark (xp_kmsg_mark)"
	xp_dc_log=$(dmesg)
	case $xp_dc_log in
	*"$XP_MARK"*) ;;
	*)
		xp_fail "$xp_dc_what: cannot tell, the test's mark is no longer in the kernel log (overwritten)"
		return
		;;
	esac
	xp_dc_log=$(printf '%s\n' "$xp_dc_log" | xp_after_mark)
	if ! printf '%s\n' "$xp_dc_log" | grep -qE "$XP_BAD_KMSG"; then
		xp_pass "$xp_dc_what"
		return
	fi
	xp_fail "$xp_dc_what"
	printf '%s\n' "$xp_dc_log" | head -n 60 | sed 's/^/# dmesg: /'
}

# Prints "name value" file FILE's value for NAME.
xp_kv() {
	awk -v k="$2" '$1 == k { print $2 }' "$1"
}

# Whether preemption mode $1 (xen_hcall's config file) preempts at
# interrupt exit by itself (full, lazy, RT): xen_hcall then leaves the
# rescheduling to the kernel (README, "Preemption models").
xp_kernel_preempts() {
	case $1 in
	full | lazy | rt) return 0 ;;
	esac
	return 1
}

# Sum of column NAME over the per-CPU lines of xen_hcall's stats file.
xp_stat_sum() {
	awk -v c="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) col = i; next }
		col { s += $col } END { if (col) print s + 0 }' "$XP_HCALL_DEBUGFS/stats"
}
