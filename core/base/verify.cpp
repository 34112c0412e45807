// MM_VERIFY's failure path (see verify.h).
#include "core/base/verify.h"

#include <cstdio>
#include <cstdlib>

namespace mm {

[[noreturn]] void verify_failed(const char* expr, const char* func, const char* file, int line) {
    std::fprintf(stderr, "mmlab: %s: VERIFY(%s) failed at %s:%d\n", func, expr, file, line);
    std::abort();
}

} // namespace mm
