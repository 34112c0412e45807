// The panels' text (ui/text.h): ImGui's text calls, each followed by a record
// of where the text went while a test records.
#include "ui/text.h"

#include "ui/help.h"

#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>

namespace ui {

namespace {

bool g_recording = false;

std::vector<TextRecord>& records() {
    static std::vector<TextRecord> all;
    return all;
}

// Records the item ImGui just drew (its rectangle is the text's, as TextEx
// computed it, wrapped or not) with the clip rectangle it was drawn in.
void record(std::string_view s, TextFit fit) {
    if (!g_recording) return;
    const ImGuiWindow* window = ImGui::GetCurrentWindow();
    if (window->SkipItems) return;
    TextRecord r;
    r.text = std::string(s);
    r.window = window->Name;
    r.fit = fit;
    r.min = ImGui::GetItemRectMin();
    r.max = ImGui::GetItemRectMax();
    r.clip_min = window->DrawList->GetClipRectMin();
    r.clip_max = window->DrawList->GetClipRectMax();
    r.scrolls_x = window->ScrollbarX;
    records().push_back(std::move(r));
}

// printf into a string (ImGui's own formatting does the same into a buffer
// of the context; a string keeps the text for the record).
std::string vformat(const char* fmt, va_list args) {
    va_list copy;
    va_copy(copy, args);
    const int n = std::vsnprintf(nullptr, 0, fmt, copy);
    va_end(copy);
    if (n <= 0) return {};
    std::string s(static_cast<size_t>(n), '\0');
    std::vsnprintf(s.data(), s.size() + 1, fmt, args);
    return s;
}

void draw_line(std::string_view s) {
    ImGui::TextUnformatted(s.data(), s.data() + s.size());
    // Inside PushTextWrapPos (tooltips, the lesson's prose) ImGui wraps it.
    record(s, ImGui::GetCurrentWindow()->DC.TextWrapPos >= 0.0f ? TextFit::Wrapped : TextFit::Line);
}

void draw_wrapped(std::string_view s) {
    // As ImGui::TextWrapped: wrap at the window's edge unless a wrap
    // position was pushed.
    const bool push = ImGui::GetCurrentWindow()->DC.TextWrapPos < 0.0f;
    if (push) ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(s.data(), s.data() + s.size());
    if (push) ImGui::PopTextWrapPos();
    record(s, TextFit::Wrapped);
}

// The length of the UTF-8 character that starts with byte `c`.
size_t utf8_length(unsigned char c) {
    if (c < 0x80) return 1;
    if ((c & 0xe0) == 0xc0) return 2;
    if ((c & 0xf0) == 0xe0) return 3;
    return 4;
}

} // namespace

void set_text_recording(bool on) {
    g_recording = on;
}
std::vector<TextRecord>& text_records() {
    return records();
}

void text(std::string_view s) {
    draw_line(s);
}

void textf(const char* fmt, ...) {
    va_list args;
    va_start(args, fmt);
    const std::string s = vformat(fmt, args);
    va_end(args);
    draw_line(s);
}

void text_disabled(const char* fmt, ...) {
    va_list args;
    va_start(args, fmt);
    const std::string s = vformat(fmt, args);
    va_end(args);
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyle().Colors[ImGuiCol_TextDisabled]);
    draw_line(s);
    ImGui::PopStyleColor();
}

void text_colored(const ImVec4& colour, const char* fmt, ...) {
    va_list args;
    va_start(args, fmt);
    const std::string s = vformat(fmt, args);
    va_end(args);
    ImGui::PushStyleColor(ImGuiCol_Text, colour);
    draw_line(s);
    ImGui::PopStyleColor();
}

void text_wrapped(const char* fmt, ...) {
    va_list args;
    va_start(args, fmt);
    const std::string s = vformat(fmt, args);
    va_end(args);
    draw_wrapped(s);
}

void text_wrapped_colored(const ImVec4& colour, const char* fmt, ...) {
    va_list args;
    va_start(args, fmt);
    const std::string s = vformat(fmt, args);
    va_end(args);
    ImGui::PushStyleColor(ImGuiCol_Text, colour);
    draw_wrapped(s);
    ImGui::PopStyleColor();
}

