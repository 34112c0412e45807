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
  clang-14 libclang-rt-14-dev clang-format-14
  chromium xvfb xauth imagemagick xdotool
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

# deb-src entries: copies of the machine's own Debian archive entries with the
# type changed, whatever mirror they name. An entry is Debian's when every
# suite is the release's codename (or stable/testing/unstable/sid/...) with an
# optional -updates/-security/-backports tail and every component one of
# Debian's; third-party repositories (other suites, e.g. nodistro or
# cloud-sdk-bookworm) are left alone.
codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
debian_suite="^(${codename}|oldstable|stable|testing|unstable|sid|experimental)([-/][a-z-]+)?\$"
debian_component='^(main|contrib|non-free|non-free-firmware|updates/main|updates/contrib|updates/non-free)$'
have_deb_src() {
  grep -rqsE '^[[:space:]]*(Types:.*deb-src|deb-src[[:space:]])' \
    /etc/apt/sources.list /etc/apt/sources.list.d/
}
# deb822 FILE: its Debian "deb" stanzas as deb-src stanzas (nothing if none).
deb_src_stanzas() {
  awk -v suite_re="$debian_suite" -v comp_re="$debian_component" '
    function flush(   i, n, w, ok) {
      if (nlines == 0) return
      ok = types ~ /(^|[[:space:]])deb([[:space:]]|$)/ && suites != "" && enabled != "no"
      n = split(suites, w, /[[:space:]]+/)
      for (i = 1; i <= n; i++) if (w[i] != "" && w[i] !~ suite_re) ok = 0
      n = split(comps, w, /[[:space:]]+/)
      for (i = 1; i <= n; i++) if (w[i] != "" && w[i] !~ comp_re) ok = 0
      if (ok) {
        if (printed) print ""
        for (i = 1; i <= nlines; i++) print lines[i]
        printed = 1
      }
      nlines = 0; types = ""; suites = ""; comps = ""; enabled = ""
    }
    /^[[:space:]]*$/ { flush(); next }
    {
      line = $0
      if (tolower($1) == "types:") line = "Types: deb-src"
      lines[++nlines] = line
      value = $0; sub(/^[^:]*:[[:space:]]*/, "", value)
      if (tolower($1) == "types:") types = value
      if (tolower($1) == "suites:") suites = value
      if (tolower($1) == "components:") comps = value
      if (tolower($1) == "enabled:") enabled = tolower(value)
    }
    END { flush() }' "$1"
}
# one-line FILE...: its Debian "deb" lines as deb-src lines.
deb_src_lines() {
  awk -v suite_re="$debian_suite" -v comp_re="$debian_component" '
    $1 != "deb" { next }
    {
      i = 2
      if ($i ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ } # [ options ]
      if ($(i + 1) !~ suite_re) next
      for (j = i + 2; j <= NF; j++) if ($j !~ comp_re) next
      sub(/^deb[[:space:]]/, "deb-src ")
      print
    }' "$@"
}
added_src=0
if ! have_deb_src; then
  log "adding deb-src entries next to the machine's own Debian sources"
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    case $(basename "$f") in mmlab-src-*) continue ;; esac
    stanzas=$(deb_src_stanzas "$f")
    [ -n "$stanzas" ] || continue
    printf '%s\n' "$stanzas" | $sudo tee "/etc/apt/sources.list.d/mmlab-src-$(basename "$f")" >/dev/null
    added_src=1
  done
  lists=()
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    case $(basename "$f") in mmlab-src*) continue ;; esac
    lists+=("$f")
  done
  if [ "${#lists[@]}" -gt 0 ]; then
    src_lines=$(deb_src_lines "${lists[@]}")
    if [ -n "$src_lines" ]; then
      printf '%s\n' "$src_lines" | $sudo tee /etc/apt/sources.list.d/mmlab-src.list >/dev/null
      added_src=1
    fi
  fi
  [ "$added_src" = 1 ] || log "no Debian archive entry found to copy as deb-src"
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

# 3. npm packages for the browser tests, exactly as web/tests/package-lock.json
# pins them (npm ci). No browser download: the tests drive Debian's chromium.
# The lockfile names no registry (web/tests/.npmrc): npm uses its default.
lock="$root/web/tests/package-lock.json"
want=$(node -p "require(process.argv[1]).packages['node_modules/playwright-core'].version" "$lock")
have=$(node -p "require(process.argv[1]).version" \
  "$root/web/tests/node_modules/playwright-core/package.json" 2>/dev/null || true)
if [ "$have" != "$want" ]; then
  log "npm ci (web/tests: playwright-core $want)"
  (cd "$root/web/tests" &&
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
fi
log "ready"
