// /proc/zoneinfo: every zone of the configuration, populated or not, with
// its watermarks, reserves and counters (mm/vmstat.c zoneinfo_show_print()).
#include "core/fs/internal.h"

namespace mm {

namespace {

std::string zoneinfo(const Machine& m) {
    std::string out;
    for (const Node& node : m.nodes()) {
        bool first_populated = true;
        for (const Zone& zone : node.zones) {
            appendf(out, "Node %d, zone %8s", node.id, zone.name());
            if (zone.populated() && first_populated) {
                first_populated = false;
                out += "\n  per-node stats";
                for (const char* name : kNodeStats)
                    appendf(out, "\n      %-12s %llu", name, 0ull);
            }
            appendf(out,
                    "\n  pages free     %llu"
                    "\n        boost    %llu"
                    "\n        min      %llu"
                    "\n        low      %llu"
                    "\n        high     %llu"
                    "\n        promo    %llu"
                    "\n        spanned  %llu"
                    "\n        present  %llu"
                    "\n        managed  %llu"
                    "\n        cma      %llu",
                    ull(zone.free_pages), ull(zone.watermark_boost), ull(zone.wmark(WMARK_MIN)),
                    ull(zone.wmark(WMARK_LOW)), ull(zone.wmark(WMARK_HIGH)),
                    ull(zone.wmark(WMARK_PROMO)), ull(zone.spanned_pages), ull(zone.present_pages),
                    ull(zone.managed_pages), 0ull);
            appendf(out, "\n        protection: (%lld",
                    static_cast<long long>(zone.lowmem_reserve[0]));
            for (size_t i = 1; i < zone.lowmem_reserve.size(); ++i)
                appendf(out, ", %lld", static_cast<long long>(zone.lowmem_reserve[i]));
            out += ')';
            if (!zone.populated()) {
                out += '\n';
                continue;
            }
            appendf(out, "\n      %-12s %llu", "nr_free_pages", ull(zone.free_pages));
            appendf(out, "\n      %-12s %llu", "nr_free_pages_blocks",
                    ull(zone.free_pages_blocks()));
            for (const char* name : kZoneZeroStats)
                appendf(out, "\n      %-12s %llu", name, 0ull);
            if (has_numa(m)) {
                const ZoneCounters& c = zone.counters;
                appendf(out, "\n      %-12s %llu", "numa_hit", ull(c.numa_hit));
                appendf(out, "\n      %-12s %llu", "numa_miss", ull(c.numa_miss));
                appendf(out, "\n      %-12s %llu", "numa_foreign", ull(c.numa_foreign));
                appendf(out, "\n      %-12s %llu", "numa_interleave", ull(c.numa_interleave));
                appendf(out, "\n      %-12s %llu", "numa_local", ull(c.numa_local));
                appendf(out, "\n      %-12s %llu", "numa_other", ull(c.numa_other));
            }
            // The pagesets: each CPU's per_cpu_pages and its vm stat threshold.
            out += "\n  pagesets";
            for (size_t cpu = 0; cpu < zone.pcp.size(); ++cpu) {
                const PerCpuPages& pcp = zone.pcp[cpu];
                appendf(out,
                        "\n    cpu: %zu"
                        "\n              count:    %d"
                        "\n              high:     %d"
                        "\n              batch:    %d"
                        "\n              high_min: %d"
                        "\n              high_max: %d"
                        "\n  vm stats threshold: %d",
                        cpu, pcp.count, pcp.high, pcp.batch, pcp.high_min, pcp.high_max,
                        zone.stat_threshold);
            }
            appendf(out, "\n  node_unreclaimable:  %u\n  start_pfn:           %llu", 0u,
                    ull(zone.zone_start_pfn.value()));
            out += '\n';
        }
    }
    return out;
}

} // namespace

void register_fs_zoneinfo() {
    register_file({"/proc/zoneinfo", zoneinfo, nullptr});
}

} // namespace mm
