// The compact progress a SCORM package keeps in the LMS (suspend.h): the
// text written for a session played by hand, and read back onto a fresh
// session of the same lesson; other lessons, versions and damaged text are
// refused and change nothing.
#include "shipped_lessons.h"

#include "core/base/verify.h"
#include "core/lesson/library.h"
#include "core/lesson/suspend.h"

#include <gtest/gtest.h>

#include <string>

using namespace mm;

using test::lesson_named;

TEST(SuspendTest, OutcomesGoAndComeBack) {
    const Lesson& buddy = lesson_named("buddy-allocator");
    const size_t steps = buddy.steps.size();
    ASSERT_GT(steps, 3u);
    Lab lab;
    LessonSession session(buddy, lab);
    ASSERT_EQ(session.start_step(0), std::nullopt);
    // Step 1 asks how many frames 64 KiB holds: 16, at the first answer.
    ASSERT_EQ(session.answer("16"), std::nullopt);
    ASSERT_EQ(session.next(), std::nullopt); // step 2: a task, shown by Next
    ASSERT_EQ(session.next(), std::nullopt);
    const std::string text = suspend_data(session);
    EXPECT_EQ(text, "mmlab1:" + buddy.hash + ":3:uxs" + std::string(steps - 3, '.'));
    EXPECT_LT(text.size(), 4096u);

    Lab other;
    LessonSession resumed(buddy, other);
    std::string error;
    EXPECT_EQ(resume_suspend_data(resumed, text, &error), std::optional<size_t>(2)) << error;
    EXPECT_EQ(resumed.record(0).status, StepStatus::Unaided);
    EXPECT_TRUE(resumed.record(0).revealed);
    EXPECT_EQ(resumed.record(1).status, StepStatus::Shown);
    EXPECT_EQ(resumed.record(2).status, StepStatus::SetUp);
    EXPECT_EQ(resumed.record(3).status, StepStatus::NotStarted);
    EXPECT_EQ(resumed.current(), 2u);
    EXPECT_EQ(lesson_percent(resumed.score()), lesson_percent(session.score()));
    EXPECT_EQ(other.commands_run(), 0u) << "resuming runs nothing";
}

TEST(SuspendTest, OtherLessonsVersionsAndDamageAreRefused) {
    const Lesson& buddy = lesson_named("buddy-allocator");
    const Lesson& zones = lesson_named("nodes-and-zones");
    Lab lab;
    LessonSession session(buddy, lab);
    ASSERT_EQ(session.start_step(0), std::nullopt);
    const size_t steps = buddy.steps.size();
    const std::string codes = std::string(steps, 'u');
    const std::string h = buddy.hash;
    const std::pair<std::string, std::string> cases[] = {
        {"", "the progress kept by the learning management system is not mmlab's"},
        {"mmlab2:" + h + ":1:" + codes,
         "the progress kept by the learning management system is not mmlab's"},
        {"mmlab1:" + zones.hash + ":1:" + codes,
         "the progress kept by the learning management system is of another version of "
         "lesson buddy-allocator"},
        {"mmlab1:" + h + ":0:" + codes,
         "the progress kept by the learning management system is damaged"},
        {"mmlab1:" + h + ":" + std::to_string(steps + 1) + ":" + codes,
         "the progress kept by the learning management system is damaged"},
        {"mmlab1:" + h + ":1x:" + codes,
         "the progress kept by the learning management system is damaged"},
        {"mmlab1:" + h + ":1:" + codes + "u",
         "the progress kept by the learning management system is damaged"},
        {"mmlab1:" + h + ":1:" + std::string(steps - 1, 'u') + "?",
         "the progress kept by the learning management system is damaged"},
    };
    for (const auto& [text, why] : cases) {
        std::string error;
        EXPECT_EQ(resume_suspend_data(session, text, &error), std::nullopt) << text;
        EXPECT_EQ(error, why) << text;
        EXPECT_EQ(session.record(0).status, StepStatus::SetUp) << text;
    }
}
