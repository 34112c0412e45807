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
#include "ui/app.h"
#include "ui/help.h"
#include "ui/markdown.h"
#include "ui/panels.h"
#include "ui/text.h"

#include <imgui.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace ui {

namespace {

constexpr const char* kPlayerHelp =
    "A lesson is a series of steps on the live machine. A step may bring the machine to a "
    "known state (its setup commands appear in the console), highlight panels, and ask "
    "for something:\n"
    "- a task: change the machine, with the console or any control, until the goal holds; "
    "the step is marked done as soon as it does.\n"
    "- a prediction: answer before the lab shows what happens; the lab computes the right "
    "answer on a copy of the machine. A wrong answer shows nothing: try again, or Give up "
    "to see the answer.\n\n"
    "Each step counts once, by what happened first: done unaided, after hints (or after a "
    "wrong answer), or shown. Restart step, Back and undo never take it back.\n\n"
    "Next past a question not answered or a task not done runs its reveal or solution "
    "anyway, so that the next step finds the machine the lesson expects (undo takes it "
    "back), and the step counts as shown. Back and Restart step bring the machine to that "
    "step's start again, as a student who did the earlier steps would have it.\n\n"
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

// Whether the open lesson is from outside the site (App's OutsideLesson).
bool open_is_outside(const PanelContext& ctx) {
    return ctx.view.player.lesson >= 0 &&
           ctx.outside(static_cast<size_t>(ctx.view.player.lesson)) != nullptr;
}

// The open lesson's prose: a lesson from outside the site follows no link.
void prose(const PanelContext& ctx, std::string_view text) {
    markdown(text, open_is_outside(ctx) ? MarkdownLinks::Inert : MarkdownLinks::Shown);
}

void ask(const PanelContext& ctx, LessonRequest::Kind kind, std::string answer = {}) {
    ctx.request({kind, 0, std::move(answer)});
}

// The lab's answer as the student reads it, in the question's form.
std::string computed_text(const mm::StepRecord& r, mm::AnswerForm form) {
    return r.computed ? mm::format_answer(*r.computed, form)
                      : "(the lab could not compute it: " + r.computed_error + ")";
}

// A step's outcome in words, for the picker, the summary and the step itself.
const char* outcome_text(const mm::LessonStep& step, mm::StepStatus status) {
    switch (status) {
    case mm::StepStatus::NotStarted:
        return "not started";
    case mm::StepStatus::SetUp:
        return "open";
    case mm::StepStatus::Read:
        return "read";
    case mm::StepStatus::Shown:
        return step.prediction ? "shown (given up or passed)" : "shown (the lab ran its solution)";
    case mm::StepStatus::AfterHelp:
        return step.prediction ? "right after a wrong answer" : "done after hints";
    case mm::StepStatus::Unaided:
        return step.prediction ? "right first time" : "done unaided";
    }
    return "";
}

ImVec4 outcome_colour(mm::StepStatus status) {
    switch (status) {
    case mm::StepStatus::Unaided:
        return palette().ok;
    case mm::StepStatus::AfterHelp:
        return kHighlight;
    case mm::StepStatus::Shown:
        return palette().error;
    case mm::StepStatus::Read:
        return palette().note;
    case mm::StepStatus::NotStarted:
    case mm::StepStatus::SetUp:
        break;
    }
    return palette().dim;
}

// One small square per step, coloured by its outcome; hovering names the
// step and its outcome. `id` keeps the hover areas of several rows apart.
void draw_outcomes(const mm::LessonSession& session, const std::string& id) {
    const float size = ImGui::GetFontSize() * 0.6f;
    const float gap = size * 0.35f;
    const mm::Lesson& lesson = session.lesson();
    for (size_t s = 0; s < lesson.steps.size(); ++s) {
        if (s > 0) ImGui::SameLine(0.0f, gap);
        const mm::StepStatus status = session.record(s).status;
        const ImVec2 at = ImGui::GetCursorScreenPos();
        ImGui::InvisibleButton((id + std::to_string(s)).c_str(), ImVec2(size, size));
        ImDrawList* draw = ImGui::GetWindowDrawList();
        const ImVec2 end(at.x + size, at.y + size);
        if (mm::is_done(status))
            draw->AddRectFilled(at, end, ImGui::GetColorU32(outcome_colour(status)));
        else
            draw->AddRect(at, end, ImGui::GetColorU32(palette().dim));
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("%zu. %s: %s", s + 1, lesson.steps[s].title.c_str(),
                              outcome_text(lesson.steps[s], status));
    }
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
        ctx.session(static_cast<size_t>(ctx.view.player.lesson)).current() > 0)
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
        if (done > 0) draw_outcomes(ctx.sessions()[i], "##outcome-" + lesson.id + "-");
        ImGui::Unindent();
    }

    // Lessons opened from a file or a link in this visit (App::add_outside_lesson).
    for (size_t i = all.size(); i < ctx.lesson_count(); ++i) {
        if (i == all.size()) {
            ImGui::Spacing();
            ui::text_colored(palette().note, "Not from this site");
            ImGui::Separator();
        }
        const mm::LessonSession& session = ctx.session(i);
        const mm::Lesson& lesson = session.lesson();
        const std::string label = lesson.title + "###pick-outside-" + std::to_string(i);
        if (ImGui::Selectable(label.c_str(), false))
            ctx.request({LessonRequest::Kind::Open, i, {}});
        record(player, "pick:" + lesson.hash);
        const std::string mark =
            std::to_string(session.score().done) + " / " + std::to_string(lesson.steps.size());
        ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - ImGui::CalcTextSize(mark.c_str()).x);
        ui::text_colored(palette().dim, "%s", mark.c_str());
        ImGui::Indent();
        ImGui::PushStyleColor(ImGuiCol_Text, palette().dim);
        ui::text_wrapped("%s (%s.md, %s)", lesson.summary.c_str(), lesson.id.c_str(),
                         lesson.hash.c_str());
        ImGui::PopStyleColor();
        ImGui::Unindent();
    }
    ImGui::Spacing();
    ImGui::PushStyleColor(ImGuiCol_Text, palette().dim);
    ui::text_wrapped("Lessons > Open a lesson file..., or drop a lesson file on the page.");
    ImGui::PopStyleColor();
}

