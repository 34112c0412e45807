// /proc and /sys of the simulated machine.
//
// Sections: helpers | buddyinfo, pagetypeinfo | zoneinfo | meminfo | vmstat |
// extfrag | sysctls | the file table.
#include "core/procfs.h"

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <functional>

namespace mm {

namespace {

// ---- Helpers ------------------------------------------------------------------

void appendf(std::string& out, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
void appendf(std::string& out, const char* fmt, ...) {
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = std::vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n > 0) out.append(buf, std::min<size_t>(static_cast<size_t>(n), sizeof buf - 1));
}

using ull = unsigned long long;

// walk_zones_in_node(..., populated only)
void for_each_populated_zone(const Machine& m,
                             const std::function<void(const Node&, const Zone&)>& fn) {
    for (const Node& node : m.nodes())
        for (const Zone& zone : node.zones)
            if (zone.populated()) fn(node, zone);
}

// The node stat items of 6.18 in zoneinfo/vmstat order. The simulation has no
// LRU, page cache or slab yet, so each is 0.
const char* const kNodeStats[] = {
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
const char* const kZoneZeroStats[] = {
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

bool has_numa(const Machine& m) {
    return m.arch() == Arch::x86_64;
} // CONFIG_NUMA

// ---- buddyinfo, pagetypeinfo --------------------------------------------------

std::string buddyinfo(const Machine& m) {
    std::string out;
    for_each_populated_zone(m, [&](const Node& node, const Zone& zone) {
        appendf(out, "Node %d, zone %8s ", node.id, zone.name());
        for (unsigned o = 0; o < NR_PAGE_ORDERS; ++o)
            appendf(out, "%6llu ", ull(zone.free_area[o].nr_free));
        out += '\n';
    });
    return out;
}

// migratetype_names[] for CONFIG_MEMORY_ISOLATION without CMA. Until
// migratetypes are modelled, every free block counts as Movable (what
// memmap_init() marks every pageblock at boot).
const char* const kMigratetypes[] = {"Unmovable", "Movable", "Reclaimable", "HighAtomic",
                                     "Isolate"};
constexpr int kMovable = 1;

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
            for (int mt = 0; mt < 5; ++mt) {
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
        for (int mt = 0; mt < 5; ++mt)
            appendf(out, "%12s ", kMigratetypes[mt]);
        out += '\n';
        for (const Zone& zone : node.zones) {
            if (!zone.populated()) continue;
            // pagetypeinfo_showblockcount_print(): pageblocks from zone_start_pfn.
            uint64_t blocks = 0;
            for (uint64_t pfn = zone.zone_start_pfn; pfn < zone.end_pfn();
                 pfn += PAGEBLOCK_NR_PAGES)
                ++blocks;
            appendf(out, "Node %d, zone %8s ", node.id, zone.name());
            for (int mt = 0; mt < 5; ++mt)
                appendf(out, "%12llu ", ull(mt == kMovable ? blocks : 0));
            out += '\n';
        }
    }
    return out;
}

// ---- zoneinfo -----------------------------------------------------------------

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
            // The per-CPU pagesets are not modelled: their lines are left out.
            appendf(out, "\n  node_unreclaimable:  %u\n  start_pfn:           %llu", 0u,
                    ull(zone.zone_start_pfn));
            out += '\n';
        }
    }
    return out;
}

// ---- meminfo --------------------------------------------------------------------

void show_val_kb(std::string& out, const char* label, uint64_t pages) {
    appendf(out, "%s%8llu kB\n", label, ull(pages << (PAGE_SHIFT - 10)));
}

