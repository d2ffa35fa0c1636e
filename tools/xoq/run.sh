# shellcheck shell=bash
# xoq run: boot Xen + dom0 (or the guest kernel alone with --no-xen) under
# QEMU TCG, run a payload in the guest, split and judge the serial log.
# Sourced by xoq.

# shellcheck source=tools/xoq/pvh-dom0.sh
. "$XOQ_DIR/pvh-dom0.sh"
# shellcheck source=tools/xoq/flake.sh
. "$XOQ_DIR/flake.sh"

GUEST_NAME=xoq-guest
# The guest's tsc_mode (xl.cfg(5)); empty: Xen's default (see below).
TSC_MODE=${XOQ_TSC_MODE-native}
# Seconds from QEMU start until dom0 says READY (Xen + dom0 boot, ~10-30 s).
DOM0_TIMEOUT=${XOQ_DOM0_TIMEOUT:-180}
# Seconds from QEMU start until the guest says XOQ-START without Xen (~5 s).
BOOT_TIMEOUT=${XOQ_BOOT_TIMEOUT:-120}
# Extra seconds on top of the other limits for QEMU's overall limit (the
# last resort: power-off and the like).
SLACK=${XOQ_SLACK:-60}
# Seconds without a byte on the serial port, once dom0 is up, after which
# the test bed counts as hung (dom0 prints a heartbeat every 30 s).
HANG_SILENCE=${XOQ_HANG_SILENCE:-120}
# Seconds of a silent guest console after which the CPUs' registers are
# saved (cpus-at-silence.txt), as dom0 asks Xen for its view (dom0-init.sh),
# and after which the guest counts as stalled and the run ends (0: never).
GUEST_SILENCE=45
GUEST_STALL=${XOQ_GUEST_STALL:-300}
QEMU=${XOQ_QEMU:-qemu-system-x86_64}
# QEMU's accelerator for the Xen test bed (e.g. tcg,thread=single).
ACCEL=${XOQ_ACCEL:-tcg}
# -cpu max makes the PV dom0 crash; this is what Xen's HVM/PVH needs from TCG.
XEN_CPU=qemu64,+svm,+npt,+nrip-save,+vgif
# An HVM guest's device model (QEMU) runs in dom0 and needs the memory.
DOM0_MIB=1024
[ "$GUEST_TYPE" = pvh ] || DOM0_MIB=1400
# Emulated CPUs for Xen.  With 4, dom0's two vCPUs are pinned to CPUs 0-1
# and the test guest's to CPUs 2-3, so that no CPU switches between dom0
# and the guest, which made the emulator's fault of "Known quirks"
# (README.md) rarer.  Idle CPUs halt, so this costs little host time.
XEN_PCPUS=${XOQ_QEMU_SMP:-4}
DOM0_PIN=""
GUEST_CPUS=${XOQ_GUEST_CPUS-}
if [ "$XEN_PCPUS" -ge 4 ]; then
	DOM0_PIN=" dom0_max_vcpus=2 dom0_vcpus_pin"
	GUEST_CPUS=${XOQ_GUEST_CPUS-2-$((XEN_PCPUS - 1))}
fi
XEN_CMDLINE="console=com1 com1=115200 dom0_mem=${DOM0_MIB}M$DOM0_PIN loglvl=all guest_loglvl=all noreboot bootscrub=0${XOQ_XEN_EXTRA:+ $XOQ_XEN_EXTRA}"
DOM0_CMDLINE="console=hvc0 panic=-1 quiet rdinit=/init"
GUEST_CMDLINE="panic=-1 quiet"
# An HVM guest's kernel messages go to I/O port 0xe9, which Xen prints as
# "(dN) ..." lines (dom0 sees no HVM guest console); nokaslr keeps the
# addresses in Xen's register dumps comparable between boots.
HVM_CMDLINE="earlyprintk=xen,keep nokaslr"

