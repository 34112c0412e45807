// The C side of the page's JavaScript API (window.mmlab, web/api.js; the
// contract is docs/console.md "In the page"). Strings cross as UTF-8:
// JavaScript passes text it copied into the wasm heap, and a returned string
// stays valid until the next call of any of these functions.
#include "core/base/events.h"
#include "core/lab/state.h"
#include "core/lesson/lesson.h"
#include "core/mm/machine.h"
#include "ui/lessons.h"
#include "ui/view_state.h"
#include "web/shell.h"

#include <emscripten.h>
#include <imgui.h>
#include <imgui_internal.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <optional>
#include <string>

namespace {

std::string g_result; // what the last call returned

const char* result(const nlohmann::ordered_json& value) {
    // Replace, not abort, should a command's text ever hold invalid UTF-8.
    g_result = value.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    return g_result.c_str();
}

// A number, or null when there is none.
nlohmann::ordered_json optional_json(const std::optional<mm::Pfn>& value) {
    return value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json();
}

} // namespace

namespace web {

void notify_ready() {
    EM_ASM({
        if (Module["mmlabReady"]) Module["mmlabReady"]();
    });
}

void notify_failure(const char* reason) {
    EM_ASM(
        {
            if (Module["mmlabFailed"]) Module["mmlabFailed"](UTF8ToString($0));
        },
        reason);
}

void platform_request(int request) {
    EM_ASM(
        {
            if (Module["mmlabPlatformRequest"]) Module["mmlabPlatformRequest"]($0);
        },
        request);
}

} // namespace web

namespace {

// What mmlab_session() last saw of the lab (its counters and the open step),
// so that it serializes the session only when that changed.
std::string g_session_key;

} // namespace

