// The lab's command results: the --json shape, one-line errors, atomic
// failure (every file byte-identical), history and undo.
#include "core/fs/fs.h"
#include "core/lab/lab.h"
#include "core/mm/invariants.h"

#include <gtest/gtest.h>

using namespace mm;

namespace {

// Every file of the machine, concatenated: a failed command must not change it.
std::string snapshot(const Lab& lab) {
    std::string all;
    for (const std::string& path : lab.file_paths())
        all += path + "\n" + *read_file(lab.machine(), path);
    return all + lab.history_text();
}

CommandResult run1(Lab& lab, const std::string& text) {
    auto r = lab.run(text);
    EXPECT_EQ(r.size(), 1u) << text;
    return r.empty() ? CommandResult{} : r[0];
}

} // namespace

TEST(LabTest, ResultJsonHasTheConsoleShape) {
    Lab lab;
    CommandResult r = run1(lab, "alloc_pages order=1 as=buf");
    EXPECT_EQ(to_json_line(r).substr(0, 71),
              "{\"cmd\":\"alloc_pages order=1 as=buf\",\"ok\":true,\"out\":\"pfn 0x2000 order 1");
    nlohmann::ordered_json j = to_json(r);
    EXPECT_TRUE(j["error"].is_null());
    EXPECT_EQ(j["data"]["pfn"], 0x2000);
    EXPECT_EQ(j["data"]["order"], 1);
    EXPECT_EQ(j["data"]["zone"], "DMA32");
    EXPECT_EQ(j["data"]["node"], 0);
    auto it = j.begin();
    EXPECT_EQ(it.key(), "cmd");
    EXPECT_EQ((++it).key(), "ok");
    EXPECT_EQ((++it).key(), "out");
    EXPECT_EQ((++it).key(), "error");
    EXPECT_EQ((++it).key(), "data");
}

TEST(LabTest, FailureHasOneLineErrorAndNoOutput) {
    Lab lab;
    CommandResult r = run1(lab, "alloc_pages order=11");
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.error, "order=11: must be 0 to 10");
    EXPECT_TRUE(r.out.empty());
    EXPECT_EQ(to_json(r)["error"], "order=11: must be 0 to 10");
}

TEST(LabTest, AllocationFailureSaysWhichZonesWereTriedAndWhy) {
    Lab lab;
    lab.run("boot arch=toy ram=64K; alloc_pages order=3");
    CommandResult r = run1(lab, "alloc_pages order=4");
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.error, "page allocation failure: order:4, mode:0xcc0(GFP_KERNEL): "
                       "Node 0 Normal: free 8 - 15 (2^4 - 1) = -7 <= min 0 + reserve 0");
    EXPECT_EQ(r.data["attempts"].size(), 2u);
    // 64K is 16 frames; the order-3 block took 8, so 8 are free, and
    // __zone_watermark_ok() takes 2^4 - 1 = 15 off them for an order-4 request.
    EXPECT_EQ(r.data["attempts"][0]["free"], 8);
    EXPECT_EQ(r.data["attempts"][0]["order_share"], 15);
    EXPECT_EQ(r.data["attempts"][0]["watermark"], "low");
    // The kernel's warning is in the event log; with __GFP_NOWARN it is not.
    const Event& last = lab.events().at(lab.events().size() - 1);
    EXPECT_EQ(last.type, EventType::AllocFail);
    EXPECT_EQ(describe(last),
              "mmlab: page allocation failure: order:4, mode:0xcc0(GFP_KERNEL), nodemask=(null)");
    uint64_t seq = lab.events().last_seq();
    run1(lab, "alloc_pages order=4 gfp=GFP_KERNEL|__GFP_NOWARN");
    for (size_t i = 0; i < lab.events().size(); ++i)
        if (lab.events().at(i).seq > seq) {
            EXPECT_NE(lab.events().at(i).type, EventType::AllocFail);
        }
}

