// The machine's clock and timer queue: `tick` advances the clock and runs
// every timer due, in (due time, arming order). The timers are the
// kernel's periodic and delayed work that the lab models: vmstat_update()
// every second (the per-CPU list decay) and kswapd's passes and naps.
//
// Sections: names | the timer queue | the clock.
#include "core/mm/machine.h"

#include <algorithm>

namespace mm {

// ---- Names ------------------------------------------------------------------

const char* timer_kind_name(TimerKind kind) {
    switch (kind) {
    case TimerKind::VmstatUpdate:
        return "vmstat_update";
    case TimerKind::Kswapd:
        return "kswapd";
    }
    return "?";
}

const char* kswapd_state_name(KswapdState state) {
    switch (state) {
    case KswapdState::Asleep:
        return "asleep";
    case KswapdState::Running:
        return "running";
    case KswapdState::Napping:
        return "napping";
    }
    return "?";
}

// ---- The timer queue ----------------------------------------------------------

namespace {

bool before(const Timer& a, const Timer& b) {
    return a.due_ms != b.due_ms ? a.due_ms < b.due_ms : a.seq < b.seq;
}

} // namespace

void TimerQueue::arm(uint64_t due_ms, TimerKind kind, unsigned node) {
    cancel(kind, node);
    const Timer t{due_ms, m_next_seq++, kind, static_cast<uint8_t>(node)};
    m_timers.insert(std::upper_bound(m_timers.begin(), m_timers.end(), t, before), t);
}

void TimerQueue::cancel(TimerKind kind, unsigned node) {
    auto it = std::find_if(m_timers.begin(), m_timers.end(),
                           [&](const Timer& t) { return t.kind == kind && t.node == node; });
    if (it != m_timers.end()) m_timers.erase(it);
}

std::optional<uint64_t> TimerQueue::due(TimerKind kind, unsigned node) const {
    for (const Timer& t : m_timers)
        if (t.kind == kind && t.node == node) return t.due_ms;
    return std::nullopt;
}

Timer TimerQueue::pop() {
    const Timer t = m_timers.front();
    m_timers.erase(m_timers.begin());
    return t;
}

// ---- The clock ------------------------------------------------------------------

// At boot: the clock at 0, vmstat_update armed for the first second, and
// every node's kswapd asleep (it starts, finds its node balanced, naps
// HZ/10 and sleeps: the lab starts it there, with the normal thresholds).
void Machine::init_clock() {
    m_now_ms = 0;
    m_timers = TimerQueue{};
    m_timers.arm(kVmstatIntervalMs, TimerKind::VmstatUpdate);
    Kswapd k;
    k.highest_zoneidx = nr_zones();  // MAX_NR_ZONES: no waker yet
    k.pass_zoneidx = nr_zones() - 1; // kswapd()'s initial highest_zoneidx
    m_kswapd.assign(m_nodes.size(), k);
}

Machine::TickReport Machine::tick(uint64_t ms) {
    TickReport report;
    report.from_ms = m_now_ms;
    const uint64_t end = m_now_ms + ms;
    while (const Timer* next = m_timers.next()) {
        if (next->due_ms > end) break;
        const Timer timer = m_timers.pop();
        // A timer armed by a command is due "now": it runs at the clock's
        // time, which never goes back.
        m_now_ms = std::max(m_now_ms, timer.due_ms);
        run_timer(timer, &report);
    }
    m_now_ms = end;
    report.to_ms = end;
    return report;
}

void Machine::run_timer(const Timer& timer, TickReport* report) {
    switch (timer.kind) {
    case TimerKind::VmstatUpdate:
        // vmstat_update() re-queues itself every sysctl_stat_interval,
        // rounded to whole seconds (round_jiffies_relative()).
        decay_pcp_high_all(); // pcp.cpp
        report->vmstat_updates++;
        m_timers.arm(timer.due_ms + kVmstatIntervalMs, TimerKind::VmstatUpdate);
        break;
    case TimerKind::Kswapd:
        report->kswapd_steps++;
        report->kswapd_nodes |= static_cast<uint16_t>(1u << timer.node);
        if (m_kswapd[timer.node].state == KswapdState::Napping)
            kswapd_nap_ends(timer.node);
        else
            kswapd_pass(timer.node);
        break;
    }
}

} // namespace mm
