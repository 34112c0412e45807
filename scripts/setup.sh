#!/usr/bin/env bash
# Installs everything mmlab needs on Debian 12 and unpacks the third-party
# sources the builds use into .cache/ (named in .gitignore). Idempotent: a
# second run checks versions and returns in seconds.
#
# Never names a mirror: deb-src entries are copies of the machine's own
# Debian entries with their type changed, and npm uses its defaults.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache="$root/.cache"
sudo=""
if [ "$(id -u)" != 0 ]; then sudo=sudo; fi
export DEBIAN_FRONTEND=noninteractive

log() { printf 'setup: %s\n' "$*" >&2; }

# 1. Debian packages. ---------------------------------------------------------
packages=(
  build-essential cmake ninja-build git pkg-config dpkg-dev ca-certificates
  python3 emscripten libsdl2-dev libgl-dev
  libgtest-dev libgmock-dev googletest libbenchmark-dev
  nlohmann-json3-dev libmd4c-dev zlib1g-dev
  clang-14 libclang-rt-14-dev
  chromium xvfb xauth imagemagick xdotool
  fonts-dejavu-core
)
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)

mkdir -p "$cache"
apt_log="$cache/apt.log"
missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$p")
done

# deb-src entries: copy the machine's own Debian entries with the type changed.
have_deb_src() {
  grep -rqsE '^(Types:.*deb-src|deb-src )' /etc/apt/sources.list /etc/apt/sources.list.d/
}
added_src=0
if ! have_deb_src; then
  log "adding deb-src entries next to the machine's own Debian sources"
  if ls /etc/apt/sources.list.d/*.sources >/dev/null 2>&1; then
    for f in /etc/apt/sources.list.d/*.sources; do
      case $(basename "$f") in mmlab-src-*) continue ;; esac
      grep -qiE '^URIs:.*debian' "$f" || continue
      sed -E 's/^Types:.*/Types: deb-src/' "$f" |
        $sudo tee "/etc/apt/sources.list.d/mmlab-src-$(basename "$f")" >/dev/null
    done
  fi
  if [ -f /etc/apt/sources.list ] && grep -qE '^deb ' /etc/apt/sources.list; then
    grep -E '^deb ' /etc/apt/sources.list | sed -E 's/^deb /deb-src /' |
      $sudo tee /etc/apt/sources.list.d/mmlab-src.list >/dev/null
  fi
  added_src=1
fi

if [ "${#missing[@]}" -gt 0 ] || [ "$added_src" = 1 ]; then
  log "apt-get update"
  $sudo apt-get update -qq >"$apt_log" 2>&1 || { cat "$apt_log" >&2; exit 1; }
fi
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing: ${missing[*]} (log: $apt_log)"
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$apt_log" 2>&1 ||
    { tail -n 30 "$apt_log" >&2; exit 1; }
fi

# 2. Third-party sources from Debian, unpacked into .cache/src. --------------
mkdir -p "$cache/src"
fetch_source() { # NAME DIR_GLOB WANT_VERSION
  local name=$1 glob=$2 want=$3
  if compgen -G "$cache/src/$glob" >/dev/null; then return; fi
  log "apt-get source $name"
  (cd "$cache/src" && apt-get source -qq "$name" >"$cache/source-$name.log" 2>&1) || true
  # When only the Debian packaging part fails to download, the upstream
  # tarball (.orig) is all the build needs: unpack it by hand.
  if ! compgen -G "$cache/src/$glob" >/dev/null; then
    local orig
    orig=$(compgen -G "$cache/src/${name}_${want}*.orig.tar.*" | head -1 || true)
    if [ -n "$orig" ]; then
      mkdir -p "$cache/src/$name-$want" &&
        tar -xf "$orig" -C "$cache/src/$name-$want" --strip-components=1
    fi
  fi
  compgen -G "$cache/src/$glob" >/dev/null || {
    cat "$cache/source-$name.log" >&2
    log "$name $want: could not get its Debian source"; exit 1; }
}
fetch_source libsdl2 'libsdl2-2.26.5*' 2.26.5
fetch_source imgui 'imgui-1.86*' 1.86
fetch_source md4c 'md4c-0.4.8*' 0.4.8
fetch_source benchmark 'benchmark-1.7.1*' 1.7.1
# Stable names for the build: .cache/src/{SDL2,imgui,md4c,benchmark}.
for pair in "SDL2:libsdl2-2.26.5" "imgui:imgui-1.86" "md4c:md4c-0.4.8" "benchmark:benchmark-1.7.1"; do
  link=${pair%%:*}; prefix=${pair#*:}
  dir=$(cd "$cache/src" && for d in "$prefix"*; do [ -d "$d" ] && echo "$d"; done | head -1)
  [ -n "$dir" ] || { log "no unpacked $prefix in $cache/src"; exit 1; }
  ln -sfn "$dir" "$cache/src/$link"
done

# 3. npm packages for the browser tests (no browser download: Debian's chromium).
if [ ! -d "$root/web/tests/node_modules/playwright-core" ]; then
  log "npm install (web/tests)"
  (cd "$root/web/tests" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund --silent)
fi
log "ready"
