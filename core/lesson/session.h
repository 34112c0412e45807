// A lesson being played on a lab: the step the student is on, what they did
// in each step, and the moves between steps. It is the one implementation of
// a lesson's rules: the player (ui/lesson_panel.cpp) asks it to move and
// draws what it holds, a deep link reaches a step through it, the lesson
// test (verify_lesson) plays every lesson through it, and `mmlab --grade`
// grades a saved state with it. It changes the lab only by running command
// text through its Runner (so that the page's console shows the commands),
// and it is deterministic: the same calls on the same lab give the same lab
// and the same records. It counts no frames and reads no clock.
//
// Sections: records | answers | the session | the lesson test
#pragma once

#include "core/lab/lab.h"
#include "core/lesson/condition.h"
#include "core/lesson/lesson.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mm {

// ---- Records ----------------------------------------------------------------------

// How far a student got in one step, and how. A step's outcome (Read, Shown,
// AfterHelp, Unaided) is the first one it gets and is never changed: going
// back, restarting the step, undoing a command or answering again later
// never takes back or improves what counted.
enum class StepStatus : uint8_t {
    NotStarted, // never the current step
    SetUp,      // was the current step: its setup ran; its task or question is open
    Read,       // a step with neither task nor question, left with Next
    Shown,      // the lab showed it: the task's solution or the question's reveal ran before
                // the student did it or answered right ("Show me", "Give up", Next, a deep
                // link past it)
    AfterHelp,  // the task done after hints; the question right after a wrong answer
    Unaided,    // the task done with no hint; the question right at the first answer
};

// "not_started", "set_up", "read", "shown", "after_help", "unaided": the
// names progress files use.
const char* step_status_name(StepStatus status);
std::optional<StepStatus> step_status_from_name(std::string_view name);

// Whether a step counts as done in the progress marks: it has an outcome.
bool is_done(StepStatus status);

// A history as Attempt::history and Completion::history keep it:
// history_line() of each entry, one a line.
std::string history_lines(const std::vector<HistoryEntry>& history);

struct Attempt {
    std::string answer; // as the student gave it, trimmed
    bool right = false; // it matches the lab's answer (answer_matches)
    // The machine it was answered on: the lab's history then, history_line()
    // of each entry, one a line (a state file's lines after its header). A
    // submission's grader recomputes the answer on it.
    std::string history;
};

// The command after which a task's check first held, as the lab ran it, and
// the machine's history just before it (Lab::history_before_last, written
// as Attempt::history). Replaying the history and running the command gives
// the machine and the `last` the check saw, so a submission can grade the
// task however far the student went on, a task about a failed or read-only
// command too (core/lesson/submission.h).
struct Completion {
    std::string history;
    std::string cmd;      // CommandResult::cmd
    bool ok = true;       // its outcome: CommandResult::ok,
    bool changed = false; // ::changed
    std::string error;    // and ::error
    friend bool operator==(const Completion&, const Completion&) = default;
};

// What a student did in one step.
struct StepRecord {
    StepStatus status = StepStatus::NotStarted;
    int hints_shown = 0;         // of the task's hints, shown one at a time; never hidden again
    bool solution_shown = false; // the student asked for the task's solution ("Show me") or
                                 // gave up on the question
    // The question. `revealed`: its reveal ran for the student (answered right
    // or given up); Restart step asks it again and clears it. `attempts` keeps
    // every answer ever given, wrong ones too, in order.
    bool revealed = false;
    std::vector<Attempt> attempts;
    std::optional<Value> computed; // the lab's answer, once computed
    std::string computed_error;    // why the lab could not compute it (a lesson bug)
    // The task: what completed it, recorded when the step first counts as
    // done by the student (AfterHelp or Unaided; the lab's solution records
    // nothing, it is not the student's doing).
    std::optional<Completion> completion;

    bool first_right() const { return !attempts.empty() && attempts.front().right; }
    // The latest answer was wrong and the question is still open: the
    // student is to try again (or give up).
    bool retrying() const { return !revealed && !attempts.empty() && !attempts.back().right; }
};

// A lesson's records in numbers (what an instructor's report adds up).
struct LessonScore {
    size_t steps = 0;             // in the lesson
    size_t done = 0;              // steps that count as done (is_done)
    size_t tasks = 0;             // steps with a task
    size_t tasks_unaided = 0;     // of them, done with no hint (Unaided)
    size_t tasks_after_hints = 0; // of them, done after hints (AfterHelp)
    size_t tasks_shown = 0;       // of them, whose solution the lab ran (Shown)
    size_t questions = 0;         // steps with a prediction
    size_t answered = 0;          // of them, answered at least once
    size_t right_first = 0;       // of them, right at the first answer (Unaided)
    size_t right_later = 0;       // of them, right after a wrong answer (AfterHelp)
    size_t questions_shown = 0;   // of them, revealed without a right answer (Shown)
    size_t attempts = 0;          // answers given, all questions together
    size_t hints = 0;             // hints shown, all tasks together
};

