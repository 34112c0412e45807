// Subsystems register their commands, files, condition functions and
// invariant checks into the registries of console/, fs/, lesson/ and mm/.
// The register functions are called once, in a generated order
// (core/CMakeLists.txt), the first time any registry is read.
#pragma once

namespace mm {

// Generated: calls every mmlab_register()ed function in folder order.
void register_subsystems();

// Runs register_subsystems() the first time it is called. Every registry's
// reader calls it, so no caller has to remember.
void ensure_registered();

} // namespace mm
