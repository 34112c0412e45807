// The machine aggregate: names of its parts, boot parameter checks, the boot
// order of mm_init (layout, memblock, buddy lists, zonelists, watermarks) and
// the queries panels, files and lesson checks read.
//
// Sections: names | validation | boot | queries.
#include "core/mm/machine.h"

#include "core/base/text.h"
#include "core/mm/internal.h"

#include <algorithm>

namespace mm {

// ---- Names ------------------------------------------------------------------

const char* arch_name(Arch arch) {
    switch (arch) {
    case Arch::x86_64:
        return "x86_64";
    case Arch::i386:
        return "i386";
    case Arch::toy:
        return "toy";
    }
    return "?";
}

const char* reserve_kind_name(ReserveKind kind) {
    switch (kind) {
    case ReserveKind::None:
        return "none";
    case ReserveKind::Firmware:
        return "firmware";
    case ReserveKind::KernelImage:
        return "kernel image";
    case ReserveKind::Memmap:
        return "memmap";
    }
    return "?";
}

// ---- Validation and layout --------------------------------------------------

std::optional<std::string> Machine::validate(const BootParams& p, std::string_view ram_text) {
    // The lab's range: from 16 frames (toy) or 16 MiB (what x86 boots in
    // its kernel image's reservations), to 4 GiB for i386 without PAE and
    // 64 GiB for x86_64, the most the page's 2 GiB heap holds the memmap of.
    const uint64_t lo = p.arch == Arch::toy ? 64 * 1024 : 16 * MiB;
    const uint64_t hi = p.arch == Arch::i386 ? 4 * GiB : 64 * GiB;
    if (p.ram < lo || p.ram > hi)
        return "ram=" + (ram_text.empty() ? format_size(p.ram) : quote_input(ram_text)) +
               ": must be " + format_size(lo) + " to " + format_size(hi) + " on " +
               arch_name(p.arch);
    if (p.ram % PAGE_SIZE) return "ram= must be a whole number of 4K pages";
    if (p.nodes < 1 || p.nodes > kMaxNodes)
        return "nodes= must be 1 to " + std::to_string(kMaxNodes);
    if (p.nodes > 1 && p.arch != Arch::x86_64)
        return std::string("nodes= must be 1 on ") + arch_name(p.arch) + " (NUMA is x86_64 only)";
    if (p.nodes > 1 && p.ram / p.nodes < 128 * MiB)
        return "each node needs at least 128M of ram (node boundaries are aligned to 128M)";
    if (p.cpus < 1 || p.cpus > kMaxCpus) return "cpus= must be 1 to " + std::to_string(kMaxCpus);
    const uint64_t max_swap = uint64_t{1} << 40;
    if (p.swap > max_swap) return "swap= must be at most " + format_size(max_swap);
    if (p.swap % PAGE_SIZE) return "swap= must be a whole number of 4K pages";
    if (p.movablecore > 0 && p.arch == Arch::toy) return "movablecore= needs arch=x86_64 or i386";
    if (p.movablecore >= p.ram) return "movablecore= must be below ram=";
    return std::nullopt;
}

ZoneConfig Machine::zone_config() const {
    switch (m_params.arch) {
    case Arch::x86_64:
        return ZoneConfig::X86_64;
    case Arch::i386:
        return ZoneConfig::I386;
    case Arch::toy:
        return ZoneConfig::Toy;
    }
    return ZoneConfig::Toy;
}

unsigned Machine::nr_zones() const {
    return static_cast<unsigned>(config_zones(m_params.arch).size());
}

Machine::Machine(const BootParams& params, EventLog* log) : m_params(params) {
    build_layout();
    reserve_boot_memory();
    release_free_memory();
    build_zonelists();
    m_sysctl.lowmem_reserve_ratio.clear();
    for (ZoneKind kind : config_zones(m_params.arch))
        m_sysctl.lowmem_reserve_ratio.push_back(default_lowmem_reserve_ratio(kind));
    setup_zone_pagesets();
    calculate_min_free_kbytes();
    setup_per_zone_wmarks(); // and zone_pcp_update()
    refresh_zone_stat_thresholds();
    setup_per_zone_lowmem_reserve();
    init_clock();
    m_log = log;
    emit(EventType::Boot, ZoneRef{}, 0, Pfn{}, total_managed());
}

// ---- Queries ------------------------------------------------------------------

uint64_t Zone::free_pages_blocks() const {
    uint64_t sum = 0;
    for (unsigned o = PAGEBLOCK_ORDER; o < NR_PAGE_ORDERS; ++o)
        sum += free_area[o].nr_free << o;
    return sum;
}

uint64_t Machine::total_managed() const {
    uint64_t sum = 0;
    for (const Node& node : m_nodes)
        for (const Zone& zone : node.zones)
            sum += zone.managed_pages;
    return sum;
}

uint64_t Machine::total_free() const {
    uint64_t sum = 0;
    for (const Node& node : m_nodes)
        for (const Zone& zone : node.zones)
            sum += zone.free_pages;
    return sum;
}

// calculate_totalreserve_pages(): per zone, the largest lowmem_reserve plus
// the high watermark, at most the zone's managed pages.
uint64_t Machine::totalreserve_pages() const {
    uint64_t total = 0;
    for (const Node& node : m_nodes) {
        for (const Zone& zone : node.zones) {
            int64_t max = 0;
            for (size_t j = zone.idx; j < zone.lowmem_reserve.size(); ++j)
                max = std::max(max, zone.lowmem_reserve[j]);
            uint64_t reserve = static_cast<uint64_t>(max) + zone.wmark(WMARK_HIGH);
            total += std::min(reserve, zone.managed_pages);
        }
    }
    return total;
}

FrameInfo Machine::frame(Pfn pfn) const {
    FrameInfo info;
    const Node* node = nullptr;
    for (const Node& n : m_nodes)
        if (n.spans(pfn)) node = &n;
    if (!node) return info;
    const Page& page = node->pages[pfn - node->node_start_pfn];
    info.node = node->id;
    if (page.flags & PG_hole) return info;
    info.zone = page.zone;
    info.in_zone = !(page.flags & PG_nozone);
    if (page.flags & PG_reserved) {
        info.state = FrameState::Reserved;
        info.reserve = page.reserve;
        info.block_pfn = pfn;
        return info;
    }
    // The block containing pfn starts at pfn rounded down to its order.
    for (unsigned o = 0; o < NR_PAGE_ORDERS; ++o) {
        const Pfn head = align_down(pfn, uint64_t{1} << o);
        if (!node->spans(head)) break;
        const Page& h = node->pages[head - node->node_start_pfn];
        if ((h.flags & (PG_buddy | PG_head | PG_pcp)) && h.order >= o) {
            info.state = (h.flags & PG_buddy) ? FrameState::Free
                         : (h.flags & PG_pcp) ? FrameState::PerCpu
                                              : FrameState::Allocated;
            info.block_pfn = head;
            info.block_order = h.order;
            info.alloc_id = (h.flags & PG_head) ? h.alloc_id : 0;
            if (h.flags & PG_pcp) info.cpu = pcp_cpu_of(head);
            return info;
        }
    }
    info.state = info.in_zone ? FrameState::Allocated : FrameState::Hole;
    return info;
}

// Walks from the head of the block containing `first`, then block by block:
// a free or allocated head covers 2^order frames; anything else is one frame.
void Machine::frame_codes(Pfn first, uint64_t count, uint8_t* out) const {
    const Pfn end = first + count;
    Pfn pfn = first;
    if (pfn < m_max_pfn) {
        const FrameInfo info = frame(pfn);
        if (info.state == FrameState::Free || info.state == FrameState::Allocated ||
            info.state == FrameState::PerCpu)
            pfn = info.block_pfn;
    }
    while (pfn < end) {
        const Page* p = page(pfn);
        uint64_t span = 1;
        uint8_t code = FRAME_HOLE;
        if (!p) {
            // Outside every node: up to the next node's start.
            Pfn next = end;
            for (const Node& n : m_nodes)
                if (n.node_start_pfn > pfn) next = std::min(next, n.node_start_pfn);
            span = next - pfn;
        } else if (p->flags & PG_hole) {
            code = FRAME_HOLE;
        } else if (p->flags & PG_reserved) {
            code = FRAME_RESERVED;
        } else if (p->flags & PG_buddy) {
            code = static_cast<uint8_t>(FRAME_FREE0 + p->order);
            span = uint64_t{1} << p->order;
        } else if (p->flags & PG_pcp) {
            code = static_cast<uint8_t>(FRAME_PCP0 + p->order);
            span = uint64_t{1} << p->order;
        } else if (p->flags & PG_head) {
            code = FRAME_ALLOCATED;
            span = uint64_t{1} << p->order;
        } else if (!(p->flags & PG_nozone)) {
            code = FRAME_ALLOCATED; // unreachable while the invariants hold
        }
        const Pfn lo = std::max(pfn, first), hi = std::min(pfn + span, end);
        if (hi > lo) std::fill(out + (lo - first), out + (hi - first), code);
        pfn += span;
    }
}

std::optional<uint32_t> Machine::find_allocation(const std::string& name) const {
    auto it = m_names.find(name);
    if (it == m_names.end()) return std::nullopt;
    return it->second;
}

} // namespace mm
