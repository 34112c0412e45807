// The CLI's lesson options: lessons by id or file, --lessons folders, the
// lesson test on any file (--check-lesson), printable handouts and answer
// keys (--export-lesson), and the condition functions' table
// (--help-functions). See lessons.h.
#include "cli/lessons.h"

#include "core/base/text.h"
#include "core/base/version.h"
#include "core/console/syntax.h"
#include "core/lab/lab.h"
#include "core/lesson/functions.h"
#include "core/lesson/library.h"
#include "core/lesson/session.h"
#include "core/lesson/variant.h"

#include <md4c-html.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace cli {

namespace {

// The lessons of --lessons folders: a deque, so that find_lesson's pointers
// stay valid as folders are added.
std::deque<mm::Lesson>& folder_lessons() {
    static std::deque<mm::Lesson> lessons;
    return lessons;
}

bool ends_with(const std::string& s, std::string_view tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

bool is_lesson_path(const std::string& arg) {
    return arg.find('/') != std::string::npos || (arg.size() > 3 && ends_with(arg, ".md"));
}

// The lesson id of a file: its name without .md.
std::string id_of(const std::string& path) {
    std::string id = path.substr(path.rfind('/') + 1);
    if (id.size() > 3 && ends_with(id, ".md")) id.resize(id.size() - 3);
    return id;
}

// A lesson file read and parsed; nullopt and "PATH: ..." in *error.
std::optional<mm::Lesson> load_file(const std::string& path, std::string* error) {
    std::string text;
    if (!read_file(path, &text)) {
        *error = "cannot open " + path + ": " + std::strerror(errno);
        return std::nullopt;
    }
    std::string why;
    std::optional<mm::Lesson> lesson = mm::parse_lesson(id_of(path), text, &why);
    if (!lesson) *error = path + ": " + why;
    return lesson;
}

// The lesson files of a folder, as the lessons library takes them from
// lessons/: every *.md but README.md, sorted. false and *error if the folder
// cannot be read.
bool lesson_files(const std::string& dir, std::vector<std::string>* files, std::string* error) {
    std::error_code ec;
    std::filesystem::directory_iterator it(dir, ec);
    if (ec) {
        *error = "cannot read the folder " + dir + ": " + ec.message();
        return false;
    }
    for (const auto& entry : it) {
        const std::string name = entry.path().filename().string();
        if (ends_with(name, ".md") && name != "README.md" && entry.is_regular_file(ec))
            files->push_back((std::filesystem::path(dir) / name).string());
    }
    std::sort(files->begin(), files->end());
    return true;
}

const mm::Lesson* known_lesson(const std::string& id) {
    if (std::optional<size_t> index = mm::lesson_index(id)) return &mm::lessons()[*index];
    for (const mm::Lesson& l : folder_lessons())
        if (l.id == id) return &l;
    return nullptr;
}

std::string known_ids() {
    std::string ids = mm::lesson_ids();
    for (const mm::Lesson& l : folder_lessons())
        ids += (ids.empty() ? "" : ", ") + l.id;
    return ids;
}

} // namespace

bool read_file(const std::string& path, std::string* out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    std::stringstream buffer;
    buffer << in.rdbuf();
    *out = buffer.str();
    return true;
}

bool add_lesson_folder(const std::string& dir) {
    std::vector<std::string> files;
    std::string error;
    if (!lesson_files(dir, &files, &error)) {
        std::cerr << "mmlab: --lessons: " << error << '\n';
        return false;
    }
    for (const std::string& path : files) {
        std::optional<mm::Lesson> lesson = load_file(path, &error);
        if (!lesson) {
            std::cerr << "mmlab: --lessons: " << error << '\n';
            return false;
        }
        if (known_lesson(lesson->id)) {
            std::cerr << "mmlab: --lessons: " << path << ": there is a lesson " << lesson->id
                      << " already (rename the file)\n";
            return false;
        }
        folder_lessons().push_back(std::move(*lesson));
    }
    return true;
}

const mm::Lesson* find_lesson(const std::string& arg, std::optional<mm::Lesson>* parsed) {
    if (const mm::Lesson* lesson = known_lesson(arg)) return lesson;
    if (!is_lesson_path(arg)) {
        std::cerr << "mmlab: no lesson '" << mm::quote_input(arg)
                  << "' (the lessons: " << known_ids()
                  << "; or give a lesson file, or --lessons DIR)\n";
        return nullptr;
    }
    std::string error;
    *parsed = load_file(arg, &error);
    if (!*parsed) {
        std::cerr << "mmlab: " << error << '\n';
        return nullptr;
    }
    return &**parsed;
}

// ---- --check-lesson --------------------------------------------------------------------

int check_lessons(const std::vector<std::string>& args) {
    if (args.empty()) {
        std::cerr << "mmlab: --check-lesson needs FILE, DIR or ID...\n";
        return 2;
    }
    // Folders become their lesson files; ids and files stay as given.
    std::vector<std::string> targets;
    for (const std::string& arg : args) {
        std::error_code ec;
        if (!known_lesson(arg) && std::filesystem::is_directory(arg, ec)) {
            std::string error;
            if (!lesson_files(arg, &targets, &error)) {
                std::cerr << "mmlab: " << error << '\n';
                return 2;
            }
        } else {
            targets.push_back(arg);
        }
    }
    int status = 0;
    for (const std::string& target : targets) {
        std::optional<mm::Lesson> parsed;
        const mm::Lesson* lesson = known_lesson(target);
        if (!lesson) {
            std::string error;
            std::string text;
            if (!read_file(target, &text)) {
                std::cerr << "mmlab: cannot open " << target << ": " << std::strerror(errno)
                          << '\n';
                status = 2;
                continue;
            }
            parsed = mm::parse_lesson(id_of(target), text, &error);
            if (!parsed) {
                std::cout << target << ": " << error << '\n';
                status = std::max(status, 1);
                continue;
            }
            lesson = &*parsed;
        }
        const std::vector<std::string> problems = mm::check_lesson(*lesson);
        for (const std::string& p : problems)
            std::cout << target << ": " << p << '\n';
        if (!problems.empty()) {
            std::cout << target << ": " << problems.size()
                      << (problems.size() == 1 ? " problem\n" : " problems\n");
            status = std::max(status, 1);
            continue;
        }
        std::cout << target << ": ok (" << lesson->steps.size() << " steps";
        if (mm::has_variables(*lesson))
            std::cout << "; variables at their first values and variants 1 to "
                      << mm::kCheckedSeeds;
        std::cout << ")\n";
    }
    return status;
}

// ---- --export-lesson: handouts and answer keys ----------------------------------------

namespace {

std::string escape_html(std::string_view text) {
    std::string out;
    for (char c : text) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

struct Term {
    std::string text, explanation; // as HTML already
};

// Markdown to HTML with md4c, as the player reads it (tables,
// strikethrough, no raw HTML: a lesson may come from anyone). Links then:
// a term link (href "term:", its title the explanation) becomes <dfn>, its
// explanation collected for the handout's list of terms (paper has no
// hover); http(s) links stay; any other link is text.
std::string markdown_html(std::string_view md, std::vector<Term>* terms) {
    std::string html;
    md_html(
        md.data(), static_cast<MD_SIZE>(md.size()),
        [](const MD_CHAR* text, MD_SIZE size, void* out) {
            static_cast<std::string*>(out)->append(text, size);
        },
        &html, MD_FLAG_TABLES | MD_FLAG_NOHTML | MD_FLAG_STRIKETHROUGH, 0);
    std::string out;
    size_t at = 0;
    for (;;) {
        const size_t open = html.find("<a href=\"", at);
        const size_t tag_end = open == std::string::npos ? open : html.find('>', open);
        const size_t close = tag_end == std::string::npos ? tag_end : html.find("</a>", tag_end);
        if (close == std::string::npos) break;
        out.append(html, at, open - at);
        const std::string tag = html.substr(open, tag_end + 1 - open);
        const std::string inner = html.substr(tag_end + 1, close - tag_end - 1);
        const size_t title_at = tag.find(" title=\"");
        const std::string title = title_at == std::string::npos
                                      ? std::string()
                                      : tag.substr(title_at + 8, tag.rfind('"') - title_at - 8);
        if (tag.rfind("<a href=\"term:\"", 0) == 0) {
            out += "<dfn title=\"" + title + "\">" + inner + "</dfn>";
            if (terms && std::none_of(terms->begin(), terms->end(),
                                      [&](const Term& t) { return t.text == inner; }))
                terms->push_back(Term{inner, title});
        } else if (tag.rfind("<a href=\"https://", 0) == 0 ||
                   tag.rfind("<a href=\"http://", 0) == 0) {
            out += tag + inner + "</a>";
        } else {
            out += inner;
        }
        at = close + 4;
    }
    out.append(html, at, std::string::npos);
    return out;
}

const char kPrintCss[] = R"css(
:root { color-scheme: light; }
body { font: 11pt/1.45 "DejaVu Serif", Georgia, serif; color: #000; background: #fff;
       max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 20pt; margin: 0.2em 0; }
h2 { font-size: 14pt; margin: 1.6em 0 0.4em; border-bottom: 1px solid #999; break-after: avoid; }
h2 .n { display: inline-block; min-width: 1.6em; }
.topic, .meta { color: #444; font-size: 9.5pt; margin: 0; }
.summary { font-style: italic; }
.student { margin: 1em 0; }
.student span { display: inline-block; width: 18em; border-bottom: 1px solid #000; }
code, pre, .cmd { font-family: "DejaVu Sans Mono", monospace; font-size: 9.5pt; }
pre { white-space: pre-wrap; background: #f2f2f2; padding: 0.4em 0.6em; }
table { border-collapse: collapse; } th, td { border: 1px solid #999; padding: 0.15em 0.5em; }
dfn { font-style: normal; border-bottom: 1px dotted #000; }
.box { border: 1px solid #555; padding: 0.5em 0.8em; margin: 0.8em 0; break-inside: avoid; }
.box .label { font: bold 9pt sans-serif; text-transform: uppercase; letter-spacing: 0.05em;
              margin: 0 0 0.3em; }
.box p { margin: 0.3em 0; }
.write { border-bottom: 1px solid #000; height: 1.8em; }
ul.choices { list-style: none; padding-left: 0.4em; }
ul.choices li::before { content: "\2610\00a0\00a0"; }
.answer { font-weight: bold; }
dl.terms dt { font-weight: bold; } dl.terms dd { margin: 0 0 0.4em 1.5em; }
@page { size: A4; margin: 16mm 15mm; }
@media print {
  body { margin: 0; max-width: none; padding: 0; }
  a { color: inherit; text-decoration: none; }
  .step { break-before: auto; }
}
)css";

struct ExportOptions {
    std::string id;
    bool html = false;
    bool answers = false;
    std::string out;
    std::optional<uint64_t> seed;
    std::optional<std::string> student;
    std::string salt;
};

// The lab's answer to each question, as a student who did every step
// would meet it: the lesson played through a session on a fresh lab (a
// question given up computes its answer and runs its reveal). One entry per
// step; an error says why a step could not be reached or computed.
struct LabAnswer {
    std::optional<mm::Value> value;
    std::string error;
};
std::vector<LabAnswer> play_answers(const mm::Lesson& lesson) {
    std::vector<LabAnswer> answers(lesson.steps.size());
    mm::Lab lab;
    mm::LessonSession session(lesson, lab);
    for (size_t s = 0; s < lesson.steps.size(); ++s) {
        if (std::optional<std::string> e = s == 0 ? session.start_step(0) : session.next()) {
            for (size_t k = s; k < answers.size(); ++k)
                answers[k].error = *e;
            break;
        }
        if (!lesson.steps[s].prediction) continue;
        session.show_solution();
        answers[s].value = session.record(s).computed;
        answers[s].error = session.record(s).computed_error;
    }
    return answers;
}

std::string handout_html(const mm::Lesson& lesson, const ExportOptions& opt) {
    std::vector<Term> terms;
    const bool key = opt.answers;
    std::string h = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    // Nothing runs and nothing is fetched: the lesson may come from anyone.
    h += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
         "style-src 'unsafe-inline'; img-src data:\">\n";
    h += "<meta name=\"generator\" content=\"mmlab " + std::string(mm::kLabVersion) +
         " --export-lesson\">\n";
    h += "<title>" + escape_html(lesson.title) + (key ? " (answer key)" : "") + "</title>\n";
    h += "<style>" + std::string(kPrintCss) + "</style>\n</head>\n<body>\n<header>\n";
    h += "<p class=\"topic\">" + escape_html(lesson.topic) + "</p>\n";
    h += "<h1>" + escape_html(lesson.title) + (key ? ": answer key" : "") + "</h1>\n";
    h += "<p class=\"summary\">" + escape_html(lesson.summary) + "</p>\n";
    std::string meta = "Lesson " + lesson.id + " &middot; " + std::to_string(lesson.steps.size()) +
                       " steps &middot; text " + lesson.hash + " &middot; mmlab " + mm::kLabVersion;
    if (mm::has_variables(lesson)) {
        std::string values;
        for (size_t i = 0; i < lesson.variables.size(); ++i)
            values += (i ? ", " : "") + lesson.variables[i].name + " = " + lesson.values[i];
        meta += " &middot; variant " +
                (opt.student ? "of student " + escape_html(*opt.student) + " (seed " +
                                   std::to_string(*lesson.seed) + ")"
                 : lesson.seed ? "of seed " + std::to_string(*lesson.seed)
                               : std::string("with each variable's first value")) +
                (key ? ": " + escape_html(values) : "");
    }
    h += "<p class=\"meta\">" + meta + "</p>\n";
    if (!key) h += "<p class=\"student\">Name: <span></span></p>\n";
    h += "</header>\n";

    if (!key && !mm::trim(lesson.intro).empty())
        h += "<section class=\"intro\">\n" + markdown_html(lesson.intro, &terms) + "</section>\n";
    const std::vector<LabAnswer> answers = key ? play_answers(lesson) : std::vector<LabAnswer>{};
    for (size_t s = 0; s < lesson.steps.size(); ++s) {
        const mm::LessonStep& step = lesson.steps[s];
        if (key && !step.task && !step.prediction) continue;
        h += "<section class=\"step\" id=\"step-" + std::to_string(s + 1) +
             "\">\n<h2><span "
             "class=\"n\">" +
             std::to_string(s + 1) + "</span> " + escape_html(step.title) + "</h2>\n";
        if (!key) {
            h += markdown_html(step.body, &terms);
            if (!mm::trim(step.setup).empty())
                h += "<p class=\"setup\">The lab starts this step with:</p>\n<pre>" +
                     escape_html(std::string(mm::trim(step.setup))) + "</pre>\n";
        }
        if (step.task) {
            const mm::LessonTask& t = *step.task;
            h += "<div class=\"box task\">\n<p class=\"label\">Task</p>\n" +
                 markdown_html(t.goal, &terms);
            if (key) {
                h += "<p>Solution:</p>\n<pre>" + escape_html(std::string(mm::trim(t.solution))) +
                     "</pre>\n<p>The lab checks: <code>" + escape_html(t.check.text()) +
                     "</code></p>\n<p>Hints:</p>\n<ol>\n";
                for (const std::string& hint : t.hints)
                    h += "<li>" + markdown_html(hint, &terms) + "</li>\n";
                h += "</ol>\n";
            } else {
                h += "<p>Commands you used:</p>\n<div class=\"write\"></div>\n"
                     "<div class=\"write\"></div>\n";
            }
            h += "</div>\n";
        }
        if (step.prediction) {
            const mm::LessonPrediction& p = *step.prediction;
            h += "<div class=\"box predict\">\n<p class=\"label\">Predict</p>\n" +
                 markdown_html(p.question, &terms);
            if (!p.choices.empty()) {
                h += "<ul class=\"choices\">\n";
                for (const std::string& c : p.choices)
                    h += "<li>" + escape_html(c) + "</li>\n";
                h += "</ul>\n";
            }
            if (key) {
                const LabAnswer& a = answers[s];
                h += a.value
                         ? "<p>Answer: <span class=\"answer\">" +
                               escape_html(mm::format_answer(*a.value, p.form)) + "</span></p>\n"
                         : "<p>Answer: the lab cannot compute it (" + escape_html(a.error) +
                               ")</p>\n";
                h += "<p>Why:</p>\n" + markdown_html(p.explain, &terms);
                if (!mm::trim(p.reveal).empty())
                    h += "<p>What the lab then runs:</p>\n<pre>" +
                         escape_html(std::string(mm::trim(p.reveal))) + "</pre>\n";
            } else if (p.choices.empty()) {
                h += "<p>Your answer:</p>\n<div class=\"write\"></div>\n";
            }
            h += "</div>\n";
        }
        h += "</section>\n";
    }
    if (!key && !mm::trim(lesson.recap).empty())
        h += "<section class=\"recap\">\n<h2>To remember</h2>\n" +
             markdown_html(lesson.recap, &terms) + "</section>\n";
    if (!terms.empty()) {
        h += "<section class=\"terms\">\n<h2>Terms</h2>\n<dl class=\"terms\">\n";
        for (const Term& t : terms)
            h += "<dt>" + t.text + "</dt><dd>" + t.explanation + "</dd>\n";
        h += "</dl>\n</section>\n";
    }
    h += "</body>\n</html>\n";
    return h;
}

} // namespace

int export_lesson(const std::vector<std::string>& args) {
    ExportOptions opt;
    const auto usage = [](const std::string& why) {
        std::cerr << "mmlab: --export-lesson: " << why
                  << " (usage: --export-lesson ID --html [--answers] [-o FILE] [--seed N | "
                     "--student ID [--salt S]])\n";
        return 2;
    };
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        const bool has_value = i + 1 < args.size();
        if (a == "--html") {
            opt.html = true;
        } else if (a == "--answers") {
            opt.answers = true;
        } else if (a == "-o" || a == "--seed" || a == "--student" || a == "--salt") {
            if (!has_value) return usage(a + " needs a value");
            const std::string& v = args[++i];
            if (a == "-o") {
                opt.out = v;
            } else if (a == "--seed") {
                opt.seed = mm::parse_number(v);
                if (!opt.seed)
                    return usage("--seed takes a number, not '" + mm::quote_input(v) + "'");
            } else if (a == "--student") {
                opt.student = v;
            } else {
                opt.salt = v;
            }
        } else if (opt.id.empty() && (a.empty() || a[0] != '-')) {
            opt.id = a;
        } else {
            return usage("unknown argument '" + mm::quote_input(a) + "'");
        }
    }
    if (opt.id.empty()) return usage("which lesson?");
    if (!opt.html) return usage("the handout format is HTML: add --html");
    if (opt.seed && opt.student) return usage("give --seed or --student, not both");
    std::optional<mm::Lesson> parsed;
    const mm::Lesson* lesson = find_lesson(opt.id, &parsed);
    if (!lesson) return 2;
    std::optional<mm::Lesson> variant;
    if (opt.student || opt.seed) {
        if (!mm::has_variables(*lesson)) {
            std::cerr << "mmlab: --export-lesson: " << lesson->id
                      << " has no variables: every student gets the same lesson\n";
            return 2;
        }
        const uint64_t seed =
            opt.student ? mm::variant_seed(*opt.student, lesson->id, opt.salt) : *opt.seed;
        std::string error;
        variant = mm::instantiate(*lesson, seed, &error);
        if (!variant) {
            std::cerr << "mmlab: " << lesson->id << ": " << error << '\n';
            return 2;
        }
        lesson = &*variant;
    }
    const std::string html = handout_html(*lesson, opt);
    if (opt.out.empty()) {
        std::cout << html;
        return 0;
    }
    std::ofstream out(opt.out, std::ios::binary);
    if (!out || !(out << html) || !(out.flush())) {
        std::cerr << "mmlab: cannot write " << opt.out << ": " << std::strerror(errno) << '\n';
        return 2;
    }
    return 0;
}

// ---- --help-functions --------------------------------------------------------------------

namespace {

// A table cell's text: a '|' would end the cell, even inside `code`.
std::string table_cell(const std::string& text) {
    std::string cell;
    for (char c : text) {
        if (c == '|') cell += '\\';
        cell += c;
    }
    return cell;
}

} // namespace

std::string help_functions() {
    std::string md = "| function | gives |\n| --- | --- |\n";
    for (const std::string& doc : mm::condition_docs()) {
        // "name(ARGS): what" or "name: what".
        size_t split = doc.find("): ");
        split = split == std::string::npos ? doc.find(": ") : split + 1;
        md += "| `" + table_cell(doc.substr(0, split)) + "` | " +
              table_cell(doc.substr(split + 2)) + " |\n";
    }
    return md;
}

} // namespace cli
