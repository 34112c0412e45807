// Booting the simulated machine: the physical layout of nodes and zones
// (arch/x86/mm/init.c zone_sizes_init, mm/mm_init.c), memblock's boot-time
// reservations and its release of free memory into the buddy lists, the
// zonelists, and the watermarks and reserves of mm/page_alloc.c.
//
// Sections: names | layout (nodes, zones, ZONE_MOVABLE) | reservations |
// release into the buddy lists | zonelists | min_free_kbytes, watermarks,
// lowmem_reserve | queries | sysctl writers.
#include "core/machine.h"

#include "core/verify.h"

#include <algorithm>
#include <cmath>

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

const char* zone_kind_name(ZoneKind kind) {
    switch (kind) {
    case ZoneKind::DMA:
        return "DMA";
    case ZoneKind::DMA32:
        return "DMA32";
    case ZoneKind::Normal:
        return "Normal";
    case ZoneKind::HighMem:
        return "HighMem";
    case ZoneKind::Movable:
        return "Movable";
    case ZoneKind::Device:
        return "Device";
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

namespace {

constexpr uint64_t MiB = uint64_t{1} << 20;
constexpr uint64_t GiB = uint64_t{1} << 30;
constexpr uint64_t MAX_DMA_PFN = (16 * MiB) >> PAGE_SHIFT; // 4096
constexpr uint64_t MAX_DMA32_PFN = uint64_t{1} << (32 - PAGE_SHIFT);
constexpr uint64_t I386_MAX_LOW_PFN = (896 * MiB) >> PAGE_SHIFT; // 229376
constexpr uint64_t MAX_ORDER_NR_PAGES = uint64_t{1} << MAX_PAGE_ORDER;

// The zones of each configuration, by zone_idx.
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

// sysctl_lowmem_reserve_ratio's defaults: DMA 256, DMA32 256, Normal 32,
// HighMem 0, Movable 0 (and Device 0).
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

// The range of pfns a zone kind may cover on an architecture (before
// ZONE_MOVABLE is carved out): arch_zone_lowest/highest_possible_pfn.
void zone_limits(Arch arch, ZoneKind kind, uint64_t max_pfn, uint64_t* lo, uint64_t* hi) {
    *lo = *hi = 0;
    if (arch == Arch::toy) {
        if (kind == ZoneKind::Normal) *hi = max_pfn;
        return;
    }
    uint64_t first = 1; // pfn 0 belongs to no zone on PCs
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

} // namespace

// ---- Validation and layout --------------------------------------------------

std::optional<std::string> Machine::validate(const BootParams& p) {
    uint64_t lo = 16 * MiB, hi = 64 * GiB;
    if (p.arch == Arch::toy) lo = 64 * 1024;
    if (p.arch == Arch::i386) hi = 4 * GiB;
    if (p.ram < lo || p.ram > hi)
        return std::string("ram=") + std::to_string(p.ram) + " out of range for " +
               arch_name(p.arch) + " (" + (p.arch == Arch::toy ? "64K" : "16M") + " to " +
               (p.arch == Arch::i386 ? "4G" : "64G") + ")";
    if (p.ram % PAGE_SIZE) return "ram= must be a whole number of 4K pages";
    if (p.nodes < 1 || p.nodes > 8) return "nodes= must be 1 to 8";
    if (p.nodes > 1 && p.arch != Arch::x86_64)
        return std::string("nodes= must be 1 on ") + arch_name(p.arch) + " (NUMA is x86_64 only)";
    if (p.nodes > 1 && p.ram / p.nodes < 16 * MiB) return "each node needs at least 16M of ram";
    if (p.cpus < 1 || p.cpus > 64) return "cpus= must be 1 to 64";
    if (p.swap > 64 * GiB * 16) return "swap= must be at most 1T";
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
    calculate_min_free_kbytes();
    setup_per_zone_wmarks();
    setup_per_zone_lowmem_reserve();
    m_log = log;
    emit(EventType::Boot, ZoneRef{}, 0, 0, total_managed());
}

// Lays out nodes (equal slices of RAM by physical address) and their zones.
// ZONE_MOVABLE follows find_zone_movable_pfns_for_nodes(): kernelcore is
// spread evenly over the nodes, the rest of each node's highest zone becomes
// Movable, its start rounded up to MAX_ORDER_NR_PAGES.
void Machine::build_layout() {
    const uint64_t total = m_params.ram >> PAGE_SHIFT;
    m_max_pfn = total;
    const std::vector<ZoneKind> kinds = config_zones(m_params.arch);
    const unsigned nr_nodes = m_params.nodes;

    m_nodes.assign(nr_nodes, Node{});
    uint64_t per_node = total / nr_nodes;
    for (unsigned n = 0; n < nr_nodes; ++n) {
        Node& node = m_nodes[n];
        node.id = static_cast<uint8_t>(n);
        node.node_start_pfn = per_node * n;
        uint64_t end = n + 1 == nr_nodes ? total : per_node * (n + 1);
        node.node_spanned_pages = end - node.node_start_pfn;
    }

    // The zone that gives pages to ZONE_MOVABLE: the highest populated one.
    int movable_zone = -1;
    uint64_t usable_startpfn = 0;
    for (int z = static_cast<int>(kinds.size()) - 1; z >= 0; --z) {
        if (kinds[z] == ZoneKind::Movable || kinds[z] == ZoneKind::Device) continue;
        uint64_t lo, hi;
        zone_limits(m_params.arch, kinds[z], total, &lo, &hi);
        if (hi > lo) {
            movable_zone = z;
            usable_startpfn = lo;
            break;
        }
    }

    std::vector<uint64_t> zone_movable_pfn(nr_nodes, 0);
    if (m_params.movablecore > 0 && movable_zone >= 0) {
        uint64_t required_movablecore =
            (m_params.movablecore >> PAGE_SHIFT) + MAX_ORDER_NR_PAGES - 1;
        required_movablecore -= required_movablecore % MAX_ORDER_NR_PAGES;
        required_movablecore = std::min(total, required_movablecore);
        uint64_t required_kernelcore = total - required_movablecore;
        if (required_kernelcore > 0 && required_kernelcore < total) {
            unsigned usable_nodes = nr_nodes;
            for (;;) {
                uint64_t kernelcore_node = required_kernelcore / usable_nodes;
                for (unsigned n = 0; n < nr_nodes; ++n) {
                    if (required_kernelcore < kernelcore_node)
                        kernelcore_node = required_kernelcore / usable_nodes;
                    uint64_t kernelcore_remaining = kernelcore_node;
                    uint64_t start_pfn = std::max(m_nodes[n].node_start_pfn, zone_movable_pfn[n]);
                    uint64_t end_pfn = m_nodes[n].node_end_pfn();
                    if (start_pfn >= end_pfn) continue;
                    if (start_pfn < usable_startpfn) {
                        uint64_t kernel_pages = std::min(end_pfn, usable_startpfn) - start_pfn;
                        kernelcore_remaining -= std::min(kernel_pages, kernelcore_remaining);
                        required_kernelcore -= std::min(kernel_pages, required_kernelcore);
                        if (end_pfn <= usable_startpfn) {
                            zone_movable_pfn[n] = end_pfn;
                            continue;
                        }
                        start_pfn = usable_startpfn;
                    }
                    uint64_t size_pages = std::min(end_pfn - start_pfn, kernelcore_remaining);
                    zone_movable_pfn[n] = start_pfn + size_pages;
                    required_kernelcore -= std::min(required_kernelcore, size_pages);
                }
                --usable_nodes;
                if (!(usable_nodes && required_kernelcore > usable_nodes)) break;
            }
            for (unsigned n = 0; n < nr_nodes; ++n) {
                uint64_t v = zone_movable_pfn[n];
                v = (v + MAX_ORDER_NR_PAGES - 1) / MAX_ORDER_NR_PAGES * MAX_ORDER_NR_PAGES;
                zone_movable_pfn[n] = v >= m_nodes[n].node_end_pfn() ? 0 : v;
            }
        }
    }

    for (unsigned n = 0; n < nr_nodes; ++n) {
        Node& node = m_nodes[n];
        node.zones.assign(kinds.size(), Zone{});
        for (size_t z = 0; z < kinds.size(); ++z) {
            Zone& zone = node.zones[z];
            zone.kind = kinds[z];
            zone.idx = static_cast<uint8_t>(z);
            zone.node = node.id;
            zone.lowmem_reserve.assign(kinds.size(), 0);
            uint64_t lo = 0, hi = 0;
            if (kinds[z] == ZoneKind::Movable) {
                if (zone_movable_pfn[n]) {
                    lo = zone_movable_pfn[n];
                    hi = node.node_end_pfn();
                }
            } else {
                zone_limits(m_params.arch, kinds[z], total, &lo, &hi);
                lo = std::max(lo, node.node_start_pfn);
                hi = std::min(hi, node.node_end_pfn());
                uint64_t movable_start = zone_movable_pfn[n];
                if (movable_start && hi > lo) {
                    if (lo < movable_start && hi > movable_start)
                        hi = movable_start;
                    else if (lo >= movable_start)
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
            for (uint64_t pfn = zone.zone_start_pfn; pfn < zone.end_pfn(); ++pfn) {
                Page& page = node.pages[pfn - node.node_start_pfn];
                page.flags = 0;
                page.zone = zone.idx;
            }
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
            for (uint64_t pfn = zone.zone_start_pfn; pfn < zone.end_pfn(); ++pfn)
                reserved += (node.pages[pfn - node.node_start_pfn].flags & PG_reserved) ? 1 : 0;
            zone.managed_pages = zone.present_pages - reserved;
        }
    }
}

void Machine::reserve_x86_boot_memory() {
    auto reserve = [&](uint64_t start, uint64_t count, ReserveKind kind) {
        if (count == 0) return;
        for (Node& node : m_nodes) {
            uint64_t lo = std::max(start, node.node_start_pfn);
            uint64_t hi = std::min(start + count, node.node_end_pfn());
            if (hi <= lo) continue;
            m_reservations.push_back(Reservation{lo, hi - lo, kind, node.id});
            for (uint64_t pfn = lo; pfn < hi; ++pfn) {
                Page& page = node.pages[pfn - node.node_start_pfn];
                page.flags |= PG_reserved;
                page.reserve = kind;
            }
        }
    };
    reserve(0, (1 * MiB) >> PAGE_SHIFT, ReserveKind::Firmware);
    if (m_params.ram >= 64 * MiB)
        reserve((16 * MiB) >> PAGE_SHIFT, (16 * MiB) >> PAGE_SHIFT, ReserveKind::KernelImage);
    else
        reserve((2 * MiB) >> PAGE_SHIFT, (4 * MiB) >> PAGE_SHIFT, ReserveKind::KernelImage);

    const uint64_t page_struct = m_params.arch == Arch::x86_64 ? 64 : 32;
    for (Node& node : m_nodes) {
        uint64_t pages = (node.node_spanned_pages * page_struct + PAGE_SIZE - 1) / PAGE_SIZE;
        uint64_t top = node.node_end_pfn();
        if (m_params.arch == Arch::i386) top = std::min(top, I386_MAX_LOW_PFN);
        const Zone* movable = nullptr;
        for (const Zone& z : node.zones)
            if (z.kind == ZoneKind::Movable && z.populated()) movable = &z;
        if (movable && movable->zone_start_pfn >= node.node_start_pfn + pages + 256)
            top = std::min(top, movable->zone_start_pfn);
        reserve(top - pages, pages, ReserveKind::Memmap);
    }
}

// ---- Release into the buddy lists -------------------------------------------

// memblock_free_all(): each free range in ascending address order, split at
// node and zone boundaries, freed in the largest naturally aligned blocks
// (order = min(MAX_PAGE_ORDER, __ffs(start)), reduced until it fits) with
// FPI_TO_TAIL, so that fresh lists are in ascending pfn order.
void Machine::release_free_memory() {
    for (Node& node : m_nodes) {
        uint64_t pfn = node.node_start_pfn;
        const uint64_t end = node.node_end_pfn();
        while (pfn < end) {
            const Page& first = node.pages[pfn - node.node_start_pfn];
            if (first.flags & (PG_reserved | PG_nozone)) {
                ++pfn;
                continue;
            }
            // The free range: same zone, not reserved.
            uint64_t range_end = pfn;
            while (range_end < end) {
                const Page& p = node.pages[range_end - node.node_start_pfn];
                if ((p.flags & (PG_reserved | PG_nozone)) || p.zone != first.zone) break;
                ++range_end;
            }
            Zone& zone = node.zones[first.zone];
            while (pfn < range_end) {
                unsigned order = MAX_PAGE_ORDER;
                if (pfn != 0) order = std::min<unsigned>(MAX_PAGE_ORDER, __builtin_ctzll(pfn));
                while (pfn + (uint64_t{1} << order) > range_end)
                    --order;
                free_one_page(zone, pfn, order, FPI_TO_TAIL);
                zone.free_pages += uint64_t{1} << order;
                pfn += uint64_t{1} << order;
            }
        }
    }
}

// ---- Zonelists ----------------------------------------------------------------

// build_zonelists(): the local node first, then the others by
// find_next_best_node(): distance 10 local / 20 remote, +1 for a lower id,
// +1 (PENALTY_FOR_NODE_WITH_CPUS) since every node has CPUs here, and
// node_load, which accumulates over the nodes' builds and makes equidistant
// nodes round-robin. Within a node, populated zones from the highest down.
void Machine::build_zonelists() {
    const unsigned nr = static_cast<unsigned>(m_nodes.size());
    std::vector<unsigned> node_load(nr, 0);
    auto distance = [](unsigned a, unsigned b) { return a == b ? 10u : 20u; };
    for (unsigned local = 0; local < nr; ++local) {
        std::vector<bool> used(nr, false);
        std::vector<unsigned> order;
        unsigned prev = local;
        for (;;) {
            int best = -1;
            if (!used[local]) {
                best = static_cast<int>(local);
            } else {
                uint64_t min_val = UINT64_MAX;
                for (unsigned n = 0; n < nr; ++n) {
                    if (used[n]) continue;
                    uint64_t val = distance(local, n) + (n < local ? 1 : 0) + 1;
                    val = val * MAX_NUMNODES + node_load[n];
                    if (val < min_val) {
                        min_val = val;
                        best = static_cast<int>(n);
                    }
                }
            }
            if (best < 0) break;
            used[best] = true;
            if (distance(local, best) != distance(local, prev)) node_load[best] += 1;
            order.push_back(static_cast<unsigned>(best));
            prev = static_cast<unsigned>(best);
        }
        Node& node = m_nodes[local];
        node.zonelist.clear();
        for (unsigned n : order) {
            const Node& other = m_nodes[n];
            for (int z = static_cast<int>(other.zones.size()) - 1; z >= 0; --z)
                if (other.zones[z].populated())
                    node.zonelist.push_back(ZoneRef{other.id, static_cast<uint8_t>(z)});
        }
    }
}

std::string Machine::zonelist_text(unsigned node, unsigned highest_zoneidx) const {
    std::string out;
    for (ZoneRef ref : m_nodes[node].zonelist) {
        if (ref.zone > highest_zoneidx) continue;
        if (!out.empty()) out += ", ";
        out += "Node " + std::to_string(ref.node) + " " + zone(ref).name();
    }
    return out;
}

// ---- min_free_kbytes, watermarks, lowmem_reserve ------------------------------

// nr_free_buffer_pages(): managed minus the high watermark, summed over the
// zones GFP_USER may use (not HighMem, not Movable) on every node.
uint64_t Machine::nr_free_buffer_pages() const {
    unsigned high = gfp_zone(GFP_USER, zone_config());
    uint64_t sum = 0;
    for (const Node& node : m_nodes)
        for (const Zone& zone : node.zones) {
            if (zone.idx > high) continue;
            uint64_t wm = zone.wmark(WMARK_HIGH);
            if (zone.managed_pages > wm) sum += zone.managed_pages - wm;
        }
    return sum;
}

static uint64_t int_sqrt(uint64_t x) {
    uint64_t r = static_cast<uint64_t>(std::sqrt(static_cast<double>(x)));
    while (r * r > x)
        --r;
    while ((r + 1) * (r + 1) <= x)
        ++r;
    return r;
}

// calculate_min_free_kbytes(): int_sqrt(lowmem_kbytes * 16), clamped to
// [128, 262144], unless the user has set a larger value. The toy machine
// starts at 0 so that every frame can be allocated (CONSOLE.md).
void Machine::calculate_min_free_kbytes() {
    if (m_params.arch == Arch::toy) {
        m_sysctl.min_free_kbytes = 0;
        return;
    }
    uint64_t lowmem_kbytes = nr_free_buffer_pages() * (PAGE_SIZE >> 10);
    int64_t new_min = static_cast<int64_t>(int_sqrt(lowmem_kbytes * 16));
    if (new_min > m_sysctl.user_min_free_kbytes)
        m_sysctl.min_free_kbytes = static_cast<int>(std::clamp<int64_t>(new_min, 128, 262144));
}

static uint64_t mult_frac(uint64_t x, uint64_t n, uint64_t d) {
    return (x / d) * n + ((x % d) * n) / d;
}

// __setup_per_zone_wmarks(): min is min_free_kbytes shared out by managed
// pages over the lowmem zones; HighMem and Movable get managed/1024 clamped to
// [SWAP_CLUSTER_MAX, 128]; each gap is max(min/4, managed * wsf / 10000).
void Machine::setup_per_zone_wmarks() {
    const uint64_t pages_min = static_cast<uint64_t>(m_sysctl.min_free_kbytes) >> (PAGE_SHIFT - 10);
    uint64_t lowmem_pages = 0;
    for (const Node& node : m_nodes)
        for (const Zone& zone : node.zones)
            if (zone.kind != ZoneKind::HighMem && zone.kind != ZoneKind::Movable)
                lowmem_pages += zone.managed_pages;
    for (Node& node : m_nodes) {
        for (Zone& zone : node.zones) {
            uint64_t tmp = lowmem_pages ? pages_min * zone.managed_pages / lowmem_pages : 0;
            if (zone.kind == ZoneKind::HighMem || zone.kind == ZoneKind::Movable) {
                zone.watermark[WMARK_MIN] =
                    std::clamp<uint64_t>(zone.managed_pages / 1024, 32, 128);
            } else {
                zone.watermark[WMARK_MIN] = tmp;
            }
            tmp = std::max<uint64_t>(
                tmp >> 2, mult_frac(zone.managed_pages, m_sysctl.watermark_scale_factor, 10000));
            zone.watermark_boost = 0;
            zone.watermark[WMARK_LOW] = zone.watermark[WMARK_MIN] + tmp;
            zone.watermark[WMARK_HIGH] = zone.watermark[WMARK_LOW] + tmp;
            zone.watermark[WMARK_PROMO] = zone.watermark[WMARK_HIGH] + tmp;
        }
    }
}

// setup_per_zone_lowmem_reserve(): zone i keeps back, from a request that
// could have used zone j > i, the managed pages of zones i+1..j divided by
// lowmem_reserve_ratio[i]; 0 when the ratio is 0 or zone i has no pages.
void Machine::setup_per_zone_lowmem_reserve() {
    for (Node& node : m_nodes) {
        const size_t nr = node.zones.size();
        for (size_t i = 0; i < nr; ++i) {
            Zone& zone = node.zones[i];
            std::fill(zone.lowmem_reserve.begin(), zone.lowmem_reserve.end(), 0);
            if (i + 1 >= nr) continue;
            int ratio = m_sysctl.lowmem_reserve_ratio[i];
            bool clear = !ratio || !zone.managed_pages;
            uint64_t managed = 0;
            for (size_t j = i + 1; j < nr; ++j) {
                managed += node.zones[j].managed_pages;
                zone.lowmem_reserve[j] = clear ? 0 : static_cast<int64_t>(managed / ratio);
            }
        }
    }
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

FrameInfo Machine::frame(uint64_t pfn) const {
    FrameInfo info;
    const Node* node = nullptr;
    for (const Node& n : m_nodes)
        if (n.spans(pfn)) node = &n;
    if (!node) return info;
    const Page& page = node->pages[pfn - node->node_start_pfn];
    info.node = node->id;
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
        uint64_t head = pfn & ~((uint64_t{1} << o) - 1);
        if (!node->spans(head)) break;
        const Page& h = node->pages[head - node->node_start_pfn];
        if ((h.flags & (PG_buddy | PG_head)) && h.order >= o) {
            info.state = (h.flags & PG_buddy) ? FrameState::Free : FrameState::Allocated;
            info.block_pfn = head;
            info.block_order = h.order;
            info.alloc_id = (h.flags & PG_head) ? h.alloc_id : 0;
            return info;
        }
    }
    info.state = info.in_zone ? FrameState::Allocated : FrameState::Hole;
    return info;
}

// Walks from the head of the block containing `first`, then block by block:
// a free or allocated head covers 2^order frames; anything else is one frame.
void Machine::frame_codes(uint64_t first, uint64_t count, uint8_t* out) const {
    const uint64_t end = first + count;
    uint64_t pfn = first;
    if (pfn < m_max_pfn) {
        const FrameInfo info = frame(pfn);
        if (info.state == FrameState::Free || info.state == FrameState::Allocated)
            pfn = info.block_pfn;
    }
    while (pfn < end) {
        const Page* p = page(pfn);
        uint64_t span = 1;
        uint8_t code = FRAME_HOLE;
        if (!p) {
            span = end - pfn;
        } else if (p->flags & PG_reserved) {
            code = FRAME_RESERVED;
        } else if (p->flags & PG_buddy) {
            code = static_cast<uint8_t>(FRAME_FREE0 + p->order);
            span = uint64_t{1} << p->order;
        } else if (p->flags & PG_head) {
            code = FRAME_ALLOCATED;
            span = uint64_t{1} << p->order;
        } else if (!(p->flags & PG_nozone)) {
            code = FRAME_ALLOCATED; // unreachable while the invariants hold
        }
        const uint64_t lo = std::max(pfn, first), hi = std::min(pfn + span, end);
        if (hi > lo) std::fill(out + (lo - first), out + (hi - first), code);
        pfn += span;
    }
}

std::optional<uint32_t> Machine::find_allocation(const std::string& name) const {
    auto it = m_names.find(name);
    if (it == m_names.end()) return std::nullopt;
    return it->second;
}

// ---- Sysctl writers -------------------------------------------------------------

// min_free_kbytes_sysctl_handler(): proc_dointvec_minmax with a minimum of 0;
// the value becomes the user's, and the watermarks are recomputed.
std::optional<std::string> Machine::set_min_free_kbytes(int64_t value) {
    if (value < 0 || value > INT32_MAX) return "Invalid argument";
    m_sysctl.min_free_kbytes = static_cast<int>(value);
    m_sysctl.user_min_free_kbytes = static_cast<int>(value);
    setup_per_zone_wmarks();
    emit(EventType::Sysctl, ZoneRef{}, 0, 0);
    return std::nullopt;
}

// watermark_scale_factor_sysctl_handler(): 1 to 3000.
std::optional<std::string> Machine::set_watermark_scale_factor(int64_t value) {
    if (value < 1 || value > 3000) return "Invalid argument";
    m_sysctl.watermark_scale_factor = static_cast<int>(value);
    setup_per_zone_wmarks();
    emit(EventType::Sysctl, ZoneRef{}, 0, 0);
    return std::nullopt;
}

// lowmem_reserve_ratio_sysctl_handler(): proc_dointvec_minmax writes as many
// entries as given; a value below 1 becomes 0; the reserves are recomputed.
std::optional<std::string> Machine::set_lowmem_reserve_ratio(const std::vector<int64_t>& values) {
    if (values.empty() || values.size() > m_sysctl.lowmem_reserve_ratio.size())
        return "Invalid argument";
    for (int64_t v : values)
        if (v > INT32_MAX || v < INT32_MIN) return "Invalid argument";
    for (size_t i = 0; i < values.size(); ++i)
        m_sysctl.lowmem_reserve_ratio[i] = values[i] < 1 ? 0 : static_cast<int>(values[i]);
    setup_per_zone_lowmem_reserve();
    emit(EventType::Sysctl, ZoneRef{}, 0, 0);
    return std::nullopt;
}

} // namespace mm
