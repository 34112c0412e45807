// The UI smoke test: draws every panel of ui::App for many frames with no
// window and no renderer (ImGui's "null backend": a context, a display size, a
// built font atlas), in several machine states and window sizes, and drives
// the console with simulated keys and the controls with a simulated mouse.
// Besides ImGui's own asserts (unbalanced Begin/End, ID stack ...) and the
// sanitizers, each test checks what it is named for, often in the text the
// frames drew (read back from the glyph quads of the draw lists).
#include "tests/ui/null_backend.h"

#include "core/base/text.h"
#include "core/lab/lab.h"
#include "core/lab/state.h"
#include "core/lesson/library.h"
#include "core/lesson/session.h"
#include "core/lesson/variant.h"
#include "ui/app.h"
#include "ui/completion.h"
#include "ui/layout.h"
#include "ui/panels.h"
#include "ui/tiles.h"
#include "ui/view_state.h"

#include <gtest/gtest.h>
#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace {

// The rectangle of a top-level window drawn in the last frame, by its name
// ("Title###id"); an empty rectangle when it is not drawn.
ImRect window_rect(const char* name) {
    const ImGuiWindow* window = ImGui::FindWindowByName(name);
    if (window == nullptr || !window->WasActive) return ImRect();
    return window->Rect();
}

void append_utf8(std::string& out, unsigned c) {
    if (c < 0x80) {
        out += static_cast<char>(c);
    } else if (c < 0x800) {
        out += static_cast<char>(0xc0 | (c >> 6));
        out += static_cast<char>(0x80 | (c & 0x3f));
    } else {
        out += static_cast<char>(0xe0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (c & 0x3f));
    }
}

// The text the last frame drew, as a reader of the screen sees it: every
// glyph quad of every draw list (recognised by its texture coordinates in
// the font atlas), in drawing order; a gap wider than the glyph's advance
// reads as one space, a jump back or to another line as a newline. Text
// clipped away is not there.
std::string drawn_text() {
    auto key = [](float u, float v) {
        uint32_t a, b;
        std::memcpy(&a, &u, 4);
        std::memcpy(&b, &v, 4);
        return (uint64_t{a} << 32) | b;
    };
    std::unordered_map<uint64_t, const ImFontGlyph*> glyphs;
    for (const ImFont* font : ImGui::GetIO().Fonts->Fonts)
        for (const ImFontGlyph& g : font->Glyphs)
            if (g.Visible) glyphs.emplace(key(g.U0, g.V0), &g);
    std::string text;
    const ImDrawData* data = ImGui::GetDrawData();
    for (int l = 0; l < data->CmdListsCount; ++l) {
        const ImVector<ImDrawVert>& vtx = data->CmdLists[l]->VtxBuffer;
        float line_y = -1e9f, next_x = -1e9f;
        for (int i = 0; i + 3 < vtx.Size; ++i) {
            const auto it = glyphs.find(key(vtx[i].uv.x, vtx[i].uv.y));
            if (it == glyphs.end()) continue;
            const ImFontGlyph& g = *it->second;
            if (vtx[i + 2].uv.x != g.U1 || vtx[i + 2].uv.y != g.V1) continue;
            const float scale =
                g.X1 > g.X0 ? (vtx[i + 2].pos.x - vtx[i].pos.x) / (g.X1 - g.X0) : 1.0f;
            const float pen_x = vtx[i].pos.x - g.X0 * scale;
            const float pen_y = vtx[i].pos.y - g.Y0 * scale;
            if (std::fabs(pen_y - line_y) > 1.0f || pen_x < next_x - 1.0f)
                text += '\n';
            else if (pen_x > next_x + 1.0f)
                text += ' ';
            append_utf8(text, g.Codepoint);
            line_y = pen_y;
            next_x = pen_x + g.AdvanceX * scale;
            i += 3;
        }
        text += '\n';
    }
    return text;
}

class UiSmokeTest : public ::testing::Test {
  protected:
    void SetUp() override {
        m_context = ui_test::create_null_context(ImVec2(1280.0f, 800.0f));
        ASSERT_NE(ImGui::GetIO().Fonts->TexPixelsRGBA32, nullptr);
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
            if (m_record_text) m_seen_text += drawn_text();
        }
    }

    // Whether any frame drawn while recording showed `text`.
    bool seen(std::string_view text) const { return m_seen_text.find(text) != std::string::npos; }
    void record_text(bool on) {
        m_record_text = on;
        m_seen_text.clear();
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
        for (char c : text)
            io.AddInputCharacter(static_cast<unsigned char>(c));
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

    // Moves the mouse down the middle of a window, a few pixels a frame: every
    // row's tooltip gets drawn.
    void hover_down(const char* window) {
        const ImRect r = window_rect(window);
        ASSERT_GT(r.GetArea(), 0.0f) << window;
        ImGuiIO& io = ImGui::GetIO();
        for (float y = r.Min.y + 2.0f; y < r.Max.y - 2.0f; y += 4.0f) {
            io.MousePos = ImVec2((r.Min.x + r.Max.x) * 0.5f, y);
            frames(1);
        }
        io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
        frames(1);
    }

    // hover_down at every scroll position of a window, a few wheel notches
    // apart, then back to the top: rows below the panel's fold get hovered too.
    void hover_down_scrolling(const char* window) {
        const ImRect r = window_rect(window);
        ASSERT_GT(r.GetArea(), 0.0f) << window;
        ImGuiIO& io = ImGui::GetIO();
        for (int step = 0; step < 8; ++step) {
            hover_down(window);
            io.MousePos = ImVec2(r.Max.x - 4.0f, (r.Min.y + r.Max.y) * 0.5f);
            io.MouseWheel = -3.0f;
            frames(1);
            io.MouseWheel = 0.0f;
        }
        io.MousePos = ImVec2(r.Max.x - 4.0f, (r.Min.y + r.Max.y) * 0.5f);
        io.MouseWheel = 40.0f;
        frames(1);
        io.MouseWheel = 0.0f;
        io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
        frames(1);
    }

    // Scrolls a window from top to bottom with the mouse wheel, drawing each
    // position, then back to the top.
    void scroll_through(const char* window) {
        const ImRect r = window_rect(window);
        ASSERT_GT(r.GetArea(), 0.0f) << window;
        ImGuiIO& io = ImGui::GetIO();
        io.MousePos = ImVec2(r.Max.x - 4.0f, (r.Min.y + r.Max.y) * 0.5f);
        for (int i = 0; i < 40; ++i) {
            io.MouseWheel = -1.0f;
            frames(1);
        }
        io.MouseWheel = 40.0f;
        frames(1);
        io.MouseWheel = 0.0f;
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
        return std::any_of(history.begin(), history.end(),
                           [&](const mm::HistoryEntry& e) { return e.text == command; });
    }

    mm::Lab m_lab;
    bool m_record_text = false;
    std::string m_seen_text;
    ImGuiContext* m_context = nullptr;
    std::unique_ptr<ui::App> m_app;
};

