// The machine's commands: boot's arguments, alloc_pages, free_pages,
// free_list, cat, echo, sysctl and ls, with their help texts.
//
// Sections: help texts (the table) | argument helpers | boot | page
// allocator commands | file commands.
#include "core/commands.h"

#include "core/procfs.h"

#include <algorithm>
#include <cstdio>

namespace mm {

namespace {

void alloc_pages_cmd(Machine& m, const CommandLine& line, CommandResult& r);
void free_pages_cmd(Machine& m, const CommandLine& line, CommandResult& r);
void free_list_cmd(Machine& m, const CommandLine& line, CommandResult& r);
void cat_cmd(Machine& m, const CommandLine& line, CommandResult& r);
void echo_cmd(Machine& m, const CommandLine& line, CommandResult& r);
void sysctl_cmd(Machine& m, const CommandLine& line, CommandResult& r);
void ls_cmd(Machine& m, const CommandLine& line, CommandResult& r);

} // namespace

// ---- Help texts -------------------------------------------------------------------

const std::vector<CommandSpec>& command_table() {
    static const std::vector<CommandSpec> table = {
        {"boot",
         "boot [arch=x86_64|i386|toy] [ram=SIZE] [cpus=N] [nodes=N] [swap=SIZE] [movablecore=SIZE] "
         "[seed=N]",
         "replace the machine with a freshly booted one",
         "Boots a new machine (the default: x86_64, ram=1G, cpus=2, nodes=1).\n"
         "  x86_64: RAM from address 0 with no PCI hole; zones DMA (pfns 1-4095; pfn 0 is\n"
         "    in no zone), DMA32 (below 4 GiB), Normal, Movable, Device; ram=16M to 64G.\n"
         "  i386: DMA below 16 MiB, Normal up to 896 MiB, HighMem above; ram=16M to 4G;\n"
         "    one node.\n"
         "  toy: one node, one zone (Normal) from pfn 0, nothing reserved, ram=64K to 64G;\n"
         "    min_free_kbytes starts at 0 so every frame can be allocated.\n"
         "  nodes=N (x86_64): N equal NUMA nodes by physical address, distance 10 local,\n"
         "    20 remote; each node's zonelist is its own zones, highest first, then the\n"
         "    other nodes' in find_next_best_node() order.\n"
         "  movablecore=SIZE: ZONE_MOVABLE is carved from the top of each node's highest\n"
         "    zone, kernelcore spread evenly over the nodes, its start rounded up to 4 MiB\n"
         "    (find_zone_movable_pfns_for_nodes() in mm/mm_init.c).\n"
         "Reserved at boot (x86_64 and i386), so MemTotal is below ram=:\n"
         "  firmware: the first 1 MiB (pfns 0-255; x86 reserves all of it since 5.13);\n"
         "  kernel image: 16 MiB at 16 MiB (CONFIG_PHYSICAL_START), or 4 MiB at 2 MiB on\n"
         "    machines under 64 MiB;\n"
         "  memmap: 64 bytes of struct page per frame (32 on i386), at the top of each\n"
         "    node's kernel memory (i386: the top of lowmem).\n"
         "Free memory then enters the buddy lists as memblock_free_all() releases it:\n"
         "ascending ranges, largest aligned blocks, each at the tail of its list.\n"
         "min_free_kbytes = int_sqrt(lowmem_kbytes * 16), clamped to 128..262144.\n"
         "Follows arch/x86/mm/init.c, mm/mm_init.c, mm/memblock.c, mm/page_alloc.c.\n"
         "Leaves out: e820 holes (present == spanned), KASLR, deferred struct page init,\n"
         "THP's larger min_free_kbytes, per-CPU page lists. swap= and cpus= are recorded\n"
         "(SwapTotal, CommitLimit) but swapping and per-CPU state are not modelled yet.",
         nullptr},
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
         "3. If no zone passes: kswapd is woken (an event) and pass 2 tries every zone at\n"
         "   its min watermark with gfp_to_alloc_flags()'s allowances: __GFP_HIGH may go\n"
         "   to min/2, GFP_ATOMIC to 3/8 of min, __GFP_MEMALLOC ignores watermarks.\n"
         "4. The chosen zone's __rmqueue_smallest() takes the head of the first non-empty\n"
         "   list of order >= N; expand() gives the caller the lower half and puts each\n"
         "   upper half at the head of the list one order down.\n"
         "A failure changes nothing; the error says which zones were tried and why each\n"
         "said no (data.attempts has the numbers), and unless __GFP_NOWARN the event log\n"
         "gets the kernel's 'page allocation failure' warning.\n"
         "Follows mm/page_alloc.c (get_page_from_freelist, __alloc_pages_slowpath).\n"
         "Leaves out: per-CPU lists, migratetypes and fallback stealing, direct reclaim,\n"
         "compaction and the OOM killer (a GFP_KERNEL request that would reclaim here\n"
         "fails instead), cpusets and mempolicies.",
         alloc_pages_cmd},
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
         "0-3 through them first), migratetypes.",
         free_pages_cmd},
        {"free_list", "free_list [node=N] [zone=NAME] [order=N]",
         "show the buddy free lists, head first",
         "Prints each non-empty free list (free_area[order] of a zone), head first, at\n"
         "most 16 pfns a line and then '... (+N more)'; data has every pfn.\n"
         "The head is what the next allocation of that order takes.\n"
         "Until migratetypes are modelled, one list per order holds every free block.",
         free_list_cmd},
        {"cat", "cat PATH...", "print files of /proc and /sys",
         "Prints files as the kernel prints them: /proc/buddyinfo, /proc/pagetypeinfo,\n"
         "/proc/zoneinfo, /proc/meminfo, /proc/vmstat, /proc/sys/vm/*,\n"
         "/sys/kernel/debug/extfrag/{extfrag_index,unusable_index}.\n"
         "Lines whose values the simulation cannot know are left out (per-CPU pagesets,\n"
         "Percpu, DirectMap*); counters of what is not modelled yet (page cache, slab,\n"
         "anonymous memory) are 0. /proc/pagetypeinfo shows every free block as Movable:\n"
         "one migratetype holds everything until migratetypes are modelled.\n"
         "Follows mm/vmstat.c, fs/proc/meminfo.c, mm/show_mem.c (si_mem_available).",
         cat_cmd},
        {"echo", "echo VALUE > PATH | echo TEXT", "write a value to a sysctl file",
         "Writes VALUE to a writable file, as the shell's echo does (quote values with\n"
         "spaces: echo \"256 256 32 0 0\" > /proc/sys/vm/lowmem_reserve_ratio).\n"
         "Writes are checked as the kernel checks them: min_free_kbytes >= 0,\n"
         "watermark_scale_factor 1..3000, lowmem_reserve_ratio values below 1 become 0.\n"
         "Watermarks and lowmem_reserve are recomputed at once. Without '>' it prints TEXT.",
         echo_cmd},
        {"sysctl", "sysctl NAME | sysctl -w NAME=VALUE | sysctl -a",
         "read or write kernel parameters (vm.*)",
         "sysctl vm.min_free_kbytes reads /proc/sys/vm/min_free_kbytes; -w writes it\n"
         "(the same checks as echo); -a lists every parameter. Known: vm.min_free_kbytes,\n"
         "vm.watermark_scale_factor, vm.lowmem_reserve_ratio.",
         sysctl_cmd},
        {"ls", "ls [PATH]", "list the files of /proc and /sys",
         "Lists the entries of a directory of the simulated /proc and /sys, one a line.", ls_cmd},
        {"history", "history", "the commands that made the current state",
         "Prints the commands that made the current machine, since the boot that created\n"
         "it: successful commands that change the machine. Read-only and failed commands\n"
         "are not in it. Running the history as a script rebuilds the same machine.",
         nullptr},
        {"undo", "undo", "take back the last command of the history",
         "Takes back the last command in the history; undoing a boot brings back the\n"
         "machine before it. The machine is rebuilt by booting and replaying the history.",
         nullptr},
        {"help", "help [COMMAND]", "list commands, or explain one",
         "help alone lists every command; help COMMAND shows its usage, what it models,\n"
         "the kernel source it follows, and what it leaves out.",
         nullptr},
    };
    return table;
}