run_usage() {
	cat <<-EOF
		usage: xoq run [options] PAYLOAD_DIR
		  --vcpus N          guest vCPUs (default 2)
		  --memory MIB       guest memory (default 1024)
		  --cmdline "..."    extra guest kernel command line
		  --timeout SECONDS  time limit for the guest (default 600)
		  --no-xen           boot the guest kernel + initramfs on plain QEMU
		  --interactive      payload (if any), then a shell on the console
		  --pvh-dom0         PVH dom0 (emulated IOMMU); the payload runs in dom0,
		                     --cmdline is dom0's, the guest config is \$XOQ_GUEST_CFG
		  --pv-dom0          the same in the usual PV dom0
		  --logdir DIR       default: build/xoq/<timestamp>-<pid>/ in the repository
		exit status: 0 the guest printed XOQ-END rc=N (N is in DIR/result), 2 the
		test bed failed, 3 the emulator's fault, by its signature (flake.sh: rerun
		once), 64 usage error
	EOF
}

need_uint() {
	if ! [[ $2 =~ ^[0-9]+$ ]] || [ "$2" -lt "$3" ]; then
		usage_error "$1: need a whole number >= $3, not '$2'"
	fi
}

run_main() {
	local vcpus=2 memory=1024 extra="" timeout=600 xen=1 interactive=0 logdir="" payload="" dom0=""
	while [ $# -gt 0 ]; do
		case $1 in
		--vcpus | --memory | --cmdline | --timeout | --logdir)
			[ $# -ge 2 ] || usage_error "$1 needs a value"
			;;
		esac
		case $1 in
		--vcpus) vcpus=$2; shift 2 ;;
		--memory) memory=$2; shift 2 ;;
		--cmdline) extra=$2; shift 2 ;;
		--timeout) timeout=$2; shift 2 ;;
		--no-xen) xen=0; shift ;;
		--interactive) interactive=1; shift ;;
		--pvh-dom0) dom0=pvh-dom0; shift ;;
		--pv-dom0) dom0=pv-dom0; shift ;;
		--logdir) logdir=$2; shift 2 ;;
		-h | --help) run_usage; exit 0 ;;
		-*) run_usage >&2; exit 64 ;;
		*) [ -z "$payload" ] || { run_usage >&2; exit 64; }; payload=$1; shift ;;
		esac
	done
	[ -n "$payload" ] || { run_usage >&2; exit 64; }
	[ -d "$payload" ] || usage_error "payload $payload is not a directory"
	[ "$interactive" = 1 ] || [ -f "$payload/run" ] || usage_error "no $payload/run"
	need_uint --vcpus "$vcpus" 1
	need_uint --memory "$memory" 64
	need_uint --timeout "$timeout" 1
	[[ $extra != *'"'* ]] || usage_error "--cmdline: double quotes are not supported"
	if [ "$xen" = 1 ] && [ "$interactive" = 1 ] && [ "$GUEST_TYPE" = hvm ]; then
		usage_error "--interactive needs a PVH guest: an HVM guest's console is not connected"
	fi

	prepare_main

	if [ -z "$logdir" ]; then
		logdir=$REPO_ROOT/build/xoq/$(date +%Y%m%d-%H%M%S)-$$
		mkdir -p "$logdir"
		ln -sfn "$(basename "$logdir")" "$REPO_ROOT/build/xoq/last"
	fi
	mkdir -p "$logdir"
	LOGDIR=$(cd "$logdir" && pwd)
	rm -f "$LOGDIR"/{console,guest,xen,dom0,qemu}.log "$LOGDIR/result"

	# One QEMU at a time: with TCG on a few cores, two test beds slow each
	# other down enough to trip their time limits.  XOQ_PARALLEL=1 opts out.
	if [ "${XOQ_PARALLEL:-0}" != 1 ]; then
		exec {RUN_LOCK}>"$CACHE_ROOT/.run.lock"
		if ! flock -n "$RUN_LOCK"; then
			msg "run: waiting for another xoq run to finish"
			flock "$RUN_LOCK"
		fi
	fi

	WORK=$(mktemp -d "${TMPDIR:-/tmp}/xoq.XXXXXX")
	QPID=""
	trap run_cleanup EXIT
	trap 'exit 130' INT TERM

	local mode=xen
	[ "$xen" = 1 ] || mode=no-xen
	INTERACTIVE_RUN=$interactive
	# 1: the payload runs in dom0 (--pv-dom0, --pvh-dom0).
	DOM0_PAYLOAD_RUN=0
	if [ -n "$dom0" ]; then
		if [ "$xen" = 0 ] || [ "$interactive" = 1 ] || [ "$GUEST_TYPE" != pvh ]; then
			usage_error "--$dom0 runs a payload in dom0: not with --no-xen, --interactive or an HVM guest"
		fi
		DOM0_PAYLOAD_RUN=1
		dom0_payload_setup "$dom0" "$payload" "$extra"
		payload=$PVH_GUEST_PAYLOAD
		extra=""
	fi
	build_guest_initramfs "$payload" "$mode" "$vcpus" "$interactive"
	msg "run: $mode, $vcpus vCPUs, $memory MiB, timeout ${timeout}s; logs in $LOGDIR"

	if [ "$xen" = 1 ]; then
		build_overlay "$vcpus" "$memory" "$extra" "$timeout" "$interactive"
		xen_qemu_cmd "$memory"
	else
		noxen_qemu_cmd "$vcpus" "$memory" "$extra"
	fi
	printf '%q ' "${QEMU_CMD[@]}" >"$LOGDIR/qemu.cmd"
	echo >>"$LOGDIR/qemu.cmd"

	if [ "$interactive" = 1 ]; then
		run_interactive "$mode"
	else
		run_batch "$mode" "$timeout"
	fi
}

