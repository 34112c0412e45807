// Saved state: the history that made a machine, with a format version and
// the simulation's level, as a file (download, grading) or inside a share
// link. Loading runs the history as commands on the lab, so a state saved
// today opens after the simulation grows, and where a recorded outcome no
// longer holds, the loader names the first command that diverged.
#pragma once

#include "core/lab/lab.h"

#include <optional>
#include <string>
#include <string_view>

namespace mm {

// Format 1: "mmlab-state 1" then the history. Format 2 adds the level:
// "mmlab-state 2 level=N", and kept failures are written with their outcome.
inline constexpr int kStateFormat = 2;
// The simulation's level: raised whenever the same commands can give another
// machine (a rule of the kernel newly followed), so that a state from an
// older level that no longer replays is told apart from a damaged one.
inline constexpr int kSimulationLevel = 2;

// The header line and the history, one command a line; a history that does
// not start with a boot (the lab's default machine) gets a plain `boot`.
std::string save_state(const Lab& lab);

// Runs a saved state's history on `lab` as commands (the lab's own history,
// undo and event log see them); a history that does not start with `boot`
// starts from the default machine. On a bad header, a newer format or level,
// or a command whose outcome differs from the recorded one, returns one line
// and leaves `lab` as it was. `run` (default: lab.run) runs each command.
std::optional<std::string> load_state(Lab& lab, std::string_view text, const Runner& run = {});

// Runs a history (a state's lines after its header: history_line() of each
// entry, one a line) on `lab` as load_state does, checking each recorded
// outcome, but adds no `boot` before a history that does not start with one:
// on a fresh Lab it runs on the default machine as the recorded lab did, so
// that the history comes out the same. `level` is the simulation level it
// was recorded at (for the message). `from` commands of it are already on
// the lab (a grader that keeps booted machines); the rest run. On a
// difference returns one line ("command 3 of the state ...") and leaves
// `lab` as it was.
std::optional<std::string> replay_history(Lab& lab, std::string_view lines, int level,
                                          size_t from = 0, const Runner& run = {});

} // namespace mm