// The header of a lesson from outside the site: the mark, and the link that
// carries it (the page copies it: web/api.js).
void draw_outside_header(const PanelContext& ctx, const OutsideLesson& outside) {
    LessonPlayerState& player = ctx.view.player;
    ui::text_colored(palette().error, "not from this site");
    record(player, "outside_mark");
    if (ImGui::IsItemHovered()) {
        ImGui::BeginTooltip();
        ImGui::PushTextWrapPos(ImGui::GetFontSize() * 32.0f);
        ui::text_wrapped("This lesson was opened from a file or a link: mmlab does not ship it "
                         "and cannot vouch for it. Its links are not followed; its commands "
                         "run only on the simulated machine. Its progress is kept under its "
                         "content hash %s.",
                         outside.lesson.hash.c_str());
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
    }
    // Beside the mark when it fits: the panel may be narrow.
    const float width =
        ImGui::CalcTextSize("Copy link to this lesson").x + ImGui::GetStyle().FramePadding.x * 2.0f;
    if (ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + width <
        ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x)
        ImGui::SameLine();
    if (ImGui::SmallButton("Copy link to this lesson###lesson_link"))
        ctx.view.platform_request = PlatformRequest::CopyLessonLink;
    record(player, "lesson_link");
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("A link that carries this lesson's text (compressed), for students: "
                          "it opens the lesson with no file and no rebuild.");
}

// ---- Task --------------------------------------------------------------------------------