run_cleanup() {
	local rc=$?
	if [ -n "$QPID" ] && kill -0 "$QPID" 2>/dev/null; then
		kill "$QPID" 2>/dev/null || true
		wait "$QPID" 2>/dev/null || true
	fi
	rm -rf "$WORK"
	exit "$rc"
}

build_guest_initramfs() {
	local payload=$1 mode=$2 vcpus=$3 interactive=$4 g=$WORK/guest p
	mkdir -p "$g"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,root,payload}
	chmod 1777 "$g/tmp"
	# The static busybox from busybox-static: no libraries to carry along.
	cp /bin/busybox "$g/bin/busybox"
	while read -r p; do
		[ "$p" = bin/busybox ] || [ -e "$g/$p" ] || ln -s /bin/busybox "$g/$p"
	done < <("$g/bin/busybox" --list-full)
	install -m 0755 "$XOQ_DIR/guest-init.sh" "$g/init"
	# A non-root user for tests that drop privileges (uid/gid 65534).
	printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' >"$g/etc/passwd"
	printf 'root:x:0:\nnogroup:x:65534:\n' >"$g/etc/group"
	printf 'XOQ_MODE=%s\nXOQ_VCPUS=%s\nXOQ_INTERACTIVE=%s\n' "$mode" "$vcpus" "$interactive" >"$g/etc/xoq.conf"
	if [ "$mode" = xen ] && [ "$GUEST_TYPE" = hvm ]; then
		echo "XOQ_GUEST_TYPE=hvm" >>"$g/etc/xoq.conf"
		# The guest's console for the host: see debugcon.c.
		gcc -static -O2 -s -o "$g/bin/debugcon" "$XOQ_DIR/debugcon.c" ||
			die "cannot build debugcon (gcc and libc6-dev are needed for HVM guests)"
	fi
	cp -a "$payload/." "$g/payload/"
	(cd "$g" && find . -print0 | cpio --null -o -H newc -R 0:0 --quiet) | gzip -1 >"$WORK/guest.cpio.gz"
}

