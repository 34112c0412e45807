// /proc/meminfo in the kernel's field order (fs/proc/meminfo.c), with
// MemAvailable from si_mem_available() (mm/show_mem.c).
#include "core/fs/internal.h"

namespace mm {

namespace {

// HPAGE_SIZE, the span of one page-middle-directory entry: 2 MiB on x86_64
// (PMD_SHIFT 21) and 4 MiB on i386 without PAE (two-level paging, PMD_SHIFT
// 22), the toy machine showing the x86_64 size.
uint64_t huge_page_kb(Arch arch) {
    const unsigned pmd_shift = arch == Arch::i386 ? 22 : 21;
    return (uint64_t{1} << pmd_shift) >> 10;
}

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
            0ull, 0ull, 0ull, 0ull, ull(huge_page_kb(m.arch())));
    appendf(out, "Hugetlb:        %8llu kB\n", 0ull);
    return out;
}

} // namespace

void register_fs_meminfo() {
    register_file({"/proc/meminfo", meminfo, nullptr});
}

} // namespace mm