const CommandSpec* find_command(std::string_view name) {
    for (const CommandSpec& spec : command_table())
        if (name == spec.name) return &spec;
    return nullptr;
}

// ---- Argument helpers -----------------------------------------------------------------

namespace {

bool fail(CommandResult& r, std::string error) {
    r.ok = false;
    r.error = std::move(error);
    return false;
}

// A number argument within [lo, hi].
bool number_arg(const Args& args, std::string_view key, uint64_t lo, uint64_t hi, uint64_t* out,
                CommandResult& r) {
    auto text = args.get(key);
    if (!text) return true;
    auto v = parse_number(*text);
    if (!v) return fail(r, std::string(key) + "=" + *text + ": not a number");
    if (*v < lo || *v > hi)
        return fail(r, std::string(key) + "=" + *text + ": must be " + std::to_string(lo) + " to " +
                           std::to_string(hi));
    *out = *v;
    return true;
}

bool size_arg(const Args& args, std::string_view key, uint64_t* out, CommandResult& r) {
    auto text = args.get(key);
    if (!text) return true;
    auto v = parse_size(*text);
    if (!v) return fail(r, std::string(key) + "=" + *text + ": not a size (e.g. 64M, 4096, 2G)");
    *out = *v;
    return true;
}

std::optional<Args> parse_args(const CommandLine& line, const std::vector<std::string_view>& keys,
                               size_t max_positional, CommandResult& r) {
    std::string error;
    auto args = Args::parse(line.words, keys, &error);
    if (!args) {
        fail(r, error);
        return std::nullopt;
    }
    if (args->positional().size() > max_positional) {
        fail(r, "unexpected argument '" + args->positional()[max_positional] + "'");
        return std::nullopt;
    }
    return args;
}

bool valid_name(std::string_view name) {
    if (name.empty() || name.size() > 64) return false;
    if (!((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= 'A' && name[0] <= 'Z') ||
          name[0] == '_'))
        return false;
    for (char c : name)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.'))
            return false;
    return true;
}

std::string hex(uint64_t v) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
    return buf;
}

} // namespace

