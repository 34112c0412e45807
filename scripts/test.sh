#!/usr/bin/env bash
# Runs every test of mmlab (the README's second command; .ci/run runs it).
# After setup (installs what is missing; fast when nothing is), the stages:
#   format          every tracked C/C++ file against .clang-format (clang-format-14),
#                   and no raw ImGui text calls in ui/ (scripts/lint-ui-text.sh)
#   native-debug    native debug build with ASan+UBSan: GoogleTest suites, CLI
#                   tests, docs/commands.md against the help table, the UI
#                   smoke test, the fuzz corpus replay
#   native-release  native release build: the CLI, the desktop app under Xvfb; the
#                   benchmarks are built, not run (README: Measured)
#   web             web build (Emscripten 3.1.6): the page, and the core's tests
#                   as wasm under node
#   browser         the real page in headless Chromium (playwright-core); needs
#                   the native-release and web builds
#   fuzz            libFuzzer over the console text, over state files and
#                   share links, and over lesson text, for a bounded time
#                   (MMLAB_FUZZ_SECONDS, default 60, split between them)
# Usage: scripts/test.sh [STAGE...]  (no STAGE: all of them, in this order).
# Ends with one line "N passed, M failed" counting the stages.
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
fuzz_seconds=${MMLAB_FUZZ_SECONDS:-60}
# Emscripten's optimizing link needs its acorn module from Debian's node path.
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}

passed=0
failed=0
failures=()
stage() { # NAME COMMAND...
  local name=$1
  shift
  printf '\n=== %s\n' "$name"
  local start=$SECONDS
  if "$@"; then
    passed=$((passed + 1))
    printf '=== %s: ok (%ss)\n' "$name" $((SECONDS - start))
  else
    failed=$((failed + 1))
    failures+=("$name")
    printf '=== %s: FAILED (%ss)\n' "$name" $((SECONDS - start))
  fi
}

all_stages=(format native-debug native-release web browser fuzz)
stages=("$@")
[ "${#stages[@]}" -gt 0 ] || stages=("${all_stages[@]}")
for s in "${stages[@]}"; do
  case " ${all_stages[*]} " in
    *" $s "*) ;;
    *) echo "test.sh: unknown stage '$s' (stages: ${all_stages[*]})" >&2; exit 2 ;;
  esac
done

bash scripts/setup.sh || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }

format() {
  # Tracked files only: third-party sources (.cache) and generated ones are not ours.
  local files=() offenders=()
  mapfile -d '' files < <(git ls-files -z -- '*.c' '*.cc' '*.cpp' '*.h' '*.hpp')
  [ "${#files[@]}" -gt 0 ] || { echo "format: no C/C++ files tracked by git"; return 1; }
  printf 'format: %d files against .clang-format\n' "${#files[@]}"
  # One clang-format for all files; it reports "FILE:LINE:COL: error: ..." for
  # every place that differs.
  local report
  report=$(clang-format-14 --style=file --dry-run --Werror "${files[@]}" 2>&1) && return 0
  mapfile -t offenders < <(printf '%s\n' "$report" |
    sed -nE 's/^(.+):[0-9]+:[0-9]+: error: .*/\1/p' | sort -u)
  [ "${#offenders[@]}" -gt 0 ] || { printf '%s\n' "$report" | tail -n 20; return 1; }
  printf 'not formatted (clang-format-14 -i FILE shows how it should be):\n'
  printf '  %s\n' "${offenders[@]}"
  return 1
}

# The format stage also runs the lint of ui/'s text calls: both read the
# sources only, and both are quick.
format_and_lint() {
  local status=0
  format || status=1
  bash scripts/lint-ui-text.sh "$root" || status=1
  return "$status"
}

native_debug() {
  cmake --preset native-debug >/dev/null &&
    cmake --build --preset native-debug &&
    ctest --preset native-debug -j2
}
native_release() {
  cmake --preset native-release >/dev/null &&
    cmake --build --preset native-release &&
    bash scripts/test-desktop.sh build/release
}
web() {
  cmake --preset web >/dev/null &&
    cmake --build --preset web &&
    ctest --preset web -j2
}
browser() {
  MMLAB_CLI="$root/build/release/cli/mmlab" MMLAB_SITE="$root/build/web/site" \
    node --test web/tests/*.test.mjs # files, not a folder: Node 22 takes no folder
}
# Three targets share the time: console text (fuzz_console) gets half,
# state files and share links (fuzz_state) and lesson text (fuzz_lesson) a
# quarter each; together they run MMLAB_FUZZ_SECONDS. Each fuzzes a copy of
# its checked-in corpus.
fuzz() {
  cmake --preset fuzz >/dev/null && cmake --build --preset fuzz || return 1
  local state_seconds=$((fuzz_seconds / 4)) lesson_seconds=$((fuzz_seconds / 4))
  [ "$state_seconds" -ge 1 ] || state_seconds=1
  [ "$lesson_seconds" -ge 1 ] || lesson_seconds=1
  local console_seconds=$((fuzz_seconds - state_seconds - lesson_seconds))
  [ "$console_seconds" -ge 1 ] || console_seconds=1
  local corpus=build/fuzz/corpus state_corpus=build/fuzz/state_corpus
  local lesson_corpus=build/fuzz/lesson_corpus status=0
  mkdir -p "$corpus" "$state_corpus" "$lesson_corpus" &&
    cp tests/fuzz/corpus/* "$corpus/" && cp tests/fuzz/state_corpus/* "$state_corpus/" &&
    cp tests/fuzz/lesson_corpus/* "$lesson_corpus/" &&
    cat tests/fuzz/console.dict tests/fuzz/state.dict >build/fuzz/state_all.dict &&
    cat tests/fuzz/lesson.dict tests/fuzz/console.dict >build/fuzz/lesson_all.dict || return 1
  ./build/fuzz/tests/fuzz_console -max_total_time="$console_seconds" -max_len=256 \
    -dict=tests/fuzz/console.dict -print_final_stats=1 "$corpus" 2>&1 | tail -n 12
  [ "${PIPESTATUS[0]}" = 0 ] || status=1
  ./build/fuzz/tests/fuzz_state -max_total_time="$state_seconds" -max_len=512 \
    -dict=build/fuzz/state_all.dict -print_final_stats=1 "$state_corpus" 2>&1 | tail -n 12
  [ "${PIPESTATUS[0]}" = 0 ] || status=1
  ./build/fuzz/tests/fuzz_lesson -max_total_time="$lesson_seconds" -max_len=1024 \
    -dict=build/fuzz/lesson_all.dict -print_final_stats=1 "$lesson_corpus" 2>&1 | tail -n 12
  [ "${PIPESTATUS[0]}" = 0 ] || status=1
  return "$status"
}

for s in "${stages[@]}"; do
  case $s in
    format) stage "format: C/C++ files against .clang-format; ui/ text lint" format_and_lint ;;
    native-debug) stage "native debug (ASan+UBSan): unit, CLI, UI smoke tests" native_debug ;;
    native-release) stage "native release: desktop app under Xvfb" native_release ;;
    web) stage "web build and wasm tests under node" web ;;
    browser) stage "browser tests (headless Chromium)" browser ;;
    fuzz) stage "fuzz (${fuzz_seconds}s)" fuzz ;;
  esac
done

printf '\n'
for f in "${failures[@]}"; do printf 'failed stage: %s\n' "$f"; done
printf '%d passed, %d failed\n' "$passed" "$failed"
[ "$failed" = 0 ]