void draw_task(const PanelContext& ctx, const mm::LessonSession& session,
               const mm::LessonTask& task) {
    LessonPlayerState& player = ctx.view.player;
    const mm::StepRecord& r = session.record(session.current());
    ImGui::Separator();
    ui::text_colored(kHighlight, "Task");
    ImGui::SameLine();
    if (mm::is_done(r.status))
        ui::text_colored(outcome_colour(r.status), "%s", outcome_text(session.step(), r.status));
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
    prose(ctx, task.goal);

    // The buttons come before the hints, so that a hint shown below never
    // moves the Hint button from under the pointer.
    const int left = static_cast<int>(task.hints.size()) - r.hints_shown;
    ImGui::BeginDisabled(left <= 0);
    const std::string label = left > 0 ? "Hint (" + std::to_string(left) + " left)###hint"
                                       : std::string("No more hints###hint");
    if (ImGui::Button(label.c_str())) ask(ctx, LessonRequest::Kind::Hint);
    ImGui::EndDisabled();
    record(player, "hint");
    ImGui::SameLine();
    if (ImGui::Button("Show me###show_me")) ask(ctx, LessonRequest::Kind::ShowSolution);
    record(player, "show_me");
    if (ImGui::IsItemHovered()) {
        ImGui::BeginTooltip();
        ui::text("Runs the solution in the console (the step then counts as "
                 "shown):");
        ImGui::PushFont(mono_font());
        ui::text(mm::trim(task.solution));
        ImGui::PopFont();
        ImGui::EndTooltip();
    }
    for (int i = 0; i < r.hints_shown && i < static_cast<int>(task.hints.size()); ++i) {
        ui::text_colored(palette().note, "Hint %d:", i + 1);
        ImGui::SameLine();
        ImGui::PushTextWrapPos(0.0f);
        prose(ctx, task.hints[static_cast<size_t>(i)]);
        ImGui::PopTextWrapPos();
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
    // Answered right now, or given up: the lab's answer is shown. Until then
    // a wrong answer shows nothing of it.
    const bool closed = r.revealed || session.revealed();
    const bool right = closed && !r.attempts.empty() && r.attempts.back().right;
    ImGui::Separator();
    ui::text_colored(kHighlight, "Predict");
    ImGui::SameLine();
    if (right)
        ui::text_colored(palette().ok, "right");
    else if (closed)
        ui::text_disabled("shown");
    else if (r.retrying())
        ui::text_colored(palette().error, "not right yet");
    else
        ui::text_disabled("answer before the lab shows you");
    if (mm::is_done(r.status)) {
        ImGui::SameLine();
        ui::text_colored(outcome_colour(r.status), "(counts as %s)",
                         outcome_text(session.step(), r.status));
    }
    prose(ctx, prediction.question);

    ImGui::BeginDisabled(closed);
    if (!prediction.choices.empty()) {
        for (size_t i = 0; i < prediction.choices.size(); ++i) {
            const std::string& choice = prediction.choices[i];
            // Choices already tried and wrong stay red; once closed, the lab's is green.
            const bool tried_wrong =
                std::any_of(r.attempts.begin(), r.attempts.end(),
                            [&](const mm::Attempt& a) { return !a.right && a.answer == choice; });
            const bool correct = closed && r.computed && mm::answer_matches(*r.computed, choice);
            if (tried_wrong || correct)
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
            if (tried_wrong || correct) ImGui::PopStyleColor();
        }
    } else {
        // No character filter: ImGuiInputTextFlags_CharsDecimal lets only
        // "0123456789.+-*/" through and so dropped the x of 0x38000; the
        // session reads and refuses what is typed (mm::answer_number).
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8.0f);
        const char* hint =
            prediction.form == mm::AnswerForm::Fraction ? "e.g. 0.250" : "e.g. 42, 0x2a, 4K";
        const bool entered = input_string("##number", hint, player.number_input,
                                          ImGuiInputTextFlags_EnterReturnsTrue);
        record(player, "number");
        ImGui::SameLine();
        const bool clicked = ImGui::Button("Answer###answer");
        record(player, "answer");
        if ((entered || clicked) && !mm::trim(player.number_input).empty())
            ask(ctx, LessonRequest::Kind::Answer, std::string(mm::trim(player.number_input)));
    }
    if (!prediction.choices.empty()) ImGui::SameLine();
    if (ImGui::Button("Give up: show me###give_up")) ask(ctx, LessonRequest::Kind::ShowSolution);
    record(player, "give_up");
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Shows the lab's answer and runs what it predicts; the question then "
                          "counts as shown.");
    ImGui::EndDisabled();

    if (!closed) {
        if (r.retrying()) {
            // Why: the answer as the lab read it, not the answer itself.
            const std::string& given = r.attempts.back().answer;
            std::string read_as;
            if (prediction.choices.empty())
                if (std::optional<int64_t> v = mm::answer_number(given, prediction.form))
                    if (std::to_string(*v) != given &&
                        mm::format_answer(mm::Value::integer(*v), prediction.form) != given)
                        read_as = " (read as " + std::to_string(*v) + ")";
            ImGui::PushStyleColor(ImGuiCol_Text, palette().error);
            ui::text_wrapped("%s%s is not right. Try again, or give up to see the answer.",
                             given.c_str(), read_as.c_str());
            ImGui::PopStyleColor();
            record(player, "feedback");
        }
        return;
    }
    if (right)
        ui::text_colored(palette().ok, "Right: %s.", computed_text(r, prediction.form).c_str());
    else
        ui::text_colored(palette().note, "The lab says %s.",
                         computed_text(r, prediction.form).c_str());
    record(player, "feedback");
    if (!prediction.explain.empty()) prose(ctx, prediction.explain);
    if (!mm::trim(prediction.reveal).empty()) {
        ui::text_disabled(session.revealed() ? "Ran:" : "Runs when you go on:");
        ImGui::SameLine();
        ImGui::PushFont(mono_font());
        ui::text_colored(palette().prompt, "%s", std::string(mm::trim(prediction.reveal)).c_str());
        ImGui::PopFont();
    }
}

