// The clock, kswapd and the allocation slow path: the expected values come
// from the kernel's rules (mm/vmscan.c wakeup_kswapd(), kswapd(),
// kswapd_try_to_sleep(), balance_pgdat(); mm/page_alloc.c
// __alloc_pages_slowpath(); mm/vmstat.c vmstat_update every HZ), worked
// out by hand in each test.
#include "test_peer.h"

#include "core/lab/lab.h"
#include "core/mm/invariants.h"
#include "core/mm/machine.h"

#include <gtest/gtest.h>

using namespace mm;

namespace {

CommandResult run1(Lab& lab, const std::string& cmd) {
    auto results = lab.run(cmd);
    EXPECT_EQ(results.size(), 1u) << cmd;
    return results.back();
}

// Allocates order-0 GFP_KERNEL blocks until one needs the slow path (no
// zone passed its low watermark); returns how many took the fast path.
uint64_t allocate_until_slowpath(Machine& m, gfp_t gfp = GFP_KERNEL) {
    for (uint64_t n = 0;; ++n) {
        AllocRequest req;
        req.gfp = gfp;
        const AllocResult r = m.alloc_pages(req);
        if (!r.slowpath.empty()) return n;
    }
}

std::vector<std::string> stage_names(const AllocResult& r) {
    std::vector<std::string> names;
    for (const SlowPathStep& s : r.slowpath)
        names.push_back(std::string(slow_stage_name(s.stage)) + ":" + stage_result_name(s.result));
    return names;
}

// Frees every live allocation.
void free_all(Machine& m) {
    for (size_t i = 0; i < m.allocations().size(); ++i) {
        const Allocation a = m.allocations()[i];
        if (a.live) {
            ASSERT_FALSE(m.free_pages(a.pfn, a.order));
        }
    }
}

// The zone's free pages against a mark, as __zone_watermark_ok() compares
// them for order 0 without allowances: free > mark + lowmem_reserve[hz].
bool above(const Zone& z, Wmark w, unsigned highest_zoneidx) {
    return static_cast<int64_t>(z.free_pages) >
           static_cast<int64_t>(z.watermark[w] + z.watermark_boost) +
               z.lowmem_reserve[highest_zoneidx];
}

// Takes memory through the console in large blocks, with a mask that does
// not wake kswapd (GFP_KERNEL without __GFP_KSWAPD_RECLAIM, with
// __GFP_NOWARN), until no zone passes its min watermark for an order-0 block.
void drain(Lab& lab) {
    for (int order = MAX_PAGE_ORDER; order >= 0; --order)
        while (run1(lab, "alloc_pages gfp=0x24c0 order=" + std::to_string(order)).ok) {
        }
}

BootParams small_x86() {
    BootParams p; // x86_64: DMA, DMA32 (all 64M of it), Normal empty
    p.ram = uint64_t{64} << 20;
    return p;
}

} // namespace

// ---- The clock ------------------------------------------------------------------

TEST(ClockTest, TickAdvancesTheClockAndIsInTheHistory) {
    Lab lab;
    EXPECT_EQ(lab.machine().now_ms(), 0u);
    EXPECT_TRUE(run1(lab, "tick").ok);
    EXPECT_EQ(lab.machine().now_ms(), 1000u); // tick alone is 1s
    EXPECT_TRUE(run1(lab, "tick 500ms").ok);
    EXPECT_EQ(lab.machine().now_ms(), 1500u);
    EXPECT_TRUE(run1(lab, "tick 250").ok); // bare number: milliseconds
    EXPECT_EQ(lab.machine().now_ms(), 1750u);
    const CommandResult r = run1(lab, "tick 10s");
    EXPECT_EQ(lab.machine().now_ms(), 11750u);
    EXPECT_EQ(r.data["now_ms"], 11750u);
    // vmstat_update runs at each whole second: 2000, 3000, ..., 11000.
    EXPECT_EQ(r.data["vmstat_updates"], 10u);
    EXPECT_EQ(lab.history().size(), 4u);
    EXPECT_TRUE(run1(lab, "undo").ok);
    EXPECT_EQ(lab.machine().now_ms(), 1750u);
}

