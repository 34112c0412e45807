// The condition language of lessons: predicates and numbers over the lab's
// live state (free counts, watermarks, any /proc or /sys value, allocated
// blocks, the outcome of the latest command), never over the UI.
// lessons/README.md documents it for lesson authors.
//
//   nr_free(order=4, zone=Normal) == 1 && last.failed && last.order == 4
//   free(zone=Normal) * 2 > managed(zone=Normal)
//   meminfo("MemFree") < 1000000 || file("/proc/vmstat", "pgalloc_dma32") > 0
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mm {

class Lab;

// A value: an integer or a string. Comparisons give 0 or 1.
struct Value {
    enum class Kind : uint8_t { Int, Str } kind = Kind::Int;
    int64_t i = 0;
    std::string s;
    static Value integer(int64_t v) { return Value{Kind::Int, v, {}}; }
    static Value string(std::string v) { return Value{Kind::Str, 0, std::move(v)}; }
    bool truthy() const { return kind == Kind::Int ? i != 0 : !s.empty(); }
    std::string text() const { return kind == Kind::Int ? std::to_string(i) : s; }
};

struct ExprNode;

// A parsed condition. Parse once, evaluate on any lab.
class Condition {
  public:
    // Parses `text`; on a syntax error returns nullopt and sets *error to
    // one line ("col 12: expected ')'").
    static std::optional<Condition> parse(std::string_view text, std::string* error);

    // Evaluates on the lab; an evaluation error (an unknown zone, a file with
    // no such key) gives nullopt and one line in *error.
    std::optional<Value> evaluate(const Lab& lab, std::string* error) const;
    // evaluate() as a truth value: false on an evaluation error.
    bool holds(const Lab& lab) const;
    // The value of every function call, name and field in the condition, one
    // line each ("nr_free(order=0) = 1"): why it holds or not.
    std::vector<std::string> explain(const Lab& lab) const;

    const std::string& text() const { return m_text; }

    // The functions it calls and the names (and last.* fields) it reads, in
    // order of appearance, each once: what a lesson check knows before it
    // runs (an unknown one is an error of the lesson).
    std::vector<std::string> calls() const;
    std::vector<std::string> names() const;
    // It calls no function and reads no name: its value is the same on
    // every lab (`2 * 3 + 1`).
    bool is_constant() const { return calls().empty() && names().empty(); }

    Condition(const Condition& other);
    Condition& operator=(const Condition& other);
    Condition(Condition&&) noexcept;
    Condition& operator=(Condition&&) noexcept;
    ~Condition();

  private:
    Condition() = default;
    std::string m_text;
    std::unique_ptr<ExprNode> m_root;
};

// The functions and names the language knows, for lessons/README.md and
// error messages: "name(args): what it gives" (functions.h registers them).
std::vector<std::string> condition_docs();

} // namespace mm
