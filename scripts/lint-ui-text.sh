#!/usr/bin/env bash
# Keeps raw ImGui text calls out of ui/: panels draw text through ui/text.h,
# which records where each text went so that the UI test finds text its
# window cuts off (ImGui 1.86 cannot tell). ui/text.cpp is the one file that
# calls ImGui's text functions; the map's labels (drawn with the draw list)
# and the plots' own labels are not text calls and need no exemption.
# Usage: scripts/lint-ui-text.sh [ROOT]; exits 1 and names each offending line.
set -uo pipefail
root=${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
pattern='ImGui::(Text|TextUnformatted|TextWrapped|TextColored|TextDisabled|LabelText|BulletText)[[:space:]]*\('
offenders=$(grep -nE "$pattern" "$root"/ui/*.cpp "$root"/ui/*.h | grep -v "^$root/ui/text\.cpp:")
if [ -n "$offenders" ]; then
    printf 'raw ImGui text calls in ui/ (use ui::text, ui::textf, ui::text_wrapped ... of ui/text.h):\n'
    printf '%s\n' "${offenders#"$root/"}" | sed "s|^$root/||"
    exit 1
fi
echo "lint-ui-text: no raw ImGui text calls in ui/"
