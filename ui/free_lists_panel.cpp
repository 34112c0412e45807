// The buddy free lists: for every node and populated zone, each order's
// free_area list in list order (head first, what __rmqueue_smallest takes
// next), walked through Page::next, with nr_free. A block clicked here becomes
// the selection, which the map outlines. The blocks the latest command split,
// merged, put on a list or took are highlighted and fade out, so that a
// student can follow one alloc_pages or free_pages.
//
// Sections: help texts | the latest command's blocks | one list | the panel.
#include "core/base/events.h"
#include "core/mm/machine.h"
#include "ui/help.h"
#include "ui/panels.h"
#include "ui/text.h"

#include <imgui.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <string>

namespace ui {

namespace {

// ---- Help texts -----------------------------------------------------------------

constexpr const char* kFreeListHelp =
    "zone->free_area[order].free_list: the free blocks of 2^order pages, linked through "
    "their first struct page. Allocation takes the head (list_first_entry in "
    "__rmqueue_smallest). A split (expand()) puts the upper half at the head of the list "
    "one order down; freeing puts the merged block at the head, or at the tail when a "
    "bigger merge is likely soon (buddy_merge_likely) and for memory freed at boot. "
    "nr_free counts the blocks on the list.";

constexpr const char* kAnimationHelp =
    "Highlighted: the blocks the latest command touched, from the event log: split (the "
    "upper half of a split block, put on a list one order down), merged (freed with its "
    "buddy into a block one order up), added to a list, or allocated from it. The "
    "highlight fades in two seconds.";

constexpr double kFadeSeconds = 2.0;
constexpr size_t kMaxTouched = 512;
constexpr size_t kMaxScan = 8192; // events looked at per new command

const char* touch_verb(mm::EventType type) {
    switch (type) {
    case mm::EventType::Split:
        return "split off";
    case mm::EventType::Merge:
        return "merged";
    case mm::EventType::ListAdd:
        return "added to list";
    case mm::EventType::Alloc:
        return "allocated";
    case mm::EventType::Free:
        return "freed";
    default:
        return "touched";
    }
}

// ---- The latest command's blocks ------------------------------------------------

// When the log grew, collects the blocks the newest command's events touched
// (at most kMaxTouched, scanning at most kMaxScan events back).
void update_touched(FreeListView& lists, const mm::EventLog& log) {
    if (log.last_seq() == lists.seen_seq) return;
    lists.seen_seq = log.last_seq();
    lists.changed_at = ImGui::GetTime();
    lists.touched.clear();
    const size_t size = log.size();
    if (size == 0) return;
    const uint32_t command = log.at(size - 1).command;
    for (size_t i = size, scanned = 0; i-- > 0 && scanned < kMaxScan; ++scanned) {
        const mm::Event& e = log.at(i);
        if (e.command != command) break;
        switch (e.type) {
        case mm::EventType::Split:
        case mm::EventType::ListAdd:
        case mm::EventType::Alloc:
        case mm::EventType::Free:
            lists.touched.push_back({e.pfn, e.order, static_cast<uint8_t>(e.type)});
            break;
        case mm::EventType::Merge:
            // pfn merged with its buddy (aux) into a block of order + 1.
            lists.touched.push_back({e.pfn, e.order, static_cast<uint8_t>(e.type)});
            lists.touched.push_back({mm::Pfn{e.aux}, e.order, static_cast<uint8_t>(e.type)});
            break;
        default:
            break;
        }
        if (lists.touched.size() >= kMaxTouched) break;
    }
}

// How strongly the block (pfn, order) is highlighted now, 0 when it is not.
float touch_strength(const FreeListView& lists, mm::Pfn pfn, unsigned order,
                     const FreeListView::Touched** which) {
    const double age = ImGui::GetTime() - lists.changed_at;
    if (age >= kFadeSeconds) return 0.0f;
    for (const FreeListView::Touched& t : lists.touched) {
        if (t.pfn == pfn && t.order == order) {
            *which = &t;
            return static_cast<float>(1.0 - age / kFadeSeconds);
        }
    }
    return 0.0f;
}

// ---- One list -------------------------------------------------------------------

void draw_list(const PanelContext& ctx, const mm::Zone& zone, unsigned order) {
    const mm::Machine& machine = ctx.lab.machine();
    const mm::FreeArea& area = zone.free_area[order];
    FreeListView& lists = ctx.view.free_lists;
    ImGui::PushID(static_cast<int>(order));
    const float swatch = ImGui::GetTextLineHeight();
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(p.x + swatch * 0.6f, p.y + swatch),
                                              free_order_colour(order));
    ImGui::Dummy(ImVec2(swatch * 0.6f, swatch));
    ImGui::SameLine();
    ImGui::PushFont(mono_font());
    // A lesson's question about these lists (hide: free_lists) masks the
    // count and the blocks until it is answered; the console still shows them.
    if (hidden(ctx, "free_lists")) {
        ui::text_disabled("order %2u  nr_free %s", order, kHiddenValue);
        ImGui::PopFont();
        ImGui::PopID();
        return;
    }
    if (area.nr_free == 0)
        ui::text_disabled("order %2u  nr_free %-4" PRIu64, order, area.nr_free);
    else
        ui::textf("order %2u  nr_free %-4" PRIu64, order, area.nr_free);
    ImGui::PopFont();

