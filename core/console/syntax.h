// The console language's syntax (docs/console.md): commands split by
// newlines and ';', '#' comments, double-quoted words, key=value arguments
// and their typed readers (numbers, SIZEs). No semantics here: the
// registered commands give meaning.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mm {

// One command of the input: its words, with quotes removed.
struct CommandLine {
    std::string text;               // the command as written, trimmed
    std::vector<std::string> words; // words[0] is the command name
    std::string error;              // a syntax error (unterminated quote), else empty
};

// Splits input into commands. Blank and comment-only commands are dropped,
// so the n-th element is command n (from 1) of the input.
std::vector<CommandLine> split_commands(std::string_view input);

// Numbers: decimal or 0x hex, ASCII digits only, no sign, no overflow.
std::optional<uint64_t> parse_number(std::string_view text);
// A signed number: parse_number() with an optional leading '-', within int64.
std::optional<int64_t> parse_signed(std::string_view text);
// The signed decimal integer `text` starts with ("256\t256\t32" gives 256,
// "-1.000" gives -1), after skipping what comes before its first digit or
// '-' when `skip_to_digits`.
std::optional<int64_t> leading_integer(std::string_view text, bool skip_to_digits = false);
// SIZE: a number with an optional K, M, G or T suffix (powers of 1024).
std::optional<uint64_t> parse_size(std::string_view text);

// A name given with as=NAME: a letter or '_', then letters, digits, '_',
// '-', '.'; at most 64 characters. One namespace for every named object.
bool valid_name(std::string_view name);

// The arguments of one command after its positional words: key=value pairs,
// each key known to the command and given at most once.
class Args {
  public:
    // Splits words[1..] into positional words and key=value pairs. A word is a
    // key=value pair when it contains '=' and the text before it is a name
    // ([a-z_][a-z0-9_]*). Fails with a one-line error on an unknown key or a
    // key given twice.
    static std::optional<Args> parse(const std::vector<std::string>& words,
                                     const std::vector<std::string_view>& known_keys,
                                     std::string* error);
    // parse() of a command line that takes at most max_positional words.
    static std::optional<Args> parse(const CommandLine& line,
                                     const std::vector<std::string_view>& known_keys,
                                     size_t max_positional, std::string* error);

    const std::vector<std::string>& positional() const { return m_positional; }
    bool has(std::string_view key) const;
    std::optional<std::string> get(std::string_view key) const;

    // Typed readers: when the key is absent they leave *out as it is and
    // succeed; a value that does not parse or is out of range fails with one
    // line in *error ("order=11: must be 0 to 10"), the value quoted short.
    bool number(std::string_view key, uint64_t lo, uint64_t hi, uint64_t* out,
                std::string* error) const;
    bool size(std::string_view key, uint64_t* out, std::string* error) const;

  private:
    std::vector<std::string> m_positional;
    std::vector<std::pair<std::string, std::string>> m_pairs;
};

} // namespace mm
