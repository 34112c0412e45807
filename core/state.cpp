// Saving and loading the history that makes a machine (see state.h).
#include "core/state.h"

#include "core/command.h"

namespace mm {

std::string save_state(const Lab& lab) {
    return "mmlab-state " + std::to_string(kStateFormat) + "\n" + lab.history_text();
}

std::optional<std::string> load_state(Lab& lab, std::string_view text) {
    size_t nl = text.find('\n');
    std::string_view header = text.substr(0, nl);
    if (!header.empty() && header.back() == '\r') header.remove_suffix(1);
    const std::string_view magic = "mmlab-state ";
    if (header.substr(0, magic.size()) != magic)
        return std::string("not an mmlab state (it should start with 'mmlab-state 1')");
    auto version = parse_number(header.substr(magic.size()));
    if (!version || *version == 0) return std::string("not an mmlab state: bad format version");
    if (*version > static_cast<uint64_t>(kStateFormat))
        return "this state was saved by a newer mmlab (format " + std::to_string(*version) +
               "; this one reads format " + std::to_string(kStateFormat) + ")";
    Lab scratch = lab;
    std::string_view body = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    unsigned n = 0;
    for (const CommandLine& line : split_commands(body)) {
        ++n;
        auto results = scratch.run(line.text);
        if (results.empty() || !results[0].ok)
            return "command " + std::to_string(n) + " of the state ('" + line.text +
                   "') failed: " + (results.empty() ? line.error : results[0].error);
    }
    lab = scratch;
    return std::nullopt;
}

} // namespace mm
