// /proc and /sys text, byte for byte where a real 6.18 machine's files
// (tests/data/live/, read at run time) show the same state.
#include "test_data.h"

#include "core/fs/fs.h"
#include "core/mm/machine.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <sstream>

using namespace mm;
using mm::test::between;
using mm::test::line_starting;
using mm::test::read_test_data;
using mm::test::split_lines;

namespace {

Machine one_gig() {
    return Machine(BootParams{});
}

std::string line_of(const std::string& text, const std::string& prefix) {
    size_t at = text.find(prefix);
    if (at == std::string::npos) return "";
    return text.substr(at, text.find('\n', at) - at + 1);
}

// The number of a /proc/meminfo line ("MemFree:   123 kB"), -1 if absent.
int64_t kb_of(const std::string& meminfo, const std::string& field) {
    const std::string line = line_of(meminfo, field);
    if (line.empty()) return -1;
    return std::strtoll(line.c_str() + field.size(), nullptr, 10);
}

// The numbers of one zone of /proc/zoneinfo that si_mem_available() uses.
struct ZoneinfoZone {
    size_t index = 0; // position within its node: zone_idx
    int64_t free = 0, low = 0, high = 0, managed = 0;
    std::vector<int64_t> protection; // lowmem_reserve[]
};

// Reads /proc/zoneinfo text as a person would: a zone starts at "Node N, zone
// NAME"; its "pages free", "low", "high", "managed" and "protection: (...)"
// lines follow (the per-cpu "high:" lines have a colon and are not these).
std::vector<ZoneinfoZone> parse_zoneinfo(const std::string& text) {
    std::vector<ZoneinfoZone> zones;
    std::istringstream in(text);
    std::string line;
    int node = -1;
    size_t index = 0;
    while (std::getline(in, line)) {
        std::istringstream words(line);
        std::string first, second;
        words >> first;
        if (first == "Node") {
            int n = std::atoi(line.c_str() + 5);
            index = n == node ? index + 1 : 0;
            node = n;
            zones.push_back(ZoneinfoZone{});
            zones.back().index = index;
            continue;
        }
        if (zones.empty()) continue;
        ZoneinfoZone& z = zones.back();
        if (first == "pages" && (words >> second) && second == "free")
            words >> z.free;
        else if (first == "low")
            words >> z.low;
        else if (first == "high")
            words >> z.high;
        else if (first == "managed")
            words >> z.managed;
        else if (first == "protection:") {
            for (char& c : line)
                if (c == '(' || c == ')' || c == ',') c = ' ';
            std::istringstream values(line.substr(line.find(':') + 1));
            int64_t v;
            while (values >> v)
                z.protection.push_back(v);
        }
    }
    return zones;
}

} // namespace

// The DMA zone of a fresh x86_64 machine (first 1 MiB reserved) is exactly the
// live machine's DMA zone, so these lines must match its files byte for byte.
TEST(ProcfsTest, BuddyinfoDmaLineMatchesTheLiveMachine) {
    const std::string live = read_test_data("live/buddyinfo.txt");
    const std::string dma = line_starting(live, "Node 0, zone      DMA ");
    ASSERT_FALSE(dma.empty());
    Machine m = one_gig();
    EXPECT_EQ(line_of(*read_file(m, "/proc/buddyinfo"), "Node 0, zone      DMA"), dma);
}

TEST(ProcfsTest, ExtfragDmaLinesMatchTheLiveMachine) {
    Machine m = one_gig();
    for (const char* name : {"unusable_index", "extfrag_index"}) {
        const std::string live = read_test_data(std::string("live/") + name + ".txt");
        const std::string dma = line_starting(live, "Node 0, zone      DMA ");
        ASSERT_FALSE(dma.empty()) << name;
        EXPECT_EQ(line_of(*read_file(m, std::string("/sys/kernel/debug/extfrag/") + name),
                          "Node 0, zone      DMA"),
                  dma)
            << name;
    }
}

