// The page allocator's functions and names in the lessons' condition
// language: free lists, watermarks, reserves, blocks, frames, the
// fragmentation indices, the per-CPU lists, kswapd (lessons/README.md lists
// them).
#include "core/base/text.h"
#include "core/lab/lab.h"
#include "core/lesson/functions.h"
#include "core/mm/vmstat.h"

namespace mm {

namespace {

constexpr Param kZone{"zone", ParamKind::Zone, false};
constexpr Param kNode{"node", ParamKind::Node, false};

// The zones a call selects with zone= and node= (all when not given).
std::vector<const Zone*> select_zones(const Machine& m, const FnArgs& a) {
    std::vector<const Zone*> zones;
    for (const Node& node : m.nodes()) {
        if (a.has("node") && a.integer("node") != node.id) continue;
        for (const Zone& zone : node.zones)
            if (!a.has("zone") || a.text("zone") == zone.name()) zones.push_back(&zone);
    }
    return zones;
}

template <typename F> std::optional<Value> sum_zones(const Lab& lab, const FnArgs& a, F field) {
    int64_t sum = 0;
    for (const Zone* z : select_zones(lab.machine(), a))
        sum += static_cast<int64_t>(field(*z));
    return Value::integer(sum);
}

// A ParamKind::Pfn argument (checked to be 0 or more) as a pfn, and a pfn as
// a value of the language (an integer).
Pfn pfn_arg(const FnArgs& a, const char* name) {
    return Pfn{static_cast<uint64_t>(a.integer(name))};
}
Value pfn_value(Pfn pfn) {
    return Value::integer(static_cast<int64_t>(pfn.value()));
}

const Allocation* named_block(const Lab& lab, const FnArgs& a, std::string* error) {
    const std::string name = a.text("name");
    auto id = lab.machine().find_allocation(name);
    if (!id) {
        *error = "no allocated block is named '" + quote_input(name) + "'";
        return nullptr;
    }
    return &lab.machine().allocations()[*id];
}

// A function of one zone field summed over the selected zones.
#define ZONE_SUM(NAME, DOC, EXPR)                                                                  \
    register_condition_function(                                                                   \
        {NAME, DOC, {kZone, kNode}, [](const Lab& lab, const FnArgs& a, std::string*) {            \
             return sum_zones(lab, a, [](const Zone& z) { return EXPR; });                         \
         }})

void register_zone_functions() {
    register_condition_function(
        {"nr_free",
         "nr_free(order=N [, zone=Z] [, node=N]): free blocks of that order (summed over the "
         "zones selected)",
         {{"order", ParamKind::Order, true}, kZone, kNode},
         [](const Lab& lab, const FnArgs& a, std::string*) {
             const auto order = static_cast<size_t>(a.integer("order"));
             return sum_zones(lab, a, [&](const Zone& z) { return z.free_area[order].nr_free; });
         }});
    ZONE_SUM("free", "free([zone=Z] [, node=N]): free pages (NR_FREE_PAGES)", z.free_pages);
    ZONE_SUM("managed", "managed([zone=Z] [, node=N]): managed pages", z.managed_pages);
    ZONE_SUM("present", "present([zone=Z] [, node=N]): present pages", z.present_pages);
    ZONE_SUM("spanned", "spanned([zone=Z] [, node=N]): spanned pages", z.spanned_pages);
    ZONE_SUM("min", "min(zone=Z [, node=N]): the min watermark, in pages", z.wmark(WMARK_MIN));
    ZONE_SUM("low", "low(zone=Z [, node=N]): the low watermark", z.wmark(WMARK_LOW));
    ZONE_SUM("high", "high(zone=Z [, node=N]): the high watermark", z.wmark(WMARK_HIGH));
    ZONE_SUM("populated", "populated([zone=Z] [, node=N]): zones with pages", z.populated());
    register_condition_function(
        {"pcp_count",
         "pcp_count([cpu=N] [, zone=Z] [, node=N]): pages on the per-CPU lists of that CPU "
         "(of every CPU without cpu=), summed over the zones selected",
         {{"cpu", ParamKind::Int, false}, kZone, kNode},
         [](const Lab& lab, const FnArgs& a, std::string* e) -> std::optional<Value> {
             const int64_t cpus = lab.machine().nr_cpus();
             if (a.has("cpu") && (a.integer("cpu") < 0 || a.integer("cpu") >= cpus)) {
                 *e = "no CPU " + std::to_string(a.integer("cpu")) + " on this machine";
                 return std::nullopt;
             }
             return sum_zones(lab, a, [&](const Zone& z) -> uint64_t {
                 if (!a.has("cpu")) return z.pcp_pages();
                 const auto cpu = static_cast<size_t>(a.integer("cpu"));
                 return cpu < z.pcp.size() ? static_cast<uint64_t>(z.pcp[cpu].count) : 0;
             });
         }});
    register_condition_function(
        {"kswapd",
         "kswapd([node=N]): what node N's kswapd (node 0's without node=) is doing: "
         "\"asleep\", \"running\" or \"napping\"",
         {kNode},
         [](const Lab& lab, const FnArgs& a, std::string*) -> std::optional<Value> {
             const auto node = a.has("node") ? static_cast<unsigned>(a.integer("node")) : 0u;
             return Value::string(kswapd_state_name(lab.machine().kswapd(node).state));
         }});
    register_condition_function(
        {"reserve",
         "reserve(zone=Z, for=Z2 [, node=N]): lowmem_reserve of Z against requests that may use "
         "Z2",
         {kZone, {"for", ParamKind::Zone, true}, kNode},
         [](const Lab& lab, const FnArgs& a, std::string*) {
             size_t idx = 0;
             for (const Zone& z : lab.machine().nodes()[0].zones)
                 if (a.text("for") == z.name()) idx = z.idx;
             return sum_zones(lab, a, [&](const Zone& z) { return z.lowmem_reserve[idx]; });
         }});
    register_condition_function(
        {"start_pfn",
         "start_pfn(zone=Z [, node=N]): the zone's first pfn (zone_start_pfn)",
         {kZone, kNode},
         [](const Lab& lab, const FnArgs& a, std::string*) -> std::optional<Value> {
             for (const Zone* z : select_zones(lab.machine(), a))
                 if (z->populated()) return pfn_value(z->zone_start_pfn);
             return Value::integer(-1);
         }});
    register_condition_function(
        {"zones",
         "zones([node=N]): zones of the configuration (MAX_NR_ZONES), populated or not",
         {kNode},
         [](const Lab& lab, const FnArgs& a, std::string*) -> std::optional<Value> {
             const size_t node = a.has("node") ? static_cast<size_t>(a.integer("node")) : 0;
             return Value::integer(static_cast<int64_t>(lab.machine().nodes()[node].zones.size()));
         }});
    register_condition_function(
        {"head",
         "head(order=N, zone=Z [, node=N]): the pfn at the head of that free list, -1 if empty",
         {{"order", ParamKind::Order, true}, kZone, kNode},
         [](const Lab& lab, const FnArgs& a, std::string*) -> std::optional<Value> {
             const auto order = static_cast<size_t>(a.integer("order"));
             for (const Zone* z : select_zones(lab.machine(), a))
                 if (z->free_area[order].head != NIL_PFN)
                     return Value::integer(z->free_area[order].head);
             return Value::integer(-1);
         }});
    register_condition_function(
        {"unusable",
         "unusable(order=N, zone=Z [, node=N]): the unusable free space index x 1000",
         {{"order", ParamKind::Order, true}, kZone, kNode},
         [](const Lab& lab, const FnArgs& a, std::string*) {
             const auto order = static_cast<unsigned>(a.integer("order"));
             return sum_zones(
                 lab, a, [&](const Zone& z) { return unusable_free_index(free_counts(z), order); });
         }});
    register_condition_function(
        {"extfrag",
         "extfrag(order=N, zone=Z [, node=N]): the fragmentation index x 1000",
         {{"order", ParamKind::Order, true}, kZone, kNode},
         [](const Lab& lab, const FnArgs& a, std::string*) {
             const auto order = static_cast<unsigned>(a.integer("order"));
             return sum_zones(
                 lab, a, [&](const Zone& z) { return fragmentation_index(free_counts(z), order); });
         }});
}

#undef ZONE_SUM

void register_block_functions() {
    register_condition_function(
        {"blocks",
         "blocks([order=N] [, zone=Z] [, node=N]): allocated blocks (of that order)",
         {{"order", ParamKind::Order, false}, kZone, kNode},
         [](const Lab& lab, const FnArgs& a, std::string*) -> std::optional<Value> {
             const std::vector<const Zone*> zones = select_zones(lab.machine(), a);
             int64_t n = 0;
             for (const Allocation& al : lab.machine().allocations()) {
                 if (!al.live || (a.has("order") && a.integer("order") != al.order)) continue;
                 const Zone* z = &lab.machine().zone(ZoneRef{al.node, al.zone});
                 for (const Zone* s : zones)
                     n += s == z;
             }
             return Value::integer(n);
         }});
    register_condition_function(
        {"allocated",
         "allocated(\"NAME\"): 1 if a block of that name is allocated, else 0",
         {{"name", ParamKind::Str, true}},
         [](const Lab& lab, const FnArgs& a, std::string*) -> std::optional<Value> {
             return Value::integer(lab.machine().find_allocation(a.text("name")) ? 1 : 0);
         }});
    register_condition_function(
        {"order_of",
         "order_of(\"NAME\"): the order of a named block",
         {{"name", ParamKind::Str, true}},
         [](const Lab& lab, const FnArgs& a, std::string* e) -> std::optional<Value> {
             const Allocation* b = named_block(lab, a, e);
             if (!b) return std::nullopt;
             return Value::integer(b->order);
         }});
    register_condition_function(
        {"pfn_of",
         "pfn_of(\"NAME\"): the first pfn of a named block",
         {{"name", ParamKind::Str, true}},
         [](const Lab& lab, const FnArgs& a, std::string* e) -> std::optional<Value> {
             const Allocation* b = named_block(lab, a, e);
             if (!b) return std::nullopt;
             return pfn_value(b->pfn);
         }});
    register_condition_function(
        {"zone_of",
         "zone_of(\"NAME\"): the zone of a named block (\"DMA32\")",
         {{"name", ParamKind::Str, true}},
         [](const Lab& lab, const FnArgs& a, std::string* e) -> std::optional<Value> {
             const Allocation* b = named_block(lab, a, e);
             if (!b) return std::nullopt;
             return Value::string(lab.machine().zone(ZoneRef{b->node, b->zone}).name());
         }});
    register_condition_function(
        {"node_of",
         "node_of(\"NAME\"): the node of a named block",
         {{"name", ParamKind::Str, true}},
         [](const Lab& lab, const FnArgs& a, std::string* e) -> std::optional<Value> {
             const Allocation* b = named_block(lab, a, e);
             if (!b) return std::nullopt;
             return Value::integer(b->node);
         }});
    register_condition_function(
        {"state",
         "state(PFN): \"free\" (on a buddy free list), \"pcp\" (on a per-CPU list), "
         "\"allocated\", \"reserved\" or \"hole\"",
         {{"pfn", ParamKind::Pfn, true}},
         [](const Lab& lab, const FnArgs& a, std::string*) -> std::optional<Value> {
             // In FrameState's order.
             static const char* const names[] = {"hole", "reserved", "free", "allocated", "pcp"};
             const FrameInfo info = lab.machine().frame(pfn_arg(a, "pfn"));
             return Value::string(names[static_cast<int>(info.state)]);
         }});
    register_condition_function(
        {"buddy",
         "buddy(PFN, ORDER): the buddy's pfn, PFN ^ (1 << ORDER)",
         {{"pfn", ParamKind::Pfn, true}, {"order", ParamKind::Order, true}},
         [](const Lab&, const FnArgs& a, std::string*) -> std::optional<Value> {
             const auto order = static_cast<unsigned>(a.integer("order"));
             return pfn_value(find_buddy_pfn(pfn_arg(a, "pfn"), order));
         }});
    register_condition_function(
        {"order_for",
         "order_for(BYTES): the smallest order whose block holds BYTES (the kernel's get_order())",
         {{"bytes", ParamKind::Pfn, true}},
         [](const Lab&, const FnArgs& a, std::string* e) -> std::optional<Value> {
             const int64_t bytes = a.integer("bytes");
             if (bytes < 1) {
                 *e = "needs a size of 1 byte or more";
                 return std::nullopt;
             }
             int64_t order = 0;
             while (order < 62 && (static_cast<int64_t>(PAGE_SIZE) << order) < bytes)
                 ++order;
             return Value::integer(order);
         }});
    register_condition_function(
        {"reserved",
         "reserved([kind=firmware|kernel|memmap]): frames memblock reserved at boot",
         {{"kind", ParamKind::Str, false}},
         [](const Lab& lab, const FnArgs& a, std::string* e) -> std::optional<Value> {
             const std::string kind = a.has("kind") ? a.text("kind") : "";
             if (!kind.empty() && kind != "firmware" && kind != "kernel" && kind != "memmap") {
                 *e = "kind must be firmware, kernel or memmap";
                 return std::nullopt;
             }
             int64_t n = 0;
             for (const Reservation& r : lab.machine().reservations()) {
                 const char* k = r.kind == ReserveKind::Firmware      ? "firmware"
                                 : r.kind == ReserveKind::KernelImage ? "kernel"
                                                                      : "memmap";
                 if (kind.empty() || kind == k) n += static_cast<int64_t>(r.nr_pages);
             }
             return Value::integer(n);
         }});
}

void register_names() {
    register_condition_name(
        "arch", "arch: the machine's architecture (\"x86_64\", \"i386\", \"toy\")",
        [](const Lab& lab, const FnArgs&, std::string*) -> std::optional<Value> {
            return Value::string(arch_name(lab.machine().arch()));
        });
    register_condition_name(
        "nodes", "nodes: the number of NUMA nodes",
        [](const Lab& lab, const FnArgs&, std::string*) -> std::optional<Value> {
            return Value::integer(static_cast<int64_t>(lab.machine().nodes().size()));
        });
    register_condition_name(
        "ram", "ram: the machine's RAM in bytes (boot's ram=)",
        [](const Lab& lab, const FnArgs&, std::string*) -> std::optional<Value> {
            return Value::integer(static_cast<int64_t>(lab.machine().params().ram));
        });
    register_condition_name(
        "total_free", "total_free: free pages of every zone",
        [](const Lab& lab, const FnArgs&, std::string*) -> std::optional<Value> {
            return Value::integer(static_cast<int64_t>(lab.machine().total_free()));
        });
    register_condition_name(
        "total_managed", "total_managed: managed pages of every zone",
        [](const Lab& lab, const FnArgs&, std::string*) -> std::optional<Value> {
            return Value::integer(static_cast<int64_t>(lab.machine().total_managed()));
        });
}

} // namespace

void register_mm_conditions() {
    register_zone_functions();
    register_block_functions();
    register_names();
}

} // namespace mm
