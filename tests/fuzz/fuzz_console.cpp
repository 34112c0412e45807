// libFuzzer target: any console text, run command by command on a fresh lab
// (a small toy machine). The lab must never crash, every failure must be one
// line, and the invariants must hold after every command.
#include "fuzz_limits.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    // Booted once and copied for each input, so that no input sees what an
    // earlier one left behind.
    static const mm::Lab* const fresh = [] {
        auto* lab = new mm::Lab();
        lab->run("boot arch=toy ram=256K");
        return lab;
    }();
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (!fuzz::machines_fit(text)) return -1; // not kept in the corpus
    // Assigned rather than constructed: the event log's ring (2 MiB) is
    // copied into the same storage instead of freshly mapped each input.
    static mm::Lab& lab = *new mm::Lab(*fresh);
    lab = *fresh;
    for (const mm::CommandLine& line : mm::split_commands(text))
        for (const mm::CommandResult& r : lab.run(line.text))
            fuzz::check_result(lab, r);
    return 0;
}
