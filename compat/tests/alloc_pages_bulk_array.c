// SPDX-License-Identifier: GPL-2.0
/*
 * interface: bulk page allocation into an array (alloc_pages_bulk or alloc_pages_bulk_array)
 *
 * alloc_pages_bulk_array(gfp, nr_pages, page_array): 6.1 and 6.12;
 * renamed alloc_pages_bulk() by 7.2.
 */
#include <linux/gfp.h>

static unsigned long __maybe_unused xp_conftest(struct page **pages)
{
	return alloc_pages_bulk_array(GFP_KERNEL, 1, pages);
}
