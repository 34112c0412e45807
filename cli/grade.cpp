// mmlab --grade LESSON STEP|all FILE|DIR... [--json|--csv]: grades many
// students' files at once. A submission (core/lesson/submission.h) is
// graded step by step from its records; a state file (core/lab/state.h)
// as before, by its final machine, for the tasks only. A folder stands for
// its files (not its subfolders, nor files whose name starts with '.'),
// in name order.
#include "cli/grade.h"

#include "core/base/text.h"
#include "core/console/syntax.h"
#include "core/lab/lab.h"
#include "core/lab/state.h"
#include "core/lesson/library.h"
#include "core/lesson/submission.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

namespace mmlab_cli {

bool read_file(const std::string& path, std::string* out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    std::stringstream buffer;
    buffer << in.rdbuf();
    *out = buffer.str();
    return true;
}

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
};

// The lesson --grade names: an id of the embedded lessons (mm::lessons()), or
// a lesson file (a path with a '/' or ending in .md), parsed into *parsed.
const mm::Lesson* grade_lesson(const std::string& arg, std::optional<mm::Lesson>* parsed) {
    if (std::optional<size_t> index = mm::lesson_index(arg)) return &mm::lessons()[*index];
    const bool is_path = arg.find('/') != std::string::npos ||
                         (arg.size() > 3 && arg.compare(arg.size() - 3, 3, ".md") == 0);
    if (!is_path) {
        std::cerr << "mmlab: no lesson " << arg << " (the lessons: " << mm::lesson_ids()
                  << "; or give a lesson file)\n";
        return nullptr;
    }
    std::string text, error;
    if (!read_file(arg, &text)) {
        std::cerr << "mmlab: cannot open " << arg << ": " << std::strerror(errno) << '\n';
        return nullptr;
    }
    std::string id = arg.substr(arg.rfind('/') + 1);
    if (id.size() > 3 && id.compare(id.size() - 3, 3, ".md") == 0) id.resize(id.size() - 3);
    *parsed = mm::parse_lesson(id, text, &error);
    if (!*parsed) {
        std::cerr << "mmlab: " << arg << ": " << error << '\n';
        return nullptr;
    }
    return &**parsed;
}

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

// The rows of one file: `steps` graded from a submission, or a state file's
// tasks among them.
void grade_file(mm::SubmissionGrader& grader, const mm::Lesson& lesson,
                const std::vector<size_t>& steps, bool all, const std::string& path,
                std::vector<Row>* rows) {
    auto unusable = [&](const std::string& why, const std::string& student = {}) {
        for (size_t step : steps)
            rows->push_back(Row{path, student, step, mm::Verdict::Unusable, std::nullopt, why, {}});
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
        if (s->lesson_id != lesson.id) {
            unusable("a submission for lesson " + mm::quote_input(s->lesson_id) + ", not " +
                         lesson.id,
                     s->meta.student);
            return;
        }
        for (size_t step : steps) {
            mm::StepGrade g = grader.grade(lesson, *s, step);
            rows->push_back(Row{path, s->meta.student, step, g.verdict, g.status, std::move(g.why),
                                std::move(g.values)});
        }
        return;
    }
    mm::Lab lab;
    if (std::optional<std::string> problem = mm::load_state(lab, text)) {
        unusable(*problem);
        return;
    }
    for (size_t step : steps) {
        // `all` on a state file: its tasks (it holds no answers).
        if (all && !lesson.steps[step].task) continue;
        mm::StepGrade g = mm::grade_state_step(lesson, lab, step);
        rows->push_back(
            Row{path, {}, step, g.verdict, std::nullopt, std::move(g.why), std::move(g.values)});
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
        const std::string status = row.status ? mm::step_status_name(*row.status) : "";
        switch (output) {
        case Output::Csv:
            std::cout << csv_field(row.file) << ',' << csv_field(row.student) << ',' << row.step + 1
                      << ',' << csv_field(step.title) << ',' << mm::verdict_name(row.verdict) << ','
                      << status << ',' << csv_field(row.why) << '\n';
            break;
        case Output::Json: {
            nlohmann::ordered_json j = {
                {"file", row.file},    {"student", row.student},
                {"lesson", lesson.id}, {"step", row.step + 1},
                {"title", step.title}, {"result", mm::verdict_name(row.verdict)},
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
                      << row.file << ": " << lesson.id << " step " << row.step + 1 << " ("
                      << step.title << "): " << row.why << '\n';
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
    for (const std::string& arg : args) {
        if (arg == "--json" || arg == "--csv") {
            const Output wanted = arg == "--json" ? Output::Json : Output::Csv;
            if (output != Output::Text && output != wanted) {
                std::cerr << "mmlab: --grade takes --json or --csv, not both\n";
                return 2;
            }
            output = wanted;
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
    std::optional<mm::Lesson> parsed;
    const mm::Lesson* lesson = grade_lesson(positional[0], &parsed);
    if (lesson == nullptr) return 2;

    const bool all = positional[1] == "all";
    std::vector<size_t> steps;
    if (all) {
        for (size_t i = 0; i < lesson->steps.size(); ++i)
            if (gradable(lesson->steps[i])) steps.push_back(i);
    } else {
        const std::optional<uint64_t> n = mm::parse_number(positional[1]);
        if (!n || *n < 1 || *n > lesson->steps.size()) {
            std::cerr << "mmlab: " << lesson->id << " has steps 1 to " << lesson->steps.size()
                      << ", not " << positional[1] << " (or give all)\n";
            return 2;
        }
        const size_t index = static_cast<size_t>(*n - 1);
        if (!gradable(lesson->steps[index])) {
            std::cerr << "mmlab: " << lesson->id << " step " << *n << " ("
                      << lesson->steps[index].title << ") has no task or question to grade\n";
            return 2;
        }
        steps.push_back(index);
    }

    const std::vector<std::string> files =
        expand(std::vector<std::string>(positional.begin() + 2, positional.end()));
    if (files.empty()) {
        std::cerr << "mmlab: no files to grade in " << positional[2] << '\n';
        return 2;
    }
    std::vector<Row> rows;
    mm::SubmissionGrader grader; // one for all the files: it keeps their booted machines
    for (const std::string& file : files)
        grade_file(grader, *lesson, steps, all, file, &rows);
    print(*lesson, rows, output);
    const auto any = [&](mm::Verdict v) {
        return std::any_of(rows.begin(), rows.end(), [v](const Row& r) { return r.verdict == v; });
    };
    return any(mm::Verdict::Unusable) ? 2 : any(mm::Verdict::Fail) ? 1 : 0;
}

} // namespace mmlab_cli
