// The lesson player: a picker of the embedded lessons (grouped by topic, with
// progress marks) and, once one is open, its steps one at a time: the prose,
// the step's task (goal, hints, "Show me", a live done mark) or prediction
// (answer, then the lab's own answer and the reveal), next/back, restart and
// undo. It draws what the lesson's session holds (mm::LessonSession: the
// step, the records) and asks App for the session's moves; the session runs
// the commands (a step's setup, a task's solution, a prediction's reveal)
// through the console (lessons/README.md).
//
// Sections: helpers | keyboard | picker | task | prediction | player |
// lesson_panel()
#include "core/base/text.h"
#include "core/lesson/library.h"
#include "core/lesson/session.h"
#include "ui/help.h"
#include "ui/markdown.h"
#include "ui/panels.h"
#include "ui/text.h"

#include <imgui.h>

#include <string>
#include <string_view>

namespace ui {

namespace {

constexpr const char* kPlayerHelp =
    "A lesson is a series of steps on the live machine. A step may bring the machine to a "
    "known state (its setup commands appear in the console), highlight panels, and ask "
    "for something:\n"
    "- a task: change the machine, with the console or any control, until the goal holds; "
    "the step is marked done as soon as it does.\n"
    "- a prediction: answer before the lab shows what happens; the lab computes the right "
    "answer on a copy of the machine.\n\n"
    "Next past a question not answered or a task not done runs its reveal or solution "
    "anyway, so that the next step finds the machine the lesson expects (undo takes it "
    "back). Back and Restart step bring the machine to that step's start again, as a "
    "student who did the earlier steps would have it.\n\n"
    "Keys (when the console line is not being edited, or with Alt): PageDown next step, "
    "PageUp previous step. '/' puts the cursor on the console line.";

const ImVec4 kHighlight{1.00f, 0.75f, 0.25f, 1.0f};

// ---- Helpers -----------------------------------------------------------------------

// Where the panel drew a control this frame, for the browser tests.
void record(LessonPlayerState& player, std::string name) {
    const ImVec2 min = ImGui::GetItemRectMin();
    const ImVec2 size = ImGui::GetItemRectSize();
    player.controls.push_back({std::move(name), min.x, min.y, size.x, size.y});
}

void ask(const PanelContext& ctx, LessonRequest::Kind kind, std::string answer = {}) {
    ctx.request({kind, 0, std::move(answer)});
}

// The lab's answer as the student reads it.
std::string computed_text(const mm::StepRecord& r) {
    return r.computed ? r.computed->text()
                      : "(the lab could not compute it: " + r.computed_error + ")";
}

// ---- Keyboard ------------------------------------------------------------------------

void handle_keys(const PanelContext& ctx) {
    const ImGuiIO& io = ImGui::GetIO();
    // Keys typed into a text field belong to it, unless Alt is held.
    if (io.WantTextInput && !io.KeyAlt) return;
    const bool open = ctx.view.player.lesson >= 0;
    if (open && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_PageDown), false))
        ask(ctx, LessonRequest::Kind::Next);
    if (open && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_PageUp), false) &&
        ctx.sessions()[static_cast<size_t>(ctx.view.player.lesson)].current() > 0)
        ask(ctx, LessonRequest::Kind::Previous);
    if (!io.WantTextInput) {
        for (const ImWchar c : io.InputQueueCharacters) {
            if (c == '/') {
                ctx.view.open[static_cast<unsigned>(PanelId::Console)] = true;
                ctx.view.console.focus_input = true;
            }
        }
    }
}

// ---- Picker ----------------------------------------------------------------------------

