// The tiled layout's geometry (ui/layout.h), without ImGui: how a split tree
// places its panels, how a dragged border moves and where it stops, and the
// arrangements for the default layout and for a lesson step at the window
// sizes that count (1280x800, 1366x768 and 1366x650, less the menu and status
// bars).
#include "core/lesson/lesson.h"
#include "ui/layout.h"
#include "ui/tiles.h"

#include <gtest/gtest.h>

#include <optional>
#include <vector>

namespace {

using ui::PanelId;
using ui::PanelRect;

constexpr float kBars = 46.0f; // the menu bar and the status bar, about 23 px each

ui::PanelSet set_of(std::initializer_list<PanelId> ids) {
    ui::PanelSet set{};
    for (PanelId id : ids)
        set[static_cast<unsigned>(id)] = true;
    return set;
}

ui::PanelSet every_panel() {
    ui::PanelSet set{};
    set.fill(true);
    return set;
}

PanelRect at(const ui::TilePlacement& placement, PanelId id) {
    const std::optional<PanelRect>& rect = placement.panels[static_cast<unsigned>(id)];
    EXPECT_TRUE(rect.has_value()) << "panel " << static_cast<unsigned>(id) << " has no tile";
    return rect.value_or(PanelRect{});
}

bool overlap(const PanelRect& a, const PanelRect& b) {
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

// Every tile inside the area, none overlapping another, each with some room.
void expect_tiles_the_area(const ui::TilePlacement& placement, const PanelRect& area) {
    std::vector<PanelRect> tiles;
    for (const std::optional<PanelRect>& rect : placement.panels)
        if (rect) tiles.push_back(*rect);
    for (size_t i = 0; i < tiles.size(); ++i) {
        const PanelRect& r = tiles[i];
        EXPECT_GE(r.x, area.x);
        EXPECT_GE(r.y, area.y);
        EXPECT_LE(r.x + r.w, area.x + area.w);
        EXPECT_LE(r.y + r.h, area.y + area.h);
        EXPECT_GT(r.w * r.h, 0.0f);
        for (size_t j = i + 1; j < tiles.size(); ++j)
            EXPECT_FALSE(overlap(r, tiles[j])) << i << " and " << j;
    }
}

TEST(TileTreeTest, ASplitWithAMissingChildIsTheOtherChild) {
    ui::TileTree tree;
    const int console = tree.add_leaf(PanelId::Console);
    EXPECT_EQ(tree.add_split(ui::Split::Rows, 0.5f, -1, console), console);
    EXPECT_EQ(tree.add_split(ui::Split::Rows, 0.5f, console, -1), console);
    EXPECT_EQ(tree.add_split(ui::Split::Rows, 0.5f, -1, -1), -1);
    EXPECT_EQ(tree.nodes.size(), 1u);
}

// Two columns split 0.25 of 1006 px after a 6 px gap: 250 and 750, the gap
// between them is the border.
TEST(TileTreeTest, ASplitGivesItsFirstChildTheRatioOfTheRoomAfterTheGap) {
    ui::TileTree tree;
    tree.root = tree.add_split(ui::Split::Columns, 0.25f, tree.add_leaf(PanelId::Map),
                               tree.add_leaf(PanelId::Console));
    const ui::TilePlacement placement = ui::place_tiles(tree, {0, 20, 1006, 600}, {});
    const PanelRect map = at(placement, PanelId::Map);
    const PanelRect console = at(placement, PanelId::Console);
    EXPECT_EQ(map.x, 0.0f);
    EXPECT_EQ(map.w, 250.0f);
    EXPECT_EQ(console.x, 256.0f);
    EXPECT_EQ(console.w, 750.0f);
    EXPECT_EQ(console.h, 600.0f);
    ASSERT_EQ(placement.splitters.size(), 1u);
    EXPECT_EQ(placement.splitters[0].bar.x, 250.0f);
    EXPECT_EQ(placement.splitters[0].bar.w, 6.0f);
    EXPECT_EQ(placement.panels[static_cast<unsigned>(PanelId::Zones)], std::nullopt);
}

// The border follows the pointer (its middle under it), and stops where a
// side would be smaller than its minimum; the ratio then holds at any size.
TEST(TileTreeTest, DraggingABorderMovesItAndStopsAtTheMinimumSize) {
    ui::TileTree tree;
    tree.root = tree.add_split(ui::Split::Rows, 0.5f, tree.add_leaf(PanelId::FreeLists),
                               tree.add_leaf(PanelId::Console));
    const ui::TileLimits limits;
    const PanelRect area{0, 20, 800, 606};
    ui::TilePlacement placement = ui::place_tiles(tree, area, limits);
    ASSERT_EQ(placement.splitters.size(), 1u);
    ui::drag_splitter(tree, placement.splitters[0], 20.0f + 203.0f, limits);
    placement = ui::place_tiles(tree, area, limits);
    EXPECT_EQ(at(placement, PanelId::FreeLists).h, 200.0f);
    EXPECT_EQ(at(placement, PanelId::Console).y, 226.0f);
    EXPECT_EQ(at(placement, PanelId::Console).h, 400.0f);

    // Past the top: the free lists keep min_h.
    ui::drag_splitter(tree, placement.splitters[0], 0.0f, limits);
    placement = ui::place_tiles(tree, area, limits);
    EXPECT_EQ(at(placement, PanelId::FreeLists).h, limits.min_h);
    // Past the bottom: the console keeps min_h.
    ui::drag_splitter(tree, placement.splitters[0], 5000.0f, limits);
    placement = ui::place_tiles(tree, area, limits);
    EXPECT_EQ(at(placement, PanelId::Console).h, limits.min_h);
    expect_tiles_the_area(placement, area);
}

// What is the minimum of a side that is itself split? Both its tiles' and
// the gap between them, along the axis.
TEST(TileTreeTest, TheMinimumOfASplitSideCountsEveryTileInIt) {
    ui::TileTree tree;
    const int right = tree.add_split(ui::Split::Columns, 0.5f, tree.add_leaf(PanelId::Map),
                                     tree.add_leaf(PanelId::Events));
    tree.root = tree.add_split(ui::Split::Columns, 0.5f, tree.add_leaf(PanelId::Zones), right);
    const ui::TileLimits limits;
    const PanelRect area{0, 0, 1200, 500};
    ui::TilePlacement placement = ui::place_tiles(tree, area, limits);
    const ui::TileSplitter* outer = nullptr;
    for (const ui::TileSplitter& s : placement.splitters)
        if (s.node == tree.root) outer = &s;
    ASSERT_NE(outer, nullptr);
    ui::drag_splitter(tree, *outer, 1200.0f, limits);
    placement = ui::place_tiles(tree, area, limits);
    EXPECT_EQ(at(placement, PanelId::Map).w, limits.min_w);
    EXPECT_EQ(at(placement, PanelId::Events).w, limits.min_w);
    EXPECT_EQ(at(placement, PanelId::Events).x + limits.min_w, 1200.0f);
    expect_tiles_the_area(placement, area);
}

// A window too small for the minimums still gets tiles, smaller ones.
TEST(TileTreeTest, ATinyAreaStillPlacesEveryTileInside) {
    const PanelRect area{0, 20, 200, 100};
    const ui::TileTree tree = ui::arrange_tiles(ui::Arrangement::Default, ui::Layout::Narrow,
                                                every_panel(), area.w, 826.0f, {});
    const ui::TilePlacement placement = ui::place_tiles(tree, area, {});
    for (const std::optional<PanelRect>& rect : placement.panels) {
        ASSERT_TRUE(rect.has_value());
        EXPECT_GE(rect->w, 0.0f);
        EXPECT_GE(rect->h, 0.0f);
        EXPECT_LE(rect->x + rect->w, area.x + area.w);
        EXPECT_LE(rect->y + rect->h, area.y + area.h);
    }
}

TEST(UiLayoutTest, WideFromTwelveEightyByEightHundred) {
    EXPECT_EQ(ui::choose_layout(1280.0f, 800.0f), ui::Layout::Wide);
    EXPECT_EQ(ui::choose_layout(1279.0f, 800.0f), ui::Layout::Narrow);
    EXPECT_EQ(ui::choose_layout(1920.0f, 700.0f), ui::Layout::Narrow);
}

// Without a lesson step every panel has a tile, at every size that counts,
// in both arrangements.
TEST(UiLayoutTest, TheDefaultLayoutTilesEveryPanel) {
    for (const auto& [w, h] :
         {std::pair{1280.0f, 800.0f}, std::pair{1366.0f, 768.0f}, std::pair{1366.0f, 650.0f},
          std::pair{1000.0f, 700.0f}, std::pair{800.0f, 600.0f}}) {
        SCOPED_TRACE(testing::Message() << w << "x" << h);
        const PanelRect area{0, 23, w, h - kBars};
        const ui::TileTree tree = ui::arrange_tiles(
            ui::Arrangement::Default, ui::choose_layout(w, h), every_panel(), w, 826.0f, {});
        const ui::TilePlacement placement = ui::place_tiles(tree, area, {});
        for (const std::optional<PanelRect>& rect : placement.panels)
            EXPECT_TRUE(rect.has_value());
        expect_tiles_the_area(placement, area);
        const PanelRect player = at(placement, PanelId::Lessons);
        if (w >= ui::kLessonColumnMinWidth) {
            EXPECT_EQ(player.x + player.w, w) << "the player's column on the right";
            EXPECT_EQ(player.h, area.h);
        } else {
            EXPECT_EQ(player.w, w) << "the player's strip at the bottom";
            EXPECT_EQ(player.y + player.h, area.y + area.h);
        }
    }
}

// Closing the player gives its column to the other panels.
TEST(UiLayoutTest, TheLessonColumnIsGivenBackWhenThePlayerCloses) {
    const PanelRect area{0, 20, 1280, 754};
    ui::PanelSet without = every_panel();
    without[static_cast<unsigned>(PanelId::Lessons)] = false;
    const ui::TilePlacement open = ui::place_tiles(
        ui::arrange_tiles(ui::Arrangement::Default, ui::Layout::Wide, every_panel(), 1280, 826, {}),
        area, {});
    const ui::TilePlacement closed = ui::place_tiles(
        ui::arrange_tiles(ui::Arrangement::Default, ui::Layout::Wide, without, 1280, 826, {}), area,
        {});
    EXPECT_EQ(closed.panels[static_cast<unsigned>(PanelId::Lessons)], std::nullopt);
    const PanelRect console = at(closed, PanelId::Console);
    EXPECT_EQ(console.x + console.w, 1280.0f);
    EXPECT_GT(at(closed, PanelId::Map).w, at(open, PanelId::Map).w);
    expect_tiles_the_area(closed, area);
}

// A step about /proc/buddyinfo (panels: console, free_lists): the console
// is as wide as the live area and at least as wide as a buddyinfo line
// needs (826 px: 99 columns of 8 px, padding and the scrollbar), the free
// lists above it, the player beside them, nothing else.
TEST(UiLayoutTest, AStepThatNamesTheConsoleGetsItWideEnoughForBuddyinfo) {
    const ui::PanelSet step = set_of({PanelId::Console, PanelId::FreeLists, PanelId::Lessons});
    for (const auto& [w, h] :
         {std::pair{1280.0f, 800.0f}, std::pair{1366.0f, 768.0f}, std::pair{1366.0f, 650.0f}}) {
        SCOPED_TRACE(testing::Message() << w << "x" << h);
        const PanelRect area{0, 23, w, h - kBars};
        const ui::TileTree tree = ui::arrange_tiles(ui::Arrangement::StepReadsConsole,
                                                    ui::choose_layout(w, h), step, w, 826.0f, {});
        const ui::TilePlacement placement = ui::place_tiles(tree, area, {});
        expect_tiles_the_area(placement, area);
        const PanelRect console = at(placement, PanelId::Console);
        const PanelRect lists = at(placement, PanelId::FreeLists);
        const PanelRect player = at(placement, PanelId::Lessons);
        EXPECT_GE(console.w, 826.0f);
        EXPECT_EQ(console.x, 0.0f);
        EXPECT_EQ(console.w, lists.w) << "the console is a full-width row";
        EXPECT_LT(lists.y, console.y);
        EXPECT_GE(console.h, 200.0f);
        EXPECT_EQ(player.x + player.w, w);
        EXPECT_GE(player.w, ui::TileLimits{}.lessons_min_w);
        EXPECT_EQ(placement.panels[static_cast<unsigned>(PanelId::Map)], std::nullopt);
        EXPECT_EQ(placement.panels[static_cast<unsigned>(PanelId::Zones)], std::nullopt);
    }
}

// A step that does not read console output keeps a shorter console row, as
// wide, to type in; its views share the room above side by side, from four
// on in two rows.
TEST(UiLayoutTest, AStepsViewsShareTheRoomInRows) {
    const PanelRect area{0, 23, 1280, 754};
    const ui::PanelSet step =
        set_of({PanelId::Map, PanelId::Zones, PanelId::Console, PanelId::Lessons});
    const ui::TilePlacement two = ui::place_tiles(
        ui::arrange_tiles(ui::Arrangement::Step, ui::Layout::Wide, step, 1280, 826, {}), area, {});
    const ui::TilePlacement reads = ui::place_tiles(
        ui::arrange_tiles(ui::Arrangement::StepReadsConsole, ui::Layout::Wide, step, 1280, 826, {}),
        area, {});
    expect_tiles_the_area(two, area);
    EXPECT_EQ(at(two, PanelId::Zones).y, at(two, PanelId::Map).y);
    EXPECT_LT(at(two, PanelId::Zones).x, at(two, PanelId::Map).x);
    EXPECT_GE(at(two, PanelId::Console).w, 826.0f);
    EXPECT_LT(at(two, PanelId::Console).h, at(reads, PanelId::Console).h);
    EXPECT_GT(at(two, PanelId::Zones).h, at(reads, PanelId::Zones).h);

    const ui::TilePlacement four =
        ui::place_tiles(ui::arrange_tiles(ui::Arrangement::Step, ui::Layout::Wide,
                                          set_of({PanelId::Map, PanelId::Zones, PanelId::Events,
                                                  PanelId::Plots, PanelId::Lessons}),
                                          1280, 826, {}),
                        area, {});
    expect_tiles_the_area(four, area);
    EXPECT_LT(at(four, PanelId::Zones).y, at(four, PanelId::Events).y);
    EXPECT_EQ(at(four, PanelId::Events).y, at(four, PanelId::Plots).y);
}

} // namespace

// The panel names a lesson may use are core/lesson's vocabulary (the parser
// and the CLI check them); the UI maps each to its panel. Every name has a
// panel and every panel a name, each once: the two lists cannot drift apart.
TEST(UiLayoutTest, EveryLessonPanelNameIsOnePanelOfTheUi) {
    std::vector<bool> seen(ui::kPanelCount, false);
    for (std::string_view name : mm::panel_names()) {
        const std::optional<ui::PanelId> id = ui::panel_named(name);
        ASSERT_TRUE(id) << name;
        EXPECT_FALSE(seen[static_cast<unsigned>(*id)]) << name;
        seen[static_cast<unsigned>(*id)] = true;
        EXPECT_EQ(ui::panel_lesson_name(*id), name);
    }
    for (unsigned i = 0; i < ui::kPanelCount; ++i)
        EXPECT_TRUE(seen[i]) << ui::panel_title(static_cast<ui::PanelId>(i));
    EXPECT_FALSE(ui::panel_named("memory_map"));
}
