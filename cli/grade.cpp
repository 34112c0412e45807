// mmlab --grade LESSON STEP|all FILE|DIR... [--json|--csv]: grades many
// students' files at once. A submission (core/lesson/submission.h) is
// graded step by step from its records; a state file (core/lab/state.h)
// as before, by its final machine, for the tasks only. A folder stands for
// its files (not its subfolders, nor files whose name starts with '.'),
// in name order.
#include "cli/grade.h"

#include "cli/lessons.h"
#include "core/base/text.h"
#include "core/console/syntax.h"
#include "core/lab/lab.h"
#include "core/lab/state.h"
#include "core/lesson/library.h"
#include "core/lesson/submission.h"
#include "core/lesson/variant.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <optional>

namespace cli {

namespace {

enum class Output : uint8_t { Text, Json, Csv };

struct Row {
    std::string file;
    std::string student; // a submission's, or empty
    size_t step = 0;     // 0-based
    mm::Verdict verdict = mm::Verdict::Fail;
    std::optional<mm::StepStatus> status; // a submission's record of the step
    std::string why;
    std::vector<std::string> values;
    std::string title; // of the step in the student's variant of the lesson
};

// The files FILE|DIR... name, each folder's files in name order.
std::vector<std::string> expand(const std::vector<std::string>& paths) {
    std::vector<std::string> files;
    for (const std::string& path : paths) {
        std::error_code ec;
        if (!std::filesystem::is_directory(path, ec)) {
            files.push_back(path);
            continue;
        }
        std::vector<std::string> inside;
        for (const auto& entry : std::filesystem::directory_iterator(path, ec)) {
            const std::string name = entry.path().filename().string();
            if (!name.empty() && name[0] != '.' && entry.is_regular_file(ec))
                inside.push_back(entry.path().string());
        }
        std::sort(inside.begin(), inside.end());
        files.insert(files.end(), inside.begin(), inside.end());
    }
    return files;
}

bool gradable(const mm::LessonStep& step) {
    return step.task || step.prediction;
}

// --roster FILE: which student handed in which file. A CSV table whose
// first line names its columns: `student` (required: the id the student
// gave the page, or the LMS's student id) and `file` (optional: the name of
// the file they handed in, without its folder); other columns are ignored,
// so an LMS's export with a file column added will do. With `file`, each
// submission is looked up by its file name, and one that carries another
// student's id or numbers fails (a copy); without it, by the student id
// the submission carries.
struct Roster {
    bool by_file = false;
    std::vector<std::pair<std::string, std::string>> rows; // student, file
};

// One CSV line's fields (RFC 4180 quotes: "a ""b"", c").
std::vector<std::string> csv_fields(std::string_view line) {
    std::vector<std::string> fields(1);
    bool quoted = false;
    for (size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
            fields.back() += '"';
            ++i;
        } else if (c == '"') {
            quoted = !quoted;
        } else if (c == ',' && !quoted) {
            fields.emplace_back();
        } else {
            fields.back() += c;
        }
    }
    for (std::string& f : fields)
        f = std::string(mm::trim(f));
    return fields;
}

std::optional<Roster> read_roster(const std::string& path) {
    std::string text;
    if (!read_file(path, &text)) {
        std::cerr << "mmlab: cannot open " << path << ": " << std::strerror(errno) << '\n';
        return std::nullopt;
    }
    if (text.rfind("\xef\xbb\xbf", 0) == 0) text.erase(0, 3);
    std::vector<std::string_view> lines;
    for (size_t start = 0; start < text.size();) {
        size_t nl = text.find('\n', start);
        if (nl == std::string::npos) nl = text.size();
        const std::string_view line = mm::trim(std::string_view(text).substr(start, nl - start));
        if (!line.empty()) lines.push_back(line);
        start = nl + 1;
    }
    const std::vector<std::string> header =
        lines.empty() ? std::vector<std::string>{} : csv_fields(lines[0]);
    const auto column = [&](const char* name) {
        const auto it = std::find(header.begin(), header.end(), name);
        return it == header.end() ? std::optional<size_t>()
                                  : std::optional<size_t>(it - header.begin());
    };
    const std::optional<size_t> student = column("student"), file = column("file");
    if (!student) {
        std::cerr << "mmlab: " << path << ": line 1: a roster's first line names its columns, "
                  << "one of them student (and file, to catch copies)\n";
        return std::nullopt;
    }
    Roster roster;
    roster.by_file = file.has_value();
    for (size_t i = 1; i < lines.size(); ++i) {
        const std::vector<std::string> f = csv_fields(lines[i]);
        const std::string id = *student < f.size() ? f[*student] : "";
        const std::string name = file && *file < f.size() ? f[*file] : "";
        if (id.empty() || (file && name.empty())) {
            std::cerr << "mmlab: " << path << ": line " << i + 1 << ": no "
                      << (id.empty() ? "student" : "file") << '\n';
            return std::nullopt;
        }
        roster.rows.emplace_back(id, name);
    }
    return roster;
}

// What grading all the files shares.
struct Grading {
    const mm::Lesson* lesson = nullptr;
    std::vector<size_t> steps;
    bool all = false;
    std::optional<Roster> roster;
    std::string salt;
    mm::SubmissionGrader grader; // one for all the files: it keeps their booted machines
    std::vector<std::pair<uint64_t, mm::Lesson>> variants; // instantiated, by seed
};

// The variant of the lesson for `seed`, or nullptr and *error.
const mm::Lesson* variant(Grading& g, uint64_t seed, std::string* error) {
    for (const auto& [s, lesson] : g.variants)
        if (s == seed) return &lesson;
    std::optional<mm::Lesson> lesson = mm::instantiate(*g.lesson, seed, error);
    if (!lesson) return nullptr;
    g.variants.emplace_back(seed, std::move(*lesson));
    return &g.variants.back().second;
}

// The rows of one file: the steps graded from a submission, or a state
// file's tasks among them.
void grade_file(Grading& g, const std::string& path, std::vector<Row>* rows) {
    const mm::Lesson& lesson = *g.lesson;
    auto every_step = [&](mm::Verdict verdict, const std::string& why,
                          const std::string& student = {}) {
        for (size_t step : g.steps)
            rows->push_back(Row{path, student, step, verdict, std::nullopt, why, {}});
    };
    auto unusable = [&](const std::string& why, const std::string& student = {}) {
        every_step(mm::Verdict::Unusable, why, student);
    };
    std::string text;
    if (!read_file(path, &text)) {
        unusable(std::string("cannot open it: ") + std::strerror(errno));
        return;
    }
    if (mm::looks_like_submission(text)) {
        std::string error;
        const std::optional<mm::Submission> s = mm::parse_submission(text, &error);
        if (!s) {
            unusable("not a usable submission: " + error);
            return;
        }
        const std::string& student = s->meta.student;
        if (s->lesson_id != lesson.id) {
            unusable("a submission for lesson " + mm::quote_input(s->lesson_id) + ", not " +
                         lesson.id,
                     student);
            return;
        }
        std::optional<uint64_t> seed = s->meta.seed;
        if (g.roster) {
            const std::string name = std::filesystem::path(path).filename().string();
            const auto row =
                std::find_if(g.roster->rows.begin(), g.roster->rows.end(), [&](const auto& r) {
                    return g.roster->by_file ? r.second == name : r.first == student;
                });
            if (row == g.roster->rows.end()) {
                unusable(g.roster->by_file
                             ? "no file " + name + " in the roster"
                             : "no student '" + mm::quote_input(student) + "' in the roster",
                         student);
                return;
            }
            if (g.roster->by_file && student != row->first) {
                every_step(mm::Verdict::Fail,
                           "handed in as " + row->first + "'s, but made by '" +
                               mm::quote_input(student) + "' (a copy?)",
                           student);
                return;
            }
            if (mm::has_variables(lesson)) {
                const uint64_t expected = mm::variant_seed(row->first, lesson.id, g.salt);
                if (seed != expected) {
                    every_step(mm::Verdict::Fail,
                               "made with another student's numbers: its seed is " +
                                   (seed ? std::to_string(*seed) : std::string("none")) + ", " +
                                   row->first + "'s is " + std::to_string(expected) +
                                   " (with this salt)",
                               student);
                    return;
                }
            }
        }
        const mm::Lesson* graded = &lesson;
        if (mm::has_variables(lesson)) {
            if (!seed) {
                unusable("the lesson draws numbers per student, and the submission has no seed",
                         student);
                return;
            }
            graded = variant(g, *seed, &error);
            if (graded == nullptr) {
                unusable(error, student);
                return;
            }
        }
        for (size_t step : g.steps) {
            mm::StepGrade grade = g.grader.grade(*graded, *s, step);
            rows->push_back(Row{path, student, step, grade.verdict, grade.status,
                                std::move(grade.why), std::move(grade.values),
                                graded->steps[step].title});
        }
        return;
    }
    std::string_view head = text;
    if (head.substr(0, 3) == "\xef\xbb\xbf") head.remove_prefix(3);
    if (head.substr(0, 11) != "mmlab-state") {
        unusable("neither a submission nor a state file (it should start with 'mmlab-submission')");
        return;
    }
    mm::Lab lab;
    if (std::optional<std::string> problem = mm::load_state(lab, text)) {
        unusable(*problem);
        return;
    }
    for (size_t step : g.steps) {
        // `all` on a state file: its tasks (it holds no answers).
        if (g.all && !lesson.steps[step].task) continue;
        mm::StepGrade grade = mm::grade_state_step(lesson, lab, step);
        rows->push_back(Row{path,
                            {},
                            step,
                            grade.verdict,
                            std::nullopt,
                            std::move(grade.why),
                            std::move(grade.values)});
    }
}

std::string csv_field(const std::string& text) {
    if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
    std::string out = "\"";
    for (char c : text)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

void print(const mm::Lesson& lesson, const std::vector<Row>& rows, Output output) {
    if (output == Output::Csv) std::cout << "file,student,step,title,result,status,why\n";
    for (const Row& row : rows) {
        const mm::LessonStep& step = lesson.steps[row.step];
        const std::string& title = row.title.empty() ? step.title : row.title;
        const std::string status = row.status ? mm::step_status_name(*row.status) : "";
        switch (output) {
        case Output::Csv:
            std::cout << csv_field(row.file) << ',' << csv_field(row.student) << ',' << row.step + 1
                      << ',' << csv_field(title) << ',' << mm::verdict_name(row.verdict) << ','
                      << status << ',' << csv_field(row.why) << '\n';
            break;
        case Output::Json: {
            nlohmann::ordered_json j = {
                {"file", row.file},    {"student", row.student},
                {"lesson", lesson.id}, {"step", row.step + 1},
                {"title", title},      {"result", mm::verdict_name(row.verdict)},
                {"status", status},    {"why", row.why},
                {"values", row.values}};
            std::cout << j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace)
                      << '\n';
            break;
        }
        case Output::Text:
            std::cout << (row.verdict == mm::Verdict::Pass   ? "PASS "
                          : row.verdict == mm::Verdict::Fail ? "FAIL "
                                                             : "UNUSABLE ")
                      << row.file << ": " << lesson.id << " step " << row.step + 1 << " (" << title
                      << "): " << row.why << '\n';
            if (step.task && !row.values.empty()) {
                std::cout << "  check: " << step.task->check.text() << '\n';
                for (const std::string& line : row.values)
                    std::cout << "  " << line << '\n';
            }
            break;
        }
    }
}

} // namespace

