// Tab completion for the console (completion.h).
#include "ui/completion.h"

#include "core/mm/gfp.h"

#include <algorithm>

namespace ui {

namespace {

bool is_separator(char c) {
    return c == ' ' || c == '\t' || c == ';' || c == '>';
}

bool starts_with(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

// The words of the current command before position `end` (after the last ';').
std::vector<std::string_view> words_before(std::string_view line, size_t end) {
    std::string_view head = line.substr(0, end);
    const size_t semicolon = head.rfind(';');
    if (semicolon != std::string_view::npos) head.remove_prefix(semicolon + 1);
    std::vector<std::string_view> words;
    size_t i = 0;
    while (i < head.size()) {
        while (i < head.size() && is_separator(head[i]))
            ++i;
        const size_t start = i;
        while (i < head.size() && !is_separator(head[i]))
            ++i;
        if (i > start) words.push_back(head.substr(start, i - start));
    }
    return words;
}

std::string common_prefix(const std::vector<std::string>& matches) {
    std::string prefix = matches.front();
    for (const std::string& match : matches) {
        size_t n = 0;
        while (n < prefix.size() && n < match.size() && prefix[n] == match[n])
            ++n;
        prefix.resize(n);
    }
    return prefix;
}

// Fills `result` from the sorted, unique `matches` of `word`; `lead` is kept
// in front of every replacement (the "gfp=" of a flag).
void finish(Completion& result, std::string_view lead, std::string_view word,
            std::vector<std::string> matches) {
    std::sort(matches.begin(), matches.end());
    matches.erase(std::unique(matches.begin(), matches.end()), matches.end());
    if (matches.empty()) {
        result.replacement = std::string(lead) + std::string(word);
        return;
    }
    if (matches.size() == 1) {
        result.match = Completion::Match::One;
        const std::string& only = matches.front();
        result.replacement = std::string(lead) + only;
        if (only.empty() || only.back() != '/') result.replacement += ' ';
        return;
    }
    result.match = Completion::Match::Many;
    result.replacement = std::string(lead) + common_prefix(matches);
    result.candidates = std::move(matches);
}

} // namespace

Completion complete(std::string_view line, size_t cursor, const std::vector<std::string>& commands,
                    const std::vector<std::string>& paths) {
    Completion result;
    cursor = std::min(cursor, line.size());
    size_t start = cursor;
    while (start > 0 && !is_separator(line[start - 1]))
        --start;
    result.word_start = start;
    result.word_end = cursor;
    const std::string_view word = line.substr(start, cursor - start);
    const std::vector<std::string_view> before = words_before(line, start);

    std::vector<std::string> matches;
    if (before.empty() || (before.size() == 1 && before[0] == "help")) {
        for (const std::string& name : commands)
            if (starts_with(name, word)) matches.push_back(name);
        finish(result, "", word, std::move(matches));
    } else if (starts_with(word, "/")) {
        // One level at a time: "/proc/s" offers "/proc/sys/" and "/proc/slabinfo".
        for (const std::string& path : paths) {
            if (!starts_with(path, word)) continue;
            const size_t slash = path.find('/', word.size());
            matches.push_back(slash == std::string::npos ? path : path.substr(0, slash + 1));
        }
        finish(result, "", word, std::move(matches));
    } else if (starts_with(word, "gfp=")) {
        const size_t bar = word.rfind('|');
        const size_t flag_start = bar == std::string_view::npos ? 4 : bar + 1;
        const std::string_view lead = word.substr(0, flag_start);
        const std::string_view flag = word.substr(flag_start);
        size_t count = 0;
        const char* const* names = mm::gfp_names(&count);
        for (size_t i = 0; i < count; ++i)
            if (starts_with(names[i], flag)) matches.emplace_back(names[i]);
        finish(result, lead, flag, std::move(matches));
    } else {
        result.replacement = std::string(word);
    }
    return result;
}

} // namespace ui
