// The physical map's colours for readers with colour-vision deficiency: the
// states a frame can be in (hole, reserved, allocated, free in a block of
// order k) stay apart when deuteranopia or protanopia is simulated, and the
// free orders' lightness rises with the order in normal and simulated
// vision alike. The simulation is Machado, Oliveira and Fernandes (2009), "A
// Physiologically-based Model for Simulation of Color Vision Deficiency",
// IEEE TVCG 15(6), the matrices of its table for severity 1.0, applied to
// linear RGB; distances are CIE76 ΔE in CIELAB (D65), from the sRGB
// standard's (IEC 61966-2-1) transfer function and matrix.
#include "core/base/types.h"
#include "core/mm/machine.h"
#include "ui/help.h"

#include <gtest/gtest.h>
#include <imgui.h>

#include <array>
#include <cmath>
#include <string>
#include <vector>

namespace {

using Matrix = std::array<std::array<double, 3>, 3>;

constexpr Matrix kNormal = {{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}};
constexpr Matrix kProtanopia = {{{0.152286, 1.052583, -0.204868},
                                 {0.114503, 0.786281, 0.099216},
                                 {-0.003882, -0.048116, 1.051998}}};
constexpr Matrix kDeuteranopia = {{{0.367322, 0.860646, -0.227968},
                                   {0.280085, 0.672501, 0.047413},
                                   {-0.011820, 0.042940, 0.968881}}};

struct Lab {
    double l, a, b;
};

double to_linear(unsigned channel) {
    const double c = channel / 255.0;
    return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

// The colour an ImU32 shows, as seen through `vision`, in CIELAB.
Lab seen(ImU32 colour, const Matrix& vision) {
    const double rgb[3] = {to_linear((colour >> IM_COL32_R_SHIFT) & 0xff),
                           to_linear((colour >> IM_COL32_G_SHIFT) & 0xff),
                           to_linear((colour >> IM_COL32_B_SHIFT) & 0xff)};
    double sim[3];
    for (int i = 0; i < 3; ++i) {
        const double v = vision[i][0] * rgb[0] + vision[i][1] * rgb[1] + vision[i][2] * rgb[2];
        sim[i] = std::fmin(1.0, std::fmax(0.0, v)); // the display's gamut
    }
    const double x = 0.4124564 * sim[0] + 0.3575761 * sim[1] + 0.1804375 * sim[2];
    const double y = 0.2126729 * sim[0] + 0.7151522 * sim[1] + 0.0721750 * sim[2];
    const double z = 0.0193339 * sim[0] + 0.1191920 * sim[1] + 0.9503041 * sim[2];
    auto f = [](double t) {
        return t > 216.0 / 24389.0 ? std::cbrt(t) : (24389.0 / 27.0 * t + 16.0) / 116.0;
    };
    const double fx = f(x / 0.95047), fy = f(y / 1.0), fz = f(z / 1.08883);
    return {116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)};
}

double delta_e(const Lab& p, const Lab& q) {
    return std::sqrt((p.l - q.l) * (p.l - q.l) + (p.a - q.a) * (p.a - q.a) +
                     (p.b - q.b) * (p.b - q.b));
}

struct Vision {
    const char* name;
    const Matrix& matrix;
};
const Vision kVisions[] = {
    {"normal vision", kNormal}, {"protanopia", kProtanopia}, {"deuteranopia", kDeuteranopia}};

// ΔE 2.3 is a just-noticeable difference between two patches side by side;
// a map cell is a few pixels, its neighbours of another state may be far
// across the map, and the student names the state at a glance, so the
// categories keep about four times that: 10.
constexpr double kMinCategoryDistance = 10.0;
// Eleven orders between the darkest and the lightest usable shade leave about
// 6 L* each; 5 is the least step that still reads as "one lighter" when two
// orders lie next to each other.
constexpr double kMinOrderStep = 5.0;

struct Category {
    std::string name;
    ImU32 colour;
    int ramp; // categories of one ramp (-1: none) are told apart by lightness instead
};

// What the map can show when colouring `by`, with the colours it uses.
std::vector<Category> map_categories(ui::MapColour by) {
    std::vector<Category> all = {{"hole", ui::frame_code_colour(mm::FRAME_HOLE, by), -1},
                                 {"reserved", ui::frame_code_colour(mm::FRAME_RESERVED, by), -1},
                                 {"per-CPU list", ui::frame_code_colour(mm::FRAME_PCP0, by), -1}};
    if (by == ui::MapColour::State) {
        all.push_back({"free", ui::frame_code_colour(mm::FRAME_FREE0, by), -1});
        all.push_back({"allocated", ui::frame_code_colour(mm::FRAME_ALLOC0, by), -1});
        return all;
    }
    for (unsigned order = 0; order < mm::NR_PAGE_ORDERS; ++order) {
        all.push_back({"free order " + std::to_string(order),
                       ui::frame_code_colour(static_cast<uint8_t>(mm::FRAME_FREE0 + order), by),
                       0});
        all.push_back({"allocated order " + std::to_string(order),
                       ui::frame_code_colour(static_cast<uint8_t>(mm::FRAME_ALLOC0 + order), by),
                       1});
    }
    return all;
}

// In both colourings, is every category told from every other one in every
// vision, but for two orders of one ramp (told apart by lightness, below)?
TEST(MapPaletteTest, StatesStayApartForDeuteranopesAndProtanopes) {
    for (ui::MapColour by : ui::kMapColours) {
        const std::vector<Category> all = map_categories(by);
        for (const Vision& vision : kVisions) {
            for (size_t i = 0; i < all.size(); ++i) {
                for (size_t j = i + 1; j < all.size(); ++j) {
                    if (all[i].ramp >= 0 && all[i].ramp == all[j].ramp) continue;
                    const double d = delta_e(seen(all[i].colour, vision.matrix),
                                             seen(all[j].colour, vision.matrix));
                    EXPECT_GE(d, kMinCategoryDistance)
                        << ui::map_colour_name(by) << ", " << vision.name << ": " << all[i].name
                        << " and " << all[j].name;
                }
            }
        }
    }
}

// A pfn's colour follows its code: every order of a per-CPU block is the
// per-CPU colour, every free code in the state colouring is one colour.
TEST(MapPaletteTest, ColouringsFollowTheFrameCode) {
    for (unsigned order = 0; order < 4; ++order)
        for (ui::MapColour by : ui::kMapColours)
            EXPECT_EQ(ui::frame_code_colour(static_cast<uint8_t>(mm::FRAME_PCP0 + order), by),
                      ui::kPerCpuColour);
    EXPECT_EQ(ui::frame_code_key(mm::FRAME_FREE0 + 7, ui::MapColour::State), mm::FRAME_FREE0);
    EXPECT_EQ(ui::frame_code_key(mm::FRAME_ALLOC0 + 2, ui::MapColour::State), mm::FRAME_ALLOC0);
    EXPECT_EQ(ui::frame_code_key(mm::FRAME_ALLOC0 + 2, ui::MapColour::Order), mm::FRAME_ALLOC0 + 2);
    EXPECT_NE(ui::frame_code_colour(mm::FRAME_ALLOC0 + 0, ui::MapColour::Order),
              ui::frame_code_colour(mm::FRAME_ALLOC0 + 10, ui::MapColour::Order));
}

TEST(MapPaletteTest, OrdersGetLighterWithTheOrderInEveryVision) {
    for (const Vision& vision : kVisions) {
        for (auto ramp : {ui::free_order_colour, ui::allocated_order_colour}) {
            double previous = -1.0;
            for (unsigned order = 0; order < mm::NR_PAGE_ORDERS; ++order) {
                const double l = seen(ramp(order), vision.matrix).l;
                if (order > 0)
                    EXPECT_GE(l - previous, kMinOrderStep) << vision.name << ": order " << order
                                                           << " L* " << l << " after " << previous;
                previous = l;
            }
        }
    }
}

// The model itself: a grey stays the same grey (each matrix's rows sum to
// 1), and a red and an olive green of about the same lightness, which
// deuteranopes confuse, come out with nearly the same hue (a*, b*) for them,
// far apart in normal vision.
TEST(MapPaletteTest, TheSimulationKeepsGreysAndConfusesRedAndGreen) {
    const ImU32 grey = IM_COL32(128, 128, 128, 255);
    for (const Vision& vision : kVisions)
        EXPECT_LT(delta_e(seen(grey, vision.matrix), seen(grey, kNormal)), 0.5) << vision.name;
    const Lab red = seen(IM_COL32(200, 60, 40, 255), kDeuteranopia);
    const Lab green = seen(IM_COL32(90, 110, 40, 255), kDeuteranopia);
    const double hue_distance = std::hypot(red.a - green.a, red.b - green.b);
    const Lab red_n = seen(IM_COL32(200, 60, 40, 255), kNormal);
    const Lab green_n = seen(IM_COL32(90, 110, 40, 255), kNormal);
    EXPECT_LT(hue_distance, 15.0);
    EXPECT_GT(std::hypot(red_n.a - green_n.a, red_n.b - green_n.b), 50.0);
}

} // namespace
