// Per-CPU page lists (struct per_cpu_pages of mm/page_alloc.c, Linux 6.18):
// their sizes (zone_batchsize(), zone_highsize(), zone_pcp_update()), the
// refill and drain (rmqueue_bulk(), free_pcppages_bulk()) and how many pages
// each moves (nr_pcp_alloc(), nr_pcp_free(), nr_pcp_high() with the
// alloc_factor/free_count scaling and the free_high rule), the once-a-second
// decay_pcp_high(), drain_all_pages(), percpu_pagelist_high_fraction, and
// the vm stat thresholds of mm/vmstat.c.
//
// Until migratetypes arrive (#11) every block is Movable, so only the
// Movable lists (pindex 3 * order + 1) ever hold pages; the other two
// migratetypes' lists exist and stay empty.
#include "core/base/verify.h"
#include "core/mm/machine.h"
#include "core/mm/vmstat.h"

#include <algorithm>

namespace mm {

namespace {

// The lab's choice for the cache-size rule of free_high (the kernel reads
// the CPU's cache geometry: PCPF_FREE_HIGH_BATCH is set when the CPU's
// slice of the data cache, per_cpu_data_slice_size, holds more than three
// batches): every CPU has a 2 MiB slice, a common last-level cache per core.
// 512 pages exceed 3 x 63, the largest batch, so the flag is always set:
// a CPU freeing orders 1-3 without allocating keeps one batch on its lists.
constexpr uint64_t kCacheSliceBytes = uint64_t{2} << 20;

// zone_batchsize(): about a thousandth of the zone, at most 1 MiB, quartered
// (high is at least 4 batches) and made 2^n - 1 (rounddown_pow_of_two(b +
// b/2) - 1) to avoid cache aliasing between tasks taking alternate batches.
int zone_batchsize(const Zone& zone) {
    uint64_t batch = std::min<uint64_t>(zone.managed_pages >> 10, (uint64_t{1} << 20) / PAGE_SIZE);
    batch /= 4;
    if (batch < 1) batch = 1;
    uint64_t b = batch + batch / 2;
    uint64_t pow = 1;
    while (pow * 2 <= b)
        pow *= 2;
    return static_cast<int>(pow - 1);
}

// zone_highsize(): the low watermark (or managed / high_fraction), split
// across the CPUs of the zone's node (every CPU when the node has none), at
// least 4 batches.
int zone_highsize(const Zone& zone, int batch, unsigned node_cpus, unsigned all_cpus,
                  int high_fraction) {
    const uint64_t total_pages = high_fraction
                                     ? zone.managed_pages / static_cast<uint64_t>(high_fraction)
                                     : zone.wmark(WMARK_LOW); // low_wmark_pages(): with boost
    const uint64_t nr_split_cpus = node_cpus ? node_cpus : all_cpus;
    const int high = static_cast<int>(total_pages / nr_split_cpus);
    return std::max(high, batch << 2);
}

int fls(uint64_t x) {
    int r = 0;
    while (x) {
        ++r;
        x >>= 1;
    }
    return r;
}

} // namespace

// ---- Thresholds (mm/vmstat.c) -------------------------------------------------

int calculate_normal_threshold(const Zone& zone, unsigned online_cpus) {
    const uint64_t mem = zone.managed_pages >> (27 - PAGE_SHIFT); // 128 MiB units
    const int threshold = 2 * fls(online_cpus) * (1 + fls(mem));
    return std::min(125, threshold);
}

int calculate_pressure_threshold(const Zone& zone, unsigned online_cpus) {
    const int64_t distance =
        static_cast<int64_t>(zone.wmark(WMARK_LOW)) - static_cast<int64_t>(zone.wmark(WMARK_MIN));
    const int threshold =
        std::max(1, static_cast<int>(distance / static_cast<int64_t>(online_cpus)));
    return std::min(125, threshold);
}

// refresh_zone_stat_thresholds(): each populated zone's normal threshold,
// and percpu_drift_mark where every CPU's drift (cpus x threshold) could
// hide more than the gap between min and low.
void Machine::refresh_zone_stat_thresholds() {
    for (Node& node : m_nodes)
        for (Zone& zone : node.zones) {
            zone.stat_threshold = 0;
            zone.percpu_drift_mark = 0;
            if (!zone.populated()) continue;
            zone.stat_threshold = calculate_normal_threshold(zone, nr_cpus());
            const uint64_t tolerate_drift = zone.wmark(WMARK_LOW) - zone.wmark(WMARK_MIN);
            const uint64_t max_drift =
                uint64_t{nr_cpus()} * static_cast<uint64_t>(zone.stat_threshold);
            if (max_drift > tolerate_drift)
                zone.percpu_drift_mark = zone.wmark(WMARK_HIGH) + max_drift;
        }
}

void Machine::set_pgdat_percpu_threshold(unsigned node, bool pressure) {
    MM_VERIFY(node < m_nodes.size());
    for (Zone& zone : m_nodes[node].zones) {
        if (!zone.percpu_drift_mark) continue;
        zone.stat_threshold = pressure ? calculate_pressure_threshold(zone, nr_cpus())
                                       : calculate_normal_threshold(zone, nr_cpus());
    }
}

// ---- Sizes: zone_pcp_update() --------------------------------------------------

unsigned Machine::node_nr_cpus(unsigned node) const {
    unsigned n = 0;
    for (unsigned cpu = 0; cpu < nr_cpus(); ++cpu)
        n += cpu_to_node(cpu) == node;
    return n;
}

unsigned Machine::pcp_cpu_of(Pfn pfn) const {
    const Page* p = page(pfn);
    if (!p || !(p->flags & PG_pcp)) return 0;
    const Zone& zone = m_nodes[static_cast<size_t>(node_of(pfn))].zones[p->zone];
    uint32_t head = static_cast<uint32_t>(pfn.value());
    while (zone_page(zone, Pfn{head}).prev != NIL_PFN)
        head = zone_page(zone, Pfn{head}).prev;
    const unsigned pindex = order_to_pindex(MIGRATE_MOVABLE, p->order);
    for (unsigned cpu = 0; cpu < zone.pcp.size(); ++cpu)
        if (zone.pcp[cpu].lists[pindex].head == head) return cpu;
    return 0;
}

uint64_t Zone::pcp_pages() const {
    uint64_t sum = 0;
    for (const PerCpuPages& p : pcp)
        sum += static_cast<uint64_t>(p.count);
    return sum;
}

// per_cpu_pages_init() for every zone and CPU: the boot pageset's values
// (high_min = high_max = 0, batch 1, high 0); zone_pcp_update() then sizes
// the populated zones, unless pcp=off keeps every zone as
// zone_pcp_disable() leaves it (those same values).
void Machine::setup_zone_pagesets() {
    for (Node& node : m_nodes)
        for (Zone& zone : node.zones) {
            zone.pcp.assign(nr_cpus(), PerCpuPages{});
            zone.pageset_high_min = zone.pageset_high_max = zone.pageset_batch = 0;
        }
}

// zone_pcp_update() -> zone_set_pageset_high_and_batch(zone, 0): batch from
// the zone's size; high_min from the low watermark and high_max from an
// eighth of the zone (the smallest high_fraction), or both from
// percpu_pagelist_high_fraction when it is set (no auto-tuning then).
// pageset_update() writes them to every CPU's pageset; high itself is left
// to move on its own. The cache-size flag follows the batch
// (zone_pcp_update_cacheinfo()).
void Machine::zone_pcp_update(Zone& zone) {
    if (!m_params.pcp || !zone.populated()) return;
    const int batch = std::max(1, zone_batchsize(zone));
    const unsigned node_cpus = node_nr_cpus(zone.node);
    const int fraction = m_sysctl.percpu_pagelist_high_fraction;
    int high_min, high_max;
    if (fraction) {
        high_min = high_max = zone_highsize(zone, batch, node_cpus, nr_cpus(), fraction);
    } else {
        high_min = zone_highsize(zone, batch, node_cpus, nr_cpus(), 0);
        high_max =
            zone_highsize(zone, batch, node_cpus, nr_cpus(), MIN_PERCPU_PAGELIST_HIGH_FRACTION);
    }
    if (zone.pageset_high_min == high_min && zone.pageset_high_max == high_max &&
        zone.pageset_batch == batch)
        return;
    zone.pageset_high_min = high_min;
    zone.pageset_high_max = high_max;
    zone.pageset_batch = batch;
    const bool free_high_batch =
        (kCacheSliceBytes >> PAGE_SHIFT) > 3 * static_cast<uint64_t>(batch);
    for (PerCpuPages& pcp : zone.pcp) {
        pcp.batch = batch;
        pcp.high_min = high_min;
        pcp.high_max = high_max;
        if (free_high_batch)
            pcp.flags |= PCPF_FREE_HIGH_BATCH;
        else
            pcp.flags &= static_cast<uint8_t>(~PCPF_FREE_HIGH_BATCH);
    }
}

// percpu_pagelist_high_fraction_sysctl_handler(): proc_dointvec_minmax with
// a minimum of 0; a value from 1 to 7 is refused; a change resizes every
// populated zone.
std::optional<std::string> Machine::set_percpu_pagelist_high_fraction(int64_t value) {
    if (value < 0 || value > INT32_MAX) return "Invalid argument";
    if (value && value < MIN_PERCPU_PAGELIST_HIGH_FRACTION) return "Invalid argument";
    const int old = m_sysctl.percpu_pagelist_high_fraction;
    m_sysctl.percpu_pagelist_high_fraction = static_cast<int>(value);
    if (value != old)
        for (Node& node : m_nodes)
            for (Zone& zone : node.zones)
                zone_pcp_update(zone);
    emit(EventType::Sysctl, ZoneRef{}, 0, Pfn{});
    return std::nullopt;
}

// ---- The lists ---------------------------------------------------------------------

void Machine::pcp_list_add(Zone& zone, PcpList& list, Pfn pfn, unsigned order, bool tail) {
    Page& page = zone_page(zone, pfn);
    page.flags |= PG_pcp;
    page.order = static_cast<uint8_t>(order);
    const uint32_t p = static_cast<uint32_t>(pfn.value());
    if (list.head == NIL_PFN) {
        page.next = page.prev = NIL_PFN;
        list.head = list.tail = p;
    } else if (tail) {
        page.prev = list.tail;
        page.next = NIL_PFN;
        zone_page(zone, Pfn{list.tail}).next = p;
        list.tail = p;
    } else {
        page.next = list.head;
        page.prev = NIL_PFN;
        zone_page(zone, Pfn{list.head}).prev = p;
        list.head = p;
    }
    list.nr++;
}

Pfn Machine::pcp_list_del_head(Zone& zone, PcpList& list) {
    const Pfn pfn{list.head};
    Page& page = zone_page(zone, pfn);
    list.head = page.next;
    if (list.head != NIL_PFN)
        zone_page(zone, Pfn{list.head}).prev = NIL_PFN;
    else
        list.tail = NIL_PFN;
    page.next = page.prev = NIL_PFN;
    page.flags &= static_cast<uint8_t>(~PG_pcp);
    list.nr--;
    return pfn;
}

Pfn Machine::pcp_list_del_tail(Zone& zone, PcpList& list) {
    const Pfn pfn{list.tail};
    Page& page = zone_page(zone, pfn);
    list.tail = page.prev;
    if (list.tail != NIL_PFN)
        zone_page(zone, Pfn{list.tail}).next = NIL_PFN;
    else
        list.head = NIL_PFN;
    page.next = page.prev = NIL_PFN;
    page.flags &= static_cast<uint8_t>(~PG_pcp);
    list.nr--;
    return pfn;
}

// ---- Allocation: rmqueue_pcplist() -----------------------------------------------

// nr_pcp_alloc(): how many blocks an empty list takes from the buddy lists.
// high is first clamped into [high_min, high_max]; a disabled pageset (high
// below batch) takes one. Unless the zone is below its high watermark, an
// auto-tuned high grows by the batch, since a larger high would have
// spared this refill. Order 0 doubles its batch for each refill without a
// free between (alloc_factor, up to 2^5), bounded by the room under high.
// Higher orders take batch >> order blocks, at least 2.
int Machine::nr_pcp_alloc(PerCpuPages& pcp, const Zone& zone, unsigned order) const {
    const int base_batch = pcp.batch;
    const int high_min = pcp.high_min, high_max = pcp.high_max;
    int high = pcp.high = std::clamp(pcp.high, high_min, high_max);
    if (high < base_batch) return 1;
    int batch = order ? base_batch : base_batch << pcp.alloc_factor;
    if (high_min != high_max && !zone.below_high)
        high = pcp.high = std::min(high + batch, high_max);
    if (!order) {
        const int max_nr_alloc = std::max(high - pcp.count - base_batch, base_batch);
        if (batch <= max_nr_alloc && pcp.alloc_factor < PCP_BATCH_SCALE_MAX) pcp.alloc_factor++;
        batch = std::min(batch, max_nr_alloc);
    }
    if (batch > 1) batch = std::max(batch >> order, 2);
    return batch;
}

// rmqueue_bulk(): `count` blocks of `order` from the buddy lists
// (__rmqueue_smallest, splitting as needed) onto the tail of the CPU's list,
// in the order they come (so the list runs in physical order after a
// split); NR_FREE_PAGES drops by what was taken. Returns the blocks taken.
int Machine::rmqueue_bulk(Zone& zone, unsigned order, int count, PcpList& list, unsigned cpu) {
    int i = 0;
    Pfn first;
    m_quiet = true; // one PcpRefill event stands for the batch's splits
    for (; i < count; ++i) {
        unsigned from_order = 0;
        const std::optional<Pfn> pfn = rmqueue_smallest(zone, order, &from_order);
        if (!pfn) break;
        if (i == 0) first = *pfn;
        pcp_list_add(zone, list, *pfn, order, true);
    }
    m_quiet = false;
    if (i) {
        account_free(zone, -(int64_t{i} << order));
        emit(EventType::PcpRefill, ZoneRef{zone.node, zone.idx}, order, first,
             (uint64_t{cpu} << 32) | (static_cast<uint64_t>(i) << order));
    }
    return i;
}

// rmqueue_pcplist(): an allocation halves free_count (fewer pages go back
// per drain once allocations resume); an empty list is refilled by
// nr_pcp_alloc() blocks; the block comes from the list's head.
std::optional<Pfn> Machine::rmqueue_pcplist(Zone& zone, unsigned order, unsigned cpu) {
    PerCpuPages& pcp = zone.pcp[cpu];
    pcp.free_count >>= 1;
    PcpList& list = pcp.lists[order_to_pindex(MIGRATE_MOVABLE, order)];
    if (list.head == NIL_PFN) {
        const int batch = nr_pcp_alloc(pcp, zone, order);
        pcp.count += rmqueue_bulk(zone, order, batch, list, cpu) << order;
        if (list.head == NIL_PFN) return std::nullopt;
    }
    const Pfn pfn = pcp_list_del_head(zone, list);
    pcp.count -= 1 << order;
    return pfn;
}

// ---- Free: free_frozen_page_commit() -----------------------------------------------

// free_pcppages_bulk(): `count` pages (at most what the lists hold) from the
// tails of the lists, round-robin from `pindex` on (so that list first),
// each through __free_one_page(); one PcpDrain event for the batch.
void Machine::free_pcppages_bulk(Zone& zone, int count, PerCpuPages& pcp, unsigned pindex,
                                 unsigned cpu) {
    count = std::min(pcp.count, count);
    if (count <= 0) return;
    const int total = count;
    unsigned p = pindex + NR_PCP_LISTS - 1; // "pindex - 1", then ++ before use
    m_quiet = true;                         // the PcpDrain event stands for the merges
    while (count > 0) {
        PcpList* list;
        do {
            p = (p + 1) % NR_PCP_LISTS;
            list = &pcp.lists[p];
        } while (list->head == NIL_PFN);
        const unsigned order = pindex_to_order(p);
        const int nr_pages = 1 << order;
        do {
            const Pfn pfn = pcp_list_del_tail(zone, *list);
            count -= nr_pages;
            pcp.count -= nr_pages;
            free_one_page(zone, pfn, order, FPI_NONE);
        } while (count > 0 && list->head != NIL_PFN);
    }
    m_quiet = false;
    const int freed = total - count; // count ends below 0 when a block overshoots it
    account_free(zone, freed);
    emit(EventType::PcpDrain, ZoneRef{zone.node, zone.idx}, 0, Pfn{},
         (uint64_t{cpu} << 32) | static_cast<uint64_t>(freed));
}

// nr_pcp_high(): the count at which a free drains. high is clamped into
// [high_min, high_max]; a free_high drain lowers it by up to 2^5 batches and
// drains all; while kswapd reclaims (ZONE_RECLAIM_ACTIVE) it shrinks by what
// is being freed and stops at 4 batches. Auto-tuned (high_min != high_max):
// below the zone's high watermark high shrinks the same way and nothing
// beyond high_min stays; otherwise a full list raises high to hold the
// pages being freed plus a batch.
int Machine::nr_pcp_high(PerCpuPages& pcp, const Zone& zone, int batch, bool free_high) const {
    const int high_min = pcp.high_min, high_max = pcp.high_max;
    int high = pcp.high = std::clamp(pcp.high, high_min, high_max);
    if (!high) return 0;
    if (free_high) {
        pcp.high = std::max(high - (batch << PCP_BATCH_SCALE_MAX), high_min);
        return 0;
    }
    if (zone.reclaim_active) {
        const int free_count = std::max(pcp.free_count, batch);
        pcp.high = std::max(high - free_count, high_min);
        return std::min(batch << 2, pcp.high);
    }
    if (high_min == high_max) return high;
    if (zone.below_high) {
        const int free_count = std::max(pcp.free_count, batch);
        pcp.high = std::max(high - free_count, high_min);
        high = std::max(pcp.count, high_min);
    } else if (pcp.count >= high) {
        const int need_high = pcp.free_count + batch;
        if (pcp.high < need_high) pcp.high = std::clamp(need_high, high_min, high_max);
    }
    return high;
}

// nr_pcp_free() is inlined below: free_high drains up to 2^5 batches;
// a disabled pageset (high below batch) one page; otherwise free_count
// (pages freed in a row) clamped to [batch, high - batch], leaving a batch.
//
// free_frozen_page_commit(): a free halves alloc_factor, goes to the head of
// the CPU's list, and counts in free_count (up to 2^5 batches). free_high
// marks a CPU freeing orders 1-3 in a row past batch + high_min/2 (with a
// batch kept back when its cache slice is large): those blocks fragment
// memory if held, so they are drained. At or above nr_pcp_high() the lists
// drain; a zone back above its high watermark leaves ZONE_BELOW_HIGH.
// Returns the pages drained.
unsigned Machine::free_frozen_page_commit(Zone& zone, unsigned cpu, Pfn pfn, unsigned order) {
    PerCpuPages& pcp = zone.pcp[cpu];
    pcp.alloc_factor >>= 1;
    const unsigned pindex = order_to_pindex(MIGRATE_MOVABLE, order);
    pcp_list_add(zone, pcp.lists[pindex], pfn, order, false);
    pcp.count += 1 << order;
    const int batch = pcp.batch;
    bool free_high = false;
    if (order && order <= PAGE_ALLOC_COSTLY_ORDER) {
        free_high = pcp.free_count >= batch + pcp.high_min / 2 &&
                    (pcp.flags & PCPF_PREV_FREE_HIGH_ORDER) &&
                    (!(pcp.flags & PCPF_FREE_HIGH_BATCH) || pcp.count >= batch);
        pcp.flags |= PCPF_PREV_FREE_HIGH_ORDER;
    } else if (pcp.flags & PCPF_PREV_FREE_HIGH_ORDER) {
        pcp.flags &= static_cast<uint8_t>(~PCPF_PREV_FREE_HIGH_ORDER);
    }
    if (pcp.free_count < (batch << PCP_BATCH_SCALE_MAX)) pcp.free_count += 1 << order;
    const int high = nr_pcp_high(pcp, zone, batch, free_high);
    if (pcp.count < high) return 0;
    int to_free;
    if (free_high)
        to_free = std::min(pcp.count, batch << PCP_BATCH_SCALE_MAX);
    else if (high < batch)
        to_free = 1;
    else
        to_free = std::clamp(pcp.free_count, batch, high - batch);
    const int before = pcp.count;
    free_pcppages_bulk(zone, to_free, pcp, pindex, cpu);
    if (zone.below_high && zone_high_wmark_ok(zone)) zone.below_high = false;
    return static_cast<unsigned>(before - pcp.count);
}

// zone_watermark_ok(zone, 0, high_wmark_pages(zone), ZONE_MOVABLE, 0): above
// the high watermark plus the reserve kept from the highest zone's requests.
bool Machine::zone_high_wmark_ok(const Zone& zone) const {
    return zone_watermark_ok(zone, 0, zone.wmark(WMARK_HIGH), zone.lowmem_reserve.size() - 1, 0,
                             nullptr);
}

// ---- Decay and drain ----------------------------------------------------------------

// decay_pcp_high() for every CPU and populated zone: high above high_min
// falls by an eighth (but not below count less 2^5 batches, nor high_min);
// the pages above the new high are freed a batch at a time.
void Machine::decay_pcp_high_all() {
    for (unsigned cpu = 0; cpu < nr_cpus(); ++cpu)
        for (Node& node : m_nodes)
            for (Zone& zone : node.zones) {
                if (!zone.populated() || zone.pcp.empty()) continue;
                PerCpuPages& pcp = zone.pcp[cpu];
                const int high_min = pcp.high_min, batch = pcp.batch;
                if (pcp.high > high_min)
                    pcp.high = std::max({pcp.count - (batch << PCP_BATCH_SCALE_MAX),
                                         pcp.high - (pcp.high >> 3), high_min});
                int to_drain = pcp.count - pcp.high;
                while (to_drain > 0) {
                    const int batched = std::min(to_drain, batch);
                    free_pcppages_bulk(zone, batched, pcp, 0, cpu);
                    to_drain -= batched;
                }
            }
}

// drain_pages_zone() on each CPU (drain_all_pages() when cpu is unset): the
// lists go back at most 2^5 batches per free_pcppages_bulk() call.
uint64_t Machine::drain_pages(std::optional<ZoneRef> only, std::optional<unsigned> cpu) {
    uint64_t drained = 0;
    for (unsigned c = 0; c < nr_cpus(); ++c) {
        if (cpu && *cpu != c) continue;
        for (Node& node : m_nodes)
            for (Zone& zone : node.zones) {
                if (!zone.populated() || zone.pcp.empty()) continue;
                if (only && (only->node != zone.node || only->zone != zone.idx)) continue;
                PerCpuPages& pcp = zone.pcp[c];
                while (pcp.count > 0) {
                    const int before = pcp.count;
                    free_pcppages_bulk(zone, std::min(pcp.count, pcp.batch << PCP_BATCH_SCALE_MAX),
                                       pcp, 0, c);
                    drained += static_cast<uint64_t>(before - pcp.count);
                }
            }
    }
    return drained;
}

} // namespace mm
