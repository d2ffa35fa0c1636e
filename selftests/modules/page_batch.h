/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A batch of guest pages that goes to Xen and comes back: the two calls of
 * the balloon driver (drivers/xen/balloon.c), XENMEM_decrease_reservation
 * and XENMEM_populate_physmap, each a single long hypercall that Xen
 * continues many times.  Shared by the test and benchmark modules, which
 * pass the memory_op implementation to measure or to exercise.
 */
#ifndef _PAGE_BATCH_H
#define _PAGE_BATCH_H

#include <linux/gfp.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <xen/interface/xen.h>
#include <xen/interface/memory.h>
#include <xen/page.h>
#include <xp_gfp.h>

struct page_batch {
	unsigned int nr;
	struct page **pages;
	xen_pfn_t *frames;
	unsigned long seq;
};

struct page_batch_result {
	long released;		/* pages Xen took */
	long back;		/* pages Xen populated again */
	unsigned int bad_data;	/* populated pages that did not keep a write */
	u64 decrease_ns;
	u64 populate_ns;
};

typedef int (*page_batch_memop_fn)(unsigned int cmd, void *arg);

/*
 * Between pages of a long loop: where the caller may sleep, let other tasks
 * run, as any well-behaved loop over many pages does in a kernel that is not
 * fully preemptible.  The measurements are about the hypercalls only.
 */
static inline void page_batch_pause(bool may_sleep, unsigned int i)
{
	if (may_sleep && !(i % 1024))
		cond_resched();
}

/* Process context. */
static inline void page_batch_free(struct page_batch *b)
{
	unsigned int i;

	for (i = 0; b->pages && i < b->nr; i++) {
		page_batch_pause(true, i);
		__free_page(b->pages[i]);
	}
	kvfree(b->pages);
	kvfree(b->frames);
	memset(b, 0, sizeof(*b));
}

/* Process context. */
static inline int page_batch_alloc(struct page_batch *b, unsigned int nr)
{
	unsigned long got;

	memset(b, 0, sizeof(*b));
	b->pages = kvcalloc(nr, sizeof(*b->pages), GFP_KERNEL);
	b->frames = kvcalloc(nr, sizeof(*b->frames), GFP_KERNEL);
	/*
	 * The bulk allocator fills the empty slots of the first n and may
	 * stop early; a step at a time, so that the loop can be left.
	 */
	while (b->pages && b->frames && b->nr < nr) {
		page_batch_pause(true, 0);
		got = alloc_pages_bulk(GFP_KERNEL, min(nr, b->nr + 1024),
				       b->pages);
		if (got == b->nr)
			break;
		b->nr = got;
	}
	if (nr && b->nr == nr)
		return 0;
	page_batch_free(b);
	return -ENOMEM;
}

/* Write a word to each of the first @n pages and read it back. */
static inline unsigned int page_batch_verify(struct page_batch *b,
					     unsigned int n, bool may_sleep)
{
	unsigned int i, bad = 0, words = PAGE_SIZE / sizeof(u64);

	for (i = 0; i < n; i++) {
		page_batch_pause(may_sleep, i);
		u64 *word = (u64 *)page_address(b->pages[i]) +
			    (b->seq + i) % words;
		u64 val = (u64)page_to_pfn(b->pages[i]) << 20 ^ b->seq;

		WRITE_ONCE(*word, val);
		if (READ_ONCE(*word) != val)
			bad++;
	}
	b->seq++;
	return bad;
}

/*
 * Give the batch to Xen and have Xen populate the same frames again through
 * @memop.  Pages Xen did not give back are dropped from the batch: they are
 * holes in the physmap now and must never reach the allocator.  Does not
 * allocate, and sleeps only if @may_sleep, so any context may call it.
 */
static inline void page_batch_cycle(struct page_batch *b,
				    page_batch_memop_fn memop, bool may_sleep,
				    struct page_batch_result *r)
{
	struct xen_memory_reservation res = {
		.extent_order = 0,
		.domid = DOMID_SELF,
	};
	unsigned int i;
	u64 t0, t1, t2;
	long ret;

	for (i = 0; i < b->nr; i++) {
		page_batch_pause(may_sleep, i);
		b->frames[i] = xen_page_to_gfn(b->pages[i]);
	}
	set_xen_guest_handle(res.extent_start, b->frames);
	res.nr_extents = b->nr;
	t0 = ktime_get_ns();
	ret = memop(XENMEM_decrease_reservation, &res);
	t1 = ktime_get_ns();
	r->released = clamp_t(long, ret, 0, b->nr);

	for (i = 0; i < r->released; i++) {
		page_batch_pause(may_sleep, i);
		b->frames[i] = page_to_xen_pfn(b->pages[i]);
	}
	res.nr_extents = r->released;
	ret = r->released ? memop(XENMEM_populate_physmap, &res) : 0;
	t2 = ktime_get_ns();
	r->back = clamp_t(long, ret, 0, r->released);
	r->decrease_ns = t1 - t0;
	r->populate_ns = t2 - t1;

	if (r->back != r->released) {
		memmove(&b->pages[r->back], &b->pages[r->released],
			(b->nr - r->released) * sizeof(*b->pages));
		b->nr -= r->released - r->back;
	}
	r->bad_data = page_batch_verify(b, r->back, may_sleep);
}

#endif /* _PAGE_BATCH_H */
