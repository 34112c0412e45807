// The Markdown renderer of the lesson player (markdown.h): md4c's callbacks
// draw straight into the current ImGui window.
//
// ImGui 1.86 wraps only whole text items in one style, so inline styles are
// drawn one word at a time: each word is an item placed with SameLine(0, 0)
// when it fits before the right edge and on a new line otherwise.
//
// Sections: styles | words and lines | md4c callbacks | markdown()
#include "ui/markdown.h"

#include "ui/help.h"
#include "ui/text.h"

#include <imgui.h>
#include <md4c.h>

#include <algorithm>
#include <string>
#include <vector>

namespace ui {

namespace {

// ---- Styles -------------------------------------------------------------------

const ImVec4 kHeading{1.00f, 0.90f, 0.65f, 1.0f};
const ImVec4 kBold{1.00f, 0.82f, 0.50f, 1.0f};
const ImVec4 kEmphasis{0.70f, 0.85f, 1.00f, 1.0f};
const ImVec4 kCode{0.60f, 0.90f, 0.70f, 1.0f};
const ImVec4 kTerm{0.45f, 0.90f, 0.95f, 1.0f};
const ImVec4 kCodeBlockBack{0.10f, 0.11f, 0.13f, 1.0f};

struct List {
    bool ordered = false;
    unsigned next = 1; // the number of the next item of an ordered list
};

struct Renderer {
    int bold = 0, emphasis = 0, code = 0, heading = 0, term = 0;
    std::string term_text;         // the explanation of the term link being drawn
    bool line_has_content = false; // a word was drawn on the current line
    float pending_space = 0.0f;    // the width of the spaces after it, drawn as a gap
    float right = 0.0f;            // screen x where the current line must wrap
    std::vector<List> lists;
    bool in_code_block = false;
    std::string code_block;
    std::vector<bool> tables; // per open table: whether BeginTable returned true
    int table_count = 0;      // for unique table ids within the window
    int skip = 0;             // inside a table ImGui clipped away: draw nothing
    MarkdownLinks links = MarkdownLinks::Shown;

    ImVec4 colour() const {
        if (term) return kTerm;
        if (heading) return kHeading;
        if (code) return kCode;
        if (bold) return kBold;
        if (emphasis) return kEmphasis;
        return ImGui::GetStyleColorVec4(ImGuiCol_Text);
    }
};

// ---- Words and lines ------------------------------------------------------------

// Ends the current line: the next word starts a new one.
void end_line(Renderer& r) {
    r.line_has_content = false;
    r.pending_space = 0.0f;
}

// Draws one word in the current style. Its spaces are not drawn as text
// but kept as the gap before the next word on the line: a space at the end
// of a line would reach past the panel's edge.
void draw_word(Renderer& r, std::string_view word) {
    if (r.code) ImGui::PushFont(mono_font());
    const size_t first = word.find_first_not_of(' ');
    const size_t last = word.find_last_not_of(' ');
    if (first == std::string_view::npos) { // spaces only: a gap, none at the start of a line
        if (r.line_has_content)
            r.pending_space += ImGui::CalcTextSize(word.data(), word.data() + word.size()).x;
        if (r.code) ImGui::PopFont();
        return;
    }
    const float before = ImGui::CalcTextSize(word.data(), word.data() + first).x;
    const float after = ImGui::CalcTextSize(word.data() + last + 1, word.data() + word.size()).x;
    word = word.substr(first, last + 1 - first);
    const float width = ImGui::CalcTextSize(word.data(), word.data() + word.size()).x;
    if (r.line_has_content) {
        const float gap = r.pending_space + before;
        const float x = ImGui::GetItemRectMax().x;
        if (x + gap + width <= r.right) {
            ImGui::SameLine(0.0f, gap);
        } else {
            r.line_has_content = false;
        }
    }
    if (!r.line_has_content)
        r.right = ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x;
    r.pending_space = after;
    ImGui::PushStyleColor(ImGuiCol_Text, r.colour());
    ui::text(word);
    ImGui::PopStyleColor();
    if (r.code) ImGui::PopFont();
    r.line_has_content = true;
    if (r.term) {
        // Underline the term and explain it on hover.
        const ImVec2 min = ImGui::GetItemRectMin();
        const ImVec2 max = ImGui::GetItemRectMax();
        ImGui::GetWindowDrawList()->AddLine(ImVec2(min.x, max.y - 1.0f),
                                            ImVec2(min.x + width, max.y - 1.0f),
                                            ImGui::GetColorU32(kTerm), 1.0f);
        if (ImGui::IsItemHovered() && !r.term_text.empty()) {
            ImGui::BeginTooltip();
            ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30.0f);
            ui::text(r.term_text.c_str());
            ImGui::PopTextWrapPos();
            ImGui::EndTooltip();
        }
    }
}

// Splits text into words, each with the spaces that follow it.
void draw_text(Renderer& r, std::string_view text) {
    size_t i = 0;
    while (i < text.size()) {
        size_t j = i;
        while (j < text.size() && text[j] != ' ')
            ++j;
        while (j < text.size() && text[j] == ' ')
            ++j;
        draw_word(r, text.substr(i, j - i));
        i = j;
    }
}

void append_utf8(std::string& out, unsigned code) {
    if (code < 0x80) {
        out += static_cast<char>(code);
    } else if (code < 0x800) {
        out += static_cast<char>(0xC0 | (code >> 6));
        out += static_cast<char>(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
        out += static_cast<char>(0xE0 | (code >> 12));
        out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (code >> 18));
        out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code & 0x3F));
    }
}

