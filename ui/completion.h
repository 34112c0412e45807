// Tab completion for the console's input line: command names, file paths and
// GFP flag names. Pure text logic (no ImGui), so that tests can call it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ui {

struct Completion {
    size_t word_start = 0;   // the word being completed is line[word_start, word_end)
    size_t word_end = 0;     // the cursor
    std::string replacement; // what replaces that word: the whole match, or the
                             // longest common prefix of the matches
    // The matches when there is more than one (for paths, one entry per next
    // folder or file: "/proc/sys/" stands for everything below it).
    std::vector<std::string> candidates;
    enum class Match { None, One, Many } match = Match::None;
};

// Completes the word that ends at `cursor` in `line`:
// - the first word of a command (after the start or a ';'), or the word after
//   `help`: a name from `commands`;
// - a word starting with '/': a path from `paths`, one folder level at a time;
// - `gfp=A|B`: the GFP name after the last '|'.
// A unique match is completed with a space after it (a folder: with its '/');
// several matches give their common prefix and the list. No match: the
// replacement is the word itself and there are no candidates.
Completion complete(std::string_view line, size_t cursor, const std::vector<std::string>& commands,
                    const std::vector<std::string>& paths);

} // namespace ui
