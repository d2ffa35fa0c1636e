# SPDX-License-Identifier: GPL-2.0
#
# Kbuild fragment: run the compile tests of compat/tests/ against the kernel
# being built for and generate $(xp-compat-h), a header of HAVE_* defines
# (compat/conftest.sh says how).  A Kbuild sets xp-conftests to the tests
# its code needs, includes this file, and makes its objects (or subdirs)
# depend on $(xp-compat-dep).  The header is regenerated when the kernel's
# configuration, the compiler or its flags, or a test change.

xp-compat-dir := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
xp-compat-h := $(obj)/compat/generated/xp_config.h

# Cleaning reads the Kbuild files too (scripts/Makefile.clean, whose goal
# is __clean): there nothing may wait for the tests.
xp-compat-dep := $(if $(filter __clean,$(PHONY)),,$(xp-compat-h))

# <xp_config.h> and the compat headers, for this directory and below.
subdir-ccflags-y += -I$(xp-compat-dir) -I$(obj)/compat/generated

# The flags of a module object, less its dependency file and its name.
quiet_cmd_xp_conftest = CONFTEST $@
      cmd_xp_conftest = $(CONFIG_SHELL) $(xp-compat-dir)/conftest.sh \
		$@ $(xp-compat-dir)/tests "$(xp-conftests)" \
		$(CC) $(filter-out -Wp$(comma)% -DKBUILD_%,$(c_flags)) \
		-DKBUILD_MODNAME='"xp_conftest"'

$(xp-compat-h): $(xp-compat-dir)/conftest.sh \
		$(addprefix $(xp-compat-dir)/tests/,$(addsuffix .c,$(xp-conftests))) \
		$(objtree)/include/config/auto.conf FORCE
	$(call if_changed,xp_conftest)

targets += compat/generated/xp_config.h
clean-files += compat/generated