// "&amp;" -> "&", "&#955;" -> "λ"; an entity it does not know stays as written.
std::string decode_entity(std::string_view entity) {
    if (entity == "&amp;") return "&";
    if (entity == "&lt;") return "<";
    if (entity == "&gt;") return ">";
    if (entity == "&quot;") return "\"";
    if (entity == "&nbsp;") return " ";
    if (entity.size() > 3 && entity[1] == '#') {
        const bool hex = entity[2] == 'x' || entity[2] == 'X';
        unsigned code = 0;
        for (size_t i = hex ? 3 : 2; i + 1 < entity.size(); ++i) {
            const char c = entity[i];
            const unsigned digit = c >= '0' && c <= '9'   ? static_cast<unsigned>(c - '0')
                                   : c >= 'a' && c <= 'f' ? static_cast<unsigned>(c - 'a' + 10)
                                   : c >= 'A' && c <= 'F' ? static_cast<unsigned>(c - 'A' + 10)
                                                          : 99u;
            if (digit >= (hex ? 16u : 10u) || code > 0x10FFFF) return std::string(entity);
            code = code * (hex ? 16 : 10) + digit;
        }
        std::string out;
        append_utf8(out, code);
        return out;
    }
    return std::string(entity);
}

std::string attribute_text(const MD_ATTRIBUTE& attr) {
    return attr.text != nullptr ? std::string(attr.text, attr.size) : std::string();
}

void draw_code_block(Renderer& r) {
    std::string_view text = r.code_block;
    while (!text.empty() && text.back() == '\n')
        text.remove_suffix(1);
    ImGui::PushFont(mono_font());
    const ImVec2 pad = ImGui::GetStyle().FramePadding;
    const ImVec2 size = ImGui::CalcTextSize(text.data(), text.data() + text.size());
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const float width = std::max(size.x, ImGui::GetContentRegionAvail().x - 2.0f * pad.x);
    ImGui::GetWindowDrawList()->AddRectFilled(
        at, ImVec2(at.x + width + 2.0f * pad.x, at.y + size.y + 2.0f * pad.y),
        ImGui::GetColorU32(kCodeBlockBack), ImGui::GetStyle().FrameRounding);
    ImGui::SetCursorScreenPos(ImVec2(at.x + pad.x, at.y + pad.y));
    ImGui::PushStyleColor(ImGuiCol_Text, kCode);
    ui::text(text);
    ImGui::PopStyleColor();
    ImGui::PopFont();
    ImGui::SetCursorScreenPos(ImVec2(at.x, ImGui::GetCursorScreenPos().y + pad.y));
    ImGui::Dummy(ImVec2(0.0f, 0.0f));
    r.code_block.clear();
}

// ---- md4c callbacks ---------------------------------------------------------------

float list_indent() {
    return ImGui::GetFontSize() * 1.4f;
}

