// Benchmarks of the simulated machine through its C++ API, with an event log
// attached as the lab attaches one. Goals (on a 2-core machine): order-0
// alloc+free pairs >= 40 M/s natively through the per-CPU lists, in a batch
// and in the steady state (BM_AllocFreeBatch, BM_AllocFreeOrder0), measured
// in the same run as a textbook buddy allocator (BM_Peer*, textbook_buddy.h);
// the buddy path (pcp=off) no slower than before the lists; boot ram=16G
// < 100 ms; a 64 GiB machine's boot, undo, load and prediction holding one
// memmap.
#include "textbook_buddy.h"

#include "core/base/events.h"
#include "core/lab/lab.h"
#include "core/lab/state.h"
#include "core/lesson/session.h"
#include "core/mm/machine.h"

#include <benchmark/benchmark.h>

#include <vector>

#ifdef __EMSCRIPTEN__
#include <emscripten/heap.h>
#else
#include <sys/resource.h>
#endif

namespace {

using namespace mm;

// Steady state: a machine with some blocks allocated, then one order-0
// allocation and its free per iteration (through the CPU's list; with
// pcp=off, Arg 0, the split/merge path each time).
void BM_AllocFreeOrder0(benchmark::State& state) {
    EventLog log;
    BootParams p;
    p.ram = uint64_t{1} << 30;
    p.pcp = state.range(0) != 0;
    Machine m(p, &log);
    AllocRequest req;
    for (int i = 0; i < 1000; ++i)
        m.alloc_pages(req); // some traffic first
    for (auto _ : state) {
        AllocResult r = m.alloc_pages(req);
        benchmark::DoNotOptimize(r.pfn);
        m.free_pages(r.pfn, 0);
    }
    state.SetItemsProcessed(state.iterations());
    state.counters["pairs/s"] =
        benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_AllocFreeOrder0)->ArgName("pcp")->Arg(1)->Arg(0);

// A batch of 512 order-0 allocations, then their frees in allocation order:
// lists grow and shrink (with pcp=off, Arg 0, merges cascade).
void BM_AllocFreeBatch(benchmark::State& state) {
    EventLog log;
    BootParams p;
    p.pcp = state.range(0) != 0;
    Machine m(p, &log);
    AllocRequest req;
    std::vector<Pfn> pfns(512);
    for (auto _ : state) {
        for (auto& pfn : pfns)
            pfn = m.alloc_pages(req).pfn;
        for (Pfn pfn : pfns)
            m.free_pages(pfn, 0);
    }
    state.SetItemsProcessed(state.iterations() * 512);
    state.counters["pairs/s"] = benchmark::Counter(static_cast<double>(state.iterations() * 512),
                                                   benchmark::Counter::kIsRate);
}
BENCHMARK(BM_AllocFreeBatch)->ArgName("pcp")->Arg(1)->Arg(0);

// The peer, in the same run: 512 order-0 allocations and their frees in a
// textbook buddy allocator of a 1 GiB arena (textbook_buddy.h).
void BM_PeerAllocFreeBatch(benchmark::State& state) {
    bench::TextbookBuddy buddy;
    std::vector<uint32_t> blocks(512);
    for (auto _ : state) {
        for (auto& b : blocks)
            b = static_cast<uint32_t>(buddy.alloc(0));
        for (uint32_t b : blocks)
            buddy.free(b, 0);
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(state.iterations() * 512);
    state.counters["pairs/s"] = benchmark::Counter(static_cast<double>(state.iterations() * 512),
                                                   benchmark::Counter::kIsRate);
}
BENCHMARK(BM_PeerAllocFreeBatch);

// The peer's steady state: 1000 blocks held, one allocation and its free.
void BM_PeerAllocFreeOrder0(benchmark::State& state) {
    bench::TextbookBuddy buddy;
    for (int i = 0; i < 1000; ++i)
        buddy.alloc(0);
    for (auto _ : state) {
        const int64_t b = buddy.alloc(0);
        benchmark::DoNotOptimize(b);
        buddy.free(static_cast<uint32_t>(b), 0);
    }
    state.SetItemsProcessed(state.iterations());
    state.counters["pairs/s"] =
        benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_PeerAllocFreeOrder0);

void BM_AllocFreeOrder3(benchmark::State& state) {
    EventLog log;
    Machine m(BootParams{}, &log);
    AllocRequest req;
    req.order = 3;
    for (auto _ : state) {
        AllocResult r = m.alloc_pages(req);
        m.free_pages(r.pfn, 3);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AllocFreeOrder3);

void BM_Boot(benchmark::State& state) {
    BootParams p;
    p.ram = static_cast<uint64_t>(state.range(0)) << 30;
    for (auto _ : state) {
        EventLog log;
        Machine m(p, &log);
        benchmark::DoNotOptimize(m.total_free());
    }
}
BENCHMARK(BM_Boot)->Arg(1)->Arg(16)->Arg(64)->Unit(benchmark::kMillisecond);

// The command path, for comparison: text in, result out.
void BM_CommandAllocFree(benchmark::State& state) {
    Lab lab;
    for (auto _ : state) {
        auto r = lab.run("alloc_pages as=x; free_pages x");
        benchmark::DoNotOptimize(r);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CommandAllocFree);

// The most memory the process has held so far, in MiB: the wasm heap's size
// (it only grows, so it is the high-water mark, what counts against the page's
// 2 GiB), natively the peak resident set.
double peak_mib() {
#ifdef __EMSCRIPTEN__
    return static_cast<double>(emscripten_get_heap_size()) / (1 << 20);
#else
    struct rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024; // kB on Linux
#endif
}

// A 64 GiB machine (16 M frames, a 256 MiB memmap) through what the page does
// with it: boot, a command and its undo, saving and loading its state, and a
// lesson prediction. Each holds one memmap at a time (undo, load and a
// prediction's restore replay on the same machine rather than keep a copy),
// so the peak stays near one memmap, not two or three; the counters give the
// peak after each, in MiB. The peak is the process's: run this benchmark
// alone (--benchmark_filter=LargeMachine), or an earlier one's peak (BM_Boot
// of 64 GiB holds a memmap as large) hides it; before_MiB is what the process
// had held before the lab was made.
void BM_LargeMachineLifecycle(benchmark::State& state) {
    for (auto _ : state) {
        state.counters["before_MiB"] = peak_mib();
        Lab lab;
        lab.run("boot ram=64G nodes=2 cpus=8");
        state.counters["boot_MiB"] = peak_mib();
        lab.run("alloc_pages order=10 node=1 as=big; undo");
        state.counters["undo_MiB"] = peak_mib();
        const std::string saved = save_state(lab);
        benchmark::DoNotOptimize(load_state(lab, saved));
        state.counters["load_MiB"] = peak_mib();
        std::string error;
        const LessonPrediction p{
            "How many order-10 blocks are left?",
            {},
            "alloc_pages order=10 node=1",
            *Condition::parse("nr_free(order=10, node=1, zone=Normal)", &error),
            {},
            {}};
        benchmark::DoNotOptimize(predict(lab, p, &error));
        state.counters["predict_MiB"] = peak_mib();
    }
}
BENCHMARK(BM_LargeMachineLifecycle)->Iterations(1)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
