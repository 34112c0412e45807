#!/usr/bin/env bash
# The README's first command: installs what is missing, builds the web lab
# and serves it on 127.0.0.1 (default port 8000; scripts/serve.sh PORT to
# change it). build/web/site/ is a static folder any web server can host.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
port=${1:-8000}
cd "$root"
bash scripts/setup.sh
# Emscripten's optimizing link needs its acorn module from Debian's node path.
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}
cmake --preset web >/dev/null
cmake --build --preset web --target mmlab
echo
scheme=http # the page is served on this machine's loopback only
echo "mmlab: serving build/web/site at $scheme://127.0.0.1:$port/ (Ctrl-C stops)"
exec python3 -m http.server --bind 127.0.0.1 --directory build/web/site "$port"
