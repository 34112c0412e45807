// libFuzzer target: untrusted submission text, as students hand it in to
// `mmlab --grade` (core/lesson/submission.h). Reading must not crash; a
// refusal is one line; a submission that reads is graded on every step of
// a small lesson (replaying its histories) with one-line reasons, and
// written again it reads back to the same text.
#include "fuzz_limits.h"

#include "core/lesson/submission.h"

namespace {

// One step of each kind the grader knows, on the toy machine.
const mm::Lesson& small_lesson() {
    static const mm::Lesson lesson = [] {
        std::string error;
        std::optional<mm::Lesson> l =
            mm::parse_lesson("small",
                             "---\ntitle: Small\ntopic: X\nsummary: S\n---\n"
                             "## Read\n```setup\nboot arch=toy ram=64K\n```\nProse only.\n"
                             "## Task\n```task\ngoal: Allocate t.\ncheck: allocated(\"t\")\n"
                             "hint: h\nsolution: alloc_pages as=t\n```\n"
                             "## Ask\n```predict\nquestion: From which order?\n"
                             "choices: 0 | 1 | 2 | 3 | 4\nreveal: alloc_pages as=u\n"
                             "answer: last.from_order\nexpect: 0\nexplain: e\n```\n",
                             &error);
        if (!l) fuzz::fail("the fuzz lesson does not parse", error);
        return *l;
    }();
    return lesson;
}

void one_line(const std::string& text, const char* what) {
    if (text.empty() || text.find('\n') != std::string::npos) fuzz::fail(what, text);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (!fuzz::machines_fit(text)) return -1;
    std::string error;
    const std::optional<mm::Submission> s = mm::parse_submission(text, &error);
    if (!s) {
        one_line(error, "bad parse_submission error");
        return 0;
    }
    const mm::Lesson& lesson = small_lesson();
    static mm::SubmissionGrader& grader = *new mm::SubmissionGrader();
    for (size_t i = 0; i < lesson.steps.size(); ++i)
        one_line(grader.grade(lesson, *s, i).why, "bad grade reason");

    // Written again (through a session holding its records), it reads back
    // to the same text.
    static mm::Lab& lab = *new mm::Lab(); // never run on: the sessions only hold records
    mm::LessonSession session(lesson, lab);
    session.restore(0, s->steps);
    const std::string written = mm::write_submission(session, s->meta);
    const std::optional<mm::Submission> again = mm::parse_submission(written, &error);
    if (!again) fuzz::fail("a written submission does not read", error + "\n" + written);
    mm::LessonSession back(lesson, lab);
    back.restore(0, again->steps);
    if (mm::write_submission(back, again->meta) != written)
        fuzz::fail("a submission does not round-trip", written);
    return 0;
}
