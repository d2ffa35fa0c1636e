/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hypercall instruction sites of xhc_site_cost at chosen offsets in their
 * 4 KiB pages, each "vmmcall; ret" (vmcall off AMD/Hygon) with Xen's
 * calling convention, like the kernel's xen_hypercall_amd:
 *   xb_site_mid    in the middle of a page;
 *   xb_site_end    its instruction in the last 16 bytes of a page, so that
 *                  a 16-byte fetch from it reaches into the next page;
 *   xb_site_split  its instruction across two pages.
 * site_cost.c checks the offsets at load, since the symbols are placed by
 * the padding below (module text starts on a page boundary).
 */
#include <linux/linkage.h>
#include <asm/alternative.h>
#include <asm/cpufeatures.h>
#include <linux/objtool.h>

/*
 * No ENDBR, on any kernel: they are only called directly, and their
 * instructions must be where the padding puts them.
 */
.macro XB_SITE name:req
SYM_START(\name, SYM_L_GLOBAL, SYM_A_NONE)
SYM_INNER_LABEL(\name\()_insn, SYM_L_GLOBAL)
	ANNOTATE_NOENDBR
	ALTERNATIVE "vmcall", "vmmcall", X86_FEATURE_VMMCALL
	RET
SYM_FUNC_END(\name)
.endm

	.text
	.balign 4096, 0xcc
	.skip 2048, 0xcc
	XB_SITE xb_site_mid
	.balign 4096, 0xcc
	.skip 4096 - 8, 0xcc
	XB_SITE xb_site_end
	.balign 4096, 0xcc
	.skip 4096 - 2, 0xcc
	XB_SITE xb_site_split
	.balign 4096, 0xcc
