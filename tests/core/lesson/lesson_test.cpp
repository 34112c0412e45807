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
        EXPECT_GE(lesson.steps.size(), 10u);
        size_t checked = 0;
        for (const LessonStep& step : lesson.steps)
            checked += step.task || step.prediction;
        EXPECT_GE(checked, 4u);
        for (const std::string& problem : verify_lesson(lesson))
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
    };
    for (const Case& c : cases) {
        std::string error;
        EXPECT_FALSE(parse_lesson("t", c.text, &error)) << c.text;
        EXPECT_EQ(error, c.error);
    }
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
    EXPECT_EQ(problems[0], "step 1 (A): the task's check is already true when the step starts");
    EXPECT_EQ(problems[1], "step 2 (B): expect: 15 but the simulation gives 16");
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
