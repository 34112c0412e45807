// What the fuzz targets share: the largest machine an input may boot (so that
// the sanitizers' memory limits hold) and the checks after every command.
#pragma once

#include "core/console/syntax.h"
#include "core/lab/lab.h"
#include "core/lab/state.h"
#include "core/mm/invariants.h"

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace fuzz {

// A 1G machine (the default) has a 4 MiB memmap. 64G would be 256 MiB, a
// good part of libFuzzer's 2 GB rss limit under ASan, and slow to boot.
inline constexpr uint64_t kMaxRam = uint64_t{1} << 30;
// Machines up to 256 MiB get mm::check_invariants() after every command
// here (a build with MMLAB_CHECK_INVARIANTS checks every machine).
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
    if (lab.machine().max_pfn().value() <= kCheckPages)
        if (std::optional<std::string> bad = mm::check_invariants(lab.machine()))
            fail("invariant broken", r.cmd + ": " + *bad);
}

// The lab's history, loaded as a state file on `again`, makes the same
// machine: same history, same digest.
inline void check_replay(const mm::Lab& lab, mm::Lab& again) {
    const std::string saved = mm::save_state(lab);
    if (std::optional<std::string> error = mm::load_state(again, saved))
        fail("a saved state does not load", *error + "\n" + saved);
    if (mm::save_state(again) != saved) fail("a state does not round-trip", saved);
    if (again.machine().digest() != lab.machine().digest())
        fail("a replayed history makes another machine", saved);
}

} // namespace fuzz
