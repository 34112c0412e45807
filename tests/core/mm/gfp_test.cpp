// GFP masks: the kernel's values, gfp_zone(), gfp_to_alloc_flags() and the
// %pGg names, against Linux 6.18's include/linux/gfp_types.h, gfp.h,
// mm/page_alloc.c and include/trace/events/mmflags.h (docs/fidelity.md).
#include "core/mm/gfp.h"

#include <gtest/gtest.h>

using namespace mm;

TEST(GfpTest, CompositeValuesMatchLinux618) {
    EXPECT_EQ(GFP_ATOMIC, 0x820u);
    EXPECT_EQ(GFP_KERNEL, 0xcc0u);
    EXPECT_EQ(GFP_KERNEL_ACCOUNT, 0x400cc0u);
    EXPECT_EQ(GFP_NOWAIT, 0x2800u); // includes __GFP_NOWARN since 6.18
    EXPECT_EQ(GFP_NOIO, 0xc00u);
    EXPECT_EQ(GFP_NOFS, 0xc40u);
    EXPECT_EQ(GFP_USER, 0x100cc0u);
    EXPECT_EQ(GFP_HIGHUSER, 0x100cc2u);
    EXPECT_EQ(GFP_HIGHUSER_MOVABLE, 0x100ccau);
    EXPECT_EQ(GFP_TRANSHUGE_LIGHT, 0x1c20cau);
    EXPECT_EQ(GFP_TRANSHUGE, 0x1c24cau);
}

TEST(GfpTest, GfpZoneFollowsTheZoneTable) {
    // x86_64: DMA=0, DMA32=1, NORMAL=2, MOVABLE=3
    EXPECT_EQ(gfp_zone(GFP_KERNEL, ZoneConfig::X86_64), 2u);
    EXPECT_EQ(gfp_zone(GFP_DMA, ZoneConfig::X86_64), 0u);
    EXPECT_EQ(gfp_zone(GFP_DMA32, ZoneConfig::X86_64), 1u);
    EXPECT_EQ(gfp_zone(GFP_HIGHUSER, ZoneConfig::X86_64), 2u);
    EXPECT_EQ(gfp_zone(GFP_HIGHUSER_MOVABLE, ZoneConfig::X86_64), 3u);
    EXPECT_EQ(gfp_zone(__GFP_MOVABLE, ZoneConfig::X86_64), 2u); // MOVABLE alone gives Normal
    EXPECT_EQ(gfp_zone(__GFP_MOVABLE | __GFP_DMA32, ZoneConfig::X86_64), 1u);
    // i386 HIGHMEM4G: DMA=0, NORMAL=1, HIGHMEM=2, MOVABLE=3
    EXPECT_EQ(gfp_zone(GFP_KERNEL, ZoneConfig::I386), 1u);
    EXPECT_EQ(gfp_zone(GFP_HIGHUSER, ZoneConfig::I386), 2u);
    EXPECT_EQ(gfp_zone(GFP_DMA32, ZoneConfig::I386), 1u);
    EXPECT_EQ(gfp_zone(GFP_HIGHUSER_MOVABLE, ZoneConfig::I386), 3u);
}

// What does a nonsense mix of zone modifiers give? GFP_ZONE_BAD: ZONE_DMA.
TEST(GfpTest, BadZoneCombinationsGiveZoneZero) {
    for (gfp_t bad : {0x3u, 0x5u, 0x6u, 0x7u, 0xbu, 0xdu, 0xeu, 0xfu}) {
        EXPECT_EQ(gfp_zone(bad, ZoneConfig::X86_64), 0u) << bad;
        EXPECT_EQ(gfp_zone(bad, ZoneConfig::I386), 0u) << bad;
    }
}

TEST(GfpTest, SlowPathAllocFlagsMatchTheSummaryTable) {
    EXPECT_EQ(gfp_to_alloc_flags(GFP_ATOMIC, 0), 0x830u);
    EXPECT_EQ(gfp_to_alloc_flags(GFP_ATOMIC, 1), 0xa30u);
    EXPECT_EQ(gfp_to_alloc_flags(GFP_KERNEL, 0), 0x840u);
    EXPECT_EQ(gfp_to_alloc_flags(GFP_KERNEL, 3), 0x840u);
    EXPECT_EQ(gfp_to_alloc_flags(GFP_NOWAIT, 0), 0x850u);
    EXPECT_EQ(gfp_to_alloc_flags(GFP_NOWAIT, 2), 0x850u);
    EXPECT_EQ(gfp_to_alloc_flags(GFP_DMA, 0), 0x050u);
    EXPECT_EQ(gfp_to_alloc_flags(GFP_HIGHUSER_MOVABLE, 0), 0x840u);
    EXPECT_EQ(gfp_to_alloc_flags(GFP_TRANSHUGE_LIGHT, 0), 0x040u);
    EXPECT_EQ(gfp_to_alloc_flags(GFP_TRANSHUGE, 0), 0x040u);
}

TEST(GfpTest, FormatNamesCompositesFirstLikePercentPGg) {
    EXPECT_EQ(format_gfp(0x820), "GFP_ATOMIC");
    EXPECT_EQ(format_gfp(0x2820), "GFP_ATOMIC|__GFP_NOWARN");
    EXPECT_EQ(format_gfp(0xcc0), "GFP_KERNEL");
    EXPECT_EQ(format_gfp(0xdc0), "GFP_KERNEL|__GFP_ZERO");
    EXPECT_EQ(format_gfp(0x52cc0), "GFP_KERNEL|__GFP_NOWARN|__GFP_NORETRY|__GFP_COMP");
    EXPECT_EQ(format_gfp(0xcc1), "GFP_KERNEL|GFP_DMA");
    EXPECT_EQ(format_gfp(0x400dc0), "GFP_KERNEL_ACCOUNT|__GFP_ZERO");
    EXPECT_EQ(format_gfp(0x100cca), "GFP_HIGHUSER_MOVABLE");
    EXPECT_EQ(format_gfp(0x3c24ca), "GFP_TRANSHUGE|__GFP_THISNODE");
    EXPECT_EQ(format_gfp(0xc00), "GFP_NOIO"); // __GFP_RECLAIM can never print
    EXPECT_EQ(format_gfp(0x82020), "__GFP_HIGH|__GFP_NOWARN|__GFP_NOMEMALLOC");
    EXPECT_EQ(format_gfp(0x200), "0x200");
    EXPECT_EQ(format_gfp(0), "");
}

TEST(GfpTest, ParseAcceptsNamesJoinedByBarsAndHex) {
    EXPECT_EQ(parse_gfp("GFP_KERNEL"), GFP_KERNEL);
    EXPECT_EQ(parse_gfp("GFP_KERNEL|__GFP_NOWARN"), GFP_KERNEL | __GFP_NOWARN);
    EXPECT_EQ(parse_gfp("GFP_ATOMIC|GFP_DMA"), 0x821u);
    EXPECT_EQ(parse_gfp("0xcc0"), GFP_KERNEL);
    std::string bad;
    EXPECT_FALSE(parse_gfp("GFP_KERNAL", &bad));
    EXPECT_EQ(bad, "GFP_KERNAL");
    EXPECT_FALSE(parse_gfp("GFP_KERNEL|", &bad));
    EXPECT_FALSE(parse_gfp("", &bad));
    EXPECT_FALSE(parse_gfp("0x1000000", &bad)); // beyond __GFP_BITS_MASK
}
