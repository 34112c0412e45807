// The zones panel: for every node and zone, its span, its page counts, its
// free pages drawn as a gauge against the min/low/high watermarks, its
// lowmem_reserve, and the per-order nr_free counts of /proc/buddyinfo; above
// them, the allocate/free controls, which only queue command text.
//
// Sections: help texts | allocate/free controls | one zone | buddyinfo table |
// the panel.
#include "core/base/text.h"
#include "core/console/syntax.h"
#include "core/mm/gfp.h"
#include "core/mm/machine.h"
#include "ui/help.h"
#include "ui/panels.h"
#include "ui/text.h"

#include <imgui.h>

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

namespace ui {

namespace {

// ---- Help texts ---------------------------------------------------------------

constexpr const char* kZonesHelp =
    "Physical memory is split into NUMA nodes (one per group of CPUs and their local "
    "memory), and each node into zones by what hardware can address: DMA (below 16 MiB, "
    "for old ISA devices), DMA32 (below 4 GiB, for 32-bit devices), Normal (the rest), "
    "HighMem (i386: above 896 MiB, not permanently mapped by the kernel), Movable (only "
    "pages that can be migrated). The page allocator takes pages from one zone at a "
    "time, walking the node's zonelist from the highest zone the request's gfp_mask "
    "allows down to the lowest.";

constexpr const char* kPcpHelp =
    "Each CPU keeps short lists of free pages per zone (struct per_cpu_pages) for orders 0 "
    "to 3. An allocation takes from its CPU's list; an empty list is refilled from the buddy "
    "lists in a batch, and a list above its `high` limit gives a batch back. These pages are "
    "not free pages to the kernel: /proc/buddyinfo and NR_FREE_PAGES leave them out, so one "
    "order-0 free often changes nothing there. Hover for each CPU's count, high and batch "
    "(/proc/zoneinfo's pagesets); `pcp_list` prints the lists, `drain_pages` empties them. "
    "boot pcp=off turns them off (the toy machine boots without them).";

constexpr const char* kClockHelp =
    "The machine's clock, in seconds since boot. Commands take no time; only `tick` moves "
    "the clock, and the timers due run in order: every second each CPU's per-CPU list "
    "limit decays (decay_pcp_high()), and a woken kswapd takes its turns. `tick` alone is "
    "one second; `tick 100ms`, `tick 10s` say how long.";

constexpr const char* kKswapdHelp =
    "kswapd is the node's page-reclaim thread. It sleeps until an allocation's fast path "
    "finds every zone it may use below its low watermark (wakeup_kswapd()); awake, it "
    "checks on each turn whether some zone it was woken for is above its high watermark "
    "(the node is \"balanced\"), and once it is, naps 100 ms and goes back to sleep. "
    "In this lab kswapd reclaims nothing yet (there are no pages to reclaim): it only "
    "wakes, checks and sleeps. On a real machine it frees page cache and swaps until "
    "the node is balanced.";

constexpr const char* kNodeHelp =
    "A NUMA node (struct pglist_data): memory close to one group of CPUs. Here a node "
    "spans node_start_pfn up to node_start_pfn + node_spanned_pages; its zones lie "
    "inside that span. With nodes=N the machine's RAM is split into N equal nodes by "
    "physical address.";

constexpr const char* kSpanHelp =
    "Zone span: zone_start_pfn up to (not including) zone_end_pfn = zone_start_pfn + "
    "spanned_pages. A pfn (page frame number) is a physical address divided by the page "
    "size, 4 KiB here.";

constexpr const char* kPagesHelp =
    "spanned: every pfn from zone_start_pfn to zone_end_pfn, holes included.\n"
    "present: the pages of real RAM inside that span (spanned minus holes).\n"
    "managed: the present pages memblock handed to the buddy allocator at boot, i.e. "
    "present minus what was reserved (firmware, the kernel image, the memmap of struct "
    "pages). Only managed pages can ever be free; watermarks and MemTotal are "
    "computed from them.";

constexpr const char* kWatermarkHelp =
    "Each zone has three watermarks, in pages: min, low and high (_watermark[] in "
    "struct zone). vm.min_free_kbytes is shared among the zones in proportion to their "
    "managed pages to give min; low and high add a step of min/4 or "
    "watermark_scale_factor of the managed pages, whichever is larger.\n\n"
    "An allocation's fast path takes a page from a zone only if its free pages stay above "
    "the low watermark (plus lowmem_reserve). When every zone fails that, kswapd is woken "
    "and the slow path retries against min. Only requests with extra rights (GFP_ATOMIC, "
    "__GFP_HIGH) may dig into the pages below min. Once woken, kswapd reclaims until the "
    "zone is above high again.\n\n"
    "The gauge: the bar is the zone's free pages (NR_FREE_PAGES); the lines mark min, low "
    "and high.";

constexpr const char* kReserveHelp =
    "lowmem_reserve[] (printed as `protection:` in /proc/zoneinfo): how many pages this "
    "zone keeps back from allocations that could have used a higher zone. Entry i "
    "applies to a request whose highest allowed zone is zone i: a GFP_KERNEL request "
    "(highest zone Normal) falling back into DMA32 must leave DMA32's watermark plus "
    "lowmem_reserve[Normal] free. It protects low memory, which only some devices can "
    "use, from being eaten by requests that could have gone anywhere. Computed from the "
    "managed pages of the zones above divided by vm.lowmem_reserve_ratio.";

constexpr const char* kBuddyinfoHelp =
    "The buddy allocator keeps free memory as blocks of 2^order contiguous pages, aligned "
    "to their size, on one free list per order (free_area[order] of each zone). The "
    "numbers are free_area[order].nr_free: free BLOCKS, not pages. A 3 under order 2 "
    "means three free blocks of 4 pages, 12 pages in all. /proc/buddyinfo prints exactly "
    "these numbers, one line per populated zone.";

constexpr const char* kOrderHelp =
    "order: a block of order n is 2^n contiguous page frames whose first pfn is a "
    "multiple of 2^n. Order 0 is one 4 KiB page; order 10 (MAX_PAGE_ORDER) is 1024 "
    "pages, 4 MiB. A request of order n is served from the smallest free block of order "
    "n or more, splitting it in halves (buddies) as needed.";

constexpr const char* kGfpHelp =
    "gfp_mask: how the allocation may be satisfied. Zone modifiers say which zones it may "
    "use (GFP_DMA: only DMA; GFP_DMA32: up to DMA32; GFP_KERNEL: up to Normal; "
    "GFP_HIGHUSER: up to HighMem; GFP_HIGHUSER_MOVABLE: up to Movable). Other bits say "
    "whether it may sleep and reclaim (GFP_KERNEL may; GFP_ATOMIC and GFP_NOWAIT may not) "
    "and whether it may use reserves below the min watermark (GFP_ATOMIC).";

constexpr const char* kFreeHelp =
    "free_pages returns an allocated block to the buddy allocator, which merges it with "
    "its buddy (pfn ^ 2^order) for as long as the buddy is free too.";

// The masks offered by the control row; any other is typed in the console.
constexpr const char* kGfpChoices[] = {
    "GFP_KERNEL",   "GFP_ATOMIC",           "GFP_NOWAIT", "GFP_USER",
    "GFP_HIGHUSER", "GFP_HIGHUSER_MOVABLE", "GFP_DMA",    "GFP_DMA32",
};
constexpr int kGfpChoiceCount = static_cast<int>(sizeof(kGfpChoices) / sizeof(kGfpChoices[0]));

// ---- Boot control ---------------------------------------------------------------

constexpr const char* kBootHelp =
    "boot replaces the machine with a freshly booted one (and starts a new history; "
    "`undo` brings the old machine back). arch: x86_64 (zones DMA, DMA32, Normal), i386 "
    "(DMA, Normal, HighMem above 896 MiB) or toy (one zone, nothing reserved, watermarks "
    "at 0, for small examples). nodes: the RAM split into that many NUMA nodes. "
    "movablecore: memory carved out of each node into ZONE_MOVABLE, which only takes "
    "migratable (movable) allocations.";

constexpr const char* kArchChoices[] = {"x86_64", "i386", "toy"};
constexpr int kArchCount = static_cast<int>(sizeof(kArchChoices) / sizeof(kArchChoices[0]));
const std::vector<std::string> kRamChoices = {"64K", "1M", "16M", "256M", "1G",
                                              "2G",  "4G", "16G", "64G"};
const std::vector<std::string> kMovableChoices = {"0", "16M", "64M", "256M", "1G", "4G"};

std::string boot_command(const BootControls& controls) {
    std::string command =
        mm::strprintf("boot arch=%s ram=%s", kArchChoices[controls.arch], controls.ram.c_str());
    if (controls.nodes > 1) command += mm::strprintf(" nodes=%d", controls.nodes);
    if (controls.movablecore != "0") command += " movablecore=" + controls.movablecore;
    return command;
}

// The row shows the running machine's parameters whenever another machine
// takes its place: a Boot event (a `boot` typed in the console, a lesson's
// setup, a loaded state), an Undo (which may take a boot back), or a log
// rewound under it (a restore) to another machine; between them the
// student's choices stay.
void follow_machine(BootControls& controls, const mm::Lab& lab) {
    const mm::EventLog& log = lab.events();
    const mm::BootParams& p = lab.machine().params();
    bool replaced = controls.seen_rewinds != log.rewinds() && controls.shown != p;
    for (size_t i = log.size(); i-- > 0 && log.at(i).seq > controls.seen_seq;)
        replaced = replaced || log.at(i).type == mm::EventType::Boot ||
                   log.at(i).type == mm::EventType::Undo;
    controls.seen_seq = log.last_seq();
    controls.seen_rewinds = log.rewinds();
    if (!replaced) return;
    controls.shown = p;
    for (int i = 0; i < kArchCount; ++i)
        if (std::string(kArchChoices[i]) == mm::arch_name(p.arch)) controls.arch = i;
    controls.ram = mm::format_size(p.ram);
    controls.nodes = static_cast<int>(p.nodes);
    controls.movablecore = p.movablecore == 0 ? "0" : mm::format_size(p.movablecore);
}

// A size combo over the usual choices, with the current value among them
// even when the machine was booted with another (`boot ram=100M`).
void size_combo(const char* label, std::string& value, const std::vector<std::string>& usual) {
    std::vector<std::pair<uint64_t, std::string>> items;
    for (const std::string& text : usual)
        items.emplace_back(*mm::parse_size(text), text);
    const uint64_t bytes = mm::parse_size(value).value_or(0);
    if (std::none_of(items.begin(), items.end(), [&](const auto& i) { return i.first == bytes; }))
        items.emplace_back(bytes, value);
    std::sort(items.begin(), items.end());
    if (!ImGui::BeginCombo(label, value.c_str())) return;
    for (const auto& [size, text] : items)
        if (ImGui::Selectable(text.c_str(), size == bytes)) value = text;
    ImGui::EndCombo();
}

void draw_boot_control(const PanelContext& ctx) {
    BootControls& controls = ctx.view.boot;
    follow_machine(controls, ctx.lab);
    const float em = ImGui::GetFontSize();
    ui::text("Boot");
    same_line_if_fits(labelled_width(em * 5.5f, "arch"));
    ImGui::SetNextItemWidth(em * 5.5f);
    ImGui::Combo("arch", &controls.arch, kArchChoices, kArchCount);
    same_line_if_fits(labelled_width(em * 4.5f, "ram"));
    ImGui::SetNextItemWidth(em * 4.5f);
    size_combo("ram", controls.ram, kRamChoices);
    same_line_if_fits(labelled_width(em * 5.0f, "nodes"));
    ImGui::SetNextItemWidth(em * 5.0f);
    constexpr int kMostNodes = static_cast<int>(mm::kMaxNodes);
    ImGui::SliderInt("nodes", &controls.nodes, 1, kMostNodes);
    controls.nodes = std::clamp(controls.nodes, 1, kMostNodes);
    same_line_if_fits(labelled_width(em * 4.5f, "movablecore", true));
    ImGui::SetNextItemWidth(em * 4.5f);
    size_combo("movablecore", controls.movablecore, kMovableChoices);
    ImGui::SameLine();
    help_marker(kBootHelp);
    // The command goes to the console even when `boot` will refuse it: its
    // error says why (a toy machine with several nodes, say), which teaches more
    // than a greyed-out button.
    const std::string boot = boot_command(controls);
    if (command_button(boot)) ctx.queue(boot);
}

// ---- Allocate/free controls ---------------------------------------------------

std::string alloc_command(const AllocControls& controls, const std::optional<unsigned>& node) {
    std::string command =
        mm::strprintf("alloc_pages order=%d gfp=%s", controls.order, kGfpChoices[controls.gfp]);
    if (node) command += mm::strprintf(" node=%u", *node);
    if (!controls.name.empty()) command += " as=" + controls.name;
    return command;
}

std::string allocation_label(const mm::Machine& machine, const mm::Allocation& allocation) {
    const mm::Zone& zone = machine.zone({allocation.node, allocation.zone});
    std::string label =
        mm::strprintf("pfn 0x%" PRIx64 ", order %u, node %u %s", allocation.pfn.value(),
                      unsigned{allocation.order}, unsigned{allocation.node}, zone.name());
    if (!allocation.name.empty()) label = allocation.name + ": " + label;
    return label;
}

// The name of an allocation is only usable as a command word when it has no
// space or quote in it.
std::string free_command(const mm::Allocation& allocation) {
    if (!allocation.name.empty() && allocation.name.find_first_of(" \t\";#") == std::string::npos)
        return "free_pages " + allocation.name;
    return mm::strprintf("free_pages pfn=0x%" PRIx64 " order=%u", allocation.pfn.value(),
                         unsigned{allocation.order});
}

void draw_controls(const PanelContext& ctx) {
    AllocControls& controls = ctx.view.alloc;
    const mm::Machine& machine = ctx.lab.machine();
    controls.order = std::clamp(controls.order, 0, static_cast<int>(mm::MAX_PAGE_ORDER));
    controls.gfp = std::clamp(controls.gfp, 0, kGfpChoiceCount - 1);

    const float em = ImGui::GetFontSize();
    ui::text("Allocate");
    same_line_if_fits(labelled_width(em * 7.0f, "order", true));
    ImGui::SetNextItemWidth(em * 7.0f);
    ImGui::SliderInt("order", &controls.order, 0, static_cast<int>(mm::MAX_PAGE_ORDER));
    ImGui::SameLine();
    help_marker(kOrderHelp);
    same_line_if_fits(labelled_width(em * 13.0f, "gfp", true));
    ImGui::SetNextItemWidth(em * 13.0f);
    ImGui::Combo("gfp", &controls.gfp, kGfpChoices, kGfpChoiceCount);
    ImGui::SameLine();
    help_marker(kGfpHelp);
    same_line_if_fits(labelled_width(em * 7.0f, "as"));
    ImGui::SetNextItemWidth(em * 7.0f);
    input_string("as", "name", controls.name, ImGuiInputTextFlags_CharsNoBlank);

    // node=N only when there is a choice; the selected zone's node is preferred.
    std::optional<unsigned> node;
    if (machine.nodes().size() > 1 && ctx.view.selected_node) node = ctx.view.selected_node;
    const std::string alloc = alloc_command(controls, node);
    if (command_button(alloc)) ctx.queue(alloc);

    // Free: a live block, the newest unless the student picked another.
    const std::vector<mm::Allocation>& allocations = machine.allocations();
    int choice = controls.free_choice;
    if (choice < 0 || choice >= static_cast<int>(allocations.size()) ||
        !allocations[static_cast<size_t>(choice)].live) {
        choice = -1;
        for (size_t i = allocations.size(); i-- > 0;) {
            if (allocations[i].live) {
                choice = static_cast<int>(i);
                break;
            }
        }
        controls.free_choice = -1;
    }
    ui::text("Free");
    ImGui::SameLine();
    if (choice < 0) {
        ui::text_disabled("nothing allocated yet");
        ImGui::SameLine();
        help_marker(kFreeHelp);
        draw_boot_control(ctx);
        return;
    }
    const mm::Allocation& chosen = allocations[static_cast<size_t>(choice)];
    // As wide as the label wants, but not past the panel's edge.
    const float marker = ImGui::GetStyle().ItemSpacing.x + ImGui::CalcTextSize("(?)").x;
    ImGui::SetNextItemWidth(std::clamp(ImGui::GetContentRegionAvail().x - marker,
                                       ImGui::GetFontSize() * 6.0f, ImGui::GetFontSize() * 18.0f));
    if (ImGui::BeginCombo("##block", allocation_label(machine, chosen).c_str())) {
        // Newest first; a machine with thousands of blocks shows them all
        // only while the list is open, clipped to what is visible.
        std::vector<int> live;
        for (size_t i = allocations.size(); i-- > 0;)
            if (allocations[i].live) live.push_back(static_cast<int>(i));
        ImGuiListClipper clipper;
        clipper.Begin(static_cast<int>(live.size()));
        while (clipper.Step()) {
            for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
                const int index = live[static_cast<size_t>(row)];
                const std::string label =
                    allocation_label(machine, allocations[static_cast<size_t>(index)]);
                ImGui::PushID(index);
                if (ImGui::Selectable(label.c_str(), index == choice)) controls.free_choice = index;
                ImGui::PopID();
            }
        }
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    help_marker(kFreeHelp);
    const std::string free = free_command(chosen);
    if (command_button(free)) ctx.queue(free);
    draw_boot_control(ctx);
}

// ---- One zone -------------------------------------------------------------------

ImU32 colour(const ImVec4& c) {
    return ImGui::ColorConvertFloat4ToU32(c);
}

const ImVec4& level_colour(const mm::Zone& zone) {
    const Palette& colours = palette();
    if (zone.free_pages <= zone.wmark(mm::WMARK_MIN)) return colours.below_min;
    if (zone.free_pages <= zone.wmark(mm::WMARK_LOW)) return colours.below_low;
    if (zone.free_pages <= zone.wmark(mm::WMARK_HIGH)) return colours.below_high;
    return colours.free;
}

const char* level_text(const mm::Zone& zone) {
    if (zone.free_pages <= zone.wmark(mm::WMARK_MIN))
        return "At or below min: only requests allowed into the reserves (GFP_ATOMIC, "
               "__GFP_HIGH) can take pages here.";
    if (zone.free_pages <= zone.wmark(mm::WMARK_LOW))
        return "At or below low: the fast path skips this zone and kswapd is woken; the slow "
               "path may still allocate down to min.";
    if (zone.free_pages <= zone.wmark(mm::WMARK_HIGH))
        return "Between low and high: allocations succeed; a woken kswapd keeps reclaiming "
               "until free pages are above high.";
    return "Above high: allocations succeed and kswapd sleeps.";
}

// The free-pages gauge: the bar is NR_FREE_PAGES, the lines are min, low and
// high, on the scale the view asks for.
// A lesson's question may hide the free pages, the managed pages or the
// watermarks (hidden()): the bar, the label and the marks leave them out.
void draw_gauge(const PanelContext& ctx, const mm::Zone& zone, GaugeScale scale) {
    const bool hide_free = hidden(ctx, "zones.free");
    const bool hide_marks = hidden(ctx, "zones.watermarks");
    const std::string free_text = unless_hidden(ctx, "zones.free", std::to_string(zone.free_pages));
    const std::string managed_text =
        unless_hidden(ctx, "zones.managed", std::to_string(zone.managed_pages));
    const Palette& colours = palette();
    const uint64_t min = zone.wmark(mm::WMARK_MIN);
    const uint64_t low = zone.wmark(mm::WMARK_LOW);
    const uint64_t high = zone.wmark(mm::WMARK_HIGH);
    uint64_t full = zone.managed_pages;
    if (scale == GaugeScale::Watermarks) full = std::min(full, std::max<uint64_t>(2 * high, 16));
    full = std::max<uint64_t>(full, 1);

    const float width = std::max(ImGui::GetContentRegionAvail().x, 120.0f);
    const float height = ImGui::GetFrameHeight();
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    ImGui::InvisibleButton("##gauge", ImVec2(width, height));
    const ImVec2 p1(p0.x + width, p0.y + height);
    auto x_of = [&](uint64_t pages) {
        const double share = std::min(1.0, static_cast<double>(pages) / static_cast<double>(full));
        return p0.x + static_cast<float>(share) * width;
    };

    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddRectFilled(p0, p1, colour(colours.gauge_back), 3.0f);
    if (zone.free_pages > 0 && !hide_free)
        draw->AddRectFilled(p0, ImVec2(std::max(x_of(zone.free_pages), p0.x + 1.0f), p1.y),
                            colour(level_colour(zone)), 3.0f);
    const struct {
        uint64_t pages;
        const ImVec4& c;
        const char* name;
    } marks[] = {{min, colours.mark_min, "min"},
                 {low, colours.mark_low, "low"},
                 {high, colours.mark_high, "high"}};
    for (const auto& mark : marks) {
        if (mark.pages > full || hide_marks) continue;
        const float x = std::round(x_of(mark.pages));
        draw->AddLine(ImVec2(x, p0.y - 2.0f), ImVec2(x, p1.y + 2.0f), colour(mark.c), 2.0f);
    }
    const std::string label =
        mm::strprintf("free %s / %s managed%s", free_text.c_str(), managed_text.c_str(),
                      scale == GaugeScale::Watermarks ? " (close-up)" : "");
    const ImVec2 size = ImGui::CalcTextSize(label.c_str());
    const ImVec2 at(p0.x + std::max(4.0f, (width - size.x) * 0.5f),
                    p0.y + (height - size.y) * 0.5f);
    draw->AddText(ImVec2(at.x + 1.0f, at.y + 1.0f), IM_COL32(0, 0, 0, 200), label.c_str());
    draw->AddText(at, IM_COL32(255, 255, 255, 255), label.c_str());

    if (ImGui::IsItemHovered() && !hide_free && !hide_marks) {
        ImGui::BeginTooltip();
        ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30.0f);
        ui::textf("free   %s", format_pages(zone.free_pages).c_str());
        ui::text_colored(colours.mark_high, "high   %" PRIu64, high);
        ui::text_colored(colours.mark_low, "low    %" PRIu64, low);
        ui::text_colored(colours.mark_min, "min    %" PRIu64, min);
        if (zone.watermark_boost != 0)
            ui::textf("(each includes watermark_boost %" PRIu64 ")", zone.watermark_boost);
        ui::textf("scale  0 .. %" PRIu64 " pages", full);
        ImGui::Separator();
        ui::text(level_text(zone));
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
    }
}

// The zone's per-CPU page lists: pages held per CPU, with the limits
// /proc/zoneinfo prints under "pagesets".
void draw_pcp(const mm::Machine& machine, const mm::Zone& zone) {
    if (zone.pcp.empty()) return;
    const uint64_t held = zone.pcp_pages();
    ui::text(mm::strprintf("per-CPU lists: %" PRIu64 " page%s", held, held == 1 ? "" : "s"));
    if (ImGui::IsItemHovered()) {
        ImGui::BeginTooltip();
        ImGui::PushFont(mono_font());
        for (size_t cpu = 0; cpu < zone.pcp.size(); ++cpu) {
            const mm::PerCpuPages& p = zone.pcp[cpu];
            ui::textf("cpu %-2zu count %-5d high %-5d batch %-4d high_min %-5d high_max %d", cpu,
                      p.count, p.high, p.batch, p.high_min, p.high_max);
        }
        ImGui::PopFont();
        ImGui::EndTooltip();
    }
    if (!machine.params().pcp)
        ui::text_flow("(off: pages go straight to the buddy lists)", palette().dim);
    help_marker_flow(kPcpHelp);
}

void draw_zone(const PanelContext& ctx, const mm::Node& node, const mm::Zone& zone) {
    const Palette& colours = palette();
    ImGui::PushID(zone.idx);
    const bool selected = ctx.view.selected_node == node.id && ctx.view.selected_zone == zone.idx;
    const std::string title = mm::strprintf("Node %u, zone %s", unsigned{node.id}, zone.name());
    ImGuiTreeNodeFlags flags = ImGuiTreeNodeFlags_DefaultOpen | ImGuiTreeNodeFlags_SpanAvailWidth;
    if (selected) flags |= ImGuiTreeNodeFlags_Selected;
    const bool open = ImGui::TreeNodeEx("##zone", flags, "%s", title.c_str());
    if (ImGui::IsItemClicked() && !ImGui::IsItemToggledOpen()) {
        ctx.view.selected_node = node.id;
        ctx.view.selected_zone = zone.idx;
    }
    if (!open) {
        ImGui::PopID();
        return;
    }

    // Each value a piece of its own, so that a narrow panel moves whole
    // pieces to the next line instead of cutting them.
    ui::textf("span pfn 0x%" PRIx64 " .. 0x%" PRIx64, zone.zone_start_pfn.value(),
              zone.end_pfn().value());
    ui::text_flow(mm::strprintf("(%s)", format_bytes(zone.spanned_pages * mm::PAGE_SIZE).c_str()));
    help_marker_flow(kSpanHelp);

    const auto pages = [&](uint64_t v) {
        return unless_hidden(ctx, "zones.managed", std::to_string(v));
    };
    ui::text("spanned " + pages(zone.spanned_pages));
    ui::text_flow("present " + pages(zone.present_pages));
    ui::text_flow("managed " + pages(zone.managed_pages));
    help_marker_flow(kPagesHelp);

    const auto mark = [&](mm::Wmark which) {
        return unless_hidden(ctx, "zones.watermarks", std::to_string(zone.wmark(which)));
    };
    ui::text_disabled("watermarks:");
    ui::text_flow("min " + mark(mm::WMARK_MIN), colours.mark_min);
    ui::text_flow("low " + mark(mm::WMARK_LOW), colours.mark_low);
    ui::text_flow("high " + mark(mm::WMARK_HIGH), colours.mark_high);
    ui::text_flow("pages", palette().dim);
    help_marker_flow(kWatermarkHelp);

    draw_gauge(ctx, zone, ctx.view.gauge_scale);

    // protection: (a, b, c, ...) as /proc/zoneinfo prints it, each entry
    // named by the highest zone of the request it applies to.
    const bool hide_reserve = hidden(ctx, "zones.reserve");
    std::string reserve = "(";
    for (size_t i = 0; i < zone.lowmem_reserve.size(); ++i) {
        if (i != 0) reserve += ", ";
        reserve += hide_reserve ? kHiddenValue : std::to_string(zone.lowmem_reserve[i]);
    }
    reserve += ")";
    ui::text("lowmem_reserve (protection):");
    ui::text_flow(reserve);
    if (ImGui::IsItemHovered() && !zone.lowmem_reserve.empty() && !hide_reserve) {
        ImGui::BeginTooltip();
        for (size_t i = 0; i < zone.lowmem_reserve.size() && i < node.zones.size(); ++i) {
            ui::textf("request up to %-8s keeps %" PRId64 " pages back here", node.zones[i].name(),
                      zone.lowmem_reserve[i]);
        }
        ImGui::EndTooltip();
    }
    help_marker_flow(kReserveHelp);
    draw_pcp(ctx.lab.machine(), zone);
    ImGui::TreePop();
    ImGui::PopID();
}

// ---- Buddyinfo table ------------------------------------------------------------

void draw_buddyinfo(const PanelContext& ctx, const mm::Machine& machine) {
    const bool hide_counts = hidden(ctx, "free_lists");
    const bool hide_free = hide_counts || hidden(ctx, "zones.free");
    const Palette& colours = palette();
    ui::text("Free blocks per order");
    ui::text_flow("(/proc/buddyinfo)");
    help_marker_flow(kBuddyinfoHelp);

    const int columns = 2 + static_cast<int>(mm::NR_PAGE_ORDERS);
    const ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg |
                                  ImGuiTableFlags_ScrollX | ImGuiTableFlags_SizingFixedFit |
                                  ImGuiTableFlags_NoHostExtendY;
    unsigned rows = 0;
    for (const mm::Node& node : machine.nodes())
        for (const mm::Zone& zone : node.zones)
            rows += zone.populated() ? 1 : 0;
    const float row_height = ImGui::GetTextLineHeightWithSpacing() + 2.0f;
    const float table_height =
        row_height * static_cast<float>(rows + 1) + ImGui::GetStyle().ScrollbarSize + 4.0f;
    ImGui::PushFont(mono_font());
    if (ImGui::BeginTable("##buddyinfo", columns, flags, ImVec2(0.0f, table_height))) {
        ImGui::TableSetupScrollFreeze(1, 1);
        ImGui::TableSetupColumn("zone");
        for (unsigned order = 0; order < mm::NR_PAGE_ORDERS; ++order) {
            char name[8];
            std::snprintf(name, sizeof name, "%u", order);
            ImGui::TableSetupColumn(name);
        }
        ImGui::TableSetupColumn("free pages");
        ImGui::TableHeadersRow();
        for (const mm::Node& node : machine.nodes()) {
            for (const mm::Zone& zone : node.zones) {
                if (!zone.populated()) continue;
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ui::textf("Node %u, %s", unsigned{node.id}, zone.name());
                uint64_t pages = 0;
                for (unsigned order = 0; order < mm::NR_PAGE_ORDERS; ++order) {
                    const uint64_t nr_free = zone.free_area[order].nr_free;
                    pages += nr_free << order;
                    ImGui::TableNextColumn();
                    if (hide_counts)
                        ui::text_colored(colours.dim, "%s", kHiddenValue);
                    else if (nr_free == 0)
                        ui::text_colored(colours.dim, "0");
                    else
                        ui::textf("%" PRIu64, nr_free);
                    if (ImGui::IsItemHovered() && !hide_counts) {
                        ImGui::SetTooltip(
                            "order %u: %" PRIu64 " free block%s of %" PRIu64 " pages = %s", order,
                            nr_free, nr_free == 1 ? "" : "s", uint64_t{1} << order,
                            format_pages(nr_free << order).c_str());
                    }
                }
                ImGui::TableNextColumn();
                if (hide_free)
                    ui::text_colored(colours.dim, "%s", kHiddenValue);
                else
                    ui::textf("%" PRIu64, pages);
            }
        }
        ImGui::EndTable();
    }
    ImGui::PopFont();
}

// The zonelist each GFP class walks, per node: where a request of that class
// looks for memory, in order (build_zonelists(), gfp_zone()).
void draw_zonelists(const mm::Machine& machine) {
    if (!ImGui::CollapsingHeader("Zonelists by GFP class")) return;
    ImGui::SameLine();
    help_marker("A node's zonelist (ZONELIST_FALLBACK) lists its own populated zones from the "
                "highest down, then the other nodes' zones, nearest first. A request starts at "
                "the highest zone its GFP flags allow (gfp_zone()) and falls back down the list "
                "while zones are below their watermark. GFP_KERNEL may use Normal and below; "
                "GFP_DMA32 only DMA32 and DMA; GFP_HIGHUSER_MOVABLE also Movable (and HighMem "
                "on i386).");
    struct Class {
        const char* name;
        mm::gfp_t gfp;
    };
    static const Class classes[] = {{"GFP_KERNEL", mm::GFP_KERNEL},
                                    {"GFP_DMA", mm::GFP_KERNEL | mm::GFP_DMA},
                                    {"GFP_DMA32", mm::GFP_KERNEL | mm::GFP_DMA32},
                                    {"GFP_HIGHUSER", mm::GFP_HIGHUSER},
                                    {"GFP_HIGHUSER_MOVABLE", mm::GFP_HIGHUSER_MOVABLE}};
    ImGui::PushFont(mono_font());
    for (const mm::Node& node : machine.nodes()) {
        for (const Class& c : classes) {
            const unsigned highest = mm::gfp_zone(c.gfp, machine.zone_config());
            const std::string list = machine.zonelist_text(node.id, highest);
            ui::textf("node %u %-20s %s", unsigned{node.id}, c.name,
                      list.empty() ? "(no zone: the request fails)" : list.c_str());
        }
    }
    ImGui::PopFont();
}

} // namespace