void draw_picker(const PanelContext& ctx) {
    LessonPlayerState& player = ctx.view.player;
    const std::vector<mm::Lesson>& all = mm::lessons();
    ui::text("Pick a lesson");
    if (all.empty()) ui::text_disabled("This build carries no lessons.");
    for (const std::string& error : mm::lesson_errors())
        ui::text_colored(palette().error, "%s", error.c_str());

    const std::string* topic = nullptr;
    for (size_t i = 0; i < all.size(); ++i) {
        const mm::Lesson& lesson = all[i];
        if (topic == nullptr || *topic != lesson.topic) {
            topic = &lesson.topic;
            ImGui::Spacing();
            ui::text_colored(palette().note, "%s", lesson.topic.c_str());
            ImGui::Separator();
        }
        const size_t done = ctx.sessions()[i].score().done;
        const size_t total = lesson.steps.size();
        const std::string label = lesson.title + "###pick-" + lesson.id;
        if (ImGui::Selectable(label.c_str(), false))
            ctx.request({LessonRequest::Kind::Open, i, {}});
        record(player, "pick:" + lesson.id);
        if (ImGui::IsItemHovered() && !lesson.intro.empty()) {
            ImGui::BeginTooltip();
            ImGui::PushTextWrapPos(ImGui::GetFontSize() * 32.0f);
            markdown(lesson.intro);
            ImGui::PopTextWrapPos();
            ImGui::EndTooltip();
        }
        // The progress mark, right-aligned on the same row.
        const std::string mark = std::to_string(done) + " / " + std::to_string(total);
        ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - ImGui::CalcTextSize(mark.c_str()).x);
        ui::text_colored(done == total && total > 0 ? palette().ok : palette().dim, "%s",
                         mark.c_str());
        ImGui::Indent();
        ImGui::PushStyleColor(ImGuiCol_Text, palette().dim);
        ui::text_wrapped("%s", lesson.summary.c_str());
        ImGui::PopStyleColor();
        ImGui::Unindent();
    }
}

// ---- Task --------------------------------------------------------------------------------

void draw_task(const PanelContext& ctx, const mm::LessonSession& session,
               const mm::LessonTask& task) {
    LessonPlayerState& player = ctx.view.player;
    const mm::StepRecord& r = session.record(session.current());
    ImGui::Separator();
    ui::text_colored(kHighlight, "Task");
    ImGui::SameLine();
    if (r.status == mm::StepStatus::TaskDone)
        ui::text_colored(palette().ok, "done");
    else if (r.status == mm::StepStatus::Shown)
        ui::text_colored(palette().ok, "done, with Show me");
    else
        ui::text_disabled("not done yet");
    ImGui::SameLine();
    ui::text_disabled("(?)");
    if (ImGui::IsItemHovered()) {
        // Why the check holds or not: every value it reads, computed on hover only.
        ImGui::BeginTooltip();
        ui::text("The lab checks, after every command:");
        ImGui::PushFont(mono_font());
        ui::text(task.check.text().c_str());
        for (const std::string& line : task.check.explain(ctx.lab))
            ui::text_colored(palette().dim, "%s", line.c_str());
        ImGui::PopFont();
        ImGui::EndTooltip();
    }
    markdown(task.goal);

    for (int i = 0; i < r.hints_shown && i < static_cast<int>(task.hints.size()); ++i) {
        ui::text_colored(palette().note, "Hint %d:", i + 1);
        ImGui::SameLine();
        ImGui::PushTextWrapPos(0.0f);
        markdown(task.hints[static_cast<size_t>(i)]);
        ImGui::PopTextWrapPos();
    }
    const int left = static_cast<int>(task.hints.size()) - r.hints_shown;
    if (left > 0) {
        const std::string label = "Hint (" + std::to_string(left) + " left)###hint";
        if (ImGui::Button(label.c_str())) ask(ctx, LessonRequest::Kind::Hint);
        record(player, "hint");
        ImGui::SameLine();
    }
    if (ImGui::Button("Show me###show_me")) ask(ctx, LessonRequest::Kind::ShowSolution);
    record(player, "show_me");
    if (ImGui::IsItemHovered()) {
        ImGui::BeginTooltip();
        ui::text("Runs the solution in the console:");
        ImGui::PushFont(mono_font());
        ui::text(std::string(mm::trim(task.solution)).c_str());
        ImGui::PopFont();
        ImGui::EndTooltip();
    }
    if (session.solution_ran()) {
        ImGui::PushFont(mono_font());
        ui::text_colored(palette().prompt, "%s", std::string(mm::trim(task.solution)).c_str());
        ImGui::PopFont();
    }
}

