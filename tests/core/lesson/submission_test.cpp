// Submissions: the session records what grading needs (the command that did
// a task, failed and read-only ones too, with the machine before it; each
// answer with its machine), the file keeps it, and the grader replays it:
// every task and question of the shipped lessons passes when the student
// did it and fails when they skipped it, a file edited by hand says so, and
// one made by another version of the lab or the lesson says that instead.
#include "shipped_lessons.h"

#include "core/base/verify.h"
#include "core/base/version.h"
#include "core/lab/state.h"
#include "core/lesson/library.h"
#include "core/lesson/submission.h"
#include "core/lesson/variant.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

using namespace mm;

namespace {

using test::lesson_named;

// The right answer to the current step's question, as a student would type
// it: the choice that matches the lab's answer, or the number in the
// question's form.
std::string right_answer(Lab& lab, const LessonPrediction& p) {
    std::string error;
    const std::optional<Value> v = predict(lab, p, &error);
    MM_VERIFY(v.has_value());
    for (const std::string& c : p.choices)
        if (answer_matches(*v, c, p.form)) return c;
    return format_answer(*v, p.form);
}

// A student who does every step themselves: types each task's solution,
// answers each question right at once.
void play(LessonSession& session, Lab& lab) {
    const Lesson& lesson = session.lesson();
    MM_VERIFY(!session.start_step(0));
    for (size_t s = 0; s < lesson.steps.size(); ++s) {
        if (lesson.steps[s].task) session.run(lesson.steps[s].task->solution);
        if (lesson.steps[s].prediction)
            MM_VERIFY(!session.answer(right_answer(lab, *lesson.steps[s].prediction)));
        MM_VERIFY(!session.next());
    }
}

// A student who only clicks Next.
void skip(LessonSession& session) {
    MM_VERIFY(!session.start_step(0));
    for (size_t s = 0; s < session.lesson().steps.size(); ++s)
        MM_VERIFY(!session.next());
}

Submission parsed(const std::string& text) {
    std::string error;
    std::optional<Submission> s = parse_submission(text, &error);
    EXPECT_TRUE(s.has_value()) << error << "\n" << text;
    MM_VERIFY(s.has_value());
    return *s;
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    const size_t at = text.find(from);
    MM_VERIFY(at != std::string::npos);
    return text.replace(at, from.size(), to);
}

// A task's goal as a reason quotes it, going on after it: without its full stop.
std::string without_stop(std::string goal) {
    if (!goal.empty() && goal.back() == '.') goal.pop_back();
    return goal;
}

const SubmissionMeta kMeta{"2026-12-03T15:30:00Z", "alice", std::nullopt};

} // namespace

TEST(SubmissionTest, TheSessionRecordsTheCommandThatDidATaskEvenAReadOnlyOne) {
    const Lesson& buddy = lesson_named("buddy-allocator");
    Lab lab;
    LessonSession session(buddy, lab);
    ASSERT_EQ(session.start_step(1), std::nullopt); // "cat /proc/buddyinfo"
    const std::string before = history_lines(lab.history());
    session.run("alloc_pages as=x; cat /proc/buddyinfo");
    ASSERT_EQ(session.record(1).status, StepStatus::Unaided);
    ASSERT_TRUE(session.record(1).completion.has_value());
    const Completion& c = *session.record(1).completion;
    EXPECT_EQ(c.cmd, "cat /proc/buddyinfo");
    EXPECT_TRUE(c.ok);
    EXPECT_FALSE(c.changed);
    EXPECT_EQ(c.history, before + "alloc_pages as=x\n") << "the machine just before it";
}

