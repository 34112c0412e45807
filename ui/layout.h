// Where the panels go: Dear ImGui 1.86 has no docking, so the lab tiles the
// work area (between the menu bar and the status bar) itself. A split tree
// (TileTree, view_state.h) is placed every frame; the student drags the
// borders between tiles. Pure geometry, no ImGui: App draws what this
// computes, and tests/ui/layout_test.cpp checks it.
#pragma once

#include "ui/view_state.h"

#include <array>

namespace ui {

// The smallest window that gets the wide arrangement, in logical pixels.
inline constexpr float kWideMinWidth = 1280.0f;
inline constexpr float kWideMinHeight = 800.0f;

Layout choose_layout(float display_w, float display_h);

// From this width the lesson player gets a column on the right (below it, a
// strip at the bottom).
inline constexpr float kLessonColumnMinWidth = 960.0f;

// The gap between tiles, which is also the border the student drags, and
// the smallest tile: a drag stops there.
struct TileLimits {
    float gap = 6.0f;
    float min_w = 160.0f, min_h = 90.0f;
    float lessons_min_w = 280.0f; // the player's text and buttons
};

// Places `tree` in `area`: each split gives its first child `ratio` of the
// room left after the gap, clamped so that both children keep their minimum
// size while the area has room for both (else the ratio rules). Sizes are
// whole pixels.
TilePlacement place_tiles(const TileTree& tree, PanelRect area, const TileLimits& limits);

// Moves the border `splitter` (from the last placement) to `pointer`, the
// mouse's x for Columns, y for Rows: the split's ratio follows, clamped so
// that both sides keep their minimum size.
void drag_splitter(TileTree& tree, const TileSplitter& splitter, float pointer,
                   const TileLimits& limits);

// The tile tree for the open panels in `tiled` in a work area w wide (the
// tree holds ratios, so any height):
// 1. The lesson player (when tiled) takes a column on the right from
//    kLessonColumnMinWidth, else a strip at the bottom.
// 2. Default: the live panels in three columns (Wide) or stacked rows
//    (Narrow); panels not tiled leave their room to their neighbours.
// 3. Step: the console a row at the bottom as wide as the live area, which
//    is at least `console_width` where the window allows (the player's
//    column gives way down to lessons_min_w): half the height when the step
//    reads console output (StepReadsConsole), else a shorter row for typing.
//    The step's other panels side by side above it, in two rows from four on.
TileTree arrange_tiles(Arrangement arrangement, Layout layout, const PanelSet& tiled, float w,
                       float console_width, const TileLimits& limits);

} // namespace ui
