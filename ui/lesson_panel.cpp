// The lesson player: a picker of the embedded lessons (grouped by topic, with
// progress marks) and, once one is open, its steps one at a time: the prose,
// the step's task (goal, hints, "Show me", a live done mark) or prediction
// (answer, then the lab's own answer and the reveal), next/back, restart and
// undo. Like every panel it only queues command text: a step's setup, a
// task's solution, a prediction's reveal (lessons/README.md).
//
// Sections: progress | starting a step | keyboard | picker | task |
// prediction | player | lesson_panel()
#include "core/base/text.h"
#include "core/lesson/lesson.h"
#include "ui/help.h"
#include "ui/lessons.h"
#include "ui/markdown.h"
#include "ui/panels.h"

#include <imgui.h>

#include <algorithm>
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
    "back).\n\n"
    "Keys (when the console line is not being edited, or with Alt): PageDown next step, "
    "PageUp previous step. '/' puts the cursor on the console line.";

const ImVec4 kHighlight{1.00f, 0.75f, 0.25f, 1.0f};

// ---- Progress ---------------------------------------------------------------------

LessonProgress& progress_of(LessonPlayerState& player, size_t lesson) {
    const std::vector<mm::Lesson>& all = lessons();
    if (player.progress.size() < all.size()) player.progress.resize(all.size());
    LessonProgress& progress = player.progress[lesson];
    if (progress.steps.size() < all[lesson].steps.size())
        progress.steps.resize(all[lesson].steps.size());
    return progress;
}

int steps_done(LessonPlayerState& player, size_t lesson) {
    int done = 0;
    for (const StepProgress& step : progress_of(player, lesson).steps)
        done += step.done ? 1 : 0;
    return done;
}

// Where the panel drew a control this frame, for the browser tests.
void record(LessonPlayerState& player, std::string name) {
    const ImVec2 min = ImGui::GetItemRectMin();
    const ImVec2 size = ImGui::GetItemRectSize();
    player.controls.push_back({std::move(name), min.x, min.y, size.x, size.y});
}

// ---- Starting a step -----------------------------------------------------------------

std::optional<PanelId> panel_named(std::string_view name) {
    if (name == "zones") return PanelId::Zones;
    if (name == "console") return PanelId::Console;
    if (name == "map") return PanelId::Map;
    if (name == "free_lists") return PanelId::FreeLists;
    if (name == "events") return PanelId::Events;
    if (name == "plots") return PanelId::Plots;
    if (name == "lessons") return PanelId::Lessons;
    return std::nullopt;
}

void clear_highlights(ViewState& view) {
    for (bool& on : view.highlighted)
        on = false;
    view.highlighted_frames.reset();
}

// Makes step `step` of lesson `lesson` the current one: queues its setup (so
// the console shows it), highlights its panels and frames. The setup runs at
// the start of the next frame; the task is checked from then on.
void start_step(const PanelContext& ctx, int lesson, int step, bool setup = true) {
    LessonPlayerState& player = ctx.view.player;
    const mm::Lesson& l = lessons()[static_cast<size_t>(lesson)];
    if (l.steps.empty()) return;
    step = std::clamp(step, 0, static_cast<int>(l.steps.size()) - 1);
    player.lesson = lesson;
    player.step = step;
    progress_of(player, static_cast<size_t>(lesson)).step = step;
    player.started_frame = ImGui::GetFrameCount();
    player.checked_commands = ~uint32_t{0};
    player.checked_generation = ~uint64_t{0};

    const mm::LessonStep& s = l.steps[static_cast<size_t>(step)];
    if (setup && !mm::trim(s.setup).empty()) ctx.queue(std::string(mm::trim(s.setup)));
    clear_highlights(ctx.view);
    for (const std::string& name : s.panels) {
        if (std::optional<PanelId> id = panel_named(name)) {
            ctx.view.highlighted[static_cast<unsigned>(*id)] = true;
            ctx.view.open[static_cast<unsigned>(*id)] = true;
        }
    }
    ctx.view.highlighted_frames = s.frames;
    if (s.frames) ctx.view.selected_pfn = s.frames->first;
}

