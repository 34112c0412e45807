// The lesson session: moving between steps, tasks done by the student or
// shown, predictions with their attempts, reach_step as the steps done one
// by one, and grading a state. Expected values come from the lessons' own
// text and the buddy allocator's rules, on the toy machine (64 KiB: 16
// frames, one order-4 block after boot).
#include "shipped_lessons.h"

#include "core/base/verify.h"
#include "core/lesson/library.h"
#include "core/lesson/session.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace mm;

namespace {

using test::lesson_named;

const Lesson& buddy() {
    return lesson_named("buddy-allocator");
}

// buddy-allocator's steps (0-based) that the tests use.
constexpr size_t kFrames = 0;      // "Page frames and pfns": how many frames? (a number)
constexpr size_t kSplitting = 2;   // "Splitting: who gets which half": from which order?
constexpr size_t kUpperHalves = 3; // "Where the upper halves went"
constexpr size_t kMerging = 5;     // "Merging on free": reveal `free_pages a`
constexpr size_t kBuddyInUse = 6;  // "A buddy still in use": the task "free x, keep y"

// A lesson of one step of each kind, then (Last::Broken) one whose setup fails.
enum class Last : uint8_t { Question, Broken };
Lesson small_lesson(Last last = Last::Broken) {
    const std::string broken = "## Broken\n```setup\nalloc_pages order=11\n```\n";
    std::string error;
    std::optional<Lesson> lesson = parse_lesson("small",
                                                "---\ntitle: Small\ntopic: X\nsummary: S\n---\n"
                                                "## Read\n```setup\nboot arch=toy ram=64K\n```\n"
                                                "Prose only.\n"
                                                "## Task\n```task\ngoal: Allocate t.\n"
                                                "check: allocated(\"t\")\nhint: h1\nhint: h2\n"
                                                "solution: alloc_pages as=t\n```\n"
                                                "## Ask\n```predict\nquestion: From which order?\n"
                                                "choices: 0 | 1 | 2 | 3 | 4\n"
                                                "reveal: alloc_pages as=u\n"
                                                "answer: last.from_order\nexpect: 0\n"
                                                "explain: e\n```\n" +
                                                    (last == Last::Broken ? broken : ""),
                                                &error);
    MM_VERIFY(lesson.has_value());
    return *lesson;
}

bool allocated(const Lab& lab, const std::string& name) {
    return lab.machine().find_allocation(name).has_value();
}

size_t count_of(const std::string& text, const std::string& what) {
    size_t n = 0;
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
        ++n;
    return n;
}

const FreeArea& free_area(const Lab& lab, unsigned order) {
    return lab.machine().nodes()[0].zones[0].free_area[order];
}

} // namespace

TEST(SessionTest, AStepStartsByRunningItsSetupThroughTheRunner) {
    const Lesson lesson = small_lesson();
    Lab lab;
    std::vector<std::string> ran;
    LessonSession session(lesson, lab, [&](std::string_view text) {
        ran.emplace_back(text);
        return lab.run(text);
    });
    EXPECT_FALSE(session.started());
    EXPECT_EQ(session.record(0).status, StepStatus::NotStarted);
    ASSERT_EQ(session.start_step(0), std::nullopt);
    EXPECT_EQ(ran, std::vector<std::string>{"boot arch=toy ram=64K\n"});
    EXPECT_TRUE(session.started());
    EXPECT_EQ(session.starts(), 1u);
    EXPECT_EQ(session.current(), 0u);
    EXPECT_EQ(session.record(0).status, StepStatus::SetUp);
    EXPECT_EQ(lab.machine().total_free(), 16u); // 64 KiB / 4 KiB
    EXPECT_EQ(session.start_step(4), "lesson small has steps 1 to 4, not 5");
}

TEST(SessionTest, MovesNeedAStartedSession) {
    const Lesson lesson = small_lesson();
    Lab lab;
    LessonSession session(lesson, lab);
    const std::string why = "lesson small has not started: start a step first";
    EXPECT_EQ(session.next(), why);
    EXPECT_EQ(session.previous(), why);
    EXPECT_EQ(session.restart_step(), why);
    EXPECT_EQ(session.answer("0"), why);
    EXPECT_EQ(session.show_solution(), why);
    EXPECT_EQ(session.show_hint(), why);
    EXPECT_EQ(lab.commands_run(), 0u);
}

