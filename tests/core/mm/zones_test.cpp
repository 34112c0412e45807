// Boot layouts, min_free_kbytes, watermarks, lowmem_reserve, zonelists and
// zone fallback, with numbers from the kernel's formulas and the real machine's
// files of tests/data/live.
#include "test_data.h"
#include "test_peer.h"

#include "core/mm/invariants.h"
#include "core/mm/machine.h"

#include <gtest/gtest.h>

using namespace mm;

namespace {

Machine boot(Arch arch, uint64_t ram, unsigned nodes = 1, uint64_t movablecore = 0) {
    BootParams p;
    p.arch = arch;
    p.ram = ram;
    p.nodes = nodes;
    p.movablecore = movablecore;
    // The zone and watermark rules on the buddy lists alone: with per-CPU
    // lists some free pages sit on them (tests/core/mm/pcp_test.cpp).
    p.pcp = false;
    EXPECT_FALSE(Machine::validate(p));
    return Machine(p);
}

constexpr uint64_t MiB = 1ull << 20, GiB = 1ull << 30;

} // namespace

TEST(ZonesTest, X86_64OneGigLayout) {
    Machine m = boot(Arch::x86_64, GiB);
    const auto& z = m.nodes()[0].zones;
    ASSERT_EQ(z.size(), 5u);                // DMA, DMA32, Normal, Movable, Device
    EXPECT_EQ(z[0].zone_start_pfn, Pfn{1}); // pfn 0 is in no zone
    EXPECT_EQ(z[0].spanned_pages, 4095u);
    EXPECT_EQ(z[0].managed_pages, 3840u); // the first 1 MiB is reserved
    EXPECT_EQ(z[1].zone_start_pfn, Pfn{4096});
    EXPECT_EQ(z[1].spanned_pages, 262144u - 4096u);
    EXPECT_EQ(z[1].managed_pages, 258048u - 4096u - 4096u); // kernel image, memmap
    EXPECT_FALSE(z[2].populated());
    EXPECT_FALSE(z[3].populated());
    EXPECT_FALSE(z[4].populated());
    EXPECT_EQ(m.total_managed(), 3840u + 249856u);
    EXPECT_EQ(m.total_free(), m.total_managed());
    EXPECT_FALSE(mm::check_invariants(m));
}

TEST(ZonesTest, X86_64SixteenGigLayout) {
    Machine m = boot(Arch::x86_64, 16 * GiB);
    const auto& z = m.nodes()[0].zones;
    // RAM below 4 GiB ends at 3 GiB: DMA32 spans 4096 to 4 GiB, its RAM is
    // 786432 - 4096 pfns, less the kernel image (4096).
    EXPECT_EQ(z[1].spanned_pages, 1044480u);
    EXPECT_EQ(z[1].managed_pages, 782336u - 4096u);
    // The other 13 GiB start at 4 GiB.
    EXPECT_EQ(z[2].zone_start_pfn, Pfn{1048576});
    EXPECT_EQ(z[2].spanned_pages, 3407872u);
    // The memmap: 64 bytes per frame of the 128 sections with RAM (24 below
    // 3 GiB, 104 above 4 GiB), 512 pages each.
    EXPECT_EQ(z[2].managed_pages, 3407872u - 128u * 512u);
}

TEST(ZonesTest, I386HasHighMemAbove896M) {
    Machine m = boot(Arch::i386, 2 * GiB);
    const auto& z = m.nodes()[0].zones;
    ASSERT_EQ(z.size(), 4u); // DMA, Normal, HighMem, Movable
    EXPECT_STREQ(z[1].name(), "Normal");
    EXPECT_EQ(z[1].zone_start_pfn, Pfn{4096});
    EXPECT_EQ(z[1].end_pfn(), Pfn{229376}); // 896 MiB
    EXPECT_EQ(z[1].managed_pages, 225280u - 4096u - 4096u);
    EXPECT_STREQ(z[2].name(), "HighMem");
    EXPECT_EQ(z[2].managed_pages, 294912u);
    // HighMem's min: managed/1024 clamped to [32, 128].
    EXPECT_EQ(z[2].watermark[WMARK_MIN], 128u);
    // min_free_kbytes counts lowmem only: int_sqrt((3840 + 217088) * 4 * 16).
    EXPECT_EQ(m.sysctl().min_free_kbytes, 3760);
}