// ---- The panel ----------------------------------------------------------------------

// ---- The clock and kswapd ----------------------------------------------------

// The lab's clock and the buttons that advance it.
void draw_clock(const PanelContext& ctx, const mm::Machine& machine) {
    const uint64_t now = machine.now_ms();
    ui::textf("Clock %" PRIu64 ".%03" PRIu64 " s", now / 1000, now % 1000);
    help_marker_flow(kClockHelp);
    for (const char* command : {"tick 100ms", "tick", "tick 10s"}) {
        same_line_if_fits(ImGui::CalcTextSize(command).x + ImGui::GetStyle().FramePadding.x * 2);
        if (command_button(command)) ctx.queue(command);
    }
}

// One line for a node's kswapd: what it is doing, since when, and what it
// was woken for.
void draw_kswapd(const mm::Machine& machine, unsigned node) {
    const mm::Kswapd& k = machine.kswapd(node);
    std::string line =
        mm::strprintf("kswapd%u: %s since %" PRIu64 ".%03" PRIu64 " s", node,
                      mm::kswapd_state_name(k.state), k.since_ms / 1000, k.since_ms % 1000);
    if (k.state != mm::KswapdState::Asleep) {
        const auto& zones = machine.nodes()[node].zones;
        const unsigned z =
            std::min<unsigned>(k.pass_zoneidx, static_cast<unsigned>(zones.size()) - 1);
        line += mm::strprintf(", order %u up to %s", k.alloc_order, zones[z].name());
    }
    line += k.balanced ? ", node balanced" : ", node not balanced";
    ui::text_wrapped_room(line, ImGui::CalcTextSize("(?)").x + ImGui::GetStyle().ItemSpacing.x,
                          k.state == mm::KswapdState::Asleep ? palette().dim : palette().note);
    ImGui::SameLine();
    help_marker(kKswapdHelp);
}

