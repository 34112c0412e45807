// Playing a lesson on a lab: the step state machine of session.h, the
// answer of a prediction, and the lesson test that plays a lesson through it.
//
// Sections: statuses | answers | the session: moves, in a step, grading |
// the lesson test
#include "core/lesson/session.h"

#include "core/base/text.h"
#include "core/base/verify.h"
#include "core/console/syntax.h"
#include "core/lesson/functions.h"
#include "core/lesson/variant.h"
#include "core/mm/invariants.h"

#include <algorithm>
#include <array>
#include <utility>

namespace mm {

// ---- Statuses ------------------------------------------------------------------------

namespace {

constexpr std::array<std::pair<StepStatus, const char*>, 6> kStatusNames{{
    {StepStatus::NotStarted, "not_started"},
    {StepStatus::SetUp, "set_up"},
    {StepStatus::Read, "read"},
    {StepStatus::Shown, "shown"},
    {StepStatus::AfterHelp, "after_help"},
    {StepStatus::Unaided, "unaided"},
}};

// Runs commands; a failure is an error of the lesson, except in a task's
// solution or a prediction's reveal, where failing can be the point ("make an
// order-4 request fail", "will GFP_NOWAIT succeed?"): the check or answer decides.
enum class Failures : uint8_t { AreErrors, AreAllowed };

std::optional<std::string> run_commands(const Runner& run, std::string_view text, const char* what,
                                        Failures failures) {
    if (trim(text).empty()) return std::nullopt;
    std::optional<std::string> first;
    for (const CommandResult& r : run(text))
        if (!r.ok && failures == Failures::AreErrors && !first)
            first = std::string(what) + " '" + r.cmd + "' failed: " + r.error;
    return first;
}

} // namespace

const char* step_status_name(StepStatus status) {
    for (const auto& [s, name] : kStatusNames)
        if (s == status) return name;
    MM_VERIFY(false);
    return "";
}

std::optional<StepStatus> step_status_from_name(std::string_view name) {
    for (const auto& [s, n] : kStatusNames)
        if (name == n) return s;
    return std::nullopt;
}

bool is_done(StepStatus status) {
    return status != StepStatus::NotStarted && status != StepStatus::SetUp;
}

std::string history_lines(const std::vector<HistoryEntry>& history) {
    std::string text;
    for (const HistoryEntry& entry : history)
        text += history_line(entry) + "\n";
    return text;
}

// ---- Answers ---------------------------------------------------------------------------

std::optional<Value> predict(Lab& lab, const LessonPrediction& p, std::string* error) {
    // Nothing to run: no checkpoint, whose restore would replay the history.
    if (trim(p.reveal).empty()) return p.answer.evaluate(lab, error);
    const Lab::Checkpoint before = lab.checkpoint();
    lab.run(p.reveal);
    std::optional<Value> answer = p.answer.evaluate(lab, error);
    lab.restore(before);
    return answer;
}

namespace {

// "1.000", "0.5", "-1" in thousandths: the kernel's "%d.%03d" read back.
std::optional<int64_t> parse_thousandths(std::string_view text) {
    const bool negative = !text.empty() && text[0] == '-';
    if (negative) text.remove_prefix(1);
    const size_t dot = text.find('.');
    const std::string_view whole = text.substr(0, dot);
    std::string_view decimals =
        dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
    if ((whole.empty() && decimals.empty()) || decimals.size() > 3) return std::nullopt;
    if (dot != std::string_view::npos && decimals.empty()) return std::nullopt; // "1."
    auto digits = [](std::string_view d) {
        return std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    if (!digits(whole) || !digits(decimals)) return std::nullopt;
    int64_t units = 0;
    if (!whole.empty()) {
        const std::optional<int64_t> w = parse_signed(whole);
        if (!w || *w > INT64_MAX / 1000 - 1) return std::nullopt;
        units = *w;
    }
    int64_t frac = 0;
    for (size_t i = 0; i < 3; ++i)
        frac = frac * 10 + (i < decimals.size() ? decimals[i] - '0' : 0);
    const int64_t v = units * 1000 + frac;
    return negative ? -v : v;
}

} // namespace

std::optional<int64_t> answer_number(std::string_view text, AnswerForm form) {
    text = trim(text);
    if (form == AnswerForm::Fraction) return parse_thousandths(text);
    if (std::optional<int64_t> v = parse_signed(text)) return v;
    const std::optional<uint64_t> size = parse_size(text);
    if (!size || *size > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
    return static_cast<int64_t>(*size);
}

std::string format_answer(const Value& answer, AnswerForm form) {
    if (answer.kind != Value::Kind::Int) return answer.s;
    const int64_t v = answer.i;
    const uint64_t magnitude =
        v < 0 ? static_cast<uint64_t>(-(v + 1)) + 1 : static_cast<uint64_t>(v);
    const std::string sign = v < 0 ? "-" : "";
    switch (form) {
    case AnswerForm::Dec:
        break;
    case AnswerForm::Hex:
        return sign + hex(magnitude);
    case AnswerForm::Size:
        return sign + format_size(magnitude);
    case AnswerForm::Fraction:
        return sign + strprintf("%llu.%03llu", static_cast<unsigned long long>(magnitude / 1000),
                                static_cast<unsigned long long>(magnitude % 1000));
    }
    return std::to_string(v);
}

bool answer_matches(const Value& answer, std::string_view student, AnswerForm form) {
    const std::string_view s = trim(student);
    if (answer.kind == Value::Kind::Int) {
        const std::optional<int64_t> v = answer_number(s, form);
        return v && *v == answer.i;
    }
    return s == answer.s;
}

std::optional<std::string> expected_answer(const LessonPrediction& p, const Lab& lab,
                                           std::string* error) {
    if (!p.expect) return std::nullopt;
    const std::string given(trim(*p.expect));
    if (!p.choices.empty() || answer_number(given, p.form)) return given;
    std::string why;
    std::optional<Condition> c = Condition::parse(given, &why);
    if (c && !c->is_constant())
        why = "a computed expect: uses numbers only, not functions or names";
    // A constant reads nothing of the lab: evaluating it on any lab is the same.
    const std::optional<Value> v = c && why.empty() ? c->evaluate(lab, &why) : std::nullopt;
    if (!v) {
        *error = "'" + quote_input(given) + "' is neither an answer nor a constant expression (" +
                 why + ")";
        return std::nullopt;
    }
    return format_answer(*v, p.form);
}

// ---- The session: moves -------------------------------------------------------------------

LessonSession::LessonSession(const Lesson& lesson, Lab& lab, Runner run)
    : m_lesson(&lesson), m_lab(&lab), m_run(std::move(run)), m_records(lesson.steps.size()) {
    // parse_lesson gives at least one step; current() always names one.
    MM_VERIFY(!lesson.steps.empty());
    if (!m_run) m_run = [lab = &lab](std::string_view text) { return lab->run(text); };
}

LessonScore LessonSession::score() const {
    LessonScore score;
    score.steps = m_records.size();
    for (size_t i = 0; i < m_records.size(); ++i) {
        const LessonStep& step = m_lesson->steps[i];
        const StepRecord& r = m_records[i];
        score.done += is_done(r.status) ? 1 : 0;
        if (step.task) {
            ++score.tasks;
            score.tasks_unaided += r.status == StepStatus::Unaided ? 1 : 0;
            score.tasks_after_hints += r.status == StepStatus::AfterHelp ? 1 : 0;
            score.tasks_shown += r.status == StepStatus::Shown ? 1 : 0;
            score.hints += static_cast<size_t>(r.hints_shown);
        }
        if (step.prediction) {
            ++score.questions;
            score.answered += r.attempts.empty() ? 0 : 1;
            score.right_first += r.status == StepStatus::Unaided ? 1 : 0;
            score.right_later += r.status == StepStatus::AfterHelp ? 1 : 0;
            score.questions_shown += r.status == StepStatus::Shown ? 1 : 0;
            score.attempts += r.attempts.size();
        }
    }
    return score;
}

int lesson_percent(const LessonScore& score) {
    const size_t graded = score.tasks + score.questions;
    if (graded == 0) {
        if (score.steps == 0) return 0;
        return static_cast<int>((200 * score.done + score.steps) / (2 * score.steps));
    }
    // In halves: 2 for unaided, 1 after help; rounded to the nearest percent.
    const size_t halves =
        2 * (score.tasks_unaided + score.right_first) + score.tasks_after_hints + score.right_later;
    return static_cast<int>((100 * halves + graded) / (2 * graded));
}

LessonSession::Saved LessonSession::save() const {
    return Saved{m_lab->checkpoint(), m_records, m_current, m_finished, m_round, m_starts};
}

void LessonSession::put_back(const Saved& saved) {
    m_lab->restore(saved.lab);
    m_records = saved.records;
    m_current = saved.current;
    m_finished = saved.finished;
    m_round = saved.round;
    m_starts = saved.starts;
}

std::string LessonSession::where(size_t index) const {
    return "step " + std::to_string(index + 1) + " (" + m_lesson->steps[index].title + ")";
}

std::optional<std::string> LessonSession::check_started() const {
    if (!started()) return "lesson " + m_lesson->id + " has not started: start a step first";
    return std::nullopt;
}

std::optional<std::string> LessonSession::check_index(size_t index) const {
    if (index < m_lesson->steps.size()) return std::nullopt;
    return "lesson " + m_lesson->id + " has steps 1 to " + std::to_string(m_lesson->steps.size()) +
           ", not " + std::to_string(index + 1);
}

// NotStarted -> SetUp -> the first outcome, which stays (session.h).
void LessonSession::raise(size_t index, StepStatus status) {
    StepStatus& s = m_records[index].status;
    if (s == StepStatus::NotStarted || (s == StepStatus::SetUp && status != StepStatus::NotStarted))
        s = status;
}

bool LessonSession::task_holds(size_t index, std::string* error) const {
    const std::optional<Value> v = m_lesson->steps[index].task->check.evaluate(*m_lab, error);
    return v && v->truthy();
}

std::optional<std::string> LessonSession::run_setup(size_t index) {
    if (std::optional<std::string> e =
            run_commands(m_run, m_lesson->steps[index].setup, "setup command", Failures::AreErrors))
        return where(index) + ": " + *e;
    return std::nullopt;
}

// Makes `index` the current step and runs its setup; a check that holds at
// once marks the task done (a lesson bug the lesson test reports).
std::optional<std::string> LessonSession::enter(size_t index) {
    m_current = index;
    m_finished = false;
    m_round = Round{};
    ++m_starts;
    if (std::optional<std::string> e = run_setup(index)) return e;
    raise(index, StepStatus::SetUp);
    after_command();
    return std::nullopt;
}

// What a student who did step `index` leaves behind: the task's solution
// unless its check holds, the question's reveal unless it ran. Failures are
// allowed there (see Failures).
void LessonSession::leave(size_t index, Leaving how) {
    const LessonStep& step = m_lesson->steps[index];
    if (step.task) {
        std::string error;
        if (!task_holds(index, &error)) {
            run_commands(m_run, step.task->solution, "solution", Failures::AreAllowed);
            m_round.solution_ran = true;
            raise(index, StepStatus::Shown);
        }
    } else if (step.prediction) {
        if (!m_round.revealed) {
            run_commands(m_run, step.prediction->reveal, "reveal", Failures::AreAllowed);
            m_round.revealed = true;
            raise(index, StepStatus::Shown);
        }
    } else if (how == Leaving::Next) {
        raise(index, StepStatus::Read);
    }
}

std::optional<std::string> LessonSession::start_step(size_t index) {
    if (std::optional<std::string> e = check_index(index)) return e;
    const Saved before = save();
    if (std::optional<std::string> e = enter(index)) {
        put_back(before);
        return e;
    }
    return std::nullopt;
}

std::optional<std::string> LessonSession::next() {
    if (std::optional<std::string> e = check_started()) return e;
    if (m_finished) return "lesson " + m_lesson->id + " is finished: start a step first";
    const Saved before = save();
    after_command(); // the check, once more, on the way out
    leave(m_current, Leaving::Next);
    if (m_current + 1 == m_lesson->steps.size()) {
        m_finished = true;
        return std::nullopt;
    }
    if (std::optional<std::string> e = enter(m_current + 1)) {
        put_back(before);
        return e;
    }
    return std::nullopt;
}

std::optional<std::string> LessonSession::reach_step(size_t index) {
    if (std::optional<std::string> e = check_index(index)) return e;
    const Saved before = save();
    for (size_t s = 0; s < index; ++s) {
        m_current = s;
        m_round = Round{};
        if (std::optional<std::string> e = run_setup(s)) {
            put_back(before);
            return e;
        }
        leave(s, Leaving::Passed);
    }
    if (std::optional<std::string> e = enter(index)) {
        put_back(before);
        return e;
    }
    return std::nullopt;
}

std::optional<std::string> LessonSession::previous() {
    if (std::optional<std::string> e = check_started()) return e;
    if (m_current == 0) return "step 1 is the first step of lesson " + m_lesson->id;
    return reach_step(m_current - 1);
}

std::optional<std::string> LessonSession::restart_step() {
    if (std::optional<std::string> e = check_started()) return e;
    const bool revealed = m_records[m_current].revealed;
    m_records[m_current].revealed = false;
    if (std::optional<std::string> e = reach_step(m_current)) {
        m_records[m_current].revealed = revealed;
        return e;
    }
    return std::nullopt;
}

std::optional<std::string> LessonSession::resume(size_t index) {
    if (std::optional<std::string> e = check_index(index)) return e;
    m_current = index;
    m_finished = false;
    // A revealed question had its reveal run before the page kept its machine.
    m_round = Round{m_records[index].revealed, false};
    ++m_starts;
    raise(index, StepStatus::SetUp);
    after_command();
    return std::nullopt;
}

// ---- The session: in a step ----------------------------------------------------------------

void LessonSession::after_command() {
    if (!started() || m_finished || !step().task) return;
    StepRecord& r = m_records[m_current];
    if (is_done(r.status)) return;
    std::string error;
    if (!task_holds(m_current, &error)) return;
    raise(m_current, r.solution_shown    ? StepStatus::Shown
                     : r.hints_shown > 0 ? StepStatus::AfterHelp
                                         : StepStatus::Unaided);
    // What a grader replays: the latest command and the machine before it.
    if (const CommandResult* last = m_lab->last(); last && !r.solution_shown)
        r.completion = Completion{history_lines(m_lab->history_before_last()), last->cmd, last->ok,
                                  last->changed, last->error};
}

std::vector<CommandResult> LessonSession::run(std::string_view text) {
    std::vector<CommandResult> results = m_run(text);
    after_command();
    return results;
}

std::optional<std::string> LessonSession::show_hint() {
    if (std::optional<std::string> e = check_started()) return e;
    if (!step().task) return where(m_current) + " has no task";
    StepRecord& r = m_records[m_current];
    if (r.hints_shown >= static_cast<int>(step().task->hints.size()))
        return where(m_current) + " has no more hints";
    ++r.hints_shown;
    return std::nullopt;
}

// The question's answer on the machine as it is (predict), into the record.
void LessonSession::compute(StepRecord& record, const LessonPrediction& prediction) {
    std::string error;
    record.computed = predict(*m_lab, prediction, &error);
    record.computed_error = record.computed ? std::string() : error;
}

// Runs the question's reveal on the lab for the student to see; the question
// is closed until Restart step asks it again.
void LessonSession::reveal(StepRecord& record, const LessonPrediction& prediction) {
    run_commands(m_run, prediction.reveal, "reveal", Failures::AreAllowed);
    m_round.revealed = true;
    record.revealed = true;
}

std::optional<std::string> LessonSession::answer(std::string_view student) {
    if (std::optional<std::string> e = check_started()) return e;
    if (!step().prediction) return where(m_current) + " asks no question";
    const LessonPrediction& p = *step().prediction;
    StepRecord& r = m_records[m_current];
    if (r.revealed || m_round.revealed)
        return where(m_current) + " is answered already: restart the step to answer again";
    const std::string given(trim(student));
    if (p.choices.empty()) {
        if (!answer_number(given, p.form))
            return p.form == AnswerForm::Fraction
                       ? "the answer must be a fraction such as 0.250, not '" + quote_input(given) +
                             "'"
                       : "the answer must be a number (229376, 0x38000 or 16M), not '" +
                             quote_input(given) + "'";
    } else if (std::find(p.choices.begin(), p.choices.end(), given) == p.choices.end()) {
        std::string choices;
        for (const std::string& c : p.choices)
            choices += (choices.empty() ? "" : " | ") + c;
        return "'" + quote_input(given) + "' is not one of the choices: " + choices;
    }
    // The answer on the machine as it is: predict() runs the reveal on the lab
    // and restores it, so a wrong answer leaves nothing of it behind.
    compute(r, p);
    const bool right = r.computed && answer_matches(*r.computed, given, p.form);
    r.attempts.push_back(Attempt{given, right, history_lines(m_lab->history())});
    if (!right) return std::nullopt;
    reveal(r, p);
    raise(m_current, r.attempts.size() == 1 ? StepStatus::Unaided : StepStatus::AfterHelp);
    return std::nullopt;
}

std::optional<std::string> LessonSession::show_solution() {
    if (std::optional<std::string> e = check_started()) return e;
    StepRecord& r = m_records[m_current];
    if (step().task) {
        r.solution_shown = true;
        run_commands(m_run, step().task->solution, "solution", Failures::AreAllowed);
        m_round.solution_ran = true;
        after_command();
        return std::nullopt;
    }
    if (step().prediction) {
        if (r.revealed || m_round.revealed) return where(m_current) + " is revealed already";
        r.solution_shown = true;
        compute(r, *step().prediction);
        reveal(r, *step().prediction);
        raise(m_current, StepStatus::Shown);
        return std::nullopt;
    }
    return where(m_current) + " has no task or question";
}

// ---- The session: grading -----------------------------------------------------------------

std::optional<Grade> LessonSession::grade(size_t index, std::string* error) const {
    if (std::optional<std::string> e = check_index(index)) {
        *error = *e;
        return std::nullopt;
    }
    const LessonStep& step = m_lesson->steps[index];
    if (!step.task) {
        *error = m_lesson->id + " " + where(index) + " has no task to grade";
        return std::nullopt;
    }
    Grade grade;
    grade.pass = task_holds(index, &grade.error);
    grade.values = step.task->check.explain(*m_lab);
    return grade;
}

void LessonSession::restore(size_t current, std::vector<StepRecord> records) {
    records.resize(m_lesson->steps.size());
    for (size_t i = 0; i < records.size(); ++i) {
        const LessonStep& step = m_lesson->steps[i];
        const int hints = step.task ? static_cast<int>(step.task->hints.size()) : 0;
        records[i].hints_shown = std::clamp(records[i].hints_shown, 0, hints);
    }
    m_records = std::move(records);
    m_current = std::min(current, m_lesson->steps.size() - 1);
    m_finished = false;
    m_round = Round{};
    m_starts = 0;
}

// ---- The lesson test --------------------------------------------------------------------

namespace {

// Every function a condition calls and every name it reads must be one the
// language knows: found before anything runs, so that a typo is not taken
// for a check that is merely false.
void check_vocabulary(const Condition& c, int line, const std::string& where, const char* key,
                      std::vector<std::string>* problems) {
    const std::string at = "line " + std::to_string(line) + ": " + where + key + ": ";
    for (const std::string& f : c.calls())
        if (!find_condition_function(f))
            problems->push_back(at + "unknown function '" + quote_input(f) + "'" +
                                (find_condition_name(f) ? " (a name: write it without ())" : "") +
                                " (mmlab --help-functions lists them)");
    for (const std::string& n : c.names()) {
        if (find_condition_name(n) || n.rfind("last.", 0) == 0) continue;
        problems->push_back(
            at + "unknown name '" + quote_input(n) + "'" +
            (find_condition_function(n) ? " (a function: write " + n + "(...))" : "") +
            " (mmlab --help-functions lists them)");
    }
}

} // namespace

std::vector<std::string> verify_lesson(const Lesson& lesson) {
    std::vector<std::string> problems;
    const auto at = [&](int line, size_t s) {
        return "line " + std::to_string(line) + ": step " + std::to_string(s + 1) + " (" +
               lesson.steps[s].title + "): ";
    };
    // A step whose check or answer names what the language does not know
    // is reported once, here, and not played for: its check would only
    // fail to evaluate. The other steps are played all the same, so that
    // one run shows the author every problem.
    std::vector<bool> unknown(lesson.steps.size(), false);
    for (size_t s = 0; s < lesson.steps.size(); ++s) {
        const LessonStep& step = lesson.steps[s];
        const std::string where = "step " + std::to_string(s + 1) + " (" + step.title + "): ";
        const size_t before = problems.size();
        if (step.task)
            check_vocabulary(step.task->check, step.task->check_line, where, "check", &problems);
        if (step.prediction)
            check_vocabulary(step.prediction->answer, step.prediction->answer_line, where, "answer",
                             &problems);
        unknown[s] = problems.size() != before;
    }

    Lab lab;
    LessonSession session(lesson, lab);
    for (size_t s = 0; s < lesson.steps.size(); ++s) {
        const LessonStep& step = lesson.steps[s];
        if (std::optional<std::string> e = s == 0 ? session.start_step(0) : session.next()) {
            // The step's setup failed (session says which command and why).
            problems.push_back("line " +
                               std::to_string(step.setup_line ? step.setup_line : step.line) +
                               ": " + *e);
            return problems;
        }
        if (unknown[s]) continue;
        if (step.task) {
            const LessonTask& task = *step.task;
            if (is_done(session.record(s).status))
                problems.push_back(at(task.line, s) +
                                   "the task's check is already true when the step starts");
            session.show_solution();
            std::string error;
            const std::optional<Grade> grade = session.grade(s, &error);
            // A check may fail to evaluate before its task is done (a block
            // not yet allocated), never after its solution.
            if (!grade->error.empty())
                problems.push_back(at(task.check_line, s) + "check: " + grade->error +
                                   " (after the solution)");
            else if (!is_done(session.record(s).status))
                problems.push_back(at(task.check_line, s) +
                                   "the task's check is false after its solution");
        }
        if (step.prediction) {
            // Answered as its author would: `expect`, else the first choice, else 0.
            const LessonPrediction& p = *step.prediction;
            const int expect_line = p.expect_line ? p.expect_line : p.line;
            std::string why;
            const std::optional<std::string> expected = expected_answer(p, lab, &why);
            if (!why.empty()) {
                problems.push_back(at(expect_line, s) + "expect: " + why);
                continue;
            }
            const std::string given = expected             ? *expected
                                      : !p.choices.empty() ? p.choices.front()
                                                           : "0";
            if (std::optional<std::string> e = session.answer(given)) {
                problems.push_back(at(expect_line, s) + "expect: " + *e);
                continue;
            }
            const StepRecord& r = session.record(s);
            // A wrong answer leaves the question open: give up, so that the
            // next steps find the machine the lesson expects.
            if (!r.revealed) session.show_solution();
            if (!r.computed) {
                problems.push_back(at(p.answer_line, s) + "answer: " + r.computed_error);
            } else {
                if (!p.choices.empty() &&
                    std::none_of(p.choices.begin(), p.choices.end(), [&](const std::string& c) {
                        return answer_matches(*r.computed, c, p.form);
                    }))
                    problems.push_back(at(p.line, s) + "the answer " + r.computed->text() +
                                       " is not one of the choices");
                if (p.expect && !r.attempts.back().right)
                    problems.push_back(at(expect_line, s) + "expect: " + given +
                                       " but the simulation gives " + r.computed->text());
            }
        }
        if (std::optional<std::string> bad = check_invariants(lab.machine()))
            problems.push_back(at(step.line, s) + "invariant: " + *bad);
    }
    return problems;
}

std::vector<std::string> check_lesson(const Lesson& lesson, uint64_t seeds) {
    std::vector<std::string> problems = verify_lesson(lesson);
    for (uint64_t seed = 1; seed <= seeds && has_variables(lesson); ++seed) {
        std::string error;
        const std::optional<Lesson> variant = instantiate(lesson, seed, &error);
        if (!variant) {
            problems.push_back(error);
            continue;
        }
        std::string drawn;
        for (size_t i = 0; i < variant->variables.size(); ++i)
            drawn += (i ? ", " : "") + variant->variables[i].name + " = " + variant->values[i];
        for (const std::string& p : verify_lesson(*variant))
            problems.push_back("variant " + std::to_string(seed) + " (" + drawn + "): " + p);
    }
    return problems;
}

std::vector<std::string> shipped_lesson_rule(const Lesson& lesson) {
    std::vector<std::string> problems;
    size_t checked = 0;
    for (const LessonStep& step : lesson.steps)
        checked += step.task || step.prediction;
    if (lesson.steps.size() < kShippedMinSteps)
        problems.push_back(lesson.id + ": " + std::to_string(lesson.steps.size()) +
                           " steps; a lesson mmlab carries has at least " +
                           std::to_string(kShippedMinSteps));
    if (checked < kShippedMinChecked)
        problems.push_back(lesson.id + ": " + std::to_string(checked) +
                           " steps with a task or question; a lesson mmlab carries has at least " +
                           std::to_string(kShippedMinChecked));
    return problems;
}

} // namespace mm
