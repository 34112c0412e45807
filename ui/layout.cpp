// Panel placement for the wide and the narrow layout (layout.h).
#include "ui/layout.h"

#include <algorithm>
#include <cmath>

namespace ui {

Layout choose_layout(float display_w, float display_h) {
    return display_w >= kWideMinWidth && display_h >= kWideMinHeight ? Layout::Wide
                                                                      : Layout::Narrow;
}

namespace {

// The lesson player takes a column on the right (wide: the text beside the
// live panels, full height, so that a step and its question fit) or a strip
// at the bottom (narrow); every other panel keeps its place relative to the
// rest of the work area, scaled into what is left.
void make_room_for_lessons(Layout layout, std::array<PanelRect, kPanelCount>& rects, float x,
                           float y, float w, float h) {
    PanelRect& lessons = rects[static_cast<unsigned>(PanelId::Lessons)];
    if (layout == Layout::Wide) {
        const float column = std::floor(std::clamp(w * 0.3f, std::min(360.0f, w * 0.5f), 520.0f));
        const float scale = (w - column) / w;
        for (unsigned i = 0; i < kPanelCount; ++i) {
            if (i == static_cast<unsigned>(PanelId::Lessons)) continue;
            rects[i].x = x + std::floor((rects[i].x - x) * scale);
            rects[i].w = std::floor(rects[i].w * scale);
        }
        lessons = {x + w - column, y, column, h};
    } else {
        const float strip = std::floor(h * 0.38f);
        const float scale = (h - strip) / h;
        for (unsigned i = 0; i < kPanelCount; ++i) {
            if (i == static_cast<unsigned>(PanelId::Lessons)) continue;
            rects[i].y = y + std::floor((rects[i].y - y) * scale);
            rects[i].h = std::floor(rects[i].h * scale);
        }
        lessons = {x, y + h - strip, w, strip};
    }
}

} // namespace

std::array<PanelRect, kPanelCount> layout_panels(Layout layout, float x, float y, float w,
                                                 float h, bool lessons) {
    std::array<PanelRect, kPanelCount> rects{};
    PanelRect& zones = rects[static_cast<unsigned>(PanelId::Zones)];
    PanelRect& console = rects[static_cast<unsigned>(PanelId::Console)];
    w = std::max(w, 1.0f);
    h = std::max(h, 1.0f);
    PanelRect& map = rects[static_cast<unsigned>(PanelId::Map)];
    PanelRect& free_lists = rects[static_cast<unsigned>(PanelId::FreeLists)];
    PanelRect& events = rects[static_cast<unsigned>(PanelId::Events)];
    PanelRect& plots = rects[static_cast<unsigned>(PanelId::Plots)];
    if (layout == Layout::Wide) {
        // Three columns: zones over free lists, the map over the plots, the
        // console over the event log. The student reads the zone and sees the
        // frames while typing the command that changes them.
        const float first = std::floor(w * 0.36f);
        const float second = std::floor(w * 0.34f);
        const float top = std::floor(h * 0.6f);
        zones = {x, y, first, top};
        free_lists = {x, y + top, first, h - top};
        map = {x + first, y, second, top};
        plots = {x + first, y + top, second, h - top};
        console = {x + first + second, y, w - first - second, top};
        events = {x + first + second, y + top, w - first - second, h - top};
    } else {
        // Zones and map side by side, then a row of the three smaller views,
        // then the console, tall enough for several commands.
        const float half = std::floor(w * 0.5f);
        const float third = std::floor(w / 3.0f);
        const float top = std::floor(h * 0.42f);
        const float middle = std::floor(h * 0.24f);
        zones = {x, y, half, top};
        map = {x + half, y, w - half, top};
        free_lists = {x, y + top, third, middle};
        events = {x + third, y + top, third, middle};
        plots = {x + 2.0f * third, y + top, w - 2.0f * third, middle};
        console = {x, y + top + middle, w, h - top - middle};
    }
    if (lessons) {
        make_room_for_lessons(layout, rects, x, y, w, h);
    } else {
        // Closed, the player is laid out where it would open: the right column.
        rects[static_cast<unsigned>(PanelId::Lessons)] = {x + std::floor(w * 0.6f), y,
                                                          w - std::floor(w * 0.6f), h};
    }
    return rects;
}

} // namespace ui
