// The machine's clock, its timer queue and kswapd's state per node: the
// parts of the machine that change with time rather than with a command
// (docs/fidelity.md "The clock, kswapd and the slow path"). Plain values, so
// that a Machine stays copyable.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace mm {

// What a timer does when it fires (clock.cpp, kswapd.cpp).
enum class TimerKind : uint8_t {
    // vmstat_update(): every second, refresh_cpu_vm_stats() decays each
    // CPU's per-CPU list high (decay_pcp_high()) in every zone.
    VmstatUpdate,
    // kswapd's next step on a node: a pass of balance_pgdat() when it is
    // running, the end of its HZ/10 nap when it is napping.
    Kswapd,
};
const char* timer_kind_name(TimerKind kind);

struct Timer {
    uint64_t due_ms = 0;
    uint64_t seq = 0; // order of arming: timers due at the same time fire in it
    TimerKind kind = TimerKind::VmstatUpdate;
    uint8_t node = 0; // for Kswapd
};

// Timers ordered by (due time, arming order), so that a tick runs them in
// one order on every run and in every build. A kind and node have at most
// one pending timer (the kernel's delayed works and kswapd's timeout).
class TimerQueue {
  public:
    // Arms (or re-arms) the timer of kind/node at due_ms.
    void arm(uint64_t due_ms, TimerKind kind, unsigned node = 0);
    // Removes the pending timer of kind/node, if any.
    void cancel(TimerKind kind, unsigned node = 0);
    std::optional<uint64_t> due(TimerKind kind, unsigned node = 0) const;
    // The earliest timer, if any, and taking it off the queue.
    const Timer* next() const { return m_timers.empty() ? nullptr : &m_timers.front(); }
    Timer pop();
    // Every pending timer, earliest first.
    const std::vector<Timer>& timers() const { return m_timers; }
    uint64_t armed() const { return m_next_seq; } // timers armed so far (for the digest)

  private:
    std::vector<Timer> m_timers; // sorted by (due_ms, seq)
    uint64_t m_next_seq = 0;
};

// kswapd's place in its loop (mm/vmscan.c kswapd(), kswapd_try_to_sleep()).
enum class KswapdState : uint8_t {
    Asleep,  // in schedule(), until wakeup_kswapd() wakes it; normal vmstat thresholds
    Running, // woken: balance_pgdat() at its next timer; pressure thresholds
    Napping, // the node was balanced: schedule_timeout(HZ/10) before sleeping for good
};
const char* kswapd_state_name(KswapdState state);

// kswapd's nap after a balanced pass (HZ/10 in kswapd_try_to_sleep()).
inline constexpr uint64_t kKswapdNapMs = 100;
// While the node is not balanced, a real kswapd reclaims and loops at once;
// the lab reclaims nothing, so it gives a running kswapd one pass each
// kKswapdPassMs of lab time (the same 100 ms as its nap).
inline constexpr uint64_t kKswapdPassMs = 100;
// The vmstat_update interval (sysctl_stat_interval = HZ).
inline constexpr uint64_t kVmstatIntervalMs = 1000;

// One node's kswapd: the pgdat fields wakers write, the thread's own
// variables, and the vm events it counts.
struct Kswapd {
    KswapdState state = KswapdState::Asleep;
    uint64_t since_ms = 0; // when it entered `state`
    // pgdat->kswapd_order and pgdat->kswapd_highest_zoneidx: the largest
    // order and zone wakers asked for since its last pass; highest_zoneidx
    // == the number of zones (MAX_NR_ZONES) means none asked.
    unsigned order = 0;
    unsigned highest_zoneidx = 0;
    // kswapd()'s alloc_order, reclaim_order and highest_zoneidx: the order
    // and zone of its current or last pass (highest_zoneidx starts at
    // MAX_NR_ZONES - 1 and keeps its value when no waker set one).
    unsigned alloc_order = 0;
    unsigned reclaim_order = 0;
    unsigned pass_zoneidx = 0;
    // pgdat_balanced() at its last check (boot: balanced).
    bool balanced = true;
    uint64_t last_check_ms = 0;
    // vm events it counted (/proc/vmstat sums them over nodes).
    uint64_t pageoutrun = 0;                    // balance_pgdat() runs
    uint64_t kswapd_low_wmark_hit_quickly = 0;  // woken during its nap
    uint64_t kswapd_high_wmark_hit_quickly = 0; // not balanced when it tried to sleep
    uint64_t wakeups = 0;                       // times wakeup_kswapd() woke it
};

} // namespace mm