// What does the index print for odd inputs? One free page, order 1:
// 1000 - (1000 + 500) / 1 = -500, printed " 0.-500" by C's / and %, and
// %03d of -62 is "-62".
TEST(ProcfsTest, ExtfragIndexPrintsNegativeFractionsAsCDoes) {
    BootParams p;
    p.arch = Arch::toy;
    p.ram = 64 * 1024;
    p.pcp = false;
    Machine m(p);
    for (int i = 0; i < 15; ++i)
        ASSERT_TRUE(m.alloc_pages(AllocRequest{}).ok);
    std::string text = *read_file(m, "/sys/kernel/debug/extfrag/extfrag_index");
    EXPECT_EQ(text, "Node 0, zone   Normal -1.000  0.-500  0.-250  0.-125  0.-62  0.-31  0.-15  "
                    "0.-07  0.-03  0.-01  0.000 \n");
    std::string unusable = *read_file(m, "/sys/kernel/debug/extfrag/unusable_index");
    EXPECT_EQ(unusable,
              "Node 0, zone   Normal 0.000 1.000 1.000 1.000 1.000 1.000 1.000 1.000 1.000 "
              "1.000 1.000 \n");
}

// Movable and Device are empty on the live machine and on a 16 GiB one: the
// files end with the same two zones, byte for byte.
TEST(ProcfsTest, ZoneinfoEmptyZonesMatchTheLiveMachine) {
    const std::string live = read_test_data("live/zoneinfo.txt");
    const size_t movable = live.find("Node 0, zone  Movable\n");
    ASSERT_NE(movable, std::string::npos);
    const std::string tail = live.substr(movable);
    BootParams p;
    p.ram = 16ull << 30;
    Machine m(p);
    std::string text = *read_file(m, "/proc/zoneinfo");
    ASSERT_GE(text.size(), tail.size());
    EXPECT_EQ(text.substr(text.size() - tail.size()), tail);
    EXPECT_NE(text.find("  node_unreclaimable:  0\n  start_pfn:           1048576\n"),
              std::string::npos);
}

// The per-node stats: the live machine's item names, order and %-12s widths,
// with the values the simulation has (all 0: no LRU, page cache or slab yet).
TEST(ProcfsTest, ZoneinfoPerNodeStatsHaveTheLiveMachinesItems) {
    const std::string live =
        between(read_test_data("live/zoneinfo.txt"), "  per-node stats\n", "  pages free");
    ASSERT_FALSE(live.empty());
    std::string expect = "  per-node stats\n";
    const std::vector<std::string> lines = split_lines(live);
    ASSERT_GT(lines.size(), 40u);
    for (size_t i = 1; i < lines.size(); ++i) // the name as printed, then the value 0
        expect += lines[i].substr(0, lines[i].rfind(' ') + 1) + "0\n";
    Machine m = one_gig();
    const std::string text = *read_file(m, "/proc/zoneinfo");
    EXPECT_EQ(between(text, "  per-node stats\n", "  pages free"), expect);
}