// The lesson's score in percent, for a report (SCORM's cmi.core.score.raw,
// the page's postMessage events): every step with a task or a question
// weighs the same, and gives 1 done unaided (the task with no hint, the
// question right at the first answer), 1/2 done after help (after a hint,
// after a wrong answer), 0 shown by the lab or not done yet. Reading steps
// count for nothing. 100 * the sum / those steps, rounded to the nearest
// whole percent (a half up); a lesson with neither tasks nor questions
// scores 100 * done / steps, so that reading it through is full marks.
// 0 for a lesson of no steps.
int lesson_percent(const LessonScore& score);

// The percent a package reports as passed when the lesson ends (SCORM's
// adlcp:masteryscore, scripts/scorm.py): unaided on most steps, e.g. 8 of
// 10 graded steps unaided, or 6 unaided and 4 after help.
inline constexpr int kMasteryPercent = 80;

// ---- Answers ------------------------------------------------------------------------

// The answer of a prediction on the lab as it is: its reveal commands are
// run on the lab, the answer is evaluated, and the lab is restored to its
// checkpoint from before (by replay: no second machine is held). Without a
// reveal the answer is evaluated directly. An evaluation error gives nullopt
// and one line in *error. The lab ends as it was.
std::optional<Value> predict(Lab& lab, const LessonPrediction& p, std::string* error);

// A number as a student types it: decimal or 0x hex, with an optional '-'
// (parse_signed), or a SIZE with a K, M, G or T suffix ("16M", read by the
// console's own parse_size). With AnswerForm::Fraction instead: a decimal
// fraction as the kernel prints its indices ("1.000", "0.5", "-1"), at most
// three decimals, given in thousandths (1000). nullopt when it is none of these.
std::optional<int64_t> answer_number(std::string_view text, AnswerForm form);

// The lab's answer as the feedback writes it: a number in `form` (hex
// "0x38000", size "16M" when it is a whole K/M/G/T, fraction "1.000"), a
// string as it is.
std::string format_answer(const Value& answer, AnswerForm form);

// Whether a student's answer is right: the choice's text equals the computed
// answer, or the number (answer_number in `form`) equals it.
bool answer_matches(const Value& answer, std::string_view student,
                    AnswerForm form = AnswerForm::Dec);

// The author's answer to a prediction (`expect:`) as a student would type
// it: as written when it is an answer already (a choice; a number
// answer_number reads in the prediction's form), else read as a constant
// expression of the condition language (`{{pages}} * 4` in a variant
// lesson, once its variables are put in) and written as format_answer does
// (in thousandths for the fraction form). nullopt without `expect:`; nullopt
// and one line in *error when it is neither an answer nor a constant.
std::optional<std::string> expected_answer(const LessonPrediction& p, const Lab& lab,
                                           std::string* error);

// ---- The session ----------------------------------------------------------------------

// A task's check against the lab as it is: what `mmlab --grade` prints.
struct Grade {
    bool pass = false;
    std::vector<std::string> values; // every value the check read ("nr_free(order=0) = 1")
    std::string error;               // why the check could not be evaluated, or empty
};

class LessonSession {
  public:
    // A session of `lesson` on `lab`, on step 0 but not started. The lesson
    // and the lab must outlive it. `run` runs the session's commands (a
    // step's setup, a solution, a reveal); by default lab.run.
    LessonSession(const Lesson& lesson, Lab& lab, Runner run = {});

    const Lesson& lesson() const { return *m_lesson; }
    // The step the student is on (0-based), and its text.
    size_t current() const { return m_current; }
    const LessonStep& step() const { return m_lesson->steps[m_current]; }
    const StepRecord& record(size_t index) const { return m_records.at(index); }
    const std::vector<StepRecord>& records() const { return m_records; }
    // Whether a step was started since the session was made or restored.
    bool started() const { return m_starts != 0; }
    // Counts the starts of a step (every move below does one): a front end
    // that sees it change knows the step (re)started, e.g. to highlight its
    // panels again.
    uint64_t starts() const { return m_starts; }
    // The last step was left with next(): the lesson is over, until a step
    // starts again.
    bool finished() const { return m_finished; }
    // Since the current step last started: whether its question's reveal ran
    // (answered right or given up), whether its task's solution ran.
    bool revealed() const { return m_round.revealed; }
    bool solution_ran() const { return m_round.solution_ran; }
    LessonScore score() const;

    // Moving between steps. Each returns nullopt, or one line saying why it
    // cannot (a setup command failed: a lesson bug; no such step); then the
    // lab and the session are as they were.
    //
    // start_step: makes step `index` the current one and runs its setup.
    std::optional<std::string> start_step(size_t index);
    // next: leaves the current step as a student who did it would (a task
    // whose check does not hold gets its solution run, a question not
    // revealed gets its reveal run: both count as Shown; a step with
    // neither counts as Read), then starts the following one. On the last
    // step, the lesson is finished instead.
    std::optional<std::string> next();
    // reach_step: brings the lab to the start of step `index` as a student
    // who did every earlier step would have it: from step 0, each step's
    // setup, then its task's solution (unless its check already holds) or
    // its question's reveal; then step `index` starts. The earlier steps with
    // a task or question not yet done count as Shown. For deep links and
    // reopening a lesson.
    std::optional<std::string> reach_step(size_t index);
    // previous: reaches the step before the current one (reach_step: the
    // machine as that step expects it, not as the later steps left it).
    std::optional<std::string> previous();
    // restart_step: reaches the current step again and asks its question again.
    std::optional<std::string> restart_step();
    // resume: makes step `index` the current one and runs nothing: the lab is
    // already there (the page resumed its machine after a reload).
    std::optional<std::string> resume(size_t index);

