// The CLI's lesson options (cli/main.cpp only dispatches to them): finding a
// lesson by id or file, --lessons DIR, --check-lesson, --export-lesson and
// --help-functions.
#pragma once

#include "core/lesson/lesson.h"

#include <optional>
#include <string>
#include <vector>

namespace cli {

// The whole file, bytes as they are; false if it cannot be read (errno says why).
bool read_file(const std::string& path, std::string* out);

// --lessons DIR: every DIR/*.md but README.md becomes a lesson find_lesson
// knows by its id, as if mmlab carried it. false and one line on stderr when
// the folder cannot be read, a file does not parse (with its line), or an id
// is taken already.
bool add_lesson_folder(const std::string& dir);

// The lesson an argument names: the id of a lesson mmlab carries or of one
// from a --lessons folder, or a lesson file (a path with a '/' or ending in
// .md), parsed into *parsed. nullptr and one line on stderr when there is
// none (the ids, never a path of the machine that built mmlab).
const mm::Lesson* find_lesson(const std::string& arg, std::optional<mm::Lesson>* parsed);

// --check-lesson FILE|DIR|ID...: the lesson test (mm::check_lesson: setups,
// checks before and after each solution, predictions against the
// simulation, unknown functions and names, several seeds of a variant
// lesson) on each, one line per problem "FILE: line N: ...", then
// "FILE: ok ..." or "FILE: N problems". Exit 0 all good, 1 any problem, 2
// a file that cannot be read.
int check_lessons(const std::vector<std::string>& args);

// --export-lesson ID --html [--answers] [-o FILE] [--seed N | --student ID
// [--salt S]]: a printable HTML handout of the lesson (its text, tasks and
// questions, no answers), or with --answers its answer key (solutions,
// checks, the lab's answers and explanations). Exit 0, or 2 with one line.
int export_lesson(const std::vector<std::string>& args);

// --help-functions: the condition language's functions and names, from the
// registry, as the Markdown table lessons/README.md carries
// (scripts/gen-docs.sh).
std::string help_functions();

} // namespace cli
