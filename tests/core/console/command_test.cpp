// The console syntax: splitting, quoting, comments, key=value, numbers, sizes.
#include "core/console/syntax.h"

#include <gtest/gtest.h>

using namespace mm;

TEST(CommandTest, SplitsOnNewlinesAndSemicolons) {
    auto cmds = split_commands("boot ram=1G; alloc_pages order=3\nfree_list");
    ASSERT_EQ(cmds.size(), 3u);
    EXPECT_EQ(cmds[0].text, "boot ram=1G");
    EXPECT_EQ(cmds[1].words, (std::vector<std::string>{"alloc_pages", "order=3"}));
    EXPECT_EQ(cmds[2].words[0], "free_list");
}

TEST(CommandTest, DropsBlankAndCommentOnlyCommands) {
    auto cmds = split_commands("# a comment\n\n  ;; \nhelp # trailing\n");
    ASSERT_EQ(cmds.size(), 1u);
    EXPECT_EQ(cmds[0].text, "help");
    EXPECT_EQ(cmds[0].words.size(), 1u);
}

TEST(CommandTest, QuotesGroupWordsAndProtectSeparators) {
    auto cmds = split_commands(
        "echo \"256 256 32 0 0\" > /proc/sys/vm/lowmem_reserve_ratio; echo \"a;b#c\"");
    ASSERT_EQ(cmds.size(), 2u);
    EXPECT_EQ(cmds[0].words, (std::vector<std::string>{"echo", "256 256 32 0 0", ">",
                                                       "/proc/sys/vm/lowmem_reserve_ratio"}));
    EXPECT_EQ(cmds[1].words[1], "a;b#c");
}

// What if a quote is never closed? The command is an error, not a guess.
TEST(CommandTest, UnterminatedQuoteIsAnError) {
    auto cmds = split_commands("echo \"oops\nhelp");
    ASSERT_EQ(cmds.size(), 2u);
    EXPECT_EQ(cmds[0].error, "unterminated quote");
    EXPECT_TRUE(cmds[1].error.empty());
}

TEST(CommandTest, EmptyQuotesMakeAnEmptyWord) {
    auto cmds = split_commands("echo \"\" x");
    ASSERT_EQ(cmds.size(), 1u);
    EXPECT_EQ(cmds[0].words, (std::vector<std::string>{"echo", "", "x"}));
}

TEST(CommandTest, NumbersAreDecimalOrHexAsciiOnly) {
    EXPECT_EQ(parse_number("42"), 42u);
    EXPECT_EQ(parse_number("0x1f"), 31u);
    EXPECT_EQ(parse_number("0X1F"), 31u);
    EXPECT_FALSE(parse_number(""));
    EXPECT_FALSE(parse_number("-1"));
    EXPECT_FALSE(parse_number("+1"));
    EXPECT_FALSE(parse_number("1e3"));
    EXPECT_FALSE(parse_number("0x"));
    EXPECT_FALSE(parse_number("\xd9\xa3"));             // ARABIC-INDIC DIGIT THREE
    EXPECT_FALSE(parse_number("\xef\xbc\x91"));         // FULLWIDTH DIGIT ONE
    EXPECT_FALSE(parse_number("99999999999999999999")); // overflow
}

TEST(CommandTest, SizesTakePowerOf1024Suffixes) {
    EXPECT_EQ(parse_size("4096"), 4096u);
    EXPECT_EQ(parse_size("64K"), 65536u);
    EXPECT_EQ(parse_size("16M"), 16u << 20);
    EXPECT_EQ(parse_size("1G"), uint64_t{1} << 30);
    EXPECT_EQ(parse_size("2T"), uint64_t{2} << 40);
    EXPECT_EQ(parse_size("0x10M"), 16u << 20);
    EXPECT_FALSE(parse_size("G"));
    EXPECT_FALSE(parse_size("1.5G"));
    EXPECT_FALSE(parse_size("16MB"));
    EXPECT_FALSE(parse_size("99999999999T"));
}

TEST(CommandTest, ArgsSplitKeysFromPositionalWords) {
    std::string error;
    auto args = Args::parse({"free_pages", "buf", "order=3"}, {"order", "pfn"}, &error);
    ASSERT_TRUE(args);
    EXPECT_EQ(args->positional(), (std::vector<std::string>{"buf"}));
    EXPECT_EQ(args->get("order"), "3");
    EXPECT_FALSE(args->get("pfn"));
}

TEST(CommandTest, ArgsRejectUnknownAndRepeatedKeys) {
    std::string error;
    EXPECT_FALSE(Args::parse({"alloc_pages", "colour=red"}, {"order"}, &error));
    EXPECT_EQ(error, "unknown argument 'colour'");
    EXPECT_FALSE(Args::parse({"alloc_pages", "order=1", "order=2"}, {"order"}, &error));
    EXPECT_EQ(error, "argument 'order' given twice");
}

// A word with '=' whose left side is not a key name ("a.b=c") stays positional.
TEST(CommandTest, ArgsKeepNonKeyEqualsWordsPositional) {
    std::string error;
    auto args = Args::parse({"sysctl", "vm.min_free_kbytes=1"}, {}, &error);
    ASSERT_TRUE(args);
    EXPECT_EQ(args->positional().size(), 1u);
}

// One signed reader for answers, sysctl values and numbers read out of
// /proc text: int64's range, a sign only in front.
TEST(SyntaxTest, SignedNumbersAndLeadingIntegers) {
    EXPECT_EQ(parse_signed("-42"), -42);
    EXPECT_EQ(parse_signed("0x10"), 16);
    EXPECT_EQ(parse_signed("9223372036854775807"), INT64_MAX);
    EXPECT_FALSE(parse_signed("9223372036854775808"));
    EXPECT_FALSE(parse_signed("--1"));
    EXPECT_FALSE(parse_signed("1-"));
    EXPECT_FALSE(parse_signed(""));
    EXPECT_EQ(leading_integer("256\t256\t32\t0\t0\n"), 256);
    EXPECT_EQ(leading_integer("-1.000"), -1);
    EXPECT_FALSE(leading_integer("  12"));
    EXPECT_EQ(leading_integer("  min      12\n", true), 12);
    EXPECT_EQ(leading_integer(" = -3", true), -3);
    EXPECT_FALSE(leading_integer("none", true));
    EXPECT_FALSE(leading_integer("99999999999999999999", true));
}
