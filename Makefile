# SPDX-License-Identifier: GPL-2.0
#
# Thin wrapper around kbuild. `make` builds both modules for the running
# kernel; `make check` builds them for the test bed's guest kernel and runs
# the selftests inside a Xen guest under QEMU.

KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
XOQ := $(CURDIR)/tools/xoq/xoq

# Forwarded to the test bed by `make check`.
TESTS ?=
GUEST_KERNEL ?=
export TESTS GUEST_KERNEL

.PHONY: all modules clean install check shell bench demo lint dkms-test

all: modules

modules:
	@test -d "$(KDIR)" || { echo "make: kernel build dir $(KDIR) not found: use 'make KDIR=<headers dir>', e.g. 'make KDIR=$$($(XOQ) kdir)' for the test bed's kernel after '$(XOQ) prepare'"; exit 1; }
	$(MAKE) -C "$(KDIR)" M="$(CURDIR)" modules

install: modules
	$(MAKE) -C "$(KDIR)" M="$(CURDIR)" modules_install

clean:
	@if [ -d "$(KDIR)" ]; then $(MAKE) -C "$(KDIR)" M="$(CURDIR)" clean; fi
	$(MAKE) -C selftests clean
	rm -rf build

# The README's test command: everything, inside a real Xen guest.
check:
	@tools/check

# A Xen guest with the modules and selftests in /payload, for a person.
shell:
	tools/check --interactive

# Latency benchmark: stock kernel (voluntary, preempt=full) against the
# modules, in one run; prints a table and a RESULT line.
bench:
	tools/bench

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
