/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hypercall instruction sites of site_cost_insn.S: "vmmcall; ret"
 * (vmcall off AMD/Hygon) with Xen's calling convention, at chosen offsets
 * in their pages; the _insn labels are their instructions.
 */
#ifndef _SITE_COST_H
#define _SITE_COST_H

#include <linux/types.h>

extern const u8 xb_site_mid_insn[], xb_site_end_insn[], xb_site_split_insn[];

#endif /* _SITE_COST_H */
