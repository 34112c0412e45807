// Long seeded random sequences of alloc/free, judged by models that share no
// code or data structure with the allocator:
// - the free memory as a set of pfns (all frames minus the live blocks), from
//   which the only free-block layout the buddy rules allow follows by address
//   arithmetic (every aligned run of 2^k free pages is one free block, up to
//   MAX_PAGE_ORDER: a smaller split would leave two free buddies unmerged);
// - the list order the page allocator's contract pins, derived step by step
//   from the free lists read through the machine's public queries before the
//   step (head of the first non-empty list upward; lower part to the caller;
//   upper halves to list heads; a merged block to the tail when the buddy of
//   its parent is free at the parent's order);
// - the zonelist (the node's own zones highest first, then the other nodes
//   nearest first) and the watermark checks of get_page_from_freelist(),
//   applied to the zones' counters read as data.
// - the per-CPU lists (PcpPropertyTest): refills, allocations, frees, drains
//   and decay as 6.18 decides them, on top of the buddy model.
#include "core/mm/invariants.h"
#include "core/mm/machine.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <deque>
#include <iostream>
#include <random>
#include <set>
#include <sstream>

using namespace mm;

namespace {

// The models count in plain numbers (a pfn is an index into the free pfns);
// Pfn{} and value() mark where they meet the machine.
using Lists = std::array<std::vector<uint64_t>, NR_PAGE_ORDERS>;
using Block = std::pair<uint64_t, unsigned>; // pfn, order

constexpr uint64_t pages(unsigned order) {
    return uint64_t{1} << order;
}

// The free lists of one zone, head first, through Machine's public queries.
Lists lists_of(const Machine& m, ZoneRef ref) {
    Lists lists;
    for (unsigned o = 0; o < NR_PAGE_ORDERS; ++o)
        for (uint32_t p = m.zone(ref).free_area[o].head; p != NIL_PFN; p = m.page(Pfn{p})->next)
            lists[o].push_back(p);
    return lists;
}

std::set<Block> blocks_of(const Lists& lists) {
    std::set<Block> blocks;
    for (unsigned o = 0; o < NR_PAGE_ORDERS; ++o)
        for (uint64_t pfn : lists[o])
            blocks.insert({pfn, o});
    return blocks;
}

bool all_free(const std::vector<bool>& free, uint64_t pfn, uint64_t count) {
    for (uint64_t p = pfn; p < pfn + count; ++p)
        if (!free[p]) return false;
    return true;
}

// The free blocks a buddy allocator that merges eagerly must show for the free
// pfns `free` of a zone spanning [start, end): each free pfn lies in the
// largest naturally aligned block (order <= MAX_PAGE_ORDER) inside the zone
// whose pages are all free. Left to right, each such block starts where the
// previous one ended, so a greedy scan finds them.
std::set<Block> buddy_decomposition(const std::vector<bool>& free, uint64_t start, uint64_t end) {
    std::set<Block> blocks;
    uint64_t pfn = start;
    while (pfn < end) {
        if (!free[pfn]) {
            ++pfn;
            continue;
        }
        unsigned order = 0;
        while (order < MAX_PAGE_ORDER && pfn % pages(order + 1) == 0 &&
               pfn + pages(order + 1) <= end && all_free(free, pfn, pages(order + 1)))
            ++order;
        blocks.insert({pfn, order});
        pfn += pages(order);
    }
    return blocks;
}

// What alloc of `order` must take from a zone whose lists are `before`:
// nullopt when no list of that order or more has a block; else the pfn, and
// `after` becomes the lists the contract leaves.
std::optional<uint64_t> expect_rmqueue(const Lists& before, unsigned order, Lists* after) {
    for (unsigned o = order; o < NR_PAGE_ORDERS; ++o) {
        if (before[o].empty()) continue;
        const uint64_t pfn = before[o].front();
        *after = before;
        (*after)[o].erase((*after)[o].begin());
        for (unsigned j = o; j-- > order;) // upper halves, largest first, each to its head
            (*after)[j].insert((*after)[j].begin(), pfn + pages(j));
        return pfn;
    }
    return std::nullopt;
}

// The lists after freeing [pfn, pfn + 2^order) in a zone spanning
// [start, end) whose lists were `before` and whose free pfns are now `free`
// (the freed block included): the merged block is the largest aligned block
// around pfn that is all free (order <= MAX_PAGE_ORDER); the free blocks it
// swallowed leave their lists; it goes to the tail of its list when below
// MAX_PAGE_ORDER - 1 and the buddy of its parent is a free block of the
// parent's order, else to the head.
Lists expect_free(const Lists& before, const std::vector<bool>& free, uint64_t start, uint64_t end,
                  uint64_t pfn, unsigned order) {
    while (order < MAX_PAGE_ORDER) {
        const uint64_t parent = pfn & ~(pages(order + 1) - 1);
        if (parent < start || parent + pages(order + 1) > end ||
            !all_free(free, parent, pages(order + 1)))
            break;
        pfn = parent;
        ++order;
    }
    Lists after = before;
    for (auto& list : after)
        std::erase_if(list, [&](uint64_t p) { return p >= pfn && p < pfn + pages(order); });
    bool tail = false;
    if (order < MAX_PAGE_ORDER - 1) {
        const uint64_t parent = pfn & ~(pages(order + 1) - 1);
        const uint64_t parent_buddy = parent ^ pages(order + 1);
        const auto& list = before[order + 1];
        tail = std::find(list.begin(), list.end(), parent_buddy) != list.end();
    }
    if (tail)
        after[order].push_back(pfn);
    else
        after[order].insert(after[order].begin(), pfn);
    return after;
}

std::string describe(const Lists& lists) {
    std::ostringstream out;
    for (unsigned o = 0; o < NR_PAGE_ORDERS; ++o) {
        if (lists[o].empty()) continue;
        out << " [" << o << ":";
        for (uint64_t p : lists[o])
            out << " " << p;
        out << "]";
    }
    return out.str();
}

} // namespace

