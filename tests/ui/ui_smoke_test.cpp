// The UI smoke test: draws every panel of ui::App for many frames with no
// window and no renderer (ImGui's "null backend": a context, a display size, a
// built font atlas), in several machine states and window sizes, and drives
// the console with simulated keys and the controls with a simulated mouse.
// ImGui's own asserts (unbalanced Begin/End, ID stack ...) and the sanitizers
// are what most of these tests check.
#include "ui/app.h"
#include "ui/completion.h"
#include "ui/layout.h"
#include "ui/view_state.h"

#include "core/lab.h"

#include <gtest/gtest.h>
#include <imgui.h>

#include <algorithm>
#include <memory>
#include <string>
#include <string_view>

namespace {

class UiSmokeTest : public ::testing::Test {
protected:
    void SetUp() override {
        IMGUI_CHECKVERSION();
        m_context = ImGui::CreateContext();
        ImGuiIO& io = ImGui::GetIO();
        io.IniFilename = nullptr;
        io.LogFilename = nullptr;
        io.DisplaySize = ImVec2(1280.0f, 800.0f);
        io.DisplayFramebufferScale = ImVec2(1.0f, 1.0f);
        io.DeltaTime = 1.0f / 60.0f;
        // ImGui 1.86 reads keys through io.KeyMap into io.KeysDown[]: map
        // every ImGuiKey to its own index, as a backend would to its key codes.
        for (int key = 0; key < ImGuiKey_COUNT; ++key) io.KeyMap[key] = key;
        ui::load_fonts(1.0f);
        ui::apply_style(1.0f);
        unsigned char* pixels = nullptr;
        int width = 0, height = 0;
        io.Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);
        ASSERT_NE(pixels, nullptr);
        ASSERT_GT(width, 0);
        m_app = std::make_unique<ui::App>(m_lab, nullptr);
    }

    void TearDown() override {
        m_app.reset();
        ImGui::DestroyContext(m_context);
    }

    // Draws `count` frames and checks that each produced geometry.
    void frames(int count) {
        for (int i = 0; i < count; ++i) {
            ImGui::NewFrame();
            m_app->frame();
            ImGui::Render();
            const ImDrawData* draw = ImGui::GetDrawData();
            ASSERT_NE(draw, nullptr);
            ASSERT_TRUE(draw->Valid);
            ASSERT_GT(draw->TotalVtxCount, 0);
        }
    }

    // Runs command text as the JS API does, expecting every command to succeed.
    void run_ok(std::string_view text) {
        for (const mm::CommandResult& result : m_app->execute(text))
            ASSERT_TRUE(result.ok) << result.cmd << ": " << result.error;
    }

    void press(ImGuiKey key) {
        ImGuiIO& io = ImGui::GetIO();
        io.KeysDown[io.KeyMap[key]] = true;
        frames(1);
        io.KeysDown[io.KeyMap[key]] = false;
        frames(1);
    }

    void type(std::string_view text) {
        ImGuiIO& io = ImGui::GetIO();
        for (char c : text) io.AddInputCharacter(static_cast<unsigned char>(c));
        frames(1);
    }

    void click_at(float x, float y) {
        ImGuiIO& io = ImGui::GetIO();
        io.MousePos = ImVec2(x, y);
        frames(1);
        io.MouseDown[0] = true;
        frames(1);
        io.MouseDown[0] = false;
        frames(1);
    }

    // Moves the mouse over a grid covering the window, one frame per point:
    // every tooltip and hover path of the panels gets drawn.
    void hover_everywhere(int columns, int rows) {
        ImGuiIO& io = ImGui::GetIO();
        for (int row = 0; row < rows; ++row) {
            for (int column = 0; column < columns; ++column) {
                io.MousePos = ImVec2(io.DisplaySize.x * (static_cast<float>(column) + 0.5f) /
                                         static_cast<float>(columns),
                                     io.DisplaySize.y * (static_cast<float>(row) + 0.5f) /
                                         static_cast<float>(rows));
                frames(1);
            }
        }
        io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
        frames(1);
    }

    const ui::ConsoleEntry& last_command() const {
        const auto& entries = m_app->view().console.entries;
        const auto it = std::find_if(entries.rbegin(), entries.rend(), [](const auto& entry) {
            return entry.kind == ui::ConsoleEntry::Kind::Command;
        });
        EXPECT_NE(it, entries.rend());
        return *it;
    }

