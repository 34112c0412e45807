// /proc and /sys text, byte for byte where a real 6.18 machine's files
// (../shared/reference/live/) show the same state.
#include "core/machine.h"
#include "core/procfs.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <sstream>

using namespace mm;

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
    Machine m = one_gig();
    EXPECT_EQ(line_of(*read_file(m, "/proc/buddyinfo"), "Node 0, zone      DMA"),
              "Node 0, zone      DMA      0      0      0      0      0      0      0      0      "
              "1      1      3 \n");
}

TEST(ProcfsTest, ExtfragDmaLinesMatchTheLiveMachine) {
    Machine m = one_gig();
    EXPECT_EQ(
        line_of(*read_file(m, "/sys/kernel/debug/extfrag/unusable_index"), "Node 0, zone      DMA"),
        "Node 0, zone      DMA 0.000 0.000 0.000 0.000 0.000 0.000 0.000 0.000 0.000 0.066 0.200 "
        "\n");
    EXPECT_EQ(
        line_of(*read_file(m, "/sys/kernel/debug/extfrag/extfrag_index"), "Node 0, zone      DMA"),
        "Node 0, zone      DMA -1.000 -1.000 -1.000 -1.000 -1.000 -1.000 -1.000 -1.000 -1.000 "
        "-1.000 -1.000 \n");
}

// What does the index print for odd inputs? One free page, order 1:
// 1000 - (1000 + 500) / 1 = -500, printed " 0.-500" by C's / and %, and
// %03d of -62 is "-62".
TEST(ProcfsTest, ExtfragIndexPrintsNegativeFractionsAsCDoes) {
    BootParams p;
    p.arch = Arch::toy;
    p.ram = 64 * 1024;
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

TEST(ProcfsTest, ZoneinfoEmptyZonesMatchTheLiveMachine) {
    BootParams p;
    p.ram = 16ull << 30;
    Machine m(p);
    std::string text = *read_file(m, "/proc/zoneinfo");
    const std::string tail =
        "Node 0, zone  Movable\n  pages free     0\n        boost    0\n        min      32\n"
        "        low      32\n        high     32\n        promo    32\n        spanned  0\n"
        "        present  0\n        managed  0\n        cma      0\n"
        "        protection: (0, 0, 0, 0, 0)\n"
        "Node 0, zone   Device\n  pages free     0\n        boost    0\n        min      0\n"
        "        low      0\n        high     0\n        promo    0\n        spanned  0\n"
        "        present  0\n        managed  0\n        cma      0\n"
        "        protection: (0, 0, 0, 0, 0)\n";
    ASSERT_GE(text.size(), tail.size());
    EXPECT_EQ(text.substr(text.size() - tail.size()), tail);
    EXPECT_NE(text.find("  per-node stats\n      nr_inactive_anon 0\n"), std::string::npos);
    EXPECT_NE(text.find("      nr_mapped    0\n"), std::string::npos); // %-12s
    EXPECT_NE(text.find("  node_unreclaimable:  0\n  start_pfn:           1048576\n"),
              std::string::npos);
    EXPECT_NE(text.find("      nr_free_pages_blocks 3584\n"),
              std::string::npos); // DMA: 3*1024 + 512
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
    EXPECT_EQ(*list_directory(m, "/proc/sys/vm/"),
              (std::vector<std::string>{"lowmem_reserve_ratio", "min_free_kbytes",
                                        "watermark_scale_factor"}));
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