void leave_lesson(const PanelContext& ctx) {
    ctx.view.player.lesson = -1;
    clear_highlights(ctx.view);
}

// A step with neither task nor prediction is done once the student read it
// and moved on.
void finish_reading(LessonPlayerState& player) {
    if (player.lesson < 0) return;
    const mm::LessonStep& s =
        lessons()[static_cast<size_t>(player.lesson)].steps[static_cast<size_t>(player.step)];
    if (!s.task && !s.prediction)
        progress_of(player, static_cast<size_t>(player.lesson))
            .steps[static_cast<size_t>(player.step)]
            .done = true;
}

// Leaving a step with its question unanswered or its task not done runs the
// reveal or the solution all the same (not marked done): later steps expect
// the machine a student who did this one would have (mm::reach_step).
void catch_up(const PanelContext& ctx) {
    LessonPlayerState& player = ctx.view.player;
    const mm::LessonStep& s =
        lessons()[static_cast<size_t>(player.lesson)].steps[static_cast<size_t>(player.step)];
    const StepProgress& sp = progress_of(player, static_cast<size_t>(player.lesson))
                                 .steps[static_cast<size_t>(player.step)];
    if (s.prediction && !sp.answered && !mm::trim(s.prediction->reveal).empty())
        ctx.queue(std::string(mm::trim(s.prediction->reveal)));
    if (s.task && !sp.done && !sp.shown && !mm::trim(s.task->solution).empty())
        ctx.queue(std::string(mm::trim(s.task->solution)));
}

void go_next(const PanelContext& ctx) {
    LessonPlayerState& player = ctx.view.player;
    if (player.lesson < 0) return;
    finish_reading(player);
    catch_up(ctx);
    const int count = static_cast<int>(lessons()[static_cast<size_t>(player.lesson)].steps.size());
    if (player.step + 1 < count)
        start_step(ctx, player.lesson, player.step + 1);
    else
        leave_lesson(ctx);
}

void go_back(const PanelContext& ctx) {
    LessonPlayerState& player = ctx.view.player;
    if (player.lesson >= 0 && player.step > 0) start_step(ctx, player.lesson, player.step - 1);
}

// ---- Keyboard ------------------------------------------------------------------------

void handle_keys(const PanelContext& ctx) {
    const ImGuiIO& io = ImGui::GetIO();
    // Keys typed into a text field belong to it, unless Alt is held.
    if (io.WantTextInput && !io.KeyAlt) return;
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_PageDown), false)) go_next(ctx);
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_PageUp), false)) go_back(ctx);
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
    const std::vector<mm::Lesson>& all = lessons();
    ImGui::TextUnformatted("Pick a lesson");
    ImGui::SameLine();
    help_marker(kPlayerHelp);
    if (all.empty()) ImGui::TextDisabled("This build carries no lessons.");
    for (const std::string& error : lesson_errors())
        ImGui::TextColored(palette().error, "%s", error.c_str());

    const std::string* topic = nullptr;
    for (size_t i = 0; i < all.size(); ++i) {
        const mm::Lesson& lesson = all[i];
        if (topic == nullptr || *topic != lesson.topic) {
            topic = &lesson.topic;
            ImGui::Spacing();
            ImGui::TextColored(palette().note, "%s", lesson.topic.c_str());
            ImGui::Separator();
        }
        const int done = steps_done(player, i);
        const int total = static_cast<int>(lesson.steps.size());
        const std::string label = lesson.title + "###pick-" + lesson.id;
        if (ImGui::Selectable(label.c_str(), false))
            start_step(ctx, static_cast<int>(i), progress_of(player, i).step);
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
        ImGui::TextColored(done == total && total > 0 ? palette().ok : palette().dim, "%s",
                           mark.c_str());
        ImGui::Indent();
        ImGui::PushStyleColor(ImGuiCol_Text, palette().dim);
        ImGui::TextWrapped("%s", lesson.summary.c_str());
        ImGui::PopStyleColor();
        ImGui::Unindent();
    }
}