// ---- boot ------------------------------------------------------------------------------

bool parse_boot_args(const CommandLine& line, BootParams* p, std::string* error) {
    CommandResult r;
    auto args =
        parse_args(line, {"arch", "ram", "cpus", "nodes", "swap", "movablecore", "seed"}, 0, r);
    if (!args) {
        *error = r.error;
        return false;
    }
    BootParams params;
    if (auto arch = args->get("arch")) {
        if (*arch == "x86_64")
            params.arch = Arch::x86_64;
        else if (*arch == "i386")
            params.arch = Arch::i386;
        else if (*arch == "toy")
            params.arch = Arch::toy;
        else {
            *error = "arch=" + *arch + ": must be x86_64, i386 or toy";
            return false;
        }
    }
    if (params.arch == Arch::toy) params.ram = uint64_t{64} << 10; // the toy default: 16 frames
    uint64_t cpus = params.cpus, nodes = params.nodes, seed = 0;
    bool ok = size_arg(*args, "ram", &params.ram, r) && size_arg(*args, "swap", &params.swap, r) &&
              size_arg(*args, "movablecore", &params.movablecore, r) &&
              number_arg(*args, "cpus", 1, 64, &cpus, r) &&
              number_arg(*args, "nodes", 1, 8, &nodes, r) &&
              number_arg(*args, "seed", 0, UINT64_MAX, &seed, r);
    if (!ok) {
        *error = r.error;
        return false;
    }
    params.cpus = static_cast<unsigned>(cpus);
    params.nodes = static_cast<unsigned>(nodes);
    params.seed = seed;
    if (auto problem = Machine::validate(params)) {
        *error = *problem;
        return false;
    }
    *p = params;
    return true;
}