// Next leaves a step as a student who did it would: a reading step is read,
// a task not done gets its solution, a question not answered its reveal.
TEST(SessionTest, NextLeavesEachKindOfStepAsAStudentWhoDidItWould) {
    const Lesson lesson = small_lesson(Last::Question);
    Lab lab;
    LessonSession session(lesson, lab);
    ASSERT_EQ(session.start_step(0), std::nullopt);

    ASSERT_EQ(session.next(), std::nullopt);
    EXPECT_EQ(session.record(0).status, StepStatus::Read);
    EXPECT_TRUE(is_done(session.record(0).status));
    EXPECT_EQ(session.current(), 1u);
    EXPECT_EQ(session.record(1).status, StepStatus::SetUp);
    EXPECT_FALSE(allocated(lab, "t"));

    ASSERT_EQ(session.next(), std::nullopt);
    EXPECT_TRUE(allocated(lab, "t")) << "the solution ran";
    EXPECT_EQ(session.record(1).status, StepStatus::Shown) << "Next on a task not done shows it";
    EXPECT_TRUE(is_done(session.record(1).status));

    ASSERT_EQ(session.next(), std::nullopt);
    EXPECT_TRUE(allocated(lab, "u")) << "the reveal ran";
    EXPECT_EQ(session.record(2).status, StepStatus::Shown);
    EXPECT_TRUE(session.record(2).attempts.empty());
    EXPECT_TRUE(session.finished()) << "that was the last step";
    EXPECT_EQ(session.current(), 2u);
    const LessonScore score = session.score();
    EXPECT_EQ(score.done, 3u);
    EXPECT_EQ(score.tasks_shown, 1u);
    EXPECT_EQ(score.questions_shown, 1u);
    EXPECT_EQ(score.answered, 0u);
}

// A setup command that fails is a lesson bug: the move says which, and the
// lab and the session stay as they were.
TEST(SessionTest, AFailingSetupChangesNothing) {
    const Lesson lesson = small_lesson();
    Lab lab;
    LessonSession session(lesson, lab);
    ASSERT_EQ(session.reach_step(2), std::nullopt);
    const std::string history = lab.history_text();
    const uint64_t starts = session.starts();
    const std::string why =
        "step 4 (Broken): setup command 'alloc_pages order=11' failed: order=11: must be 0 to 10";
    EXPECT_EQ(session.next(), why);
    EXPECT_EQ(session.current(), 2u);
    EXPECT_EQ(session.record(2).status, StepStatus::SetUp);
    EXPECT_FALSE(session.revealed());
    EXPECT_EQ(session.starts(), starts);
    EXPECT_EQ(lab.history_text(), history);
    EXPECT_EQ(session.reach_step(3), why);
    EXPECT_EQ(lab.history_text(), history);
    EXPECT_EQ(session.record(1).status, StepStatus::Shown);
}

TEST(SessionTest, ATaskIsDoneByTheStudentsOwnCommands) {
    Lab lab;
    LessonSession session(buddy(), lab);
    ASSERT_EQ(session.reach_step(kBuddyInUse), std::nullopt);
    EXPECT_EQ(session.record(kBuddyInUse).status, StepStatus::SetUp);
    // The wrong block: the check wants y kept.
    session.run("free_pages y");
    EXPECT_EQ(session.record(kBuddyInUse).status, StepStatus::SetUp);
    session.run("undo");
    session.run("free_pages x");
    EXPECT_EQ(session.record(kBuddyInUse).status, StepStatus::Unaided);
    // x (pfn 0) cannot merge with its buddy y (pfn 1): alone on the order-0 list.
    EXPECT_EQ(free_area(lab, 0).nr_free, 1u);
    EXPECT_EQ(free_area(lab, 0).head, 0u);
    // Taking the command back does not take back what was done.
    session.run("undo");
    EXPECT_EQ(session.record(kBuddyInUse).status, StepStatus::Unaided);
    EXPECT_EQ(session.score().tasks_unaided, 1u);
    // Nor does doing it again with a hint, after restarting the step.
    ASSERT_EQ(session.restart_step(), std::nullopt);
    ASSERT_EQ(session.show_hint(), std::nullopt);
    session.run("free_pages x");
    EXPECT_EQ(session.record(kBuddyInUse).status, StepStatus::Unaided);
}

