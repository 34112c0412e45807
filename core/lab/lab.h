// The lab: one simulated machine, the history of commands that made it, and
// the event log. run() is the only way in: the console panel, buttons,
// lessons, share links, the CLI, the JS API and the tests all call it with
// command text (docs/console.md). Everything else only reads.
#pragma once

#include "core/base/events.h"
#include "core/console/registry.h"
#include "core/console/result.h"
#include "core/mm/machine.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mm {

// Runs command text on a lab: Lab::run itself, or a front end's runner that
// also shows the commands as they run (ui::App::execute). Loading a state
// and reaching a lesson step take one, so that the page makes its machine
// through the console like everything else.
using Runner = std::function<std::vector<CommandResult>(std::string_view text)>;

class Lab final : public LabControl {
  public:
    // Boots the default machine (`boot` with no arguments); the history is empty.
    Lab();
    // A lab holds a machine of up to 256 MiB of struct page: it is never
    // copied or moved (the machine logs into the lab's own event log).
    // To try something and take it back, use checkpoint() and restore().
    Lab(const Lab&) = delete;
    Lab& operator=(const Lab&) = delete;
    ~Lab() = default;

    // Runs every command of `text` in order (newlines and ';' separate them)
    // and returns one result per command. A refused command changes nothing.
    std::vector<CommandResult> run(std::string_view text);

    const Machine& machine() const override { return *m_machine; }
    const EventLog& events() const override { return m_events; }
    // The commands that made the current state, since the boot that created it.
    const std::vector<HistoryEntry>& history() const override { return m_history; }
    std::string history_text() const; // history_line() of each, one a line
    uint32_t commands_run() const { return m_commands_run; }
    // The result of the latest command run (a failed one too), if any: the
    // "outcome of the student's latest command" that lesson checks read.
    const CommandResult* last() const { return m_commands_run ? &m_last : nullptr; }
    // The history just before the latest command ran: running last()'s
    // command on a lab made by it gives this lab and this last() again.
    // A submission records it, so that a task completed by that command
    // can be graded however far the student went on (core/lesson/submission.h).
    std::vector<HistoryEntry> history_before_last() const;
    // Bumped whenever the machine changes (a panel cache can compare it).
    uint64_t generation() const { return m_generation; }

    // What restore() needs to bring the lab back to this moment: the
    // history, the machines before it, the counters and the log's position,
    // and a copy of the machine, which restore() takes back without replay.
    // The copy shares the memmap's sections with the lab's machine until
    // the lab writes one (Machine's copy-on-write), so a checkpoint costs
    // what the machine writes while it lives: a prediction's few sections.
    struct Mark {
        uint64_t first_seq; // the first event the entry logged
        uint32_t command;   // its commands_run() number
    };
    struct Saved {
        BootParams params;
        std::vector<HistoryEntry> history;
        std::vector<Mark> marks;
    };
    struct Checkpoint {
        Saved now;
        std::vector<Saved> previous;
        uint32_t commands_run = 0;
        CommandResult last;
        std::optional<std::vector<HistoryEntry>> before_last;
        uint64_t next_seq = 0;
        std::shared_ptr<const Machine> machine; // the machine now
        uint64_t snapshots_taken = 0;           // undo's snapshots taken until now
    };
    Checkpoint checkpoint() const;
    // Brings the lab back to a checkpoint taken from it; the events logged
    // since are dropped. The generation still counts up (panels redraw).
    void restore(const Checkpoint& cp);

    // Command names, for completion and help.
    static std::vector<std::string> command_names();
    // Paths `cat` can read, for completion.
    std::vector<std::string> file_paths() const;

  private:
    // LabControl: the lab's own commands.
    void boot(const BootParams& params, const std::string& text) override;
    bool undo(std::string* undone) override;

    CommandResult run_one(const CommandLine& line);
    // Boots `params` with the log off and replays `history`, each command
    // expected to give its recorded outcome (a difference is a bug).
    void replay(const BootParams& params, const std::vector<HistoryEntry>& history,
                size_t from = 0);
    void replace_machine(const BootParams& params);
    // Takes a copy of the machine every kSnapshotEvery commands of the
    // history (after run_one) for undo to start from.
    void take_snapshot();

    EventLog m_events; // before m_machine: the machine logs into it as it boots
    std::unique_ptr<Machine> m_machine;
    std::vector<HistoryEntry> m_history;
    std::vector<Mark> m_marks; // one per history entry, for undo
    // Each boot starts a new history; the machine before it is kept as its
    // boot parameters and history, so that `undo` of a boot can bring it back.
    std::vector<Saved> m_previous;
    BootParams m_boot_params;
    uint32_t m_commands_run = 0;
    CommandResult m_last;
    // The history before the latest command, kept only when that command was
    // one of the lab's own (boot, undo...), which replace the history; after
    // any other command it is the history, less the entry it added.
    std::optional<std::vector<HistoryEntry>> m_before_last;
    uint64_t m_generation = 0;
    // Undo's starting points: copies of the machine after the first `entries`
    // commands of the current history, every kSnapshotEvery commands, the
    // latest kMaxSnapshots kept. Undo copies the latest one at or before its
    // target and replays the rest (at most kSnapshotEvery - 1 commands)
    // instead of the whole history. Each copy shares every section the lab
    // has not written since, so they cost at most kMaxSnapshots times the
    // sections written in the last kMaxSnapshots * kSnapshotEvery commands.
    struct Snapshot {
        size_t entries;
        std::shared_ptr<const Machine> machine;
        uint64_t serial; // 1 for the first the lab took, and so on
    };
    uint64_t m_snapshots_taken = 0;
    static constexpr size_t kSnapshotEvery = 32;
    static constexpr size_t kMaxSnapshots = 4;
    std::vector<Snapshot> m_snapshots;
};

} // namespace mm
