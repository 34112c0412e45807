// What the fuzz targets share: the largest machine an input may boot (so that
// the sanitizers' memory limits hold) and the checks after every command.
#pragma once

#include "core/command.h"
#include "core/lab.h"

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace fuzz {

// A 1G machine (the default) has a 4 MiB memmap; the lab may hold a few
// copies (undo's replay, a prediction). 64G would be 256 MiB a copy, past
// libFuzzer's 2 GB rss limit under ASan after a few copies, and slow.
inline constexpr uint64_t kMaxRam = uint64_t{1} << 30;
// Machines up to 256 MiB get Machine::check_invariants() after every
// command here (a build with MMLAB_CHECK_INVARIANTS checks every machine).
inline constexpr uint64_t kCheckPages = uint64_t{1} << 16;

// Whether every `boot` of `text` stays within kMaxRam. A ram= that does not
// parse is left to the command to reject.
inline bool machines_fit(std::string_view text) {
    for (const mm::CommandLine& line : mm::split_commands(text)) {
        if (line.words.empty() || line.words[0] != "boot") continue;
        for (size_t i = 1; i < line.words.size(); ++i) {
            const std::string& word = line.words[i];
            if (word.rfind("ram=", 0) != 0) continue;
            const std::optional<uint64_t> ram = mm::parse_size(std::string_view(word).substr(4));
            if (ram && *ram > kMaxRam) return false;
        }
    }
    return true;
}

[[noreturn]] inline void fail(const char* what, const std::string& detail) {
    std::fprintf(stderr, "%s: %s\n", what, detail.c_str());
    std::abort();
}

// A failed command's error is one non-empty line; the result serializes; a
// small machine keeps its invariants.
inline void check_result(const mm::Lab& lab, const mm::CommandResult& r) {
    if (!r.ok && (r.error.empty() || r.error.find('\n') != std::string::npos))
        fail("bad error line", r.cmd);
    (void)mm::to_json_line(r);
    if (lab.machine().max_pfn() <= kCheckPages)
        if (std::optional<std::string> bad = lab.machine().check_invariants())
            fail("invariant broken", r.cmd + ": " + *bad);
}

} // namespace fuzz