    bool history_has(std::string_view command) const {
        const auto& history = m_lab.history();
        return std::find(history.begin(), history.end(), command) != history.end();
    }

    mm::Lab m_lab;
    ImGuiContext* m_context = nullptr;
    std::unique_ptr<ui::App> m_app;
};

TEST_F(UiSmokeTest, DrawsTheDefaultMachineInTheWideLayout) {
    frames(120);
    EXPECT_EQ(m_app->view().layout, ui::Layout::Wide);
    // Menu bar, zones panel, console and status bar each draw.
    EXPECT_GE(ImGui::GetDrawData()->CmdListsCount, 4);
    hover_everywhere(32, 20);
}

TEST_F(UiSmokeTest, DrawsTheToyMachine) {
    run_ok("boot arch=toy ram=64K");
    frames(120);
    hover_everywhere(24, 16);
    EXPECT_EQ(m_lab.machine().params().arch, mm::Arch::toy);
}

TEST_F(UiSmokeTest, DrawsA64GiBMachine) {
    run_ok("boot ram=64G");
    frames(120);
    hover_everywhere(24, 16);
}

TEST_F(UiSmokeTest, DrawsOtherMachinesAndTheCloseUpGauge) {
    m_app->view().gauge_scale = ui::GaugeScale::Watermarks;
    run_ok("boot arch=i386 ram=1G");
    frames(30);
    run_ok("boot ram=4G nodes=2");
    frames(30);
    hover_everywhere(16, 10);
}

TEST_F(UiSmokeTest, AFailedAllocationShowsItsErrorInTheConsole) {
    run_ok("boot arch=toy ram=64K");
    // 16 frames: no order-5 block can exist.
    const std::vector<mm::CommandResult> results = m_app->execute("alloc_pages order=5");
    ASSERT_EQ(results.size(), 1u);
    EXPECT_FALSE(results[0].ok);
    frames(120);
    const ui::ConsoleEntry& entry = last_command();
    EXPECT_EQ(entry.cmd, "alloc_pages order=5");
    EXPECT_FALSE(entry.ok);
    EXPECT_FALSE(entry.error.empty());
    EXPECT_EQ(entry.source, ui::CommandSource::Api);
    hover_everywhere(16, 10);
}

TEST_F(UiSmokeTest, AFullZoneDrawsBelowItsWatermarks) {
    run_ok("boot arch=toy ram=64K; alloc_pages order=3; alloc_pages order=2 as=a");
    frames(60);
    hover_everywhere(16, 10);
    run_ok("free_pages a");
    frames(10);
}

TEST_F(UiSmokeTest, NarrowWindowGetsTheNarrowLayout) {
    ImGui::GetIO().DisplaySize = ImVec2(700.0f, 600.0f);
    frames(120);
    EXPECT_EQ(m_app->view().layout, ui::Layout::Narrow);
    hover_everywhere(16, 12);
    // And back: a resize lays the panels out again.
    ImGui::GetIO().DisplaySize = ImVec2(1600.0f, 900.0f);
    frames(5);
    EXPECT_EQ(m_app->view().layout, ui::Layout::Wide);
    // A tiny window must not break anything either.
    ImGui::GetIO().DisplaySize = ImVec2(200.0f, 150.0f);
    frames(10);
}

TEST_F(UiSmokeTest, TypingACommandAndEnterRunsIt) {
    frames(3); // the input line takes the keyboard focus
    type("alloc_pages order=3");
    EXPECT_EQ(m_app->view().console.input, "alloc_pages order=3");
    press(ImGuiKey_Enter);
    frames(2);
    EXPECT_TRUE(history_has("alloc_pages order=3"));
    const ui::ConsoleEntry& entry = last_command();
    EXPECT_EQ(entry.cmd, "alloc_pages order=3");
    EXPECT_TRUE(entry.ok) << entry.error;
    EXPECT_EQ(entry.source, ui::CommandSource::Typed);
    EXPECT_TRUE(m_app->view().console.input.empty());

    // The input line keeps the focus: a second command needs no click.
    type("cat /proc/buddyinfo");
    press(ImGuiKey_Enter);
    frames(2);
    EXPECT_EQ(last_command().cmd, "cat /proc/buddyinfo");
    EXPECT_NE(last_command().out.find("Node 0, zone"), std::string::npos);
}

