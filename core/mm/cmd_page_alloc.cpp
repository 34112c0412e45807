// The page allocator's commands: alloc_pages, free_pages, free_list, and the
// per-CPU lists' pcp_list and drain_pages (docs/console.md "alloc_pages",
// "free_pages", "free_list").
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
    auto args = command_args(line, {"order", "gfp", "node", "as", "cpu"}, 0, r);
    if (!args) return;
    AllocRequest req;
    uint64_t order = 0, node = 0, cpu = 0;
    if (!read_ok(r, args->number("order", 0, MAX_PAGE_ORDER, &order, &r.error))) return;
    if (!read_ok(r, args->number("node", 0, m.nodes().size() - 1, &node, &r.error))) return;
    if (!read_ok(r, args->number("cpu", 0, m.nr_cpus() - 1, &cpu, &r.error))) return;
    req.cpu = static_cast<unsigned>(cpu);
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
            (res.pcp ? ", cpu " + std::to_string(req.cpu) + "'s per-CPU list" : "") +
            (req.name.empty() ? "" : " as " + req.name) + "\n";
    r.data = {{"pfn", res.pfn},
              {"order", req.order},
              {"zone", zone.name()},
              {"node", res.zone.node},
              {"cpu", req.cpu},
              {"pcp", res.pcp},
              {"from_order", res.from_order},
              {"attempts", attempts}};
    if (!res.slowpath.empty()) r.data["slowpath"] = slowpath_json(m, res);
}

