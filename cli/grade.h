// mmlab --grade: grading submissions and state files of a lesson, one row per
// file and step, as text, JSON lines or CSV (cli/grade.cpp).
#pragma once

#include <string>
#include <vector>

namespace cli {

// The arguments after --grade: LESSON STEP|all FILE|DIR... [--json|--csv]
// [--roster FILE [--salt S]]. Returns the exit status: 0 all pass, 1 any
// fails, 2 any cannot be used (or a usage error, said on standard error).
int grade_main(const std::vector<std::string>& args);

} // namespace cli
