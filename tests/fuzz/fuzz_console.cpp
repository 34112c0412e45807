// libFuzzer target: any console text, run through the lab. The lab must
// never crash, every failure must be one line, and the invariants must hold.
#include "core/lab/lab.h"
#include "core/mm/invariants.h"

#include <cstdio>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    // Keep machines small so each input runs fast: a boot line in the input
    // that asks for a large machine still runs, but most inputs use the toy.
    static mm::Lab* lab = nullptr;
    if (!lab) {
        lab = new mm::Lab();
        lab->run("boot arch=toy ram=256K");
    }
    std::string_view text(reinterpret_cast<const char*>(data), size);
    if (text.find("ram=") != std::string_view::npos && size > 4096) return 0;
    for (const mm::CommandResult& r : lab->run(text)) {
        if (!r.ok && (r.error.empty() || r.error.find('\n') != std::string::npos)) {
            std::fprintf(stderr, "bad error line for %s\n", r.cmd.c_str());
            std::abort();
        }
        (void)mm::to_json_line(r);
    }
    if (auto bad = mm::check_invariants(lab->machine())) {
        std::fprintf(stderr, "invariant broken: %s\n", bad->c_str());
        std::abort();
    }
    // Start every input from a small machine again now and then.
    if (lab->history().size() > 64) lab->run("boot arch=toy ram=256K");
    return 0;
}
