// The lab's user interface: every panel, drawn each frame from the const
// machine (ui/ only reads). Panels queue command text; App runs
// the queue through Lab::run at the start of the next frame, and echoes every
// command and its output in the console panel.
//
// Coordinates: ImGui works in logical (CSS) pixels. The platform sets
// io.DisplaySize to the window's logical size and io.DisplayFramebufferScale
// to the device pixel ratio (what imgui_impl_sdl does for a window created
// with SDL_WINDOW_ALLOW_HIGHDPI), and passes that ratio as `pixel_scale` to
// load_fonts() and apply_style(); the fonts are rasterised at device pixels
// and scaled back, so text is sharp and the layout's sizes stay logical.
// Call both again (and rebuild the font texture) when the ratio changes.
// App places the panels itself: set io.IniFilename = nullptr.
#pragma once

#include "core/lab/lab.h"
#include "core/lesson/session.h"
#include "ui/platform.h"
#include "ui/view_state.h"

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ui {

// How App::open_lesson brings the lab to the step.
enum class OpenAt : uint8_t {
    Reach, // as a student who did the earlier steps would have it (LessonSession::reach_step)
    Keep,  // as it is: the lab is there already (a session resumed after a reload)
};

// A lesson from outside the site: a file the student opened or a link that
// carries its text, parsed in the page with no rebuild. It is untrusted: the
// player marks it "not from this site" and follows none of its links, and
// the page keeps its progress under its content hash (Lesson::hash), not its
// name, since anyone can name a lesson anything.
struct OutsideLesson {
    mm::Lesson lesson;
    std::string text; // the text it was parsed from: what a link to it carries
};

class App {
  public:
    // `platform` may be null (the null backend of the smoke test).
    App(mm::Lab& lab, Platform* platform);
    ~App();

    // Draws every panel for one frame. Call between ImGui::NewFrame() and
    // ImGui::Render(). Runs the commands panels queued in the previous frame.
    void frame();

    // Runs command text now, exactly as if typed into the console: the
    // commands and their output appear there, and the open lesson checks its
    // task (LessonSession::after_command). Used by the JS API.
    std::vector<mm::CommandResult> execute(std::string_view text);
    // The same, saying where the text came from (typed, a control, the API).
    std::vector<mm::CommandResult> execute(std::string_view text, CommandSource source);

    // Loads a state file's or share link's text (mm::load_state) by running
    // its history as commands (source Api), so that the console shows them,
    // and undo and the event log keep what came before. "" or the one-line
    // reason it does not load; then the lab is as it was, and the console
    // says so.
    std::optional<std::string> load_state(std::string_view text);
    // The lesson sessions, one per lesson of mm::lessons(), in that order:
    // what the student did in each. Their commands run through the console
    // (as a control's, or as `source` for open_lesson).
    const std::vector<mm::LessonSession>& sessions() const { return m_sessions; }
    std::vector<mm::LessonSession>& sessions() { return m_sessions; }
    // The session of the lesson open in the player, or null (the picker).
    mm::LessonSession* open_session();
    // Every lesson the player knows: mm::lessons(), then the outside lessons
    // in the order they were added. Lesson indices (LessonPlayerState::lesson,
    // LessonRequest::lesson, open_lesson) count both.
    size_t lesson_count() const { return m_sessions.size() + m_outside_sessions.size(); }
    mm::LessonSession& session(size_t index);
    const mm::LessonSession& session(size_t index) const;
    // The outside lesson at `index`, or null for a lesson of the site.
    const OutsideLesson* outside(size_t index) const;
    // Parses `text` as a lesson called `name` (a file name without .md, made
    // of letters, digits, '-' and '_') and adds it to the outside lessons,
    // or finds the one with the same text; *index is its lesson index. Runs
    // nothing. nullopt, or the parser's one line "line N: ..." (then nothing
    // is added).
    std::optional<std::string> add_outside_lesson(std::string_view name, std::string_view text,
                                                  size_t* index);
    // Opens lesson `lesson` (a lesson index: see lesson_count()) in the player at
    // step `step` (0-based), its commands shown as coming from `source`.
    // Returns nullopt, or the one-line reason it cannot (no such lesson or
    // step, a setup that fails); then the lab is as it was, and the console
    // says so.
    std::optional<std::string> open_lesson(size_t lesson, size_t step, OpenAt how,
                                           CommandSource source);
    // The student's id and the instructor's salt, for lessons that draw
    // their numbers per student (core/lesson/variant.h): such a lesson is
    // played in the variant of variant_seed(student, its id, salt), drawn
    // when it opens; without a student id, opening it asks for one
    // (LessonPlayerState::ask_student). A new id or salt draws again: a
    // session on other numbers starts afresh. "" or why the id is refused.
    std::optional<std::string> set_student(std::string_view student, std::string_view salt);
    const std::string& student() const { return m_student; }
    const std::string& salt() const { return m_salt; }
    // Back to the picker; the session keeps what the student did.
    void close_lesson();
    // Lays the panels out again as the open lesson step has them (its
    // `panels:`), or as the default layout: View > Reset layout.
    void reset_layout();
    // Queues a move of the lesson player, made at the start of the next
    // frame in order with the queued commands.
    void request(LessonRequest request);

    // Queues command text to run at the start of the next frame (what
    // buttons do).
    void queue(std::string text);
    void queue(std::string text, CommandSource source);
    // Commands queued and not yet run.
    size_t pending() const { return m_queue.size(); }
    // Adds a note (not a command) to the console panel, e.g. why a share
    // link could not be opened.
    void note(std::string text);

    mm::Lab& lab() { return m_lab; }
    const mm::Lab& lab() const { return m_lab; }
    ViewState& view() { return *m_view; }
    const ViewState& view() const { return *m_view; }
    Platform* platform() const { return m_platform; }

    App(const App&) = delete;
    App& operator=(const App&) = delete;

  private:
    struct Pending {
        std::string text;
        CommandSource source;
        std::optional<LessonRequest> lesson; // a lesson move instead of text
    };
    void run_queue();
    // Runs command text and shows it in the console, without the lesson's
    // check: what the sessions run their commands with.
    std::vector<mm::CommandResult> run_and_show(std::string_view text, CommandSource source);
    void apply(const LessonRequest& request);
    // Sets the highlights of the open lesson's step when a step started.
    void follow_lesson();
    static const std::vector<std::string>* layout_panels(const mm::LessonSession& session);
    void draw_menu_bar();
    void draw_about();
    void draw_reset_progress();

    mm::Lab& m_lab;
    Platform* m_platform;
    ViewState* m_view; // owned
    std::vector<Pending> m_queue;
    std::vector<mm::LessonSession> m_sessions;
    std::deque<OutsideLesson> m_outside; // a deque: the sessions point at its lessons
    std::vector<mm::LessonSession> m_outside_sessions;
    // The lesson each lesson index is played from: itself, or the variant
    // drawn for the student (kept in m_variants, which the sessions point into).
    const mm::Lesson& template_lesson(size_t index) const;
    std::optional<std::string> draw_variant(size_t index);
    std::deque<mm::Lesson> m_variants;
    std::string m_student;
    std::string m_salt;
    CommandSource m_lesson_source; // what the sessions' commands show as coming from
};

// Loads the embedded UI fonts (DejaVu Sans and DejaVu Sans Mono) into the
// current ImGui context at `pixel_scale` (the device pixel ratio), their
// size times `text_scale` (text_scale(view().text_size)): rasterised at that
// size rather than scaled up, so that large text stays sharp.
void load_fonts(float pixel_scale, float text_scale = 1.0f);

// How much bigger or smaller than normal a text size is.
float text_scale(TextSize size);

// The ImGui style of the lab (colours, rounding, spacing) at `pixel_scale`.
void apply_style(float pixel_scale);

} // namespace ui
