// The one-time registration of every subsystem (see registry.h).
#include "core/base/registry.h"

namespace mm {

void ensure_registered() {
    static bool done = false;
    if (done) return;
    done = true; // before the calls: a register function may read a registry
    register_subsystems();
}

} // namespace mm
