// Panel placement for the wide and the narrow layout (layout.h).
#include "ui/layout.h"

#include <algorithm>
#include <cmath>

namespace ui {

Layout choose_layout(float display_w, float display_h) {
    return display_w >= kWideMinWidth && display_h >= kWideMinHeight ? Layout::Wide
                                                                      : Layout::Narrow;
}

std::array<PanelRect, kPanelCount> layout_panels(Layout layout, float x, float y, float w,
                                                 float h) {
    std::array<PanelRect, kPanelCount> rects{};
    PanelRect& zones = rects[static_cast<unsigned>(PanelId::Zones)];
    PanelRect& console = rects[static_cast<unsigned>(PanelId::Console)];
    w = std::max(w, 1.0f);
    h = std::max(h, 1.0f);
    if (layout == Layout::Wide) {
        // Views of the machine on the left, the console on the right: the
        // student reads the zone while typing the command that changes it.
        const float left = std::floor(w * 0.58f);
        zones = {x, y, left, h};
        console = {x + left, y, w - left, h};
    } else {
        // Stacked, the console below and tall enough for several commands.
        const float top = std::floor(h * 0.55f);
        zones = {x, y, w, top};
        console = {x, y + top, w, h - top};
    }
    return rects;
}

} // namespace ui
