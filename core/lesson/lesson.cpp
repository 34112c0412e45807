// Lesson files: parsing the front matter, steps and fenced blocks (see
// lesson.h and lessons/README.md).
#include "core/lesson/lesson.h"

#include "core/base/text.h"
#include "core/console/syntax.h"
#include "core/lesson/variant.h"

#include <algorithm>

namespace mm {

const char* answer_form_name(AnswerForm form) {
    switch (form) {
    case AnswerForm::Dec:
        return "dec";
    case AnswerForm::Hex:
        return "hex";
    case AnswerForm::Size:
        return "size";
    case AnswerForm::Fraction:
        return "fraction";
    }
    return "dec";
}

std::optional<AnswerForm> answer_form_from_name(std::string_view name) {
    for (AnswerForm f : {AnswerForm::Dec, AnswerForm::Hex, AnswerForm::Size, AnswerForm::Fraction})
        if (name == answer_form_name(f)) return f;
    return std::nullopt;
}

const std::vector<std::string_view>& panel_names() {
    static const std::vector<std::string_view> names{"lessons",    "console", "zones", "map",
                                                     "free_lists", "events",  "plots"};
    return names;
}

// What the lessons' questions ask and a panel shows before the answer: a
// small vocabulary, so that each panel knows what it must mask.
const std::vector<HideName>& hide_names() {
    static const std::vector<HideName> names{
        {"zones.managed", "each zone's present, managed and spanned pages (Zones panel)"},
        {"zones.free", "each zone's free pages (Zones panel, the free pages plot)"},
        {"zones.watermarks", "each zone's min, low and high watermarks (Zones panel, plots)"},
        {"zones.reserve", "each zone's lowmem_reserve (Zones panel)"},
        {"free_lists", "nr_free per order and the blocks on each list (Free lists panel, "
                       "the Zones panel's buddyinfo table, the nr_free plot)"},
        {"map.pfn", "the pfn of a frame under the pointer or selected (Map panel)"},
        {"plots.unusable", "the unusable free space index (Plots panel)"},
    };
    return names;
}

namespace {

struct Lines {
    std::vector<std::string_view> lines;
    explicit Lines(std::string_view text) {
        // A UTF-8 byte order mark, as some Windows editors save a file.
        if (text.substr(0, 3) == "\xef\xbb\xbf") text.remove_prefix(3);
        size_t start = 0;
        while (start <= text.size()) {
            size_t nl = text.find('\n', start);
            if (nl == std::string_view::npos) {
                if (start < text.size()) lines.push_back(text.substr(start));
                break;
            }
            std::string_view line = text.substr(start, nl - start);
            if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
            lines.push_back(line);
            start = nl + 1;
        }
    }
};

// A trimmed copy (lesson fields outlive the file's text).
std::string trimmed(std::string_view s) {
    return std::string(trim(s));
}

std::string line_error(int line, const std::string& message) {
    return "line " + std::to_string(line) + ": " + message;
}

// "key: value" entries of a block; an indented line continues the previous
// value (joined with a newline); a key may repeat (hints).
struct Entry {
    std::string key, value;
    int line;
};

bool parse_entries(const std::vector<std::string_view>& body, int first_line,
                   std::vector<Entry>* out, std::string* error) {
    for (size_t i = 0; i < body.size(); ++i) {
        std::string_view l = body[i];
        if (trimmed(l).empty()) continue;
        if ((l[0] == ' ' || l[0] == '\t') && !out->empty()) {
            out->back().value += "\n" + trimmed(l);
            continue;
        }
        size_t colon = l.find(':');
        if (colon == std::string_view::npos) {
            *error = line_error(first_line + static_cast<int>(i), "expected 'key: value'");
            return false;
        }
        out->push_back(Entry{trimmed(l.substr(0, colon)), trimmed(l.substr(colon + 1)),
                             first_line + static_cast<int>(i)});
    }
    return true;
}

// "a, b ,c" -> {"a", "b", "c"}, empty items dropped.
std::vector<std::string> split_list(std::string_view text, char separator) {
    std::vector<std::string> items;
    size_t start = 0;
    for (;;) {
        const size_t sep = text.find(separator, start);
        std::string item = trimmed(text.substr(
            start, sep == std::string_view::npos ? std::string_view::npos : sep - start));
        if (!item.empty()) items.push_back(std::move(item));
        if (sep == std::string_view::npos) return items;
        start = sep + 1;
    }
}

bool parse_condition(const Entry& e, std::optional<Condition>* out, std::string* error) {
    std::string why;
    auto c = Condition::parse(e.value, &why);
    if (!c) {
        *error = line_error(e.line, e.key + ": " + why);
        return false;
    }
    *out = std::move(*c);
    return true;
}

bool parse_task(const std::vector<Entry>& entries, int line, LessonStep* step, std::string* error) {
    std::string goal, solution;
    std::vector<std::string> hints;
    std::optional<Condition> check;
    int check_line = 0;
    for (const Entry& e : entries) {
        if (e.key == "goal")
            goal = e.value;
        else if (e.key == "check") {
            if (!parse_condition(e, &check, error)) return false;
            check_line = e.line;
        } else if (e.key == "hint")
            hints.push_back(e.value);
        else if (e.key == "solution")
            solution = e.value;
        else {
            *error = line_error(e.line,
                                "unknown task key '" + e.key + "' (goal, check, hint, solution)");
            return false;
        }
    }
    if (!check || goal.empty() || solution.empty() || hints.empty()) {
        *error = line_error(line, "a task needs goal:, check:, at least one hint: and solution:");
        return false;
    }
    step->task =
        LessonTask{std::move(goal), std::move(*check), std::move(hints), std::move(solution), line,
                   check_line};
    return true;
}

bool parse_prediction(const std::vector<Entry>& entries, int line, LessonStep* step,
                      std::string* error) {
    std::string question, reveal, explain;
    std::vector<std::string> choices;
    std::optional<std::string> expect;
    std::optional<Condition> answer;
    int answer_line = 0, expect_line = 0;
    AnswerForm form = AnswerForm::Dec;
    std::vector<std::string> hide;
    for (const Entry& e : entries) {
        if (e.key == "question")
            question = e.value;
        else if (e.key == "choices") {
            size_t start = 0;
            for (;;) {
                size_t bar = e.value.find('|', start);
                choices.push_back(trimmed(std::string_view(e.value).substr(
                    start, bar == std::string::npos ? std::string::npos : bar - start)));
                if (bar == std::string::npos) break;
                start = bar + 1;
            }
        } else if (e.key == "reveal")
            reveal = e.value;
        else if (e.key == "answer") {
            if (!parse_condition(e, &answer, error)) return false;
            answer_line = e.line;
        } else if (e.key == "expect") {
            expect = e.value;
            expect_line = e.line;
        } else if (e.key == "explain")
            explain = e.value;
        else if (e.key == "form") {
            const std::optional<AnswerForm> f = answer_form_from_name(e.value);
            if (!f) {
                *error = line_error(e.line, "form: '" + quote_input(e.value) +
                                                "' is not one of hex, dec, size, fraction");
                return false;
            }
            form = *f;
        } else if (e.key == "hide") {
            for (std::string& name : split_list(e.value, ',')) {
                const auto& known = hide_names();
                if (std::none_of(known.begin(), known.end(),
                                 [&](const HideName& h) { return h.name == name; })) {
                    std::string all;
                    for (const HideName& h : known)
                        all += (all.empty() ? "" : ", ") + std::string(h.name);
                    *error = line_error(e.line, "hide: unknown value '" + quote_input(name) +
                                                    "' (" + all + ")");
                    return false;
                }
                hide.push_back(std::move(name));
            }
        } else {
            *error = line_error(e.line, "unknown prediction key '" + e.key +
                                            "' (question, choices, reveal, answer, expect, "
                                            "explain, form, hide)");
            return false;
        }
    }
    if (question.empty() || !answer || explain.empty()) {
        *error = line_error(line, "a prediction needs question:, answer: and explain:");
        return false;
    }
    if (!choices.empty() && form != AnswerForm::Dec) {
        *error = line_error(line, "form: is for number answers, not for choices");
        return false;
    }
    LessonPrediction p{std::move(question), std::move(choices), std::move(reveal),
                       std::move(*answer),  std::move(expect),  std::move(explain)};
    p.form = form;
    p.hide = std::move(hide);
    p.line = line;
    p.answer_line = answer_line;
    p.expect_line = expect_line;
    step->prediction = std::move(p);
    return true;
}

bool parse_highlight(const std::vector<Entry>& entries, LessonStep* step, std::string* error) {
    for (const Entry& e : entries) {
        if (e.key == "panels") {
            for (std::string& name : split_list(e.value, ',')) {
                const auto& known = panel_names();
                if (std::find(known.begin(), known.end(), name) == known.end()) {
                    std::string all;
                    for (std::string_view n : known)
                        all += (all.empty() ? "" : ", ") + std::string(n);
                    *error = line_error(e.line, "panels: unknown panel '" + quote_input(name) +
                                                    "' (" + all + ")");
                    return false;
                }
                step->panels.push_back(std::move(name));
            }
        } else if (e.key == "frames") {
            size_t dash = e.value.find('-');
            auto first = parse_number(trimmed(std::string_view(e.value).substr(0, dash)));
            auto last = dash == std::string::npos
                            ? first
                            : parse_number(trimmed(std::string_view(e.value).substr(dash + 1)));
            if (!first || !last || *last < *first) {
                *error = line_error(e.line, "frames: expected FIRST-LAST pfns");
                return false;
            }
            step->frames = std::make_pair(Pfn{*first}, Pfn{*last});
        } else {
            *error = line_error(e.line, "unknown highlight key '" + e.key + "' (panels, frames)");
            return false;
        }
    }
    return true;
}

// The front matter: "---", key: value lines, "---". Returns the index of
// the line after it, or nullopt with one line in *error.
std::optional<size_t> parse_front_matter(const std::vector<std::string_view>& L, Lesson* lesson,
                                         std::string* error) {
    if (L.empty() || trimmed(L[0]) != "---") {
        *error = line_error(
            1, "a lesson starts with a front matter: ---, title:, topic:, summary:, ---");
        return std::nullopt;
    }
    size_t i = 1;
    for (; i < L.size() && trimmed(L[i]) != "---"; ++i) {
        const int line_no = static_cast<int>(i + 1);
        const std::string_view l = L[i];
        const size_t colon = l.find(':');
        if (colon == std::string_view::npos) {
            *error = line_error(line_no, "expected 'key: value' in the front matter");
            return std::nullopt;
        }
        const std::string key = trimmed(l.substr(0, colon)), value = trimmed(l.substr(colon + 1));
        if (key == "title") {
            lesson->title = value;
        } else if (key == "topic") {
            lesson->topic = value;
        } else if (key == "summary") {
            lesson->summary = value;
        } else if (key == "position") {
            const std::optional<uint64_t> v = parse_number(value);
            if (!v) {
                *error = line_error(line_no, "position: expected a number");
                return std::nullopt;
            }
            lesson->position = static_cast<int>(*v);
        } else {
            *error = line_error(line_no, "unknown front matter key '" + key +
                                             "' (title, topic, summary, position)");
            return std::nullopt;
        }
    }
    if (i >= L.size()) {
        *error = line_error(1, "the front matter is not closed with ---");
        return std::nullopt;
    }
    if (lesson->title.empty() || lesson->topic.empty() || lesson->summary.empty()) {
        *error = line_error(1, "the front matter needs title:, topic: and summary:");
        return std::nullopt;
    }
    return i + 1;
}

// A fenced block that starts at line index `i` (its info string after ```):
// a step's setup, task, prediction or highlight, or else prose. Returns the
// index of its closing ```, or nullopt with one line in *error.
std::optional<size_t> parse_block(const std::vector<std::string_view>& L, size_t i, Lesson* lesson,
                                  LessonStep* step, std::string* prose, std::string* error) {
    const int line_no = static_cast<int>(i + 1);
    const std::string info = trimmed(L[i].substr(3));
    size_t end = i + 1;
    while (end < L.size() && trimmed(L[end]) != "```")
        ++end;
    if (end >= L.size()) {
        *error = line_error(line_no, "the ``` block is not closed");
        return std::nullopt;
    }
    const std::vector<std::string_view> body(L.begin() + static_cast<long>(i) + 1,
                                             L.begin() + static_cast<long>(end));
    if (info == "recap") { // the lesson's own, wherever it stands
        if (!lesson->recap.empty()) {
            *error = line_error(line_no, "a lesson has at most one ```recap block");
            return std::nullopt;
        }
        for (std::string_view b : body)
            lesson->recap += std::string(b) + "\n";
        if (trimmed(lesson->recap).empty()) {
            *error = line_error(line_no, "the ```recap block is empty");
            return std::nullopt;
        }
        return end;
    }
    if (info == "vars") return end; // read before parsing (parse_variables), by parse_lesson
    const bool directive =
        info == "setup" || info == "task" || info == "predict" || info == "highlight";
    if (!directive) { // an ordinary code block is prose
        for (size_t k = i; k <= end; ++k)
            *prose += std::string(L[k]) + "\n";
        return end;
    }
    if (!step) {
        *error = line_error(line_no,
                            "a ```" + info + " block must be inside a step (after a ## heading)");
        return std::nullopt;
    }
    if (info == "setup") {
        if (step->setup_line == 0) step->setup_line = line_no;
        for (std::string_view b : body)
            step->setup += std::string(b) + "\n";
        return end;
    }
    std::vector<Entry> entries;
    if (!parse_entries(body, line_no + 1, &entries, error)) return std::nullopt;
    if ((info == "task" || info == "predict") && (step->task || step->prediction)) {
        *error = line_error(line_no, "a step has at most one task or prediction");
        return std::nullopt;
    }
    const bool ok = info == "task"      ? parse_task(entries, line_no, step, error)
                    : info == "predict" ? parse_prediction(entries, line_no, step, error)
                                        : parse_highlight(entries, step, error);
    return ok ? std::optional<size_t>(end) : std::nullopt;
}

} // namespace

std::optional<Lesson> parse_substituted_lesson(std::string_view id, std::string_view text,
                                               std::string* error) {
    Lines lines(text);
    const auto& L = lines.lines;
    Lesson lesson;
    lesson.id = std::string(id);
    lesson.hash = content_hash(text);
    const std::optional<size_t> first = parse_front_matter(L, &lesson, error);
    if (!first) return std::nullopt;

    // Prose goes to the intro until the first "## " heading starts a step.
    LessonStep* step = nullptr;
    std::string* prose = &lesson.intro;
    for (size_t i = *first; i < L.size(); ++i) {
        const std::string_view l = L[i];
        if (l.substr(0, 3) == "## ") {
            lesson.steps.push_back(LessonStep{});
            step = &lesson.steps.back();
            step->title = trimmed(l.substr(3));
            step->line = static_cast<int>(i + 1);
            prose = &step->body;
        } else if (l.substr(0, 3) == "```") {
            const std::optional<size_t> end = parse_block(L, i, &lesson, step, prose, error);
            if (!end) return std::nullopt;
            i = *end;
        } else {
            *prose += std::string(l) + "\n";
        }
    }
    if (lesson.steps.empty()) {
        *error =
            line_error(static_cast<int>(L.size()), "a lesson needs at least one step (## heading)");
        return std::nullopt;
    }
    return lesson;
}

std::optional<Lesson> parse_lesson(std::string_view id, std::string_view text, std::string* error) {
    std::vector<LessonVariable> variables;
    if (!parse_variables(Lines(text).lines, &variables, error)) return std::nullopt;
    std::vector<std::string> first;
    for (const LessonVariable& v : variables)
        first.push_back(v.values.front());
    const std::optional<std::string> shown =
        substitute_variables(text, variables, first, /*require_use=*/true, error);
    if (!shown) return std::nullopt;
    std::optional<Lesson> lesson = parse_substituted_lesson(id, *shown, error);
    if (!lesson) return std::nullopt;
    lesson->hash = content_hash(text);
    if (variables.empty()) return lesson;
    // Every value of every variable, the others at their first, must give a
    // lesson that parses (a size in a condition does not): the author learns
    // it here, not a student with an unlucky seed.
    for (size_t i = 0; i < variables.size(); ++i)
        for (size_t k = 1; k < variables[i].values.size(); ++k) {
            std::vector<std::string> values = first;
            values[i] = variables[i].values[k];
            const std::optional<std::string> variant =
                substitute_variables(text, variables, values, false, error);
            if (!variant || !parse_substituted_lesson(id, *variant, error)) {
                *error += " (with " + variables[i].name + " = " + values[i] + ")";
                return std::nullopt;
            }
        }
    lesson->variables = std::move(variables);
    lesson->values = std::move(first);
    lesson->source = std::string(text);
    return lesson;
}

} // namespace mm
