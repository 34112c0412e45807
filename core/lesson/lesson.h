// Lessons as plain text: one Markdown file per lesson under lessons/, with a
// few conventions (lessons/README.md): a front matter, one "## " heading per
// step, and fenced blocks for setup commands, highlights, a task (a condition
// to make true) or a prediction (a question whose answer the lab computes).
// Parsing and the checks that make every lesson a test live here; the player
// is in ui/.
#pragma once

#include "core/lab/lab.h"
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

// Runs a step's setup on the lab. Returns the first failing command's error.
std::optional<std::string> run_setup(Lab& lab, const LessonStep& step);

// Brings a lab to the start of step `index` (0-based) as a student who did
// every earlier step would have it: each earlier step's setup, then its
// task's solution or its prediction's reveal, then this step's setup. A
// setup command that fails leaves the lab as it was and says which step.
// `run` (default: lab.run) runs the commands.
std::optional<std::string> reach_step(Lab& lab, const Lesson& lesson, size_t index,
                                      const Runner& run = {});

// The answer of a prediction: its reveal commands are run on the lab, the
// answer is evaluated, and the lab is restored to its checkpoint from before
// (by replay: no second machine is held).
std::optional<Value> predict(Lab& lab, const LessonPrediction& p, std::string* error);

// Whether a student's answer is right: the choice's text or the number equals
// the computed answer.
bool answer_matches(const Value& answer, std::string_view student);

// Runs a whole lesson as a test: every setup succeeds; every task's check is
// false when its step starts and true after its solution; every prediction's
// answer can be computed, is one of its choices, and equals `expect`.
// Returns the problems found, one line each ("step 3: ...").
std::vector<std::string> verify_lesson(const Lesson& lesson);

} // namespace mm
