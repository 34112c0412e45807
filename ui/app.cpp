// The App: runs queued command text and lesson moves, lays the panels out for
// the window size, and draws the menu bar, the panels and the status bar each
// frame.
//
// Sections: PanelContext | running commands | lessons | frame and layout |
// menu bar | about window.
#include "ui/app.h"

#include "core/base/text.h"
#include "core/console/syntax.h"
#include "core/lab/state.h"
#include "core/lesson/library.h"
#include "core/lesson/variant.h"
#include "ui/help.h"
#include "ui/layout.h"
#include "ui/panels.h"
#include "ui/text.h"
#include "ui/tiles.h"
#include "ui/view_state.h"

#include <imgui.h>
#include <imgui_internal.h> // FindWindowByName: the frame around a highlighted panel

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <string_view>
#include <utility>

namespace ui {

// ---- PanelContext -----------------------------------------------------------

void PanelContext::queue(std::string text, CommandSource source) const {
    m_app.queue(std::move(text), source);
}

const std::vector<mm::LessonSession>& PanelContext::sessions() const {
    return m_app.sessions();
}

size_t PanelContext::lesson_count() const {
    return m_app.lesson_count();
}

const mm::LessonSession& PanelContext::session(size_t index) const {
    return std::as_const(m_app).session(index);
}

const OutsideLesson* PanelContext::outside(size_t index) const {
    return m_app.outside(index);
}

void PanelContext::request(LessonRequest request) const {
    m_app.request(std::move(request));
}

Platform* PanelContext::platform() const {
    return m_app.platform();
}

// ---- Running commands -------------------------------------------------------

namespace {

void add_note(ConsoleState& console, std::string text) {
    ConsoleEntry note;
    note.kind = ConsoleEntry::Kind::Note;
    note.cmd = std::move(text);
    console.entries.push_back(std::move(note));
}

// Drops the oldest entries beyond the limit, in one go so that a long session
// does not shift the vector on every command.
void trim_scrollback(ConsoleState& console) {
    const size_t limit = ConsoleState::kMaxEntries;
    if (console.entries.size() > limit + limit / 4) {
        console.entries.erase(console.entries.begin(),
                              console.entries.end() - static_cast<std::ptrdiff_t>(limit));
    }
}

} // namespace

App::App(mm::Lab& lab, Platform* platform)
    : m_lab(lab), m_platform(platform), m_view(new ViewState),
      m_lesson_source(CommandSource::Control) {
    add_note(m_view->console,
             "mmlab: a simulated Linux memory manager. Type `help` for the commands; every "
             "button and menu item prints the command it runs here.");
    // Parses the embedded lessons once, at startup. A session runs its
    // commands through the console, without the check execute() adds: the
    // session checks its task itself when its own commands are done.
    for (const mm::Lesson& lesson : mm::lessons())
        m_sessions.emplace_back(lesson, m_lab, [this](std::string_view text) {
            return run_and_show(text, m_lesson_source);
        });
}

App::~App() {
    delete m_view;
}

void App::note(std::string text) {
    add_note(m_view->console, std::move(text));
}

std::vector<mm::CommandResult> App::execute(std::string_view text) {
    return execute(text, CommandSource::Api);
}

std::vector<mm::CommandResult> App::execute(std::string_view text, CommandSource source) {
    std::vector<mm::CommandResult> results = run_and_show(text, source);
    if (mm::LessonSession* session = open_session()) session->after_command();
    return results;
}

std::vector<mm::CommandResult> App::run_and_show(std::string_view text, CommandSource source) {
    ConsoleState& console = m_view->console;
    const std::string_view line = mm::trim(text);
    if (!line.empty() && (console.input_history.empty() || console.input_history.back() != line)) {
        console.input_history.emplace_back(line);
        if (console.input_history.size() > ConsoleState::kMaxInputHistory)
            console.input_history.erase(console.input_history.begin());
    }
    console.history_pos = -1;

    std::vector<mm::CommandResult> results = m_lab.run(text);
    for (const mm::CommandResult& result : results) {
        ConsoleEntry entry;
        entry.source = source;
        entry.cmd = result.cmd;
        entry.ok = result.ok;
        entry.out = result.out;
        entry.error = result.error;
        entry.number = m_lab.commands_run();
        entry.links = find_pfn_links(result.out, result.data);
        entry.form = output_form(result.cmd);
        console.entries.push_back(std::move(entry));
    }
    trim_scrollback(console);
    console.scroll_to_bottom = true;
    return results;
}

std::optional<std::string> App::load_state(std::string_view text) {
    std::optional<std::string> error = mm::load_state(
        m_lab, text, [this](std::string_view t) { return execute(t, CommandSource::Api); });
    if (error) note("that state did not load, and the lab is back as it was: " + *error);
    return error;
}

void App::queue(std::string text) {
    queue(std::move(text), CommandSource::Control);
}

void App::queue(std::string text, CommandSource source) {
    m_queue.push_back({std::move(text), source, std::nullopt});
}

void App::request(LessonRequest request) {
    m_queue.push_back({std::string(), CommandSource::Control, std::move(request)});
}

void App::run_queue() {
    // Commands queued while these run (none today) wait for the next frame.
    std::vector<Pending> queued;
    queued.swap(m_queue);
    for (Pending& pending : queued) {
        if (pending.lesson)
            apply(*pending.lesson);
        else
            execute(pending.text, pending.source);
    }
}

// ---- Lessons --------------------------------------------------------------------

mm::LessonSession* App::open_session() {
    const int lesson = m_view->player.lesson;
    if (lesson < 0 || static_cast<size_t>(lesson) >= lesson_count()) return nullptr;
    return &session(static_cast<size_t>(lesson));
}

mm::LessonSession& App::session(size_t index) {
    return index < m_sessions.size() ? m_sessions.at(index)
                                     : m_outside_sessions.at(index - m_sessions.size());
}

const mm::LessonSession& App::session(size_t index) const {
    return index < m_sessions.size() ? m_sessions.at(index)
                                     : m_outside_sessions.at(index - m_sessions.size());
}

const OutsideLesson* App::outside(size_t index) const {
    if (index < m_sessions.size() || index >= lesson_count()) return nullptr;
    return &m_outside[index - m_sessions.size()];
}

std::optional<std::string> App::add_outside_lesson(std::string_view name, std::string_view text,
                                                   size_t* index) {
    const bool name_ok =
        !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   c == '-' || c == '_';
        });
    if (!name_ok)
        return "the lesson's name \"" + std::string(name.substr(0, 64)) +
               "\" is not 1 to 64 letters, digits, '-' or '_'";
    const std::string hash = mm::content_hash(text);
    for (size_t i = 0; i < m_outside.size(); ++i) {
        if (m_outside[i].lesson.hash == hash && m_outside[i].lesson.id == name) {
            *index = m_sessions.size() + i;
            return std::nullopt;
        }
    }
    std::string error;
    std::optional<mm::Lesson> lesson = mm::parse_lesson(name, text, &error);
    if (!lesson) return error;
    m_outside.push_back({std::move(*lesson), std::string(text)});
    m_outside_sessions.emplace_back(m_outside.back().lesson, m_lab, [this](std::string_view t) {
        return run_and_show(t, m_lesson_source);
    });
    *index = lesson_count() - 1;
    return std::nullopt;
}

