#!/usr/bin/env bash
# Put Newsreader in the desktop's application menu and software centre: install its desktop
# entry, AppStream metainfo and icons into the XDG data folders. Works from a source checkout
# (packaging/install.sh) and from an unpacked bundle (newsreader/install.sh). Undo it with
# uninstall.sh beside this script.
#
#   install.sh                  # for you: $XDG_DATA_HOME (default ~/.local/share)
#   install.sh --system         # for everyone: /usr/local/share (run as root)
#   install.sh --prefix /usr    # for everyone, under /usr/share (distribution packagers)
#   install.sh --exec PATH      # the program the menu entry starts (default: found, see below)
#
# Without --exec the menu entry starts, in this order: the bundle's own executable when this
# script sits in a bundle; `newsreader` found on PATH; the checkout's .venv/bin/newsreader.
set -euo pipefail

APP_ID=io.github.newsreader.Newsreader
SIZES=(16 24 32 48 64 128 256 512)
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

usage() { sed -n '2,13s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }
die() { echo "install.sh: $*" >&2; exit 1; }

system=0 prefix="" exec_path=""
while [ $# -gt 0 ]; do
  case "$1" in
    --system) system=1 ;;
    --prefix) [ $# -ge 2 ] || die "--prefix needs a folder"; system=1; prefix="$2"; shift ;;
    --exec) [ $# -ge 2 ] || die "--exec needs a program"; exec_path="$2"; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
  shift
done

# The data folder: the XDG Base Directory rules (an unset, empty or relative XDG_DATA_HOME is
# ignored), or a system prefix.
if [ "$system" = 1 ]; then
  data_dir="${prefix:-/usr/local}/share"
elif [[ "${XDG_DATA_HOME:-}" == /* ]]; then
  data_dir="$XDG_DATA_HOME"
else
  [ -n "${HOME:-}" ] || die "neither XDG_DATA_HOME nor HOME is set"
  data_dir="$HOME/.local/share"
fi

# The files to install: beside this script (source checkout: packaging/ and resources/icons;
# bundle: the bundle's root and its copy of the package data).
desktop_src="$here/$APP_ID.desktop"
metainfo_src="$here/$APP_ID.metainfo.xml"
icons_src=""
for candidate in "$here/../resources/icons" "$here/_internal/newsreader/resources/icons"; do
  if [ -f "$candidate/newsreader.svg" ]; then icons_src="$(cd "$candidate" && pwd)"; break; fi
done
[ -f "$desktop_src" ] || die "missing $desktop_src"
[ -f "$metainfo_src" ] || die "missing $metainfo_src"
[ -n "$icons_src" ] || die "cannot find the icons (resources/icons) next to $here"

# The program the menu entry runs, as an absolute path so it works whatever the session's PATH.
if [ -z "$exec_path" ]; then
  if [ -x "$here/newsreader" ] && [ -f "$here/newsreader" ] && [ -d "$here/_internal" ]; then
    exec_path="$here/newsreader"
  elif command -v newsreader >/dev/null 2>&1; then
    exec_path="$(command -v newsreader)"
  elif [ -x "$here/../.venv/bin/newsreader" ]; then
    exec_path="$(cd "$here/../.venv/bin" && pwd)/newsreader"
  else
    die "cannot find the newsreader program; install it first or pass --exec PATH"
  fi
fi
case "$exec_path" in
  /*) ;;
  */*) exec_path="$(cd "$(dirname "$exec_path")" && pwd)/$(basename "$exec_path")" ;;
  *) exec_path="$(command -v "$exec_path")" || die "$exec_path is not on PATH" ;;
esac
[ -x "$exec_path" ] || die "$exec_path is not an executable program"
[[ "$exec_path" != *$'\n'* ]] || die "the program path contains a line break"

# Exec= quoting per the Desktop Entry spec: a path with reserved characters goes in double
# quotes with \ " ` $ backslash-escaped; then the value's own escaping doubles each backslash,
# and a literal % is written %%.
exec_value="$exec_path"
if [[ "$exec_value" =~ [^A-Za-z0-9_/.+,:@=-] ]]; then
  exec_value="${exec_value//\\/\\\\}"
  exec_value="${exec_value//\"/\\\"}"
  exec_value="${exec_value//\`/\\\`}"
  exec_value="${exec_value//\$/\\\$}"
  exec_value="\"$exec_value\""
fi
exec_value="${exec_value//\\/\\\\}"
exec_value="${exec_value//%/%%}"
tryexec_value="${exec_path//\\/\\\\}"

install -d "$data_dir/applications" "$data_dir/metainfo"
tmp_desktop="$(mktemp)"
trap 'rm -f "$tmp_desktop"' EXIT
while IFS= read -r line || [ -n "$line" ]; do
  case "$line" in
    Exec=*) printf 'Exec=%s\n' "$exec_value" ;;
    TryExec=*) printf 'TryExec=%s\n' "$tryexec_value" ;;
    *) printf '%s\n' "$line" ;;
  esac
done <"$desktop_src" >"$tmp_desktop"
install -m 644 "$tmp_desktop" "$data_dir/applications/$APP_ID.desktop"
install -m 644 "$metainfo_src" "$data_dir/metainfo/$APP_ID.metainfo.xml"

hicolor="$data_dir/icons/hicolor"
install -D -m 644 "$icons_src/newsreader.svg" "$hicolor/scalable/apps/$APP_ID.svg"
for size in "${SIZES[@]}"; do
  png="$icons_src/hicolor/${size}x${size}/apps/$APP_ID.png"
  [ -f "$png" ] || die "missing $png"
  install -D -m 644 "$png" "$hicolor/${size}x${size}/apps/$APP_ID.png"
done

# Tell the desktop: menus re-read the applications folder, icon themes notice the new icons.
touch "$hicolor"
if command -v update-desktop-database >/dev/null 2>&1; then
  update-desktop-database -q "$data_dir/applications" || true
fi
if [ -f "$hicolor/icon-theme.cache" ] && command -v gtk-update-icon-cache >/dev/null 2>&1; then
  gtk-update-icon-cache -q -t -f "$hicolor" || true
fi

echo "Installed Newsreader's menu entry into $data_dir (it starts $exec_path)."