TEST(ClockTest, BadDurationsAreRefusedAndChangeNothing) {
    Lab lab;
    for (const char* cmd : {"tick 1.5s", "tick -1", "tick 3601s", "tick 5m", "tick s", "tick 0x10",
                            "tick 1 2", "tick ms"}) {
        const CommandResult r = run1(lab, cmd);
        EXPECT_FALSE(r.ok) << cmd;
        EXPECT_EQ(r.error.find('\n'), std::string::npos) << cmd;
    }
    EXPECT_EQ(lab.machine().now_ms(), 0u);
    EXPECT_TRUE(lab.history().empty());
    EXPECT_TRUE(run1(lab, "tick 3600s").ok); // the longest tick
    EXPECT_EQ(lab.machine().now_ms(), 3600000u);
}

TEST(ClockTest, TimersListsWhatRunsNextInOrder) {
    Lab lab;
    const CommandResult r = run1(lab, "timers");
    ASSERT_TRUE(r.ok) << r.error;
    ASSERT_EQ(r.data["timers"].size(), 1u);
    EXPECT_EQ(r.data["timers"][0]["timer"], "vmstat_update");
    EXPECT_EQ(r.data["timers"][0]["due_ms"], 1000u);
    EXPECT_TRUE(lab.history().empty()); // read-only
}

TEST(ClockTest, TimerQueueRunsByDueTimeThenArmingOrder) {
    TimerQueue q;
    q.arm(200, TimerKind::Kswapd, 1);
    q.arm(100, TimerKind::Kswapd, 2);
    q.arm(200, TimerKind::Kswapd, 0);
    q.arm(100, TimerKind::VmstatUpdate);
    std::vector<std::pair<uint64_t, std::string>> order;
    while (q.next()) {
        const Timer t = q.pop();
        order.emplace_back(t.due_ms, std::string(timer_kind_name(t.kind)) + std::to_string(t.node));
    }
    // At 100: kswapd2 (armed before vmstat_update); at 200: kswapd1, then kswapd0.
    EXPECT_EQ(order,
              (std::vector<std::pair<uint64_t, std::string>>{
                  {100, "kswapd2"}, {100, "vmstat_update0"}, {200, "kswapd1"}, {200, "kswapd0"}}));
    q.arm(50, TimerKind::Kswapd, 3);
    q.arm(70, TimerKind::Kswapd, 3); // re-arming moves it: one timer per kind and node
    ASSERT_EQ(q.timers().size(), 1u);
    EXPECT_EQ(q.timers()[0].due_ms, 70u);
}

// ---- kswapd ---------------------------------------------------------------------

TEST(KswapdTest, BootsAsleepAndBalanced) {
    Machine m(small_x86());
    const Kswapd& k = m.kswapd(0);
    EXPECT_EQ(k.state, KswapdState::Asleep);
    EXPECT_TRUE(k.balanced);
    EXPECT_EQ(k.highest_zoneidx, m.nr_zones()); // no waker yet (MAX_NR_ZONES)
    EXPECT_TRUE(m.pgdat_balanced(0, 0, m.nr_zones() - 1));
}

// The fast path fails on every zone at its low watermark: the slow path
// wakes kswapd for the request's order and highest zone, and the node cannot
// be balanced then (high >= low on every zone).
TEST(KswapdTest, TheSlowPathWakesKswapdWithTheRequestsOrderAndZone) {
    Machine m(small_x86());
    allocate_until_slowpath(m);
    const unsigned normal = 2; // GFP_KERNEL's highest zone on x86_64
    for (const Zone& z : m.nodes()[0].zones)
        if (z.managed_pages) EXPECT_FALSE(above(z, WMARK_LOW, normal)) << z.name();
    const Kswapd& k = m.kswapd(0);
    EXPECT_EQ(k.state, KswapdState::Running);
    EXPECT_EQ(k.order, 0u);
    EXPECT_EQ(k.highest_zoneidx, normal);
    EXPECT_EQ(k.wakeups, 1u);
    EXPECT_FALSE(m.pgdat_balanced(0, 0, normal));
    EXPECT_EQ(m.timers().due(TimerKind::Kswapd, 0), std::optional<uint64_t>(0));
}

