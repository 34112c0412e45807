// Lesson progress as the page keeps it: what a student did survives the
// round trip through JSON, the format before sessions still loads, and text
// that is not progress changes nothing.
#include "core/lesson/library.h"
#include "core/lesson/progress.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace mm;

namespace {

std::vector<LessonSession> sessions_on(Lab& lab) {
    std::vector<LessonSession> sessions;
    for (const Lesson& lesson : lessons())
        sessions.emplace_back(lesson, lab);
    return sessions;
}

LessonSession& session_of(std::vector<LessonSession>& sessions, std::string_view id) {
    return sessions[*lesson_index(id)];
}

void expect_same(const StepRecord& a, const StepRecord& b) {
    EXPECT_EQ(a.status, b.status);
    EXPECT_EQ(a.hints_shown, b.hints_shown);
    EXPECT_EQ(a.solution_shown, b.solution_shown);
    EXPECT_EQ(a.revealed, b.revealed);
    ASSERT_EQ(a.attempts.size(), b.attempts.size());
    for (size_t i = 0; i < a.attempts.size(); ++i) {
        EXPECT_EQ(a.attempts[i].answer, b.attempts[i].answer);
        EXPECT_EQ(a.attempts[i].right, b.attempts[i].right);
        EXPECT_EQ(a.attempts[i].history, b.attempts[i].history);
    }
    EXPECT_EQ(a.completion, b.completion);
    ASSERT_EQ(a.computed.has_value(), b.computed.has_value());
    if (a.computed) {
        EXPECT_EQ(a.computed->kind, b.computed->kind);
        EXPECT_EQ(a.computed->text(), b.computed->text());
    }
}

} // namespace

TEST(ProgressTest, WhatAStudentDidSurvivesTheRoundTrip) {
    Lab lab;
    std::vector<LessonSession> sessions = sessions_on(lab);
    LessonSession& buddy = session_of(sessions, "buddy-allocator");
    ASSERT_EQ(buddy.start_step(0), std::nullopt);
    ASSERT_EQ(buddy.answer("16"), std::nullopt);
    ASSERT_EQ(buddy.next(), std::nullopt);
    ASSERT_EQ(buddy.show_hint(), std::nullopt);
    buddy.run("cat /proc/buddyinfo");
    ASSERT_EQ(buddy.next(), std::nullopt);
    ASSERT_EQ(buddy.answer("0"), std::nullopt);
    ASSERT_EQ(buddy.answer("4"), std::nullopt);
    const std::string text = save_progress(sessions);

    const nlohmann::json json = nlohmann::json::parse(text);
    EXPECT_EQ(json["version"], 4);
    EXPECT_EQ(json["lessons"].size(), 1u) << "only lessons with something in them";
    const nlohmann::json& steps = json["lessons"]["buddy-allocator"]["steps"];
    EXPECT_EQ(steps[0]["status"], "unaided");
    EXPECT_EQ(steps[1]["status"], "after_help");
    const nlohmann::json& step3 = steps[2];
    EXPECT_EQ(step3["status"], "after_help");
    EXPECT_EQ(step3["done"], true);
    EXPECT_EQ(step3["revealed"], true);
    EXPECT_EQ(step3["computed"], 4);
    EXPECT_EQ(step3["attempts"][0]["answer"], "0");
    EXPECT_EQ(step3["attempts"][0]["right"], false);
    EXPECT_EQ(step3["attempts"][1]["right"], true);
    // What a submission needs (format 4): the command that did step 2's task
    // (a read-only one) with the machine before it, and each answer's machine.
    const nlohmann::json& done = steps[1]["completion"];
    EXPECT_EQ(done["cmd"], "cat /proc/buddyinfo");
    EXPECT_EQ(done["ok"], true);
    EXPECT_EQ(done["changed"], false);
    EXPECT_EQ(done["history"], "boot arch=toy ram=64K\n");
    EXPECT_EQ(step3["attempts"][1]["history"], "boot arch=toy ram=64K\n");
    EXPECT_TRUE(steps[0]["completion"].is_null()) << "a question has no completion";

    Lab other;
    std::vector<LessonSession> restored = sessions_on(other);
    ASSERT_EQ(load_progress(restored, text), std::nullopt);
    const LessonSession& back = session_of(restored, "buddy-allocator");
    EXPECT_FALSE(back.started());
    EXPECT_EQ(back.current(), 2u);
    for (size_t s = 0; s < buddy.records().size(); ++s) {
        SCOPED_TRACE(s);
        expect_same(back.record(s), buddy.record(s));
    }
    EXPECT_EQ(back.record(1).status, StepStatus::AfterHelp);
    EXPECT_EQ(back.record(1).hints_shown, 1);
    EXPECT_EQ(save_progress(restored), text);
}

