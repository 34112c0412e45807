// The physical layout of nodes and zones (arch/x86/mm/init.c
// zone_sizes_init, mm/mm_init.c), memblock's boot-time reservations, and its
// release of free memory into the buddy lists (memblock_free_all()).
//
// Sections: zone limits | layout (nodes, zones, ZONE_MOVABLE) | reservations |
// release into the buddy lists.
#include "core/base/verify.h"
#include "core/mm/internal.h"
#include "core/mm/machine.h"

#include <algorithm>

namespace mm {

// ---- Zone limits ----------------------------------------------------------------

std::vector<ZoneKind> config_zones(Arch arch) {
    switch (arch) {
    case Arch::x86_64:
        return {ZoneKind::DMA, ZoneKind::DMA32, ZoneKind::Normal, ZoneKind::Movable,
                ZoneKind::Device};
    case Arch::i386:
        return {ZoneKind::DMA, ZoneKind::Normal, ZoneKind::HighMem, ZoneKind::Movable};
    case Arch::toy:
        return {ZoneKind::Normal};
    }
    return {};
}

// DMA 256, DMA32 256, Normal 32, HighMem 0, Movable 0 (and Device 0).
int default_lowmem_reserve_ratio(ZoneKind kind) {
    switch (kind) {
    case ZoneKind::DMA:
    case ZoneKind::DMA32:
        return 256;
    case ZoneKind::Normal:
        return 32;
    default:
        return 0;
    }
}

void zone_limits(Arch arch, ZoneKind kind, Pfn max_pfn, Pfn* lo, Pfn* hi) {
    *lo = *hi = Pfn{0};
    if (arch == Arch::toy) {
        if (kind == ZoneKind::Normal) *hi = max_pfn;
        return;
    }
    const Pfn first{1}; // pfn 0 belongs to no zone on PCs
    switch (kind) {
    case ZoneKind::DMA:
        *lo = first;
        *hi = std::min(MAX_DMA_PFN, max_pfn);
        break;
    case ZoneKind::DMA32:
        if (arch != Arch::x86_64) return;
        *lo = MAX_DMA_PFN;
        *hi = std::min(MAX_DMA32_PFN, max_pfn);
        break;
    case ZoneKind::Normal:
        *lo = arch == Arch::x86_64 ? MAX_DMA32_PFN : MAX_DMA_PFN;
        *hi = arch == Arch::x86_64 ? max_pfn : std::min(I386_MAX_LOW_PFN, max_pfn);
        break;
    case ZoneKind::HighMem:
        if (arch != Arch::i386) return;
        *lo = I386_MAX_LOW_PFN;
        *hi = max_pfn;
        break;
    default:
        return;
    }
    if (*hi < *lo) *hi = *lo;
}

// Lays out nodes (equal slices of RAM by physical address), ZONE_MOVABLE's
// start in each, and the zones and their frames.
void Machine::build_layout() {
    const uint64_t total = m_params.ram >> PAGE_SHIFT; // pages; RAM starts at address 0
    m_max_pfn = Pfn{total};
    const unsigned nr_nodes = m_params.nodes;
    m_nodes.assign(nr_nodes, Node{});
    const uint64_t per_node = total / nr_nodes;
    for (unsigned n = 0; n < nr_nodes; ++n) {
        Node& node = m_nodes[n];
        node.id = static_cast<uint8_t>(n);
        node.node_start_pfn = Pfn{per_node * n};
        const Pfn end{n + 1 == nr_nodes ? total : per_node * (n + 1)};
        node.node_spanned_pages = end - node.node_start_pfn;
    }
    const std::vector<Pfn> zone_movable_pfn = find_zone_movable_pfns_for_nodes();
    for (unsigned n = 0; n < nr_nodes; ++n)
        init_node_zones(m_nodes[n], zone_movable_pfn[n]);
}

// find_zone_movable_pfns_for_nodes() for movablecore=: kernelcore (RAM less
// movablecore, rounded up to MAX_ORDER_NR_PAGES) is spread evenly over the
// nodes, counting the zones below the highest populated one as kernel
// memory; the rest of each node's highest zone becomes ZONE_MOVABLE, its
// start rounded up to MAX_ORDER_NR_PAGES. Pfn 0: the node has none.
std::vector<Pfn> Machine::find_zone_movable_pfns_for_nodes() const {
    const uint64_t total = m_max_pfn.value();
    const std::vector<ZoneKind> kinds = config_zones(m_params.arch);
    const unsigned nr_nodes = m_params.nodes;
    std::vector<Pfn> zone_movable_pfn(nr_nodes);
    if (m_params.movablecore == 0) return zone_movable_pfn;

    // The zone that gives pages to ZONE_MOVABLE: the highest populated one.
    bool has_movable_zone = false;
    Pfn usable_startpfn;
    for (int z = static_cast<int>(kinds.size()) - 1; z >= 0 && !has_movable_zone; --z) {
        if (kinds[z] == ZoneKind::Movable || kinds[z] == ZoneKind::Device) continue;
        Pfn lo, hi;
        zone_limits(m_params.arch, kinds[z], m_max_pfn, &lo, &hi);
        has_movable_zone = hi > lo;
        usable_startpfn = lo;
    }
    if (!has_movable_zone) return zone_movable_pfn;

    // roundup(movablecore, MAX_ORDER_NR_PAGES), at most all of RAM.
    const uint64_t movable_pages = m_params.movablecore >> PAGE_SHIFT;
    const uint64_t required_movablecore = std::min(
        total, (movable_pages + MAX_ORDER_NR_PAGES - 1) / MAX_ORDER_NR_PAGES * MAX_ORDER_NR_PAGES);
    uint64_t required_kernelcore = total - required_movablecore;
    if (required_kernelcore == 0 || required_kernelcore >= total) return zone_movable_pfn;

    unsigned usable_nodes = nr_nodes;
    do {
        uint64_t kernelcore_node = required_kernelcore / usable_nodes;
        for (unsigned n = 0; n < nr_nodes; ++n) {
            if (required_kernelcore < kernelcore_node)
                kernelcore_node = required_kernelcore / usable_nodes;
            uint64_t kernelcore_remaining = kernelcore_node;
            Pfn start_pfn = std::max(m_nodes[n].node_start_pfn, zone_movable_pfn[n]);
            const Pfn end_pfn = m_nodes[n].node_end_pfn();
            if (start_pfn >= end_pfn) continue;
            if (start_pfn < usable_startpfn) {
                const uint64_t kernel_pages = std::min(end_pfn, usable_startpfn) - start_pfn;
                kernelcore_remaining -= std::min(kernel_pages, kernelcore_remaining);
                required_kernelcore -= std::min(kernel_pages, required_kernelcore);
                if (end_pfn <= usable_startpfn) {
                    zone_movable_pfn[n] = end_pfn;
                    continue;
                }
                start_pfn = usable_startpfn;
            }
            const uint64_t size_pages = std::min(end_pfn - start_pfn, kernelcore_remaining);
            zone_movable_pfn[n] = start_pfn + size_pages;
            required_kernelcore -= std::min(required_kernelcore, size_pages);
        }
        --usable_nodes;
    } while (usable_nodes && required_kernelcore > usable_nodes);

    for (unsigned n = 0; n < nr_nodes; ++n) {
        const Pfn v = align_up(zone_movable_pfn[n], MAX_ORDER_NR_PAGES);
        zone_movable_pfn[n] = v >= m_nodes[n].node_end_pfn() ? Pfn{0} : v;
    }
    return zone_movable_pfn;
}

// The node's zones (zone_spanned_pages_in_node(): the architecture's limits
// clipped to the node, the highest zone ending where ZONE_MOVABLE starts) and
// its frames (memmap_init(): a frame outside every zone is PG_nozone).
void Machine::init_node_zones(Node& node, Pfn zone_movable_pfn) {
    const std::vector<ZoneKind> kinds = config_zones(m_params.arch);
    node.zones.assign(kinds.size(), Zone{});
    for (size_t z = 0; z < kinds.size(); ++z) {
        Zone& zone = node.zones[z];
        zone.kind = kinds[z];
        zone.idx = static_cast<uint8_t>(z);
        zone.node = node.id;
        zone.lowmem_reserve.assign(kinds.size(), 0);
        Pfn lo, hi;
        if (kinds[z] == ZoneKind::Movable) {
            if (zone_movable_pfn != Pfn{0}) {
                lo = zone_movable_pfn;
                hi = node.node_end_pfn();
            }
        } else {
            zone_limits(m_params.arch, kinds[z], m_max_pfn, &lo, &hi);
            lo = std::max(lo, node.node_start_pfn);
            hi = std::min(hi, node.node_end_pfn());
            if (zone_movable_pfn != Pfn{0} && hi > lo) {
                if (lo < zone_movable_pfn && hi > zone_movable_pfn)
                    hi = zone_movable_pfn;
                else if (lo >= zone_movable_pfn)
                    hi = lo;
            }
        }
        if (hi > lo) {
            zone.zone_start_pfn = lo;
            zone.spanned_pages = hi - lo;
            zone.present_pages = hi - lo; // RAM is contiguous: no holes
        }
    }
    node.pages.assign(node.node_spanned_pages, Page{});
    for (uint64_t i = 0; i < node.node_spanned_pages; ++i)
        node.pages[i].flags = PG_nozone;
    for (const Zone& zone : node.zones) {
        for (Pfn pfn = zone.zone_start_pfn; pfn < zone.end_pfn(); ++pfn) {
            Page& page = node.pages[pfn - node.node_start_pfn];
            page.flags = 0;
            page.zone = zone.idx;
        }
    }
}

// ---- Boot-time reservations -------------------------------------------------

// memblock's reservations, documented in `help boot`:
//  - firmware: the first 1 MiB (x86 reserves all of it since 5.13);
//  - the kernel image: 16 MiB at 16 MiB (CONFIG_PHYSICAL_START), or 4 MiB at
//    2 MiB (CONFIG_PHYSICAL_ALIGN) on machines under 64 MiB;
//  - the memmap: sizeof(struct page) (64 bytes on x86_64, 32 on i386) per
//    frame of the node, at the top of the node's kernel memory (i386: at the
//    top of lowmem).
// The toy machine reserves nothing.
void Machine::reserve_boot_memory() {
    m_reservations.clear();
    if (m_params.arch != Arch::toy) reserve_x86_boot_memory();
    for (Node& node : m_nodes) {
        for (Zone& zone : node.zones) {
            uint64_t reserved = 0;
            for (Pfn pfn = zone.zone_start_pfn; pfn < zone.end_pfn(); ++pfn)
                reserved += (node.pages[pfn - node.node_start_pfn].flags & PG_reserved) ? 1 : 0;
            zone.managed_pages = zone.present_pages - reserved;
        }
    }
}

void Machine::reserve_x86_boot_memory() {
    // memblock_reserve(base, size), for whole pages.
    auto reserve = [&](PhysAddr base, uint64_t size, ReserveKind kind) {
        if (size == 0) return;
        const Pfn start = phys_to_pfn(base), end = phys_to_pfn(base + size);
        for (Node& node : m_nodes) {
            const Pfn lo = std::max(start, node.node_start_pfn);
            const Pfn hi = std::min(end, node.node_end_pfn());
            if (hi <= lo) continue;
            m_reservations.push_back(Reservation{lo, hi - lo, kind, node.id});
            for (Pfn pfn = lo; pfn < hi; ++pfn) {
                Page& page = node.pages[pfn - node.node_start_pfn];
                page.flags |= PG_reserved;
                page.reserve = kind;
            }
        }
    };
    const uint64_t firmware_bytes = 1 * MiB; // the first MiB: BIOS data, real-mode trampoline
    reserve(PhysAddr{0}, firmware_bytes, ReserveKind::Firmware);
    if (m_params.ram >= 64 * MiB)
        reserve(PhysAddr{16 * MiB}, 16 * MiB, ReserveKind::KernelImage);
    else
        reserve(PhysAddr{2 * MiB}, 4 * MiB, ReserveKind::KernelImage);

    const uint64_t page_struct = m_params.arch == Arch::x86_64 ? 64 : 32;
    for (Node& node : m_nodes) {
        uint64_t pages = (node.node_spanned_pages * page_struct + PAGE_SIZE - 1) / PAGE_SIZE;
        Pfn top = node.node_end_pfn();
        if (m_params.arch == Arch::i386) top = std::min(top, I386_MAX_LOW_PFN);
        const Zone* movable = nullptr;
        for (const Zone& z : node.zones)
            if (z.kind == ZoneKind::Movable && z.populated()) movable = &z;
        // In this lab the memmap, kernel memory, goes below ZONE_MOVABLE where
        // it fits there above the firmware's first MiB; else at the node's top.
        const uint64_t firmware_pages = firmware_bytes >> PAGE_SHIFT;
        if (movable && movable->zone_start_pfn >= node.node_start_pfn + pages + firmware_pages)
            top = std::min(top, movable->zone_start_pfn);
        reserve(pfn_to_phys(top - pages), pages * PAGE_SIZE, ReserveKind::Memmap);
    }
}

// ---- Release into the buddy lists -------------------------------------------

// memblock_free_all(): each free range in ascending address order, split at
// node and zone boundaries, freed in the largest naturally aligned blocks
// (order = min(MAX_PAGE_ORDER, __ffs(start)), reduced until it fits) with
// FPI_TO_TAIL, so that fresh lists are in ascending pfn order.
void Machine::release_free_memory() {
    for (Node& node : m_nodes) {
        Pfn pfn = node.node_start_pfn;
        const Pfn end = node.node_end_pfn();
        while (pfn < end) {
            const Page& first = node.pages[pfn - node.node_start_pfn];
            if (first.flags & (PG_reserved | PG_nozone)) {
                ++pfn;
                continue;
            }
            // The free range: same zone, not reserved.
            Pfn range_end = pfn;
            while (range_end < end) {
                const Page& p = node.pages[range_end - node.node_start_pfn];
                if ((p.flags & (PG_reserved | PG_nozone)) || p.zone != first.zone) break;
                ++range_end;
            }
            Zone& zone = node.zones[first.zone];
            while (pfn < range_end) {
                unsigned order = MAX_PAGE_ORDER;
                if (pfn != Pfn{0})
                    order = std::min<unsigned>(MAX_PAGE_ORDER, __builtin_ctzll(pfn.value()));
                while (pfn + (uint64_t{1} << order) > range_end)
                    --order;
                free_one_page(zone, pfn, order, FPI_TO_TAIL);
                zone.free_pages += uint64_t{1} << order;
                pfn += uint64_t{1} << order;
            }
        }
    }
}

} // namespace mm
