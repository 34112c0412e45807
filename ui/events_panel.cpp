// The event log: what the machine reported as commands changed it (splits,
// merges, list adds, allocations, frees, watermark crossings, failures),
// newest at the bottom, filtered by type and by text. Clicking an event
// selects the frames it touched, which the map outlines.
//
// The filter's matches are a list of seqs rebuilt only when the log or the
// filter changes; only the visible rows are described (ImGuiListClipper).
#include "core/base/events.h"
#include "core/mm/machine.h"
#include "ui/help.h"
#include "ui/panels.h"
#include "ui/text.h"

#include <imgui.h>

#include <algorithm>
#include <cctype>
#include <cinttypes>
#include <string>

namespace ui {

namespace {

constexpr const char* kEventsHelp =
    "The machine reports what it does as events, in the kernel's words: Split is "
    "expand() handing the upper half of a block to the list one order down; Merge is "
    "__free_one_page() joining a freed block with its buddy; ListAdd puts a free block "
    "on a list (head or tail); Alloc and Free are alloc_pages and __free_pages; "
    "WatermarkCrossed is a zone's free pages passing min, low or high; KswapdWake is the "
    "fast path failing and waking kswapd; AllocFail is a page allocation failure. The "
    "log keeps the newest 65536 events.";

uint32_t type_bit(mm::EventType type) {
    return uint32_t{1} << static_cast<unsigned>(type);
}

// Events that name frames (pfn and order) rather than only a zone.
bool touches_frames(mm::EventType type) {
    switch (type) {
    case mm::EventType::Alloc:
    case mm::EventType::Free:
    case mm::EventType::Split:
    case mm::EventType::Merge:
    case mm::EventType::ListAdd:
        return true;
    default:
        return false;
    }
}

std::string lower(std::string text) {
    for (char& c : text)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

// Rebuilds the matching seqs when the log or the filter changed.
void update_matches(EventsView& events, const mm::Lab& lab) {
    const mm::EventLog& log = lab.events();
    if (events.cache_last_seq == log.last_seq() && events.cache_mask == events.type_mask &&
        events.cache_text == events.text)
        return;
    events.cache_last_seq = log.last_seq();
    events.cache_mask = events.type_mask;
    events.cache_text = events.text;
    events.matches.clear();
    const std::string needle = lower(events.text);
    for (size_t i = 0; i < log.size(); ++i) {
        const mm::Event& e = log.at(i);
        if ((events.type_mask & type_bit(e.type)) == 0) continue;
        if (!needle.empty() && lower(mm::describe(e)).find(needle) == std::string::npos) continue;
        events.matches.push_back(e.seq);
    }
}

// The event with `seq`, if the log still holds it.
const mm::Event* find_event(const mm::EventLog& log, uint64_t seq) {
    if (log.size() == 0) return nullptr;
    const uint64_t oldest = log.at(0).seq;
    if (seq < oldest || seq > log.last_seq()) return nullptr;
    return &log.at(static_cast<size_t>(seq - oldest));
}

} // namespace

void events_panel(const PanelContext& ctx, bool* open) {
    if (!ImGui::Begin("Event log###events", open, panel_window_flags(ctx.view, PanelId::Events))) {
        ImGui::End();
        return;
    }
    EventsView& events = ctx.view.events;
    const mm::EventLog& log = ctx.lab.events();
    const mm::Machine& machine = ctx.lab.machine();
    panel_intro("What the machine did, in the kernel's words; click a line to see its frames.",
                kEventsHelp);

    // Filter: one checkbox per type, and text. The per-CPU list types sit in
    // a "per-CPU" menu, so that the buddy's row of checkboxes stays short
    // enough to leave the log room in a small panel.
    auto type_checkbox = [&](mm::EventType type) {
        const char* name = mm::event_type_name(type);
        bool on = (events.type_mask & type_bit(type)) != 0;
        if (ImGui::Checkbox(name, &on)) {
            if (on)
                events.type_mask |= type_bit(type);
            else
                events.type_mask &= ~type_bit(type);
        }
    };
    for (unsigned i = 0; i < mm::kNrEventTypes; ++i) {
        const auto type = static_cast<mm::EventType>(i);
        if (type == mm::EventType::PcpRefill || type == mm::EventType::PcpDrain) continue;
        if (i != 0)
            same_line_if_fits(labelled_width(ImGui::GetFrameHeight(), mm::event_type_name(type)));
        type_checkbox(type);
    }
    same_line_if_fits(ImGui::CalcTextSize("per-CPU").x + ImGui::GetStyle().FramePadding.x * 2.0f);
    if (ImGui::SmallButton("per-CPU")) ImGui::OpenPopup("##pcp_types");
    if (ImGui::BeginPopup("##pcp_types")) {
        type_checkbox(mm::EventType::PcpRefill);
        type_checkbox(mm::EventType::PcpDrain);
        ImGui::EndPopup();
    }
    // The filter row wraps where the panel ends, as the checkboxes do.
    auto button_width = [](const char* label) {
        return ImGui::CalcTextSize(label).x + ImGui::GetStyle().FramePadding.x * 2.0f;
    };
    const float field = std::min(ImGui::GetFontSize() * 12.0f, ImGui::GetContentRegionAvail().x);
    ImGui::SetNextItemWidth(field);
    input_string("##text", "filter text (e.g. order 3)", events.text);
    same_line_if_fits(button_width("all"));
    if (ImGui::SmallButton("all")) events.type_mask = ~uint32_t{0};
    same_line_if_fits(button_width("buddy only"));
    if (ImGui::SmallButton("buddy only"))
        events.type_mask = type_bit(mm::EventType::Split) | type_bit(mm::EventType::Merge) |
                           type_bit(mm::EventType::ListAdd) | type_bit(mm::EventType::Alloc) |
                           type_bit(mm::EventType::Free);
    same_line_if_fits(labelled_width(ImGui::GetFrameHeight(), "follow"));
    ImGui::Checkbox("follow", &events.autoscroll);

    const bool grew = events.cache_last_seq != log.last_seq();
    update_matches(events, ctx.lab);
    ui::text_disabled("%zu of %zu events", events.matches.size(), log.size());
    ImGui::Separator();

    // No sideways scrolling: a line longer than the panel is cut with "…",
    // and its row's tooltip shows the whole of it.
    ImGui::BeginChild("##log", ImVec2(0.0f, 0.0f), false);
    ImGui::PushFont(mono_font());
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(events.matches.size()));
    while (clipper.Step()) {
        for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
            const uint64_t seq = events.matches[static_cast<size_t>(row)];
            const mm::Event* e = find_event(log, seq);
            if (e == nullptr) {
                ui::text_disabled("(dropped)");
                continue;
            }
            const std::string text = mm::describe(*e);
            char label[24];
            std::snprintf(label, sizeof label, "%6" PRIu64 " ##e", seq);
            ImGui::PushID(static_cast<int>(seq & 0x7fffffff));
            const bool selected = events.selected_seq == seq;
            if (ImGui::Selectable(label, selected,
                                  ImGuiSelectableFlags_SpanAllColumns |
                                      ImGuiSelectableFlags_AllowItemOverlap)) {
                events.selected_seq = seq;
                if (e->node < machine.nodes().size()) ctx.view.selected_node = e->node;
                if (e->node < machine.nodes().size() &&
                    e->zone < machine.nodes()[e->node].zones.size())
                    ctx.view.selected_zone = e->zone;
                if (touches_frames(e->type) && e->pfn < machine.max_pfn()) {
                    // A merge names the block before the merge; its result
                    // is the order + 1 block holding both buddies.
                    FrameRange range{e->pfn, e->order};
                    if (e->type == mm::EventType::Merge) {
                        range.order = e->order + 1u;
                        range.pfn = mm::align_down(e->pfn, uint64_t{1} << range.order);
                    }
                    ctx.view.marked = range;
                    ctx.view.selected_pfn = e->pfn;
                    ctx.view.map.reveal_selection = true;
                } else {
                    ctx.view.marked.reset();
                }
            }
            if (ImGui::IsItemHovered()) {
                ImGui::BeginTooltip();
                ImGui::PushTextWrapPos(ImGui::GetFontSize() * 40.0f);
                ui::text(text);
                ImGui::PopTextWrapPos();
                ui::text_disabled("command #%u; click to select its frames on the map", e->command);
                ImGui::EndTooltip();
            }
            ImGui::SameLine();
            ui::text_abbrev(text, 0.0f, ImVec4(0, 0, 0, 0), WholeText::Caller);
            ImGui::PopID();
        }
    }
    ImGui::PopFont();
    if (events.autoscroll && grew) ImGui::SetScrollHereY(1.0f);
    ImGui::EndChild();
    ImGui::End();
}

} // namespace ui
