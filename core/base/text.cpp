// Small text helpers (see text.h).
#include "core/base/text.h"

#include <algorithm>
#include <cstdarg>
#include <cstdio>

namespace mm {

namespace {

bool is_blank(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

void vappendf(std::string& out, const char* fmt, va_list ap) {
    char buf[1024];
    int n = std::vsnprintf(buf, sizeof buf, fmt, ap);
    if (n > 0) out.append(buf, std::min<size_t>(static_cast<size_t>(n), sizeof buf - 1));
}

} // namespace

std::string_view trim(std::string_view s) {
    size_t b = 0, e = s.size();
    while (b < e && is_blank(s[b]))
        ++b;
    while (e > b && is_blank(s[e - 1]))
        --e;
    return s.substr(b, e - b);
}

void appendf(std::string& out, const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vappendf(out, fmt, ap);
    va_end(ap);
}

std::string strprintf(const char* fmt, ...) {
    std::string out;
    va_list ap;
    va_start(ap, fmt);
    vappendf(out, fmt, ap);
    va_end(ap);
    return out;
}

std::string hex(uint64_t value) {
    return strprintf("0x%llx", static_cast<unsigned long long>(value));
}

std::string hex(Pfn pfn) {
    return hex(pfn.value());
}

std::string hex(PhysAddr addr) {
    return hex(addr.value());
}

std::string quote_input(std::string_view text) {
    if (text.size() <= kQuoteMax) return std::string(text);
    // Cut before a UTF-8 continuation byte, never inside a character.
    size_t cut = kQuoteMax;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xc0) == 0x80)
        --cut;
    return std::string(text.substr(0, cut)) + "...";
}

std::string format_size(uint64_t bytes) {
    static const char suffix[] = {'T', 'G', 'M', 'K'};
    static const unsigned shifts[] = {40, 30, 20, 10};
    for (int i = 0; i < 4; ++i) {
        uint64_t unit = uint64_t{1} << shifts[i];
        if (bytes >= unit && bytes % unit == 0) return std::to_string(bytes / unit) + suffix[i];
    }
    return std::to_string(bytes);
}

std::string content_hash(std::string_view text) {
    uint64_t h = 0xcbf29ce484222325ull; // FNV-1a 64: offset basis and prime
    for (unsigned char c : text) {
        h ^= c;
        h *= 0x100000001b3ull;
    }
    return strprintf("%016llx", static_cast<unsigned long long>(h));
}

} // namespace mm
