// The clock's commands: tick (advances it and runs the timers), kswapd and
// timers (what kswapd is doing, and what runs next). docs/console.md
// "History, undo, time and help".
#include "core/base/text.h"
#include "core/console/registry.h"

namespace mm {

namespace {

// The longest tick: an hour of lab time (3600 vmstat_update runs, each over
// every zone and CPU), so that replaying a history for undo stays quick.
constexpr uint64_t kMaxTickMs = uint64_t{3600} * 1000;

// DURATION: milliseconds, bare or with "ms", or seconds with "s".
std::optional<uint64_t> parse_duration(std::string_view text) {
    uint64_t scale = 1;
    if (text.size() > 2 && text.substr(text.size() - 2) == "ms") {
        text.remove_suffix(2);
    } else if (text.size() > 1 && text.back() == 's') {
        text.remove_suffix(1);
        scale = 1000;
    }
    if (text.empty() || text.front() < '0' || text.front() > '9') return std::nullopt;
    for (char c : text)
        if (c < '0' || c > '9') return std::nullopt;
    const std::optional<uint64_t> n = parse_number(text);
    if (!n || *n > kMaxTickMs / scale) return std::nullopt;
    return *n * scale;
}

std::string zone_name_or_none(const Machine& m, unsigned node, unsigned zoneidx) {
    if (zoneidx >= m.nr_zones()) return "(none)";
    return m.zone(ZoneRef{static_cast<uint8_t>(node), static_cast<uint8_t>(zoneidx)}).name();
}

// "kswapd0: running since 1000 ms, pass for order 0 up to Normal: not balanced (at 1000 ms)"
std::string kswapd_line(const Machine& m, unsigned node) {
    const Kswapd& k = m.kswapd(node);
    std::string line = strprintf("kswapd%u: %s since %llu ms", node, kswapd_state_name(k.state),
                                 static_cast<unsigned long long>(k.since_ms));
    if (k.pageoutrun)
        line += strprintf(", last pass for order %u up to %s", k.alloc_order,
                          zone_name_or_none(m, node, k.pass_zoneidx).c_str());
    line += strprintf("; node %s at %llu ms", k.balanced ? "balanced" : "not balanced",
                      static_cast<unsigned long long>(k.last_check_ms));
    if (auto due = m.timers().due(TimerKind::Kswapd, node))
        line += strprintf("; next step at %llu ms", static_cast<unsigned long long>(*due));
    return line;
}

nlohmann::ordered_json kswapd_json(const Machine& m, unsigned node) {
    const Kswapd& k = m.kswapd(node);
    nlohmann::ordered_json j = {
        {"node", node},
        {"state", kswapd_state_name(k.state)},
        {"since_ms", k.since_ms},
        {"order", k.order},
        {"highest_zone", k.highest_zoneidx < m.nr_zones()
                             ? nlohmann::ordered_json(zone_name_or_none(m, node, k.highest_zoneidx))
                             : nlohmann::ordered_json(nullptr)},
        {"pass_order", k.alloc_order},
        {"pass_zone", zone_name_or_none(m, node, k.pass_zoneidx)},
        {"balanced", k.balanced},
        {"last_check_ms", k.last_check_ms},
        {"pageoutrun", k.pageoutrun},
        {"kswapd_low_wmark_hit_quickly", k.kswapd_low_wmark_hit_quickly},
        {"kswapd_high_wmark_hit_quickly", k.kswapd_high_wmark_hit_quickly},
        {"wakeups", k.wakeups}};
    if (auto due = m.timers().due(TimerKind::Kswapd, node))
        j["next_ms"] = *due;
    else
        j["next_ms"] = nullptr;
    return j;
}

void tick_cmd(Machine& m, const CommandLine& line, CommandResult& r) {
    auto args = command_args(line, {}, 1, r);
    if (!args) return;
    uint64_t ms = 1000;
    if (!args->positional().empty()) {
        auto parsed = parse_duration(args->positional()[0]);
        if (!parsed) {
            fail(r,
                 "tick " + quote_input(args->positional()[0]) +
                     ": DURATION is milliseconds (500 or 500ms) or seconds (10s), at most 3600s");
            return;
        }
        ms = *parsed;
    }
    const Machine::TickReport rep = m.tick(ms);
    r.out = strprintf("clock: %llu ms (+%llu ms)\n", static_cast<unsigned long long>(rep.to_ms),
                      static_cast<unsigned long long>(rep.to_ms - rep.from_ms));
    if (rep.vmstat_updates)
        r.out += strprintf("vmstat_update: ran %llu time%s (per-CPU list high decay)\n",
                           static_cast<unsigned long long>(rep.vmstat_updates),
                           rep.vmstat_updates == 1 ? "" : "s");
    nlohmann::ordered_json nodes = nlohmann::ordered_json::array();
    for (unsigned n = 0; n < m.nodes().size(); ++n) {
        if (!(rep.kswapd_nodes & (1u << n))) continue;
        r.out += kswapd_line(m, n) + "\n";
        nodes.push_back(kswapd_json(m, n));
    }
    r.data = {{"from_ms", rep.from_ms},
              {"now_ms", rep.to_ms},
              {"vmstat_updates", rep.vmstat_updates},
              {"kswapd_steps", rep.kswapd_steps},
              {"kswapd", nodes}};
}

void kswapd_cmd(const Machine& m, const CommandLine& line, CommandResult& r) {
    auto args = command_args(line, {"node"}, 0, r);
    if (!args) return;
    uint64_t node = 0;
    if (!read_ok(r, args->number("node", 0, m.nodes().size() - 1, &node, &r.error))) return;
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (unsigned n = 0; n < m.nodes().size(); ++n) {
        if (args->has("node") && n != node) continue;
        const Kswapd& k = m.kswapd(n);
        r.out += kswapd_line(m, n) + "\n";
        if (k.highest_zoneidx < m.nr_zones())
            r.out += strprintf("  asked for its next pass: order %u up to %s\n", k.order,
                               zone_name_or_none(m, n, k.highest_zoneidx).c_str());
        r.out += strprintf("  pageoutrun %llu, kswapd_low_wmark_hit_quickly %llu, "
                           "kswapd_high_wmark_hit_quickly %llu, woken %llu time%s\n",
                           static_cast<unsigned long long>(k.pageoutrun),
                           static_cast<unsigned long long>(k.kswapd_low_wmark_hit_quickly),
                           static_cast<unsigned long long>(k.kswapd_high_wmark_hit_quickly),
                           static_cast<unsigned long long>(k.wakeups), k.wakeups == 1 ? "" : "s");
        list.push_back(kswapd_json(m, n));
    }
    r.data = {{"now_ms", m.now_ms()}, {"kswapd", list}};
}

void timers_cmd(const Machine& m, const CommandLine& line, CommandResult& r) {
    if (!command_args(line, {}, 0, r)) return;
    r.out = strprintf("clock: %llu ms\n", static_cast<unsigned long long>(m.now_ms()));
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const Timer& t : m.timers().timers()) {
        std::string what;
        if (t.kind == TimerKind::VmstatUpdate)
            what = "vmstat_update: per-CPU list high decay, every CPU and zone";
        else
            what = strprintf("kswapd%u: %s", t.node,
                             m.kswapd(t.node).state == KswapdState::Napping
                                 ? "end of its nap: sleep if the node is still balanced"
                                 : "a pass of balance_pgdat()");
        r.out +=
            strprintf("%8llu ms  %s\n", static_cast<unsigned long long>(t.due_ms), what.c_str());
        nlohmann::ordered_json j = {{"due_ms", t.due_ms}, {"timer", timer_kind_name(t.kind)}};
        if (t.kind == TimerKind::Kswapd) j["node"] = t.node;
        list.push_back(j);
    }
    r.data = {{"now_ms", m.now_ms()}, {"timers", list}};
}

} // namespace

