// The fragmentation formulas of mm/vmstat.c, in one place: the extfrag files,
// lesson conditions and the plots all call these.
#pragma once

#include "core/mm/machine.h"

#include <array>

namespace mm {

// The per-CPU vm stat thresholds (how far a CPU's counter may drift before
// it is folded into the zone's): calculate_normal_threshold() grows with the
// CPUs and the zone's size in 128 MiB units, 2 * fls(cpus) * (1 +
// fls(managed >> 15)); calculate_pressure_threshold(), used while kswapd
// runs, keeps every CPU's drift within the gap between the min and low
// watermarks. Both at most 125. online_cpus: num_online_cpus().
int calculate_normal_threshold(const Zone& zone, unsigned online_cpus);
int calculate_pressure_threshold(const Zone& zone, unsigned online_cpus);

// free_area[order].nr_free of one zone, orders 0..MAX_PAGE_ORDER.
using FreeCounts = std::array<uint64_t, NR_PAGE_ORDERS>;
FreeCounts free_counts(const Zone& zone);

// fill_contig_page_info(): free pages, free blocks, and how many blocks of
// `suitable_order` the free blocks of that order and above could give.
struct ContigPageInfo {
    uint64_t free_pages = 0;
    uint64_t free_blocks_total = 0;
    uint64_t free_blocks_suitable = 0;
};
ContigPageInfo fill_contig_page_info(const FreeCounts& counts, unsigned suitable_order);

// __fragmentation_index() x 1000: 0 with no free memory, -1000 when a block
// of the order is free (extfrag_index prints it as -1.000), else toward 1000
// as the failure is due to fragmentation rather than too little memory.
int fragmentation_index(const FreeCounts& counts, unsigned order);

// unusable_free_index() x 1000: the share of free pages in blocks smaller
// than the order; 1000 when nothing is free.
int unusable_free_index(const FreeCounts& counts, unsigned order);

} // namespace mm
