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

// ---- The memory map ------------------------------------------------------------

// The e820 map of the machine the reference files came from, a Firecracker
// microVM: RAM below EBDA_START (0x9fc00), RAM from 1 MiB up to its 32-bit
// MMIO gap at 3 GiB, and the rest of the guest's memory from 4 GiB. The
// kernel keeps it as memblock.memory: trim_bios_range() turns page 0 into
// E820_TYPE_RESERVED and drops 0xa0000-0xfffff, so the first RAM pfn is 1
// (and DMA spans 4095 pfns from 1). i386 has the same low holes and no gap
// (it takes at most 4 GiB, contiguous above 1 MiB); the toy machine is one
// range from pfn 0.
void Machine::build_memory_map() {
    m_ram.clear();
    const uint64_t ram_pages = m_params.ram >> PAGE_SHIFT;
    if (m_params.arch == Arch::toy) {
        m_ram.push_back(RamRange{Pfn{0}, Pfn{ram_pages}});
        return;
    }
    const Pfn ebda = phys_to_pfn(PhysAddr{0x9fc00}); // 0x9f: its page is not whole RAM
    const Pfn one_mib = phys_to_pfn(PhysAddr{MiB});
    m_ram.push_back(RamRange{Pfn{1}, ebda});
    const uint64_t gap_pages = X86_MMIO_GAP_END - X86_MMIO_GAP_START;
    if (m_params.arch == Arch::x86_64 && ram_pages > X86_MMIO_GAP_START.value()) {
        m_ram.push_back(RamRange{one_mib, X86_MMIO_GAP_START});
        m_ram.push_back(RamRange{X86_MMIO_GAP_END, Pfn{ram_pages + gap_pages}});
    } else {
        m_ram.push_back(RamRange{one_mib, Pfn{ram_pages}});
    }
}

uint64_t Machine::ram_pages_in(Pfn lo, Pfn hi) const {
    uint64_t n = 0;
    for (const RamRange& r : m_ram) {
        const Pfn a = std::max(lo, r.start), b = std::min(hi, r.end);
        if (b > a) n += b - a;
    }
    return n;
}

// ---- Layout -------------------------------------------------------------------

