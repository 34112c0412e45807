// The text helpers every error line goes through.
#include "core/base/text.h"

#include <gtest/gtest.h>

using namespace mm;

TEST(TextTest, QuoteInputCutsLongInputToAFewDozenCharacters) {
    EXPECT_EQ(quote_input("order"), "order");
    const std::string digits(300, '7');
    const std::string quoted = quote_input(digits);
    EXPECT_EQ(quoted, std::string(40, '7') + "...");
}

TEST(TextTest, TrimAndHex) {
    EXPECT_EQ(trim(" \t x y \r\n"), "x y");
    EXPECT_EQ(trim("   "), "");
    EXPECT_EQ(hex(0), "0x0");
    EXPECT_EQ(hex(0x38000), "0x38000");
    EXPECT_EQ(strprintf("%5s|%-3d|", "ab", 7), "   ab|7  |");
}

// The shortest SIZE that reads back exactly: the largest suffix that divides.
TEST(TextTest, FormatSizeUsesTheLargestExactSuffix) {
    EXPECT_EQ(format_size(uint64_t{1} << 30), "1G");
    EXPECT_EQ(format_size(65536), "64K");
    EXPECT_EQ(format_size(1536), "1536");
    EXPECT_EQ(format_size(uint64_t{3} << 40), "3T");
}

// The published FNV-1a 64 test vectors (Fowler, Noll, Vo: "FNV-1a 64-bit").
TEST(TextTest, ContentHashIsFnv1a64) {
    EXPECT_EQ(content_hash(""), "cbf29ce484222325");
    EXPECT_EQ(content_hash("a"), "af63dc4c8601ec8c");
    EXPECT_EQ(content_hash("foobar"), "85944171f73967e8");
}
