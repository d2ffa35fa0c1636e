// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs view of xen_hcall (/sys/kernel/debug/xen_hcall/):
 *   stats       per-CPU counters, one line per possible CPU
 *   violations  sum of flag-invariant violations (0 unless there is a bug)
 *   xen_version the version Xen reported through the module's own site
 *               (on a PV guest, through the kernel's hypercall)
 *   config      hypercall instruction and preemption mode in use
 */
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <asm/cpufeature.h>
#include <xen/interface/xen.h>
#include <xen/interface/version.h>
#include <xen_preempt/hcall.h>

#include "internal.h"

DEFINE_PER_CPU(struct xhc_cpu_stats, xhc_stats);

static struct dentry *xhc_debugfs;

static int xhc_stats_show(struct seq_file *m, void *v)
{
	int cpu;

	seq_puts(m, "cpu issued continuations resched_requested resched_done migrations violations longest_ns in_hcall\n");
	for_each_possible_cpu(cpu) {
		const struct xhc_cpu_stats *s = per_cpu_ptr(&xhc_stats, cpu);

		seq_printf(m, "%d %llu %llu %llu %llu %llu %llu %llu %d\n", cpu,
			   READ_ONCE(s->issued), READ_ONCE(s->continuations),
			   READ_ONCE(s->resched_requested),
			   READ_ONCE(s->resched_done),
			   READ_ONCE(s->migrations), READ_ONCE(s->violations),
			   READ_ONCE(s->longest_ns), xhc_cpu_in_hcall(cpu));
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(xhc_stats);

static int xhc_violations_show(struct seq_file *m, void *v)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(per_cpu_ptr(&xhc_stats, cpu)->violations);
	seq_printf(m, "%llu\n", sum);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(xhc_violations);

static int xhc_xen_version_show(struct seq_file *m, void *v)
{
	struct xen_extraversion extra = {};
	int version;

	version = xhc_platform_xen_version(XENVER_version, NULL);
	if (version < 0)
		return version;
	if (xhc_platform_xen_version(XENVER_extraversion, &extra) < 0)
		extra.extraversion[0] = '\0';
	seq_printf(m, "%d.%d%.*s\n", version >> 16, version & 0xffff,
		   (int)sizeof(extra.extraversion), extra.extraversion);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(xhc_xen_version);

static int xhc_config_show(struct seq_file *m, void *v)
{
	seq_printf(m, "instruction %s\npreemption %s\nresched %d\n",
		   xhc_insn_name(),
		   xhc_preempt_mode(), READ_ONCE(xhc_resched_enabled));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(xhc_config);

int xhc_stats_init(void)
{
	xhc_debugfs = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("stats", 0400, xhc_debugfs, NULL, &xhc_stats_fops);
	debugfs_create_file("violations", 0400, xhc_debugfs, NULL,
			    &xhc_violations_fops);
	debugfs_create_file("xen_version", 0400, xhc_debugfs, NULL,
			    &xhc_xen_version_fops);
	debugfs_create_file("config", 0400, xhc_debugfs, NULL,
			    &xhc_config_fops);
	xhc_kernel_site_debugfs(xhc_debugfs);
	return 0;
}

void xhc_stats_exit(void)
{
	debugfs_remove_recursive(xhc_debugfs);
}