// Lays out nodes and their zones. Node n of N takes the guest's memory from
// n/N of it, rounded down to 128 MiB (a memory section), to the next node's
// start: boundaries fall on section boundaries, as memory blocks do on a real
// NUMA machine. A node spans from its first RAM pfn to its last (so node 0
// starts at pfn 1 on x86), holes included.
void Machine::build_layout() {
    build_memory_map();
    m_max_pfn = m_ram.back().end;
    const uint64_t ram_pages = m_params.ram >> PAGE_SHIFT;
    const unsigned nr_nodes = m_params.nodes;
    // The pfn of an offset into the guest's memory (x86_64 moves what lies
    // above the MMIO gap's start to 4 GiB).
    auto pfn_of_offset = [&](uint64_t offset) {
        if (m_params.arch == Arch::x86_64 && offset >= X86_MMIO_GAP_START.value())
            return Pfn{offset + (X86_MMIO_GAP_END - X86_MMIO_GAP_START)};
        return Pfn{offset};
    };
    std::vector<Pfn> bounds(nr_nodes + 1);
    bounds[0] = m_ram.front().start;
    for (unsigned n = 1; n < nr_nodes; ++n)
        bounds[n] =
            pfn_of_offset(align_down(Pfn{ram_pages * n / nr_nodes}, PAGES_PER_SECTION).value());
    bounds[nr_nodes] = m_max_pfn;
    m_nodes.assign(nr_nodes, Node{});
    for (unsigned n = 0; n < nr_nodes; ++n) {
        Node& node = m_nodes[n];
        node.id = static_cast<uint8_t>(n);
        // From the first RAM pfn at or above its start to the end of the
        // last RAM below the next node's start.
        Pfn first = bounds[n + 1], last = bounds[n];
        for (const RamRange& r : m_ram) {
            const Pfn a = std::max(bounds[n], r.start), b = std::min(bounds[n + 1], r.end);
            if (b <= a) continue;
            first = std::min(first, a);
            last = std::max(last, b);
        }
        node.node_start_pfn = first;
        node.node_spanned_pages = last - first;
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
    // early_calculate_totalpages(): the RAM, holes left out.
    const uint64_t total = ram_pages_in(Pfn{0}, m_max_pfn);
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
            // for_each_mem_pfn_range(): the node's RAM, range by range (the
            // holes are neither kernel nor movable memory).
            for (const RamRange& r : m_ram) {
                const Pfn range_start = std::max(r.start, m_nodes[n].node_start_pfn);
                const Pfn end_pfn = std::min(r.end, m_nodes[n].node_end_pfn());
                Pfn start_pfn = std::max(range_start, zone_movable_pfn[n]);
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
                kernelcore_remaining -= size_pages;
                required_kernelcore -= std::min(required_kernelcore, size_pages);
                if (kernelcore_remaining == 0) break;
            }
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
        // A zone spans its limits clipped to the node (holes included);
        // present counts the RAM in that span (calculate_node_totalpages()).
        if (hi > lo) {
            zone.zone_start_pfn = lo;
            zone.spanned_pages = hi - lo;
            zone.present_pages = ram_pages_in(lo, hi);
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
    // Holes between RAM ranges inside the node's span.
    Pfn pfn = node.node_start_pfn;
    for (const RamRange& r : m_ram) {
        for (; pfn < std::min(r.start, node.node_end_pfn()); ++pfn)
            node.pages[pfn - node.node_start_pfn].flags |= PG_hole;
        pfn = std::max(pfn, r.end);
    }
}

// ---- Boot-time reservations -------------------------------------------------

// memblock's reservations, documented in `help boot`:
//  - firmware: the RAM of the first 1 MiB (reserve_real_mode() has reserved
//    all of it since 5.13: the real-mode trampoline, BIOS data);
//  - the kernel image: 16 MiB at 16 MiB (CONFIG_PHYSICAL_START), or 4 MiB at
//    2 MiB (CONFIG_PHYSICAL_ALIGN) on machines under 64 MiB;
//  - the memmap: x86_64 (SPARSEMEM_VMEMMAP) maps 64 bytes of struct page for
//    every frame of each 128 MiB section that has RAM, holes included (2 MiB
//    a section); i386 (FLATMEM) one mem_map of 32 bytes a frame from pfn 0
//    to max_pfn. It goes at the top of the node's kernel memory (i386: at the
//    top of lowmem).
// Only RAM is reserved (holes are not memory). The toy machine reserves nothing.
void Machine::reserve_boot_memory() {
    m_reservations.clear();
    if (m_params.arch != Arch::toy) reserve_x86_boot_memory();
    for (Node& node : m_nodes) {
        for (Zone& zone : node.zones) {
            uint64_t reserved = 0;
            for (const Reservation& res : m_reservations) {
                const Pfn a = std::max(res.start_pfn, zone.zone_start_pfn);
                const Pfn b = std::min(res.start_pfn + res.nr_pages, zone.end_pfn());
                if (b > a && res.node == node.id) reserved += b - a;
            }
            zone.managed_pages = zone.present_pages - reserved;
        }
    }
}

void Machine::reserve_x86_boot_memory() {
    // memblock_reserve(base, size), for whole pages, the RAM in it.
    auto reserve = [&](PhysAddr base, uint64_t size, ReserveKind kind) {
        if (size == 0) return;
        const Pfn start = phys_to_pfn(base), end = phys_to_pfn(base + size);
        for (Node& node : m_nodes) {
            for (const RamRange& r : m_ram) {
                const Pfn lo = std::max({start, node.node_start_pfn, r.start});
                const Pfn hi = std::min({end, node.node_end_pfn(), r.end});
                if (hi <= lo) continue;
                m_reservations.push_back(Reservation{lo, hi - lo, kind, node.id});
                for (Pfn pfn = lo; pfn < hi; ++pfn) {
                    Page& page = node.pages[pfn - node.node_start_pfn];
                    page.flags |= PG_reserved;
                    page.reserve = kind;
                }
            }
        }
    };
    const uint64_t firmware_bytes = 1 * MiB;
    reserve(PhysAddr{0}, firmware_bytes, ReserveKind::Firmware);
    if (m_params.ram >= 64 * MiB)
        reserve(PhysAddr{16 * MiB}, 16 * MiB, ReserveKind::KernelImage);
    else
        reserve(PhysAddr{2 * MiB}, 4 * MiB, ReserveKind::KernelImage);

    for (Node& node : m_nodes) {
        uint64_t memmap_bytes = 0;
        if (m_params.arch == Arch::x86_64) {
            const uint64_t first = node.node_start_pfn.value() / PAGES_PER_SECTION;
            const uint64_t last = (node.node_end_pfn().value() - 1) / PAGES_PER_SECTION;
            for (uint64_t nr = first; nr <= last; ++nr)
                if (ram_pages_in(Pfn{nr * PAGES_PER_SECTION}, Pfn{(nr + 1) * PAGES_PER_SECTION}))
                    memmap_bytes += PAGES_PER_SECTION * 64;
        } else {
            memmap_bytes = m_max_pfn.value() * 32;
        }
        const uint64_t pages = (memmap_bytes + PAGE_SIZE - 1) / PAGE_SIZE;
        Pfn top = node.node_end_pfn();
        if (m_params.arch == Arch::i386) top = std::min(top, I386_MAX_LOW_PFN);
        const Zone* movable = nullptr;
        for (const Zone& z : node.zones)
            if (z.kind == ZoneKind::Movable && z.populated()) movable = &z;
        // In this lab the memmap, kernel memory, goes below ZONE_MOVABLE where
        // it fits there above the firmware's first MiB and clear of the kernel
        // image; else at the node's top.
        const uint64_t firmware_pages = firmware_bytes >> PAGE_SHIFT;
        auto overlaps_reserved = [&](Pfn lo, Pfn hi) {
            for (const Reservation& res : m_reservations)
                if (res.start_pfn < hi && lo < res.start_pfn + res.nr_pages) return true;
            return false;
        };
        if (movable && movable->zone_start_pfn >= node.node_start_pfn + pages + firmware_pages &&
            !overlaps_reserved(movable->zone_start_pfn - pages, movable->zone_start_pfn))
            top = std::min(top, movable->zone_start_pfn);
        // The top of a node is RAM, and the memmap (at most 1/64 of the
        // node) fits in the RAM range below it.
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
            if (first.flags & (PG_reserved | PG_nozone | PG_hole)) {
                ++pfn;
                continue;
            }
            // The free range: same zone, not reserved.
            Pfn range_end = pfn;
            while (range_end < end) {
                const Page& p = node.pages[range_end - node.node_start_pfn];
                if ((p.flags & (PG_reserved | PG_nozone | PG_hole)) || p.zone != first.zone) break;
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