# The per-run part of dom0's initrd, appended to the cached dom0 cpio.
build_overlay() {
	local vcpus=$1 memory=$2 extra=$3 timeout=$4 interactive=$5 o=$WORK/overlay
	mkdir -p "$o/xoq"
	cp "$GUEST_DIR/vmlinuz" "$o/xoq/vmlinuz"
	mv "$WORK/guest.cpio.gz" "$o/xoq/guest.cpio.gz"
	if [ "$GUEST_TYPE" = hvm ]; then
		# Direct kernel boot through SeaBIOS; no display, no disk.  The
		# emulated serial port goes to a file nobody reads: the guest
		# does not use it (it is very slow under TCG).
		cat <<-EOF
			type = "hvm"
			device_model_version = "qemu-xen"
			cmdline = "$HVM_CMDLINE $GUEST_CMDLINE${extra:+ $extra}"
			vga = "none"
			vnc = 0
			sdl = 0
			nographic = 1
			serial = "file:/var/log/xen/serial-$GUEST_NAME.log"
		EOF
	else
		cat <<-EOF
			type = "pvh"
			extra = "console=hvc0 $GUEST_CMDLINE${extra:+ $extra}"
		EOF
	fi >"$o/xoq/guest.cfg"
	# A triple fault reboots the guest (as does a panic, panic=-1): the
	# test guest is preserved, for dom0 to read its registers and code
	# (dom0-init.sh).  The guests a dom0 payload creates go at once.
	local on_reboot=preserve
	[ "$DOM0_PAYLOAD_RUN" = 0 ] || on_reboot=destroy
	cat >>"$o/xoq/guest.cfg" <<-EOF
		name = "$GUEST_NAME"
		kernel = "/xoq/vmlinuz"
		ramdisk = "/xoq/guest.cpio.gz"
		memory = $memory
		vcpus = $vcpus
		on_poweroff = "destroy"
		on_reboot = "$on_reboot"
		on_crash = "destroy"
	EOF
	# Xen traps the guest's every rdtsc unless told not to, and most of the
	# QEMU flake's faults (README, "Known quirks") come right after one;
	# untrapped, the guest is also faster.  XOQ_TSC_MODE= keeps Xen's default.
	[ -z "$TSC_MODE" ] || echo "tsc_mode = \"$TSC_MODE\"" >>"$o/xoq/guest.cfg"
	[ -z "$GUEST_CPUS" ] || echo "cpus = \"$GUEST_CPUS\"" >>"$o/xoq/guest.cfg"
	printf 'GUEST_NAME=%s\nGUEST_TIMEOUT=%s\nINTERACTIVE=%s\n' "$GUEST_NAME" "$timeout" "$interactive" >"$o/xoq/params"
	cp "$o/xoq/guest.cfg" "$LOGDIR/guest.cfg"
	# The kernel unpacks concatenated (compressed) cpio archives in order.
	(cd "$o" && find . -print0 | cpio --null -o -H newc -R 0:0 --quiet) | gzip -1 >"$WORK/overlay.cpio.gz"
	cat "$CACHE_DIR/dom0.cpio.gz" "$WORK/overlay.cpio.gz" >"$WORK/dom0-initrd.gz"
}

# QEMU's multiboot -initrd takes "path args,path" and -chardev takes
# "key=value,...": no spaces or commas in these paths.
check_path() {
	[[ $1 != *[\ ,]* ]] || die "path must not contain spaces or commas: $1"
}

# Sets SER_ARGS: the serial port goes to console.log as it happens.
serial_args() {
	check_path "$LOGDIR/console.log"
	if [ "$INTERACTIVE_RUN" = 1 ]; then
		# The person's terminal is the serial console; Ctrl-A x quits QEMU.
		SER_ARGS=(-chardev "stdio,id=ser0,mux=on,signal=off,logfile=$LOGDIR/console.log"
			-serial chardev:ser0 -mon chardev=ser0)
	else
		SER_ARGS=(-chardev "file,id=ser0,path=$LOGDIR/console.log" -serial chardev:ser0)
		# QEMU's monitor on two FIFOs ($WORK/mon.in, mon.out): when the
		# test bed hangs, dump_cpus asks it where the CPUs are.
		mkfifo "$WORK/mon.in" "$WORK/mon.out"
		SER_ARGS+=(-chardev "pipe,id=mon0,path=$WORK/mon" -mon chardev=mon0)
	fi
}

