// Saved state: the history that made a machine, with a format version, as a
// file (download, grading) or inside a share link. Loading replays it on a
// fresh lab, so a state saved today opens after the simulation grows.
#pragma once

#include "core/lab.h"

#include <optional>
#include <string>
#include <string_view>

namespace mm {

inline constexpr int kStateFormat = 1;

// "mmlab-state 1\n" followed by the history, one command a line.
std::string save_state(const Lab& lab);

// Replays a saved state on `lab` (which should be fresh). On a bad header, a
// newer format or a command that fails, returns one line and leaves `lab` as
// it was.
std::optional<std::string> load_state(Lab& lab, std::string_view text);

} // namespace mm