TEST(ZonesTest, ToyMachineIsOneZoneFromPfnZeroWithZeroWatermarks) {
    BootParams p;
    p.arch = Arch::toy;
    p.ram = 64 * 1024;
    p.pcp = false;
    Machine m(p);
    ASSERT_EQ(m.nodes()[0].zones.size(), 1u);
    const Zone& z = m.nodes()[0].zones[0];
    EXPECT_EQ(z.zone_start_pfn, Pfn{0});
    EXPECT_EQ(z.managed_pages, 16u);
    EXPECT_EQ(m.sysctl().min_free_kbytes, 0);
    EXPECT_EQ(z.watermark[WMARK_MIN], 0u);
    EXPECT_EQ(z.watermark[WMARK_HIGH], 0u);
    EXPECT_TRUE(m.reservations().empty());
}

TEST(ZonesTest, MinFreeKbytesIsIntSqrtOfLowmemTimes16) {
    Machine m = boot(Arch::x86_64, GiB);
    // (3840 + 249856) pages * 4 kB * 16 = 16236544; int_sqrt = 4029.
    EXPECT_EQ(m.sysctl().min_free_kbytes, 4029);
    Machine big = boot(Arch::x86_64, 64 * GiB);
    // (3840 + 778240 + 15990784 - 262144 memmap) * 4 * 16 -> int_sqrt 32506:
    // DMA32 holds 3 GiB less 16 MiB and the kernel image, Normal 61 GiB from
    // 4 GiB less the memmap of 512 sections.
    EXPECT_EQ(big.sysctl().min_free_kbytes, 32506);
    // 16 MiB: 3998 frames of RAM (4096 less page 0 and 0x9f-0xff) less the
    // RAM of the first MiB (158), the kernel image (4 MiB at 2 MiB: 1024)
    // and the memmap of its one section (32768 * 64 bytes: 512 pages) =
    // 2304 managed; 2304 * 4 * 16 = 147456, int_sqrt 384. The clamp to
    // [128, 262144] is reached by no machine the lab boots (16 MiB to 64 GiB).
    Machine small = boot(Arch::x86_64, 16 * MiB);
    EXPECT_EQ(small.sysctl().min_free_kbytes, 384);
}

