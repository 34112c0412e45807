// Long seeded random sequences of alloc/free, with the invariants checked
// after every step and the free lists compared with a small independent model
// of the buddy rules written here.
#include "core/mm/invariants.h"
#include "core/mm/machine.h"

#include <gtest/gtest.h>

#include <deque>
#include <map>
#include <random>

using namespace mm;

namespace {

// The rules of reference section 1, written again without the simulator's
// data structures: lists as deques (front = head), free blocks in a map.
class BuddyModel {
  public:
    explicit BuddyModel(uint64_t frames) : m_frames(frames) {
        uint64_t pfn = 0;
        while (pfn < frames) { // memblock: largest aligned blocks, ascending, to the tail
            unsigned order = pfn ? std::min<unsigned>(10, __builtin_ctzll(pfn)) : 10;
            while (pfn + (1ull << order) > frames)
                --order;
            free(pfn, order, true);
            pfn += 1ull << order;
        }
        m_low = frames * 10 / 10000; // watermark_scale_factor 10, min 0
    }

    // Returns the pfn, or -1 when the request must fail.
    int64_t alloc(unsigned order) {
        int64_t usable = static_cast<int64_t>(m_free_pages) - ((1ll << order) - 1);
        if (usable <= 0) return -1; // fails even the min (0) watermark
        bool has_block = false;
        for (unsigned o = order; o <= 10; ++o)
            has_block = has_block || !m_lists[o].empty();
        if (!has_block) return -1;
        for (unsigned o = order; o <= 10; ++o) {
            if (m_lists[o].empty()) continue;
            uint64_t pfn = m_lists[o].front();
            m_lists[o].pop_front();
            m_free.erase(pfn);
            while (o > order) {
                --o;
                uint64_t upper = pfn + (1ull << o);
                m_lists[o].push_front(upper);
                m_free[upper] = o;
            }
            m_free_pages -= 1ull << order;
            return static_cast<int64_t>(pfn);
        }
        return -1;
    }

    void free(uint64_t pfn, unsigned order, bool fresh = false) {
        m_free_pages += 1ull << order;
        uint64_t buddy = pfn ^ (1ull << order);
        while (order < 10) {
            buddy = pfn ^ (1ull << order);
            auto it = m_free.find(buddy);
            if (buddy >= m_frames || it == m_free.end() || it->second != order) break;
            m_free.erase(it);
            auto& list = m_lists[order];
            list.erase(std::find(list.begin(), list.end(), buddy));
            pfn = std::min(pfn, buddy);
            ++order;
        }
        bool tail = fresh;
        if (!tail && order < 9) {
            uint64_t parent = pfn & buddy;
            uint64_t parent_buddy = parent ^ (1ull << (order + 1));
            auto it = m_free.find(parent_buddy);
            tail = it != m_free.end() && it->second == order + 1;
        }
        if (tail)
            m_lists[order].push_back(pfn);
        else
            m_lists[order].push_front(pfn);
        m_free[pfn] = order;
    }

    std::vector<uint64_t> list(unsigned order) const {
        return std::vector<uint64_t>(m_lists[order].begin(), m_lists[order].end());
    }

  private:
    uint64_t m_frames;
    uint64_t m_free_pages = 0;
    uint64_t m_low = 0;
    std::deque<uint64_t> m_lists[11];
    std::map<uint64_t, unsigned> m_free;
};

std::vector<uint64_t> list_of(const Machine& m, unsigned order) {
    std::vector<uint64_t> pfns;
    for (uint32_t p = m.nodes()[0].zones[0].free_area[order].head; p != NIL_PFN;
         p = m.page(p)->next)
        pfns.push_back(p);
    return pfns;
}

} // namespace

class BuddyPropertyTest : public ::testing::TestWithParam<uint32_t> {};

