# shellcheck shell=bash
# What counts as a failure of the emulator rather than of the guest: the
# signatures for which `xoq run` exits 3 (rerun), read from the logs of a
# finished run in $LOGDIR.  Sourced by run.sh.  docs/testing.md says why
# each signature is the emulator's and what it cannot rule out.
#
# QEMU 7.2's TCG nested SVM (Debian 12) sometimes re-delivers an event Xen
# injected at VMRUN, and the domain triple-faults; and it stalls a vCPU in
# the INT3 of kernel text patching (README.md, tools/xoq/README.md).  A
# Linux kernel does not triple fault by itself: a fault while handling a
# fault ends in its double-fault handler, which prints an oops.  What
# remains to tell is whether the fault could have happened on hardware.

# flake_signature FAILURE: for a run that ended in FAILURE (the reason
# finish() found), prints what the logs show about it and succeeds when
# that is the emulator's signature.  A time limit is never the emulator's.
flake_signature() {
	case $1 in
	"guest timeout"* | "qemu: overall limit"* | "dom0 boot"* | "Xen panic"*)
		return 1
		;;
	"guest stalled"*)
		int3_stall
		;;
	"test bed hung"*)
		# Xen and dom0 stopped: only a signature of the emulator
		# makes that its fault (cpus-at-hang.txt has the CPUs).
		local fault int3 oops
		fault=$(triple_fault_signature) && { echo "$fault"; return; }
		int3=$(int3_stall) && { echo "$int3"; return; }
		oops=$(entry_gs_oops) && { echo "$oops"; return; }
		echo "$fault, $int3, $oops"
		return 1
		;;
	*)
		local fault oops
		fault=$(triple_fault_signature) && { echo "$fault"; return; }
		oops=$(entry_gs_oops) && { echo "$oops"; return; }
		echo "$fault, $oops"
		return 1
		;;
	esac
}

# The same re-delivered event, caught by the kernel before it triple
# faults: delivered at the first instruction of an entry, where interrupts
# are off and before its swapgs, it leaves the kernel with the GS base of
# user space.  The entry's first per-CPU access (a %gs: operand) then
# faults, and so does each fault's handler at the same access, until the
# entry stack's guard page: the oops "ENTRY_TRAMPOLINE stack guard page
# was hit", with the faulting instruction, a %gs: access (prefix 65), in
# the Code line of at least two nested frames.  No code of this project
# touches GS, the entry code or a saved CS.  The kernel's messages are in
# guest.log, or in dom0.log when the payload runs in dom0.
entry_gs_oops() {
	local log=$LOGDIR/guest.log nested
	[ "$DOM0_PAYLOAD_RUN" = 0 ] || log=$LOGDIR/dom0.log
	if ! grep -q 'BUG: ENTRY_TRAMPOLINE stack guard page was hit' "$log" 2>/dev/null; then
		echo "no oops of the entry stack"
		return 1
	fi
	nested=$(grep -c 'Code: .* <65> ' "$log")
	if [ "$nested" -lt 2 ]; then
		echo "entry stack oops without nested faults at a %gs: access"
		return 1
	fi
	echo "oops: ENTRY_TRAMPOLINE stack guard page hit, $nested nested faults at a %gs: access (the kernel ran with the user's GS base)"
}

# The domains whose triple fault ends a run: the guest's (its ID changes
# with a save and restore), or with --pvh-dom0 (or --pv-dom0) dom0's, whose payload
# creates guests of its own and handles their faults.
fault_domains() {
	if [ "$DOM0_PAYLOAD_RUN" = 1 ]; then
		echo d0
	else
		echo 'd[1-9][0-9]*'
	fi
}

