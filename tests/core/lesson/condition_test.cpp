// The lessons' condition language: syntax, values, and what it reads.
#include "core/lab/lab.h"
#include "core/lesson/condition.h"

#include <gtest/gtest.h>

using namespace mm;

namespace {

int64_t eval(const Lab& lab, const std::string& text) {
    std::string error;
    auto c = Condition::parse(text, &error);
    EXPECT_TRUE(c) << text << ": " << error;
    if (!c) return INT64_MIN;
    auto v = c->evaluate(lab, &error);
    EXPECT_TRUE(v) << text << ": " << error;
    return v ? v->i : INT64_MIN;
}

std::string eval_error(const Lab& lab, const std::string& text) {
    std::string error;
    auto c = Condition::parse(text, &error);
    if (!c) return "parse: " + error;
    auto v = c->evaluate(lab, &error);
    return v ? "" : error;
}

} // namespace

TEST(ConditionTest, ArithmeticComparisonAndLogic) {
    Lab lab;
    EXPECT_EQ(eval(lab, "1 + 2 * 3"), 7);
    EXPECT_EQ(eval(lab, "(1 + 2) * 3 == 9"), 1);
    EXPECT_EQ(eval(lab, "10 / 3 == 3 && 10 % 3 == 1"), 1);
    EXPECT_EQ(eval(lab, "-2 < 1 || 0"), 1);
    EXPECT_EQ(eval(lab, "!(1 > 2)"), 1);
    EXPECT_EQ(eval(lab, "0x10 == 16"), 1);
    EXPECT_EQ(eval(lab, "\"DMA\" != \"DMA32\""), 1);
    EXPECT_EQ(eval(lab, "true && !false"), 1);
}

TEST(ConditionTest, ReadsFreeListsZonesAndWatermarks) {
    Lab lab;
    lab.run("boot arch=toy ram=64K; alloc_pages as=a");
    EXPECT_EQ(eval(lab, "nr_free(order=3)"), 1);
    EXPECT_EQ(eval(lab, "nr_free(3, zone=Normal)"), 1);
    EXPECT_EQ(eval(lab, "nr_free(order=4)"), 0);
    EXPECT_EQ(eval(lab, "free(zone=Normal)"), 15);
    EXPECT_EQ(eval(lab, "managed() == 16 && spanned() == 16 && present() == 16"), 1);
    EXPECT_EQ(eval(lab, "min(zone=Normal) + low(zone=Normal) + high(zone=Normal)"), 0);
    EXPECT_EQ(eval(lab, "allocated(\"a\") && order_of(\"a\") == 0 && pfn_of(\"a\") == 0"), 1);
    EXPECT_EQ(eval(lab, "zone_of(\"a\") == \"Normal\" && node_of(\"a\") == 0"), 1);
    EXPECT_EQ(eval(lab, "allocated(\"b\")"), 0);
    EXPECT_EQ(eval(lab, "blocks() == 1 && blocks(order=0) == 1 && blocks(order=1) == 0"), 1);
    EXPECT_EQ(eval(lab, "state(0) == \"allocated\" && state(1) == \"free\""), 1);
    EXPECT_EQ(eval(lab, "arch == \"toy\" && nodes == 1 && ram == 65536"), 1);
    EXPECT_EQ(eval(lab, "unusable(order=4, zone=Normal)"), 1000);
    EXPECT_EQ(eval(lab, "unusable(order=3)"), 466); // (15 - 8) * 1000 / 15
}

// The per-CPU lists and kswapd, on numbers from the kernel's formulas: a
// 4 GiB x86_64 machine's Normal zone manages 245760 pages and has the low
// watermark 729 (min_free_kbytes 8110: 2027 pages, Normal's share 484, gap
// max(484 / 4, 245760 * 10 / 10000) = 245). zone_batchsize():
// min(245760 >> 10, 256) / 4 = 60, rounddown_pow_of_two(60 + 30) - 1 = 63;
// high_min = 729 / 2 CPUs = 364. The first order-0 allocation refills CPU 0's
// empty list with nr_pcp_alloc() = min(63, max(364 + 63 - 0 - 63, 63)) = 63
// pages and takes one; a free from CPU 1 goes to CPU 1's list.
TEST(ConditionTest, ReadsPerCpuListsAndKswapd) {
    Lab lab;
    lab.run("boot ram=4G; alloc_pages as=a");
    EXPECT_EQ(eval(lab, "pcp_count(cpu=0, zone=Normal)"), 62);
    EXPECT_EQ(eval(lab, "pcp_count(cpu=1) + pcp_count(zone=DMA32)"), 0);
    EXPECT_EQ(eval(lab, "free(zone=Normal) == 245760 - 63"), 1);
    EXPECT_EQ(eval(lab, "state(0x100001) == \"pcp\" && state(0x100000) == \"allocated\""), 1);
    lab.run("free_pages a cpu=1");
    EXPECT_EQ(eval(lab, "pcp_count(cpu=1, zone=Normal) == 1 && pcp_count() == 63"), 1);
    EXPECT_EQ(eval(lab, "state(0x100000) == \"pcp\""), 1);
    EXPECT_EQ(eval_error(lab, "pcp_count(cpu=2)"), "pcp_count: no CPU 2 on this machine");
    EXPECT_EQ(eval(lab, "kswapd() == \"asleep\" && kswapd(node=0) == \"asleep\""), 1);
    // The toy machine's watermarks are 0: once its 16 frames are taken, the
    // next request fails the fast path and the slow path wakes kswapd (the
    // node is not balanced: 0 free pages are not above high 0).
    lab.run("boot arch=toy ram=64K; alloc_pages order=4; alloc_pages");
    EXPECT_EQ(eval(lab, "kswapd() == \"running\""), 1);
}

