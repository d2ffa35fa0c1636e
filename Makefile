# SPDX-License-Identifier: GPL-2.0
#
# Thin wrapper around kbuild. `make` builds both modules for the running
# kernel; `make check` builds them for the test bed's guest kernel and runs
# the selftests inside a Xen guest under QEMU.

KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
XOQ := $(CURDIR)/tools/xoq/xoq

# Forwarded to the test bed by `make check` (see tools/check).
TESTS ?=
GUEST_KERNEL ?=
GUEST_TYPE ?=
XEN ?=
export TESTS GUEST_KERNEL GUEST_TYPE XEN

# The release: MODULE_VERSION() (Kbuild), dkms.conf, the Debian package.
VERSION := $(shell cat "$(CURDIR)/VERSION")

.PHONY: all modules clean install check check-variants stress shell bench bench-dom0 demo lint dkms-test matrix
.PHONY: dkms-install deb deb-test

all: modules

modules:
	@test -d "$(KDIR)" || { echo "make: kernel build dir $(KDIR) not found: use 'make KDIR=<headers dir>', e.g. 'make KDIR=$$($(XOQ) kdir)' for the test bed's kernel after '$(XOQ) prepare'"; exit 1; }
	$(MAKE) -C "$(KDIR)" M="$(CURDIR)" modules

install: modules
	$(MAKE) -C "$(KDIR)" M="$(CURDIR)" modules_install

clean:
	@if [ -d "$(KDIR)" ]; then $(MAKE) -C "$(KDIR)" M="$(CURDIR)" clean; fi
	@if [ -d selftests ]; then $(MAKE) -C selftests clean; fi
	rm -rf build

# The README's test command: everything, inside a real Xen guest.
check:
	@tools/check

# The long variants of the reliability tests, in the test bed: 200
# load/unload cycles, 100 hotplug cycles of every non-boot vCPU (4 vCPUs),
# 60 s of flag-invariant stress per preemption mode, the device fuzz, the
# refused loads and save/restore.  TESTS narrows it down as for check.
# The kernel's preempt notifier key stays enabled throughout, so that
# xen_hcall's load and unload do not patch __schedule() hundreds of times
# under the emulator (README, "The stalls after unloading the modules").
STRESS_TESTS := hcall_fuzz load_bad_env upcall_load_cycles \
		upcall_hotplug_load upcall_save_restore hcall_invariants
stress:
	@TESTS="$(or $(TESTS),$(STRESS_TESTS))" LOAD_CYCLES=200 \
		HOTPLUG_CYCLES=100 HCALL_STRESS_SECONDS=60 TEST_TIMEOUT=2400 \
		HOLD_PREEMPT_NOTIFIERS=1 tools/check

# The suite on the other parts of the test matrix, one full make check
# each (Xen 4.20, Debian 13's kernel in the guest, an HVM guest): 20
# minutes here on top of the default run, so CI runs the default only.
CHECK_VARIANTS := XEN=4.20 GUEST_KERNEL=6.12 GUEST_TYPE=hvm
check-variants:
	@rc=0; for v in $(CHECK_VARIANTS); do \
		echo "# make check $$v"; \
		$(MAKE) --no-print-directory check $$v || rc=1; \
	done; exit $$rc

# A Xen guest with the modules and selftests in /payload, for a person.
shell:
	tools/check --interactive

# Latency benchmark: stock kernel (voluntary, preempt=full) against the
# modules, in one run; prints a table and a RESULT line.
bench:
	tools/bench

# The toolstack in a PVH dom0: xl create/destroy of a 1 GiB guest on the
# stock kernel (voluntary, preempt=full) and with kernel_site=1.
# DOM0=pv: in the usual PV dom0, stock kernel only (voluntary, then full
# preemption switched at run time), an 8 GiB guest (QEMU takes 9.5 GiB).
bench-dom0:
	tools/bench-dom0 $(if $(filter pv,$(DOM0)),--pv)

# The short form: the stall on the stock kernel and its absence with the
# modules, in a few minutes.
demo:
	BENCH_MAKE_TARGET=demo tools/bench --demo

# Kernel-style gates: checkpatch --strict, sparse, objtool, kernel-doc.
lint:
	tools/lint

# DKMS round trip (add, build, install, modinfo, remove) for the test
# bed's kernel; needs root.
dkms-test:
	tools/dkms-test

# The module sources as DKMS builds them, with dkms.conf's version filled
# in: what the Debian package puts under /usr/src, and the manual route
# (`make dkms-install && dkms install xen-preempt/$(VERSION)`, as root).
# Only what builds the modules: no tests, tools or benchmark.
DKMS_SRC ?= /usr/src/xen-preempt-$(VERSION)
DKMS_FILES := Kbuild Makefile VERSION COPYING xen_hcall/Kbuild evtchn/Kbuild \
	$(filter-out %.mod.c,$(wildcard xen_hcall/*.[chS] evtchn/*.[ch])) \
	$(wildcard compat/*.h compat/*.mk compat/*.sh compat/tests/*.c) \
	$(shell find include -name '*.h')
dkms-install:
	@for f in $(DKMS_FILES); do \
		install -D -m 0644 "$$f" "$(DESTDIR)$(DKMS_SRC)/$$f" || exit 1; \
	done
	sed 's/#MODULE_VERSION#/$(VERSION)/' dkms.conf >"$(DESTDIR)$(DKMS_SRC)/dkms.conf"

# build/xen-preempt-dkms_$(VERSION)_all.deb, with Debian's debhelper and
# dh-dkms (installed with apt-get if missing; needs root then).
deb:
	tools/deb

# The package's round trip on this machine (root): build, install for the
# test bed's kernel, check, purge, check that nothing is left.
deb-test:
	tools/deb-test

# Build with W=1 against every supported kernel (Debian 12's 6.1 in three
# flavours, Debian 13's 6.12, Debian unstable's 7.2): one line per kernel.
# The build environments are prepared once by tools/kenv (as root).
matrix:
	tools/matrix
