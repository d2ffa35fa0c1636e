/* SPDX-License-Identifier: GPL-2.0 */
/*
 * alloc_pages_bulk(gfp, nr_pages, page_array), the name 7.2 gives the array
 * form of the bulk page allocator, on kernels that still call it
 * alloc_pages_bulk_array() (compat/tests/alloc_pages_bulk*.c).
 */
#ifndef _XP_GFP_H
#define _XP_GFP_H

#include <linux/gfp.h>
#include <xp_config.h>

#if !defined(HAVE_ALLOC_PAGES_BULK) && defined(HAVE_ALLOC_PAGES_BULK_ARRAY)
static inline unsigned long xp_alloc_pages_bulk(gfp_t gfp,
						unsigned long nr_pages,
						struct page **page_array)
{
	return alloc_pages_bulk_array(gfp, nr_pages, page_array);
}

#define alloc_pages_bulk xp_alloc_pages_bulk
#endif

#endif /* _XP_GFP_H */