// ---- Task --------------------------------------------------------------------------------

void check_task(const PanelContext& ctx, const mm::LessonTask& task, StepProgress& progress) {
    LessonPlayerState& player = ctx.view.player;
    // Not before the step's setup ran (at the start of the frame after it started).
    if (progress.done || ImGui::GetFrameCount() <= player.started_frame) return;
    if (player.checked_commands == ctx.lab.commands_run() &&
        player.checked_generation == ctx.lab.generation())
        return;
    player.checked_commands = ctx.lab.commands_run();
    player.checked_generation = ctx.lab.generation();
    if (task.check.holds(ctx.lab)) progress.done = true;
}

void draw_task(const PanelContext& ctx, const mm::LessonTask& task, StepProgress& progress) {
    LessonPlayerState& player = ctx.view.player;
    ImGui::Separator();
    ImGui::TextColored(kHighlight, "Task");
    ImGui::SameLine();
    if (progress.done)
        ImGui::TextColored(palette().ok, "done");
    else
        ImGui::TextDisabled("not done yet");
    ImGui::SameLine();
    ImGui::TextDisabled("(?)");
    if (ImGui::IsItemHovered()) {
        // Why the check holds or not: every value it reads, computed on hover only.
        ImGui::BeginTooltip();
        ImGui::TextUnformatted("The lab checks, after every command:");
        ImGui::PushFont(mono_font());
        ImGui::TextUnformatted(task.check.text().c_str());
        for (const std::string& line : task.check.explain(ctx.lab))
            ImGui::TextColored(palette().dim, "%s", line.c_str());
        ImGui::PopFont();
        ImGui::EndTooltip();
    }
    markdown(task.goal);

    for (int i = 0; i < progress.hints_shown && i < static_cast<int>(task.hints.size()); ++i) {
        ImGui::TextColored(palette().note, "Hint %d:", i + 1);
        ImGui::SameLine();
        ImGui::PushTextWrapPos(0.0f);
        markdown(task.hints[static_cast<size_t>(i)]);
        ImGui::PopTextWrapPos();
    }
    const int left = static_cast<int>(task.hints.size()) - progress.hints_shown;
    if (left > 0) {
        const std::string label = "Hint (" + std::to_string(left) + " left)###hint";
        if (ImGui::Button(label.c_str())) ++progress.hints_shown;
        record(player, "hint");
        ImGui::SameLine();
    }
    if (ImGui::Button("Show me###show_me")) {
        progress.shown = true;
        if (!mm::trim(task.solution).empty()) ctx.queue(std::string(mm::trim(task.solution)));
    }
    record(player, "show_me");
    if (ImGui::IsItemHovered()) {
        ImGui::BeginTooltip();
        ImGui::TextUnformatted("Runs the solution in the console:");
        ImGui::PushFont(mono_font());
        ImGui::TextUnformatted(std::string(mm::trim(task.solution)).c_str());
        ImGui::PopFont();
        ImGui::EndTooltip();
    }
    if (progress.shown) {
        ImGui::PushFont(mono_font());
        ImGui::TextColored(palette().prompt, "%s", std::string(mm::trim(task.solution)).c_str());
        ImGui::PopFont();
    }
}

// ---- Prediction --------------------------------------------------------------------------

// Takes the student's answer and queues the reveal, so the student sees it
// happen; the lab's own answer is evaluated on the live lab once the reveal
// has run (finish_answer), which needs no copy of the machine.
void answer(const PanelContext& ctx, const mm::LessonPrediction& prediction, StepProgress& progress,
            std::string student) {
    progress.answered = true;
    progress.done = true;
    progress.answer = std::move(student);
    progress.computing = true;
    progress.answered_at = ctx.lab.commands_run();
    if (!mm::trim(prediction.reveal).empty()) ctx.queue(std::string(mm::trim(prediction.reveal)));
}