void zones_panel(const PanelContext& ctx, bool* open) {
    if (!ImGui::Begin("Zones and watermarks###zones", open,
                      panel_window_flags(ctx.view, PanelId::Zones))) {
        ImGui::End();
        return;
    }
    const mm::Machine& machine = ctx.lab.machine();
    panel_intro("The machine's nodes and zones: their pages, watermarks and free blocks; "
                "allocate, free and boot here.",
                kZonesHelp);

    draw_controls(ctx);
    draw_clock(ctx, machine);
    ImGui::Separator();

    ui::text("Gauge scale:");
    ImGui::SameLine();
    int scale = static_cast<int>(ctx.view.gauge_scale);
    ImGui::RadioButton("whole zone", &scale, static_cast<int>(GaugeScale::Managed));
    same_line_if_fits(labelled_width(ImGui::GetFrameHeight(), "close-up on the watermarks", true));
    ImGui::RadioButton("close-up on the watermarks", &scale,
                       static_cast<int>(GaugeScale::Watermarks));
    ctx.view.gauge_scale = static_cast<GaugeScale>(scale);

    for (const mm::Node& node : machine.nodes()) {
        ImGui::PushID(node.id);
        ui::textf("Node %u", unsigned{node.id});
        ui::text_flow(mm::strprintf("pfn 0x%" PRIx64 " .. 0x%" PRIx64, node.node_start_pfn.value(),
                                    node.node_end_pfn().value()));
        ui::text_flow(
            mm::strprintf("(%s)", format_bytes(node.node_spanned_pages * mm::PAGE_SIZE).c_str()));
        help_marker_flow(kNodeHelp);
        draw_kswapd(machine, node.id);
        std::string empty;
        for (const mm::Zone& zone : node.zones) {
            if (zone.populated()) {
                draw_zone(ctx, node, zone);
            } else {
                if (!empty.empty()) empty += ", ";
                empty += zone.name();
            }
        }
        if (!empty.empty()) {
            ui::text_wrapped_room(
                mm::strprintf("Node %u, empty zones: %s", unsigned{node.id}, empty.c_str()),
                ImGui::CalcTextSize("(?)").x + ImGui::GetStyle().ItemSpacing.x, palette().dim);
            ImGui::SameLine();
            help_marker("Zones of this configuration that hold no memory on this node (no "
                        "present pages). /proc/zoneinfo still lists them; /proc/buddyinfo "
                        "does not. Movable gets memory only from movablecore= or memory "
                        "onlined as movable.");
        }
        ImGui::PopID();
    }
    ImGui::Separator();
    draw_buddyinfo(ctx, machine);
    draw_zonelists(machine);
    ImGui::End();
}

} // namespace ui
