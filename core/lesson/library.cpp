// Parses the embedded lesson files once and orders them for the picker.
#include "core/lesson/library.h"

#include <algorithm>
#include <map>

namespace mm {

namespace {

struct Parsed {
    std::vector<Lesson> lessons;
    std::vector<std::string> errors;
};

const Parsed& parsed() {
    static const Parsed all = [] {
        Parsed p;
        for (unsigned i = 0; i < embedded::lesson_file_count; ++i) {
            const embedded::LessonFile& file = embedded::lesson_files[i];
            if (file.id == nullptr) continue;
            std::string error;
            if (std::optional<Lesson> lesson = parse_lesson(file.id, file.text, &error))
                p.lessons.push_back(std::move(*lesson));
            else
                p.errors.push_back(std::string(file.id) + ": " + error);
        }
        // Topics in the order of their first lesson, then lessons by position.
        std::map<std::string, int> topic_rank;
        for (const Lesson& l : p.lessons) {
            auto [it, inserted] = topic_rank.emplace(l.topic, l.position);
            if (!inserted) it->second = std::min(it->second, l.position);
        }
        std::stable_sort(p.lessons.begin(), p.lessons.end(), [&](const Lesson& a, const Lesson& b) {
            const int ra = topic_rank[a.topic], rb = topic_rank[b.topic];
            if (ra != rb) return ra < rb;
            if (a.topic != b.topic) return a.topic < b.topic;
            if (a.position != b.position) return a.position < b.position;
            return a.id < b.id;
        });
        return p;
    }();
    return all;
}

} // namespace

const std::vector<Lesson>& lessons() {
    return parsed().lessons;
}

const std::vector<std::string>& lesson_errors() {
    return parsed().errors;
}

std::optional<size_t> lesson_index(std::string_view id) {
    const std::vector<Lesson>& all = lessons();
    for (size_t i = 0; i < all.size(); ++i)
        if (all[i].id == id) return i;
    return std::nullopt;
}

std::string lesson_ids() {
    std::string ids;
    for (const Lesson& l : lessons())
        ids += (ids.empty() ? "" : ", ") + l.id;
    return ids;
}

} // namespace mm
