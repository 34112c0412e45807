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
#include "core/mm/invariants.h"
#include "core/mm/machine.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
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
