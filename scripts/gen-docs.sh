#!/usr/bin/env bash
# Regenerates docs/commands.md, the command reference, from the help table of
# a built mmlab (`mmlab --help-reference`: every command's `help COMMAND`
# text, so the page says what the lab says).
# Usage: scripts/gen-docs.sh [MMLAB]          write docs/commands.md
#        scripts/gen-docs.sh --check [MMLAB]  exit 1 if docs/commands.md differs
# MMLAB defaults to build/debug/cli/mmlab (cmake --preset native-debug). The
# native-debug tests run --check (ctest docs_commands_current).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
check=0
if [ "${1:-}" = "--check" ]; then
  check=1
  shift
fi
[ $# -le 1 ] || { echo "usage: scripts/gen-docs.sh [--check] [MMLAB]" >&2; exit 2; }
mmlab=${1:-$root/build/debug/cli/mmlab}
[ -x "$mmlab" ] || { echo "gen-docs: no mmlab at $mmlab (build it: cmake --preset native-debug && cmake --build --preset native-debug)" >&2; exit 2; }
target=$root/docs/commands.md

tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
"$mmlab" --help-reference >"$tmp"
if [ "$check" = 1 ]; then
  if cmp -s "$tmp" "$target"; then exit 0; fi
  echo "docs/commands.md is stale: it is not what mmlab --help-reference prints." >&2
  echo "Run scripts/gen-docs.sh (after building mmlab) and commit docs/commands.md." >&2
  diff -u "$target" "$tmp" | head -n 40 >&2 || true
  exit 1
fi
cp "$tmp" "$target"
echo "gen-docs: wrote docs/commands.md"