// A one-zone machine from pfn 0 with watermarks of one or two pages: a request
// succeeds exactly when some list of its order or more holds a block (the
// second pass's min watermark is 0).
class BuddyPropertyTest : public ::testing::TestWithParam<uint32_t> {};

TEST_P(BuddyPropertyTest, ToyMachineFollowsTheBuddyRulesAfterEveryStep) {
    const uint64_t frames = 1000; // not a power of two: blocks of every order at boot
    BootParams p;
    p.arch = Arch::toy;
    p.ram = frames * PAGE_SIZE;
    p.pcp = false; // as `boot arch=toy` does
    Machine m(p);
    const ZoneRef zone{0, 0};
    ASSERT_EQ(m.zone(zone).zone_start_pfn, Pfn{0});
    ASSERT_EQ(m.zone(zone).managed_pages, frames);
    std::vector<bool> free(frames, true);
    ASSERT_EQ(blocks_of(lists_of(m, zone)), buddy_decomposition(free, 0, frames));

    std::mt19937 rng(GetParam());
    std::vector<Block> live;
    for (int step = 0; step < 3000; ++step) {
        const Lists before = lists_of(m, zone);
        Lists expect;
        if (live.empty() || rng() % 100 < 55) {
            const unsigned order = rng() % 100 < 70 ? rng() % 3 : rng() % NR_PAGE_ORDERS;
            AllocRequest req;
            req.order = order;
            req.gfp = rng() % 2 ? GFP_KERNEL : GFP_ATOMIC;
            const std::optional<uint64_t> want = expect_rmqueue(before, order, &expect);
            const AllocResult r = m.alloc_pages(req);
            ASSERT_EQ(r.ok, want.has_value()) << "step " << step << " order " << order;
            if (!r.ok) {
                expect = before; // a failure changes nothing
            } else {
                ASSERT_EQ(r.pfn, Pfn{*want}) << "step " << step << " order " << order
                                             << " lists before:" << describe(before);
                const uint64_t pfn = r.pfn.value();
                ASSERT_EQ(pfn % pages(order), 0u);
                for (uint64_t q = pfn; q < pfn + pages(order); ++q) {
                    ASSERT_TRUE(free[q]) << "step " << step << ": pfn " << q << " handed out twice";
                    free[q] = false;
                }
                live.emplace_back(pfn, order);
            }
        } else {
            const size_t i = rng() % live.size();
            const auto [pfn, order] = live[i];
            live.erase(live.begin() + static_cast<long>(i));
            for (uint64_t q = pfn; q < pfn + pages(order); ++q)
                free[q] = true;
            expect = expect_free(before, free, 0, frames, pfn, order);
            ASSERT_FALSE(m.free_pages(Pfn{pfn}, order)) << "step " << step;
        }
        auto bad = mm::check_invariants(m);
        ASSERT_FALSE(bad) << "step " << step << ": " << *bad;
        const Lists after = lists_of(m, zone);
        ASSERT_EQ(after, expect) << "step " << step << "\n  before:" << describe(before)
                                 << "\n  after: " << describe(after)
                                 << "\n  expect:" << describe(expect);
        ASSERT_EQ(blocks_of(after), buddy_decomposition(free, 0, frames)) << "step " << step;
        uint64_t nr_free = 0;
        for (bool f : free)
            nr_free += f;
        ASSERT_EQ(m.zone(zone).free_pages, nr_free) << "step " << step;
    }
}

