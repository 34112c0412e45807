// Variant lessons (core/lesson/variant.h): the ```vars block, {{name}}
// substitution with the file's line numbers kept, seeds per student, and a
// variant lesson played as a test for several seeds.
#include "core/base/random.h"
#include "core/base/text.h"
#include "core/lesson/session.h"
#include "core/lesson/variant.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

using namespace mm;

namespace {

std::string read(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

const std::string kToyPath = std::string(MMLAB_TEST_DATA) + "/lessons/variant-toy.md";

Lesson toy() {
    std::string error;
    std::optional<Lesson> lesson = parse_lesson("variant-toy", read(kToyPath), &error);
    EXPECT_TRUE(lesson) << error;
    return lesson ? *lesson : Lesson{};
}

const char kHead[] = "---\ntitle: T\ntopic: X\nsummary: S\n---\n";

} // namespace

// The seed: FNV-1a 64 of "s001\x1f" "variant-toy\x1f" "fall-2026\x1f", then
// one SplitMix64 step, computed outside the lab (Python, by the formulas of
// variant.h).
TEST(VariantTest, SeedIsFnvOfStudentLessonAndSaltThenSplitMix) {
    EXPECT_EQ(variant_seed("s001", "variant-toy", "fall-2026"), 0xc232ec2cd65ce1dcull);
    EXPECT_EQ(variant_seed("", "", ""), 0xe4842e594d19914aull);
    EXPECT_EQ(variant_seed("  s001\n", "variant-toy", "fall-2026"),
              variant_seed("s001", "variant-toy", "fall-2026"))
        << "the student's id is trimmed";
    // Every part counts, and the separator keeps "ab"+"c" apart from "a"+"bc".
    const uint64_t base = variant_seed("s001", "variant-toy", "fall-2026");
    EXPECT_NE(variant_seed("s002", "variant-toy", "fall-2026"), base);
    EXPECT_NE(variant_seed("s001", "buddy-allocator", "fall-2026"), base);
    EXPECT_NE(variant_seed("s001", "variant-toy", "spring-2027"), base);
    EXPECT_NE(variant_seed("ab", "c", ""), variant_seed("a", "bc", ""));
}

TEST(VariantTest, VarsBlockDeclaresValuesAndTheLessonShowsTheFirst) {
    const Lesson lesson = toy();
    ASSERT_TRUE(has_variables(lesson));
    ASSERT_EQ(lesson.variables.size(), 2u);
    EXPECT_EQ(lesson.variables[0].name, "kib");
    EXPECT_EQ(lesson.variables[0].values, (std::vector<std::string>{"64", "128", "256"}));
    EXPECT_EQ(lesson.variables[0].line, 12);
    EXPECT_EQ(lesson.variables[1].name, "order");
    EXPECT_EQ(lesson.variables[1].values, (std::vector<std::string>{"0", "1", "2"}));
    EXPECT_EQ(lesson.values, (std::vector<std::string>{"64", "0"}));
    EXPECT_FALSE(lesson.seed);
    EXPECT_EQ(lesson.hash, content_hash(read(kToyPath)));
    ASSERT_EQ(lesson.steps.size(), 3u);
    EXPECT_EQ(lesson.steps[0].prediction->reveal, "boot arch=toy ram=64K");
    EXPECT_EQ(lesson.steps[1].title, "One block of order 0");
    EXPECT_EQ(lesson.intro.find("kib = pick"), std::string::npos) << "the block is not prose";
    // range(FIRST, LAST, STEP) and hex.
    std::string error;
    const std::optional<Lesson> stepped = parse_lesson(
        "t",
        std::string(kHead) + "```vars\npfn = range(0x100, 0x400, 0x100)\nzone = pick(DMA32, "
                             "Normal)\n```\n## {{zone}}\n```setup\nboot\n```\nframe {{pfn}}\n",
        &error);
    ASSERT_TRUE(stepped) << error;
    EXPECT_EQ(stepped->variables[0].values,
              (std::vector<std::string>{"256", "512", "768", "1024"}));
    EXPECT_EQ(stepped->steps[0].title, "DMA32");
    EXPECT_EQ(stepped->steps[0].body, "frame 256\n");
}

TEST(VariantTest, TwoSeedsGiveDifferentNumbersOnTheSameLines) {
    const Lesson lesson = toy();
    std::string error;
    // The draws are mm::Random's: one below(3) then one below(3) per seed.
    std::set<std::vector<std::string>> seen;
    for (uint64_t seed = 0; seed < 16; ++seed) {
        Random random(seed);
        const std::string kib = lesson.variables[0].values[random.below(3)];
        const std::string order = lesson.variables[1].values[random.below(3)];
        const std::optional<Lesson> v = instantiate(lesson, seed, &error);
        ASSERT_TRUE(v) << error;
        EXPECT_EQ(v->values, (std::vector<std::string>{kib, order}));
        EXPECT_EQ(draw_values(lesson, seed), v->values);
        EXPECT_EQ(v->seed, seed);
        EXPECT_EQ(v->hash, lesson.hash) << "a variant is graded as the file it came from";
        EXPECT_EQ(v->steps[0].prediction->reveal, "boot arch=toy ram=" + kib + "K");
        EXPECT_EQ(v->steps[1].task->solution, "alloc_pages order=" + order + " as=a");
        EXPECT_EQ(v->steps[1].task->check.text(),
                  "allocated(\"a\") && order_of(\"a\") == " + order);
        for (size_t s = 0; s < v->steps.size(); ++s)
            EXPECT_EQ(v->steps[s].line, lesson.steps[s].line);
        seen.insert(v->values);
    }
    EXPECT_GE(seen.size(), 4u) << "16 seeds draw more than a few of the 9 variants";
    // A lesson without variables is its own variant.
    std::optional<Lesson> plain =
        parse_lesson("p", std::string(kHead) + "## A\n```setup\nboot\n```\n", &error);
    ASSERT_TRUE(plain) << error;
    EXPECT_FALSE(has_variables(*plain));
    const std::optional<Lesson> same = instantiate(*plain, 42, &error);
    ASSERT_TRUE(same);
    EXPECT_EQ(same->hash, plain->hash);
    EXPECT_EQ(same->steps[0].setup, "boot\n");
    EXPECT_FALSE(same->seed);
}

// The lesson test of a variant lesson: several seeds, each played through.
TEST(VariantTest, AVariantLessonPassesForEverySeedTried) {
    const Lesson lesson = toy();
    std::string error;
    for (uint64_t seed = 0; seed < 6; ++seed) {
        SCOPED_TRACE(seed);
        const std::optional<Lesson> v = instantiate(lesson, seed, &error);
        ASSERT_TRUE(v) << error;
        for (const std::string& problem : verify_lesson(*v))
            ADD_FAILURE() << problem;
    }
}

// expect: in a variant lesson may be a constant expression of its numbers.
TEST(VariantTest, ExpectMayBeAConstantExpression) {
    std::string error;
    LessonPrediction p{"q", {}, "", *Condition::parse("managed()", &error)};
    p.expect = "64 / 4";
    Lab lab;
    EXPECT_EQ(expected_answer(p, lab, &error), "16");
    p.expect = "0x10";
    EXPECT_EQ(expected_answer(p, lab, &error), "0x10") << "an answer stays as written";
    p.form = AnswerForm::Fraction;
    p.expect = "3 * 250";
    EXPECT_EQ(expected_answer(p, lab, &error), "0.750");
    p.form = AnswerForm::Dec;
    p.expect = "free() / 2";
    EXPECT_FALSE(expected_answer(p, lab, &error));
    EXPECT_EQ(error, "'free() / 2' is neither an answer nor a constant expression (a computed "
                     "expect: uses numbers only, not functions or names)");
}

TEST(VariantTest, BrokenVariablesSayWhatAndWhere) {
    struct Case {
        std::string text;
        const char* error;
    } cases[] = {
        {"## A\n{{ram}}\n", "line 7: unknown variable {{ram}} (no ```vars block declares any)"},
        {"```vars\nn = range(1, 3)\n```\n## A\n{{n}} {{m}}\n",
         "line 10: unknown variable {{m}} (the ```vars block declares n)"},
        {"```vars\nn = range(1, 3)\nm = pick(a, b)\n```\n## A\n{{n}}\n",
         "line 8: vars: m is never used (write {{m}} where its value goes)"},
        {"## A\n```vars\nn = range(1, 3)\n```\n{{n}}\n",
         "line 7: the ```vars block goes before the first step"},
        {"```vars\nn = range(1, 3)\n```\n```vars\nm = range(1, 3)\n```\n## A\n",
         "line 9: a lesson has at most one ```vars block"},
        {"```vars\nn = 3\n```\n## A\n{{n}}\n",
         "line 7: vars: expected NAME = pick(A, B, ...) or NAME = range(FIRST, LAST[, STEP])"},
        {"```vars\nn = range(3, 1)\n```\n## A\n{{n}}\n",
         "line 7: vars: n: range(FIRST, LAST[, STEP]) takes numbers with FIRST <= LAST and STEP "
         "> 0"},
        {"```vars\nn = range(0, 100)\n```\n## A\n{{n}}\n",
         "line 7: vars: n: a variable has at most 100 values"},
        {"```vars\nn = pick(1, \"two\")\n```\n## A\n{{n}}\n",
         "line 7: vars: n: pick() takes words of letters, digits and _ . + - separated by "
         "commas, not '\"two\"'"},
        {"```vars\nn = pick(1, 2)\nn = pick(3)\n```\n## A\n{{n}}\n",
         "line 8: vars: n is declared twice"},
        {"```vars\nn = pick(1, 2)\nm = pick({{n}})\n```\n## A\n{{n}}\n",
         "line 8: a variable's values cannot use variables"},
        {"```vars\n\n```\n## A\n", "line 6: the ```vars block declares no variable"},
        // Each value is tried: 64K cannot stand in a condition.
        {"```vars\nram = pick(64, 64K)\n```\n## A\n```task\ngoal: g\ncheck: ram == {{ram}}\n"
         "hint: h\nsolution: s\n```\n",
         "line 12: check: col 8: bad number '64K' (with ram = 64K)"},
    };
    for (const Case& c : cases) {
        std::string error;
        EXPECT_FALSE(parse_lesson("t", std::string(kHead) + c.text, &error)) << c.text;
        EXPECT_EQ(error, c.error) << c.text;
    }
    // {{ that is no reference is text.
    std::string error;
    const std::optional<Lesson> braces =
        parse_lesson("t", std::string(kHead) + "## A\n{{ not one }} {{1}} {{\n", &error);
    ASSERT_TRUE(braces) << error;
    EXPECT_EQ(braces->steps[0].body, "{{ not one }} {{1}} {{\n");
}
