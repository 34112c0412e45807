// Saved state: the history with a format version and the simulation's
// level; loading runs it on the live lab and checks each recorded outcome.
#include "core/base/text.h"
#include "core/console/registry.h"
#include "core/fs/fs.h"
#include "core/lab/state.h"

#include <gtest/gtest.h>

using namespace mm;

TEST(StateTest, SaveThenLoadGivesTheSameMachine) {
    Lab a;
    a.run("boot ram=2G nodes=2; alloc_pages order=3 node=1 as=x; sysctl -w "
          "vm.watermark_scale_factor=100");
    std::string saved = save_state(a);
    EXPECT_EQ(saved, "mmlab-state 2 level=2\nboot ram=2G nodes=2\nalloc_pages order=3 node=1 as=x\n"
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
    ASSERT_FALSE(load_state(b, "mmlab-state 2 level=2\nalloc_pages order=2 as=z\n"));
    EXPECT_EQ(b.machine().digest(), a.machine().digest());
}

// Undoing the only boot leaves the default machine with nothing in its
// history; its saved state names the boot, so it loads and saves the same.
TEST(StateTest, TheDefaultMachineSavesWithAPlainBoot) {
    Lab a;
    a.run("boot arch=toy ram=256K; alloc_pages order=3; undo; undo");
    EXPECT_EQ(a.history_text(), "");
    const std::string saved = save_state(a);
    EXPECT_EQ(saved, "mmlab-state 2 level=2\nboot\n");
    Lab b;
    ASSERT_FALSE(load_state(b, saved));
    EXPECT_EQ(save_state(b), saved);
    EXPECT_EQ(b.machine().digest(), a.machine().digest());
    Lab c;
    c.run("alloc_pages order=1 as=q");
    EXPECT_EQ(save_state(c), "mmlab-state 2 level=2\nboot\nalloc_pages order=1 as=q\n");
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
              "this state was saved by a newer mmlab (simulation level 9; this one is level 2)");
    EXPECT_EQ(
        load_state(lab, "mmlab-state 2 level=2\nboot arch=toy\nalloc_pages order=9\n").value_or(""),
        "command 2 of the state ('alloc_pages order=9') was recorded as succeeding but now fails "
        "part way: page allocation failure: order:9, "
        "mode:0xcc0(GFP_KERNEL): Node 0 Normal: free 16 - 511 (2^9 - 1) = -495 <= min 0 + reserve "
        "0");
    EXPECT_EQ(lab.history_text(), before);
    EXPECT_EQ(lab.machine().digest(), digest);
}

TEST(StateTest, ARecordedFailureThatNoLongerHappensIsNamed) {
    Lab lab;
    EXPECT_EQ(load_state(lab, "mmlab-state 2 level=2\nboot arch=toy\n"
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

namespace {

// A write command that does part of its work and then fails, as offlining
// interrupted after migrating some pages will: it takes one frame and stops.
void partial_alloc(Machine& m, const CommandLine&, CommandResult& r) {
    const AllocResult a = m.alloc_pages(AllocRequest{});
    r.ok = false;
    r.kept = a.ok;
    r.error = a.ok ? "stopped after taking pfn " + hex(a.pfn) : "took nothing";
}

void register_partial_alloc() {
    static const bool once = [] {
        register_command(CommandText{"test_partial", "test_partial", "takes a frame, then fails",
                                     "a test's partial failure"},
                         WriteHandler(partial_alloc));
        return true;
    }();
    (void)once;
}

} // namespace

// A command that fails after changing the machine stays in the history with
// its outcome; the saved state carries it, loading expects it again, and
// undo takes it back like any other command.
TEST(StateTest, APartialFailureIsKeptWithItsOutcomeAndReplays) {
    register_partial_alloc();
    Lab a;
    a.run("boot arch=toy; alloc_pages order=1 as=x");
    Lab before;
    before.run("boot arch=toy; alloc_pages order=1 as=x");
    const std::vector<CommandResult> r = a.run("test_partial");
    ASSERT_EQ(r.size(), 1u);
    EXPECT_FALSE(r[0].ok);
    EXPECT_TRUE(r[0].changed);
    // x took pfns 0-1 of the 16-frame toy; the next order-0 block is pfn 2.
    EXPECT_EQ(a.history_text(), "boot arch=toy\nalloc_pages order=1 as=x\n"
                                "test_partial  # failed: stopped after taking pfn 0x2\n");
    EXPECT_NE(a.machine().digest(), before.machine().digest());

    const std::string saved = save_state(a);
    Lab b;
    ASSERT_FALSE(load_state(b, saved));
    EXPECT_EQ(save_state(b), saved);
    EXPECT_EQ(b.machine().digest(), a.machine().digest());

    // Recorded with another outcome, it no longer replays and says why.
    Lab c;
    EXPECT_EQ(load_state(c, "mmlab-state 2 level=2\nboot arch=toy\ntest_partial\n").value_or(""),
              "command 2 of the state ('test_partial') was recorded as succeeding but now fails "
              "part way: stopped after taking pfn 0x0");

    ASSERT_TRUE(a.run("undo").back().ok);
    EXPECT_EQ(a.machine().digest(), before.machine().digest());
}

TEST(StateTest, ReadsUndoAndOldLevelsAreNamed) {
    Lab lab;
    EXPECT_EQ(
        load_state(lab, "mmlab-state 2 level=2\nboot arch=toy\ncat /proc/buddyinfo\n").value_or(""),
        "command 2 of the state ('cat /proc/buddyinfo') changes nothing: a state holds only "
        "the commands that made the machine");
    EXPECT_EQ(
        load_state(lab, "mmlab-state 2 level=2\nboot arch=toy\nalloc_pages\nundo\n").value_or(""),
        "command 3 of the state ('undo') takes back the one before it: a state holds only "
        "the commands that remain");
    EXPECT_EQ(
        load_state(lab, "mmlab-state 1\nboot arch=toy\nalloc_pages order=9\n").value_or(""),
        "command 2 of the state ('alloc_pages order=9') was recorded as succeeding but now fails "
        "part way: page allocation failure: "
        "order:9, mode:0xcc0(GFP_KERNEL): Node 0 Normal: free 16 - 511 (2^9 - 1) = -495 <= min 0 "
        "+ reserve 0 "
        "(saved at simulation level 0; this mmlab is level 2, where the same commands can "
        "make another machine)");
    // A recorded outcome is quoted at most a few dozen characters long.
    const std::string long_error(300, 'e');
    const std::string why =
        load_state(lab, "mmlab-state 2 level=2\nboot arch=toy\nalloc_pages  # failed: " +
                            long_error + "\n")
            .value_or("");
    EXPECT_LT(why.size(), 200u) << why;
}
