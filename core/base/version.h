// The lab's version, as submissions, handouts and `mmlab --version` print
// it. Raised with every release of the lab (the minor number counts the
// releases); the simulation's own level, which says whether the same
// commands still make the same machine, is kSimulationLevel (core/lab/state.h).
#pragma once

namespace mm {

inline constexpr const char* kLabVersion = "0.13.0";

} // namespace mm
