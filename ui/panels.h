// The panels' entry points and what a panel may touch. One panel per file
// (as Tracy's TracyView_*.cpp): console_panel.cpp, zones_panel.cpp, status_bar.cpp.
// App sets the next window's position and size (tiles.h) and then calls the
// panel, which draws one ImGui window with panel_window_flags().
#pragma once

#include "core/lab/lab.h"
#include "core/lesson/session.h"
#include "ui/platform.h"
#include "ui/tiles.h" // panel_window_flags: every panel passes its own to ImGui::Begin
#include "ui/view_state.h"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace ui {

class App;
struct OutsideLesson;

// A panel reads the lab (const), keeps its view state in `view`, and changes
// the machine only by queueing command text, or lesson moves that run theirs.
class PanelContext {
  public:
    PanelContext(const mm::Lab& the_lab, ViewState& the_view, App& app)
        : lab(the_lab), view(the_view), m_app(app) {}

    const mm::Lab& lab;
    ViewState& view;

    // Queues command text to run at the start of the next frame; the console
    // shows it with its output (App::queue).
    void queue(std::string text, CommandSource source = CommandSource::Control) const;
    // The lesson sessions (App::sessions), to read what the student did.
    const std::vector<mm::LessonSession>& sessions() const;
    // Every lesson's session, the outside lessons' too (App::session), and
    // the outside lesson at a lesson index or null (App::outside).
    size_t lesson_count() const;
    const mm::LessonSession& session(size_t index) const;
    const OutsideLesson* outside(size_t index) const;
    // Queues a lesson move, made at the start of the next frame (App::request).
    void request(LessonRequest request) const;
    // The platform (App::platform): null in the null backend's tests.
    Platform* platform() const;

  private:
    App& m_app;
};

// Whether a panel shows `what` (one of mm::hide_names(): "zones.free",
// "free_lists", "map.pfn" ...) as "?": the open lesson's current step asks a
// question with `hide: what` that is not answered yet (lesson_panel.cpp).
// The console never hides anything: a learner always has the text form.
bool hidden(const PanelContext& ctx, std::string_view what);
inline constexpr const char* kHiddenValue = "?";
// `value`, or "?" while hidden(ctx, what).
std::string unless_hidden(const PanelContext& ctx, std::string_view what, std::string value);

// The console: scrollback, input line with history and completion.
void console_panel(const PanelContext& ctx, bool* open);

// The pfns of a command's output that the console draws as links: each
// 0x... number of `out` whose value `data` (CommandResult::data) names as a
// pfn, in a "pfn" or "*_pfn" field or a "pfns" list (an "end_pfn" is one
// past the last frame, as the kernel's zone_end_pfn(), so end_pfn - 1), at
// any depth. Other hex numbers (a gfp mask, an address) stay text.
std::vector<PfnLink> find_pfn_links(std::string_view out, const nlohmann::ordered_json& data);

// How the console draws the output of command `cmd` (the command's text):
// `help` is prose, everything else keeps its columns.
OutputForm output_form(std::string_view cmd);

// Nodes and zones: spans, page counts, watermark gauges, lowmem_reserve, the
// buddyinfo table and the allocate/free controls.
void zones_panel(const PanelContext& ctx, bool* open);

// The physical memory map: every page frame coloured by state, with zone and
// node bands; hover, select, zoom and pan. Draws through the platform's
// textures when there is a platform, else with rectangles (bounded).
void map_panel(const PanelContext& ctx, Platform* platform, bool* open);

// Each zone's free lists, head first, with nr_free; the blocks the latest
// command split, merged or moved are highlighted briefly.
void free_lists_panel(const PanelContext& ctx, bool* open);

// The event log, filtered by type and text; a click selects the event's frames.
void events_panel(const PanelContext& ctx, bool* open);

// Free pages against the watermarks, nr_free per order and the unusable free
// space index over time. Call every frame, open or not: it samples the machine
// (one sample per change of Lab::generation()) and draws only when *open.
void plots_panel(const PanelContext& ctx, bool* open);

// The lesson player: the picker of the embedded lessons (core/lesson/library.h)
// and the open lesson's current step: prose, task or prediction, next/back,
// restart, undo. It draws what the lesson's session (mm::LessonSession)
// holds and asks App for the session's moves (LessonRequest); App sets the
// step's highlights. Its view state is view.player. Handles the player's keys
// (PageDown/PageUp, '/' for the console).
void lesson_panel(const PanelContext& ctx, bool* open);

// The bar at the bottom of the window: what the machine is. Drawn at
// (x, y) with width `width`; returns nothing, never moves.
void status_bar(const PanelContext& ctx, float x, float y, float width, float height);

} // namespace ui
