// Lesson files: every file under lessons/ is embedded in the lessons library
// and parses, and every lesson is a test (verify_lesson: every setup runs,
// every task's check is false when its step starts and true after its
// solution, every prediction's answer is what the simulation gives); a
// broken lesson says what and where.
#include "core/lesson/lesson.h"
#include "core/lesson/library.h"
#include "core/lesson/session.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

using namespace mm;

namespace {

std::string read(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::vector<std::filesystem::path> lesson_files() {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(MMLAB_LESSONS_DIR))
        if (entry.path().extension() == ".md" && entry.path().filename() != "README.md")
            files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
}

} // namespace

// What the page, the desktop app and `mmlab --grade` carry is exactly the
// lessons folder: every file but README.md, each parsed.
TEST(LessonTest, EveryLessonFileIsEmbeddedAndParses) {
    EXPECT_TRUE(lesson_errors().empty()) << lesson_errors().front();
    std::vector<std::string> files, embedded;
    for (const auto& path : lesson_files())
        files.push_back(path.stem().string());
    for (const Lesson& lesson : lessons())
        embedded.push_back(lesson.id);
    std::sort(embedded.begin(), embedded.end());
    EXPECT_EQ(embedded, files);
    EXPECT_FALSE(lesson_index("README")) << "the authors' guide is not a lesson";
    // Each embedded text is the file's, byte for byte.
    for (unsigned i = 0; i < embedded::lesson_file_count; ++i)
        EXPECT_EQ(embedded::lesson_files[i].text,
                  read(std::filesystem::path(MMLAB_LESSONS_DIR) /
                       (std::string(embedded::lesson_files[i].id) + ".md")));
    // Grouped by topic, ordered by position within it.
    const std::vector<Lesson>& all = lessons();
    for (size_t i = 1; i < all.size(); ++i)
        if (all[i].topic == all[i - 1].topic) {
            EXPECT_LE(all[i - 1].position, all[i].position);
        }
    // The ids for error messages: every id, and no path.
    for (const Lesson& lesson : all)
        EXPECT_NE(lesson_ids().find(lesson.id), std::string::npos);
    EXPECT_EQ(lesson_ids().find('/'), std::string::npos);
}

TEST(LessonTest, EveryLessonRunsAsATest) {
    ASSERT_FALSE(lessons().empty());
    for (const Lesson& lesson : lessons()) {
        SCOPED_TRACE(lesson.id);
        // The size rule of the lessons mmlab carries (lessons/README.md);
        // lessons from outside need not follow it.
        for (const std::string& problem : shipped_lesson_rule(lesson))
            ADD_FAILURE() << problem;
        // The lesson test proper, for several seeds if it has variables.
        for (const std::string& problem : check_lesson(lesson))
            ADD_FAILURE() << problem;
    }
}

TEST(LessonTest, BrokenLessonsSayWhatAndWhere) {
    struct Case {
        const char* text;
        const char* error;
    } cases[] = {
        {"# no front matter\n",
         "line 1: a lesson starts with a front matter: ---, title:, topic:, summary:, ---"},
        {"---\ntitle: T\ntopic: X\nsummary: S\n---\nprose only\n",
         "line 6: a lesson needs at least one step (## heading)"},
        {"---\ntitle: T\ntopic: X\nsummary: S\ncolour: red\n---\n",
         "line 5: unknown front matter key 'colour' (title, topic, summary, position)"},
        {"---\ntitle: T\ntopic: X\nsummary: S\n---\n## A\n```task\ngoal: g\ncheck: nr_free(\nhint: "
         "h\nsolution: s\n```\n",
         "line 9: check: col 9: unexpected end"},
        {"---\ntitle: T\ntopic: X\nsummary: S\n---\n## A\n```task\ngoal: g\ncheck: 1\n```\n",
         "line 7: a task needs goal:, check:, at least one hint: and solution:"},
        {"---\ntitle: T\ntopic: X\nsummary: S\n---\n## A\n```setup\nboot\n",
         "line 7: the ``` block is not closed"},
        {"---\ntitle: T\ntopic: X\nsummary: S\n---\n## A\n```highlight\npanels: map, "
         "freelists\n```\n",
         "line 8: panels: unknown panel 'freelists' (lessons, console, zones, map, free_lists, "
         "events, plots)"},
        {"---\ntitle: T\ntopic: X\nsummary: S\n---\n## A\n```predict\nquestion: q\nanswer: "
         "1\nexplain: e\nform: binary\n```\n",
         "line 11: form: 'binary' is not one of hex, dec, size, fraction"},
        {"---\ntitle: T\ntopic: X\nsummary: S\n---\n## A\n```predict\nquestion: q\nchoices: 1 "
         "| 2\nanswer: 1\nexplain: e\nform: hex\n```\n",
         "line 7: form: is for number answers, not for choices"},
        {"---\ntitle: T\ntopic: X\nsummary: S\n---\n## A\n```predict\nquestion: q\nanswer: "
         "1\nexplain: e\nhide: zones.free, zones.nr_free\n```\n",
         "line 11: hide: unknown value 'zones.nr_free' (zones.managed, zones.free, "
         "zones.watermarks, zones.reserve, free_lists, map.pfn, plots.unusable)"},
        {"---\ntitle: T\ntopic: X\nsummary: S\n---\n## A\n```recap\nr\n```\n```recap\ns\n```\n",
         "line 10: a lesson has at most one ```recap block"},
    };
    for (const Case& c : cases) {
        std::string error;
        EXPECT_FALSE(parse_lesson("t", c.text, &error)) << c.text;
        EXPECT_EQ(error, c.error);
    }
}

