// The console's syntax: splitting input into commands and words, numbers and
// sizes, key=value arguments. See docs/console.md "Syntax".
#include "core/console/syntax.h"

#include "core/base/text.h"

#include <algorithm>
#include <charconv>

namespace mm {

namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

bool is_key_name(std::string_view s) {
    if (s.empty()) return false;
    if (!((s[0] >= 'a' && s[0] <= 'z') || s[0] == '_')) return false;
    for (char c : s)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
    return true;
}

} // namespace

// Splits at '\n' and ';' outside double quotes; '#' outside quotes starts a
// comment that runs to the end of the line.
std::vector<CommandLine> split_commands(std::string_view input) {
    std::vector<CommandLine> commands;
    CommandLine current;
    std::string word;
    bool in_word = false, in_quote = false, in_comment = false;
    size_t text_start = 0;

    auto finish = [&](size_t text_end) {
        if (in_quote) {
            current.error = "unterminated quote";
            if (in_word) current.words.push_back(word);
        } else if (in_word) {
            current.words.push_back(word);
        }
        current.text = std::string(trim(input.substr(text_start, text_end - text_start)));
        if (!current.words.empty() || !current.error.empty())
            commands.push_back(std::move(current));
        current = CommandLine{};
        word.clear();
        in_word = in_quote = false;
    };

    for (size_t i = 0; i < input.size(); ++i) {
        char c = input[i];
        if (in_comment) {
            if (c == '\n') {
                in_comment = false;
                text_start = i + 1;
            }
            continue;
        }
        if (c == '\n') {
            finish(i);
            text_start = i + 1;
            continue;
        }
        if (in_quote) {
            if (c == '"')
                in_quote = false;
            else
                word += c;
            continue;
        }
        if (c == '"') {
            in_quote = true;
            in_word = true;
        } else if (c == ';') {
            finish(i);
            text_start = i + 1;
        } else if (c == '#') {
            finish(i);
            in_comment = true;
        } else if (is_space(c)) {
            if (in_word) current.words.push_back(word);
            word.clear();
            in_word = false;
        } else {
            word += c;
            in_word = true;
        }
    }
    if (!in_comment) finish(input.size());
    return commands;
}

std::optional<int64_t> parse_signed(std::string_view text) {
    const bool negative = !text.empty() && text[0] == '-';
    const std::optional<uint64_t> v = parse_number(negative ? text.substr(1) : text);
    if (!v || *v > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
    return negative ? -static_cast<int64_t>(*v) : static_cast<int64_t>(*v);
}

std::optional<int64_t> leading_integer(std::string_view text, bool skip_to_digits) {
    auto digit = [](char c) { return c >= '0' && c <= '9'; };
    size_t start = 0;
    if (skip_to_digits)
        while (start < text.size() && !digit(text[start]) && text[start] != '-')
            ++start;
    size_t end = start + (start < text.size() && text[start] == '-' ? 1 : 0);
    while (end < text.size() && digit(text[end]))
        ++end;
    return parse_signed(text.substr(start, end - start));
}

std::optional<uint64_t> parse_number(std::string_view text) {
    if (text.empty()) return std::nullopt;
    int base = 10;
    if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        base = 16;
        text.remove_prefix(2);
    }
    for (char c : text) {
        bool ok = (c >= '0' && c <= '9') ||
                  (base == 16 && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
        if (!ok) return std::nullopt;
    }
    uint64_t value = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
    if (ec != std::errc{} || ptr != text.data() + text.size()) return std::nullopt;
    return value;
}

std::optional<uint64_t> parse_size(std::string_view text) {
    if (text.empty()) return std::nullopt;
    unsigned shift = 0;
    switch (text.back()) {
    case 'K':
    case 'k':
        shift = 10;
        break;
    case 'M':
    case 'm':
        shift = 20;
        break;
    case 'G':
    case 'g':
        shift = 30;
        break;
    case 'T':
    case 't':
        shift = 40;
        break;
    default:
        break;
    }
    if (shift) text.remove_suffix(1);
    auto value = parse_number(text);
    if (!value) return std::nullopt;
    if (shift && *value > (UINT64_MAX >> shift)) return std::nullopt;
    return *value << shift;
}

bool valid_name(std::string_view name) {
    if (name.empty() || name.size() > 64) return false;
    auto letter = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    };
    if (!letter(name[0])) return false;
    for (char c : name)
        if (!(letter(c) || (c >= '0' && c <= '9') || c == '-' || c == '.')) return false;
    return true;
}