    const uint64_t size = uint64_t{1} << order;
    const std::optional<mm::Pfn>& selected = ctx.view.selected_pfn;
    int shown = 0;
    uint32_t link = area.head;
    // Walk at most max_entries (+ a guard against a broken list).
    while (link != mm::NIL_PFN && shown < lists.max_entries) {
        const mm::Pfn pfn{link};
        const std::optional<mm::Page> page = machine.page(pfn);
        if (!page) break;
        ImGui::SameLine();
        char label[32];
        std::snprintf(label, sizeof label, "0x%" PRIx64 "##%d", pfn.value(), shown);
        const bool is_selected = selected && *selected >= pfn && *selected < pfn + size;
        const FreeListView::Touched* touched = nullptr;
        const float strength = touch_strength(lists, pfn, order, &touched);
        if (strength > 0.0f)
            ImGui::PushStyleColor(ImGuiCol_Header,
                                  ImVec4(1.0f, 0.85f, 0.2f, 0.25f + 0.6f * strength));
        ImGui::PushFont(mono_font());
        const float width = ImGui::CalcTextSize(label, nullptr, true).x;
        if (ImGui::Selectable(label, is_selected || strength > 0.0f, 0, ImVec2(width, 0.0f))) {
            ctx.view.selected_pfn = pfn;
            ctx.view.selected_node = zone.node;
            ctx.view.selected_zone = zone.idx;
            ctx.view.marked.reset();
            ctx.view.map.reveal_selection = true;
        }
        ImGui::PopFont();
        if (strength > 0.0f) ImGui::PopStyleColor();
        if (ImGui::IsItemHovered()) {
            ImGui::BeginTooltip();
            ui::textf("free block pfn 0x%" PRIx64 "-0x%" PRIx64 ", order %u (%s)", pfn.value(),
                      (pfn + size - 1).value(), order, format_pages(size).c_str());
            ui::textf("buddy pfn 0x%" PRIx64 "; position %d from the head",
                      mm::find_buddy_pfn(pfn, order).value(), shown);
            if (touched != nullptr)
                ui::textf("latest command: %s",
                          touch_verb(static_cast<mm::EventType>(touched->type)));
            ui::text_disabled("click to select it (the map outlines it)");
            ImGui::EndTooltip();
        }
        ++shown;
        link = page->next;
    }
    if (area.nr_free > static_cast<uint64_t>(shown)) {
        ImGui::SameLine();
        ui::text_disabled("+%" PRIu64 " more", area.nr_free - static_cast<uint64_t>(shown));
    }
    ImGui::PopID();
}

} // namespace

// ---- The panel ------------------------------------------------------------------

void free_lists_panel(const PanelContext& ctx, bool* open) {
    if (!ImGui::Begin("Free lists###free_lists", open,
                      panel_window_flags(ctx.view, PanelId::FreeLists))) {
        ImGui::End();
        return;
    }
    FreeListView& lists = ctx.view.free_lists;
    update_touched(lists, ctx.lab.events());
    const mm::Machine& machine = ctx.lab.machine();
    panel_intro("Each zone's free blocks, one list per order, head first: where the next "
                "allocation of that order comes from.",
                kFreeListHelp);

    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6.0f);
    ImGui::SliderInt("blocks shown per list", &lists.max_entries, 1, 64);
    lists.max_entries = std::clamp(lists.max_entries, 1, 64);
    help_marker_flow(kAnimationHelp);

    // What the latest command did to the lists, fading.
    const double age = ImGui::GetTime() - lists.changed_at;
    if (age < kFadeSeconds && !lists.touched.empty()) {
        unsigned splits = 0, merges = 0, adds = 0;
        for (const FreeListView::Touched& t : lists.touched) {
            splits += t.type == static_cast<uint8_t>(mm::EventType::Split);
            merges += t.type == static_cast<uint8_t>(mm::EventType::Merge);
            adds += t.type == static_cast<uint8_t>(mm::EventType::ListAdd);
        }
        const float alpha = static_cast<float>(1.0 - age / kFadeSeconds);
        ui::text_wrapped_colored(ImVec4(1.0f, 0.85f, 0.3f, 0.3f + 0.7f * alpha),
                                 "latest command: %u split%s, %u merge%s, %u list add%s", splits,
                                 splits == 1 ? "" : "s", merges / 2, merges / 2 == 1 ? "" : "s",
                                 adds, adds == 1 ? "" : "s");
    } else {
        ui::text_disabled("latest command: -");
    }
    ImGui::Separator();

    ImGui::BeginChild("##lists", ImVec2(0.0f, 0.0f), false, ImGuiWindowFlags_HorizontalScrollbar);
    for (const mm::Node& node : machine.nodes()) {
        for (const mm::Zone& zone : node.zones) {
            if (!zone.populated()) continue;
            ImGui::PushID(node.id * 16 + zone.idx);
            const bool open_zone = ImGui::TreeNodeEx(
                "##zone", ImGuiTreeNodeFlags_DefaultOpen, "Node %u, zone %s   (%s free)",
                unsigned{node.id}, zone.name(), format_pages(zone.free_pages).c_str());
            if (open_zone) {
                for (unsigned order = 0; order < mm::NR_PAGE_ORDERS; ++order)
                    draw_list(ctx, zone, order);
                ImGui::TreePop();
            }
            ImGui::PopID();
        }
    }
    ImGui::EndChild();
    ImGui::End();
}

} // namespace ui