TEST_P(BuddyPropertyTest, ToyMachineMatchesTheModelAfterEveryStep) {
    const uint64_t frames = 1000; // not a power of two: blocks of every order at boot
    BootParams p;
    p.arch = Arch::toy;
    p.ram = frames * PAGE_SIZE;
    Machine m(p);
    BuddyModel model(frames);
    std::mt19937 rng(GetParam());
    std::vector<std::pair<uint64_t, unsigned>> live;
    for (int step = 0; step < 3000; ++step) {
        bool do_alloc = live.empty() || rng() % 100 < 55;
        if (do_alloc) {
            unsigned order = rng() % 100 < 70 ? rng() % 3 : rng() % 11;
            AllocRequest req;
            req.order = order;
            req.gfp = rng() % 2 ? GFP_KERNEL : GFP_ATOMIC;
            AllocResult r = m.alloc_pages(req);
            int64_t expect = model.alloc(order);
            ASSERT_EQ(r.ok, expect >= 0) << "step " << step << " order " << order;
            if (r.ok) {
                ASSERT_EQ(static_cast<int64_t>(r.pfn), expect) << "step " << step;
                live.emplace_back(r.pfn, order);
            }
        } else {
            size_t i = rng() % live.size();
            auto [pfn, order] = live[i];
            live.erase(live.begin() + static_cast<long>(i));
            ASSERT_FALSE(m.free_pages(pfn, order));
            model.free(pfn, order);
        }
        auto bad = mm::check_invariants(m);
        ASSERT_FALSE(bad) << "step " << step << ": " << *bad;
        for (unsigned o = 0; o <= 10; ++o)
            ASSERT_EQ(list_of(m, o), model.list(o)) << "step " << step << " order " << o;
    }
}

INSTANTIATE_TEST_SUITE_P(Seeds, BuddyPropertyTest, ::testing::Values(1u, 2u, 3u, 42u, 1234u));

// Many nodes, zones and GFP masks: the invariants hold after every step and
// pages are neither lost nor made.
TEST(PropertyTest, NumaMachineKeepsItsInvariantsUnderRandomTraffic) {
    BootParams p;
    p.ram = 200ull << 20;
    p.nodes = 3;
    p.movablecore = 48ull << 20;
    Machine m(p);
    const gfp_t masks[] = {GFP_KERNEL,
                           GFP_ATOMIC,
                           GFP_NOWAIT,
                           GFP_USER,
                           GFP_HIGHUSER_MOVABLE,
                           GFP_KERNEL | GFP_DMA,
                           GFP_DMA32,
                           GFP_KERNEL | __GFP_THISNODE,
                           GFP_KERNEL | __GFP_MEMALLOC,
                           GFP_ATOMIC | __GFP_NOWARN};
    std::mt19937 rng(7);
    std::vector<std::pair<uint64_t, unsigned>> live;
    uint64_t allocated = 0;
    for (int step = 0; step < 4000; ++step) {
        if (live.empty() || rng() % 100 < 60) {
            AllocRequest req;
            req.order = rng() % 100 < 80 ? rng() % 4 : rng() % 11;
            req.gfp = masks[rng() % (sizeof masks / sizeof masks[0])];
            if (rng() % 2) req.node = rng() % 3;
            AllocResult r = m.alloc_pages(req);
            if (r.ok) {
                live.emplace_back(r.pfn, req.order);
                allocated += 1ull << req.order;
                ASSERT_LE(r.zone.zone, r.highest_zoneidx);
            }
        } else {
            size_t i = rng() % live.size();
            ASSERT_FALSE(m.free_pages(live[i].first, live[i].second));
            allocated -= 1ull << live[i].second;
            live.erase(live.begin() + static_cast<long>(i));
        }
        if (step % 10 == 0) {
            auto bad = mm::check_invariants(m);
            ASSERT_FALSE(bad) << "step " << step << ": " << *bad;
        }
        ASSERT_EQ(m.total_free() + allocated, m.total_managed());
    }
}
