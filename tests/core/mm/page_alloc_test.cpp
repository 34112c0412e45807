// The buddy allocator's list discipline: splits, merges, head or tail, zone
// and node boundaries, failures (mm/page_alloc.c; reference section 1).
#include "core/lab/lab.h"
#include "core/mm/invariants.h"
#include "core/mm/machine.h"

#include <gtest/gtest.h>

using namespace mm;

namespace {

std::vector<Pfn> list_of(const Machine& m, unsigned node, unsigned zone, unsigned order) {
    std::vector<Pfn> pfns;
    for (uint32_t p = m.nodes()[node].zones[zone].free_area[order].head; p != NIL_PFN;
         p = m.page(Pfn{p})->next)
        pfns.push_back(Pfn{p});
    return pfns;
}

std::vector<Pfn> pfns(std::initializer_list<uint64_t> values) {
    std::vector<Pfn> list;
    for (uint64_t v : values)
        list.push_back(Pfn{v});
    return list;
}

Machine toy(uint64_t frames) {
    BootParams p;
    p.arch = Arch::toy;
    p.ram = frames * PAGE_SIZE;
    p.pcp = false; // as `boot arch=toy` does: the buddy core alone
    return Machine(p);
}

Pfn alloc(Machine& m, unsigned order, const std::string& name = "") {
    AllocRequest req;
    req.order = order;
    req.name = name;
    AllocResult r = m.alloc_pages(req);
    EXPECT_TRUE(r.ok) << r.reason;
    EXPECT_FALSE(mm::check_invariants(m)) << *mm::check_invariants(m);
    return r.pfn;
}

void free_block(Machine& m, Pfn pfn, unsigned order) {
    auto err = m.free_pages(pfn, order);
    EXPECT_FALSE(err) << *err;
    auto bad = mm::check_invariants(m);
    EXPECT_FALSE(bad) << *bad;
}

} // namespace

TEST(BuddyTest, FreshListsAreInAscendingPfnOrder) {
    Machine m(BootParams{}); // x86_64, 1G
    auto dma32 = list_of(m, 0, 1, 10);
    ASSERT_GT(dma32.size(), 2u);
    EXPECT_TRUE(std::is_sorted(dma32.begin(), dma32.end()));
    EXPECT_EQ(dma32.front(), Pfn{0x2000}); // after the kernel image at 16-32 MiB
    EXPECT_FALSE(mm::check_invariants(m));
}

// After an order-0 allocation out of an order-k block at pfn P the lists hold
// P+2^(k-1) at order k-1, ..., P+1 at order 0, each at its list head.
TEST(BuddyTest, SplitGivesLowerHalfAndPutsUpperHalvesAtListHeads) {
    Machine m = toy(16);
    EXPECT_EQ(list_of(m, 0, 0, 4), pfns({0}));
    EXPECT_EQ(alloc(m, 0), Pfn{0});
    EXPECT_EQ(list_of(m, 0, 0, 3), pfns({8}));
    EXPECT_EQ(list_of(m, 0, 0, 2), pfns({4}));
    EXPECT_EQ(list_of(m, 0, 0, 1), pfns({2}));
    EXPECT_EQ(list_of(m, 0, 0, 0), pfns({1}));
}

TEST(BuddyTest, AllocationTakesTheHeadOfTheSmallestNonEmptyList) {
    Machine m = toy(16);
    alloc(m, 0);                    // 0; lists: 1@0 2@1 4@2 8@3
    EXPECT_EQ(alloc(m, 1), Pfn{2}); // order-1 list head
    EXPECT_EQ(alloc(m, 1), Pfn{4}); // splits 4@2: gives 4, puts 6 at order 1
    EXPECT_EQ(list_of(m, 0, 0, 1), pfns({6}));
    EXPECT_EQ(alloc(m, 0), Pfn{1});
}

TEST(BuddyTest, FreeMergesWithBuddyUpToTheWholeBlock) {
    Machine m = toy(16);
    Pfn a = alloc(m, 0);
    free_block(m, a, 0);
    EXPECT_EQ(list_of(m, 0, 0, 4), pfns({0}));
    for (unsigned o = 0; o < 4; ++o)
        EXPECT_TRUE(list_of(m, 0, 0, o).empty()) << o;
}

