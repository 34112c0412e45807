// The functions and names of the condition language, registered by the
// subsystems whose state they read (mm/conditions.cpp, ...). Every call's
// arguments are checked here, once, against the function's declared
// parameters: an unknown or repeated argument, a missing one, a string
// where a number belongs, an order, node or zone the machine does not have
// is an error, never a silent wrap.
#pragma once

#include "core/lesson/condition.h"

#include <map>
#include <string>
#include <vector>

namespace mm {

enum class ParamKind : uint8_t {
    Int,   // any integer
    Pfn,   // an integer >= 0
    Order, // 0 to MAX_PAGE_ORDER
    Node,  // a node of the machine
    Zone,  // a zone name of the machine's configuration ("DMA32")
    Str,   // any value, read as text
    Any,   // any value
};

struct Param {
    const char* name;
    ParamKind kind;
    bool required;
};

// A call's arguments after the check: every one by its parameter's name
// (positional arguments take the parameters' names in order).
class FnArgs {
  public:
    bool has(const std::string& name) const { return m_values.count(name) != 0; }
    const Value& value(const std::string& name) const { return m_values.at(name); }
    int64_t integer(const std::string& name) const { return value(name).i; }
    std::string text(const std::string& name) const { return value(name).text(); }
    void set(const std::string& name, Value v) { m_values[name] = std::move(v); }

  private:
    std::map<std::string, Value> m_values;
};

// A function's body: its arguments are already checked; it may still fail
// (no block of that name) with one line in *error.
using ConditionFn = std::optional<Value> (*)(const Lab& lab, const FnArgs& args,
                                             std::string* error);

struct FnSpec {
    const char* name;
    const char* doc; // "nr_free(order=N [, zone=Z] [, node=N]): free blocks of ..."
    std::vector<Param> params;
    ConditionFn fn;
};

// Adds a function, called as NAME(...) in a condition.
void register_condition_function(FnSpec spec);
// Adds a name, used without parentheses (`arch`, `total_free`).
void register_condition_name(const char* name, const char* doc, ConditionFn fn);

const FnSpec* find_condition_function(std::string_view name);
const FnSpec* find_condition_name(std::string_view name);

// Checks a call's arguments against the spec; the checked arguments, or
// nullopt with one line in *error.
std::optional<FnArgs> check_call(const FnSpec& spec, const Lab& lab,
                                 const std::vector<Value>& positional,
                                 const std::vector<std::pair<std::string, Value>>& named,
                                 std::string* error);

} // namespace mm