// The default machine (x86_64, 1G): DMA with 3840 managed pages (the first
// 1 MiB reserved) and DMA32 with 249856 (less the kernel image and memmap),
// all free, each with its gauge.
TEST_F(UiSmokeTest, DrawsTheDefaultMachineInTheWideLayout) {
    record_text(true);
    frames(120);
    EXPECT_EQ(m_app->view().layout, ui::Layout::Wide);
    // Menu bar, zones panel, console and status bar each draw.
    EXPECT_GE(ImGui::GetDrawData()->CmdListsCount, 4);
    scroll_through("Zones and watermarks###zones");
    EXPECT_TRUE(seen("Node 0, zone DMA32")) << m_seen_text;
    EXPECT_TRUE(seen("free 3840 / 3840 managed")) << m_seen_text;
    EXPECT_TRUE(seen("free 249856 / 249856 managed")) << m_seen_text;
    EXPECT_TRUE(seen("free 253696 of 253696 managed pages")) << "the status bar's total";
    hover_everywhere(32, 20);
}

TEST_F(UiSmokeTest, DrawsTheToyMachine) {
    run_ok("boot arch=toy ram=64K");
    record_text(true);
    frames(120);
    hover_everywhere(24, 16);
    scroll_through("Zones and watermarks###zones");
    EXPECT_TRUE(seen("Node 0, zone Normal")) << m_seen_text;
    EXPECT_TRUE(seen("free 16 / 16 managed")) << m_seen_text; // 64K of 4K frames
    EXPECT_FALSE(seen("zone DMA")) << "the toy has one zone";
}

// 64G: RAM below 4 GiB ends at 3 GiB, so Normal holds 61G from 4 GiB
// (15990784 frames) less its 1G of memmap (2 MiB of struct page for each of
// the 512 sections with RAM).
TEST_F(UiSmokeTest, DrawsA64GiBMachine) {
    run_ok("boot ram=64G");
    frames(120);
    hover_everywhere(24, 16);
    record_text(true);
    scroll_through("Zones and watermarks###zones");
    EXPECT_TRUE(seen("free 15728640 / 15728640 managed")) << m_seen_text;
}