// ---- Summary ---------------------------------------------------------------------------

// The end of a lesson: every step's outcome, the steps not right first time,
// the lesson's recap, and the next lesson of the library to open.
void draw_summary(const PanelContext& ctx, const mm::LessonSession& session) {
    LessonPlayerState& player = ctx.view.player;
    const mm::Lesson& lesson = session.lesson();
    const mm::LessonScore score = session.score();
    ui::text_colored(kHighlight, "Lesson finished");
    ui::text_wrapped("%zu of %zu steps done. Tasks: %zu unaided, %zu after hints, %zu shown. "
                     "Questions: %zu right first time, %zu after a wrong answer, %zu shown.",
                     score.done, score.steps, score.tasks_unaided, score.tasks_after_hints,
                     score.tasks_shown, score.right_first, score.right_later,
                     score.questions_shown);
    draw_outcomes(session, "##summary-");
    // The way on first, where the student looks, before the details.
    // An outside lesson stands alone: no lesson of the site follows it.
    const std::vector<mm::Lesson>& all = mm::lessons();
    const size_t next = static_cast<size_t>(player.lesson) + 1;
    if (open_is_outside(ctx)) {
        ui::text_wrapped("That was a lesson from outside this site.");
    } else if (next < all.size()) {
        const std::string label = "Next lesson: " + all[next].title + " >###next_lesson";
        if (ImGui::Button(label.c_str())) ctx.request({LessonRequest::Kind::Open, next, {}});
        record(player, "next_lesson");
    } else {
        ui::text_wrapped("That was the last lesson.");
    }
    ImGui::SameLine();
    if (ImGui::Button("Back to the lessons###summary_picker")) ask(ctx, LessonRequest::Kind::Close);
    record(player, "summary_picker");
    ImGui::Separator();
    std::vector<size_t> again;
    for (size_t s = 0; s < lesson.steps.size(); ++s) {
        const mm::LessonStep& step = lesson.steps[s];
        const mm::StepStatus status = session.record(s).status;
        ImGui::PushStyleColor(ImGuiCol_Text, outcome_colour(status));
        ui::text_wrapped("%zu. %s: %s", s + 1, step.title.c_str(), outcome_text(step, status));
        ImGui::PopStyleColor();
        if ((step.task || step.prediction) && status != mm::StepStatus::Unaided) again.push_back(s);
    }
    if (!again.empty()) {
        ImGui::Spacing();
        ui::text_colored(palette().note, "Not right first time (worth another look):");
        for (size_t s : again) {
            const std::string label = std::to_string(s + 1) + ". " + lesson.steps[s].title +
                                      "###again" + std::to_string(s);
            if (ImGui::SmallButton(label.c_str()))
                ctx.request({LessonRequest::Kind::Open, static_cast<size_t>(player.lesson), {}, s});
            record(player, "again:" + std::to_string(s + 1));
        }
    }
    if (!lesson.recap.empty()) {
        ImGui::Spacing();
        ui::text_colored(palette().note, "Recap");
        prose(ctx, lesson.recap);
    }
}

// ---- Student id ------------------------------------------------------------------------------

// A lesson whose numbers are drawn per student (core/lesson/variant.h) asks
// for the student's id once, before it opens (App::set_student keeps it for
// every such lesson; the page keeps it in the browser).
void draw_student_prompt(const PanelContext& ctx) {
    LessonPlayerState& player = ctx.view.player;
    const size_t index = static_cast<size_t>(player.ask_student);
    if (ImGui::SmallButton("< Lessons")) player.ask_student = -1;
    record(player, "picker");
    ImGui::SameLine();
    ui::text_wrapped("%s", ctx.session(index).lesson().title.c_str());
    ImGui::Separator();
    ui::text_wrapped("This lesson draws its numbers for each student, so that everyone works "
                     "on a machine of their own. Your student id, as your course knows you "
                     "(asked once; it goes into your submission):");
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 14.0f);
    const bool entered = input_string("##student", "e.g. s1234567", player.student_input,
                                      ImGuiInputTextFlags_EnterReturnsTrue);
    record(player, "student");
    ImGui::SameLine();
    const std::string_view typed = mm::trim(player.student_input);
    ImGui::BeginDisabled(typed.empty());
    const bool clicked = ImGui::Button("Start###student_start");
    ImGui::EndDisabled();
    record(player, "student_start");
    if ((entered || clicked) && !typed.empty()) {
        ctx.request({LessonRequest::Kind::SetStudent, index, std::string(typed)});
        player.ask_student = -1;
    }
}