    // In the current step. Each returns nullopt or one line of why not (then
    // nothing changed).
    //
    // after_command: call after the student's commands ran (by any means:
    // console, buttons, API, undo): a task whose check now holds is done
    // (Shown if its solution was shown, AfterHelp after a hint, else
    // Unaided). Called by the moves above itself.
    void after_command();
    // run: runs the student's command text through the Runner, then
    // after_command().
    std::vector<CommandResult> run(std::string_view text);
    // show_hint: shows the task's next hint.
    std::optional<std::string> show_hint();
    // answer: the student's answer to the question (one of its choices, or a
    // number: answer_number). Records the attempt and whether it is right
    // against the lab's answer (predict, on the machine as it is). A right
    // answer runs the reveal, so that the student sees it happen, and
    // closes the question (Unaided at the first answer, else AfterHelp); a
    // wrong one runs nothing and leaves it open for another try.
    std::optional<std::string> answer(std::string_view student);
    // show_solution: a task's solution runs (it may be shown again and again);
    // a question not yet revealed is given up: its answer is computed and its
    // reveal run (the question is then closed: Shown).
    std::optional<std::string> show_solution();

    // Grades step `index` against the lab as it is (a saved state loaded on
    // it): whether its task's check holds, and why. nullopt and one line in
    // *error when there is no such step or it has no task.
    std::optional<Grade> grade(size_t index, std::string* error) const;

    // Puts back what a student did, kept earlier (the page's localStorage):
    // the step to resume (clamped to the lesson) and the records (cut or
    // padded to the lesson's steps, hints clamped to the task's). Runs
    // nothing; the session is not started.
    void restore(size_t current, std::vector<StepRecord> records);

  private:
    struct Round {
        bool revealed = false;
        bool solution_ran = false;
    };
    struct Saved {
        Lab::Checkpoint lab;
        std::vector<StepRecord> records;
        size_t current;
        bool finished;
        Round round;
        uint64_t starts;
    };
    enum class Leaving : uint8_t { Next, Passed };

    Saved save() const;
    void put_back(const Saved& saved);
    std::string where(size_t index) const; // "step 3 (Title)"
    std::optional<std::string> check_started() const;
    std::optional<std::string> check_index(size_t index) const;
    void raise(size_t index, StepStatus status);
    bool task_holds(size_t index, std::string* error) const;
    std::optional<std::string> run_setup(size_t index);
    std::optional<std::string> enter(size_t index);
    void leave(size_t index, Leaving how);
    void compute(StepRecord& record, const LessonPrediction& prediction);
    void reveal(StepRecord& record, const LessonPrediction& prediction);

    const Lesson* m_lesson;
    Lab* m_lab;
    Runner m_run;
    std::vector<StepRecord> m_records; // one per step
    size_t m_current = 0;
    bool m_finished = false;
    Round m_round;
    uint64_t m_starts = 0;
};

// ---- The lesson test ----------------------------------------------------------------

// Checks a lesson as a test: first that every function and name its checks
// and answers use exists (a step with an unknown one is reported once and
// its check or answer not evaluated); then plays it through a session on a fresh lab: every step
// starts (its setup succeeds); every task's check is false when its step
// starts and true after its solution, and can be evaluated then (it may
// fail to evaluate before: no block of that name yet); every question's
// answer can be computed, is one of its choices, and equals `expect`
// (expected_answer); the machine's invariants hold after each step. Returns
// the problems found, one line each, with the file's line
// ("line 42: step 3 (Title): ...").
std::vector<std::string> verify_lesson(const Lesson& lesson);

// verify_lesson, and for a lesson with variables (variant.h) the same for
// the variants of seeds 1 to `seeds` too, each problem of a variant
// prefixed "variant SEED (name = value, ...): ". What the lesson tests and
// `mmlab --check-lesson` run.
inline constexpr uint64_t kCheckedSeeds = 4;
std::vector<std::string> check_lesson(const Lesson& lesson, uint64_t seeds = kCheckedSeeds);

// The size rule of the lessons mmlab carries (lessons/*.md), not of lessons
// from outside: at least kShippedMinSteps steps, of which at least
// kShippedMinChecked have a task or question. Returns the rules broken.
inline constexpr size_t kShippedMinSteps = 10;
inline constexpr size_t kShippedMinChecked = 4;
std::vector<std::string> shipped_lesson_rule(const Lesson& lesson);

} // namespace mm
