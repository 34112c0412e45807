// The invariant registry, and the rules of the buddy system that must hold
// after every command (checked in the native-debug and fuzz builds,
// MMLAB_CHECK_INVARIANTS); a broken one is a bug and aborts.
#include "core/mm/invariants.h"

#include "core/base/registry.h"

#include <cstdio>
#include <vector>

namespace mm {

namespace {

struct Invariant {
    const char* name;
    InvariantCheck check;
};

std::vector<Invariant>& invariants() {
    static std::vector<Invariant> list;
    return list;
}

} // namespace

void register_invariant(const char* name, InvariantCheck check) {
    invariants().push_back(Invariant{name, check});
}

std::optional<std::string> check_invariants(const Machine& m) {
    ensure_registered();
    for (const Invariant& inv : invariants())
        if (auto broken = inv.check(m)) return std::string(inv.name) + ": " + *broken;
    return std::nullopt;
}

void register_mm_invariants() {
    register_invariant("buddy", [](const Machine& m) { return m.check_buddy_invariants(); });
}

// 1. Every list is well linked, nr_free equals its length, every block on it
//    is PageBuddy at the list's order, naturally aligned, inside its zone.
// 2. No page is both free and allocated, or free or allocated and reserved.
// 3. No two free buddies of one order are left unmerged.
// 4. Per-CPU lists are well linked and hold what their count says, and
//    none of their pages is free in the buddy lists, allocated or reserved.
// 5. Per zone: free pages equal the lists' pages, and free + per-CPU +
//    allocated pages equal managed pages; min <= low <= high <= promo.
std::optional<std::string> Machine::check_buddy_invariants() const {
    char buf[200];
    auto fail = [&](const char* fmt, unsigned long long a, unsigned long long b = 0,
                    unsigned long long c = 0) {
        std::snprintf(buf, sizeof buf, fmt, a, b, c);
        return std::optional<std::string>(buf);
    };
    for (const Node& node : m_nodes) {
        std::vector<uint8_t> seen(node.pages.size(), 0); // 1 free, 2 allocated
        std::vector<uint64_t> zone_free(node.zones.size(), 0), zone_alloc(node.zones.size(), 0);
        for (const Zone& zone : node.zones) {
            for (unsigned order = 0; order < NR_PAGE_ORDERS; ++order) {
                const FreeArea& area = zone.free_area[order];
                uint64_t count = 0;
                const uint64_t size = uint64_t{1} << order;
                uint32_t prev = NIL_PFN;
                for (uint32_t link = area.head; link != NIL_PFN;) {
                    const Pfn pfn{link};
                    if (!zone.spans(pfn) || !zone.spans(pfn + size - 1))
                        return fail("free block 0x%llx (order %llu) is not inside zone %llu",
                                    pfn.value(), order, zone.idx);
                    if (!is_aligned(pfn, size))
                        return fail("free block 0x%llx is not aligned to order %llu", pfn.value(),
                                    order);
                    const Page& page = node.pages[pfn - node.node_start_pfn];
                    if (!(page.flags & PG_buddy) || page.order != order)
                        return fail(
                            "block 0x%llx on the order-%llu list is not PageBuddy of that order",
                            pfn.value(), order);
                    if (page.prev != prev)
                        return fail("free list link broken at 0x%llx", pfn.value());
                    for (Pfn p = pfn; p < pfn + size; ++p) {
                        const uint64_t idx = p - node.node_start_pfn;
                        if (seen[idx]) return fail("pfn 0x%llx is on two free lists", p.value());
                        if (node.pages[idx].flags & PG_reserved)
                            return fail("reserved pfn 0x%llx is on a free list", p.value());
                        seen[idx] = 1;
                    }
                    const Pfn buddy = find_buddy_pfn(pfn, order);
                    if (order < MAX_PAGE_ORDER && page_is_buddy(zone, buddy, order))
                        return fail("free buddies 0x%llx and 0x%llx (order %llu) were not merged",
                                    pfn.value(), buddy.value(), order);
                    zone_free[zone.idx] += size;
                    ++count;
                    prev = link;
                    link = page.next;
                    if (count > node.pages.size())
                        return fail("free list of order %llu loops", order);
                }
                if (prev != area.tail) return fail("free list tail of order %llu is wrong", order);
                if (count != area.nr_free)
                    return fail("nr_free[%llu] is %llu but the list holds %llu", order,
                                area.nr_free, count);
            }
        }
        // Per-CPU lists: well linked, count = their pages, each block
        // PG_pcp at its list's order, aligned, in its zone, on no other list.
        for (const Zone& zone : node.zones) {
            for (size_t cpu = 0; cpu < zone.pcp.size(); ++cpu) {
                const PerCpuPages& pcp = zone.pcp[cpu];
                uint64_t pages = 0;
                for (unsigned pindex = 0; pindex < NR_PCP_LISTS; ++pindex) {
                    const PcpList& list = pcp.lists[pindex];
                    const unsigned order = pindex_to_order(pindex);
                    const uint64_t size = uint64_t{1} << order;
                    uint32_t prev = NIL_PFN;
                    uint64_t count = 0;
                    for (uint32_t link = list.head; link != NIL_PFN;) {
                        const Pfn pfn{link};
                        if (!zone.spans(pfn) || !zone.spans(pfn + size - 1) ||
                            !is_aligned(pfn, size))
                            return fail("per-CPU block 0x%llx (order %llu) is misplaced",
                                        pfn.value(), order);
                        const Page& page = node.pages[pfn - node.node_start_pfn];
                        if (!(page.flags & PG_pcp) || page.order != order || page.prev != prev)
                            return fail("per-CPU list of cpu %llu broken at 0x%llx", cpu,
                                        pfn.value());
                        for (Pfn p = pfn; p < pfn + size; ++p) {
                            const uint64_t idx = p - node.node_start_pfn;
                            if (seen[idx])
                                return fail("pfn 0x%llx is on a per-CPU list and a free list",
                                            p.value());
                            if (node.pages[idx].flags & PG_reserved)
                                return fail("reserved pfn 0x%llx is on a per-CPU list", p.value());
                            seen[idx] = 3;
                        }
                        pages += size;
                        ++count;
                        prev = link;
                        link = page.next;
                        if (count > node.pages.size())
                            return fail("per-CPU list %llu of cpu %llu loops", pindex, cpu);
                    }
                    if (prev != list.tail || count != list.nr)
                        return fail("per-CPU list %llu of cpu %llu: tail or length wrong", pindex,
                                    cpu);
                }
                if (pages != static_cast<uint64_t>(pcp.count))
                    return fail("cpu %llu: pcp count %llu, lists hold %llu", cpu,
                                static_cast<unsigned long long>(pcp.count), pages);
                if (!m_params.pcp && pcp.count)
                    return fail("cpu %llu holds %llu pages with pcp=off", cpu,
                                static_cast<unsigned long long>(pcp.count));
            }
        }
        for (const Allocation& a : m_allocations) {
            if (!a.live || a.node != node.id) continue;
            for (Pfn p = a.pfn; p < a.pfn + (uint64_t{1} << a.order); ++p) {
                const uint64_t idx = p - node.node_start_pfn;
                if (seen[idx] == 1) return fail("pfn 0x%llx is both free and allocated", p.value());
                if (seen[idx] == 2) return fail("pfn 0x%llx is allocated twice", p.value());
                if (seen[idx] == 3)
                    return fail("pfn 0x%llx is both on a per-CPU list and allocated", p.value());
                if (node.pages[idx].flags & PG_reserved)
                    return fail("reserved pfn 0x%llx is allocated", p.value());
                seen[idx] = 2;
            }
            zone_alloc[a.zone] += uint64_t{1} << a.order;
        }
        for (size_t idx = 0; idx < node.pages.size(); ++idx) {
            const Page& page = node.pages[idx];
            if ((page.flags & PG_buddy) && seen[idx] != 1)
                return fail("pfn 0x%llx is PageBuddy but on no list",
                            (node.node_start_pfn + idx).value());
            if ((page.flags & PG_pcp) && seen[idx] != 3)
                return fail("pfn 0x%llx is marked per-CPU but on no per-CPU list",
                            (node.node_start_pfn + idx).value());
        }
        for (const Zone& zone : node.zones) {
            if (zone.free_pages != zone_free[zone.idx])
                return fail("zone %llu: NR_FREE_PAGES %llu, lists hold %llu", zone.idx,
                            zone.free_pages, zone_free[zone.idx]);
            // Every page is in exactly one of: a buddy list, a per-CPU
            // list, an allocation (or reserved, outside managed).
            const uint64_t held = zone.free_pages + zone_alloc[zone.idx] + zone.pcp_pages();
            if (held != zone.managed_pages)
                return fail("zone %llu: free + per-CPU + allocated %llu != managed %llu", zone.idx,
                            held, zone.managed_pages);
            if (!(zone.watermark[WMARK_MIN] <= zone.watermark[WMARK_LOW] &&
                  zone.watermark[WMARK_LOW] <= zone.watermark[WMARK_HIGH] &&
                  zone.watermark[WMARK_HIGH] <= zone.watermark[WMARK_PROMO]))
                return fail("zone %llu: watermarks out of order", zone.idx);
        }
    }
    for (const auto& [name, id] : m_names)
        if (id >= m_allocations.size() || !m_allocations[id].live || m_allocations[id].name != name)
            return std::optional<std::string>("name '" + name + "' points at no live allocation");
    return std::nullopt;
}

} // namespace mm
