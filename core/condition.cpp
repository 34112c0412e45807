// The lessons' condition language: a small recursive-descent parser into a
// tree, and an evaluator over the const lab.
//
// Sections: the tree | tokens | parser | functions | evaluation.
#include "core/condition.h"

#include "core/command.h"
#include "core/procfs.h"

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

// ---- Functions ------------------------------------------------------------------------

struct CallArgs {
    std::vector<Value> positional;
    std::map<std::string, Value> named;
};

using Fn = std::function<std::optional<Value>(const Lab&, const CallArgs&, std::string*)>;

struct FnSpec {
    const char* name;
    const char* doc;
    Fn fn;
};

// The zones a call selects with zone= and node= (all when not given).
std::optional<std::vector<const Zone*>> select_zones(const Machine& m, const CallArgs& a,
                                                     std::string* error) {
    std::vector<const Zone*> zones;
    auto zone_it = a.named.find("zone");
    auto node_it = a.named.find("node");
    bool zone_known = zone_it == a.named.end();
    for (const Node& node : m.nodes()) {
        if (node_it != a.named.end() && node_it->second.i != node.id) continue;
        for (const Zone& zone : node.zones) {
            if (zone_it != a.named.end() && zone_it->second.text() != zone.name()) continue;
            zone_known = true;
            zones.push_back(&zone);
        }
    }
    if (!zone_known) {
        *error = "no zone '" + zone_it->second.text() + "' on this machine";
        return std::nullopt;
    }
    if (node_it != a.named.end() &&
        (node_it->second.i < 0 || static_cast<size_t>(node_it->second.i) >= m.nodes().size())) {
        *error = "no node " + node_it->second.text() + " on this machine";
        return std::nullopt;
    }
    return zones;
}

std::optional<Value> sum_zones(const Lab& lab, const CallArgs& a, std::string* error,
                               const std::function<int64_t(const Zone&)>& field) {
    auto zones = select_zones(lab.machine(), a, error);
    if (!zones) return std::nullopt;
    int64_t sum = 0;
    for (const Zone* z : *zones)
        sum += field(*z);
    return Value::integer(sum);
}

std::optional<int64_t> int_arg(const CallArgs& a, size_t index, const char* key,
                               std::string* error) {
    auto it = a.named.find(key);
    if (it != a.named.end()) return it->second.i;
    if (index < a.positional.size() && a.positional[index].kind == Value::Kind::Int)
        return a.positional[index].i;
    *error = std::string("needs ") + key + "=N";
    return std::nullopt;
}

std::optional<std::string> str_arg(const CallArgs& a, size_t index, const char* what,
                                   std::string* error) {
    if (index < a.positional.size()) return a.positional[index].text();
    *error = std::string("needs ") + what;
    return std::nullopt;
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
            size_t i = 0;
            while (i < line.size() && !(line[i] >= '0' && line[i] <= '9') && line[i] != '-')
                ++i;
            if (i == line.size()) return std::nullopt;
            bool neg = line[i] == '-';
            if (neg) ++i;
            int64_t v = 0;
            bool any = false;
            while (i < line.size() && line[i] >= '0' && line[i] <= '9') {
                v = v * 10 + (line[i] - '0');
                any = true;
                ++i;
            }
            if (!any) return std::nullopt;
            return neg ? -v : v;
        }
        at = text.find(key, at + 1);
    }
    return std::nullopt;
}

