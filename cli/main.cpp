// mmlab: the lab's native command-line program. Runs scripts (a file or
// standard input), -c 'CMD; CMD', or an interactive prompt, with text or
// --json output (docs/console.md "Running it").
#include "core/console/syntax.h"
#include "core/lab/lab.h"
#include "core/lab/state.h"
#include "core/lesson/library.h"
#include "core/lesson/session.h"

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <unistd.h>

namespace {

const char kUsage[] =
    "usage: mmlab [--json] [-e] [FILE | -c 'CMD; CMD ...']\n"
    "       mmlab --grade LESSON STEP STATE\n"
    "  FILE        run the commands of FILE (- or none: standard input)\n"
    "  -c TEXT     run the commands of TEXT\n"
    "  --json      print one JSON object per command\n"
    "  -e          stop at the first failing command\n"
    "  -h, --help  this text\n"
    "  --grade LESSON STEP STATE\n"
    "              load the saved state file STATE (as the page downloads it) and\n"
    "              check it against the task of step STEP (from 1) of LESSON (the\n"
    "              id of a lesson mmlab carries, or a lesson file: a path with a /\n"
    "              or ending in .md); prints PASS or FAIL and the values the check\n"
    "              read; exit 0 pass, 1 fail, 2 error\n"
    "With no FILE and a terminal on standard input, mmlab prompts for commands.\n"
    "Exit status: 0 if every command succeeded, 1 if any failed, 2 for a usage error.\n";

struct Options {
    bool json = false;
    bool stop_on_error = false;
    bool have_text = false;
    std::string text;
    std::string file;
};

// Runs one command at a time so that -e can stop and line numbers count
// commands from 1, whatever separated them. Returns false if any failed.
bool run_script(mm::Lab& lab, const std::string& text, const Options& opt, unsigned* line_no) {
    bool all_ok = true;
    for (const mm::CommandLine& line : mm::split_commands(text)) {
        ++*line_no;
        std::vector<mm::CommandResult> results = lab.run(line.text);
        // split_commands(line.text) may give nothing if the text was only a
        // syntax error; report the error we already have then.
        if (results.empty()) {
            mm::CommandResult r;
            r.cmd = line.text;
            r.ok = false;
            r.error = line.error;
            results.push_back(r);
        }
        for (const mm::CommandResult& r : results) {
            if (opt.json) {
                std::cout << mm::to_json_line(r) << '\n';
            } else {
                std::cout << r.out;
                if (!r.ok) {
                    std::cout.flush();
                    std::cerr << "mmlab: line " << *line_no << ": " << r.error << '\n';
                }
            }
            if (!r.ok) all_ok = false;
        }
        if (!all_ok && opt.stop_on_error) break;
    }
    std::cout.flush();
    return all_ok;
}

int interactive(mm::Lab& lab, const Options& opt) {
    std::cout << "mmlab: a Linux memory-management lab. Type help, or Ctrl-D to leave.\n";
    bool all_ok = true;
    unsigned line_no = 0;
    std::string line;
    for (;;) {
        std::cout << "mmlab> " << std::flush;
        if (!std::getline(std::cin, line)) break;
        if (!run_script(lab, line, opt, &line_no)) all_ok = false;
    }
    std::cout << '\n';
    return all_ok ? 0 : 1;
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

// --grade: 0 pass, 1 fail, 2 the lesson, step or state cannot be used. The
// state is loaded on a fresh lab and graded by a lesson session on it, as
// the page's player checks a task.
int grade(const std::string& lesson_arg, const std::string& step_arg,
          const std::string& state_path) {
    std::optional<mm::Lesson> parsed;
    const mm::Lesson* lesson = grade_lesson(lesson_arg, &parsed);
    if (lesson == nullptr) return 2;
    const std::optional<uint64_t> step_no = mm::parse_number(step_arg);
    if (!step_no || *step_no < 1 || *step_no > lesson->steps.size()) {
        std::cerr << "mmlab: " << lesson->id << " has steps 1 to " << lesson->steps.size()
                  << ", not " << step_arg << '\n';
        return 2;
    }
    const size_t index = static_cast<size_t>(*step_no - 1);
    std::string state;
    if (!read_file(state_path, &state)) {
        std::cerr << "mmlab: cannot open " << state_path << ": " << std::strerror(errno) << '\n';
        return 2;
    }
    mm::Lab lab;
    if (std::optional<std::string> problem = mm::load_state(lab, state)) {
        std::cerr << "mmlab: " << state_path << ": " << *problem << '\n';
        return 2;
    }
    const mm::LessonSession session(*lesson, lab);
    std::string error;
    const std::optional<mm::Grade> g = session.grade(index, &error);
    if (!g) {
        std::cerr << "mmlab: " << error << '\n';
        return 2;
    }
    const mm::LessonTask& task = *lesson->steps[index].task;
    std::cout << (g->pass ? "PASS " : "FAIL ") << lesson->id << " step " << *step_no << " ("
              << lesson->steps[index].title << "): " << task.goal << '\n';
    std::cout << "  check: " << task.check.text() << (g->pass ? "" : "  (false)") << '\n';
    for (const std::string& line : g->values)
        std::cout << "  " << line << '\n';
    return g->pass ? 0 : 1;
}

int main(int argc, char** argv) {
    if (argc >= 2 && std::strcmp(argv[1], "--grade") == 0) {
        if (argc != 5) {
            std::cerr << "mmlab: --grade needs LESSON STEP STATE\n" << kUsage;
            return 2;
        }
        return grade(argv[2], argv[3], argv[4]);
    }
    Options opt;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "--json") {
            opt.json = true;
        } else if (arg == "-e") {
            opt.stop_on_error = true;
        } else if (arg == "-h" || arg == "--help") {
            std::cout << kUsage;
            return 0;
        } else if (arg == "-c") {
            if (i + 1 >= argc || opt.have_text) {
                std::cerr << "mmlab: -c needs one TEXT argument\n" << kUsage;
                return 2;
            }
            opt.have_text = true;
            opt.text = argv[++i];
        } else if (arg.size() > 1 && arg[0] == '-' && arg != "-") {
            std::cerr << "mmlab: unknown option " << arg << '\n' << kUsage;
            return 2;
        } else {
            if (!opt.file.empty()) {
                std::cerr << "mmlab: only one FILE may be given\n" << kUsage;
                return 2;
            }
            opt.file = arg;
        }
    }
    if (opt.have_text && !opt.file.empty()) {
        std::cerr << "mmlab: give -c TEXT or FILE, not both\n" << kUsage;
        return 2;
    }

    mm::Lab lab;
    unsigned line_no = 0;
    if (opt.have_text) return run_script(lab, opt.text, opt, &line_no) ? 0 : 1;
    if (opt.file.empty() && isatty(STDIN_FILENO)) return interactive(lab, opt);

    std::stringstream buffer;
    if (opt.file.empty() || opt.file == "-") {
        buffer << std::cin.rdbuf();
    } else {
        std::ifstream in(opt.file, std::ios::binary);
        if (!in) {
            std::cerr << "mmlab: cannot open " << opt.file << ": " << std::strerror(errno) << '\n';
            return 2;
        }
        buffer << in.rdbuf();
    }
    return run_script(lab, buffer.str(), opt, &line_no) ? 0 : 1;
}