// Bad input: one clear line, and every file stays byte-identical.
TEST(LabTest, BadInputChangesNothing) {
    Lab lab;
    lab.run("alloc_pages order=2 as=a; alloc_pages as=b");
    const std::string before = snapshot(lab);
    const char* bad[] = {
        "frobnicate",
        "alloc_pages colour=blue",
        "alloc_pages order=1 order=2",
        "alloc_pages order=11",
        "alloc_pages order=-1",
        "alloc_pages order=\xd9\xa3",
        "alloc_pages gfp=GFP_BOGUS",
        "alloc_pages node=1",
        "alloc_pages as=a",
        "alloc_pages as=9lives",
        "free_pages nobody",
        "free_pages pfn=0x5000",
        "free_pages pfn=0x2000 order=1",
        "free_pages pfn=0x2001 order=0",
        "free_pages pfn=0x10",
        "free_pages a pfn=1",
        "free_pages",
        "boot ram=12M",
        "boot ram=1G nodes=9",
        "boot arch=arm64",
        "boot arch=i386 nodes=2",
        "boot ram=lots",
        "boot ram=1G ram=2G",
        "free_list zone=HighMem",
        "free_list zone=Nowhere",
        "echo garbage > /proc/sys/vm/min_free_kbytes",
        "echo -5 > /proc/sys/vm/min_free_kbytes",
        "echo 0 > /proc/sys/vm/watermark_scale_factor",
        "echo 3001 > /proc/sys/vm/watermark_scale_factor",
        "echo \"1 2 3 4 5 6\" > /proc/sys/vm/lowmem_reserve_ratio",
        "echo 1 > /proc/buddyinfo",
        "echo 1 > /proc/nothing",
        "echo 1 >",
        "sysctl -w vm.min_free_kbytes=abc",
        "sysctl vm.nothing",
        "sysctl -w vm.min_free_kbytes",
        "cat /proc/nothing",
        "cat /proc",
        "cat",
        "ls /nowhere",
        "echo \"unterminated",
        "help nothing",
        "history now",
        "undo twice",
    };
    for (const char* text : bad) {
        CommandResult r = run1(lab, text);
        EXPECT_FALSE(r.ok) << text;
        EXPECT_FALSE(r.error.empty()) << text;
        EXPECT_EQ(r.error.find('\n'), std::string::npos) << text;
        EXPECT_EQ(snapshot(lab), before) << text;
        EXPECT_FALSE(mm::check_invariants(lab.machine())) << text;
    }
}

// An error line quotes bad input at most a few dozen characters long,
// whichever command and argument it came in.
TEST(LabTest, ErrorsQuoteLongInputShort) {
    Lab lab;
    const std::string x(300, 'q');
    const std::string name(64, 'q'); // the longest a name may be
    ASSERT_TRUE(run1(lab, "alloc_pages as=" + name).ok);
    const std::string bad[] = {
        x,
        "alloc_pages order=" + std::string(300, '9'),
        "alloc_pages gfp=" + x,
        "alloc_pages as=" + name,
        "alloc_pages as=" + x,
        "alloc_pages " + x + "=1",
        "free_pages " + x + "z",
        "free_list zone=" + x,
        "cat /proc/" + x,
        "ls /proc/" + x,
        "sysctl vm." + x,
        "sysctl -w vm.min_free_kbytes=" + x,
        "echo " + x + " > /proc/sys/vm/min_free_kbytes",
        "boot ram=" + x,
        "boot arch=" + x,
        "help " + x,
        "events type=" + x,
        "history " + x,
    };
    for (const std::string& text : bad) {
        const CommandResult r = run1(lab, text);
        EXPECT_FALSE(r.ok) << text;
        EXPECT_EQ(r.error.find(std::string(49, 'q')), std::string::npos) << r.error;
        EXPECT_EQ(r.error.find(std::string(49, '9')), std::string::npos) << r.error;
    }
}

TEST(LabTest, HistoryHoldsOnlySuccessfulChanges) {
    Lab lab;
    lab.run("alloc_pages as=a; cat /proc/buddyinfo; alloc_pages order=11; free_list; "
            "echo 2048 > /proc/sys/vm/min_free_kbytes; sysctl vm.min_free_kbytes; free_pages a");
    EXPECT_EQ(lab.history_text(),
              "alloc_pages as=a\necho 2048 > /proc/sys/vm/min_free_kbytes\nfree_pages a\n");
    lab.run("boot arch=toy; alloc_pages");
    EXPECT_EQ(lab.history_text(), "boot arch=toy\nalloc_pages\n");
}

TEST(LabTest, UndoRestoresTheStateBeforeTheLastCommand) {
    Lab lab;
    lab.run("alloc_pages order=3 as=a");
    const std::string one = snapshot(lab);
    lab.run("alloc_pages as=b; sysctl -w vm.watermark_scale_factor=200");
    EXPECT_TRUE(run1(lab, "undo").ok);
    EXPECT_TRUE(run1(lab, "undo").ok);
    EXPECT_EQ(snapshot(lab), one);
    EXPECT_TRUE(run1(lab, "undo").ok);
    EXPECT_EQ(lab.history_text(), "");
    CommandResult r = run1(lab, "undo");
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.error, "nothing to undo");
}

