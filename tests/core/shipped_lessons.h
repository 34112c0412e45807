// The lessons mmlab carries, by id, for the lesson folder's tests.
#pragma once

#include "core/base/verify.h"
#include "core/lesson/library.h"

#include <cstddef>
#include <optional>
#include <string_view>

namespace mm::test {

// The shipped lesson `id` (a missing one is a bug of the test).
inline const Lesson& lesson_named(std::string_view id) {
    const std::optional<size_t> index = lesson_index(id);
    MM_VERIFY(index.has_value());
    return lessons()[*index];
}

// The index of the step of `lesson` titled `title` (a missing one is a bug of
// the test): tests find steps by title, so that a step added to a lesson
// does not move the ones they use.
inline size_t step_titled(const Lesson& lesson, std::string_view title) {
    for (size_t i = 0; i < lesson.steps.size(); ++i)
        if (lesson.steps[i].title == title) return i;
    MM_VERIFY(false);
    return 0;
}

} // namespace mm::test
