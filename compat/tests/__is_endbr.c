// SPDX-License-Identifier: GPL-2.0
/*
 * interface: the kernel's ENDBR test (is_endbr() or __is_endbr())
 *
 * __is_endbr(u32): the inline form of 7.2, where is_endbr() takes a
 * pointer and is not exported.  Not in 6.1 or 6.12.  It knows 7.2's seal
 * poison, which differs from 6.12's: another reason to use the kernel's
 * own test rather than a copy of its constants.
 */
#include <linux/types.h>
#include <asm/ibt.h>

static bool __maybe_unused xp_conftest(u32 insn)
{
	return __is_endbr(insn);
}