std::string meminfo(const Machine& m) {
    // si_mem_available(): free minus totalreserve, plus the part of the page
    // cache and reclaimable slab above the low watermarks (none yet).
    int64_t available =
        static_cast<int64_t>(m.total_free()) - static_cast<int64_t>(m.totalreserve_pages());
    if (available < 0) available = 0;
    uint64_t high_total = 0, high_free = 0;
    for (const Node& node : m.nodes())
        for (const Zone& zone : node.zones)
            if (zone.kind == ZoneKind::HighMem) {
                high_total += zone.managed_pages;
                high_free += zone.free_pages;
            }
    const uint64_t totalram = m.total_managed();
    const uint64_t swap_pages = m.params().swap >> PAGE_SHIFT;
    const int overcommit_ratio = 50;
    std::string out;
    show_val_kb(out, "MemTotal:       ", totalram);
    show_val_kb(out, "MemFree:        ", m.total_free());
    show_val_kb(out, "MemAvailable:   ", static_cast<uint64_t>(available));
    const char* const lru_zero[] = {
        "Buffers:        ", "Cached:         ", "SwapCached:     ", "Active:         ",
        "Inactive:       ", "Active(anon):   ", "Inactive(anon): ", "Active(file):   ",
        "Inactive(file): ", "Unevictable:    ", "Mlocked:        "};
    for (const char* label : lru_zero)
        show_val_kb(out, label, 0);
    if (m.arch() == Arch::i386) { // CONFIG_HIGHMEM
        show_val_kb(out, "HighTotal:      ", high_total);
        show_val_kb(out, "HighFree:       ", high_free);
        show_val_kb(out, "LowTotal:       ", totalram - high_total);
        show_val_kb(out, "LowFree:        ", m.total_free() - high_free);
    }
    show_val_kb(out, "SwapTotal:      ", swap_pages);
    show_val_kb(out, "SwapFree:       ", swap_pages);
    show_val_kb(out, "Zswap:          ", 0);
    appendf(out, "Zswapped:       %8llu kB\n", 0ull);
    const char* const mid_zero[] = {"Dirty:          ", "Writeback:      ", "AnonPages:      ",
                                    "Mapped:         ", "Shmem:          ", "KReclaimable:   ",
                                    "Slab:           ", "SReclaimable:   ", "SUnreclaim:     "};
    for (const char* label : mid_zero)
        show_val_kb(out, label, 0);
    appendf(out, "KernelStack:    %8llu kB\n", 0ull);
    const char* const tail_zero[] = {"PageTables:     ", "SecPageTables:  ", "NFS_Unstable:   ",
                                     "Bounce:         ", "WritebackTmp:   "};
    for (const char* label : tail_zero)
        show_val_kb(out, label, 0);
    // vm_commit_limit(): (totalram - hugetlb) * overcommit_ratio / 100 + swap.
    show_val_kb(out, "CommitLimit:    ", totalram * overcommit_ratio / 100 + swap_pages);
    show_val_kb(out, "Committed_AS:   ", 0);
    if (m.arch() == Arch::x86_64) // VMALLOC_SIZE_TB_L4 (32 TiB) minus one byte
        appendf(out, "VmallocTotal:   %8llu kB\n", ull(((uint64_t{32} << 40) - 1) >> 10));
    show_val_kb(out, "VmallocUsed:    ", 0);
    show_val_kb(out, "VmallocChunk:   ", 0);
    show_val_kb(out, "Balloon:        ", 0);
    appendf(out,
            "HugePages_Total:   %5llu\n"
            "HugePages_Free:    %5llu\n"
            "HugePages_Rsvd:    %5llu\n"
            "HugePages_Surp:    %5llu\n"
            "Hugepagesize:   %8llu kB\n",
            0ull, 0ull, 0ull, 0ull, m.arch() == Arch::i386 ? 4096ull : 2048ull);
    appendf(out, "Hugetlb:        %8llu kB\n", 0ull);
    return out;
}

// ---- vmstat -----------------------------------------------------------------------

const char* zone_event_suffix(ZoneKind kind) {
    switch (kind) {
    case ZoneKind::DMA:
        return "dma";
    case ZoneKind::DMA32:
        return "dma32";
    case ZoneKind::Normal:
        return "normal";
    case ZoneKind::HighMem:
        return "high";
    case ZoneKind::Movable:
        return "movable";
    case ZoneKind::Device:
        return "device";
    }
    return "?";
}

std::string vmstat(const Machine& m) {
    std::string out;
    uint64_t free_blocks = 0;
    ZoneCounters sum;
    for (const Node& node : m.nodes())
        for (const Zone& zone : node.zones) {
            free_blocks += zone.free_pages_blocks();
            sum.numa_hit += zone.counters.numa_hit;
            sum.numa_miss += zone.counters.numa_miss;
            sum.numa_foreign += zone.counters.numa_foreign;
            sum.numa_interleave += zone.counters.numa_interleave;
            sum.numa_local += zone.counters.numa_local;
            sum.numa_other += zone.counters.numa_other;
            sum.pgfree += zone.counters.pgfree;
        }
    appendf(out, "nr_free_pages %llu\n", ull(m.total_free()));
    appendf(out, "nr_free_pages_blocks %llu\n", ull(free_blocks));
    for (const char* name : kZoneZeroStats)
        appendf(out, "%s 0\n", name);
    if (has_numa(m)) {
        appendf(out, "numa_hit %llu\nnuma_miss %llu\nnuma_foreign %llu\n", ull(sum.numa_hit),
                ull(sum.numa_miss), ull(sum.numa_foreign));
        appendf(out, "numa_interleave %llu\nnuma_local %llu\nnuma_other %llu\n",
                ull(sum.numa_interleave), ull(sum.numa_local), ull(sum.numa_other));
    }
    for (const char* name : kNodeStats)
        appendf(out, "%s 0\n", name);
    // Events: pgalloc per zone type of the configuration, pgfree, faults.
    const Node& first = m.nodes().front();
    for (const Zone& kind_zone : first.zones) {
        uint64_t pages = 0;
        for (const Node& node : m.nodes())
            pages += node.zones[kind_zone.idx].counters.pgalloc;
        appendf(out, "pgalloc_%s %llu\n", zone_event_suffix(kind_zone.kind), ull(pages));
    }
    appendf(out, "pgfree %llu\n", ull(sum.pgfree));
    appendf(out, "pgfault 0\npgmajfault 0\n");
    return out;
}

