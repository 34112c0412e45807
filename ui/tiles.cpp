// The ImGui side of the tiled layout (tiles.h): the tree is made and placed
// by layout.cpp; here it meets the windows, the mouse and the panels' names.
//
// Sections: names | step layouts | the work area (tree, borders, strips) |
// panel windows | float button.
#include "ui/tiles.h"

#include "ui/help.h"
#include "ui/text.h"

#include <imgui.h>
#include <imgui_internal.h> // FindWindowByName, the title bar of a panel's window

#include <algorithm>
#include <array>
#include <cmath>

namespace ui {

// ---- Names ------------------------------------------------------------------

namespace {

struct PanelNames {
    PanelId id;
    const char* window; // "Title###id": the id after ### names the window
    const char* title;
    const char* lesson; // LessonStep::panels
};

constexpr std::array<PanelNames, kPanelCount> kPanels = {{
    {PanelId::Zones, "Zones and watermarks###zones", "Zones and watermarks", "zones"},
    {PanelId::Console, "Console###console", "Console", "console"},
    {PanelId::Map, "Physical memory map###map", "Physical memory map", "map"},
    {PanelId::FreeLists, "Free lists###free_lists", "Free lists", "free_lists"},
    {PanelId::Events, "Event log###events", "Event log", "events"},
    {PanelId::Plots, "Plots###plots", "Plots", "plots"},
    {PanelId::Lessons, "Lessons###lessons", "Lessons", "lessons"},
}};

const PanelNames& names(PanelId id) {
    return kPanels[std::min(static_cast<unsigned>(id), kPanelCount - 1)];
}

unsigned index(PanelId id) {
    return static_cast<unsigned>(id);
}

} // namespace

const char* panel_window_name(PanelId id) {
    return names(id).window;
}

const char* panel_title(PanelId id) {
    return names(id).title;
}

const char* panel_lesson_name(PanelId id) {
    return names(id).lesson;
}

std::optional<PanelId> panel_named(std::string_view lesson_name) {
    for (const PanelNames& panel : kPanels)
        if (lesson_name == panel.lesson) return panel.id;
    return std::nullopt;
}

// ---- Step layouts -------------------------------------------------------------

void apply_step_layout(ViewState& view, const std::vector<std::string>* panels) {
    view.step_room.reset();
    view.arrangement = Arrangement::Default;
    if (panels != nullptr) {
        PanelSet room{};
        bool named = false;
        for (const std::string& name : *panels) {
            if (std::optional<PanelId> id = panel_named(name)) {
                room[index(*id)] = true;
                named = true;
            }
        }
        view.arrangement =
            room[index(PanelId::Console)] ? Arrangement::StepReadsConsole : Arrangement::Step;
        // The player stays beside the step it shows, and the console below
        // it: a task is typed there, and the text form is always in view.
        room[index(PanelId::Lessons)] = true;
        room[index(PanelId::Console)] = true;
        if (named) view.step_room = room;
    }
    if (!view.step_room) view.arrangement = Arrangement::Default;
    for (PanelPlace& place : view.place)
        place = PanelPlace::Tile;
    view.rebuild_tiles = true;
}

std::optional<std::string> set_embedded(ViewState& view, std::string_view panels) {
    PanelSet chosen{};
    bool any = false;
    size_t from = 0;
    while (from <= panels.size()) {
        const size_t comma = std::min(panels.find(',', from), panels.size());
        const std::string_view name = panels.substr(from, comma - from);
        from = comma + 1;
        if (name.empty()) continue;
        const std::optional<PanelId> id = panel_named(name);
        if (!id) {
            std::string known;
            for (const PanelNames& panel : kPanels)
                known += std::string(known.empty() ? "" : ", ") + panel.lesson;
            return "there is no panel \"" + std::string(name) + "\" (panels: " + known + ")";
        }
        chosen[index(*id)] = true;
        any = true;
    }
    view.embedded = true;
    view.embed_panels.reset();
    if (any) {
        view.embed_panels = chosen;
        for (unsigned i = 0; i < kPanelCount; ++i)
            view.open[i] = chosen[i];
    }
    view.rebuild_tiles = true;
    return std::nullopt;
}

void open_strip(ViewState& view, PanelId id) {
    if (!view.step_room) return;
    (*view.step_room)[index(id)] = true;
    view.rebuild_tiles = true;
}

// ---- The work area ----------------------------------------------------------

namespace {

// Wide enough for kConsoleColumns of the console's font, with the panel's
// padding and the scrollback's vertical scrollbar.
float console_width() {
    const ImGuiStyle& style = ImGui::GetStyle();
    ImGui::PushFont(mono_font());
    const float text = ImGui::CalcTextSize("0").x * static_cast<float>(kConsoleColumns);
    ImGui::PopFont();
    return std::ceil(text + style.WindowPadding.x * 2.0f + style.ScrollbarSize + 4.0f);
}

// The open panels that are tiles, as the tree must hold them.
PanelSet tiled_open(const ViewState& view) {
    PanelSet set{};
    for (unsigned i = 0; i < kPanelCount; ++i)
        set[i] = view.open[i] && view.place[i] == PanelPlace::Tile;
    return set;
}

// Makes the tree again for the panels' places (a step's room collapses the
// others to strips; floating ones stay afloat).
void rebuild(ViewState& view, float width) {
    for (unsigned i = 0; i < kPanelCount; ++i) {
        if (view.place[i] == PanelPlace::Float) continue;
        // Embedded with chosen panels, those stay tiles whatever the step names.
        const bool in_room = !view.step_room || (*view.step_room)[i] ||
                             (view.embed_panels && (*view.embed_panels)[i]);
        view.place[i] = in_room ? PanelPlace::Tile : PanelPlace::Strip;
    }
    view.tiled_open = tiled_open(view);
    view.tiles = arrange_tiles(view.arrangement, view.layout, view.tiled_open, width,
                               console_width(), TileLimits{});
    view.dragging_splitter = -1;
    view.rebuild_tiles = false;
}

bool any_strip(const ViewState& view) {
    for (unsigned i = 0; i < kPanelCount; ++i)
        if (view.open[i] && view.place[i] == PanelPlace::Strip) return true;
    return false;
}

// A border: an invisible button on the gap with a resize cursor; dragging
// it moves the split's ratio (layout.h, drag_splitter).
void draw_border(ViewState& view, const TileSplitter& splitter) {
    const PanelRect& bar = splitter.bar;
    if (bar.w < 1.0f || bar.h < 1.0f) return;
    ImGui::SetCursorScreenPos(ImVec2(bar.x, bar.y));
    ImGui::PushID(splitter.node);
    ImGui::InvisibleButton("##border", ImVec2(bar.w, bar.h));
    ImGui::PopID();
    const bool columns = splitter.split == Split::Columns;
    const bool active = ImGui::IsItemActive();
    if (ImGui::IsItemHovered() || active) {
        ImGui::SetMouseCursor(columns ? ImGuiMouseCursor_ResizeEW : ImGuiMouseCursor_ResizeNS);
        ImGui::GetWindowDrawList()->AddRectFilled(
            ImVec2(bar.x, bar.y), ImVec2(bar.x + bar.w, bar.y + bar.h),
            ImGui::GetColorU32(active ? ImGuiCol_SeparatorActive : ImGuiCol_SeparatorHovered));
    }
    if (active) {
        view.dragging_splitter = splitter.node;
        const ImVec2 mouse = ImGui::GetIO().MousePos;
        drag_splitter(view.tiles, splitter, columns ? mouse.x : mouse.y, TileLimits{});
    } else if (view.dragging_splitter == splitter.node) {
        view.dragging_splitter = -1;
    }
}

// The strips: one button per collapsed panel, in a bar along the bottom of
// the work area; a click gives the panel a tile beside the step's.
void draw_strips(ViewState& view, PanelRect row) {
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddRectFilled(ImVec2(row.x, row.y), ImVec2(row.x + row.w, row.y + row.h),
                        ImGui::GetColorU32(ImGuiCol_MenuBarBg));
    ImGui::SetCursorScreenPos(ImVec2(row.x + 4.0f, row.y + 2.0f));
    ImGui::AlignTextToFramePadding();
    text_disabled("Not in this step:");
    for (unsigned i = 0; i < kPanelCount; ++i) {
        if (!view.open[i] || view.place[i] != PanelPlace::Strip) continue;
        const PanelId id = static_cast<PanelId>(i);
        ImGui::SameLine();
        if (ImGui::Button(panel_title(id))) open_strip(view, id);
        const ImVec2 min = ImGui::GetItemRectMin(), size = ImGui::GetItemRectSize();
        view.strips.push_back(
            {std::string("strip:") + panel_lesson_name(id), min.x, min.y, size.x, size.y});
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("Opens the %s beside this step's panels; View > Reset layout "
                              "collapses it again.",
                              panel_title(id));
    }
}

} // namespace

void tile_work_area(ViewState& view, PanelRect work) {
    view.strips.clear();
    view.panel_buttons.clear();
    if (view.rebuild_tiles || tiled_open(view) != view.tiled_open) rebuild(view, work.w);
    PanelRect tiles = work;
    PanelRect strip_row;
    if (any_strip(view)) {
        strip_row = work;
        strip_row.h = ImGui::GetFrameHeight() + 4.0f;
        strip_row.y = work.y + work.h - strip_row.h;
        tiles.h = std::max(work.h - strip_row.h, 1.0f);
    }
    view.placement = place_tiles(view.tiles, tiles, TileLimits{});

    // Behind every panel (drawn first, never brought to the front), as large
    // as the work area; only its borders and strips take the mouse.
    ImGui::SetNextWindowPos(ImVec2(work.x, work.y), ImGuiCond_Always);
    ImGui::SetNextWindowSize(ImVec2(std::max(work.w, 1.0f), std::max(work.h, 1.0f)),
                             ImGuiCond_Always);
    const ImGuiWindowFlags flags =
        ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
        ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoFocusOnAppearing |
        ImGuiWindowFlags_NoNav | ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoScrollWithMouse;
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0.0f, 0.0f));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0.0f);
    const bool drawn = ImGui::Begin("##tiles", nullptr, flags);
    // ImGui puts a window that never comes to the front at the back only
    // when it is made, and the tiles are made after this one.
    ImGui::BringWindowToDisplayBack(ImGui::GetCurrentWindow());
    if (drawn) {
        for (const TileSplitter& splitter : view.placement.splitters)
            draw_border(view, splitter);
        if (strip_row.h > 0.0f) draw_strips(view, strip_row);
    }
    ImGui::End();
    ImGui::PopStyleVar(2);
}