TEST(SessionTest, ATaskShownIsDoneWithHelp) {
    Lab lab;
    LessonSession session(buddy(), lab);
    ASSERT_EQ(session.reach_step(kBuddyInUse), std::nullopt);
    EXPECT_EQ(session.show_hint(), std::nullopt);
    EXPECT_EQ(session.show_hint(), std::nullopt);
    EXPECT_EQ(session.show_hint(), "step 7 (A buddy still in use) has no more hints");
    EXPECT_EQ(session.record(kBuddyInUse).hints_shown, 2);
    EXPECT_FALSE(session.solution_ran());
    ASSERT_EQ(session.show_solution(), std::nullopt);
    EXPECT_TRUE(session.solution_ran());
    EXPECT_TRUE(session.record(kBuddyInUse).solution_shown);
    EXPECT_EQ(session.record(kBuddyInUse).status, StepStatus::Shown);
    EXPECT_FALSE(allocated(lab, "x"));
    const LessonScore score = session.score();
    // This task, and step 2's, which reach_step passed with its solution.
    EXPECT_EQ(score.tasks_shown, 2u);
    EXPECT_EQ(score.tasks_unaided + score.tasks_after_hints, 0u);
    EXPECT_EQ(score.hints, 2u);
}

TEST(SessionTest, AWrongAnswerRunsNothingAndTheStudentTriesAgain) {
    Lab lab;
    LessonSession session(buddy(), lab);
    ASSERT_EQ(session.reach_step(kSplitting), std::nullopt);
    const std::string history = lab.history_text();

    // Not a choice: refused, nothing runs.
    EXPECT_EQ(session.answer("5"), "'5' is not one of the choices: 0 | 1 | 2 | 3 | 4");
    EXPECT_TRUE(session.record(kSplitting).attempts.empty());
    EXPECT_EQ(lab.history_text(), history);

    // Wrong: lists 0 to 3 are empty after boot, the block comes from order 4.
    // The attempt is kept; the reveal does not run; the question stays open.
    ASSERT_EQ(session.answer("0"), std::nullopt);
    const StepRecord& r = session.record(kSplitting);
    ASSERT_EQ(r.attempts.size(), 1u);
    EXPECT_EQ(r.attempts[0].answer, "0");
    EXPECT_FALSE(r.attempts[0].right);
    EXPECT_FALSE(r.revealed);
    EXPECT_TRUE(r.retrying());
    EXPECT_EQ(r.status, StepStatus::SetUp);
    EXPECT_FALSE(session.revealed());
    EXPECT_EQ(lab.history_text(), history);
    EXPECT_FALSE(allocated(lab, "a"));

    // Another wrong one, then right: the reveal runs once, on the lab.
    ASSERT_EQ(session.answer("3"), std::nullopt);
    ASSERT_EQ(session.answer("4"), std::nullopt);
    ASSERT_EQ(r.attempts.size(), 3u);
    EXPECT_TRUE(r.attempts[2].right);
    EXPECT_TRUE(r.revealed);
    EXPECT_FALSE(r.retrying());
    EXPECT_EQ(r.status, StepStatus::AfterHelp);
    EXPECT_TRUE(session.revealed());
    EXPECT_EQ(count_of(lab.history_text(), "alloc_pages order=0 as=a"), 1u);
    EXPECT_EQ(session.answer("4"),
              "step 3 (Splitting: who gets which half) is answered already: restart the step "
              "to answer again");
    EXPECT_EQ(r.attempts.size(), 3u);

    // Restart: the machine of the step's start again, the question open
    // again; the attempts stay, and the first answer still counts.
    ASSERT_EQ(session.restart_step(), std::nullopt);
    EXPECT_FALSE(session.record(kSplitting).revealed);
    EXPECT_FALSE(allocated(lab, "a"));
    ASSERT_EQ(session.answer(" 4 "), std::nullopt);
    const StepRecord& again = session.record(kSplitting);
    ASSERT_EQ(again.attempts.size(), 4u);
    EXPECT_EQ(again.attempts[3].answer, "4");
    EXPECT_TRUE(again.attempts[3].right);
    EXPECT_FALSE(again.first_right());
    EXPECT_EQ(again.status, StepStatus::AfterHelp);
    const LessonScore score = session.score();
    EXPECT_EQ(score.attempts, 4u);
    EXPECT_EQ(score.right_first, 0u);
    EXPECT_EQ(score.right_later, 1u);
    EXPECT_EQ(score.answered, 1u);
}