const mm::Lesson& App::template_lesson(size_t index) const {
    return index < m_sessions.size() ? mm::lessons().at(index)
                                     : m_outside.at(index - m_sessions.size()).lesson;
}

std::optional<std::string> App::set_student(std::string_view student, std::string_view salt) {
    const std::string_view id = mm::trim(student);
    if (id.size() > 100) return "a student id is at most 100 characters";
    if (id.find_first_of("\r\n") != std::string_view::npos ||
        salt.find_first_of("\r\n") != std::string_view::npos)
        return "a student id or salt is one line";
    m_student = std::string(id);
    m_salt = std::string(salt);
    // The open variant lesson is drawn again at once, from its step 1.
    const int open = m_view->player.lesson;
    if (open >= 0 && mm::has_variables(template_lesson(static_cast<size_t>(open)))) {
        close_lesson();
        if (!m_student.empty())
            return open_lesson(static_cast<size_t>(open), 0, OpenAt::Reach, CommandSource::Control);
    }
    return std::nullopt;
}

// Makes session `index` play the student's variant of a lesson with
// variables. A session restored from kept progress (on the template) keeps
// its records; one on another student's numbers starts afresh.
std::optional<std::string> App::draw_variant(size_t index) {
    const mm::Lesson& base = template_lesson(index);
    const uint64_t seed = mm::variant_seed(m_student, base.id, m_salt);
    mm::LessonSession& current = session(index);
    if (current.lesson().seed == seed) return std::nullopt;
    std::string error;
    std::optional<mm::Lesson> variant = mm::instantiate(base, seed, &error);
    if (!variant) return error;
    const bool keep = !current.lesson().seed.has_value();
    const size_t step = current.current();
    std::vector<mm::StepRecord> records = current.records();
    m_variants.push_back(std::move(*variant));
    current = mm::LessonSession(m_variants.back(), m_lab, [this](std::string_view t) {
        return run_and_show(t, m_lesson_source);
    });
    if (keep) current.restore(step, std::move(records));
    return std::nullopt;
}