// The live machine (tests/data/live): its zones' managed pages and its
// min_free_kbytes and watermark_scale_factor give, through the kernel's
// formulas, the min, low, high and promo marks and the protection lists its
// /proc/zoneinfo shows.
TEST(ZonesTest, WatermarksReproduceTheLiveMachine) {
    const std::string zoneinfo = test::read_test_data("live/zoneinfo.txt");
    const std::string sysctl = test::read_test_data("live/sysctl_vm.txt");
    ASSERT_FALSE(zoneinfo.empty());
    ASSERT_FALSE(sysctl.empty());
    auto number = [](const std::string& text, const std::string& prefix) -> uint64_t {
        const std::string line = test::line_starting(text, prefix);
        return line.empty() ? UINT64_MAX : std::stoull(line.substr(prefix.size()));
    };
    const char* const names[5] = {"     DMA", "   DMA32", "  Normal", " Movable", "  Device"};
    std::string zone_text[5];
    for (int i = 0; i < 5; ++i) {
        const std::string head = std::string("Node 0, zone ") + names[i] + "\n";
        const size_t at = zoneinfo.find(head);
        ASSERT_NE(at, std::string::npos) << names[i];
        const size_t end = zoneinfo.find("Node 0, zone ", at + head.size());
        zone_text[i] = zoneinfo.substr(at, end == std::string::npos ? end : end - at);
    }

    Machine m = boot(Arch::x86_64, 8 * GiB);
    for (unsigned i = 0; i < 3; ++i)
        MachineTestPeer::set_managed(m, 0, i, number(zone_text[i], "        managed  "));
    MachineTestPeer::set_min_free_kbytes(m,
                                         std::stoi(test::sysctl_value(sysctl, "min_free_kbytes")));
    ASSERT_EQ(test::sysctl_value(sysctl, "watermark_scale_factor"),
              std::to_string(m.sysctl().watermark_scale_factor));
    ASSERT_EQ(test::sysctl_value(sysctl, "lowmem_reserve_ratio"), "256\t256\t32\t0\t0");
    MachineTestPeer::recalc(m);

    const auto& z = m.nodes()[0].zones;
    const char* const marks[4] = {"        min      ", "        low      ", "        high     ",
                                  "        promo    "};
    for (int i = 0; i < 5; ++i) {
        for (int w = 0; w < 4; ++w)
            EXPECT_EQ(z[i].watermark[w], number(zone_text[i], marks[w])) << names[i] << marks[w];
        std::string protection = "        protection: (";
        for (size_t j = 0; j < z[i].lowmem_reserve.size(); ++j)
            protection += (j ? ", " : "") + std::to_string(z[i].lowmem_reserve[j]);
        EXPECT_EQ(test::line_starting(zone_text[i], "        protection: "), protection + ")\n")
            << names[i];
    }
}

TEST(ZonesTest, WatermarkScaleFactorWidensTheGaps) {
    Machine m = boot(Arch::x86_64, 16 * GiB);
    const Zone& normal = m.nodes()[0].zones[2];
    uint64_t min = normal.watermark[WMARK_MIN];
    ASSERT_FALSE(m.set_watermark_scale_factor(1000)); // 10%
    EXPECT_EQ(normal.watermark[WMARK_MIN], min);
    EXPECT_EQ(normal.watermark[WMARK_LOW] - min, normal.managed_pages * 1000 / 10000);
    EXPECT_TRUE(m.set_watermark_scale_factor(0));
    EXPECT_TRUE(m.set_watermark_scale_factor(3001));
}

TEST(ZonesTest, LowmemReserveFollowsTheRatios) {
    Machine m = boot(Arch::x86_64, 16 * GiB);
    const auto& z = m.nodes()[0].zones;
    const int64_t dma32 = static_cast<int64_t>(z[1].managed_pages);
    const int64_t normal = static_cast<int64_t>(z[2].managed_pages);
    EXPECT_EQ(z[0].lowmem_reserve,
              (std::vector<int64_t>{0, dma32 / 256, (dma32 + normal) / 256, (dma32 + normal) / 256,
                                    (dma32 + normal) / 256}));
    EXPECT_EQ(z[1].lowmem_reserve,
              (std::vector<int64_t>{0, 0, normal / 256, normal / 256, normal / 256}));
    // A ratio of 0 (or below 1) clears the reserve.
    ASSERT_FALSE(m.set_lowmem_reserve_ratio({0, 32}));
    EXPECT_EQ(m.sysctl().lowmem_reserve_ratio, (std::vector<int>{0, 32, 32, 0, 0}));
    EXPECT_EQ(z[0].lowmem_reserve[2], 0);
    EXPECT_EQ(z[1].lowmem_reserve[2], normal / 32);
    EXPECT_TRUE(m.set_lowmem_reserve_ratio({1, 2, 3, 4, 5, 6}));
}

