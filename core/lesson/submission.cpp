// Submissions: the text format both ways, and the grader that replays them
// (submission.h has the format).
//
// Sections: writing | reading | grading
#include "core/lesson/submission.h"

#include "core/base/text.h"
#include "core/base/version.h"
#include "core/console/syntax.h"
#include "core/lab/state.h"

#include <algorithm>

namespace mm {

namespace {

constexpr std::string_view kMagic = "mmlab-submission";

// Text the file keeps on one line (an id, a time, an answer, an error):
// a line break would start a line the reader takes for a field.
std::string one_line(std::string_view text) {
    std::string out(text);
    std::replace(out.begin(), out.end(), '\n', ' ');
    std::replace(out.begin(), out.end(), '\r', ' ');
    return out;
}

std::string result_words(const Completion& c) {
    if (c.ok) return c.changed ? "ok" : "ok, changed nothing";
    return (c.changed ? "failed part way: " : "failed: ") + one_line(c.error);
}

// The lines of a history text, without empty ones.
std::vector<std::string_view> lines_of(std::string_view text) {
    std::vector<std::string_view> lines;
    size_t start = 0;
    while (start < text.size()) {
        size_t nl = text.find('\n', start);
        if (nl == std::string_view::npos) nl = text.size();
        std::string_view line = text.substr(start, nl - start);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (!trim(line).empty()) lines.push_back(line);
        start = nl + 1;
    }
    return lines;
}

} // namespace

// ---- Writing ------------------------------------------------------------------------------

std::string write_submission(const LessonSession& session, const SubmissionMeta& meta) {
    const Lesson& lesson = session.lesson();
    std::string out = std::string(kMagic) + " " + std::to_string(kSubmissionFormat) + "\n";
    out += std::string("lab: ") + kLabVersion + "\n";
    out += "level: " + std::to_string(kSimulationLevel) + "\n";
    out += "lesson: " + one_line(lesson.id) + "\n";
    out += "lesson-hash: " + lesson.hash + "\n";
    out += "time: " + one_line(meta.time) + "\n";
    if (!meta.student.empty()) out += "student: " + one_line(meta.student) + "\n";
    if (meta.seed) out += "seed: " + std::to_string(*meta.seed) + "\n";

    std::optional<std::string> written; // the history written last, for "as above"
    auto history = [&](const std::string& text, const std::string& indent) {
        std::string lines;
        for (std::string_view line : lines_of(text))
            lines += one_line(trim(line)) + "\n";
        if (written && *written == lines) {
            out += indent + "history: as above\n";
            return;
        }
        out += indent + "history:\n";
        for (std::string_view line : lines_of(lines))
            out += indent + "  " + std::string(line) + "\n";
        written = std::move(lines);
    };
    for (size_t i = 0; i < session.records().size(); ++i) {
        const StepRecord& r = session.records()[i];
        out += "\nstep " + std::to_string(i + 1) + ": " + step_status_name(r.status) + "  # " +
               one_line(lesson.steps[i].title) + "\n";
        if (r.hints_shown > 0) out += "  hints: " + std::to_string(r.hints_shown) + "\n";
        if (r.solution_shown) out += "  solution shown\n";
        if (r.completion) {
            out += "  command: " + one_line(r.completion->cmd) + "\n";
            out += "  result: " + result_words(*r.completion) + "\n";
            history(r.completion->history, "  ");
        }
        for (const Attempt& a : r.attempts) {
            out += std::string("  attempt: ") + (a.right ? "right: " : "wrong: ") +
                   one_line(a.answer) + "\n";
            history(a.history, "    ");
        }
    }
    return out;
}

// ---- Reading ------------------------------------------------------------------------------

bool looks_like_submission(std::string_view text) {
    if (text.substr(0, 3) == "\xef\xbb\xbf") text.remove_prefix(3);
    return text.substr(0, kMagic.size()) == kMagic;
}

namespace {

struct Line {
    size_t number; // from 1
    size_t indent; // leading spaces
    std::string_view text;
};

std::vector<Line> split_lines(std::string_view text) {
    std::vector<Line> lines;
    size_t start = 0, number = 0;
    while (start < text.size()) {
        size_t nl = text.find('\n', start);
        if (nl == std::string_view::npos) nl = text.size();
        std::string_view line = text.substr(start, nl - start);
        start = nl + 1;
        ++number;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        const size_t indent = std::min(line.find_first_not_of(' '), line.size());
        lines.push_back(Line{number, indent, line.substr(indent)});
    }
    return lines;
}

// "KEY: VALUE" -> VALUE when the line starts with KEY ":".
std::optional<std::string_view> field(std::string_view line, std::string_view key) {
    if (line.size() <= key.size() || line.substr(0, key.size()) != key || line[key.size()] != ':')
        return std::nullopt;
    return trim(line.substr(key.size() + 1));
}

std::optional<int> small_number(std::string_view text) {
    const std::optional<uint64_t> n = parse_number(trim(text));
    if (!n || *n > 1000000) return std::nullopt;
    return static_cast<int>(*n);
}

class Reader {
  public:
    explicit Reader(std::string_view text) : m_lines(split_lines(text)) {}