std::optional<std::string> App::open_lesson(size_t lesson, size_t step, OpenAt how,
                                            CommandSource source) {
    if (lesson >= lesson_count()) return "there is no lesson number " + std::to_string(lesson);
    if (mm::has_variables(template_lesson(lesson))) {
        if (m_student.empty()) {
            // The panel asks for the id, then opens the lesson (SetStudent).
            m_view->player.ask_student = static_cast<int>(lesson);
            m_view->open[static_cast<unsigned>(PanelId::Lessons)] = true;
            return "this lesson draws its numbers for each student: give your student id first";
        }
        if (std::optional<std::string> error = draw_variant(lesson)) {
            note("that lesson's variant cannot be drawn: " + *error);
            return error;
        }
    }
    mm::LessonSession& session = this->session(lesson);
    m_lesson_source = source;
    std::optional<std::string> error =
        how == OpenAt::Reach ? session.reach_step(step) : session.resume(step);
    m_lesson_source = CommandSource::Control;
    if (error) {
        note("that lesson step cannot be opened, and the lab is back as it was: " + *error);
        return error;
    }
    m_view->player.lesson = static_cast<int>(lesson);
    m_view->player.ask_student = -1;
    m_view->open[static_cast<unsigned>(PanelId::Lessons)] = true;
    follow_lesson();
    return std::nullopt;
}

void App::close_lesson() {
    m_view->player.lesson = -1;
    follow_lesson();
}

void App::apply(const LessonRequest& request) {
    if (request.kind == LessonRequest::Kind::Open) {
        if (request.lesson < lesson_count())
            open_lesson(request.lesson, request.step.value_or(session(request.lesson).current()),
                        OpenAt::Reach, CommandSource::Control);
        return;
    }
    if (request.kind == LessonRequest::Kind::ResetProgress) {
        // The machine stays as it is; only what the students did is cleared.
        close_lesson();
        for (mm::LessonSession& session : m_sessions)
            session.restore(0, {});
        for (mm::LessonSession& session : m_outside_sessions)
            session.restore(0, {});
        note("lesson progress reset: every lesson starts afresh");
        return;
    }
    if (request.kind == LessonRequest::Kind::Close) {
        close_lesson();
        return;
    }
    if (request.kind == LessonRequest::Kind::SetStudent) {
        if (std::optional<std::string> error = set_student(request.answer, m_salt)) {
            note("student id: " + *error);
            return;
        }
        if (request.lesson < lesson_count())
            open_lesson(request.lesson, session(request.lesson).current(), OpenAt::Reach,
                        CommandSource::Control);
        return;
    }
    mm::LessonSession* session = open_session();
    if (session == nullptr) return;
    std::optional<std::string> error;
    switch (request.kind) {
    case LessonRequest::Kind::Next:
        error = session->next(); // past the last step the player shows the summary
        break;
    case LessonRequest::Kind::Previous:
        error = session->previous();
        break;
    case LessonRequest::Kind::Restart:
        error = session->restart_step();
        break;
    case LessonRequest::Kind::Hint:
        error = session->show_hint();
        break;
    case LessonRequest::Kind::ShowSolution:
        error = session->show_solution();
        break;
    case LessonRequest::Kind::Answer:
        error = session->answer(request.answer);
        break;
    case LessonRequest::Kind::Open:
    case LessonRequest::Kind::Close:
    case LessonRequest::Kind::ResetProgress:
    case LessonRequest::Kind::SetStudent:
        break;
    }
    if (error) note("lesson: " + *error);
    follow_lesson();
}

