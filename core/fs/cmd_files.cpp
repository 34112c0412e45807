// The file commands: cat, echo, sysctl and ls over the registry of /proc
// and /sys files (docs/console.md "cat, echo, sysctl, ls" and "Files: /proc
// and /sys").
#include "core/base/text.h"
#include "core/console/registry.h"
#include "core/fs/fs.h"

namespace mm {

namespace {

// "vm.min_free_kbytes" for a /proc/sys path, else the path.
std::string sysctl_or_path(const std::string& path) {
    return path.rfind("/proc/sys/", 0) == 0 ? sysctl_name(path) : path;
}

void cat_cmd(const Machine& m, const CommandLine& line, CommandResult& r) {
    if (line.words.size() < 2) {
        fail(r, "usage: cat PATH...");
        return;
    }
    std::string out;
    for (size_t i = 1; i < line.words.size(); ++i) {
        const std::string& path = line.words[i];
        auto text = read_file(m, path);
        if (!text) {
            fail(r, "cat: " + quote_input(path) +
                        (list_directory(m, path) ? ": Is a directory"
                                                 : ": No such file or directory"));
            return;
        }
        out += *text;
    }
    r.out = out;
}

// A write the file refused: the shell's own message (what a real machine
// prints), then what the file accepts, so that the student need not guess
// the range; `data` has the path, the value and what it accepts.
void refused_write(CommandResult& r, const std::string& message, const std::string& path,
                   std::string_view value) {
    const std::optional<std::string> accepts = write_accepts(path);
    fail(r, accepts ? message + " (" + sysctl_or_path(path) + " takes " + *accepts + ")" : message);
    if (value.size() && value.back() == '\n') value.remove_suffix(1);
    r.data = {{"path", path}, {"value", std::string(value)}};
    if (accepts) r.data["accepts"] = *accepts;
}

// echo WORDS [> PATH]: '>' may stand alone or start the path word.
struct EchoLine {
    std::string text; // the words joined by spaces, then '\n'
    bool redirect = false;
    std::string path;
    std::string error;
};

EchoLine parse_echo(const CommandLine& line) {
    EchoLine e;
    std::vector<std::string> words;
    for (size_t i = 1; i < line.words.size(); ++i) {
        const std::string& w = line.words[i];
        if (!e.redirect && !w.empty() && w[0] == '>') {
            e.redirect = true;
            if (w.size() > 1)
                e.path = w.substr(1);
            else if (i + 1 < line.words.size())
                e.path = line.words[++i];
            if (i + 1 < line.words.size())
                e.error =
                    "unexpected argument '" + quote_input(line.words[i + 1]) + "' after the path";
            else if (e.path.empty())
                e.error = "echo: a path must follow '>'";
            break;
        }
        words.push_back(w);
    }
    for (size_t i = 0; i < words.size(); ++i)
        e.text += (i ? " " : "") + words[i];
    e.text += "\n";
    return e;
}

bool echo_writes(const CommandLine& line) {
    return parse_echo(line).redirect;
}

void echo_read(const Machine&, const CommandLine& line, CommandResult& r) {
    r.out = parse_echo(line).text;
}

void echo_write(Machine& m, const CommandLine& line, CommandResult& r) {
    const EchoLine e = parse_echo(line);
    if (!e.error.empty()) {
        fail(r, e.error);
        return;
    }
    const WriteStatus status = write_file(m, e.path, e.text);
    if (status == WriteStatus::InvalidArgument)
        refused_write(r, "echo: write error: Invalid argument", e.path, e.text);
    else if (status != WriteStatus::Ok)
        fail(r, quote_input(e.path) + ": " + write_status_text(status));
}

// sysctl NAME | sysctl -w NAME=VALUE | sysctl NAME=VALUE | sysctl -a
struct SysctlLine {
    bool all = false;
    bool write = false;
    std::string path;
    std::string value; // for a write
    std::string error;
};

SysctlLine parse_sysctl(const Machine& m, const CommandLine& line) {
    SysctlLine s;
    if (line.words.size() == 2 && line.words[1] == "-a") {
        s.all = true;
        return s;
    }
    size_t i = 1;
    if (i < line.words.size() && line.words[i] == "-w") {
        s.write = true;
        ++i;
    }
    if (i + 1 != line.words.size()) {
        s.error = "usage: sysctl NAME | sysctl -w NAME=VALUE | sysctl -a";
        return s;
    }
    const std::string& arg = line.words[i];
    const size_t eq = arg.find('=');
    if (eq != std::string::npos) s.write = true;
    if (s.write && eq == std::string::npos) {
        s.error = "sysctl: \"" + quote_input(arg) + "\" must be of the form name=value";
        return s;
    }
    const std::string name = s.write ? arg.substr(0, eq) : arg;
    s.path = sysctl_path(name);
    if (name.empty() || s.path.rfind("/proc/sys/", 0) != 0 || !read_file(m, s.path))
        s.error = "sysctl: cannot stat " + quote_input(s.path) + ": No such file or directory";
    if (s.write) s.value = arg.substr(eq + 1) + "\n";
    return s;
}

// "vm.min_free_kbytes = 67584", as sysctl(8) shows a value.
void show_sysctl(const Machine& m, const std::string& path, CommandResult& r) {
    std::string value = read_file(m, path).value_or("");
    if (!value.empty() && value.back() == '\n') value.pop_back();
    r.out += sysctl_name(path) + " = " + value + "\n";
}

bool sysctl_writes(const CommandLine& line) {
    // The write form is known from the words alone (-w or NAME=VALUE).
    for (size_t i = 1; i < line.words.size(); ++i)
        if (line.words[i] == "-w" || line.words[i].find('=') != std::string::npos) return true;
    return false;
}

void sysctl_read(const Machine& m, const CommandLine& line, CommandResult& r) {
    const SysctlLine s = parse_sysctl(m, line);
    if (!s.error.empty()) {
        fail(r, s.error);
        return;
    }
    if (s.all) {
        for (const std::string& path : file_paths(m))
            if (path.rfind("/proc/sys/", 0) == 0) show_sysctl(m, path, r);
        return;
    }
    show_sysctl(m, s.path, r);
}

void sysctl_write(Machine& m, const CommandLine& line, CommandResult& r) {
    const SysctlLine s = parse_sysctl(m, line);
    if (!s.error.empty()) {
        fail(r, s.error);
        return;
    }
    const WriteStatus status = write_file(m, s.path, s.value);
    if (status != WriteStatus::Ok) {
        refused_write(
            r, "sysctl: setting key \"" + sysctl_name(s.path) + "\": " + write_status_text(status),
            s.path, s.value);
        return;
    }
    show_sysctl(m, s.path, r);
}

void ls_cmd(const Machine& m, const CommandLine& line, CommandResult& r) {
    if (line.words.size() > 2) {
        fail(r, "usage: ls [PATH]");
        return;
    }
    std::string path = line.words.size() == 2 ? line.words[1] : "/";
    if (read_file(m, path)) {
        r.out = path + "\n";
        return;
    }
    auto names = list_directory(m, path);
    if (!names) {
        fail(r, "ls: cannot access '" + quote_input(path) + "': No such file or directory");
        return;
    }
    for (const std::string& n : *names)
        r.out += n + "\n";
}

} // namespace

void register_fs_commands() {
    register_command(
        {"cat", "cat PATH...", "print files of /proc and /sys",
         "Prints files as the kernel prints them: /proc/buddyinfo, /proc/pagetypeinfo,\n"
         "/proc/zoneinfo, /proc/meminfo, /proc/vmstat, /proc/sys/vm/*,\n"
         "/sys/kernel/debug/extfrag/{extfrag_index,unusable_index}.\n"
         "Lines whose values the simulation cannot know are left out (per-CPU pagesets,\n"
         "Percpu, DirectMap*); counters of what is not modelled yet (page cache, slab,\n"
         "anonymous memory) are 0. /proc/pagetypeinfo shows every free block as Movable:\n"
         "one migratetype holds everything until migratetypes are modelled.\n"
         "Follows mm/vmstat.c, fs/proc/meminfo.c, mm/show_mem.c (si_mem_available)."},
        cat_cmd);
    register_command(
        {"echo", "echo VALUE > PATH | echo TEXT", "write a value to a sysctl file",
         "Writes VALUE to a writable file, as the shell's echo does (quote values with\n"
         "spaces: echo \"256 256 32 0 0\" > /proc/sys/vm/lowmem_reserve_ratio).\n"
         "Writes are checked as the kernel checks them: min_free_kbytes >= 0,\n"
         "watermark_scale_factor 1..3000, lowmem_reserve_ratio values below 1 become 0.\n"
         "Watermarks and lowmem_reserve are recomputed at once. Without '>' it prints TEXT."},
        echo_read, echo_write, echo_writes);
    register_command(
        {"sysctl", "sysctl NAME | sysctl -w NAME=VALUE | sysctl -a",
         "read or write kernel parameters (vm.*)",
         "sysctl vm.min_free_kbytes reads /proc/sys/vm/min_free_kbytes; -w writes it\n"
         "(the same checks as echo); -a lists every parameter. Known: vm.min_free_kbytes,\n"
         "vm.watermark_scale_factor, vm.lowmem_reserve_ratio."},
        sysctl_read, sysctl_write, sysctl_writes);
    register_command(
        {"ls", "ls [PATH]", "list the files of /proc and /sys",
         "Lists the entries of a directory of the simulated /proc and /sys, one a line."},
        ls_cmd);
}

} // namespace mm
