// The tile tree: placement, dragging a border, and the arrangements a layout
// starts from (layout.h). No ImGui here.
#include "ui/layout.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace ui {

int TileTree::add_leaf(PanelId panel) {
    TileNode node;
    node.panel = panel;
    nodes.push_back(node);
    return static_cast<int>(nodes.size()) - 1;
}

int TileTree::add_split(Split split, float ratio, int first, int second) {
    if (first < 0) return second;
    if (second < 0) return first;
    TileNode node;
    node.first = first;
    node.second = second;
    node.split = split;
    node.ratio = ratio;
    nodes.push_back(node);
    return static_cast<int>(nodes.size()) - 1;
}

Layout choose_layout(float display_w, float display_h) {
    return display_w >= kWideMinWidth && display_h >= kWideMinHeight ? Layout::Wide
                                                                     : Layout::Narrow;
}

// ---- Placement and dragging ---------------------------------------------------

namespace {

struct Size {
    float w = 0, h = 0;
};

// The smallest rectangle the subtree at `index` fits in.
Size min_size(const TileTree& tree, int index, const TileLimits& limits) {
    const TileNode& node = tree.nodes[static_cast<size_t>(index)];
    if (node.leaf())
        return {node.panel == PanelId::Lessons ? limits.lessons_min_w : limits.min_w, limits.min_h};
    const Size a = min_size(tree, node.first, limits);
    const Size b = min_size(tree, node.second, limits);
    if (node.split == Split::Columns) return {a.w + limits.gap + b.w, std::max(a.h, b.h)};
    return {std::max(a.w, b.w), a.h + limits.gap + b.h};
}

// The room a split's two children share along its axis, and their minimums.
struct Extent {
    float room = 0, min_first = 0, min_second = 0;
};

Extent extent_of(const TileTree& tree, const TileNode& node, const PanelRect& area,
                 const TileLimits& limits) {
    const Size a = min_size(tree, node.first, limits);
    const Size b = min_size(tree, node.second, limits);
    const bool columns = node.split == Split::Columns;
    return {std::max((columns ? area.w : area.h) - limits.gap, 0.0f), columns ? a.w : a.h,
            columns ? b.w : b.h};
}

// The first child's size for a wished one: whole pixels, both children at
// least their minimum when the room allows, never outside the room.
float clamp_first(float wish, const Extent& e) {
    float first = std::floor(wish);
    if (e.room >= e.min_first + e.min_second)
        first = std::clamp(first, e.min_first, e.room - e.min_second);
    return std::clamp(first, 0.0f, e.room);
}

void place_node(const TileTree& tree, int index, const PanelRect& area, const TileLimits& limits,
                TilePlacement& out) {
    const TileNode& node = tree.nodes[static_cast<size_t>(index)];
    if (node.leaf()) {
        out.panels[static_cast<unsigned>(node.panel)] = area;
        return;
    }
    const Extent e = extent_of(tree, node, area, limits);
    const float first = clamp_first(e.room * node.ratio, e);
    const float second = e.room - first;
    PanelRect a = area, b = area, bar = area;
    if (node.split == Split::Columns) {
        a.w = first;
        bar = {area.x + first, area.y, limits.gap, area.h};
        b = {area.x + first + limits.gap, area.y, second, area.h};
    } else {
        a.h = first;
        bar = {area.x, area.y + first, area.w, limits.gap};
        b = {area.x, area.y + first + limits.gap, area.w, second};
    }
    out.splitters.push_back({index, node.split, area, bar});
    place_node(tree, node.first, a, limits, out);
    place_node(tree, node.second, b, limits, out);
}

} // namespace

TilePlacement place_tiles(const TileTree& tree, PanelRect area, const TileLimits& limits) {
    TilePlacement out;
    area.x = std::floor(area.x);
    area.y = std::floor(area.y);
    area.w = std::max(std::floor(area.w), 1.0f);
    area.h = std::max(std::floor(area.h), 1.0f);
    if (tree.root >= 0) place_node(tree, tree.root, area, limits, out);
    return out;
}

void drag_splitter(TileTree& tree, const TileSplitter& splitter, float pointer,
                   const TileLimits& limits) {
    if (splitter.node < 0 || static_cast<size_t>(splitter.node) >= tree.nodes.size()) return;
    TileNode& node = tree.nodes[static_cast<size_t>(splitter.node)];
    if (node.leaf()) return;
    const Extent e = extent_of(tree, node, splitter.area, limits);
    if (e.room <= 0.0f) return;
    // The pointer holds the middle of the border.
    const float start = node.split == Split::Columns ? splitter.area.x : splitter.area.y;
    node.ratio = clamp_first(pointer - start - limits.gap * 0.5f, e) / e.room;
}