// ---- Prediction --------------------------------------------------------------------------

void draw_prediction(const PanelContext& ctx, const mm::LessonSession& session,
                     const mm::LessonPrediction& prediction) {
    LessonPlayerState& player = ctx.view.player;
    const mm::StepRecord& r = session.record(session.current());
    // Answered now, or revealed before an answer: the lab's answer is shown.
    const bool closed = r.answered || session.revealed();
    const bool right = r.answered && !r.attempts.empty() && r.attempts.back().right;
    ImGui::Separator();
    ui::text_colored(kHighlight, "Predict");
    ImGui::SameLine();
    if (r.answered)
        ui::text_colored(right ? palette().ok : palette().error, "%s",
                         right ? "right" : "not quite");
    else if (closed)
        ui::text_disabled("revealed");
    else
        ui::text_disabled("answer before the lab shows you");
    if (r.attempts.size() > 1) {
        ImGui::SameLine();
        ui::text_disabled("(answer %zu; the first was %s)", r.attempts.size(),
                          r.first_right() ? "right" : "wrong");
    }
    markdown(prediction.question);

    ImGui::BeginDisabled(closed);
    if (!prediction.choices.empty()) {
        for (size_t i = 0; i < prediction.choices.size(); ++i) {
            const std::string& choice = prediction.choices[i];
            const bool chosen = r.answered && r.attempts.back().answer == choice;
            const bool correct = closed && r.computed && mm::answer_matches(*r.computed, choice);
            if (chosen || correct)
                ImGui::PushStyleColor(ImGuiCol_Button, correct ? ImVec4(0.20f, 0.50f, 0.25f, 1.0f)
                                                               : ImVec4(0.60f, 0.20f, 0.20f, 1.0f));
            const std::string label = choice + "###choice" + std::to_string(i);
            if (i > 0) {
                const float width =
                    ImGui::CalcTextSize(choice.c_str()).x + ImGui::GetStyle().FramePadding.x * 2.0f;
                if (ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + width <
                    ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x)
                    ImGui::SameLine();
            }
            if (ImGui::Button(label.c_str())) ask(ctx, LessonRequest::Kind::Answer, choice);
            record(player, "choice:" + std::to_string(i));
            if (chosen || correct) ImGui::PopStyleColor();
        }
    } else {
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8.0f);
        const bool entered =
            input_string("##number", "a number", player.number_input,
                         ImGuiInputTextFlags_CharsDecimal | ImGuiInputTextFlags_EnterReturnsTrue);
        record(player, "number");
        ImGui::SameLine();
        const bool clicked = ImGui::Button("Answer###answer");
        record(player, "answer");
        if ((entered || clicked) && !mm::trim(player.number_input).empty())
            ask(ctx, LessonRequest::Kind::Answer, std::string(mm::trim(player.number_input)));
    }
    ImGui::EndDisabled();

    if (!closed) return;
    if (!r.answered)
        ui::text_colored(palette().note, "The lab says %s.", computed_text(r).c_str());
    else if (right)
        ui::text_colored(palette().ok, "Right: %s.", computed_text(r).c_str());
    else
        ui::text_colored(palette().error, "You said %s; the lab says %s.",
                         r.attempts.back().answer.c_str(), computed_text(r).c_str());
    if (!prediction.explain.empty()) markdown(prediction.explain);
    if (!mm::trim(prediction.reveal).empty()) {
        ui::text_disabled(session.revealed() ? "Ran:" : "Runs when you go on:");
        ImGui::SameLine();
        ImGui::PushFont(mono_font());
        ui::text_colored(palette().prompt, "%s", std::string(mm::trim(prediction.reveal)).c_str());
        ImGui::PopFont();
    }
}