// A fresh DMA zone has the live machine's free pages and blocks, and nothing
// else counted: its counter lines (after protection, before the per-CPU
// pagesets) are the live machine's, byte for byte,
// and so are node_unreclaimable and start_pfn.
TEST(ProcfsTest, ZoneinfoDmaCountersMatchTheLiveMachine) {
    const std::string live_text = read_test_data("live/zoneinfo.txt");
    const std::string live_dma =
        between(live_text, "Node 0, zone      DMA\n", "Node 0, zone    DMA32");
    ASSERT_FALSE(live_dma.empty());
    const std::string live_counters = between(live_dma, "      nr_free_pages ", "  pagesets\n");
    const std::string live_end = live_dma.substr(live_dma.find("  node_unreclaimable:"));
    ASSERT_FALSE(live_counters.empty());
    Machine m = one_gig();
    const std::string dma = between(*read_file(m, "/proc/zoneinfo"), "Node 0, zone      DMA\n",
                                    "Node 0, zone    DMA32");
    EXPECT_EQ(between(dma, "      nr_free_pages ", "  pagesets\n"), live_counters);
    EXPECT_EQ(dma.substr(dma.find("  node_unreclaimable:")), live_end);
    // The pagesets of an unused DMA zone: count and high 0, batch 1 (zone_batchsize() of
    // 3840 pages is 0), high_max an eighth of managed over 2 CPUs, the threshold 4; high_min
    // follows the low watermark (pcp_test.cpp checks that relation).
    const std::string live_sets = between(live_dma, "  pagesets\n", "  node_unreclaimable:");
    const std::string sets = between(dma, "  pagesets\n", "  node_unreclaimable:");
    for (const char* field : {"              count:", "              high:", "              batch:",
                              "              high_max:", "  vm stats threshold:", "    cpu: 1"})
        EXPECT_EQ(line_of(sets, field), line_of(live_sets, field)) << field;
    EXPECT_EQ(line_of(dma, "  pages free"), line_of(live_dma, "  pages free"));
    EXPECT_EQ(line_of(dma, "        managed"), line_of(live_dma, "        managed"));
}

TEST(ProcfsTest, MeminfoUsesSixteenPlusEightColumns) {
    Machine m = one_gig();
    std::string text = *read_file(m, "/proc/meminfo");
    EXPECT_EQ(text.substr(0, 28), "MemTotal:        1014784 kB\n");
    EXPECT_EQ(line_of(text, "VmallocTotal:"), "VmallocTotal:   34359738367 kB\n");
    EXPECT_EQ(line_of(text, "HugePages_Total:"), "HugePages_Total:       0\n");
    EXPECT_EQ(line_of(text, "CommitLimit:"), "CommitLimit:      507392 kB\n");
    EXPECT_EQ(text.find("HighTotal:"), std::string::npos);
}

// Every line the simulation prints is a line of the live machine's meminfo:
// the same label, in the same order, the number right-aligned to the same
// column, the same unit after it. The lines it leaves out are the ones it cannot know, and the
// transparent huge page lines while THP is not modelled.
TEST(ProcfsTest, MeminfoLinesHaveTheLiveMachinesLabelsOrderAndColumns) {
    const std::vector<std::string> live = split_lines(read_test_data("live/meminfo.txt"));
    ASSERT_GT(live.size(), 40u);
    auto label = [](const std::string& line) { return line.substr(0, line.find(':') + 1); };
    // Where the number ends, and what follows it (" kB" or nothing).
    auto number_end = [](const std::string& line) { return line.find_last_of("0123456789") + 1; };
    Machine m = one_gig();
    size_t next = 0;
    std::vector<std::string> left_out;
    for (const std::string& line : split_lines(*read_file(m, "/proc/meminfo"))) {
        size_t at = next;
        while (at < live.size() && label(live[at]) != label(line))
            left_out.push_back(label(live[at++]));
        ASSERT_LT(at, live.size()) << "not in the live meminfo, or out of its order: " << line;
        EXPECT_EQ(number_end(line), number_end(live[at])) << line << " | " << live[at];
        EXPECT_EQ(line.substr(number_end(line)), live[at].substr(number_end(live[at]))) << line;
        next = at + 1;
    }
    for (size_t i = next; i < live.size(); ++i)
        left_out.push_back(label(live[i]));
    EXPECT_EQ(left_out,
              (std::vector<std::string>{"Percpu:", "AnonHugePages:", "ShmemHugePages:",
                                        "ShmemPmdMapped:", "FileHugePages:", "FilePmdMapped:",
                                        "DirectMap4k:", "DirectMap2M:", "DirectMap1G:"}));
}

