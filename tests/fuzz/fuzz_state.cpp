// libFuzzer target: untrusted state text from the web, as a state file or a
// share link carries it (the page decodes a #state=1.DATA link to the same
// "mmlab-state" text and hands it to mm::load_state on its lab,
// web/bridge.cpp mmlab_load_state). Loading must not crash; a refusal is one
// line and leaves the lab as it was; a state that loads saves to text that
// loads again to the same machine.
#include "fuzz_limits.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static mm::Lab& lab = *new mm::Lab(); // the default machine, as the page starts
    static mm::Lab& again = *new mm::Lab();
    static const mm::Lab::Checkpoint fresh = lab.checkpoint();
    static const uint64_t fresh_digest = lab.machine().digest();
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (!fuzz::machines_fit(text)) return -1;
    lab.restore(fresh);
    if (std::optional<std::string> error = mm::load_state(lab, text)) {
        if (error->empty() || error->find('\n') != std::string::npos)
            fuzz::fail("bad load_state error", *error);
        if (!lab.history().empty() || lab.machine().digest() != fresh_digest)
            fuzz::fail("a refused state changed the lab", *error);
        return 0;
    }
    if (lab.machine().max_pfn().value() <= fuzz::kCheckPages)
        if (std::optional<std::string> bad = mm::check_invariants(lab.machine()))
            fuzz::fail("invariant broken after load", *bad);
    fuzz::check_replay(lab, again);
    return 0;
}
