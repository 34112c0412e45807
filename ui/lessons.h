// The lessons the app carries: every lessons/*.md but README.md, embedded at
// build time (ui/embed_lessons.cmake) and parsed with mm::parse_lesson once,
// the first time lessons() is called (App does at startup). The same in the
// native and the web build: the page loads no lesson file.
#pragma once

#include "core/lesson/lesson.h"

#include <string>
#include <string_view>
#include <vector>

namespace ui {

namespace embedded {
struct LessonFile {
    const char* id;   // the file name without .md
    const char* text; // the whole file
};
extern const LessonFile lesson_files[];
extern const unsigned int lesson_file_count;
} // namespace embedded

// The lessons that parsed, sorted by topic (in order of each topic's lowest
// position) and then by position and id. Parsed once; the vector never changes.
const std::vector<mm::Lesson>& lessons();

// The embedded files that did not parse, one line each ("id: line N: ...").
// Empty in a good build: the lesson test fails on such a file first.
const std::vector<std::string>& lesson_errors();

// The index into lessons() of the lesson `id`, or -1.
int find_lesson(std::string_view id);

} // namespace ui
