// Lessons as plain text: one Markdown file per lesson under lessons/, with a
// few conventions (lessons/README.md): a front matter, one "## " heading per
// step, and fenced blocks for setup commands, highlights, a task (a condition
// to make true) or a prediction (a question whose answer the lab computes).
// Parsing lives here; playing a lesson (its steps, answers, grading, the
// lesson test) is core/lesson/session.h, the lessons mmlab carries
// core/lesson/library.h, and the player ui/lesson_panel.cpp.
#pragma once

#include "core/base/types.h"
#include "core/lesson/condition.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mm {

struct LessonTask {
    std::string goal;               // one sentence: what to make true
    Condition check;                // true when the task is done
    std::vector<std::string> hints; // shown one at a time
    std::string solution;           // commands that do it ("show me")
    int line = 0;                   // the file's lines: the ```task block, its check:
    int check_line = 0;
};

// How a number answer is written in the feedback (`form:`). The student may
// type any of them (session.h, answer_number); the form only says how the lab
// prints its own number back.
enum class AnswerForm : uint8_t {
    Dec,      // 229376 (the default)
    Hex,      // 0x38000: pfns and masks, as the console prints them
    Size,     // 16M: a byte count, as the console's SIZE arguments take it (parse_size)
    Fraction, // 1.000: the number is in thousandths, as the kernel prints its
              // fragmentation indices ("%d.%03d" of index / 1000 and % 1000)
};

// "dec", "hex", "size", "fraction".
const char* answer_form_name(AnswerForm form);
std::optional<AnswerForm> answer_form_from_name(std::string_view name);

// The panels of the lab, by the names lessons give them (`panels:`): lessons,
// console, zones, map, free_lists, events, plots. The parser rejects any other.
const std::vector<std::string_view>& panel_names();

// What a prediction may hide in the graphical panels until it is answered
// (`hide:`), each with what it covers, e.g. {"zones.free", "each zone's free
// pages"}. Console output is never hidden.
struct HideName {
    std::string_view name;
    std::string_view covers;
};
const std::vector<HideName>& hide_names();

struct LessonPrediction {
    std::string question;
    std::vector<std::string> choices;  // empty: the answer is a number
    std::string reveal;                // commands that show what happens
    Condition answer;                  // evaluated after `reveal`, on a copy
    std::optional<std::string> expect; // the author's answer, checked by the lesson test
    std::string explain;               // why, shown after the student answers
    AnswerForm form = AnswerForm::Dec; // how the feedback writes a number answer
    std::vector<std::string> hide;     // hide_names() shown as "?" until answered
    int line = 0;                      // the file's lines: the ```predict block, its
    int answer_line = 0;               // answer: and expect:
    int expect_line = 0;
};

struct LessonStep {
    std::string title;
    std::string body;                          // Markdown prose
    std::string setup;                         // commands run when the step starts
    std::vector<std::string> panels;           // panel_names() to highlight and lay out
    std::optional<std::pair<Pfn, Pfn>> frames; // pfns to highlight [first, last]
    std::optional<LessonTask> task;
    std::optional<LessonPrediction> prediction;
    int line = 0;       // where the step starts in the file
    int setup_line = 0; // its first ```setup block, if any
};

// A variable of a variant lesson (```vars, core/lesson/variant.h): every
// value it may take, in order.
struct LessonVariable {
    std::string name;
    std::vector<std::string> values;
    int line = 0; // where it is declared
};

struct Lesson {
    std::string id;   // the file name without .md
    std::string hash; // content_hash() of the whole file text as parsed
    std::string title;
    std::string topic;
    std::string summary;
    int position = 0;  // order within the topic
    std::string intro; // prose before the first step
    std::vector<LessonStep> steps;
    std::string recap; // Markdown for the end-of-lesson summary (a ```recap block), or empty
    // A variant lesson (variant.h): its variables, the file's text they are
    // put into (kept only when there are variables), the value of each in
    // this lesson's fields (parse_lesson: each one's first value), and the
    // seed they were drawn from (set by instantiate()).
    std::vector<LessonVariable> variables;
    std::string source;
    std::vector<std::string> values;
    std::optional<uint64_t> seed;
};

// Parses a lesson file; on a problem returns nullopt and one line
// "line N: ..." in *error. A lesson with variables (variant.h) is parsed with
// each variable's first value, after checking that every value of every
// variable (the others at their first) gives a lesson that parses.
std::optional<Lesson> parse_lesson(std::string_view id, std::string_view text, std::string* error);

// parse_lesson's second half, for instantiate() (variant.h): parses a text
// whose {{variables}} are already replaced; its ```vars block is skipped.
// Lesson::hash is the hash of `text`: the caller sets the template's.
std::optional<Lesson> parse_substituted_lesson(std::string_view id, std::string_view text,
                                               std::string* error);

} // namespace mm
