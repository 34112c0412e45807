// A digest of the whole machine state, and the `digest` command: two
// machines with the same digest have the same free lists in the same order,
// the same page flags, names, counters and sysctls. The event log is not
// part of the state. Tests use it to check that replay and undo rebuild
// exactly, and that native and wasm builds agree.
#include "core/base/text.h"
#include "core/console/registry.h"

namespace mm {

namespace {

// FNV-1a, 64 bits, over the bytes of each value in a fixed order (never
// over padding: every field is fed on its own).
class Digest {
  public:
    void add(uint64_t v) {
        for (int i = 0; i < 8; ++i) {
            m_hash ^= (v >> (8 * i)) & 0xff;
            m_hash *= 0x100000001b3ull;
        }
    }
    void add(const std::string& s) {
        add(s.size());
        for (char c : s) {
            m_hash ^= static_cast<unsigned char>(c);
            m_hash *= 0x100000001b3ull;
        }
    }
    uint64_t value() const { return m_hash; }

  private:
    uint64_t m_hash = 0xcbf29ce484222325ull;
};

void add_zone(Digest& d, const Zone& z) {
    for (uint64_t v : {uint64_t(z.kind), uint64_t(z.idx), uint64_t(z.node),
                       z.zone_start_pfn.value(), z.spanned_pages, z.present_pages, z.managed_pages,
                       z.free_pages, z.watermark_boost, uint64_t(z.boosted_watermark)})
        d.add(v);
    for (uint64_t w : z.watermark)
        d.add(w);
    for (int64_t r : z.lowmem_reserve)
        d.add(static_cast<uint64_t>(r));
    for (const FreeArea& a : z.free_area) {
        d.add(a.head);
        d.add(a.tail);
        d.add(a.nr_free);
    }
    for (const PerCpuPages& p : z.pcp) {
        for (int v : {p.count, p.high, p.high_min, p.high_max, p.batch, p.free_count})
            d.add(static_cast<uint64_t>(v));
        d.add(uint64_t{p.alloc_factor} << 8 | p.flags);
        for (const PcpList& l : p.lists) {
            d.add(l.head);
            d.add(l.tail);
        }
    }
    for (uint64_t v : {uint64_t(z.stat_threshold), z.percpu_drift_mark, uint64_t(z.below_high),
                       uint64_t(z.reclaim_active)})
        d.add(v);
    const ZoneCounters& c = z.counters;
    for (uint64_t v : {c.numa_hit, c.numa_miss, c.numa_foreign, c.numa_interleave, c.numa_local,
                       c.numa_other, c.pgalloc, c.pgfree})
        d.add(v);
}

void digest_cmd(const Machine& m, const CommandLine& line, CommandResult& r) {
    if (line.words.size() > 1) {
        fail(r, "usage: digest");
        return;
    }
    const std::string text = strprintf("%016llx", static_cast<unsigned long long>(m.digest()));
    r.out = text + "\n";
    r.data = {{"digest", text}};
}

} // namespace

uint64_t Machine::digest() const {
    Digest d;
    const BootParams& p = m_params;
    for (uint64_t v : {uint64_t(p.arch), p.ram, uint64_t(p.cpus), uint64_t(p.nodes), p.swap,
                       p.movablecore, p.seed, m_max_pfn.value()})
        d.add(v);
    for (const Node& node : m_nodes) {
        d.add(node.id);
        d.add(node.node_start_pfn.value());
        d.add(node.node_spanned_pages);
        for (const Zone& z : node.zones)
            add_zone(d, z);
        for (const ZoneRef& ref : node.zonelist)
            d.add(uint64_t{ref.node} << 8 | ref.zone);
        for (const Page& page : node.pages) {
            d.add(uint64_t{page.next} << 32 | page.prev);
            d.add(uint64_t{page.alloc_id} << 32 | uint64_t{page.flags} << 16 |
                  uint64_t{page.order} << 8 | page.zone);
            d.add(static_cast<uint64_t>(page.reserve));
        }
    }
    for (const Reservation& res : m_reservations)
        for (uint64_t v :
             {res.start_pfn.value(), res.nr_pages, uint64_t(res.kind), uint64_t(res.node)})
            d.add(v);
    d.add(static_cast<uint64_t>(m_sysctl.min_free_kbytes));
    d.add(static_cast<uint64_t>(m_sysctl.user_min_free_kbytes));
    d.add(static_cast<uint64_t>(m_sysctl.watermark_scale_factor));
    d.add(static_cast<uint64_t>(m_sysctl.percpu_pagelist_high_fraction));
    d.add(uint64_t(p.pcp));
    for (int ratio : m_sysctl.lowmem_reserve_ratio)
        d.add(static_cast<uint64_t>(ratio));
    for (const Allocation& a : m_allocations) {
        d.add(a.name);
        for (uint64_t v : {a.pfn.value(), uint64_t(a.order), uint64_t(a.node), uint64_t(a.zone),
                           uint64_t(a.gfp), uint64_t(a.live)})
            d.add(v);
    }
    for (const auto& [name, id] : m_names) {
        d.add(name);
        d.add(id);
    }
    for (uint32_t id : m_free_ids)
        d.add(id);
    // The clock, its timers and kswapd (clock.h).
    d.add(m_now_ms);
    for (const Timer& t : m_timers.timers())
        for (uint64_t v : {t.due_ms, t.seq, uint64_t(t.kind), uint64_t(t.node)})
            d.add(v);
    d.add(m_timers.armed());
    for (const Kswapd& k : m_kswapd)
        for (uint64_t v :
             {uint64_t(k.state), k.since_ms, uint64_t(k.order), uint64_t(k.highest_zoneidx),
              uint64_t(k.alloc_order), uint64_t(k.reclaim_order), uint64_t(k.pass_zoneidx),
              uint64_t(k.balanced), k.last_check_ms, k.pageoutrun, k.kswapd_low_wmark_hit_quickly,
              k.kswapd_high_wmark_hit_quickly, k.wakeups})
            d.add(v);
    return d.value();
}

void register_mm_digest() {
    register_command({"digest", "digest", "a hash of the whole machine state",
                      "Prints a 64-bit FNV-1a digest of the machine: every struct page, free list\n"
                      "(in order), zone counter, watermark, sysctl and named block. Two machines\n"
                      "with the same digest are the same machine; the event log is not part of\n"
                      "it. Graders and tests use it to compare states. Read-only."},
                     digest_cmd);
}

} // namespace mm
