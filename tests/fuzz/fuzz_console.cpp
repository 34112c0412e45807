// libFuzzer target: any console text, run command by command on a fresh lab
// (a small toy machine). The lab must never crash, every failure must be one
// line, the invariants must hold after every command, and the history must
// replay to the same machine (same digest).
#include "fuzz_limits.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    // One lab for every input, brought back to the same fresh toy machine
    // before each, so that no input sees what an earlier one left behind
    // (the event log's ring and the memmap keep their storage).
    static mm::Lab& lab = *new mm::Lab();
    static mm::Lab& again = *new mm::Lab();
    static const mm::Lab::Checkpoint fresh = [] {
        lab.run("boot arch=toy ram=256K");
        return lab.checkpoint();
    }();
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (!fuzz::machines_fit(text)) return -1; // not kept in the corpus
    lab.restore(fresh);
    for (const mm::CommandLine& line : mm::split_commands(text))
        for (const mm::CommandResult& r : lab.run(line.text))
            fuzz::check_result(lab, r);
    fuzz::check_replay(lab, again);
    return 0;
}