void free_pages_cmd(Machine& m, const CommandLine& line, CommandResult& r) {
    auto args = command_args(line, {"pfn", "order", "cpu"}, 1, r);
    if (!args) return;
    Pfn pfn;
    uint64_t order = 0, cpu = 0;
    if (!read_ok(r, args->number("cpu", 0, m.nr_cpus() - 1, &cpu, &r.error))) return;
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
            fail(r, "usage: free_pages NAME [cpu=N] | free_pages pfn=N [order=N] [cpu=N]");
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
    if (auto error =
            m.free_pages(pfn, static_cast<unsigned>(order), &merged, static_cast<unsigned>(cpu))) {
        fail(r, *error);
        return;
    }
    const Zone& zone = m.zone(ZoneRef{info.node, info.zone});
    r.out = "freed pfn " + hex(pfn) + " order " + std::to_string(order) +
            (name.empty() ? "" : " (" + name + ")") + " to Node " + std::to_string(info.node) +
            ", zone " + zone.name() +
            (merged.pcp ? ", cpu " + std::to_string(cpu) + "'s per-CPU list" : "") +
            (merged.drained
                 ? " (then " + std::to_string(merged.drained) + " pages drained to the buddy lists)"
                 : "") +
            "\n";
    r.data = {{"pfn", pfn},
              {"order", order},
              {"zone", zone.name()},
              {"node", info.node},
              {"cpu", cpu},
              {"pcp", merged.pcp},
              {"drained", merged.drained},
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

// The zone a zone=NAME names on this machine's configuration; an error line
// when there is none.
std::optional<std::string> check_zone_name(const Machine& m, const std::string& name) {
    for (const Zone& z : m.nodes()[0].zones)
        if (name == z.name()) return std::nullopt;
    std::string names;
    for (const Zone& z : m.nodes()[0].zones)
        names += (names.empty() ? "" : ", ") + std::string(z.name());
    return "zone=" + quote_input(name) + ": no such zone on " + arch_name(m.arch()) + " (" + names +
           ")";
}

void pcp_list_cmd(const Machine& m, const CommandLine& line, CommandResult& r) {
    auto args = command_args(line, {"node", "zone", "cpu"}, 0, r);
    if (!args) return;
    uint64_t node = 0, cpu = 0;
    if (!read_ok(r, args->number("node", 0, m.nodes().size() - 1, &node, &r.error))) return;
    if (!read_ok(r, args->number("cpu", 0, m.nr_cpus() - 1, &cpu, &r.error))) return;
    auto zone_name = args->get("zone");
    if (zone_name)
        if (auto bad = check_zone_name(m, *zone_name)) {
            fail(r, *bad);
            return;
        }
    if (!m.pcp_enabled()) r.out = "Per-CPU lists are off (boot pcp=off): every list is empty.\n";
    nlohmann::ordered_json sets = nlohmann::ordered_json::array();
    for (const Node& n : m.nodes()) {
        if (args->has("node") && n.id != node) continue;
        for (const Zone& zone : n.zones) {
            if (!zone.populated() || (zone_name && *zone_name != zone.name())) continue;
            for (unsigned c = 0; c < zone.pcp.size(); ++c) {
                if (args->has("cpu") && c != cpu) continue;
                const PerCpuPages& pcp = zone.pcp[c];
                r.out += strprintf("Node %u, zone %s, cpu %u: count %d, high %d, batch %d, "
                                   "high_min %d, high_max %d\n",
                                   n.id, zone.name(), c, pcp.count, pcp.high, pcp.batch,
                                   pcp.high_min, pcp.high_max);
                nlohmann::ordered_json lists = nlohmann::ordered_json::array();
                for (unsigned pindex = 0; pindex < NR_PCP_LISTS; ++pindex) {
                    const PcpList& list = pcp.lists[pindex];
                    if (list.head == NIL_PFN) continue;
                    const unsigned order = pindex_to_order(pindex);
                    nlohmann::ordered_json pfns = nlohmann::ordered_json::array();
                    std::string text = "  order " + std::to_string(order) + ":";
                    uint64_t shown = 0;
                    for (uint32_t link = list.head; link != NIL_PFN;
                         link = m.page(Pfn{link})->next) {
                        pfns.push_back(Pfn{link});
                        if (shown < 16) text += " " + hex(Pfn{link});
                        ++shown;
                    }
                    if (shown > 16) text += " ... (+" + std::to_string(shown - 16) + " more)";
                    r.out += text + "\n";
                    lists.push_back({{"order", order}, {"pfns", pfns}});
                }
                sets.push_back({{"node", n.id},
                                {"zone", zone.name()},
                                {"cpu", c},
                                {"count", pcp.count},
                                {"high", pcp.high},
                                {"batch", pcp.batch},
                                {"high_min", pcp.high_min},
                                {"high_max", pcp.high_max},
                                {"lists", lists}});
            }
        }
    }
    r.data = {{"pcp", m.pcp_enabled()}, {"pagesets", sets}};
}

void drain_pages_cmd(Machine& m, const CommandLine& line, CommandResult& r) {
    auto args = command_args(line, {"node", "zone", "cpu"}, 0, r);
    if (!args) return;
    uint64_t node = 0, cpu = 0;
    if (!read_ok(r, args->number("node", 0, m.nodes().size() - 1, &node, &r.error))) return;
    if (!read_ok(r, args->number("cpu", 0, m.nr_cpus() - 1, &cpu, &r.error))) return;
    auto zone_name = args->get("zone");
    if (zone_name) {
        if (auto bad = check_zone_name(m, *zone_name)) {
            fail(r, *bad);
            return;
        }
    }
    if (args->has("node") && !zone_name) {
        fail(r, "node= needs zone= (drain_all_pages() takes one zone or every zone)");
        return;
    }
    std::optional<ZoneRef> only;
    if (zone_name) {
        const Node& n = m.nodes()[node];
        for (const Zone& z : n.zones)
            if (*zone_name == z.name()) only = ZoneRef{n.id, z.idx};
    }
    std::optional<unsigned> on_cpu;
    if (args->has("cpu")) on_cpu = static_cast<unsigned>(cpu);
    const uint64_t drained = m.drain_pages(only, on_cpu);
    r.out = "drained " + std::to_string(drained) + " page" + (drained == 1 ? "" : "s") +
            " from the per-CPU lists to the buddy lists\n";
    r.data = {{"drained", drained}};
}

} // namespace

void register_mm_page_alloc() {
    register_command(
        {"alloc_pages", "alloc_pages [order=N] [gfp=FLAGS] [node=N] [cpu=N] [as=NAME]",
         "allocate 2^order contiguous page frames from the buddy allocator",
         "Allocates a block of 2^order frames (order 0..10, default 0) with a GFP mask\n"
         "(default GFP_KERNEL): GFP_KERNEL, GFP_ATOMIC, GFP_NOWAIT, GFP_USER, GFP_HIGHUSER,\n"
         "GFP_HIGHUSER_MOVABLE, GFP_DMA, GFP_DMA32, GFP_NOIO, GFP_NOFS, ... and __GFP_*\n"
         "modifiers (__GFP_NOWARN, __GFP_HIGH, __GFP_THISNODE, __GFP_MEMALLOC ...) joined by '|'.\n"
         "1. gfp_zone() gives the highest zone the mask may use; the node's zonelist is\n"
         "   walked from there down (node=N picks the preferred node, default the\n"
         "   node of the allocating CPU, cpu=N, default 0: CPU c is on node\n"
         "   c * nodes / cpus). numa_local counts the allocating CPU's node.\n"
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
         "4. rmqueue(): orders 0-3 come from the head of the CPU's per-CPU list\n"
         "   (rmqueue_pcplist); an empty list first takes a batch from the buddy lists\n"
         "   (rmqueue_bulk, see help pcp_list). Larger orders, or when the list cannot\n"
         "   be refilled, come from __rmqueue_smallest(): the head of the first\n"
         "   non-empty list of order >= N; expand() gives the caller the lower half and\n"
         "   puts each upper half at the head of the list one order down.\n"
         "   Pages on per-CPU lists are not free pages: NR_FREE_PAGES (MemFree, the\n"
         "   watermark checks) dropped when their batch left the buddy lists.\n"
         "A failure hands out nothing (kswapd may have been woken); the error says which\n"
         "zones were tried and why each said no (data.attempts has the numbers), and\n"
         "unless __GFP_NOWARN the event log gets the kernel's 'page allocation failure'\n"
         "warning.\n"
         "Follows mm/page_alloc.c (get_page_from_freelist, __alloc_pages_slowpath).\n"
         "Leaves out: THP's per-CPU lists (order 9), migratetypes and fallback\n"
         "stealing, direct reclaim,\n"
         "compaction and the OOM killer (a GFP_KERNEL request that would reclaim here\n"
         "fails instead), cpusets and mempolicies."},
        alloc_pages_cmd);
    register_command(
        {"free_pages", "free_pages NAME [cpu=N] | free_pages pfn=N [order=N] [cpu=N]",
         "return an allocated block to the buddy allocator",
         "Frees the block named NAME (from alloc_pages as=NAME), or the allocated block\n"
         "that starts at pfn with the given order (default 0). The pfn must head an\n"
         "allocated block of exactly that order.\n"
         "Orders 0-3 go to the head of the freeing CPU's per-CPU list (cpu=N, default\n"
         "0), not to the buddy lists: /proc/buddyinfo does not change until the list\n"
         "drains a batch (free_frozen_page_commit(), see help pcp_list). Larger orders,\n"
         "and every order with boot pcp=off, go straight to the buddy lists:\n"
         "__free_one_page(): while the buddy (pfn ^ 1 << order) is free at the same order\n"
         "in the same zone, the two merge and the order goes up. The result goes to the\n"
         "tail of its list when buddy_merge_likely() (the buddy of its parent is free,\n"
         "below order 9), else to the head.\n"
         "Follows mm/page_alloc.c. Leaves out: migratetypes."},
        free_pages_cmd);
    register_command(
        {"free_list", "free_list [node=N] [zone=NAME] [order=N]",
         "show the buddy free lists, head first",
         "Prints each non-empty free list (free_area[order] of a zone), head first, at\n"
         "most 16 pfns a line and then '... (+N more)'; data has every pfn.\n"
         "The head is what the next allocation of that order takes.\n"
         "Until migratetypes are modelled, one list per order holds every free block."},
        free_list_cmd);
    register_command(
        {"pcp_list", "pcp_list [node=N] [zone=NAME] [cpu=N]",
         "show the per-CPU page lists, head first",
         "Prints, for each populated zone and CPU, the pageset's count (pages on its\n"
         "lists), high, batch, high_min and high_max, then each non-empty list (orders\n"
         "0-3), head first (what the next allocation takes; drains take from the tail).\n"
         "Sizes (zone_pcp_update(), on boot and every watermark change):\n"
         "  batch = 2^n - 1 from a quarter of min(managed / 1024, 256), at least 1;\n"
         "  high_min = low watermark / CPUs of the zone's node (every CPU when the node\n"
         "  has none), high_max = managed / 8 / those CPUs, both at least 4 batches;\n"
         "  vm.percpu_pagelist_high_fraction=N (0 or >= 8) sets both to managed / N / CPUs.\n"
         "high starts at 0 and is clamped into [high_min, high_max] when used.\n"
         "Refill (rmqueue_bulk, nr_pcp_alloc): an empty list takes batch blocks, order 0\n"
         "doubling it for each refill without a free between (alloc_factor, up to 2^5)\n"
         "within high - count - batch, orders 1-3 batch >> order (at least 2); unless the\n"
         "zone is below its high watermark, high grows by the batch.\n"
         "Drain (free_pcppages_bulk, nr_pcp_free/nr_pcp_high): when a free brings count\n"
         "to high, the pages freed in a row (free_count, at least batch, at most\n"
         "high - batch) go back from the lists' tails, round-robin from the freed\n"
         "order's list; a full list raises high to hold them plus a batch; below the\n"
         "high watermark high falls instead. free_high: a CPU freeing orders 1-3 in a\n"
         "row past batch + high_min/2 drains up to 32 batches (in this lab every CPU\n"
         "has a 2 MiB cache slice, more than 3 batches, so it keeps one batch back:\n"
         "the kernel decides from the CPU's cache size).\n"
         "Every second of lab time (tick), decay_pcp_high() lowers high by an eighth\n"
         "toward high_min and frees what lies above it, a batch at a time.\n"
         "Each refill and drain is one event (PcpRefill, PcpDrain).\n"
         "In this lab every block is Movable (migratetypes come later), so only the\n"
         "Movable lists fill; THP's order-9 list is left out; the kernel's drain of\n"
         "remote nodes' lists after 3 idle seconds is not modelled."},
        pcp_list_cmd);
    register_command(
        {"drain_pages", "drain_pages [zone=NAME [node=N]] [cpu=N]",
         "return the per-CPU lists' pages to the buddy lists",
         "What drain_all_pages() does (direct reclaim, compaction and memory hotplug call\n"
         "it): every CPU's lists of one zone (zone=, on node=N, default 0) or of every\n"
         "populated zone go back to the buddy lists, from the tails, at most 32 batches\n"
         "per free_pcppages_bulk() call, one PcpDrain event each. cpu=N drains that\n"
         "CPU only (drain_local_pages() run on it). NR_FREE_PAGES rises by what was\n"
         "drained; high, high_min and high_max do not change."},
        drain_pages_cmd);
}

} // namespace mm