// ---- Arrangements ---------------------------------------------------------------

namespace {

int leaf_if(TileTree& tree, const PanelSet& tiled, PanelId id) {
    return tiled[static_cast<unsigned>(id)] ? tree.add_leaf(id) : -1;
}

// The classic arrangements of every live panel (all but the player).
int default_live(TileTree& tree, Layout layout, const PanelSet& tiled) {
    auto leaf = [&](PanelId id) { return leaf_if(tree, tiled, id); };
    if (layout == Layout::Wide) {
        // Three columns: zones over free lists, the map over the plots, the
        // console over the event log. The student reads the zone and sees the
        // frames while typing the command that changes them.
        const int first =
            tree.add_split(Split::Rows, 0.6f, leaf(PanelId::Zones), leaf(PanelId::FreeLists));
        const int second =
            tree.add_split(Split::Rows, 0.6f, leaf(PanelId::Map), leaf(PanelId::Plots));
        const int third =
            tree.add_split(Split::Rows, 0.6f, leaf(PanelId::Console), leaf(PanelId::Events));
        return tree.add_split(Split::Columns, 0.36f, first,
                              tree.add_split(Split::Columns, 0.34f / 0.64f, second, third));
    }
    // Zones and map side by side, then a row of the three smaller views, then
    // the console as wide as the area, tall enough for several commands.
    const int top = tree.add_split(Split::Columns, 0.5f, leaf(PanelId::Zones), leaf(PanelId::Map));
    const int middle = tree.add_split(
        Split::Columns, 1.0f / 3.0f, leaf(PanelId::FreeLists),
        tree.add_split(Split::Columns, 0.5f, leaf(PanelId::Events), leaf(PanelId::Plots)));
    return tree.add_split(
        Split::Rows, 0.42f, top,
        tree.add_split(Split::Rows, 0.24f / 0.58f, middle, leaf(PanelId::Console)));
}

// `ids` side by side, sharing the width equally.
int row_of(TileTree& tree, const std::vector<PanelId>& ids, size_t from, size_t to) {
    if (from >= to) return -1;
    const int first = tree.add_leaf(ids[from]);
    return tree.add_split(Split::Columns, 1.0f / static_cast<float>(to - from), first,
                          row_of(tree, ids, from + 1, to));
}

// A step's live panels: the named views above, the console below at full
// width, tall when the step reads its output.
int step_live(TileTree& tree, Arrangement arrangement, const PanelSet& tiled) {
    std::vector<PanelId> views;
    for (PanelId id :
         {PanelId::Zones, PanelId::Map, PanelId::FreeLists, PanelId::Events, PanelId::Plots})
        if (tiled[static_cast<unsigned>(id)]) views.push_back(id);
    int top = -1;
    if (views.size() <= 3) {
        top = row_of(tree, views, 0, views.size());
    } else {
        const size_t half = (views.size() + 1) / 2;
        top = tree.add_split(Split::Rows, 0.5f, row_of(tree, views, 0, half),
                             row_of(tree, views, half, views.size()));
    }
    const float above = arrangement == Arrangement::StepReadsConsole ? 0.5f : 0.68f;
    return tree.add_split(Split::Rows, above, top, leaf_if(tree, tiled, PanelId::Console));
}

// The player's column on the right: about 30% of the width.
float lesson_column(float w) {
    return std::floor(std::clamp(w * 0.3f, std::min(360.0f, w * 0.5f), 520.0f));
}

} // namespace

TileTree arrange_tiles(Arrangement arrangement, Layout layout, const PanelSet& tiled, float w,
                       float console_width, const TileLimits& limits) {
    TileTree tree;
    const int live = arrangement == Arrangement::Default ? default_live(tree, layout, tiled)
                                                         : step_live(tree, arrangement, tiled);
    const int player = leaf_if(tree, tiled, PanelId::Lessons);
    if (w < kLessonColumnMinWidth) {
        // Too narrow for a column: the player is a strip at the bottom.
        tree.root = tree.add_split(Split::Rows, 0.62f, live, player);
        return tree;
    }
    float column = lesson_column(w);
    // In a step the console is wide enough for /proc/buddyinfo: the player's
    // column gives way, down to its minimum.
    if (arrangement != Arrangement::Default && tiled[static_cast<unsigned>(PanelId::Console)])
        column = std::max(std::min(column, w - limits.gap - console_width), limits.lessons_min_w);
    const float room = std::max(w - limits.gap, 1.0f);
    tree.root = tree.add_split(Split::Columns, (room - column) / room, live, player);
    return tree;
}

} // namespace ui