# triple_fault_signature: the first triple fault of fault_domains (Xen
# logs "dNvM Triple fault" and that vCPU's registers), described; status 0
# when it is a page fault no hardware raises.  Xen's "cr2" there is not
# the guest's own CR2 (that stays in the VMCB: debug key v) but the
# address of the last page fault Xen itself raised for the guest while
# reading its memory on its behalf (SVM: svm_inject_event()): fetching the
# instruction at RIP to decode it (the emulator offers no NRIP save), or
# the IDT entry when it emulates an event's delivery.  The signatures:
#  - CS e008, RIP == CR2: the VMCB holds Xen's own CS:RIP, the instruction
#    after its VMRUN (a selector beyond a Linux guest's GDT), and Xen
#    faulted fetching there;
#  - RIP == CR2 in the kernel's text (0xffffffff8...): Xen could not fetch
#    the guest's instruction from text that every page table maps;
#  - CR2 in the first page of the cpu_entry_area (0xfffffe0000000000):
#    Xen could not read the guest's read-only IDT, mapped in every page
#    table;
#  - or the guest had not reached its /init (no XOQ-START): no code of
#    this project had run yet (a dom0 payload's run has no such line).
# The guest's code around RIP, as dom0 read it from the guest's memory
# after the fault (dom0-init.sh), goes into the description.
triple_fault_signature() {
	local vcpu cs rip cr2 code what
	if ! read -r vcpu cs rip cr2 < <(triple_fault_regs "$(fault_domains)"); then
		echo "no triple fault"
		return 1
	fi
	code=$(guest_code "$vcpu")
	what="triple fault $vcpu at RIP $cs:$rip CR2 $cr2${code:+ code $code}"
	if [ "$cs" = e008 ] && [ "$rip" = "$cr2" ]; then
		echo "$what: Xen's own CS:RIP after VMRUN in the guest's state"
	elif [ "$rip" = "$cr2" ] && [[ $rip == ffffffff8* ]]; then
		echo "$what: Xen could not fetch the guest's kernel text"
	elif [[ $cr2 == fffffe0000000??? ]]; then
		echo "$what: Xen could not read the guest's IDT"
	elif [ "$DOM0_PAYLOAD_RUN" = 0 ] && ! grep -q '^XOQ-START' "$LOGDIR/guest.log" 2>/dev/null; then
		# The payload, and with it every module of this project, had
		# not started: whatever faulted, it was not this project's.
		echo "$what: before the guest's /init ran, so before any code of this project"
	else
		echo "$what: no fault that only the emulator makes"
		return 1
	fi
}

# "dNvM CS RIP CR2" from Xen's register dump after the first triple fault
# of a domain matching the ERE $1; status 1 without one.
triple_fault_regs() {
	awk -v dom="^($1)v[0-9]+$" '
		!f { for (i = 1; i < NF; i++) if ($i ~ dom && $(i + 1) == "Triple") { f = $i; break }; next }
		/RIP: / { split($0, a, /RIP: *|:\[<|>\]/); cs = a[2]; rip = a[3] }
		/ cr2: / { cr2 = $0; sub(/.* cr2: */, "", cr2); sub(/ .*/, "", cr2); exit }
		END { if (rip == "") exit 1; print f, cs, rip, cr2 }' "$LOGDIR/xen.log" 2>/dev/null
}

# guest_code dNvM: the bytes around that vCPU's RIP ("<xx>" at RIP), eight
# before and eight from it, from dom0's xenctx dump of a dead guest.
guest_code() {
	local dom=${1%v*} vcpu=${1#*v}
	awk -v head="xenctx $dom: vcpu$vcpu:" -v tag="xenctx $dom: " '
		index($0, tag) != 1 { next }
		{ line = substr($0, length(tag) + 1) }
		line ~ /^vcpu[0-9]+:$/ { mine = ($0 == head); next }
		mine && code { n = split(line, b, " ")
			for (i = 1; i <= n; i++) if (b[i] ~ /^</) at = i
			if (!at) exit
			for (i = at - 8; i < at + 8; i++) if (i >= 1 && i <= n) s = s (s == "" ? "" : " ") b[i]
			print s; exit }
		mine && line ~ /^Code \(instr addr/ { code = 1 }' "$LOGDIR/dom0.log" 2>/dev/null
}

# The stall of a guest caught by QEMU 7.2's nested SVM while the kernel
# patches its text (static keys: text_poke_bp() puts an INT3 on the
# instruction, other CPUs trap on it): no NRIP save under TCG, and a vCPU
# keeps exiting to Xen with the INT3's #BP as the event in flight
# (EXITINTINFO vector 3, type 4) while the guest stops making progress,
# with or without any module of ours (README.md, "Known quirks").  The
# signature is that #BP in the guest's VMCB (a domain other than dom0), in
# the dumps dom0 asked Xen for (debug key v) during the silence that ended
# the run: after the last "XOQ-DOM0 SILENT" with no guest line after it.
int3_stall() {
	# A dom0 payload runs in dom0: no guest to be silent.
	if [ "$DOM0_PAYLOAD_RUN" = 0 ] && awk '/XOQ-DOM0 SILENT/ { silent = 1; found = 0; guest = 0; next }
		/^G\| / { silent = 0; found = 0 }
		silent && match($0, />>> Domain [0-9]+ <<</) {
			guest = (substr($0, RSTART + 11, RLENGTH - 15) + 0 != 0) }
		silent && guest && /exit_int_info = 0x403$/ { found = 1 }
		END { exit !found }' "$LOGDIR/console.log" 2>/dev/null; then
		echo "the guest's VMCB holds the #BP of kernel text patching (exit_int_info 0x403) during its final silence"
		return 0
	fi
	echo "no INT3 in the guest's VMCB during its final silence"
	return 1
}
