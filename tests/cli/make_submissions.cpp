// Test-only tool: make_submissions LESSON N DIR EXPECTED writes N submissions of LESSON
// into DIR (s001.txt ...), each from a student played through a lesson
// session with a plan drawn from a fixed seed: per task, do it, do it after
// a hint, or skip it with Next; per question, answer right, right after a
// wrong answer, give up, or give up after a wrong answer; one student in
// five stops part way; one in eight edits a done task's result by hand.
// It writes EXPECTED (a CSV file) with the row the grader should give for each
// file and gradable step (file,step,result,status,edited), from the plan
// alone: tests/cli/batch_grade.sh compares `mmlab --grade LESSON all DIR
// --csv` with it.
#include "core/lesson/library.h"
#include "core/lesson/submission.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

namespace {

// splitmix64: a fixed sequence, the same on every machine.
struct Rng {
    uint64_t state;
    uint64_t next() {
        uint64_t z = (state += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }
    size_t below(size_t n) { return static_cast<size_t>(next() % n); }
};

struct Expected {
    size_t step; // 0-based
    bool pass;
    mm::StepStatus status;
    bool edited = false;
};

// The right answer as a student types it, and a wrong one.
std::string answer_for(mm::Lab& lab, const mm::LessonPrediction& p, bool right) {
    std::string error;
    const std::optional<mm::Value> v = mm::predict(lab, p, &error);
    if (!v) {
        std::cerr << "make_submissions: cannot compute an answer: " << error << '\n';
        std::exit(2);
    }
    for (const std::string& c : p.choices)
        if (mm::answer_matches(*v, c, p.form) == right) return c;
    if (right || v->kind != mm::Value::Kind::Int) return mm::format_answer(*v, p.form);
    return std::to_string(v->i + 1);
}

void check(const std::optional<std::string>& problem) {
    if (problem) {
        std::cerr << "make_submissions: " << *problem << '\n';
        std::exit(2);
    }
}

// What a grader must find edited: a done task's result, said otherwise.
bool edit_result(std::string* text, size_t step) {
    const size_t at = text->find("\nstep " + std::to_string(step + 1) + ": ");
    const size_t result = at == std::string::npos ? at : text->find("\n  result: ", at);
    if (result == std::string::npos) return false;
    const size_t start = result + 11, end = text->find('\n', start);
    const std::string was = text->substr(start, end - start);
    text->replace(start, end - start, was == "ok" ? "ok, changed nothing" : "ok");
    return true;
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 5) {
        std::cerr << "usage: make_submissions LESSON N DIR EXPECTED\n";
        return 2;
    }
    const std::optional<size_t> index = mm::lesson_index(argv[1]);
    if (!index) {
        std::cerr << "make_submissions: no lesson " << argv[1] << '\n';
        return 2;
    }
    const mm::Lesson& lesson = mm::lessons()[*index];
    const int count = std::atoi(argv[2]);
    const std::string dir = argv[3];
    std::ofstream expected(argv[4]);
    expected << "file,step,result,status,edited\n";
    Rng rng{20261203};
    for (int n = 1; n <= count; ++n) {
        char name[32];
        std::snprintf(name, sizeof name, "s%03d.txt", n);
        mm::Lab lab;
        mm::LessonSession session(lesson, lab);
        std::vector<Expected> rows;
        const size_t steps = lesson.steps.size();
        const size_t stop = rng.below(5) == 0 ? rng.below(steps) : steps;
        check(session.start_step(0));
        for (size_t s = 0; s < steps; ++s) {
            const mm::LessonStep& step = lesson.steps[s];
            const bool gradable = step.task || step.prediction;
            if (s == stop) {
                if (gradable) rows.push_back({s, false, mm::StepStatus::SetUp});
                for (size_t later = s + 1; later < steps; ++later)
                    if (lesson.steps[later].task || lesson.steps[later].prediction)
                        rows.push_back({later, false, mm::StepStatus::NotStarted});
                break;
            }
            if (step.task) {
                const size_t plan = rng.below(3);
                if (plan == 1 && !step.task->hints.empty()) {
                    check(session.show_hint());
                    session.run(step.task->solution);
                    rows.push_back({s, true, mm::StepStatus::AfterHelp});
                } else if (plan == 2) {
                    rows.push_back({s, false, mm::StepStatus::Shown}); // Next shows it
                } else {
                    session.run(step.task->solution);
                    rows.push_back({s, true, mm::StepStatus::Unaided});
                }
            } else if (step.prediction) {
                const mm::LessonPrediction& p = *step.prediction;
                switch (rng.below(4)) {
                case 0:
                    check(session.answer(answer_for(lab, p, true)));
                    rows.push_back({s, true, mm::StepStatus::Unaided});
                    break;
                case 1:
                    check(session.answer(answer_for(lab, p, false)));
                    check(session.answer(answer_for(lab, p, true)));
                    rows.push_back({s, true, mm::StepStatus::AfterHelp});
                    break;
                case 2:
                    check(session.show_solution());
                    rows.push_back({s, false, mm::StepStatus::Shown});
                    break;
                default:
                    check(session.answer(answer_for(lab, p, false)));
                    check(session.show_solution());
                    rows.push_back({s, false, mm::StepStatus::Shown});
                    break;
                }
            }
            check(session.next());
        }
        std::string text = mm::write_submission(
            session, mm::SubmissionMeta{"2026-12-03T16:00:00Z", "student-" + std::to_string(n),
                                        std::nullopt});
        if (rng.below(8) == 0) {
            for (Expected& row : rows) {
                if (row.pass && lesson.steps[row.step].task && edit_result(&text, row.step)) {
                    row.pass = false;
                    row.edited = true;
                    break;
                }
            }
        }
        std::ofstream(dir + "/" + name) << text;
        for (const Expected& row : rows)
            expected << name << ',' << row.step + 1 << ',' << (row.pass ? "pass" : "fail") << ','
                     << mm::step_status_name(row.status) << ',' << (row.edited ? 1 : 0) << '\n';
    }
    return 0;
}
