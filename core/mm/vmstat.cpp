// The fragmentation formulas of mm/vmstat.c (see vmstat.h).
#include "core/mm/vmstat.h"

namespace mm {

FreeCounts free_counts(const Zone& zone) {
    FreeCounts counts{};
    for (unsigned o = 0; o < NR_PAGE_ORDERS; ++o)
        counts[o] = zone.free_area[o].nr_free;
    return counts;
}

ContigPageInfo fill_contig_page_info(const FreeCounts& counts, unsigned suitable_order) {
    ContigPageInfo info;
    for (unsigned o = 0; o < NR_PAGE_ORDERS; ++o) {
        const uint64_t blocks = counts[o];
        info.free_blocks_total += blocks;
        info.free_pages += blocks << o;
        if (o >= suitable_order) info.free_blocks_suitable += blocks << (o - suitable_order);
    }
    return info;
}

int fragmentation_index(const FreeCounts& counts, unsigned order) {
    const ContigPageInfo info = fill_contig_page_info(counts, order);
    const uint64_t requested = uint64_t{1} << order;
    if (!info.free_blocks_total) return 0;
    if (info.free_blocks_suitable) return -1000;
    return 1000 -
           static_cast<int>((1000 + info.free_pages * 1000 / requested) / info.free_blocks_total);
}

int unusable_free_index(const FreeCounts& counts, unsigned order) {
    const ContigPageInfo info = fill_contig_page_info(counts, order);
    if (info.free_pages == 0) return 1000;
    return static_cast<int>((info.free_pages - (info.free_blocks_suitable << order)) * 1000 /
                            info.free_pages);
}

} // namespace mm