extern "C" {

// The current state as save_state text ("mmlab-state 2 level=1\n" + the history):
// what share links and state files hold.
EMSCRIPTEN_KEEPALIVE const char* mmlab_save_state() {
    g_result = web::shell().lab != nullptr ? mm::save_state(*web::shell().lab) : std::string();
    return g_result.c_str();
}

// Loads save_state text (a share link's or a file's) by running its history
// as commands on the lab (ui::App::load_state). Returns "" or the one-line
// reason it does not load (the lab is then left as it was).
EMSCRIPTEN_KEEPALIVE const char* mmlab_load_state(const char* text) {
    web::Shell& sh = web::shell();
    if (sh.lab == nullptr || sh.app == nullptr)
        return (g_result = "the lab is not running").c_str();
    g_result = sh.app->load_state(text ? text : "").value_or("");
    return g_result.c_str();
}

// Opens lesson `id` at step `step` (from 1). With `reach`, the machine is
// first made what a student who did every earlier step would have
// (mm::reach_step), for deep links; without, the machine is kept as it is
// (resuming a session after a reload). Returns "" or the one-line reason it
// cannot.
EMSCRIPTEN_KEEPALIVE const char* mmlab_open_lesson(const char* id, int step, int reach) {
    web::Shell& sh = web::shell();
    if (sh.lab == nullptr || sh.app == nullptr)
        return (g_result = "the lab is not running").c_str();
    const std::vector<mm::Lesson>& all = ui::lessons();
    const std::string want = id ? id : "";
    const auto it =
        std::find_if(all.begin(), all.end(), [&](const mm::Lesson& l) { return l.id == want; });
    if (it == all.end()) return (g_result = "there is no lesson \"" + want + "\"").c_str();
    if (step < 1 || static_cast<size_t>(step) > it->steps.size()) {
        g_result = "lesson \"" + want + "\" has steps 1 to " + std::to_string(it->steps.size()) +
                   ", not " + std::to_string(step);
        return g_result.c_str();
    }
    if (reach) {
        if (std::optional<std::string> error =
                sh.app->reach_step(*it, static_cast<size_t>(step - 1))) {
            g_result = "cannot reach step " + std::to_string(step) + ": " + *error;
            return g_result.c_str();
        }
    }
    ui::ViewState& view = sh.app->view();
    view.open[static_cast<unsigned>(ui::PanelId::Lessons)] = true;
    view.player.open_request = static_cast<int>(it - all.begin());
    view.player.open_at_step = step - 1;
    g_result.clear();
    return g_result.c_str();
}

// What the page keeps in localStorage to resume after a reload: {"version": 1,
// "state": save_state text, "lesson": ID or null, "step": N (from 1)}. With
// `if_changed`, "" when neither the machine nor the open step changed since
// the last call (the page asks twice a second; a long history is not
// serialized again for nothing).
EMSCRIPTEN_KEEPALIVE const char* mmlab_session(int if_changed) {
    web::Shell& sh = web::shell();
    if (sh.lab == nullptr || sh.app == nullptr) return (g_result = "").c_str();
    const ui::LessonPlayerState& player = sh.app->view().player;
    const std::vector<mm::Lesson>& all = ui::lessons();
    const bool in_lesson = player.lesson >= 0 && player.lesson < static_cast<int>(all.size());
    const std::string key =
        std::to_string(sh.lab->generation()) + ":" + std::to_string(sh.lab->commands_run()) + ":" +
        std::to_string(sh.lab->history().size()) + ":" +
        std::to_string(in_lesson ? player.lesson : -1) + ":" + std::to_string(player.step);
    if (if_changed && key == g_session_key) return (g_result = "").c_str();
    g_session_key = key;
    return result(
        {{"version", 1},
         {"state", mm::save_state(*sh.lab)},
         {"lesson", in_lesson ? nlohmann::ordered_json(all[static_cast<size_t>(player.lesson)].id)
                              : nlohmann::ordered_json()},
         {"step", in_lesson ? player.step + 1 : 0}});
}

// The lesson progress to keep in the browser (localStorage): a JSON object
// {"version": 1, "lessons": {ID: {"step", "steps": [{"done", "hints",
// "shown", "answered", "answer", "computed", "right"}, ...]}}}, only lessons
// with something in them.
EMSCRIPTEN_KEEPALIVE const char* mmlab_progress() {
    nlohmann::ordered_json lessons = nlohmann::ordered_json::object();
    if (web::shell().app != nullptr) {
        const ui::LessonPlayerState& player = web::shell().app->view().player;
        const std::vector<mm::Lesson>& all = ui::lessons();
        for (size_t i = 0; i < all.size() && i < player.progress.size(); ++i) {
            const ui::LessonProgress& p = player.progress[i];
            if (p.steps.empty() && p.step == 0) continue;
            nlohmann::ordered_json steps = nlohmann::ordered_json::array();
            for (const ui::StepProgress& st : p.steps) {
                steps.push_back({{"done", st.done},
                                 {"hints", st.hints_shown},
                                 {"shown", st.shown},
                                 {"answered", st.answered},
                                 {"answer", st.answer},
                                 {"computed", st.computed},
                                 {"right", st.right}});
            }
            lessons[all[i].id] = {{"step", p.step}, {"steps", steps}};
        }
    }
    return result({{"version", 1}, {"lessons", lessons}});
}

// Restores what mmlab_progress() gave. Returns "" or the one-line reason the
// text is not progress (nothing is changed then). Lessons no longer there are
// skipped; steps beyond a lesson's end are dropped.
EMSCRIPTEN_KEEPALIVE const char* mmlab_set_progress(const char* text) {
    if (web::shell().app == nullptr) return (g_result = "the lab is not running").c_str();
    const nlohmann::json in = nlohmann::json::parse(text ? text : "", nullptr, false);
    auto fail = [](std::string why) { return (g_result = std::move(why)).c_str(); };
    if (in.is_discarded() || !in.is_object()) return fail("not a JSON object");
    const auto version = in.find("version");
    if (version == in.end() || !version->is_number_integer() || version->get<int64_t>() != 1)
        return fail("not progress of format 1");
    const auto lessons_it = in.find("lessons");
    if (lessons_it == in.end() || !lessons_it->is_object()) return fail("no \"lessons\" object");
    const std::vector<mm::Lesson>& all = ui::lessons();
    std::vector<ui::LessonProgress> progress(all.size());
    auto flag = [](const nlohmann::json& o, const char* key, bool* out) {
        const auto it = o.find(key);
        if (it == o.end()) return true;
        if (!it->is_boolean()) return false;
        *out = it->get<bool>();
        return true;
    };
    auto text_of = [](const nlohmann::json& o, const char* key, std::string* out) {
        const auto it = o.find(key);
        if (it == o.end()) return true;
        if (!it->is_string()) return false;
        *out = it->get<std::string>();
        return true;
    };
    for (size_t i = 0; i < all.size(); ++i) {
        const auto l = lessons_it->find(all[i].id);
        if (l == lessons_it->end()) continue;
        if (!l->is_object()) return fail("lesson " + all[i].id + ": not an object");
        const int count = static_cast<int>(all[i].steps.size());
        ui::LessonProgress& p = progress[i];
        p.steps.resize(all[i].steps.size());
        const auto step = l->find("step");
        if (step != l->end()) {
            if (!step->is_number_integer()) return fail("lesson " + all[i].id + ": a bad step");
            p.step = static_cast<int>(std::clamp<int64_t>(step->get<int64_t>(), 0, count - 1));
        }
        const auto steps = l->find("steps");
        if (steps == l->end()) continue;
        if (!steps->is_array()) return fail("lesson " + all[i].id + ": \"steps\" is not a list");
        for (size_t s = 0; s < steps->size() && s < p.steps.size(); ++s) {
            const nlohmann::json& o = (*steps)[s];
            ui::StepProgress& st = p.steps[s];
            const auto hints = o.is_object() ? o.find("hints") : o.end();
            const bool ok = o.is_object() && flag(o, "done", &st.done) &&
                            flag(o, "shown", &st.shown) && flag(o, "answered", &st.answered) &&
                            flag(o, "right", &st.right) && text_of(o, "answer", &st.answer) &&
                            text_of(o, "computed", &st.computed) &&
                            (hints == o.end() || hints->is_number_integer());
            if (!ok)
                return fail("lesson " + all[i].id + ", step " + std::to_string(s + 1) +
                            ": bad fields");
            if (hints != o.end()) {
                const mm::LessonStep& ls = all[i].steps[s];
                const int64_t most = ls.task ? static_cast<int64_t>(ls.task->hints.size()) : 0;
                st.hints_shown =
                    static_cast<int>(std::clamp<int64_t>(hints->get<int64_t>(), 0, most));
            }
        }
    }
    ui::LessonPlayerState& player = web::shell().app->view().player;
    player.progress = std::move(progress);
    g_result.clear();
    return g_result.c_str();
}

// Adds a note to the console panel (why a link did not open, ...).
EMSCRIPTEN_KEEPALIVE void mmlab_note(const char* text) {
    if (web::shell().app != nullptr) web::shell().app->note(text ? text : "");
}

// Runs command text as if typed into the console panel (it shows there too).
// Returns a JSON array with one `mmlab --json` object per command.
EMSCRIPTEN_KEEPALIVE const char* mmlab_run(const char* text) {
    nlohmann::ordered_json results = nlohmann::ordered_json::array();
    if (web::shell().app != nullptr) {
        for (const mm::CommandResult& r : web::shell().app->execute(text ? text : ""))
            results.push_back(mm::to_json(r));
    }
    return result(results);
}

// The history that made the current state, one command per line.
EMSCRIPTEN_KEEPALIVE const char* mmlab_history() {
    g_result = web::shell().lab != nullptr ? web::shell().lab->history_text() : std::string();
    return g_result.c_str();
}

// Figures for tests and the curious: frames drawn, CPU time per frame, sizes,
// the GL version, commands run. A JSON object (mmlab.stats() in the page).
EMSCRIPTEN_KEEPALIVE const char* mmlab_stats() {
    const web::Shell& sh = web::shell();
    const web::FrameStats& st = sh.stats;
    const ui::ViewState* view = sh.app != nullptr ? &sh.app->view() : nullptr;
    return result({
        {"frames", st.frames},
        {"cpuMs", st.cpu_ms},
        {"cpuMsAvg", st.cpu_ms_avg},
        {"cpuMsMax", st.cpu_ms_max},
        {"width", st.width},
        {"height", st.height},
        {"fbWidth", st.fb_width},
        {"fbHeight", st.fb_height},
        {"pixelScale", st.pixel_scale},
        {"fontBuilds", st.font_builds},
        {"glVersion", sh.gl_version},
        {"commandsRun", sh.lab != nullptr ? sh.lab->commands_run() : 0u},
        // The physical map's view: what the pointer is over (null when not
        // over a frame), the selection, the zoom level and summary rebuilds.
        {"mapHoveredPfn", optional_json(view ? view->map.hovered_pfn : std::nullopt)},
        {"selectedPfn", optional_json(view ? view->selected_pfn : std::nullopt)},
        {"mapLevel", view ? view->map.level : 0},
        {"mapRebuilds", view ? view->map.rebuilds : 0u},
        {"mapCells", view ? nlohmann::ordered_json{{"x", view->map.cells_x},
                                                   {"y", view->map.cells_y},
                                                   {"w", view->map.cells_w},
                                                   {"h", view->map.cells_h}}
                          : nlohmann::ordered_json()},
        {"menuControls",
         [&] {
             nlohmann::ordered_json controls = nlohmann::ordered_json::array();
             if (view != nullptr)
                 for (const ui::ControlRect& c : view->menu_controls)
                     controls.push_back(
                         {{"name", c.name}, {"x", c.x}, {"y", c.y}, {"w", c.w}, {"h", c.h}});
             return controls;
         }()},
    });
}

// The top-level ImGui windows drawn in the last frame, front last, with their
// rectangles in logical (CSS) pixels: where a test clicks to reach a panel.
// A JSON array of {"name", "x", "y", "w", "h", "collapsed"} (mmlab.windows()).
EMSCRIPTEN_KEEPALIVE const char* mmlab_windows() {
    nlohmann::ordered_json windows = nlohmann::ordered_json::array();
    if (ImGuiContext* g = ImGui::GetCurrentContext()) {
        for (ImGuiWindow* w : g->Windows) {
            if (!w->WasActive || w->Hidden || (w->Flags & ImGuiWindowFlags_ChildWindow)) continue;
            windows.push_back({
                {"name", w->Name},
                {"x", w->Pos.x},
                {"y", w->Pos.y},
                {"w", w->Size.x},
                {"h", w->Size.y},
                {"collapsed", w->Collapsed},
            });
        }
    }
    return result(windows);
}

// The last `count` entries of the console panel's scrollback, oldest first:
// what a test checks after typing into the panel. A JSON array of
// {"kind": "command"|"note", "source": "typed"|"control"|"api", "cmd", "ok",
// "out", "error", "number"} (mmlab.scrollback(count)).
EMSCRIPTEN_KEEPALIVE const char* mmlab_scrollback(int count) {
    nlohmann::ordered_json entries = nlohmann::ordered_json::array();
    if (web::shell().app != nullptr && count > 0) {
        const auto& all = web::shell().app->view().console.entries;
        const size_t n = std::min(all.size(), static_cast<size_t>(count));
        for (size_t i = all.size() - n; i < all.size(); i++) {
            const ui::ConsoleEntry& e = all[i];
            const char* source = e.source == ui::CommandSource::Typed     ? "typed"
                                 : e.source == ui::CommandSource::Control ? "control"
                                                                          : "api";
            entries.push_back({
                {"kind", e.kind == ui::ConsoleEntry::Kind::Command ? "command" : "note"},
                {"source", source},
                {"cmd", e.cmd},
                {"ok", e.ok},
                {"out", e.out},
                {"error", e.error},
                {"number", e.number},
            });
        }
    }
    return result(entries);
}

// The lesson player's state (mmlab.lesson() in the page), for tests: the open
// lesson ("id" null in the picker), its current step counted from 1, and per
// step whether it is done and the prediction's answer; the controls of the
// panel where the last frame drew them ({"name", "x", "y", "w", "h"}, CSS
// pixels: "pick:ID", "next", "back", "restart", "undo", "hint", "show_me",
// "choice:N", "number", "answer", "picker"); and every lesson's progress.
EMSCRIPTEN_KEEPALIVE const char* mmlab_lesson() {
    nlohmann::ordered_json out = nlohmann::ordered_json::object();
    if (web::shell().app == nullptr) return result(out);
    const ui::LessonPlayerState& player = web::shell().app->view().player;
    const std::vector<mm::Lesson>& all = ui::lessons();
    auto done_marks = [&](size_t lesson) {
        nlohmann::ordered_json marks = nlohmann::ordered_json::array();
        for (size_t s = 0; s < all[lesson].steps.size(); ++s) {
            const bool done = lesson < player.progress.size() &&
                              s < player.progress[lesson].steps.size() &&
                              player.progress[lesson].steps[s].done;
            marks.push_back(done);
        }
        return marks;
    };
    const bool open = player.lesson >= 0 && static_cast<size_t>(player.lesson) < all.size();
    if (open) {
        const size_t index = static_cast<size_t>(player.lesson);
        out["id"] = all[index].id;
        out["title"] = all[index].title;
        out["step"] = player.step + 1;
        out["steps"] = all[index].steps.size();
        out["done"] = done_marks(index);
        nlohmann::ordered_json answered = nlohmann::ordered_json::object();
        if (index < player.progress.size()) {
            const auto& steps = player.progress[index].steps;
            for (size_t s = 0; s < steps.size(); ++s) {
                if (!steps[s].answered) continue;
                answered[std::to_string(s + 1)] = {
                    {"answer", steps[s].answer},
                    {"computed", steps[s].computed},
                    {"right", steps[s].right},
                };
            }
        }
        out["answered"] = answered;
    } else {
        out["id"] = nullptr;
        out["step"] = 0;
        out["steps"] = 0;
        out["done"] = nlohmann::ordered_json::array();
        out["answered"] = nlohmann::ordered_json::object();
    }
    nlohmann::ordered_json controls = nlohmann::ordered_json::array();
    for (const ui::ControlRect& c : player.controls)
        controls.push_back({{"name", c.name}, {"x", c.x}, {"y", c.y}, {"w", c.w}, {"h", c.h}});
    out["controls"] = controls;
    nlohmann::ordered_json lessons = nlohmann::ordered_json::array();
    for (size_t i = 0; i < all.size(); ++i) {
        const nlohmann::ordered_json marks = done_marks(i);
        size_t done = 0;
        for (const auto& m : marks)
            done += m.get<bool>() ? 1 : 0;
        lessons.push_back({{"id", all[i].id},
                           {"title", all[i].title},
                           {"topic", all[i].topic},
                           {"steps", all[i].steps.size()},
                           {"doneSteps", done}});
    }
    out["lessons"] = lessons;
    return result(out);
}

// Test-only: the page's own timing of bench/core_bench.cpp's
// BM_AllocFreeOrder0 loop, so the browser tests can compare the core the page
// ships with the wasm benchmark. A machine of its own (1 GiB, an event log
// attached, 1000 order-0 pages allocated first), then `pairs` order-0
// alloc+free pairs; returns the mean nanoseconds per pair (0 if pairs < 1).
// The lab's machine is not touched.
EMSCRIPTEN_KEEPALIVE double mmlab_bench_alloc_free(int pairs) {
    if (pairs < 1) return 0.0;
    mm::EventLog log;
    mm::BootParams params;
    params.ram = uint64_t{1} << 30;
    mm::Machine machine(params, &log);
    const mm::AllocRequest request;
    for (int i = 0; i < 1000; ++i)
        machine.alloc_pages(request);
    uint64_t sink = 0; // every pfn feeds the result, so no call can be dropped
    const double start = emscripten_get_now();
    for (int i = 0; i < pairs; ++i) {
        const mm::AllocResult r = machine.alloc_pages(request);
        sink += r.pfn.value();
        machine.free_pages(r.pfn, 0);
    }
    const double elapsed_ms = emscripten_get_now() - start;
    static volatile uint64_t g_sink;
    g_sink = sink;
    return elapsed_ms * 1e6 / pairs;
}

} // extern "C"