// Woken at 0 ms and never balanced: a pass at 0 and then every 100 ms of
// lab time, each a pageoutrun and, as the node is not balanced when it tries
// to sleep, a kswapd_high_wmark_hit_quickly.
TEST(KswapdTest, RunsOnTheClockWhileTheNodeIsNotBalanced) {
    Lab lab;
    lab.run("boot ram=64M");
    drain(lab);
    EXPECT_EQ(lab.machine().kswapd(0).state, KswapdState::Asleep);
    EXPECT_FALSE(run1(lab, "alloc_pages").ok); // below low: kswapd woken; below min: fails
    ASSERT_EQ(lab.machine().kswapd(0).state, KswapdState::Running);
    EXPECT_EQ(lab.machine().kswapd(0).pageoutrun, 0u); // commands take no time
    CommandResult r = run1(lab, "tick 0");
    EXPECT_EQ(lab.machine().kswapd(0).pageoutrun, 1u); // its first pass, due now
    r = run1(lab, "tick 1s");
    const Kswapd& k = lab.machine().kswapd(0);
    EXPECT_EQ(k.pageoutrun, 11u); // 0, 100, ..., 1000 ms
    EXPECT_EQ(k.kswapd_high_wmark_hit_quickly, 11u);
    EXPECT_EQ(k.state, KswapdState::Running);
    EXPECT_FALSE(k.balanced);
    const CommandResult vmstat = run1(lab, "cat /proc/vmstat");
    EXPECT_NE(vmstat.out.find("\nkswapd_low_wmark_hit_quickly 0\n"
                              "kswapd_high_wmark_hit_quickly 11\npageoutrun 11\n"),
              std::string::npos);
}

// Once memory is freed: the next pass finds the node balanced, kswapd naps
// HZ/10 (100 ms), finds it still balanced and sleeps (a KswapdSleep event).
TEST(KswapdTest, NapsThenSleepsWhenTheNodeIsBalanced) {
    Machine m(small_x86());
    allocate_until_slowpath(m);
    m.tick(0); // pass at 0 ms: not balanced, next pass at 100
    free_all(m);
    m.tick(100); // pass at 100 ms: balanced, nap until 200
    EXPECT_EQ(m.kswapd(0).state, KswapdState::Napping);
    EXPECT_TRUE(m.kswapd(0).balanced);
    EXPECT_EQ(m.timers().due(TimerKind::Kswapd, 0), std::optional<uint64_t>(200));
    m.tick(99);
    EXPECT_EQ(m.kswapd(0).state, KswapdState::Napping);
    m.tick(1);
    EXPECT_EQ(m.kswapd(0).state, KswapdState::Asleep);
    EXPECT_EQ(m.kswapd(0).since_ms, 200u);
    EXPECT_FALSE(m.timers().due(TimerKind::Kswapd, 0));
    EXPECT_EQ(m.kswapd(0).pageoutrun, 2u);
    EXPECT_EQ(m.kswapd(0).kswapd_high_wmark_hit_quickly, 1u); // only the first pass
}

TEST(KswapdTest, SleepAndWakeAreEvents) {
    Lab lab;
    lab.run("boot ram=64M");
    drain(lab);
    run1(lab, "alloc_pages");
    CommandResult ev = run1(lab, "events type=KswapdWake");
    ASSERT_EQ(ev.data["events"].size(), 1u);
    EXPECT_EQ(ev.data["events"][0]["node"], 0u);
    EXPECT_EQ(ev.data["events"][0]["zone"], "Normal"); // the highest zone it was woken for
    EXPECT_EQ(ev.data["events"][0]["order"], 0u);
}