// The defaults of the sysctls the live machine left alone (its min_free_kbytes
// is THP's, not modelled).
TEST(ProcfsTest, SysctlDefaultsAreTheLiveMachines) {
    const std::string live = read_test_data("live/sysctl_vm.txt");
    ASSERT_FALSE(live.empty());
    Machine m = one_gig();
    for (const char* name : {"lowmem_reserve_ratio", "watermark_scale_factor"})
        EXPECT_EQ(*read_file(m, std::string("/proc/sys/vm/") + name),
                  mm::test::sysctl_value(live, name) + "\n")
            << name;
}

// MemAvailable by si_mem_available() (mm/show_mem.c), from the zones as
// /proc/zoneinfo prints them and the page cache and reclaimable kernel memory
// as /proc/meminfo prints them (both zero in the simulation):
//   available = free - totalreserve_pages
//             + pagecache - min(pagecache / 2, wmark_low)
//             + reclaimable - min(reclaimable / 2, wmark_low), at least 0;
//   totalreserve_pages = sum over zones of
//             min(managed, max(lowmem_reserve[j >= i]) + high)
// (calculate_totalreserve_pages()), wmark_low = sum over zones of low.
TEST(ProcfsTest, MemAvailableIsSiMemAvailableOfTheZoneinfoNumbers) {
    auto check = [](const Machine& m, const std::string& what) -> int64_t {
        const std::vector<ZoneinfoZone> zones = parse_zoneinfo(*read_file(m, "/proc/zoneinfo"));
        EXPECT_EQ(zones.size(), m.nodes().size() * m.nr_zones()) << what;
        int64_t free = 0, totalreserve = 0, wmark_low = 0;
        for (const ZoneinfoZone& z : zones) {
            free += z.free;
            wmark_low += z.low;
            int64_t max = 0;
            for (size_t j = z.index; j < z.protection.size(); ++j)
                max = std::max(max, z.protection[j]);
            totalreserve += std::min(z.managed, max + z.high);
        }
        const std::string meminfo = *read_file(m, "/proc/meminfo");
        int64_t pagecache =
            (kb_of(meminfo, "Active(file):") + kb_of(meminfo, "Inactive(file):")) / 4;
        int64_t reclaimable = kb_of(meminfo, "KReclaimable:") / 4;
        int64_t available = free - totalreserve;
        available += pagecache - std::min(pagecache / 2, wmark_low);
        available += reclaimable - std::min(reclaimable / 2, wmark_low);
        available = std::max<int64_t>(available, 0);
        EXPECT_EQ(kb_of(meminfo, "MemFree:"), free * 4) << what;
        EXPECT_EQ(kb_of(meminfo, "MemAvailable:"), available * 4) << what;
        return available;
    };
    Machine m = one_gig();
    check(m, "fresh 1G");
    AllocRequest req;
    req.order = 9;
    for (int i = 0; i < 100; ++i)
        ASSERT_TRUE(m.alloc_pages(req).ok);
    check(m, "after 100 order-9 allocations");
    ASSERT_FALSE(m.set_min_free_kbytes(65536));
    ASSERT_FALSE(m.set_lowmem_reserve_ratio({32, 32, 32}));
    check(m, "min_free_kbytes 65536, lowmem_reserve_ratio 32");

    // i386: HighMem's reserve is its own high watermark; Normal's protection
    // holds HighMem's managed pages.
    BootParams p;
    p.arch = Arch::i386;
    p.ram = 2ull << 30;
    check(Machine(p), "i386 2G");

    // Below the reserves (GFP_ATOMIC digs under min): the estimate stops at 0.
    p = BootParams{};
    p.ram = 64ull << 20;
    Machine small(p);
    AllocRequest atomic;
    atomic.gfp = GFP_ATOMIC;
    while (small.alloc_pages(atomic).ok) {
    }
    EXPECT_EQ(check(small, "64M drained by GFP_ATOMIC"), 0);
}

