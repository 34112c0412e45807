// Every lesson is a test: each file under lessons/ parses, every setup runs,
// every task's check is false when its step starts and true after its
// solution, and every prediction's answer is what the simulation gives.
#include "core/lesson/lesson.h"

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

TEST(LessonTest, EveryLessonParsesAndRunsAsATest) {
    auto files = lesson_files();
    ASSERT_FALSE(files.empty());
    for (const auto& path : files) {
        SCOPED_TRACE(path.filename().string());
        std::string error;
        auto lesson = parse_lesson(path.stem().string(), read(path), &error);
        ASSERT_TRUE(lesson) << error;
        EXPECT_GE(lesson->steps.size(), 10u);
        size_t checked = 0;
        for (const LessonStep& step : lesson->steps)
            checked += step.task || step.prediction;
        EXPECT_GE(checked, 4u);
        for (const std::string& problem : verify_lesson(*lesson))
            ADD_FAILURE() << problem;
    }
}

TEST(LessonTest, ReachStepReplaysEarlierStepsLikeAStudent) {
    std::string error;
    auto lesson =
        parse_lesson("buddy-allocator",
                     read(std::filesystem::path(MMLAB_LESSONS_DIR) / "buddy-allocator.md"), &error);
    ASSERT_TRUE(lesson) << error;
    Lab lab;
    ASSERT_FALSE(reach_step(lab, *lesson, 3)); // "Where the upper halves went"
    EXPECT_TRUE(lab.machine().find_allocation("a"));
    EXPECT_EQ(lab.machine().nodes()[0].zones[0].free_area[2].head, 4u);
}

TEST(LessonTest, PredictionsAreComputedOnACopy) {
    std::string error;
    auto lesson = parse_lesson(
        "t",
        "---\ntitle: T\ntopic: X\nsummary: S\n---\n## One\n```setup\nboot arch=toy\n```\n"
        "```predict\nquestion: Q?\nchoices: 3 | 4\nreveal: alloc_pages\nanswer: last.from_order\n"
        "explain: E\n```\n",
        &error);
    ASSERT_TRUE(lesson) << error;
    Lab lab;
    ASSERT_FALSE(run_setup(lab, lesson->steps[0]));
    auto answer = predict(lab, *lesson->steps[0].prediction, &error);
    ASSERT_TRUE(answer) << error;
    EXPECT_EQ(answer->i, 4);
    EXPECT_TRUE(answer_matches(*answer, " 4 "));
    EXPECT_FALSE(answer_matches(*answer, "3"));
    EXPECT_EQ(lab.machine().total_free(), 16u); // the lab itself did not change
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