void App::follow_lesson() {
    ViewState& view = *m_view;
    LessonPlayerState& player = view.player;
    const mm::LessonSession* session = open_session();
    if (session == nullptr) {
        if (player.highlighted_lesson < 0) return;
        player.highlighted_lesson = -1;
        for (bool& on : view.highlighted)
            on = false;
        view.highlighted_frames.reset();
        apply_step_layout(view, nullptr);
        return;
    }
    if (player.highlighted_lesson == player.lesson && player.highlighted_start == session->starts())
        return;
    // A step (re)started: its panels and frames, and a new answer to type.
    player.highlighted_lesson = player.lesson;
    player.highlighted_start = session->starts();
    player.number_input.clear();
    const mm::LessonStep& step = session->step();
    for (bool& on : view.highlighted)
        on = false;
    for (const std::string& name : step.panels) {
        if (std::optional<PanelId> id = panel_named(name)) {
            view.highlighted[static_cast<unsigned>(*id)] = true;
            // Embedded with chosen panels, the course page's choice stands.
            if (!view.embed_panels || (*view.embed_panels)[static_cast<unsigned>(*id)])
                view.open[static_cast<unsigned>(*id)] = true;
        }
    }
    view.highlighted_frames = step.frames;
    if (step.frames) view.selected_pfn = step.frames->first;
    apply_step_layout(view, layout_panels(*session));
}

// The panels a step's layout is made for: its own `panels:`, else those of
// the nearest earlier step that names some, so that a step with no needs of
// its own does not move the panels the student just used; none, nullptr.
const std::vector<std::string>* App::layout_panels(const mm::LessonSession& session) {
    const std::vector<mm::LessonStep>& steps = session.lesson().steps;
    for (size_t i = std::min(session.current() + 1, steps.size()); i-- > 0;)
        if (!steps[i].panels.empty()) return &steps[i].panels;
    return nullptr;
}

void App::reset_layout() {
    const mm::LessonSession* session = open_session();
    apply_step_layout(*m_view, session != nullptr ? layout_panels(*session) : nullptr);
}

// ---- Frame and layout -------------------------------------------------------

namespace {

// A coloured frame around every panel the current lesson step highlights,
// drawn on the panel's own draw list so that windows in front cover it.
void draw_highlights(const ViewState& view) {
    if (view.player.lesson < 0 || !view.open[static_cast<unsigned>(PanelId::Lessons)]) return;
    const float pulse = 0.65f + 0.35f * std::sin(static_cast<float>(ImGui::GetTime()) * 3.0f);
    const ImU32 colour = ImGui::GetColorU32(ImVec4(1.00f, 0.75f, 0.25f, pulse));
    for (unsigned i = 0; i < kPanelCount; ++i) {
        if (!view.highlighted[i] || !view.open[i]) continue;
        ImGuiWindow* window = ImGui::FindWindowByName(panel_window_name(static_cast<PanelId>(i)));
        if (window == nullptr || !window->WasActive || window->Hidden) continue;
        const ImVec2 min = window->Pos;
        const ImVec2 max(window->Pos.x + window->Size.x, window->Pos.y + window->Size.y);
        window->DrawList->PushClipRect(min, max, false);
        window->DrawList->AddRect(ImVec2(min.x + 1.5f, min.y + 1.5f),
                                  ImVec2(max.x - 1.5f, max.y - 1.5f), colour,
                                  ImGui::GetStyle().WindowRounding, 0, 3.0f);
        window->DrawList->PopClipRect();
    }
}

// A reboot may have removed the selected node, zone or frame.
void forget_what_is_gone(ViewState& view, const mm::Machine& machine) {
    if (view.selected_node && *view.selected_node >= machine.nodes().size()) {
        view.selected_node.reset();
        view.selected_zone.reset();
    }
    if (view.selected_pfn && *view.selected_pfn >= machine.max_pfn()) view.selected_pfn.reset();
}

// Chooses the arrangement for the window's size, and makes the tiles again
// when that size changed.
void follow_window(ViewState& view, float width, float height) {
    if (width == view.display_w && height == view.display_h) return;
    view.display_w = width;
    view.display_h = height;
    view.layout = choose_layout(width, height);
    view.rebuild_tiles = true;
}

// Draws every panel: tiles where the layout put them, floating ones where
// the student did; each with its float/dock button.
void draw_panels(const PanelContext& ctx, Platform* platform) {
    ViewState& view = ctx.view;
    const auto draw = [&](PanelId id, auto&& panel) {
        if (!place_panel(view, id)) return;
        panel(&view.open[static_cast<unsigned>(id)]);
        draw_float_button(view, id);
    };
    // The plots sample the machine every frame, drawn or not.
    bool hidden = false;
    if (!view.open[static_cast<unsigned>(PanelId::Plots)] ||
        view.place[static_cast<unsigned>(PanelId::Plots)] == PanelPlace::Strip)
        plots_panel(ctx, &hidden);
    draw(PanelId::Zones, [&](bool* open) { zones_panel(ctx, open); });
    draw(PanelId::Map, [&](bool* open) { map_panel(ctx, platform, open); });
    draw(PanelId::FreeLists, [&](bool* open) { free_lists_panel(ctx, open); });
    draw(PanelId::Events, [&](bool* open) { events_panel(ctx, open); });
    draw(PanelId::Plots, [&](bool* open) { plots_panel(ctx, open); });
    draw(PanelId::Lessons, [&](bool* open) { lesson_panel(ctx, open); });
    draw(PanelId::Console, [&](bool* open) { console_panel(ctx, open); });
}

} // namespace

