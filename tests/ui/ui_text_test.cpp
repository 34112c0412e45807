// The clipped-text test: draws every panel of ui::App with ImGui's null
// backend at the window sizes that count (1280x800, 1366x768 and a laptop
// browser's 1366x650), in the states that make each panel show its typical
// content, and fails on any text its window cuts off: a text that does not
// fit horizontally and is neither wrapped nor abbreviated with a tooltip.
// ImGui 1.86 cannot report clipped text, so the panels draw theirs through
// ui/text.h, which records each text's rectangle and clip rectangle; and a
// window whose items reach past its right edge without a horizontal
// scrollbar (a button, a row of controls) is reported too. Where the panels
// are placed is App's business: the test reads the windows as they were drawn.
#include "tests/ui/null_backend.h"

#include "core/lab/lab.h"
#include "core/lesson/library.h"
#include "ui/app.h"
#include "ui/text.h"
#include "ui/view_state.h"

#include <gtest/gtest.h>
#include <imgui.h>
#include <imgui_internal.h>

#include <cmath>
#include <cstdio>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace {

class UiTextTest : public ::testing::TestWithParam<ImVec2> {
  protected:
    void SetUp() override {
        m_context = ui_test::create_null_context(GetParam());
        m_app = std::make_unique<ui::App>(m_lab, nullptr);
    }

    void TearDown() override {
        ui::set_text_recording(false);
        ui::text_records().clear();
        m_app.reset();
        ImGui::DestroyContext(m_context);
    }

    void frames(int count) {
        for (int i = 0; i < count; ++i) {
            ImGui::NewFrame();
            m_app->frame();
            ImGui::Render();
        }
    }

    void run(std::string_view text) { m_app->execute(text); }

    // Whether a window is part of the lab's own screen (a panel, a child of
    // one, the menu bar or the status bar) rather than a tooltip, popup or
    // menu, which size themselves to their text.
    static bool on_screen(const ImGuiWindow* window) {
        const ImGuiWindow* root = window->RootWindow;
        return (root->Flags & (ImGuiWindowFlags_Tooltip | ImGuiWindowFlags_Popup |
                               ImGuiWindowFlags_ChildMenu)) == 0 &&
               window->WasActive && !window->Hidden && !window->Collapsed;
    }

    // Draws a few frames for the layout and the scrollbars to settle, then
    // one frame recorded; each text cut off by its window, and each window
    // whose items reach past its right edge, becomes a failure naming it.
    void check(const std::string& state) {
        frames(4);
        ui::text_records().clear();
        ui::set_text_recording(true);
        frames(1);
        ui::set_text_recording(false);
        char size[32];
        std::snprintf(size, sizeof size, "%.0fx%.0f", static_cast<double>(GetParam().x),
                      static_cast<double>(GetParam().y));
        for (const ui::TextRecord& r : ui::text_records()) {
            const ImGuiWindow* window = ImGui::FindWindowByName(r.window.c_str());
            if (window == nullptr || !on_screen(window)) continue;
            if (r.fit == ui::TextFit::Abbreviated || r.scrolls_x) continue;
            // Half a pixel for rounding: text that ends on the clip edge shows.
            if (r.max.x <= r.clip_max.x + 0.5f && r.min.x >= r.clip_min.x - 0.5f) continue;
            const std::string key = r.window + "|" + r.text;
            if (!m_reported.insert(key).second) continue;
            ADD_FAILURE() << size << ", " << state << ": text cut off in " << r.window << ": \""
                          << r.text << "\" spans x " << r.min.x << ".." << r.max.x << ", its clip "
                          << r.clip_min.x << ".." << r.clip_max.x;
        }
        for (const ImGuiWindow* window : GImGui->Windows) {
            if (!on_screen(window) || window->ScrollbarX) continue;
            const float reach = window->DC.CursorMaxPos.x;
            const float edge = window->InnerClipRect.Max.x;
            if (reach <= edge + 1.0f) continue;
            if (!m_reported.insert(window->Name).second) continue;
            ADD_FAILURE() << size << ", " << state << ": items of " << window->Name << " reach x "
                          << reach << ", past its right edge " << edge;
        }
    }

    mm::Lab m_lab;
    ImGuiContext* m_context = nullptr;
    std::unique_ptr<ui::App> m_app;
    std::set<std::string> m_reported; // each cut-off text once, not once per state
};

// The machine's states, from the default boot to a failed allocation, with
// the lesson player's picker beside them.
TEST_P(UiTextTest, NoPanelCutsOffItsTextInAnyMachineState) {
    check("the default machine");
    run("alloc_pages order=3 as=buffer; alloc_pages order=0; alloc_pages order=9 as=huge");
    check("three allocations");
    m_app->view().selected_pfn = mm::Pfn{0x1234};
    m_app->view().selected_node = 0;
    m_app->view().selected_zone = 1;
    check("a selected frame");
    run("boot ram=16G nodes=4; alloc_pages order=2 as=a");
    check("an x86_64 machine of four nodes");
    run("boot ram=64G; alloc_pages order=10");
    check("a 64 GiB machine");
    run("boot arch=i386 ram=1G");
    check("i386 with HighMem");
    run("boot arch=toy ram=64K; alloc_pages order=5");
    check("the toy machine after a failed allocation");
    run("boot arch=toy ram=64K; alloc_pages order=3; alloc_pages order=2 as=a; "
        "alloc_pages order=1; alloc_pages order=0; alloc_pages order=0");
    check("a full zone, below its watermarks");
}