// i386 has HighMem; the close-up gauge says so in its label.
TEST_F(UiSmokeTest, DrawsOtherMachinesAndTheCloseUpGauge) {
    m_app->view().gauge_scale = ui::GaugeScale::Watermarks;
    run_ok("boot arch=i386 ram=1G");
    record_text(true);
    frames(30);
    scroll_through("Zones and watermarks###zones");
    EXPECT_TRUE(seen("Node 0, zone HighMem")) << m_seen_text;
    EXPECT_TRUE(seen("managed (close-up)")) << m_seen_text;
    run_ok("boot ram=4G nodes=2");
    record_text(true);
    frames(30);
    hover_everywhere(16, 10);
    scroll_through("Zones and watermarks###zones");
    EXPECT_TRUE(seen("Node 1, zone DMA32")) << m_seen_text;
    EXPECT_TRUE(seen("managed (close-up)")) << m_seen_text;
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

// The toy's 16 pages all allocated: the gauge reads 0 free and its tooltip
// puts the zone at or below min; freeing four pages shows 4.
TEST_F(UiSmokeTest, AFullZoneDrawsBelowItsWatermarks) {
    run_ok("boot arch=toy ram=64K; alloc_pages order=3; alloc_pages order=2 as=a; "
           "alloc_pages order=1; alloc_pages order=0; alloc_pages order=0");
    frames(60);
    hover_everywhere(16, 10);
    record_text(true);
    hover_down_scrolling("Zones and watermarks###zones");
    EXPECT_TRUE(seen("free 0 / 16 managed")) << m_seen_text;
    EXPECT_TRUE(seen("At or below min")) << "no gauge tooltip placed the zone below min";
    run_ok("free_pages a");
    record_text(true);
    frames(10);
    scroll_through("Zones and watermarks###zones");
    EXPECT_TRUE(seen("free 4 / 16 managed")) << m_seen_text;
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

// The links the console drew in the last frame, by name ("pfn:0x...").
const ui::ControlRect* drawn_link(const ui::ViewState& view, std::string_view name) {
    for (const ui::ControlRect& link : view.console.drawn_links)
        if (link.name == name) return &link;
    return nullptr;
}

TEST_F(UiSmokeTest, PfnLinksComeFromTheResultsDataNotFromEveryHexNumber) {
    // 4096 frames, so that 0xcc0 (GFP_KERNEL) would be a pfn of this machine.
    run_ok("boot arch=toy ram=16M");
    const std::vector<mm::CommandResult> done = m_app->execute("alloc_pages order=1 as=a");
    ASSERT_TRUE(done.at(0).ok) << done.at(0).error;
    const mm::Pfn pfn{done.at(0).data.at("pfn").get<uint64_t>()};
    const std::string name = "pfn:" + mm::hex(pfn);
    frames(3);
    const ui::ControlRect* link = drawn_link(m_app->view(), name);
    ASSERT_NE(link, nullptr) << "the allocated pfn is a link: " << done.at(0).out;
    click_at(link->x + link->w / 2.0f, link->y + link->h / 2.0f);
    ASSERT_TRUE(m_app->view().selected_pfn.has_value());
    EXPECT_EQ(*m_app->view().selected_pfn, pfn);

    // Four order-10 blocks at most in 4096 frames: the fifth fails, with the
    // kernel's "mode:0xcc0(GFP_KERNEL)" in its text.
    std::string failure;
    for (int i = 0; i < 5 && failure.empty(); ++i) {
        const std::vector<mm::CommandResult> r = m_app->execute("alloc_pages order=10");
        if (!r.at(0).ok) failure = r.at(0).error;
    }
    ASSERT_NE(failure.find("mode:0xcc0("), std::string::npos) << failure;
    EXPECT_TRUE(last_command().links.empty());
    // The same text as output (echo prints it) is no link either: the
    // command's data names no pfn.
    const std::vector<mm::CommandResult> echoed = m_app->execute("echo \"" + failure + "\"");
    ASSERT_TRUE(echoed.at(0).ok) << echoed.at(0).error;
    ASSERT_NE(echoed.at(0).out.find("mode:0xcc0("), std::string::npos);
    frames(3);
    EXPECT_TRUE(last_command().links.empty());
    EXPECT_EQ(drawn_link(m_app->view(), "pfn:0xcc0"), nullptr);
    EXPECT_NE(drawn_link(m_app->view(), name), nullptr) << "the earlier link is still drawn";
}

TEST(ConsolePfnLinksTest, OnlyTheValuesDataNamesAsPfnsWhereTheyStandAlone) {
    const nlohmann::ordered_json data = {
        {"pfn", 0x10},
        {"lists", {{{"pfns", {0x20, 0x30}}}}},
        {"zones", {{{"start_pfn", 0x1}, {"end_pfn", 0x1000}, {"managed", 0x40}}}},
        {"gfp", "0xcc0"}};
    const std::string out = "pfn 0x10, 0x20 0x30; 0x40 mode:0xcc0 0x10a x0x10 0x10_ 0x1-0xfff\n";
    std::vector<std::string> linked;
    for (const ui::PfnLink& link : ui::find_pfn_links(out, data))
        linked.push_back(out.substr(link.begin, link.end - link.begin));
    // 0x40 is a page count, 0xcc0 a gfp mask, 0x10a another number; 0xfff is
    // the last frame below end_pfn 0x1000.
    EXPECT_EQ(linked, (std::vector<std::string>{"0x10", "0x20", "0x30", "0x1", "0xfff"}));
    EXPECT_TRUE(ui::find_pfn_links(out, nullptr).empty());
}

TEST_F(UiSmokeTest, ALoadedHistoryRunsAsCommandsSoUndoGoesBack) {
    run_ok("boot ram=4G nodes=2; alloc_pages as=q");
    const std::string before = m_lab.history_text();
    const uint64_t first_event = m_lab.events().at(0).seq;

    // A state of the default machine (no boot in it): a boot runs first.
    ASSERT_EQ(m_app->load_state("mmlab-state 2 level=2\nalloc_pages order=2 as=a\n"), std::nullopt);
    EXPECT_EQ(m_lab.history_text(), "boot\nalloc_pages order=2 as=a\n");
    EXPECT_EQ(last_command().cmd, "alloc_pages order=2 as=a");
    EXPECT_EQ(last_command().source, ui::CommandSource::Api);
    EXPECT_EQ(m_lab.machine().params().nodes, 1u);
    // The event log goes on: the earlier machine's events are still there.
    EXPECT_EQ(m_lab.events().at(0).seq, first_event);
    EXPECT_GT(m_lab.events().last_seq(), first_event);

    // Undo walks back through the loaded history to the machine before it.
    run_ok("undo; undo");
    EXPECT_EQ(m_lab.history_text(), before);
    EXPECT_EQ(m_lab.machine().params().nodes, 2u);

    // A history that starts with its own boot runs as it is.
    const std::string booted = "boot arch=toy ram=64K\nalloc_pages as=b\n";
    ASSERT_EQ(m_app->load_state("mmlab-state 1\n" + booted), std::nullopt);
    EXPECT_EQ(m_lab.history_text(), booted);
    run_ok("undo; undo");
    EXPECT_EQ(m_lab.history_text(), before);
    frames(3);
}

TEST_F(UiSmokeTest, AStateThatDivergesLeavesTheLabAsItWasAndSaysSo) {
    run_ok("boot ram=4G nodes=2; alloc_pages as=q");
    const std::string before = m_lab.history_text();
    const uint64_t digest = m_lab.machine().digest();
    const std::optional<std::string> error =
        m_app->load_state("mmlab-state 2 level=2\nboot arch=toy\nalloc_pages order=9\n");
    ASSERT_TRUE(error);
    EXPECT_EQ(
        error->rfind("command 2 of the state ('alloc_pages order=9') was recorded as succeeding "
                     "but now fails part way",
                     0),
        0u)
        << *error;
    EXPECT_EQ(m_lab.history_text(), before);
    EXPECT_EQ(m_lab.machine().digest(), digest);
    frames(2);
    EXPECT_NE(drawn_text().find("that state did not load"), std::string::npos);
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
    EXPECT_EQ(
        std::count_if(history.begin(), history.end(),
                      [](const mm::HistoryEntry& e) { return e.text == "alloc_pages order=2"; }),
        2);
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
    // column inside the panel until a click lands on it (the panel's intro
    // and the first row's label ignore clicks).
    const ImGuiStyle& style = ImGui::GetStyle();
    const float x = style.WindowPadding.x + 12.0f;
    const float top = ImGui::GetFrameHeight() * 2.0f; // menu bar and title bar
    const uint32_t before = m_lab.commands_run();
    for (float y = top; y < top + ImGui::GetFrameHeightWithSpacing() * 8.0f; y += 3.0f) {
        click_at(x, y);
        if (m_lab.commands_run() != before) break;
    }
    ASSERT_NE(m_lab.commands_run(), before) << "no click reached the allocate button";
    const ui::ConsoleEntry& entry = last_command();
    EXPECT_EQ(entry.cmd, "alloc_pages order=0 gfp=GFP_KERNEL");
    EXPECT_EQ(entry.source, ui::CommandSource::Control);
    EXPECT_TRUE(history_has("alloc_pages order=0 gfp=GFP_KERNEL"));
}

// The boot row shows the running machine, whatever booted it: a command, an
// undo, a load that failed and was taken back; a size outside the usual
// choices is shown as it is. Between machines, the student's choices stay.
TEST_F(UiSmokeTest, TheBootControlsFollowTheRunningMachine) {
    frames(2);
    const ui::BootControls& boot = m_app->view().boot;
    EXPECT_EQ(boot.ram, "1G");
    run_ok("boot ram=300M nodes=2 movablecore=16M");
    frames(2);
    EXPECT_EQ(boot.ram, "300M");
    EXPECT_EQ(boot.nodes, 2);
    EXPECT_EQ(boot.movablecore, "16M");
    run_ok("boot arch=i386 ram=2G");
    frames(2);
    EXPECT_EQ(boot.arch, 1);
    EXPECT_EQ(boot.ram, "2G");
    EXPECT_EQ(boot.nodes, 1);
    EXPECT_EQ(boot.movablecore, "0");
    run_ok("undo");
    frames(2);
    EXPECT_EQ(boot.arch, 0);
    EXPECT_EQ(boot.ram, "300M");
    EXPECT_EQ(boot.nodes, 2);
    m_app->view().boot.ram = "4G"; // the student picks a size
    run_ok("alloc_pages order=1");
    frames(2);
    EXPECT_EQ(boot.ram, "4G");
    // A rewind to the same machine (what working out a prediction's answer
    // does) keeps the choice; so does a state that boots and then fails to
    // replay, which leaves the lab as it was.
    const mm::Lab::Checkpoint cp = m_app->lab().checkpoint();
    run_ok("alloc_pages order=2");
    m_app->lab().restore(cp);
    frames(2);
    EXPECT_EQ(boot.ram, "4G");
    EXPECT_TRUE(m_app->load_state("mmlab-state 2 level=2\nboot ram=512M\nalloc_pages order=99\n"));
    frames(2);
    EXPECT_EQ(boot.ram, "4G");
    // A rewind to another machine shows that machine.
    const mm::Lab::Checkpoint before_boot = m_app->lab().checkpoint();
    run_ok("boot ram=256M");
    frames(2);
    m_app->view().boot.ram = "4G";
    m_app->lab().restore(before_boot);
    frames(2);
    EXPECT_EQ(boot.ram, "300M");
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
    EXPECT_GT(window_rect("About mmlab").GetArea(), 0.0f);
    EXPECT_GT(window_rect("Dear ImGui Metrics/Debugger").GetArea(), 0.0f);
    m_app->view().open[static_cast<unsigned>(ui::PanelId::Console)] = false;
    frames(10);
    EXPECT_EQ(window_rect("Console###console").GetArea(), 0.0f);
    m_app->reset_layout();
    m_app->view().open[static_cast<unsigned>(ui::PanelId::Console)] = true;
    frames(10);
    EXPECT_GT(window_rect("Console###console").GetArea(), 0.0f);
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

// ---- The views of the machine: map, free lists, events, plots ---------

class UiViewsTest : public UiSmokeTest {
  protected:
    // A point inside the map's cells area (MapView says where it was drawn).
    ImVec2 map_point(float fx, float fy) {
        const ui::MapView& map = m_app->view().map;
        EXPECT_GT(map.cells_w, 100.0f);
        return ImVec2(map.cells_x + 1.0f + (map.cells_w - 2.0f) * fx,
                      map.cells_y + 1.0f + (map.cells_h - 2.0f) * fy);
    }

    void move_to(ImVec2 p, int count = 2) {
        ImGui::GetIO().MousePos = p;
        frames(count);
    }

    void wheel(float amount) {
        ImGui::GetIO().MouseWheel = amount;
        frames(1);
        ImGui::GetIO().MouseWheel = 0.0f;
        frames(1);
    }

    ui::ViewState& view() { return m_app->view(); }
};

TEST_F(UiViewsTest, EveryViewIsOpenAndDrawnInBothLayouts) {
    const char* const views[] = {"Physical memory map###map", "Free lists###free_lists",
                                 "Event log###events", "Plots###plots"};
    for (ImVec2 size :
         {ImVec2(1280.0f, 800.0f), ImVec2(800.0f, 600.0f), ImVec2(1920.0f, 1080.0f)}) {
        ImGui::GetIO().DisplaySize = size;
        frames(30);
        EXPECT_EQ(view().layout, size.x < 1280.0f ? ui::Layout::Narrow : ui::Layout::Wide);
        for (const char* name : views)
            EXPECT_GT(window_rect(name).GetArea(), 0.0f) << name << " at " << size.x;
        hover_everywhere(16, 12);
    }
}

TEST_F(UiViewsTest, HoveringTheToyMapShowsAFrameAndAClickSelectsIt) {
    run_ok("boot arch=toy ram=64K; alloc_pages order=1 as=a");
    frames(5);
    // 16 frames fit at the most zoomed-in level: one frame per 32 pixels.
    EXPECT_EQ(view().map.level, 5);
    move_to(map_point(0.0f, 0.0f));
    ASSERT_TRUE(view().map.hovered_pfn.has_value());
    EXPECT_EQ(*view().map.hovered_pfn, mm::Pfn{0});
    click_at(ImGui::GetIO().MousePos.x, ImGui::GetIO().MousePos.y);
    ASSERT_TRUE(view().selected_pfn.has_value());
    EXPECT_EQ(*view().selected_pfn, mm::Pfn{0});
    frames(30);
    hover_everywhere(24, 16);
    // The wheel cannot zoom out past the whole machine, nor in past 32 px.
    move_to(map_point(0.2f, 0.1f));
    wheel(-3.0f);
    EXPECT_EQ(view().map.level, 5);
    wheel(2.0f);
    EXPECT_EQ(view().map.level, 5);
}

TEST_F(UiViewsTest, TheSixtyFourGiBMapZoomsPansAndRebuildsOnlyOnChange) {
    run_ok("boot ram=64G");
    frames(10);
    const unsigned rebuilds = view().map.rebuilds;
    frames(60);
    EXPECT_EQ(view().map.rebuilds, rebuilds) << "an unchanged view must not rebuild the summary";
    const int fit = view().map.level;
    EXPECT_LT(fit, 0) << "16M frames need many frames per cell";

    // Hover (a tooltip), zoom in around the pointer down to single frames.
    // (Near the top: lower down, the last screenful stops at the last row,
    // which moves the frame under the pointer.)
    move_to(map_point(0.5f, 0.2f));
    ASSERT_TRUE(view().map.hovered_pfn.has_value());
    const mm::Pfn before = *view().map.hovered_pfn;
    for (int i = 0; i < 40; ++i)
        wheel(1.0f);
    EXPECT_EQ(view().map.level, 5);
    EXPECT_FALSE(view().map.fit);
    ASSERT_TRUE(view().map.hovered_pfn.has_value());
    // Zooming kept the pointer near the frame it was over (same row region).
    EXPECT_NEAR(static_cast<double>(view().map.hovered_pfn->value()),
                static_cast<double>(before.value()),
                static_cast<double>(uint64_t{1} << (-fit)) * 4096.0);

    // Drag to scroll: a press, moves, a release; not a click.
    const ImVec2 p = map_point(0.5f, 0.6f);
    ImGuiIO& io = ImGui::GetIO();
    const double top = view().map.top_pfn;
    io.MousePos = p;
    frames(1);
    io.MouseDown[0] = true;
    frames(1);
    for (int i = 1; i <= 10; ++i) {
        io.MousePos = ImVec2(p.x, p.y - 8.0f * static_cast<float>(i));
        frames(1);
    }
    io.MouseDown[0] = false;
    frames(2);
    EXPECT_GT(view().map.top_pfn, top);
    EXPECT_FALSE(view().selected_pfn.has_value()) << "a drag is not a click";
    hover_everywhere(16, 10);

    // Back to the whole machine.
    move_to(map_point(0.5f, 0.5f));
    for (int i = 0; i < 40; ++i)
        wheel(-1.0f);
    EXPECT_EQ(view().map.level, fit);
    EXPECT_TRUE(view().map.fit);

    // A change to the machine rebuilds the summary once.
    const unsigned rebuilt = view().map.rebuilds;
    run_ok("alloc_pages order=10 as=big");
    frames(20);
    EXPECT_EQ(view().map.rebuilds, rebuilt + 1);
}

TEST_F(UiViewsTest, AFailedAllocationSelectedInTheEventLog) {
    run_ok("boot arch=toy ram=64K; alloc_pages order=2 as=a; alloc_pages order=0");
    const std::vector<mm::CommandResult> results = m_app->execute("alloc_pages order=5");
    ASSERT_FALSE(results[0].ok);
    frames(10);
    // Only the failures: the filter keeps the AllocFail event.
    view().events.type_mask = 1u << static_cast<unsigned>(mm::EventType::AllocFail);
    frames(3);
    ASSERT_EQ(view().events.matches.size(), 1u);
    view().events.type_mask = ~0u;
    view().events.text = "split";
    frames(3);
    ASSERT_FALSE(view().events.matches.empty());
    for (uint64_t seq : view().events.matches) {
        const mm::EventLog& log = m_lab.events();
        EXPECT_EQ(log.at(static_cast<size_t>(seq - log.at(0).seq)).type, mm::EventType::Split);
    }
    view().events.text.clear();
    frames(3);
    // Click every row of the log: each selects its frames or its zone.
    const ImRect log = window_rect("Event log###events");
    ASSERT_GT(log.GetArea(), 0.0f);
    for (float y = log.Min.y + 60.0f; y < log.Max.y - 10.0f; y += 9.0f)
        click_at(log.Min.x + 30.0f, y);
    EXPECT_TRUE(view().events.selected_seq.has_value());
    // And with the failure's frames marked on the map.
    view().marked = ui::FrameRange{mm::Pfn{4}, 2};
    view().selected_pfn = mm::Pfn{6};
    view().map.reveal_selection = true;
    frames(30);
    hover_everywhere(20, 14);
}

TEST_F(UiViewsTest, FreeListsHighlightTheLatestCommandAndSelectABlock) {
    run_ok("boot arch=toy ram=64K");
    frames(3);
    run_ok("alloc_pages order=0 as=one");
    frames(2);
    // order 4 -> 3 -> 2 -> 1 -> 0: four splits, each half on a list.
    size_t splits = 0;
    for (const auto& t : view().free_lists.touched)
        splits += t.type == static_cast<uint8_t>(mm::EventType::Split);
    EXPECT_EQ(splits, 4u);
    // Click down the panel's first column of blocks until one is selected.
    const ImRect r = window_rect("Free lists###free_lists");
    ASSERT_GT(r.GetArea(), 0.0f);
    for (float y = r.Min.y + 40.0f; y < r.Max.y - 5.0f && !view().selected_pfn; y += 6.0f)
        for (float x = r.Min.x + 150.0f; x < r.Min.x + 260.0f && !view().selected_pfn; x += 20.0f)
            click_at(x, y);
    EXPECT_TRUE(view().selected_pfn.has_value()) << "no click reached a block of a list";
    frames(150); // the highlight fades out
    run_ok("free_pages one");
    frames(5);
    hover_everywhere(16, 12);
}

TEST_F(UiViewsTest, PlotsKeepABoundedHistoryOneSamplePerChange) {
    run_ok("boot arch=toy ram=1M");
    frames(2);
    const size_t start = view().plots.samples.size();
    frames(10); // no change, no sample
    EXPECT_EQ(view().plots.samples.size(), start);
    for (int i = 0; i < 20; ++i) {
        run_ok("alloc_pages order=1");
        frames(1);
    }
    EXPECT_EQ(view().plots.samples.size(), start + 20);
    view().open[static_cast<unsigned>(ui::PanelId::Plots)] = false;
    for (int i = 0; i < 350; ++i) {
        m_app->execute(i % 2 ? "alloc_pages order=0 as=p" : "free_pages p");
        frames(1);
    }
    EXPECT_EQ(view().plots.samples.size(), ui::PlotsView::kPlotHistory) << "sampled while closed";
    view().open[static_cast<unsigned>(ui::PanelId::Plots)] = true;
    view().plots.unusable_order = 3;
    frames(10);
    hover_everywhere(16, 12);
    run_ok("boot ram=4G nodes=2");
    frames(5);
    view().plots.zone = 4;
    frames(5);
}

// ---- The tiled layout ---------------------------------------------------------

// A press on the border right of the map and a drag: the tiles resize, and
// the map, under the pointer for most of the drag, does not pan.
TEST_F(UiViewsTest, DraggingTheBorderBesideTheMapResizesAndDoesNotPanTheMap) {
    run_ok("boot ram=64G");
    frames(5);
    const ui::PanelRect map = *view().placement.panels[static_cast<unsigned>(ui::PanelId::Map)];
    const ui::TileSplitter* border = nullptr;
    for (const ui::TileSplitter& s : view().placement.splitters)
        if (s.split == ui::Split::Columns && s.bar.x == map.x + map.w && s.bar.y <= map.y &&
            s.bar.y + s.bar.h >= map.y + map.h)
            border = &s;
    ASSERT_NE(border, nullptr) << "a border on the map's right";
    const ImVec2 grab(border->bar.x + border->bar.w * 0.5f, map.y + map.h * 0.5f);
    const double top = view().map.top_pfn;
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = grab;
    frames(1);
    io.MouseDown[0] = true;
    frames(1);
    // Left, over the map's cells, then right past where it started.
    for (int i = 1; i <= 10; ++i) {
        io.MousePos =
            ImVec2(grab.x - 12.0f * static_cast<float>(i), grab.y - 6.0f * static_cast<float>(i));
        frames(1);
    }
    for (int i = 1; i <= 10; ++i) {
        io.MousePos = ImVec2(grab.x - 120.0f + 18.0f * static_cast<float>(i), grab.y);
        frames(1);
    }
    io.MouseDown[0] = false;
    frames(2);
    const ui::PanelRect after = *view().placement.panels[static_cast<unsigned>(ui::PanelId::Map)];
    EXPECT_NEAR(after.w, map.w + 60.0f, 1.0f) << "the border follows the pointer";
    EXPECT_EQ(view().map.top_pfn, top) << "the map did not pan";
    EXPECT_FALSE(view().selected_pfn.has_value()) << "nor took a click";
    EXPECT_EQ(view().dragging_splitter, -1);
}

// "float" takes a panel out of the tiles into its own window, which keeps
// its place when the tiles change; "dock" puts it back.
TEST_F(UiViewsTest, APanelFloatsOutOfItsTileAndDocksBack) {
    frames(3);
    const auto button = [&](std::string_view name) -> const ui::ControlRect* {
        for (const ui::ControlRect& c : view().panel_buttons)
            if (c.name == name) return &c;
        return nullptr;
    };
    const unsigned events = static_cast<unsigned>(ui::PanelId::Events);
    const ImRect tile = window_rect("Event log###events");
    const ui::ControlRect* out = button("float:events");
    ASSERT_NE(out, nullptr);
    EXPECT_GE(out->y, tile.Min.y) << "in the title bar";
    EXPECT_LE(out->y + out->h, tile.Min.y + ImGui::GetFrameHeight());
    click_at(out->x + out->w * 0.5f, out->y + out->h * 0.5f);
    frames(2);
    EXPECT_EQ(view().place[events], ui::PanelPlace::Float);
    EXPECT_FALSE(view().placement.panels[events].has_value()) << "no tile any more";
    const ImRect floating = window_rect("Event log###events");
    EXPECT_GT(floating.GetArea(), 0.0f);
    EXPECT_EQ(floating.Min.x, tile.Min.x + 24.0f);
    // The tiles change (a window resize); the floating panel stays put.
    ImGui::GetIO().DisplaySize = ImVec2(1366.0f, 768.0f);
    frames(3);
    EXPECT_EQ(window_rect("Event log###events").Min.x, floating.Min.x);
    const ui::ControlRect* back = button("dock:events");
    ASSERT_NE(back, nullptr);
    click_at(back->x + back->w * 0.5f, back->y + back->h * 0.5f);
    frames(2);
    EXPECT_EQ(view().place[events], ui::PanelPlace::Tile);
    ASSERT_TRUE(view().placement.panels[events].has_value());
    EXPECT_EQ(window_rect("Event log###events").Min.x, view().placement.panels[events]->x);
    hover_everywhere(8, 6);
}

// help in the default layout's narrow console wraps at its edge; a /proc
// table keeps its columns and scrolls sideways instead.
TEST_F(UiViewsTest, HelpWrapsInANarrowConsoleAndTablesKeepTheirColumns) {
    frames(3);
    run_ok("help alloc_pages");
    frames(3);
    const ui::ConsoleState& console = view().console;
    ASSERT_FALSE(console.drawn_entries.empty());
    const ui::PanelRect help = console.drawn_entries.back();
    EXPECT_LT(console.visible.w, 500.0f) << "the default console is narrow";
    EXPECT_LE(help.x + help.w, console.visible.x + console.visible.w + 0.5f);
    EXPECT_GT(help.h, 30.0f * ImGui::GetTextLineHeight()) << "its 23 lines wrapped into more";
    run_ok("cat /proc/buddyinfo");
    frames(3);
    const ui::PanelRect table = console.drawn_entries.back();
    EXPECT_GT(table.w, console.visible.w) << "columns kept";
    EXPECT_GT(console.scroll_max_x, 0.0f);
}

// ---- The lesson player -------------------------------------------------------------

class UiLessonsTest : public UiSmokeTest {
  protected:
    ui::LessonPlayerState& player() { return m_app->view().player; }
    const mm::LessonSession& session() {
        return m_app->sessions()[static_cast<size_t>(player().lesson)];
    }
    int step() { return static_cast<int>(session().current()); }
    const mm::StepRecord& step_record(int s) { return session().record(static_cast<size_t>(s)); }
    bool done(int s) { return mm::is_done(step_record(s).status); }

    const ui::ControlRect* control(std::string_view name) {
        for (const ui::ControlRect& c : player().controls)
            if (c.name == name) return &c;
        return nullptr;
    }

    // Clicks a control of the lesson panel where it was drawn in the last frame.
    void click_control(std::string_view name) {
        const ui::ControlRect* c = control(name);
        ASSERT_NE(c, nullptr) << "no control " << name << " in the lesson panel";
        click_at(c->x + c->w * 0.5f, c->y + c->h * 0.5f);
        frames(2); // what the click asked for runs, and the panel sees its result
    }

    // Opens lesson `id` from the picker, at its first step.
    void open_lesson(std::string_view id) {
        frames(3);
        ASSERT_EQ(player().lesson, -1) << "the panel starts with the picker";
        click_control("pick:" + std::string(id));
        ASSERT_EQ(player().lesson, static_cast<int>(*mm::lesson_index(id)));
    }

    void next() {
        const int before = step();
        click_control("next");
        ASSERT_EQ(step(), before + 1);
    }
};

TEST_F(UiLessonsTest, TheAppKeepsOneSessionPerLesson) {
    const std::vector<mm::Lesson>& all = mm::lessons();
    ASSERT_EQ(m_app->sessions().size(), all.size());
    for (size_t i = 0; i < all.size(); ++i) {
        EXPECT_EQ(&m_app->sessions()[i].lesson(), &all[i]);
        EXPECT_FALSE(m_app->sessions()[i].started());
    }
}

TEST_F(UiLessonsTest, EveryStepOfEveryLessonDrawsAndRunsItsSetup) {
    const auto& all = mm::lessons();
    for (size_t i = 0; i < all.size(); ++i) {
        SCOPED_TRACE(all[i].id);
        m_app->request({ui::LessonRequest::Kind::Open, i, {}});
        frames(3);
        ASSERT_EQ(player().lesson, static_cast<int>(i));
        for (size_t s = 0; s < all[i].steps.size(); ++s) {
            SCOPED_TRACE(all[i].steps[s].title);
            ASSERT_EQ(step(), static_cast<int>(s));
            frames(3);
            // The setup went through the console, and succeeded.
            if (!all[i].steps[s].setup.empty()) {
                EXPECT_TRUE(last_command().ok) << last_command().error;
            }
            hover_everywhere(6, 4);
            // Alt+PageDown: the next step even while the console line has the keyboard.
            ImGui::GetIO().KeyAlt = true;
            press(ImGuiKey_PageDown);
            ImGui::GetIO().KeyAlt = false;
        }
        EXPECT_EQ(player().lesson, static_cast<int>(i)) << "past the last step: the summary";
        EXPECT_TRUE(m_app->sessions()[i].finished());
        hover_everywhere(6, 4);
        ASSERT_NE(control("summary_picker"), nullptr);
        if (i + 1 < all.size()) {
            // The next lesson is offered, and the button opens it.
            click_control("next_lesson");
            EXPECT_EQ(player().lesson, static_cast<int>(i + 1));
        }
        click_control("picker");
        EXPECT_EQ(player().lesson, -1);
    }
    // Narrow, with a lesson open (at the step it was left on: reached again).
    m_app->request({ui::LessonRequest::Kind::Open, 0, {}});
    ImGui::GetIO().DisplaySize = ImVec2(700.0f, 600.0f);
    frames(10);
    EXPECT_EQ(player().lesson, 0);
    hover_everywhere(8, 6);
}

TEST_F(UiLessonsTest, AStepHighlightsItsPanelsAndFrames) {
    open_lesson("buddy-allocator");
    frames(3);
    const ui::ViewState& view = m_app->view();
    EXPECT_TRUE(view.highlighted[static_cast<unsigned>(ui::PanelId::Map)]);
    EXPECT_TRUE(view.highlighted[static_cast<unsigned>(ui::PanelId::Zones)]);
    EXPECT_FALSE(view.highlighted[static_cast<unsigned>(ui::PanelId::Console)]);
    ASSERT_TRUE(view.highlighted_frames.has_value());
    EXPECT_EQ(view.highlighted_frames->first, mm::Pfn{0});
    EXPECT_EQ(view.highlighted_frames->second, mm::Pfn{15});
    // Step 1 boots in its reveal (the boot prints the answer), through the console.
    click_control("give_up");
    EXPECT_EQ(last_command().cmd, "boot arch=toy ram=64K");
    EXPECT_EQ(last_command().source, ui::CommandSource::Control);
    click_control("picker");
    EXPECT_EQ(player().lesson, -1);
    EXPECT_FALSE(view.highlighted[static_cast<unsigned>(ui::PanelId::Map)]);
}

TEST_F(UiLessonsTest, APredictionAnsweredRightAndOneAnsweredWrong) {
    open_lesson("buddy-allocator");
    // Step 1 asks for a number: 64 KiB of 4 KiB frames is 16 frames, typed
    // as hex (the input field once dropped the x of 0x10 and read 010).
    click_control("number");
    type("0x10");
    click_control("answer");
    ASSERT_EQ(step_record(0).attempts.size(), 1u);
    EXPECT_EQ(step_record(0).attempts[0].answer, "0x10");
    ASSERT_TRUE(step_record(0).revealed);
    EXPECT_TRUE(step_record(0).first_right());
    EXPECT_EQ(step_record(0).status, mm::StepStatus::Unaided);
    EXPECT_EQ(step_record(0).computed->text(), "16");
    EXPECT_TRUE(done(0));
    frames(5);

    // Step 3: from which order's list does an order-0 request come? (4, not 0.)
    next();
    next();
    ASSERT_NE(control("next_rule"), nullptr) << "the rule for Next is said in the player";
    EXPECT_FALSE(history_has("alloc_pages order=0 as=a"));
    click_control("choice:0");
    ASSERT_EQ(step_record(2).attempts.size(), 1u);
    EXPECT_FALSE(step_record(2).attempts[0].right);
    EXPECT_EQ(step_record(2).attempts[0].answer, "0");
    EXPECT_FALSE(step_record(2).revealed) << "a wrong answer shows nothing yet";
    EXPECT_FALSE(done(2));
    EXPECT_FALSE(history_has("alloc_pages order=0 as=a"));
    ASSERT_NE(control("feedback"), nullptr);
    hover_everywhere(8, 6);
    // Try again: right this time, the reveal runs; the first answer counts.
    click_control("choice:4");
    ASSERT_EQ(step_record(2).attempts.size(), 2u);
    EXPECT_TRUE(step_record(2).attempts[1].right);
    EXPECT_TRUE(step_record(2).revealed);
    EXPECT_FALSE(step_record(2).first_right());
    EXPECT_EQ(step_record(2).status, mm::StepStatus::AfterHelp);
    EXPECT_TRUE(history_has("alloc_pages order=0 as=a"));
    // Restart step: the machine of the step's start, the question open
    // again, the attempts kept.
    click_control("restart");
    EXPECT_FALSE(step_record(2).revealed);
    EXPECT_FALSE(history_has("alloc_pages order=0 as=a"));
    EXPECT_EQ(step_record(2).attempts.size(), 2u);
    // Give up: the reveal runs; the step keeps its first outcome.
    click_control("give_up");
    EXPECT_TRUE(step_record(2).revealed);
    EXPECT_TRUE(history_has("alloc_pages order=0 as=a"));
    EXPECT_EQ(step_record(2).status, mm::StepStatus::AfterHelp);
    hover_everywhere(8, 6);
}

// buddy-allocator step 4 asks for the head of the order-2 list with
// `hide: free_lists, map.pfn`: those show "?" until it is answered.
TEST_F(UiLessonsTest, AQuestionHidesWhatItAsksUntilAnswered) {
    m_app->request({ui::LessonRequest::Kind::Open, *mm::lesson_index("buddy-allocator"), {}, 3});
    frames(3);
    ASSERT_EQ(step(), 3);
    const ui::PanelContext ctx(m_app->lab(), m_app->view(), *m_app);
    EXPECT_TRUE(ui::hidden(ctx, "free_lists"));
    EXPECT_TRUE(ui::hidden(ctx, "map.pfn"));
    EXPECT_FALSE(ui::hidden(ctx, "zones.free"));
    EXPECT_EQ(ui::unless_hidden(ctx, "free_lists", "4"), "?");
    hover_everywhere(8, 6);
    click_control("choice:2"); // 8: wrong, still hidden
    EXPECT_TRUE(ui::hidden(ctx, "free_lists"));
    click_control("choice:1"); // 4: right
    EXPECT_FALSE(ui::hidden(ctx, "free_lists"));
    EXPECT_EQ(ui::unless_hidden(ctx, "free_lists", "4"), "4");
}

TEST_F(UiLessonsTest, TheHintButtonStaysWhereItWas) {
    open_lesson("buddy-allocator");
    next(); // step 2: a task with hints
    frames(3);
    const ui::ControlRect* before = control("hint");
    ASSERT_NE(before, nullptr);
    const float x = before->x, y = before->y;
    click_control("hint");
    const ui::ControlRect* after = control("hint");
    ASSERT_NE(after, nullptr);
    EXPECT_EQ(after->x, x);
    EXPECT_EQ(after->y, y);
}

TEST_F(UiLessonsTest, ResetProgressClearsEveryRecord) {
    open_lesson("buddy-allocator");
    click_control("number");
    type("16");
    click_control("answer");
    ASSERT_TRUE(done(0));
    m_app->request({ui::LessonRequest::Kind::ResetProgress, 0, {}});
    frames(2);
    EXPECT_EQ(player().lesson, -1);
    for (const mm::LessonSession& session : m_app->sessions())
        EXPECT_EQ(session.score().done, 0u) << session.lesson().id;
}

// A lesson from outside the site (a file, a link's text): parsed with no
// rebuild, after the site's lessons, marked in the player, its parse errors
// with their line; one that draws its numbers per student asks for the id
// first, and two ids draw two variants.
TEST_F(UiLessonsTest, OutsideLessonsAndVariants) {
    const std::string text = "---\ntitle: Block {{name}}\ntopic: Course\nsummary: S.\n---\n\n"
                             "```vars\nname = pick(a1, b2, c3, d4, e5, f6, g7, h8)\n```\n\n"
                             "## One block\n\n```setup\nboot arch=toy ram=64K\n```\n\n"
                             "```task\ngoal: Allocate {{name}}.\ncheck: allocated(\"{{name}}\")\n"
                             "hint: as=NAME.\nsolution: alloc_pages as={{name}}\n```\n";
    size_t index = 0;
    EXPECT_EQ(m_app->add_outside_lesson("a/b", text, &index).value_or(""),
              "the lesson's name \"a/b\" is not 1 to 64 letters, digits, '-' or '_'");
    std::string broken = text;
    broken.replace(broken.find("check: allocated("), 17, "check: allocated((");
    EXPECT_EQ(m_app->add_outside_lesson("mine", broken, &index).value_or("").substr(0, 9),
              "line 19: ");
    EXPECT_EQ(m_app->lesson_count(), mm::lessons().size()) << "nothing added";

    ASSERT_EQ(m_app->add_outside_lesson("mine", text, &index), std::nullopt);
    EXPECT_EQ(index, mm::lessons().size());
    EXPECT_NE(m_app->outside(index), nullptr);
    EXPECT_EQ(m_app->outside(0), nullptr);
    size_t again = 0;
    ASSERT_EQ(m_app->add_outside_lesson("mine", text, &again), std::nullopt);
    EXPECT_EQ(again, index) << "the same text is the same lesson";

    // No student yet: the panel asks, and the lesson stays closed.
    m_app->request({ui::LessonRequest::Kind::Open, index, {}});
    frames(3);
    EXPECT_EQ(player().ask_student, static_cast<int>(index));
    EXPECT_EQ(player().lesson, -1);
    ASSERT_NE(control("student_start"), nullptr);
    m_app->request({ui::LessonRequest::Kind::SetStudent, index, "alice"});
    frames(3);
    ASSERT_EQ(player().lesson, static_cast<int>(index));
    EXPECT_NE(control("outside_mark"), nullptr);
    EXPECT_NE(control("lesson_link"), nullptr);
    const mm::LessonSession& alice = m_app->session(index);
    ASSERT_TRUE(alice.lesson().seed.has_value());
    EXPECT_EQ(*alice.lesson().seed, mm::variant_seed("alice", "mine", ""));
    const std::string alice_title = alice.lesson().title;

    // Another id draws again, on the open lesson.
    ASSERT_EQ(m_app->set_student("bob", ""), std::nullopt);
    frames(2);
    EXPECT_EQ(*m_app->session(index).lesson().seed, mm::variant_seed("bob", "mine", ""));
    EXPECT_EQ(m_app->session(index).lesson().hash, mm::content_hash(text));
    EXPECT_NE(m_app->session(index).lesson().title, alice_title) << "a1..h8: bob draws another";
}

TEST_F(UiLessonsTest, TasksAreDoneByTypingOrByShowMe) {
    open_lesson("buddy-allocator");
    next(); // step 2: print /proc/buddyinfo
    frames(3);
    EXPECT_FALSE(done(1));
    click_control("hint");
    EXPECT_EQ(step_record(1).hints_shown, 1);
    // Typed into the console: the click took the keyboard, '/' gives it back.
    ImGui::GetIO().AddInputCharacter('/');
    frames(3);
    ASSERT_TRUE(ImGui::GetIO().WantTextInput);
    type("cat /proc/buddyinfo");
    press(ImGuiKey_Enter);
    frames(3);
    EXPECT_EQ(step_record(1).status, mm::StepStatus::AfterHelp) << "after a hint";

    // Step 7 ("A buddy still in use"): Show me runs the solution.
    for (int i = 0; i < 5; ++i)
        next();
    ASSERT_EQ(step(), 6);
    frames(3);
    EXPECT_FALSE(done(6));
    click_control("show_me");
    frames(3);
    EXPECT_TRUE(step_record(6).solution_shown);
    EXPECT_EQ(step_record(6).status, mm::StepStatus::Shown);
    EXPECT_TRUE(done(6));
    EXPECT_TRUE(history_has("free_pages x"));
    EXPECT_EQ(last_command().source, ui::CommandSource::Control);
    // undo takes the student's own command back; the done mark stays.
    click_control("undo");
    EXPECT_FALSE(history_has("free_pages x"));
    EXPECT_TRUE(done(6));
    // Back and forth keep what was done.
    click_control("back");
    EXPECT_EQ(step(), 5);
    EXPECT_TRUE(done(1));
    EXPECT_TRUE(done(6));
}

TEST_F(UiLessonsTest, PageKeysStepAndSlashFocusesTheConsole) {
    open_lesson("buddy-allocator");
    // Take the keyboard from the console line: click an empty part of the lesson panel.
    const ui::ControlRect* next_button = control("next");
    ASSERT_NE(next_button, nullptr);
    m_app->view().console.focus_input = false;
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(next_button->x, next_button->y + 200.0f);
    frames(1);
    io.MouseDown[0] = true;
    frames(1);
    io.MouseDown[0] = false;
    frames(2);
    ASSERT_FALSE(io.WantTextInput);
    press(ImGuiKey_PageDown);
    frames(1);
    EXPECT_EQ(step(), 1);
    press(ImGuiKey_PageUp);
    frames(1);
    EXPECT_EQ(step(), 0);
    io.AddInputCharacter('/');
    frames(3);
    EXPECT_TRUE(io.WantTextInput) << "'/' put the cursor on the console line";
    EXPECT_TRUE(m_app->view().console.input.empty()) << "and the '/' is not typed into it";
}

// The buddyinfo step (panels: console, free_lists) gives the room to those
// and the player: the console wide enough for /proc/buddyinfo and help, the
// others strips that open on a click; Reset layout goes back to the step's
// layout, and closing the lesson to the default one.
TEST_F(UiLessonsTest, AStepsPanelsGetTheRoomAndTheOthersCollapseToStrips) {
    for (ImVec2 size :
         {ImVec2(1280.0f, 800.0f), ImVec2(1366.0f, 768.0f), ImVec2(1366.0f, 650.0f)}) {
        SCOPED_TRACE(testing::Message() << size.x << "x" << size.y);
        ImGui::GetIO().DisplaySize = size;
        const size_t lesson = *mm::lesson_index("buddy-allocator");
        ASSERT_FALSE(m_app->open_lesson(lesson, 1, ui::OpenAt::Reach, ui::CommandSource::Api));
        frames(3);
        ui::ViewState& view = m_app->view();
        EXPECT_EQ(view.arrangement, ui::Arrangement::StepReadsConsole);
        const auto place = [&](ui::PanelId id) { return view.place[static_cast<unsigned>(id)]; };
        EXPECT_EQ(place(ui::PanelId::Console), ui::PanelPlace::Tile);
        EXPECT_EQ(place(ui::PanelId::FreeLists), ui::PanelPlace::Tile);
        EXPECT_EQ(place(ui::PanelId::Lessons), ui::PanelPlace::Tile);
        EXPECT_EQ(place(ui::PanelId::Map), ui::PanelPlace::Strip);
        EXPECT_EQ(place(ui::PanelId::Zones), ui::PanelPlace::Strip);
        EXPECT_EQ(window_rect("Physical memory map###map").GetArea(), 0.0f);

        run_ok("cat /proc/buddyinfo");
        run_ok("help alloc_pages");
        frames(3);
        const ui::ConsoleState& console = view.console;
        ASSERT_GE(console.drawn_entries.size(), 2u);
        for (size_t i = console.drawn_entries.size() - 2; i < console.drawn_entries.size(); ++i) {
            const ui::PanelRect& r = console.drawn_entries[i];
            EXPECT_GE(r.x, console.visible.x);
            EXPECT_LE(r.x + r.w, console.visible.x + console.visible.w) << "entry " << i;
        }
        EXPECT_EQ(console.scroll_x, 0.0f);

        // A strip opens its panel beside the step's.
        const ui::ControlRect* strip = nullptr;
        for (const ui::ControlRect& c : view.strips)
            if (c.name == "strip:map") strip = &c;
        ASSERT_NE(strip, nullptr);
        click_at(strip->x + strip->w * 0.5f, strip->y + strip->h * 0.5f);
        frames(2);
        EXPECT_EQ(place(ui::PanelId::Map), ui::PanelPlace::Tile);
        EXPECT_GT(window_rect("Physical memory map###map").GetArea(), 0.0f);
        m_app->reset_layout();
        frames(2);
        EXPECT_EQ(place(ui::PanelId::Map), ui::PanelPlace::Strip);
        hover_everywhere(8, 6);

        // Step 3 names no panels: it keeps step 2's layout.
        ASSERT_TRUE(m_app->sessions()[lesson].lesson().steps[2].panels.empty());
        ASSERT_FALSE(m_app->open_lesson(lesson, 2, ui::OpenAt::Reach, ui::CommandSource::Api));
        frames(2);
        EXPECT_EQ(view.arrangement, ui::Arrangement::StepReadsConsole);
        EXPECT_EQ(place(ui::PanelId::Map), ui::PanelPlace::Strip);

        m_app->close_lesson();
        frames(2);
        EXPECT_EQ(view.arrangement, ui::Arrangement::Default);
        for (unsigned i = 0; i < ui::kPanelCount; ++i)
            EXPECT_EQ(view.place[i], ui::PanelPlace::Tile) << i;
    }
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
    const ui::Completion c =
        ui::complete("alloc_pages gfp=GFP_KERNEL|__GFP_NOW", 36, {"alloc_pages"}, {});
    EXPECT_EQ(c.match, ui::Completion::Match::One);
    EXPECT_EQ(c.replacement, "gfp=GFP_KERNEL|__GFP_NOWARN ");
}

TEST(ConsoleCompletionTest, NoMatchLeavesTheWord) {
    const ui::Completion c = ui::complete("zzz", 3, {"alloc_pages"}, {});
    EXPECT_EQ(c.match, ui::Completion::Match::None);
    EXPECT_EQ(c.replacement, "zzz");
}

} // namespace

// Embedded in a course page (#embed=1&lesson=ID&panels=...): no menu bar or
// status bar, and only the chosen panels (and the lesson) open, even when a
// step names others; an unknown panel name is refused and changes nothing.
TEST_F(UiLessonsTest, EmbeddedTheChosenPanelsAloneFillTheWindow) {
    ui::ViewState& view = m_app->view();
    EXPECT_EQ(ui::set_embedded(view, "map,consol"),
              "there is no panel \"consol\" (panels: zones, console, map, free_lists, events, "
              "plots, lessons)");
    EXPECT_FALSE(view.embedded);
    ASSERT_EQ(ui::set_embedded(view, "map,console,lessons"), std::nullopt);
    ImGui::GetIO().DisplaySize = ImVec2(800.0f, 600.0f);
    // Step 1 of buddy-allocator names the map and the zones.
    m_app->request({ui::LessonRequest::Kind::Open, *mm::lesson_index("buddy-allocator"), {}});
    frames(4);
    EXPECT_TRUE(view.highlighted[static_cast<unsigned>(ui::PanelId::Zones)]);
    for (unsigned i = 0; i < ui::kPanelCount; ++i) {
        const ui::PanelId id = static_cast<ui::PanelId>(i);
        const bool chosen =
            id == ui::PanelId::Map || id == ui::PanelId::Console || id == ui::PanelId::Lessons;
        SCOPED_TRACE(ui::panel_lesson_name(id));
        EXPECT_EQ(view.open[i], chosen);
        if (!chosen) continue;
        EXPECT_EQ(view.place[i], ui::PanelPlace::Tile);
        const ImRect r = window_rect(ui::panel_window_name(id));
        EXPECT_GE(r.Min.x, 0.0f);
        EXPECT_GE(r.Min.y, 0.0f);
        EXPECT_LE(r.Max.x, 800.0f);
        EXPECT_LE(r.Max.y, 600.0f);
    }
    // The work area starts at the top: no menu bar above it.
    const ImGuiWindow* bar = ImGui::FindWindowByName("##MainMenuBar");
    EXPECT_TRUE(bar == nullptr || !bar->WasActive);
    float top = 600.0f;
    for (const ui::PanelId id : {ui::PanelId::Map, ui::PanelId::Console, ui::PanelId::Lessons})
        top = std::min(top, window_rect(ui::panel_window_name(id)).Min.y);
    EXPECT_EQ(top, 0.0f);
}
