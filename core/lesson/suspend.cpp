// suspend.h: a lesson's outcomes in one character per step.
#include "core/lesson/suspend.h"

#include "core/base/text.h"

#include <array>
#include <utility>
#include <vector>

namespace mm {

namespace {

constexpr std::string_view kMagic = "mmlab1";

constexpr std::array<std::pair<StepStatus, char>, 6> kCodes{{
    {StepStatus::NotStarted, '.'},
    {StepStatus::SetUp, 's'},
    {StepStatus::Read, 'r'},
    {StepStatus::Shown, 'x'},
    {StepStatus::AfterHelp, 'h'},
    {StepStatus::Unaided, 'u'},
}};

char code(StepStatus status) {
    for (const auto& [s, c] : kCodes)
        if (s == status) return c;
    return '.';
}

std::optional<StepStatus> status_of(char c) {
    for (const auto& [s, code] : kCodes)
        if (code == c) return s;
    return std::nullopt;
}

// The fields between ':'.
std::vector<std::string_view> fields(std::string_view text) {
    std::vector<std::string_view> out;
    size_t from = 0;
    for (;;) {
        const size_t colon = text.find(':', from);
        out.push_back(text.substr(from, colon - from));
        if (colon == std::string_view::npos) return out;
        from = colon + 1;
    }
}

} // namespace

std::string suspend_data(const LessonSession& session) {
    std::string codes;
    for (const StepRecord& r : session.records())
        codes += code(r.status);
    return std::string(kMagic) + ":" + session.lesson().hash + ":" +
           std::to_string(session.current() + 1) + ":" + codes;
}

std::optional<size_t> resume_suspend_data(LessonSession& session, std::string_view text,
                                          std::string* error) {
    const Lesson& lesson = session.lesson();
    const std::vector<std::string_view> f = fields(trim(text));
    if (f.size() != 4 || f[0] != kMagic) {
        *error = "the progress kept by the learning management system is not mmlab's";
        return std::nullopt;
    }
    if (f[1] != lesson.hash) {
        *error = "the progress kept by the learning management system is of another version "
                 "of lesson " +
                 lesson.id;
        return std::nullopt;
    }
    size_t step = 0;
    bool digits = !f[2].empty() && f[2].size() <= 6;
    for (const char c : f[2]) {
        digits = digits && c >= '0' && c <= '9';
        step = step * 10 + static_cast<size_t>(c - '0');
    }
    if (!digits || step < 1 || step > lesson.steps.size() || f[3].size() != lesson.steps.size()) {
        *error = "the progress kept by the learning management system is damaged";
        return std::nullopt;
    }
    std::vector<StepRecord> records(lesson.steps.size());
    for (size_t i = 0; i < records.size(); ++i) {
        const std::optional<StepStatus> status = status_of(f[3][i]);
        if (!status) {
            *error = "the progress kept by the learning management system is damaged";
            return std::nullopt;
        }
        records[i].status = *status;
        // Its reveal ran before the machine was left; reach_step runs it again.
        records[i].revealed = lesson.steps[i].prediction.has_value() && is_done(*status);
    }
    session.restore(step - 1, std::move(records));
    return step - 1;
}

} // namespace mm
