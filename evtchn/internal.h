/* SPDX-License-Identifier: GPL-2.0 */
/* Declarations shared by the files of xen_upcall.ko. */
#ifndef _XEN_UPCALL_INTERNAL_H
#define _XEN_UPCALL_INTERNAL_H

#include <linux/dcache.h>
#include <linux/interrupt.h>
#include <linux/percpu.h>
#include <linux/types.h>
#include <linux/workqueue.h>

/*
 * Per-CPU state.  The registration fields are written only on their own
 * CPU with interrupts disabled (register.c), so the upcall entry, which
 * runs on the same CPU with interrupts disabled, never sees them change
 * under it; other CPUs (debugfs) only read them.
 */
struct xup_cpu {
	int irq;		/* our IRQ, managed and bound to this CPU */
	bool online;		/* between our online and offline callbacks */
	u8 vector;		/* vector Xen delivers to: ours or the kernel's */
	u32 spiv;		/* APIC_SPIV read right before registering */
	struct delayed_work retry;	/* deferred or resumed registration */
	unsigned int defer_streak;	/* deferrals in a row */
	unsigned long deferred_since;	/* jiffies at the first of them */
	bool defer_reported;		/* that streak was reported */

	/* statistics */
	u64 upcalls;		/* entries through our vector */
	u64 spurious;		/* of those, with nothing pending */
	u64 registrations;	/* our vector registered with Xen */
	u64 unsafe_registrations; /* registered while SPIV said disabled */
	u64 deferrals;		/* registration postponed: LAPIC disabled */
	u64 recoveries;		/* upcall raised after registering */
	u64 resched_requested;	/* upcalls that rescheduled a hypercall */
};

DECLARE_PER_CPU(struct xup_cpu, xup_cpus);
#define xup_count(field)	this_cpu_inc(xup_cpus.field)

/* vector.c */
int xup_vectors_alloc(void);
void xup_vectors_free(void);
u8 xup_vector_of_this_cpu(void);

/* entry.c */
irqreturn_t xup_entry(int irq, void *dev_id);

/* register.c */
int xup_register_init(void);
void xup_register_exit(void);
void xup_register_ours(void);
u32 xup_read_spiv(void);
int xup_hvm_set_vector(unsigned int cpu, u8 vector);
int xup_set_vector(u8 vector, u32 spiv);
void xup_recover_lost_edge(u8 vector);

/* give_back.c */
int xup_register_kernels(void);
void xup_give_back_offline(unsigned int cpu);
void xup_give_back_begin_unload(void);
void xup_wait_given_back(void);
int xup_reboot_hook_register(void);
void xup_reboot_hook_unregister(void);
bool xup_going_down(void);
void xup_log_registration(unsigned int cpu, u8 vector, u32 spiv);

/* vcpu_info.c */
void xup_vcpu_info_init(void);
bool xup_upcall_maybe_pending(void);

/* stats.c */
void xup_stats_init(void);
void xup_stats_exit(void);

/*
 * test_hooks.c: only in the selftests' build (XP_TEST_HOOKS, evtchn/Kbuild);
 * in any other build these are no-ops the compiler removes.
 */
#ifdef XP_TEST_HOOKS
void xup_test_hooks_init(struct dentry *dir);
bool xup_test_lapic_off(void);
int xup_test_give_back_error(unsigned int cpu);
bool xup_test_unpin(void);	/* give_back.c */
/* test_lost_edge.c */
int xup_hook_lose_edge(const char *line);
int xup_hook_lose_edge_show(char *buf, size_t size);
void xup_test_lose_edge(void);
bool xup_test_no_recovery(void);
bool xup_test_drop_upcall(void);
#else
static inline void xup_test_hooks_init(struct dentry *dir) {}
static inline bool xup_test_lapic_off(void) { return false; }
static inline int xup_test_give_back_error(unsigned int cpu) { return 0; }
static inline void xup_test_lose_edge(void) {}
static inline bool xup_test_no_recovery(void) { return false; }
static inline bool xup_test_drop_upcall(void) { return false; }
#endif

#endif /* _XEN_UPCALL_INTERNAL_H */