// ---- Player --------------------------------------------------------------------------------

void draw_player(const PanelContext& ctx) {
    LessonPlayerState& player = ctx.view.player;
    const mm::LessonSession& session = ctx.sessions()[static_cast<size_t>(player.lesson)];
    const mm::Lesson& lesson = session.lesson();
    const size_t count = lesson.steps.size();
    const size_t current = session.current();
    const mm::LessonStep& step = session.step();

    // Header: back to the picker, the lesson, where in it.
    if (ImGui::SmallButton("< Lessons")) ask(ctx, LessonRequest::Kind::Close);
    record(player, "picker");
    ImGui::SameLine();
    ui::text(lesson.title.c_str());
    const size_t done = session.score().done;
    ImGui::ProgressBar(static_cast<float>(done) / static_cast<float>(count), ImVec2(-1.0f, 0.0f),
                       ("step " + std::to_string(current + 1) + " of " + std::to_string(count) +
                        ", " + std::to_string(done) + " done")
                           .c_str());

    // Navigation.
    ImGui::BeginDisabled(current == 0);
    if (ImGui::Button("< Back###back")) ask(ctx, LessonRequest::Kind::Previous);
    ImGui::EndDisabled();
    record(player, "back");
    ImGui::SameLine();
    if (ImGui::Button(current + 1 < count ? "Next >###next" : "Finish###next"))
        ask(ctx, LessonRequest::Kind::Next);
    record(player, "next");
    ImGui::SameLine();
    if (ImGui::Button("Restart step###restart")) ask(ctx, LessonRequest::Kind::Restart);
    record(player, "restart");
    if (ImGui::IsItemHovered()) {
        ImGui::SetTooltip("Brings the machine to this step's start again (as a student who did "
                          "the earlier steps would have it) and asks its question again.");
    }
    ImGui::SameLine();
    ImGui::PushFont(mono_font());
    if (ImGui::Button("undo")) ctx.queue("undo");
    ImGui::PopFont();
    record(player, "undo");
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Takes back your last command that changed the machine.");

    // The step: prose, then its task or prediction.
    ImGui::Separator();
    ImGui::BeginChild("##step", ImVec2(0.0f, 0.0f), false);
    if (current == 0 && !lesson.intro.empty()) markdown(lesson.intro);
    ImGui::PushStyleColor(ImGuiCol_Text, kHighlight);
    ImGui::SetWindowFontScale(1.15f);
    ui::text_wrapped("%zu. %s", current + 1, step.title.c_str());
    ImGui::SetWindowFontScale(1.0f);
    ImGui::PopStyleColor();
    ImGui::Separator();
    markdown(step.body);
    if (step.task) draw_task(ctx, session, *step.task);
    if (step.prediction) draw_prediction(ctx, session, *step.prediction);
    ImGui::Spacing();
    ImGui::EndChild();
}

} // namespace

// ---- lesson_panel() ------------------------------------------------------------------------

void lesson_panel(const PanelContext& ctx, bool* open) {
    LessonPlayerState& player = ctx.view.player;
    player.controls.clear();
    handle_keys(ctx);
    if (!ImGui::Begin("Lessons###lessons", open, panel_window_flags(ctx.view, PanelId::Lessons))) {
        ImGui::End();
        return;
    }
    panel_intro("Guided lessons on the live machine: read a step, do its task or answer its "
                "question, then Next.",
                kPlayerHelp);
    if (player.lesson < 0 || static_cast<size_t>(player.lesson) >= ctx.sessions().size())
        draw_picker(ctx);
    else
        draw_player(ctx);
    ImGui::End();
}

} // namespace ui
