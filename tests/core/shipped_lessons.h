// The lessons mmlab carries, by id, for the lesson folder's tests.
#pragma once

#include "core/base/verify.h"
#include "core/lesson/library.h"

#include <optional>
#include <string_view>

namespace mm::test {

// The shipped lesson `id` (a missing one is a bug of the test).
inline const Lesson& lesson_named(std::string_view id) {
    const std::optional<size_t> index = lesson_index(id);
    MM_VERIFY(index.has_value());
    return lessons()[*index];
}

} // namespace mm::test