TEST(ZonesTest, ZonelistIsHighestZoneFirstThenOtherNodesRoundRobin) {
    Machine m = boot(Arch::x86_64, 32 * GiB, 4);
    auto nodes_of = [&](unsigned n) {
        std::vector<unsigned> order;
        for (ZoneRef r : m.nodes()[n].zonelist)
            if (order.empty() || order.back() != r.node) order.push_back(r.node);
        return order;
    };
    EXPECT_EQ(nodes_of(0), (std::vector<unsigned>{0, 1, 2, 3}));
    EXPECT_EQ(nodes_of(1), (std::vector<unsigned>{1, 2, 3, 0}));
    EXPECT_EQ(nodes_of(2), (std::vector<unsigned>{2, 3, 0, 1}));
    EXPECT_EQ(nodes_of(3), (std::vector<unsigned>{3, 0, 1, 2}));
    // Node 0 (0-8G): Normal, DMA32, DMA.
    EXPECT_EQ(m.zonelist_text(0, 2).substr(0, 43), "Node 0 Normal, Node 0 DMA32, Node 0 DMA, No");
}

TEST(ZonesTest, MovablecoreCarvesTheTopOfTheHighestZone) {
    Machine m = boot(Arch::x86_64, 8 * GiB, 1, 2 * GiB);
    const auto& z = m.nodes()[0].zones;
    // kernelcore is 6 GiB of RAM less the 98 frames of holes: the 3 GiB
    // below the gap (less the holes) count as kernel memory, so Normal keeps
    // 3 GiB from 4 GiB and Movable takes 7 to 9 GiB.
    EXPECT_EQ(z[2].zone_start_pfn, Pfn{1048576});
    EXPECT_EQ(z[2].end_pfn(), Pfn{1835008}); // 7 GiB
    EXPECT_EQ(z[3].zone_start_pfn, Pfn{1835008});
    EXPECT_EQ(z[3].spanned_pages, 524288u);
    EXPECT_EQ(z[3].managed_pages, 524288u); // the memmap stays in kernel memory
    EXPECT_FALSE(mm::check_invariants(m));
    // Only GFP_HIGHUSER_MOVABLE may use it.
    AllocRequest req;
    req.gfp = GFP_HIGHUSER_MOVABLE;
    EXPECT_EQ(m.alloc_pages(req).zone.zone, 3u);
    req.gfp = GFP_KERNEL;
    EXPECT_EQ(m.alloc_pages(req).zone.zone, 2u);
}

TEST(ZonesTest, MovablecoreSpreadsKernelcoreOverNodes) {
    // 512 MiB on two nodes (0x10000 is node 1's start): 130974 frames of RAM,
    // movablecore 32768, kernelcore 98206, 49103 a node. Node 0 counts its
    // 158 + 3840 frames below DMA32 (the highest zone, from 4096) as kernel
    // memory, so 45105 more of DMA32 are kernelcore: Movable from 49201,
    // rounded up to 50176. Node 1: 65536 + 49103 = 114639, rounded up to 114688.
    Machine m = boot(Arch::x86_64, 512 * MiB, 2, 128 * MiB);
    EXPECT_EQ(m.nodes()[0].zones[3].zone_start_pfn, Pfn{50176});
    EXPECT_EQ(m.nodes()[0].zones[3].end_pfn(), Pfn{65536});
    EXPECT_EQ(m.nodes()[1].zones[3].zone_start_pfn, Pfn{114688});
    EXPECT_EQ(m.nodes()[1].zones[3].end_pfn(), Pfn{131072});
    EXPECT_FALSE(mm::check_invariants(m));
}

