// The commands of the console language (../shared/CONSOLE.md): their help
// texts and the handlers that act on the machine. Lab dispatches to them;
// boot, undo, history and help live in lab.cpp, since they act on the lab.
#pragma once

#include "core/command.h"
#include "core/lab.h"
#include "core/machine.h"

#include <string>
#include <vector>

namespace mm {

// A handler fills `result` (ok/out/error/data) and sets result.changed when
// it changed the machine. It must change nothing when it fails.
using CommandHandler = void (*)(Machine& m, const CommandLine& line, CommandResult& result);

struct CommandSpec {
    const char* name;
    const char* usage;
    const char* summary;    // one line for `help`
    const char* help;       // what it models, the kernel source, what it leaves out
    CommandHandler handler; // null for the lab's own commands
};

const std::vector<CommandSpec>& command_table();
const CommandSpec* find_command(std::string_view name);

// Parses boot's arguments into params (validated by Machine::validate).
bool parse_boot_args(const CommandLine& line, BootParams* params, std::string* error);

// The `data` of a booted machine: {"zones": [...]} of its populated zones.
nlohmann::ordered_json boot_data(const Machine& m);
std::string boot_summary(const Machine& m);

} // namespace mm
