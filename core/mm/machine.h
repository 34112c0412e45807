// The simulated machine: NUMA nodes, their zones and page frames, and the
// zoned buddy allocator of mm/page_alloc.c. Plain values only (vectors indexed
// by pfn, lists linked by pfn), so that a Machine can be copied for a
// prediction and rebuilt by replay for undo.
//
// Sections: boot parameters and layout | struct page | zones and nodes |
// the Machine class (boot, alloc_pages, free_pages, sysctls, queries).
#pragma once

#include "core/base/events.h"
#include "core/base/types.h"
#include "core/mm/clock.h"
#include "core/mm/gfp.h"

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mm {

// ---- Boot parameters and layout -------------------------------------------

enum class Arch : uint8_t { x86_64, i386, toy };
const char* arch_name(Arch arch);

// Limits of `boot` (the kernel allows more: these keep the lab's machines
// within what the page can show and hold).
inline constexpr unsigned kMaxNodes = 8;
inline constexpr unsigned kMaxCpus = 64;
// A memory section (SPARSEMEM's SECTION_SIZE_BITS 27 on x86_64): 128 MiB,
// 32768 frames. The memmap is kept a section at a time, and NUMA node
// boundaries fall on sections.
inline constexpr unsigned PFN_SECTION_SHIFT = 15;
inline constexpr uint64_t PAGES_PER_SECTION = uint64_t{1} << PFN_SECTION_SHIFT;

// The toy machine's default RAM: 16 frames, every block of its buddy system visible.
inline constexpr uint64_t kToyDefaultRam = uint64_t{64} << 10;

struct BootParams {
    Arch arch = Arch::x86_64;
    uint64_t ram = uint64_t{1} << 30; // bytes
    unsigned cpus = 2;
    unsigned nodes = 1;
    uint64_t swap = 0;        // bytes
    uint64_t movablecore = 0; // bytes
    uint64_t seed = 0;
    // Per-CPU page lists (boot pcp=on|off): on for x86_64 and i386, off for
    // the toy machine (`boot` sets it from arch= unless pcp= is given). Off,
    // every zone's lists stay as zone_pcp_disable() leaves them.
    bool pcp = true;

    bool operator==(const BootParams&) const = default;
};

// Memory that memblock keeps at boot and never gives to the buddy allocator.
enum class ReserveKind : uint8_t { None, Firmware, KernelImage, Memmap };
const char* reserve_kind_name(ReserveKind kind);

// A range of RAM in the memory map (an E820_TYPE_RAM entry as memblock.memory
// keeps it): pfns [start, end).
struct RamRange {
    Pfn start;
    Pfn end;
    uint64_t pages() const { return end - start; }
};

struct Reservation {
    Pfn start_pfn;
    uint64_t nr_pages = 0;
    ReserveKind kind = ReserveKind::None;
    uint8_t node = 0;
};

// ---- struct page ------------------------------------------------------------

enum PageFlags : uint8_t {
    PG_buddy = 1 << 0,    // heads a free block on a buddy list (PageBuddy)
    PG_reserved = 1 << 1, // memblock kept it (PageReserved)
    PG_head = 1 << 2,     // heads an allocated block (alloc_id says which)
    PG_nozone = 1 << 3,   // in no zone (pfn 0 on x86)
    PG_pcp = 1 << 4,      // heads a block on a per-CPU list (next/prev link that list)
    // Not RAM: a hole of the e820 map inside a section that has RAM (pfn 0,
    // 0x9f-0xff on x86). The kernel gives such frames a struct page marked
    // PageReserved (init_unavailable_range()); the lab marks them as holes,
    // so that they count as neither present nor reserved.
    PG_hole = 1 << 7,
};

// One entry per page frame, 16 bytes (the kernel's is 64). The buddy list
// links are pfns in 32 bits (a Pfn is 64), which is what keeps it at 16:
// Pfn{page.next} is the pfn. 32 bits reach 16 TiB of RAM.
struct Page {
    uint32_t next = NIL_PFN; // buddy list links (absolute pfns)
    uint32_t prev = NIL_PFN;
    uint32_t alloc_id = 0; // for PG_head: index + 1 into Machine::allocations()
    uint8_t flags = 0;
    uint8_t order = 0; // order of the free or allocated block this page heads
    uint8_t zone = 0;  // zone_idx
    ReserveKind reserve = ReserveKind::None;
};
static_assert(sizeof(Page) <= 16, "struct page must stay small: one per frame");

// ---- Zones and nodes --------------------------------------------------------

// __find_buddy_pfn(): the buddy of the block of `order` at pfn (which is
// aligned to it), the other half of the block of order + 1 they make.
constexpr Pfn find_buddy_pfn(Pfn pfn, unsigned order) {
    return Pfn{pfn.value() ^ (uint64_t{1} << order)};
}

enum Wmark : unsigned { WMARK_MIN, WMARK_LOW, WMARK_HIGH, WMARK_PROMO, NR_WMARK };

struct FreeArea {
    uint32_t head = NIL_PFN; // list_first_entry: what __rmqueue_smallest takes
    uint32_t tail = NIL_PFN;
    uint64_t nr_free = 0; // blocks, not pages
};

// ---- Per-CPU page lists (pcp.cpp) ---------------------------------------------

// pcp_allowed_order(): orders 0 to PAGE_ALLOC_COSTLY_ORDER pass through the
// per-CPU lists (the kernel adds THP's order 9, which the lab leaves out).
inline constexpr unsigned MIGRATE_PCPTYPES = 3; // Unmovable, Movable, Reclaimable
inline constexpr unsigned MIGRATE_MOVABLE = 1;
// NR_PCP_LISTS without NR_PCP_THP; order_to_pindex(mt, order) = 3 * order + mt.
inline constexpr unsigned NR_PCP_LISTS = MIGRATE_PCPTYPES * (PAGE_ALLOC_COSTLY_ORDER + 1);
constexpr unsigned order_to_pindex(unsigned migratetype, unsigned order) {
    return MIGRATE_PCPTYPES * order + migratetype;
}
constexpr unsigned pindex_to_order(unsigned pindex) {
    return pindex / MIGRATE_PCPTYPES;
}
constexpr bool pcp_allowed_order(unsigned order) {
    return order <= PAGE_ALLOC_COSTLY_ORDER;
}
// CONFIG_PCP_BATCH_SCALE_MAX's default: alloc_factor and free_count scale a
// batch by at most 2^5.
inline constexpr int PCP_BATCH_SCALE_MAX = 5;
// percpu_pagelist_high_fraction's smallest non-zero value.
inline constexpr int MIN_PERCPU_PAGELIST_HIGH_FRACTION = 8;

enum PcpFlags : uint8_t {
    PCPF_PREV_FREE_HIGH_ORDER = 1 << 0, // the last free was of order 1..3
    PCPF_FREE_HIGH_BATCH = 1 << 1,      // the CPU's cache slice holds more than 3 batches
};

// One list of one struct per_cpu_pages: blocks linked through their head
// pages' next/prev (absolute pfns), head = list_first_entry.
struct PcpList {
    uint32_t head = NIL_PFN;
    uint32_t tail = NIL_PFN;
    uint32_t nr = 0; // blocks on the list
};

// struct per_cpu_pages of one zone and CPU. count is in pages.
struct PerCpuPages {
    int count = 0;
    int high = 0; // starts at 0; auto-tuned between high_min and high_max
    int high_min = 0;
    int high_max = 0;
    int batch = 1;
    int free_count = 0; // pages freed since the last allocation (scaled down on alloc)
    uint8_t alloc_factor = 0;
    uint8_t flags = 0; // PcpFlags
    std::array<PcpList, NR_PCP_LISTS> lists{};
};

// Per-zone counters the simulation keeps (zone_stat_item, numa_stat_item).
struct ZoneCounters {
    uint64_t numa_hit = 0, numa_miss = 0, numa_foreign = 0;
    uint64_t numa_interleave = 0, numa_local = 0, numa_other = 0;
    uint64_t pgalloc = 0; // pages allocated from this zone (vmstat pgalloc_*)
    uint64_t pgfree = 0;  // pages freed to this zone
};

struct Zone {
    ZoneKind kind = ZoneKind::Normal;
    uint8_t idx = 0; // zone_idx in this configuration
    uint8_t node = 0;
    Pfn zone_start_pfn;
    uint64_t spanned_pages = 0;
    uint64_t present_pages = 0;
    uint64_t managed_pages = 0;
    uint64_t free_pages = 0;                    // NR_FREE_PAGES
    std::array<uint64_t, NR_WMARK> watermark{}; // _watermark[]
    uint64_t watermark_boost = 0;
    // ZONE_BOOSTED_WATERMARK: set with a watermark boost (migratetype
    // fallbacks, #11); the next allocation that may wake kswapd clears it
    // and wakes kswapd (rmqueue()).
    bool boosted_watermark = false;
    std::vector<int64_t> lowmem_reserve; // one entry per zone of the configuration
    std::array<FreeArea, NR_PAGE_ORDERS> free_area{};
    ZoneCounters counters;
    // Per-CPU page lists: per_cpu_pageset, one per CPU of the machine, and
    // the values zone_set_pageset_high_and_batch() last gave them.
    std::vector<PerCpuPages> pcp;
    int pageset_high_min = 0, pageset_high_max = 0, pageset_batch = 0;
    // per_cpu_zonestats' stat_threshold (equal on every CPU):
    // calculate_normal_threshold(), or the pressure one while kswapd runs.
    int stat_threshold = 0;
    uint64_t percpu_drift_mark = 0; // 0: the drift is tolerable (no pressure threshold)
    bool below_high = false;        // ZONE_BELOW_HIGH
    bool reclaim_active = false;    // ZONE_RECLAIM_ACTIVE (kswapd sets it while reclaiming)

    const char* name() const { return zone_kind_name(kind); }
    bool populated() const { return present_pages != 0; }
    Pfn end_pfn() const { return zone_start_pfn + spanned_pages; } // zone_end_pfn()
    bool spans(Pfn pfn) const { return pfn >= zone_start_pfn && pfn < end_pfn(); }
    uint64_t wmark(Wmark w) const { return watermark[w] + watermark_boost; }
    // Free pages in blocks of pageblock order or more (NR_FREE_PAGES_BLOCKS).
    uint64_t free_pages_blocks() const;
    // Pages on this zone's per-CPU lists, every CPU.
    uint64_t pcp_pages() const;
};

struct ZoneRef {
    uint8_t node;
    uint8_t zone; // zone_idx
};

struct Node {
    uint8_t id = 0;
    Pfn node_start_pfn;
    uint64_t node_spanned_pages = 0;
    std::vector<Zone> zones;       // every zone of the configuration, by zone_idx
    std::vector<Page> pages;       // memmap: pages[pfn - node_start_pfn]
    std::vector<ZoneRef> zonelist; // ZONELIST_FALLBACK, populated zones only

    Pfn node_end_pfn() const { return node_start_pfn + node_spanned_pages; }
    bool spans(Pfn pfn) const { return pfn >= node_start_pfn && pfn < node_end_pfn(); }
};

// The vm sysctls the page allocator reads.
struct VmSysctl {
    int min_free_kbytes = 1024;
    int user_min_free_kbytes = -1;
    int watermark_scale_factor = 10;
    int percpu_pagelist_high_fraction = 0; // 0: high from the low watermark
    std::vector<int> lowmem_reserve_ratio; // one per zone of the configuration
};

// ---- Results of the allocator ----------------------------------------------

// Why one zone said no during one pass.
enum class ZoneVerdict : uint8_t { Ok, BelowWatermark, NoFreeBlock };

// Trivially constructible (no member initializers), so that a list of them
// costs nothing until used: fill every field.
struct ZoneAttempt {
    unsigned pass; // 1 = low watermark (fast path), 2 = min (slow path), 3 = none
                   // (__GFP_MEMALLOC), 4 = min with ALLOC_MIN_RESERVE (__GFP_NOFAIL)
    ZoneRef zone;
    ZoneVerdict verdict;
    int64_t zone_free;  // the zone's free pages (NR_FREE_PAGES) as the check read them
    int64_t free_pages; // zone_free less the request's share, (1 << order) - 1, as
                        // __zone_watermark_ok() compares it (pass 3: as it is)
    int64_t mark;       // the watermark after the request's allowances
    int64_t reserve;    // lowmem_reserve[highest_zoneidx]
    unsigned alloc_flags;
};

// The most zones a zonelist can hold: kMaxNodes nodes of at most 5 zones
// (x86_64's DMA, DMA32, Normal, Movable, Device).
inline constexpr size_t kMaxZonesPerNode = 5;
inline constexpr size_t kMaxZonelist = kMaxNodes * kMaxZonesPerNode;

// The zones one allocation tried, in order: a fixed-capacity list, so that an
// allocation never touches the heap. alloc_pages() tries the zonelist at most
// four times: the low watermark, the min watermark, for __GFP_MEMALLOC no
// watermark, and for __GFP_NOFAIL the min watermark with ALLOC_MIN_RESERVE.
inline constexpr size_t kMaxPasses = 4;

class ZoneAttempts {
  public:
    void push_back(const ZoneAttempt& a) { m_items[m_count++] = a; }
    size_t size() const { return m_count; }
    bool empty() const { return m_count == 0; }
    const ZoneAttempt& operator[](size_t i) const { return m_items[i]; }
    const ZoneAttempt& back() const { return m_items[m_count - 1]; }
    const ZoneAttempt* begin() const { return m_items.data(); }
    const ZoneAttempt* end() const { return m_items.data() + m_count; }

  private:
    std::array<ZoneAttempt, kMaxPasses * kMaxZonelist> m_items;
    size_t m_count = 0;
};

// The steps of __alloc_pages_slowpath(), in the kernel's order. Later
// issues fill in the ones the lab does not model yet (compaction, reclaim,
// the OOM killer); `explain` and a failure's data show them.
enum class SlowStage : uint8_t {
    WakeKswapd,       // wake_all_kswapds(), when the mask has __GFP_KSWAPD_RECLAIM
    RetryMin,         // get_page_from_freelist() with gfp_to_alloc_flags() (min watermark)
    EarlyCompaction,  // __alloc_pages_direct_compact() before reclaim (costly or unmovable)
    NoWatermarks,     // the retry with __gfp_pfmemalloc_flags(): ALLOC_NO_WATERMARKS
    DirectReclaim,    // __alloc_pages_direct_reclaim()
    DirectCompaction, // __alloc_pages_direct_compact() after reclaim
    ReclaimRetry,     // should_reclaim_retry() / should_compact_retry(): loop again?
    Oom,              // __alloc_pages_may_oom()
    NoFailFallback,   // __GFP_NOFAIL: __alloc_pages_cpuset_fallback(ALLOC_MIN_RESERVE)
};
const char* slow_stage_name(SlowStage stage);     // "wake_kswapd", ...
const char* slow_stage_function(SlowStage stage); // "wake_all_kswapds()", ...

enum class StageResult : uint8_t {
    Ran,         // did its work (kswapd woken or not: see the nodes)
    Succeeded,   // an attempt that got the block
    Failed,      // an attempt that did not
    Skipped,     // the kernel does not run it for this request (why says which rule)
    NotModelled, // the kernel would run it; the lab does not model it yet
};
const char* stage_result_name(StageResult result);

// Trivially constructible, as ZoneAttempt: fill every field. `why` is a
// string literal (never freed, never copied).
struct SlowPathStep {
    SlowStage stage;
    StageResult result;
    const char* why;      // one line: the rule that decided it
    unsigned alloc_flags; // the ALLOC_* flags of the attempt (0 for a step without one)
    // For WakeKswapd: bit n set for each node whose kswapd wakeup_kswapd() woke,
    // found already running, or left asleep because its node was balanced.
    uint16_t woken, running, balanced;
};

inline constexpr size_t kMaxSlowSteps = 9;
class SlowPathSteps {
  public:
    void push_back(const SlowPathStep& s) { m_items[m_count++] = s; }
    size_t size() const { return m_count; }
    bool empty() const { return m_count == 0; }
    const SlowPathStep& operator[](size_t i) const { return m_items[i]; }
    const SlowPathStep* begin() const { return m_items.data(); }
    const SlowPathStep* end() const { return m_items.data() + m_count; }

  private:
    std::array<SlowPathStep, kMaxSlowSteps> m_items;
    size_t m_count = 0;
};

struct AllocRequest {
    unsigned order = 0;
    gfp_t gfp = GFP_KERNEL;
    std::optional<unsigned> node; // preferred node; the CPU's node if unset
    unsigned cpu = 0;             // the allocating CPU: its lists, its node
    std::string name;             // as=NAME, may be empty
};

struct AllocResult {
    bool ok = false;
    Pfn pfn;
    unsigned order = 0;
    ZoneRef zone{};
    unsigned highest_zoneidx = 0;
    unsigned from_order = 0; // the order of the free list the block was taken from
    bool pcp = false;        // taken from the CPU's per-CPU list (rmqueue_pcplist)
    ZoneAttempts attempts;   // every zone tried, in order
    SlowPathSteps slowpath;  // __alloc_pages_slowpath()'s steps (empty: the fast path did it)
    std::string reason;      // one line when !ok
};

struct Allocation {
    std::string name; // may be empty
    Pfn pfn;
    uint8_t order = 0;
    uint8_t node = 0;
    uint8_t zone = 0;
    gfp_t gfp = 0;
    bool live = false;
};

// What a pfn is, for the map and tooltips.
enum class FrameState : uint8_t { Hole, Reserved, Free, Allocated, PerCpu };
struct FrameInfo {
    FrameState state = FrameState::Hole;
    uint8_t node = 0;
    uint8_t zone = 0;
    bool in_zone = false;
    Pfn block_pfn; // head of the free or allocated block it belongs to
    unsigned block_order = 0;
    ReserveKind reserve = ReserveKind::None;
    uint32_t alloc_id = 0; // for Allocated: index + 1 into allocations()
    uint8_t cpu = 0;       // for PerCpu: whose list
};

// One byte per frame for pictures of the whole machine (the physical map):
// what FrameInfo says, without the block's head.
enum FrameCode : uint8_t {
    FRAME_HOLE = 0,      // no RAM, or in no zone (pfn 0 on x86)
    FRAME_RESERVED = 1,  // memblock kept it
    FRAME_ALLOCATED = 2, // part of an allocated block
    FRAME_FREE0 = 3,     // part of a free block of order k: FRAME_FREE0 + k
    FRAME_PCP0 = 16,     // part of a block of order k (0..3) on a per-CPU list: FRAME_PCP0 + k
};

// ---- The machine ------------------------------------------------------------

class Machine {
  public:
    // Checks boot parameters as `boot` does; nullopt when they are fine,
    // otherwise the one-line reason.
    // `ram_text` is ram= as the user typed it, for the message ("ram=8M must
    // be 16M to 64G on x86_64"); empty: written from params.ram.
    static std::optional<std::string> validate(const BootParams& params,
                                               std::string_view ram_text = {});

    // Boots a machine. params must have passed validate(). Events (the boot,
    // and none of the release into the buddy lists) go to `log` when given.
    explicit Machine(const BootParams& params, EventLog* log = nullptr);

    const BootParams& params() const { return m_params; }
    Arch arch() const { return m_params.arch; }
    ZoneConfig zone_config() const;
    unsigned nr_zones() const; // MAX_NR_ZONES of the configuration
    const std::vector<Node>& nodes() const { return m_nodes; }
    const Zone& zone(ZoneRef ref) const { return m_nodes[ref.node].zones[ref.zone]; }
    const std::vector<Reservation>& reservations() const { return m_reservations; }
    const VmSysctl& sysctl() const { return m_sysctl; }
    Pfn max_pfn() const { return m_max_pfn; } // one past the last pfn of RAM
    // The RAM of the memory map, ascending (e820 RAM less page 0).
    const std::vector<RamRange>& ram_ranges() const { return m_ram; }
    // Frames of RAM in [lo, hi): what `present` counts.
    uint64_t ram_pages_in(Pfn lo, Pfn hi) const;
    const std::vector<Allocation>& allocations() const { return m_allocations; }
    std::optional<uint32_t> find_allocation(const std::string& name) const;
    const Page* page(Pfn pfn) const { // nullptr outside every node
        const int n = node_of(pfn);
        if (n < 0) return nullptr;
        const Node& node = m_nodes[static_cast<size_t>(n)];
        return &node.pages[pfn - node.node_start_pfn];
    }
    FrameInfo frame(Pfn pfn) const;
    // Fills out[0..count) with the FrameCode of pfns first..first+count, a
    // block at a time (O(count), no per-frame search): for the map's texture.
    void frame_codes(Pfn first, uint64_t count, uint8_t* out) const;

    // Totals over all zones.
    uint64_t total_managed() const; // totalram_pages()
    uint64_t total_free() const;    // NR_FREE_PAGES
    uint64_t totalreserve_pages() const;
    uint64_t nr_free_buffer_pages() const;

    // alloc_pages(): the zonelist walk, its passes and __rmqueue_smallest.
    // A failure changes nothing and says why in result.reason and attempts.
    AllocResult alloc_pages(const AllocRequest& req);

    // __free_pages(): frees the allocated block at pfn, which must be the head
    // of an allocated block of exactly `order`. Returns the error line or
    // nullopt; on success *merged (when given) is the block it merged into.
    // With per-CPU lists, a block of order 0..3 goes to the freeing CPU's
    // list instead (pcp set, pfn and order the block's own), and `drained`
    // pages may leave that CPU's lists for the buddy lists in the same call.
    struct Merged {
        Pfn pfn;
        unsigned order = 0;
        bool to_tail = false; // put at the tail of its list (else the head)
        bool pcp = false;     // went to a per-CPU list, not a buddy list
        unsigned drained = 0; // pages free_pcppages_bulk() then gave the buddy lists
    };
    std::optional<std::string> free_pages(Pfn pfn, unsigned order, Merged* merged = nullptr,
                                          unsigned cpu = 0);

    // ---- Per-CPU page lists (pcp.cpp) ----
    unsigned nr_cpus() const { return m_params.cpus; }
    // The contract's CPU-to-node map: CPU c sits on node c * nodes / cpus (so
    // with more nodes than CPUs some nodes have none).
    unsigned cpu_to_node(unsigned cpu) const { return cpu * m_params.nodes / m_params.cpus; }
    unsigned node_nr_cpus(unsigned node) const; // cpumask_weight(cpumask_of_node(node))
    const PerCpuPages& pcp(ZoneRef zone, unsigned cpu) const { return this->zone(zone).pcp[cpu]; }
    bool pcp_enabled() const { return m_params.pcp; }
    // The CPU whose list holds the block headed by pfn (PG_pcp): a walk of
    // its list to the list's head, for tooltips and the map, not hot paths.
    unsigned pcp_cpu_of(Pfn pfn) const;
    // What vmstat_update's refresh_cpu_vm_stats() does once a second on every
    // CPU: decay_pcp_high() for each populated zone (high falls by an eighth
    // toward high_min; what lies above it is freed in batches).
    void decay_pcp_high_all();
    // set_pgdat_percpu_threshold(): kswapd waking (pressure) or going to
    // sleep sets the stat threshold of the node's zones whose drift matters
    // (percpu_drift_mark set) to calculate_pressure_threshold() or back to
    // calculate_normal_threshold().
    void set_pgdat_percpu_threshold(unsigned node, bool pressure);
    // drain_all_pages(): every CPU's lists of one zone (or of every populated
    // zone) back to the buddy lists, in batches (one PcpDrain event each).
    // cpu limits it to one CPU (drain_local_pages() run there). Returns the
    // pages drained.
    uint64_t drain_pages(std::optional<ZoneRef> zone, std::optional<unsigned> cpu = std::nullopt);
    // percpu_pagelist_high_fraction: 0, or at least 8 (else "Invalid argument").
    std::optional<std::string> set_percpu_pagelist_high_fraction(int64_t value);

    // Sysctl writers, with the kernel's range checks; nullopt on success,
    // else the errno text ("Invalid argument").
    std::optional<std::string> set_min_free_kbytes(int64_t value);
    std::optional<std::string> set_watermark_scale_factor(int64_t value);
    std::optional<std::string> set_lowmem_reserve_ratio(const std::vector<int64_t>& values);

    // Checks every invariant of the buddy system; returns the first broken
    // one (registered as "buddy" with core/mm/invariants.h).
    std::optional<std::string> check_buddy_invariants() const;

    // A digest of the whole state (digest.cpp): equal digests, equal machines.
    uint64_t digest() const;

    // ---- Time (clock.cpp, kswapd.cpp) ----
    // The lab's clock in milliseconds since boot. Commands take no time;
    // only tick() advances it.
    uint64_t now_ms() const { return m_now_ms; }
    const TimerQueue& timers() const { return m_timers; }
    // kswapd of a node (node < nodes().size()).
    const Kswapd& kswapd(unsigned node) const { return m_kswapd[node]; }
    // What one tick() did.
    struct TickReport {
        uint64_t from_ms = 0, to_ms = 0;
        uint64_t vmstat_updates = 0; // vmstat_update() runs
        uint64_t kswapd_steps = 0;   // kswapd timers that fired (passes and naps ended)
        uint16_t kswapd_nodes = 0;   // bit n: kswapd n ran during the tick
    };
    // Advances the clock by ms, running every timer due up to the new time in
    // (due time, arming order); ms = 0 runs what is due now (a kswapd woken by
    // the last command).
    TickReport tick(uint64_t ms);
    // pgdat_balanced(): some managed zone of the node at or below
    // highest_zoneidx passes its high watermark for order (or the node has
    // no managed zone there).
    bool pgdat_balanced(unsigned node, unsigned order, unsigned highest_zoneidx) const;

    // Never copied: it can hold 256 MiB of struct page, and it logs into its
    // lab's event log (predictions and undo rebuild a machine by replay).
    Machine(const Machine&) = delete;
    Machine& operator=(const Machine&) = delete;

    // The ZONELIST_FALLBACK order of a node as text, e.g. "Node 0 Normal, Node 0 DMA32".
    std::string zonelist_text(unsigned node, unsigned highest_zoneidx) const;

  private:
    friend class MachineTestPeer;
    Page& page_mut(Pfn pfn) { // pfn must be in RAM
        const int n = node_of(pfn);
        Node& node = m_nodes[static_cast<size_t>(n < 0 ? 0 : n)];
        return node.pages[pfn - node.node_start_pfn];
    }
    // A page of a zone's own node (the hot paths of page_alloc.cpp know the zone,
    // so no node search): pfn must be in that node.
    Page& zone_page(const Zone& zone, Pfn pfn) {
        Node& node = m_nodes[zone.node];
        return node.pages[pfn - node.node_start_pfn];
    }
    const Page& zone_page(const Zone& zone, Pfn pfn) const {
        const Node& node = m_nodes[zone.node];
        return node.pages[pfn - node.node_start_pfn];
    }
    // Nodes are consecutive slices of RAM: compare with their starts (there
    // are at most 8). -1 outside RAM.
    int node_of(Pfn pfn) const {
        if (pfn >= m_max_pfn || m_nodes.empty() || pfn < m_nodes[0].node_start_pfn) return -1;
        int n = static_cast<int>(m_nodes.size()) - 1;
        while (n > 0 && pfn < m_nodes[static_cast<size_t>(n)].node_start_pfn)
            --n;
        return n;
    }
    Zone& zone_mut(ZoneRef ref) { return m_nodes[ref.node].zones[ref.zone]; }

    void build_memory_map();
    void build_layout();
    std::vector<Pfn> find_zone_movable_pfns_for_nodes() const;
    void init_node_zones(Node& node, Pfn zone_movable_pfn);
    void reserve_boot_memory();
    void reserve_x86_boot_memory();
    void release_free_memory();
    void build_zonelists();
    void calculate_min_free_kbytes();
    void setup_per_zone_wmarks();
    void setup_per_zone_lowmem_reserve();

    // Buddy lists (page_alloc.cpp).
    void add_to_free_list(Zone& zone, Pfn pfn, unsigned order, bool tail);
    void del_from_free_list(Zone& zone, Pfn pfn, unsigned order);
    std::optional<Pfn> rmqueue_smallest(Zone& zone, unsigned order, unsigned* from_order);
    // fpi_t of mm/internal.h: FPI_TO_TAIL puts fresh memory at the list tail.
    enum FpiFlags : unsigned { FPI_NONE = 0, FPI_TO_TAIL = 1u << 1 };
    Merged free_one_page(Zone& zone, Pfn pfn, unsigned order, FpiFlags fpi_flags);
    bool page_is_buddy(const Zone& zone, Pfn buddy_pfn, unsigned order) const;
    bool buddy_merge_likely(const Zone& zone, Pfn pfn, Pfn buddy_pfn, unsigned order) const;
    void account_free(Zone& zone, int64_t delta);

    // Per-CPU lists (pcp.cpp), named as in mm/page_alloc.c.
    void setup_zone_pagesets();
    void zone_pcp_update(Zone& zone);
    void refresh_zone_stat_thresholds();
    void pcp_list_add(Zone& zone, PcpList& list, Pfn pfn, unsigned order, bool tail);
    Pfn pcp_list_del_head(Zone& zone, PcpList& list);
    Pfn pcp_list_del_tail(Zone& zone, PcpList& list);
    int nr_pcp_alloc(PerCpuPages& pcp, const Zone& zone, unsigned order) const;
    int nr_pcp_high(PerCpuPages& pcp, const Zone& zone, int batch, bool free_high) const;
    int rmqueue_bulk(Zone& zone, unsigned order, int count, PcpList& list, unsigned cpu);
    std::optional<Pfn> rmqueue_pcplist(Zone& zone, unsigned order, unsigned cpu);
    void free_pcppages_bulk(Zone& zone, int count, PerCpuPages& pcp, unsigned pindex, unsigned cpu);
    unsigned free_frozen_page_commit(Zone& zone, unsigned cpu, Pfn pfn, unsigned order);
    bool zone_high_wmark_ok(const Zone& zone) const;

    bool zone_watermark_ok(const Zone& zone, unsigned order, uint64_t mark,
                           unsigned highest_zoneidx, unsigned alloc_flags,
                           ZoneAttempt* attempt) const;

    // The steps of alloc_pages() (page_alloc.cpp), named as in the kernel.
    // struct alloc_context: the zones a request may use, in zonelist order.
    struct AllocContext {
        std::array<ZoneRef, kMaxZonelist> zones;
        size_t nr_zones = 0;
        unsigned highest_zoneidx = 0;
        unsigned preferred_node = 0;
        unsigned cpu = 0; // the allocating CPU (numa_node_id() is its node)
    };
    AllocContext prepare_alloc_pages(const AllocRequest& req) const;
    bool get_page_from_freelist(const AllocContext& ac, unsigned order, unsigned pass,
                                unsigned alloc_flags, AllocResult* result);
    // The slow path (slowpath.cpp) and kswapd (kswapd.cpp).
    void alloc_pages_slowpath(const AllocRequest& req, const AllocContext& ac, AllocResult* result);
    // What wakeup_kswapd() did on one node.
    enum class WakeOutcome : uint8_t { NotManaged, Running, Balanced, Woken };
    WakeOutcome wakeup_kswapd(ZoneRef zone, gfp_t gfp, unsigned order, unsigned highest_zoneidx);
    void wake_all_kswapds(const AllocContext& ac, unsigned order, gfp_t gfp, SlowPathStep* step);
    // rmqueue()'s tail: an allocation allowed to wake kswapd from a zone
    // whose watermark was boosted clears the flag and wakes kswapd.
    void wake_kswapd_if_boosted(Zone& zone, unsigned alloc_flags);
    bool pgdat_watermark_boosted(unsigned node, unsigned highest_zoneidx) const;
    void init_clock();
    void run_timer(const Timer& timer, TickReport* report);
    void kswapd_pass(unsigned node);
    void kswapd_try_to_sleep(unsigned node);
    void kswapd_nap_ends(unsigned node);
    unsigned balance_pgdat(unsigned node, unsigned order, unsigned highest_zoneidx);
    // kswapd's vmstat thresholds: the pressure threshold while it is awake,
    // the normal one while it sleeps (set_pgdat_percpu_threshold()).
    void kswapd_set_thresholds(unsigned node, bool pressure);
    void fail_alloc(const AllocRequest& req, std::string reason, AllocResult* result);
    std::string bad_free(Pfn pfn, unsigned order) const;
    void record_allocation(const AllocRequest& req, const AllocContext& ac,
                           const AllocResult& result);
    void emit(EventType type, ZoneRef zone, unsigned order, Pfn pfn, uint64_t aux = 0) {
        if (m_log && !m_quiet)
            m_log->record(type, zone.node, zone.zone, this->zone(zone).kind,
                          static_cast<uint8_t>(order), pfn, aux);
    }

    BootParams m_params;
    std::vector<RamRange> m_ram;
    std::vector<Node> m_nodes;
    std::vector<Reservation> m_reservations;
    VmSysctl m_sysctl;
    Pfn m_max_pfn;
    std::vector<Allocation> m_allocations;
    std::map<std::string, uint32_t> m_names; // name -> index into m_allocations
    std::vector<uint32_t> m_free_ids;        // m_allocations entries free for reuse
    uint64_t m_now_ms = 0;                   // the clock (clock.cpp)
    TimerQueue m_timers;
    std::vector<Kswapd> m_kswapd; // one per node
    EventLog* m_log = nullptr;
    bool m_quiet = false; // inside a pcp batch: its one event stands for the buddy steps
};

} // namespace mm
