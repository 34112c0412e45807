// The ImGui side of the tiled layout (the geometry is layout.h): which panel
// is where, the borders the student drags, the strips of collapsed panels,
// and the button that floats a panel out of its tile or docks it back.
#pragma once

#include "ui/layout.h"
#include "ui/view_state.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ui {

// A panel's names: its ImGui window ("Title###id"), the title alone, and
// its name in a lesson's `panels:` ("console", "free_lists").
const char* panel_window_name(PanelId id);
const char* panel_title(PanelId id);
const char* panel_lesson_name(PanelId id);
std::optional<PanelId> panel_named(std::string_view lesson_name);

// The widest console line that must fit without scrolling sideways:
// /proc/buddyinfo on the largest machine the lessons boot is 99 characters
// (11 orders of "%7lu", the zone name and a trailing space); zoneinfo's
// lines are shorter. pagetypeinfo's 121 may scroll.
inline constexpr int kConsoleColumns = 99;

// The layout for a lesson step that names `panels` (LessonStep::panels):
// those and the player get the room, the others collapse to strips; none,
// or no step, the default layout. Floating panels are docked back.
void apply_step_layout(ViewState& view, const std::vector<std::string>* panels);

// Embeds the lab in a course page (ViewState::embedded): no menu bar or
// status bar; with `panels` (lesson names, comma-separated: "map,console")
// only those panels open, now and when a lesson step names others. Empty
// `panels`: every panel stays. Returns nullopt, or the one-line reason the
// list is refused (an unknown name); then nothing changed.
std::optional<std::string> set_embedded(ViewState& view, std::string_view panels);

// Opens a strip: the panel gets a tile beside the step's until the next step
// or View > Reset layout.
void open_strip(ViewState& view, PanelId id);

// Once a frame before the panels: makes the tile tree again when asked to
// or when a panel opened or closed, places it in the work area (less a row
// of strips at the bottom when there are any), and draws the borders and
// the strips behind the panels. The borders are items of a window behind
// every tile, in the gaps between them: a press there is theirs, and no
// panel under the pointer (the map's pan) sees the drag.
void tile_work_area(ViewState& view, PanelRect work);

// The ImGui window flags of a panel (for its ImGui::Begin): a tile cannot be
// moved, resized or collapsed by its own frame (its borders do that), and
// does not come to the front over floating panels.
int panel_window_flags(const ViewState& view, PanelId id);

// Sets the next window's position and size for panel `id` (its tile, or its
// first place when it was just floated). False when the panel is not to be
// drawn as a window this frame (closed, or a strip).
bool place_panel(ViewState& view, PanelId id);

// After the panel's window ended: the "float" / "dock" button in its title
// bar.
void draw_float_button(ViewState& view, PanelId id);

} // namespace ui
