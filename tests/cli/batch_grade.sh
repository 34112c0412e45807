#!/usr/bin/env bash
# Batch grading: make_submissions writes N submissions of LESSON, each
# played by a student with a plan of its own, and the rows the grader should
# give, from the plan alone; `mmlab --grade LESSON all DIR --csv` must give
# those rows (file, step, result, status; "edited by hand" for the files the
# tool edited), and exit 1 (some fail). Prints how long grading took.
# usage: batch_grade.sh MAKE_SUBMISSIONS MMLAB LESSON N WORKDIR
set -u
make=$1 mmlab=$2 lesson=$3 n=$4 work=$5
rm -rf "$work" && mkdir -p "$work/submissions" || exit 1
"$make" "$lesson" "$n" "$work/submissions" "$work/expected.csv" || exit 1
start=$(date +%s%N)
"$mmlab" --grade "$lesson" all "$work/submissions" --csv >"$work/got.csv"
status=$?
end=$(date +%s%N)
echo "graded $n submissions of $lesson in $(((end - start) / 1000000)) ms (exit $status)"
[ "$status" = 1 ] || { echo "FAIL: exit status $status, expected 1"; exit 1; }
python3 - "$work/expected.csv" "$work/got.csv" <<'PY'
import csv, os, sys
expected = list(csv.DictReader(open(sys.argv[1])))
got = list(csv.DictReader(open(sys.argv[2])))
bad = 0
if len(got) != len(expected):
    print(f"FAIL: {len(got)} rows, expected {len(expected)}")
    bad += 1
for e, g in zip(expected, got):
    mine = (e["file"], e["step"], e["result"], e["status"])
    theirs = (os.path.basename(g["file"]), g["step"], g["result"], g["status"])
    edited = g["why"].startswith("edited by hand")
    if mine != theirs or edited != (e["edited"] == "1") or not g["why"] or "\n" in g["why"]:
        print(f"FAIL: expected {mine} edited={e['edited']}, got {theirs}: {g['why']}")
        bad += 1
        if bad > 10:
            break
print(f"{len(got)} rows compared, {bad} differ")
sys.exit(1 if bad else 0)
PY