TEST(SubmissionTest, TheSessionRecordsAFailedCommandAndEachAnswersMachine) {
    const Lesson& buddy = lesson_named("buddy-allocator");
    // "last.failed && last.cmd == \"alloc_pages\" && last.order == 1 && ..."
    const size_t fail_step = test::step_titled(buddy, "External fragmentation");
    ASSERT_TRUE(buddy.steps[fail_step].task);
    ASSERT_NE(buddy.steps[fail_step].task->check.text().find("last.failed"), std::string::npos);
    Lab lab;
    LessonSession session(buddy, lab);
    ASSERT_EQ(session.reach_step(fail_step), std::nullopt);
    const std::string before = history_lines(lab.history());
    session.run(buddy.steps[fail_step].task->solution);
    ASSERT_TRUE(is_done(session.record(fail_step).status));
    const Completion& c = *session.record(fail_step).completion;
    EXPECT_FALSE(c.ok);
    // The failed GFP_KERNEL request woke kswapd (wake_all_kswapds() runs
    // before the slow path gives up): kept in the history with its outcome.
    EXPECT_TRUE(c.changed);
    EXPECT_FALSE(c.error.empty());
    EXPECT_EQ(c.cmd.rfind("alloc_pages", 0), 0u) << c.cmd;

    Lab fresh;
    LessonSession asked(buddy, fresh);
    ASSERT_EQ(asked.start_step(0), std::nullopt); // a question: how many frames?
    ASSERT_EQ(asked.answer("15"), std::nullopt);
    fresh.run("boot arch=toy ram=64K");
    ASSERT_EQ(asked.answer("16"), std::nullopt);
    const StepRecord& r = asked.record(0);
    ASSERT_EQ(r.attempts.size(), 2u);
    EXPECT_EQ(r.attempts[0].history, "") << "the default machine";
    EXPECT_EQ(r.attempts[1].history, "boot arch=toy ram=64K\n");
    EXPECT_FALSE(r.completion.has_value());
}

