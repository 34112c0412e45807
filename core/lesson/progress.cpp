// Lesson progress as JSON, both ways (progress.h has the format).
#include "core/lesson/progress.h"

#include "core/console/syntax.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace mm {

namespace {

using Json = nlohmann::json;

nlohmann::ordered_json step_json(const StepRecord& r) {
    nlohmann::ordered_json attempts = nlohmann::ordered_json::array();
    for (const Attempt& a : r.attempts)
        attempts.push_back({{"answer", a.answer}, {"right", a.right}, {"history", a.history}});
    nlohmann::ordered_json computed;
    if (r.computed)
        computed = r.computed->kind == Value::Kind::Int ? nlohmann::ordered_json(r.computed->i)
                                                        : nlohmann::ordered_json(r.computed->s);
    nlohmann::ordered_json completion;
    if (r.completion)
        completion = {{"history", r.completion->history},
                      {"cmd", r.completion->cmd},
                      {"ok", r.completion->ok},
                      {"changed", r.completion->changed},
                      {"error", r.completion->error}};
    return {{"status", step_status_name(r.status)},
            {"done", is_done(r.status)},
            {"hints", r.hints_shown},
            {"solutionShown", r.solution_shown},
            {"revealed", r.revealed},
            {"attempts", attempts},
            {"computed", computed},
            {"completion", completion}};
}

// The readers of one field: absent is fine (the default stays); present with
// another type is not progress.
bool read_bool(const Json& o, const char* key, bool* out) {
    const auto it = o.find(key);
    if (it == o.end()) return true;
    if (!it->is_boolean()) return false;
    *out = it->get<bool>();
    return true;
}

bool read_text(const Json& o, const char* key, std::string* out) {
    const auto it = o.find(key);
    if (it == o.end()) return true;
    if (!it->is_string()) return false;
    *out = it->get<std::string>();
    return true;
}

bool read_int(const Json& o, const char* key, int* out) {
    const auto it = o.find(key);
    if (it == o.end()) return true;
    if (!it->is_number_integer()) return false;
    const int64_t v = it->get<int64_t>();
    *out = v < 0 ? 0 : v > INT32_MAX ? INT32_MAX : static_cast<int>(v);
    return true;
}

// The lab's answer: a number or a string (format 1 kept its text: a whole
// number there was a number).
bool read_computed(const Json& o, int version, std::optional<Value>* out) {
    const auto it = o.find("computed");
    if (it == o.end() || it->is_null()) return true;
    if (it->is_number_integer()) {
        *out = Value::integer(it->get<int64_t>());
        return true;
    }
    if (!it->is_string()) return false;
    const std::string text = it->get<std::string>();
    if (version == 1 && text.empty()) return true;
    const bool negative = !text.empty() && text[0] == '-';
    const std::optional<uint64_t> n = parse_number(std::string_view(text).substr(negative ? 1 : 0));
    if (version == 1 && n && *n <= static_cast<uint64_t>(INT64_MAX))
        *out = Value::integer(negative ? -static_cast<int64_t>(*n) : static_cast<int64_t>(*n));
    else
        *out = Value::string(text);
    return true;
}

// Format 2's statuses said what was done, not how: "skipped" and "shown"
// were the lab's doing; "task_done" counts as after hints when hints were
// shown; "answered" is right first time only when the first answer was
// right, since format 2 showed the lab's answer after any answer.
std::optional<StepStatus> status_v2(std::string_view name, const StepRecord& r) {
    if (name == "skipped") return StepStatus::Shown;
    if (name == "task_done") return r.hints_shown > 0 ? StepStatus::AfterHelp : StepStatus::Unaided;
    if (name == "answered") return r.first_right() ? StepStatus::Unaided : StepStatus::Shown;
    if (name == "not_started" || name == "set_up" || name == "read" || name == "shown")
        return step_status_from_name(name);
    return std::nullopt;
}

bool read_step(const Json& o, int version, StepRecord* r) {
    std::string status = step_status_name(StepStatus::NotStarted);
    if (!read_text(o, "status", &status)) return false;
    if (!read_int(o, "hints", &r->hints_shown) ||
        !read_bool(o, "solutionShown", &r->solution_shown) ||
        !read_bool(o, version == 2 ? "answered" : "revealed", &r->revealed) ||
        !read_computed(o, version, &r->computed))
        return false;
    const auto attempts = o.find("attempts");
    if (attempts != o.end()) {
        if (!attempts->is_array()) return false;
        for (const Json& a : *attempts) {
            Attempt attempt;
            if (!a.is_object() || !read_text(a, "answer", &attempt.answer) ||
                !read_bool(a, "right", &attempt.right) ||
                !read_text(a, "history", &attempt.history))
                return false;
            r->attempts.push_back(std::move(attempt));
        }
    }
    const auto completion = o.find("completion");
    if (completion != o.end() && !completion->is_null()) {
        Completion c;
        if (!completion->is_object() || !read_text(*completion, "history", &c.history) ||
            !read_text(*completion, "cmd", &c.cmd) || !read_bool(*completion, "ok", &c.ok) ||
            !read_bool(*completion, "changed", &c.changed) ||
            !read_text(*completion, "error", &c.error))
            return false;
        r->completion = std::move(c);
    }
    const std::optional<StepStatus> s =
        version == 2 ? status_v2(status, *r) : step_status_from_name(status);
    if (!s) return false;
    r->status = *s;
    return true;
}

// Format 1 kept flags; the status is what they meant then.
bool read_step_v1(const Json& o, const LessonStep& step, StepRecord* r) {
    bool done = false, shown = false, right = false;
    std::string answer;
    if (!read_bool(o, "done", &done) || !read_bool(o, "shown", &shown) ||
        !read_bool(o, "answered", &r->revealed) || !read_bool(o, "right", &right) ||
        !read_text(o, "answer", &answer) || !read_int(o, "hints", &r->hints_shown) ||
        !read_computed(o, 1, &r->computed))
        return false;
    r->solution_shown = shown && step.task;
    if (r->revealed && !answer.empty()) r->attempts.push_back(Attempt{answer, right});
    if (!done)
        r->status = StepStatus::NotStarted;
    else if (step.task)
        r->status = shown                ? StepStatus::Shown
                    : r->hints_shown > 0 ? StepStatus::AfterHelp
                                         : StepStatus::Unaided;
    else if (step.prediction)
        r->status = r->first_right() ? StepStatus::Unaided : StepStatus::Shown;
    else
        r->status = StepStatus::Read;
    return true;
}

} // namespace

