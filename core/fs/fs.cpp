// The registry of /proc and /sys files, directories derived from their
// paths, and the write(2) path (see fs.h).
#include "core/fs/fs.h"

#include "core/base/registry.h"
#include "core/base/verify.h"

#include <algorithm>

namespace mm {

namespace {

std::vector<FileSpec>& files() {
    static std::vector<FileSpec> table;
    return table;
}

const FileSpec* find_file(std::string_view path) {
    ensure_registered();
    for (const FileSpec& f : files())
        if (path == f.path) return &f;
    return nullptr;
}

std::string normalize(std::string_view path) {
    std::string p(path);
    while (p.size() > 1 && p.back() == '/')
        p.pop_back();
    return p;
}

} // namespace

void register_file(const FileSpec& spec) {
    MM_VERIFY(spec.path && spec.read && !find_file(spec.path));
    files().push_back(spec);
}

std::vector<std::string> file_paths(const Machine&) {
    ensure_registered();
    std::vector<std::string> paths;
    for (const FileSpec& f : files())
        paths.emplace_back(f.path);
    std::sort(paths.begin(), paths.end());
    return paths;
}

std::optional<std::string> read_file(const Machine& m, std::string_view path) {
    const FileSpec* f = find_file(normalize(path));
    if (!f) return std::nullopt;
    return f->read(m);
}

std::optional<std::vector<std::string>> list_directory(const Machine& m, std::string_view path) {
    std::string dir = normalize(path);
    if (dir.empty() || dir[0] != '/') return std::nullopt;
    std::string prefix = dir == "/" ? "/" : dir + "/";
    std::vector<std::string> names;
    for (const std::string& p : file_paths(m)) {
        if (p.compare(0, prefix.size(), prefix) != 0) continue;
        std::string rest = p.substr(prefix.size());
        std::string name = rest.substr(0, rest.find('/'));
        if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    }
    if (names.empty()) return std::nullopt;
    std::sort(names.begin(), names.end());
    return names;
}

const char* write_status_text(WriteStatus status) {
    switch (status) {
    case WriteStatus::Ok:
        return "Success";
    case WriteStatus::NoSuchFile:
        return "No such file or directory";
    case WriteStatus::IsDirectory:
        return "Is a directory";
    case WriteStatus::PermissionDenied:
        return "Permission denied";
    case WriteStatus::InvalidArgument:
        return "Invalid argument";
    }
    return "?";
}

WriteStatus write_file(Machine& m, std::string_view path, std::string_view text) {
    std::string p = normalize(path);
    const FileSpec* f = find_file(p);
    if (!f) return list_directory(m, p) ? WriteStatus::IsDirectory : WriteStatus::NoSuchFile;
    if (!f->write) return WriteStatus::PermissionDenied;
    return f->write(m, text);
}

std::optional<std::string> write_accepts(std::string_view path) {
    const FileSpec* f = find_file(normalize(path));
    if (!f || !f->accepts) return std::nullopt;
    return std::string(f->accepts);
}

std::string sysctl_path(std::string_view name) {
    std::string path = "/proc/sys/";
    for (char c : name)
        path += c == '.' ? '/' : c;
    return path;
}

std::string sysctl_name(std::string_view path) {
    std::string_view p = path;
    if (p.substr(0, 10) == "/proc/sys/") p.remove_prefix(10);
    std::string name;
    for (char c : p)
        name += c == '/' ? '.' : c;
    return name;
}

} // namespace mm