void App::frame() {
    const auto started = std::chrono::steady_clock::now();
    ViewState& view = *m_view;
    run_queue();
    forget_what_is_gone(view, m_lab.machine());

    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    const float width = viewport->Size.x;
    const float height = viewport->Size.y;
    follow_window(view, width, height);

    // Embedded in a course page: the work area is the whole window.
    if (!view.embedded) draw_menu_bar();
    const float bar_height = view.embedded ? 0.0f : ImGui::GetFrameHeight();
    const float status_height = view.embedded ? 0.0f : ImGui::GetFrameHeight();
    const PanelRect work{viewport->Pos.x, viewport->Pos.y + bar_height, width,
                         height - bar_height - status_height};
    tile_work_area(view, work);
    PanelContext ctx(m_lab, view, *this);
    draw_panels(ctx, m_platform);
    draw_highlights(view);

    if (!view.embedded)
        status_bar(ctx, viewport->Pos.x, viewport->Pos.y + height - status_height, width,
                   status_height);
    if (view.show_about) draw_about();
    if (view.confirm_reset_progress) draw_reset_progress();
    if (view.show_metrics) ImGui::ShowMetricsWindow(&view.show_metrics);

    const std::chrono::duration<float, std::milli> spent =
        std::chrono::steady_clock::now() - started;
    view.frame_ms = spent.count();
}

// ---- Menu bar -----------------------------------------------------------------