// Why can a GFP_KERNEL request fail while free memory remains? Each zone keeps
// its min watermark plus lowmem_reserve; GFP_ATOMIC may dig to 3/8 of min.
TEST(ZonesTest, KernelRequestFailsWhileFreeMemoryRemainsButAtomicSucceeds) {
    Machine m = boot(Arch::x86_64, 64 * MiB);
    AllocRequest kernel;
    int n = 0;
    while (m.alloc_pages(kernel).ok)
        ++n;
    EXPECT_GT(n, 10000);
    EXPECT_GT(m.total_free(), 100u);
    AllocResult failed = m.alloc_pages(kernel);
    ASSERT_FALSE(failed.ok);
    ASSERT_EQ(failed.attempts.size(), 4u); // DMA32 and DMA in each pass
    EXPECT_EQ(failed.attempts[2].zone.zone, 1u);
    EXPECT_EQ(failed.attempts[3].zone.zone, 0u);
    EXPECT_EQ(failed.attempts[3].verdict, ZoneVerdict::BelowWatermark);
    AllocRequest atomic;
    atomic.gfp = GFP_ATOMIC;
    EXPECT_TRUE(m.alloc_pages(atomic).ok);
    EXPECT_FALSE(mm::check_invariants(m));
}

TEST(ZonesTest, GfpDmaOnlyUsesZoneDma) {
    Machine m = boot(Arch::x86_64, GiB);
    AllocRequest req;
    req.gfp = GFP_KERNEL | GFP_DMA;
    AllocResult r = m.alloc_pages(req);
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.zone.zone, 0u);
    EXPECT_LT(r.pfn, Pfn{4096});
    req.gfp = GFP_DMA32;
    EXPECT_EQ(m.alloc_pages(req).zone.zone, 1u);
}

// Node 1 (8-16G, Normal only) is filled through node=1 until its Normal zone
// fails the fast path's low watermark (free - 1023 <= low + lowmem_reserve,
// __zone_watermark_ok()); the next request goes down node 1's zonelist to the
// next node, node 0's Normal, and counts as a miss there and a foreign
// allocation on node 1 (zone_statistics()).
TEST(ZonesTest, NumaRequestFallsBackToTheNextNode) {
    Machine m = boot(Arch::x86_64, 16 * GiB, 2);
    const ZoneRef local{1, 2}, next{0, 2};
    ASSERT_TRUE(m.zone(local).populated());
    ASSERT_FALSE(m.nodes()[1].zones[1].populated()); // node 1 has no DMA32
    AllocRequest req;
    req.node = 1;
    req.order = MAX_PAGE_ORDER;
    auto local_passes_low = [&] {
        const Zone& z = m.zone(local);
        return static_cast<int64_t>(z.free_pages) - 1023 >
               static_cast<int64_t>(z.wmark(WMARK_LOW)) + z.lowmem_reserve[2];
    };
    int on_node1 = 0;
    while (local_passes_low()) {
        AllocResult r = m.alloc_pages(req);
        ASSERT_TRUE(r.ok);
        ASSERT_EQ(r.zone.node, 1u) << "allocation " << on_node1;
        ++on_node1;
    }
    EXPECT_GT(on_node1, 1900); // about 8G of 4M blocks
    EXPECT_EQ(m.zone(local).counters.numa_hit, static_cast<uint64_t>(on_node1));
    EXPECT_GT(m.zone(local).free_pages, 1024u); // node 1 still has blocks of the order

    AllocResult r = m.alloc_pages(req);
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.zone.node, 0u);
    EXPECT_EQ(r.zone.zone, 2u);
    EXPECT_TRUE(m.zone(next).spans(r.pfn));
    ASSERT_EQ(r.attempts.size(), 2u);
    EXPECT_EQ(r.attempts[0].zone.node, 1u);
    EXPECT_EQ(r.attempts[0].verdict, ZoneVerdict::BelowWatermark);
    EXPECT_EQ(r.attempts[1].zone.node, 0u);
    EXPECT_EQ(r.attempts[1].pass, 1u); // found in the fast path
    EXPECT_EQ(m.zone(next).counters.numa_miss, 1u);
    EXPECT_EQ(m.zone(next).counters.numa_hit, 0u);
    EXPECT_EQ(m.zone(local).counters.numa_foreign, 1u);
}

