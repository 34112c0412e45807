// The command registry: every command of the console language (docs/console.md)
// with its help text and handler. Subsystems register their commands from
// their own folders (mm/cmd_page_alloc.cpp, fs/cmd_files.cpp, ...); the lab
// dispatches by name and decides from the handler's type whether the
// command may change the machine and so enter the history.
#pragma once

#include "core/base/events.h"
#include "core/console/result.h"
#include "core/console/syntax.h"
#include "core/mm/machine.h"

#include <string>
#include <string_view>
#include <vector>

namespace mm {

// What commands that act on the lab itself (boot, undo, history, events,
// help) may ask of it; lab/ implements it, so console/ needs no lab/.
class LabControl {
  public:
    virtual const Machine& machine() const = 0;
    virtual const EventLog& events() const = 0;
    virtual const std::vector<HistoryEntry>& history() const = 0;
    // Replaces the machine with a freshly booted one and starts a new
    // history with `text` (the boot command). params passed Machine::validate.
    virtual void boot(const BootParams& params, const std::string& text) = 0;
    // Takes back the last command of the history; false when it is empty.
    virtual bool undo(std::string* undone) = 0;

  protected:
    ~LabControl() = default;
};

// A read handler only looks; a write handler may change the machine and
// must change nothing when it fails (unless it sets result.kept); a lab
// handler acts on the lab. Each fills result.ok/out/error/data.
using ReadHandler = void (*)(const Machine& m, const CommandLine& line, CommandResult& result);
using WriteHandler = void (*)(Machine& m, const CommandLine& line, CommandResult& result);
using LabHandler = void (*)(LabControl& lab, const CommandLine& line, CommandResult& result);

struct CommandSpec {
    const char* name;
    const char* usage;
    const char* summary; // one line for `help`
    const char* help;    // what it models, the kernel source, what it leaves out
    ReadHandler read = nullptr;
    WriteHandler write = nullptr;
    LabHandler lab = nullptr;
    // For a command with both a read and a write form (echo, sysctl): whether
    // this line is the write form.
    bool (*writes)(const CommandLine& line) = nullptr;
};

// A command's texts, as register_command() takes them.
struct CommandText {
    const char* name;
    const char* usage;
    const char* summary;
    const char* help;
};

// Adds a command (from a subsystem's register function), with its one kind
// of handler, or a read and a write form told apart by `writes`. A name
// given twice is a bug.
void register_command(const CommandText& text, ReadHandler read);
void register_command(const CommandText& text, WriteHandler write);
void register_command(const CommandText& text, LabHandler lab);
void register_command(const CommandText& text, ReadHandler read, WriteHandler write,
                      bool (*writes)(const CommandLine& line));

// Every command, in registration order (the order `help` lists them).
const std::vector<CommandSpec>& commands();
const CommandSpec* find_command(std::string_view name);

// The texts `help` prints, built from the table: help_list() for `help`
// alone (every command and its summary), help_text() for `help COMMAND`
// (its usage, then its help). mmlab --help-reference builds
// docs/commands.md from the same table.
std::string help_list();
std::string help_text(const CommandSpec& spec);

// Whether this line of this command may change the machine.
bool command_writes(const CommandSpec& spec, const CommandLine& line);

// Fails a result with one line; returns false so handlers can `return fail(...)`.
bool fail(CommandResult& r, std::string error);

// Handler helpers. command_args(): Args::parse() of the line, failing r on
// an error. read_ok(): a typed reader's result (its error already in
// r.error), failing r when it is false:
//   if (!read_ok(r, args->number("order", 0, MAX_PAGE_ORDER, &order, &r.error))) return;
std::optional<Args> command_args(const CommandLine& line, const std::vector<std::string_view>& keys,
                                 size_t max_positional, CommandResult& r);
inline bool read_ok(CommandResult& r, bool ok) {
    if (!ok) r.ok = false;
    return ok;
}

} // namespace mm
