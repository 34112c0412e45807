// The lab's own commands: history, undo, events and help (docs/console.md
// "history, undo, events, help"). They act on the lab through LabControl.
#include "core/base/text.h"
#include "core/console/registry.h"

namespace mm {

namespace {

void history_cmd(LabControl& lab, const CommandLine& line, CommandResult& r) {
    if (line.words.size() > 1) {
        fail(r, "usage: history");
        return;
    }
    nlohmann::ordered_json entries = nlohmann::ordered_json::array();
    for (const HistoryEntry& entry : lab.history()) {
        r.out += history_line(entry) + "\n";
        entries.push_back(entry.text);
    }
    r.data = {{"history", entries}};
    nlohmann::ordered_json failed = nlohmann::ordered_json::array();
    for (size_t i = 0; i < lab.history().size(); ++i)
        if (!lab.history()[i].error.empty())
            failed.push_back({{"index", i}, {"error", lab.history()[i].error}});
    if (!failed.empty()) r.data["failed"] = failed;
}

void undo_cmd(LabControl& lab, const CommandLine& line, CommandResult& r) {
    if (line.words.size() > 1) {
        fail(r, "usage: undo");
        return;
    }
    std::string undone;
    if (!lab.undo(&undone)) {
        fail(r, "nothing to undo");
        return;
    }
    r.out = "undid: " + undone + "\n";
    r.data = {{"undone", undone}};
}

// The typed event, as `events` gives it in data: the zone, order and pfn
// only for the kinds of event that name them (a boot or an undo has none,
// and pfn 0 is a real frame on the toy machine).
nlohmann::ordered_json event_json(const Event& e) {
    const bool block = e.type == EventType::Alloc || e.type == EventType::Free ||
                       e.type == EventType::Split || e.type == EventType::Merge ||
                       e.type == EventType::ListAdd;
    const bool kswapd = e.type == EventType::KswapdWake || e.type == EventType::KswapdSleep;
    const bool zone = block || e.type == EventType::WatermarkCrossed || kswapd;
    const bool order = block || kswapd || e.type == EventType::AllocFail;
    nlohmann::ordered_json j = {
        {"seq", e.seq}, {"command", e.command}, {"type", event_type_name(e.type)}};
    if (zone) {
        j["node"] = e.node;
        j["zone"] = zone_kind_name(e.zone_kind);
    }
    if (order) j["order"] = e.order;
    if (block) j["pfn"] = e.pfn;
    j["aux"] = e.aux;
    j["text"] = describe(e);
    return j;
}

void events_cmd(LabControl& lab, const CommandLine& line, CommandResult& r) {
    std::string error;
    auto args = Args::parse(line, {"last", "type"}, 0, &error);
    uint64_t last = 20; // the default: a screenful
    if (!args || !args->number("last", 1, EventLog::kDefaultCapacity, &last, &error)) {
        fail(r, error);
        return;
    }
    std::optional<EventType> type;
    if (auto name = args->get("type")) {
        type = parse_event_type(*name);
        if (!type) {
            std::string names;
            for (unsigned t = 0; t < kNrEventTypes; ++t)
                names += std::string(t ? ", " : "") + event_type_name(static_cast<EventType>(t));
            fail(r, "type=" + quote_input(*name) + ": not an event type (" + names + ")");
            return;
        }
    }
    // The newest `last` events of the type, printed oldest first.
    const EventLog& log = lab.events();
    std::vector<const Event*> picked;
    for (size_t i = log.size(); i-- > 0 && picked.size() < last;) {
        const Event& e = log.at(i);
        if (!type || e.type == *type) picked.push_back(&e);
    }
    nlohmann::ordered_json events = nlohmann::ordered_json::array();
    for (auto it = picked.rbegin(); it != picked.rend(); ++it) {
        appendf(r.out, "%6llu  %s\n", static_cast<unsigned long long>((*it)->seq),
                describe(**it).c_str());
        events.push_back(event_json(**it));
    }
    r.data = {{"events", events}};
}

void help_cmd(LabControl&, const CommandLine& line, CommandResult& r) {
    if (line.words.size() > 2) {
        fail(r, "usage: help [COMMAND]");
        return;
    }
    if (line.words.size() == 1) {
        r.out = help_list();
        return;
    }
    const CommandSpec* topic = find_command(line.words[1]);
    if (!topic) {
        fail(r, "help: no command '" + quote_input(line.words[1]) + "'");
        return;
    }
    r.out = help_text(*topic);
}

} // namespace

void register_console_lab() {
    register_command(
        {"history", "history", "the commands that made the current state",
         "Prints the commands that made the current machine, since the boot that created\n"
         "it: the commands that changed the machine. Read-only and refused commands are\n"
         "not in it. A command that failed after doing part of its work (as the kernel\n"
         "can) stays in it with its outcome, written after it as '  # failed: ERROR'.\n"
         "Running the history as a script rebuilds the same machine."},
        history_cmd);
    register_command(
        {"undo", "undo", "take back the last command of the history",
         "Takes back the last command in the history; undoing a boot brings back the\n"
         "machine before it. The machine is rebuilt by booting and replaying the history;\n"
         "the undone command's events leave the event log, and an Undo event says so."},
        undo_cmd);
    register_command(
        {"events", "events [last=N] [type=TYPE]", "the event log, oldest first",
         "Prints the newest N events (default 20) of the event log, oldest first, one a\n"
         "line with its sequence number, as the Event log panel shows them; type= keeps\n"
         "one kind: Boot, Alloc, Free, Split, Merge, ListAdd, WatermarkCrossed,\n"
         "KswapdWake, AllocFail, Sysctl, Undo, PcpRefill, PcpDrain, KswapdSleep. data.events\n"
         "has the typed events. The log keeps the newest 65536 events. Read-only."},
        events_cmd);
    register_command({"help", "help [COMMAND]", "list commands, or explain one",
                      "help alone lists every command; help COMMAND shows its usage, what it "
                      "models,\nthe kernel source it follows, and what it leaves out."},
                     help_cmd);
}

} // namespace mm
