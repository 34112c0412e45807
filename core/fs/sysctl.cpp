// The vm sysctls of /proc/sys/vm/, parsed as proc_dointvec parses a write
// (kernel/sysctl.c) and checked by the machine's setters.
#include "core/fs/internal.h"

namespace mm {

namespace {

// proc_dointvec's parser: whitespace-separated integers, an optional '-',
// base as strtoul(..., 0): 0x hex, leading 0 octal, else decimal.
std::optional<std::vector<int64_t>> parse_int_vector(std::string_view text) {
    std::vector<int64_t> values;
    size_t i = 0;
    auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n'; };
    while (i < text.size()) {
        while (i < text.size() && space(text[i]))
            ++i;
        if (i == text.size()) break;
        bool neg = false;
        if (text[i] == '-') {
            neg = true;
            ++i;
        }
        unsigned base = 10;
        if (i + 1 < text.size() && text[i] == '0' && (text[i + 1] == 'x' || text[i + 1] == 'X')) {
            base = 16;
            i += 2;
        } else if (i < text.size() && text[i] == '0') {
            base = 8;
        }
        size_t start = i;
        uint64_t v = 0;
        while (i < text.size() && !space(text[i])) {
            char c = text[i];
            unsigned d;
            if (c >= '0' && c <= '9')
                d = static_cast<unsigned>(c - '0');
            else if (c >= 'a' && c <= 'f')
                d = static_cast<unsigned>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F')
                d = static_cast<unsigned>(c - 'A' + 10);
            else
                return std::nullopt;
            if (d >= base) return std::nullopt;
            v = v * base + d;
            if (v > (uint64_t{1} << 40)) return std::nullopt;
            ++i;
        }
        if (i == start && base != 8) return std::nullopt;
        values.push_back(neg ? -static_cast<int64_t>(v) : static_cast<int64_t>(v));
    }
    if (values.empty()) return std::nullopt;
    return values;
}

std::string int_vector_text(const std::vector<int>& values) {
    std::string out;
    for (size_t i = 0; i < values.size(); ++i) {
        if (i) out += '\t';
        out += std::to_string(values[i]);
    }
    return out + "\n";
}

WriteStatus write_scalar(Machine& m, std::string_view text,
                         std::optional<std::string> (Machine::*setter)(int64_t)) {
    auto values = parse_int_vector(text);
    if (!values || values->size() != 1) return WriteStatus::InvalidArgument;
    return (m.*setter)(values->front()) ? WriteStatus::InvalidArgument : WriteStatus::Ok;
}

} // namespace

void register_fs_sysctl() {
    register_file(
        {"/proc/sys/vm/lowmem_reserve_ratio",
         [](const Machine& m) { return int_vector_text(m.sysctl().lowmem_reserve_ratio); },
         [](Machine& m, std::string_view text) {
             auto values = parse_int_vector(text);
             if (!values) return WriteStatus::InvalidArgument;
             return m.set_lowmem_reserve_ratio(*values) ? WriteStatus::InvalidArgument
                                                        : WriteStatus::Ok;
         },
         "one integer per zone at most, the first zones' ratios (below 1: no reserve)"});
    register_file(
        {"/proc/sys/vm/min_free_kbytes",
         [](const Machine& m) { return std::to_string(m.sysctl().min_free_kbytes) + "\n"; },
         [](Machine& m, std::string_view text) {
             return write_scalar(m, text, &Machine::set_min_free_kbytes);
         },
         "a number of kB from 0 to 2147483647"});
    register_file(
        {"/proc/sys/vm/watermark_scale_factor",
         [](const Machine& m) { return std::to_string(m.sysctl().watermark_scale_factor) + "\n"; },
         [](Machine& m, std::string_view text) {
             return write_scalar(m, text, &Machine::set_watermark_scale_factor);
         },
         "an integer from 1 to 3000"});
    register_file(
        {"/proc/sys/vm/percpu_pagelist_high_fraction",
         [](const Machine& m) {
             return std::to_string(m.sysctl().percpu_pagelist_high_fraction) + "\n";
         },
         [](Machine& m, std::string_view text) {
             return write_scalar(m, text, &Machine::set_percpu_pagelist_high_fraction);
         },
         "0 (each CPU's high from the low watermark, auto-tuned up to an eighth of the zone) "
         "or at least 8 (high fixed at managed / N split across the node's CPUs)"});
}

} // namespace mm
