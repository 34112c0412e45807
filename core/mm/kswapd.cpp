// kswapd, one per node, as mm/vmscan.c runs it, without reclaim: who wakes
// it (wakeup_kswapd(), from the allocation slow path's wake_all_kswapds()
// and from rmqueue() after a watermark boost), its passes on the lab's
// clock (balance_pgdat(): the balance check, the boost reset; it reclaims
// nothing yet), and how it goes back to sleep (kswapd_try_to_sleep(): a
// HZ/10 nap, then sleep for good if the node is still balanced).
//
// The lab leaves out, until reclaim arrives: the reclaim itself, and so
// kswapd_failures (a real kswapd that reclaims nothing 16 times in a row
// gives the node up as hopeless; the lab cannot tell whether reclaim would
// have freed anything, so it counts no failures and keeps kswapd running
// until the node is balanced), kcompactd, and throttled direct reclaimers.
//
// Sections: checks | waking | kswapd's loop.
#include "core/mm/machine.h"

#include <algorithm>

namespace mm {

// ---- Checks ---------------------------------------------------------------------

// Bottom-up, as lower zones are more likely to meet their marks: the first
// managed zone at or below highest_zoneidx that passes its high watermark
// (boost included) for order, with no allocation flags (zone_watermark_ok_safe()).
bool Machine::pgdat_balanced(unsigned node, unsigned order, unsigned highest_zoneidx) const {
    const Node& n = m_nodes[node];
    bool any = false;
    for (unsigned i = 0; i <= highest_zoneidx && i < n.zones.size(); ++i) {
        const Zone& zone = n.zones[i];
        if (!zone.managed_pages) continue;
        any = true;
        if (zone_watermark_ok(zone, order, zone.wmark(WMARK_HIGH), highest_zoneidx, 0, nullptr))
            return true;
    }
    // A node with no managed zone within highest_zoneidx needs no balancing.
    return !any;
}

// Top-down, as higher zones are more likely to be boosted.
bool Machine::pgdat_watermark_boosted(unsigned node, unsigned highest_zoneidx) const {
    const Node& n = m_nodes[node];
    for (unsigned i = std::min<unsigned>(highest_zoneidx, n.zones.size() - 1) + 1; i-- > 0;)
        if (n.zones[i].managed_pages && n.zones[i].watermark_boost) return true;
    return false;
}

// ---- Waking -----------------------------------------------------------------------

// wakeup_kswapd(): records the order and zone asked for (kswapd reads them
// at its next pass), then wakes kswapd if it sleeps or naps, unless its node
// is balanced for the request and not boosted. A running kswapd is not on
// its wait queue: it only sees the request at its next pass.
Machine::WakeOutcome Machine::wakeup_kswapd(ZoneRef ref, gfp_t, unsigned order,
                                            unsigned highest_zoneidx) {
    if (!zone(ref).managed_pages) return WakeOutcome::NotManaged;
    Kswapd& k = m_kswapd[ref.node];
    if (k.highest_zoneidx == nr_zones() || k.highest_zoneidx < highest_zoneidx)
        k.highest_zoneidx = highest_zoneidx;
    if (k.order < order) k.order = order;
    if (k.state == KswapdState::Running) return WakeOutcome::Running;
    // (A balanced node whose request is too fragmented would wake kcompactd
    // here for a caller that cannot reclaim: kcompactd is not modelled yet.)
    if (pgdat_balanced(ref.node, order, highest_zoneidx) &&
        !pgdat_watermark_boosted(ref.node, highest_zoneidx))
        return WakeOutcome::Balanced;

    // It found the node unbalanced for this request: that is kswapd's
    // node state until its own next check.
    k.balanced = false;
    k.last_check_ms = m_now_ms;
    const bool from_nap = k.state == KswapdState::Napping;
    if (from_nap) {
        // schedule_timeout() returned early ("remaining"): kswapd keeps the
        // zone asked for, raises the order to the one it napped at, and
        // counts a low watermark hit quickly.
        if (k.order < k.reclaim_order) k.order = k.reclaim_order;
        k.kswapd_low_wmark_hit_quickly++;
    } else {
        // Out of schedule(): back to the pressure thresholds.
        kswapd_set_thresholds(ref.node, true);
    }
    k.wakeups++;
    k.state = KswapdState::Running;
    k.since_ms = m_now_ms;
    m_timers.arm(m_now_ms, TimerKind::Kswapd, ref.node);
    emit(EventType::KswapdWake, ZoneRef{ref.node, static_cast<uint8_t>(highest_zoneidx)}, order,
         Pfn{}, from_nap ? 1 : 0);
    return WakeOutcome::Woken;
}

// wake_all_kswapds(): wakeup_kswapd() for the first managed zone of each
// node along the request's zones (a node's zones are consecutive in a
// zonelist), with the request's order and highest zone.
void Machine::wake_all_kswapds(const AllocContext& ac, unsigned order, gfp_t gfp,
                               SlowPathStep* step) {
    int last_node = -1;
    for (size_t i = 0; i < ac.nr_zones; ++i) {
        const ZoneRef ref = ac.zones[i];
        if (!zone(ref).managed_pages || ref.node == last_node) continue;
        last_node = ref.node;
        const WakeOutcome outcome = wakeup_kswapd(ref, gfp, order, ac.highest_zoneidx);
        if (!step) continue;
        const auto bit = static_cast<uint16_t>(1u << ref.node);
        if (outcome == WakeOutcome::Woken) step->woken |= bit;
        if (outcome == WakeOutcome::Running) step->running |= bit;
        if (outcome == WakeOutcome::Balanced) step->balanced |= bit;
    }
}

// rmqueue(): after a watermark boost (ZONE_BOOSTED_WATERMARK), the first
// allocation from the zone that may wake kswapd clears the flag and wakes
// kswapd for order 0 and the zone itself, so that it reclaims the boost.
void Machine::wake_kswapd_if_boosted(Zone& zone, unsigned alloc_flags) {
    if (!(alloc_flags & ALLOC_KSWAPD) || !zone.boosted_watermark) return;
    zone.boosted_watermark = false;
    wakeup_kswapd(ZoneRef{zone.node, zone.idx}, 0, 0, zone.idx);
}

// ---- kswapd's loop ------------------------------------------------------------------

// One turn of kswapd()'s loop after kswapd_try_to_sleep() returned: read
// and reset what the wakers asked for, balance_pgdat(), then try to sleep
// for the order and zone that are current at the top of the loop (the
// order the wakers asked for since, 0 if none: not the order just balanced).
void Machine::kswapd_pass(unsigned node) {
    Kswapd& k = m_kswapd[node];
    const unsigned max_zones = nr_zones();
    k.alloc_order = k.order;
    if (k.highest_zoneidx != max_zones) k.pass_zoneidx = k.highest_zoneidx;
    k.order = 0;
    k.highest_zoneidx = max_zones;
    k.reclaim_order = balance_pgdat(node, k.alloc_order, k.pass_zoneidx);
    // reclaim_order < alloc_order (reclaim dropped to order 0 after a
    // compaction gap) cannot happen without reclaim: back to the loop's top.
    k.alloc_order = k.reclaim_order = k.order;
    if (k.highest_zoneidx != max_zones) k.pass_zoneidx = k.highest_zoneidx;
    kswapd_try_to_sleep(node);
}

// kswapd_try_to_sleep()'s first half: a balanced node gets a HZ/10 nap
// (kcompactd would be woken here); an unbalanced one no sleep at all, and a
// "high watermark hit quickly". The lab runs the next pass kKswapdPassMs
// later, where a real kswapd would be reclaiming.
void Machine::kswapd_try_to_sleep(unsigned node) {
    Kswapd& k = m_kswapd[node];
    k.balanced = pgdat_balanced(node, k.reclaim_order, k.pass_zoneidx);
    k.last_check_ms = m_now_ms;
    if (k.balanced) {
        k.state = KswapdState::Napping;
        k.since_ms = m_now_ms;
        m_timers.arm(m_now_ms + kKswapdNapMs, TimerKind::Kswapd, node);
        return;
    }
    k.kswapd_high_wmark_hit_quickly++;
    k.state = KswapdState::Running;
    m_timers.arm(m_now_ms + kKswapdPassMs, TimerKind::Kswapd, node);
}

// kswapd_try_to_sleep()'s second half, when the nap ran its course: still
// balanced, and kswapd sleeps until woken, with the normal thresholds;
// otherwise a "high watermark hit quickly" and a pass at once.
void Machine::kswapd_nap_ends(unsigned node) {
    Kswapd& k = m_kswapd[node];
    k.balanced = pgdat_balanced(node, k.reclaim_order, k.pass_zoneidx);
    k.last_check_ms = m_now_ms;
    if (k.balanced) {
        kswapd_set_thresholds(node, false);
        k.state = KswapdState::Asleep;
        k.since_ms = m_now_ms;
        emit(EventType::KswapdSleep,
             ZoneRef{static_cast<uint8_t>(node), static_cast<uint8_t>(k.pass_zoneidx)},
             k.reclaim_order, Pfn{});
        return;
    }
    k.kswapd_high_wmark_hit_quickly++;
    k.state = KswapdState::Running;
    k.since_ms = m_now_ms;
    kswapd_pass(node);
}

// balance_pgdat() without reclaim: count the run (pageoutrun), note the
// zones' watermark boosts, check pgdat_balanced(); a balanced node with no
// boost needs nothing; otherwise the reclaim loop would run here (not
// modelled: it frees nothing). At the end the boosts noted at the start are
// taken off the zones (the boost is spent, reclaimed or not). Returns the
// order it finished at (sc.order: unchanged without reclaim).
unsigned Machine::balance_pgdat(unsigned node, unsigned order, unsigned highest_zoneidx) {
    Kswapd& k = m_kswapd[node];
    Node& n = m_nodes[node];
    k.pageoutrun++;
    std::array<uint64_t, kMaxZonesPerNode> zone_boosts{};
    uint64_t nr_boost_reclaim = 0;
    for (unsigned i = 0; i <= highest_zoneidx && i < n.zones.size(); ++i) {
        if (!n.zones[i].managed_pages) continue;
        zone_boosts[i] = n.zones[i].watermark_boost;
        nr_boost_reclaim += zone_boosts[i];
    }
    const bool boosted = nr_boost_reclaim != 0;
    k.balanced = pgdat_balanced(node, order, highest_zoneidx);
    k.last_check_ms = m_now_ms;
    // (Unbalanced with a boost: the kernel drops the boost reclaim and
    // restarts as plain reclaim; balanced without one: nothing to do. Both
    // end where the lab goes now: no reclaim, then the boost reset.)
    if (boosted) {
        for (unsigned i = 0; i <= highest_zoneidx && i < n.zones.size(); ++i) {
            Zone& zone = n.zones[i];
            zone.watermark_boost -= std::min(zone.watermark_boost, zone_boosts[i]);
        }
        // (kcompactd would be woken for pageblock_order here.)
    }
    return order;
}

// set_pgdat_percpu_threshold(pgdat, calculate_pressure_threshold or
// calculate_normal_threshold).
void Machine::kswapd_set_thresholds(unsigned node, bool pressure) {
    set_pgdat_percpu_threshold(node, pressure); // pcp.cpp
}

} // namespace mm
