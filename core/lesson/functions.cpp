// The registry of condition functions and names, the one argument checker,
// and the functions that read no particular subsystem: files, text, the
// history (see functions.h).
#include "core/lesson/functions.h"

#include "core/base/registry.h"
#include "core/base/text.h"
#include "core/base/verify.h"
#include "core/console/syntax.h"
#include "core/fs/fs.h"
#include "core/lab/lab.h"

namespace mm {

namespace {

std::vector<FnSpec>& function_table() {
    static std::vector<FnSpec> table;
    return table;
}

std::vector<FnSpec>& name_table() {
    static std::vector<FnSpec> table;
    return table;
}

const FnSpec* find_in(const std::vector<FnSpec>& table, std::string_view name) {
    for (const FnSpec& f : table)
        if (name == f.name) return &f;
    return nullptr;
}

// One value against its parameter's kind; one line in *error when it does
// not fit.
bool check_value(const Param& p, const Value& v, const Machine& m, std::string* error) {
    const std::string quoted = std::string(p.name) + "=" + quote_input(v.text());
    const bool needs_int = p.kind == ParamKind::Int || p.kind == ParamKind::Pfn ||
                           p.kind == ParamKind::Order || p.kind == ParamKind::Node;
    if (needs_int && v.kind != Value::Kind::Int) {
        *error = quoted + ": must be a number";
        return false;
    }
    switch (p.kind) {
    case ParamKind::Pfn:
        if (v.i < 0) *error = quoted + ": must be 0 or more";
        break;
    case ParamKind::Order:
        if (v.i < 0 || v.i > MAX_PAGE_ORDER)
            *error = quoted + ": must be 0 to " + std::to_string(MAX_PAGE_ORDER);
        break;
    case ParamKind::Node:
        if (v.i < 0 || static_cast<size_t>(v.i) >= m.nodes().size())
            *error = "no node " + quote_input(v.text()) + " on this machine";
        break;
    case ParamKind::Zone: {
        bool known = false;
        for (const Zone& z : m.nodes()[0].zones)
            known = known || v.text() == z.name();
        if (!known) *error = "no zone '" + quote_input(v.text()) + "' on this machine";
        break;
    }
    default:
        break;
    }
    return error->empty();
}

// How a parameter is written in a call: "order=N", "zone=Z", "name=TEXT".
std::string param_form(const Param& p) {
    switch (p.kind) {
    case ParamKind::Zone:
        return std::string(p.name) + "=ZONE";
    case ParamKind::Str:
    case ParamKind::Any:
        return std::string(p.name) + "=VALUE";
    default:
        return std::string(p.name) + "=N";
    }
}

std::string param_list(const FnSpec& spec) {
    std::string names;
    for (const Param& p : spec.params)
        names += std::string(names.empty() ? "" : ", ") + p.name;
    return names.empty() ? "none" : names;
}

} // namespace

void register_condition_function(FnSpec spec) {
    MM_VERIFY(spec.name && spec.doc && spec.fn && !find_in(function_table(), spec.name));
    function_table().push_back(std::move(spec));
}

void register_condition_name(const char* name, const char* doc, ConditionFn fn) {
    MM_VERIFY(name && doc && fn && !find_in(name_table(), name));
    name_table().push_back(FnSpec{name, doc, {}, fn});
}

const FnSpec* find_condition_function(std::string_view name) {
    ensure_registered();
    return find_in(function_table(), name);
}

const FnSpec* find_condition_name(std::string_view name) {
    ensure_registered();
    return find_in(name_table(), name);
}

std::optional<FnArgs> check_call(const FnSpec& spec, const Lab& lab,
                                 const std::vector<Value>& positional,
                                 const std::vector<std::pair<std::string, Value>>& named,
                                 std::string* error) {
    FnArgs args;
    if (positional.size() > spec.params.size()) {
        *error = "takes at most " + std::to_string(spec.params.size()) + " argument" +
                 (spec.params.size() == 1 ? "" : "s") + " (" + param_list(spec) + ")";
        return std::nullopt;
    }
    for (size_t i = 0; i < positional.size(); ++i)
        args.set(spec.params[i].name, positional[i]);
    for (const auto& [key, value] : named) {
        const Param* param = nullptr;
        for (const Param& p : spec.params)
            if (key == p.name) param = &p;
        if (!param) {
            *error = "no argument '" + quote_input(key) + "' (it takes " + param_list(spec) + ")";
            return std::nullopt;
        }
        if (args.has(key)) {
            *error = "argument '" + key + "' given twice";
            return std::nullopt;
        }
        args.set(key, value);
    }
    for (const Param& p : spec.params) {
        if (!args.has(p.name)) {
            if (p.required) {
                *error = "needs " + param_form(p);
                return std::nullopt;
            }
            continue;
        }
        if (!check_value(p, args.value(p.name), lab.machine(), error)) return std::nullopt;
    }
    return args;
}

std::vector<std::string> condition_docs() {
    ensure_registered();
    std::vector<std::string> docs;
    for (const FnSpec& f : function_table())
        docs.emplace_back(f.doc);
    for (const FnSpec& f : name_table())
        docs.emplace_back(f.doc);
    return docs;
}

// ---- Functions over files, text and the history ------------------------------------------

namespace {

bool is_ident_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// The first integer after `key` on the first line that contains it.
std::optional<int64_t> number_after(std::string_view text, std::string_view key) {
    size_t at = text.find(key);
    while (at != std::string_view::npos) {
        bool word_start =
            at == 0 || text[at - 1] == ' ' || text[at - 1] == '\n' || text[at - 1] == '\t';
        size_t end = at + key.size();
        bool word_end = end >= text.size() || !is_ident_char(text[end]);
        if (word_start && word_end) {
            size_t eol = text.find('\n', at);
            std::string_view line =
                text.substr(end, eol == std::string_view::npos ? text.npos : eol - end);
            return leading_integer(line, true);
        }
        at = text.find(key, at + 1);
    }
    return std::nullopt;
}

std::optional<Value> file_value(const Lab& lab, const std::string& path, const std::string& key,
                                std::string* error) {
    auto text = read_file(lab.machine(), path);
    if (!text) {
        *error = path + ": No such file or directory";
        return std::nullopt;
    }
    auto v = number_after(*text, key);
    if (!v) {
        *error = path + " has no value for '" + key + "'";
        return std::nullopt;
    }
    return Value::integer(*v);
}

} // namespace

void register_lesson_functions() {
    register_condition_function(
        {"file",
         "file(\"PATH\", \"KEY\"): the first number after KEY in a /proc or /sys file",
         {{"path", ParamKind::Str, true}, {"key", ParamKind::Str, true}},
         [](const Lab& lab, const FnArgs& a, std::string* e) {
             return file_value(lab, a.text("path"), a.text("key"), e);
         }});
    register_condition_function(
        {"meminfo",
         "meminfo(\"FIELD\"): a /proc/meminfo value in kB (meminfo(\"MemFree\"))",
         {{"field", ParamKind::Str, true}},
         [](const Lab& lab, const FnArgs& a, std::string* e) {
             return file_value(lab, "/proc/meminfo", a.text("field") + ":", e);
         }});
    register_condition_function({"vmstat",
                                 "vmstat(\"COUNTER\"): a /proc/vmstat counter",
                                 {{"counter", ParamKind::Str, true}},
                                 [](const Lab& lab, const FnArgs& a, std::string* e) {
                                     return file_value(lab, "/proc/vmstat", a.text("counter"), e);
                                 }});
    register_condition_function(
        {"sysctl",
         "sysctl(\"vm.NAME\"): a sysctl's (first) value",
         {{"name", ParamKind::Str, true}},
         [](const Lab& lab, const FnArgs& a, std::string* e) -> std::optional<Value> {
             const std::string name = a.text("name");
             auto text = name.rfind("vm.", 0) == 0 ? read_file(lab.machine(), sysctl_path(name))
                                                   : std::nullopt;
             auto v = text ? leading_integer(*text) : std::nullopt;
             if (!v) {
                 *e = "no sysctl '" + quote_input(name) + "'";
                 return std::nullopt;
             }
             return Value::integer(*v);
         }});
    register_condition_function(
        {"contains",
         "contains(TEXT, PART): 1 if the string TEXT contains PART",
         {{"text", ParamKind::Str, true}, {"part", ParamKind::Str, true}},
         [](const Lab&, const FnArgs& a, std::string*) -> std::optional<Value> {
             return Value::integer(a.text("text").find(a.text("part")) != std::string::npos);
         }});
    register_condition_function(
        {"yesno",
         "yesno(X): \"yes\" if X is true, else \"no\" (for yes/no questions)",
         {{"x", ParamKind::Any, true}},
         [](const Lab&, const FnArgs& a, std::string*) -> std::optional<Value> {
             return Value::string(a.value("x").truthy() ? "yes" : "no");
         }});
    register_condition_function(
        {"history_length",
         "history_length(): commands in the history",
         {},
         [](const Lab& lab, const FnArgs&, std::string*) -> std::optional<Value> {
             return Value::integer(static_cast<int64_t>(lab.history().size()));
         }});
}

} // namespace mm
