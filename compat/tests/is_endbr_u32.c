// SPDX-License-Identifier: GPL-2.0
/*
 * interface: the kernel's ENDBR test (is_endbr() or __is_endbr())
 *
 * is_endbr(u32): true for ENDBR64/32 and for the 4-byte NOP the kernel
 * writes over an ENDBR it seals.  An inline in 6.1 and 6.12 (always false
 * on a kernel built without CONFIG_X86_KERNEL_IBT).  In 7.2 is_endbr()
 * takes a pointer and is not exported; see __is_endbr.c.
 */
#include <linux/types.h>
#include <asm/ibt.h>

static bool __maybe_unused xp_conftest(u32 insn)
{
	return is_endbr(insn);
}
