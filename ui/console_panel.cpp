// The console panel: the scrollback of commands with their output and errors,
// and the input line (Enter queues the command, Up/Down walk the input
// history, Tab completes). The same command language as mmlab, lessons and
// the JS API (docs/console.md).
#include "core/base/text.h"
#include "ui/completion.h"
#include "ui/help.h"
#include "ui/panels.h"
#include "ui/text.h"

#include <imgui.h>

#include <algorithm>
#include <charconv>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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
    if (end != text.data())
        ui::text(std::string_view(text.data(), static_cast<size_t>(end - text.data())));
}

bool ends_with(std::string_view text, std::string_view tail) {
    return text.size() >= tail.size() && text.substr(text.size() - tail.size()) == tail;
}

// A JSON number that can be a pfn.
std::optional<mm::Pfn> as_pfn(const nlohmann::ordered_json& value) {
    if (value.is_number_unsigned()) return mm::Pfn{value.get<uint64_t>()};
    if (value.is_number_integer() && value.get<int64_t>() >= 0)
        return mm::Pfn{static_cast<uint64_t>(value.get<int64_t>())};
    return std::nullopt;
}

// Adds the pfns `value` names (find_pfn_links) to `pfns`.
void collect_pfns(const nlohmann::ordered_json& value, std::vector<mm::Pfn>& pfns) {
    if (value.is_array()) {
        for (const nlohmann::ordered_json& item : value)
            collect_pfns(item, pfns);
        return;
    }
    if (!value.is_object()) return;
    for (auto it = value.begin(); it != value.end(); ++it) {
        const std::string_view key = it.key();
        const nlohmann::ordered_json& field = it.value();
        if (key == "pfns" && field.is_array()) {
            for (const nlohmann::ordered_json& item : field)
                if (const std::optional<mm::Pfn> pfn = as_pfn(item)) pfns.push_back(*pfn);
        } else if ((key == "pfn" || ends_with(key, "_pfn")) && as_pfn(field)) {
            const mm::Pfn pfn = *as_pfn(field);
            if (!ends_with(key, "end_pfn"))
                pfns.push_back(pfn);
            else if (pfn > mm::Pfn{0})
                pfns.push_back(pfn - 1);
        } else {
            collect_pfns(field, pfns);
        }
    }
}

bool is_word_char(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

bool is_hex_digit(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

// A pfn link: clicking it selects the frame in every panel and scrolls the
// map to it.
void pfn_link(const PanelContext& ctx, std::string_view token, mm::Pfn pfn) {
    const Palette& colours = palette();
    ImGui::PushStyleColor(ImGuiCol_Text, colours.link);
    ui::text(token);
    ImGui::PopStyleColor();
    const ImVec2 min = ImGui::GetItemRectMin(), max = ImGui::GetItemRectMax();
    ctx.view.console.drawn_links.push_back(
        {"pfn:" + std::string(token), min.x, min.y, max.x - min.x, max.y - min.y});
    if (ImGui::IsItemHovered()) {
        ImGui::GetWindowDrawList()->AddLine(ImVec2(min.x, max.y), max,
                                            ImGui::GetColorU32(colours.link));
        ImGui::SetTooltip("pfn %.*s: click to select it on the map and in the free lists",
                          static_cast<int>(token.size()), token.data());
        if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
            ctx.view.selected_pfn = pfn;
            ctx.view.map.reveal_selection = true;
        }
    }
}

// The line of `out` at [begin, end) with its links (those of `links` from
// `*next` on that start in it) drawn as pfn links.
void linked_line(const PanelContext& ctx, std::string_view out, size_t begin, size_t end,
                 const std::vector<PfnLink>& links, size_t* next) {
    size_t at = begin;
    bool first = true;
    auto piece = [&](size_t to) {
        if (to <= at) return;
        if (!first) ImGui::SameLine(0.0f, 0.0f);
        ui::text(std::string_view(out).substr(at, to - at));
        first = false;
        at = to;
    };
    const mm::Pfn max_pfn = ctx.lab.machine().max_pfn();
    for (; *next < links.size() && links[*next].begin < end; ++*next) {
        const PfnLink& link = links[*next];
        piece(link.begin);
        // A link from before a reboot may name a frame the machine lacks.
        if (link.pfn >= max_pfn) continue;
        if (!first) ImGui::SameLine(0.0f, 0.0f);
        pfn_link(ctx, out.substr(link.begin, link.end - link.begin), link.pfn);
        first = false;
        at = link.end;
    }
    piece(end);
    if (first) ui::text("");
}

// A line of a table: text, then a run of spaces that lines up a column.
bool has_columns(std::string_view line) {
    const size_t text = line.find_first_not_of(' ');
    return text != std::string_view::npos && line.find("  ", text) != std::string_view::npos;
}

void push_wrap_at_visible_edge();

// Prose output (`help`): each line wraps at the visible edge, its
// continuation indented as the line is (the steps of a numbered outline);
// table lines keep their columns.
void prose_block(std::string_view out) {
    if (!out.empty() && out.back() == '\n') out.remove_suffix(1);
    const float space = ImGui::CalcTextSize(" ").x;
    for (size_t begin = 0; begin <= out.size();) {
        const size_t nl = std::min(out.find('\n', begin), out.size());
        const std::string_view line = out.substr(begin, nl - begin);
        const size_t text = std::min(line.find_first_not_of(' '), line.size());
        if (line.empty() || has_columns(line)) {
            ui::text(line);
        } else {
            const float indent = space * static_cast<float>(text);
            if (indent > 0.0f) ImGui::Indent(indent);
            push_wrap_at_visible_edge();
            text_wrapped("%.*s", static_cast<int>(line.size() - text), line.data() + text);
            ImGui::PopTextWrapPos();
            if (indent > 0.0f) ImGui::Unindent(indent);
        }
        begin = nl + 1;
    }
}

// Output text, its pfns drawn as links.
void output_block(const PanelContext& ctx, const ConsoleEntry& entry) {
    if (entry.form == OutputForm::Prose && entry.links.empty()) {
        prose_block(entry.out);
        return;
    }
    if (entry.links.empty()) {
        text_block(entry.out);
        return;
    }
    std::string_view out(entry.out);
    if (!out.empty() && out.back() == '\n') out.remove_suffix(1);
    size_t next = 0;
    for (size_t begin = 0;;) {
        const size_t nl = std::min(out.find('\n', begin), out.size());
        if (next < entry.links.size() && entry.links[next].begin < nl)
            linked_line(ctx, out, begin, nl, entry.links, &next);
        else
            ui::text(std::string_view(out).substr(begin, nl - begin));
        if (nl == out.size()) break;
        begin = nl + 1;
    }
}

} // namespace

