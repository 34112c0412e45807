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
};

struct LessonPrediction {
    std::string question;
    std::vector<std::string> choices;  // empty: the answer is a number
    std::string reveal;                // commands that show what happens
    Condition answer;                  // evaluated after `reveal`, on a copy
    std::optional<std::string> expect; // the author's answer, checked by the lesson test
    std::string explain;               // why, shown after the student answers
};

struct LessonStep {
    std::string title;
    std::string body;                          // Markdown prose
    std::string setup;                         // commands run when the step starts
    std::vector<std::string> panels;           // panels to highlight
    std::optional<std::pair<Pfn, Pfn>> frames; // pfns to highlight [first, last]
    std::optional<LessonTask> task;
    std::optional<LessonPrediction> prediction;
    int line = 0; // where the step starts in the file
};

struct Lesson {
    std::string id; // the file name without .md
    std::string title;
    std::string topic;
    std::string summary;
    int position = 0;  // order within the topic
    std::string intro; // prose before the first step
    std::vector<LessonStep> steps;
};

// Parses a lesson file; on a problem returns nullopt and one line
// "line N: ..." in *error.
std::optional<Lesson> parse_lesson(std::string_view id, std::string_view text, std::string* error);

} // namespace mm