void register_mm_clock() {
    register_command(
        {"tick", "tick [DURATION]", "advance the machine's clock and run the timers due",
         "Advances the lab's clock (milliseconds since boot) by DURATION: 500 or 500ms,\n"
         "10s; tick alone is 1s; at most 3600s; tick 0 runs what is due now. Commands\n"
         "take no time: only tick moves the clock, so it is in the history.\n"
         "Every timer due up to the new time runs in order of due time, then of arming:\n"
         "- vmstat_update, every whole second since boot: refresh_cpu_vm_stats() lowers\n"
         "  each CPU's per-CPU list high towards high_min (decay_pcp_high()).\n"
         "- kswapd of each node, once woken (see help kswapd): a pass at the next tick,\n"
         "  then its nap of HZ/10 (100 ms) and sleep once the node is balanced.\n"
         "Prints the new time, the vmstat_update runs and the state of each kswapd that\n"
         "ran; data has now_ms and the same. Events: KswapdWake, KswapdSleep.\n"
         "Follows mm/vmstat.c (vmstat_update) and mm/vmscan.c (kswapd). Leaves out:\n"
         "kcompactd, proactive compaction, writeback and the OOM reaper (their issues\n"
         "add their timers), the vmstat shepherd's skipping of idle CPUs."},
        tick_cmd);
    register_command(
        {"kswapd", "kswapd [node=N]", "kswapd's state on each node",
         "Shows each node's kswapd (mm/vmscan.c), one line per node:\n"
         "  kswapd0: running since 1000 ms, last pass for order 0 up to Normal;\n"
         "  node not balanced at 1000 ms; next step at 1100 ms\n"
         "- state: asleep (in schedule(), until woken), running (a pass of\n"
         "  balance_pgdat() at its next timer), napping (balanced: the HZ/10 nap\n"
         "  before sleeping for good; a wakeup during it counts\n"
         "  kswapd_low_wmark_hit_quickly).\n"
         "- Who wakes it: wakeup_kswapd(), from the allocation slow path for each node\n"
         "  of the request's zones when no zone passed its low watermark (masks with\n"
         "  __GFP_KSWAPD_RECLAIM), and after a watermark boost. It records the order\n"
         "  and highest zone asked for (kswapd_order, kswapd_highest_zoneidx: the\n"
         "  'asked for its next pass' line), and wakes a sleeping or napping kswapd\n"
         "  unless the node is balanced and not boosted.\n"
         "- balanced: pgdat_balanced(): some managed zone up to that zone passes its\n"
         "  high watermark (+ boost) for that order, with lowmem_reserve.\n"
         "- A pass counts pageoutrun, checks the balance, and spends the zones'\n"
         "  watermark boosts. Then kswapd_try_to_sleep(): balanced, it naps 100 ms and\n"
         "  sleeps if still balanced; not balanced, it counts\n"
         "  kswapd_high_wmark_hit_quickly and runs again.\n"
         "- While awake, kswapd holds its node's zones at the pressure vmstat threshold\n"
         "  (/proc/zoneinfo); asleep, at the normal one.\n"
         "In this lab kswapd reclaims nothing, and a running kswapd passes every 100 ms\n"
         "of lab time until the node is balanced. On a real machine it reclaims at once\n"
         "and loops; after 16 passes that reclaim nothing (kswapd_failures) it gives the\n"
         "node up until reclaim makes progress: the lab counts no failures.\n"
         "/proc/vmstat has pageoutrun and the two hit_quickly counters. Read-only."},
        kswapd_cmd);
    register_command(
        {"timers", "timers", "the clock and the timers waiting to run",
         "Prints the clock (ms since boot) and every pending timer, earliest first, with\n"
         "the time it is due: vmstat_update each second, and a woken kswapd's next pass\n"
         "or the end of its nap. tick runs them. Read-only."},
        timers_cmd);
}

} // namespace mm
