// The "(?)" marker, the palette and label formatting shared by the panels.
#include "ui/help.h"

#include "core/base/types.h"
#include "core/mm/machine.h"
#include "ui/text.h"

#include <algorithm>
#include <cinttypes>
#include <cstdarg>
#include <cstdio>

namespace ui {

void help_marker(const char* text) {
    ui::text_disabled("(?)");
    if (ImGui::IsItemHovered()) {
        ImGui::BeginTooltip();
        ImGui::PushTextWrapPos(ImGui::GetFontSize() * 35.0f);
        ui::text(text);
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
    }
}

void help_marker_flow(const char* text) {
    same_line_if_fits(ImGui::CalcTextSize("(?)").x);
    help_marker(text);
}

float labelled_width(float field, const char* label, bool marker) {
    const ImGuiStyle& style = ImGui::GetStyle();
    float width = field + style.ItemInnerSpacing.x + ImGui::CalcTextSize(label, nullptr, true).x;
    if (marker) width += style.ItemSpacing.x + ImGui::CalcTextSize("(?)").x;
    return width;
}

void same_line_if_fits(float width) {
    const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
    const float next = ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x;
    if (next + width <= right) ImGui::SameLine();
}

const Palette& palette() {
    static const Palette colours;
    return colours;
}

ImU32 free_order_colour(unsigned order) {
    // Light yellow-green for single pages to deep teal for MAX_PAGE_ORDER
    // blocks: the eye reads "darker = bigger block = less fragmented".
    const float t = static_cast<float>(std::min(order, mm::MAX_PAGE_ORDER)) /
                    static_cast<float>(mm::MAX_PAGE_ORDER);
    const float r = 0.80f + (0.05f - 0.80f) * t;
    const float g = 0.90f + (0.55f - 0.90f) * t;
    const float b = 0.35f + (0.45f - 0.35f) * t;
    return ImGui::ColorConvertFloat4ToU32(ImVec4(r, g, b, 1.0f));
}

ImU32 frame_code_colour(uint8_t code) {
    switch (code) {
    case mm::FRAME_HOLE:
        return IM_COL32(24, 24, 28, 255);
    case mm::FRAME_RESERVED:
        return IM_COL32(120, 120, 128, 255);
    case mm::FRAME_ALLOCATED:
        return IM_COL32(80, 120, 225, 255);
    default:
        return free_order_colour(static_cast<unsigned>(code - mm::FRAME_FREE0));
    }
}

bool command_button(const std::string& command) {
    ImGui::PushFont(mono_font());
    const float padding = ImGui::GetStyle().FramePadding.x * 2.0f;
    const std::string shown = abbreviate(command, ImGui::GetContentRegionAvail().x - padding);
    // The id is the whole command, so that an abbreviated label stays one button.
    const bool clicked = ImGui::Button((shown + "###" + command).c_str());
    ImGui::PopFont();
    if (ImGui::IsItemHovered()) {
        if (shown != command)
            ImGui::SetTooltip("Runs this command in the console:\n%s", command.c_str());
        else
            ImGui::SetTooltip("Runs this command in the console.");
    }
    return clicked;
}

ImFont* mono_font() {
    // load_fonts() adds DejaVu Sans first (the default) and Mono second.
    ImFontAtlas* atlas = ImGui::GetIO().Fonts;
    return atlas->Fonts.Size > 1 ? atlas->Fonts[1] : ImGui::GetFont();
}

namespace {

struct StringInput {
    std::string* value;
    ImGuiInputTextCallback chained;
    void* chained_user_data;
};

int string_input_callback(ImGuiInputTextCallbackData* data) {
    auto* input = static_cast<StringInput*>(data->UserData);
    if (data->EventFlag == ImGuiInputTextFlags_CallbackResize) {
        // ImGui wants a bigger buffer: grow the string and hand its storage back.
        input->value->resize(static_cast<size_t>(data->BufTextLen));
        data->Buf = input->value->data();
        return 0;
    }
    if (input->chained == nullptr) return 0;
    data->UserData = input->chained_user_data;
    const int result = input->chained(data);
    data->UserData = input;
    return result;
}

} // namespace

bool input_string(const char* label, const char* hint, std::string& value,
                  ImGuiInputTextFlags flags, ImGuiInputTextCallback callback, void* user_data) {
    StringInput input{&value, callback, user_data};
    return ImGui::InputTextWithHint(label, hint, value.data(), value.capacity() + 1,
                                    flags | ImGuiInputTextFlags_CallbackResize,
                                    string_input_callback, &input);
}

std::string format_bytes(uint64_t bytes) {
    static const char* const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    unsigned unit = 0;
    uint64_t whole = bytes;
    while (whole >= 1024 && unit + 1 < sizeof(units) / sizeof(units[0])) {
        whole /= 1024;
        ++unit;
    }
    char text[32];
    const uint64_t scale = uint64_t{1} << (10 * unit);
    if (bytes % scale == 0) {
        std::snprintf(text, sizeof text, "%" PRIu64 " %s", whole, units[unit]);
    } else {
        std::snprintf(text, sizeof text, "%.1f %s",
                      static_cast<double>(bytes) / static_cast<double>(scale), units[unit]);
    }
    return text;
}

std::string format_pages(uint64_t pages) {
    char text[48];
    std::snprintf(text, sizeof text, "%" PRIu64 " pages (%s)", pages,
                  format_bytes(pages * mm::PAGE_SIZE).c_str());
    return text;
}

} // namespace ui
