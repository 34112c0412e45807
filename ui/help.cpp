// The "(?)" marker, the palette and label formatting shared by the panels.
#include "ui/help.h"

#include "core/base/types.h"
#include "core/mm/machine.h"
#include "ui/text.h"

#include <algorithm>
#include <cinttypes>
#include <cstdarg>
#include <cstdio>
#include <iterator>

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
    // A sequential ramp with one clear step per order: equal steps in CIELAB
    // from L* 32, a* -35, b* 30 (dark green, single pages) to L* 93, a* -12,
    // b* 80 (yellow, MAX_PAGE_ORDER blocks), converted to sRGB. Lightness
    // rises by about 6 L* an order, so "lighter = bigger block" reads even in
    // grey; the strong yellow (b*) keeps every order away from the grey of
    // reserved frames and the blue of allocated ones for deuteranopes and
    // protanopes, whose colour vision keeps the blue-yellow axis
    // (tests/ui/ui_palette_test.cpp checks both).
    static constexpr ImU32 kRamp[] = {
        IM_COL32(19, 87, 23, 255),   IM_COL32(48, 102, 27, 255),  IM_COL32(71, 116, 31, 255),
        IM_COL32(94, 131, 35, 255),  IM_COL32(116, 146, 39, 255), IM_COL32(139, 161, 43, 255),
        IM_COL32(162, 176, 48, 255), IM_COL32(185, 191, 52, 255), IM_COL32(208, 207, 56, 255),
        IM_COL32(231, 222, 60, 255), IM_COL32(255, 238, 65, 255),
    };
    static_assert(std::size(kRamp) == mm::NR_PAGE_ORDERS);
    return kRamp[std::min(order, mm::MAX_PAGE_ORDER)];
}

ImU32 allocated_order_colour(unsigned order) {
    // A blue ramp: equal steps in CIELAB from L* 18 to L* 80 (6.2 an order)
    // at a* 10, b* -35, converted to sRGB. The blue keeps it away from the
    // free ramp's greens and yellows on the blue-yellow axis that
    // deuteranopes and protanopes keep, and lighter is larger here too
    // (tests/ui/ui_palette_test.cpp checks both).
    static constexpr ImU32 kRamp[] = {
        IM_COL32(1, 42, 95, 255),     IM_COL32(27, 56, 110, 255),   IM_COL32(45, 70, 126, 255),
        IM_COL32(62, 84, 142, 255),   IM_COL32(79, 99, 159, 255),   IM_COL32(96, 114, 176, 255),
        IM_COL32(112, 130, 193, 255), IM_COL32(129, 146, 210, 255), IM_COL32(146, 162, 228, 255),
        IM_COL32(163, 178, 245, 255), IM_COL32(180, 195, 255, 255),
    };
    static_assert(std::size(kRamp) == mm::NR_PAGE_ORDERS);
    return kRamp[std::min(order, mm::MAX_PAGE_ORDER)];
}

const char* map_colour_name(MapColour by) {
    return by == MapColour::State ? "state" : "order";
}

uint8_t frame_code_key(uint8_t code, MapColour by) {
    if (by == MapColour::Order) return code;
    switch (mm::frame_code_state(code)) {
    case mm::FrameState::Hole:
        return mm::FRAME_HOLE;
    case mm::FrameState::Reserved:
        return mm::FRAME_RESERVED;
    case mm::FrameState::Allocated:
        return mm::FRAME_ALLOC0;
    default:
        return mm::frame_code_on_pcp(code) ? mm::FRAME_PCP0 : mm::FRAME_FREE0;
    }
}

ImU32 frame_code_colour(uint8_t code, MapColour by) {
    const unsigned order = mm::frame_code_order(code);
    switch (mm::frame_code_state(code)) {
    case mm::FrameState::Hole:
        return kHoleColour;
    case mm::FrameState::Reserved:
        return kReservedColour;
    case mm::FrameState::Allocated:
        return by == MapColour::State ? kAllocatedColour : allocated_order_colour(order);
    default:
        // A per-CPU list's block keeps its own colour in both colourings: it
        // is neither in the buddy lists nor allocated, whatever its order.
        if (mm::frame_code_on_pcp(code)) return kPerCpuColour;
        return by == MapColour::State ? kFreeColour : free_order_colour(order);
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