OutputForm output_form(std::string_view cmd) {
    const std::string_view line = mm::trim(cmd);
    const std::string_view name = line.substr(0, line.find_first_of(" \t"));
    return name == "help" ? OutputForm::Prose : OutputForm::Columns;
}

std::vector<PfnLink> find_pfn_links(std::string_view out, const nlohmann::ordered_json& data) {
    std::vector<PfnLink> links;
    std::vector<mm::Pfn> pfns;
    collect_pfns(data, pfns);
    if (pfns.empty()) return links;
    std::sort(pfns.begin(), pfns.end());
    for (size_t i = 0; i + 2 < out.size(); ++i) {
        if ((i > 0 && is_word_char(out[i - 1])) || out[i] != '0' || out[i + 1] != 'x' ||
            !is_hex_digit(out[i + 2]))
            continue;
        size_t end = i + 2;
        while (end < out.size() && is_hex_digit(out[end]))
            ++end;
        uint64_t value = 0;
        const auto [ptr, ec] = std::from_chars(out.data() + i + 2, out.data() + end, value, 16);
        const bool whole = ec == std::errc() && ptr == out.data() + end &&
                           (end == out.size() || !is_word_char(out[end]));
        if (whole && std::binary_search(pfns.begin(), pfns.end(), mm::Pfn{value}))
            links.push_back({static_cast<uint32_t>(i), static_cast<uint32_t>(end), mm::Pfn{value}});
        i = end - 1;
    }
    return links;
}

