// The machine's /proc and /sys files, printed as the kernel's own code prints
// them (mm/vmstat.c, fs/proc/meminfo.c, kernel/sysctl.c), and the writable
// sysctls checked as the kernel checks them.
#pragma once

#include "core/machine.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mm {

// Every file path, sorted.
std::vector<std::string> file_paths(const Machine& m);

// The file's text, or nullopt when there is no such file.
std::optional<std::string> read_file(const Machine& m, std::string_view path);

// The entries of a directory (names, sorted), or nullopt when it is not one.
std::optional<std::vector<std::string>> list_directory(const Machine& m, std::string_view path);

enum class WriteStatus { Ok, NoSuchFile, IsDirectory, PermissionDenied, InvalidArgument };
const char* write_status_text(WriteStatus status); // strerror() text

// Writes text to a file as write(2) would (the value may end with '\n').
WriteStatus write_file(Machine& m, std::string_view path, std::string_view text);

// sysctl names: "vm.min_free_kbytes" <-> "/proc/sys/vm/min_free_kbytes".
std::string sysctl_path(std::string_view name);
std::string sysctl_name(std::string_view path);

} // namespace mm