# dump_cpus FILE START ROUNDS: the registers of every emulated CPU, ROUNDS
# times a second apart, appended to FILE: Xen's (ffff82d0...), dom0's or
# the guest's code (a CPU running the guest shows the guest's registers,
# RFLAGS with IF), and whether it moves.  QEMU holds both FIFOs open, so
# neither open blocks while it runs; the reader stops after a pause in
# the output.  No answer at all means QEMU has exited meanwhile or its main
# loop is stuck (a vCPU thread holding its big lock).
dump_cpus() {
	local out=$1 start=$2 rounds=$3 round
	for ((round = 1; round <= rounds; round++)); do
		echo "# round $round, QEMU's uptime $(($(date +%s) - start))s" >>"$out"
		# Opening a FIFO waits for the other end: if QEMU has just
		# exited, neither open may wait for long.
		# shellcheck disable=SC2016 # $1 is the inner shell's
		timeout 2 sh -c 'echo "info registers -a" >"$1"' sh "$WORK/mon.in" || break
		# (the monitor echoes the command with cursor movements)
		timeout 2 cat "$WORK/mon.out" | tr -d '\r' | grep -av '^(qemu)' >>"$out" || true
		sleep 1
	done
	if grep -q 'RIP=' "$out"; then
		msg "run: the CPUs' registers are in $out"
	else
		msg "run: QEMU's monitor did not answer: QEMU is gone or stuck itself"
		echo "# no answer from QEMU's monitor" >>"$out"
	fi
}

xen_qemu_cmd() {
	local memory=$1 qmem
	# Room for dom0, the guest and Xen itself.
	qmem=$((memory + DOM0_MIB + 512))
	[ "$qmem" -ge 3072 ] || qmem=3072
	check_path "$CACHE_DIR/vmlinuz"
	check_path "$WORK/dom0-initrd.gz"
	serial_args
	QEMU_CMD=("$QEMU" -accel "$ACCEL" -cpu "$XEN_CPU" -smp "$XEN_PCPUS" -m "$qmem"
		-nodefaults -no-user-config -display none -no-reboot "${SER_ARGS[@]}"
		"${XEN_QEMU_EXTRA[@]}" -kernel "$CACHE_DIR/xen.bin" -append "$XEN_CMDLINE"
		-initrd "$CACHE_DIR/vmlinuz $DOM0_CMDLINE,$WORK/dom0-initrd.gz")
}

noxen_qemu_cmd() {
	local vcpus=$1 memory=$2 extra=$3
	serial_args
	QEMU_CMD=("$QEMU" -accel tcg -cpu qemu64 -smp "$vcpus" -m "$memory"
		-nodefaults -no-user-config -display none -no-reboot "${SER_ARGS[@]}"
		-kernel "$GUEST_DIR/vmlinuz" -initrd "$WORK/guest.cpio.gz"
		-append "console=ttyS0 $GUEST_CMDLINE${extra:+ $extra}")
}

# Route serial lines: "(XEN)" to xen.log, "G| " (tag removed) to guest.log
# and stdout, the rest to dom0.log.  Without Xen every line is the guest's.
# An HVM guest's lines are Xen's "(dN) " lines (see debugcon.c): the tag is
# removed and they are the guest's.
#
# Xen prints its own lines straight to the serial port, while dom0's console
# output reaches it in small pieces; a Xen line can therefore land in the
# middle of a dom0 line.  It is taken out, and the two pieces of the dom0
# line are joined again.
split_serial() {
	local mode=$1 line carry="" dline='^(.*)\(d[0-9]+\) (.*)$'
	exec 3>>"$LOGDIR/xen.log" 4>>"$LOGDIR/dom0.log" 5>>"$LOGDIR/guest.log"
	while IFS= read -r line || [ -n "$line" ]; do
		line=${line%$'\r'}
		line=${line%$'\r'}
		if [ "$mode" = no-xen ]; then
			printf '%s\n' "$line" >&5
			printf '%s\n' "$line"
			continue
		fi
		line=$carry$line
		carry=""
		case $line in
		?*'(XEN) '*)
			carry=${line%%'(XEN) '*}
			printf '%s\n' "${line#"$carry"}" >&3
			continue
			;;
		esac
		if [ "$GUEST_TYPE" = hvm ] && [[ $line =~ $dline ]]; then
			carry=${BASH_REMATCH[1]}
			printf '%s\n' "${BASH_REMATCH[2]}" >&5
			printf '%s\n' "${BASH_REMATCH[2]}"
			continue
		fi
		case $line in
		'(XEN)'*) printf '%s\n' "$line" >&3 ;;
		'G| '*)
			printf '%s\n' "${line#G| }" >&5
			printf '%s\n' "${line#G| }"
			;;
		*) printf '%s\n' "$line" >&4 ;;
		esac
	done
}

