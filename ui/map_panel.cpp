// The physical memory map: every page frame of the machine, row by row from
// pfn 0, coloured by what it is (a hole, reserved by memblock, allocated, or
// free in a block of order k), with node and zone bands on the left. Zoomed
// out, one cell stands for 2^k frames and takes the commonest state among
// them; zoomed in, one frame is up to 32 pixels wide, with a border, its
// block outlined and (from 24 pixels) its pfn.
//
// The picture is a per-cell summary built with Machine::frame_codes() (one
// byte per frame, a block at a time) only when Lab::generation() or the view
// changes, uploaded as one texture through ui::Platform. With no platform
// (the smoke test) runs of equal cells are drawn as rectangles, bounded.
//
// Sections: help texts | geometry | the summary | drawing | tooltip | the panel.
#include "core/base/text.h"
#include "core/mm/machine.h"
#include "ui/help.h"
#include "ui/panels.h"
#include "ui/text.h"

#include <imgui.h>
#include <imgui_internal.h> // ImRect

#include <algorithm>
#include <cfloat>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <string>

namespace ui {

namespace {

// ---- Help texts -----------------------------------------------------------------

constexpr const char* kMapHelp =
    "Every page frame (4 KiB of physical memory, numbered by its pfn = physical address / "
    "4096) from pfn 0 at the top left, row by row. Colour says what the frame is: free "
    "(in a buddy block of order k, lighter for small blocks), allocated, reserved by "
    "memblock at boot (firmware, the kernel image, the memmap of struct pages), or a "
    "hole (no RAM, or pfn 0 which x86 keeps out of every zone).\n\n"
    "Zoomed out, a cell stands for 2^k frames and shows the commonest state among them; "
    "hover it for the details. The bands on the left are the NUMA nodes and their zones.\n\n"
    "Mouse wheel: zoom around the pointer. Drag: scroll. Click: select the frame; its "
    "block is outlined in white and its buddy (pfn ^ 2^order, the block it would merge "
    "with when both are free) in yellow.";

constexpr const char* kBuddyHelp =
    "The buddy of a block of order k at pfn p is the block at p ^ 2^k: the other half "
    "of the order k+1 block they were split from. When a block is freed, "
    "__free_one_page() merges it with its buddy if the buddy is free with the same "
    "order, and repeats one order up.";

constexpr const char* kColourByHelp =
    "What the colours say. \"state\": what each frame is (a hole, reserved, free in the buddy "
    "lists, held on a per-CPU list, allocated). \"order\": the size of the block each frame "
    "belongs to, 2^order frames, on one ramp for free blocks and another for allocated ones "
    "(lighter: larger). "
    "A frame on a per-CPU list is free memory that a CPU keeps for itself: the buddy lists "
    "and /proc/buddyinfo do not count it.";

constexpr int kMaxLevel = 5;   // 32 pixels per frame
constexpr int kMinLevel = -30; // far beyond any machine: fit stops earlier
constexpr size_t kMaxFallbackRects = 6000;

ImU32 zone_colour(mm::ZoneKind kind) {
    switch (kind) {
    case mm::ZoneKind::DMA:
        return IM_COL32(230, 150, 60, 255);
    case mm::ZoneKind::DMA32:
        return IM_COL32(200, 200, 80, 255);
    case mm::ZoneKind::Normal:
        return IM_COL32(90, 170, 230, 255);
    case mm::ZoneKind::HighMem:
        return IM_COL32(190, 110, 220, 255);
    case mm::ZoneKind::Movable:
        return IM_COL32(110, 210, 170, 255);
    case mm::ZoneKind::Device:
        return IM_COL32(160, 160, 160, 255);
    }
    return IM_COL32(160, 160, 160, 255);
}

ImU32 node_colour(unsigned node) {
    return node % 2 == 0 ? IM_COL32(200, 200, 210, 255) : IM_COL32(110, 110, 130, 255);
}

const char* code_name(uint8_t code) {
    switch (mm::frame_code_state(code)) {
    case mm::FrameState::Hole:
        return "hole";
    case mm::FrameState::Reserved:
        return "reserved";
    case mm::FrameState::Allocated:
        return "allocated";
    default:
        return mm::frame_code_on_pcp(code) ? "on a per-CPU list" : "free";
    }
}

// ---- Geometry -------------------------------------------------------------------

// Where frames go on the screen at one zoom level, for a map area of a size.
struct Geometry {
    int level = 0;
    uint64_t frames_per_cell = 1;
    float cell = 1.0f; // logical pixels
    int columns = 1;
    int rows = 1; // visible rows
    uint64_t row_frames = 1;
    uint64_t total_rows = 1;
};

Geometry make_geometry(int level, float width, float height, mm::Pfn max_pfn) {
    Geometry g;
    g.level = level;
    g.frames_per_cell = level >= 0 ? 1 : uint64_t{1} << std::min(-level, 40);
    g.cell = level >= 0 ? static_cast<float>(1 << level) : 1.0f;
    // Columns in multiples of 8 cells, so that blocks of up to order 3 (in
    // cells) never wrap at the end of a row.
    int columns = static_cast<int>(width / g.cell);
    if (columns >= 16) columns &= ~7;
    g.columns = std::max(1, columns);
    g.rows = std::max(1, static_cast<int>(height / g.cell));
    g.row_frames = g.frames_per_cell * static_cast<uint64_t>(g.columns);
    g.total_rows = std::max<uint64_t>(1, (max_pfn.value() + g.row_frames - 1) / g.row_frames);
    return g;
}

// The most zoomed-in level that still shows every frame at once.
int fit_level(float width, float height, mm::Pfn max_pfn) {
    for (int level = kMaxLevel; level > kMinLevel; --level) {
        const Geometry g = make_geometry(level, width, height, max_pfn);
        if (g.total_rows <= static_cast<uint64_t>(g.rows)) return level;
    }
    return kMinLevel;
}

// The first frame of the top row, for a wished top pfn: whole rows, and no
// further down than the last screenful.
mm::Pfn first_pfn(const Geometry& g, double top_pfn) {
    const uint64_t max_first_row = g.total_rows > static_cast<uint64_t>(g.rows)
                                       ? g.total_rows - static_cast<uint64_t>(g.rows)
                                       : 0;
    const double wished = std::max(0.0, top_pfn) / static_cast<double>(g.row_frames);
    const uint64_t row = std::min(static_cast<uint64_t>(wished), max_first_row);
    return mm::Pfn{row * g.row_frames};
}

// ---- The summary ----------------------------------------------------------------

constexpr uint8_t kBeyond = 0xff; // a cell past max_pfn

// Rebuilds view.cells (and rgba) for the visible cells, when the machine or
// the view changed since the last build. Returns true when it rebuilt.
// 1. Fetch the frames' codes in chunks (a whole number of cells each).
// 2. Each cell takes the commonest code among its frames.
bool update_summary(MapView& map, const mm::Lab& lab, const Geometry& g, mm::Pfn first) {
    const mm::Machine& machine = lab.machine();
    const mm::Pfn max_pfn = machine.max_pfn();
    if (map.cache_generation == lab.generation() && map.cache_first_pfn == first &&
        map.cache_frames_per_cell == g.frames_per_cell && map.cache_columns == g.columns &&
        map.cache_rows == g.rows && map.cache_max_pfn == max_pfn &&
        map.cache_colour_by == map.colour_by)
        return false;
    map.cache_generation = lab.generation();
    map.cache_first_pfn = first;
    map.cache_frames_per_cell = g.frames_per_cell;
    map.cache_columns = g.columns;
    map.cache_rows = g.rows;
    map.cache_max_pfn = max_pfn;
    map.cache_colour_by = map.colour_by;
    map.texture_stale = true;
    ++map.rebuilds;

    const size_t cell_count = static_cast<size_t>(g.columns) * static_cast<size_t>(g.rows);
    map.cells.assign(cell_count, kBeyond);
    const uint64_t fpc = g.frames_per_cell;
    const uint64_t chunk_cells = std::max<uint64_t>(1, (uint64_t{1} << 20) / fpc);
    size_t cell = 0;
    while (cell < cell_count) {
        const mm::Pfn pfn = first + static_cast<uint64_t>(cell) * fpc;
        if (pfn >= max_pfn) break;
        const uint64_t cells_here =
            std::min<uint64_t>(chunk_cells, static_cast<uint64_t>(cell_count - cell));
        const uint64_t frames = std::min(cells_here * fpc, max_pfn - pfn);
        map.codes.resize(static_cast<size_t>(frames));
        machine.frame_codes(pfn, frames, map.codes.data());
        const uint8_t* code = map.codes.data();
        for (uint64_t done = 0; done < frames; done += fpc) {
            const uint64_t n = std::min(fpc, frames - done);
            uint8_t best = frame_code_key(code[done], map.colour_by);
            if (n > 1) {
                unsigned counts[mm::kFrameCodes] = {};
                for (uint64_t i = 0; i < n; ++i) {
                    const uint8_t key = frame_code_key(code[done + i], map.colour_by);
                    if (key < mm::kFrameCodes) ++counts[key];
                }
                for (uint8_t c = 0; c < mm::kFrameCodes; ++c)
                    if (counts[c] > counts[best]) best = c;
            }
            map.cells[cell++] = best;
        }
    }
    map.rgba.resize(cell_count);
    for (size_t i = 0; i < cell_count; ++i)
        map.rgba[i] = map.cells[i] == kBeyond ? IM_COL32(0, 0, 0, 0)
                                              : frame_code_colour(map.cells[i], map.colour_by);
    return true;
}

// ---- Drawing --------------------------------------------------------------------

struct MapArea {
    ImVec2 origin; // top-left of the cells
    Geometry g;
    mm::Pfn first; // the top-left cell's first frame
};

// Draws the cells with rectangles, a run of equal cells per rectangle, at
// most kMaxFallbackRects (the rest is left to the background).
void draw_cells_with_rects(ImDrawList* draw, const MapView& map, const MapArea& area) {
    size_t rects = 0;
    for (int row = 0; row < area.g.rows && rects < kMaxFallbackRects; ++row) {
        const size_t base = static_cast<size_t>(row) * static_cast<size_t>(area.g.columns);
        int column = 0;
        while (column < area.g.columns && rects < kMaxFallbackRects) {
            const uint8_t code = map.cells[base + static_cast<size_t>(column)];
            int end = column + 1;
            while (end < area.g.columns && map.cells[base + static_cast<size_t>(end)] == code)
                ++end;
            if (code != kBeyond) {
                const ImVec2 p0(area.origin.x + static_cast<float>(column) * area.g.cell,
                                area.origin.y + static_cast<float>(row) * area.g.cell);
                const ImVec2 p1(area.origin.x + static_cast<float>(end) * area.g.cell,
                                p0.y + area.g.cell);
                draw->AddRectFilled(p0, p1, frame_code_colour(code, map.colour_by));
                ++rects;
            }
            column = end;
        }
    }
}

// Outlines frames [pfn, pfn + count) row by row (a block may wrap rows).
void outline_frames(ImDrawList* draw, const MapArea& area, mm::Pfn pfn, uint64_t count,
                    ImU32 colour, float thickness) {
    const Geometry& g = area.g;
    const mm::Pfn visible_end = area.first + static_cast<uint64_t>(g.rows) * g.row_frames;
    const mm::Pfn begin = std::max(pfn, area.first);
    const mm::Pfn end = std::min(pfn + count, visible_end);
    if (begin >= end) return;
    for (mm::Pfn row_start = begin - (begin - area.first) % g.row_frames; row_start < end;
         row_start += g.row_frames) {
        const mm::Pfn a = std::max(begin, row_start);
        const mm::Pfn b = std::min(end, row_start + g.row_frames);
        const float row = static_cast<float>((row_start - area.first) / g.row_frames);
        const float x0 = static_cast<float>((a - row_start) / g.frames_per_cell) * g.cell;
        const float x1 =
            static_cast<float>((b - row_start + g.frames_per_cell - 1) / g.frames_per_cell) *
            g.cell;
        // Keep a tiny block visible: at least 4 pixels around its centre.
        const float grow = std::max(0.0f, (4.0f - (x1 - x0)) * 0.5f);
        const float grow_y = std::max(0.0f, (4.0f - g.cell) * 0.5f);
        const ImVec2 min(area.origin.x + x0 - grow, area.origin.y + row * g.cell - grow_y);
        const ImVec2 max(area.origin.x + x1 + grow, area.origin.y + (row + 1) * g.cell + grow_y);
        // A dark halo under the colour: an outline stays visible on cells of
        // any colour (a yellow buddy outline on a yellow, large free block).
        draw->AddRect(min, max, IM_COL32(0, 0, 0, 190), 0.0f, 0, thickness + 2.0f);
        draw->AddRect(min, max, colour, 0.0f, 0, thickness);
    }
}

// Where frames [pfn, pfn + count) are on the map: the box around the rows
// they take in the visible area; empty when none of them is visible, and
// which way they are then (-1 above the view, +1 below it).
struct FramesBox {
    ImRect rect;
    bool visible = false;
    int off_view = 0;
};

FramesBox frames_box(const MapArea& area, mm::Pfn pfn, uint64_t count) {
    const Geometry& g = area.g;
    const mm::Pfn visible_end = area.first + static_cast<uint64_t>(g.rows) * g.row_frames;
    FramesBox box;
    if (pfn + count <= area.first) {
        box.off_view = -1;
        return box;
    }
    if (pfn >= visible_end) {
        box.off_view = 1;
        return box;
    }
    const mm::Pfn begin = std::max(pfn, area.first);
    const mm::Pfn end = std::min(pfn + count, visible_end);
    const uint64_t first_row = (begin - area.first) / g.row_frames;
    const uint64_t last_row = (end - 1 - area.first) / g.row_frames;
    float x0 = 0.0f, x1 = static_cast<float>(g.columns) * g.cell;
    if (first_row == last_row) {
        x0 = static_cast<float>(((begin - area.first) % g.row_frames) / g.frames_per_cell) * g.cell;
        x1 = static_cast<float>(((end - 1 - area.first) % g.row_frames) / g.frames_per_cell + 1) *
             g.cell;
    }
    box.rect =
        ImRect(area.origin.x + x0, area.origin.y + static_cast<float>(first_row) * g.cell,
               area.origin.x + x1, area.origin.y + static_cast<float>(last_row + 1) * g.cell);
    box.visible = true;
    return box;
}

// The frames a lesson step points at, pulsing: their outline, and where the
// map is zoomed out so far that they take a few pixels, a box of at least
// kPulseBox pixels around them, so that the eye finds them at once; when
// they are scrolled out of view, a tab at the edge says which way.
constexpr float kPulseBox = 28.0f;

void draw_step_frames(ImDrawList* draw, const MapArea& area, mm::Pfn lo, mm::Pfn hi,
                      const ImVec2& cells_min, const ImVec2& cells_max) {
    const float pulse = 0.65f + 0.35f * std::sin(static_cast<float>(ImGui::GetTime()) * 3.0f);
    const ImU32 colour = ImGui::GetColorU32(ImVec4(1.00f, 0.75f, 0.25f, pulse));
    const uint64_t count = hi - lo + 1;
    outline_frames(draw, area, lo, count, colour, 3.0f);
    const FramesBox box = frames_box(area, lo, count);
    if (box.visible) {
        if (box.rect.GetWidth() >= kPulseBox && box.rect.GetHeight() >= kPulseBox) return;
        // Grows and shrinks with the pulse, around the frames' centre.
        const float half = (kPulseBox * 0.5f) * (0.85f + 0.3f * pulse);
        const ImVec2 c = box.rect.GetCenter();
        const ImVec2 min(std::min(box.rect.Min.x, c.x - half),
                         std::min(box.rect.Min.y, c.y - half));
        const ImVec2 max(std::max(box.rect.Max.x, c.x + half),
                         std::max(box.rect.Max.y, c.y + half));
        draw->AddRect(min, max, IM_COL32(0, 0, 0, 190), 4.0f, 0, 5.0f);
        draw->AddRect(min, max, colour, 4.0f, 0, 3.0f);
        return;
    }
    if (box.off_view == 0) return;
    const char* label =
        box.off_view < 0 ? "the step's frames: scroll up" : "the step's frames: scroll down";
    const ImVec2 size = ImGui::CalcTextSize(label);
    const float x = (cells_min.x + cells_max.x - size.x) * 0.5f;
    const float y = box.off_view < 0 ? cells_min.y + 4.0f : cells_max.y - size.y - 8.0f;
    draw->AddRectFilled(ImVec2(x - 6.0f, y - 2.0f), ImVec2(x + size.x + 6.0f, y + size.y + 2.0f),
                        IM_COL32(0, 0, 0, 210), 4.0f);
    draw->AddRect(ImVec2(x - 6.0f, y - 2.0f), ImVec2(x + size.x + 6.0f, y + size.y + 2.0f), colour,
                  4.0f, 0, 2.0f);
    draw->AddText(ImVec2(x, y), IM_COL32(255, 255, 255, 255), label);
}

// Zoomed in to single frames of kDetailCell pixels or more, every frame gets a
// thin border and every free or allocated block an outline, so that each
// block of a small machine can be told apart (the buddy lesson's toy machine);
// from kLabelCell pixels each frame shows its pfn (hex).
constexpr float kDetailCell = 8.0f;
constexpr float kLabelCell = 24.0f;

float pfn_label_size(const Geometry& g) {
    return std::min(ImGui::GetFontSize() * 0.7f, g.cell * 0.45f);
}

// `labels`: whether frames show their pfn (not while a lesson's question
// hides it: hide: map.pfn).
void draw_frame_detail(ImDrawList* draw, const mm::Machine& machine, const MapArea& area,
                       bool labels) {
    const Geometry& g = area.g;
    if (g.frames_per_cell != 1 || g.cell < kDetailCell) return;
    const mm::Pfn end =
        std::min(area.first + static_cast<uint64_t>(g.rows) * g.row_frames, machine.max_pfn());
    ImFont* font = ImGui::GetFont();
    const float label_size = pfn_label_size(g);
    for (mm::Pfn pfn = area.first; pfn < end; ++pfn) {
        const uint64_t offset = pfn - area.first;
        const ImVec2 p0(area.origin.x + static_cast<float>(offset % g.row_frames) * g.cell,
                        area.origin.y + static_cast<float>(offset / g.row_frames) * g.cell);
        draw->AddRect(p0, ImVec2(p0.x + g.cell, p0.y + g.cell), IM_COL32(0, 0, 0, 80));
        if (g.cell < kLabelCell || !labels) continue;
        char label[24];
        std::snprintf(label, sizeof label, "%" PRIx64, pfn.value());
        const ImVec2 size = font->CalcTextSizeA(label_size, FLT_MAX, 0.0f, label);
        if (size.x <= g.cell - 3.0f)
            draw->AddText(font, label_size, ImVec2(p0.x + 2.0f, p0.y + 1.0f),
                          IM_COL32(0, 0, 0, 190), label);
    }
    for (mm::Pfn pfn = area.first; pfn < end;) {
        const mm::FrameInfo info = machine.frame(pfn);
        if (info.state != mm::FrameState::Free && info.state != mm::FrameState::Allocated) {
            ++pfn;
            continue;
        }
        const uint64_t size = uint64_t{1} << info.block_order;
        outline_frames(draw, area, info.block_pfn, size, IM_COL32(0, 0, 0, 230), 2.0f);
        pfn = info.block_pfn + size;
    }
}

// The node and zone bands left of the cells (two strips), and a label at the
// first cell of each zone.
void draw_bands(ImDrawList* draw, const mm::Machine& machine, const MapArea& area, float strip) {
    const Geometry& g = area.g;
    const mm::Pfn visible_end = area.first + static_cast<uint64_t>(g.rows) * g.row_frames;
    auto row_y = [&](mm::Pfn pfn) {
        const mm::Pfn clamped = std::clamp(pfn, area.first, visible_end);
        return area.origin.y + static_cast<float>(static_cast<double>(clamped - area.first) /
                                                  static_cast<double>(g.row_frames)) *
                                   g.cell;
    };
    const float node_x = area.origin.x - 2.0f * strip - 2.0f;
    const float zone_x = area.origin.x - strip - 1.0f;
    for (const mm::Node& node : machine.nodes()) {
        const float y0 = row_y(node.node_start_pfn), y1 = row_y(node.node_end_pfn());
        if (y1 > y0)
            draw->AddRectFilled(ImVec2(node_x, y0), ImVec2(node_x + strip, y1),
                                node_colour(node.id));
        for (const mm::Zone& zone : node.zones) {
            if (zone.spanned_pages == 0) continue;
            const float z0 = row_y(zone.zone_start_pfn), z1 = row_y(zone.end_pfn());
            if (z1 > z0)
                draw->AddRectFilled(ImVec2(zone_x, z0),
                                    ImVec2(zone_x + strip, std::max(z1, z0 + 1.0f)),
                                    zone_colour(zone.kind));
            if (zone.zone_start_pfn < area.first || zone.zone_start_pfn >= visible_end) continue;
            // The zone's first frame: a tick and its name.
            const uint64_t offset = zone.zone_start_pfn - area.first;
            const float x =
                area.origin.x +
                static_cast<float>((offset % g.row_frames) / g.frames_per_cell) * g.cell;
            const float y = area.origin.y + static_cast<float>(offset / g.row_frames) * g.cell;
            draw->AddLine(ImVec2(x, y - 2.0f), ImVec2(x, y + std::max(g.cell, 6.0f)),
                          IM_COL32(255, 255, 255, 230), 2.0f);
            // Where frames show their pfns, the name goes small, under them.
            char label[48];
            std::snprintf(label, sizeof label, "N%u %s", unsigned{node.id}, zone.name());
            const bool small = g.frames_per_cell == 1 && g.cell >= kLabelCell;
            ImFont* font = ImGui::GetFont();
            const float font_size = small ? pfn_label_size(g) : ImGui::GetFontSize();
            const ImVec2 size = font->CalcTextSizeA(font_size, FLT_MAX, 0.0f, label);
            const ImVec2 at(x + 3.0f, small ? y + g.cell - size.y - 2.0f : y + 1.0f);
            draw->AddRectFilled(at, ImVec2(at.x + size.x + 4.0f, at.y + size.y),
                                IM_COL32(0, 0, 0, 170), 2.0f);
            draw->AddText(font, font_size, ImVec2(at.x + 2.0f, at.y), zone_colour(zone.kind),
                          label);
        }
    }
}

// A swatch and its label, on the current line when they fit there;
// hovering them shows `tip` when there is one.
void swatch(ImU32 colour, const char* label, const char* tip = nullptr) {
    const float size = ImGui::GetTextLineHeight();
    same_line_if_fits(size + 3.0f + ImGui::CalcTextSize(label).x);
    ImGui::BeginGroup();
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(p.x + size, p.y + size), colour);
    ImGui::Dummy(ImVec2(size, size));
    ImGui::SameLine(0.0f, 3.0f);
    ui::text(label);
    ImGui::EndGroup();
    if (tip != nullptr && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tip);
}

// The colours of the cells, for the map's colouring.
void draw_legend(MapColour by) {
    // One swatch per order of a ramp, with the block size in its tip.
    auto ramp = [](ImU32 (*colour)(unsigned), const char* what) {
        for (unsigned order = 0; order < mm::NR_PAGE_ORDERS; ++order) {
            char label[4];
            std::snprintf(label, sizeof label, "%u", order);
            const std::string tip =
                mm::strprintf("%s, in blocks of order %u: 2^%u = %s each", what, order, order,
                              format_pages(uint64_t{1} << order).c_str());
            swatch(colour(order), label, tip.c_str());
        }
    };
    ui::text_disabled(by == MapColour::State ? "state:" : "not in a block:");
    swatch(kHoleColour, "hole", "no RAM here (a gap in the firmware's memory map), or pfn 0");
    swatch(kReservedColour, "reserved",
           "kept by memblock at boot: firmware, the kernel image, the memmap");
    swatch(kPerCpuColour, "per-CPU list",
           "free, but held on a CPU's per-CPU page list (orders 0 to 3), not in the buddy lists");
    if (by == MapColour::State) {
        swatch(kFreeColour, "free", "in a free block on a buddy free list");
        swatch(kAllocatedColour, "allocated", "part of an allocated block");
        return;
    }
    ui::text_disabled("free, by order:");
    ramp(free_order_colour, "free");
    ui::text_disabled("allocated, by order:");
    ramp(allocated_order_colour, "allocated");
}

// The bands and outlines (folded away at first: the cells need the room more).
void draw_legend_extras() {
    ui::text_disabled("bands:");
    const mm::ZoneKind kinds[] = {mm::ZoneKind::DMA, mm::ZoneKind::DMA32, mm::ZoneKind::Normal,
                                  mm::ZoneKind::HighMem, mm::ZoneKind::Movable};
    for (mm::ZoneKind kind : kinds)
        swatch(zone_colour(kind), mm::zone_kind_name(kind));
    ui::text_disabled("outlines:");
    swatch(IM_COL32(255, 255, 255, 255), "selected block");
    swatch(IM_COL32(255, 220, 60, 255), "its buddy");
    swatch(IM_COL32(255, 80, 220, 255), "event's frames");
    swatch(IM_COL32(255, 191, 64, 255), "the step's frames (pulsing)");
}

// ---- Tooltip --------------------------------------------------------------------

void frame_tooltip(const mm::Machine& machine, const MapView& map, const MapArea& area, mm::Pfn pfn,
                   size_t cell) {
    const mm::FrameInfo info = machine.frame(pfn);
    ImGui::BeginTooltip();
    ImGui::PushFont(mono_font());
    ui::textf("pfn 0x%" PRIx64 "   phys 0x%" PRIx64, pfn.value(), mm::pfn_to_phys(pfn).value());
    if (area.g.frames_per_cell > 1 && cell < map.cells.size()) {
        const mm::Pfn last = std::min(pfn + area.g.frames_per_cell, machine.max_pfn()) - 1;
        ui::textf("cell: pfns 0x%" PRIx64 "-0x%" PRIx64 " (%" PRIu64 " frames), mostly %s",
                  pfn.value(), last.value(), last - pfn + 1, code_name(map.cells[cell]));
        const uint8_t key = map.cells[cell];
        if (map.colour_by == MapColour::Order && key >= mm::FRAME_FREE0)
            ui::textf("      (in %s blocks of order %u)",
                      mm::frame_code_state(key) == mm::FrameState::Allocated ? "allocated" : "free",
                      mm::frame_code_order(key));
        ui::text_disabled("first frame of the cell:");
    }
    const mm::Zone* zone = nullptr;
    if (info.node < machine.nodes().size() && info.zone < machine.nodes()[info.node].zones.size())
        zone = &machine.nodes()[info.node].zones[info.zone];
    ui::textf("node %u   zone %s", unsigned{info.node},
              info.in_zone && zone ? zone->name() : "(none)");
    switch (info.state) {
    case mm::FrameState::Hole:
        ui::text("state: hole (no RAM, or in no zone)");
        break;
    case mm::FrameState::Reserved:
        ui::textf("state: reserved (%s)", mm::reserve_kind_name(info.reserve));
        break;
    case mm::FrameState::Free:
    case mm::FrameState::PerCpu:
    case mm::FrameState::Allocated: {
        const bool free = info.state != mm::FrameState::Allocated;
        if (info.state == mm::FrameState::PerCpu)
            ui::textf("state: on CPU %u's per-CPU list, order %u", unsigned{info.cpu},
                      info.block_order);
        else
            ui::textf("state: %s, order %u", free ? "free" : "allocated", info.block_order);
        ui::textf("block: pfn 0x%" PRIx64 "-0x%" PRIx64 " (%s)", info.block_pfn.value(),
                  (info.block_pfn + (uint64_t{1} << info.block_order) - 1).value(),
                  format_pages(uint64_t{1} << info.block_order).c_str());
        if (info.block_order < mm::MAX_PAGE_ORDER)
            ui::textf("buddy: pfn 0x%" PRIx64,
                      mm::find_buddy_pfn(info.block_pfn, info.block_order).value());
        if (!free && info.alloc_id != 0 && info.alloc_id <= machine.allocations().size()) {
            const mm::Allocation& a = machine.allocations()[info.alloc_id - 1];
            ui::textf("allocation: %s", a.name.empty() ? "(no name)" : a.name.c_str());
        }
        break;
    }
    }
    ImGui::PopFont();
    ui::text_disabled("click to select, wheel to zoom, drag to scroll");
    ImGui::EndTooltip();
}

// ---- The panel ------------------------------------------------------------------

// The node band and the zone band, each this wide, left of the cells.
constexpr float kBandStrip = 6.0f;
constexpr float kBandGutter = 2.0f * kBandStrip + 6.0f;
// A press that moves the pointer less than this (pixels, summed) is a click.
constexpr float kClickSlop = 3.0f;

// The controls above the map: zoom buttons, "Whole machine", "Go to
// selection", the help markers and the legend. Returns the zoom the buttons
// ask for: +1 in, -1 out, 0.
int draw_map_controls(const PanelContext& ctx) {
    MapView& map = ctx.view.map;
    int zoom = 0;
    if (ImGui::Button(" + ")) ++zoom;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Zoom in (or the mouse wheel over the map)");
    ImGui::SameLine();
    if (ImGui::Button(" - ")) --zoom;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Zoom out");
    ImGui::SameLine();
    if (ImGui::Button("Whole machine")) {
        map.fit = true;
        map.top_pfn = 0.0;
    }
    if (ctx.view.selected_pfn) {
        same_line_if_fits(ImGui::CalcTextSize("Go to selection").x +
                          ImGui::GetStyle().FramePadding.x * 2.0f);
        if (ImGui::Button("Go to selection")) map.reveal_selection = true;
    }
    help_marker_flow(kBuddyHelp);
    // The legend is open at first, whatever the panel's height: what the
    // colours mean is the first thing the map asks; the student may fold it.
    ImGui::SetNextItemWidth(ImGui::CalcTextSize("order").x * 2.0f + ImGui::GetFrameHeight());
    if (ImGui::BeginCombo("colour by", map_colour_name(map.colour_by))) {
        for (MapColour by : kMapColours)
            if (ImGui::Selectable(map_colour_name(by), by == map.colour_by)) map.colour_by = by;
        ImGui::EndCombo();
    }
    help_marker_flow(kColourByHelp);
    if (ImGui::TreeNodeEx("Legend", ImGuiTreeNodeFlags_DefaultOpen)) {
        draw_legend(map.colour_by);
        if (ImGui::TreeNode("zone bands and outlines")) {
            draw_legend_extras();
            ImGui::TreePop();
        }
        ImGui::TreePop();
    }
    return zoom;
}

// The map area of this frame: the rest of the window, the bands on its left,
// the cells one invisible button, and what the pointer does on it.
struct CellsArea {
    ImVec2 area_pos; // top left of the area, bands included
    ImVec2 origin;   // top left of the cells
    float width = 0.0f, height = 0.0f;
    bool released = false, hovered = false, active = false, clicked = false;
};

CellsArea place_cells(MapView& map) {
    CellsArea cells;
    ImVec2 avail = ImGui::GetContentRegionAvail();
    avail.x = std::max(avail.x, 32.0f + kBandGutter);
    avail.y = std::max(avail.y, 32.0f);
    cells.area_pos = ImGui::GetCursorScreenPos();
    cells.width = avail.x - kBandGutter;
    // A line under the cells says where the view is.
    cells.height = avail.y - ImGui::GetTextLineHeightWithSpacing();
    cells.origin = ImVec2(cells.area_pos.x + kBandGutter, cells.area_pos.y);
    ImGui::SetCursorScreenPos(cells.origin);
    cells.released = ImGui::InvisibleButton("##cells", ImVec2(cells.width, cells.height));
    cells.hovered = ImGui::IsItemHovered();
    cells.active = ImGui::IsItemActive();
    cells.clicked = ImGui::IsItemClicked(ImGuiMouseButton_Left);
    map.cells_x = cells.origin.x;
    map.cells_y = cells.origin.y;
    map.cells_w = cells.width;
    map.cells_h = cells.height;
    return cells;
}

// Zooms by `step` (the buttons) or the wheel around the pointer, keeping the
// frame under the pointer (or the top row) where it was; `g` becomes the new
// level's geometry.
void apply_zoom(MapView& map, const CellsArea& cells, int step, int fit, mm::Pfn max_pfn,
                Geometry& g) {
    const ImGuiIO& io = ImGui::GetIO();
    const bool wheel = cells.hovered && io.MouseWheel != 0.0f;
    int wish = g.level + step;
    if (wheel) wish += io.MouseWheel > 0.0f ? 1 : -1;
    wish = std::clamp(wish, fit, kMaxLevel);
    if (wish == g.level) return;
    const mm::Pfn first_before = first_pfn(g, map.top_pfn);
    float anchor_y = 0.0f, anchor_x = 0.0f;
    mm::Pfn anchor_pfn = first_before;
    if (wheel) {
        anchor_y = io.MousePos.y - cells.origin.y;
        anchor_x = std::max(0.0f, io.MousePos.x - cells.origin.x);
        const uint64_t row = static_cast<uint64_t>(std::max(0.0f, anchor_y) / g.cell);
        const uint64_t column = static_cast<uint64_t>(anchor_x / g.cell);
        anchor_pfn = first_before + row * g.row_frames + column * g.frames_per_cell;
    }
    g = make_geometry(wish, cells.width, cells.height, max_pfn);
    const double rows_above =
        std::floor(static_cast<double>(anchor_y) / static_cast<double>(g.cell));
    const double columns_left =
        std::floor(static_cast<double>(anchor_x) / static_cast<double>(g.cell));
    // The frame under the pointer stays under it, give or take one row (the
    // top is a whole row).
    map.top_pfn = static_cast<double>(anchor_pfn.value()) -
                  rows_above * static_cast<double>(g.row_frames) -
                  columns_left * static_cast<double>(g.frames_per_cell) +
                  static_cast<double>(g.row_frames) - 1.0;
    map.level = wish;
    map.fit = wish == fit;
}

// Pans by dragging; counts how far a press moved, so that a short one is a
// click.
void apply_drag(MapView& map, const CellsArea& cells, const Geometry& g) {
    const ImGuiIO& io = ImGui::GetIO();
    if (cells.clicked) map.drag_distance = 0.0f;
    if (!cells.active || !ImGui::IsMouseDown(ImGuiMouseButton_Left)) return;
    map.drag_distance += std::fabs(io.MouseDelta.x) + std::fabs(io.MouseDelta.y);
    if (io.MouseDelta.y != 0.0f)
        map.top_pfn -=
            static_cast<double>(io.MouseDelta.y / g.cell) * static_cast<double>(g.row_frames);
}

// Scrolls the selection (else an event's frames) into view when another
// panel asked for it.
void reveal_selection(MapView& map, const ViewState& view, const Geometry& g) {
    if (!map.reveal_selection) return;
    map.reveal_selection = false;
    std::optional<mm::Pfn> target = view.selected_pfn;
    if (!target && view.marked) target = view.marked->pfn;
    if (!target) return;
    const mm::Pfn first = first_pfn(g, map.top_pfn);
    const mm::Pfn end = first + static_cast<uint64_t>(g.rows) * g.row_frames;
    if (*target < first || *target >= end)
        map.top_pfn = static_cast<double>(target->value()) -
                      static_cast<double>(g.rows / 3) * static_cast<double>(g.row_frames);
}

// The cells (the summary rebuilt if needed, then the platform's texture or
// rectangles), the frames' detail when zoomed in, and the bands.
void draw_map_cells(const PanelContext& ctx, Platform* platform, const CellsArea& cells,
                    const MapArea& area) {
    MapView& map = ctx.view.map;
    const Geometry& g = area.g;
    const ImVec2 origin = area.origin;
    update_summary(map, ctx.lab, g, area.first);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddRectFilled(ImVec2(origin.x - kBandGutter, origin.y),
                        ImVec2(origin.x + cells.width, origin.y + cells.height),
                        IM_COL32(12, 12, 14, 255));
    if (platform != nullptr && map.texture_stale) {
        map.texture = platform->upload_texture(map.texture, g.columns, g.rows, map.rgba.data());
        map.texture_stale = false;
    }
    if (platform != nullptr && map.texture != 0) {
        draw->AddImage(reinterpret_cast<ImTextureID>(map.texture), origin,
                       ImVec2(origin.x + static_cast<float>(g.columns) * g.cell,
                              origin.y + static_cast<float>(g.rows) * g.cell));
    } else {
        draw_cells_with_rects(draw, map, area);
    }
    draw_frame_detail(draw, ctx.lab.machine(), area, !hidden(ctx, "map.pfn"));
    draw_bands(draw, ctx.lab.machine(), area, kBandStrip);
}

// The selected block in white and its buddy in yellow, or the selected frame.
void draw_selection(ImDrawList* draw, const mm::Machine& machine, mm::Pfn selected,
                    const MapArea& area) {
    if (selected >= machine.max_pfn()) return;
    const mm::FrameInfo info = machine.frame(selected);
    if (info.state != mm::FrameState::Free && info.state != mm::FrameState::Allocated) {
        outline_frames(draw, area, selected, 1, IM_COL32(255, 255, 255, 255), 2.0f);
        return;
    }
    // The buddy, where there is one: in the same zone (a block at the end of
    // a zone or of RAM has none, as page_is_buddy() finds).
    const uint64_t size = uint64_t{1} << info.block_order;
    const mm::Pfn buddy = mm::find_buddy_pfn(info.block_pfn, info.block_order);
    const mm::FrameInfo other = buddy < machine.max_pfn() ? machine.frame(buddy) : mm::FrameInfo{};
    if (info.block_order < mm::MAX_PAGE_ORDER && other.in_zone && info.in_zone &&
        other.node == info.node && other.zone == info.zone)
        outline_frames(draw, area, buddy, size, IM_COL32(255, 220, 60, 255), 2.0f);
    outline_frames(draw, area, info.block_pfn, size, IM_COL32(255, 255, 255, 255), 2.0f);
}

// Outlines over the cells: the selection, an event's frames, and the frames
// a lesson step points at (pulsing in the colour of the panels it highlights).
void draw_marks(const ViewState& view, const mm::Machine& machine, const MapArea& area,
                const ImVec2& cells_min, const ImVec2& cells_max) {
    ImDrawList* draw = ImGui::GetWindowDrawList();
    if (view.selected_pfn) draw_selection(draw, machine, *view.selected_pfn, area);
    if (view.marked)
        outline_frames(draw, area, view.marked->pfn, uint64_t{1} << view.marked->order,
                       IM_COL32(255, 80, 220, 255), 2.0f);
    if (view.highlighted_frames && view.player.lesson >= 0) {
        const auto [lo, hi] = *view.highlighted_frames;
        if (lo <= hi) draw_step_frames(draw, area, lo, hi, cells_min, cells_max);
    }
}

// The frame under the pointer: its tooltip, and a click selects it.
void hover_and_select(const PanelContext& ctx, const CellsArea& cells, const MapArea& area) {
    MapView& map = ctx.view.map;
    const mm::Machine& machine = ctx.lab.machine();
    const Geometry& g = area.g;
    map.hovered_pfn.reset();
    if (!cells.hovered) return;
    const ImGuiIO& io = ImGui::GetIO();
    const float mx = io.MousePos.x - area.origin.x, my = io.MousePos.y - area.origin.y;
    const int column = static_cast<int>(mx / g.cell), row = static_cast<int>(my / g.cell);
    if (column < 0 || column >= g.columns || row < 0 || row >= g.rows) return;
    const mm::Pfn pfn = area.first + static_cast<uint64_t>(row) * g.row_frames +
                        static_cast<uint64_t>(column) * g.frames_per_cell;
    if (pfn >= machine.max_pfn()) return;
    map.hovered_pfn = pfn;
    if (hidden(ctx, "map.pfn")) {
        // The question asks for a pfn: the tooltip would answer it.
        if (!cells.active || map.drag_distance < kClickSlop)
            ImGui::SetTooltip("pfn %s: hidden until you answer the lesson's question",
                              kHiddenValue);
    } else if (!cells.active || map.drag_distance < kClickSlop)
        frame_tooltip(machine, map, area, pfn,
                      static_cast<size_t>(row) * static_cast<size_t>(g.columns) +
                          static_cast<size_t>(column));
    if (cells.released && map.drag_distance < kClickSlop) {
        ctx.view.selected_pfn = pfn;
        const mm::FrameInfo info = machine.frame(pfn);
        ctx.view.selected_node = info.node;
        if (info.in_zone) ctx.view.selected_zone = info.zone;
        ctx.view.marked.reset();
    }
}

// Where the view is, on the line under the map.
void draw_position(const mm::Machine& machine, const CellsArea& cells, const MapArea& area) {
    const Geometry& g = area.g;
    ImGui::SetCursorScreenPos(ImVec2(cells.area_pos.x, cells.origin.y + cells.height +
                                                           ImGui::GetStyle().ItemSpacing.y * 0.5f));
    const mm::Pfn shown_end =
        std::min(area.first + static_cast<uint64_t>(g.rows) * g.row_frames, machine.max_pfn());
    // One line (the cells leave room for one): cut with "…" in a narrow
    // panel, the whole of it in the tooltip.
    std::string position;
    if (g.frames_per_cell > 1)
        position = mm::strprintf(
            "%" PRIu64 " frames (%s) per cell; pfns 0x%" PRIx64 "-0x%" PRIx64 " of 0x%" PRIx64,
            g.frames_per_cell, format_bytes(g.frames_per_cell * mm::PAGE_SIZE).c_str(),
            area.first.value(), shown_end.value(), machine.max_pfn().value());
    else
        position = mm::strprintf("%d px per frame; pfns 0x%" PRIx64 "-0x%" PRIx64 " of 0x%" PRIx64,
                                 1 << g.level, area.first.value(), shown_end.value(),
                                 machine.max_pfn().value());
    ui::text_abbrev(position, 0.0f, ImGui::GetStyle().Colors[ImGuiCol_TextDisabled]);
}

} // namespace