TEST(BuddyTest, BuddyIsPfnXorOneShiftedByOrder) {
    Machine m = toy(16);
    Pfn a = alloc(m, 1); // 0; the order-1 list keeps 2
    Pfn b = alloc(m, 1); // 2
    free_block(m, a, 1); // buddy 0 ^ 2 = 2 is allocated: no merge
    EXPECT_EQ(list_of(m, 0, 0, 1), pfns({0}));
    free_block(m, b, 1); // buddy 2 ^ 2 = 0 is free: merge, then with 4, with 8
    EXPECT_EQ(list_of(m, 0, 0, 4), pfns({0}));
}

// buddy_merge_likely(): tail when the buddy of the would-be parent is free.
TEST(BuddyTest, MergedBlockGoesToTailWhenParentsBuddyIsFree) {
    Lab lab;
    lab.run("boot arch=toy ram=256K; alloc_pages order=1 as=a; alloc_pages order=1 as=b;"
            "alloc_pages order=1 as=c; alloc_pages order=1 as=d; alloc_pages order=1 as=e;"
            "free_pages b; free_pages c; free_pages a");
    // free d: merges with c (4), then with a+b (0) into order 3 at pfn 0; the
    // order-3 buddy 8 is allocated (e) but 0's order-4 buddy 16 is free.
    uint64_t before = lab.events().last_seq();
    auto r = lab.run("free_pages d");
    ASSERT_TRUE(r[0].ok) << r[0].error;
    bool saw_tail = false;
    for (size_t i = 0; i < lab.events().size(); ++i) {
        const Event& e = lab.events().at(i);
        if (e.seq <= before || e.type != EventType::ListAdd) continue;
        EXPECT_EQ(e.pfn, Pfn{0});
        EXPECT_EQ(e.order, 3u);
        saw_tail = e.aux == 1;
    }
    EXPECT_TRUE(saw_tail);
}

TEST(BuddyTest, MergedBlockGoesToHeadWhenParentsBuddyIsNotFree) {
    Lab lab;
    lab.run("boot arch=toy ram=64K; alloc_pages as=a; alloc_pages as=b; alloc_pages order=1 as=c");
    // free a: buddy 1 (b) allocated; parent 0's order-1 buddy 2 (c) allocated.
    uint64_t before = lab.events().last_seq();
    lab.run("free_pages a");
    bool head = false;
    for (size_t i = 0; i < lab.events().size(); ++i) {
        const Event& e = lab.events().at(i);
        if (e.seq > before && e.type == EventType::ListAdd) head = e.aux == 0;
    }
    EXPECT_TRUE(head);
}

// Orders 9 and 10 always go to the head (order >= MAX_PAGE_ORDER - 1).
TEST(BuddyTest, TopOrdersAlwaysGoToTheHead) {
    Machine m = toy(2048); // two order-10 blocks: 0 and 1024
    Pfn b = alloc(m, 10);
    Pfn c = alloc(m, 10);
    EXPECT_EQ(b, Pfn{0});
    EXPECT_EQ(c, Pfn{1024});
    free_block(m, b, 10);
    free_block(m, c, 10);
    EXPECT_EQ(list_of(m, 0, 0, 10), pfns({1024, 0}));
}

// What if the buddy lies in another node? Node boundaries fall on 128 MiB
// sections, aligned beyond MAX_PAGE_ORDER, so no block's buddy is ever in
// another node: node 0's last block of RAM and node 1's first are each
// whole, not merged (page_is_buddy() would also refuse: another zone).
TEST(BuddyTest, NoMergeAcrossNodes) {
    BootParams p;
    p.ram = 512ull << 20;
    p.nodes = 2;
    Machine m(p);
    ASSERT_FALSE(mm::check_invariants(m));
    ASSERT_EQ(m.nodes()[1].node_start_pfn, Pfn{0x10000});
    // Node 0's memmap (two sections: 1024 pages) sits at its top, 0xfc00-0xffff.
    const auto a = m.page(Pfn{0xf800});
    const auto b = m.page(Pfn{0x10000});
    ASSERT_TRUE(a && b);
    EXPECT_TRUE((a->flags & PG_buddy) && a->order == 10);
    EXPECT_TRUE((b->flags & PG_buddy) && b->order == 10);
}

