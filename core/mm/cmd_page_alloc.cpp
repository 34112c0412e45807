// The page allocator's commands: alloc_pages, free_pages and free_list
// (docs/console.md "alloc_pages", "free_pages", "free_list").
#include "core/base/text.h"
#include "core/console/registry.h"
#include "core/mm/gfp.h"

namespace mm {

namespace {

const char* verdict_text(ZoneVerdict v) {
    switch (v) {
    case ZoneVerdict::Ok:
        return "ok";
    case ZoneVerdict::BelowWatermark:
        return "below watermark";
    case ZoneVerdict::NoFreeBlock:
        return "no free block";
    }
    return "?";
}

// The watermark a pass of alloc_pages() checks (pass 4, __GFP_NOFAIL's
// fallback, checks min with ALLOC_MIN_RESERVE: its mark is already halved).
const char* pass_watermark(unsigned pass) {
    return pass == 1 ? "low" : pass == 2 || pass == 4 ? "min" : "none";
}

// __alloc_pages_slowpath()'s steps, for data.slowpath.
nlohmann::ordered_json slowpath_json(const Machine& m, const AllocResult& res) {
    nlohmann::ordered_json steps = nlohmann::ordered_json::array();
    for (const SlowPathStep& s : res.slowpath) {
        nlohmann::ordered_json j = {{"stage", slow_stage_name(s.stage)},
                                    {"function", slow_stage_function(s.stage)},
                                    {"result", stage_result_name(s.result)},
                                    {"why", s.why},
                                    {"alloc_flags", hex(s.alloc_flags)}};
        if (s.stage == SlowStage::WakeKswapd && s.result == StageResult::Ran) {
            nlohmann::ordered_json woken = nlohmann::ordered_json::array();
            nlohmann::ordered_json running = nlohmann::ordered_json::array();
            nlohmann::ordered_json balanced = nlohmann::ordered_json::array();
            for (unsigned n = 0; n < m.nodes().size(); ++n) {
                if (s.woken & (1u << n)) woken.push_back(n);
                if (s.running & (1u << n)) running.push_back(n);
                if (s.balanced & (1u << n)) balanced.push_back(n);
            }
            j["woken"] = woken;
            j["already_running"] = running;
            j["balanced"] = balanced;
        }
        steps.push_back(j);
    }
    return steps;
}

// One zone's "no", in a few words, with the numbers __zone_watermark_ok()
// compared: "Node 0 Normal: free 12 <= min 33 + reserve 0" for order 0, and
// for a larger order the zone's free pages and the request's share apart,
// "Node 0 DMA: free 1 - 255 (2^8 - 1) = -254 <= min 15 + reserve 0", so that a
// negative number is never read as the zone's own.
std::string attempt_text(const Machine& m, const ZoneAttempt& a, unsigned order) {
    std::string zone = "Node " + std::to_string(a.zone.node) + " " + m.zone(a.zone).name();
    if (a.verdict == ZoneVerdict::NoFreeBlock)
        return zone + ": no free block of order >= " + std::to_string(order);
    std::string free = "free " + std::to_string(a.zone_free);
    if (a.free_pages != a.zone_free)
        free += " - " + std::to_string(a.zone_free - a.free_pages) + " (2^" +
                std::to_string(order) + " - 1) = " + std::to_string(a.free_pages);
    return zone + ": " + free + " <= " + pass_watermark(a.pass) + " " + std::to_string(a.mark) +
           " + reserve " + std::to_string(a.reserve);
}

void alloc_pages_cmd(Machine& m, const CommandLine& line, CommandResult& r) {
    auto args = command_args(line, {"order", "gfp", "node", "as"}, 0, r);
    if (!args) return;
    AllocRequest req;
    uint64_t order = 0, node = 0;
    if (!read_ok(r, args->number("order", 0, MAX_PAGE_ORDER, &order, &r.error))) return;
    if (!read_ok(r, args->number("node", 0, m.nodes().size() - 1, &node, &r.error))) return;
    req.order = static_cast<unsigned>(order);
    if (args->has("node")) req.node = static_cast<unsigned>(node);
    if (auto gfp = args->get("gfp")) {
        std::string bad;
        auto mask = parse_gfp(*gfp, &bad);
        if (!mask) {
            fail(r, "gfp=" + quote_input(*gfp) + ": unknown flag '" + quote_input(bad) +
                        "' (see help alloc_pages)");
            return;
        }
        req.gfp = *mask;
    }
    if (auto name = args->get("as")) {
        if (!valid_name(*name)) {
            fail(
                r,
                "as=" + quote_input(*name) +
                    ": a name is a letter or '_' then letters, digits, '_', '-', '.' (64 at most)");
            return;
        }
        if (m.find_allocation(*name)) {
            fail(r, "as=" + quote_input(*name) + ": that name is already in use");
            return;
        }
        req.name = *name;
    }
    AllocResult res = m.alloc_pages(req);
    nlohmann::ordered_json attempts = nlohmann::ordered_json::array();
    for (const ZoneAttempt& a : res.attempts)
        attempts.push_back({{"pass", a.pass},
                            {"watermark", pass_watermark(a.pass)},
                            {"node", a.zone.node},
                            {"zone", m.zone(a.zone).name()},
                            {"free", a.zone_free},
                            {"order_share", a.zone_free - a.free_pages},
                            {"mark", a.mark},
                            {"reserve", a.reserve},
                            {"verdict", verdict_text(a.verdict)}});
    if (!res.ok) {
        char head[160];
        std::snprintf(head, sizeof head,
                      "page allocation failure: order:%u, mode:0x%x(%s): ", req.order, req.gfp,
                      format_gfp(req.gfp).c_str());
        std::string why;
        const unsigned last_pass = res.attempts.empty() ? 0 : res.attempts.back().pass;
        for (const ZoneAttempt& a : res.attempts)
            if (a.pass == last_pass && a.pass > 1)
                why += (why.empty() ? "" : "; ") + attempt_text(m, a, req.order);
        if (why.empty()) why = res.reason;
        fail(r, head + why);
        // wakeup_kswapd() ran (it records the request's order and zone even
        // when it wakes nobody): the kernel's work done before failing, kept
        // in the history with the failure.
        r.kept = !res.slowpath.empty() && res.slowpath[0].stage == SlowStage::WakeKswapd &&
                 res.slowpath[0].result == StageResult::Ran;
        r.data = {{"order", req.order},
                  {"gfp", hex(req.gfp)},
                  {"highest_zoneidx", res.highest_zoneidx},
                  {"attempts", attempts},
                  {"slowpath", slowpath_json(m, res)}};
        return;
    }
    const Zone& zone = m.zone(res.zone);
    r.out = "pfn " + hex(res.pfn) + " order " + std::to_string(req.order) + " from Node " +
            std::to_string(res.zone.node) + ", zone " + zone.name() +
            (req.name.empty() ? "" : " as " + req.name) + "\n";
    r.data = {{"pfn", res.pfn},        {"order", req.order},           {"zone", zone.name()},
              {"node", res.zone.node}, {"from_order", res.from_order}, {"attempts", attempts}};
    if (!res.slowpath.empty()) r.data["slowpath"] = slowpath_json(m, res);
}

void free_pages_cmd(Machine& m, const CommandLine& line, CommandResult& r) {
    auto args = command_args(line, {"pfn", "order"}, 1, r);
    if (!args) return;
    Pfn pfn;
    uint64_t order = 0;
    std::string name;
    if (!args->positional().empty()) {
        if (args->has("pfn") || args->has("order")) {
            fail(r, "give a NAME or pfn= (and order=), not both");
            return;
        }
        name = args->positional()[0];
        auto id = m.find_allocation(name);
        if (!id) {
            fail(r, "no allocated block is named '" + quote_input(name) + "'");
            return;
        }
        pfn = m.allocations()[*id].pfn;
        order = m.allocations()[*id].order;
    } else {
        if (!args->has("pfn")) {
            fail(r, "usage: free_pages NAME | free_pages pfn=N [order=N]");
            return;
        }
        uint64_t number = 0;
        if (!read_ok(r, args->number("pfn", 0, UINT64_MAX, &number, &r.error))) return;
        if (!read_ok(r, args->number("order", 0, MAX_PAGE_ORDER, &order, &r.error))) return;
        pfn = Pfn{number};
        const Page* head = m.page(pfn);
        if (head && (head->flags & PG_head)) name = m.allocations()[head->alloc_id - 1].name;
    }
    const FrameInfo info = m.frame(pfn);
    Machine::Merged merged;
    if (auto error = m.free_pages(pfn, static_cast<unsigned>(order), &merged)) {
        fail(r, *error);
        return;
    }
    const Zone& zone = m.zone(ZoneRef{info.node, info.zone});
    r.out = "freed pfn " + hex(pfn) + " order " + std::to_string(order) +
            (name.empty() ? "" : " (" + name + ")") + " to Node " + std::to_string(info.node) +
            ", zone " + zone.name() + "\n";
    r.data = {{"pfn", pfn},
              {"order", order},
              {"zone", zone.name()},
              {"node", info.node},
              {"merged_pfn", merged.pfn},
              {"merged_order", merged.order},
              {"list_end", merged.to_tail ? "tail" : "head"}};
}

void free_list_cmd(const Machine& m, const CommandLine& line, CommandResult& r) {
    auto args = command_args(line, {"node", "zone", "order"}, 0, r);
    if (!args) return;
    uint64_t node = 0, order = 0;
    if (!read_ok(r, args->number("node", 0, m.nodes().size() - 1, &node, &r.error))) return;
    if (!read_ok(r, args->number("order", 0, MAX_PAGE_ORDER, &order, &r.error))) return;
    auto zone_name = args->get("zone");
    if (zone_name) {
        bool known = false;
        for (const Zone& z : m.nodes()[0].zones)
            known = known || *zone_name == z.name();
        if (!known) {
            std::string names;
            for (const Zone& z : m.nodes()[0].zones)
                names += (names.empty() ? "" : ", ") + std::string(z.name());
            fail(r, "zone=" + quote_input(*zone_name) + ": no such zone on " + arch_name(m.arch()) +
                        " (" + names + ")");
            return;
        }
    }
    nlohmann::ordered_json lists = nlohmann::ordered_json::array();
    for (const Node& n : m.nodes()) {
        if (args->has("node") && n.id != node) continue;
        for (const Zone& zone : n.zones) {
            if (zone_name && *zone_name != zone.name()) continue;
            for (unsigned o = 0; o < NR_PAGE_ORDERS; ++o) {
                if (args->has("order") && o != order) continue;
                const FreeArea& area = zone.free_area[o];
                if (area.head == NIL_PFN) continue;
                nlohmann::ordered_json pfns = nlohmann::ordered_json::array();
                std::string text = "Node " + std::to_string(n.id) + ", zone " + zone.name() +
                                   ", order " + std::to_string(o) + ":";
                uint64_t shown = 0;
                for (uint32_t link = area.head; link != NIL_PFN; link = m.page(Pfn{link})->next) {
                    const Pfn pfn{link};
                    pfns.push_back(pfn);
                    if (shown < 16) text += " " + hex(pfn);
                    ++shown;
                }
                if (shown > 16) text += " ... (+" + std::to_string(shown - 16) + " more)";
                r.out += text + "\n";
                lists.push_back(
                    {{"node", n.id}, {"zone", zone.name()}, {"order", o}, {"pfns", pfns}});
            }
        }
    }
    r.data = {{"lists", lists}};
}

} // namespace

void register_mm_page_alloc() {
    register_command(
        {"alloc_pages", "alloc_pages [order=N] [gfp=FLAGS] [node=N] [as=NAME]",
         "allocate 2^order contiguous page frames from the buddy allocator",
         "Allocates a block of 2^order frames (order 0..10, default 0) with a GFP mask\n"
         "(default GFP_KERNEL): GFP_KERNEL, GFP_ATOMIC, GFP_NOWAIT, GFP_USER, GFP_HIGHUSER,\n"
         "GFP_HIGHUSER_MOVABLE, GFP_DMA, GFP_DMA32, GFP_NOIO, GFP_NOFS, ... and __GFP_*\n"
         "modifiers (__GFP_NOWARN, __GFP_HIGH, __GFP_THISNODE, __GFP_MEMALLOC ...) joined by '|'.\n"
         "1. gfp_zone() gives the highest zone the mask may use; the node's zonelist is\n"
         "   walked from there down (node=N picks the preferred node, default 0).\n"
         "2. Pass 1 (the fast path): each zone must pass its low watermark:\n"
         "   free - (2^order - 1) > low + lowmem_reserve[highest zone], and for order > 0\n"
         "   some list of order >= N must be non-empty (__zone_watermark_ok()).\n"
         "3. If no zone passes, __alloc_pages_slowpath(): kswapd of each node is woken\n"
         "   (wakeup_kswapd(), see help kswapd), and pass 2 tries every zone at its min\n"
         "   watermark with gfp_to_alloc_flags()'s allowances: __GFP_HIGH may go to\n"
         "   min/2, GFP_ATOMIC to 3/8 of min. Then, in the kernel's order: compaction\n"
         "   first for costly or unmovable high orders, __GFP_MEMALLOC's pass 3 without\n"
         "   watermarks, direct reclaim and compaction, the retry decision, the OOM\n"
         "   killer, __GFP_NOFAIL's pass 4 at min/2. data.slowpath lists each step with\n"
         "   its result: ran, succeeded, failed, skipped (with the kernel's rule) or\n"
         "   'not modelled yet' (reclaim, compaction, OOM: the lab fails the request\n"
         "   where a kernel would reclaim, compact, kill or retry for ever).\n"
         "4. The chosen zone's __rmqueue_smallest() takes the head of the first non-empty\n"
         "   list of order >= N; expand() gives the caller the lower half and puts each\n"
         "   upper half at the head of the list one order down.\n"
         "A failure hands out nothing (kswapd may have been woken); the error says which\n"
         "zones were tried and why each said no (data.attempts has the numbers), and\n"
         "unless __GFP_NOWARN the event log gets the kernel's 'page allocation failure'\n"
         "warning.\n"
         "Follows mm/page_alloc.c (get_page_from_freelist, __alloc_pages_slowpath).\n"
         "Leaves out: per-CPU lists, migratetypes and fallback stealing, direct reclaim,\n"
         "compaction and the OOM killer (a GFP_KERNEL request that would reclaim here\n"
         "fails instead), cpusets and mempolicies."},
        alloc_pages_cmd);
    register_command(
        {"free_pages", "free_pages NAME | free_pages pfn=N [order=N]",
         "return an allocated block to the buddy allocator",
         "Frees the block named NAME (from alloc_pages as=NAME), or the allocated block\n"
         "that starts at pfn with the given order (default 0). The pfn must head an\n"
         "allocated block of exactly that order.\n"
         "__free_one_page(): while the buddy (pfn ^ 1 << order) is free at the same order\n"
         "in the same zone, the two merge and the order goes up. The result goes to the\n"
         "tail of its list when buddy_merge_likely() (the buddy of its parent is free,\n"
         "below order 9), else to the head.\n"
         "Follows mm/page_alloc.c. Leaves out: per-CPU lists (the kernel frees orders\n"
         "0-3 through them first), migratetypes."},
        free_pages_cmd);
    register_command(
        {"free_list", "free_list [node=N] [zone=NAME] [order=N]",
         "show the buddy free lists, head first",
         "Prints each non-empty free list (free_area[order] of a zone), head first, at\n"
         "most 16 pfns a line and then '... (+N more)'; data has every pfn.\n"
         "The head is what the next allocation of that order takes.\n"
         "Until migratetypes are modelled, one list per order holds every free block."},
        free_list_cmd);
}

} // namespace mm
