// libFuzzer target: untrusted state text from the web, as a state file or a
// share link carries it (the page decodes a #state=1.DATA link to the same
// "mmlab-state 1" text and hands it to mm::load_state on a fresh default lab,
// web/bridge.cpp mmlab_load_state). Loading must not crash; a refusal is one
// line and leaves the lab as it was; a state that loads saves to text that
// loads again to the same state.
#include "fuzz_limits.h"

#include "core/state.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const mm::Lab* const fresh = new mm::Lab(); // the page's scratch lab
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (!fuzz::machines_fit(text)) return -1;
    // Assigned rather than constructed, so that the event log's ring and the
    // memmap reuse their storage (see fuzz_console.cpp).
    static mm::Lab& lab = *new mm::Lab(*fresh);
    static mm::Lab& again = *new mm::Lab(*fresh);
    lab = *fresh;
    if (std::optional<std::string> error = mm::load_state(lab, text)) {
        if (error->empty() || error->find('\n') != std::string::npos)
            fuzz::fail("bad load_state error", *error);
        if (lab.history_text() != fresh->history_text() ||
            lab.machine().params().ram != fresh->machine().params().ram)
            fuzz::fail("a refused state changed the lab", *error);
        return 0;
    }
    if (lab.machine().max_pfn() <= fuzz::kCheckPages)
        if (std::optional<std::string> bad = lab.machine().check_invariants())
            fuzz::fail("invariant broken after load", *bad);
    const std::string saved = mm::save_state(lab);
    again = *fresh;
    if (std::optional<std::string> error = mm::load_state(again, saved))
        fuzz::fail("a saved state does not load", *error + "\n" + saved);
    if (mm::save_state(again) != saved) fuzz::fail("a state does not round-trip", saved);
    return 0;
}