TEST(BuddyTest, FailedAllocationChangesNothing) {
    Machine m = toy(16);
    alloc(m, 3);
    AllocRequest req;
    req.order = 4;
    AllocResult r = m.alloc_pages(req);
    EXPECT_FALSE(r.ok);
    ASSERT_EQ(r.attempts.size(), 2u); // pass 1 and pass 2 both tried Normal
    EXPECT_EQ(r.attempts[1].verdict, ZoneVerdict::BelowWatermark); // 8 - 15 <= 0
    EXPECT_EQ(m.zone(ZoneRef{0, 0}).free_pages, 8u);
    EXPECT_EQ(list_of(m, 0, 0, 3), pfns({8}));
}

TEST(BuddyTest, EveryFrameOfTheToyMachineCanBeAllocated) {
    Machine m = toy(16);
    for (int i = 0; i < 16; ++i)
        alloc(m, 0);
    EXPECT_EQ(m.total_free(), 0u);
    AllocResult r = m.alloc_pages(AllocRequest{});
    EXPECT_FALSE(r.ok);
}

TEST(BuddyTest, FreeRejectsWrongOrderDoubleFreeAndReservedFrames) {
    BootParams p;
    p.pcp = false; // the buddy core's messages (PcpTest has the per-CPU ones)
    Machine m(p);
    AllocRequest req;
    req.order = 2;
    AllocResult r = m.alloc_pages(req);
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(m.free_pages(r.pfn, 1).value_or(""),
              "pfn 0x2000 heads an order-2 block, not order 1");
    EXPECT_EQ(m.free_pages(r.pfn + 1, 0).value_or(""),
              "pfn 0x2001 is inside the allocated block at 0x2000 (order 2), not its head");
    EXPECT_EQ(m.free_pages(Pfn{0x10}, 0).value_or(""),
              "pfn 0x10 is reserved (firmware), not allocated");
    EXPECT_EQ(m.free_pages(Pfn{0x1000}, 0).value_or(""),
              "pfn 0x1000 is reserved (kernel image), not allocated");
    EXPECT_EQ(m.free_pages(Pfn{0x2004}, 0).value_or(""),
              "pfn 0x2004 is already free (double free?)");
    EXPECT_EQ(m.free_pages(Pfn{1ull << 40}, 0).value_or(""),
              "pfn 0x10000000000 is not a page frame of this machine");
    EXPECT_FALSE(m.free_pages(r.pfn, 2));
    EXPECT_EQ(m.free_pages(r.pfn, 2).value_or(""), "pfn 0x2000 is already free (double free?)");
    EXPECT_FALSE(mm::check_invariants(m));
}

TEST(BuddyTest, FrameCodesAgreeWithFrameForEveryPfn) {
    Lab lab;
    lab.run(
        "boot ram=64M; alloc_pages order=3; alloc_pages order=0; alloc_pages order=5 gfp=GFP_DMA");
    const Machine& m = lab.machine();
    std::vector<uint8_t> codes(m.max_pfn().value() + 10); // and 10 frames past the end
    m.frame_codes(Pfn{0}, codes.size(), codes.data());
    for (uint64_t pfn = 0; pfn < codes.size(); ++pfn) {
        FrameInfo f = m.frame(Pfn{pfn});
        uint8_t expect = FRAME_HOLE;
        if (f.state == FrameState::Reserved) expect = FRAME_RESERVED;
        if (f.state == FrameState::Allocated) expect = FRAME_ALLOCATED;
        if (f.state == FrameState::Free) expect = static_cast<uint8_t>(FRAME_FREE0 + f.block_order);
        ASSERT_EQ(codes[pfn], expect) << pfn;
    }
    // A window that starts inside a block.
    std::vector<uint8_t> window(100);
    m.frame_codes(Pfn{0x2001}, window.size(), window.data());
    for (size_t i = 0; i < window.size(); ++i)
        ASSERT_EQ(window[i], codes[0x2001 + i]) << i;
}
