// The lesson progress the page keeps in the browser (localStorage), so that
// what a student did survives a reload: the sessions' records as JSON.
//
//   {"version": 4, "lessons": {ID: {"step": N, "steps": [STEP, ...]}, ...}}
//
// N is the step to resume (0-based). A STEP is a StepRecord:
//   {"status": "after_help", "done": true, "hints": 0, "solutionShown": false,
//    "revealed": true, "attempts": [{"answer": "5", "right": false,
//    "history": "boot arch=toy ram=64K\n"}, {"answer": "4", "right": true,
//    "history": "..."}], "computed": 4, "completion": null}
// "status" is step_status_name(); "done" is is_done(status), for readers;
// "computed" is a number or a string as the lab's answer was, or null.
// What a submission needs (format 4): each attempt's "history", and a done
// task's "completion": {"history": "...", "cmd": "cat /proc/buddyinfo",
// "ok": true, "changed": false, "error": ""} (session.h, Completion), so that
// a reload loses nothing the grader reads.
// Older formats still load, migrated: format 3 (the same without histories
// and completions: those steps cannot be graded from a submission, only
// their outcomes are kept), format 2 (statuses "skipped",
// "task_done", "answered"; "answered" for "revealed") and format 1, from
// before sessions ({"done", "hints", "shown", "answered", "answer",
// "computed", "right"} per step). Their statuses become outcomes as
// progress.cpp says (a format 2 answer whose first try was wrong was shown
// the lab's answer: it counts as Shown).
#pragma once

#include "core/lesson/session.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mm {

// The progress of `sessions` (one per lesson), only lessons with something
// in them.
std::string save_progress(const std::vector<LessonSession>& sessions);

// Puts back what save_progress() gave into the sessions of the same lessons
// (LessonSession::restore; sessions of lessons it does not name are reset).
// Lessons no longer there are skipped, steps beyond a lesson's end dropped.
// Returns nullopt, or the one-line reason the text is not progress; then no
// session changed.
std::optional<std::string> load_progress(std::vector<LessonSession>& sessions,
                                         std::string_view text);

} // namespace mm