TEST(SessionTest, UndoDoesNotEraseAttempts) {
    Lab lab;
    LessonSession session(buddy(), lab);
    ASSERT_EQ(session.reach_step(kSplitting), std::nullopt);
    ASSERT_EQ(session.answer("4"), std::nullopt);
    EXPECT_EQ(session.record(kSplitting).status, StepStatus::Unaided);
    session.run("undo"); // takes back the reveal's alloc_pages
    EXPECT_FALSE(allocated(lab, "a"));
    EXPECT_EQ(session.record(kSplitting).attempts.size(), 1u);
    EXPECT_EQ(session.record(kSplitting).status, StepStatus::Unaided);
    EXPECT_EQ(session.score().right_first, 1u);
}

TEST(SessionTest, GivingUpAfterAWrongAnswerCountsAsShown) {
    Lab lab;
    LessonSession session(buddy(), lab);
    ASSERT_EQ(session.reach_step(kSplitting), std::nullopt);
    ASSERT_EQ(session.answer("2"), std::nullopt);
    ASSERT_EQ(session.show_solution(), std::nullopt);
    const StepRecord& r = session.record(kSplitting);
    EXPECT_EQ(r.status, StepStatus::Shown);
    EXPECT_TRUE(r.revealed);
    EXPECT_TRUE(allocated(lab, "a"));
    // Right after a restart, it still counts as shown: the first outcome stays.
    ASSERT_EQ(session.restart_step(), std::nullopt);
    ASSERT_EQ(session.answer("4"), std::nullopt);
    EXPECT_EQ(session.record(kSplitting).status, StepStatus::Shown);
    // This question, and step 1's, which reach_step passed with its reveal.
    EXPECT_EQ(session.score().questions_shown, 2u);
}

TEST(SessionTest, ATaskDoneAfterAHintCountsAsAfterHints) {
    Lab lab;
    LessonSession session(buddy(), lab);
    ASSERT_EQ(session.reach_step(kBuddyInUse), std::nullopt);
    ASSERT_EQ(session.show_hint(), std::nullopt);
    session.run("free_pages x");
    EXPECT_EQ(session.record(kBuddyInUse).status, StepStatus::AfterHelp);
    const LessonScore score = session.score();
    EXPECT_EQ(score.tasks_after_hints, 1u);
    EXPECT_EQ(score.tasks_unaided, 0u);
    EXPECT_EQ(score.hints, 1u);
}

TEST(SessionTest, ANumberQuestionTakesANumber) {
    Lab lab;
    LessonSession session(buddy(), lab);
    ASSERT_EQ(session.start_step(kFrames), std::nullopt);
    EXPECT_EQ(session.answer("sixteen"),
              "the answer must be a number (229376, 0x38000 or 16M), not 'sixteen'");
    EXPECT_TRUE(session.record(kFrames).attempts.empty());
    ASSERT_EQ(session.answer("16"), std::nullopt); // 64 KiB / 4 KiB
    EXPECT_TRUE(session.record(kFrames).first_right());
    EXPECT_EQ(session.score().right_first, 1u);
}

