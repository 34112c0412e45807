// Plots over time, drawn with ImGui's own PlotLines and draw lists: each
// zone's free pages against its min/low/high watermarks, nr_free per order of
// a chosen zone, and that zone's unusable free space index. The history is
// bounded (PlotsView::kPlotHistory samples) and takes one sample each frame
// that sees a new Lab::generation(), whether the panel is open or not.
//
// Sections: help texts | sampling | charts | the panel.
#include "core/base/text.h"
#include "core/mm/machine.h"
#include "ui/help.h"
#include "ui/panels.h"
#include "ui/text.h"

#include <imgui.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <string>
#include <vector>

namespace ui {

namespace {

// ---- Help texts -----------------------------------------------------------------

constexpr const char* kWatermarkPlotHelp =
    "Free pages (NR_FREE_PAGES) of each zone, one point per change of the machine, with "
    "its min, low and high watermarks as lines. Below low the allocator's fast path skips "
    "the zone and wakes kswapd; below min only GFP_ATOMIC-like requests may allocate.";

constexpr const char* kOrderPlotHelp =
    "free_area[order].nr_free of the chosen zone over time, one line per order (the "
    "colours of the map's legend). Splitting a big block moves one block down every "
    "order; freeing its pieces merges them back up.";

constexpr const char* kUnusableHelp =
    "The unusable free space index (/sys/kernel/debug/extfrag/unusable_index, "
    "mm/vmstat.c unusable_free_index()): the share of free memory that cannot satisfy a "
    "request of the chosen order, because it sits in smaller blocks: (free pages - pages "
    "in free blocks of that order or more) / free pages, 0 to 1. Near 1 means free "
    "memory is fragmented for that order, however much of it there is.";

// ---- Sampling -------------------------------------------------------------------

void sample(PlotsView& plots, const mm::Lab& lab) {
    if (plots.sampled_generation == lab.generation()) return;
    plots.sampled_generation = lab.generation();
    PlotSample s;
    s.generation = lab.generation();
    for (const mm::Node& node : lab.machine().nodes()) {
        for (const mm::Zone& zone : node.zones) {
            if (!zone.populated()) continue;
            ZoneSample z;
            z.node = node.id;
            z.zone = zone.idx;
            z.free = static_cast<float>(zone.free_pages);
            z.min = static_cast<float>(zone.wmark(mm::WMARK_MIN));
            z.low = static_cast<float>(zone.wmark(mm::WMARK_LOW));
            z.high = static_cast<float>(zone.wmark(mm::WMARK_HIGH));
            z.nr_free = mm::free_counts(zone);
            s.zones.push_back(z);
        }
    }
    if (plots.samples.size() >= PlotsView::kPlotHistory)
        plots.samples.erase(
            plots.samples.begin(),
            plots.samples.begin() +
                static_cast<std::ptrdiff_t>(plots.samples.size() - PlotsView::kPlotHistory + 1));
    plots.samples.push_back(std::move(s));
}

// The sample of a zone; `hint` is where it usually is (the machine's zones
// rarely change between samples), so that the search is mostly one compare.
const ZoneSample* find_zone(const PlotSample& s, unsigned node, unsigned zone, size_t hint) {
    if (hint < s.zones.size() && s.zones[hint].node == node && s.zones[hint].zone == zone)
        return &s.zones[hint];
    for (const ZoneSample& z : s.zones)
        if (z.node == node && z.zone == zone) return &z;
    return nullptr;
}

// unusable_free_index() of mm/vmstat.c, as a fraction.
float unusable_index(const ZoneSample& z, unsigned order) {
    return static_cast<float>(mm::unusable_free_index(z.nr_free, order)) / 1000.0f;
}

// ---- Charts ---------------------------------------------------------------------

// One series of a zone over the history (0 where the zone did not exist).
template <typename F>
std::vector<float> series(const PlotsView& plots, unsigned node, unsigned zone, F value) {
    std::vector<float> out;
    out.reserve(plots.samples.size());
    size_t hint = 0;
    if (!plots.samples.empty()) {
        const std::vector<ZoneSample>& newest = plots.samples.back().zones;
        while (hint < newest.size() && !(newest[hint].node == node && newest[hint].zone == zone))
            ++hint;
    }
    for (const PlotSample& s : plots.samples) {
        const ZoneSample* z = find_zone(s, node, zone, hint);
        out.push_back(z ? value(*z) : 0.0f);
    }
    return out;
}

// Draws a polyline of `values` over the item rectangle [p0, p1] on 0..top.
void polyline(ImDrawList* draw, const std::vector<float>& values, ImVec2 p0, ImVec2 p1, float top,
              ImU32 colour, float thickness) {
    if (values.empty() || top <= 0.0f) return;
    const size_t n = values.size();
    std::vector<ImVec2> points(n);
    for (size_t i = 0; i < n; ++i) {
        const float x =
            n == 1 ? p1.x
                   : p0.x + (p1.x - p0.x) * static_cast<float>(i) / static_cast<float>(n - 1);
        const float share = std::clamp(values[i] / top, 0.0f, 1.0f);
        points[i] = ImVec2(x, p1.y - (p1.y - p0.y) * share);
    }
    if (n == 1) {
        draw->AddCircleFilled(points[0], 2.0f, colour);
        return;
    }
    draw->AddPolyline(points.data(), static_cast<int>(n), colour, 0, thickness);
}

void watermark_chart(const PlotsView& plots, const mm::Zone& zone) {
    const std::vector<float> free =
        series(plots, zone.node, zone.idx, [](const ZoneSample& z) { return z.free; });
    const std::vector<float> min =
        series(plots, zone.node, zone.idx, [](const ZoneSample& z) { return z.min; });
    const std::vector<float> low =
        series(plots, zone.node, zone.idx, [](const ZoneSample& z) { return z.low; });
    const std::vector<float> high =
        series(plots, zone.node, zone.idx, [](const ZoneSample& z) { return z.high; });
    float top = 1.0f;
    for (float v : free)
        top = std::max(top, v);
    for (float v : high)
        top = std::max(top, v * 1.25f);
    char overlay[96];
    std::snprintf(overlay, sizeof overlay, "Node %u %s: free %" PRIu64 " (high %" PRIu64 ")",
                  unsigned{zone.node}, zone.name(), zone.free_pages, zone.wmark(mm::WMARK_HIGH));
    ImGui::PlotLines("##free", free.data(), static_cast<int>(free.size()), 0, overlay, 0.0f, top,
                     ImVec2(ImGui::GetContentRegionAvail().x, ImGui::GetFrameHeight() * 2.5f));
    const ImVec2 p0 = ImGui::GetItemRectMin(), p1 = ImGui::GetItemRectMax();
    const Palette& colours = palette();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    polyline(draw, min, p0, p1, top, ImGui::ColorConvertFloat4ToU32(colours.mark_min), 1.5f);
    polyline(draw, low, p0, p1, top, ImGui::ColorConvertFloat4ToU32(colours.mark_low), 1.5f);
    polyline(draw, high, p0, p1, top, ImGui::ColorConvertFloat4ToU32(colours.mark_high), 1.5f);
}

void order_chart(const PlotsView& plots, const mm::Zone& zone) {
    const float height = ImGui::GetFrameHeight() * 4.0f;
    const float width = std::max(ImGui::GetContentRegionAvail().x, 60.0f);
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    ImGui::InvisibleButton("##orders", ImVec2(width, height));
    const ImVec2 p1(p0.x + width, p0.y + height);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddRectFilled(p0, p1, ImGui::GetColorU32(ImGuiCol_FrameBg));
    std::vector<float> values[mm::NR_PAGE_ORDERS];
    float top = 1.0f;
    for (unsigned order = 0; order < mm::NR_PAGE_ORDERS; ++order) {
        values[order] = series(plots, zone.node, zone.idx, [order](const ZoneSample& z) {
            return static_cast<float>(z.nr_free[order]);
        });
        for (float v : values[order])
            top = std::max(top, v);
    }
    for (unsigned order = 0; order < mm::NR_PAGE_ORDERS; ++order)
        polyline(draw, values[order], p0, p1, top, free_order_colour(order), 1.5f);
    char label[48];
    std::snprintf(label, sizeof label, "nr_free, 0..%.0f blocks", static_cast<double>(top));
    draw->AddText(ImVec2(p0.x + 4.0f, p0.y + 2.0f), IM_COL32(255, 255, 255, 200), label);
    if (ImGui::IsItemHovered()) {
        ImGui::BeginTooltip();
        for (unsigned order = 0; order < mm::NR_PAGE_ORDERS; ++order)
            ui::text_colored(ImGui::ColorConvertU32ToFloat4(free_order_colour(order)),
                             "order %2u  nr_free %" PRIu64, order, zone.free_area[order].nr_free);
        ImGui::EndTooltip();
    }
}

} // namespace

// ---- The panel ------------------------------------------------------------------

void plots_panel(const PanelContext& ctx, bool* open) {
    PlotsView& plots = ctx.view.plots;
    sample(plots, ctx.lab);
    if (!*open) return;
    if (!ImGui::Begin("Plots###plots", open, panel_window_flags(ctx.view, PanelId::Plots))) {
        ImGui::End();
        return;
    }
    const mm::Machine& machine = ctx.lab.machine();
    panel_intro("The zones over time, one point per change: free pages, free blocks per order "
                "and how fragmented free memory is.");
    std::vector<const mm::Zone*> zones;
    for (const mm::Node& node : machine.nodes())
        for (const mm::Zone& zone : node.zones)
            if (zone.populated()) zones.push_back(&zone);

    ui::text_disabled("%zu samples", plots.samples.size());
    ui::text_flow(mm::strprintf("(one per change, the newest %zu kept)", PlotsView::kPlotHistory),
                  palette().dim);
    same_line_if_fits(ImGui::CalcTextSize("clear").x + ImGui::GetStyle().FramePadding.x * 2.0f);
    if (ImGui::SmallButton("clear")) {
        plots.samples.clear();
        plots.sampled_generation = ~uint64_t{0};
    }

    ui::text("Free pages and watermarks");
    help_marker_flow(kWatermarkPlotHelp);
    // A lesson's question may hide what a chart would answer (hide:): the
    // chart gives way to "?" until it is answered.
    const bool hide_free = hidden(ctx, "zones.free") || hidden(ctx, "zones.watermarks");
    for (const mm::Zone* zone : zones) {
        ImGui::PushID(zone->node * 16 + zone->idx);
        if (hide_free)
            text_disabled("%s %s", zone->name(), kHiddenValue);
        else
            watermark_chart(plots, *zone);
        ImGui::PopID();
    }
    if (zones.empty()) {
        ImGui::End();
        return;
    }

    ImGui::Separator();
    plots.zone = std::clamp(plots.zone, 0, static_cast<int>(zones.size()) - 1);
    const mm::Zone& chosen = *zones[static_cast<size_t>(plots.zone)];
    char preview[48];
    std::snprintf(preview, sizeof preview, "Node %u %s", unsigned{chosen.node}, chosen.name());
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 9.0f);
    if (ImGui::BeginCombo("zone", preview)) {
        for (size_t i = 0; i < zones.size(); ++i) {
            char name[48];
            std::snprintf(name, sizeof name, "Node %u %s", unsigned{zones[i]->node},
                          zones[i]->name());
            if (ImGui::Selectable(name, static_cast<int>(i) == plots.zone))
                plots.zone = static_cast<int>(i);
        }
        ImGui::EndCombo();
    }
    ui::text_flow("nr_free per order");
    help_marker_flow(kOrderPlotHelp);
    if (hidden(ctx, "free_lists"))
        text_disabled("%s", kHiddenValue);
    else
        order_chart(plots, chosen);

    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 7.0f);
    ImGui::SliderInt("order##unusable", &plots.unusable_order, 0,
                     static_cast<int>(mm::MAX_PAGE_ORDER));
    plots.unusable_order =
        std::clamp(plots.unusable_order, 0, static_cast<int>(mm::MAX_PAGE_ORDER));
    ui::text_flow("unusable free space index");
    help_marker_flow(kUnusableHelp);
    const unsigned order = static_cast<unsigned>(plots.unusable_order);
    const std::vector<float> unusable =
        series(plots, chosen.node, chosen.idx,
               [order](const ZoneSample& z) { return unusable_index(z, order); });
    char overlay[48];
    std::snprintf(overlay, sizeof overlay, "order %u: %.3f", order,
                  static_cast<double>(unusable.empty() ? 0.0f : unusable.back()));
    if (hidden(ctx, "plots.unusable")) {
        ui::text_disabled("order %u: %s", order, kHiddenValue);
        ImGui::End();
        return;
    }
    ImGui::PlotLines("##unusable", unusable.data(), static_cast<int>(unusable.size()), 0, overlay,
                     0.0f, 1.0f,
                     ImVec2(ImGui::GetContentRegionAvail().x, ImGui::GetFrameHeight() * 2.5f));
    ImGui::End();
}

} // namespace ui