std::string abbreviate(std::string_view full, float max_width) {
    if (ImGui::CalcTextSize(full.data(), full.data() + full.size()).x <= max_width)
        return std::string(full);
    static constexpr std::string_view kEllipsis = "\xe2\x80\xa6"; // U+2026
    // The byte length of the first k characters for every k, then a binary
    // search for the largest k that fits with the ellipsis (width grows with k).
    std::vector<size_t> ends{0};
    for (size_t i = 0; i < full.size();) {
        i = std::min(full.size(), i + utf8_length(static_cast<unsigned char>(full[i])));
        ends.push_back(i);
    }
    auto fits = [&](size_t count) {
        std::string s(full.substr(0, ends[count]));
        s += kEllipsis;
        return ImGui::CalcTextSize(s.c_str()).x <= max_width;
    };
    size_t lo = 0, hi = ends.size() - 1; // none of it (just the ellipsis) at worst
    while (lo < hi) {
        const size_t mid = (lo + hi + 1) / 2;
        if (fits(mid))
            lo = mid;
        else
            hi = mid - 1;
    }
    std::string out(full.substr(0, ends[lo]));
    // Trailing spaces before the ellipsis read as a gap, not as a cut.
    while (!out.empty() && out.back() == ' ')
        out.pop_back();
    out += kEllipsis;
    return out;
}

void text_wrapped_room(std::string_view s, float room, const ImVec4& colour) {
    if (colour.w > 0.0f) ImGui::PushStyleColor(ImGuiCol_Text, colour);
    // Window-local, as PushTextWrapPos takes it; at least a few characters
    // wide, so that a very narrow panel still breaks words apart rather than
    // drawing one per line.
    const float right = ImGui::GetContentRegionMax().x - room;
    const float at = ImGui::GetCursorPos().x;
    ImGui::PushTextWrapPos(std::max(right, at + ImGui::GetFontSize() * 4.0f));
    draw_line(s);
    ImGui::PopTextWrapPos();
    if (colour.w > 0.0f) ImGui::PopStyleColor();
}

void text_flow(std::string_view s, const ImVec4& colour) {
    const float width = ImGui::CalcTextSize(s.data(), s.data() + s.size()).x;
    same_line_if_fits(width);
    if (colour.w > 0.0f) ImGui::PushStyleColor(ImGuiCol_Text, colour);
    if (width <= ImGui::GetContentRegionAvail().x)
        draw_line(s);
    else
        draw_wrapped(s);
    if (colour.w > 0.0f) ImGui::PopStyleColor();
}

void text_abbrev(std::string_view full, float max_width, const ImVec4& colour, WholeText whole) {
    if (max_width <= 0.0f) max_width = ImGui::GetContentRegionAvail().x;
    const std::string shown = abbreviate(full, max_width);
    const bool cut = shown.size() != full.size() || shown != full;
    if (colour.w > 0.0f) ImGui::PushStyleColor(ImGuiCol_Text, colour);
    ImGui::TextUnformatted(shown.data(), shown.data() + shown.size());
    if (colour.w > 0.0f) ImGui::PopStyleColor();
    record(full, cut ? TextFit::Abbreviated : TextFit::Line);
    if (cut && whole == WholeText::Tooltip && ImGui::IsItemHovered()) {
        ImGui::BeginTooltip();
        ImGui::PushTextWrapPos(ImGui::GetFontSize() * 35.0f);
        draw_wrapped(full);
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
    }
}

void label_value(std::string_view label, std::string_view value) {
    ImGui::PushStyleColor(ImGuiCol_Text, palette().dim);
    draw_line(label);
    ImGui::PopStyleColor();
    ImGui::SameLine();
    text_abbrev(value);
}

void panel_intro(const char* sentence, const char* more) {
    // Room for the marker at the end of the last line.
    const float marker =
        more != nullptr ? ImGui::CalcTextSize("(?)").x + ImGui::GetStyle().ItemSpacing.x : 0.0f;
    text_wrapped_room(sentence, marker, palette().dim);
    if (more != nullptr) {
        ImGui::SameLine();
        help_marker(more);
    }
}

} // namespace ui