    std::optional<Submission> read(std::string* error) {
        Submission s;
        if (!header(s) || !steps(s)) {
            *error = m_error;
            return std::nullopt;
        }
        return s;
    }

  private:
    bool fail(size_t line, const std::string& why) {
        m_error = "line " + std::to_string(line) + ": " + why;
        return false;
    }
    bool at_end() const { return m_at >= m_lines.size(); }

    bool header(Submission& s) {
        if (m_lines.empty()) {
            m_error = "not an mmlab submission (it is empty)";
            return false;
        }
        std::string_view first = m_lines[0].text;
        if (m_lines[0].indent == 0 && first.substr(0, 3) == "\xef\xbb\xbf") first.remove_prefix(3);
        if (first.substr(0, kMagic.size()) != kMagic) {
            m_error = "not an mmlab submission (it should start with 'mmlab-submission')";
            return false;
        }
        const std::optional<uint64_t> format = parse_number(trim(first.substr(kMagic.size())));
        if (!format || *format == 0) return fail(1, "not an mmlab submission: bad format version");
        if (*format > static_cast<uint64_t>(kSubmissionFormat)) {
            m_error = "this submission was made by a newer mmlab (format " +
                      quote_input(trim(first.substr(kMagic.size()))) + "; this one reads format " +
                      std::to_string(kSubmissionFormat) + ")";
            return false;
        }
        s.format = static_cast<int>(*format);
        bool have_lab = false, have_level = false, have_lesson = false, have_hash = false;
        for (m_at = 1; !at_end(); ++m_at) {
            const Line& l = m_lines[m_at];
            if (l.text.empty()) continue;
            if (l.text.substr(0, 5) == "step ") break;
            if (l.indent != 0) return fail(l.number, "an indented line outside a step");
            const size_t colon = l.text.find(':');
            const std::string_view key = l.text.substr(0, colon);
            const std::string_view value = colon == std::string_view::npos
                                               ? std::string_view{}
                                               : trim(l.text.substr(colon + 1));
            if (colon == std::string_view::npos) {
                return fail(l.number, "expected 'FIELD: VALUE', not '" + quote_input(l.text) + "'");
            } else if (key == "lab") {
                s.lab_version = std::string(value);
                have_lab = true;
            } else if (key == "level") {
                const std::optional<int> n = small_number(value);
                if (!n) return fail(l.number, "level must be a number");
                s.level = *n;
                have_level = true;
            } else if (key == "lesson") {
                s.lesson_id = std::string(value);
                have_lesson = !s.lesson_id.empty();
            } else if (key == "lesson-hash") {
                s.lesson_hash = std::string(value);
                have_hash = true;
            } else if (key == "time") {
                s.meta.time = std::string(value);
            } else if (key == "student") {
                s.meta.student = std::string(value);
            } else if (key == "seed") {
                const std::optional<uint64_t> n = parse_number(value);
                if (!n) return fail(l.number, "seed must be a number");
                s.meta.seed = *n;
            } else {
                return fail(l.number, "unknown field '" + quote_input(l.text) + "'");
            }
        }
        if (!have_lab || !have_level || !have_lesson || !have_hash)
            return fail(m_at < m_lines.size() ? m_lines[m_at].number : m_lines.back().number,
                        std::string("the header has no ") + (!have_lab      ? "lab:"
                                                             : !have_level  ? "level:"
                                                             : !have_lesson ? "lesson:"
                                                                            : "lesson-hash:"));
        return true;
    }