void map_panel(const PanelContext& ctx, Platform* platform, bool* open) {
    MapView& map = ctx.view.map;
    if (!ImGui::Begin("Physical memory map###map", open,
                      ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse |
                          panel_window_flags(ctx.view, PanelId::Map))) {
        ImGui::End();
        return;
    }
    const mm::Machine& machine = ctx.lab.machine();
    const mm::Pfn max_pfn = std::max(machine.max_pfn(), mm::Pfn{1});
    panel_intro("Every page frame of physical memory, from pfn 0, coloured by what it is.",
                kMapHelp);
    const int zoom = draw_map_controls(ctx);
    const CellsArea cells = place_cells(map);

    const int fit = fit_level(cells.width, cells.height, max_pfn);
    if (map.fit) map.level = fit;
    Geometry g =
        make_geometry(std::clamp(map.level, fit, kMaxLevel), cells.width, cells.height, max_pfn);
    apply_zoom(map, cells, zoom, fit, max_pfn, g);
    apply_drag(map, cells, g);
    reveal_selection(map, ctx.view, g);
    const mm::Pfn first = first_pfn(g, map.top_pfn);
    map.top_pfn =
        std::clamp(map.top_pfn, 0.0, static_cast<double>(first.value() + g.row_frames - 1));
    const MapArea area{cells.origin, g, first};

    draw_map_cells(ctx, platform, cells, area);
    draw_marks(ctx.view, machine, area, cells.origin,
               ImVec2(cells.origin.x + cells.width, cells.origin.y + cells.height));
    hover_and_select(ctx, cells, area);
    draw_position(machine, cells, area);
    ImGui::End();
}

} // namespace ui
