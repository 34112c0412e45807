// libFuzzer target: untrusted lesson text, as `mmlab --check-lesson`, the
// CLI's --lessons folders and the page (a lesson from a file or a link) take
// it. Parsing must not crash and refuses with one line "line N: ..." whose N
// is a line of the text; a lesson with variables instantiates for a seed to
// a lesson with the same steps on the same lines, or refuses with one line;
// a small lesson whose machines fit is played through verify_lesson, whose
// problems are one line each with a line of the text.
#include "fuzz_limits.h"

#include "core/base/text.h"
#include "core/lesson/session.h"
#include "core/lesson/variant.h"

#include <algorithm>

namespace {

// "line N: ..." with 1 <= N <= the text's lines (the end of a text without
// a final newline counts as a line).
void check_line_error(const std::string& error, std::string_view text, const char* what) {
    if (error.empty() || error.find('\n') != std::string::npos) fuzz::fail(what, error);
    if (error.rfind("line ", 0) != 0) fuzz::fail(what, error);
    const std::optional<uint64_t> n =
        mm::parse_number(std::string_view(error).substr(5, error.find(':') - 5));
    const uint64_t lines = static_cast<uint64_t>(std::count(text.begin(), text.end(), '\n')) + 1;
    if (!n || *n < 1 || *n > lines) fuzz::fail(what, error);
}

// Plays the lesson only when every boot of it fits and it is short: a fuzz
// input should take milliseconds.
bool cheap_to_play(const mm::Lesson& lesson) {
    if (lesson.steps.size() > 4) return false;
    std::string commands;
    for (const mm::LessonStep& step : lesson.steps) {
        commands += step.setup + "\n";
        if (step.task) commands += step.task->solution + "\n";
        if (step.prediction) commands += step.prediction->reveal + "\n";
    }
    return commands.size() < 512 && fuzz::machines_fit(commands);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    std::string error;
    const std::optional<mm::Lesson> lesson = mm::parse_lesson("fuzz", text, &error);
    if (!lesson) {
        check_line_error(error, text, "bad parse_lesson error");
        return 0;
    }
    if (lesson->steps.empty()) fuzz::fail("a lesson without steps parsed", std::string(text));
    if (lesson->hash != mm::content_hash(text)) fuzz::fail("hash is not the text's", lesson->hash);
    const mm::Lesson* played = &*lesson;
    std::optional<mm::Lesson> variant;
    if (mm::has_variables(*lesson)) {
        const uint64_t seed = size * 0x9e3779b97f4a7c15ull;
        variant = mm::instantiate(*lesson, seed, &error);
        if (!variant) {
            const size_t colon = error.find(": ");
            if (error.rfind("variant ", 0) != 0 || colon == std::string::npos)
                fuzz::fail("bad instantiate error", error);
            check_line_error(error.substr(colon + 2), text, "bad instantiate error");
            return 0;
        }
        if (variant->steps.size() != lesson->steps.size() || variant->hash != lesson->hash)
            fuzz::fail("a variant is another lesson", std::string(text));
        for (size_t s = 0; s < lesson->steps.size(); ++s)
            if (variant->steps[s].line != lesson->steps[s].line)
                fuzz::fail("a variant moved a step", std::string(text));
        played = &*variant;
    }
    if (!cheap_to_play(*played)) return 0;
    for (const std::string& problem : mm::verify_lesson(*played))
        check_line_error(problem, text, "bad verify_lesson problem");
    return 0;
}
