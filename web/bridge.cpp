// The C side of the page's JavaScript API (window.mmlab, web/api.js; the
// contract is docs/console.md "In the page"). Strings cross as UTF-8:
// JavaScript passes text it copied into the wasm heap, and a returned string
// stays valid until the next call of any of these functions.
#include "core/base/events.h"
#include "core/lab/state.h"
#include "core/lesson/library.h"
#include "core/lesson/progress.h"
#include "core/lesson/submission.h"
#include "core/mm/machine.h"
#include "ui/app.h"
#include "ui/tiles.h"
#include "ui/view_state.h"
#include "web/shell.h"

#include <emscripten.h>
#include <emscripten/heap.h>
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

void mark(const char* name) {
    EM_ASM(
        {
            // No "!==" in EM_ASM: clang-format splits it into "!= =".
            if (self.performance) performance.mark(UTF8ToString($0));
        },
        name);
}

void open_reader(const std::string& title, const std::string& text) {
    EM_ASM(
        {
            if (Module["mmlabOpenReader"])
                Module["mmlabOpenReader"](UTF8ToString($0), UTF8ToString($1));
        },
        title.c_str(), text.c_str());
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
// (mm::LessonSession::reach_step), for deep links; without, the machine is
// kept as it is (resuming a session after a reload). Returns "" or the
// one-line reason it cannot.
EMSCRIPTEN_KEEPALIVE const char* mmlab_open_lesson(const char* id, int step, int reach) {
    web::Shell& sh = web::shell();
    if (sh.lab == nullptr || sh.app == nullptr)
        return (g_result = "the lab is not running").c_str();
    const std::string want = id ? id : "";
    const std::optional<size_t> index = mm::lesson_index(want);
    if (!index) return (g_result = "there is no lesson \"" + want + "\"").c_str();
    if (step < 1)
        return (g_result = "steps are counted from 1, not " + std::to_string(step)).c_str();
    const std::optional<std::string> error =
        sh.app->open_lesson(*index, static_cast<size_t>(step - 1),
                            reach ? ui::OpenAt::Reach : ui::OpenAt::Keep, ui::CommandSource::Api);
    g_result = error ? "cannot open step " + std::to_string(step) + ": " + *error : "";
    return g_result.c_str();
}

// Opens lesson number `index` (a lesson index: ui::App::lesson_count(), the
// outside lessons after mm::lessons()) at step `step` (from 1), as
// mmlab_open_lesson does. "" or the one-line reason it cannot.
EMSCRIPTEN_KEEPALIVE const char* mmlab_open_lesson_at(int index, int step, int reach) {
    web::Shell& sh = web::shell();
    if (sh.lab == nullptr || sh.app == nullptr)
        return (g_result = "the lab is not running").c_str();
    if (index < 0 || static_cast<size_t>(index) >= sh.app->lesson_count())
        return (g_result = "there is no lesson number " + std::to_string(index)).c_str();
    if (step < 1)
        return (g_result = "steps are counted from 1, not " + std::to_string(step)).c_str();
    const std::optional<std::string> error =
        sh.app->open_lesson(static_cast<size_t>(index), static_cast<size_t>(step - 1),
                            reach ? ui::OpenAt::Reach : ui::OpenAt::Keep, ui::CommandSource::Api);
    g_result = error ? "cannot open step " + std::to_string(step) + ": " + *error : "";
    return g_result.c_str();
}

// Adds a lesson from outside the site (a file, a link's text) named `name`
// (ui::App::add_outside_lesson; the same text again finds the same lesson).
// Returns {"index": N, "id", "hash", "title", "steps"} or {"error": "line N: ..."}.
EMSCRIPTEN_KEEPALIVE const char* mmlab_add_lesson(const char* name, const char* text) {
    web::Shell& sh = web::shell();
    if (sh.app == nullptr) return result({{"error", "the lab is not running"}});
    size_t index = 0;
    if (const std::optional<std::string> error =
            sh.app->add_outside_lesson(name ? name : "", text ? text : "", &index))
        return result({{"error", *error}});
    const mm::Lesson& lesson = sh.app->session(index).lesson();
    return result({{"index", index},
                   {"id", lesson.id},
                   {"hash", lesson.hash},
                   {"title", lesson.title},
                   {"steps", lesson.steps.size()}});
}

// The open outside lesson, for a link that carries it: {"id", "hash",
// "text"}, or {} when the open lesson is the site's or none is open.
EMSCRIPTEN_KEEPALIVE const char* mmlab_open_lesson_text() {
    web::Shell& sh = web::shell();
    const int open = sh.app != nullptr ? sh.app->view().player.lesson : -1;
    const ui::OutsideLesson* outside =
        open >= 0 ? sh.app->outside(static_cast<size_t>(open)) : nullptr;
    if (outside == nullptr) return result(nlohmann::ordered_json::object());
    return result(
        {{"id", outside->lesson.id}, {"hash", outside->lesson.hash}, {"text", outside->text}});
}

// The progress of outside lesson `index` alone (mm::save_progress of its
// session), which the page keeps under the lesson's content hash.
EMSCRIPTEN_KEEPALIVE const char* mmlab_outside_progress(int index) {
    web::Shell& sh = web::shell();
    if (sh.app == nullptr || index < 0 || sh.app->outside(static_cast<size_t>(index)) == nullptr)
        return (g_result = "").c_str();
    g_result = mm::save_progress({sh.app->session(static_cast<size_t>(index))});
    return g_result.c_str();
}

// Restores what mmlab_outside_progress(index) gave into that lesson's
// session. "" or the one-line reason the text is not progress.
EMSCRIPTEN_KEEPALIVE const char* mmlab_set_outside_progress(int index, const char* text) {
    web::Shell& sh = web::shell();
    if (sh.app == nullptr || index < 0 || sh.app->outside(static_cast<size_t>(index)) == nullptr)
        return (g_result = "there is no outside lesson number " + std::to_string(index)).c_str();
    mm::LessonSession& session = sh.app->session(static_cast<size_t>(index));
    std::vector<mm::LessonSession> one{session};
    g_result = mm::load_progress(one, text ? text : "").value_or("");
    if (g_result.empty()) session = one.front();
    return g_result.c_str();
}

// The open lesson's submission (mm::write_submission), stamped with `time`
// (the page's clock: the core reads none) and, for a lesson whose numbers
// were drawn per student, the student's id and the seed. "" when no lesson
// is open.
EMSCRIPTEN_KEEPALIVE const char* mmlab_submission(const char* time) {
    web::Shell& sh = web::shell();
    const mm::LessonSession* open = sh.app != nullptr ? sh.app->open_session() : nullptr;
    if (open == nullptr) return (g_result = "").c_str();
    mm::SubmissionMeta meta;
    meta.time = time ? time : "";
    if (open->lesson().seed) {
        meta.student = sh.app->student();
        meta.seed = open->lesson().seed;
    }
    g_result = mm::write_submission(*open, meta);
    return g_result.c_str();
}

// Sets the student's id and the instructor's salt for lessons that draw
// their numbers per student (ui::App::set_student). "" or why not.
EMSCRIPTEN_KEEPALIVE const char* mmlab_set_student(const char* student, const char* salt) {
    web::Shell& sh = web::shell();
    if (sh.app == nullptr) return (g_result = "the lab is not running").c_str();
    g_result = sh.app->set_student(student ? student : "", salt ? salt : "").value_or("");
    return g_result.c_str();
}

// {"student", "salt"}: what the page keeps in the browser.
EMSCRIPTEN_KEEPALIVE const char* mmlab_student() {
    web::Shell& sh = web::shell();
    if (sh.app == nullptr) return result(nlohmann::ordered_json::object());
    return result({{"student", sh.app->student()}, {"salt", sh.app->salt()}});
}

// What the page keeps in localStorage to resume after a reload: {"version": 1,
// "state": save_state text, "lesson": ID or null, "step": N (from 1)}. With
// `if_changed`, "" when neither the machine nor the open step changed since
// the last call (the page asks twice a second; a long history is not
// serialized again for nothing).
EMSCRIPTEN_KEEPALIVE const char* mmlab_session(int if_changed) {
    web::Shell& sh = web::shell();
    if (sh.lab == nullptr || sh.app == nullptr) return (g_result = "").c_str();
    const mm::LessonSession* open = sh.app->open_session();
    const std::string key = std::to_string(sh.lab->generation()) + ":" +
                            std::to_string(sh.lab->commands_run()) + ":" +
                            std::to_string(sh.lab->history().size()) + ":" +
                            std::to_string(sh.app->view().player.lesson) + ":" +
                            std::to_string(open ? open->current() : 0);
    if (if_changed && key == g_session_key) return (g_result = "").c_str();
    g_session_key = key;
    // An outside lesson is found again by its content hash (the page keeps
    // its text under it).
    const int index = sh.app->view().player.lesson;
    const ui::OutsideLesson* outside =
        open && index >= 0 ? sh.app->outside(static_cast<size_t>(index)) : nullptr;
    return result(
        {{"version", 1},
         {"state", mm::save_state(*sh.lab)},
         {"lesson", open ? nlohmann::ordered_json(open->lesson().id) : nlohmann::ordered_json()},
         {"outside",
          outside ? nlohmann::ordered_json(outside->lesson.hash) : nlohmann::ordered_json()},
         {"step", open ? open->current() + 1 : 0}});
}

// The lesson progress to keep in the browser (localStorage): every session's
// records (mm::save_progress, core/lesson/progress.h has the format).
EMSCRIPTEN_KEEPALIVE const char* mmlab_progress() {
    g_result = web::shell().app != nullptr ? mm::save_progress(web::shell().app->sessions())
                                           : std::string();
    return g_result.c_str();
}

// Restores what mmlab_progress() gave (mm::load_progress). Returns "" or the
// one-line reason the text is not progress (nothing is changed then).
EMSCRIPTEN_KEEPALIVE const char* mmlab_set_progress(const char* text) {
    if (web::shell().app == nullptr) return (g_result = "the lab is not running").c_str();
    g_result = mm::load_progress(web::shell().app->sessions(), text ? text : "").value_or("");
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
        // The wasm heap's size: it only grows, so it is the most the page has
        // held so far (the page may grow it to 2 GiB).
        {"heapBytes", static_cast<uint64_t>(emscripten_get_heap_size())},
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

namespace {

nlohmann::ordered_json rect_json(const ui::PanelRect& r) {
    return {{"x", r.x}, {"y", r.y}, {"w", r.w}, {"h", r.h}};
}

const char* place_name(const ui::ViewState& view, unsigned i) {
    if (!view.open[i]) return "closed";
    switch (view.place[i]) {
    case ui::PanelPlace::Tile:
        return "tile";
    case ui::PanelPlace::Strip:
        return "strip";
    case ui::PanelPlace::Float:
        return "float";
    }
    return "closed";
}

} // namespace

// The layout of the last frame (mmlab.layout() in the page), for tests, in
// CSS pixels: "arrangement" ("default", "step", "step_reads_console");
// "panels", each {"name" (as a lesson's panels: names it), "place" ("tile",
// "strip", "float", "closed"), "x", "y", "w", "h" (its window; absent when
// it has none)}; "borders" ({"split": "columns"|"rows", "x", "y", "w", "h"}:
// where to drag); "strips" ({"name": "strip:NAME", "x", "y", "w", "h"}:
// where to click) and "buttons" (the same for "float:NAME", "dock:NAME");
// "console": the scrollback's visible rectangle, its sideways scroll and
// scroll range, and "entries": the rectangles of its last entries as drawn,
// oldest first.
EMSCRIPTEN_KEEPALIVE const char* mmlab_layout() {
    nlohmann::ordered_json out = nlohmann::ordered_json::object();
    if (web::shell().app == nullptr) return result(out);
    const ui::ViewState& view = web::shell().app->view();
    out["arrangement"] = view.arrangement == ui::Arrangement::Default ? "default"
                         : view.arrangement == ui::Arrangement::Step  ? "step"
                                                                      : "step_reads_console";
    nlohmann::ordered_json panels = nlohmann::ordered_json::array();
    for (unsigned i = 0; i < ui::kPanelCount; ++i) {
        const ui::PanelId id = static_cast<ui::PanelId>(i);
        nlohmann::ordered_json panel = {{"name", ui::panel_lesson_name(id)},
                                        {"place", place_name(view, i)}};
        const ImGuiWindow* w = ImGui::FindWindowByName(ui::panel_window_name(id));
        if (w != nullptr && w->WasActive && !w->Hidden)
            panel.update(rect_json({w->Pos.x, w->Pos.y, w->Size.x, w->Size.y}));
        panels.push_back(std::move(panel));
    }
    out["panels"] = std::move(panels);
    nlohmann::ordered_json borders = nlohmann::ordered_json::array();
    for (const ui::TileSplitter& s : view.placement.splitters) {
        nlohmann::ordered_json border = {
            {"split", s.split == ui::Split::Columns ? "columns" : "rows"}};
        border.update(rect_json(s.bar));
        borders.push_back(std::move(border));
    }
    out["borders"] = std::move(borders);
    nlohmann::ordered_json strips = nlohmann::ordered_json::array();
    for (const ui::ControlRect& c : view.strips)
        strips.push_back({{"name", c.name}, {"x", c.x}, {"y", c.y}, {"w", c.w}, {"h", c.h}});
    out["strips"] = std::move(strips);
    nlohmann::ordered_json buttons = nlohmann::ordered_json::array();
    for (const ui::ControlRect& c : view.panel_buttons)
        buttons.push_back({{"name", c.name}, {"x", c.x}, {"y", c.y}, {"w", c.w}, {"h", c.h}});
    out["buttons"] = std::move(buttons);
    const ui::ConsoleState& console = view.console;
    nlohmann::ordered_json entries = nlohmann::ordered_json::array();
    for (const ui::PanelRect& r : console.drawn_entries)
        entries.push_back(rect_json(r));
    nlohmann::ordered_json scrollback = rect_json(console.visible);
    scrollback["scrollX"] = console.scroll_x;
    scrollback["scrollMaxX"] = console.scroll_max_x;
    scrollback["entries"] = std::move(entries);
    out["console"] = std::move(scrollback);
    return result(out);
}

// The last `count` entries of the console panel's scrollback, oldest first:
// what a test checks after typing into the panel. A JSON array of
// {"kind": "command"|"note", "source": "typed"|"control"|"api", "cmd", "ok",
// "out", "error", "number", "reader": {x, y, w, h} of its "Open in reader"
// button or null} (mmlab.scrollback(count)).
EMSCRIPTEN_KEEPALIVE const char* mmlab_scrollback(int count) {
    nlohmann::ordered_json entries = nlohmann::ordered_json::array();
    if (web::shell().app != nullptr && count > 0) {
        const ui::ConsoleState& console = web::shell().app->view().console;
        const auto& all = console.entries;
        // The entry's "Open in reader" button where the last frame drew it, or null.
        auto reader = [&](const ui::ConsoleEntry& e) {
            const std::string name = "reader:" + std::to_string(e.number);
            for (const ui::ControlRect& c : console.reader_buttons)
                if (c.name == name)
                    return nlohmann::ordered_json{{"x", c.x}, {"y", c.y}, {"w", c.w}, {"h", c.h}};
            return nlohmann::ordered_json();
        };
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
                {"reader", reader(e)},
            });
        }
    }
    return result(entries);
}

