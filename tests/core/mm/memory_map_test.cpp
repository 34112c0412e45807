// The memory map: e820-like RAM ranges with holes, zones spanning them
// (spanned > present), the reservations, NUMA node boundaries on 128 MiB
// sections and /proc/iomem. Expected values come from the reference
// machine's /proc/zoneinfo (a 24 GiB Firecracker VM) and the kernel's rules.
#include "core/fs/fs.h"
#include "core/mm/invariants.h"
#include "core/mm/machine.h"

#include <gtest/gtest.h>

using namespace mm;

namespace {

constexpr uint64_t MiB = uint64_t{1} << 20;
constexpr uint64_t GiB = uint64_t{1} << 30;

BootParams x86(uint64_t ram, unsigned nodes = 1) {
    BootParams p;
    p.ram = ram;
    p.nodes = nodes;
    return p;
}

const Zone& zone_named(const Machine& m, unsigned node, const char* name) {
    for (const Zone& z : m.nodes()[node].zones)
        if (std::string(z.name()) == name) return z;
    ADD_FAILURE() << "no zone " << name;
    return m.nodes()[0].zones[0];
}

} // namespace

// The live file: "Node 0, zone DMA spanned 4095 present 3998 managed 3840
// start_pfn 1", "zone DMA32 spanned 1044480 present 782336 start_pfn 4096",
// "zone Normal spanned 5505024 present 5505024 start_pfn 1048576".
TEST(MemoryMap, LiveMachineSpansAndPresents) {
    const Machine m(x86(24 * GiB));
    const Zone& dma = zone_named(m, 0, "DMA");
    EXPECT_EQ(dma.zone_start_pfn, Pfn{1});
    EXPECT_EQ(dma.spanned_pages, 4095u);
    EXPECT_EQ(dma.present_pages, 3998u);
    // reserve_real_mode() keeps the first MiB: pfns 1-0x9e are its RAM.
    EXPECT_EQ(dma.managed_pages, 3840u);
    const Zone& dma32 = zone_named(m, 0, "DMA32");
    EXPECT_EQ(dma32.zone_start_pfn, Pfn{4096});
    EXPECT_EQ(dma32.spanned_pages, 1044480u);
    EXPECT_EQ(dma32.present_pages, 782336u);
    // The kernel image (16 MiB at 16 MiB) is in DMA32.
    EXPECT_EQ(dma32.managed_pages, 782336u - 4096u);
    const Zone& normal = zone_named(m, 0, "Normal");
    EXPECT_EQ(normal.zone_start_pfn, Pfn{1048576});
    EXPECT_EQ(normal.spanned_pages, 5505024u);
    EXPECT_EQ(normal.present_pages, 5505024u);
    // The memmap: 2 MiB of struct page for each of the 192 sections with
    // RAM (0-23 below 3 GiB, 32-199 above 4 GiB), at the top of Normal.
    EXPECT_EQ(normal.managed_pages, 5505024u - 192u * 512u);
    EXPECT_EQ(m.max_pfn(), Pfn{25 * GiB / 4096});
    EXPECT_FALSE(check_invariants(m));
}

TEST(MemoryMap, FourGigabytesHaveANormalZone) {
    const Machine m(x86(4 * GiB));
    const Zone& dma32 = zone_named(m, 0, "DMA32");
    EXPECT_EQ(dma32.spanned_pages, 1044480u);
    EXPECT_EQ(dma32.present_pages, 782336u);
    const Zone& normal = zone_named(m, 0, "Normal");
    EXPECT_EQ(normal.zone_start_pfn, Pfn{4 * GiB / 4096});
    EXPECT_EQ(normal.present_pages, 1 * GiB / 4096);
    EXPECT_FALSE(check_invariants(m));
}

TEST(MemoryMap, SmallMachineHasOnlyTheLowHoles) {
    const Machine m(x86(2 * GiB));
    const Zone& dma32 = zone_named(m, 0, "DMA32");
    EXPECT_EQ(dma32.spanned_pages, 2 * GiB / 4096 - 4096);
    EXPECT_EQ(dma32.present_pages, dma32.spanned_pages);
    EXPECT_FALSE(zone_named(m, 0, "Normal").populated());
    EXPECT_EQ(zone_named(m, 0, "DMA").present_pages, 3998u);
}