std::optional<Args> Args::parse(const std::vector<std::string>& words,
                                const std::vector<std::string_view>& known_keys,
                                std::string* error) {
    Args args;
    for (size_t i = 1; i < words.size(); ++i) {
        const std::string& w = words[i];
        size_t eq = w.find('=');
        if (eq == std::string::npos || !is_key_name(std::string_view(w).substr(0, eq))) {
            args.m_positional.push_back(w);
            continue;
        }
        std::string key = w.substr(0, eq);
        bool known = false;
        for (std::string_view k : known_keys)
            known = known || k == key;
        if (!known) {
            *error = "unknown argument '" + quote_input(key) + "'";
            return std::nullopt;
        }
        if (args.has(key)) {
            *error = "argument '" + key + "' given twice";
            return std::nullopt;
        }
        args.m_pairs.emplace_back(key, w.substr(eq + 1));
    }
    return args;
}

namespace {

// Words split at a '|' typed with spaces around it, as in
// "gfp=GFP_KERNEL | __GFP_NOWARN": the words that were meant as one, joined,
// as a hint (" (a '|' between flags takes no spaces: gfp=GFP_KERNEL|__GFP_NOWARN)"),
// or "" when no word starts or ends with '|'.
std::string spaced_bar_hint(const std::vector<std::string>& words) {
    size_t first = 0, last = 0;
    for (size_t i = 1; i < words.size(); ++i) {
        const std::string& w = words[i];
        const bool opens = !w.empty() && w.back() == '|';
        const bool closes = !w.empty() && w.front() == '|';
        if (!opens && !closes) continue;
        if (first == 0) first = closes ? i - 1 : i;
        last = opens ? std::min(i + 1, words.size() - 1) : i;
        if (w == "|") last = std::min(i + 1, words.size() - 1);
    }
    if (first == 0 || first == last) return "";
    std::string joined;
    for (size_t i = first; i <= last; ++i)
        joined += words[i];
    return " (a '|' between flags takes no spaces: " + quote_input(joined) + ")";
}

} // namespace

std::optional<Args> Args::parse(const CommandLine& line,
                                const std::vector<std::string_view>& known_keys,
                                size_t max_positional, std::string* error) {
    auto args = parse(line.words, known_keys, error);
    if (args && args->m_positional.size() > max_positional) {
        *error = "unexpected argument '" + quote_input(args->m_positional[max_positional]) + "'" +
                 spaced_bar_hint(line.words);
        return std::nullopt;
    }
    return args;
}

bool Args::number(std::string_view key, uint64_t lo, uint64_t hi, uint64_t* out,
                  std::string* error) const {
    auto text = get(key);
    if (!text) return true;
    const std::string quoted = std::string(key) + "=" + quote_input(*text);
    auto v = parse_number(*text);
    if (!v) {
        *error = quoted + ": not a number";
        return false;
    }
    if (*v < lo || *v > hi) {
        *error = quoted + ": must be " + std::to_string(lo) + " to " + std::to_string(hi);
        return false;
    }
    *out = *v;
    return true;
}

bool Args::size(std::string_view key, uint64_t* out, std::string* error) const {
    auto text = get(key);
    if (!text) return true;
    auto v = parse_size(*text);
    if (!v) {
        *error = std::string(key) + "=" + quote_input(*text) + ": not a size (e.g. 64M, 4096, 2G)";
        return false;
    }
    *out = *v;
    return true;
}

bool Args::has(std::string_view key) const {
    for (const auto& p : m_pairs)
        if (p.first == key) return true;
    return false;
}

std::optional<std::string> Args::get(std::string_view key) const {
    for (const auto& p : m_pairs)
        if (p.first == key) return p.second;
    return std::nullopt;
}

} // namespace mm
