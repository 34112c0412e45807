// The lab: dispatches command text to the registered commands, keeps the
// history that made the current state, and rebuilds earlier states for
// `undo` and restore() by booting and replaying (the core is deterministic,
// so replay gives the same machine).
#include "core/lab/lab.h"

#include "core/base/text.h"
#include "core/base/verify.h"
#include "core/console/syntax.h"
#include "core/fs/fs.h"
#include "core/mm/invariants.h"

#include <cstdio>

namespace mm {

Lab::Lab() {
    replace_machine(BootParams{});
}

std::vector<std::string> Lab::command_names() {
    std::vector<std::string> names;
    for (const CommandSpec& spec : commands())
        names.emplace_back(spec.name);
    return names;
}

std::vector<std::string> Lab::file_paths() const {
    return mm::file_paths(*m_machine);
}

std::string Lab::history_text() const {
    std::string text;
    for (const HistoryEntry& entry : m_history)
        text += history_line(entry) + "\n";
    return text;
}

std::vector<CommandResult> Lab::run(std::string_view text) {
    std::vector<CommandResult> results;
    for (const CommandLine& line : split_commands(text)) {
        ++m_commands_run;
        m_events.set_command(m_commands_run);
        const CommandSpec* spec = line.words.empty() ? nullptr : find_command(line.words[0]);
        if (spec != nullptr && spec->lab)
            m_before_last = m_history;
        else
            m_before_last.reset();
        results.push_back(run_one(line));
        m_last = results.back();
#ifdef MMLAB_CHECK_INVARIANTS
        if (auto broken = check_invariants(*m_machine)) {
            std::fprintf(stderr, "mmlab: after '%s': %s\n", line.text.c_str(), broken->c_str());
            verify_failed("check_invariants()", __func__, __FILE__, __LINE__);
        }
#endif
    }
    return results;
}

// The old machine goes before the new one is built: one memmap at a time.
void Lab::replace_machine(const BootParams& params) {
    m_machine.reset();
    m_machine = std::make_unique<Machine>(params, &m_events);
    m_boot_params = params;
}

// `from` > 0: the machine already is what the first `from` entries made
// (a snapshot's copy); only the rest is run.
void Lab::replay(const BootParams& params, const std::vector<HistoryEntry>& history, size_t from) {
    const bool was_enabled = m_events.enabled();
    m_events.set_enabled(false);
    if (from == 0) replace_machine(params);
    m_history.assign(history.begin(), history.begin() + static_cast<long>(from));
    m_marks.assign(from, Mark{0, 0}); // the caller puts back the marks of the replayed entries
    for (size_t i = from; i < history.size(); ++i) {
        const HistoryEntry& entry = history[i];
        const std::vector<CommandLine> lines = split_commands(entry.text);
        MM_VERIFY(lines.size() == 1);
        // A history starts with the boot that made it: already done above.
        if (m_history.empty() && lines[0].words[0] == "boot") {
            m_history.push_back(entry);
            m_marks.push_back(Mark{0, 0});
            continue;
        }
        const CommandResult r = run_one(lines[0]);
        // The core is deterministic: a recorded outcome must recur.
        MM_VERIFY(r.changed && r.error == entry.error);
    }
    m_events.set_enabled(was_enabled);
}

void Lab::take_snapshot() {
    const size_t entries = m_history.size();
    if (entries == 0 || entries % kSnapshotEvery != 0) return;
    if (!m_snapshots.empty() && m_snapshots.back().entries >= entries) return;
    m_snapshots.push_back(
        Snapshot{entries, std::make_shared<const Machine>(*m_machine), ++m_snapshots_taken});
    if (m_snapshots.size() > kMaxSnapshots) m_snapshots.erase(m_snapshots.begin());
}

CommandResult Lab::run_one(const CommandLine& line) {
    CommandResult r;
    r.cmd = line.text;
    if (!line.error.empty()) {
        fail(r, line.error);
        return r;
    }
    const std::string& name = line.words[0];
    const CommandSpec* spec = find_command(name);
    if (!spec) {
        fail(r, "unknown command '" + quote_input(name) + "' (try help)");
        return r;
    }
    if (spec->lab) {
        const uint64_t generation = m_generation;
        spec->lab(*this, line, r);
        r.changed = m_generation != generation;
        return r;
    }
    if (!command_writes(*spec, line)) {
        spec->read(*m_machine, line, r);
        return r;
    }
    const Mark mark{m_events.last_seq() + 1, m_commands_run};
    spec->write(*m_machine, line, r);
    if (r.ok || r.kept) {
        r.changed = true;
        m_history.push_back(HistoryEntry{line.text, r.ok ? std::string() : r.error});
        m_marks.push_back(mark);
        ++m_generation;
        take_snapshot();
    }
    return r;
}

void Lab::boot(const BootParams& params, const std::string& text) {
    const Mark mark{m_events.last_seq() + 1, m_commands_run};
    m_previous.push_back(Saved{m_boot_params, std::move(m_history), std::move(m_marks)});
    replace_machine(params);
    m_snapshots.clear();
    m_history.assign(1, HistoryEntry{text, {}});
    m_marks.assign(1, mark);
    ++m_generation;
}

bool Lab::undo(std::string* undone) {
    if (m_history.empty()) return false;
    *undone = m_history.back().text;
    const Mark mark = m_marks.back();
    m_history.pop_back();
    m_marks.pop_back();
    if (m_history.empty() && !m_previous.empty()) {
        // Undoing a boot brings back the machine before it.
        Saved before = std::move(m_previous.back());
        m_previous.pop_back();
        m_snapshots.clear();
        replay(before.params, before.history);
        m_marks = std::move(before.marks);
    } else {
        const std::vector<HistoryEntry> rest = m_history;
        const std::vector<Mark> marks = m_marks;
        // From the latest snapshot the undo leaves standing, else from boot.
        while (!m_snapshots.empty() && m_snapshots.back().entries > rest.size())
            m_snapshots.pop_back();
        size_t from = 0;
        if (!m_snapshots.empty()) {
            *m_machine = *m_snapshots.back().machine;
            m_machine->set_log(&m_events);
            from = m_snapshots.back().entries;
        }
        replay(m_boot_params, rest, from);
        m_marks = marks;
    }
    // The undone command's events go; an Undo event says which command it was.
    m_events.truncate(mark.first_seq);
    Event e;
    e.type = EventType::Undo;
    e.aux = mark.command;
    m_events.record(e);
    ++m_generation;
    return true;
}

std::vector<HistoryEntry> Lab::history_before_last() const {
    if (m_before_last) return *m_before_last;
    std::vector<HistoryEntry> before = m_history;
    if (m_commands_run != 0 && m_last.changed && !before.empty()) before.pop_back();
    return before;
}

Lab::Checkpoint Lab::checkpoint() const {
    return Checkpoint{Saved{m_boot_params, m_history, m_marks},
                      m_previous,
                      m_commands_run,
                      m_last,
                      m_before_last,
                      m_events.last_seq() + 1,
                      std::make_shared<const Machine>(*m_machine),
                      m_snapshots_taken};
}

void Lab::restore(const Checkpoint& cp) {
    m_previous = cp.previous;
    if (cp.machine) {
        // The copy taken then: no replay. The snapshots still here that were
        // taken before the checkpoint were there then, so they are of its
        // history; later ones are of another future.
        *m_machine = *cp.machine;
        m_machine->set_log(&m_events);
        m_boot_params = cp.now.params;
        m_history = cp.now.history;
        while (!m_snapshots.empty() && m_snapshots.back().serial > cp.snapshots_taken)
            m_snapshots.pop_back();
    } else {
        m_snapshots.clear();
        replay(cp.now.params, cp.now.history);
    }
    m_marks = cp.now.marks;
    m_commands_run = cp.commands_run;
    m_last = cp.last;
    m_before_last = cp.before_last;
    m_events.truncate(cp.next_seq);
    m_events.set_command(m_commands_run);
    ++m_generation;
}

} // namespace mm