run_batch() {
	local mode=$1 timeout=$2 total spid start now ready=0 started="" failure=""
	local qrc=0 size heard_size=0 heard_at guest_size=0 guest_at guest_dumped=0
	if [ "$mode" = xen ]; then
		total=$((DOM0_TIMEOUT + timeout + SLACK))
	else
		total=$((BOOT_TIMEOUT + timeout + SLACK))
	fi
	: >"$LOGDIR/console.log"
	start=$(date +%s)
	timeout -k 10 "$total" "${QEMU_CMD[@]}" </dev/null >"$LOGDIR/qemu.log" 2>&1 &
	QPID=$!
	# tail ends (after a last read) once QEMU's timeout wrapper is gone.
	tail -n +1 -F -s 0.2 --pid="$QPID" "$LOGDIR/console.log" 2>/dev/null | split_serial "$mode" &
	spid=$!

	# With Xen, dom0 enforces the guest's limit; without, the guest's clock
	# starts when it says XOQ-START.
	while kill -0 "$QPID" 2>/dev/null; do
		now=$(date +%s)
		if [ "$mode" = xen ] && [ "$ready" = 0 ]; then
			if grep -q 'XOQ-DOM0 READY' "$LOGDIR/console.log"; then
				ready=1
				heard_at=$now
				guest_at=$now
				msg "run: dom0 ready after $((now - start))s"
			elif [ $((now - start)) -ge "$DOM0_TIMEOUT" ]; then
				failure="dom0 boot: no READY marker within ${DOM0_TIMEOUT}s"
				break
			fi
		elif [ "$mode" = no-xen ] && [ -z "$started" ]; then
			if grep -q '^XOQ-START' "$LOGDIR/console.log"; then
				started=$now
			elif [ $((now - start)) -ge "$BOOT_TIMEOUT" ]; then
				failure="guest boot: no XOQ-START within ${BOOT_TIMEOUT}s"
				break
			fi
		elif [ "$mode" = no-xen ] && [ $((now - started)) -ge "$timeout" ]; then
			failure="guest timeout: ${timeout}s without XOQ-END"
			break
		elif [ "$mode" = xen ] && xen_panicked; then
			# With noreboot Xen stops for good: nothing more to wait for.
			sleep 2
			failure="Xen panic: $(xen_panic_reason)"
			break
		elif [ "$mode" = xen ]; then
			size=$(stat -c %s "$LOGDIR/console.log")
			if [ "$size" != "$heard_size" ]; then
				heard_size=$size
				heard_at=$now
			elif [ $((now - heard_at)) -ge "$HANG_SILENCE" ]; then
				failure="test bed hung: not even dom0's heartbeat for ${HANG_SILENCE}s"
				dump_cpus "$LOGDIR/cpus-at-hang.txt" "$start" 2
				break
			fi
			# Where the CPUs are while the guest is silent (dom0
			# asks Xen for its view at the same time).
			size=$(stat -c %s "$LOGDIR/guest.log" 2>/dev/null || echo 0)
			if [ "$size" != "$guest_size" ]; then
				guest_size=$size
				guest_at=$now
				guest_dumped=0
			elif [ "$guest_dumped" = 0 ] && [ $((now - guest_at)) -ge "$GUEST_SILENCE" ]; then
				dump_cpus "$LOGDIR/cpus-at-silence.txt" "$start" 5
				guest_dumped=1
			elif [ "$GUEST_STALL" -gt 0 ] && [ $((now - guest_at)) -ge "$GUEST_STALL" ]; then
				failure="guest stalled: silent for ${GUEST_STALL}s"
				break
			fi
		fi
		sleep 1
	done
	[ -z "$failure" ] || kill "$QPID" 2>/dev/null || true
	wait "$QPID" || qrc=$?
	QPID=""
	wait "$spid" || true
	msg "run: QEMU ran $(($(date +%s) - start))s"

	if [ -z "$failure" ] && [ "$qrc" = 124 ]; then
		failure="qemu: overall limit of ${total}s reached"
	elif [ -z "$failure" ] && [ "$qrc" != 0 ]; then
		failure="qemu: exit status $qrc (see qemu.log)"
	fi
	finish "$mode" "$failure"
}

