#!/usr/bin/env bash
# CLI tests: each folder under CASES holds `args` (one argument a line),
# optionally `stdin`, and the exact expected `stdout`, `stderr` and `status`.
# Runs MMLAB with them from inside the case folder, and compares. A case with
# a file `elsewhere` runs instead a copy of MMLAB from a new empty folder
# outside the source tree and the build, holding only a copy of the case's
# files: what it needs must be in the binary itself.
set -u
mmlab=$1
cases=$2
pass=0
fail=0
for dir in "$cases"/*/; do
  name=$(basename "$dir")
  mapfile -t args < "$dir/args"
  out=$(mktemp) err=$(mktemp)
  run_dir=$dir program=$mmlab elsewhere=
  if [ -f "$dir/elsewhere" ]; then
    elsewhere=$(mktemp -d)
    cp "$dir"/* "$elsewhere"/ && cp "$mmlab" "$elsewhere/mmlab"
    run_dir=$elsewhere program=$elsewhere/mmlab
  fi
  if [ -f "$dir/stdin" ]; then
    (cd "$run_dir" && "$program" "${args[@]}" < stdin > "$out" 2> "$err")
  else
    (cd "$run_dir" && "$program" "${args[@]}" < /dev/null > "$out" 2> "$err")
  fi
  status=$?
  [ -z "$elsewhere" ] || rm -rf "$elsewhere"
  ok=1
  if ! cmp -s "$out" "$dir/stdout"; then ok=0; echo "FAIL $name: stdout differs"; diff "$dir/stdout" "$out" | head -20; fi
  if ! cmp -s "$err" "$dir/stderr"; then ok=0; echo "FAIL $name: stderr differs"; diff "$dir/stderr" "$err" | head -20; fi
  if [ "$status" != "$(cat "$dir/status")" ]; then ok=0; echo "FAIL $name: status $status, expected $(cat "$dir/status")"; fi
  rm -f "$out" "$err"
  if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done
echo "cli: $pass passed, $fail failed"
[ $fail = 0 ]
