// ImGui with no window and no renderer (its null backend), as the UI tests
// draw the panels: a context of the given display size at pixel ratio 1, the
// lab's fonts and style, keyboard navigation on as the page has it, and
// io.KeyMap mapping every ImGuiKey to its own index (ImGui 1.86 reads keys
// through io.KeyMap into io.KeysDown[], as a backend maps its key codes).
#pragma once

#include "ui/app.h"

#include <imgui.h>

namespace ui_test {

inline ImGuiContext* create_null_context(ImVec2 display_size) {
    IMGUI_CHECKVERSION();
    ImGuiContext* context = ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr; // nothing written where the test runs
    io.LogFilename = nullptr;
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
    io.DisplaySize = display_size;
    io.DisplayFramebufferScale = ImVec2(1.0f, 1.0f);
    io.DeltaTime = 1.0f / 60.0f;
    for (int key = 0; key < ImGuiKey_COUNT; ++key)
        io.KeyMap[key] = key;
    ui::load_fonts(1.0f);
    ui::apply_style(1.0f);
    unsigned char* pixels = nullptr;
    int width = 0, height = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &width, &height); // builds the font atlas
    return context;
}

} // namespace ui_test