TEST(MemoryMap, I386HasTheSameLowHolesToyNone) {
    BootParams p;
    p.arch = Arch::i386;
    p.ram = 1 * GiB;
    const Machine m(p);
    EXPECT_EQ(zone_named(m, 0, "DMA").spanned_pages, 4095u);
    EXPECT_EQ(zone_named(m, 0, "DMA").present_pages, 3998u);
    EXPECT_EQ(zone_named(m, 0, "DMA").managed_pages, 3840u);
    BootParams t;
    t.arch = Arch::toy;
    t.ram = 64 * MiB;
    const Machine toy(t);
    EXPECT_EQ(toy.nodes()[0].zones[0].zone_start_pfn, Pfn{0});
    EXPECT_EQ(toy.nodes()[0].zones[0].spanned_pages, 64 * MiB / 4096);
    EXPECT_EQ(toy.nodes()[0].zones[0].present_pages, 64 * MiB / 4096);
}

TEST(MemoryMap, HolesAreHolesOnTheMap) {
    const Machine m(x86(4 * GiB));
    EXPECT_EQ(m.frame(Pfn{0}).state, FrameState::Hole);
    EXPECT_EQ(m.frame(Pfn{0x9f}).state, FrameState::Hole);
    EXPECT_EQ(m.frame(Pfn{0xff}).state, FrameState::Hole);
    EXPECT_EQ(m.frame(Pfn{0x9e}).state, FrameState::Reserved);
    EXPECT_EQ(m.frame(Pfn{0x100}).state, FrameState::Free);   // 1 MiB
    EXPECT_EQ(m.frame(Pfn{0xc0000}).state, FrameState::Hole); // 3 GiB
    EXPECT_EQ(m.frame(Pfn{0xfffff}).state, FrameState::Hole);
    EXPECT_EQ(m.frame(Pfn{0x100000}).state, FrameState::Free); // 4 GiB
    std::vector<uint8_t> codes(0x400, 0xee);
    m.frame_codes(Pfn{0xbfe00}, codes.size(), codes.data());
    EXPECT_NE(codes[0], FRAME_HOLE);
    EXPECT_EQ(codes[0x1ff], codes[0]);
    for (size_t i = 0x200; i < codes.size(); ++i)
        ASSERT_EQ(codes[i], FRAME_HOLE) << i;
    std::vector<uint8_t> low(0x200, 0xee);
    m.frame_codes(Pfn{0}, low.size(), low.data());
    EXPECT_EQ(low[0], FRAME_HOLE);
    EXPECT_EQ(low[1], FRAME_RESERVED);
    EXPECT_EQ(low[0x9f], FRAME_HOLE);
    EXPECT_EQ(low[0x9e], FRAME_RESERVED);
    EXPECT_EQ(low[0x100], FRAME_FREE0 + 8); // 0x100-0x1ff, order 8 as boot freed it
}

// Node n starts at n/N of the guest's memory rounded down to 128 MiB; on
// x86_64 what lies above 3 GiB of it sits above 4 GiB.
TEST(MemoryMap, NodeBoundariesOnSections) {
    const Machine three(x86(1 * GiB, 3));
    // 262144 * 1/3 = 87381 -> 65536; 262144 * 2/3 = 174762 -> 163840.
    EXPECT_EQ(three.nodes()[0].node_start_pfn, Pfn{1});
    EXPECT_EQ(three.nodes()[1].node_start_pfn, Pfn{65536});
    EXPECT_EQ(three.nodes()[2].node_start_pfn, Pfn{163840});
    EXPECT_EQ(three.nodes()[2].node_end_pfn(), Pfn{262144});
    EXPECT_FALSE(check_invariants(three));

    // 6 GiB on two nodes: the boundary, 3 GiB into the memory, is 4 GiB.
    const Machine two(x86(6 * GiB, 2));
    EXPECT_EQ(two.nodes()[0].node_end_pfn(), Pfn{3 * GiB / 4096});
    EXPECT_EQ(two.nodes()[1].node_start_pfn, Pfn{4 * GiB / 4096});
    EXPECT_EQ(two.nodes()[1].node_end_pfn(), Pfn{7 * GiB / 4096});
    EXPECT_FALSE(zone_named(two, 1, "DMA32").populated());
    EXPECT_FALSE(check_invariants(two));

    EXPECT_TRUE(Machine::validate(x86(200 * MiB, 2)));
    EXPECT_FALSE(Machine::validate(x86(256 * MiB, 2)));
}

