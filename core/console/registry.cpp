// The command registry (see registry.h) and the JSON form of a result.
#include "core/console/registry.h"

#include "core/base/registry.h"
#include "core/base/text.h"
#include "core/base/verify.h"

namespace mm {

namespace {

std::vector<CommandSpec>& table() {
    static std::vector<CommandSpec> specs;
    return specs;
}

const CommandSpec* lookup(std::string_view name) {
    for (const CommandSpec& spec : table())
        if (name == spec.name) return &spec;
    return nullptr;
}

void add(const CommandSpec& spec) {
    const int kinds = (spec.read != nullptr) + (spec.write != nullptr) + (spec.lab != nullptr);
    MM_VERIFY(spec.name && spec.usage && spec.summary && spec.help);
    MM_VERIFY(!lookup(spec.name));
    MM_VERIFY(kinds == 1 || (kinds == 2 && spec.read && spec.write && spec.writes));
    table().push_back(spec);
}

} // namespace

void register_command(const CommandText& t, ReadHandler read) {
    add(CommandSpec{t.name, t.usage, t.summary, t.help, read, nullptr, nullptr, nullptr});
}

void register_command(const CommandText& t, WriteHandler write) {
    add(CommandSpec{t.name, t.usage, t.summary, t.help, nullptr, write, nullptr, nullptr});
}

void register_command(const CommandText& t, LabHandler lab) {
    add(CommandSpec{t.name, t.usage, t.summary, t.help, nullptr, nullptr, lab, nullptr});
}

void register_command(const CommandText& t, ReadHandler read, WriteHandler write,
                      bool (*writes)(const CommandLine& line)) {
    add(CommandSpec{t.name, t.usage, t.summary, t.help, read, write, nullptr, writes});
}

const std::vector<CommandSpec>& commands() {
    ensure_registered();
    return table();
}

const CommandSpec* find_command(std::string_view name) {
    ensure_registered();
    return lookup(name);
}

std::string help_list() {
    std::string out;
    for (const CommandSpec& s : commands())
        appendf(out, "%-12s %s\n", s.name, s.summary);
    out += "help COMMAND explains one: what it models, the kernel source, what it leaves out.\n";
    return out;
}

std::string help_text(const CommandSpec& spec) {
    return std::string("usage: ") + spec.usage + "\n" + spec.help + "\n";
}

bool command_writes(const CommandSpec& spec, const CommandLine& line) {
    if (!spec.write) return false;
    return !spec.read || spec.writes(line);
}

bool fail(CommandResult& r, std::string error) {
    r.ok = false;
    r.error = std::move(error);
    return false;
}

std::optional<Args> command_args(const CommandLine& line, const std::vector<std::string_view>& keys,
                                 size_t max_positional, CommandResult& r) {
    auto args = Args::parse(line, keys, max_positional, &r.error);
    if (!args) r.ok = false;
    return args;
}

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

std::string history_line(const HistoryEntry& entry) {
    if (entry.error.empty()) return entry.text;
    return entry.text + std::string(kFailedMarker) + entry.error;
}

} // namespace mm
