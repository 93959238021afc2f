#!/usr/bin/env bash
# Remove what install.sh put in the XDG data folders: the desktop entry, the AppStream metainfo
# and the icons. Your library (articles, search index, settings) is left alone.
#
#   uninstall.sh                # yours: $XDG_DATA_HOME (default ~/.local/share)
#   uninstall.sh --system       # everyone's: /usr/local/share (run as root)
#   uninstall.sh --prefix /usr  # everyone's, under /usr/share
set -euo pipefail

APP_ID=io.github.newsreader.Newsreader
SIZES=(16 24 32 48 64 128 256 512)

usage() { sed -n '2,7s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }
die() { echo "uninstall.sh: $*" >&2; exit 1; }

system=0 prefix=""
while [ $# -gt 0 ]; do
  case "$1" in
    --system) system=1 ;;
    --prefix) [ $# -ge 2 ] || die "--prefix needs a folder"; system=1; prefix="$2"; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
  shift
done

if [ "$system" = 1 ]; then
  data_dir="${prefix:-/usr/local}/share"
elif [[ "${XDG_DATA_HOME:-}" == /* ]]; then
  data_dir="$XDG_DATA_HOME"
else
  [ -n "${HOME:-}" ] || die "neither XDG_DATA_HOME nor HOME is set"
  data_dir="$HOME/.local/share"
fi

hicolor="$data_dir/icons/hicolor"
files=(
  "$data_dir/applications/$APP_ID.desktop"
  "$data_dir/metainfo/$APP_ID.metainfo.xml"
  "$hicolor/scalable/apps/$APP_ID.svg"
)
for size in "${SIZES[@]}"; do files+=("$hicolor/${size}x${size}/apps/$APP_ID.png"); done

removed=0
for file in "${files[@]}"; do
  if [ -e "$file" ] || [ -L "$file" ]; then rm -f "$file"; removed=$((removed + 1)); fi
done

if [ -d "$hicolor" ]; then touch "$hicolor"; fi
if [ -d "$data_dir/applications" ] && command -v update-desktop-database >/dev/null 2>&1; then
  update-desktop-database -q "$data_dir/applications" || true
fi
if [ -f "$hicolor/icon-theme.cache" ] && command -v gtk-update-icon-cache >/dev/null 2>&1; then
  gtk-update-icon-cache -q -t -f "$hicolor" || true
fi

if [ "$removed" = 0 ]; then
  echo "Newsreader's menu entry was not installed in $data_dir; nothing to remove."
else
  echo "Removed Newsreader's menu entry, metainfo and icons from $data_dir ($removed files)."
fi