// A wakeup during the nap ends it early ("remaining" != 0): a
// kswapd_low_wmark_hit_quickly and a pass at once.
TEST(KswapdTest, AWakeupDuringTheNapCountsALowWatermarkHitQuickly) {
    Machine m(small_x86());
    allocate_until_slowpath(m);
    m.tick(0);
    free_all(m);
    m.tick(100);
    ASSERT_EQ(m.kswapd(0).state, KswapdState::Napping);
    allocate_until_slowpath(m);
    EXPECT_EQ(m.kswapd(0).state, KswapdState::Running);
    EXPECT_EQ(m.kswapd(0).kswapd_low_wmark_hit_quickly, 1u);
    EXPECT_EQ(m.kswapd(0).wakeups, 2u);
}

// A running kswapd is not on its wait queue: wakeup_kswapd() only records
// the larger order for its next pass.
TEST(KswapdTest, ARunningKswapdOnlyRecordsTheRequest) {
    Machine m(small_x86());
    allocate_until_slowpath(m);
    m.tick(0); // the pass reset kswapd_order and kswapd_highest_zoneidx
    EXPECT_EQ(m.kswapd(0).highest_zoneidx, m.nr_zones());
    AllocRequest req;
    req.order = 2;
    req.gfp = GFP_KERNEL | __GFP_NOWARN;
    const AllocResult r = m.alloc_pages(req);
    ASSERT_FALSE(r.slowpath.empty());
    EXPECT_EQ(r.slowpath[0].stage, SlowStage::WakeKswapd);
    EXPECT_EQ(r.slowpath[0].woken, 0u);
    EXPECT_EQ(r.slowpath[0].running, 1u);
    EXPECT_EQ(m.kswapd(0).order, 2u);
    EXPECT_EQ(m.kswapd(0).highest_zoneidx, 2u);
    EXPECT_EQ(m.kswapd(0).wakeups, 1u);
    m.tick(100);                            // the next pass balances for order 2
    EXPECT_EQ(m.kswapd(0).alloc_order, 0u); // back at the loop's top: order 0 for the sleep
}

// rmqueue(): an allocation that may wake kswapd from a zone with
// ZONE_BOOSTED_WATERMARK clears it and wakes kswapd for order 0 and that
// zone, even on a balanced node (it is boosted); kswapd's pass spends the
// boost (balance_pgdat()'s end) and the node sleeps.
TEST(KswapdTest, AWatermarkBoostWakesKswapdAndItsPassResetsTheBoost) {
    Machine m(small_x86());
    const unsigned dma32 = 1;
    MachineTestPeer::boost(m, 0, dma32, 64);
    AllocRequest req; // GFP_KERNEL: ALLOC_KSWAPD in the fast path
    ASSERT_TRUE(m.alloc_pages(req).ok);
    const Zone& z = m.nodes()[0].zones[dma32];
    EXPECT_FALSE(z.boosted_watermark);
    EXPECT_EQ(m.kswapd(0).state, KswapdState::Running);
    EXPECT_EQ(m.kswapd(0).highest_zoneidx, dma32);
    m.tick(0);
    EXPECT_EQ(z.watermark_boost, 0u);
    EXPECT_EQ(m.kswapd(0).state, KswapdState::Napping);
    m.tick(100);
    EXPECT_EQ(m.kswapd(0).state, KswapdState::Asleep);
}

TEST(KswapdTest, NoWakeWithoutKswapdReclaim) {
    Machine m(small_x86());
    MachineTestPeer::boost(m, 0, 1, 64);
    AllocRequest req;
    req.gfp = GFP_KERNEL & ~__GFP_KSWAPD_RECLAIM; // no ALLOC_KSWAPD
    ASSERT_TRUE(m.alloc_pages(req).ok);
    EXPECT_TRUE(m.nodes()[0].zones[1].boosted_watermark);
    EXPECT_EQ(m.kswapd(0).state, KswapdState::Asleep);
}

TEST(KswapdTest, KswapdCommandShowsEachNode) {
    Lab lab;
    lab.run("boot nodes=2 ram=2G");
    const CommandResult r = run1(lab, "kswapd");
    ASSERT_TRUE(r.ok) << r.error;
    ASSERT_EQ(r.data["kswapd"].size(), 2u);
    EXPECT_EQ(r.data["kswapd"][1]["state"], "asleep");
    EXPECT_NE(r.out.find("kswapd1: asleep since 0 ms"), std::string::npos) << r.out;
    EXPECT_FALSE(run1(lab, "kswapd node=2").ok);
}

