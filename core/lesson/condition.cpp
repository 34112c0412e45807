// The lessons' condition language: a small recursive-descent parser into a
// tree, and an evaluator over the const lab.
//
// Sections: the tree | tokens | parser | functions | evaluation.
#include "core/lesson/condition.h"

#include "core/base/text.h"
#include "core/lab/lab.h"
#include "core/lesson/functions.h"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>

namespace mm {

// ---- The tree -------------------------------------------------------------------

struct ExprNode {
    enum class Op : uint8_t {
        Int,
        Str,
        Name,
        Field,
        Call,
        Neg,
        Not,
        And,
        Or,
        Cmp,
        Arith
    } op = Op::Int;
    int64_t number = 0;
    std::string text; // Str value, Name/Call/Field name, Cmp/Arith operator
    std::vector<std::unique_ptr<ExprNode>> args;
    std::vector<std::string> keys; // for Call: the key of each argument ("" = positional)
    size_t begin = 0, end = 0;     // the node's text in the condition (for explain())

    std::unique_ptr<ExprNode> clone() const {
        auto n = std::make_unique<ExprNode>();
        n->op = op;
        n->number = number;
        n->text = text;
        n->keys = keys;
        n->begin = begin;
        n->end = end;
        for (const auto& a : args)
            n->args.push_back(a->clone());
        return n;
    }
};

namespace {

// ---- Tokens -------------------------------------------------------------------------

struct Token {
    enum class Kind : uint8_t { End, Int, Str, Ident, Punct } kind = Kind::End;
    std::string text;
    int64_t number = 0;
    size_t col = 0; // 1-based start
    size_t end = 0; // 0-based offset just past the token
};

bool is_ident_start(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_ident_char(char c) {
    return is_ident_start(c) || (c >= '0' && c <= '9');
}

bool tokenize(std::string_view s, std::vector<Token>* out, std::string* error) {
    size_t i = 0;
    while (i < s.size()) {
        char c = s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            ++i;
            continue;
        }
        Token t;
        t.col = i + 1;
        if (c >= '0' && c <= '9') {
            size_t j = i;
            while (j < s.size() && is_ident_char(s[j]))
                ++j;
            auto v = parse_number(s.substr(i, j - i));
            if (!v || *v > static_cast<uint64_t>(INT64_MAX)) {
                *error = "col " + std::to_string(t.col) + ": bad number '" +
                         std::string(s.substr(i, j - i)) + "'";
                return false;
            }
            t.kind = Token::Kind::Int;
            t.number = static_cast<int64_t>(*v);
            t.text = std::string(s.substr(i, j - i));
            i = j;
        } else if (c == '"') {
            size_t j = s.find('"', i + 1);
            if (j == std::string_view::npos) {
                *error = "col " + std::to_string(t.col) + ": unterminated string";
                return false;
            }
            t.kind = Token::Kind::Str;
            t.text = std::string(s.substr(i + 1, j - i - 1));
            i = j + 1;
        } else if (is_ident_start(c)) {
            size_t j = i;
            while (j < s.size() && is_ident_char(s[j]))
                ++j;
            t.kind = Token::Kind::Ident;
            t.text = std::string(s.substr(i, j - i));
            i = j;
        } else {
            static const char* const two[] = {"==", "!=", "<=", ">=", "&&", "||"};
            t.kind = Token::Kind::Punct;
            for (const char* op : two)
                if (s.substr(i, 2) == op) t.text = op;
            if (t.text.empty()) {
                if (std::string_view("()<>!+-*/%,=.").find(c) == std::string_view::npos) {
                    *error =
                        "col " + std::to_string(t.col) + ": unexpected '" + std::string(1, c) + "'";
                    return false;
                }
                t.text = std::string(1, c);
            }
            i += t.text.size();
        }
        t.end = i;
        out->push_back(std::move(t));
    }
    Token end;
    end.col = s.size() + 1;
    out->push_back(end);
    return true;
}

// ---- Parser -------------------------------------------------------------------------

class Parser {
  public:
    Parser(std::vector<Token> tokens) : m_tokens(std::move(tokens)) {}

    std::unique_ptr<ExprNode> parse_all(std::string* error) {
        auto node = parse_or();
        if (node && peek().kind != Token::Kind::End) fail("unexpected '" + peek().text + "'");
        if (!m_error.empty()) {
            *error = m_error;
            return nullptr;
        }
        return node;
    }