// Large text (View > Text size), as the platform builds the fonts for it:
// the panels still wrap or abbreviate what does not fit.
TEST_P(UiTextTest, LargeTextStillFitsInEveryPanel) {
    m_app->view().text_size = ui::TextSize::Large;
    ui::load_fonts(1.0f, ui::text_scale(ui::TextSize::Large));
    unsigned char* pixels = nullptr;
    int width = 0, height = 0;
    ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);
    frames(1);
    EXPECT_NEAR(ImGui::GetFontSize(), 18.0f, 0.01f);
    check("large text, the default machine");
    run("boot ram=16G nodes=4; alloc_pages order=2 as=a");
    check("large text, an x86_64 machine of four nodes");
    m_app->request({ui::LessonRequest::Kind::Open, 0, {}});
    frames(2);
    check("large text, a lesson's first step");
}

// Every step of every lesson, as the player shows it.
TEST_P(UiTextTest, NoPanelCutsOffItsTextInAnyLessonStep) {
    const auto& all = mm::lessons();
    for (size_t i = 0; i < all.size(); ++i) {
        m_app->request({ui::LessonRequest::Kind::Open, i, {}});
        frames(2);
        for (size_t s = 0; s < all[i].steps.size(); ++s) {
            check(all[i].id + " step " + std::to_string(s + 1));
            m_app->request({ui::LessonRequest::Kind::Next, i, {}});
            frames(2);
        }
    }
}

// ---- The helper itself --------------------------------------------------------

class AbbreviateTest : public ::testing::Test {
  protected:
    void SetUp() override {
        m_context = ui_test::create_null_context(ImVec2(800.0f, 600.0f));
        ImGui::NewFrame(); // CalcTextSize needs the frame's font
    }
    void TearDown() override {
        ImGui::EndFrame();
        ImGui::DestroyContext(m_context);
    }
    static float width(const std::string& s) { return ImGui::CalcTextSize(s.c_str()).x; }
    ImGuiContext* m_context = nullptr;
};

TEST_F(AbbreviateTest, TextThatFitsStaysWhole) {
    const std::string s = "managed 3840";
    EXPECT_EQ(ui::abbreviate(s, width(s)), s);
    EXPECT_EQ(ui::abbreviate(s, 1000.0f), s);
}

TEST_F(AbbreviateTest, TheLongestBeginningThatFitsWithTheEllipsis) {
    const std::string s = "spanned 258048 present 258048 managed 249856";
    const float room = width("spanned 258048 pre") + 0.5f;
    const std::string cut = ui::abbreviate(s, room);
    EXPECT_LE(width(cut), room);
    ASSERT_GE(cut.size(), 3u);
    EXPECT_EQ(cut.substr(cut.size() - 3), "\xe2\x80\xa6");
    const std::string kept = cut.substr(0, cut.size() - 3);
    EXPECT_EQ(s.compare(0, kept.size(), kept), 0) << cut;
    // One character more would not fit.
    EXPECT_GT(width(s.substr(0, kept.size() + 1) + "\xe2\x80\xa6"), room) << cut;
}

// What if the cut falls inside a character of several bytes (≤ is three)?
TEST_F(AbbreviateTest, NeverCutsACharacterInTwo) {
    const std::string s = "a\xe2\x89\xa4b\xe2\x89\xa4c\xe2\x89\xa4d\xe2\x89\xa4e";
    for (float room = 0.0f; room < width(s); room += 1.0f) {
        const std::string cut = ui::abbreviate(s, room);
        const std::string kept = cut.substr(0, cut.size() - 3);
        // Every kept byte sequence ends on a character boundary: the next
        // byte of `s` is not a continuation byte.
        ASSERT_LE(kept.size(), s.size());
        if (kept.size() < s.size())
            EXPECT_NE(static_cast<unsigned char>(s[kept.size()]) & 0xc0, 0x80) << room;
    }
}

INSTANTIATE_TEST_SUITE_P(WindowSizes, UiTextTest,
                         ::testing::Values(ImVec2(1280.0f, 800.0f), ImVec2(1366.0f, 768.0f),
                                           ImVec2(1366.0f, 650.0f)),
                         [](const ::testing::TestParamInfo<ImVec2>& info) {
                             return std::to_string(static_cast<int>(info.param.x)) + "x" +
                                    std::to_string(static_cast<int>(info.param.y));
                         });

} // namespace
