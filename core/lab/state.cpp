// Saving and loading the history that makes a machine (see state.h).
#include "core/lab/state.h"

#include "core/base/text.h"
#include "core/console/syntax.h"

#include <algorithm>

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

std::string command_of_state(size_t n, const HistoryEntry& entry) {
    return "command " + std::to_string(n) + " of the state ('" + quote_input(entry.text) + "') ";
}

std::string diverged(size_t n, const HistoryEntry& want, const CommandResult& got) {
    const std::string what = command_of_state(n, want);
    if (!got.ok && !got.kept && want.error.empty()) return what + "failed: " + got.error;
    if (got.ok && !got.changed)
        return what + "changes nothing: a state holds only the commands that made the machine";
    const std::string recorded = quote_input(want.error);
    if (got.ok) return what + "was recorded as failing ('" + recorded + "') but now succeeds";
    if (want.error.empty())
        return what + "was recorded as succeeding but now fails part way: " + got.error;
    if (!got.changed)
        return what + "was recorded as failing part way ('" + recorded +
               "') but now fails without changing the machine: " + got.error;
    return what + "was recorded as failing with '" + recorded + "' but now fails with '" +
           got.error + "'";
}

std::string first_word(const HistoryEntry& entry) {
    const std::vector<CommandLine> lines = split_commands(entry.text);
    return lines.empty() || lines[0].words.empty() ? std::string() : lines[0].words[0];
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

namespace {

// The history's commands, each expected to give its recorded outcome; on a
// difference the lab goes back to `before`. `what` names the text in messages.
std::optional<std::string> run_history(Lab& lab, const std::vector<HistoryEntry>& history,
                                       uint64_t level, const Runner& run,
                                       const Lab::Checkpoint& before, size_t from = 0) {
    for (size_t i = from; i < history.size(); ++i) {
        // `undo` would take back a command of the state itself: a state holds
        // only the commands that remain.
        if (first_word(history[i]) == "undo") {
            lab.restore(before);
            return command_of_state(i + 1, history[i]) +
                   "takes back the one before it: a state holds only the commands that remain";
        }
        const std::vector<CommandResult> results = run(history[i].text);
        const bool same =
            results.size() == 1 && results[0].changed && results[0].error == history[i].error;
        if (!same) {
            lab.restore(before);
            if (results.size() != 1)
                return "command " + std::to_string(i + 1) + " of the state is not one command";
            std::string why = diverged(i + 1, history[i], results[0]);
            if (level < static_cast<uint64_t>(kSimulationLevel))
                why += " (saved at simulation level " + std::to_string(level) +
                       "; this mmlab is level " + std::to_string(kSimulationLevel) +
                       ", where the same commands can make another machine)";
            return why;
        }
    }
    return std::nullopt;
}

Runner runner_of(Lab& lab, const Runner& runner) {
    return runner ? runner : [&lab](std::string_view t) { return lab.run(t); };
}

} // namespace

std::optional<std::string> load_state(Lab& lab, std::string_view text, const Runner& runner) {
    const Runner run = runner_of(lab, runner);
    const size_t nl = text.find('\n');
    std::string error;
    const std::optional<Header> header = parse_header(text.substr(0, nl), &error);
    if (!header) return error;
    const std::vector<HistoryEntry> history =
        parse_history(nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1));
    const Lab::Checkpoint before = lab.checkpoint();
    const bool from_default = history.empty() || first_word(history[0]) != "boot";
    if (from_default && !run("boot").back().ok) {
        lab.restore(before);
        return "the default machine does not boot";
    }
    return run_history(lab, history, header->level, run, before);
}

std::optional<std::string> replay_history(Lab& lab, std::string_view lines, int level, size_t from,
                                          const Runner& runner) {
    const Lab::Checkpoint before = lab.checkpoint();
    return run_history(lab, parse_history(lines), static_cast<uint64_t>(std::max(level, 0)),
                       runner_of(lab, runner), before, from);
}

} // namespace mm