  private:
    const Token& peek() const { return m_tokens[m_pos]; }
    bool is(const char* punct) const {
        return peek().kind == Token::Kind::Punct && peek().text == punct;
    }
    bool accept(const char* punct) {
        if (!is(punct)) return false;
        ++m_pos;
        return true;
    }
    std::unique_ptr<ExprNode> fail(const std::string& message) {
        if (m_error.empty()) m_error = "col " + std::to_string(peek().col) + ": " + message;
        return nullptr;
    }
    static std::unique_ptr<ExprNode> binary(ExprNode::Op op, std::string text,
                                            std::unique_ptr<ExprNode> a,
                                            std::unique_ptr<ExprNode> b) {
        auto n = std::make_unique<ExprNode>();
        n->op = op;
        n->text = std::move(text);
        n->args.push_back(std::move(a));
        n->args.push_back(std::move(b));
        return n;
    }

    std::unique_ptr<ExprNode> parse_or() {
        auto left = parse_and();
        while (left && accept("||")) {
            auto right = parse_and();
            if (!right) return nullptr;
            left = binary(ExprNode::Op::Or, "||", std::move(left), std::move(right));
        }
        return left;
    }
    std::unique_ptr<ExprNode> parse_and() {
        auto left = parse_not();
        while (left && accept("&&")) {
            auto right = parse_not();
            if (!right) return nullptr;
            left = binary(ExprNode::Op::And, "&&", std::move(left), std::move(right));
        }
        return left;
    }
    std::unique_ptr<ExprNode> parse_not() {
        if (accept("!")) {
            auto inner = parse_not();
            if (!inner) return nullptr;
            auto n = std::make_unique<ExprNode>();
            n->op = ExprNode::Op::Not;
            n->args.push_back(std::move(inner));
            return n;
        }
        return parse_cmp();
    }
    std::unique_ptr<ExprNode> parse_cmp() {
        auto left = parse_sum();
        if (!left) return nullptr;
        static const char* const ops[] = {"==", "!=", "<=", ">=", "<", ">"};
        for (const char* op : ops) {
            if (accept(op)) {
                auto right = parse_sum();
                if (!right) return nullptr;
                return binary(ExprNode::Op::Cmp, op, std::move(left), std::move(right));
            }
        }
        return left;
    }
    std::unique_ptr<ExprNode> parse_sum() {
        auto left = parse_term();
        while (left && (is("+") || is("-"))) {
            std::string op = peek().text;
            ++m_pos;
            auto right = parse_term();
            if (!right) return nullptr;
            left = binary(ExprNode::Op::Arith, op, std::move(left), std::move(right));
        }
        return left;
    }
    std::unique_ptr<ExprNode> parse_term() {
        auto left = parse_unary();
        while (left && (is("*") || is("/") || is("%"))) {
            std::string op = peek().text;
            ++m_pos;
            auto right = parse_unary();
            if (!right) return nullptr;
            left = binary(ExprNode::Op::Arith, op, std::move(left), std::move(right));
        }
        return left;
    }
    std::unique_ptr<ExprNode> parse_unary() {
        if (accept("-")) {
            auto inner = parse_unary();
            if (!inner) return nullptr;
            auto n = std::make_unique<ExprNode>();
            n->op = ExprNode::Op::Neg;
            n->args.push_back(std::move(inner));
            return n;
        }
        return parse_primary();
    }
    std::unique_ptr<ExprNode> parse_primary() {
        const Token t = peek();
        auto n = std::make_unique<ExprNode>();
        if (t.kind == Token::Kind::Int) {
            ++m_pos;
            n->op = ExprNode::Op::Int;
            n->number = t.number;
            return n;
        }
        if (t.kind == Token::Kind::Str) {
            ++m_pos;
            n->op = ExprNode::Op::Str;
            n->text = t.text;
            return n;
        }
        if (accept("(")) {
            auto inner = parse_or();
            if (!inner) return nullptr;
            if (!accept(")")) return fail("expected ')'");
            return inner;
        }
        if (t.kind != Token::Kind::Ident)
            return fail(t.kind == Token::Kind::End ? "unexpected end"
                                                   : "unexpected '" + t.text + "'");
        ++m_pos;
        n->begin = t.col - 1;
        n->end = t.end;
        if (t.text == "true" || t.text == "false") {
            n->op = ExprNode::Op::Int;
            n->number = t.text == "true";
            return n;
        }
        if (accept(".")) {
            if (peek().kind != Token::Kind::Ident) return fail("expected a field name after '.'");
            n->op = ExprNode::Op::Field;
            n->text = t.text + "." + peek().text;
            n->end = peek().end;
            ++m_pos;
            return n;
        }
        n->text = t.text;
        if (!accept("(")) {
            n->op = ExprNode::Op::Name;
            return n;
        }
        n->op = ExprNode::Op::Call;
        if (accept(")")) {
            n->end = m_tokens[m_pos - 1].end;
            return n;
        }
        do {
            std::string key;
            if (peek().kind == Token::Kind::Ident &&
                m_tokens[m_pos + 1].kind == Token::Kind::Punct && m_tokens[m_pos + 1].text == "=") {
                key = peek().text;
                m_pos += 2;
                // zone=Normal: a bare word is a string.
                if (peek().kind == Token::Kind::Ident &&
                    !(m_tokens[m_pos + 1].kind == Token::Kind::Punct &&
                      (m_tokens[m_pos + 1].text == "(" || m_tokens[m_pos + 1].text == "."))) {
                    auto word = std::make_unique<ExprNode>();
                    word->op = ExprNode::Op::Str;
                    word->text = peek().text;
                    ++m_pos;
                    n->keys.push_back(key);
                    n->args.push_back(std::move(word));
                    continue;
                }
            }
            auto arg = parse_or();
            if (!arg) return nullptr;
            n->keys.push_back(key);
            n->args.push_back(std::move(arg));
        } while (accept(","));
        if (!accept(")")) return fail("expected ')' or ','");
        n->end = m_tokens[m_pos - 1].end;
        return n;
    }