TEST(ProcfsTest, MeminfoOnI386ShowsHighAndLow) {
    BootParams p;
    p.arch = Arch::i386;
    p.ram = 2ull << 30;
    Machine m(p);
    std::string text = *read_file(m, "/proc/meminfo");
    EXPECT_EQ(line_of(text, "HighTotal:"), "HighTotal:       1179648 kB\n");
    EXPECT_EQ(text.find("VmallocTotal"), std::string::npos);
    EXPECT_EQ(text.find("numa_hit"), std::string::npos);
}

TEST(ProcfsTest, PagetypeinfoHeaderAndMovableRows) {
    Machine m = one_gig();
    std::string text = *read_file(m, "/proc/pagetypeinfo");
    EXPECT_EQ(text.substr(0, 51), "Page block order: 9\nPages per block:  512\n\nFree pag");
    EXPECT_NE(
        text.find("Node    0, zone      DMA, type      Movable      0      0      0      0      0"
                  "      0      0      0      1      1      3 \n"),
        std::string::npos);
    EXPECT_NE(
        text.find("\nNumber of blocks type     Unmovable      Movable  Reclaimable   HighAtomic"
                  "      Isolate \n"),
        std::string::npos);
    EXPECT_NE(text.find("Node 0, zone      DMA            0            8            0"),
              std::string::npos);
}

TEST(ProcfsTest, SysctlFilesPrintAsProcDointvec) {
    Machine m = one_gig();
    EXPECT_EQ(*read_file(m, "/proc/sys/vm/lowmem_reserve_ratio"), "256\t256\t32\t0\t0\n");
    EXPECT_EQ(*read_file(m, "/proc/sys/vm/watermark_scale_factor"), "10\n");
    EXPECT_EQ(write_file(m, "/proc/sys/vm/min_free_kbytes", "8192\n"), WriteStatus::Ok);
    EXPECT_EQ(*read_file(m, "/proc/sys/vm/min_free_kbytes"), "8192\n");
    EXPECT_EQ(write_file(m, "/proc/sys/vm/min_free_kbytes", "-1\n"), WriteStatus::InvalidArgument);
    EXPECT_EQ(write_file(m, "/proc/sys/vm/min_free_kbytes", "12abc\n"),
              WriteStatus::InvalidArgument);
    EXPECT_EQ(write_file(m, "/proc/sys/vm/min_free_kbytes", "\n"), WriteStatus::InvalidArgument);
    EXPECT_EQ(write_file(m, "/proc/buddyinfo", "1\n"), WriteStatus::PermissionDenied);
    EXPECT_EQ(write_file(m, "/proc/sys/vm/nope", "1\n"), WriteStatus::NoSuchFile);
    EXPECT_EQ(write_file(m, "/proc/sys/vm", "1\n"), WriteStatus::IsDirectory);
    EXPECT_EQ(*read_file(m, "/proc/sys/vm/min_free_kbytes"), "8192\n");
}

TEST(ProcfsTest, DirectoriesListTheirEntries) {
    Machine m = one_gig();
    EXPECT_EQ(*list_directory(m, "/"), (std::vector<std::string>{"proc", "sys"}));
    EXPECT_EQ(
        *list_directory(m, "/proc/sys/vm/"),
        (std::vector<std::string>{"lowmem_reserve_ratio", "min_free_kbytes",
                                  "percpu_pagelist_high_fraction", "watermark_scale_factor"}));
    EXPECT_FALSE(list_directory(m, "/proc/buddyinfo"));
    EXPECT_FALSE(read_file(m, "/proc/nonexistent"));
}

TEST(ProcfsTest, VmstatCountsAllocationsPerZone) {
    Machine m = one_gig();
    AllocRequest req;
    req.order = 2;
    ASSERT_TRUE(m.alloc_pages(req).ok);
    std::string text = *read_file(m, "/proc/vmstat");
    EXPECT_EQ(line_of(text, "pgalloc_dma32"), "pgalloc_dma32 4\n");
    EXPECT_EQ(line_of(text, "numa_hit"), "numa_hit 1\n");
    EXPECT_EQ(text.substr(0, 14), "nr_free_pages ");
}