TEST(ConditionTest, ReadsProcFilesAndSysctls) {
    Lab lab;
    EXPECT_EQ(eval(lab, "meminfo(\"MemTotal\")"), 1014784);
    EXPECT_EQ(eval(lab, "sysctl(\"vm.min_free_kbytes\")"), 4029);
    EXPECT_EQ(eval(lab, "sysctl(\"vm.lowmem_reserve_ratio\")"), 256);
    EXPECT_EQ(eval(lab, "file(\"/proc/zoneinfo\", \"spanned\")"), 4095); // the first zone: DMA
    EXPECT_EQ(eval(lab, "reserve(zone=DMA, for=DMA32)"), 249856 / 256);
    lab.run("alloc_pages order=2");
    EXPECT_EQ(eval(lab, "vmstat(\"pgalloc_dma32\")"), 4);
}

// "Make an order-4 request fail while more than half of ZONE_NORMAL is free":
// the failure changes nothing, but its outcome is there to check.
TEST(ConditionTest, ReadsTheOutcomeOfTheLatestCommand) {
    Lab lab;
    lab.run("boot arch=toy ram=64K; alloc_pages order=0");
    const char* check = "last.failed && last.cmd == \"alloc_pages\" && last.order == 4 && "
                        "free(zone=Normal) * 2 > managed(zone=Normal)";
    EXPECT_EQ(eval(lab, check), 0);
    lab.run("alloc_pages order=4");
    EXPECT_EQ(eval(lab, check), 1);
    lab.run("alloc_pages order=1");
    EXPECT_EQ(eval(lab, "last.ok && last.from_order == 1 && last.pfn == 2"), 1);
    lab.run("free_pages pfn=2 order=1");
    EXPECT_EQ(eval(lab, "last.merged_order"), 1);
    EXPECT_EQ(eval(lab, "last.text == \"free_pages pfn=2 order=1\""), 1);
}

TEST(ConditionTest, SyntaxErrorsSayWhere) {
    std::string error;
    EXPECT_FALSE(Condition::parse("nr_free(order=3", &error));
    EXPECT_EQ(error, "col 16: expected ')' or ','");
    EXPECT_FALSE(Condition::parse("1 +", &error));
    EXPECT_EQ(error, "col 4: unexpected end");
    EXPECT_FALSE(Condition::parse("\"open", &error));
    EXPECT_EQ(error, "col 1: unterminated string");
    EXPECT_FALSE(Condition::parse("1 $ 2", &error));
    EXPECT_FALSE(Condition::parse("1 2", &error));
    EXPECT_EQ(error, "col 3: unexpected '2'");
}

TEST(ConditionTest, EvaluationErrorsAreOneLine) {
    Lab lab;
    EXPECT_EQ(eval_error(lab, "free(zone=HighMem)"), "free: no zone 'HighMem' on this machine");
    EXPECT_EQ(eval_error(lab, "nr_free()"), "nr_free: needs order=N");
    EXPECT_EQ(eval_error(lab, "order_of(\"x\")"), "order_of: no allocated block is named 'x'");
    EXPECT_EQ(eval_error(lab, "frobnicate()"), "unknown function 'frobnicate'");
    EXPECT_EQ(eval_error(lab, "colour"), "unknown name 'colour'");
    EXPECT_EQ(eval_error(lab, "1 / 0"), "division by zero");
    EXPECT_EQ(eval_error(lab, "meminfo(\"Nope\")"),
              "meminfo: /proc/meminfo has no value for 'Nope:'");
    EXPECT_EQ(eval_error(lab, "last.pfn"), "the latest command has no 'pfn'");
    std::string error;
    EXPECT_FALSE(Condition::parse("free(zone=HighMem)", &error)->holds(lab));
}

// Every function's arguments go through one checker: an order past
// MAX_PAGE_ORDER is an error, never read as another order.
TEST(ConditionTest, OutOfRangeArgumentsAreErrorsInEveryFunction) {
    Lab lab;
    EXPECT_EQ(eval_error(lab, "nr_free(order=11)"), "nr_free: order=11: must be 0 to 10");
    EXPECT_EQ(eval_error(lab, "nr_free(11)"), "nr_free: order=11: must be 0 to 10");
    EXPECT_EQ(eval_error(lab, "nr_free(order=2, node=5)"), "nr_free: no node 5 on this machine");
    EXPECT_EQ(eval_error(lab, "nr_free(order=2, colour=1)"),
              "nr_free: no argument 'colour' (it takes order, zone, node)");
    EXPECT_EQ(eval_error(lab, "nr_free(order=\"x\")"), "nr_free: order=x: must be a number");
}