TEST(SessionTest, AQuestionGivenUpBeforeItIsAnsweredIsShown) {
    Lab lab;
    LessonSession session(buddy(), lab);
    ASSERT_EQ(session.reach_step(kSplitting), std::nullopt);
    ASSERT_EQ(session.show_solution(), std::nullopt);
    const StepRecord& r = session.record(kSplitting);
    EXPECT_EQ(r.status, StepStatus::Shown);
    EXPECT_TRUE(r.solution_shown);
    ASSERT_TRUE(r.computed.has_value());
    EXPECT_EQ(r.computed->i, 4);
    EXPECT_TRUE(allocated(lab, "a"));
    EXPECT_NE(session.answer("4"), std::nullopt);
    EXPECT_TRUE(r.attempts.empty());
    // Next does not run the reveal a second time.
    ASSERT_EQ(session.next(), std::nullopt);
    EXPECT_EQ(count_of(lab.history_text(), "as=a"), 1u);
}

TEST(SessionTest, ReachStepLeavesTheMachineTheLessonDescribes) {
    Lab lab;
    LessonSession session(buddy(), lab);
    ASSERT_EQ(session.reach_step(kUpperHalves), std::nullopt);
    EXPECT_EQ(session.current(), kUpperHalves);
    // "Splitting the order-4 block at pfn 0 for an order-0 request left pfn 8
    // on the order-3 list, pfn 4 on order 2, pfn 2 on order 1 and pfn 1 on
    // order 0, and gave pfn 0 to you (as a)."
    EXPECT_TRUE(allocated(lab, "a"));
    EXPECT_EQ(free_area(lab, 3).head, 8u);
    EXPECT_EQ(free_area(lab, 2).head, 4u);
    EXPECT_EQ(free_area(lab, 1).head, 2u);
    EXPECT_EQ(free_area(lab, 0).head, 1u);
    // The steps passed count as shown, the question of step 1 too.
    EXPECT_EQ(session.record(0).status, StepStatus::Shown);
    EXPECT_EQ(session.record(kSplitting).status, StepStatus::Shown);
    EXPECT_EQ(session.record(kUpperHalves).status, StepStatus::SetUp);
}

// Reaching a step gives the machine and the records that starting the lesson
// and pressing Next until there gives.
TEST(SessionTest, ReachStepEqualsDoingTheSteps) {
    for (const Lesson& lesson : lessons()) {
        for (const size_t index : {size_t{1}, lesson.steps.size() - 1}) {
            SCOPED_TRACE(lesson.id + " step " + std::to_string(index + 1));
            Lab reached, walked;
            LessonSession reach(lesson, reached), walk(lesson, walked);
            ASSERT_EQ(reach.reach_step(index), std::nullopt);
            ASSERT_EQ(walk.start_step(0), std::nullopt);
            for (size_t s = 0; s < index; ++s)
                ASSERT_EQ(walk.next(), std::nullopt);
            EXPECT_EQ(reach.current(), walk.current());
            EXPECT_EQ(reached.history_text(), walked.history_text());
            EXPECT_EQ(reached.machine().digest(), walked.machine().digest());
            for (size_t s = 0; s <= index; ++s) {
                const LessonStep& step = lesson.steps[s];
                // A step with neither task nor question is read only by a
                // student who was on it.
                const StepStatus passed = step.task || step.prediction || s == index
                                              ? walk.record(s).status
                                              : StepStatus::NotStarted;
                EXPECT_EQ(reach.record(s).status, passed) << s;
            }
        }
    }
}

// Back gives the machine the earlier step expects, not the one later steps left.
TEST(SessionTest, PreviousRebuildsTheMachineOfTheEarlierStep) {
    Lab lab;
    LessonSession session(buddy(), lab);
    ASSERT_EQ(session.reach_step(kMerging), std::nullopt);
    ASSERT_EQ(session.answer("4"), std::nullopt); // the reveal frees a
    EXPECT_FALSE(allocated(lab, "a"));
    ASSERT_EQ(session.next(), std::nullopt);
    EXPECT_TRUE(allocated(lab, "x"));
    ASSERT_EQ(session.previous(), std::nullopt);
    EXPECT_EQ(session.current(), kMerging);
    EXPECT_TRUE(allocated(lab, "a"));
    EXPECT_FALSE(allocated(lab, "x"));
    // The answer given is kept; leaving runs the reveal again on this machine.
    EXPECT_TRUE(session.record(kMerging).revealed);
    EXPECT_FALSE(session.revealed());
    ASSERT_EQ(session.next(), std::nullopt);
    EXPECT_TRUE(allocated(lab, "x"));
    EXPECT_FALSE(allocated(lab, "a"));
    EXPECT_EQ(session.record(kMerging).attempts.size(), 1u);
    ASSERT_EQ(session.reach_step(0), std::nullopt);
    EXPECT_EQ(session.previous(), "step 1 is the first step of lesson buddy-allocator");
}

