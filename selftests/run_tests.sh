#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs the selftests inside the guest and prints TAP version 13, in the
# format of the kernel's kselftest runner (tools/testing/selftests/
# kselftest/runner.sh): a "# selftests: xen_preempt: NAME" header, the
# test's output as "# " lines, then "ok N selftests: xen_preempt: NAME",
# "not ok ..." or "ok ... # SKIP reason".  Each test runs in its own
# session under the timeout of the "settings" file; whatever it leaves
# behind is killed before the next test starts.
#
# usage: run_tests.sh [TEST...]
#   Without arguments: the tests listed in tests.list next to this script
#   (one per line), or all tests (tests.all) if there is no tests.list.
#   Variables in tests.env (VAR=value lines), if present, are exported to
#   the tests; XP_HOLD_PREEMPT_NOTIFIERS=1 also loads modules/xp_key_hold.ko
#   first.
# Exits 0 if no test failed.
#
# POSIX sh: the guest has only busybox.

SUITE=xen_preempt
BASE_DIR=$(cd "$(dirname "$0")" && pwd)
SKIP_RC=4
KILL_GRACE=5

cd "$BASE_DIR" || exit 1
PATH=$BASE_DIR:$PATH

# Settings for the tests from whoever assembled the payload (tools/check).
if [ -r tests.env ]; then
	set -a
	# shellcheck disable=SC1091 # written at payload assembly
	. ./tests.env
	set +a
fi

timeout=45
if [ -r settings ]; then
	t=$(sed -n 's/^timeout=\([0-9][0-9]*\)$/\1/p' settings)
	[ -z "$t" ] || timeout=$t
fi

if [ $# -gt 0 ]; then
	tests=$*
elif [ -f tests.list ]; then
	tests=$(grep -v '^#' tests.list)
else
	tests=$(cat tests.all)
fi

tmp=$(mktemp -d /tmp/run_tests.XXXXXX) || exit 1

# The console shows errors and warnings of the kernel (a WARN or an oops
# stays visible) but not its informational chatter between TAP lines.
console_level=$(cut -f1 /proc/sys/kernel/printk 2>/dev/null)
dmesg -n 5 2>/dev/null

prefix() {
	while IFS= read -r line || [ -n "$line" ]; do
		printf '# %s\n' "$line"
		printf '%s\n' "$line" >>"$1"
	done
}

# Some context for whoever reads the log.
header() {
	echo "# kernel $(uname -r): $(cat /proc/cmdline)"
	echo "# $(grep -c '^processor' /proc/cpuinfo) CPUs; hypervisor: $(cat /sys/hypervisor/type 2>/dev/null || echo none)"
	if [ -r /sys/kernel/debug/sched/preempt ]; then
		echo "# preemption modes: $(cat /sys/kernel/debug/sched/preempt)"
	fi
	echo "# timeout per test: ${timeout}s"
}

run_one() {
	num=$1
	test=$2
	hdr="selftests: $SUITE: $test"
	log=$tmp/$test.log
	fifo=$tmp/$test.fifo

	echo "# $hdr"
	if [ ! -x "./$test" ]; then
		echo "# Warning: $test is missing or not executable"
		echo "not ok $num $hdr # missing"
		return 1
	fi
	: >"$log"
	mkfifo "$fifo"
	prefix "$log" <"$fifo" &
	reader=$!
	mark="xen_preempt runner: test $num $test"
	echo "<6>$mark" >/dev/kmsg 2>/dev/null

	# The test leads its own session, so that its process group is
	# exactly what it started: timeout signals the test itself, and
	# anything still left afterwards is killed with the group.
	start=$(date +%s)
	timeout -s TERM -k "$KILL_GRACE" "$timeout" setsid "./$test" \
		>"$fifo" 2>&1 </dev/null &
	pid=$!
	wait "$pid"
	rc=$?
	elapsed=$(($(date +%s) - start))
	kill -KILL -- "-$pid" 2>/dev/null
	wait "$reader"
	rm -f "$fifo"

	if [ "$rc" -eq 0 ]; then
		echo "ok $num $hdr"
		return 0
	fi
	if [ "$rc" -eq "$SKIP_RC" ]; then
		reason=$(sed -n 's/^# SKIP //p' "$log" | tail -n 1)
		echo "ok $num $hdr # SKIP ${reason:-no reason given}"
		return 0
	fi
	# The kernel log of the failed test helps more than anything else.
	dmesg | awk -v m="$mark" 'seen { print } index($0, m) { seen = 1 }' |
		tail -n 40 | sed 's/^/# dmesg: /'
	if [ "$rc" -ge 128 ] && [ "$elapsed" -ge "$timeout" ]; then
		echo "not ok $num $hdr # TIMEOUT $timeout seconds"
	else
		echo "not ok $num $hdr # exit=$rc"
	fi
	return 1
}

set -f
# shellcheck disable=SC2086 # the list is split into words on purpose
set -- $tests
set +f
echo "TAP version 13"
echo "1..$#"
header
# XP_HOLD_PREEMPT_NOTIFIERS=1 (make stress): keep the preempt notifier
# static key enabled for the whole run (modules/xp_key_hold.c says why).
if [ "${XP_HOLD_PREEMPT_NOTIFIERS:-0}" = 1 ]; then
	if ! insmod modules/xp_key_hold.ko; then
		echo "Bail out! xp_key_hold: cannot load modules/xp_key_hold.ko"
		exit 1
	fi
	echo "# xp_key_hold: the preempt notifier static key stays enabled during this run"
fi
num=0
passed=0
failed=0
for test in "$@"; do
	num=$((num + 1))
	if run_one "$num" "$test"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
	fi
done
echo "# $SUITE: $num tests, $failed failed"
rm -rf "$tmp"
[ -z "$console_level" ] || dmesg -n "$console_level" 2>/dev/null
[ "$failed" -eq 0 ]