INSTANTIATE_TEST_SUITE_P(Seeds, BuddyPropertyTest, ::testing::Values(1u, 2u, 3u, 42u, 1234u));

namespace {

// The GFP masks of the NUMA test with what the kernel's tables make of them on
// x86_64 (zones DMA 0, DMA32 1, Normal 2, Movable 3): gfp_zone()'s highest
// zone, whether only the preferred node may serve (__GFP_THISNODE), and the
// second pass of __alloc_pages_slowpath(): __zone_watermark_ok()'s cuts to
// the min watermark (gfp_to_alloc_flags(): __GFP_HIGH without direct reclaim
// takes min/2 and then a quarter of the rest) and __GFP_MEMALLOC's retry
// without watermarks after the min pass failed.
struct MaskCase {
    gfp_t gfp;
    unsigned highest_zone;
    bool thisnode;
    bool atomic_cuts;
    bool memalloc;
};

const MaskCase kMasks[] = {
    {GFP_KERNEL, 2, false, false, false},
    {GFP_ATOMIC, 2, false, true, false},
    {GFP_NOWAIT, 2, false, false, false}, // no __GFP_HIGH: min stays whole
    {GFP_USER, 2, false, false, false},
    {GFP_HIGHUSER_MOVABLE, 3, false, false, false},
    {GFP_KERNEL | GFP_DMA, 0, false, false, false},
    {GFP_DMA32, 1, false, false, false},
    {GFP_KERNEL | __GFP_THISNODE, 2, true, false, false},
    {GFP_KERNEL | __GFP_MEMALLOC, 2, false, false, true},
    {GFP_ATOMIC | __GFP_NOWARN, 2, false, true, false},
};

// ZONELIST_FALLBACK of `node` on a machine of `nr_nodes` nodes at equal
// distance: find_next_best_node() prefers the nodes above (it penalizes
// n < node by one), so node n, n+1, ..., then 0, ..., n-1; each node's
// populated zones highest first. Only zones up to `highest`.
std::vector<ZoneRef> expected_zonelist(const Machine& m, unsigned node, unsigned highest,
                                       bool thisnode) {
    const unsigned nr_nodes = static_cast<unsigned>(m.nodes().size());
    std::vector<ZoneRef> zones;
    for (unsigned i = 0; i < (thisnode ? 1u : nr_nodes); ++i) {
        const unsigned n = (node + i) % nr_nodes;
        for (unsigned z = highest + 1; z-- > 0;)
            if (m.nodes()[n].zones[z].present_pages != 0)
                zones.push_back(ZoneRef{static_cast<uint8_t>(n), static_cast<uint8_t>(z)});
    }
    return zones;
}

bool has_block(const Zone& zone, unsigned order) {
    for (unsigned o = order; o < NR_PAGE_ORDERS; ++o)
        if (zone.free_area[o].head != NIL_PFN) return true;
    return false;
}

// __zone_watermark_ok(): free pages minus (2^order - 1) above mark plus
// lowmem_reserve[highest], and a block of the order or more.
bool watermark_ok(const Zone& zone, unsigned order, int64_t mark, unsigned highest) {
    const int64_t free_pages = static_cast<int64_t>(zone.free_pages) - (int64_t{1} << order) + 1;
    return free_pages > mark + zone.lowmem_reserve[highest] && has_block(zone, order);
}

// The zone get_page_from_freelist() takes the request from, pass by pass, or
// nullopt when every pass fails.
std::optional<ZoneRef> expected_zone(const Machine& m, const std::vector<ZoneRef>& zonelist,
                                     const MaskCase& mask, unsigned order) {
    const unsigned highest = mask.highest_zone;
    for (ZoneRef ref : zonelist) { // fast path: ALLOC_WMARK_LOW
        const Zone& z = m.zone(ref);
        if (watermark_ok(z, order, static_cast<int64_t>(z.watermark[WMARK_LOW] + z.watermark_boost),
                         highest))
            return ref;
    }
    for (ZoneRef ref : zonelist) { // slow path: ALLOC_WMARK_MIN with the request's cuts
        const Zone& z = m.zone(ref);
        int64_t min = static_cast<int64_t>(z.watermark[WMARK_MIN] + z.watermark_boost);
        if (mask.atomic_cuts) {
            min -= min / 2;
            min -= min / 4;
        }
        if (watermark_ok(z, order, min, highest)) return ref;
    }
    if (mask.memalloc) // __gfp_pfmemalloc_flags(): ALLOC_NO_WATERMARKS
        for (ZoneRef ref : zonelist)
            if (has_block(m.zone(ref), order)) return ref;
    return std::nullopt;
}

} // namespace