// ---- extfrag ------------------------------------------------------------------------

struct ContigPageInfo {
    uint64_t free_pages = 0, free_blocks_total = 0, free_blocks_suitable = 0;
};

ContigPageInfo fill_contig_page_info(const Zone& zone, unsigned suitable_order) {
    ContigPageInfo info;
    for (unsigned o = 0; o < NR_PAGE_ORDERS; ++o) {
        uint64_t blocks = zone.free_area[o].nr_free;
        info.free_blocks_total += blocks;
        info.free_pages += blocks << o;
        if (o >= suitable_order) info.free_blocks_suitable += blocks << (o - suitable_order);
    }
    return info;
}

int fragmentation_index(unsigned order, const ContigPageInfo& info) {
    const uint64_t requested = uint64_t{1} << order;
    if (!info.free_blocks_total) return 0;
    if (info.free_blocks_suitable) return -1000;
    return 1000 -
           static_cast<int>((1000 + info.free_pages * 1000 / requested) / info.free_blocks_total);
}

int unusable_free_index(unsigned order, const ContigPageInfo& info) {
    if (info.free_pages == 0) return 1000;
    return static_cast<int>((info.free_pages - (info.free_blocks_suitable << order)) * 1000 /
                            info.free_pages);
}

std::string extfrag_file(const Machine& m, bool unusable) {
    std::string out;
    for_each_populated_zone(m, [&](const Node& node, const Zone& zone) {
        appendf(out, "Node %d, zone %8s ", node.id, zone.name());
        for (unsigned o = 0; o < NR_PAGE_ORDERS; ++o) {
            ContigPageInfo info = fill_contig_page_info(zone, o);
            if (unusable) {
                int index = unusable_free_index(o, info);
                appendf(out, "%d.%03d ", index / 1000, index % 1000);
            } else {
                int index = fragmentation_index(o, info);
                appendf(out, "%2d.%03d ", index / 1000, index % 1000);
            }
        }
        out += '\n';
    });
    return out;
}

// ---- Sysctls ---------------------------------------------------------------------------

// proc_dointvec's parser: whitespace-separated integers, an optional '-',
// base as strtoul(..., 0): 0x hex, leading 0 octal, else decimal.
std::optional<std::vector<int64_t>> parse_int_vector(std::string_view text) {
    std::vector<int64_t> values;
    size_t i = 0;
    auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n'; };
    while (i < text.size()) {
        while (i < text.size() && space(text[i]))
            ++i;
        if (i == text.size()) break;
        bool neg = false;
        if (text[i] == '-') {
            neg = true;
            ++i;
        }
        unsigned base = 10;
        if (i + 1 < text.size() && text[i] == '0' && (text[i + 1] == 'x' || text[i + 1] == 'X')) {
            base = 16;
            i += 2;
        } else if (i < text.size() && text[i] == '0') {
            base = 8;
        }
        size_t start = i;
        uint64_t v = 0;
        while (i < text.size() && !space(text[i])) {
            char c = text[i];
            unsigned d;
            if (c >= '0' && c <= '9')
                d = static_cast<unsigned>(c - '0');
            else if (c >= 'a' && c <= 'f')
                d = static_cast<unsigned>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F')
                d = static_cast<unsigned>(c - 'A' + 10);
            else
                return std::nullopt;
            if (d >= base) return std::nullopt;
            v = v * base + d;
            if (v > (uint64_t{1} << 40)) return std::nullopt;
            ++i;
        }
        if (i == start && base != 8) return std::nullopt;
        values.push_back(neg ? -static_cast<int64_t>(v) : static_cast<int64_t>(v));
    }
    if (values.empty()) return std::nullopt;
    return values;
}

std::string int_vector_text(const std::vector<int>& values) {
    std::string out;
    for (size_t i = 0; i < values.size(); ++i) {
        if (i) out += '\t';
        out += std::to_string(values[i]);
    }
    return out + "\n";
}

// ---- The file table ----------------------------------------------------------------

struct FileEntry {
    const char* path;
    std::string (*read)(const Machine&);
    WriteStatus (*write)(Machine&, std::string_view); // null: read-only
};