TEST(SubmissionTest, TheFileReadsBackAsWritten) {
    const Lesson& buddy = lesson_named("buddy-allocator");
    Lab lab;
    LessonSession session(buddy, lab);
    ASSERT_EQ(session.start_step(0), std::nullopt);
    ASSERT_EQ(session.answer("15"), std::nullopt);
    ASSERT_EQ(session.answer("16"), std::nullopt);
    ASSERT_EQ(session.next(), std::nullopt);
    ASSERT_EQ(session.show_hint(), std::nullopt);
    session.run("cat /proc/buddyinfo");
    const std::string text =
        write_submission(session, SubmissionMeta{"2026-12-03T15:30:00Z", "alice", 42});

    const std::string header = std::string("mmlab-submission 1\nlab: ") + kLabVersion +
                               "\nlevel: " + std::to_string(kSimulationLevel) +
                               "\nlesson: buddy-allocator\nlesson-hash: " + buddy.hash +
                               "\ntime: 2026-12-03T15:30:00Z\nstudent: alice\nseed: 42\n\n";
    EXPECT_EQ(text.substr(0, header.size()), header);
    // Step 1 asks about the default machine (an empty history); step 2's
    // setup boots the toy machine.
    EXPECT_NE(text.find("step 1: after_help  # " + buddy.steps[0].title +
                        "\n"
                        "  attempt: wrong: 15\n"
                        "    history:\n"
                        "  attempt: right: 16\n"
                        "    history: as above\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("step 2: after_help  # " + buddy.steps[1].title +
                        "\n"
                        "  hints: 1\n"
                        "  command: cat /proc/buddyinfo\n"
                        "  result: ok, changed nothing\n"
                        "  history:\n"
                        "    boot arch=toy ram=64K\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("step 3: not_started"), std::string::npos);
    EXPECT_NE(text.find("step 4: not_started"), std::string::npos);

    const Submission s = parsed(text);
    EXPECT_EQ(s.lab_version, kLabVersion);
    EXPECT_EQ(s.level, kSimulationLevel);
    EXPECT_EQ(s.lesson_id, "buddy-allocator");
    EXPECT_EQ(s.lesson_hash, buddy.hash);
    EXPECT_EQ(s.meta.time, "2026-12-03T15:30:00Z");
    EXPECT_EQ(s.meta.student, "alice");
    EXPECT_EQ(s.meta.seed, 42u);
    ASSERT_EQ(s.steps.size(), buddy.steps.size());
    for (size_t i = 0; i < s.steps.size(); ++i) {
        SCOPED_TRACE(i);
        const StepRecord& a = s.steps[i];
        const StepRecord& b = session.record(i);
        EXPECT_EQ(a.status, b.status);
        EXPECT_EQ(a.hints_shown, b.hints_shown);
        EXPECT_EQ(a.solution_shown, b.solution_shown);
        EXPECT_EQ(a.completion, b.completion);
        ASSERT_EQ(a.attempts.size(), b.attempts.size());
        for (size_t k = 0; k < a.attempts.size(); ++k) {
            EXPECT_EQ(a.attempts[k].answer, b.attempts[k].answer);
            EXPECT_EQ(a.attempts[k].right, b.attempts[k].right);
            EXPECT_EQ(a.attempts[k].history, b.attempts[k].history);
        }
    }
    // A byte order mark and CRLF line ends, as an editor on another system
    // may leave them, read the same.
    std::string crlf = "\xef\xbb\xbf";
    for (char c : text)
        crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
    EXPECT_TRUE(looks_like_submission(crlf));
    EXPECT_EQ(parsed(crlf).steps[1].completion, s.steps[1].completion);
    // No student or seed given: no such lines.
    const std::string plain = write_submission(session, SubmissionMeta{});
    EXPECT_EQ(plain.find("student:"), std::string::npos);
    EXPECT_EQ(plain.find("seed:"), std::string::npos);
    EXPECT_NE(plain.find("\ntime: \n"), std::string::npos);
}

TEST(SubmissionTest, TextThatIsNotASubmissionSaysWhereInOneLine) {
    const std::string head = "mmlab-submission 1\nlab: 0.13.0\nlevel: 2\nlesson: x\n"
                             "lesson-hash: 0123456789abcdef\ntime: \n";
    struct Case {
        std::string text;
        std::string error;
    } cases[] = {
        {"", "not an mmlab submission (it is empty)"},
        {"mmlab-state 2 level=2\nboot\n",
         "not an mmlab submission (it should start with 'mmlab-submission')"},
        {"mmlab-submission 9\n", "this submission was made by a newer mmlab (format 9; this one "
                                 "reads format 1)"},
        {"mmlab-submission x\n", "line 1: not an mmlab submission: bad format version"},
        {"mmlab-submission 1\nlab: 0.13.0\n", "line 2: the header has no level:"},
        {"mmlab-submission 1\ncolour: blue\n", "line 2: unknown field 'colour: blue'"},
        {head + "step 2: read\n", "line 7: expected step 1"},
        {head + "step 1: perfect\n", "line 7: unknown status 'perfect'"},
        {head + "step 1: unaided\n  command: cat /proc/buddyinfo\n",
         "line 7: the step's command has no result"},
        {head + "step 1: unaided\n  attempt: right: 4\n  hints: 1\n",
         "line 8: expected 'history:' indented by 4 spaces after it"},
        {head + "step 1: unaided\n  attempt: maybe: 4\n",
         "line 8: expected 'attempt: right: ANSWER' or 'wrong: ANSWER'"},
        {head + "step 1: unaided\n  attempt: right: 4\n    history: as above\n",
         "line 9: no history above"},
        {head + "step 1: unaided\n  result: ok\n", "line 7: the step's result has no command"},
        {head + "step 1: unaided\n   hints: 1\n",
         "line 8: expected a field indented by two spaces"},
    };
    for (const Case& c : cases) {
        std::string error;
        EXPECT_FALSE(parse_submission(c.text, &error).has_value()) << c.text;
        EXPECT_EQ(error, c.error) << c.text;
    }
}

// Each of the 12 tasks of the shipped lessons (4 of them about a failed or
// read-only command, which a state file cannot hold) and each question,
// graded from a submission: pass when the student did it, however far they
// went on; fail when they clicked Next past it.
TEST(SubmissionTest, EveryShippedTaskAndQuestionPassesWhenDoneAndFailsWhenSkipped) {
    size_t tasks = 0;
    for (const Lesson& lesson : lessons()) {
        SCOPED_TRACE(lesson.id);
        Lab lab;
        LessonSession done(lesson, lab);
        play(done, lab);
        const Submission good = parsed(write_submission(done, kMeta));
        Lab lab2;
        LessonSession skipped(lesson, lab2);
        skip(skipped);
        const Submission bad = parsed(write_submission(skipped, kMeta));
        SubmissionGrader grader;
        for (size_t s = 0; s < lesson.steps.size(); ++s) {
            SCOPED_TRACE(s + 1);
            const LessonStep& step = lesson.steps[s];
            const StepGrade pass = grader.grade(lesson, good, s);
            const StepGrade fail = grader.grade(lesson, bad, s);
            if (!step.task && !step.prediction) {
                EXPECT_EQ(pass.verdict, Verdict::Unusable);
                continue;
            }
            tasks += step.task ? 1 : 0;
            EXPECT_EQ(pass.verdict, Verdict::Pass) << pass.why;
            EXPECT_EQ(pass.status, StepStatus::Unaided);
            EXPECT_EQ(fail.verdict, Verdict::Fail) << fail.why;
            EXPECT_EQ(fail.status, StepStatus::Shown);
            if (step.task) {
                EXPECT_EQ(pass.why.rfind("done unaided, by '", 0), 0u) << pass.why;
                EXPECT_EQ(fail.why, "not done by the student: the lab ran the task's solution "
                                    "(Show me, or Next or a link past it); expected: " +
                                        without_stop(step.task->goal));
            } else {
                EXPECT_EQ(pass.why.rfind("right at the first answer", 0), 0u) << pass.why;
                EXPECT_EQ(fail.why, "not answered: the student gave up and the lab revealed it");
            }
        }
    }
    EXPECT_EQ(tasks, 12u);
}

TEST(SubmissionTest, AStepNeverDoneFailsAsNotDone) {
    const Lesson& buddy = lesson_named("buddy-allocator");
    Lab lab;
    LessonSession session(buddy, lab);
    ASSERT_EQ(session.start_step(1), std::nullopt);
    const Submission s = parsed(write_submission(session, kMeta));
    const StepGrade started = grade_submission_step(buddy, s, 1);
    EXPECT_EQ(started.verdict, Verdict::Fail);
    EXPECT_EQ(started.why, "not done: the student started the step but its check never held; "
                           "expected: " +
                               without_stop(buddy.steps[1].task->goal));
    const StepGrade never = grade_submission_step(buddy, s, 0);
    EXPECT_EQ(never.verdict, Verdict::Fail);
    EXPECT_EQ(never.why, "not done: the student never reached this question");
}

TEST(SubmissionTest, AWrongAnswerFailsAndSaysTheLabsAnswer) {
    const Lesson& buddy = lesson_named("buddy-allocator");
    Lab lab;
    LessonSession session(buddy, lab);
    ASSERT_EQ(session.start_step(0), std::nullopt);
    ASSERT_EQ(session.answer("15"), std::nullopt);
    ASSERT_EQ(session.show_solution(), std::nullopt); // gave up
    const StepGrade g = grade_submission_step(buddy, parsed(write_submission(session, kMeta)), 0);
    EXPECT_EQ(g.verdict, Verdict::Fail);
    EXPECT_EQ(g.why, "gave up after answering '15'; the lab's answer is 16");
}

TEST(SubmissionTest, AFileEditedByHandSaysSo) {
    const Lesson& buddy = lesson_named("buddy-allocator");
    Lab lab;
    LessonSession session(buddy, lab);
    ASSERT_EQ(session.start_step(0), std::nullopt);
    ASSERT_EQ(session.answer("15"), std::nullopt);
    ASSERT_EQ(session.next(), std::nullopt);
    session.run("cat /proc/buddyinfo");
    const std::string text = write_submission(session, kMeta);
    ASSERT_EQ(grade_submission_step(buddy, parsed(text), 1).verdict, Verdict::Pass);

    // A wrong answer made right.
    const std::string answer = replaced(replaced(text, "attempt: wrong: 15", "attempt: right: 15"),
                                        "step 1: shown", "step 1: unaided");
    StepGrade g = grade_submission_step(buddy, parsed(answer), 0);
    EXPECT_EQ(g.verdict, Verdict::Fail);
    EXPECT_EQ(g.why, "edited by hand: answer 1 ('15') is recorded as right but the lab's answer on "
                     "its machine is 16");
    // A status raised without a right answer.
    g = grade_submission_step(buddy, parsed(replaced(text, "step 1: shown", "step 1: unaided")), 0);
    EXPECT_EQ(g.verdict, Verdict::Fail);
    EXPECT_EQ(g.why, "edited by hand: recorded as unaided but its answers are '15'");
    // A command that did not do what the file says.
    g = grade_submission_step(
        buddy, parsed(replaced(text, "command: cat /proc/buddyinfo", "command: cat /proc/nothing")),
        1);
    EXPECT_EQ(g.verdict, Verdict::Fail);
    EXPECT_EQ(g.why.rfind("edited by hand: its command 'cat /proc/nothing' was recorded as "
                          "succeeding without changing the machine but gives failing with",
                          0),
              0u)
        << g.why;
    // A history the machine never had.
    g = grade_submission_step(buddy,
                              parsed(replaced(text, "    boot arch=toy ram=64K\n",
                                              "    boot arch=toy ram=64K\n    free_pages x\n")),
                              1);
    EXPECT_EQ(g.verdict, Verdict::Fail);
    EXPECT_EQ(g.why.rfind("edited by hand: the history before its command: command 2 of the state "
                          "('free_pages x') failed",
                          0),
              0u)
        << g.why;
    // A task marked done that was never done.
    g = grade_submission_step(
        buddy,
        parsed(replaced(replaced(text, "step 3: not_started", "step 3: unaided"), "\nstep 4:",
                        "  command: cat /proc/buddyinfo\n  result: ok, changed nothing\n"
                        "  history: as above\n\nstep 4:")),
        2);
    EXPECT_EQ(g.verdict, Verdict::Fail);
    EXPECT_EQ(g.why.rfind("edited by hand: recorded as unaided but its answers are none", 0), 0u)
        << g.why;
}

TEST(SubmissionTest, AFileFromAnotherVersionSaysSoInsteadOfEditedByHand) {
    const Lesson& buddy = lesson_named("buddy-allocator");
    Lab lab;
    LessonSession session(buddy, lab);
    ASSERT_EQ(session.start_step(1), std::nullopt);
    session.run("cat /proc/buddyinfo");
    const std::string text = write_submission(session, kMeta);
    const std::string older = replaced(text, std::string("lab: ") + kLabVersion, "lab: 0.1.0");
    // Replaying as recorded: another version grades the same.
    EXPECT_EQ(grade_submission_step(buddy, parsed(older), 1).verdict, Verdict::Pass);
    // Not replaying: the simulation may have changed, not the file.
    const std::string diverged = replaced(older, "result: ok, changed nothing", "result: ok");
    const StepGrade g = grade_submission_step(buddy, parsed(diverged), 1);
    EXPECT_EQ(g.verdict, Verdict::Unusable);
    EXPECT_EQ(g.why, std::string("made by another version: mmlab 0.1.0 (this is ") + kLabVersion +
                         "), where the simulation may differ: its command 'cat /proc/buddyinfo' "
                         "was recorded as succeeding but gives succeeding without changing the "
                         "machine");
    const std::string hash = replaced(text, "lesson-hash: " + buddy.hash, "lesson-hash: 0");
    const StepGrade h = grade_submission_step(
        buddy, parsed(replaced(hash, "result: ok, changed nothing", "result: ok")), 1);
    EXPECT_EQ(h.verdict, Verdict::Unusable);
    EXPECT_NE(
        h.why.find("another text of lesson buddy-allocator (hash 0, this is " + buddy.hash + ")"),
        std::string::npos)
        << h.why;
}

// A state file keeps grading its final machine, for tasks; it holds no answers.
TEST(SubmissionTest, AStateIsGradedByItsFinalMachine) {
    const Lesson& buddy = lesson_named("buddy-allocator");
    const size_t in_use = 6; // "free x, keep y"
    Lab lab;
    ASSERT_EQ(load_state(lab, "mmlab-state 1\nboot arch=toy ram=64K\nalloc_pages as=x\n"
                              "alloc_pages as=y\nfree_pages x\n"),
              std::nullopt);
    const StepGrade pass = grade_state_step(buddy, lab, in_use);
    EXPECT_EQ(pass.verdict, Verdict::Pass);
    EXPECT_FALSE(pass.values.empty());
    lab.run("free_pages y");
    const StepGrade fail = grade_state_step(buddy, lab, in_use);
    EXPECT_EQ(fail.verdict, Verdict::Fail);
    EXPECT_EQ(
        fail.why.rfind("expected: " + without_stop(buddy.steps[in_use].task->goal) +
                           "; the state's machine has allocated(\"x\") = 0, allocated(\"y\") = 0",
                       0),
        0u)
        << fail.why;
    EXPECT_EQ(grade_state_step(buddy, lab, 0).verdict, Verdict::Unusable);
}

// A lesson with variants: each student's submission is graded on the variant
// of its seed; on another student's numbers the same work does not pass.
TEST(SubmissionTest, EachVariantIsGradedOnItsOwnNumbers) {
    std::string error;
    const std::optional<Lesson> lesson =
        parse_lesson("variant-small",
                     "---\ntitle: V\ntopic: X\nsummary: S\n---\n"
                     "```vars\norder = range(0, 3)\n```\n"
                     "## Task\n```setup\nboot arch=toy ram=64K\n```\n"
                     "```task\ngoal: Allocate a block of order {{order}} as a.\n"
                     "check: allocated(\"a\") && order_of(\"a\") == {{order}}\nhint: h\n"
                     "solution: alloc_pages order={{order}} as=a\n```\n"
                     "## Ask\n```predict\nquestion: How many free blocks of order {{order}}?\n"
                     "answer: nr_free(order={{order}})\nexpect: 1\nexplain: e\n```\n",
                     &error);
    ASSERT_TRUE(lesson.has_value()) << error;
    ASSERT_TRUE(has_variables(*lesson));
    // Two students whose orders differ.
    const uint64_t alice = variant_seed("alice", lesson->id, "salt");
    uint64_t other = 0;
    std::optional<Lesson> mine = instantiate(*lesson, alice, &error), theirs;
    ASSERT_TRUE(mine.has_value()) << error;
    for (int n = 0; !theirs; ++n) {
        other = variant_seed("student-" + std::to_string(n), lesson->id, "salt");
        std::optional<Lesson> v = instantiate(*lesson, other, &error);
        ASSERT_TRUE(v.has_value()) << error;
        if (v->steps[0].task->check.text() != mine->steps[0].task->check.text()) theirs = v;
    }
    SubmissionGrader grader;
    for (const auto& [seed, variant] : {std::pair{alice, &*mine}, std::pair{other, &*theirs}}) {
        Lab lab;
        LessonSession session(*variant, lab);
        play(session, lab);
        const Submission s = parsed(write_submission(session, {"t", "x", seed}));
        EXPECT_EQ(s.meta.seed, seed);
        EXPECT_EQ(s.lesson_hash, lesson->hash) << "the template's hash";
        for (size_t step = 0; step < 2; ++step)
            EXPECT_EQ(grader.grade(*variant, s, step).verdict, Verdict::Pass)
                << grader.grade(*variant, s, step).why;
    }
    // Alice's work graded on the other variant: her block has her order.
    Lab lab;
    LessonSession session(*mine, lab);
    play(session, lab);
    const Submission s = parsed(write_submission(session, {"t", "alice", alice}));
    const StepGrade g = grader.grade(*theirs, s, 0);
    EXPECT_EQ(g.verdict, Verdict::Fail);
    EXPECT_NE(g.why.find("the check does not hold"), std::string::npos) << g.why;
}