int enter_block(MD_BLOCKTYPE type, void* detail, void* user) {
    Renderer& r = *static_cast<Renderer*>(user);
    if (r.skip && type != MD_BLOCK_TABLE) return 0;
    switch (type) {
    case MD_BLOCK_H:
        end_line(r);
        ImGui::Spacing();
        r.heading = static_cast<int>(static_cast<MD_BLOCK_H_DETAIL*>(detail)->level);
        ImGui::SetWindowFontScale(r.heading <= 1 ? 1.3f : r.heading == 2 ? 1.15f : 1.05f);
        break;
    case MD_BLOCK_P:
        end_line(r);
        break;
    case MD_BLOCK_UL:
    case MD_BLOCK_OL: {
        end_line(r);
        List list;
        list.ordered = type == MD_BLOCK_OL;
        if (list.ordered) list.next = static_cast<MD_BLOCK_OL_DETAIL*>(detail)->start;
        r.lists.push_back(list);
        break;
    }
    case MD_BLOCK_LI: {
        end_line(r);
        const float indent = list_indent();
        ImGui::Indent(indent);
        const ImVec2 at = ImGui::GetCursorScreenPos();
        const float line = ImGui::GetTextLineHeight();
        ImDrawList* draw = ImGui::GetWindowDrawList();
        const ImU32 colour = ImGui::GetColorU32(ImGuiCol_Text);
        if (!r.lists.empty() && r.lists.back().ordered) {
            const std::string number = std::to_string(r.lists.back().next++) + ".";
            draw->AddText(ImVec2(at.x - indent, at.y), colour, number.c_str());
        } else {
            draw->AddCircleFilled(ImVec2(at.x - indent * 0.5f, at.y + line * 0.5f), line * 0.15f,
                                  colour);
        }
        break;
    }
    case MD_BLOCK_QUOTE:
        end_line(r);
        ImGui::Indent(list_indent());
        break;
    case MD_BLOCK_CODE:
        end_line(r);
        r.in_code_block = true;
        r.code_block.clear();
        break;
    case MD_BLOCK_HR:
        end_line(r);
        ImGui::Separator();
        break;
    case MD_BLOCK_TABLE: {
        if (r.skip) {
            ++r.skip;
            break;
        }
        end_line(r);
        const int columns =
            static_cast<int>(static_cast<MD_BLOCK_TABLE_DETAIL*>(detail)->col_count);
        ImGui::PushID(r.table_count++);
        const bool shown = columns > 0 && columns <= 64 &&
                           ImGui::BeginTable("##table", columns,
                                             ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg |
                                                 ImGuiTableFlags_SizingStretchProp);
        ImGui::PopID();
        r.tables.push_back(shown);
        if (!shown) r.skip = 1;
        break;
    }
    case MD_BLOCK_TR:
        ImGui::TableNextRow();
        break;
    case MD_BLOCK_TH:
    case MD_BLOCK_TD:
        ImGui::TableNextColumn();
        end_line(r);
        if (type == MD_BLOCK_TH) ++r.bold;
        break;
    default: // MD_BLOCK_DOC, THEAD, TBODY, HTML
        break;
    }
    return 0;
}

int leave_block(MD_BLOCKTYPE type, void* /*detail*/, void* user) {
    Renderer& r = *static_cast<Renderer*>(user);
    if (r.skip) {
        if (type == MD_BLOCK_TABLE && --r.skip == 0) r.tables.pop_back();
        return 0;
    }
    switch (type) {
    case MD_BLOCK_H:
        end_line(r);
        ImGui::SetWindowFontScale(1.0f);
        if (r.heading <= 2) ImGui::Separator();
        r.heading = 0;
        ImGui::Spacing();
        break;
    case MD_BLOCK_P:
        end_line(r);
        // A paragraph break, a little more than a line's spacing.
        if (r.lists.empty()) ImGui::Dummy(ImVec2(0.0f, ImGui::GetFontSize() * 0.35f));
        break;
    case MD_BLOCK_UL:
    case MD_BLOCK_OL:
        end_line(r);
        if (!r.lists.empty()) r.lists.pop_back();
        if (r.lists.empty()) ImGui::Spacing();
        break;
    case MD_BLOCK_LI:
        end_line(r);
        ImGui::Unindent(list_indent());
        break;
    case MD_BLOCK_QUOTE:
        end_line(r);
        ImGui::Unindent(list_indent());
        break;
    case MD_BLOCK_CODE:
        r.in_code_block = false;
        draw_code_block(r);
        ImGui::Spacing();
        break;
    case MD_BLOCK_TABLE:
        if (!r.tables.empty()) {
            if (r.tables.back()) ImGui::EndTable();
            r.tables.pop_back();
        }
        end_line(r);
        ImGui::Spacing();
        break;
    case MD_BLOCK_TH:
        end_line(r);
        --r.bold;
        break;
    case MD_BLOCK_TD:
        end_line(r);
        break;
    default:
        break;
    }
    return 0;
}