TEST(SessionTest, ResumeRunsNothing) {
    Lab lab;
    lab.run("boot arch=toy ram=64K; alloc_pages as=x; alloc_pages as=y");
    const uint32_t commands = lab.commands_run();
    LessonSession session(buddy(), lab);
    ASSERT_EQ(session.resume(kBuddyInUse), std::nullopt);
    EXPECT_EQ(lab.commands_run(), commands);
    EXPECT_EQ(session.current(), kBuddyInUse);
    EXPECT_EQ(session.record(kBuddyInUse).status, StepStatus::SetUp);
    session.run("free_pages x");
    EXPECT_EQ(session.record(kBuddyInUse).status, StepStatus::Unaided);
}

TEST(SessionTest, NextOnTheLastStepFinishesTheLesson) {
    const size_t kYourTurn = buddy().steps.size() - 1; // the last step: a task
    Lab lab;
    LessonSession session(buddy(), lab);
    ASSERT_EQ(session.reach_step(kYourTurn), std::nullopt);
    ASSERT_EQ(session.next(), std::nullopt);
    EXPECT_TRUE(session.finished());
    EXPECT_TRUE(allocated(lab, "dma")) << "the last task's solution ran";
    EXPECT_EQ(session.current(), kYourTurn);
    EXPECT_EQ(session.next(), "lesson buddy-allocator is finished: start a step first");
    ASSERT_EQ(session.start_step(kYourTurn), std::nullopt);
    EXPECT_FALSE(session.finished());
}

// What `mmlab --grade` prints comes from here.
TEST(SessionTest, GradeSaysWhetherATaskHoldsOnAState) {
    Lab lab;
    lab.run("boot arch=toy ram=64K; alloc_pages as=x; alloc_pages as=y; free_pages x");
    const LessonSession session(buddy(), lab);
    std::string error;
    std::optional<Grade> g = session.grade(kBuddyInUse, &error);
    ASSERT_TRUE(g.has_value()) << error;
    EXPECT_TRUE(g->pass);
    EXPECT_EQ(g->error, "");
    EXPECT_EQ(g->values, (std::vector<std::string>{"allocated(\"x\") = 0", "allocated(\"y\") = 1",
                                                   "nr_free(order=0) = 1", "head(order=0) = 0"}));
    lab.run("undo");
    g = session.grade(kBuddyInUse, &error);
    ASSERT_TRUE(g.has_value());
    EXPECT_FALSE(g->pass);
    EXPECT_FALSE(session.grade(kSplitting, &error));
    EXPECT_EQ(error,
              "buddy-allocator step 3 (Splitting: who gets which half) has no task to grade");
    const size_t steps = buddy().steps.size();
    EXPECT_FALSE(session.grade(steps, &error));
    EXPECT_EQ(error, "lesson buddy-allocator has steps 1 to " + std::to_string(steps) + ", not " +
                         std::to_string(steps + 1));
}

TEST(SessionTest, RestoreKeepsRecordsWithinTheLesson) {
    const Lesson lesson = small_lesson();
    Lab lab;
    LessonSession session(lesson, lab);
    ASSERT_EQ(session.start_step(0), std::nullopt);
    std::vector<StepRecord> records(7);
    records[1].status = StepStatus::Unaided;
    records[1].hints_shown = 9;
    records[0].hints_shown = 1;
    session.restore(12, records);
    EXPECT_FALSE(session.started());
    EXPECT_EQ(session.current(), 3u);
    ASSERT_EQ(session.records().size(), 4u);
    EXPECT_EQ(session.record(1).status, StepStatus::Unaided);
    EXPECT_EQ(session.record(1).hints_shown, 2) << "the task has two hints";
    EXPECT_EQ(session.record(0).hints_shown, 0) << "a step without a task has none";
}