// The panel names are core/lesson's vocabulary: the lessons name no other.
TEST(LessonTest, PanelsHideFormAndRecapParse) {
    EXPECT_EQ(panel_names(), (std::vector<std::string_view>{"lessons", "console", "zones", "map",
                                                            "free_lists", "events", "plots"}));
    std::string error;
    const std::optional<Lesson> lesson = parse_lesson(
        "t",
        "---\ntitle: T\ntopic: X\nsummary: S\n---\n## A\n```highlight\npanels: console, "
        "free_lists\n```\n```predict\nquestion: q\nanswer: 1\nexplain: e\nform: fraction\n"
        "hide: free_lists, map.pfn\n```\n```recap\n- one\n- two\n```\n",
        &error);
    ASSERT_TRUE(lesson) << error;
    const LessonStep& step = lesson->steps[0];
    EXPECT_EQ(step.panels, (std::vector<std::string>{"console", "free_lists"}));
    ASSERT_TRUE(step.prediction);
    EXPECT_EQ(step.prediction->form, AnswerForm::Fraction);
    EXPECT_EQ(step.prediction->hide, (std::vector<std::string>{"free_lists", "map.pfn"}));
    EXPECT_EQ(lesson->recap, "- one\n- two\n");
    for (const Lesson& shipped : lessons())
        for (const LessonStep& s : shipped.steps)
            for (const std::string& name : s.panels)
                EXPECT_NE(std::find(panel_names().begin(), panel_names().end(), name),
                          panel_names().end())
                    << shipped.id << ": " << name;
}

TEST(LessonTest, VerifyCatchesATaskAlreadyDoneAndAWrongExpectation) {
    std::string error;
    auto lesson = parse_lesson(
        "t",
        "---\ntitle: T\ntopic: X\nsummary: S\n---\n## A\n```setup\nboot arch=toy\n```\n"
        "```task\ngoal: g\ncheck: free() == 16\nhint: h\nsolution: help\n```\n"
        "## B\n```predict\nquestion: q\nanswer: free()\nexpect: 15\nexplain: e\n```\n",
        &error);
    ASSERT_TRUE(lesson) << error;
    auto problems = verify_lesson(*lesson);
    ASSERT_EQ(problems.size(), 2u);
    EXPECT_EQ(problems[0],
              "line 10: step 1 (A): the task's check is already true when the step starts");
    EXPECT_EQ(problems[1], "line 20: step 2 (B): expect: 15 but the simulation gives 16");
}

// The example in lessons/README.md is a real lesson: it must parse and pass.
TEST(LessonTest, TheReadmeExampleIsAWorkingLesson) {
    std::string readme = read(std::filesystem::path(MMLAB_LESSONS_DIR) / "README.md");
    size_t start = readme.find("````markdown\n---\ntitle: Splitting");
    ASSERT_NE(start, std::string::npos);
    start += 13; // past "````markdown\n"
    size_t end = readme.find("````", start);
    std::string error;
    auto lesson = parse_lesson("splitting", readme.substr(start, end - start), &error);
    ASSERT_TRUE(lesson) << error;
    EXPECT_EQ(lesson->steps.size(), 2u);
    EXPECT_TRUE(verify_lesson(*lesson).empty());
}

