/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's test for an ENDBR at the start of a function, under one
 * name: is_endbr(u32) before 7.2, __is_endbr(u32) in 7.2 (compile tests
 * compat/tests/is_endbr_u32.c and __is_endbr.c).  Both also accept the
 * 4-byte NOP that the kernel writes over the ENDBRs it seals, whose value
 * changed in 7.2.
 */
#ifndef _XP_IBT_H
#define _XP_IBT_H

#include <linux/types.h>
#include <asm/ibt.h>
#include <xp_config.h>

static inline bool xp_is_endbr(u32 insn)
{
#ifdef HAVE___IS_ENDBR
	return __is_endbr(insn);
#else
	return is_endbr(insn);
#endif
}

#endif /* _XP_IBT_H */