TEST(LabTest, UndoOfABootBringsBackTheMachineBeforeIt) {
    Lab lab;
    lab.run("alloc_pages order=5 as=x");
    const std::string before = snapshot(lab);
    lab.run("boot arch=toy ram=128K; alloc_pages");
    lab.run("undo");
    EXPECT_EQ(lab.history_text(), "boot arch=toy ram=128K\n");
    lab.run("undo");
    EXPECT_EQ(snapshot(lab), before);
    EXPECT_EQ(lab.machine().arch(), Arch::x86_64);
}

TEST(LabTest, ReplayingTheHistoryGivesTheSameMachine) {
    Lab a;
    a.run("boot ram=2G nodes=2; alloc_pages order=4 node=1 as=x; alloc_pages gfp=GFP_DMA;"
          "echo \"128 128 16\" > /proc/sys/vm/lowmem_reserve_ratio; free_pages x");
    Lab b;
    b.run(a.history_text());
    EXPECT_EQ(snapshot(a), snapshot(b));
}

TEST(LabTest, HelpExplainsEveryCommand) {
    Lab lab;
    CommandResult all = run1(lab, "help");
    for (const std::string& name : Lab::command_names()) {
        EXPECT_NE(all.out.find(name), std::string::npos) << name;
        CommandResult one = run1(lab, "help " + name);
        EXPECT_TRUE(one.ok) << name;
        EXPECT_EQ(one.out.rfind("usage: " + name, 0), 0u) << name;
    }
    EXPECT_NE(run1(lab, "help cat").out.find("one migratetype holds everything"),
              std::string::npos);
}

TEST(LabTest, SysctlAndEchoWriteTheSameFiles) {
    Lab lab;
    EXPECT_EQ(run1(lab, "sysctl -w vm.min_free_kbytes=4096").out, "vm.min_free_kbytes = 4096\n");
    EXPECT_EQ(run1(lab, "sysctl vm.lowmem_reserve_ratio").out,
              "vm.lowmem_reserve_ratio = 256\t256\t32\t0\t0\n");
    EXPECT_TRUE(run1(lab, "echo 20 > /proc/sys/vm/watermark_scale_factor").ok);
    EXPECT_EQ(run1(lab, "cat /proc/sys/vm/watermark_scale_factor").out, "20\n");
    // The shell's message, then the range min_free_kbytes_sysctl_handler()
    // and watermark_scale_factor_sysctl_handler() allow (proc_dointvec_minmax).
    const CommandResult refused = run1(lab, "sysctl -w vm.min_free_kbytes=-1");
    EXPECT_EQ(refused.error, "sysctl: setting key \"vm.min_free_kbytes\": Invalid argument "
                             "(vm.min_free_kbytes takes a number of kB from 0 to 2147483647)");
    EXPECT_EQ(refused.data["value"], "-1");
    EXPECT_EQ(run1(lab, "sysctl -w vm.watermark_scale_factor=3001").error,
              "sysctl: setting key \"vm.watermark_scale_factor\": Invalid argument "
              "(vm.watermark_scale_factor takes an integer from 1 to 3000)");
    EXPECT_EQ(run1(lab, "echo 1 > /proc/buddyinfo").error, "/proc/buddyinfo: Permission denied");
    EXPECT_EQ(run1(lab, "echo x > /proc/sys/vm/min_free_kbytes").error,
              "echo: write error: Invalid argument "
              "(vm.min_free_kbytes takes a number of kB from 0 to 2147483647)");
    EXPECT_EQ(run1(lab, "sysctl -a").out,
              "vm.lowmem_reserve_ratio = 256\t256\t32\t0\t0\nvm.min_free_kbytes = 4096\n"
              "vm.percpu_pagelist_high_fraction = 0\nvm.watermark_scale_factor = 20\n");
    // percpu_pagelist_high_fraction_sysctl_handler(): 0 or at least 8.
    EXPECT_EQ(run1(lab, "sysctl -w vm.percpu_pagelist_high_fraction=7").error,
              "sysctl: setting key \"vm.percpu_pagelist_high_fraction\": Invalid argument "
              "(vm.percpu_pagelist_high_fraction takes 0 (each CPU's high from the low "
              "watermark, auto-tuned up to an eighth of the zone) or at least 8 (high fixed at "
              "managed / N split across the node's CPUs))");
    EXPECT_TRUE(run1(lab, "sysctl -w vm.percpu_pagelist_high_fraction=8").ok);
}