int enter_span(MD_SPANTYPE type, void* detail, void* user) {
    Renderer& r = *static_cast<Renderer*>(user);
    switch (type) {
    case MD_SPAN_STRONG:
        ++r.bold;
        break;
    case MD_SPAN_EM:
        ++r.emphasis;
        break;
    case MD_SPAN_CODE:
        ++r.code;
        break;
    case MD_SPAN_A: {
        // A term link (href "term:") explains its text; any other link is
        // drawn the same way with its address as the tooltip, or, in a
        // lesson from outside the site, only the note that it is not followed.
        const auto* a = static_cast<MD_SPAN_A_DETAIL*>(detail);
        const std::string href = attribute_text(a->href);
        const std::string title = attribute_text(a->title);
        if (href.rfind("term:", 0) == 0)
            r.term_text = title;
        else if (r.links == MarkdownLinks::Inert)
            r.term_text = "A link of a lesson not from this site: not followed.";
        else
            r.term_text = title.empty() ? href : title;
        ++r.term;
        break;
    }
    default:
        break;
    }
    return 0;
}

int leave_span(MD_SPANTYPE type, void* /*detail*/, void* user) {
    Renderer& r = *static_cast<Renderer*>(user);
    switch (type) {
    case MD_SPAN_STRONG:
        --r.bold;
        break;
    case MD_SPAN_EM:
        --r.emphasis;
        break;
    case MD_SPAN_CODE:
        --r.code;
        break;
    case MD_SPAN_A:
        --r.term;
        r.term_text.clear();
        break;
    default:
        break;
    }
    return 0;
}

int text(MD_TEXTTYPE type, const MD_CHAR* data, MD_SIZE size, void* user) {
    Renderer& r = *static_cast<Renderer*>(user);
    if (r.skip) return 0;
    const std::string_view chunk(data, size);
    if (r.in_code_block) {
        r.code_block.append(chunk);
        return 0;
    }
    switch (type) {
    case MD_TEXT_SOFTBR:
        draw_text(r, " ");
        break;
    case MD_TEXT_BR:
        if (!r.line_has_content) ImGui::NewLine();
        end_line(r);
        break;
    case MD_TEXT_ENTITY:
        draw_text(r, decode_entity(chunk));
        break;
    case MD_TEXT_NULLCHAR:
        draw_text(r, "\xEF\xBF\xBD");
        break;
    case MD_TEXT_HTML:
        break;
    default:
        draw_text(r, chunk);
        break;
    }
    return 0;
}

} // namespace

// ---- markdown() -----------------------------------------------------------------

void markdown(std::string_view source, MarkdownLinks links) {
    MD_PARSER parser{};
    parser.abi_version = 0;
    parser.flags = MD_FLAG_TABLES | MD_FLAG_NOHTML | MD_FLAG_STRIKETHROUGH;
    parser.enter_block = enter_block;
    parser.leave_block = leave_block;
    parser.enter_span = enter_span;
    parser.leave_span = leave_span;
    parser.text = text;
    Renderer r;
    r.links = links;
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(ImGui::GetStyle().ItemSpacing.x, 2.0f));
    md_parse(source.data(), static_cast<MD_SIZE>(source.size()), &parser, &r);
    // Whatever md4c left open (it closes every block it opens; this is for
    // a callback that returned early): keep ImGui's stacks balanced.
    while (!r.tables.empty()) {
        if (r.tables.back()) ImGui::EndTable();
        r.tables.pop_back();
    }
    ImGui::SetWindowFontScale(1.0f);
    ImGui::PopStyleVar();
}

} // namespace ui
