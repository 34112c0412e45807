// Saved state: the history with a format version and the simulation's
// level; loading runs it on the live lab and checks each recorded outcome.
#include "core/fs/fs.h"
#include "core/lab/state.h"

#include <gtest/gtest.h>

using namespace mm;

TEST(StateTest, SaveThenLoadGivesTheSameMachine) {
    Lab a;
    a.run("boot ram=2G nodes=2; alloc_pages order=3 node=1 as=x; sysctl -w "
          "vm.watermark_scale_factor=100");
    std::string saved = save_state(a);
    EXPECT_EQ(saved, "mmlab-state 2 level=1\nboot ram=2G nodes=2\nalloc_pages order=3 node=1 as=x\n"
                     "sysctl -w vm.watermark_scale_factor=100\n");
    Lab b;
    b.run("boot arch=toy; alloc_pages order=2");
    ASSERT_FALSE(load_state(b, saved));
    EXPECT_EQ(b.history_text(), a.history_text());
    EXPECT_EQ(b.machine().digest(), a.machine().digest());
    for (const std::string& path : a.file_paths())
        EXPECT_EQ(*read_file(a.machine(), path), *read_file(b.machine(), path)) << path;
}

TEST(StateTest, FormatOneFilesAndWindowsLineEndingsStillLoad) {
    Lab a;
    a.run("boot ram=1G; alloc_pages order=1 as=y");
    Lab b;
    ASSERT_FALSE(
        load_state(b, "\xef\xbb\xbfmmlab-state 1\r\nboot ram=1G\r\nalloc_pages order=1 as=y\r\n"));
    EXPECT_EQ(b.history_text(), a.history_text());
    EXPECT_EQ(b.machine().digest(), a.machine().digest());
}

TEST(StateTest, AHistoryWithoutBootStartsFromTheDefaultMachine) {
    Lab a;
    a.run("alloc_pages order=2 as=z");
    Lab b;
    ASSERT_FALSE(load_state(b, "mmlab-state 2 level=1\nalloc_pages order=2 as=z\n"));
    EXPECT_EQ(b.machine().digest(), a.machine().digest());
}

// Undoing the only boot leaves the default machine with nothing in its
// history; its saved state names the boot, so it loads and saves the same.
TEST(StateTest, TheDefaultMachineSavesWithAPlainBoot) {
    Lab a;
    a.run("boot arch=toy ram=256K; alloc_pages order=3; undo; undo");
    EXPECT_EQ(a.history_text(), "");
    const std::string saved = save_state(a);
    EXPECT_EQ(saved, "mmlab-state 2 level=1\nboot\n");
    Lab b;
    ASSERT_FALSE(load_state(b, saved));
    EXPECT_EQ(save_state(b), saved);
    EXPECT_EQ(b.machine().digest(), a.machine().digest());
    Lab c;
    c.run("alloc_pages order=1 as=q");
    EXPECT_EQ(save_state(c), "mmlab-state 2 level=1\nboot\nalloc_pages order=1 as=q\n");
}

TEST(StateTest, BadStatesSayWhyAndChangeNothing) {
    Lab lab;
    lab.run("alloc_pages as=keep");
    const std::string before = lab.history_text();
    const uint64_t digest = lab.machine().digest();
    EXPECT_EQ(load_state(lab, "hello\n").value_or(""),
              "not an mmlab state (it should start with 'mmlab-state')");
    EXPECT_EQ(load_state(lab, "mmlab-state x\n").value_or(""),
              "not an mmlab state: bad format version");
    EXPECT_EQ(load_state(lab, "mmlab-state 2\nboot\n").value_or(""),
              "not an mmlab state: its header has no level=N");
    EXPECT_EQ(load_state(lab, "mmlab-state 3 level=1\nboot\n").value_or(""),
              "this state was saved by a newer mmlab (format 3; this one reads formats 1 to 2)");
    EXPECT_EQ(load_state(lab, "mmlab-state 2 level=9\nboot\n").value_or(""),
              "this state was saved by a newer mmlab (simulation level 9; this one is level 1)");
    EXPECT_EQ(
        load_state(lab, "mmlab-state 2 level=1\nboot arch=toy\nalloc_pages order=9\n").value_or(""),
        "command 2 of the state ('alloc_pages order=9') failed: page allocation failure: order:9, "
        "mode:0xcc0(GFP_KERNEL): Node 0 Normal: free -495 <= min 0 + reserve 0");
    EXPECT_EQ(lab.history_text(), before);
    EXPECT_EQ(lab.machine().digest(), digest);
}

TEST(StateTest, ARecordedFailureThatNoLongerHappensIsNamed) {
    Lab lab;
    EXPECT_EQ(load_state(lab, "mmlab-state 2 level=1\nboot arch=toy\n"
                              "alloc_pages order=1  # failed: out of memory\n")
                  .value_or(""),
              "command 2 of the state ('alloc_pages order=1') was recorded as failing ('out of "
              "memory') but now succeeds");
}

TEST(StateTest, ReplayingAnyPrefixGivesTheSameDigestAsRunningIt) {
    const char* script[] = {"boot ram=512M nodes=2",
                            "alloc_pages order=4 node=1 as=a",
                            "alloc_pages order=0 gfp=GFP_DMA",
                            "sysctl -w vm.min_free_kbytes=8192",
                            "free_pages a",
                            "echo 200 > /proc/sys/vm/watermark_scale_factor"};
    Lab live;
    for (const char* command : script) {
        ASSERT_TRUE(live.run(command).back().ok) << command;
        Lab replayed;
        ASSERT_FALSE(load_state(replayed, save_state(live))) << command;
        EXPECT_EQ(replayed.machine().digest(), live.machine().digest()) << command;
    }
}