TEST(LabTest, FreeListShowsAtMostSixteenPfnsALine) {
    Lab lab;
    CommandResult r = run1(lab, "free_list zone=DMA32 order=10");
    EXPECT_EQ(r.out.substr(0, 40), "Node 0, zone DMA32, order 10: 0x2000 0x2");
    EXPECT_NE(r.out.find(" ... (+228 more)\n"), std::string::npos);
    EXPECT_EQ(r.data["lists"][0]["pfns"].size(), 244u);
}

// What a command would do is tried on the lab itself and taken back: a
// restore brings back the machine, the history, the latest result and the
// event log exactly, with no second machine held meanwhile.
TEST(LabTest, RestoreTakesBackEverythingSinceTheCheckpoint) {
    Lab lab;
    lab.run("boot arch=toy ram=64K; alloc_pages order=1 as=a");
    const std::string before = snapshot(lab);
    const uint64_t seq = lab.events().last_seq();
    const Lab::Checkpoint cp = lab.checkpoint();
    auto r = lab.run("free_pages a; alloc_pages order=3; boot arch=toy ram=128K");
    ASSERT_TRUE(r[1].ok);
    EXPECT_NE(snapshot(lab), before);
    lab.restore(cp);
    EXPECT_EQ(snapshot(lab), before);
    EXPECT_EQ(lab.last()->cmd, "alloc_pages order=1 as=a");
    EXPECT_EQ(lab.events().last_seq(), seq);
    EXPECT_EQ(lab.history_text(), "boot arch=toy ram=64K\nalloc_pages order=1 as=a\n");
    // undo still reaches the machine before the boot of the checkpoint's history.
    ASSERT_TRUE(lab.run("undo; undo")[1].ok);
    EXPECT_EQ(lab.machine().params().arch, Arch::x86_64);
    EXPECT_FALSE(mm::check_invariants(lab.machine()));
}

// What a submission replays: the history before the latest command, whether
// it added an entry, changed nothing, failed, or replaced the history.
TEST(LabTest, HistoryBeforeLastIsTheMachineTheLatestCommandRanOn) {
    Lab lab;
    EXPECT_TRUE(lab.history_before_last().empty());
    lab.run("boot arch=toy ram=64K");
    EXPECT_TRUE(lab.history_before_last().empty()) << "the default machine's history";
    const std::vector<HistoryEntry> booted = lab.history();
    lab.run("alloc_pages as=a");
    EXPECT_EQ(lab.history_before_last(), booted);
    const std::vector<HistoryEntry> allocated = lab.history();
    lab.run("cat /proc/buddyinfo");
    EXPECT_EQ(lab.history_before_last(), allocated) << "a read changes nothing";
    lab.run("alloc_pages order=11");
    EXPECT_FALSE(lab.last()->ok);
    EXPECT_EQ(lab.history_before_last(), allocated) << "a refused command changes nothing";
    lab.run("undo");
    EXPECT_EQ(lab.history_before_last(), allocated) << "undo took the allocation back";
    EXPECT_EQ(lab.history(), booted);
    const Lab::Checkpoint cp = lab.checkpoint();
    lab.run("boot arch=i386 ram=64M");
    EXPECT_EQ(lab.history_before_last(), booted);
    lab.restore(cp);
    EXPECT_EQ(lab.history_before_last(), allocated) << "kept by a checkpoint";
}

// Refusals say what was typed and what is allowed.
TEST(LabTest, RefusalsQuoteTheInputAndTheAllowedValues) {
    Lab lab;
    EXPECT_EQ(run1(lab, "boot ram=8M").error, "ram=8M: must be 16M to 64G on x86_64");
    EXPECT_EQ(run1(lab, "boot arch=i386 ram=8192K").error, "ram=8192K: must be 16M to 4G on i386");
    EXPECT_EQ(run1(lab, "alloc_pages gfp=GFP_KERNEL | __GFP_NOWARN").error,
              "unexpected argument '|' (a '|' between flags takes no spaces: "
              "gfp=GFP_KERNEL|__GFP_NOWARN)");
    EXPECT_EQ(run1(lab, "alloc_pages gfp=GFP_KERNEL| __GFP_NOWARN").error,
              "unexpected argument '__GFP_NOWARN' (a '|' between flags takes no spaces: "
              "gfp=GFP_KERNEL|__GFP_NOWARN)");
    EXPECT_EQ(run1(lab, "alloc_pages order=1 2").error, "unexpected argument '2'");
    EXPECT_TRUE(lab.history().empty());
}
