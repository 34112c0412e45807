// The lab: one simulated machine, the history of commands that made it, and
// the event log. run() is the only way in: the console panel, buttons,
// lessons, share links, the CLI, the JS API and the tests all call it with
// command text (../shared/CONSOLE.md). Everything else only reads.
#pragma once

#include "core/events.h"
#include "core/machine.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace mm {

// The result of one command, as `mmlab --json` prints it.
struct CommandResult {
    std::string cmd; // the command text, trimmed
    bool ok = true;
    std::string out;             // console text; ends with '\n' when not empty
    std::string error;           // one line when !ok
    nlohmann::ordered_json data; // structured result, null when the command has none
    bool changed = false;        // the command changed the machine (it entered the history)
};

// {"cmd": ..., "ok": ..., "out": ..., "error": ..., "data": ...} in that key
// order; invalid UTF-8 in command text is replaced, never an abort.
nlohmann::ordered_json to_json(const CommandResult& result);
std::string to_json_line(const CommandResult& result); // to_json() on one line

class Lab {
  public:
    // Boots the default machine (`boot` with no arguments); the history is empty.
    Lab();
    // A deep copy (the machine, history and event log), e.g. to compute what a
    // command would do without doing it.
    Lab(const Lab& other);
    Lab& operator=(const Lab& other);

    // Runs every command of `text` in order (newlines and ';' separate them)
    // and returns one result per command. A failed command changes nothing.
    std::vector<CommandResult> run(std::string_view text);

    const Machine& machine() const { return *m_machine; }
    const EventLog& events() const { return m_events; }
    // The commands that made the current state, since the boot that created it.
    const std::vector<std::string>& history() const { return m_history; }
    std::string history_text() const; // one command per line
    uint32_t commands_run() const { return m_commands_run; }
    // The result of the latest command run (a failed one too), if any: the
    // "outcome of the student's latest command" that lesson checks read.
    const CommandResult* last() const { return m_commands_run ? &m_last : nullptr; }
    // Bumped whenever the machine changes (a panel cache can compare it).
    uint64_t generation() const { return m_generation; }

    // Command names, for completion and help.
    static std::vector<std::string> command_names();
    // Paths `cat` can read, for completion.
    std::vector<std::string> file_paths() const;

  private:
    friend class CommandContext;
    CommandResult run_one(const struct CommandLine& line);
    void replay(std::vector<std::string> history, const BootParams& params);

    EventLog m_events; // before m_machine: the machine logs into it as it boots
    std::unique_ptr<Machine> m_machine;
    std::vector<std::string> m_history;
    // Each boot starts a new history; the machine before it is kept as its
    // boot parameters and history, so that `undo` of a boot can bring it back.
    struct Saved {
        BootParams params;
        std::vector<std::string> history;
    };
    std::vector<Saved> m_previous;
    BootParams m_boot_params;
    uint32_t m_commands_run = 0;
    CommandResult m_last;
    uint64_t m_generation = 0;
};

} // namespace mm
