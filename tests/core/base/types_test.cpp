// The strong types of core/base/types.h: what converts, what adds up, what
// aligns, and what must not compile. Expected values are the kernel's
// (PFN_PHYS, PHYS_PFN, ALIGN_DOWN, the x86 zone limits), worked by hand.
#include "core/base/text.h"
#include "core/base/types.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sstream>
#include <type_traits>

using namespace mm;

namespace {

template <typename A, typename B>
concept Addable = requires(A a, B b) {
    a + b;
};
template <typename A, typename B>
concept Subtractable = requires(A a, B b) {
    a - b;
};

// A pfn is neither made from a number nor read as one without saying so.
static_assert(!std::is_convertible_v<uint64_t, Pfn>);
static_assert(!std::is_convertible_v<Pfn, uint64_t>);
static_assert(!std::is_convertible_v<PhysAddr, Pfn>);
static_assert(!std::is_convertible_v<Pfn, PhysAddr>);
// Adding two pfns means nothing; a pfn plus a count of pages is a pfn, and
// two pfns differ by a count.
static_assert(!Addable<Pfn, Pfn>);
static_assert(std::is_same_v<decltype(Pfn{} + uint64_t{1}), Pfn>);
static_assert(std::is_same_v<decltype(Pfn{} - Pfn{}), uint64_t>);
static_assert(!Addable<PhysAddr, PhysAddr>);
static_assert(!Addable<Pfn, PhysAddr>);
static_assert(!Subtractable<Pfn, PhysAddr>);
// As small and as cheap to copy as the number it holds (struct page's
// neighbours and the event ring store them by the million).
static_assert(sizeof(Pfn) == sizeof(uint64_t) && std::is_trivially_copyable_v<Pfn>);
static_assert(sizeof(PhysAddr) == sizeof(uint64_t) && std::is_trivially_copyable_v<PhysAddr>);

} // namespace

TEST(TypesTest, PfnAndPhysicalAddressConvertByPageShift) {
    EXPECT_EQ(pfn_to_phys(Pfn{0x38000}), PhysAddr{0x38000000});
    EXPECT_EQ(phys_to_pfn(PhysAddr{0x38000000}), Pfn{0x38000});
    // x86's zone limits: 16 MiB is MAX_DMA_PFN 4096, 4 GiB is MAX_DMA32_PFN 0x100000.
    EXPECT_EQ(phys_to_pfn(PhysAddr{uint64_t{16} << 20}), Pfn{4096});
    EXPECT_EQ(phys_to_pfn(PhysAddr{uint64_t{4} << 30}), Pfn{0x100000});
    // What of an address inside a frame? PHYS_PFN rounds down to its frame.
    EXPECT_EQ(phys_to_pfn(PhysAddr{0x38000fff}), Pfn{0x38000});
    EXPECT_EQ(phys_to_pfn(PhysAddr{0x38001000}), Pfn{0x38001});
    // The top of a 64 GiB machine: no bits lost on the way.
    EXPECT_EQ(pfn_to_phys(Pfn{0xfffffff}), PhysAddr{0xfffffff000});
}

TEST(TypesTest, PfnPlusACountIsAPfnAndTwoPfnsDifferByACount) {
    const Pfn start{0x1000};
    EXPECT_EQ(start + 512, Pfn{0x1200});
    EXPECT_EQ(start - 1, Pfn{0xfff});
    EXPECT_EQ(Pfn{0x1200} - start, 512u);
    Pfn pfn = start;
    ++pfn;
    pfn += 7;
    EXPECT_EQ(pfn, Pfn{0x1008});
    EXPECT_EQ(pfn.value(), 0x1008u);
    EXPECT_EQ(PhysAddr{0x1000} + 0x234, PhysAddr{0x1234});
    EXPECT_EQ(PhysAddr{0x3000} - PhysAddr{0x1000}, 0x2000u);
}

TEST(TypesTest, PfnsCompareByTheirValue) {
    EXPECT_LT(Pfn{1}, Pfn{2});
    EXPECT_GT(Pfn{0x100000}, Pfn{0xfffff});
    EXPECT_LE(Pfn{7}, Pfn{7});
    EXPECT_NE(Pfn{7}, Pfn{8});
    EXPECT_EQ(Pfn{}, Pfn{0});
    EXPECT_LT(PhysAddr{0xfff}, PhysAddr{0x1000});
    EXPECT_EQ(std::min(Pfn{9}, Pfn{3}), Pfn{3});
}

TEST(TypesTest, AlignmentFindsTheBlockThatHoldsAPfn) {
    // pageblock_start_pfn(): a 2 MiB pageblock is 512 frames.
    EXPECT_EQ(align_down(Pfn{0x38123}, PAGEBLOCK_NR_PAGES), Pfn{0x38000});
    EXPECT_EQ(align_up(Pfn{0x38123}, PAGEBLOCK_NR_PAGES), Pfn{0x38200});
    // An aligned pfn stays where it is.
    EXPECT_EQ(align_down(Pfn{0x38000}, PAGEBLOCK_NR_PAGES), Pfn{0x38000});
    EXPECT_EQ(align_up(Pfn{0x38000}, PAGEBLOCK_NR_PAGES), Pfn{0x38000});
    EXPECT_TRUE(is_aligned(Pfn{0x38000}, 1024));  // an order-10 block may start here
    EXPECT_FALSE(is_aligned(Pfn{0x38200}, 1024)); // ... but not here
    EXPECT_TRUE(is_aligned(Pfn{0x38200}, 512));
    // Every pfn is aligned to one frame, and pfn 0 to every block.
    EXPECT_TRUE(is_aligned(Pfn{0x38123}, 1));
    EXPECT_TRUE(is_aligned(Pfn{0}, 1024));
    EXPECT_EQ(align_down(Pfn{5}, 4), Pfn{4});
}

TEST(TypesTest, PfnsPrintInHexAndGoIntoJsonAsNumbers) {
    EXPECT_EQ(hex(Pfn{0x38000}), "0x38000");
    EXPECT_EQ(hex(Pfn{0}), "0x0");
    EXPECT_EQ(hex(pfn_to_phys(Pfn{0x38000})), "0x38000000");
    const nlohmann::ordered_json data = {{"pfn", Pfn{0x38000}}, {"phys", PhysAddr{0x1000}}};
    EXPECT_EQ(data.dump(), R"({"pfn":229376,"phys":4096})");
    // On a stream (GoogleTest's failure messages): hex, and the stream's own
    // base left as it was.
    std::ostringstream out;
    out << Pfn{0x38000} << " " << pfn_to_phys(Pfn{0x38000}) << " " << 10;
    EXPECT_EQ(out.str(), "0x38000 0x38000000 10");
}