TEST_F(UiSmokeTest, UpAndDownWalkTheInputHistory) {
    frames(3);
    type("alloc_pages order=1");
    press(ImGuiKey_Enter);
    type("alloc_pages order=2");
    press(ImGuiKey_Enter);
    frames(2);
    type("draft");
    press(ImGuiKey_UpArrow);
    EXPECT_EQ(m_app->view().console.input, "alloc_pages order=2");
    press(ImGuiKey_UpArrow);
    EXPECT_EQ(m_app->view().console.input, "alloc_pages order=1");
    press(ImGuiKey_DownArrow);
    EXPECT_EQ(m_app->view().console.input, "alloc_pages order=2");
    press(ImGuiKey_DownArrow); // past the newest: the line being written comes back
    EXPECT_EQ(m_app->view().console.input, "draft");
    // Enter on a recalled line runs it again.
    press(ImGuiKey_UpArrow);
    press(ImGuiKey_Enter);
    frames(2);
    const auto& history = m_lab.history();
    EXPECT_EQ(std::count(history.begin(), history.end(), "alloc_pages order=2"), 2);
}

TEST_F(UiSmokeTest, TabCompletesCommandNamesAndPaths) {
    frames(3);
    type("alloc_p");
    press(ImGuiKey_Tab);
    EXPECT_EQ(m_app->view().console.input, "alloc_pages ");
    type("gfp=GFP_ATO");
    press(ImGuiKey_Tab);
    EXPECT_EQ(m_app->view().console.input, "alloc_pages gfp=GFP_ATOMIC ");
    press(ImGuiKey_Enter);
    frames(2);
    EXPECT_EQ(last_command().cmd, "alloc_pages gfp=GFP_ATOMIC");

    type("cat /proc/buddy");
    press(ImGuiKey_Tab);
    EXPECT_EQ(m_app->view().console.input, "cat /proc/buddyinfo ");
    press(ImGuiKey_Enter);
    frames(2);
    EXPECT_TRUE(last_command().ok) << last_command().error;
}

TEST_F(UiSmokeTest, ClickingTheAllocateButtonQueuesItsCommand) {
    frames(3);
    // The button sits on the second control row of the zones panel, whose
    // top-left corner the wide layout puts under the menu bar. Click down a
    // column inside the panel until a click lands on it (the first row is a
    // label there, which ignores clicks).
    const ImGuiStyle& style = ImGui::GetStyle();
    const float x = style.WindowPadding.x + 12.0f;
    const float top = ImGui::GetFrameHeight() * 2.0f; // menu bar and title bar
    const uint32_t before = m_lab.commands_run();
    for (float y = top; y < top + ImGui::GetFrameHeightWithSpacing() * 4.0f; y += 3.0f) {
        click_at(x, y);
        if (m_lab.commands_run() != before) break;
    }
    ASSERT_NE(m_lab.commands_run(), before) << "no click reached the allocate button";
    const ui::ConsoleEntry& entry = last_command();
    EXPECT_EQ(entry.cmd, "alloc_pages order=0 gfp=GFP_KERNEL");
    EXPECT_EQ(entry.source, ui::CommandSource::Control);
    EXPECT_TRUE(history_has("alloc_pages order=0 gfp=GFP_KERNEL"));
}

TEST_F(UiSmokeTest, QueuedCommandsRunAtTheStartOfTheNextFrame) {
    m_app->queue("alloc_pages order=2 as=q");
    EXPECT_EQ(m_app->pending(), 1u);
    EXPECT_FALSE(history_has("alloc_pages order=2 as=q"));
    frames(1);
    EXPECT_EQ(m_app->pending(), 0u);
    EXPECT_TRUE(history_has("alloc_pages order=2 as=q"));
    // The free control now offers the block: draw with it present, then free it.
    frames(10);
    m_app->queue("free_pages q");
    frames(2);
    EXPECT_TRUE(last_command().ok) << last_command().error;
}

TEST_F(UiSmokeTest, AboutAndMetricsWindowsDraw) {
    m_app->view().show_about = true;
    m_app->view().show_metrics = true;
    frames(30);
    m_app->view().open[static_cast<unsigned>(ui::PanelId::Console)] = false;
    frames(10);
    m_app->view().relayout = true;
    m_app->view().open[static_cast<unsigned>(ui::PanelId::Console)] = true;
    frames(10);
}

