// Small helpers every panel shares: the "(?)" marker that explains a kernel
// term in place (imgui_demo.cpp's HelpMarker), the lab's colours, the
// monospace font, and number formatting for labels.
#pragma once

#include <imgui.h>

#include <cstdint>
#include <string>

namespace ui {

// Draws "(?)" on the current line; hovering it shows `text` wrapped in a
// tooltip. Call after ImGui::SameLine() to put it next to a label.
void help_marker(const char* text);
// The same after an item: on its line when the marker fits there, else on
// the next line (a marker past the panel's edge cannot be hovered).
void help_marker_flow(const char* text);

// Rows of controls that wrap in a narrow panel: the width a labelled widget
// takes (its field, the inner spacing, its label; a "(?)" after it with
// `marker`), and SameLine() only when that much still fits on the current
// line, so that the next control starts a new line instead of leaving the
// panel's right edge.
float labelled_width(float field, const char* label, bool marker = false);
void same_line_if_fits(float width);

// Colours shared by the panels, so that "free" or "error" look the same in
// every one of them.
struct Palette {
    ImVec4 error{1.00f, 0.42f, 0.42f, 1.0f}; // failed commands, below min
    ImVec4 ok{0.45f, 0.85f, 0.50f, 1.0f};
    ImVec4 prompt{0.55f, 0.75f, 1.00f, 1.0f}; // "$ command" in the console
    ImVec4 note{0.75f, 0.75f, 0.60f, 1.0f};   // the console's own notes
    ImVec4 dim{0.60f, 0.60f, 0.65f, 1.0f};
    ImVec4 free{0.30f, 0.70f, 0.40f, 1.0f}; // free pages above high
    ImVec4 below_high{0.85f, 0.80f, 0.30f, 1.0f};
    ImVec4 below_low{0.95f, 0.55f, 0.20f, 1.0f};
    ImVec4 below_min{0.90f, 0.25f, 0.25f, 1.0f};
    ImVec4 allocated{0.35f, 0.50f, 0.85f, 1.0f};
    ImVec4 reserved{0.50f, 0.50f, 0.50f, 1.0f};
    ImVec4 gauge_back{0.16f, 0.17f, 0.20f, 1.0f};
    ImVec4 mark_min{0.95f, 0.35f, 0.35f, 1.0f};
    ImVec4 mark_low{1.00f, 0.65f, 0.25f, 1.0f};
    ImVec4 mark_high{0.95f, 0.90f, 0.45f, 1.0f};
    ImVec4 link{0.45f, 0.80f, 0.95f, 1.0f}; // a pfn in console output: click selects it
};
const Palette& palette();

// The monospace font (DejaVu Sans Mono) once load_fonts() ran, else the
// default font. For console text, command text and /proc-like tables.
ImFont* mono_font();

// ImGui::InputTextWithHint on a std::string that grows as the student types
// (the resize callback of imgui_stdlib, which the imgui target does not
// build). `callback` gets every other event `flags` asks for; its
// UserData is `user_data`. Returns what InputText returns.
bool input_string(const char* label, const char* hint, std::string& value,
                  ImGuiInputTextFlags flags = 0, ImGuiInputTextCallback callback = nullptr,
                  void* user_data = nullptr);

// What the physical map colours frames by: their state (hole, reserved,
// free in a buddy block, on a per-CPU list, allocated), or the order of the
// block they belong to (free blocks on one ramp, allocated ones on another).
// Later issues add migratetype and owner.
enum class MapColour : uint8_t { State, Order };
inline constexpr MapColour kMapColours[] = {MapColour::State, MapColour::Order};
const char* map_colour_name(MapColour by); // "state", "order"

// The colour of a mm::FrameCode as the physical map draws it when colouring
// `by`, so that the free lists, the legend and the map agree. RGBA as ImU32.
ImU32 frame_code_colour(uint8_t code, MapColour by = MapColour::Order);
// The code that stands for `code` when colouring `by` (every free code is one
// state, for instance): a map cell shows the commonest of these among its frames.
uint8_t frame_code_key(uint8_t code, MapColour by);
// The same for a free block of `order`, and for an allocated one.
ImU32 free_order_colour(unsigned order);
ImU32 allocated_order_colour(unsigned order);
// The colours of the states, as the state colouring and the legends show them.
inline constexpr ImU32 kHoleColour = IM_COL32(24, 24, 28, 255);
inline constexpr ImU32 kReservedColour = IM_COL32(120, 120, 128, 255);
inline constexpr ImU32 kAllocatedColour = IM_COL32(80, 120, 225, 255);
inline constexpr ImU32 kFreeColour = IM_COL32(116, 170, 60, 255);
inline constexpr ImU32 kPerCpuColour = IM_COL32(170, 240, 240, 255);

// A button whose label is the command it runs, in the console's font
// (every button shows its console command); a command wider than the panel
// is abbreviated with "…" and its tooltip shows the whole of it. True when
// clicked.
bool command_button(const std::string& command);

// "4 KiB", "1.5 MiB", "64 GiB": bytes for a label.
std::string format_bytes(uint64_t bytes);
// Pages for a label with their size: "3977 pages (15.5 MiB)".
std::string format_pages(uint64_t pages);

} // namespace ui
