// MM_VERIFY: a broken invariant is a bug. It aborts with the function's name,
// as xv6's panic() and SerenityOS's VERIFY do. Expected failures (bad input,
// an allocation that fails) are values, never MM_VERIFY.
#pragma once

namespace mm {
[[noreturn]] void verify_failed(const char* expr, const char* func, const char* file, int line);
}

#define MM_VERIFY(cond)                                                                            \
    do {                                                                                           \
        if (!(cond)) ::mm::verify_failed(#cond, __func__, __FILE__, __LINE__);                     \
    } while (0)
