// The progress of one lesson in a few characters, for a learning management
// system to keep between launches of a SCORM package (cmi.suspend_data:
// SCORM 1.2 allows 4,096 characters; web/scorm.js writes and reads it):
//
//   mmlab1:HASH:STEP:CODES      e.g. mmlab1:3f9a2c01d4e5b6a7:7:uuhxxxxs.......
//
// HASH is the lesson's Lesson::hash (its exact text), STEP the step to
// resume (from 1), CODES one character per step for its StepStatus: '.'
// not started, 's' set up, 'r' read, 'x' shown, 'h' after help, 'u'
// unaided. Only the outcomes are kept: answers, hints and the machine's
// history are not (the page rebuilds the machine with reach_step, as a deep
// link does). 14 steps take 41 characters; a lesson of 4,000 steps would
// still fit.
#pragma once

#include "core/lesson/session.h"

#include <optional>
#include <string>
#include <string_view>

namespace mm {

std::string suspend_data(const LessonSession& session);

// Puts back what suspend_data() gave on a session of the same lesson
// (LessonSession::restore: nothing runs; a question with an outcome counts
// as revealed). Returns the step to resume (0-based), or nullopt and one
// line in *error (another lesson, another version of it, damaged text);
// then the session is unchanged.
std::optional<size_t> resume_suspend_data(LessonSession& session, std::string_view text,
                                          std::string* error);

} // namespace mm