TEST_F(UiSmokeTest, HighDpiFontsKeepLogicalSizes) {
    ui::load_fonts(2.0f);
    ui::apply_style(2.0f);
    unsigned char* pixels = nullptr;
    int width = 0, height = 0;
    ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);
    ImGui::GetIO().DisplayFramebufferScale = ImVec2(2.0f, 2.0f);
    frames(5);
    EXPECT_NEAR(ImGui::GetFontSize(), 15.0f, 0.01f); // rasterised at 30 px, drawn at 15
}

// ---- Completion (no ImGui) ------------------------------------------------------

TEST(ConsoleCompletionTest, CompletesACommandNameWithASpace) {
    const ui::Completion c = ui::complete("alloc_p", 7, {"alloc_pages", "free_pages"}, {});
    EXPECT_EQ(c.match, ui::Completion::Match::One);
    EXPECT_EQ(c.replacement, "alloc_pages ");
    EXPECT_EQ(c.word_start, 0u);
    EXPECT_EQ(c.word_end, 7u);
}

TEST(ConsoleCompletionTest, SeveralMatchesGiveTheirCommonPrefixAndTheList) {
    const ui::Completion c =
        ui::complete("kmem_cache_a", 12, {"kmem_cache_alloc", "kmem_cache_all", "kfree"}, {});
    EXPECT_EQ(c.match, ui::Completion::Match::Many);
    EXPECT_EQ(c.replacement, "kmem_cache_all");
    EXPECT_EQ(c.candidates.size(), 2u);
}

TEST(ConsoleCompletionTest, TheCommandAfterASemicolonIsAName) {
    const ui::Completion c = ui::complete("boot; und", 9, {"undo", "boot"}, {});
    EXPECT_EQ(c.replacement, "undo ");
    EXPECT_EQ(c.word_start, 6u);
}

TEST(ConsoleCompletionTest, PathsCompleteOneFolderAtATime) {
    const std::vector<std::string> paths = {"/proc/buddyinfo", "/proc/sys/vm/min_free_kbytes",
                                            "/proc/sys/vm/watermark_scale_factor"};
    ui::Completion c = ui::complete("cat /proc/s", 11, {"cat"}, paths);
    EXPECT_EQ(c.match, ui::Completion::Match::One);
    EXPECT_EQ(c.replacement, "/proc/sys/"); // a folder: no space, so Tab can go on
    c = ui::complete("cat /proc/sys/vm/", 17, {"cat"}, paths);
    EXPECT_EQ(c.match, ui::Completion::Match::Many);
    EXPECT_EQ(c.replacement, "/proc/sys/vm/");
    // What if the path is the target of a redirection with no space after '>'?
    c = ui::complete("echo 1 >/proc/b", 15, {"echo"}, paths);
    EXPECT_EQ(c.replacement, "/proc/buddyinfo ");
}

TEST(ConsoleCompletionTest, GfpFlagsCompleteAfterTheLastBar) {
    const ui::Completion c = ui::complete("alloc_pages gfp=GFP_KERNEL|__GFP_NOW", 36,
                                          {"alloc_pages"}, {});
    EXPECT_EQ(c.match, ui::Completion::Match::One);
    EXPECT_EQ(c.replacement, "gfp=GFP_KERNEL|__GFP_NOWARN ");
}

TEST(ConsoleCompletionTest, NoMatchLeavesTheWord) {
    const ui::Completion c = ui::complete("zzz", 3, {"alloc_pages"}, {});
    EXPECT_EQ(c.match, ui::Completion::Match::None);
    EXPECT_EQ(c.replacement, "zzz");
}

TEST(UiLayoutTest, WideFromTwelveEightyByEightHundred) {
    EXPECT_EQ(ui::choose_layout(1280.0f, 800.0f), ui::Layout::Wide);
    EXPECT_EQ(ui::choose_layout(1279.0f, 800.0f), ui::Layout::Narrow);
    EXPECT_EQ(ui::choose_layout(1920.0f, 700.0f), ui::Layout::Narrow);
    // Every panel lies inside the work area, in both layouts.
    for (ui::Layout layout : {ui::Layout::Wide, ui::Layout::Narrow}) {
        for (const ui::PanelRect& r : ui::layout_panels(layout, 0.0f, 20.0f, 1000.0f, 700.0f)) {
            EXPECT_GE(r.x, 0.0f);
            EXPECT_GE(r.y, 20.0f);
            EXPECT_LE(r.x + r.w, 1000.0f);
            EXPECT_LE(r.y + r.h, 720.0f);
            EXPECT_GT(r.w * r.h, 0.0f);
        }
    }
}

} // namespace
