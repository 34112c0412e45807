// The lab: dispatches command text to the machine, keeps the history that
// made the current state, and rebuilds earlier states for `undo` by booting
// and replaying (the core is deterministic, so replay gives the same machine).
#include "core/lab.h"

#include "core/command.h"
#include "core/commands.h"
#include "core/procfs.h"
#include "core/verify.h"

#include <cstdio>

namespace mm {

nlohmann::ordered_json to_json(const CommandResult& r) {
    nlohmann::ordered_json j;
    j["cmd"] = r.cmd;
    j["ok"] = r.ok;
    j["out"] = r.out;
    if (r.ok)
        j["error"] = nullptr;
    else
        j["error"] = r.error;
    j["data"] = r.data;
    return j;
}

std::string to_json_line(const CommandResult& r) {
    return to_json(r).dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

Lab::Lab() : m_machine(std::make_unique<Machine>(BootParams{}, &m_events)) {}

Lab::Lab(const Lab& other)
    : m_events(other.m_events), m_machine(std::make_unique<Machine>(*other.m_machine)),
      m_history(other.m_history), m_previous(other.m_previous), m_boot_params(other.m_boot_params),
      m_commands_run(other.m_commands_run), m_last(other.m_last), m_generation(other.m_generation) {
    m_machine->set_event_log(&m_events);
}

Lab& Lab::operator=(const Lab& other) {
    if (this == &other) return *this;
    m_events = other.m_events;
    m_machine = std::make_unique<Machine>(*other.m_machine);
    m_machine->set_event_log(&m_events);
    m_history = other.m_history;
    m_previous = other.m_previous;
    m_boot_params = other.m_boot_params;
    m_commands_run = other.m_commands_run;
    m_last = other.m_last;
    m_generation = other.m_generation;
    return *this;
}

std::vector<std::string> Lab::command_names() {
    std::vector<std::string> names;
    for (const CommandSpec& spec : command_table())
        names.emplace_back(spec.name);
    return names;
}

std::vector<std::string> Lab::file_paths() const {
    return mm::file_paths(*m_machine);
}

std::string Lab::history_text() const {
    std::string text;
    for (const std::string& line : m_history)
        text += line + "\n";
    return text;
}

std::vector<CommandResult> Lab::run(std::string_view text) {
    std::vector<CommandResult> results;
    for (const CommandLine& line : split_commands(text)) {
        ++m_commands_run;
        m_events.set_command(m_commands_run);
        results.push_back(run_one(line));
        m_last = results.back();
#ifdef MMLAB_CHECK_INVARIANTS
        if (auto broken = m_machine->check_invariants()) {
            std::fprintf(stderr, "mmlab: after '%s': %s\n", line.text.c_str(), broken->c_str());
            verify_failed("check_invariants()", __func__, __FILE__, __LINE__);
        }
#endif
    }
    return results;
}

// Rebuilds the machine from boot parameters and a history, with the event log
// off (the replayed events happened before).
void Lab::replay(std::vector<std::string> history, const BootParams& params) {
    const bool was_enabled = m_events.enabled();
    m_events.set_enabled(false);
    m_machine = std::make_unique<Machine>(params, &m_events);
    m_boot_params = params;
    m_history.clear();
    for (const std::string& text : history) {
        for (const CommandLine& line : split_commands(text)) {
            // A history starts with the boot that made it: already done above.
            if (m_history.empty() && !line.words.empty() && line.words[0] == "boot") {
                m_history.push_back(line.text);
                continue;
            }
            run_one(line); // a history holds only commands that succeeded
        }
    }
    m_events.set_enabled(was_enabled);
}

CommandResult Lab::run_one(const CommandLine& line) {
    CommandResult r;
    r.cmd = line.text;
    if (!line.error.empty()) {
        r.ok = false;
        r.error = line.error;
        return r;
    }
    const std::string& name = line.words[0];
    const CommandSpec* spec = find_command(name);
    if (!spec) {
        r.ok = false;
        r.error = "unknown command '" + name + "' (try help)";
        return r;
    }

    if (spec->handler) {
        spec->handler(*m_machine, line, r);
        if (r.ok && r.changed) {
            m_history.push_back(line.text);
            ++m_generation;
        }
        return r;
    }

    if (name == "boot") {
        BootParams params;
        std::string error;
        if (!parse_boot_args(line, &params, &error)) {
            r.ok = false;
            r.error = error;
            return r;
        }
        m_previous.push_back(Saved{m_boot_params, m_history});
        m_machine = std::make_unique<Machine>(params, &m_events);
        m_boot_params = params;
        m_history.assign(1, line.text);
        ++m_generation;
        r.changed = true;
        r.out = boot_summary(*m_machine);
        r.data = boot_data(*m_machine);
    } else if (name == "history") {
        if (line.words.size() > 1) {
            r.ok = false;
            r.error = "usage: history";
            return r;
        }
        r.out = history_text();
        r.data = {{"history", m_history}};
    } else if (name == "undo") {
        if (line.words.size() > 1) {
            r.ok = false;
            r.error = "usage: undo";
            return r;
        }
        if (m_history.empty()) {
            r.ok = false;
            r.error = "nothing to undo";
            return r;
        }
        std::string undone = m_history.back();
        std::vector<std::string> rest(m_history.begin(), m_history.end() - 1);
        if (rest.empty() && split_commands(undone).front().words[0] == "boot" &&
            !m_previous.empty()) {
            Saved before = m_previous.back();
            m_previous.pop_back();
            replay(before.history, before.params);
        } else {
            replay(rest, m_boot_params);
        }
        ++m_generation;
        r.out = "undid: " + undone + "\n";
        r.data = {{"undone", undone}};
    } else if (name == "help") {
        if (line.words.size() > 2) {
            r.ok = false;
            r.error = "usage: help [COMMAND]";
            return r;
        }
        if (line.words.size() == 1) {
            for (const CommandSpec& s : command_table()) {
                char buf[160];
                std::snprintf(buf, sizeof buf, "%-12s %s\n", s.name, s.summary);
                r.out += buf;
            }
            r.out += "help COMMAND explains one: what it models, the kernel source, what it leaves "
                     "out.\n";
        } else {
            const CommandSpec* topic = find_command(line.words[1]);
            if (!topic) {
                r.ok = false;
                r.error = "help: no command '" + line.words[1] + "'";
                return r;
            }
            r.out = std::string("usage: ") + topic->usage + "\n" + topic->help + "\n";
        }
    }
    return r;
}

} // namespace mm
