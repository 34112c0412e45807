// The lab's look: the embedded DejaVu fonts and the ImGui style
// (ui::load_fonts and ui::apply_style of app.h).
#include "ui/app.h"
#include "ui/fonts.h"
#include "ui/help.h"

#include <imgui.h>

#include <cstdio>

namespace ui {

namespace {

// Font sizes in logical pixels.
constexpr float kSansSize = 15.0f;
constexpr float kMonoSize = 14.0f;

// Latin, and the punctuation, arrows, maths and box-drawing signs that
// help text and tables use (≤ ≥ → … ─ █ ▏). Static: the atlas keeps the pointer.
// The embedded fonts hold exactly these ranges (scripts/subset-fonts.py reads
// this list): a range added here needs the fonts made again.
const ImWchar kGlyphRanges[] = {
    0x0020, 0x00FF, // Basic Latin, Latin-1 Supplement
    0x0100, 0x017F, // Latin Extended-A
    0x2010, 0x205E, // General Punctuation
    0x2190, 0x21FF, // Arrows
    0x2200, 0x22FF, // Mathematical Operators
    0x2500, 0x25FF, // Box Drawing, Block Elements, Geometric Shapes
    0,
};

ImFont* add_embedded_font(const unsigned char* data, unsigned int size, float pixels,
                          const char* name) {
    ImFontConfig config;
    config.FontDataOwnedByAtlas = false; // static data: the atlas must not free it
    config.OversampleH = 2;
    config.OversampleV = 1;
    config.PixelSnapH = true;
    std::snprintf(config.Name, sizeof config.Name, "%s, %.0fpx", name, static_cast<double>(pixels));
    // AddFontFromMemoryTTF takes void*; with FontDataOwnedByAtlas false it
    // only reads the data.
    return ImGui::GetIO().Fonts->AddFontFromMemoryTTF(
        const_cast<unsigned char*>(data), static_cast<int>(size), pixels, &config, kGlyphRanges);
}

} // namespace

float text_scale(TextSize size) {
    // About two pixels either way of the 15 px sans: small fits more of a
    // table in a panel, large reads from further away (a projector).
    switch (size) {
    case TextSize::Small:
        return 13.0f / kSansSize;
    case TextSize::Normal:
        break;
    case TextSize::Large:
        return 18.0f / kSansSize;
    }
    return 1.0f;
}

void load_fonts(float pixel_scale, float text_scale) {
    if (!(pixel_scale > 0.0f)) pixel_scale = 1.0f;
    if (!(text_scale > 0.0f)) text_scale = 1.0f;
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    // Rasterise at device pixels so that text is sharp on high-DPI screens,
    // and scale back to logical pixels: ImGui's coordinates stay logical.
    const float scale = pixel_scale * text_scale;
    add_embedded_font(embedded::dejavu_sans, embedded::dejavu_sans_size, kSansSize * scale,
                      "DejaVu Sans");
    add_embedded_font(embedded::dejavu_sans_mono, embedded::dejavu_sans_mono_size,
                      kMonoSize * scale, "DejaVu Sans Mono");
    io.FontGlobalScale = 1.0f / pixel_scale;
}

void apply_style(float pixel_scale) {
    if (!(pixel_scale > 0.0f)) pixel_scale = 1.0f;
    ImGuiStyle style; // start from the defaults, so that calling twice is harmless
    ImGui::StyleColorsDark(&style);
    style.WindowRounding = 4.0f;
    style.ChildRounding = 3.0f;
    style.FrameRounding = 3.0f;
    style.PopupRounding = 3.0f;
    style.GrabRounding = 3.0f;
    style.ScrollbarRounding = 6.0f;
    style.TabRounding = 3.0f;
    style.WindowPadding = ImVec2(8.0f, 6.0f);
    style.FramePadding = ImVec2(6.0f, 3.0f);
    style.ItemSpacing = ImVec2(8.0f, 5.0f);
    style.WindowTitleAlign = ImVec2(0.0f, 0.5f);
    style.Colors[ImGuiCol_WindowBg] = ImVec4(0.09f, 0.10f, 0.12f, 0.97f);
    style.Colors[ImGuiCol_TitleBgActive] = ImVec4(0.18f, 0.30f, 0.48f, 1.0f);
    style.Colors[ImGuiCol_TableRowBgAlt] = ImVec4(1.0f, 1.0f, 1.0f, 0.04f);
    // Sizes stay in logical pixels (load_fonts scales the fonts back with
    // FontGlobalScale). On dense screens a logical pixel covers several
    // device pixels, so curves are tessellated more finely.
    style.CurveTessellationTol = 1.25f / pixel_scale;
    ImGui::GetStyle() = style;
}

} // namespace ui
