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
