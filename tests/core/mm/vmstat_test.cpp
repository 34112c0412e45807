// The fragmentation formulas of core/mm/vmstat.h against a real machine:
// the free counts /proc/buddyinfo showed at the moment the two debugfs files
// were read (tests/data/live), fed through unusable_free_index() and
// fragmentation_index(), give those files' numbers, zone by zone, order by
// order, printed as mm/vmstat.c prints them ("%d.%03d " and "%2d.%03d ").
#include "test_data.h"

#include "core/mm/vmstat.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <sstream>

using namespace mm;
using mm::test::read_test_data;
using mm::test::split_lines;

namespace {

// "Node 0, zone    DMA32     3     3 ..." -> the zone name and its numbers.
struct ZoneLine {
    std::string zone;
    std::vector<std::string> fields;
};

std::vector<ZoneLine> zone_lines(const std::string& text) {
    std::vector<ZoneLine> out;
    for (const std::string& line : split_lines(text)) {
        std::istringstream in(line);
        std::string node, id, zone_word;
        ZoneLine z;
        in >> node >> id >> zone_word >> z.zone;
        for (std::string f; in >> f;)
            z.fields.push_back(f);
        out.push_back(z);
    }
    return out;
}

std::string printed(const char* format, int index) {
    char buf[32];
    std::snprintf(buf, sizeof buf, format, index / 1000, index % 1000);
    return buf;
}

} // namespace

TEST(VmstatTest, BothIndicesReproduceTheLiveMachineFromItsBuddyinfo) {
    const std::vector<ZoneLine> counts =
        zone_lines(read_test_data("live/buddyinfo_at_debugfs.txt"));
    const std::vector<ZoneLine> unusable = zone_lines(read_test_data("live/unusable_index.txt"));
    const std::vector<ZoneLine> extfrag = zone_lines(read_test_data("live/extfrag_index.txt"));
    ASSERT_EQ(counts.size(), 3u); // DMA, DMA32, Normal
    ASSERT_EQ(unusable.size(), counts.size());
    ASSERT_EQ(extfrag.size(), counts.size());
    for (size_t z = 0; z < counts.size(); ++z) {
        ASSERT_EQ(counts[z].fields.size(), NR_PAGE_ORDERS);
        FreeCounts free{};
        for (unsigned o = 0; o < NR_PAGE_ORDERS; ++o)
            free[o] = std::stoull(counts[z].fields[o]);
        EXPECT_EQ(unusable[z].zone, counts[z].zone);
        for (unsigned o = 0; o < NR_PAGE_ORDERS; ++o) {
            EXPECT_EQ(printed("%d.%03d", unusable_free_index(free, o)), unusable[z].fields[o])
                << counts[z].zone << " order " << o;
            EXPECT_EQ(printed("%2d.%03d", fragmentation_index(free, o)), extfrag[z].fields[o])
                << counts[z].zone << " order " << o;
        }
    }
}

// Where the live machine shows only -1.000 (a block of every order free), the
// index's other branches, from __fragmentation_index() by hand: no free
// memory gives 0; 8 free order-0 pages asked for order 3 give
// 1000 - (1000 + 8 * 1000 / 8) / 8 = 750 (free but too fragmented); one
// free order-3 block asked for order 4 gives 1000 - (1000 + 8 * 1000 / 16)
// / 1 = -500 (too little memory, not fragmentation).
TEST(VmstatTest, FragmentationIndexBranches) {
    FreeCounts none{};
    EXPECT_EQ(fragmentation_index(none, 3), 0);
    FreeCounts scattered{};
    scattered[0] = 8;
    EXPECT_EQ(fragmentation_index(scattered, 3), 750);
    EXPECT_EQ(unusable_free_index(scattered, 3), 1000);
    EXPECT_EQ(unusable_free_index(scattered, 0), 0);
    FreeCounts one_block{};
    one_block[3] = 1;
    EXPECT_EQ(fragmentation_index(one_block, 3), -1000);
    EXPECT_EQ(fragmentation_index(one_block, 4), -500);
}
