#!/usr/bin/env bash
# The native desktop app (SDL2 + OpenGL) under Xvfb: draws the lab for a
# number of frames with a scripted session, writes a screenshot, and checks
# that the picture is not blank. Usage: scripts/test-desktop.sh [BUILD_DIR]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$root/build/release}
app="$build/web/mmlab-desktop"
out="$root/build/artifacts"
mkdir -p "$out"
shot="$out/desktop.png"
rm -f "$shot"
[ -x "$app" ] || { echo "test-desktop: $app is not built"; exit 1; }

# Software GL (Mesa llvmpipe) in a virtual X server of 1280x800.
export LIBGL_ALWAYS_SOFTWARE=1
xvfb-run --auto-servernum --server-args="-screen 0 1280x800x24" \
  "$app" --size 1280x800 --frames 30 --screenshot "$shot" \
  -c 'boot ram=2G; alloc_pages order=3 as=demo; alloc_pages order=12'

[ -s "$shot" ] || { echo "test-desktop: no screenshot"; exit 1; }
# A blank frame has one colour and no spread; the lab's panels have many.
read -r colours stddev < <(convert "$shot" -format '%k %[fx:int(standard_deviation*255)]\n' info:)
echo "test-desktop: $shot: $colours colours, stddev $stddev"
[ "$colours" -ge 32 ] && [ "$stddev" -ge 8 ] || { echo "test-desktop: the frame looks blank"; exit 1; }
echo "test-desktop: ok"
