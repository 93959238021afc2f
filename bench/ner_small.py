"""Small libraries: what a new user sees in the sidebar's top people, organisations, places.

    python -m bench.ner_small [--top 20] [--only NAME ...] [--keep DIR] [--write-readme]

A library of 40 to 200 articles gives the library-level steps (`store.consolidate`) little
to go on, so the layers' per-article evidence is all there is. Each library below is built
in a temporary folder (or under `--keep DIR`) from `../shared` (used by path: the few records
a library takes are written to a temporary file, never into the project) and recognised; its
top names per type are looked up in the hand-judged `tests/data/ner_small_libraries.json`
(names and types only, as `tests/data/ner_real_news.json` for the big library):

* `sample`: the bundled sample, what a new user sees first;
* `feeds42`: the 42 articles of the Feeds screenshot (`docs/render_feeds_screenshot.py`);
* `bbc40`, `bbc100`, `bbc200`: the first N/2 BBC business and N/2 entertainment articles;
* `huff100`, `huff200`: the first N HuffPost records.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from bench.ner_eval import README, write_section
from newsreader.core.library import Library

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"
BBC = SHARED / "bbc-sample"
HUFFPOST = SHARED / "huffpost-sample.jsonl"
JUDGED = ROOT / "tests" / "data" / "ner_small_libraries.json"
TYPES = ("person", "org", "place")
TOP = 20


def _bbc(count: int) -> Callable[[Library, Path], None]:
    def fill(library: Library, scratch: Path) -> None:
        del scratch
        files = [
            path
            for desk in ("business", "entertainment")
            for path in sorted((BBC / desk).glob("*.txt"))[: count // 2]
        ]
        library.import_paths(files, index=False)

    return fill


def _records(records: list[dict[str, str]], library: Library, scratch: Path) -> None:
    path = scratch / "records.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    library.import_paths([path], index=False)


def _huffpost(count: int) -> Callable[[Library, Path], None]:
    def fill(library: Library, scratch: Path) -> None:
        with HUFFPOST.open(encoding="utf-8") as lines:
            records = [json.loads(line) for _, line in zip(range(count), lines, strict=False)]
        _records(records, library, scratch)

    return fill


def _feeds42(library: Library, scratch: Path) -> None:
    """The Feeds screenshot's articles: 12 BBC business, 9 entertainment, and the first
    HuffPost records of four categories with a description of 60 characters or more."""
    _bbc_desks = (("business", 12), ("entertainment", 9))
    files = [p for desk, n in _bbc_desks for p in sorted((BBC / desk).glob("*.txt"))[:n]]
    library.import_paths(files, index=False)
    wanted = {"POLITICS": 8, "WORLD NEWS": 6, "MEDIA": 4, "TRAVEL": 3}
    records: list[dict[str, str]] = []
    with HUFFPOST.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            category = record["category"]
            if wanted.get(category, 0) and len(record["short_description"]) >= 60:
                wanted[category] -= 1
                records.append(record)
    _records(records, library, scratch)


def _sample(library: Library, scratch: Path) -> None:
    del scratch
    library.ensure_sample()


LIBRARIES: dict[str, Callable[[Library, Path], None]] = {
    "sample": _sample,
    "feeds42": _feeds42,
    "bbc40": _bbc(40),
    "bbc100": _bbc(100),
    "bbc200": _bbc(200),
    "huff100": _huffpost(100),
    "huff200": _huffpost(200),
}


def judged() -> dict[str, dict[str, str]]:
    if not JUDGED.exists():
        return {kind: {} for kind in TYPES}
    data = json.loads(JUDGED.read_text(encoding="utf-8"))
    return {kind: data.get(kind, {}) for kind in TYPES}


def check(name: str, library: Library, top: int) -> tuple[list[str], int, list[str]]:
    """Table rows for one library, its wrong count, and its names nobody judged yet."""
    truth = judged()
    rows: list[str] = []
    errors = 0
    unjudged: list[str] = []
    for kind in TYPES:
        names = [e.name for e in library.entities(kind, top=top)]
        wrong = [f"{n} ({truth[kind][n]})" for n in names if truth[kind].get(n, kind) != kind]
        unjudged += [f"{kind}:{n}" for n in names if n not in truth[kind]]
        errors += len(wrong)
        rows.append(
            f"| {name} | {kind} | {len(names) - len(wrong)}/{len(names)} | "
            f"{', '.join(wrong) or '-'} |"
        )
    return rows, errors, unjudged


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--top", type=int, default=TOP)
    parser.add_argument("--only", nargs="*", choices=sorted(LIBRARIES))
    parser.add_argument("--keep", type=Path, help="build the libraries under this folder")
    parser.add_argument("--list", action="store_true", help="print every top name")
    parser.add_argument("--write-readme", action="store_true")
    args = parser.parse_args(argv)
    if not BBC.is_dir() or not HUFFPOST.exists():
        print(f"../shared corpus not found under {SHARED}", file=sys.stderr)
        return 2
    rows = ["| library | type | right in top | wrong (judged type) |", "| --- | --- | ---: | --- |"]
    total = 0
    unjudged: list[str] = []
    for name in args.only or LIBRARIES:
        with tempfile.TemporaryDirectory(prefix=f"ner-small-{name}-") as scratch:
            folder = (args.keep / name) if args.keep else Path(scratch) / "library"
            library = Library.open(folder, daily_backup=False, update_index=False)
            try:
                if not library.stats().articles:
                    LIBRARIES[name](library, Path(scratch))
                library.extract_entities(rebuild=True)
                found, errors, missing = check(name, library, args.top)
                if args.list:
                    for kind in TYPES:
                        listed = [
                            f"{e.name} [{e.article_count}]"
                            for e in library.entities(kind, top=args.top)
                        ]
                        print(f"{name} {kind}: {'; '.join(listed)}")
            finally:
                library.close()
        rows += found
        total += errors
        unjudged += [f"{name} {n}" for n in missing]
    from newsreader.core.entities import recognizer

    report = (
        f"{recognizer.model_id()}; top {args.top} per type; {total} wrong in all.\n\n"
        + "\n".join(rows)
    )
    print(report)
    if unjudged:
        print("not judged:", "; ".join(unjudged), file=sys.stderr)
    if args.write_readme:
        write_section(README, "ner_small", report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