// ---- Panel windows ------------------------------------------------------------

int panel_window_flags(const ViewState& view, PanelId id) {
    if (view.place[index(id)] != PanelPlace::Tile) return ImGuiWindowFlags_None;
    return ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
           ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoSavedSettings;
}

bool place_panel(ViewState& view, PanelId id) {
    const unsigned i = index(id);
    if (!view.open[i]) return false;
    if (view.place[i] == PanelPlace::Strip) return false;
    if (view.place[i] == PanelPlace::Float) {
        if (!view.just_floated[i]) return true;
        // Its first place: where its tile was, a little down and right,
        // and not larger than a third of the window; then the student's.
        view.just_floated[i] = false;
        const ImGuiWindow* window = ImGui::FindWindowByName(panel_window_name(id));
        const ImVec2 display = ImGui::GetIO().DisplaySize;
        ImVec2 pos(display.x * 0.25f, display.y * 0.25f), size(560.0f, 400.0f);
        if (window != nullptr) {
            pos = ImVec2(window->Pos.x + 24.0f, window->Pos.y + 24.0f);
            size = ImVec2(std::min(window->Size.x, std::max(display.x / 3.0f, 420.0f)),
                          std::min(window->Size.y, std::max(display.y / 2.0f, 300.0f)));
        }
        ImGui::SetNextWindowPos(pos, ImGuiCond_Always);
        ImGui::SetNextWindowSize(size, ImGuiCond_Always);
        ImGui::SetNextWindowCollapsed(false, ImGuiCond_Always);
        ImGui::SetNextWindowFocus();
        return true;
    }
    const std::optional<PanelRect>& rect = view.placement.panels[i];
    if (!rect) return false; // not in the tree yet: it is made again next frame
    ImGui::SetNextWindowPos(ImVec2(rect->x, rect->y), ImGuiCond_Always);
    ImGui::SetNextWindowSize(ImVec2(std::max(rect->w, 1.0f), std::max(rect->h, 1.0f)),
                             ImGuiCond_Always);
    ImGui::SetNextWindowCollapsed(false, ImGuiCond_Always);
    return true;
}