// Evaluates the prediction's answer after its reveal ran (at once when it
// has none) and scores the student's answer against it.
void finish_answer(const PanelContext& ctx, const mm::LessonPrediction& prediction,
                   StepProgress& progress) {
    const bool revealed =
        mm::trim(prediction.reveal).empty() || ctx.lab.commands_run() > progress.answered_at;
    if (!progress.computing || !revealed) return;
    std::string error;
    const std::optional<mm::Value> value = prediction.answer.evaluate(ctx.lab, &error);
    progress.computing = false;
    progress.computed = value ? value->text() : "(the lab could not compute it: " + error + ")";
    progress.right = value && mm::answer_matches(*value, progress.answer);
}

void draw_prediction(const PanelContext& ctx, const mm::LessonPrediction& prediction,
                     StepProgress& progress) {
    LessonPlayerState& player = ctx.view.player;
    finish_answer(ctx, prediction, progress);
    ImGui::Separator();
    ImGui::TextColored(kHighlight, "Predict");
    ImGui::SameLine();
    if (progress.computing)
        ImGui::TextDisabled("the lab is working it out...");
    else if (progress.answered)
        ImGui::TextColored(progress.right ? palette().ok : palette().error, "%s",
                           progress.right ? "right" : "not quite");
    else
        ImGui::TextDisabled("answer before the lab shows you");
    markdown(prediction.question);

    // Not before the step's setup ran: the answer is computed on the machine as it is.
    const bool ready = ImGui::GetFrameCount() > player.started_frame;
    ImGui::BeginDisabled(progress.answered || !ready);
    if (!prediction.choices.empty()) {
        for (size_t i = 0; i < prediction.choices.size(); ++i) {
            const std::string& choice = prediction.choices[i];
            const bool chosen = progress.answered && progress.answer == choice;
            const bool correct = progress.answered && choice == progress.computed;
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
            if (ImGui::Button(label.c_str())) answer(ctx, prediction, progress, choice);
            record(player, "choice:" + std::to_string(i));
            if (chosen || correct) ImGui::PopStyleColor();
        }
    } else {
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8.0f);
        const bool entered =
            input_string("##number", "a number", progress.number_input,
                         ImGuiInputTextFlags_CharsDecimal | ImGuiInputTextFlags_EnterReturnsTrue);
        record(player, "number");
        ImGui::SameLine();
        const bool clicked = ImGui::Button("Answer###answer");
        record(player, "answer");
        if ((entered || clicked) && !mm::trim(progress.number_input).empty())
            answer(ctx, prediction, progress, std::string(mm::trim(progress.number_input)));
    }
    ImGui::EndDisabled();

    if (progress.answered) {
        if (progress.right) {
            ImGui::TextColored(palette().ok, "Right: %s.", progress.computed.c_str());
        } else {
            ImGui::TextColored(palette().error, "You said %s; the lab says %s.",
                               progress.answer.c_str(), progress.computed.c_str());
        }
        if (!prediction.explain.empty()) markdown(prediction.explain);
        if (!mm::trim(prediction.reveal).empty()) {
            ImGui::TextDisabled("Ran:");
            ImGui::SameLine();
            ImGui::PushFont(mono_font());
            ImGui::TextColored(palette().prompt, "%s",
                               std::string(mm::trim(prediction.reveal)).c_str());
            ImGui::PopFont();
        }
    }
}

// ---- Player --------------------------------------------------------------------------------