int grade_main(const std::vector<std::string>& args) {
    Output output = Output::Text;
    std::vector<std::string> positional;
    std::string roster_path;
    std::optional<std::string> salt;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "--json" || arg == "--csv") {
            const Output wanted = arg == "--json" ? Output::Json : Output::Csv;
            if (output != Output::Text && output != wanted) {
                std::cerr << "mmlab: --grade takes --json or --csv, not both\n";
                return 2;
            }
            output = wanted;
        } else if (arg == "--roster" || arg == "--salt") {
            if (i + 1 >= args.size()) {
                std::cerr << "mmlab: " << arg << " needs " << (arg == "--roster" ? "FILE" : "S")
                          << '\n';
                return 2;
            }
            if (arg == "--roster")
                roster_path = args[++i];
            else
                salt = args[++i];
        } else if (arg.size() > 1 && arg[0] == '-' && arg != "-") {
            std::cerr << "mmlab: --grade does not take " << arg << '\n';
            return 2;
        } else {
            positional.push_back(arg);
        }
    }
    if (positional.size() < 3) {
        std::cerr << "mmlab: --grade needs LESSON STEP|all FILE|DIR...\n";
        return 2;
    }
    if (salt && roster_path.empty()) {
        std::cerr << "mmlab: --salt goes with --roster (the seeds are the roster's students')\n";
        return 2;
    }
    Grading g;
    std::optional<mm::Lesson> parsed;
    g.lesson = find_lesson(positional[0], &parsed);
    if (g.lesson == nullptr) return 2;
    const mm::Lesson& lesson = *g.lesson;
    if (!roster_path.empty()) {
        g.roster = read_roster(roster_path);
        if (!g.roster) return 2;
        g.salt = salt.value_or("");
    }

    g.all = positional[1] == "all";
    if (g.all) {
        for (size_t i = 0; i < lesson.steps.size(); ++i)
            if (gradable(lesson.steps[i])) g.steps.push_back(i);
    } else {
        const std::optional<uint64_t> n = mm::parse_number(positional[1]);
        if (!n || *n < 1 || *n > lesson.steps.size()) {
            std::cerr << "mmlab: " << lesson.id << " has steps 1 to " << lesson.steps.size()
                      << ", not " << positional[1] << " (or give all)\n";
            return 2;
        }
        const size_t index = static_cast<size_t>(*n - 1);
        if (!gradable(lesson.steps[index])) {
            std::cerr << "mmlab: " << lesson.id << " step " << *n << " ("
                      << lesson.steps[index].title << ") has no task or question to grade\n";
            return 2;
        }
        g.steps.push_back(index);
    }

    const std::vector<std::string> files =
        expand(std::vector<std::string>(positional.begin() + 2, positional.end()));
    if (files.empty()) {
        std::cerr << "mmlab: no files to grade in " << positional[2] << '\n';
        return 2;
    }
    std::vector<Row> rows;
    for (const std::string& file : files)
        grade_file(g, file, &rows);
    print(lesson, rows, output);
    const auto any = [&](mm::Verdict v) {
        return std::any_of(rows.begin(), rows.end(), [v](const Row& r) { return r.verdict == v; });
    };
    return any(mm::Verdict::Unusable) ? 2 : any(mm::Verdict::Fail) ? 1 : 0;
}

} // namespace cli
