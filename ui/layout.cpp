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

PanelRect& at(std::array<PanelRect, kPanelCount>& rects, PanelId id) {
    return rects[static_cast<unsigned>(id)];
}

// Every panel but the lesson player, in the area (x, y, w, h).
void lay_out_live_panels(Layout layout, std::array<PanelRect, kPanelCount>& rects, float x, float y,
                         float w, float h) {
    PanelRect& zones = at(rects, PanelId::Zones);
    PanelRect& map = at(rects, PanelId::Map);
    PanelRect& free_lists = at(rects, PanelId::FreeLists);
    PanelRect& events = at(rects, PanelId::Events);
    PanelRect& plots = at(rects, PanelId::Plots);
    PanelRect& console = at(rects, PanelId::Console);
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
}

// The lesson player's column on the right: about 30% of the width.
float lesson_column(float w) {
    return std::floor(std::clamp(w * 0.3f, std::min(360.0f, w * 0.5f), 520.0f));
}

} // namespace

std::array<PanelRect, kPanelCount> layout_panels(Layout layout, float x, float y, float w, float h,
                                                 bool lessons) {
    std::array<PanelRect, kPanelCount> rects{};
    w = std::max(w, 1.0f);
    h = std::max(h, 1.0f);
    PanelRect& player = at(rects, PanelId::Lessons);
    if (!lessons) {
        // Closed, the player is laid out where it would open: the right column.
        lay_out_live_panels(layout, rects, x, y, w, h);
        player = {x + w - lesson_column(w), y, lesson_column(w), h};
    } else if (w >= kLessonColumnMinWidth) {
        // The lesson text beside the live panels, full height, so that a step
        // and its question fit; the live panels share the rest.
        const float column = lesson_column(w);
        lay_out_live_panels(layout, rects, x, y, w - column, h);
        player = {x + w - column, y, column, h};
    } else {
        // Too narrow for a column: a strip at the bottom.
        const float strip = std::floor(h * 0.38f);
        lay_out_live_panels(layout, rects, x, y, w, h - strip);
        player = {x, y + h - strip, w, strip};
    }
    return rects;
}

} // namespace ui