nlohmann::ordered_json boot_data(const Machine& m) {
    nlohmann::ordered_json zones = nlohmann::ordered_json::array();
    for (const Node& node : m.nodes())
        for (const Zone& zone : node.zones) {
            if (!zone.populated()) continue;
            zones.push_back({{"node", node.id},
                             {"zone", zone.name()},
                             {"start_pfn", zone.zone_start_pfn},
                             {"end_pfn", zone.end_pfn()},
                             {"spanned", zone.spanned_pages},
                             {"present", zone.present_pages},
                             {"managed", zone.managed_pages}});
        }
    return {{"zones", zones}};
}

std::string boot_summary(const Machine& m) {
    const BootParams& p = m.params();
    char buf[256];
    std::string out;
    std::snprintf(buf, sizeof buf,
                  "Booted %s: ram=%s, %u CPU%s, %u node%s; MemTotal %llu kB, min_free_kbytes %d\n",
                  arch_name(p.arch), format_size(p.ram).c_str(), p.cpus, p.cpus == 1 ? "" : "s",
                  p.nodes, p.nodes == 1 ? "" : "s",
                  static_cast<unsigned long long>(m.total_managed() << (PAGE_SHIFT - 10)),
                  m.sysctl().min_free_kbytes);
    out += buf;
    for (const Node& node : m.nodes())
        for (const Zone& zone : node.zones) {
            if (!zone.populated()) continue;
            std::snprintf(buf, sizeof buf,
                          "Node %d, zone %8s: pfns %s-%s, %llu managed of %llu present\n", node.id,
                          zone.name(), hex(zone.zone_start_pfn).c_str(),
                          hex(zone.end_pfn() - 1).c_str(),
                          static_cast<unsigned long long>(zone.managed_pages),
                          static_cast<unsigned long long>(zone.present_pages));
            out += buf;
        }
    return out;
}

// ---- Page allocator commands -------------------------------------------------------------

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

// One zone's "no", in a few words: "Node 0 Normal: free 12 <= min 33 + reserve 0".
std::string attempt_text(const Machine& m, const ZoneAttempt& a, unsigned order) {
    std::string zone = "Node " + std::to_string(a.zone.node) + " " + m.zone(a.zone).name();
    if (a.verdict == ZoneVerdict::NoFreeBlock)
        return zone + ": no free block of order >= " + std::to_string(order);
    const char* mark = a.pass == 1 ? "low" : "min";
    return zone + ": free " + std::to_string(a.free_pages) + " <= " + mark + " " +
           std::to_string(a.mark) + " + reserve " + std::to_string(a.reserve);
}