WriteStatus write_scalar(Machine& m, std::string_view text,
                         std::optional<std::string> (Machine::*setter)(int64_t)) {
    auto values = parse_int_vector(text);
    if (!values || values->size() != 1) return WriteStatus::InvalidArgument;
    return (m.*setter)(values->front()) ? WriteStatus::InvalidArgument : WriteStatus::Ok;
}

const FileEntry kFiles[] = {
    {"/proc/buddyinfo", buddyinfo, nullptr},
    {"/proc/meminfo", meminfo, nullptr},
    {"/proc/pagetypeinfo", pagetypeinfo, nullptr},
    {"/proc/sys/vm/lowmem_reserve_ratio",
     [](const Machine& m) { return int_vector_text(m.sysctl().lowmem_reserve_ratio); },
     [](Machine& m, std::string_view text) {
         auto values = parse_int_vector(text);
         if (!values) return WriteStatus::InvalidArgument;
         return m.set_lowmem_reserve_ratio(*values) ? WriteStatus::InvalidArgument
                                                    : WriteStatus::Ok;
     }},
    {"/proc/sys/vm/min_free_kbytes",
     [](const Machine& m) { return std::to_string(m.sysctl().min_free_kbytes) + "\n"; },
     [](Machine& m, std::string_view text) {
         return write_scalar(m, text, &Machine::set_min_free_kbytes);
     }},
    {"/proc/sys/vm/watermark_scale_factor",
     [](const Machine& m) { return std::to_string(m.sysctl().watermark_scale_factor) + "\n"; },
     [](Machine& m, std::string_view text) {
         return write_scalar(m, text, &Machine::set_watermark_scale_factor);
     }},
    {"/proc/vmstat", vmstat, nullptr},
    {"/proc/zoneinfo", zoneinfo, nullptr},
    {"/sys/kernel/debug/extfrag/extfrag_index",
     [](const Machine& m) { return extfrag_file(m, false); }, nullptr},
    {"/sys/kernel/debug/extfrag/unusable_index",
     [](const Machine& m) { return extfrag_file(m, true); }, nullptr},
};

const FileEntry* find_file(std::string_view path) {
    for (const FileEntry& f : kFiles)
        if (path == f.path) return &f;
    return nullptr;
}

std::string normalize(std::string_view path) {
    std::string p(path);
    while (p.size() > 1 && p.back() == '/')
        p.pop_back();
    return p;
}

} // namespace

std::vector<std::string> file_paths(const Machine&) {
    std::vector<std::string> paths;
    for (const FileEntry& f : kFiles)
        paths.emplace_back(f.path);
    std::sort(paths.begin(), paths.end());
    return paths;
}

std::optional<std::string> read_file(const Machine& m, std::string_view path) {
    const FileEntry* f = find_file(normalize(path));
    if (!f) return std::nullopt;
    return f->read(m);
}

std::optional<std::vector<std::string>> list_directory(const Machine& m, std::string_view path) {
    std::string dir = normalize(path);
    if (dir.empty() || dir[0] != '/') return std::nullopt;
    std::string prefix = dir == "/" ? "/" : dir + "/";
    std::vector<std::string> names;
    for (const std::string& p : file_paths(m)) {
        if (p.compare(0, prefix.size(), prefix) != 0) continue;
        std::string rest = p.substr(prefix.size());
        std::string name = rest.substr(0, rest.find('/'));
        if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    }
    if (names.empty()) return std::nullopt;
    std::sort(names.begin(), names.end());
    return names;
}

const char* write_status_text(WriteStatus status) {
    switch (status) {
    case WriteStatus::Ok:
        return "Success";
    case WriteStatus::NoSuchFile:
        return "No such file or directory";
    case WriteStatus::IsDirectory:
        return "Is a directory";
    case WriteStatus::PermissionDenied:
        return "Permission denied";
    case WriteStatus::InvalidArgument:
        return "Invalid argument";
    }
    return "?";
}

WriteStatus write_file(Machine& m, std::string_view path, std::string_view text) {
    std::string p = normalize(path);
    const FileEntry* f = find_file(p);
    if (!f) return list_directory(m, p) ? WriteStatus::IsDirectory : WriteStatus::NoSuchFile;
    if (!f->write) return WriteStatus::PermissionDenied;
    return f->write(m, text);
}

std::string sysctl_path(std::string_view name) {
    std::string path = "/proc/sys/";
    for (char c : name)
        path += c == '.' ? '/' : c;
    return path;
}

std::string sysctl_name(std::string_view path) {
    std::string_view p = path;
    if (p.substr(0, 10) == "/proc/sys/") p.remove_prefix(10);
    std::string name;
    for (char c : p)
        name += c == '/' ? '.' : c;
    return name;
}

} // namespace mm