run_interactive() {
	local mode=$1 qrc=0
	"${QEMU_CMD[@]}" 2>"$LOGDIR/qemu.log" || qrc=$?
	split_serial "$mode" <"$LOGDIR/console.log" >/dev/null
	local failure=""
	[ "$qrc" = 0 ] || failure="qemu: exit status $qrc (see qemu.log)"
	finish "$mode" "$failure"
}

# Judge the run from the logs; exit 0 only when the guest printed XOQ-END.
finish() {
	local mode=$1 failure=$2 end rc src=$LOGDIR/guest.log
	# Keep console.log readable: the serial port sends CR LF.
	sed -i 's/\r*$//' "$LOGDIR/console.log"
	# An interactive Xen guest's console is not tagged: look everywhere.
	[ "$INTERACTIVE_RUN" = 0 ] || src=$LOGDIR/console.log
	end=$(grep -a '^XOQ-END rc=[0-9]*$' "$src" 2>/dev/null | tail -n 1 || true)
	if [ -z "$failure" ] && [ -n "$end" ]; then
		rc=${end#XOQ-END rc=}
		echo "rc=$rc" >"$LOGDIR/result"
		msg "guest finished: rc=$rc; logs in $LOGDIR"
		exit 0
	fi
	local status=2 evidence
	[ -n "$failure" ] || failure=$(end_reason "$mode")
	# Exit 3 (rerun) only for a signature of the emulator (flake.sh);
	# what the logs show goes into the reason either way.
	if [ "$mode" = xen ]; then
		if evidence=$(flake_signature "$failure"); then
			failure="test bed flake (rerun): $failure, $evidence"
			status=3
		elif [ -n "$evidence" ]; then
			failure="$failure, $evidence"
		fi
	fi
	echo "failed=$failure" >"$LOGDIR/result"
	msg "FAILED ($failure): logs in $LOGDIR"
	exit "$status"
}

# Xen's panic message ends in "Manual reset required" (noreboot): the lines
# between "Panic on CPU N:" and the closing row of asterisks say why.
xen_panicked() {
	grep -q '^(XEN) Panic on CPU' "$LOGDIR/console.log" 2>/dev/null
}

xen_panic_reason() {
	tr -d '\r' <"$LOGDIR/console.log" | awk '
		/^\(XEN\) Panic on CPU/ { f = 1; next }
		f && /^\(XEN\) \*\*\*\*/ { exit }
		f { sub(/^\(XEN\) */, ""); r = r (r == "" ? "" : " ") $0 }
		END { print r }'
}

# Why a run without XOQ-END and without a failure of its own ended, from
# dom0's progress lines and Xen's log.  A time limit comes first: it is
# never the emulator's, whatever else the logs show.
end_reason() {
	local mode=$1
	if grep -q '^XOQ-DOM0 TIMEOUT guest' "$LOGDIR/dom0.log" 2>/dev/null; then
		echo "guest timeout: $(grep -m1 '^XOQ-DOM0 TIMEOUT guest' "$LOGDIR/dom0.log" | cut -d' ' -f4) without XOQ-END"
	elif grep -q '^XOQ-DOM0 ERROR' "$LOGDIR/dom0.log" 2>/dev/null; then
		echo "dom0: $(grep -m1 '^XOQ-DOM0 ERROR' "$LOGDIR/dom0.log" | cut -d' ' -f3-)"
	elif [ "$mode" = xen ] && ! grep -q '^XOQ-DOM0 READY' "$LOGDIR/dom0.log" 2>/dev/null; then
		echo "dom0 boot: QEMU stopped before dom0 was ready"
	elif grep -qE "\(XEN\) ($(fault_domains))v[0-9]+ Triple fault" "$LOGDIR/xen.log" 2>/dev/null; then
		if [ "$DOM0_PAYLOAD_RUN" = 1 ]; then
			echo "dom0: died"
		else
			echo "guest: died"
		fi
	elif ! grep -q '^XOQ-START' "$LOGDIR/guest.log" 2>/dev/null; then
		echo "guest boot: the guest never reached its /init (see guest.log)"
	else
		echo "guest: gone without XOQ-END (crash? see guest.log)"
	fi
}
