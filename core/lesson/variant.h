// Variant lessons: a lesson may draw numbers per student, so that copying a
// classmate's answers does not pass. A ```vars block before the first step
// declares the variables, one a line:
//
//   ```vars
//   ram = pick(64M, 128M, 256M)
//   order = range(2, 6)
//   pfn = range(0x100, 0x400, 0x100)
//   ```
//
// pick(A, B, ...) takes one of its words (letters, digits, _ . + -: sizes,
// numbers, zone names); range(FIRST, LAST[, STEP]) one of FIRST, FIRST+STEP,
// ... up to LAST, written in decimal. `{{name}}` anywhere else in the file
// (front matter, prose, setups, tasks, predictions, the recap) is replaced by
// the variable's value before the lesson is parsed; values never hold a
// newline, so every line number stays the file's. A `{{name}}` no block
// declares, a variable never used and a value that makes the lesson fail to
// parse are errors of the lesson, with their line.
//
// parse_lesson() gives the lesson with each variable's first value (what a
// reader sees without a seed: the handout, the lesson test's first run);
// instantiate() gives the variant of a seed, and variant_seed() the seed of
// a student. lessons/README.md documents it for authors.
#pragma once

#include "core/lesson/lesson.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mm {

// At most this many variables a lesson, and values a variable: enough for a
// class's variants, and a bound on what parse_lesson checks (every value of
// every variable parses) for an untrusted file.
inline constexpr size_t kMaxVariables = 16;
inline constexpr size_t kMaxVariableValues = 100;

// The seed of a student's variant of a lesson: FNV-1a 64 of the student's id
// (trimmed), the lesson's id and the instructor's salt, each followed by a
// 0x1f byte, then one SplitMix64 step. The page (from the id the student
// types or SCORM's cmi.core.student_id) and the grader (from a roster) both
// compute it from the same three strings, so they draw the same numbers.
uint64_t variant_seed(std::string_view student, std::string_view lesson_id, std::string_view salt);

// Whether the lesson declares variables (a ```vars block).
bool has_variables(const Lesson& lesson);

// The value each variable of the lesson takes for `seed`: mm::Random seeded
// with it, one below(values.size()) draw per variable in the order they are
// declared.
std::vector<std::string> draw_values(const Lesson& lesson, uint64_t seed);

// The lesson's variant for `seed`: its file text with the drawn values put
// in, parsed. A lesson without variables is returned as it is. Lesson::hash
// stays the hash of the file's text (the template), Lesson::seed is set.
// nullopt and one line "variant SEED: line N: ..." in *error when the
// variant does not parse (parse_lesson checked each value on its own; two
// values together could still clash).
std::optional<Lesson> instantiate(const Lesson& lesson, uint64_t seed, std::string* error);

// ---- For the parser (lesson.cpp) ---------------------------------------------------

// Reads the ```vars block of a lesson's lines, if any (the block must come
// before the first "## " step; at most one). false and "line N: ..." in *error.
bool parse_variables(const std::vector<std::string_view>& lines,
                     std::vector<LessonVariable>* variables, std::string* error);

// `text` with every {{name}} replaced by values[i] of variables[i]. Errors
// ("line N: ..."): an undeclared name and (when `require_use`) a declared
// variable never used. (parse_variables refuses {{ inside the block.)
std::optional<std::string> substitute_variables(std::string_view text,
                                                const std::vector<LessonVariable>& variables,
                                                const std::vector<std::string>& values,
                                                bool require_use, std::string* error);

} // namespace mm