// Three nodes, a Movable zone and every kind of request: each allocation comes
// from the zone the zonelist and the watermarks choose, at the head of that
// zone's first non-empty list of its order or more; NUMA hits and misses are
// counted against the preferred zone's node; no page is lost or made, and
// every zone's free blocks are the buddy layout of its free pfns.
TEST(PropertyTest, NumaAllocationsComeFromTheZonelistsChoice) {
    BootParams p;
    p.ram = 384ull << 20; // 128 MiB a node, the least a node may have
    p.nodes = 3;
    p.movablecore = 300ull << 20;
    p.pcp = false; // the zonelist and buddy model; PcpPropertyTest adds the per-CPU lists
    Machine m(p);
    ASSERT_EQ(m.nr_zones(), 5u);
    // The free pfns: what boot left on the lists, then kept by this test.
    std::vector<bool> free(m.max_pfn().value(), false);
    std::vector<ZoneRef> zones;
    for (const Node& node : m.nodes())
        for (const Zone& zone : node.zones)
            if (zone.populated()) zones.push_back(ZoneRef{node.id, zone.idx});
    for (ZoneRef ref : zones)
        for (auto [pfn, order] : blocks_of(lists_of(m, ref)))
            for (uint64_t q = pfn; q < pfn + pages(order); ++q)
                free[q] = true;
    auto check_layout = [&](int step) {
        for (ZoneRef ref : zones) {
            const Zone& z = m.zone(ref);
            ASSERT_EQ(blocks_of(lists_of(m, ref)),
                      buddy_decomposition(free, z.zone_start_pfn.value(), z.end_pfn().value()))
                << "step " << step << " node " << unsigned{ref.node} << " zone " << z.name();
        }
    };
    ASSERT_NO_FATAL_FAILURE(check_layout(-1));
    std::mt19937 rng(7);
    std::vector<Block> live;
    uint64_t allocated = 0;
    unsigned fallbacks = 0, failures = 0;
    for (int step = 0; step < 4000; ++step) {
        if (live.empty() || rng() % 100 < 60) {
            const MaskCase& mask = kMasks[rng() % std::size(kMasks)];
            AllocRequest req;
            req.order = rng() % 100 < 80 ? rng() % 4 : rng() % NR_PAGE_ORDERS;
            req.gfp = mask.gfp;
            if (rng() % 2) req.node = rng() % 3;
            const unsigned node = req.node.value_or(0);
            const std::vector<ZoneRef> zonelist =
                expected_zonelist(m, node, mask.highest_zone, mask.thisnode);
            const std::optional<ZoneRef> want = expected_zone(m, zonelist, mask, req.order);
            std::optional<uint64_t> want_pfn;
            if (want) {
                Lists unused;
                want_pfn = expect_rmqueue(lists_of(m, *want), req.order, &unused);
            }
            const ZoneRef preferred = zonelist.empty() ? ZoneRef{} : zonelist.front();
            const ZoneCounters counters_before = want ? m.zone(*want).counters : ZoneCounters{};
            const uint64_t foreign_before = m.zone(preferred).counters.numa_foreign;

            const AllocResult r = m.alloc_pages(req);
            const std::string what = "step " + std::to_string(step) + " gfp " +
                                     std::to_string(req.gfp) + " order " +
                                     std::to_string(req.order) + " node " + std::to_string(node);
            ASSERT_EQ(r.highest_zoneidx, mask.highest_zone) << what;
            ASSERT_EQ(r.ok, want.has_value()) << what;
            if (!r.ok) {
                ++failures;
                continue;
            }
            ASSERT_EQ(r.zone.node, want->node) << what;
            ASSERT_EQ(r.zone.zone, want->zone) << what;
            ASSERT_EQ(r.pfn, Pfn{*want_pfn}) << what;
            const Zone& got = m.zone(r.zone);
            ASSERT_TRUE(r.pfn >= got.zone_start_pfn && r.pfn + pages(req.order) <= got.end_pfn());
            const bool remote = r.zone.node != preferred.node;
            fallbacks += remote;
            // zone_statistics(): a hit when the zone is on the preferred
            // zone's node, else a miss here and a foreign there.
            ASSERT_EQ(got.counters.numa_hit, counters_before.numa_hit + (remote ? 0 : 1)) << what;
            ASSERT_EQ(got.counters.numa_miss, counters_before.numa_miss + (remote ? 1 : 0)) << what;
            ASSERT_EQ(m.zone(preferred).counters.numa_foreign, foreign_before + (remote ? 1 : 0))
                << what;
            const uint64_t pfn = r.pfn.value();
            for (uint64_t q = pfn; q < pfn + pages(req.order); ++q) {
                ASSERT_TRUE(free[q]) << what << ": pfn " << q << " was not free";
                free[q] = false;
            }
            live.emplace_back(pfn, req.order);
            allocated += pages(req.order);
        } else {
            const size_t i = rng() % live.size();
            ASSERT_FALSE(m.free_pages(Pfn{live[i].first}, live[i].second));
            for (uint64_t q = live[i].first; q < live[i].first + pages(live[i].second); ++q)
                free[q] = true;
            allocated -= pages(live[i].second);
            live.erase(live.begin() + static_cast<long>(i));
        }
        auto bad = mm::check_invariants(m);
        ASSERT_FALSE(bad) << "step " << step << ": " << *bad;
        ASSERT_EQ(m.total_free() + allocated, m.total_managed());
        if (step % 100 == 0) {
            ASSERT_NO_FATAL_FAILURE(check_layout(step));
        }
    }
    // The traffic did reach the fallbacks and failures it is meant to judge.
    EXPECT_GT(fallbacks, 20u) << failures;
    EXPECT_GT(failures, 5u);
}

