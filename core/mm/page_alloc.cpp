// The zoned buddy allocator of mm/page_alloc.c: free lists linked by pfn,
// __rmqueue_smallest() and expand(), __free_one_page() with
// buddy_merge_likely(), __zone_watermark_ok(), and the zonelist walk of
// alloc_pages() in its passes (the low watermark; then the min watermark with
// the allowances of gfp_to_alloc_flags(); then, for __GFP_MEMALLOC, none).
#include "core/base/text.h"
#include "core/base/verify.h"
#include "core/mm/machine.h"

#include <algorithm>

namespace mm {

// ---- Free lists ---------------------------------------------------------------

// __add_to_free_list(): at the head (list_add) or the tail (list_add_tail).
void Machine::add_to_free_list(Zone& zone, Pfn pfn, unsigned order, bool tail) {
    FreeArea& area = zone.free_area[order];
    Page& page = zone_page(zone, pfn);
    page.flags |= PG_buddy;
    page.order = static_cast<uint8_t>(order);
    const uint32_t p = static_cast<uint32_t>(pfn.value());
    if (area.head == NIL_PFN) {
        page.next = page.prev = NIL_PFN;
        area.head = area.tail = p;
    } else if (tail) {
        page.prev = area.tail;
        page.next = NIL_PFN;
        zone_page(zone, Pfn{area.tail}).next = p;
        area.tail = p;
    } else {
        page.next = area.head;
        page.prev = NIL_PFN;
        zone_page(zone, Pfn{area.head}).prev = p;
        area.head = p;
    }
    area.nr_free++;
}

void Machine::del_from_free_list(Zone& zone, Pfn pfn, unsigned order) {
    FreeArea& area = zone.free_area[order];
    Page& page = zone_page(zone, pfn);
    MM_VERIFY((page.flags & PG_buddy) && page.order == order);
    if (page.prev != NIL_PFN)
        zone_page(zone, Pfn{page.prev}).next = page.next;
    else
        area.head = page.next;
    if (page.next != NIL_PFN)
        zone_page(zone, Pfn{page.next}).prev = page.prev;
    else
        area.tail = page.prev;
    page.next = page.prev = NIL_PFN;
    page.flags &= static_cast<uint8_t>(~PG_buddy);
    area.nr_free--;
}

// page_is_buddy(): the buddy exists, is free (PageBuddy) at exactly `order`,
// and lies in the same zone (which also means the same node).
bool Machine::page_is_buddy(const Zone& zone, Pfn buddy_pfn, unsigned order) const {
    if (!zone.spans(buddy_pfn)) return false; // also: another node's pfn is in another zone
    const Page& buddy = zone_page(zone, buddy_pfn);
    return (buddy.flags & PG_buddy) && buddy.order == order && buddy.zone == zone.idx;
}

// ---- Allocation: __rmqueue_smallest() and expand() ------------------------------

// 1. Scan orders upward from the request; take the head of the first non-empty list.
// 2. expand(): the caller keeps the lower part; each split puts the upper
//    half at the head of the list one order down, largest remainder first.
// Returns the pfn, or nullopt when no list of order >= `order` has a block.
std::optional<Pfn> Machine::rmqueue_smallest(Zone& zone, unsigned order, unsigned* from_order) {
    for (unsigned current = order; current < NR_PAGE_ORDERS; ++current) {
        const uint32_t head = zone.free_area[current].head;
        if (head == NIL_PFN) continue;
        const Pfn pfn{head};
        *from_order = current;
        del_from_free_list(zone, pfn, current);
        unsigned high = current;
        uint64_t size = uint64_t{1} << current;
        while (high > order) {
            --high;
            size >>= 1;
            add_to_free_list(zone, pfn + size, high, false);
            emit(EventType::Split, ZoneRef{zone.node, zone.idx}, high, pfn + size);
        }
        return pfn;
    }
    return std::nullopt;
}

// ---- Free: __free_one_page() ----------------------------------------------------

// buddy_merge_likely(): below the two largest orders, put the block at the
// tail when the buddy of its would-be parent is already free, since the two
// are likely to merge soon.
bool Machine::buddy_merge_likely(const Zone& zone, Pfn pfn, Pfn buddy_pfn, unsigned order) const {
    if (order >= MAX_PAGE_ORDER - 1) return false;
    const Pfn higher_page_pfn{buddy_pfn.value() & pfn.value()};
    const Pfn higher_buddy = find_buddy_pfn(higher_page_pfn, order + 1);
    return page_is_buddy(zone, higher_buddy, order + 1);
}

// 1. While below MAX_PAGE_ORDER and the buddy (pfn ^ 1 << order) is free at
//    the same order in the same zone: take it off its list, merge, go up.
// 2. Put the result at the tail for fresh memory (FPI_TO_TAIL) or when
//    buddy_merge_likely(), else at the head.
// Does not account NR_FREE_PAGES (the callers do).
Machine::Merged Machine::free_one_page(Zone& zone, Pfn pfn, unsigned order, FpiFlags fpi_flags) {
    const ZoneRef ref{zone.node, zone.idx};
    Pfn buddy_pfn = find_buddy_pfn(pfn, order);
    while (order < MAX_PAGE_ORDER) {
        buddy_pfn = find_buddy_pfn(pfn, order);
        if (!page_is_buddy(zone, buddy_pfn, order)) break;
        del_from_free_list(zone, buddy_pfn, order);
        emit(EventType::Merge, ref, order, pfn, buddy_pfn.value());
        pfn = Pfn{pfn.value() & buddy_pfn.value()}; // combined_pfn
        ++order;
    }
    const bool to_tail =
        (fpi_flags & FPI_TO_TAIL) || buddy_merge_likely(zone, pfn, buddy_pfn, order);
    add_to_free_list(zone, pfn, order, to_tail);
    emit(EventType::ListAdd, ref, order, pfn, to_tail ? 1 : 0);
    return Merged{pfn, order, to_tail};
}

// Adjusts NR_FREE_PAGES and reports watermark crossings (free <= mark is
// "below": __zone_watermark_ok() fails there).
void Machine::account_free(Zone& zone, int64_t delta) {
    const uint64_t before = zone.free_pages;
    const uint64_t after = static_cast<uint64_t>(static_cast<int64_t>(before) + delta);
    zone.free_pages = after;
    if (!m_log) return;
    // Each mark with its two crossings; a fall reports the marks from high
    // down, a rise from min up, the order the free count passes them.
    struct Mark {
        Wmark mark;
        Crossing down, up;
    };
    static constexpr Mark kMarks[] = {{WMARK_HIGH, Crossing::BelowHigh, Crossing::AboveHigh},
                                      {WMARK_LOW, Crossing::BelowLow, Crossing::AboveLow},
                                      {WMARK_MIN, Crossing::BelowMin, Crossing::AboveMin}};
    const ZoneRef ref{zone.node, zone.idx};
    for (size_t k = 0; k < std::size(kMarks); ++k) {
        const Mark& m = kMarks[delta < 0 ? k : std::size(kMarks) - 1 - k];
        const uint64_t mark = zone.wmark(m.mark);
        if (before > mark && after <= mark)
            emit(EventType::WatermarkCrossed, ref, 0, Pfn{}, static_cast<uint64_t>(m.down));
        else if (before <= mark && after > mark)
            emit(EventType::WatermarkCrossed, ref, 0, Pfn{}, static_cast<uint64_t>(m.up));
    }
}

// ---- The watermark check: __zone_watermark_ok() ----------------------------------

// free - ((1 << order) - 1) must exceed the mark, after the request's
// allowances (__GFP_HIGH: -1/2, and without direct reclaim -1/4 more; OOM:
// -1/2), plus lowmem_reserve[highest_zoneidx]; for order > 0 some list of
// order >= `order` must be non-empty.
bool Machine::zone_watermark_ok(const Zone& zone, unsigned order, uint64_t mark,
                                unsigned highest_zoneidx, unsigned alloc_flags,
                                ZoneAttempt* attempt) const {
    int64_t free_pages = static_cast<int64_t>(zone.free_pages) - ((int64_t{1} << order) - 1);
    int64_t min = static_cast<int64_t>(mark);
    if (alloc_flags & ALLOC_RESERVES) {
        if (alloc_flags & ALLOC_MIN_RESERVE) {
            min -= min / 2;
            if (alloc_flags & ALLOC_NON_BLOCK) min -= min / 4;
        }
        if (alloc_flags & ALLOC_OOM) min -= min / 2;
    }
    const int64_t reserve = zone.lowmem_reserve[highest_zoneidx];
    if (attempt) {
        attempt->zone_free = static_cast<int64_t>(zone.free_pages);
        attempt->free_pages = free_pages;
        attempt->mark = min;
        attempt->reserve = reserve;
        attempt->alloc_flags = alloc_flags;
    }
    if (free_pages <= min + reserve) {
        if (attempt) attempt->verdict = ZoneVerdict::BelowWatermark;
        return false;
    }
    if (order == 0) return true;
    for (unsigned o = order; o < NR_PAGE_ORDERS; ++o)
        if (zone.free_area[o].nr_free) return true;
    if (attempt) attempt->verdict = ZoneVerdict::NoFreeBlock;
    return false;
}

// ---- alloc_pages() --------------------------------------------------------------

// 1. highest_zoneidx = gfp_zone(gfp); walk the preferred node's zonelist
//    (only the node's own zones for __GFP_THISNODE), skipping higher zones.
// 2. Pass 1 (get_page_from_freelist, ALLOC_WMARK_LOW): take from the first
//    zone that passes its low watermark and has a block.
// 3. Otherwise __alloc_pages_slowpath() (slowpath.cpp): kswapd is woken,
//    pass 2 tries the min watermark with gfp_to_alloc_flags()'s allowances,
//    pass 3 (__GFP_MEMALLOC) none, pass 4 (__GFP_NOFAIL) min/2; its steps
//    are recorded, reclaim, compaction and the OOM killer as not modelled.
// 4. Otherwise fail: no page changes hands (kswapd may have been woken);
//    the warning goes to the event log unless __GFP_NOWARN.
// prepare_alloc_pages(): the zones of the preferred node's zonelist the
// request may use, highest_zoneidx and below (only the node's own for
// __GFP_THISNODE), in zonelist order.
Machine::AllocContext Machine::prepare_alloc_pages(const AllocRequest& req) const {
    AllocContext ac;
    ac.highest_zoneidx = gfp_zone(req.gfp, zone_config());
    ac.cpu = req.cpu;
    ac.preferred_node = req.node.value_or(cpu_to_node(req.cpu));
    const bool thisnode = (req.gfp & __GFP_THISNODE) && m_params.arch == Arch::x86_64;
    for (ZoneRef ref : m_nodes[ac.preferred_node].zonelist)
        if (ref.zone <= ac.highest_zoneidx && (!thisnode || ref.node == ac.preferred_node))
            ac.zones[ac.nr_zones++] = ref;
    return ac;
}

// get_page_from_freelist(): one pass over the zones, taking from the first
// that passes the pass's watermark (none with ALLOC_NO_WATERMARKS) and has a
// block; every zone looked at is recorded in result->attempts.
bool Machine::get_page_from_freelist(const AllocContext& ac, unsigned order, unsigned pass,
                                     unsigned alloc_flags, AllocResult* result) {
    for (size_t i = 0; i < ac.nr_zones; ++i) {
        const ZoneRef ref = ac.zones[i];
        Zone& zone = zone_mut(ref);
        ZoneAttempt attempt{pass, ref, ZoneVerdict::Ok, 0, 0, 0, alloc_flags};
        bool ok = true;
        // ZONE_BELOW_HIGH: noticed here, off the hot free path, so that
        // frees shrink pcp->high while the zone is short of memory (the
        // kernel goes straight to the zone when the high check passes: the
        // pass's own mark, lower, would pass too). Only the per-CPU lists
        // read the flag, so pcp=off skips the check.
        if (m_params.pcp && !zone.below_high &&
            !zone_watermark_ok(zone, order, zone.wmark(WMARK_HIGH), ac.highest_zoneidx, alloc_flags,
                               nullptr))
            zone.below_high = true;
        if (!(alloc_flags & ALLOC_NO_WATERMARKS)) {
            const uint64_t mark = zone.wmark(static_cast<Wmark>(alloc_flags & ALLOC_WMARK_MASK));
            ok = zone_watermark_ok(zone, order, mark, ac.highest_zoneidx, alloc_flags, &attempt);
        } else {
            attempt.zone_free = static_cast<int64_t>(zone.free_pages);
            attempt.free_pages = attempt.zone_free;
        }
        if (ok) {
            // rmqueue(): orders 0-3 from the CPU's list; else, or when the
            // list cannot be refilled, rmqueue_buddy().
            std::optional<Pfn> pfn;
            if (m_params.pcp && pcp_allowed_order(order)) {
                pfn = rmqueue_pcplist(zone, order, ac.cpu);
                result->pcp = pfn.has_value();
                result->from_order = order;
            }
            if (!pfn) pfn = rmqueue_smallest(zone, order, &result->from_order);
            if (pfn) {
                result->ok = true;
                result->pfn = *pfn;
                result->zone = ref;
                wake_kswapd_if_boosted(zone, alloc_flags); // kswapd.cpp
            } else {
                attempt.verdict = ZoneVerdict::NoFreeBlock;
                ok = false;
            }
        }
        result->attempts.push_back(attempt);
        if (ok) return true;
    }
    return false;
}

// warn_alloc(): nothing changed; the warning goes to the event log unless
// __GFP_NOWARN.
void Machine::fail_alloc(const AllocRequest& req, std::string reason, AllocResult* result) {
    result->reason = std::move(reason);
    if (!(req.gfp & __GFP_NOWARN)) emit(EventType::AllocFail, ZoneRef{}, req.order, Pfn{}, req.gfp);
}

// The block becomes an allocation: the zone's free count, the allocation's
// record and name, its head page, and the counters (pgalloc, and
// zone_statistics()'s numa_* against the preferred zone and the local node).
void Machine::record_allocation(const AllocRequest& req, const AllocContext& ac,
                                const AllocResult& result) {
    Zone& zone = zone_mut(result.zone);
    // A block from a per-CPU list left the free pages when its batch did.
    if (!result.pcp) account_free(zone, -(int64_t{1} << req.order));
    Allocation a{
        req.name, result.pfn, static_cast<uint8_t>(req.order), result.zone.node, result.zone.zone,
        req.gfp,  true};
    uint32_t id;
    if (!m_free_ids.empty()) {
        id = m_free_ids.back();
        m_free_ids.pop_back();
        m_allocations[id] = std::move(a);
    } else {
        id = static_cast<uint32_t>(m_allocations.size());
        m_allocations.push_back(std::move(a));
    }
    if (!req.name.empty()) m_names[req.name] = id;
    Page& head = zone_page(zone, result.pfn);
    head.flags |= PG_head;
    head.order = static_cast<uint8_t>(req.order);
    head.alloc_id = id + 1;

    zone.counters.pgalloc += uint64_t{1} << req.order;
    if (m_params.arch != Arch::x86_64) return; // CONFIG_NUMA: x86_64 only
    const ZoneRef preferred = ac.zones[0];
    if (result.zone.node == preferred.node) {
        zone.counters.numa_hit++;
    } else {
        zone.counters.numa_miss++;
        zone_mut(preferred).counters.numa_foreign++;
    }
    // numa_local: the zone is on the allocating CPU's node (numa_node_id()).
    if (result.zone.node == cpu_to_node(ac.cpu))
        zone.counters.numa_local++;
    else
        zone.counters.numa_other++;
}

AllocResult Machine::alloc_pages(const AllocRequest& req) {
    AllocResult result;
    result.order = req.order;
    if (req.cpu >= nr_cpus()) {
        result.reason =
            "cpu=" + std::to_string(req.cpu) + ": must be 0 to " + std::to_string(nr_cpus() - 1);
        return result;
    }
    const AllocContext ac = prepare_alloc_pages(req);
    result.highest_zoneidx = ac.highest_zoneidx;
    if (ac.nr_zones == 0) {
        fail_alloc(req,
                   "no populated zone at or below " +
                       std::string(zone_kind_name(m_nodes[0].zones[ac.highest_zoneidx].kind)) +
                       " on node " + std::to_string(ac.preferred_node),
                   &result);
        return result;
    }

    const unsigned fast_flags =
        ALLOC_WMARK_LOW | ((req.gfp & __GFP_KSWAPD_RECLAIM) ? ALLOC_KSWAPD : 0);
    if (!get_page_from_freelist(ac, req.order, 1, fast_flags, &result))
        alloc_pages_slowpath(req, ac, &result); // slowpath.cpp

    if (!result.ok) {
        bool any_block = false;
        for (const ZoneAttempt& a : result.attempts)
            any_block = any_block || a.verdict == ZoneVerdict::BelowWatermark;
        fail_alloc(req,
                   any_block ? "every zone tried is at or below its watermark"
                             : "no zone has a free block of order " + std::to_string(req.order) +
                                   " or more",
                   &result);
        return result;
    }
    record_allocation(req, ac, result);
    emit(EventType::Alloc, result.zone, req.order, result.pfn);
    return result;
}

// ---- free_pages() ---------------------------------------------------------------

// __free_pages() -> free_frozen_page(): orders 0-3 to the freeing CPU's
// list (free_frozen_page_commit(), which may drain a batch), larger blocks
// through __free_one_page() straight to the buddy lists.
std::optional<std::string> Machine::free_pages(Pfn pfn, unsigned order, Merged* merged,
                                               unsigned cpu) {
    if (cpu >= nr_cpus())
        return "cpu=" + std::to_string(cpu) + ": must be 0 to " + std::to_string(nr_cpus() - 1);
    const Page* p = page(pfn);
    if (!p || !(p->flags & PG_head) || p->order != order) return bad_free(pfn, order);
    const uint32_t id = p->alloc_id - 1;
    Allocation& a = m_allocations[id];
    if (!a.name.empty()) m_names.erase(a.name);
    a.live = false;
    a.name.clear();
    m_free_ids.push_back(id);
    Page& head = page_mut(pfn);
    head.flags &= static_cast<uint8_t>(~PG_head);
    head.alloc_id = 0;

    const ZoneRef ref{a.node, a.zone};
    Zone& zone = zone_mut(ref);
    emit(EventType::Free, ref, order, pfn);
    zone.counters.pgfree += uint64_t{1} << order;
    if (m_params.pcp && pcp_allowed_order(order)) {
        const unsigned drained = free_frozen_page_commit(zone, cpu, pfn, order);
        if (merged) *merged = Merged{pfn, order, false, true, drained};
        return std::nullopt;
    }
    const Merged result = free_one_page(zone, pfn, order, FPI_NONE);
    if (merged) *merged = result;
    account_free(zone, int64_t{1} << order);
    return std::nullopt;
}

// Why pfn is not the head of an allocated block of this order; the messages
// are built only when a free is refused, off the hot path.
std::string Machine::bad_free(Pfn pfn, unsigned order) const {
    const std::string what = "pfn " + hex(pfn);
    const Page* p = page(pfn);
    if (!p) return what + " is not a page frame of this machine";
    if (p->flags & PG_head)
        return strprintf("%s heads an order-%u block, not order %u", what.c_str(), p->order, order);
    FrameInfo info = frame(pfn);
    if (info.state == FrameState::Reserved)
        return what + " is reserved (" + reserve_kind_name(info.reserve) + "), not allocated";
    if (info.state == FrameState::Free) return what + " is already free (double free?)";
    if (info.state == FrameState::PerCpu)
        return strprintf("%s is already free, on cpu %u's per-CPU list (double free?)",
                         what.c_str(), info.cpu);
    if (info.state == FrameState::Allocated)
        return strprintf("%s is inside the allocated block at %s (order %u), not its head",
                         what.c_str(), hex(info.block_pfn).c_str(), info.block_order);
    return what + " is not in any zone";
}

} // namespace mm
