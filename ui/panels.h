// The panels' entry points and what a panel may touch. One panel per file
// (DESIGN.md rule 6): console_panel.cpp, zones_panel.cpp, status_bar.cpp.
// App sets the next window's position and size (layout.cpp) and then calls the
// panel, which draws one ImGui window.
#pragma once

#include "ui/view_state.h"

#include "core/lab.h"

#include <string>

namespace ui {

class App;

// A panel reads the lab (const), keeps its view state in `view`, and changes
// the machine only by queueing command text.
class PanelContext {
public:
    PanelContext(const mm::Lab& the_lab, ViewState& the_view, App& app)
        : lab(the_lab), view(the_view), m_app(app) {}

    const mm::Lab& lab;
    ViewState& view;

    // Queues command text to run at the start of the next frame; the console
    // shows it with its output (App::queue).
    void queue(std::string text, CommandSource source = CommandSource::Control) const;

private:
    App& m_app;
};

// The console: scrollback, input line with history and completion.
void console_panel(const PanelContext& ctx, bool* open);

// Nodes and zones: spans, page counts, watermark gauges, lowmem_reserve, the
// buddyinfo table and the allocate/free controls.
void zones_panel(const PanelContext& ctx, bool* open);

// The bar at the bottom of the window: what the machine is. Drawn at
// (x, y) with width `width`; returns nothing, never moves.
void status_bar(const PanelContext& ctx, float x, float y, float width, float height);

} // namespace ui
