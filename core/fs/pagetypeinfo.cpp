// /proc/pagetypeinfo: free blocks per migratetype and order, and pageblocks
// per migratetype (mm/vmstat.c pagetypeinfo_show()).
#include "core/fs/internal.h"

#include <iterator>

namespace mm {

namespace {

// migratetype_names[] for CONFIG_MEMORY_ISOLATION without CMA. Until
// migratetypes are modelled, every free block counts as Movable (what
// memmap_init() marks every pageblock at boot).
const char* const kMigratetypes[] = {"Unmovable", "Movable", "Reclaimable", "HighAtomic",
                                     "Isolate"};
constexpr int kMovable = 1;
constexpr int kNrMigratetypes = static_cast<int>(std::size(kMigratetypes)); // MIGRATE_TYPES

std::string pagetypeinfo(const Machine& m) {
    std::string out;
    for (const Node& node : m.nodes()) {
        bool has_memory = false;
        for (const Zone& z : node.zones)
            has_memory = has_memory || z.populated();
        if (!has_memory) continue;
        appendf(out, "Page block order: %d\n", PAGEBLOCK_ORDER);
        appendf(out, "Pages per block:  %llu\n", ull(PAGEBLOCK_NR_PAGES));
        out += '\n';
        appendf(out, "%-43s ", "Free pages count per migrate type at order");
        for (unsigned o = 0; o < NR_PAGE_ORDERS; ++o)
            appendf(out, "%6d ", o);
        out += '\n';
        for (const Zone& zone : node.zones) {
            if (!zone.populated()) continue;
            for (int mt = 0; mt < kNrMigratetypes; ++mt) {
                appendf(out, "Node %4d, zone %8s, type %12s ", node.id, zone.name(),
                        kMigratetypes[mt]);
                for (unsigned o = 0; o < NR_PAGE_ORDERS; ++o) {
                    uint64_t count = mt == kMovable ? zone.free_area[o].nr_free : 0;
                    bool overflow = count >= 100000;
                    appendf(out, "%s%6llu ", overflow ? ">" : "", ull(overflow ? 100000 : count));
                }
                out += '\n';
            }
        }
        appendf(out, "\n%-23s", "Number of blocks type ");
        for (int mt = 0; mt < kNrMigratetypes; ++mt)
            appendf(out, "%12s ", kMigratetypes[mt]);
        out += '\n';
        for (const Zone& zone : node.zones) {
            if (!zone.populated()) continue;
            // pagetypeinfo_showblockcount_print(): pageblocks from zone_start_pfn.
            uint64_t blocks = 0;
            for (Pfn pfn = zone.zone_start_pfn; pfn < zone.end_pfn(); pfn += PAGEBLOCK_NR_PAGES)
                ++blocks;
            appendf(out, "Node %d, zone %8s ", node.id, zone.name());
            for (int mt = 0; mt < kNrMigratetypes; ++mt)
                appendf(out, "%12llu ", ull(mt == kMovable ? blocks : 0));
            out += '\n';
        }
    }
    return out;
}

} // namespace

void register_fs_pagetypeinfo() {
    register_file({"/proc/pagetypeinfo", pagetypeinfo, nullptr});
}

} // namespace mm