TEST(ZonesTest, ValidateRejectsImpossibleMachines) {
    BootParams p;
    p.ram = 8 * MiB;
    EXPECT_TRUE(Machine::validate(p));
    p.ram = 65 * GiB;
    EXPECT_TRUE(Machine::validate(p));
    p.ram = GiB;
    p.arch = Arch::i386;
    p.nodes = 2;
    EXPECT_TRUE(Machine::validate(p));
    p.nodes = 1;
    p.ram = 5 * GiB;
    EXPECT_TRUE(Machine::validate(p));
    p.arch = Arch::x86_64;
    p.ram = GiB + 1;
    EXPECT_TRUE(Machine::validate(p));
    p.ram = GiB;
    p.movablecore = GiB;
    EXPECT_TRUE(Machine::validate(p));
}

// __alloc_pages_slowpath() first retries with gfp_to_alloc_flags() (the min
// watermark) and only then, for __GFP_MEMALLOC (__gfp_pfmemalloc_flags()),
// ignores watermarks. Node 1's only zone is below min, node 0's zones are
// between min and low: the fast path fails everywhere, the min pass finds
// node 0's DMA32, so the request must not dig into node 1's reserve.
TEST(ZonesTest, MemallocTriesTheMinWatermarkBeforeIgnoringWatermarks) {
    Machine m = boot(Arch::x86_64, 3 * GiB, 2); // node 1: 1.5 to 3 GiB, all DMA32
    const ZoneRef node1_dma32{1, 1}, node0_dma32{0, 1}, node0_dma{0, 0};
    ASSERT_TRUE(m.zone(node1_dma32).populated());
    ASSERT_FALSE(m.nodes()[1].zones[2].populated());
    // Node 0 down to its low watermarks: GFP_KERNEL from node 0 until a page
    // comes from node 1 (then every node-0 zone failed the fast path).
    AllocRequest fill;
    fill.node = 0;
    for (unsigned order : {MAX_PAGE_ORDER, 0u}) {
        fill.order = order;
        for (;;) {
            AllocResult r = m.alloc_pages(fill);
            ASSERT_TRUE(r.ok);
            if (r.zone.node == 1) {
                ASSERT_FALSE(m.free_pages(r.pfn, order));
                break;
            }
        }
    }
    // Node 1 below its min: __GFP_MEMALLOC | __GFP_THISNODE ignores watermarks.
    AllocRequest dig;
    dig.node = 1;
    dig.gfp = GFP_KERNEL | __GFP_MEMALLOC | __GFP_THISNODE;
    while (m.zone(node1_dma32).free_pages > m.zone(node1_dma32).wmark(WMARK_MIN)) {
        const uint64_t above =
            m.zone(node1_dma32).free_pages - m.zone(node1_dma32).wmark(WMARK_MIN);
        dig.order = above > 2048 ? MAX_PAGE_ORDER : 0;
        ASSERT_TRUE(m.alloc_pages(dig).ok);
    }
    // The state the test needs, from the zones' own numbers.
    const Zone& n0 = m.zone(node0_dma32);
    ASSERT_GT(n0.free_pages, n0.wmark(WMARK_MIN));
    ASSERT_LE(n0.free_pages, n0.wmark(WMARK_LOW) + n0.lowmem_reserve[2]);
    ASSERT_LE(static_cast<int64_t>(m.zone(node0_dma).free_pages),
              static_cast<int64_t>(m.zone(node0_dma).wmark(WMARK_LOW)) +
                  m.zone(node0_dma).lowmem_reserve[2]);
    ASSERT_GT(m.zone(node1_dma32).free_pages, 0u);

    AllocRequest req;
    req.node = 1;
    req.gfp = GFP_KERNEL | __GFP_MEMALLOC;
    AllocResult r = m.alloc_pages(req);
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.zone.node, 0u) << "took node 1's reserve while node 0 was above min";
    EXPECT_EQ(r.zone.zone, 1u);
}