// ---- Float button -------------------------------------------------------------

void draw_float_button(ViewState& view, PanelId id) {
    const unsigned i = index(id);
    if (!view.open[i] || view.place[i] == PanelPlace::Strip) return;
    ImGuiWindow* window = ImGui::FindWindowByName(panel_window_name(id));
    if (window == nullptr || !window->Active || window->Hidden) return;
    const bool floating = view.place[i] == PanelPlace::Float;
    const char* label = floating ? "dock" : "float";
    // Appends to the panel's window (a second Begin in the frame), into its
    // title bar, left of the close button; the content size stays the
    // panel's, so the button adds no scrollbar.
    ImGui::Begin(panel_window_name(id));
    const ImGuiStyle& style = ImGui::GetStyle();
    const ImRect title = window->TitleBarRect();
    const float close = ImGui::GetFontSize() + style.ItemInnerSpacing.x;
    const float width = ImGui::CalcTextSize(label).x + style.FramePadding.x * 2.0f;
    const ImVec2 saved_max = window->DC.CursorMaxPos;
    ImGui::PushClipRect(title.Min, title.Max, false);
    ImGui::SetCursorScreenPos(ImVec2(title.Max.x - style.FramePadding.x - close - width - 4.0f,
                                     title.Min.y + style.FramePadding.y));
    ImGui::PushID("float");
    const bool clicked = ImGui::SmallButton(label);
    ImGui::PopID();
    const ImVec2 min = ImGui::GetItemRectMin(), size = ImGui::GetItemRectSize();
    view.panel_buttons.push_back(
        {std::string(label) + ":" + panel_lesson_name(id), min.x, min.y, size.x, size.y});
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip(floating ? "Puts the panel back in its tile."
                                   : "Takes the panel out of the tiles into a window of its "
                                     "own, to move and resize; \"dock\" puts it back.");
    ImGui::PopClipRect();
    window->DC.CursorMaxPos = saved_max;
    ImGui::End();
    if (!clicked) return;
    view.place[i] = floating ? PanelPlace::Tile : PanelPlace::Float;
    view.just_floated[i] = !floating;
    view.rebuild_tiles = true;
}

} // namespace ui
