// What a command gives back (the JSON object `mmlab --json` prints) and what
// the history keeps of it.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace mm {

// The result of one command, as `mmlab --json` prints it.
struct CommandResult {
    std::string cmd; // the command text, trimmed
    bool ok = true;
    std::string out;             // console text; ends with '\n' when not empty
    std::string error;           // one line when !ok
    nlohmann::ordered_json data; // structured result, null when the command has none
    // Set by the lab: the command changed the machine (boot and undo too, or
    // a command kept after failing part-way).
    bool changed = false;
    // Set by a handler that failed the way the kernel fails after doing part
    // of its work: the machine keeps that work and the history keeps the
    // command with its outcome (docs/console.md "Atomic").
    bool kept = false;
};

// {"cmd": ..., "ok": ..., "out": ..., "error": ..., "data": ...} in that key
// order; invalid UTF-8 in command text is replaced, never an abort.
nlohmann::ordered_json to_json(const CommandResult& result);
std::string to_json_line(const CommandResult& result); // to_json() on one line

// A command of the history: its text, and the error it ended with when it
// failed after doing part of its work (empty when it succeeded). Replaying
// the history expects the same outcome.
struct HistoryEntry {
    std::string text;
    std::string error;
    friend bool operator==(const HistoryEntry&, const HistoryEntry&) = default;
};

// The history as text, one command a line; a kept failure is followed by
// the comment "  # failed: ERROR", which running the text as a script skips
// and loading a state reads back as the expected outcome.
std::string history_line(const HistoryEntry& entry);
inline constexpr std::string_view kFailedMarker = "  # failed: ";

} // namespace mm