namespace {

// The per-CPU lists as the model keeps them: each CPU's Movable lists for
// orders 0-3, head first, and the scalars that decide refills and drains.
struct PcpModel {
    std::array<std::deque<uint64_t>, 4> lists;
    int count = 0, high = 0, free_count = 0, alloc_factor = 0;
    bool prev_free_high_order = false;
};

// A CPU's lists in the machine, head first, through its public queries.
std::array<std::deque<uint64_t>, 4> machine_pcp_lists(const Machine& m, ZoneRef ref, unsigned cpu) {
    std::array<std::deque<uint64_t>, 4> out;
    for (unsigned order = 0; order < 4; ++order)
        for (uint32_t link = m.pcp(ref, cpu).lists[order_to_pindex(MIGRATE_MOVABLE, order)].head;
             link != NIL_PFN; link = m.page(Pfn{link})->next)
            out[order].push_back(link);
    return out;
}

} // namespace

// Random allocations and frees of orders 0-5 on two CPUs of an x86_64
// machine, in phases of mostly allocations and mostly frees, judged by a model of the per-CPU lists
// written from 6.18's rules (nr_pcp_alloc, rmqueue_bulk to the list tail, allocation from the head,
// free to the head, nr_pcp_high with its auto-tuning, nr_pcp_free,
// free_high, free_pcppages_bulk from the tails round-robin, decay_pcp_high,
// drain_all_pages) on top of the buddy model above. The model learns only
// what the zone's watermark walk decides (ZONE_BELOW_HIGH) and the sizes
// (batch, high_min, high_max: pcp_test.cpp checks their formulas).
// 64 MiB: DMA32's batch is 1 and high stays low, so lists drain at high;
// 256 MiB: batch 15, and runs of frees reach free_high's threshold.
class PcpPropertyTest : public ::testing::TestWithParam<uint64_t> {};

