// Saved state: the history with a format version; loading replays it.
#include "core/procfs.h"
#include "core/state.h"

#include <gtest/gtest.h>

using namespace mm;

TEST(StateTest, SaveThenLoadGivesTheSameMachine) {
    Lab a;
    a.run("boot ram=2G nodes=2; alloc_pages order=3 node=1 as=x; sysctl -w "
          "vm.watermark_scale_factor=100");
    std::string saved = save_state(a);
    EXPECT_EQ(saved, "mmlab-state 1\nboot ram=2G nodes=2\nalloc_pages order=3 node=1 as=x\n"
                     "sysctl -w vm.watermark_scale_factor=100\n");
    Lab b;
    ASSERT_FALSE(load_state(b, saved));
    EXPECT_EQ(b.history_text(), a.history_text());
    for (const std::string& path : a.file_paths())
        EXPECT_EQ(*read_file(a.machine(), path), *read_file(b.machine(), path)) << path;
}

TEST(StateTest, BadStatesSayWhyAndChangeNothing) {
    Lab lab;
    lab.run("alloc_pages as=keep");
    const std::string before = lab.history_text();
    EXPECT_EQ(load_state(lab, "hello\n").value_or(""),
              "not an mmlab state (it should start with 'mmlab-state 1')");
    EXPECT_EQ(load_state(lab, "mmlab-state x\n").value_or(""),
              "not an mmlab state: bad format version");
    EXPECT_EQ(load_state(lab, "mmlab-state 2\nboot\n").value_or(""),
              "this state was saved by a newer mmlab (format 2; this one reads format 1)");
    EXPECT_EQ(
        load_state(lab, "mmlab-state 1\nboot arch=toy\nalloc_pages order=9\n").value_or(""),
        "command 2 of the state ('alloc_pages order=9') failed: page allocation failure: order:9, "
        "mode:0xcc0(GFP_KERNEL): Node 0 Normal: free -495 <= min 0 + reserve 0");
    EXPECT_EQ(lab.history_text(), before);
}
