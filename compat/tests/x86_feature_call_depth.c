// SPDX-License-Identifier: GPL-2.0
/*
 * X86_FEATURE_CALL_DEPTH: call-depth tracking (retbleed=stuff), since 6.2;
 * 6.12 and 7.2 have it, 6.1 does not.  Optional: without it the kernel
 * cannot have the accounting thunks that kernel_site refuses.
 */
#include <asm/cpufeature.h>

static bool __maybe_unused xp_conftest(void)
{
	return cpu_feature_enabled(X86_FEATURE_CALL_DEPTH);
}