TEST_P(PcpPropertyTest, PerCpuListsFollowTheKernelsRules) {
    BootParams p;
    p.ram = GetParam();
    p.cpus = 2;
    Machine m(p);
    const ZoneRef dma32{0, 1};
    const Zone& zone = m.zone(dma32);
    const uint64_t start = zone.zone_start_pfn.value(), end = zone.end_pfn().value();
    const int batch = m.pcp(dma32, 0).batch, high_min = m.pcp(dma32, 0).high_min,
              high_max = m.pcp(dma32, 0).high_max;
    ASSERT_LT(high_min, high_max);
    const bool free_high_batch = m.pcp(dma32, 0).flags & PCPF_FREE_HIGH_BATCH;
    std::vector<bool> free(end, false); // buddy-free pfns of DMA32
    for (auto [pfn, order] : blocks_of(lists_of(m, dma32)))
        for (uint64_t q = pfn; q < pfn + pages(order); ++q)
            free[q] = true;
    std::array<PcpModel, 2> model;
    Lists buddy = lists_of(m, dma32);

    // free_pcppages_bulk(): `count` pages from the tails, round-robin over
    // the orders from `order` on, each block through the buddy model.
    auto bulk_free = [&](PcpModel& pm, int count, unsigned order) {
        count = std::min(pm.count, count);
        unsigned o = (order + 3) % 4;
        while (count > 0) {
            do
                o = (o + 1) % 4;
            while (pm.lists[o].empty());
            do {
                const uint64_t pfn = pm.lists[o].back();
                pm.lists[o].pop_back();
                count -= static_cast<int>(pages(o));
                pm.count -= static_cast<int>(pages(o));
                for (uint64_t q = pfn; q < pfn + pages(o); ++q)
                    free[q] = true;
                buddy = expect_free(buddy, free, start, end, pfn, o);
            } while (count > 0 && !pm.lists[o].empty());
        }
    };
    std::mt19937 rng(11);
    std::vector<std::pair<Block, unsigned>> live; // block, cpu
    uint64_t live_pages = 0;
    unsigned refills = 0, drains = 0, free_highs = 0, below_highs = 0;
    for (int step = 0; step < 6000; ++step) {
        const std::string what = "step " + std::to_string(step);
        const unsigned cpu = rng() % 2;
        PcpModel& pm = model[cpu];
        const unsigned roll = rng() % 1000;
        if (roll < 3) {
            m.decay_pcp_high_all();
            for (PcpModel& each : model) {
                if (each.high > high_min)
                    each.high = std::max(
                        {each.count - (batch << 5), each.high - (each.high >> 3), high_min});
                for (int to_drain = each.count - each.high; to_drain > 0; to_drain -= batch)
                    bulk_free(each, std::min(to_drain, batch), 0);
            }
        } else if (roll < 5) {
            m.drain_pages(std::nullopt);
            for (PcpModel& each : model)
                while (each.count > 0)
                    bulk_free(each, std::min(each.count, batch << 5), 0);
        } else if (live.empty() ||
                   (rng() % 100 < ((step / 400) % 2 ? 0u : 85u) && live_pages < 9000)) {
            AllocRequest req;
            req.cpu = cpu;
            req.order = rng() % 100 < 90 ? rng() % 4 : 4 + rng() % 2;
            const AllocResult r = m.alloc_pages(req);
            ASSERT_TRUE(r.ok) << what;
            ASSERT_EQ(r.zone.zone, dma32.zone) << what;
            uint64_t want;
            if (req.order <= 3) {
                pm.free_count >>= 1;
                auto& list = pm.lists[req.order];
                if (list.empty()) {
                    ++refills;
                    // nr_pcp_alloc(), with ZONE_BELOW_HIGH as the walk left it.
                    int high = pm.high = std::clamp(pm.high, high_min, high_max);
                    int n = req.order ? batch : batch << pm.alloc_factor;
                    if (!zone.below_high) high = pm.high = std::min(high + n, high_max);
                    if (req.order == 0) {
                        const int max_nr_alloc = std::max(high - pm.count - batch, batch);
                        if (n <= max_nr_alloc && pm.alloc_factor < 5) pm.alloc_factor++;
                        n = std::min(n, max_nr_alloc);
                    }
                    if (n > 1) n = std::max(n >> req.order, 2);
                    for (int i = 0; i < n; ++i) {
                        Lists after;
                        const auto pfn = expect_rmqueue(buddy, req.order, &after);
                        ASSERT_TRUE(pfn) << what;
                        buddy = after;
                        for (uint64_t q = *pfn; q < *pfn + pages(req.order); ++q)
                            free[q] = false;
                        list.push_back(*pfn);
                        pm.count += static_cast<int>(pages(req.order));
                    }
                }
                want = list.front();
                list.pop_front();
                pm.count -= static_cast<int>(pages(req.order));
                ASSERT_TRUE(r.pcp) << what;
            } else {
                Lists after;
                const auto pfn = expect_rmqueue(buddy, req.order, &after);
                ASSERT_TRUE(pfn) << what;
                buddy = after;
                want = *pfn;
                for (uint64_t q = want; q < want + pages(req.order); ++q)
                    free[q] = false;
                ASSERT_FALSE(r.pcp) << what;
            }
            ASSERT_EQ(r.pfn.value(), want) << what << " order " << req.order;
            live.push_back({{want, req.order}, cpu});
            live_pages += pages(req.order);
        } else {
            const size_t i = rng() % live.size();
            const auto [block, ignored] = live[i];
            const auto [pfn, order] = block;
            const bool below_high = zone.below_high;
            Machine::Merged merged;
            ASSERT_FALSE(m.free_pages(Pfn{pfn}, order, &merged, cpu)) << what;
            live.erase(live.begin() + static_cast<long>(i));
            live_pages -= pages(order);
            if (order > 3) {
                for (uint64_t q = pfn; q < pfn + pages(order); ++q)
                    free[q] = true;
                buddy = expect_free(buddy, free, start, end, pfn, order);
            } else {
                // free_frozen_page_commit().
                pm.alloc_factor >>= 1;
                pm.lists[order].push_front(pfn);
                pm.count += static_cast<int>(pages(order));
                bool free_high = false;
                if (order) {
                    free_high = pm.free_count >= batch + high_min / 2 && pm.prev_free_high_order &&
                                (!free_high_batch || pm.count >= batch);
                    pm.prev_free_high_order = true;
                } else {
                    pm.prev_free_high_order = false;
                }
                if (pm.free_count < (batch << 5)) pm.free_count += static_cast<int>(pages(order));
                // nr_pcp_high().
                int high = pm.high = std::clamp(pm.high, high_min, high_max);
                if (free_high) {
                    pm.high = std::max(high - (batch << 5), high_min);
                    high = 0;
                } else if (below_high) {
                    pm.high = std::max(high - std::max(pm.free_count, batch), high_min);
                    high = std::max(pm.count, high_min);
                } else if (pm.count >= high && pm.high < pm.free_count + batch) {
                    pm.high = std::clamp(pm.free_count + batch, high_min, high_max);
                }
                free_highs += free_high;
                below_highs += below_high;
                if (pm.count >= high) {
                    ++drains;
                    const int n = free_high      ? std::min(pm.count, batch << 5)
                                  : high < batch ? 1
                                                 : std::clamp(pm.free_count, batch, high - batch);
                    bulk_free(pm, n, order);
                }
            }
        }
        for (unsigned c = 0; c < 2; ++c) {
            ASSERT_EQ(machine_pcp_lists(m, dma32, c), model[c].lists) << what << " cpu " << c;
            ASSERT_EQ(m.pcp(dma32, c).count, model[c].count) << what << " cpu " << c;
            ASSERT_EQ(m.pcp(dma32, c).high, model[c].high) << what << " cpu " << c;
        }
        ASSERT_EQ(lists_of(m, dma32), buddy) << what << describe(buddy);
        if (step % 500 == 0) {
            ASSERT_EQ(blocks_of(buddy), buddy_decomposition(free, start, end)) << what;
            auto bad = mm::check_invariants(m);
            ASSERT_FALSE(bad) << what << ": " << *bad;
        }
    }
    // Every rule had its turn.
    EXPECT_GT(refills, 20u);
    EXPECT_GT(drains, 20u);
    if (GetParam() == 64ull << 20)
        EXPECT_GT(drains, free_highs + 20);
    else
        EXPECT_GT(free_highs, 20u);
    std::cout << "refills " << refills << ", drains " << drains << ", free_high " << free_highs
              << ", frees below high " << below_highs << "\n";
}

INSTANTIATE_TEST_SUITE_P(Sizes, PcpPropertyTest, ::testing::Values(64ull << 20, 256ull << 20));
