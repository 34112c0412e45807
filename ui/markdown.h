// Draws Markdown prose with ImGui text calls: the lesson player's renderer.
// md4c parses (CommonMark with tables); this maps each block and span to
// ImGui: headings, wrapped paragraphs, **bold** and *emphasis* in colour,
// `code` in the monospace font, lists, code blocks, tables, and the lessons'
// term links [text](term: "explanation") highlighted, with the explanation
// as a tooltip (lessons/README.md).
#pragma once

#include <string_view>

namespace ui {

// What a link other than a term link says on hover: its address (a lesson of
// the site), or only that it is not followed (a lesson from outside the site,
// which may point anywhere: App's OutsideLesson). No link is ever opened.
enum class MarkdownLinks : unsigned char { Shown, Inert };

// Draws `text` into the current window at the cursor, wrapped to the width
// left on the line. Cheap enough to call every frame for a lesson step (md4c
// parses a few KiB in microseconds; one ImGui item per word).
void markdown(std::string_view text, MarkdownLinks links = MarkdownLinks::Shown);

} // namespace ui
