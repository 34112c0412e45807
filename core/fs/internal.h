// What the files of core/fs/ share: the kernel's stat item names, the
// populated-zone walk, and the registration of each file family.
#pragma once

#include "core/base/text.h"
#include "core/fs/fs.h"
#include "core/mm/machine.h"

namespace mm {

using ull = unsigned long long;

// walk_zones_in_node(..., populated only)
template <typename Fn> void for_each_populated_zone(const Machine& m, Fn fn) {
    for (const Node& node : m.nodes())
        for (const Zone& zone : node.zones)
            if (zone.populated()) fn(node, zone);
}

// CONFIG_NUMA: the numa_* counters are printed.
inline bool has_numa(const Machine& m) {
    return m.arch() == Arch::x86_64;
}

// The node stat items of 6.18 in zoneinfo/vmstat order. The simulation has no
// LRU, page cache or slab yet, so each is 0.
inline constexpr const char* kNodeStats[] = {
    "nr_inactive_anon",
    "nr_active_anon",
    "nr_inactive_file",
    "nr_active_file",
    "nr_unevictable",
    "nr_slab_reclaimable",
    "nr_slab_unreclaimable",
    "nr_isolated_anon",
    "nr_isolated_file",
    "workingset_nodes",
    "workingset_refault_anon",
    "workingset_refault_file",
    "workingset_activate_anon",
    "workingset_activate_file",
    "workingset_restore_anon",
    "workingset_restore_file",
    "workingset_nodereclaim",
    "nr_anon_pages",
    "nr_mapped",
    "nr_file_pages",
    "nr_dirty",
    "nr_writeback",
    "nr_shmem",
    "nr_shmem_hugepages",
    "nr_shmem_pmdmapped",
    "nr_file_hugepages",
    "nr_file_pmdmapped",
    "nr_anon_transparent_hugepages",
    "nr_vmscan_write",
    "nr_vmscan_immediate_reclaim",
    "nr_dirtied",
    "nr_written",
    "nr_throttled_written",
    "nr_kernel_misc_reclaimable",
    "nr_foll_pin_acquired",
    "nr_foll_pin_released",
    "nr_kernel_stack",
    "nr_page_table_pages",
    "nr_sec_page_table_pages",
    "nr_iommu_pages",
    "nr_swapcached",
    "pgpromote_success",
    "pgpromote_candidate",
    "pgpromote_candidate_nrl",
    "pgdemote_kswapd",
    "pgdemote_direct",
    "pgdemote_khugepaged",
    "pgdemote_proactive",
    "nr_hugetlb",
    "nr_balloon_pages",
    "nr_kernel_file_pages",
};

// Zone stat items after the two free counters, all 0 in the simulation.
inline constexpr const char* kZoneZeroStats[] = {
    "nr_zone_inactive_anon",
    "nr_zone_active_anon",
    "nr_zone_inactive_file",
    "nr_zone_active_file",
    "nr_zone_unevictable",
    "nr_zone_write_pending",
    "nr_mlock",
    "nr_zspages",
    "nr_free_cma",
};

} // namespace mm