// The integer a sysctl file starts with ("256\t256\t32..." gives 256).
std::optional<int64_t> parse_int_prefix(std::string_view text) {
    size_t end = 0;
    while (end < text.size() &&
           ((text[end] >= '0' && text[end] <= '9') || (end == 0 && text[end] == '-')))
        ++end;
    std::string_view digits = text.substr(0, end);
    bool neg = !digits.empty() && digits[0] == '-';
    auto v = parse_number(neg ? digits.substr(1) : digits);
    if (!v) return std::nullopt;
    return neg ? -static_cast<int64_t>(*v) : static_cast<int64_t>(*v);
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

const Allocation* named_block(const Lab& lab, const CallArgs& a, std::string* error) {
    auto name = str_arg(a, 0, "a block name", error);
    if (!name) return nullptr;
    auto id = lab.machine().find_allocation(*name);
    if (!id) {
        *error = "no allocated block is named '" + *name + "'";
        return nullptr;
    }
    return &lab.machine().allocations()[*id];
}

int64_t contig_index(const Zone& z, unsigned order, bool unusable) {
    uint64_t free_pages = 0, total = 0, suitable = 0;
    for (unsigned o = 0; o < NR_PAGE_ORDERS; ++o) {
        uint64_t blocks = z.free_area[o].nr_free;
        total += blocks;
        free_pages += blocks << o;
        if (o >= order) suitable += blocks << (o - order);
    }
    if (unusable)
        return free_pages == 0
                   ? 1000
                   : static_cast<int64_t>((free_pages - (suitable << order)) * 1000 / free_pages);
    if (!total) return 0;
    if (suitable) return -1000;
    return 1000 - static_cast<int64_t>((1000 + free_pages * 1000 / (uint64_t{1} << order)) / total);
}

const std::vector<FnSpec>& functions() {
    static const std::vector<FnSpec> table = {
        {"nr_free",
         "nr_free(order=N [, zone=Z] [, node=N]): free blocks of that order (summed over the zones "
         "selected)",
         [](const Lab& lab, const CallArgs& a, std::string* e) -> std::optional<Value> {
             auto order = int_arg(a, 0, "order", e);
             if (!order) return std::nullopt;
             if (*order < 0 || *order > MAX_PAGE_ORDER) {
                 *e = "order must be 0 to 10";
                 return std::nullopt;
             }
             return sum_zones(lab, a, e, [&](const Zone& z) {
                 return static_cast<int64_t>(z.free_area[*order].nr_free);
             });
         }},
        {"free", "free([zone=Z] [, node=N]): free pages (NR_FREE_PAGES)",
         [](const Lab& lab, const CallArgs& a, std::string* e) {
             return sum_zones(lab, a, e,
                              [](const Zone& z) { return static_cast<int64_t>(z.free_pages); });
         }},
        {"managed", "managed([zone=Z] [, node=N]): managed pages",
         [](const Lab& lab, const CallArgs& a, std::string* e) {
             return sum_zones(lab, a, e,
                              [](const Zone& z) { return static_cast<int64_t>(z.managed_pages); });
         }},
        {"present", "present([zone=Z] [, node=N]): present pages",
         [](const Lab& lab, const CallArgs& a, std::string* e) {
             return sum_zones(lab, a, e,
                              [](const Zone& z) { return static_cast<int64_t>(z.present_pages); });
         }},
        {"spanned", "spanned([zone=Z] [, node=N]): spanned pages",
         [](const Lab& lab, const CallArgs& a, std::string* e) {
             return sum_zones(lab, a, e,
                              [](const Zone& z) { return static_cast<int64_t>(z.spanned_pages); });
         }},
        {"min", "min(zone=Z [, node=N]): the min watermark, in pages",
         [](const Lab& lab, const CallArgs& a, std::string* e) {
             return sum_zones(
                 lab, a, e, [](const Zone& z) { return static_cast<int64_t>(z.wmark(WMARK_MIN)); });
         }},
        {"low", "low(zone=Z [, node=N]): the low watermark",
         [](const Lab& lab, const CallArgs& a, std::string* e) {
             return sum_zones(
                 lab, a, e, [](const Zone& z) { return static_cast<int64_t>(z.wmark(WMARK_LOW)); });
         }},
        {"high", "high(zone=Z [, node=N]): the high watermark",
         [](const Lab& lab, const CallArgs& a, std::string* e) {
             return sum_zones(lab, a, e, [](const Zone& z) {
                 return static_cast<int64_t>(z.wmark(WMARK_HIGH));
             });
         }},
        {"reserve",
         "reserve(zone=Z, for=Z2 [, node=N]): lowmem_reserve of Z against requests that may use Z2",
         [](const Lab& lab, const CallArgs& a, std::string* e) -> std::optional<Value> {
             auto for_it = a.named.find("for");
             if (for_it == a.named.end()) {
                 *e = "needs for=ZONE";
                 return std::nullopt;
             }
             int idx = -1;
             for (const Zone& z : lab.machine().nodes()[0].zones)
                 if (for_it->second.text() == z.name()) idx = z.idx;
             if (idx < 0) {
                 *e = "no zone '" + for_it->second.text() + "' on this machine";
                 return std::nullopt;
             }
             return sum_zones(lab, a, e, [&](const Zone& z) {
                 return z.lowmem_reserve[static_cast<size_t>(idx)];
             });
         }},
        {"blocks", "blocks([order=N] [, zone=Z] [, node=N]): allocated blocks (of that order)",
         [](const Lab& lab, const CallArgs& a, std::string* e) -> std::optional<Value> {
             auto zones = select_zones(lab.machine(), a, e);
             if (!zones) return std::nullopt;
             auto order_it = a.named.find("order");
             int64_t n = 0;
             for (const Allocation& al : lab.machine().allocations()) {
                 if (!al.live) continue;
                 if (order_it != a.named.end() && order_it->second.i != al.order) continue;
                 const Zone* z = &lab.machine().zone(ZoneRef{al.node, al.zone});
                 for (const Zone* s : *zones)
                     n += s == z;
             }
             return Value::integer(n);
         }},
        {"allocated", "allocated(\"NAME\"): 1 if a block of that name is allocated, else 0",
         [](const Lab& lab, const CallArgs& a, std::string* e) -> std::optional<Value> {
             auto name = str_arg(a, 0, "a block name", e);
             if (!name) return std::nullopt;
             return Value::integer(lab.machine().find_allocation(*name) ? 1 : 0);
         }},
        {"order_of", "order_of(\"NAME\"): the order of a named block",
         [](const Lab& lab, const CallArgs& a, std::string* e) -> std::optional<Value> {
             const Allocation* b = named_block(lab, a, e);
             if (!b) return std::nullopt;
             return Value::integer(b->order);
         }},
        {"pfn_of", "pfn_of(\"NAME\"): the first pfn of a named block",
         [](const Lab& lab, const CallArgs& a, std::string* e) -> std::optional<Value> {
             const Allocation* b = named_block(lab, a, e);
             if (!b) return std::nullopt;
             return Value::integer(static_cast<int64_t>(b->pfn));
         }},
        {"zone_of", "zone_of(\"NAME\"): the zone of a named block (\"DMA32\")",
         [](const Lab& lab, const CallArgs& a, std::string* e) -> std::optional<Value> {
             const Allocation* b = named_block(lab, a, e);
             if (!b) return std::nullopt;
             return Value::string(lab.machine().zone(ZoneRef{b->node, b->zone}).name());
         }},
        {"node_of", "node_of(\"NAME\"): the node of a named block",
         [](const Lab& lab, const CallArgs& a, std::string* e) -> std::optional<Value> {
             const Allocation* b = named_block(lab, a, e);
             if (!b) return std::nullopt;
             return Value::integer(b->node);
         }},
        {"state", "state(PFN): \"free\", \"allocated\", \"reserved\" or \"hole\"",
         [](const Lab& lab, const CallArgs& a, std::string* e) -> std::optional<Value> {
             auto pfn = int_arg(a, 0, "pfn", e);
             if (!pfn) return std::nullopt;
             static const char* const names[] = {"hole", "reserved", "free", "allocated"};
             return Value::string(
                 names[static_cast<int>(lab.machine().frame(static_cast<uint64_t>(*pfn)).state)]);
         }},
        {"file", "file(\"PATH\", \"KEY\"): the first number after KEY in a /proc or /sys file",
         [](const Lab& lab, const CallArgs& a, std::string* e) -> std::optional<Value> {
             auto path = str_arg(a, 0, "a path", e);
             auto key = path ? str_arg(a, 1, "a key", e) : std::nullopt;
             if (!key) return std::nullopt;
             return file_value(lab, *path, *key, e);
         }},
        {"meminfo", "meminfo(\"FIELD\"): a /proc/meminfo value in kB (meminfo(\"MemFree\"))",
         [](const Lab& lab, const CallArgs& a, std::string* e) -> std::optional<Value> {
             auto key = str_arg(a, 0, "a field", e);
             if (!key) return std::nullopt;
             return file_value(lab, "/proc/meminfo", *key + ":", e);
         }},
        {"vmstat", "vmstat(\"COUNTER\"): a /proc/vmstat counter",
         [](const Lab& lab, const CallArgs& a, std::string* e) -> std::optional<Value> {
             auto key = str_arg(a, 0, "a counter", e);
             if (!key) return std::nullopt;
             return file_value(lab, "/proc/vmstat", *key, e);
         }},
        {"sysctl", "sysctl(\"vm.NAME\"): a sysctl's (first) value",
         [](const Lab& lab, const CallArgs& a, std::string* e) -> std::optional<Value> {
             auto name = str_arg(a, 0, "a sysctl name", e);
             if (!name) return std::nullopt;
             auto text = name->rfind("vm.", 0) == 0 ? read_file(lab.machine(), sysctl_path(*name))
                                                    : std::nullopt;
             auto v = text ? parse_int_prefix(*text) : std::nullopt;
             if (!v) {
                 *e = "no sysctl '" + *name + "'";
                 return std::nullopt;
             }
             return Value::integer(*v);
         }},
        {"unusable", "unusable(order=N, zone=Z [, node=N]): the unusable free space index x 1000",
         [](const Lab& lab, const CallArgs& a, std::string* e) -> std::optional<Value> {
             auto order = int_arg(a, 0, "order", e);
             if (!order) return std::nullopt;
             return sum_zones(lab, a, e, [&](const Zone& z) {
                 return contig_index(z, static_cast<unsigned>(*order) % NR_PAGE_ORDERS, true);
             });
         }},
        {"extfrag", "extfrag(order=N, zone=Z [, node=N]): the fragmentation index x 1000",
         [](const Lab& lab, const CallArgs& a, std::string* e) -> std::optional<Value> {
             auto order = int_arg(a, 0, "order", e);
             if (!order) return std::nullopt;
             return sum_zones(lab, a, e, [&](const Zone& z) {
                 return contig_index(z, static_cast<unsigned>(*order) % NR_PAGE_ORDERS, false);
             });
         }},
        {"head",
         "head(order=N, zone=Z [, node=N]): the pfn at the head of that free list, -1 if empty",
         [](const Lab& lab, const CallArgs& a, std::string* e) -> std::optional<Value> {
             auto order = int_arg(a, 0, "order", e);
             if (!order) return std::nullopt;
             if (*order < 0 || *order > MAX_PAGE_ORDER) {
                 *e = "order must be 0 to 10";
                 return std::nullopt;
             }
             auto zones = select_zones(lab.machine(), a, e);
             if (!zones) return std::nullopt;
             for (const Zone* z : *zones)
                 if (z->free_area[*order].head != NIL_PFN)
                     return Value::integer(z->free_area[*order].head);
             return Value::integer(-1);
         }},
        {"buddy", "buddy(PFN, ORDER): the buddy's pfn, PFN ^ (1 << ORDER)",
         [](const Lab&, const CallArgs& a, std::string* e) -> std::optional<Value> {
             if (a.positional.size() != 2 || a.positional[1].i < 0 || a.positional[1].i > 62) {
                 *e = "needs a pfn and an order";
                 return std::nullopt;
             }
             return Value::integer(a.positional[0].i ^ (int64_t{1} << a.positional[1].i));
         }},
        {"order_for",
         "order_for(BYTES): the smallest order whose block holds BYTES (the kernel's get_order())",
         [](const Lab&, const CallArgs& a, std::string* e) -> std::optional<Value> {
             if (a.positional.size() != 1 || a.positional[0].i < 1) {
                 *e = "needs a size in bytes";
                 return std::nullopt;
             }
             int64_t order = 0;
             while ((int64_t{4096} << order) < a.positional[0].i)
                 ++order;
             return Value::integer(order);
         }},
        {"start_pfn", "start_pfn(zone=Z [, node=N]): the zone's first pfn (zone_start_pfn)",
         [](const Lab& lab, const CallArgs& a, std::string* e) -> std::optional<Value> {
             auto zones = select_zones(lab.machine(), a, e);
             if (!zones) return std::nullopt;
             for (const Zone* z : *zones)
                 if (z->populated()) return Value::integer(static_cast<int64_t>(z->zone_start_pfn));
             return Value::integer(-1);
         }},
        {"zones", "zones([node=N]): zones of the configuration (MAX_NR_ZONES), populated or not",
         [](const Lab& lab, const CallArgs& a, std::string* e) -> std::optional<Value> {
             CallArgs node_only;
             if (a.named.count("node"))
                 node_only.named["node"] = a.named.at("node");
             else
                 node_only.named["node"] = Value::integer(0);
             auto zones = select_zones(lab.machine(), node_only, e);
             if (!zones) return std::nullopt;
             return Value::integer(static_cast<int64_t>(zones->size()));
         }},
        {"populated", "populated([zone=Z] [, node=N]): zones with pages",
         [](const Lab& lab, const CallArgs& a, std::string* e) {
             return sum_zones(lab, a, e,
                              [](const Zone& z) { return static_cast<int64_t>(z.populated()); });
         }},
        {"reserved", "reserved([kind=firmware|kernel|memmap]): frames memblock reserved at boot",
         [](const Lab& lab, const CallArgs& a, std::string* e) -> std::optional<Value> {
             std::string kind = a.named.count("kind") ? a.named.at("kind").text() : "";
             if (!kind.empty() && kind != "firmware" && kind != "kernel" && kind != "memmap") {
                 *e = "kind must be firmware, kernel or memmap";
                 return std::nullopt;
             }
             int64_t n = 0;
             for (const Reservation& r : lab.machine().reservations()) {
                 const char* k = r.kind == ReserveKind::Firmware      ? "firmware"
                                 : r.kind == ReserveKind::KernelImage ? "kernel"
                                                                      : "memmap";
                 if (kind.empty() || kind == k) n += static_cast<int64_t>(r.nr_pages);
             }
             return Value::integer(n);
         }},
        {"contains", "contains(TEXT, PART): 1 if the string TEXT contains PART",
         [](const Lab&, const CallArgs& a, std::string* e) -> std::optional<Value> {
             if (a.positional.size() != 2) {
                 *e = "needs two strings";
                 return std::nullopt;
             }
             return Value::integer(a.positional[0].text().find(a.positional[1].text()) !=
                                   std::string::npos);
         }},
        {"yesno", "yesno(X): \"yes\" if X is true, else \"no\" (for yes/no questions)",
         [](const Lab&, const CallArgs& a, std::string* e) -> std::optional<Value> {
             if (a.positional.size() != 1) {
                 *e = "needs one value";
                 return std::nullopt;
             }
             return Value::string(a.positional[0].truthy() ? "yes" : "no");
         }},
        {"history_length", "history_length(): commands in the history",
         [](const Lab& lab, const CallArgs&, std::string*) -> std::optional<Value> {
             return Value::integer(static_cast<int64_t>(lab.history().size()));
         }},
    };
    return table;
}

// Names without arguments, and last.* fields.
std::optional<Value> name_value(const Lab& lab, const std::string& name, std::string* error) {
    const Machine& m = lab.machine();
    if (name == "arch") return Value::string(arch_name(m.arch()));
    if (name == "nodes") return Value::integer(static_cast<int64_t>(m.nodes().size()));
    if (name == "ram") return Value::integer(static_cast<int64_t>(m.params().ram));
    if (name == "total_free") return Value::integer(static_cast<int64_t>(m.total_free()));
    if (name == "total_managed") return Value::integer(static_cast<int64_t>(m.total_managed()));
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
    *error = "unknown name '" + name + "'";
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
        const FnSpec* spec = nullptr;
        for (const FnSpec& f : functions())
            if (n.text == f.name) spec = &f;
        if (!spec) {
            *error = "unknown function '" + n.text + "'";
            return std::nullopt;
        }
        CallArgs args;
        for (size_t i = 0; i < n.args.size(); ++i) {
            auto v = eval(*n.args[i], lab, error);
            if (!v) return std::nullopt;
            if (n.keys[i].empty())
                args.positional.push_back(*v);
            else
                args.named[n.keys[i]] = *v;
        }
        std::string inner;
        auto v = spec->fn(lab, args, &inner);
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

} // namespace

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

const char* const* condition_functions(size_t* count) {
    static std::vector<const char*> docs = [] {
        std::vector<const char*> d;
        for (const FnSpec& f : functions())
            d.push_back(f.doc);
        return d;
    }();
    *count = docs.size();
    return docs.data();
}

} // namespace mm