namespace {

// Prose (notes, errors) wraps at the visible right edge of the scrollback;
// command output keeps its lines (tables) and scrolls sideways. With a
// horizontal scrollbar ImGui's default wrap point is the widest line, so the
// edge is given in the window's own coordinates, whatever the scroll.
void push_wrap_at_visible_edge() {
    ImGui::PushTextWrapPos(ImGui::GetWindowContentRegionMax().x + ImGui::GetScrollX());
}

// Output this long (lines), or wider than the scrollback shows, gets a
// button that opens it in the platform's reader.
constexpr size_t kReaderLines = 24;

bool wants_reader(const ConsoleEntry& entry) {
    size_t lines = 0, widest = 0, begin = 0;
    const std::string_view out(entry.out);
    while (begin < out.size()) {
        const size_t nl = std::min(out.find('\n', begin), out.size());
        widest = std::max(widest, nl - begin);
        ++lines;
        begin = nl + 1;
    }
    if (lines >= kReaderLines) return true;
    // The scrollback's font is monospace: one glyph's advance times the
    // widest line's characters (as bytes: the output is ASCII).
    const float visible =
        ImGui::GetWindowContentRegionMax().x - ImGui::GetWindowContentRegionMin().x;
    return static_cast<float>(widest) * ImGui::CalcTextSize("0").x > visible;
}

// "Open in reader" under a long output: the whole text in the platform's
// reader (ui::Platform::open_reader), where the browser can select it.
void reader_button(const PanelContext& ctx, const ConsoleEntry& entry) {
    Platform* platform = ctx.platform();
    if (platform == nullptr || !platform->has_reader() || !wants_reader(entry)) return;
    ImGui::PushID(static_cast<int>(entry.number));
    ImGui::PushFont(nullptr); // the UI font: a button, not output
    const bool clicked = ImGui::SmallButton("Open in reader");
    ImGui::PopFont();
    ImGui::PopID();
    const ImVec2 min = ImGui::GetItemRectMin(), size = ImGui::GetItemRectSize();
    ctx.view.console.reader_buttons.push_back(
        {"reader:" + std::to_string(entry.number), min.x, min.y, size.x, size.y});
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("The whole output over the lab, unwrapped, to read, select and copy "
                          "(Escape closes it).");
    if (clicked) {
        std::string_view out(entry.out);
        if (!out.empty() && out.back() == '\n') out.remove_suffix(1);
        platform->open_reader("$ " + entry.cmd, out);
    }
}

void draw_entry(const PanelContext& ctx, const ConsoleEntry& entry) {
    const Palette& colours = palette();
    if (entry.kind == ConsoleEntry::Kind::Note) {
        ImGui::PushStyleColor(ImGuiCol_Text, colours.note);
        push_wrap_at_visible_edge();
        ui::text(entry.cmd.c_str());
        ImGui::PopTextWrapPos();
        ImGui::PopStyleColor();
        return;
    }
    ImGui::PushStyleColor(ImGuiCol_Text, colours.prompt);
    ui::text("$");
    ImGui::SameLine();
    ui::text(entry.cmd.c_str());
    ImGui::PopStyleColor();
    // A comment (valid console syntax) says where a command did not come
    // from the keyboard: a click is a command too.
    if (entry.source != CommandSource::Typed) {
        ImGui::SameLine();
        ui::text_colored(colours.dim, "%s",
                         entry.source == CommandSource::Control ? "# clicked" : "# mmlab.run");
    }
    output_block(ctx, entry);
    reader_button(ctx, entry);
    if (!entry.ok) {
        ImGui::PushStyleColor(ImGuiCol_Text, colours.error);
        push_wrap_at_visible_edge();
        text_block(entry.error);
        ImGui::PopTextWrapPos();
        ImGui::PopStyleColor();
    }
}

// The header: what the console is, and the view-only actions.
void draw_header(const PanelContext& ctx, ConsoleState& console) {
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
}

// The scrollback, leaving room for the input line.
void draw_scrollback(const PanelContext& ctx, ConsoleState& console) {
    const float footer = ImGui::GetStyle().ItemSpacing.y + ImGui::GetFrameHeightWithSpacing();
    ImGui::BeginChild("##scrollback", ImVec2(0.0f, -footer), false,
                      ImGuiWindowFlags_HorizontalScrollbar);
    ImGui::PushFont(mono_font());
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(4.0f, 1.0f));
    console.drawn_entries.clear();
    const size_t first_recorded =
        console.entries.size() - std::min(console.entries.size(), ConsoleState::kDrawnEntries);
    for (size_t i = 0; i < console.entries.size(); ++i) {
        if (i < first_recorded) {
            draw_entry(ctx, console.entries[i]);
            continue;
        }
        ImGui::BeginGroup();
        draw_entry(ctx, console.entries[i]);
        ImGui::EndGroup();
        const ImVec2 min = ImGui::GetItemRectMin(), max = ImGui::GetItemRectMax();
        console.drawn_entries.push_back({min.x, min.y, max.x - min.x, max.y - min.y});
    }
    // The content region moves with the scroll: the visible part is where
    // it is at scroll 0.
    const ImVec2 origin = ImGui::GetWindowPos();
    const ImVec2 region_min = ImGui::GetWindowContentRegionMin();
    const ImVec2 region_max = ImGui::GetWindowContentRegionMax();
    console.visible = {origin.x + region_min.x + ImGui::GetScrollX(),
                       origin.y + region_min.y + ImGui::GetScrollY(), region_max.x - region_min.x,
                       region_max.y - region_min.y};
    console.scroll_x = ImGui::GetScrollX();
    console.scroll_max_x = ImGui::GetScrollMaxX();
    ImGui::PopStyleVar();
    ImGui::PopFont();
    if (console.scroll_to_bottom ||
        (console.autoscroll && ImGui::GetScrollY() >= ImGui::GetScrollMaxY()))
        ImGui::SetScrollHereY(1.0f);
    console.scroll_to_bottom = false;
    ImGui::EndChild();
}

// The input line: Enter queues the command, Up/Down and Tab go through
// input_callback().
void draw_input_line(const PanelContext& ctx, ConsoleState& console) {
    ImGui::PushFont(mono_font());
    ImGui::AlignTextToFramePadding();
    ui::text_colored(palette().prompt, "$");
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
}

} // namespace

void console_panel(const PanelContext& ctx, bool* open) {
    ConsoleState& console = ctx.view.console;
    console.drawn_links.clear();
    console.reader_buttons.clear();
    if (!ImGui::Begin("Console###console", open, panel_window_flags(ctx.view, PanelId::Console))) {
        ImGui::End();
        return;
    }
    panel_intro("Every change to the machine is a command: type one here, or watch the "
                "buttons' commands run.",
                kConsoleHelp);
    draw_header(ctx, console);
    ImGui::Separator();
    draw_scrollback(ctx, console);
    ImGui::Separator();
    draw_input_line(ctx, console);
    ImGui::End();
}

} // namespace ui