    bool steps(Submission& s) {
        while (!at_end()) {
            const Line& l = m_lines[m_at];
            if (l.text.empty()) {
                ++m_at;
                continue;
            }
            if (l.indent != 0 || l.text.substr(0, 5) != "step ")
                return fail(l.number, "expected 'step N: STATUS'");
            std::string_view rest = l.text.substr(5);
            if (const size_t title = rest.find("  #"); title != std::string_view::npos)
                rest = rest.substr(0, title);
            const size_t colon = rest.find(':');
            const std::optional<int> n = colon == std::string_view::npos
                                             ? std::nullopt
                                             : small_number(rest.substr(0, colon));
            if (!n || static_cast<size_t>(*n) != s.steps.size() + 1)
                return fail(l.number, "expected step " + std::to_string(s.steps.size() + 1));
            StepRecord r;
            const std::optional<StepStatus> status =
                step_status_from_name(trim(rest.substr(colon + 1)));
            if (!status)
                return fail(l.number,
                            "unknown status '" + quote_input(trim(rest.substr(colon + 1))) + "'");
            r.status = *status;
            ++m_at;
            if (!step_body(r)) return false;
            s.steps.push_back(std::move(r));
        }
        return true;
    }

    bool step_body(StepRecord& r) {
        bool have_command = false, have_result = false;
        Completion c;
        const size_t start = m_at > 0 ? m_lines[m_at - 1].number : 1;
        while (!at_end()) {
            const Line& l = m_lines[m_at];
            if (l.text.empty()) {
                ++m_at;
                continue;
            }
            if (l.indent == 0) break;
            if (l.indent != 2) return fail(l.number, "expected a field indented by two spaces");
            const size_t colon = l.text.find(':');
            const std::string_view key = l.text.substr(0, colon);
            const std::string_view value = colon == std::string_view::npos
                                               ? std::string_view{}
                                               : trim(l.text.substr(colon + 1));
            if (l.text == "solution shown") {
                r.solution_shown = true;
            } else if (colon == std::string_view::npos) {
                return fail(l.number, "unknown field '" + quote_input(l.text) + "'");
            } else if (key == "hints") {
                const std::optional<int> n = small_number(value);
                if (!n) return fail(l.number, "hints must be a number");
                r.hints_shown = *n;
            } else if (key == "command") {
                if (have_command) return fail(l.number, "a second command");
                c.cmd = std::string(value);
                have_command = true;
            } else if (key == "result") {
                if (!result(value, &c))
                    return fail(l.number, "unknown result '" + quote_input(value) + "'");
                have_result = true;
            } else if (key == "attempt") {
                Attempt a;
                if (value.substr(0, 6) == "right:")
                    a.right = true;
                else if (value.substr(0, 6) != "wrong:")
                    return fail(l.number, "expected 'attempt: right: ANSWER' or 'wrong: ANSWER'");
                a.answer = std::string(trim(value.substr(6)));
                ++m_at;
                if (!history(4, &a.history, l.number)) return false;
                r.attempts.push_back(std::move(a));
                continue;
            } else if (key == "history") {
                if (!have_command) return fail(l.number, "a history before its command");
                if (!history(2, &c.history, l.number)) return false;
                continue;
            } else {
                return fail(l.number, "unknown field '" + quote_input(l.text) + "'");
            }
            ++m_at;
        }
        if (have_command != have_result)
            return fail(start, have_command ? "the step's command has no result"
                                            : "the step's result has no command");
        if (have_command) r.completion = std::move(c);
        return true;
    }

    bool result(std::string_view words, Completion* c) {
        c->error.clear();
        if (words == "ok") {
            c->ok = true;
            c->changed = true;
        } else if (words == "ok, changed nothing") {
            c->ok = true;
            c->changed = false;
        } else if (std::optional<std::string_view> part = field(words, "failed part way")) {
            c->ok = false;
            c->changed = true;
            c->error = std::string(*part);
        } else if (std::optional<std::string_view> failed = field(words, "failed")) {
            c->ok = false;
            c->changed = false;
            c->error = std::string(*failed);
        } else {
            return false;
        }
        return true;
    }