namespace {

// Menu items that run a command show the command itself.
void command_item(App& app, const char* command, const char* what) {
    ImGui::PushFont(mono_font());
    const bool clicked = ImGui::MenuItem(command);
    ImGui::PopFont();
    if (ImGui::IsItemHovered() && what != nullptr) ImGui::SetTooltip("%s", what);
    if (clicked) app.queue(command, CommandSource::Control);
}

// The Machine menu: boots, undo and history, the platform's share link and
// state files, and /proc files.
void machine_menu(App& app, ViewState& view) {
    if (!ImGui::BeginMenu("Machine")) return;
    ui::text_disabled("Each item runs the console command it shows.");
    ImGui::Separator();
    command_item(app, "boot", "The default machine: x86_64, 1 GiB, one node.");
    command_item(app, "boot arch=toy ram=64K",
                 "16 page frames in one zone, no reserved memory and watermarks at 0: "
                 "every block of the buddy system can be seen.");
    command_item(app, "boot arch=toy ram=1M", "256 page frames, one zone.");
    command_item(app, "boot arch=i386 ram=1G",
                 "32-bit: DMA below 16 MiB, Normal up to 896 MiB, HighMem above.");
    command_item(app, "boot ram=4G nodes=2", "Two NUMA nodes of 2 GiB each.");
    command_item(app, "boot ram=64G", "A large machine: DMA, DMA32 and Normal.");
    ImGui::Separator();
    command_item(app, "undo", "Takes back the last command of the history.");
    command_item(app, "history", "The commands that made the current machine.");
    ImGui::Separator();
    // Share links and state files are the platform's (web/api.js); where
    // the items are drawn goes to view.menu_controls for browser tests.
    auto platform_item = [&](const char* label, const char* name, PlatformRequest request,
                             const char* what) {
        if (ImGui::MenuItem(label)) view.platform_request = request;
        const ImVec2 min = ImGui::GetItemRectMin(), size = ImGui::GetItemRectSize();
        view.menu_controls.push_back({name, min.x, min.y, size.x, size.y});
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", what);
    };
    platform_item("Share link", "share_link", PlatformRequest::ShareLink,
                  "A link that opens the lab in this state (the history, compressed).");
    platform_item(
        "Download state", "download_state", PlatformRequest::DownloadState,
        "Saves the history as a file (mmlab-state 2 level=N), which `mmlab --grade` reads.");
    platform_item("Load state...", "load_state", PlatformRequest::LoadState,
                  "Opens a state file saved with Download state.");
    ImGui::Separator();
    command_item(app, "cat /proc/buddyinfo", "Free blocks per order, per zone.");
    command_item(app, "cat /proc/zoneinfo", "Every zone's counters and watermarks.");
    command_item(app, "cat /proc/meminfo", "The machine's memory totals.");
    ImGui::EndMenu();
}

// The View menu: which panels are open, the layout, UI metrics.
void view_menu(App& app, ViewState& view) {
    if (!ImGui::BeginMenu("View")) return;
    for (PanelId id : {PanelId::Zones, PanelId::Console, PanelId::Map, PanelId::FreeLists,
                       PanelId::Events, PanelId::Plots}) {
        const unsigned i = static_cast<unsigned>(id);
        // A strip is open but not shown: its item opens it in a tile.
        const bool strip = view.open[i] && view.place[i] == PanelPlace::Strip;
        if (!ImGui::MenuItem(panel_title(id), nullptr, view.open[i] && !strip)) continue;
        if (strip)
            open_strip(view, id);
        else
            view.open[i] = !view.open[i];
    }
    ImGui::Separator();
    if (ImGui::MenuItem("Reset layout")) app.reset_layout();
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Back to the layout of the lesson step (or the default one): floating "
                          "panels dock, opened strips collapse, borders return.");
    if (ImGui::BeginMenu("Text size")) {
        // The platform builds the fonts again at the new size (load_fonts).
        const struct {
            const char* name;
            TextSize size;
        } sizes[] = {
            {"Small", TextSize::Small}, {"Normal", TextSize::Normal}, {"Large", TextSize::Large}};
        for (const auto& s : sizes)
            if (ImGui::MenuItem(s.name, nullptr, view.text_size == s.size)) view.text_size = s.size;
        ImGui::EndMenu();
    }
    ImGui::MenuItem("UI metrics", nullptr, &view.show_metrics);
    ImGui::EndMenu();
}

// The Lessons menu: the picker's list, grouped by topic.
void lessons_menu(App& app, ViewState& view) {
    if (!ImGui::BeginMenu("Lessons")) return;
    // The picker's list, grouped by topic; choosing one opens it in the
    // Lessons panel (a LessonRequest, made at the start of the next frame).
    const std::vector<mm::Lesson>& all = mm::lessons();
    if (ImGui::MenuItem("All lessons", nullptr, false)) {
        view.open[static_cast<unsigned>(PanelId::Lessons)] = true;
        app.request({LessonRequest::Kind::Close, 0, {}});
    }
    const std::string* topic = nullptr;
    for (size_t i = 0; i < all.size(); ++i) {
        if (topic == nullptr || *topic != all[i].topic) {
            topic = &all[i].topic;
            ImGui::Separator();
            ui::text_disabled("%s", topic->c_str());
        }
        const bool current = view.player.lesson == static_cast<int>(i);
        if (ImGui::MenuItem(all[i].title.c_str(), nullptr, current))
            app.request({LessonRequest::Kind::Open, i, {}});
    }
    for (size_t i = mm::lessons().size(); i < app.lesson_count(); ++i) {
        if (i == mm::lessons().size()) {
            ImGui::Separator();
            ui::text_disabled("Not from this site");
        }
        const bool current = view.player.lesson == static_cast<int>(i);
        const std::string label = app.session(i).lesson().title + "###outside" + std::to_string(i);
        if (ImGui::MenuItem(label.c_str(), nullptr, current))
            app.request({LessonRequest::Kind::Open, i, {}});
    }
    ImGui::Separator();
    // Lesson files are read by the page (web/api.js), like state files.
    if (ImGui::MenuItem("Open a lesson file..."))
        view.platform_request = PlatformRequest::OpenLessonFile;
    const ImVec2 min = ImGui::GetItemRectMin(), size = ImGui::GetItemRectSize();
    view.menu_controls.push_back({"open_lesson_file", min.x, min.y, size.x, size.y});
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Opens a lesson written as a Markdown file (lessons/README.md): it is "
                          "marked \"not from this site\". Dropping the file on the page does the "
                          "same.");
    ImGui::MenuItem("Lesson panel", nullptr, &view.open[static_cast<unsigned>(PanelId::Lessons)]);
    ui::text_disabled("PageDown / PageUp: next / previous step; '/': the console");
    ImGui::EndMenu();
}