// predict() computes on the lab and gives it back as it was.
TEST(SessionTest, PredictionsAreComputedOnACopy) {
    std::string error;
    std::optional<Lesson> lesson = parse_lesson(
        "t",
        "---\ntitle: T\ntopic: X\nsummary: S\n---\n## One\n```setup\nboot arch=toy\n```\n"
        "```predict\nquestion: Q?\nchoices: 3 | 4\nreveal: alloc_pages\nanswer: last.from_order\n"
        "explain: E\n```\n",
        &error);
    ASSERT_TRUE(lesson) << error;
    Lab lab;
    ASSERT_TRUE(lab.run("boot arch=toy").back().ok);
    const std::string history = lab.history_text();
    std::optional<Value> answer = predict(lab, *lesson->steps[0].prediction, &error);
    ASSERT_TRUE(answer) << error;
    EXPECT_EQ(answer->i, 4);
    EXPECT_TRUE(answer_matches(*answer, " 4 "));
    EXPECT_FALSE(answer_matches(*answer, "3"));
    EXPECT_FALSE(answer_matches(*answer, "four"));
    EXPECT_EQ(lab.machine().total_free(), 16u); // the lab itself did not change
    EXPECT_EQ(lab.history_text(), history);
}

// Numbers as students type them; expected values worked out by hand.
TEST(SessionTest, AnswerNumbersTakeHexSizesAndFractions) {
    // 0x38000 = 3 * 65536 + 8 * 4096 = 196608 + 32768 = 229376.
    EXPECT_EQ(answer_number("0x38000", AnswerForm::Dec), 229376);
    EXPECT_EQ(answer_number("0X38000", AnswerForm::Hex), 229376);
    EXPECT_EQ(answer_number("229376", AnswerForm::Hex), 229376);
    EXPECT_EQ(answer_number(" 0x10 ", AnswerForm::Dec), 16);
    EXPECT_EQ(answer_number("-3", AnswerForm::Dec), -3);
    // Sizes as the console reads SIZE: powers of 1024.
    EXPECT_EQ(answer_number("16M", AnswerForm::Size), 16777216);
    EXPECT_EQ(answer_number("4K", AnswerForm::Dec), 4096);
    EXPECT_EQ(answer_number("1G", AnswerForm::Dec), 1073741824);
    EXPECT_EQ(answer_number("4k", AnswerForm::Dec), 4096);
    EXPECT_EQ(answer_number("16MB", AnswerForm::Dec), std::nullopt);
    EXPECT_EQ(answer_number("038000x", AnswerForm::Dec), std::nullopt);
    EXPECT_EQ(answer_number("1.000", AnswerForm::Dec), std::nullopt);
    // Fractions in thousandths, as the kernel prints "%d.%03d".
    EXPECT_EQ(answer_number("1.000", AnswerForm::Fraction), 1000);
    EXPECT_EQ(answer_number("1", AnswerForm::Fraction), 1000);
    EXPECT_EQ(answer_number("0.5", AnswerForm::Fraction), 500);
    EXPECT_EQ(answer_number(".25", AnswerForm::Fraction), 250);
    EXPECT_EQ(answer_number("0.875", AnswerForm::Fraction), 875);
    EXPECT_EQ(answer_number("-1.000", AnswerForm::Fraction), -1000);
    EXPECT_EQ(answer_number("0.8751", AnswerForm::Fraction), std::nullopt);
    EXPECT_EQ(answer_number("1.", AnswerForm::Fraction), std::nullopt);
    EXPECT_EQ(answer_number("0x1", AnswerForm::Fraction), std::nullopt);

    EXPECT_TRUE(answer_matches(Value::integer(229376), "0x38000"));
    EXPECT_TRUE(answer_matches(Value::integer(229376), "224K")); // 224 * 1024
    EXPECT_FALSE(answer_matches(Value::integer(229376), "038000"));
    EXPECT_TRUE(answer_matches(Value::integer(1000), "1.000", AnswerForm::Fraction));
    EXPECT_FALSE(answer_matches(Value::integer(1000), "1000", AnswerForm::Fraction));
    EXPECT_TRUE(answer_matches(Value::string("DMA32"), " DMA32 "));
}