void alloc_pages_cmd(Machine& m, const CommandLine& line, CommandResult& r) {
    auto args = parse_args(line, {"order", "gfp", "node", "as"}, 0, r);
    if (!args) return;
    AllocRequest req;
    uint64_t order = 0, node = 0;
    if (!number_arg(*args, "order", 0, MAX_PAGE_ORDER, &order, r)) return;
    if (!number_arg(*args, "node", 0, m.nodes().size() - 1, &node, r)) return;
    req.order = static_cast<unsigned>(order);
    if (args->has("node")) req.node = static_cast<unsigned>(node);
    if (auto gfp = args->get("gfp")) {
        std::string bad;
        auto mask = parse_gfp(*gfp, &bad);
        if (!mask) {
            fail(r, "gfp=" + *gfp + ": unknown flag '" + bad + "' (see help alloc_pages)");
            return;
        }
        req.gfp = *mask;
    }
    if (auto name = args->get("as")) {
        if (!valid_name(*name)) {
            fail(r,
                 "as=" + *name + ": a name is a letter or '_' then letters, digits, '_', '-', '.'");
            return;
        }
        if (m.find_allocation(*name)) {
            fail(r, "as=" + *name + ": that name is already in use");
            return;
        }
        req.name = *name;
    }
    AllocResult res = m.alloc_pages(req);
    nlohmann::ordered_json attempts = nlohmann::ordered_json::array();
    for (const ZoneAttempt& a : res.attempts)
        attempts.push_back({{"pass", a.pass},
                            {"watermark", a.pass == 1 ? "low" : "min"},
                            {"node", a.zone.node},
                            {"zone", m.zone(a.zone).name()},
                            {"free", a.free_pages},
                            {"mark", a.mark},
                            {"reserve", a.reserve},
                            {"verdict", verdict_text(a.verdict)}});
    if (!res.ok) {
        char head[160];
        std::snprintf(head, sizeof head,
                      "page allocation failure: order:%u, mode:0x%x(%s): ", req.order, req.gfp,
                      format_gfp(req.gfp).c_str());
        std::string why;
        for (const ZoneAttempt& a : res.attempts)
            if (a.pass == 2) why += (why.empty() ? "" : "; ") + attempt_text(m, a, req.order);
        if (why.empty()) why = res.reason;
        fail(r, head + why);
        r.data = {{"order", req.order},
                  {"gfp", hex(req.gfp)},
                  {"highest_zoneidx", res.highest_zoneidx},
                  {"attempts", attempts}};
        return;
    }
    const Zone& zone = m.zone(res.zone);
    r.changed = true;
    r.out = "pfn " + hex(res.pfn) + " order " + std::to_string(req.order) + " from Node " +
            std::to_string(res.zone.node) + ", zone " + zone.name() +
            (req.name.empty() ? "" : " as " + req.name) + "\n";
    r.data = {{"pfn", res.pfn},        {"order", req.order},           {"zone", zone.name()},
              {"node", res.zone.node}, {"from_order", res.from_order}, {"attempts", attempts}};
}