void draw_player(const PanelContext& ctx) {
    LessonPlayerState& player = ctx.view.player;
    const size_t index = static_cast<size_t>(player.lesson);
    const mm::Lesson& lesson = lessons()[index];
    LessonProgress& progress = progress_of(player, index);
    const int count = static_cast<int>(lesson.steps.size());
    const mm::LessonStep& step = lesson.steps[static_cast<size_t>(player.step)];
    StepProgress& sp = progress.steps[static_cast<size_t>(player.step)];

    // Header: back to the picker, the lesson, where in it.
    if (ImGui::SmallButton("< Lessons")) leave_lesson(ctx);
    record(player, "picker");
    ImGui::SameLine();
    ImGui::TextUnformatted(lesson.title.c_str());
    ImGui::SameLine();
    help_marker(kPlayerHelp);
    ImGui::ProgressBar(static_cast<float>(steps_done(player, index)) / static_cast<float>(count),
                       ImVec2(-1.0f, 0.0f),
                       ("step " + std::to_string(player.step + 1) + " of " + std::to_string(count) +
                        ", " + std::to_string(steps_done(player, index)) + " done")
                           .c_str());

    // Navigation.
    ImGui::BeginDisabled(player.step == 0);
    if (ImGui::Button("< Back###back")) go_back(ctx);
    ImGui::EndDisabled();
    record(player, "back");
    ImGui::SameLine();
    if (ImGui::Button(player.step + 1 < count ? "Next >###next" : "Finish###next")) go_next(ctx);
    record(player, "next");
    ImGui::SameLine();
    if (ImGui::Button("Restart step###restart")) {
        sp.answered = false;
        sp.hints_shown = 0;
        sp.shown = false;
        start_step(ctx, player.lesson, player.step);
    }
    record(player, "restart");
    if (ImGui::IsItemHovered()) {
        ImGui::BeginTooltip();
        if (mm::trim(step.setup).empty()) {
            ImGui::TextUnformatted("This step has no setup: the answer and hints are reset.");
        } else {
            ImGui::TextUnformatted("Runs the step's setup again:");
            ImGui::PushFont(mono_font());
            ImGui::TextUnformatted(std::string(mm::trim(step.setup)).c_str());
            ImGui::PopFont();
        }
        ImGui::EndTooltip();
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
    if (player.step == 0 && !lesson.intro.empty()) markdown(lesson.intro);
    ImGui::PushStyleColor(ImGuiCol_Text, kHighlight);
    ImGui::SetWindowFontScale(1.15f);
    ImGui::TextWrapped("%d. %s", player.step + 1, step.title.c_str());
    ImGui::SetWindowFontScale(1.0f);
    ImGui::PopStyleColor();
    ImGui::Separator();
    markdown(step.body);
    if (step.task) draw_task(ctx, *step.task, sp);
    if (step.prediction) draw_prediction(ctx, *step.prediction, sp);
    ImGui::Spacing();
    ImGui::EndChild();
}

} // namespace

// ---- lesson_panel() ------------------------------------------------------------------------

void lesson_panel(const PanelContext& ctx, bool* open) {
    LessonPlayerState& player = ctx.view.player;
    player.controls.clear();
    if (player.open_request) {
        const int request = *player.open_request;
        player.open_request.reset();
        const std::optional<int> at = player.open_at_step;
        player.open_at_step.reset();
        if (request >= 0 && request < static_cast<int>(lessons().size()) && at)
            start_step(ctx, request, *at, false);
        else if (request >= 0 && request < static_cast<int>(lessons().size()))
            start_step(ctx, request, progress_of(player, static_cast<size_t>(request)).step);
        else
            leave_lesson(ctx);
    }
    if (player.lesson >= static_cast<int>(lessons().size())) leave_lesson(ctx);
    handle_keys(ctx);
    // The done mark is live even while the panel is collapsed.
    if (player.lesson >= 0) {
        const mm::Lesson& lesson = lessons()[static_cast<size_t>(player.lesson)];
        const mm::LessonStep& step = lesson.steps[static_cast<size_t>(player.step)];
        if (step.task)
            check_task(ctx, *step.task,
                       progress_of(player, static_cast<size_t>(player.lesson))
                           .steps[static_cast<size_t>(player.step)]);
    }

    if (!ImGui::Begin("Lessons###lessons", open)) {
        ImGui::End();
        return;
    }
    if (player.lesson < 0)
        draw_picker(ctx);
    else
        draw_player(ctx);
    ImGui::End();
}

} // namespace ui
