// The console panel: the scrollback of commands with their output and errors,
// and the input line (Enter queues the command, Up/Down walk the input
// history, Tab completes). The same command language as mmlab, lessons and
// the JS API (../shared/CONSOLE.md).
#include "ui/completion.h"
#include "ui/help.h"
#include "ui/panels.h"

#include <imgui.h>

#include <string>

namespace ui {

namespace {

constexpr const char* kConsoleHelp =
    "Every change to the simulated machine is a command, and this is where they run. "
    "Buttons and menu items append the command they stand for here, so the text form is "
    "always in view; lessons, share links and the native `mmlab` program use the same "
    "language.\n\n"
    "Enter runs the line (several commands may be separated by ';'). Up and Down walk the "
    "commands run so far. Tab completes command names, file paths (/proc, /sys) and GFP "
    "flag names after gfp=.\n\n"
    "Try: help, alloc_pages order=3, cat /proc/buddyinfo, undo.";

// What the input line's callback needs.
struct InputContext {
    const PanelContext* ctx;
    ConsoleState* console;
};

void replace_line(ImGuiInputTextCallbackData* data, const std::string& text) {
    data->DeleteChars(0, data->BufTextLen);
    data->InsertChars(0, text.c_str());
}

void on_history(ImGuiInputTextCallbackData* data, ConsoleState& console) {
    const int size = static_cast<int>(console.input_history.size());
    const int before = console.history_pos;
    if (data->EventKey == ImGuiKey_UpArrow) {
        if (console.history_pos == -1) {
            if (size == 0) return;
            console.saved_input.assign(data->Buf, static_cast<size_t>(data->BufTextLen));
            console.history_pos = size - 1;
        } else if (console.history_pos > 0) {
            --console.history_pos;
        }
    } else if (data->EventKey == ImGuiKey_DownArrow) {
        if (console.history_pos != -1 && ++console.history_pos >= size)
            console.history_pos = -1;
    }
    if (before == console.history_pos) return;
    replace_line(data, console.history_pos >= 0
                           ? console.input_history[static_cast<size_t>(console.history_pos)]
                           : console.saved_input);
}

void on_completion(ImGuiInputTextCallbackData* data, const PanelContext& ctx,
                   ConsoleState& console) {
    const std::string_view line(data->Buf, static_cast<size_t>(data->BufTextLen));
    const Completion done = complete(line, static_cast<size_t>(data->CursorPos),
                                     mm::Lab::command_names(), ctx.lab.file_paths());
    if (done.match == Completion::Match::None) return;
    data->DeleteChars(static_cast<int>(done.word_start),
                      static_cast<int>(done.word_end - done.word_start));
    data->InsertChars(static_cast<int>(done.word_start), done.replacement.c_str());
    if (done.match == Completion::Match::Many) {
        std::string list;
        for (const std::string& candidate : done.candidates) {
            if (!list.empty()) list += "  ";
            list += candidate;
        }
        ConsoleEntry note;
        note.kind = ConsoleEntry::Kind::Note;
        note.cmd = std::move(list);
        console.entries.push_back(std::move(note));
        console.scroll_to_bottom = true;
    }
}

int input_callback(ImGuiInputTextCallbackData* data) {
    auto* input = static_cast<InputContext*>(data->UserData);
    if (data->EventFlag == ImGuiInputTextFlags_CallbackHistory)
        on_history(data, *input->console);
    else if (data->EventFlag == ImGuiInputTextFlags_CallbackCompletion)
        on_completion(data, *input->ctx, *input->console);
    return 0;
}

// Text without its final newline (TextUnformatted would draw an empty line).
void text_block(const std::string& text) {
    const char* end = text.data() + text.size();
    if (end != text.data() && end[-1] == '\n') --end;
    if (end != text.data()) ImGui::TextUnformatted(text.data(), end);
}

void draw_entry(const ConsoleEntry& entry) {
    const Palette& colours = palette();
    if (entry.kind == ConsoleEntry::Kind::Note) {
        ImGui::PushStyleColor(ImGuiCol_Text, colours.note);
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextUnformatted(entry.cmd.c_str());
        ImGui::PopTextWrapPos();
        ImGui::PopStyleColor();
        return;
    }
    ImGui::PushStyleColor(ImGuiCol_Text, colours.prompt);
    ImGui::TextUnformatted("$");
    ImGui::SameLine();
    ImGui::TextUnformatted(entry.cmd.c_str());
    ImGui::PopStyleColor();
    // A comment (valid console syntax) says where a command did not come
    // from the keyboard: a click is a command too.
    if (entry.source != CommandSource::Typed) {
        ImGui::SameLine();
        ImGui::TextColored(colours.dim, "%s",
                           entry.source == CommandSource::Control ? "# clicked" : "# mmlab.run");
    }
    text_block(entry.out);
    if (!entry.ok) {
        ImGui::PushStyleColor(ImGuiCol_Text, colours.error);
        text_block(entry.error);
        ImGui::PopStyleColor();
    }
}

} // namespace

void console_panel(const PanelContext& ctx, bool* open) {
    ConsoleState& console = ctx.view.console;
    if (!ImGui::Begin("Console###console", open)) {
        ImGui::End();
        return;
    }

    // Header: what the console is, and the view-only actions.
    help_marker(kConsoleHelp);
    ImGui::SameLine();
    ImGui::Checkbox("Autoscroll", &console.autoscroll);
    ImGui::SameLine();
    if (ImGui::SmallButton("Clear scrollback")) console.entries.clear();
    ImGui::SameLine();
    ImGui::PushFont(mono_font());
    if (ImGui::SmallButton("help")) ctx.queue("help");
    ImGui::SameLine();
    if (ImGui::SmallButton("history")) ctx.queue("history");
    ImGui::PopFont();
    ImGui::Separator();

    // Scrollback, leaving room for the input line.
    const float footer = ImGui::GetStyle().ItemSpacing.y + ImGui::GetFrameHeightWithSpacing();
    ImGui::BeginChild("##scrollback", ImVec2(0.0f, -footer), false,
                      ImGuiWindowFlags_HorizontalScrollbar);
    ImGui::PushFont(mono_font());
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(4.0f, 1.0f));
    for (const ConsoleEntry& entry : console.entries) draw_entry(entry);
    ImGui::PopStyleVar();
    ImGui::PopFont();
    if (console.scroll_to_bottom ||
        (console.autoscroll && ImGui::GetScrollY() >= ImGui::GetScrollMaxY()))
        ImGui::SetScrollHereY(1.0f);
    console.scroll_to_bottom = false;
    ImGui::EndChild();
    ImGui::Separator();

    // The input line.
    ImGui::PushFont(mono_font());
    ImGui::AlignTextToFramePadding();
    ImGui::TextColored(palette().prompt, "$");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(-1.0f);
    if (console.focus_input) {
        ImGui::SetKeyboardFocusHere();
        console.focus_input = false;
    }
    InputContext input{&ctx, &console};
    const ImGuiInputTextFlags flags = ImGuiInputTextFlags_EnterReturnsTrue |
                                      ImGuiInputTextFlags_CallbackHistory |
                                      ImGuiInputTextFlags_CallbackCompletion;
    if (input_string("##input", "a command: Enter runs, Tab completes, Up/Down: history",
                     console.input, flags, input_callback, &input)) {
        std::string text = console.input;
        if (text.find_first_not_of(" \t") != std::string::npos)
            ctx.queue(std::move(text), CommandSource::Typed);
        console.input.clear();
        console.history_pos = -1;
        console.saved_input.clear();
        // Enter takes the focus away from the line: give it back.
        ImGui::SetKeyboardFocusHere(-1);
    }
    ImGui::PopFont();
    ImGui::End();
}

} // namespace ui