// ---- The slow path's steps (reference/gfp.md 3.5, 3.6) ------------------------------

TEST(SlowPathTest, GfpKernelGoesToReclaimAndTheOomKiller) {
    Machine m(small_x86());
    allocate_until_slowpath(m);
    AllocRequest req; // keep allocating at min until the slow path fails too
    AllocResult r;
    do {
        r = m.alloc_pages(req);
    } while (r.ok);
    EXPECT_EQ(stage_names(r),
              (std::vector<std::string>{"wake_kswapd:ran", "retry_min:failed",
                                        "no_watermarks:skipped", "direct_reclaim:not modelled yet",
                                        "direct_compaction:not modelled yet",
                                        "reclaim_retry:skipped", "oom:not modelled yet"}));
    EXPECT_FALSE(mm::check_invariants(m));
}

TEST(SlowPathTest, AtomicAndNowaitGiveUpWithoutDirectReclaim) {
    for (gfp_t gfp : {GFP_ATOMIC, GFP_NOWAIT}) {
        Machine m(small_x86());
        AllocRequest req;
        req.gfp = gfp;
        AllocResult r;
        do {
            r = m.alloc_pages(req);
        } while (r.ok);
        EXPECT_EQ(stage_names(r),
                  (std::vector<std::string>{"wake_kswapd:ran", "retry_min:failed",
                                            "no_watermarks:skipped", "direct_reclaim:skipped"}))
            << format_gfp(gfp);
    }
}

// order > 3 (costly), GFP_KERNEL: compaction first, then no retry and no OOM kill.
TEST(SlowPathTest, CostlyOrdersCompactFirstAndNeverOom) {
    Machine m(small_x86());
    AllocRequest req;
    req.order = 4;
    AllocResult r;
    do {
        r = m.alloc_pages(req);
    } while (r.ok);
    EXPECT_EQ(stage_names(r),
              (std::vector<std::string>{
                  "wake_kswapd:ran", "retry_min:failed", "early_compaction:not modelled yet",
                  "no_watermarks:skipped", "direct_reclaim:not modelled yet",
                  "direct_compaction:not modelled yet", "reclaim_retry:skipped"}));
}

// GFP_KERNEL|GFP_DMA: the OOM killer is skipped below ZONE_NORMAL.
TEST(SlowPathTest, LowmemRequestsSkipTheOomKiller) {
    Machine m(small_x86());
    AllocRequest req;
    req.gfp = GFP_KERNEL | GFP_DMA;
    AllocResult r;
    do {
        r = m.alloc_pages(req);
    } while (r.ok);
    ASSERT_FALSE(r.slowpath.empty());
    EXPECT_EQ(r.slowpath[r.slowpath.size() - 1].stage, SlowStage::Oom);
    EXPECT_EQ(r.slowpath[r.slowpath.size() - 1].result, StageResult::Skipped);
}

// __GFP_MEMALLOC's retry ignores watermarks: it gets a page below min.
TEST(SlowPathTest, MemallocTakesTheReserves) {
    Machine m(small_x86());
    AllocRequest kernel;
    while (m.alloc_pages(kernel).ok) {
    }
    AllocRequest req;
    req.gfp = GFP_KERNEL | __GFP_MEMALLOC;
    const AllocResult r = m.alloc_pages(req);
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(stage_names(r), (std::vector<std::string>{"wake_kswapd:ran", "retry_min:failed",
                                                        "no_watermarks:succeeded"}));
    EXPECT_EQ(r.attempts.back().pass, 3u);
}

