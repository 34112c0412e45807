// The one way panels draw text. Dear ImGui 1.86 cannot say whether plain text
// was cut off by its window, so every label, value and line of a panel goes
// through these functions: they draw with ImGui and, while recording is on (the
// UI tests), keep each text's rectangle and the clip rectangle it was drawn
// in, so that a test finds text that does not fit. scripts/lint-ui-text.sh
// keeps raw ImGui::Text* calls out of the other files of ui/.
#pragma once

#include <imgui.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ui {

// How a text was made to fit its room.
enum class TextFit : uint8_t {
    Line,        // one line as it is: it fits, or it is cut off
    Wrapped,     // broken into lines at the wrap width
    Abbreviated, // cut with "…"; hovering shows the whole text
};

// One text as a frame drew it, in logical pixels (screen coordinates).
struct TextRecord {
    std::string text;
    std::string window; // the ImGui window's name
    TextFit fit = TextFit::Line;
    ImVec2 min, max;           // the text's rectangle
    ImVec2 clip_min, clip_max; // what of it can show: the draw list's clip rectangle
    bool scrolls_x = false;    // the window scrolls sideways, so all of it can be reached
};

// Recording is off until a test turns it on; the records grow until cleared.
void set_text_recording(bool on);
std::vector<TextRecord>& text_records();

// One line of text in the current colour (ImGui::TextUnformatted).
void text(std::string_view s);
// printf-style, as ImGui::Text.
void textf(const char* fmt, ...) IM_FMTARGS(1);
// In the style's disabled colour, as ImGui::TextDisabled.
void text_disabled(const char* fmt, ...) IM_FMTARGS(1);
void text_colored(const ImVec4& colour, const char* fmt, ...) IM_FMTARGS(2);
// Wrapped at the window's right edge (or the wrap position pushed), as
// ImGui::TextWrapped; in `colour` for the second form.
void text_wrapped(const char* fmt, ...) IM_FMTARGS(1);
void text_wrapped_colored(const ImVec4& colour, const char* fmt, ...) IM_FMTARGS(2);
// Wrapped so that every line leaves `room` pixels free at its right end: for
// a "(?)" or a small button after it on its last line.
void text_wrapped_room(std::string_view s, float room, const ImVec4& colour = ImVec4(0, 0, 0, 0));
// After an item: `s` on the same line when it fits there, else on the next
// line, wrapped when it is wider than the panel. `colour` with alpha 0: the
// current text colour (as everywhere below).
void text_flow(std::string_view s, const ImVec4& colour = ImVec4(0, 0, 0, 0));

// Who shows the whole of an abbreviated text.
enum class WholeText : uint8_t {
    Tooltip, // text_abbrev's own tooltip
    Caller,  // the caller's tooltip (an item under the text has one already)
};
// `full` on one line when it fits in `max_width` (<= 0: the room left on the
// line), else its longest beginning that fits with "…" after it; hovering the
// cut text shows the whole of it in a tooltip.
void text_abbrev(std::string_view full, float max_width = 0.0f,
                 const ImVec4& colour = ImVec4(0, 0, 0, 0), WholeText whole = WholeText::Tooltip);
// "label value" on one line, the label dimmed; the value is abbreviated (with
// its tooltip) when the line does not fit.
void label_value(std::string_view label, std::string_view value);
// The first line inside a panel: what it is for, one short sentence, wrapped
// and dimmed; with `more`, a "(?)" after it whose tooltip says more.
void panel_intro(const char* sentence, const char* more = nullptr);

// The longest beginning of `full` that fits `max_width` with "…" after it,
// cut at a UTF-8 character boundary; `full` itself when it fits.
std::string abbreviate(std::string_view full, float max_width);

} // namespace ui