// r_show(): "%0*llx-%0*llx : %s" with width 8, children indented two spaces.
TEST(MemoryMap, ProcIomem) {
    const Machine m(x86(24 * GiB));
    EXPECT_EQ(*read_file(m, "/proc/iomem"), "00000000-00000fff : Reserved\n"
                                            "00001000-0009fbff : System RAM\n"
                                            "00100000-bfffffff : System RAM\n"
                                            "  01000000-01ffffff : Kernel image\n"
                                            "100000000-63fffffff : System RAM\n");
    BootParams t;
    t.arch = Arch::toy;
    t.ram = kToyDefaultRam;
    EXPECT_EQ(*read_file(Machine(t), "/proc/iomem"), "00000000-0000ffff : System RAM\n");
}

// Sections: 128 MiB each, present where RAM is, populated on first write.
// 64 GiB: RAM in sections 0-23 (below 3 GiB) and 32-519 (4 to 65 GiB).
// Only section 0 has holes, part reservations and a zone boundary; the
// memmap (1 GiB, sections 512-519) is reserved whole, every other section
// free whole: boot populates section 0 alone.
TEST(Memmap, BootPopulatesOnlyTheSectionsItMustWrite) {
    const Machine m(x86(64 * GiB));
    ASSERT_EQ(m.memmap().nr_sections(), 520u);
    size_t with_ram = 0;
    for (size_t nr = 0; nr < m.memmap().nr_sections(); ++nr)
        with_ram += m.memmap().section(nr).state != MemSection::State::Absent ? 1 : 0;
    EXPECT_EQ(with_ram, 512u);
    EXPECT_EQ(m.memmap().section(24).state, MemSection::State::Absent); // the MMIO gap
    EXPECT_EQ(m.memmap().section(519).state, MemSection::State::Reserved);
    EXPECT_EQ(m.memmap().populated_sections(), 1u);
    // An untouched section reads as boot left it: Normal's order-10 list
    // starts at 4 GiB and runs up a block at a time.
    const Zone& normal = zone_named(m, 0, "Normal");
    EXPECT_EQ(normal.free_area[MAX_PAGE_ORDER].head, 0x100000u);
    const std::optional<Page> head = m.page(Pfn{0x100000});
    ASSERT_TRUE(head);
    EXPECT_TRUE(head->flags & PG_buddy);
    EXPECT_EQ(head->prev, NIL_PFN);
    EXPECT_EQ(head->next, 0x100400u);
    // The last block of section 32 links to the first of section 33.
    EXPECT_EQ(m.page(Pfn{0x107c00})->next, 0x108000u);
    EXPECT_EQ(m.page(Pfn{0x108000})->prev, 0x107c00u);
    EXPECT_FALSE(m.page(Pfn{0xc0000})); // no struct page in the gap
    EXPECT_EQ(m.frame(Pfn{0x100123}).block_pfn, Pfn{0x100000});
    EXPECT_FALSE(check_invariants(m));
}

// A copy shares the sections until one side writes: each side's writes stay
// its own, and only the written sections stop being shared.
TEST(Memmap, CopyOnWrite) {
    Machine a(x86(1 * GiB));
    const uint64_t fresh = a.digest();
    Machine b = a;
    EXPECT_EQ(b.digest(), fresh);
    AllocRequest req;
    req.order = 10;
    const AllocResult r = b.alloc_pages(req);
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(a.digest(), fresh);
    EXPECT_NE(b.digest(), fresh);
    EXPECT_EQ(a.frame(r.pfn).state, FrameState::Free);
    EXPECT_EQ(b.frame(r.pfn).state, FrameState::Allocated);
    // The original writes on its own too.
    req.order = 0;
    const AllocResult ra = a.alloc_pages(req);
    ASSERT_TRUE(ra.ok);
    EXPECT_EQ(a.frame(ra.pfn).state, FrameState::Allocated);
    if (ra.pfn < r.pfn || ra.pfn >= r.pfn + 1024)
        EXPECT_EQ(b.frame(ra.pfn).state, FrameState::Free);
    EXPECT_FALSE(check_invariants(a));
    EXPECT_FALSE(check_invariants(b));
    // Sections neither wrote are still one copy.
    size_t shared = 0, both_populated = 0;
    for (size_t nr = 0; nr < a.memmap().nr_sections(); ++nr) {
        const MemSection& sa = a.memmap().section(nr);
        const MemSection& sb = b.memmap().section(nr);
        if (sa.state != MemSection::State::Populated || sb.state != MemSection::State::Populated)
            continue;
        ++both_populated;
        shared += sa.pages == sb.pages ? 1 : 0;
    }
    EXPECT_GE(both_populated, 1u);
    EXPECT_LT(shared, both_populated);
    // Freeing in the copy gives back the fresh machine, in the copy only.
    ASSERT_FALSE(b.free_pages(r.pfn, 10));
    EXPECT_FALSE(check_invariants(b));
}