// The lesson player's state (mmlab.lesson() in the page), for tests: the open
// lesson ("id" null in the picker), its current step counted from 1, and per
// step whether it is done, its status (mm::step_status_name) and the
// question's answers (every question answered at least once: the latest
// answer, whether it was right, whether the question is revealed); whether
// the lesson is finished (the summary shows) and its score; the controls of
// the panel where the last frame drew them ({"name", "x", "y", "w", "h"},
// CSS pixels: "pick:ID" ("pick:HASH" for an outside lesson), "outside_mark",
// "lesson_link", "next", "back", "restart", "undo", "hint",
// "show_me", "choice:N", "number", "answer", "give_up", "feedback",
// "next_rule", "picker", "next_lesson", "summary_picker", "again:N"); and
// every lesson's progress. The open lesson also has its content "hash" and
// whether it is from "outside" the site; "outsideLessons" lists those opened
// from a file or a link.
EMSCRIPTEN_KEEPALIVE const char* mmlab_lesson() {
    nlohmann::ordered_json out = nlohmann::ordered_json::object();
    if (web::shell().app == nullptr) return result(out);
    const ui::App& app = *web::shell().app;
    const ui::LessonPlayerState& player = app.view().player;
    const std::vector<mm::LessonSession>& sessions = app.sessions();
    auto done_marks = [](const mm::LessonSession& session) {
        nlohmann::ordered_json marks = nlohmann::ordered_json::array();
        for (const mm::StepRecord& r : session.records())
            marks.push_back(mm::is_done(r.status));
        return marks;
    };
    const bool open = player.lesson >= 0 && static_cast<size_t>(player.lesson) < app.lesson_count();
    if (open) {
        const mm::LessonSession& session = app.session(static_cast<size_t>(player.lesson));
        out["id"] = session.lesson().id;
        out["hash"] = session.lesson().hash;
        out["outside"] = app.outside(static_cast<size_t>(player.lesson)) != nullptr;
        // A variant's seed as a string: JSON numbers lose digits past 2^53.
        out["seed"] = session.lesson().seed
                          ? nlohmann::ordered_json(std::to_string(*session.lesson().seed))
                          : nlohmann::ordered_json();
        out["title"] = session.lesson().title;
        out["step"] = session.current() + 1;
        out["steps"] = session.lesson().steps.size();
        out["done"] = done_marks(session);
        nlohmann::ordered_json statuses = nlohmann::ordered_json::array();
        nlohmann::ordered_json answered = nlohmann::ordered_json::object();
        for (size_t s = 0; s < session.records().size(); ++s) {
            const mm::StepRecord& r = session.record(s);
            statuses.push_back(mm::step_status_name(r.status));
            if (r.attempts.empty()) continue;
            answered[std::to_string(s + 1)] = {
                {"answer", r.attempts.back().answer},
                // The lab's answer only once the student sees it too.
                {"computed", r.revealed && r.computed ? r.computed->text() : std::string()},
                {"right", r.attempts.back().right},
                {"revealed", r.revealed},
                {"attempts", r.attempts.size()},
                {"firstRight", r.first_right()},
            };
        }
        out["status"] = statuses;
        out["answered"] = answered;
        out["finished"] = session.finished();
        out["stepTitle"] = session.step().title;
        const mm::LessonScore score = session.score();
        out["score"] = {{"done", score.done},
                        {"tasksUnaided", score.tasks_unaided},
                        {"tasksAfterHints", score.tasks_after_hints},
                        {"tasksShown", score.tasks_shown},
                        {"rightFirst", score.right_first},
                        {"rightLater", score.right_later},
                        {"questionsShown", score.questions_shown},
                        {"attempts", score.attempts}};
    } else {
        out["id"] = nullptr;
        out["step"] = 0;
        out["steps"] = 0;
        out["done"] = nlohmann::ordered_json::array();
        out["status"] = nlohmann::ordered_json::array();
        out["answered"] = nlohmann::ordered_json::object();
        out["finished"] = false;
    }
    // The lesson waiting for the student's id (its lesson index), or null.
    out["askStudent"] = player.ask_student >= 0 ? nlohmann::ordered_json(player.ask_student)
                                                : nlohmann::ordered_json();
    nlohmann::ordered_json controls = nlohmann::ordered_json::array();
    for (const ui::ControlRect& c : player.controls)
        controls.push_back({{"name", c.name}, {"x", c.x}, {"y", c.y}, {"w", c.w}, {"h", c.h}});
    out["controls"] = controls;
    nlohmann::ordered_json lessons = nlohmann::ordered_json::array();
    for (const mm::LessonSession& session : sessions) {
        const mm::Lesson& lesson = session.lesson();
        lessons.push_back({{"id", lesson.id},
                           {"title", lesson.title},
                           {"topic", lesson.topic},
                           {"steps", lesson.steps.size()},
                           {"doneSteps", session.score().done}});
    }
    out["lessons"] = lessons;
    // The lessons from outside the site, in the order they were added (their
    // lesson index is lessons.length + i).
    nlohmann::ordered_json outside = nlohmann::ordered_json::array();
    for (size_t i = sessions.size(); i < app.lesson_count(); ++i) {
        const mm::LessonSession& session = app.session(i);
        outside.push_back({{"id", session.lesson().id},
                           {"hash", session.lesson().hash},
                           {"title", session.lesson().title},
                           {"steps", session.lesson().steps.size()},
                           {"doneSteps", session.score().done}});
    }
    out["outsideLessons"] = outside;
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