    std::vector<Token> m_tokens;
    size_t m_pos = 0;
    std::string m_error;
};

// Names without arguments, and last.* fields.
std::optional<Value> name_value(const Lab& lab, const std::string& name, std::string* error) {
    if (const FnSpec* spec = find_condition_name(name)) return spec->fn(lab, FnArgs{}, error);
    if (name.rfind("last.", 0) == 0) {
        const CommandResult* last = lab.last();
        std::string field = name.substr(5);
        if (field == "ok") return Value::integer(last && last->ok);
        if (field == "failed") return Value::integer(last && !last->ok);
        if (field == "cmd") {
            std::string cmd;
            if (last) cmd = last->cmd.substr(0, last->cmd.find(' '));
            return Value::string(cmd);
        }
        if (field == "text") return Value::string(last ? last->cmd : "");
        if (field == "error") return Value::string(last ? last->error : "");
        if (!last || !last->data.is_object() || !last->data.contains(field)) {
            *error = "the latest command has no '" + field + "'";
            return std::nullopt;
        }
        const auto& v = last->data[field];
        if (v.is_number_integer() || v.is_number_unsigned())
            return Value::integer(v.get<int64_t>());
        if (v.is_string()) return Value::string(v.get<std::string>());
        if (v.is_boolean()) return Value::integer(v.get<bool>());
        *error = "last." + field + " is not a number or a string";
        return std::nullopt;
    }
    *error = "unknown name '" + quote_input(name) + "'";
    return std::nullopt;
}

// ---- Evaluation ---------------------------------------------------------------------------

std::optional<Value> eval(const ExprNode& n, const Lab& lab, std::string* error) {
    using Op = ExprNode::Op;
    switch (n.op) {
    case Op::Int:
        return Value::integer(n.number);
    case Op::Str:
        return Value::string(n.text);
    case Op::Name:
    case Op::Field:
        return name_value(lab, n.text, error);
    case Op::Neg: {
        auto v = eval(*n.args[0], lab, error);
        if (!v) return std::nullopt;
        return Value::integer(-v->i);
    }
    case Op::Not: {
        auto v = eval(*n.args[0], lab, error);
        if (!v) return std::nullopt;
        return Value::integer(!v->truthy());
    }
    case Op::And:
    case Op::Or: {
        auto a = eval(*n.args[0], lab, error);
        if (!a) return std::nullopt;
        if (n.op == Op::And && !a->truthy()) return Value::integer(0);
        if (n.op == Op::Or && a->truthy()) return Value::integer(1);
        auto b = eval(*n.args[1], lab, error);
        if (!b) return std::nullopt;
        return Value::integer(b->truthy());
    }
    case Op::Cmp: {
        auto a = eval(*n.args[0], lab, error);
        auto b = a ? eval(*n.args[1], lab, error) : std::nullopt;
        if (!b) return std::nullopt;
        int c;
        if (a->kind == Value::Kind::Int && b->kind == Value::Kind::Int)
            c = a->i < b->i ? -1 : a->i > b->i;
        else
            c = a->text().compare(b->text()) < 0 ? -1 : a->text() != b->text();
        const std::string& op = n.text;
        bool r = op == "=="   ? c == 0
                 : op == "!=" ? c != 0
                 : op == "<"  ? c < 0
                 : op == "<=" ? c <= 0
                 : op == ">"  ? c > 0
                              : c >= 0;
        return Value::integer(r);
    }
    case Op::Arith: {
        auto a = eval(*n.args[0], lab, error);
        auto b = a ? eval(*n.args[1], lab, error) : std::nullopt;
        if (!b) return std::nullopt;
        if (a->kind != Value::Kind::Int || b->kind != Value::Kind::Int) {
            *error = "'" + n.text + "' needs numbers";
            return std::nullopt;
        }
        if ((n.text == "/" || n.text == "%") && b->i == 0) {
            *error = "division by zero";
            return std::nullopt;
        }
        int64_t r = n.text == "+"   ? a->i + b->i
                    : n.text == "-" ? a->i - b->i
                    : n.text == "*" ? a->i * b->i
                    : n.text == "/" ? a->i / b->i
                                    : a->i % b->i;
        return Value::integer(r);
    }
    case Op::Call: {
        const FnSpec* spec = find_condition_function(n.text);
        if (!spec) {
            *error = "unknown function '" + n.text + "'";
            return std::nullopt;
        }
        std::vector<Value> positional;
        std::vector<std::pair<std::string, Value>> named;
        for (size_t i = 0; i < n.args.size(); ++i) {
            auto v = eval(*n.args[i], lab, error);
            if (!v) return std::nullopt;
            if (n.keys[i].empty())
                positional.push_back(*v);
            else
                named.emplace_back(n.keys[i], *v);
        }
        std::string inner;
        std::optional<Value> v;
        if (auto args = check_call(*spec, lab, positional, named, &inner))
            v = spec->fn(lab, *args, &inner);
        if (!v) *error = n.text + ": " + inner;
        return v;
    }
    }
    return std::nullopt;
}

// Every call, name and field of the tree, outermost first, with its value.
void explain_node(const ExprNode& n, const std::string& text, const Lab& lab,
                  std::vector<std::string>* out) {
    using Op = ExprNode::Op;
    if (n.op == Op::Call || n.op == Op::Name || n.op == Op::Field) {
        std::string error;
        auto v = eval(n, lab, &error);
        std::string shown =
            v ? (v->kind == Value::Kind::Str ? "\"" + v->s + "\"" : v->text()) : "error: " + error;
        out->push_back(text.substr(n.begin, n.end - n.begin) + " = " + shown);
        return; // its arguments are literals or shown by the call's value
    }
    for (const auto& a : n.args)
        explain_node(*a, text, lab, out);
}

void collect(const ExprNode& n, bool calls, std::vector<std::string>* out) {
    using Op = ExprNode::Op;
    const bool wanted = calls ? n.op == Op::Call : n.op == Op::Name || n.op == Op::Field;
    if (wanted && std::find(out->begin(), out->end(), n.text) == out->end()) out->push_back(n.text);
    for (const auto& a : n.args)
        collect(*a, calls, out);
}

} // namespace

std::vector<std::string> Condition::calls() const {
    std::vector<std::string> out;
    collect(*m_root, true, &out);
    return out;
}

std::vector<std::string> Condition::names() const {
    std::vector<std::string> out;
    collect(*m_root, false, &out);
    return out;
}

std::vector<std::string> Condition::explain(const Lab& lab) const {
    std::vector<std::string> out;
    explain_node(*m_root, m_text, lab, &out);
    return out;
}

std::optional<Condition> Condition::parse(std::string_view text, std::string* error) {
    std::vector<Token> tokens;
    if (!tokenize(text, &tokens, error)) return std::nullopt;
    Parser parser(std::move(tokens));
    auto root = parser.parse_all(error);
    if (!root) return std::nullopt;
    Condition c;
    c.m_text = std::string(text);
    c.m_root = std::move(root);
    return c;
}

std::optional<Value> Condition::evaluate(const Lab& lab, std::string* error) const {
    return eval(*m_root, lab, error);
}

bool Condition::holds(const Lab& lab) const {
    std::string error;
    auto v = evaluate(lab, &error);
    return v && v->truthy();
}

Condition::Condition(const Condition& other)
    : m_text(other.m_text), m_root(other.m_root ? other.m_root->clone() : nullptr) {}
Condition& Condition::operator=(const Condition& other) {
    m_text = other.m_text;
    m_root = other.m_root ? other.m_root->clone() : nullptr;
    return *this;
}
Condition::Condition(Condition&&) noexcept = default;
Condition& Condition::operator=(Condition&&) noexcept = default;
Condition::~Condition() = default;

} // namespace mm
