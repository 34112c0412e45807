// /sys/kernel/debug/extfrag/{extfrag_index,unusable_index}: the formulas of
// core/mm/vmstat.h, printed as mm/vmstat.c prints them.
#include "core/fs/internal.h"
#include "core/mm/vmstat.h"

namespace mm {

namespace {

std::string extfrag_file(const Machine& m, bool unusable) {
    std::string out;
    for_each_populated_zone(m, [&](const Node& node, const Zone& zone) {
        appendf(out, "Node %d, zone %8s ", node.id, zone.name());
        const FreeCounts counts = free_counts(zone);
        for (unsigned o = 0; o < NR_PAGE_ORDERS; ++o) {
            if (unusable) {
                int index = unusable_free_index(counts, o);
                appendf(out, "%d.%03d ", index / 1000, index % 1000);
            } else {
                int index = fragmentation_index(counts, o);
                appendf(out, "%2d.%03d ", index / 1000, index % 1000);
            }
        }
        out += '\n';
    });
    return out;
}

} // namespace

void register_fs_extfrag() {
    register_file({"/sys/kernel/debug/extfrag/extfrag_index",
                   [](const Machine& m) { return extfrag_file(m, false); }, nullptr});
    register_file({"/sys/kernel/debug/extfrag/unusable_index",
                   [](const Machine& m) { return extfrag_file(m, true); }, nullptr});
}

} // namespace mm
