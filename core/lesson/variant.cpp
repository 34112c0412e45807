// Variant lessons: the ```vars block, {{name}} substitution, seeds and
// instances (see variant.h).
#include "core/lesson/variant.h"

#include "core/base/random.h"
#include "core/base/text.h"
#include "core/console/syntax.h"

#include <algorithm>

namespace mm {

namespace {

std::string line_error(size_t index, const std::string& message) {
    return "line " + std::to_string(index + 1) + ": " + message;
}

bool is_name_start(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_name_char(char c) {
    return is_name_start(c) || (c >= '0' && c <= '9');
}
// What a pick() value may hold: a word, so that it can stand in a command, a
// condition or prose without quoting (sizes, numbers, zone and sysctl names).
bool is_value_char(char c) {
    return is_name_char(c) || c == '.' || c == '+' || c == '-';
}

bool is_name(std::string_view s) {
    return !s.empty() && is_name_start(s[0]) && std::all_of(s.begin(), s.end(), is_name_char);
}

// "a, b ,c" -> {"a", "b", "c"}; empty items kept (the caller refuses them).
std::vector<std::string_view> split_args(std::string_view text) {
    std::vector<std::string_view> items;
    size_t start = 0;
    for (;;) {
        const size_t comma = text.find(',', start);
        items.push_back(trim(text.substr(
            start, comma == std::string_view::npos ? std::string_view::npos : comma - start)));
        if (comma == std::string_view::npos) return items;
        start = comma + 1;
    }
}

const char kVarForm[] = "expected NAME = pick(A, B, ...) or NAME = range(FIRST, LAST[, STEP])";

// One line of the block: "name = pick(...)" or "name = range(...)".
bool parse_variable(std::string_view line, size_t index, LessonVariable* out, std::string* error) {
    const size_t eq = line.find('=');
    const std::string_view name = trim(line.substr(0, eq));
    if (eq == std::string_view::npos || !is_name(name)) {
        *error = line_error(index, std::string("vars: ") + kVarForm);
        return false;
    }
    std::string_view call = trim(line.substr(eq + 1));
    const size_t open = call.find('(');
    if (open == std::string_view::npos || call.back() != ')') {
        *error = line_error(index, std::string("vars: ") + kVarForm);
        return false;
    }
    const std::string_view fn = trim(call.substr(0, open));
    const std::vector<std::string_view> args =
        split_args(call.substr(open + 1, call.size() - open - 2));
    out->name = std::string(name);
    out->line = static_cast<int>(index + 1);
    const std::string where = "vars: " + out->name + ": ";
    if (fn == "pick") {
        for (std::string_view a : args) {
            if (a.empty() || !std::all_of(a.begin(), a.end(), is_value_char)) {
                *error = line_error(index, where +
                                               "pick() takes words of letters, digits and "
                                               "_ . + - separated by commas, not '" +
                                               quote_input(a) + "'");
                return false;
            }
            out->values.emplace_back(a);
        }
    } else if (fn == "range") {
        std::optional<uint64_t> n[3] = {std::nullopt, std::nullopt, uint64_t{1}};
        bool ok = args.size() == 2 || args.size() == 3;
        for (size_t i = 0; ok && i < args.size(); ++i)
            ok = (n[i] = parse_number(args[i])).has_value();
        if (!ok || *n[0] > *n[1] || *n[2] == 0) {
            *error = line_error(index, where + "range(FIRST, LAST[, STEP]) takes numbers with "
                                               "FIRST <= LAST and STEP > 0");
            return false;
        }
        if ((*n[1] - *n[0]) / *n[2] >= kMaxVariableValues) {
            *error = line_error(index, where + "a variable has at most " +
                                           std::to_string(kMaxVariableValues) + " values");
            return false;
        }
        for (uint64_t v = *n[0]; v <= *n[1]; v += *n[2]) {
            out->values.push_back(std::to_string(v));
            if (*n[1] - v < *n[2]) break; // the next step would pass LAST (or wrap)
        }
    } else {
        *error = line_error(index, std::string("vars: ") + kVarForm);
        return false;
    }
    if (out->values.size() > kMaxVariableValues) {
        *error = line_error(index, where + "a variable has at most " +
                                       std::to_string(kMaxVariableValues) + " values");
        return false;
    }
    return true;
}

// The ```vars block's lines [first, last) of the file, or an empty range.
struct VarsBlock {
    size_t first = 0, last = 0;
};

// Where the ```vars block is, walking the fences as the parser does (a line
// starting ``` opens a block, the next line that is ``` closes it).
std::optional<VarsBlock> find_vars_block(const std::vector<std::string_view>& lines,
                                         std::string* error) {
    VarsBlock found;
    bool in_step = false;
    size_t i = 0;
    if (!lines.empty() && trim(lines[0]) == "---") // the front matter
        for (i = 1; i < lines.size() && trim(lines[i]) != "---"; ++i) {
        }
    for (++i; i < lines.size(); ++i) {
        const std::string_view l = lines[i];
        if (l.substr(0, 3) == "## ") in_step = true;
        if (l.substr(0, 3) != "```") continue;
        const bool vars = trim(l.substr(3)) == "vars";
        size_t end = i + 1;
        while (end < lines.size() && trim(lines[end]) != "```")
            ++end;
        if (vars) {
            if (in_step) {
                *error = line_error(i, "the ```vars block goes before the first step");
                return std::nullopt;
            }
            if (found.last != 0) {
                *error = line_error(i, "a lesson has at most one ```vars block");
                return std::nullopt;
            }
            if (end >= lines.size()) {
                *error = line_error(i, "the ``` block is not closed");
                return std::nullopt;
            }
            found = VarsBlock{i + 1, end};
        }
        i = end;
    }
    return found;
}

} // namespace

uint64_t variant_seed(std::string_view student, std::string_view lesson_id, std::string_view salt) {
    uint64_t h = 0xcbf29ce484222325ull; // FNV-1a 64, as content_hash()
    for (std::string_view part : {trim(student), lesson_id, salt}) {
        for (unsigned char c : part) {
            h ^= c;
            h *= 0x100000001b3ull;
        }
        h ^= 0x1f;
        h *= 0x100000001b3ull;
    }
    return Random(h).next();
}

bool has_variables(const Lesson& lesson) {
    return !lesson.variables.empty();
}

std::vector<std::string> draw_values(const Lesson& lesson, uint64_t seed) {
    Random random(seed);
    std::vector<std::string> values;
    for (const LessonVariable& v : lesson.variables)
        values.push_back(v.values[random.below(v.values.size())]);
    return values;
}

std::optional<Lesson> instantiate(const Lesson& lesson, uint64_t seed, std::string* error) {
    if (!has_variables(lesson)) return lesson;
    std::vector<std::string> values = draw_values(lesson, seed);
    std::string why;
    std::optional<std::string> text =
        substitute_variables(lesson.source, lesson.variables, values, false, &why);
    std::optional<Lesson> variant =
        text ? parse_substituted_lesson(lesson.id, *text, &why) : std::nullopt;
    if (!variant) {
        *error = "variant " + std::to_string(seed) + ": " + why;
        return std::nullopt;
    }
    variant->hash = lesson.hash;
    variant->variables = lesson.variables;
    variant->source = lesson.source;
    variant->values = std::move(values);
    variant->seed = seed;
    return variant;
}

bool parse_variables(const std::vector<std::string_view>& lines,
                     std::vector<LessonVariable>* variables, std::string* error) {
    const std::optional<VarsBlock> block = find_vars_block(lines, error);
    if (!block) return false;
    for (size_t i = block->first; i < block->last; ++i) {
        if (trim(lines[i]).empty()) continue;
        if (lines[i].find("{{") != std::string_view::npos) {
            *error = line_error(i, "a variable's values cannot use variables");
            return false;
        }
        LessonVariable v;
        if (!parse_variable(trim(lines[i]), i, &v, error)) return false;
        for (const LessonVariable& other : *variables)
            if (other.name == v.name) {
                *error = line_error(i, "vars: " + v.name + " is declared twice");
                return false;
            }
        if (variables->size() == kMaxVariables) {
            *error = line_error(i, "vars: a lesson has at most " + std::to_string(kMaxVariables) +
                                       " variables");
            return false;
        }
        variables->push_back(std::move(v));
    }
    if (block->last != 0 && variables->empty()) {
        *error = line_error(block->first - 1, "the ```vars block declares no variable");
        return false;
    }
    return true;
}

std::optional<std::string> substitute_variables(std::string_view text,
                                                const std::vector<LessonVariable>& variables,
                                                const std::vector<std::string>& values,
                                                bool require_use, std::string* error) {
    std::string out;
    out.reserve(text.size());
    std::vector<bool> used(variables.size(), false);
    size_t line = 0; // 0-based, of `at`
    for (size_t at = 0; at < text.size();) {
        const char c = text[at];
        if (c == '\n') {
            out += c;
            ++at;
            ++line;
            continue;
        }
        // {{ name }}: a reference; any other {{ is text.
        if (c == '{' && text.compare(at, 2, "{{") == 0) {
            const size_t close = text.find("}}", at + 2);
            const size_t eol = text.find('\n', at);
            const std::string_view inner = close != std::string_view::npos && close < eol
                                               ? trim(text.substr(at + 2, close - at - 2))
                                               : std::string_view();
            if (is_name(inner)) {
                size_t k = 0;
                while (k < variables.size() && variables[k].name != inner)
                    ++k;
                if (k == variables.size()) {
                    std::string names;
                    for (const LessonVariable& v : variables)
                        names += (names.empty() ? "" : ", ") + v.name;
                    *error = line_error(
                        line, "unknown variable {{" + quote_input(inner) + "}} (" +
                                  (names.empty() ? std::string("no ```vars block declares any")
                                                 : "the ```vars block declares " + names) +
                                  ")");
                    return std::nullopt;
                }
                used[k] = true;
                out += values[k];
                at = close + 2;
                continue;
            }
        }
        out += c;
        ++at;
    }
    if (require_use)
        for (size_t k = 0; k < variables.size(); ++k)
            if (!used[k]) {
                *error = "line " + std::to_string(variables[k].line) +
                         ": vars: " + variables[k].name + " is never used (write {{" +
                         variables[k].name + "}} where its value goes)";
                return std::nullopt;
            }
    return out;
}

} // namespace mm