// What the lesson test (and `mmlab --check-lesson`) refuses, each problem
// with the file's line: the author can go straight to it.
TEST(LessonTest, VerifyGivesEachProblemItsLine) {
    // Line 6 is "## A", line 7 the first block.
    const std::string head = "---\ntitle: T\ntopic: X\nsummary: S\n---\n## A\n";
    const std::string boot = "```setup\nboot arch=toy ram=64K\n```\n"; // lines 7-9
    const auto task = [](const std::string& check, const std::string& solution) {
        return "```task\ngoal: g\ncheck: " + check + "\nhint: h\nsolution: " + solution + "\n```\n";
    };
    const auto predict = [](const std::string& rest) {
        return "```predict\nquestion: q\n" + rest + "explain: e\n```\n";
    };
    struct Case {
        std::string text;
        std::vector<std::string> problems;
    } cases[] = {
        {head + "```setup\nboot arch=toy ram=64K\nalloc_pages order=11\n```\n",
         {"line 7: step 1 (A): setup command 'alloc_pages order=11' failed: "}},
        {head + boot + task("nosuch(1) == 1 && ram2 > 0 && ram() > 0 && free > 0", "help"),
         {"line 12: step 1 (A): check: unknown function 'nosuch' (mmlab --help-functions lists "
          "them)",
          "line 12: step 1 (A): check: unknown function 'ram' (a name: write it without ()) "
          "(mmlab --help-functions lists them)",
          "line 12: step 1 (A): check: unknown name 'ram2' (mmlab --help-functions lists them)",
          "line 12: step 1 (A): check: unknown name 'free' (a function: write free(...)) (mmlab "
          "--help-functions lists them)"}},
        {head + boot + predict("answer: nr_free(order=0) + nosuch\n"),
         {"line 12: step 1 (A): answer: unknown name 'nosuch' (mmlab --help-functions lists "
          "them)"}},
        // A check naming a block the solution never allocates: it errors
        // before the task is done (allowed) and after the solution (not).
        {head + boot + task("order_of(\"b\") == 0", "alloc_pages as=a"),
         {"line 12: step 1 (A): check: order_of: no allocated block is named 'b' (after the "
          "solution)"}},
        {head + boot + task("allocated(\"a\")", "alloc_pages as=a"), {}},
        {head + boot + task("blocks() == 2", "alloc_pages as=a"),
         {"line 12: step 1 (A): the task's check is false after its solution"}},
        {head + boot + task("blocks() == 0", "help"),
         {"line 10: step 1 (A): the task's check is already true when the step starts"}},
        {head + boot + predict("answer: managed()\nexpect: 15\n"),
         {"line 13: step 1 (A): expect: 15 but the simulation gives 16"}},
        {head + boot + predict("answer: managed()\nexpect: 64 / 4\n"), {}},
        {head + boot + predict("answer: managed()\nexpect: managed()\n"),
         {"line 13: step 1 (A): expect: 'managed()' is neither an answer nor a constant "
          "expression (a computed expect: uses numbers only, not functions or names)"}},
        {head + boot + predict("answer: order_of(\"zz\")\n"),
         {"line 12: step 1 (A): answer: order_of: no allocated block is named 'zz'"}},
        {head + boot + predict("choices: 1 | 2\nanswer: managed()\n"),
         {"line 10: step 1 (A): the answer 16 is not one of the choices"}},
    };
    for (const Case& c : cases) {
        std::string error;
        const std::optional<Lesson> lesson = parse_lesson("t", c.text, &error);
        ASSERT_TRUE(lesson) << error << "\n" << c.text;
        const std::vector<std::string> problems = verify_lesson(*lesson);
        ASSERT_EQ(problems.size(), c.problems.size())
            << c.text << (problems.empty() ? "" : problems[0]);
        for (size_t i = 0; i < problems.size(); ++i)
            EXPECT_EQ(problems[i].substr(0, c.problems[i].size()), c.problems[i]) << c.text;
    }
}

// The shipped lessons' size rule, and only theirs: an outside lesson of one
// step is checked all the same (check_lesson has no size rule).
TEST(LessonTest, TheSizeRuleIsForShippedLessonsOnly) {
    std::string error;
    const std::optional<Lesson> small = parse_lesson(
        "small", "---\ntitle: T\ntopic: X\nsummary: S\n---\n## A\n```setup\nboot\n```\n", &error);
    ASSERT_TRUE(small) << error;
    EXPECT_TRUE(check_lesson(*small).empty());
    EXPECT_EQ(shipped_lesson_rule(*small),
              (std::vector<std::string>{
                  "small: 1 steps; a lesson mmlab carries has at least 10",
                  "small: 0 steps with a task or question; a lesson mmlab carries has at least "
                  "4"}));
}

// A file saved with a UTF-8 byte order mark and CRLF line ends (a Windows
// editor's habit) parses as the same lesson.
TEST(LessonTest, AByteOrderMarkAndCrlfAreAccepted) {
    const std::string text = "---\ntitle: T\ntopic: X\nsummary: S\n---\n## A\nProse.\n";
    std::string crlf;
    for (char c : text)
        crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
    std::string error;
    const std::optional<Lesson> plain = parse_lesson("t", text, &error);
    const std::optional<Lesson> windows = parse_lesson("t", "\xef\xbb\xbf" + crlf, &error);
    ASSERT_TRUE(plain && windows) << error;
    EXPECT_EQ(windows->title, "T");
    EXPECT_EQ(windows->steps.size(), 1u);
    EXPECT_EQ(windows->steps[0].body, plain->steps[0].body);
}
