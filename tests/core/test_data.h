// Reading the real machine's captures of tests/data/live/ (see its README) at
// run time, so that expected text comes from the kernel's own output.
#pragma once

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#ifndef MMLAB_TEST_DATA
#error "tests/CMakeLists.txt sets MMLAB_TEST_DATA to the tests/data folder"
#endif

namespace mm::test {

// The whole file tests/data/NAME, or "" when it cannot be read (the caller
// asserts it is not empty). The wasm tests link with NODERAWFS, so the same
// absolute path works under node.
inline std::string read_test_data(const std::string& name) {
    std::ifstream in(std::string(MMLAB_TEST_DATA) + "/" + name, std::ios::binary);
    if (!in) return "";
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

inline std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> lines;
    size_t start = 0;
    while (start < text.size()) {
        size_t nl = text.find('\n', start);
        if (nl == std::string::npos) nl = text.size();
        lines.push_back(text.substr(start, nl - start));
        start = nl + 1;
    }
    return lines;
}

// The first line of `text` that starts with `prefix`, with its newline; "" if none.
inline std::string line_starting(const std::string& text, const std::string& prefix) {
    size_t at = 0;
    if (text.compare(0, prefix.size(), prefix) != 0) {
        at = text.find('\n' + prefix);
        if (at == std::string::npos) return "";
        ++at;
    }
    size_t nl = text.find('\n', at);
    return text.substr(at, nl == std::string::npos ? std::string::npos : nl - at + 1);
}

// The text from the first occurrence of `from` up to (not including) the next
// occurrence of `to` after it; "" if either is missing.
inline std::string between(const std::string& text, const std::string& from,
                           const std::string& to) {
    size_t a = text.find(from);
    if (a == std::string::npos) return "";
    size_t b = text.find(to, a + from.size());
    if (b == std::string::npos) return "";
    return text.substr(a, b - a);
}

// The value of a "name: value" line of sysctl_vm.txt.
inline std::string sysctl_value(const std::string& text, const std::string& name) {
    std::string line = line_starting(text, name + ": ");
    if (line.empty()) return "";
    std::string value = line.substr(name.size() + 2);
    if (!value.empty() && value.back() == '\n') value.pop_back();
    return value;
}

} // namespace mm::test
