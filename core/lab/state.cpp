// Saving and loading the history that makes a machine (see state.h).
#include "core/lab/state.h"

#include "core/base/text.h"
#include "core/console/syntax.h"

namespace mm {

namespace {

struct Header {
    uint64_t format = 0;
    uint64_t level = 0;
};

// "mmlab-state 1" or "mmlab-state 2 level=N"; one line in *error otherwise.
std::optional<Header> parse_header(std::string_view line, std::string* error) {
    if (line.substr(0, 3) == "\xef\xbb\xbf") line.remove_prefix(3); // a UTF-8 BOM
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const std::string_view magic = "mmlab-state ";
    if (line.substr(0, magic.size()) != magic) {
        *error = "not an mmlab state (it should start with 'mmlab-state')";
        return std::nullopt;
    }
    std::vector<CommandLine> words = split_commands(line.substr(magic.size()));
    Header h;
    auto format = words.empty() ? std::nullopt : parse_number(words[0].words[0]);
    if (!format || *format == 0) {
        *error = "not an mmlab state: bad format version";
        return std::nullopt;
    }
    h.format = *format;
    if (h.format > static_cast<uint64_t>(kStateFormat)) {
        *error = "this state was saved by a newer mmlab (format " + std::to_string(h.format) +
                 "; this one reads formats 1 to " + std::to_string(kStateFormat) + ")";
        return std::nullopt;
    }
    if (h.format >= 2) {
        const std::vector<std::string>& w = words[0].words;
        auto level = w.size() == 2 && w[1].rfind("level=", 0) == 0
                         ? parse_number(std::string_view(w[1]).substr(6))
                         : std::nullopt;
        if (!level) {
            *error = "not an mmlab state: its header has no level=N";
            return std::nullopt;
        }
        h.level = *level;
        if (h.level > static_cast<uint64_t>(kSimulationLevel)) {
            *error = "this state was saved by a newer mmlab (simulation level " +
                     std::to_string(h.level) + "; this one is level " +
                     std::to_string(kSimulationLevel) + ")";
            return std::nullopt;
        }
    }
    return h;
}

// The history of a state: each command with its recorded outcome.
std::vector<HistoryEntry> parse_history(std::string_view body) {
    std::vector<HistoryEntry> entries;
    size_t start = 0;
    while (start <= body.size()) {
        size_t nl = body.find('\n', start);
        std::string_view line =
            body.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
        start = nl == std::string_view::npos ? body.size() + 1 : nl + 1;
        std::string error;
        const size_t marker = line.find(kFailedMarker);
        if (marker != std::string_view::npos) {
            error = std::string(trim(line.substr(marker + kFailedMarker.size())));
            line = line.substr(0, marker);
        }
        for (const CommandLine& command : split_commands(line))
            entries.push_back(HistoryEntry{command.text, error});
    }
    return entries;
}

std::string diverged(size_t n, const HistoryEntry& want, const CommandResult& got) {
    std::string what =
        "command " + std::to_string(n) + " of the state ('" + quote_input(want.text) + "') ";
    if (want.error.empty()) return what + "failed: " + got.error;
    if (got.ok) return what + "was recorded as failing ('" + want.error + "') but now succeeds";
    return what + "was recorded as failing with '" + want.error + "' but now fails with '" +
           got.error + "'";
}

} // namespace

std::string save_state(const Lab& lab) {
    std::string text = "mmlab-state " + std::to_string(kStateFormat) +
                       " level=" + std::to_string(kSimulationLevel) + "\n";
    // A lab that was never booted by a command runs on the default machine:
    // its state says so with a plain `boot`, so that loading it gives the
    // same history back.
    const std::vector<HistoryEntry>& history = lab.history();
    if (history.empty() || split_commands(history[0].text)[0].words[0] != "boot") text += "boot\n";
    return text + lab.history_text();
}

std::optional<std::string> load_state(Lab& lab, std::string_view text, const Runner& runner) {
    const Runner run = runner ? runner : [&lab](std::string_view t) { return lab.run(t); };
    const size_t nl = text.find('\n');
    std::string error;
    if (!parse_header(text.substr(0, nl), &error)) return error;
    const std::vector<HistoryEntry> history =
        parse_history(nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1));
    const Lab::Checkpoint before = lab.checkpoint();
    const bool from_default =
        history.empty() || split_commands(history[0].text)[0].words[0] != "boot";
    if (from_default && !run("boot").back().ok) {
        lab.restore(before);
        return "the default machine does not boot";
    }
    for (size_t i = 0; i < history.size(); ++i) {
        const std::vector<CommandResult> results = run(history[i].text);
        const bool same =
            results.size() == 1 && results[0].changed && results[0].error == history[i].error;
        if (!same) {
            lab.restore(before);
            if (results.size() != 1)
                return "command " + std::to_string(i + 1) + " of the state is not one command";
            return diverged(i + 1, history[i], results[0]);
        }
    }
    return std::nullopt;
}

} // namespace mm