    // "history:" at `indent` (the current line, or the one just read for an
    // attempt), then its lines two spaces deeper; or "history: as above".
    bool history(size_t indent, std::string* out, size_t owner) {
        if (at_end() || m_lines[m_at].indent != indent || !field(m_lines[m_at].text, "history"))
            return fail(owner, "expected 'history:' indented by " + std::to_string(indent) +
                                   " spaces after it");
        const Line& head = m_lines[m_at];
        const std::string_view value = *field(head.text, "history");
        ++m_at;
        if (value == "as above") {
            if (!m_last_history) return fail(head.number, "no history above");
            *out = *m_last_history;
            return true;
        }
        if (!value.empty()) return fail(head.number, "expected 'history:' or 'history: as above'");
        out->clear();
        for (; !at_end(); ++m_at) {
            const Line& l = m_lines[m_at];
            if (l.text.empty()) continue;
            if (l.indent < indent + 2) break;
            *out += std::string(l.indent > indent + 2 ? l.indent - indent - 2 : 0, ' ');
            *out += std::string(l.text) + "\n";
        }
        m_last_history = *out;
        return true;
    }

    std::vector<Line> m_lines;
    size_t m_at = 0;
    std::optional<std::string> m_last_history;
    std::string m_error;
};

} // namespace

std::optional<Submission> parse_submission(std::string_view text, std::string* error) {
    return Reader(text).read(error);
}

// ---- Grading ------------------------------------------------------------------------------

const char* verdict_name(Verdict verdict) {
    switch (verdict) {
    case Verdict::Pass:
        return "pass";
    case Verdict::Fail:
        return "fail";
    case Verdict::Unusable:
        return "unusable";
    }
    return "";
}

bool same_version(const Submission& submission, const Lesson& lesson) {
    return submission.lab_version == kLabVersion && submission.level == kSimulationLevel &&
           submission.lesson_hash == lesson.hash;
}

namespace {

// "expected: GOAL" without the goal's full stop, for a reason that goes on.
std::string expected(const LessonTask& task) {
    std::string_view goal = trim(task.goal);
    if (!goal.empty() && goal.back() == '.') goal.remove_suffix(1);
    return "expected: " + std::string(goal);
}

std::string plural(size_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string joined(const std::vector<std::string>& parts, const char* sep) {
    std::string out;
    for (const std::string& p : parts)
        out += (out.empty() ? "" : sep) + p;
    return out;
}

std::string outcome_words(bool ok, bool changed, const std::string& error) {
    if (ok) return changed ? "succeeding" : "succeeding without changing the machine";
    return std::string(changed ? "failing part way" : "failing") + " with '" + quote_input(error) +
           "'";
}

// A record that does not replay: edited by hand when this lab made it on this
// lesson; else it cannot be graded here, and says why.
void not_replayed(const Lesson& lesson, const Submission& s, const std::string& why, StepGrade* g) {
    if (same_version(s, lesson)) {
        g->verdict = Verdict::Fail;
        g->why = "edited by hand: " + why;
        return;
    }
    g->verdict = Verdict::Unusable;
    std::vector<std::string> other;
    if (s.lab_version != kLabVersion)
        other.push_back("mmlab " + quote_input(s.lab_version) + " (this is " + kLabVersion + ")");
    if (s.level != kSimulationLevel)
        other.push_back("simulation level " + std::to_string(s.level) + " (this is " +
                        std::to_string(kSimulationLevel) + ")");
    if (s.lesson_hash != lesson.hash)
        other.push_back("another text of lesson " + lesson.id + " (hash " +
                        quote_input(s.lesson_hash) + ", this is " + lesson.hash + ")");
    g->why = "made by another version: " + joined(other, " and ") +
             ", where the simulation may differ: " + why;
}

void grade_task(SubmissionGrader& grader, const Lesson& lesson, const Submission& s, size_t index,
                StepGrade* g) {
    const LessonTask& task = *lesson.steps[index].task;
    const StepRecord* r = index < s.steps.size() ? &s.steps[index] : nullptr;
    const std::string expect = expected(task);
    g->verdict = Verdict::Fail;
    switch (g->status) {
    case StepStatus::NotStarted:
        g->why = "not done: the student never reached this step; " + expect;
        return;
    case StepStatus::SetUp:
        g->why = "not done: the student started the step but its check never held; " + expect;
        return;
    case StepStatus::Shown:
        g->why = "not done by the student: the lab ran the task's solution (Show me, or Next or a "
                 "link past it); " +
                 expect;
        return;
    case StepStatus::Read:
        not_replayed(lesson, s, "a task recorded as read", g);
        return;
    case StepStatus::AfterHelp:
    case StepStatus::Unaided:
        break;
    }
    if (!r->completion) {
        g->why = "no command recorded for this done task (done before the lab recorded them, or "
                 "edited by hand); " +
                 expect;
        return;
    }
    const Completion& c = *r->completion;
    std::string why;
    Lab* replayed = grader.replay(c.history, s.level, &why);
    if (replayed == nullptr) {
        not_replayed(lesson, s, "the history before its command: " + why, g);
        return;
    }
    Lab& lab = *replayed;
    const std::vector<CommandResult> results = lab.run(c.cmd);
    if (results.size() != 1) {
        not_replayed(lesson, s, "its command '" + quote_input(c.cmd) + "' is not one command", g);
        return;
    }
    const CommandResult& got = results[0];
    if (got.ok != c.ok || got.changed != c.changed || (!got.ok && got.error != c.error)) {
        not_replayed(lesson, s,
                     "its command '" + quote_input(c.cmd) + "' was recorded as " +
                         outcome_words(c.ok, c.changed, c.error) + " but gives " +
                         outcome_words(got.ok, got.changed, got.error),
                     g);
        return;
    }
    std::string error;
    const std::optional<Value> v = task.check.evaluate(lab, &error);
    g->values = task.check.explain(lab);
    if (v && v->truthy()) {
        g->verdict = Verdict::Pass;
        g->why = std::string("done ") +
                 (g->status == StepStatus::Unaided
                      ? "unaided"
                      : "after " + plural(static_cast<size_t>(r->hints_shown), "hint", "hints")) +
                 ", by '" + quote_input(c.cmd) + "'";
        return;
    }
    const std::string had = error.empty() ? "the student's machine had " + joined(g->values, ", ")
                                          : "the check cannot be read there: " + error;
    if (!same_version(s, lesson)) {
        not_replayed(lesson, s, "after its command the check does not hold: " + had, g);
        return;
    }
    g->why = "edited by hand: recorded as done, but after its command '" + quote_input(c.cmd) +
             "' the check does not hold; " + expect + "; " + had;
}

void grade_question(SubmissionGrader& grader, const Lesson& lesson, const Submission& s,
                    size_t index, StepGrade* g) {
    const LessonPrediction& p = *lesson.steps[index].prediction;
    const std::vector<Attempt> none;
    const std::vector<Attempt>& attempts = index < s.steps.size() ? s.steps[index].attempts : none;
    g->verdict = Verdict::Fail;
    // Each attempt's answer recomputed on its machine, as the page computed it.
    std::optional<Value> answer;
    const std::string* answered_on = nullptr;
    std::vector<std::string> given;
    for (size_t i = 0; i < attempts.size(); ++i) {
        const Attempt& a = attempts[i];
        if (answered_on == nullptr || *answered_on != a.history) {
            std::string why;
            Lab* lab = grader.replay(a.history, s.level, &why);
            if (lab == nullptr) {
                not_replayed(lesson, s,
                             "the history of answer " + std::to_string(i + 1) + ": " + why, g);
                return;
            }
            std::string error;
            answer = predict(*lab, p, &error);
            if (!answer) {
                g->verdict = Verdict::Unusable;
                g->why = "the lab cannot compute the answer on the student's machine: " + error;
                return;
            }
            answered_on = &a.history;
        }
        const bool right = answer_matches(*answer, a.answer, p.form);
        if (right != a.right) {
            not_replayed(lesson, s,
                         "answer " + std::to_string(i + 1) + " ('" + quote_input(a.answer) +
                             "') is recorded as " + (a.right ? "right" : "wrong") +
                             " but the lab's answer on its machine is " +
                             format_answer(*answer, p.form),
                         g);
            return;
        }
        // Appended, not "'" + ...: g++ 12 warns (-Wrestrict) on that insert.
        std::string quoted(1, '\'');
        quoted += quote_input(a.answer);
        quoted += '\'';
        given.push_back(std::move(quoted));
    }
    const auto first_right =
        std::find_if(attempts.begin(), attempts.end(), [](const Attempt& a) { return a.right; });
    const std::string lab_answer =
        answer ? "the lab's answer is " + format_answer(*answer, p.form) : std::string();
    switch (g->status) {
    case StepStatus::NotStarted:
        g->why = "not done: the student never reached this question";
        return;
    case StepStatus::SetUp:
        g->why = attempts.empty() ? "not done: the student never answered the question"
                                  : "not answered right: " + lab_answer +
                                        "; the student answered " + joined(given, ", ");
        return;
    case StepStatus::Shown:
        g->why = attempts.empty()
                     ? "not answered: the student gave up and the lab revealed it"
                     : "gave up after answering " + joined(given, ", ") + "; " + lab_answer;
        return;
    case StepStatus::Read:
        not_replayed(lesson, s, "a question recorded as read", g);
        return;
    case StepStatus::AfterHelp:
    case StepStatus::Unaided:
        break;
    }
    const bool unaided = !attempts.empty() && attempts.front().right;
    if (first_right == attempts.end() || unaided != (g->status == StepStatus::Unaided)) {
        not_replayed(lesson, s,
                     std::string("recorded as ") + step_status_name(g->status) +
                         " but its answers are " + (given.empty() ? "none" : joined(given, ", ")),
                     g);
        return;
    }
    g->verdict = Verdict::Pass;
    const size_t wrong = static_cast<size_t>(first_right - attempts.begin());
    g->why =
        unaided
            ? "right at the first answer (" + given.front() + ")"
            : "right after " + plural(wrong, "wrong answer", "wrong answers") + " (" +
                  joined(std::vector<std::string>(given.begin(), given.begin() + wrong + 1), ", ") +
                  ")";
}

} // namespace

SubmissionGrader::SubmissionGrader() : m_fresh(m_lab.checkpoint()) {}

Lab* SubmissionGrader::replay(const std::string& history, int level, std::string* why) {
    const std::vector<std::string_view> lines = lines_of(history);
    const std::string_view first = lines.empty() ? std::string_view{} : trim(lines[0]);
    const bool boots = first.substr(0, 4) == "boot" &&
                       (first.size() == 4 || first[4] == ' ' || first[4] == '\t') &&
                       first.find('#') == std::string_view::npos;
    size_t from = 0;
    if (boots) {
        const auto kept = std::find_if(m_booted.begin(), m_booted.end(),
                                       [&](const auto& b) { return b.first == first; });
        if (kept != m_booted.end()) {
            m_lab.restore(kept->second);
        } else {
            m_lab.restore(m_fresh);
            if (std::optional<std::string> e = replay_history(m_lab, first, level)) {
                *why = *e;
                return nullptr;
            }
            // A few machines per lesson: kept for the grader's life.
            m_booted.emplace_back(std::string(first), m_lab.checkpoint());
        }
        from = 1;
    } else {
        m_lab.restore(m_fresh);
    }
    if (std::optional<std::string> e = replay_history(m_lab, history, level, from)) {
        *why = *e;
        return nullptr;
    }
    return &m_lab;
}

StepGrade SubmissionGrader::grade(const Lesson& lesson, const Submission& submission,
                                  size_t index) {
    StepGrade g;
    g.step = index;
    g.status =
        index < submission.steps.size() ? submission.steps[index].status : StepStatus::NotStarted;
    const LessonStep& step = lesson.steps[index];
    if (step.task) {
        grade_task(*this, lesson, submission, index, &g);
    } else if (step.prediction) {
        grade_question(*this, lesson, submission, index, &g);
    } else {
        g.verdict = Verdict::Unusable;
        g.why = "no task or question to grade";
    }
    return g;
}

StepGrade grade_submission_step(const Lesson& lesson, const Submission& submission, size_t index) {
    SubmissionGrader grader;
    return grader.grade(lesson, submission, index);
}

StepGrade grade_state_step(const Lesson& lesson, const Lab& lab, size_t index) {
    StepGrade g;
    g.step = index;
    const LessonStep& step = lesson.steps[index];
    if (!step.task) {
        g.verdict = Verdict::Unusable;
        g.why = step.prediction ? "a question: a state file holds no answers (grade a submission)"
                                : "no task to grade";
        return g;
    }
    std::string error;
    const std::optional<Value> v = step.task->check.evaluate(lab, &error);
    g.values = step.task->check.explain(lab);
    if (v && v->truthy()) {
        g.verdict = Verdict::Pass;
        g.why = "done on the state's machine: " + step.task->goal;
        return g;
    }
    g.verdict = Verdict::Fail;
    g.why = expected(*step.task) + "; " +
            (error.empty() ? "the state's machine has " + joined(g.values, ", ")
                           : "the check cannot be read on the state's machine: " + error);
    return g;
}

} // namespace mm
