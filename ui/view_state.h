// Everything the UI remembers between frames that is not the machine: what is
// selected, what the console shows, which panels are open, how they are laid
// out. One struct (as Tracy's ViewData): the machine itself is
// read from mm::Lab every frame and never copied here.
#pragma once

#include "core/mm/machine.h"
#include "core/mm/vmstat.h"
#include "ui/help.h" // MapColour

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ui {

// The panels App lays out (layout.cpp places them).
enum class PanelId : uint8_t {
    Zones,
    Console,
    Map,       // map_panel.cpp: the physical memory map
    FreeLists, // free_lists_panel.cpp: each order's free list
    Events,    // events_panel.cpp: the event log
    Plots,     // plots_panel.cpp: free pages, nr_free and unusable index over time
    Lessons,   // lesson_panel.cpp: the lesson picker and player
    Count
};
inline constexpr unsigned kPanelCount = static_cast<unsigned>(PanelId::Count);

// Wide: 1280x800 logical pixels or more, panels side by side. Narrow: stacked.
enum class Layout : uint8_t { Wide, Narrow };

// The size of the UI's text (View > Text size); the platform builds the
// fonts at it (text_scale() in app.h).
enum class TextSize : uint8_t { Small, Normal, Large };

// A set of panels, indexed by PanelId.
using PanelSet = std::array<bool, kPanelCount>;

// A rectangle in logical pixels.
struct PanelRect {
    float x = 0, y = 0, w = 0, h = 0;
};

// How a split node of the tile tree divides its rectangle: Columns side by
// side (a vertical border), Rows one above the other (a horizontal border).
enum class Split : uint8_t { Columns, Rows };

// One node of the tile tree: a leaf holds a panel, a split two children, the
// first of which gets `ratio` of the room left after the border.
struct TileNode {
    int first = -1, second = -1; // node indices; -1 for a leaf
    Split split = Split::Columns;
    float ratio = 0.5f;
    PanelId panel = PanelId::Count;
    bool leaf() const { return first < 0; }
};

// The tiles of the work area as a binary split tree (ImGui 1.86 has no
// docking): placed again every frame (layout.h, place_tiles).
struct TileTree {
    std::vector<TileNode> nodes;
    int root = -1; // -1: no tiles

    // Add a node and return its index. add_split with a missing child (-1)
    // adds nothing and returns the other child: so an arrangement drops the
    // panels it does not tile and the others take their room.
    int add_leaf(PanelId panel);
    int add_split(Split split, float ratio, int first, int second);
};

// A border between two tiles that the student drags: split node `node`,
// whose rectangle is `area`; `bar` is the gap between its children.
struct TileSplitter {
    int node = -1;
    Split split = Split::Columns;
    PanelRect area, bar;
};

// Where the tree puts the panels: the rectangle of each tiled panel and the
// borders between them.
struct TilePlacement {
    std::array<std::optional<PanelRect>, kPanelCount> panels;
    std::vector<TileSplitter> splitters;
};

// What a tile tree is arranged for (layout.h, arrange_tiles).
enum class Arrangement : uint8_t {
    Default,          // no lesson step layout: every open panel, as the lab always showed them
    Step,             // a lesson step's panels, and a console row to type in
    StepReadsConsole, // the same, the step names the console: a tall, wide console
};

// Where a panel is drawn while open: in its tile, as a strip (a thin bar
// with its name that opens it: a lesson step's layout collapses the panels
// it does not name), or floating in a window of its own.
enum class PanelPlace : uint8_t { Tile, Strip, Float };

// Where a command shown in the console came from.
enum class CommandSource : uint8_t { Typed, Control, Api };

// A pfn in a command's output text that the console draws as a link: the
// bytes [begin, end) of ConsoleEntry::out, a value the command's structured
// result (CommandResult::data) names as a pfn.
struct PfnLink {
    uint32_t begin = 0, end = 0;
    mm::Pfn pfn;
};

// A control and where it was drawn in the last frame, in logical pixels, so
// that tests can find and click it.
struct ControlRect {
    std::string name;
    float x = 0, y = 0, w = 0, h = 0;
};

// How the console draws a command's output: Columns keeps every line as it
// is (tables, /proc files: a line wider than the console scrolls sideways);
// Prose wraps its lines at the console's width (`help`), tables within it
// keep their columns.
enum class OutputForm : uint8_t { Columns, Prose };

// One line of the console's scrollback.
struct ConsoleEntry {
    enum class Kind : uint8_t {
        Command, // a command with its out text or its error
        Note,    // the console's own text: welcome, completion candidates
    };
    Kind kind = Kind::Command;
    CommandSource source = CommandSource::Typed;
    std::string cmd; // Command: the command; Note: the text
    bool ok = true;
    std::string out;            // ends with '\n' when not empty
    std::string error;          // one line when !ok
    uint32_t number = 0;        // Lab::commands_run() after it ran (from 1)
    std::vector<PfnLink> links; // in `out`, in order (find_pfn_links)
    OutputForm form = OutputForm::Columns;
};

struct ConsoleState {
    static constexpr size_t kMaxEntries = 2000;
    static constexpr size_t kMaxInputHistory = 1000;

    std::vector<ConsoleEntry> entries;
    std::string input; // the input line being edited
    // Every command text run through the App (typed, clicked, API), oldest
    // first, without consecutive repeats: what Up and Down walk.
    std::vector<std::string> input_history;
    int history_pos = -1;    // -1: editing a new line
    std::string saved_input; // the new line while walking history
    bool autoscroll = true;
    bool scroll_to_bottom = false;
    bool focus_input = true; // give the input line keyboard focus
    // The pfn links drawn in the last frame, named "pfn:0x...", for tests.
    std::vector<ControlRect> drawn_links;
    // What the last frame showed, for tests (mmlab.layout()): the
    // scrollback's visible rectangle (less its scrollbars), its sideways
    // scroll and how far it could scroll, and the rectangle of each of the
    // last kDrawnEntries entries as drawn (oldest first; its widest line).
    static constexpr size_t kDrawnEntries = 16;
    PanelRect visible;
    float scroll_x = 0.0f, scroll_max_x = 0.0f;
    std::vector<PanelRect> drawn_entries;
    // The reader buttons drawn in the last frame, named "reader:N" (N: the
    // entry's number), for tests.
    std::vector<ControlRect> reader_buttons;
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

// The boot control row of the zones panel (what `boot ...` it will queue).
// They follow the machine: when it is booted anew (by any command, a lesson's
// setup or an undo), the row shows its parameters again.
struct BootControls {
    int arch = 0;           // index into the panel's list of architectures
    std::string ram = "1G"; // as `boot ram=` takes it
    int nodes = 1;
    std::string movablecore = "0"; // as `boot movablecore=` takes it
    // What of the event log the row has followed: the last seq read, and
    // EventLog::rewinds() then (~0: never, so the first frame follows); and
    // the machine it showed last, so that a rewind that brings back the same
    // machine (a prediction's answer worked out and taken back) keeps the
    // student's choices.
    uint64_t seen_seq = 0;
    uint64_t seen_rewinds = ~uint64_t{0};
    std::optional<mm::BootParams> shown;
};

// A run of frames another panel points at (the frames an event touched):
// the map outlines it.
struct FrameRange {
    mm::Pfn pfn;
    unsigned order = 0;
};

// The physical map (map_panel.cpp): zoom, scroll, and the per-cell summary
// it draws, rebuilt only when the machine or the view changes.
struct MapView {
    // Zoom as log2 of logical pixels per frame: 0 is one pixel per frame, 5 is
    // 32, -6 is 64 frames a pixel. `fit` picks the level that shows the whole
    // machine.
    int level = 0;
    bool fit = true;
    double top_pfn = 0.0;               // the first frame of the top row
    bool reveal_selection = false;      // scroll the selection into view (set by other panels)
    std::optional<mm::Pfn> hovered_pfn; // for tests and the status bar
    float drag_distance = 0.0f;         // how far the mouse moved since the press (click or pan)
    float cells_x = 0, cells_y = 0, cells_w = 0, cells_h = 0; // where the cells were last drawn
    // What the cells' colours say: the frame's state, or its block's order.
    MapColour colour_by = MapColour::Order;

    // The cache: one byte per cell (the commonest frame_code_key() of its
    // frames' mm::FrameCodes for colour_by), and its RGBA picture for the texture.
    uint64_t cache_generation = ~uint64_t{0};
    mm::Pfn cache_first_pfn, cache_max_pfn;
    uint64_t cache_frames_per_cell = 0;
    int cache_columns = 0, cache_rows = 0;
    MapColour cache_colour_by = MapColour::Order;
    std::vector<uint8_t> cells;
    std::vector<uint32_t> rgba;
    std::vector<uint8_t> codes; // scratch for Machine::frame_codes
    uintptr_t texture = 0;      // from Platform::upload_texture, 0 when none
    bool texture_stale = true;
    unsigned rebuilds = 0; // how often the summary was rebuilt (tests)
};

// The free lists panel (free_lists_panel.cpp): how many blocks of a list it
// shows, and the blocks the latest command touched, for a brief highlight.
struct FreeListView {
    int max_entries = 8;
    uint64_t seen_seq = 0;    // EventLog::last_seq() the highlight was built for
    double changed_at = -1e9; // ImGui::GetTime() of that change
    struct Touched {
        mm::Pfn pfn;
        uint8_t order;
        uint8_t type; // mm::EventType
    };
    std::vector<Touched> touched; // at most a few hundred
};

// The event log panel (events_panel.cpp): the filter and the seqs it matches,
// recomputed only when the log or the filter changes.
struct EventsView {
    uint32_t type_mask = ~uint32_t{0}; // bit per mm::EventType
    std::string text;                  // case-insensitive substring of the line
    bool autoscroll = true;
    std::optional<uint64_t> selected_seq;
    uint64_t cache_last_seq = ~uint64_t{0};
    uint32_t cache_mask = 0;
    std::string cache_text;
    std::vector<uint64_t> matches; // seqs, oldest first
};

// The plots panel (plots_panel.cpp): one sample per change of
// Lab::generation() seen by a frame, the newest kPlotHistory kept.
struct ZoneSample {
    uint8_t node = 0, zone = 0;
    float free = 0, min = 0, low = 0, high = 0;
    mm::FreeCounts nr_free{}; // free_area[order].nr_free
};
struct PlotSample {
    uint64_t generation = 0;
    std::vector<ZoneSample> zones;
};
struct PlotsView {
    static constexpr size_t kPlotHistory = 300;
    std::vector<PlotSample> samples; // oldest first
    uint64_t sampled_generation = ~uint64_t{0};
    int zone = 0;           // index into the populated zones, node by node
    int unusable_order = 4; // the order of the unusable free space index
};

// A move the lesson player asks of App (PanelContext::request), made at the
// start of the next frame in order with the queued commands: the moves of
// mm::LessonSession on the open lesson, or opening one.
struct LessonRequest {
    enum class Kind : uint8_t {
        Open,          // open lesson `lesson` at `step`, else at its current step (reach_step)
        Close,         // back to the picker
        Next,          // LessonSession::next; past the last step, the lesson's summary
        Previous,      // LessonSession::previous
        Restart,       // LessonSession::restart_step
        Hint,          // LessonSession::show_hint
        ShowSolution,  // LessonSession::show_solution ("Show me")
        Answer,        // LessonSession::answer(answer)
        ResetProgress, // every session's records cleared (Help > Reset progress)
        SetStudent,    // the student's id is `answer` (App::set_student); then open `lesson`
    };
    Kind kind = Kind::Close;
    size_t lesson = 0;               // Open: a lesson index (App::lesson_count())
    std::string answer;              // Answer: the choice or number
    std::optional<size_t> step = {}; // Open: the step to reach (0-based)
};

// The lesson player (lesson_panel.cpp): which lesson it shows and what it
// drew. What the student did is not view state: App keeps one
// mm::LessonSession per lesson, which holds the steps' records.
struct LessonPlayerState {
    int lesson = -1; // the open lesson (App::lesson_count() counts them); -1: the picker
    // The open lesson and LessonSession::starts() that the highlights below
    // (ViewState::highlighted...) were set for: App sets them again when a
    // step starts.
    int highlighted_lesson = -1;
    uint64_t highlighted_start = 0;
    std::string number_input; // the number being typed, for a question without choices
    // A lesson that draws its numbers per student (core/lesson/variant.h),
    // asked for while no student id is known: the panel asks for the id
    // (typed into `student_input`) before it opens; -1: none asked for.
    int ask_student = -1;
    std::string student_input;
    // The panel's controls, rebuilt every frame: mmlab.lesson().controls, so
    // that browser tests click them. "pick:ID", "next", "back", "restart",
    // "undo", "hint", "show_me", "choice:N", "number", "answer", "picker",
    // "submit", "student", "student_start".
    std::vector<ControlRect> controls;
};

// What a menu item asks of the platform (web/ handles it after the frame):
// share links, state files, the first-visit tour, lesson files and links, and
// submissions live in the page, not in ui/. The values are web/api.js's.
enum class PlatformRequest : uint8_t {
    None,
    ShareLink,
    DownloadState,
    LoadState,
    Tour,
    OpenLessonFile, // a lesson from a file (an outside lesson, App::add_outside_lesson)
    CopyLessonLink, // a link carrying the open outside lesson's text
    Submit,         // the open lesson's submission file, for grading
};

struct ViewState {
    // Selection (shared by every panel: a block picked in one shows in all).
    std::optional<mm::Pfn> selected_pfn;
    std::optional<unsigned> selected_node;
    std::optional<unsigned> selected_zone; // zone_idx within selected_node

    // Panels.
    bool open[kPanelCount] = {true, true, true, true, true, true, true};
    bool show_about = false;
    bool show_metrics = false; // ImGui's own metrics window, for debugging the UI
    TextSize text_size = TextSize::Normal;
    bool confirm_reset_progress = false; // Help > Reset progress asks before it clears
    // Embedded in a course page (the page's #embed=1, set_embedded): no menu
    // bar and no status bar, and only the panels in `embed_panels` (when
    // set) ever open, a lesson step's included.
    bool embedded = false;
    std::optional<PanelSet> embed_panels;

    // Layout (app.cpp with layout.h): the tile tree and where each panel is,
    // made again (`rebuild`) on the first frame, a new window size, a lesson
    // step that starts, a panel that opens, closes, floats or docks, and
    // View > Reset layout; the student's drags change the tree's ratios.
    Layout layout = Layout::Wide;
    bool rebuild_tiles = true;
    float display_w = 0.0f, display_h = 0.0f; // the size the layout was made for
    TileTree tiles;
    PanelPlace place[kPanelCount] = {};
    // The open lesson step's panels (LessonStep::panels) with the player and
    // the console, and the strips the student opened since; nullopt: no step
    // layout, every panel tiles.
    std::optional<PanelSet> step_room;
    Arrangement arrangement = Arrangement::Default;
    PanelSet just_floated{};         // floated this frame: placed once, then the student's
    PanelSet tiled_open{};           // the open tiled panels the tree was made for
    int dragging_splitter = -1;      // the split node whose border is being dragged
    TilePlacement placement;         // the last frame's, for tests (mmlab.layout())
    std::vector<ControlRect> strips; // the strips drawn in the last frame: "strip:NAME"
    // The panels' title-bar buttons drawn in the last frame: "float:NAME", "dock:NAME".
    std::vector<ControlRect> panel_buttons;

    ConsoleState console;
    GaugeScale gauge_scale = GaugeScale::Managed;
    AllocControls alloc;
    BootControls boot;
    std::optional<FrameRange> marked; // frames an event touched, outlined on the map
    MapView map;
    FreeListView free_lists;
    EventsView events;
    PlotsView plots;

    // The lesson player, and what the current step highlights: panels get a
    // coloured frame (App draws it), the map marks the pfns [first, last].
    LessonPlayerState player;
    bool highlighted[kPanelCount] = {};
    std::optional<std::pair<mm::Pfn, mm::Pfn>> highlighted_frames;

    PlatformRequest platform_request = PlatformRequest::None;
    // The platform's items of the Machine menu where the last frame drew them
    // (while the menu is open): "share_link", "download_state",
    // "load_state"; the Help menu's title, "help", and its "tour" item (while
    // it is open); mmlab.stats().menuControls, for browser tests.
    std::vector<ControlRect> menu_controls;

    // The last frame's UI time, for the status bar.
    float frame_ms = 0.0f;
};

} // namespace ui
