// Everything the UI remembers between frames that is not the machine: what is
// selected, what the console shows, which panels are open, how they are laid
// out. One struct (DESIGN.md rule 6, Tracy's ViewData): the machine itself is
// read from mm::Lab every frame and never copied here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ui {

// The panels App lays out. Issue 4's panels (physical map, free lists, event
// log, plots) are added here and in layout.cpp.
enum class PanelId : uint8_t { Zones, Console, Count };
inline constexpr unsigned kPanelCount = static_cast<unsigned>(PanelId::Count);

// Wide: 1280x800 logical pixels or more, panels side by side. Narrow: stacked.
enum class Layout : uint8_t { Wide, Narrow };

// Where a command shown in the console came from.
enum class CommandSource : uint8_t { Typed, Control, Api };

// One line of the console's scrollback.
struct ConsoleEntry {
    enum class Kind : uint8_t {
        Command, // a command with its out text or its error
        Note,    // the console's own text: welcome, completion candidates
    };
    Kind kind = Kind::Command;
    CommandSource source = CommandSource::Typed;
    std::string cmd;   // Command: the command; Note: the text
    bool ok = true;
    std::string out;   // ends with '\n' when not empty
    std::string error; // one line when !ok
    uint32_t number = 0; // Lab::commands_run() after it ran (from 1)
};

struct ConsoleState {
    static constexpr size_t kMaxEntries = 2000;
    static constexpr size_t kMaxInputHistory = 1000;

    std::vector<ConsoleEntry> entries;
    std::string input;                      // the input line being edited
    // Every command text run through the App (typed, clicked, API), oldest
    // first, without consecutive repeats: what Up and Down walk.
    std::vector<std::string> input_history;
    int history_pos = -1;                   // -1: editing a new line
    std::string saved_input;                // the new line while walking history
    bool autoscroll = true;
    bool scroll_to_bottom = false;
    bool focus_input = true;                // give the input line keyboard focus
};

// How the zones panel draws each zone's free-pages gauge.
enum class GaugeScale : uint8_t {
    Managed,    // 0 .. managed_pages: the whole zone
    Watermarks, // 0 .. 2 x high: close up, where min/low/high can be told apart
};

// The allocate/free control row of the zones panel (what it will queue).
struct AllocControls {
    int order = 0;
    int gfp = 0;          // index into the panel's list of GFP masks
    std::string name;     // as=NAME when not empty
    int free_choice = -1; // index into Machine::allocations(), -1: the newest live block
};

struct ViewState {
    // Selection (shared by every panel: a block picked in one shows in all).
    std::optional<uint64_t> selected_pfn;
    std::optional<unsigned> selected_node;
    std::optional<unsigned> selected_zone; // zone_idx within selected_node

    // Panels.
    bool open[kPanelCount] = {true, true};
    bool show_about = false;
    bool show_metrics = false; // ImGui's own metrics window, for debugging the UI

    // Layout: applied when `relayout` is set (first frame, a new window size,
    // View > Reset layout), after which the student may move, resize and
    // collapse every panel.
    Layout layout = Layout::Wide;
    bool relayout = true;
    float display_w = 0.0f, display_h = 0.0f; // the size the layout was made for

    // Zoom of the views of the machine (the physical map of issue 4).
    float zoom = 1.0f;

    ConsoleState console;
    GaugeScale gauge_scale = GaugeScale::Managed;
    AllocControls alloc;

    // The last frame's UI time, for the status bar.
    float frame_ms = 0.0f;
};

} // namespace ui