void free_pages_cmd(Machine& m, const CommandLine& line, CommandResult& r) {
    auto args = parse_args(line, {"pfn", "order"}, 1, r);
    if (!args) return;
    uint64_t pfn = 0, order = 0;
    std::string name;
    if (!args->positional().empty()) {
        if (args->has("pfn") || args->has("order")) {
            fail(r, "give a NAME or pfn= (and order=), not both");
            return;
        }
        name = args->positional()[0];
        auto id = m.find_allocation(name);
        if (!id) {
            fail(r, "no allocated block is named '" + name + "'");
            return;
        }
        pfn = m.allocations()[*id].pfn;
        order = m.allocations()[*id].order;
    } else {
        if (!args->has("pfn")) {
            fail(r, "usage: free_pages NAME | free_pages pfn=N [order=N]");
            return;
        }
        if (!number_arg(*args, "pfn", 0, UINT64_MAX, &pfn, r)) return;
        if (!number_arg(*args, "order", 0, MAX_PAGE_ORDER, &order, r)) return;
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
    r.changed = true;
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

void free_list_cmd(Machine& m, const CommandLine& line, CommandResult& r) {
    auto args = parse_args(line, {"node", "zone", "order"}, 0, r);
    if (!args) return;
    uint64_t node = 0, order = 0;
    if (!number_arg(*args, "node", 0, m.nodes().size() - 1, &node, r)) return;
    if (!number_arg(*args, "order", 0, MAX_PAGE_ORDER, &order, r)) return;
    auto zone_name = args->get("zone");
    if (zone_name) {
        bool known = false;
        for (const Zone& z : m.nodes()[0].zones)
            known = known || *zone_name == z.name();
        if (!known) {
            std::string names;
            for (const Zone& z : m.nodes()[0].zones)
                names += (names.empty() ? "" : ", ") + std::string(z.name());
            fail(r, "zone=" + *zone_name + ": no such zone on " + arch_name(m.arch()) + " (" +
                        names + ")");
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
                for (uint32_t pfn = area.head; pfn != NIL_PFN; pfn = m.page(pfn)->next) {
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

// ---- File commands ------------------------------------------------------------------------

void cat_cmd(Machine& m, const CommandLine& line, CommandResult& r) {
    if (line.words.size() < 2) {
        fail(r, "usage: cat PATH...");
        return;
    }
    std::string out;
    for (size_t i = 1; i < line.words.size(); ++i) {
        const std::string& path = line.words[i];
        auto text = read_file(m, path);
        if (!text) {
            fail(r, "cat: " + path +
                        (list_directory(m, path) ? ": Is a directory"
                                                 : ": No such file or directory"));
            return;
        }
        out += *text;
    }
    r.out = out;
}

void echo_cmd(Machine& m, const CommandLine& line, CommandResult& r) {
    // echo WORDS [> PATH]; '>' may stand alone or start the path word.
    std::vector<std::string> words;
    std::string path;
    bool redirect = false;
    for (size_t i = 1; i < line.words.size(); ++i) {
        const std::string& w = line.words[i];
        if (!redirect && !w.empty() && w[0] == '>') {
            redirect = true;
            if (w.size() > 1)
                path = w.substr(1);
            else if (i + 1 < line.words.size())
                path = line.words[++i];
            if (i + 1 < line.words.size()) {
                fail(r, "unexpected argument '" + line.words[i + 1] + "' after the path");
                return;
            }
            break;
        }
        words.push_back(w);
    }
    std::string text;
    for (size_t i = 0; i < words.size(); ++i)
        text += (i ? " " : "") + words[i];
    text += "\n";
    if (!redirect) {
        r.out = text;
        return;
    }
    if (path.empty()) {
        fail(r, "echo: a path must follow '>'");
        return;
    }
    WriteStatus status = write_file(m, path, text);
    switch (status) {
    case WriteStatus::Ok:
        r.changed = true;
        return;
    case WriteStatus::InvalidArgument:
        fail(r, "echo: write error: Invalid argument");
        return;
    default:
        fail(r, path + ": " + write_status_text(status));
        return;
    }
}

void sysctl_cmd(Machine& m, const CommandLine& line, CommandResult& r) {
    auto show = [&](const std::string& path) {
        auto text = read_file(m, path);
        std::string value = *text;
        if (!value.empty() && value.back() == '\n') value.pop_back();
        r.out += sysctl_name(path) + " = " + value + "\n";
    };
    if (line.words.size() == 2 && line.words[1] == "-a") {
        for (const std::string& path : file_paths(m))
            if (path.rfind("/proc/sys/", 0) == 0) show(path);
        return;
    }
    bool write = false;
    size_t i = 1;
    if (i < line.words.size() && line.words[i] == "-w") {
        write = true;
        ++i;
    }
    if (i + 1 != line.words.size()) {
        fail(r, "usage: sysctl NAME | sysctl -w NAME=VALUE | sysctl -a");
        return;
    }
    const std::string& arg = line.words[i];
    size_t eq = arg.find('=');
    if (eq != std::string::npos) write = true;
    if (write && eq == std::string::npos) {
        fail(r, "sysctl: \"" + arg + "\" must be of the form name=value");
        return;
    }
    std::string name = write ? arg.substr(0, eq) : arg;
    std::string path = sysctl_path(name);
    if (name.empty() || !read_file(m, path) || path.rfind("/proc/sys/", 0) != 0) {
        fail(r, "sysctl: cannot stat " + path + ": No such file or directory");
        return;
    }
    if (write) {
        WriteStatus status = write_file(m, path, arg.substr(eq + 1) + "\n");
        if (status != WriteStatus::Ok) {
            fail(r,
                 "sysctl: setting key \"" + sysctl_name(path) + "\": " + write_status_text(status));
            return;
        }
        r.changed = true;
    }
    show(path);
}

void ls_cmd(Machine& m, const CommandLine& line, CommandResult& r) {
    if (line.words.size() > 2) {
        fail(r, "usage: ls [PATH]");
        return;
    }
    std::string path = line.words.size() == 2 ? line.words[1] : "/";
    if (read_file(m, path)) {
        r.out = path + "\n";
        return;
    }
    auto names = list_directory(m, path);
    if (!names) {
        fail(r, "ls: cannot access '" + path + "': No such file or directory");
        return;
    }
    for (const std::string& n : *names)
        r.out += n + "\n";
}

} // namespace

} // namespace mm
