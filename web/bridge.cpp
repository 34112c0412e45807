// The C side of the page's JavaScript API (window.mmlab, web/api.js; the
// contract is ../shared/CONSOLE.md "In the page"). Strings cross as UTF-8:
// JavaScript passes text it copied into the wasm heap, and a returned string
// stays valid until the next call of any of these functions.
#include "web/shell.h"

#include "ui/view_state.h"

#include <emscripten.h>
#include <imgui.h>
#include <imgui_internal.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>

namespace {

std::string g_result; // what the last call returned

const char* result(const nlohmann::ordered_json& value) {
    // Replace, not abort, should a command's text ever hold invalid UTF-8.
    g_result = value.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    return g_result.c_str();
}

} // namespace

namespace web {

void notify_ready() {
    EM_ASM({
        if (Module["mmlabReady"]) Module["mmlabReady"]();
    });
}

void notify_failure(const char* reason) {
    EM_ASM({
        if (Module["mmlabFailed"]) Module["mmlabFailed"](UTF8ToString($0));
    }, reason);
}

} // namespace web

extern "C" {

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

} // extern "C"
