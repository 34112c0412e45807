// The lab's cheap copies: checkpoint/restore takes a copy of the machine
// back, undo starts from the latest snapshot before its target; both must
// give the machine that replaying the history from boot gives.
#include "core/lab/lab.h"

#include <gtest/gtest.h>

#include <string>

using namespace mm;

namespace {

std::string command(int i) {
    // Allocations of mixed orders, every third freeing an earlier one.
    if (i % 3 == 2) return "free_pages b" + std::to_string(i - 2);
    return "alloc_pages order=" + std::to_string(i % 5) + " as=b" + std::to_string(i);
}

} // namespace

TEST(SnapshotTest, UndoFromASnapshotEqualsReplay) {
    Lab lab;
    lab.run("boot ram=2G");
    for (int i = 0; i < 100; ++i)
        ASSERT_TRUE(lab.run(command(i)).back().ok) << command(i);
    for (int u = 0; u < 40; ++u) {
        ASSERT_TRUE(lab.run("undo").back().ok);
        Lab fresh;
        fresh.run("boot ram=2G");
        for (int i = 0; i < 100 - u - 1; ++i)
            fresh.run(command(i));
        ASSERT_EQ(lab.machine().digest(), fresh.machine().digest()) << "after undo " << u + 1;
        ASSERT_EQ(lab.history().size(), fresh.history().size());
    }
    // New commands after the undos, then undo again across them.
    for (int i = 0; i < 40; ++i)
        lab.run("alloc_pages order=1 as=n" + std::to_string(i));
    lab.run("undo");
    Lab fresh;
    fresh.run("boot ram=2G");
    for (int i = 0; i < 60; ++i)
        fresh.run(command(i));
    for (int i = 0; i < 39; ++i)
        fresh.run("alloc_pages order=1 as=n" + std::to_string(i));
    EXPECT_EQ(lab.machine().digest(), fresh.machine().digest());
}

TEST(SnapshotTest, RestoreTakesTheCopyBack) {
    Lab lab;
    lab.run("boot ram=1G; alloc_pages order=3 as=x");
    const uint64_t before = lab.machine().digest();
    const Lab::Checkpoint cp = lab.checkpoint();
    for (int i = 0; i < 70; ++i)
        lab.run("alloc_pages order=2");
    lab.run("boot ram=4G; alloc_pages order=5");
    EXPECT_NE(lab.machine().digest(), before);
    lab.restore(cp);
    EXPECT_EQ(lab.machine().digest(), before);
    EXPECT_EQ(lab.history().size(), 2u);
    // The restored machine logs into the lab again, and undo still works.
    const uint64_t seq = lab.events().last_seq();
    lab.run("alloc_pages order=1");
    EXPECT_GT(lab.events().last_seq(), seq);
    lab.run("undo; undo");
    Lab fresh;
    fresh.run("boot ram=1G");
    EXPECT_EQ(lab.machine().digest(), fresh.machine().digest());
}