// The Help menu.
void help_menu(App& app, ViewState& view) {
    const bool open = ImGui::BeginMenu("Help");
    // Where the menu's title is, for browser tests that open the tour.
    ImVec2 min = ImGui::GetItemRectMin(), size = ImGui::GetItemRectSize();
    view.menu_controls.push_back({"help", min.x, min.y, size.x, size.y});
    if (!open) return;
    command_item(app, "help", "Lists every command.");
    command_item(app, "help alloc_pages", "What alloc_pages does and leaves out.");
    ImGui::Separator();
    // Asks first (a popup App draws): the records cannot be brought back.
    if (ImGui::MenuItem("Reset progress...")) view.confirm_reset_progress = true;
    // The first-visit tour is the page's (web/api.js), like the share link.
    if (ImGui::MenuItem("Tour")) view.platform_request = PlatformRequest::Tour;
    min = ImGui::GetItemRectMin();
    size = ImGui::GetItemRectSize();
    view.menu_controls.push_back({"tour", min.x, min.y, size.x, size.y});
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip(
            "A few callouts: the lesson panel, the console, the map, the share link.");
    ImGui::MenuItem("About mmlab", nullptr, &view.show_about);
    ImGui::EndMenu();
}

} // namespace

void App::draw_menu_bar() {
    ViewState& view = *m_view;
    view.menu_controls.clear();
    if (!ImGui::BeginMainMenuBar()) return;
    machine_menu(*this, view);
    view_menu(*this, view);
    lessons_menu(*this, view);
    help_menu(*this, view);
    ImGui::EndMainMenuBar();
}

// ---- About window -------------------------------------------------------------

void App::draw_about() {
    ImGui::SetNextWindowSize(ImVec2(460.0f, 0.0f), ImGuiCond_Appearing);
    ImGui::SetNextWindowPos(ImGui::GetMainViewport()->GetCenter(), ImGuiCond_Appearing,
                            ImVec2(0.5f, 0.5f));
    if (ImGui::Begin("About mmlab", &m_view->show_about,
                     ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings)) {
        ImGui::PushTextWrapPos(0.0f);
        ui::text(
            "mmlab simulates the memory manager of Linux 6.18: nodes, zones, watermarks and the "
            "buddy allocator of mm/page_alloc.c. Every change to the machine is a console "
            "command; the panels only read the machine and show the commands they run.");
        ImGui::Spacing();
        ui::text("Fonts: mmlab Sans and mmlab Sans Mono, subsets of DejaVu Sans and "
                 "DejaVu Sans Mono 2.37 (Bitstream Vera licence; see "
                 "assets/README.md).");
        ui::textf("Dear ImGui %s.", ImGui::GetVersion());
        ImGui::PopTextWrapPos();
    }
    ImGui::End();
}

// Help > Reset progress: a modal that asks, since the records cannot be
// brought back; Reset queues the request (made at the next frame's start).
void App::draw_reset_progress() {
    if (!ImGui::IsPopupOpen("Reset progress?")) ImGui::OpenPopup("Reset progress?");
    ImGui::SetNextWindowPos(ImGui::GetMainViewport()->GetCenter(), ImGuiCond_Appearing,
                            ImVec2(0.5f, 0.5f));
    if (ImGui::BeginPopupModal("Reset progress?", nullptr,
                               ImGuiWindowFlags_AlwaysAutoResize |
                                   ImGuiWindowFlags_NoSavedSettings)) {
        ui::text("Forget every lesson's steps, answers and hints in this browser?");
        ui::text("The machine stays as it is. This cannot be undone.");
        if (ImGui::Button("Reset progress###reset_progress_yes")) {
            request({LessonRequest::Kind::ResetProgress, 0, {}});
            m_view->confirm_reset_progress = false;
            ImGui::CloseCurrentPopup();
        }
        ImGui::SameLine();
        if (ImGui::Button("Keep it###reset_progress_no")) {
            m_view->confirm_reset_progress = false;
            ImGui::CloseCurrentPopup();
        }
        ImGui::EndPopup();
    }
}

} // namespace ui
