// Per-CPU page lists: sizes from the kernel's formulas (zone_batchsize(),
// zone_highsize(), calculate_normal/pressure_threshold()) worked by hand
// here or read from the live machine's zoneinfo, and the refill, drain and
// decay rules of mm/page_alloc.c (6.18) step by step.
#include "core/base/events.h"
#include "core/mm/invariants.h"
#include "core/mm/machine.h"
#include "core/mm/vmstat.h"

#include <gtest/gtest.h>

namespace {

using namespace mm;

constexpr uint64_t MiB = uint64_t{1} << 20;
constexpr uint64_t GiB = uint64_t{1} << 30;

Machine boot(uint64_t ram, unsigned cpus = 2, unsigned nodes = 1, bool pcp = true,
             EventLog* log = nullptr) {
    BootParams p;
    p.ram = ram;
    p.cpus = cpus;
    p.nodes = nodes;
    p.pcp = pcp;
    EXPECT_FALSE(Machine::validate(p));
    return Machine(p, log);
}

// fls() as the kernel defines it: the 1-based index of the highest set bit.
int fls(uint64_t x) {
    int r = 0;
    for (; x; x >>= 1)
        ++r;
    return r;
}

Zone zone_of(uint64_t managed) {
    Zone z;
    z.managed_pages = managed;
    z.present_pages = managed;
    return z;
}

// The live machine (2 CPUs): "vm stats threshold" 4, 24 and 28 for its DMA
// (3840 managed), DMA32 (772497) and Normal (1179648) zones:
// 2 * fls(2) * (1 + fls(managed >> 15)) = 4 * (1 + 0), 4 * (1 + fls(23) = 5),
// 4 * (1 + fls(36) = 6).
TEST(PcpTest, NormalThresholdsAreTheLiveMachines) {
    EXPECT_EQ(calculate_normal_threshold(zone_of(3840), 2), 4);
    EXPECT_EQ(calculate_normal_threshold(zone_of(772497), 2), 24);
    EXPECT_EQ(calculate_normal_threshold(zone_of(1179648), 2), 28);
    // 64 CPUs and 64 GiB: 2 * 7 * (1 + fls(512) = 11) = 154, capped at 125.
    EXPECT_EQ(calculate_normal_threshold(zone_of(uint64_t{16} << 20), 64), 125);
}

// calculate_pressure_threshold(): (low - min) / cpus, at least 1, at most 125.
TEST(PcpTest, PressureThresholdSharesTheGapBetweenMinAndLow) {
    Zone z = zone_of(772497);
    z.watermark[WMARK_MIN] = 6672; // the live DMA32's
    z.watermark[WMARK_LOW] = 8340;
    EXPECT_EQ(calculate_pressure_threshold(z, 2), 125); // 1668 / 2 = 834, capped
    z.watermark[WMARK_LOW] = 6672 + 101;
    EXPECT_EQ(calculate_pressure_threshold(z, 2), 50);
    z.watermark[WMARK_LOW] = 6672;
    EXPECT_EQ(calculate_pressure_threshold(z, 2), 1);
}

// Every populated zone of a 24 GiB machine: batch, high_min, high_max and the
// threshold from the formulas, computed here from the zone's own managed
// pages and watermarks; DMA's batch and high_max and the batch of the
// others equal the live file's (1, 240, 63).
TEST(PcpTest, PagesetSizesFollowTheFormulas) {
    Machine m = boot(24 * GiB);
    for (const Zone& zone : m.nodes()[0].zones) {
        if (!zone.populated()) continue;
        // zone_batchsize(): min(managed >> 10, 256) / 4, at least 1, then
        // rounddown_pow_of_two(b + b/2) - 1; max(1, that).
        uint64_t b = std::min<uint64_t>(zone.managed_pages >> 10, 256) / 4;
        if (b < 1) b = 1;
        uint64_t pow = 1;
        while (pow * 2 <= b + b / 2)
            pow *= 2;
        const int batch = std::max<int>(1, static_cast<int>(pow - 1));
        const int high_min = std::max(static_cast<int>(zone.wmark(WMARK_LOW) / 2), batch * 4);
        const int high_max = std::max(static_cast<int>(zone.managed_pages / 8 / 2), batch * 4);
        const int threshold = std::min(125, 2 * fls(2) * (1 + fls(zone.managed_pages >> 15)));
        for (unsigned cpu = 0; cpu < 2; ++cpu) {
            const PerCpuPages& pcp = zone.pcp[cpu];
            EXPECT_EQ(pcp.batch, batch) << zone.name();
            EXPECT_EQ(pcp.high_min, high_min) << zone.name();
            EXPECT_EQ(pcp.high_max, high_max) << zone.name();
            EXPECT_EQ(pcp.high, 0) << zone.name(); // untouched since boot
            EXPECT_EQ(pcp.count, 0) << zone.name();
        }
        EXPECT_EQ(zone.stat_threshold, threshold) << zone.name();
    }
    const std::vector<Zone>& z = m.nodes()[0].zones;
    EXPECT_EQ(z[0].pcp[0].batch, 1); // live: DMA batch 1, high_max 240
    EXPECT_EQ(z[0].pcp[0].high_max, 240);
    EXPECT_EQ(z[1].pcp[0].batch, 63); // live: DMA32 and Normal batch 63
    EXPECT_EQ(z[2].pcp[0].batch, 63);
}

// CPU c is on node c * nodes / cpus: with 2 CPUs and 4 nodes, CPUs 0 and 1
// are on nodes 0 and 2; nodes 1 and 3 have none, so their zones split high
// across every CPU (2), the others across their one CPU.
TEST(PcpTest, HighIsSplitAcrossTheCpusOfTheZonesNode) {
    Machine m = boot(8 * GiB, 2, 4);
    EXPECT_EQ(m.cpu_to_node(0), 0u);
    EXPECT_EQ(m.cpu_to_node(1), 2u);
    for (const Node& node : m.nodes())
        for (const Zone& zone : node.zones) {
            if (!zone.populated()) continue;
            const uint64_t split = (node.id == 0 || node.id == 2) ? 1 : 2;
            const int batch = zone.pcp[0].batch;
            EXPECT_EQ(zone.pcp[0].high_min,
                      std::max(static_cast<int>(zone.wmark(WMARK_LOW) / split), batch * 4))
                << "node " << unsigned{node.id} << " " << zone.name();
            EXPECT_EQ(zone.pcp[1].high_max,
                      std::max(static_cast<int>(zone.managed_pages / 8 / split), batch * 4));
        }
}

// A first order-0 allocation on a fresh 1 GiB machine (DMA32: batch 63,
// high_min 620, high_max 15616): nr_pcp_alloc() clamps high to 620, grows
// it by a batch to 683, and takes 63 pages (max(683 - 0 - 63, 63) = 620
// leaves room), alloc_factor becomes 1. NR_FREE_PAGES drops by 63 at once;
// the free of that page goes to cpu 1's list without touching the buddy
// lists or NR_FREE_PAGES.
TEST(PcpTest, FirstAllocationRefillsABatchAndAFreeStaysOnTheList) {
    EventLog log;
    Machine m = boot(GiB, 2, 1, true, &log);
    const ZoneRef dma32{0, 1};
    const PerCpuPages& pcp0 = m.pcp(dma32, 0);
    ASSERT_EQ(pcp0.batch, 63);
    ASSERT_EQ(pcp0.high_min, std::max(static_cast<int>(m.zone(dma32).wmark(WMARK_LOW) / 2), 252));
    ASSERT_EQ(pcp0.high_max, static_cast<int>(m.zone(dma32).managed_pages / 8 / 2));
    const uint64_t free_before = m.zone(dma32).free_pages;
    const int high_min = pcp0.high_min;

    const AllocResult r = m.alloc_pages(AllocRequest{});
    ASSERT_TRUE(r.ok);
    EXPECT_TRUE(r.pcp);
    EXPECT_EQ(m.zone(dma32).free_pages, free_before - 63);
    EXPECT_EQ(pcp0.count, 62);
    EXPECT_EQ(pcp0.high, high_min + 63);
    EXPECT_EQ(pcp0.alloc_factor, 1);
    // The list runs in physical order after the split; the head went out.
    EXPECT_EQ(pcp0.lists[order_to_pindex(MIGRATE_MOVABLE, 0)].head, r.pfn.value() + 1);

    const FreeArea area0 = m.zone(dma32).free_area[0];
    Machine::Merged merged;
    ASSERT_FALSE(m.free_pages(r.pfn, 0, &merged, 1));
    EXPECT_TRUE(merged.pcp);
    EXPECT_EQ(merged.drained, 0u);
    EXPECT_EQ(m.zone(dma32).free_pages, free_before - 63);
    EXPECT_EQ(m.zone(dma32).free_area[0].nr_free, area0.nr_free);
    EXPECT_EQ(m.pcp(dma32, 1).count, 1);
    EXPECT_EQ(m.pcp(dma32, 1).high, high_min); // clamped into [high_min, high_max]
    EXPECT_EQ(m.frame(r.pfn).state, FrameState::PerCpu);
    EXPECT_EQ(m.frame(r.pfn).cpu, 1u);
    EXPECT_EQ(m.free_pages(r.pfn, 0).value_or(""),
              "pfn 0x2000 is already free, on cpu 1's per-CPU list (double free?)");
    EXPECT_FALSE(check_invariants(m));

    // One event for the refill, one for each drained batch.
    const uint64_t seq = log.last_seq();
    EXPECT_EQ(m.drain_pages(std::nullopt), 63u);
    EXPECT_EQ(m.zone(dma32).free_pages, free_before);
    EXPECT_EQ(log.last_seq() - seq, 2u); // cpu 0's 62 pages, cpu 1's one
    EXPECT_EQ(log.at(log.size() - 2).type, EventType::PcpDrain);
    EXPECT_EQ(log.at(log.size() - 2).aux, 62u);
    EXPECT_EQ(log.at(log.size() - 1).aux, (uint64_t{1} << 32) | 1);
    EXPECT_FALSE(check_invariants(m));
}

// Frees in a row on one CPU: at count >= high, nr_pcp_high() first raises a
// full list's high to free_count + batch, and nr_pcp_free() drains
// clamp(free_count, batch, high - batch) pages from the tails.
TEST(PcpTest, FreesDrainWhenTheCountReachesHigh) {
    Machine m = boot(GiB);
    const ZoneRef dma32{0, 1};
    std::vector<Pfn> pfns;
    for (int i = 0; i < 2000; ++i) {
        const AllocResult r = m.alloc_pages(AllocRequest{});
        ASSERT_TRUE(r.ok);
        pfns.push_back(r.pfn);
    }
    // Freed on CPU 1, whose high has not grown with refills (high_min).
    const PerCpuPages& pcp = m.pcp(dma32, 1);
    // Model the free path here: free_count, high and count, step by step.
    int count = pcp.count, high = pcp.high, free_count = 0;
    const int batch = pcp.batch, high_min = pcp.high_min, high_max = pcp.high_max;
    uint64_t drained_total = 0;
    for (Pfn pfn : pfns) {
        Machine::Merged merged;
        ASSERT_FALSE(m.free_pages(pfn, 0, &merged, 1));
        count += 1;
        if (free_count < (batch << 5)) free_count += 1;
        high = std::clamp(high, high_min, high_max);
        int limit = high;
        if (count >= high && high < free_count + batch)
            high = std::clamp(free_count + batch, high_min, high_max);
        int drained = 0;
        if (count >= limit) {
            drained = std::clamp(free_count, batch, limit - batch);
            drained = std::min(drained, count);
            count -= drained;
        }
        ASSERT_EQ(merged.drained, static_cast<unsigned>(drained));
        ASSERT_EQ(pcp.count, count);
        ASSERT_EQ(pcp.high, high);
        drained_total += static_cast<uint64_t>(drained);
    }
    EXPECT_GT(drained_total, 0u);
    EXPECT_FALSE(check_invariants(m));
}

// decay_pcp_high(): high falls by an eighth (not below count - 32 batches,
// nor high_min) and what lies above it goes back a batch at a time.
TEST(PcpTest, DecayLowersHighByAnEighthAndFreesTheExcess) {
    Machine m = boot(GiB);
    const ZoneRef dma32{0, 1};
    std::vector<Pfn> pfns;
    for (int i = 0; i < 3000; ++i)
        pfns.push_back(m.alloc_pages(AllocRequest{}).pfn);
    for (Pfn pfn : pfns)
        ASSERT_FALSE(m.free_pages(pfn, 0));
    const PerCpuPages& pcp = m.pcp(dma32, 0);
    ASSERT_GT(pcp.high, pcp.high_min);
    for (int second = 0; second < 40; ++second) {
        const int high = pcp.high, count = pcp.count;
        const int want_high =
            high > pcp.high_min
                ? std::max({count - (pcp.batch << 5), high - (high >> 3), pcp.high_min})
                : high;
        m.decay_pcp_high_all();
        ASSERT_EQ(pcp.high, want_high) << second;
        ASSERT_EQ(pcp.count, std::min(count, want_high)) << second;
    }
    EXPECT_EQ(pcp.high, pcp.high_min);
    EXPECT_FALSE(check_invariants(m));
}

// free_high: order-1..3 frees in a row past batch + high_min / 2 (with the
// lab's 2 MiB cache slice, once a batch is on the lists) drain the lists.
TEST(PcpTest, HighOrderFreesInARowDrain) {
    Machine m = boot(GiB);
    const ZoneRef dma32{0, 1};
    AllocRequest req;
    req.order = 3;
    std::vector<Pfn> pfns;
    for (int i = 0; i < 200; ++i)
        pfns.push_back(m.alloc_pages(req).pfn);
    const PerCpuPages& pcp = m.pcp(dma32, 0);
    ASSERT_TRUE(pcp.flags & PCPF_FREE_HIGH_BATCH);
    bool drained = false;
    for (Pfn pfn : pfns) {
        const int free_count = pcp.free_count;
        const bool prev_high = pcp.flags & PCPF_PREV_FREE_HIGH_ORDER;
        const int count_after_add = pcp.count + 8;
        Machine::Merged merged;
        ASSERT_FALSE(m.free_pages(pfn, 3, &merged));
        const bool free_high =
            free_count >= pcp.batch + pcp.high_min / 2 && prev_high && count_after_add >= pcp.batch;
        if (free_high) {
            // Everything up to 32 batches goes: the lists hold less than that.
            EXPECT_EQ(merged.drained, static_cast<unsigned>(count_after_add));
            EXPECT_EQ(pcp.count, 0);
            drained = true;
            break;
        }
    }
    EXPECT_TRUE(drained);
    EXPECT_FALSE(check_invariants(m));
}

// boot pcp=off: zone_pcp_disable()'s state (high_min = high_max = 0, batch
// 1) and every page straight to and from the buddy lists.
TEST(PcpTest, PcpOffPassesEveryPageStraightThrough) {
    Machine m = boot(GiB, 2, 1, false);
    const ZoneRef dma32{0, 1};
    const PerCpuPages& pcp = m.pcp(dma32, 0);
    EXPECT_EQ(pcp.batch, 1);
    EXPECT_EQ(pcp.high_min, 0);
    EXPECT_EQ(pcp.high_max, 0);
    const uint64_t before = m.zone(dma32).free_pages;
    const AllocResult r = m.alloc_pages(AllocRequest{});
    ASSERT_TRUE(r.ok);
    EXPECT_FALSE(r.pcp);
    EXPECT_EQ(m.zone(dma32).free_pages, before - 1);
    ASSERT_FALSE(m.free_pages(r.pfn, 0));
    EXPECT_EQ(m.zone(dma32).free_pages, before);
    EXPECT_EQ(pcp.count, 0);
    // A watermark change does not re-enable them.
    ASSERT_FALSE(m.set_min_free_kbytes(8192));
    EXPECT_EQ(m.pcp(dma32, 0).high_max, 0);
}

// percpu_pagelist_high_fraction: 0 or >= 8; N fixes high_min = high_max =
// managed / N / CPUs of the node; back to 0 restores the auto-tuned range.
TEST(PcpTest, HighFractionFixesHigh) {
    Machine m = boot(GiB);
    const ZoneRef dma32{0, 1};
    const uint64_t managed = m.zone(dma32).managed_pages;
    EXPECT_TRUE(m.set_percpu_pagelist_high_fraction(7));
    EXPECT_TRUE(m.set_percpu_pagelist_high_fraction(-1));
    ASSERT_FALSE(m.set_percpu_pagelist_high_fraction(100));
    EXPECT_EQ(m.pcp(dma32, 1).high_min, static_cast<int>(managed / 100 / 2));
    EXPECT_EQ(m.pcp(dma32, 1).high_max, static_cast<int>(managed / 100 / 2));
    ASSERT_FALSE(m.set_percpu_pagelist_high_fraction(0));
    EXPECT_EQ(m.pcp(dma32, 1).high_max, static_cast<int>(managed / 8 / 2));
}

// A watermark change resizes the lists (zone_pcp_update() from
// setup_per_zone_wmarks()): high_min follows the new low watermark.
TEST(PcpTest, WatermarkChangesResizeHighMin) {
    Machine m = boot(GiB);
    const ZoneRef dma32{0, 1};
    ASSERT_FALSE(m.set_min_free_kbytes(65536));
    EXPECT_EQ(m.pcp(dma32, 0).high_min, static_cast<int>(m.zone(dma32).wmark(WMARK_LOW) / 2));
}

// set_pgdat_percpu_threshold(): only zones with a percpu_drift_mark (where
// cpus x threshold exceeds low - min) switch to the pressure threshold.
TEST(PcpTest, PressureThresholdOnlyWhereDriftMatters) {
    Machine m = boot(64 * MiB, 8);
    for (unsigned pressure : {1u, 0u}) {
        m.set_pgdat_percpu_threshold(0, pressure);
        for (const Zone& zone : m.nodes()[0].zones) {
            if (!zone.populated()) continue;
            const int normal = std::min(125, 2 * fls(8) * (1 + fls(zone.managed_pages >> 15)));
            const uint64_t gap = zone.wmark(WMARK_LOW) - zone.wmark(WMARK_MIN);
            const bool drift = uint64_t{8} * static_cast<uint64_t>(normal) > gap;
            const int want =
                pressure && drift ? std::min(125, std::max(1, static_cast<int>(gap / 8))) : normal;
            EXPECT_EQ(zone.stat_threshold, want) << zone.name() << " pressure " << pressure;
        }
    }
}

// numa_local counts the allocating CPU's node: CPU 1 of a 2-node machine is
// on node 1, whose zonelist it walks by default.
TEST(PcpTest, AllocatingCpuPicksTheNodeAndNumaLocal) {
    Machine m = boot(2 * GiB, 2, 2);
    AllocRequest req;
    req.cpu = 1;
    const AllocResult r = m.alloc_pages(req);
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.zone.node, 1u);
    EXPECT_EQ(m.zone(r.zone).counters.numa_local, 1u);
    req.node = 0; // preferred node 0, from CPU 1: a hit, but not local
    const AllocResult r0 = m.alloc_pages(req);
    ASSERT_TRUE(r0.ok);
    EXPECT_EQ(r0.zone.node, 0u);
    EXPECT_EQ(m.zone(r0.zone).counters.numa_hit, 1u);
    EXPECT_EQ(m.zone(r0.zone).counters.numa_other, 1u);
    req.cpu = 2;
    EXPECT_FALSE(m.alloc_pages(req).ok);
    EXPECT_EQ(m.free_pages(r.pfn, 0, nullptr, 5).value_or(""), "cpu=5: must be 0 to 1");
}

} // namespace
