// Where the panels go for a window size: Dear ImGui 1.86 has no docking, so
// App places each panel itself when the window size changes, and the student
// may then move, resize and collapse them.
#pragma once

#include "ui/view_state.h"

#include <array>

namespace ui {

struct PanelRect {
    float x = 0, y = 0, w = 0, h = 0;
};

// The smallest window that gets the wide layout, in logical pixels.
inline constexpr float kWideMinWidth = 1280.0f;
inline constexpr float kWideMinHeight = 800.0f;

Layout choose_layout(float display_w, float display_h);

// From this width the lesson player gets a column on the right in either
// layout (below it, a strip at the bottom).
inline constexpr float kLessonColumnMinWidth = 960.0f;

// The rectangle of every panel inside the work area (between the menu bar
// and the status bar) at (x, y) of size w x h. With `lessons` (the lesson
// panel is open) the player gets a column on the right (from
// kLessonColumnMinWidth) or a strip at the bottom; without, the other panels
// share the whole area.
std::array<PanelRect, kPanelCount> layout_panels(Layout layout, float x, float y, float w, float h,
                                                 bool lessons = true);

} // namespace ui
