// Invariant checks: each subsystem registers the rules its state must keep;
// tests (and every command, with MMLAB_CHECK_INVARIANTS) run them all.
// A broken one is a bug in the simulation, never the user's input.
#pragma once

#include "core/mm/machine.h"

#include <optional>
#include <string>

namespace mm {

// Returns the first broken rule of one subsystem, or nullopt.
using InvariantCheck = std::optional<std::string> (*)(const Machine& m);

void register_invariant(const char* name, InvariantCheck check);

// Runs every registered check; the first broken rule as "NAME: what".
std::optional<std::string> check_invariants(const Machine& m);

} // namespace mm