std::string save_progress(const std::vector<LessonSession>& sessions) {
    nlohmann::ordered_json lessons = nlohmann::ordered_json::object();
    for (const LessonSession& session : sessions) {
        const std::vector<StepRecord>& records = session.records();
        const bool touched = session.current() != 0 ||
                             std::any_of(records.begin(), records.end(), [](const auto& r) {
                                 return r.status != StepStatus::NotStarted || r.hints_shown != 0;
                             });
        if (!touched) continue;
        nlohmann::ordered_json steps = nlohmann::ordered_json::array();
        for (const StepRecord& r : records)
            steps.push_back(step_json(r));
        lessons[session.lesson().id] = {{"step", session.current()}, {"steps", steps}};
    }
    const nlohmann::ordered_json out = {{"version", 4}, {"lessons", lessons}};
    // Replace, not abort, should an answer ever hold invalid UTF-8.
    return out.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

std::optional<std::string> load_progress(std::vector<LessonSession>& sessions,
                                         std::string_view text) {
    const Json in = Json::parse(text.begin(), text.end(), nullptr, false);
    if (in.is_discarded() || !in.is_object()) return "not a JSON object";
    const auto version = in.find("version");
    if (version == in.end() || !version->is_number_integer() || version->get<int64_t>() < 1 ||
        version->get<int64_t>() > 4)
        return "not progress of format 1 to 4";
    const int format = static_cast<int>(version->get<int64_t>());
    const auto lessons = in.find("lessons");
    if (lessons == in.end() || !lessons->is_object()) return "no \"lessons\" object";

    // Everything is read before any session changes.
    std::vector<std::pair<size_t, std::vector<StepRecord>>> read(sessions.size());
    for (size_t i = 0; i < sessions.size(); ++i) {
        const Lesson& lesson = sessions[i].lesson();
        const auto l = lessons->find(lesson.id);
        if (l == lessons->end()) continue;
        if (!l->is_object()) return "lesson " + lesson.id + ": not an object";
        const auto step = l->find("step");
        if (step != l->end()) {
            if (!step->is_number_integer() || step->get<int64_t>() < 0)
                return "lesson " + lesson.id + ": a bad step";
            read[i].first = static_cast<size_t>(
                std::min<int64_t>(step->get<int64_t>(), static_cast<int64_t>(lesson.steps.size())));
        }
        const auto steps = l->find("steps");
        if (steps == l->end()) continue;
        if (!steps->is_array()) return "lesson " + lesson.id + ": \"steps\" is not a list";
        for (size_t s = 0; s < steps->size() && s < lesson.steps.size(); ++s) {
            const Json& o = (*steps)[s];
            StepRecord r;
            const bool ok = o.is_object() && (format == 1 ? read_step_v1(o, lesson.steps[s], &r)
                                                          : read_step(o, format, &r));
            if (!ok)
                return "lesson " + lesson.id + ", step " + std::to_string(s + 1) + ": bad fields";
            read[i].second.push_back(std::move(r));
        }
    }
    for (size_t i = 0; i < sessions.size(); ++i)
        sessions[i].restore(read[i].first, std::move(read[i].second));
    return std::nullopt;
}

} // namespace mm
