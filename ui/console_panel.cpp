// The console panel: the scrollback of commands with their output and errors,
// and the input line (Enter queues the command, Up/Down walk the input
// history, Tab completes). The same command language as mmlab, lessons and
// the JS API (../shared/CONSOLE.md).
#include "ui/completion.h"
#include "ui/help.h"
#include "ui/panels.h"

#include <imgui.h>

#include <string>
#include <string_view>

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
        if (console.history_pos != -1 && ++console.history_pos >= size) console.history_pos = -1;
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

// A hex number in output text is a pfn the student can click (alloc_pages,
// free_pages, free_list and boot print pfns in hex): it selects the frame in
// every panel and scrolls the map to it.
bool pfn_link(const PanelContext& ctx, std::string_view token) {
    uint64_t pfn = 0;
    for (char c : token.substr(2))
        pfn = pfn * 16 + static_cast<uint64_t>(c <= '9' ? c - '0' : c - 'a' + 10);
    if (pfn >= ctx.lab.machine().max_pfn()) return false;
    const Palette& colours = palette();
    ImGui::PushStyleColor(ImGuiCol_Text, colours.link);
    ImGui::TextUnformatted(token.data(), token.data() + token.size());
    ImGui::PopStyleColor();
    if (ImGui::IsItemHovered()) {
        const ImVec2 min = ImGui::GetItemRectMin(), max = ImGui::GetItemRectMax();
        ImGui::GetWindowDrawList()->AddLine(ImVec2(min.x, max.y), max,
                                            ImGui::GetColorU32(colours.link));
        ImGui::SetTooltip("pfn %.*s: click to select it on the map and in the free lists",
                          static_cast<int>(token.size()), token.data());
        if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
            ctx.view.selected_pfn = pfn;
            ctx.view.map.reveal_selection = true;
        }
    }
    return true;
}

bool is_hex_digit(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

// One line of output with its 0x... numbers drawn as pfn links.
void linked_line(const PanelContext& ctx, std::string_view line) {
    size_t start = 0, i = 0;
    bool first = true;
    auto flush = [&](size_t end) {
        if (end <= start) return;
        if (!first) ImGui::SameLine(0.0f, 0.0f);
        ImGui::TextUnformatted(line.data() + start, line.data() + end);
        first = false;
    };
    while (i + 2 < line.size()) {
        const bool word_start = i == 0 || !is_hex_digit(line[i - 1]) || line[i - 1] == ' ';
        if (word_start && line[i] == '0' && line[i + 1] == 'x' && is_hex_digit(line[i + 2])) {
            size_t end = i + 2;
            while (end < line.size() && is_hex_digit(line[end]))
                ++end;
            flush(i);
            if (!first) ImGui::SameLine(0.0f, 0.0f);
            if (!pfn_link(ctx, line.substr(i, end - i)))
                ImGui::TextUnformatted(line.data() + i, line.data() + end);
            first = false;
            start = i = end;
            continue;
        }
        ++i;
    }
    flush(line.size());
    if (first) ImGui::TextUnformatted("");
}

// Output text: lines with a hex number get pfn links, the rest is drawn as is.
void output_block(const PanelContext& ctx, const std::string& text) {
    if (text.find("0x") == std::string::npos) {
        text_block(text);
        return;
    }
    std::string_view rest(text);
    if (!rest.empty() && rest.back() == '\n') rest.remove_suffix(1);
    for (;;) {
        const size_t nl = rest.find('\n');
        const std::string_view line = rest.substr(0, nl);
        if (line.find("0x") == std::string_view::npos)
            ImGui::TextUnformatted(line.data(), line.data() + line.size());
        else
            linked_line(ctx, line);
        if (nl == std::string_view::npos) break;
        rest.remove_prefix(nl + 1);
    }
}

// Prose (notes, errors) wraps at the visible right edge of the scrollback;
// command output keeps its lines (tables) and scrolls sideways. With a
// horizontal scrollbar ImGui's default wrap point is the widest line, so the
// edge is given in the window's own coordinates, whatever the scroll.
void push_wrap_at_visible_edge() {
    ImGui::PushTextWrapPos(ImGui::GetWindowContentRegionMax().x + ImGui::GetScrollX());
}

void draw_entry(const PanelContext& ctx, const ConsoleEntry& entry) {
    const Palette& colours = palette();
    if (entry.kind == ConsoleEntry::Kind::Note) {
        ImGui::PushStyleColor(ImGuiCol_Text, colours.note);
        push_wrap_at_visible_edge();
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
    output_block(ctx, entry.out);
    if (!entry.ok) {
        ImGui::PushStyleColor(ImGuiCol_Text, colours.error);
        push_wrap_at_visible_edge();
        text_block(entry.error);
        ImGui::PopTextWrapPos();
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
    const auto button_width = [](const char* label) {
        return ImGui::CalcTextSize(label).x + ImGui::GetStyle().FramePadding.x * 2.0f;
    };
    same_line_if_fits(button_width("Clear scrollback"));
    if (ImGui::SmallButton("Clear scrollback")) console.entries.clear();
    // The two command buttons stay together, on this line or the next.
    ImGui::PushFont(mono_font());
    same_line_if_fits(button_width("help") + ImGui::GetStyle().ItemSpacing.x +
                      button_width("history"));
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
    for (const ConsoleEntry& entry : console.entries)
        draw_entry(ctx, entry);
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
