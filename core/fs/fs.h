// The machine's /proc and /sys files: a registry that each file family
// (buddyinfo.cpp, zoneinfo.cpp, ... in this folder, and later subsystems)
// fills with its paths, readers and writers. Files print as the kernel's own
// code prints them; writes are checked as the kernel checks them.
#pragma once

#include "core/mm/machine.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mm {

enum class WriteStatus { Ok, NoSuchFile, IsDirectory, PermissionDenied, InvalidArgument };
const char* write_status_text(WriteStatus status); // strerror() text

// One file: its absolute path, how it reads, and how a write(2) of text to it
// is checked and applied (null: read-only, "Permission denied").
struct FileSpec {
    const char* path;
    std::string (*read)(const Machine&);
    WriteStatus (*write)(Machine&, std::string_view);
    // For a writable file: what a write may hold, as the kernel's handler
    // checks it ("an integer from 1 to 3000"), added to an "Invalid argument"
    // so that a refused value says what is allowed.
    const char* accepts = nullptr;
};

// Adds a file (a subsystem's register function calls this). A path given
// twice is a bug.
void register_file(const FileSpec& spec);

// Every file path, sorted.
std::vector<std::string> file_paths(const Machine& m);

// The file's text, or nullopt when there is no such file.
std::optional<std::string> read_file(const Machine& m, std::string_view path);

// The entries of a directory (names, sorted), or nullopt when it is not one.
std::optional<std::vector<std::string>> list_directory(const Machine& m, std::string_view path);

// Writes text to a file as write(2) would (the value may end with '\n').
WriteStatus write_file(Machine& m, std::string_view path, std::string_view text);

// What the file at `path` accepts (FileSpec::accepts), or nullopt.
std::optional<std::string> write_accepts(std::string_view path);

// sysctl names: "vm.min_free_kbytes" <-> "/proc/sys/vm/min_free_kbytes".
std::string sysctl_path(std::string_view name);
std::string sysctl_name(std::string_view path);

} // namespace mm