// Format 3 had no histories: its outcomes load, with nothing to replay.
TEST(ProgressTest, FormatThreeLoadsWithoutHistories) {
    Lab lab;
    std::vector<LessonSession> sessions = sessions_on(lab);
    const char* text = R"({"version":3,"lessons":{"buddy-allocator":{"step":2,"steps":[
        {"status":"unaided","done":true,"hints":0,"solutionShown":false,"revealed":true,
         "attempts":[{"answer":"16","right":true}],"computed":16},
        {"status":"after_help","done":true,"hints":1,"solutionShown":false,"revealed":false,
         "attempts":[],"computed":null}]}}})";
    ASSERT_EQ(load_progress(sessions, text), std::nullopt);
    const LessonSession& buddy = session_of(sessions, "buddy-allocator");
    EXPECT_EQ(buddy.record(0).status, StepStatus::Unaided);
    ASSERT_EQ(buddy.record(0).attempts.size(), 1u);
    EXPECT_EQ(buddy.record(0).attempts[0].history, "");
    EXPECT_EQ(buddy.record(1).status, StepStatus::AfterHelp);
    EXPECT_FALSE(buddy.record(1).completion.has_value());
    EXPECT_EQ(nlohmann::json::parse(save_progress(sessions))["version"], 4);
}

// What browsers kept before sessions: flags per step.
TEST(ProgressTest, FormatOneStillLoads) {
    Lab lab;
    std::vector<LessonSession> sessions = sessions_on(lab);
    const char* text =
        R"({"version":1,"lessons":{"buddy-allocator":{"step":6,"steps":[)"
        R"({"done":true,"hints":0,"shown":false,"answered":true,"answer":"16","computed":"16","right":true},)"
        R"({"done":true,"hints":1,"shown":false,"answered":false,"answer":"","computed":"","right":false},)"
        R"({"done":true,"answered":true,"answer":"0","computed":"4","right":false},)"
        R"({},{},{},{"done":true,"hints":2,"shown":true}]},"gone-lesson":{"step":1}}})";
    ASSERT_EQ(load_progress(sessions, text), std::nullopt);
    const LessonSession& buddy = session_of(sessions, "buddy-allocator");
    EXPECT_EQ(buddy.current(), 6u);
    EXPECT_EQ(buddy.record(0).status, StepStatus::Unaided);
    ASSERT_EQ(buddy.record(0).attempts.size(), 1u);
    EXPECT_TRUE(buddy.record(0).first_right());
    ASSERT_TRUE(buddy.record(0).computed.has_value());
    EXPECT_EQ(buddy.record(0).computed->kind, Value::Kind::Int);
    EXPECT_EQ(buddy.record(0).computed->i, 16);
    EXPECT_EQ(buddy.record(1).status, StepStatus::AfterHelp) << "done after a hint";
    EXPECT_EQ(buddy.record(1).hints_shown, 1);
    EXPECT_FALSE(buddy.record(1).computed.has_value());
    EXPECT_EQ(buddy.record(2).status, StepStatus::Shown)
        << "a wrong first answer was shown the lab's answer then";
    EXPECT_FALSE(buddy.record(2).first_right());
    EXPECT_EQ(buddy.record(3).status, StepStatus::NotStarted);
    EXPECT_EQ(buddy.record(6).status, StepStatus::Shown);
    EXPECT_TRUE(buddy.record(6).solution_shown);
    EXPECT_EQ(buddy.score().done, 4u);
}

