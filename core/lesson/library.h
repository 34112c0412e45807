// The lessons mmlab carries: every lessons/*.md but README.md, embedded at
// build time (core/lesson/embed_lessons.cmake) into the mmlab_lessons
// library, which the page, the desktop app and the CLI link, and parsed with
// parse_lesson once, the first time lessons() is called. The same in every
// build: nothing reads a lesson file at run time, so a built mmlab finds its
// lessons from any folder.
#pragma once

#include "core/lesson/lesson.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mm {

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
const std::vector<Lesson>& lessons();

// The embedded files that did not parse, one line each ("id: line N: ...").
// Empty in a good build: the lesson test fails on such a file first.
const std::vector<std::string>& lesson_errors();

// The index into lessons() of the lesson `id`, if there is one.
std::optional<size_t> lesson_index(std::string_view id);

// The ids of lessons(), in order, separated by ", ": for error messages.
std::string lesson_ids();

} // namespace mm
