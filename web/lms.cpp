// The C side of the page's course-page and LMS features (web/embed.js,
// web/scorm.js): the embedded layout, the open lesson's report (its percent,
// lesson_percent, and its compact progress, core/lesson/suspend.h), and
// resuming a lesson from what an LMS kept. Strings cross as in bridge.cpp;
// a returned string stays valid until the next call of one of these.
#include "core/lesson/library.h"
#include "core/lesson/suspend.h"
#include "ui/tiles.h"
#include "web/shell.h"

#include <emscripten.h>
#include <nlohmann/json.hpp>

#include <string>

namespace {

std::string g_lms_result;

const char* lms_result(std::string text) {
    g_lms_result = std::move(text);
    return g_lms_result.c_str();
}

} // namespace

extern "C" {

// Embeds the lab in a course page: no menu bar or status bar; `panels`
// (comma-separated lesson names of panels, "" for all of them) the only
// panels that open (ui::set_embedded). "" or why the list is refused.
EMSCRIPTEN_KEEPALIVE const char* mmlab_embed(const char* panels) {
    web::Shell& sh = web::shell();
    if (sh.app == nullptr) return lms_result("the lab is not running");
    return lms_result(ui::set_embedded(sh.app->view(), panels ? panels : "").value_or(""));
}

// The open lesson as a report goes to a course page or an LMS: {"lesson":
// ID or null, "title", "step" (from 1), "steps", "done" (steps with an
// outcome), "status" (mm::step_status_name per step), "percent"
// (mm::lesson_percent), "mastery" (mm::kMasteryPercent), "complete" (every
// step has an outcome, or the lesson was finished), "suspend"
// (mm::suspend_data)}. With no lesson open, {"lesson": null, "mastery"}.
EMSCRIPTEN_KEEPALIVE const char* mmlab_report() {
    web::Shell& sh = web::shell();
    nlohmann::ordered_json out = {{"lesson", nullptr}, {"mastery", mm::kMasteryPercent}};
    const mm::LessonSession* session = sh.app != nullptr ? sh.app->open_session() : nullptr;
    if (session != nullptr) {
        const mm::LessonScore score = session->score();
        nlohmann::ordered_json status = nlohmann::ordered_json::array();
        for (const mm::StepRecord& r : session->records())
            status.push_back(mm::step_status_name(r.status));
        out = {{"lesson", session->lesson().id},
               {"title", session->lesson().title},
               {"step", session->current() + 1},
               {"steps", score.steps},
               {"done", score.done},
               {"status", status},
               {"percent", mm::lesson_percent(score)},
               {"mastery", mm::kMasteryPercent},
               {"complete", session->finished() || score.done == score.steps},
               {"suspend", mm::suspend_data(*session)}};
    }
    return lms_result(out.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
}

// Opens lesson `id` as an LMS left it: `suspend` is what mmlab_report()'s
// "suspend" was at the last launch (mm::resume_suspend_data: the outcomes
// come back, the machine is brought to the saved step); "" starts the
// lesson afresh, whatever this browser kept of it. "" or why not (the
// lesson then opens afresh at step 1).
EMSCRIPTEN_KEEPALIVE const char* mmlab_resume_lesson(const char* id, const char* suspend) {
    web::Shell& sh = web::shell();
    if (sh.app == nullptr) return lms_result("the lab is not running");
    const std::string want = id ? id : "";
    const std::optional<size_t> index = mm::lesson_index(want);
    if (!index) return lms_result("there is no lesson \"" + want + "\"");
    mm::LessonSession& session = sh.app->sessions()[*index];
    const std::string text = suspend ? suspend : "";
    std::string why;
    size_t step = 0;
    if (!text.empty()) {
        const std::optional<size_t> resumed = mm::resume_suspend_data(session, text, &why);
        if (resumed) step = *resumed;
    }
    if (text.empty() || !why.empty()) session.restore(0, {});
    const std::optional<std::string> error =
        sh.app->open_lesson(*index, step, ui::OpenAt::Reach, ui::CommandSource::Api);
    if (error) return lms_result("cannot open step " + std::to_string(step + 1) + ": " + *error);
    return lms_result(why);
}

} // extern "C"
