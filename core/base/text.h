// Small text helpers shared by the whole core: trimming, printf into a
// std::string, hex numbers and short quotes of untrusted input.
#pragma once

#include "core/base/types.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace mm {

// s without leading and trailing white space (space, tab, CR, LF, VT, FF).
std::string_view trim(std::string_view s);

// printf-style formatting appended to out, or returned. Output longer than
// 1 KiB a call is cut there (no line the lab prints is that long).
void appendf(std::string& out, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
std::string strprintf(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

// 0x1f3: the form the kernel's %#lx and the console use for pfns.
std::string hex(uint64_t value);
std::string hex(Pfn pfn);
std::string hex(PhysAddr addr);

// Untrusted input for a one-line error: at most kQuoteMax characters of it,
// then "..." (an error line never repeats 300 digits back).
inline constexpr size_t kQuoteMax = 40;
std::string quote_input(std::string_view text);

// A content hash of text (64-bit FNV-1a) as 16 lowercase hex digits: what
// names a lesson's exact text (Lesson::hash) in progress, submissions and
// links. Not a cryptographic hash: it tells versions apart, it does not
// stop a forger.
std::string content_hash(std::string_view text);

// Human sizes for messages: 4096 -> "4K", 1073741824 -> "1G", 1536 -> "1536".
std::string format_size(uint64_t bytes);

} // namespace mm