// __GFP_NOFAIL: after everything else, one more attempt with
// ALLOC_MIN_RESERVE (half the min watermark).
TEST(SlowPathTest, NofailTriesHalfTheMinWatermark) {
    Machine m(small_x86());
    AllocRequest kernel;
    while (m.alloc_pages(kernel).ok) {
    }
    AllocRequest req;
    req.gfp = GFP_KERNEL | __GFP_NOFAIL;
    const AllocResult r = m.alloc_pages(req);
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.slowpath[r.slowpath.size() - 1].stage, SlowStage::NoFailFallback);
    EXPECT_EQ(r.attempts.back().pass, 4u);
    const Zone& z = m.zone(r.attempts.back().zone);
    EXPECT_EQ(r.attempts.back().mark,
              static_cast<int64_t>(z.watermark[WMARK_MIN] - z.watermark[WMARK_MIN] / 2));
}

// A failure that woke kswapd did part of the kernel's work: it is kept in
// the history, and undo and replay give the same machine.
TEST(SlowPathTest, AFailureThatWokeKswapdIsKeptAndReplays) {
    Lab lab;
    lab.run("boot ram=64M");
    drain(lab);
    CommandResult r;
    do {
        r = run1(lab, "alloc_pages gfp=GFP_ATOMIC");
    } while (r.ok);
    EXPECT_TRUE(r.kept);
    ASSERT_TRUE(r.data.contains("slowpath"));
    EXPECT_EQ(r.data["slowpath"][0]["stage"], "wake_kswapd");
    const std::string digest = run1(lab, "digest").out;
    lab.run("tick 300ms; undo");
    EXPECT_EQ(run1(lab, "digest").out, digest);
}

// ---- kswapd and the vmstat thresholds (mm/vmstat.c) --------------------------------

namespace {

unsigned fls(uint64_t x) {
    unsigned n = 0;
    for (; x; x >>= 1)
        ++n;
    return n;
}

} // namespace

// While kswapd is awake, the zones whose counter drift could hide a
// watermark (percpu_drift_mark: cpus * normal threshold > low - min) use
// calculate_pressure_threshold() = max(1, (low - min) / cpus); asleep,
// calculate_normal_threshold() = 2 * fls(cpus) * (1 + fls(managed >> 15)),
// both at most 125.
TEST(KswapdTest, AwakeKswapdHoldsItsZonesAtThePressureThreshold) {
    BootParams p;
    p.ram = uint64_t{4} << 30;
    p.cpus = 64;
    Machine m(p);
    std::vector<int64_t> normal, pressure;
    bool any_drift = false;
    for (const Zone& z : m.nodes()[0].zones) {
        const int64_t n =
            std::min<int64_t>(125, 2 * fls(p.cpus) * (1 + fls(z.managed_pages >> 15)));
        const int64_t gap = static_cast<int64_t>(z.watermark[WMARK_LOW] - z.watermark[WMARK_MIN]);
        const bool drift = z.populated() && int64_t{p.cpus} * n > gap;
        any_drift = any_drift || drift;
        normal.push_back(n);
        pressure.push_back(drift ? std::min<int64_t>(125, std::max<int64_t>(1, gap / p.cpus)) : n);
    }
    ASSERT_TRUE(any_drift);
    for (const Zone& z : m.nodes()[0].zones)
        if (z.populated()) EXPECT_EQ(z.stat_threshold, normal[z.idx]) << z.name();
    for (int order = MAX_PAGE_ORDER; order >= 0; --order) {
        AllocRequest req;
        req.order = static_cast<unsigned>(order);
        req.gfp = 0x24c0; // GFP_KERNEL without __GFP_KSWAPD_RECLAIM, __GFP_NOWARN
        while (m.alloc_pages(req).ok) {
        }
    }
    ASSERT_EQ(m.kswapd(0).state, KswapdState::Asleep);
    allocate_until_slowpath(m);
    ASSERT_EQ(m.kswapd(0).state, KswapdState::Running);
    for (const Zone& z : m.nodes()[0].zones)
        if (z.populated()) EXPECT_EQ(z.stat_threshold, pressure[z.idx]) << z.name();
    free_all(m);
    m.tick(200); // pass at 0: balanced; nap until 100; sleep
    ASSERT_EQ(m.kswapd(0).state, KswapdState::Asleep);
    for (const Zone& z : m.nodes()[0].zones)
        if (z.populated()) EXPECT_EQ(z.stat_threshold, normal[z.idx]) << z.name();
}
