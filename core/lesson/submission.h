// A submission: what a student hands in for grading, as a plain text file
// ("Submit for grading" in the page), and the grader that re-checks it
// (`mmlab --grade`). The state file stays what it is, a machine to share;
// a submission records what grading needs: each step's outcome, the command
// that completed each task with its result (failed and read-only commands
// too) and the machine's history just before it, and each answer to a
// prediction with the history it was answered on. So any step can be graded
// however far the student went on, and a file edited by hand so that its
// histories do not give its recorded results is told apart from one made by
// another version of the lab or the lesson.
//
//   mmlab-submission 1
//   lab: 0.13.0
//   level: 1
//   lesson: buddy-allocator
//   lesson-hash: 0123456789abcdef
//   time: 2026-12-03T15:30:00Z
//   student: alice
//   seed: 1234
//
//   step 1: unaided  # Page frames and pfns
//     attempt: right: 16
//       history:
//         boot arch=toy ram=64K
//   step 2: after_help  # Reading buddyinfo
//     hints: 1
//     command: cat /proc/buddyinfo
//     result: ok, changed nothing
//     history: as above
//   step 3: set_up  # Splitting: who gets which half
//
// The header's fields: the lab's version (kLabVersion) and simulation level
// (kSimulationLevel) that made it, the lesson's id and content hash
// (Lesson::hash), the time as the front end gave it (the core reads no
// clock; may be empty), and, only when there are some, the student's id
// and the variant seed of the lesson's numbers. Then one block per step:
// "step N: STATUS" (step_status_name; what follows "  # " is the title, for
// the reader), then indented: "hints: N" and "solution shown" when so; a
// done task's "command:" (the command text), "result:" ("ok", "ok, changed
// nothing", "failed: ERROR", "failed part way: ERROR": CommandResult's ok,
// changed and error) and "history:"; each answer to a question in order,
// "attempt: right: ANSWER" or "attempt: wrong: ANSWER", with its "history:".
// A history is the lab's history in a state file's syntax (history_line:
// one command a line, a kept failure followed by "  # failed: ERROR"),
// indented two spaces deeper than its "history:" line; "history: as above"
// repeats the one written last. Lines end with \n (a \r before it, and a
// UTF-8 byte order mark, are read too).
//
// Sections: the file | grading
#pragma once

#include "core/lesson/session.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mm {

// ---- The file -------------------------------------------------------------------------

inline constexpr int kSubmissionFormat = 1;

// What the front end adds to a submission: the core reads no clock and
// knows no student.
struct SubmissionMeta {
    std::string time;             // as the front end gives it (ISO 8601 in the page); may be empty
    std::string student;          // the student's id, or empty
    std::optional<uint64_t> seed; // the variant seed the lesson's numbers came from, if any
};

// A submission as read back.
struct Submission {
    int format = kSubmissionFormat;
    std::string lab_version; // kLabVersion of the lab that made it
    int level = 0;           // its kSimulationLevel
    std::string lesson_id;
    std::string lesson_hash; // Lesson::hash of the lesson it was made on
    SubmissionMeta meta;
    std::vector<StepRecord> steps; // as many as the lesson had then
};

// The submission of what the student did in `session` (its records).
std::string write_submission(const LessonSession& session, const SubmissionMeta& meta);

// Whether `text` starts like a submission (its first line, after a byte
// order mark, starts with "mmlab-submission"): what --grade uses to tell a
// submission from a state file.
bool looks_like_submission(std::string_view text);

// Reads a submission; on a problem returns nullopt and one line in *error
// ("line 12: ...", or a newer format).
std::optional<Submission> parse_submission(std::string_view text, std::string* error);

// ---- Grading -------------------------------------------------------------------------------

enum class Verdict : uint8_t {
    Pass,     // the step is done, and its record replays to it
    Fail,     // not done, done by the lab, a wrong answer, or edited by hand
    Unusable, // cannot be graded here: made by another version of the lab or lesson whose
              // histories no longer replay, or a step with nothing to grade
};
const char* verdict_name(Verdict verdict); // "pass", "fail", "unusable"

struct StepGrade {
    size_t step = 0; // 0-based
    Verdict verdict = Verdict::Fail;
    StepStatus status = StepStatus::NotStarted; // as the submission recorded it
    std::string why;                            // one line, in words
    std::vector<std::string> values;            // what the check read on the student's machine
};

// Whether `submission` was made by this lab (version and simulation level)
// on this very text of `lesson` (its hash): if not, a history that no
// longer replays says so instead of "edited by hand".
bool same_version(const Submission& submission, const Lesson& lesson);

// Grades steps of submissions. Step `index` (0-based, < lesson.steps.size())
// of a submission made on `lesson` (the same id; the caller checks): a
// task's recorded command is run on a lab made by the recorded history, its
// outcome must be the recorded one, and then the check must hold; a task
// the lab showed, or never done, fails. A question: the lab's answer is
// recomputed on each attempt's history; each attempt must be right or wrong
// as recorded, and one must be right. A step with neither is Unusable.
//
// A grader keeps one lab, and the machines its histories boot (a restore
// boots a kept machine at once, where a fresh Lab would boot the default
// one first): grading a class's files is then replaying their commands.
class SubmissionGrader {
  public:
    SubmissionGrader();
    StepGrade grade(const Lesson& lesson, const Submission& submission, size_t index);

    // The lab made by a recorded history (as if fresh: Lab's default machine
    // when it does not start with a boot), or nullopt and one line in *why
    // when it does not replay.
    Lab* replay(const std::string& history, int level, std::string* why);

  private:
    Lab m_lab;
    Lab::Checkpoint m_fresh;
    std::vector<std::pair<std::string, Lab::Checkpoint>> m_booted; // by the boot's line
};

// One step with a grader of its own.
StepGrade grade_submission_step(const Lesson& lesson, const Submission& submission, size_t index);

// Grades step `index`'s task against a lab as it is (a state file loaded on
// it): the grading of state files, which hold only the final machine. A
// step without a task is Unusable.
StepGrade grade_state_step(const Lesson& lesson, const Lab& lab, size_t index);

} // namespace mm
