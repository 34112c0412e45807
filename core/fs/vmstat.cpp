// /proc/vmstat: the counters the simulation keeps, in the kernel's order
// (mm/vmstat.c vmstat_text[]).
#include "core/fs/internal.h"

namespace mm {

namespace {

const char* zone_event_suffix(ZoneKind kind) {
    switch (kind) {
    case ZoneKind::DMA:
        return "dma";
    case ZoneKind::DMA32:
        return "dma32";
    case ZoneKind::Normal:
        return "normal";
    case ZoneKind::HighMem:
        return "high";
    case ZoneKind::Movable:
        return "movable";
    case ZoneKind::Device:
        return "device";
    }
    return "?";
}

std::string vmstat(const Machine& m) {
    std::string out;
    uint64_t free_blocks = 0;
    ZoneCounters sum;
    for (const Node& node : m.nodes())
        for (const Zone& zone : node.zones) {
            free_blocks += zone.free_pages_blocks();
            sum.numa_hit += zone.counters.numa_hit;
            sum.numa_miss += zone.counters.numa_miss;
            sum.numa_foreign += zone.counters.numa_foreign;
            sum.numa_interleave += zone.counters.numa_interleave;
            sum.numa_local += zone.counters.numa_local;
            sum.numa_other += zone.counters.numa_other;
            sum.pgfree += zone.counters.pgfree;
        }
    appendf(out, "nr_free_pages %llu\n", ull(m.total_free()));
    appendf(out, "nr_free_pages_blocks %llu\n", ull(free_blocks));
    for (const char* name : kZoneZeroStats)
        appendf(out, "%s 0\n", name);
    if (has_numa(m)) {
        appendf(out, "numa_hit %llu\nnuma_miss %llu\nnuma_foreign %llu\n", ull(sum.numa_hit),
                ull(sum.numa_miss), ull(sum.numa_foreign));
        appendf(out, "numa_interleave %llu\nnuma_local %llu\nnuma_other %llu\n",
                ull(sum.numa_interleave), ull(sum.numa_local), ull(sum.numa_other));
    }
    for (const char* name : kNodeStats)
        appendf(out, "%s 0\n", name);
    // Events: pgalloc per zone type of the configuration, pgfree, faults.
    const Node& first = m.nodes().front();
    for (const Zone& kind_zone : first.zones) {
        uint64_t pages = 0;
        for (const Node& node : m.nodes())
            pages += node.zones[kind_zone.idx].counters.pgalloc;
        appendf(out, "pgalloc_%s %llu\n", zone_event_suffix(kind_zone.kind), ull(pages));
    }
    appendf(out, "pgfree %llu\n", ull(sum.pgfree));
    appendf(out, "pgfault 0\npgmajfault 0\n");
    // kswapd's events (vm_event_item), summed over the nodes.
    uint64_t low = 0, high = 0, runs = 0;
    for (unsigned n = 0; n < m.nodes().size(); ++n) {
        low += m.kswapd(n).kswapd_low_wmark_hit_quickly;
        high += m.kswapd(n).kswapd_high_wmark_hit_quickly;
        runs += m.kswapd(n).pageoutrun;
    }
    appendf(out, "kswapd_low_wmark_hit_quickly %llu\nkswapd_high_wmark_hit_quickly %llu\n",
            ull(low), ull(high));
    appendf(out, "pageoutrun %llu\n", ull(runs));
    return out;
}

} // namespace

void register_fs_vmstat() {
    register_file({"/proc/vmstat", vmstat, nullptr});
}

} // namespace mm
