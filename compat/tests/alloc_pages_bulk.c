// SPDX-License-Identifier: GPL-2.0
/*
 * interface: bulk page allocation into an array (alloc_pages_bulk or alloc_pages_bulk_array)
 *
 * alloc_pages_bulk(gfp, nr_pages, page_array): the array form under its
 * new name (7.2; 6.12 still calls it alloc_pages_bulk_array()).
 */
#include <linux/gfp.h>

static unsigned long __maybe_unused xp_conftest(struct page **pages)
{
	return alloc_pages_bulk(GFP_KERNEL, 1, pages);
}