TEST(SessionTest, TheFeedbackWritesTheLabsNumberInTheQuestionsForm) {
    EXPECT_EQ(format_answer(Value::integer(229376), AnswerForm::Dec), "229376");
    EXPECT_EQ(format_answer(Value::integer(229376), AnswerForm::Hex), "0x38000");
    EXPECT_EQ(format_answer(Value::integer(16777216), AnswerForm::Size), "16M");
    EXPECT_EQ(format_answer(Value::integer(1536), AnswerForm::Size), "1536");
    EXPECT_EQ(format_answer(Value::integer(1000), AnswerForm::Fraction), "1.000");
    EXPECT_EQ(format_answer(Value::integer(46), AnswerForm::Fraction), "0.046");
    EXPECT_EQ(format_answer(Value::integer(-1000), AnswerForm::Fraction), "-1.000");
    EXPECT_EQ(format_answer(Value::string("Normal"), AnswerForm::Hex), "Normal");
}

// The percent for reports (lesson_percent): the values computed by hand
// from the formula of session.h (halves: 2 unaided, 1 after help, 0 shown).
TEST(SessionTest, ThePercentWeighsTasksAndQuestionsByOutcome) {
    LessonScore score;
    score.steps = 14;
    score.done = 14;
    score.tasks = 4;
    score.tasks_unaided = 3;
    score.tasks_after_hints = 1;
    score.questions = 6;
    score.right_first = 2;
    score.right_later = 2;
    score.questions_shown = 2;
    // (2 * (3 + 2) + 1 + 2) halves of 2 * 10: 13 / 20.
    EXPECT_EQ(lesson_percent(score), 65);
    // Reading steps count for nothing: 4 more of them change nothing.
    score.steps = 18;
    score.done = 18;
    EXPECT_EQ(lesson_percent(score), 65);

    LessonScore third;
    third.steps = third.tasks = 3;
    third.tasks_unaided = 1;
    EXPECT_EQ(lesson_percent(third), 33); // 33.3
    third.tasks_unaided = 2;
    EXPECT_EQ(lesson_percent(third), 67); // 66.7
    LessonScore eighth;
    eighth.steps = eighth.questions = 8;
    eighth.right_later = 2;
    EXPECT_EQ(lesson_percent(eighth), 13); // 2 / 16 = 12.5: a half rounds up
    eighth.right_first = 6;
    eighth.right_later = 0;
    EXPECT_EQ(lesson_percent(eighth), 75);

    // No task and no question: the steps read.
    LessonScore reading;
    reading.steps = 5;
    reading.done = 3;
    EXPECT_EQ(lesson_percent(reading), 60);
    EXPECT_EQ(lesson_percent(LessonScore{}), 0);
}

// On a session: the read step counts for nothing, the task done unaided
// gives 1, the question shown by Next gives 0: 1 of 2.
TEST(SessionTest, ThePercentOfASessionPlayedThrough) {
    const Lesson lesson = small_lesson(Last::Question);
    Lab lab;
    LessonSession session(lesson, lab);
    ASSERT_EQ(session.start_step(0), std::nullopt);
    EXPECT_EQ(lesson_percent(session.score()), 0);
    ASSERT_EQ(session.next(), std::nullopt);
    session.run("alloc_pages as=t");
    EXPECT_EQ(session.record(1).status, StepStatus::Unaided);
    EXPECT_EQ(lesson_percent(session.score()), 50);
    ASSERT_EQ(session.next(), std::nullopt);
    ASSERT_EQ(session.next(), std::nullopt);
    EXPECT_TRUE(session.finished());
    EXPECT_EQ(lesson_percent(session.score()), 50);
    EXPECT_LT(lesson_percent(session.score()), kMasteryPercent);
}
