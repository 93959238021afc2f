"""What the import's size limits and prose check cost, and what they save, side by side.

    python -m bench.ingest_limits                  # 4 MB text file, 5 reader repeats
    python -m bench.ingest_limits --megabytes 8    # a bigger file (import time grows linearly)

Two measurements, each against the same code with the new rule switched off, in the same run:

* a huge plain-text file (BBC paragraphs, one per line, every one a finished sentence, so the
  segmentation rule makes it ONE article, the shape of the 60 MB file in issue 10, scaled
  down): imported into a fresh library with the article limits (`core/ingest/limits.py`: parts
  of at most 100,000 characters) and without (one giant article), then the largest article is
  opened (`Library.get` and its body joined, what `show` and the reading pane start from) and a
  search that matches every paragraph is run (`Library.search(limit=20)`, snippets included).
  Each mode runs in its own process, so peak memory (max RSS) is the mode's own;
* the readers alone over the BBC sample folder (896 files): `ingest.read_file` with the prose
  check (`prose.not_prose`) and without it, alternating, best of N repeats; then the same
  folder imported whole (stored and indexed) with and without the check.

Data: `../shared/corpus/bbc-sample` (via `bench.corpus`); libraries under `bench/data/`
(git-ignored), removed afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.corpus import BBC_DIR, DATA_DIR, ROOT, load_bbc, require_bbc
from newsreader.core import ingest
from newsreader.core.ingest import limits, prose
from newsreader.core.library import Library
from newsreader.core.models import Article, Notice

QUERY = "said"  # in nearly every BBC paragraph: the search must look at all of the text


def _text_file(megabytes: float) -> Path:
    """A running text of finished-sentence paragraphs: one article by the segmentation rule."""
    path = DATA_DIR / f"limits-{megabytes:g}mb.txt"
    if path.exists():
        return path
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    paragraphs = [
        p for doc in load_bbc() for p in doc.paragraphs if p.endswith(".") and " said" in p
    ]
    target = int(megabytes * 1024 * 1024)
    lines: list[str] = ["Energy markets: the full record"]
    size = 0
    index = 0
    while size < target:
        line = paragraphs[index % len(paragraphs)]
        lines.append(line)
        size += len(line) + 1
        index += 1
    path.write_text(lines[0] + "\n\n" + "\n".join(lines[1:]) + "\n", encoding="utf-8")
    return path


def _unbounded(article: Article) -> Iterator[Article | Notice]:
    yield article


def run_mode(mode: str, path: Path) -> dict[str, Any]:
    """One import + open + search, in this process; `mode` "limited" or "reference"."""
    if mode == "reference":
        setattr(limits, "bounded", _unbounded)  # noqa: B010 - the reference: no limits
        limits.MAX_FILE_BYTES.clear()
    home = DATA_DIR / f"limits-lib-{mode}"
    shutil.rmtree(home, ignore_errors=True)
    os.environ["NEWSREADER_HOME"] = str(home)
    result: dict[str, Any] = {"mode": mode}
    with Library.open(home / "library") as lib:
        wall, cpu = time.perf_counter(), time.process_time()
        report = lib.import_items(ingest.read_file(path, source=str(path)))
        result["import_s"] = time.perf_counter() - wall
        result["import_cpu_s"] = time.process_time() - cpu
        result["articles"] = report.new
        rows = lib.get_many(report.new_ids)
        largest = max(rows, key=lambda a: sum(map(len, a.paragraphs)))
        result["largest_chars"] = sum(map(len, largest.paragraphs))
        wall = time.perf_counter()
        article = lib.get(largest.id or 0)
        assert article is not None
        _ = article.body
        result["open_s"] = time.perf_counter() - wall
        wall = time.perf_counter()
        hits = lib.search(QUERY)
        result["search_s"] = time.perf_counter() - wall
        result["search_total"] = hits.total
    result["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    shutil.rmtree(home, ignore_errors=True)
    return result


def _in_subprocess(mode: str, path: Path) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-m", "bench.ingest_limits", "--child", mode, str(path)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def _read_folder(files: list[Path]) -> float:
    start = time.process_time()
    for path in files:
        for _ in ingest.read_file(path, source="bench"):
            pass
    return time.process_time() - start


def reader_overhead(repeats: int) -> tuple[float, float]:
    """(best CPU s with the prose check, best without), alternating runs."""
    files = sorted(p for p in require_bbc(BBC_DIR).rglob("*.txt") if p.name != "README.TXT")
    real = prose.not_prose
    with_check: list[float] = []
    without: list[float] = []
    for _ in range(repeats):
        with_check.append(_read_folder(files))
        setattr(prose, "not_prose", lambda text: None)  # noqa: B010 - the reference
        try:
            without.append(_read_folder(files))
        finally:
            setattr(prose, "not_prose", real)  # noqa: B010
    return min(with_check), min(without)


def _number(value: float | int) -> str:
    return f"{value:,.3f}" if isinstance(value, float) else f"{value:,}"


def import_overhead(repeats: int) -> tuple[float, float]:
    """(best CPU s of a whole BBC-folder import with the prose check, best without): what the
    check costs next to storing and indexing, which is what a user waits for."""
    folder = require_bbc(BBC_DIR)
    real = prose.not_prose
    times: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(repeats):
        for checked in (True, False):
            home = DATA_DIR / "limits-lib-bbc"
            shutil.rmtree(home, ignore_errors=True)
            if not checked:
                setattr(prose, "not_prose", lambda text: None)  # noqa: B010 - the reference
            try:
                with Library.open(home / "library") as lib:
                    start = time.process_time()
                    lib.import_paths([folder])
                    times[checked].append(time.process_time() - start)
            finally:
                setattr(prose, "not_prose", real)  # noqa: B010
                shutil.rmtree(home, ignore_errors=True)
    return min(times[True]), min(times[False])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--megabytes", type=float, default=4.0)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--import-repeats", type=int, default=2)
    parser.add_argument("--child", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(run_mode(args.child[0], Path(args.child[1]))))
        return 0
    path = _text_file(args.megabytes)
    print(f"file: {path.name}, {path.stat().st_size / 1024 / 1024:.1f} MB; load {os.getloadavg()}")
    results = {mode: _in_subprocess(mode, path) for mode in ("reference", "limited")}
    ref, lim = results["reference"], results["limited"]
    print("| measure | without limits (reference) | with limits | ratio |")
    print("|---|---|---|---|")
    for key, label in [
        ("articles", "articles stored"),
        ("largest_chars", "largest article, characters"),
        ("import_s", "import, wall s"),
        ("import_cpu_s", "import, CPU s"),
        ("open_s", "open the largest article, s"),
        ("search_s", f"search `{QUERY}` (limit 20, snippets), s"),
        ("max_rss_mb", "peak memory (max RSS), MB"),
    ]:
        a, b = ref[key], lim[key]
        ratio = f"{b / a:.2f}×" if isinstance(a, float) and a else ""
        print(f"| {label} | {_number(a)} | {_number(b)} | {ratio} |")
    print(f"search totals: {ref['search_total']} / {lim['search_total']}")
    best_with, best_without = reader_overhead(args.repeats)
    print(
        f"readers over the BBC folder, best of {args.repeats} CPU s: with prose check "
        f"{best_with:.3f}, without {best_without:.3f}, ratio {best_with / best_without:.3f}×"
    )
    with_check, without = import_overhead(args.import_repeats)
    print(
        f"import of the BBC folder (store + index), best of {args.import_repeats} CPU s: with "
        f"prose check {with_check:.2f}, without {without:.2f}, ratio {with_check / without:.3f}×"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