// What browsers kept with format 2: statuses that said what, not how.
TEST(ProgressTest, FormatTwoIsMigratedToOutcomes) {
    Lab lab;
    std::vector<LessonSession> sessions = sessions_on(lab);
    const char* text =
        R"({"version":2,"lessons":{"buddy-allocator":{"step":3,"steps":[)"
        R"({"status":"answered","answered":true,"attempts":[{"answer":"16","right":true}],"computed":16},)"
        R"({"status":"task_done","hints":0},)"
        R"({"status":"answered","answered":true,"attempts":[{"answer":"0","right":false},{"answer":"4","right":true}]},)"
        R"({"status":"read"},{"status":"skipped"},{"status":"set_up"},)"
        R"({"status":"task_done","hints":2},{"status":"shown","hints":1,"solutionShown":true}]}}})";
    ASSERT_EQ(load_progress(sessions, text), std::nullopt);
    const LessonSession& buddy = session_of(sessions, "buddy-allocator");
    EXPECT_EQ(buddy.current(), 3u);
    EXPECT_EQ(buddy.record(0).status, StepStatus::Unaided);
    EXPECT_TRUE(buddy.record(0).revealed);
    EXPECT_EQ(buddy.record(1).status, StepStatus::Unaided);
    EXPECT_EQ(buddy.record(2).status, StepStatus::Shown);
    EXPECT_EQ(buddy.record(2).attempts.size(), 2u);
    EXPECT_EQ(buddy.record(3).status, StepStatus::Read);
    EXPECT_EQ(buddy.record(4).status, StepStatus::Shown);
    EXPECT_EQ(buddy.record(5).status, StepStatus::SetUp);
    EXPECT_EQ(buddy.record(6).status, StepStatus::AfterHelp);
    EXPECT_EQ(buddy.record(7).status, StepStatus::Shown);
    const nlohmann::json saved = nlohmann::json::parse(save_progress(sessions));
    EXPECT_EQ(saved["version"], 4);
    EXPECT_EQ(saved["lessons"]["buddy-allocator"]["steps"][6]["status"], "after_help");
}

TEST(ProgressTest, TextThatIsNotProgressChangesNothing) {
    Lab lab;
    std::vector<LessonSession> sessions = sessions_on(lab);
    LessonSession& buddy = session_of(sessions, "buddy-allocator");
    ASSERT_EQ(buddy.start_step(0), std::nullopt);
    ASSERT_EQ(buddy.answer("16"), std::nullopt);
    const std::string before = save_progress(sessions);
    struct Case {
        const char* text;
        const char* error;
    } cases[] = {
        {"{not json", "not a JSON object"},
        {"[1,2,3]", "not a JSON object"},
        {R"({"version":99})", "not progress of format 1 to 4"},
        {R"({"version":2})", "no \"lessons\" object"},
        {R"({"version":1,"lessons":{"buddy-allocator":{"steps":[{"done":"yes"}]}}})",
         "lesson buddy-allocator, step 1: bad fields"},
        {R"({"version":2,"lessons":{"buddy-allocator":{"steps":[{"status":"perfect"}]}}})",
         "lesson buddy-allocator, step 1: bad fields"},
        {R"({"version":3,"lessons":{"buddy-allocator":{"steps":[{"status":"task_done"}]}}})",
         "lesson buddy-allocator, step 1: bad fields"},
        {R"({"version":2,"lessons":{"buddy-allocator":{"step":-1}}})",
         "lesson buddy-allocator: a bad step"},
        {R"({"version":2,"lessons":{"buddy-allocator":{"steps":{}}}})",
         "lesson buddy-allocator: \"steps\" is not a list"},
    };
    for (const Case& c : cases) {
        EXPECT_EQ(load_progress(sessions, c.text), c.error) << c.text;
        EXPECT_EQ(save_progress(sessions), before) << c.text;
    }
}