// ---- Player --------------------------------------------------------------------------------

void draw_player(const PanelContext& ctx) {
    LessonPlayerState& player = ctx.view.player;
    const mm::LessonSession& session = ctx.session(static_cast<size_t>(player.lesson));
    const mm::Lesson& lesson = session.lesson();
    const size_t count = lesson.steps.size();
    const size_t current = session.current();
    const mm::LessonStep& step = session.step();

    // Header: back to the picker, the lesson, where in it.
    if (ImGui::SmallButton("< Lessons")) ask(ctx, LessonRequest::Kind::Close);
    record(player, "picker");
    ImGui::SameLine();
    ui::text(lesson.title.c_str());
    if (const OutsideLesson* outside = ctx.outside(static_cast<size_t>(player.lesson)))
        draw_outside_header(ctx, *outside);
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
    ImGui::BeginDisabled(session.finished());
    if (ImGui::Button(current + 1 < count ? "Next >###next" : "Finish###next"))
        ask(ctx, LessonRequest::Kind::Next);
    ImGui::EndDisabled();
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
    // On the same row when it fits (a narrow panel puts it below). The page
    // writes the file (web/api.js): ui/ has no file system.
    const char* submit_label = "Submit for grading###submit";
    const float submit_width =
        ImGui::CalcTextSize("Submit for grading").x + ImGui::GetStyle().FramePadding.x * 2.0f;
    if (ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + submit_width <
        ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x)
        ImGui::SameLine();
    if (ImGui::Button(submit_label)) ctx.view.platform_request = PlatformRequest::Submit;
    record(player, "submit");
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Downloads this lesson's submission file (every step's outcome, with "
                          "the commands and answers that made it) to hand in: `mmlab --grade` "
                          "grades it.");
    // The rule, in the player itself and not only in a tooltip.
    if ((step.task || step.prediction) && !session.finished() &&
        !mm::is_done(session.record(current).status)) {
        ImGui::PushStyleColor(ImGuiCol_Text, palette().dim);
        ui::text_wrapped("Next on an unanswered step shows the answer and counts it as shown.");
        ImGui::PopStyleColor();
        record(player, "next_rule");
    }

    // The step: prose, then its task or prediction; or, once the last step
    // is left, the lesson's summary.
    ImGui::Separator();
    ImGui::BeginChild("##step", ImVec2(0.0f, 0.0f), false);
    if (session.finished()) {
        draw_summary(ctx, session);
        ImGui::EndChild();
        return;
    }
    if (current == 0 && !lesson.intro.empty()) prose(ctx, lesson.intro);
    ImGui::PushStyleColor(ImGuiCol_Text, kHighlight);
    ImGui::SetWindowFontScale(1.15f);
    ui::text_wrapped("%zu. %s", current + 1, step.title.c_str());
    ImGui::SetWindowFontScale(1.0f);
    ImGui::PopStyleColor();
    ImGui::Separator();
    prose(ctx, step.body);
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
    if (player.ask_student >= 0 && static_cast<size_t>(player.ask_student) < ctx.lesson_count())
        draw_student_prompt(ctx);
    else if (player.lesson < 0 || static_cast<size_t>(player.lesson) >= ctx.lesson_count())
        draw_picker(ctx);
    else
        draw_player(ctx);
    ImGui::End();
}

bool hidden(const PanelContext& ctx, std::string_view what) {
    const int lesson = ctx.view.player.lesson;
    if (lesson < 0 || static_cast<size_t>(lesson) >= ctx.lesson_count()) return false;
    const mm::LessonSession& session = ctx.session(static_cast<size_t>(lesson));
    if (!session.started() || session.finished() || !session.step().prediction) return false;
    if (session.revealed() || session.record(session.current()).revealed) return false;
    const std::vector<std::string>& hide = session.step().prediction->hide;
    return std::find(hide.begin(), hide.end(), what) != hide.end();
}

std::string unless_hidden(const PanelContext& ctx, std::string_view what, std::string value) {
    return hidden(ctx, what) ? std::string(kHiddenValue) : value;
}

} // namespace ui
