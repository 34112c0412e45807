// Grading a class (core/lesson/submission.h): 200 submissions of the
// 14-step buddy-allocator lesson, each step graded by replaying its record,
// as `mmlab --grade buddy-allocator all DIR` does. The goal (issue 12): under
// 10 s natively. The submissions are made once, outside the timing, from a
// few students played through a session: one who does everything, one who
// skips everything, one who takes hints and a wrong answer, one who stops
// half way.
#include "core/lesson/library.h"
#include "core/lesson/submission.h"

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

namespace {

enum class Student { Does, Skips, Helped, Stops };

std::string right_answer(mm::Lab& lab, const mm::LessonPrediction& p) {
    std::string error;
    const std::optional<mm::Value> v = mm::predict(lab, p, &error);
    for (const std::string& c : p.choices)
        if (v && mm::answer_matches(*v, c, p.form)) return c;
    return v ? mm::format_answer(*v, p.form) : "0";
}

std::string submission_of(const mm::Lesson& lesson, Student who, int n) {
    mm::Lab lab;
    mm::LessonSession session(lesson, lab);
    session.start_step(0);
    const size_t steps = who == Student::Stops ? lesson.steps.size() / 2 : lesson.steps.size();
    for (size_t s = 0; s < steps; ++s) {
        const mm::LessonStep& step = lesson.steps[s];
        if (who != Student::Skips && step.task) {
            if (who == Student::Helped) session.show_hint();
            session.run(step.task->solution);
        }
        if (who != Student::Skips && step.prediction) {
            if (who == Student::Helped)
                session.answer(step.prediction->choices.empty() ? "1"
                                                                : step.prediction->choices.back());
            session.answer(right_answer(lab, *step.prediction));
        }
        session.next();
    }
    return mm::write_submission(session,
                                {"2026-12-03T16:00:00Z", "student-" + std::to_string(n), {}});
}

void BM_GradeClassOf200(benchmark::State& state) {
    const mm::Lesson& lesson = mm::lessons()[*mm::lesson_index("buddy-allocator")];
    const Student kinds[] = {Student::Does, Student::Skips, Student::Helped, Student::Stops};
    std::vector<std::string> texts;
    for (int n = 0; n < 200; ++n)
        texts.push_back(submission_of(lesson, kinds[n % 4], n));
    size_t passed = 0;
    for (auto _ : state) {
        mm::SubmissionGrader grader;
        passed = 0;
        for (const std::string& text : texts) {
            std::string error;
            const std::optional<mm::Submission> s = mm::parse_submission(text, &error);
            for (size_t step = 0; s && step < lesson.steps.size(); ++step)
                passed += grader.grade(lesson, *s, step).verdict == mm::Verdict::Pass ? 1 : 0;
        }
        benchmark::DoNotOptimize(passed);
    }
    state.counters["steps_passed"] = static_cast<double>(passed);
    state.counters["submissions"] = 200;
}
BENCHMARK(BM_GradeClassOf200)->Unit(benchmark::kMillisecond)->Iterations(3);

} // namespace

BENCHMARK_MAIN();
