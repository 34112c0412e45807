// The event log as the lab keeps it: events read the same after another boot,
// undo takes the undone command's events out, and `events` prints them.
#include "core/lab/lab.h"

#include <gtest/gtest.h>

using namespace mm;

namespace {

std::string out_of(Lab& lab, const std::string& command) {
    const std::vector<CommandResult> r = lab.run(command);
    EXPECT_EQ(r.size(), 1u);
    EXPECT_TRUE(r.back().ok) << command << ": " << r.back().error;
    return r.back().out;
}

} // namespace

// An x86_64 allocation from DMA32 (zone index 1 there) still reads "DMA32"
// after an i386 boot, where index 1 is Normal.
TEST(EventsTest, AnEventNamesItsZoneAsTheMachineThatLoggedItHadIt) {
    Lab lab;
    lab.run("boot ram=2G; alloc_pages gfp=GFP_DMA32");
    const std::string before = out_of(lab, "events last=1 type=Alloc");
    EXPECT_NE(before.find("zone DMA32"), std::string::npos) << before;
    lab.run("boot arch=i386 ram=1G");
    EXPECT_EQ(out_of(lab, "events last=1 type=Alloc"), before);
}

// Freeing from below the high watermark to above it rises past high (and
// only high): the label says "rose above its high watermark".
TEST(EventsTest, ARisingCrossingIsNamedByTheMarkItRoseAbove) {
    Lab lab;
    // 256 pages with min_free_kbytes 128: min 32, low 40, high 48 pages.
    ASSERT_TRUE(lab.run("boot arch=toy ram=1M; sysctl -w vm.min_free_kbytes=128").back().ok);
    const Zone& zone = lab.machine().nodes()[0].zones[0];
    const uint64_t low = zone.wmark(WMARK_LOW), high = zone.wmark(WMARK_HIGH);
    ASSERT_EQ(zone.wmark(WMARK_MIN), 32u);
    ASSERT_EQ(low, 40u);
    ASSERT_EQ(high, 48u);
    // Take single pages until free is at or below high but above low.
    int taken = 0;
    while (zone.free_pages > high) {
        ASSERT_TRUE(lab.run("alloc_pages as=p" + std::to_string(taken)).back().ok);
        ++taken;
    }
    ASSERT_GT(zone.free_pages, low);
    EXPECT_NE(out_of(lab, "events last=1 type=WatermarkCrossed").find("fell below its high"),
              std::string::npos);
    lab.run("free_pages p0");
    const std::string rose = out_of(lab, "events type=WatermarkCrossed last=1");
    EXPECT_NE(rose.find("rose above its high watermark"), std::string::npos) << rose;
}

TEST(EventsTest, UndoTakesTheUndoneCommandsEventsOutAndSaysSo) {
    Lab lab;
    lab.run("boot arch=toy ram=1M");
    const uint64_t last_before = lab.events().last_seq();
    lab.run("alloc_pages order=3 as=a");
    ASSERT_GT(lab.events().last_seq(), last_before);
    lab.run("undo");
    // What is left: the events up to the boot, then one Undo event.
    ASSERT_GE(lab.events().size(), 1u);
    const Event& undo = lab.events().at(lab.events().size() - 1);
    EXPECT_EQ(undo.type, EventType::Undo);
    EXPECT_EQ(lab.events().at(lab.events().size() - 2).seq, last_before);
    EXPECT_TRUE(out_of(lab, "events type=Alloc").empty());
}

TEST(EventsTest, EventsPrintsTheNewestOldestFirstWithTypedData) {
    Lab lab;
    lab.run("boot arch=toy ram=1M; alloc_pages order=1; alloc_pages order=2");
    const std::vector<CommandResult> r = lab.run("events last=2 type=Alloc");
    ASSERT_TRUE(r[0].ok);
    const auto& events = r[0].data["events"];
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0]["order"], 1);
    EXPECT_EQ(events[1]["order"], 2);
    EXPECT_EQ(events[0]["type"], "Alloc");
    EXPECT_EQ(events[0]["zone"], "Normal");
    EXPECT_LT(events[0]["seq"].get<uint64_t>(), events[1]["seq"].get<uint64_t>());
    // Two lines, each "   SEQ  text".
    EXPECT_EQ(std::count(r[0].out.begin(), r[0].out.end(), '\n'), 2);
    EXPECT_EQ(lab.history().size(), 3u); // read-only: not in the history
    EXPECT_EQ(lab.run("events type=Frob")[0].error.rfind("type=Frob: not an event type (Boot, ", 0),
              0u);
    EXPECT_FALSE(lab.run("events last=0")[0].ok);
    // A boot names no zone, order or pfn.
    const std::vector<CommandResult> boots = lab.run("events type=Boot");
    const auto& boot = boots[0].data["events"];
    ASSERT_FALSE(boot.empty());
    EXPECT_FALSE(boot.back().contains("zone"));
    EXPECT_FALSE(boot.back().contains("pfn"));
    EXPECT_FALSE(boot.back().contains("order"));
    EXPECT_EQ(events[0]["pfn"], 0); // the toy's first block: pfn 0 is a real frame
}
