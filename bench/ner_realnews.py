"""Real-news check: are the sidebar's top people, organisations and places the right type?

    python -m bench.ner_realnews --library DIR     # a library already recognised
    python -m bench.ner_realnews --build DIR       # import ../shared into DIR, recognise, check
    python -m bench.ner_realnews --library DIR --write-readme
    python -m bench.ner_realnews --library DIR --top 80 --write-readme   # a block of its own
    python -m bench.ner_realnews --library DIR --recognise   # again, with the current rules

The library holds `../shared`'s BBC business and entertainment articles and its HuffPost
records. For each type the 50 entities in most articles are looked up in the hand-judged
`tests/data/ner_real_news.json` (names and types only): the share whose judged type is the
list's type is the figure. Names not judged yet are listed, to be judged and added.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from bench.ner_eval import README, write_section
from newsreader.core.library import Library

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"
SOURCES = (
    SHARED / "bbc-sample" / "business",
    SHARED / "bbc-sample" / "entertainment",
    SHARED / "huffpost-sample.jsonl",
)
JUDGED = ROOT / "tests" / "data" / "ner_real_news.json"
TYPES = ("person", "org", "place")
TOP = 50


def judged() -> dict[str, dict[str, str]]:
    data = json.loads(JUDGED.read_text(encoding="utf-8"))
    return {kind: data[kind] for kind in TYPES}


def check(library: Library, top: int = TOP) -> tuple[str, dict[str, float]]:
    """The report and the share right per type."""
    truth = judged()
    lines = [
        f"| type | right in top {top} | share | wrong (judged type) | not judged |",
        "| --- | ---: | ---: | --- | --- |",
    ]
    shares: dict[str, float] = {}
    for kind in TYPES:
        names = [e.name for e in library.entities(kind, top=top)]
        right = [n for n in names if truth[kind].get(n) == kind]
        wrong = [f"{n} ({truth[kind][n]})" for n in names if n in truth[kind] and n not in right]
        unjudged = [n for n in names if n not in truth[kind]]
        shares[kind] = len(right) / len(names) if names else 0.0
        lines.append(
            f"| {kind} | {len(right)}/{len(names)} | {shares[kind]:.0%} | "
            f"{', '.join(wrong) or '-'} | {', '.join(unjudged) or '-'} |"
        )
    return "\n".join(lines), shares


def build(folder: Path) -> float:
    """Import `SOURCES` into a new library in `folder` and recognise it; return seconds."""
    library = Library.open(folder)
    try:
        library.import_paths(list(SOURCES))
        started = time.perf_counter()
        library.extract_entities()
        return time.perf_counter() - started
    finally:
        library.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--library", type=Path)
    where.add_argument("--build", type=Path)
    parser.add_argument("--write-readme", action="store_true")
    parser.add_argument(
        "--recognise", action="store_true", help="recognise a --library's articles again first"
    )
    parser.add_argument("--top", type=int, default=TOP, help=f"names per type (default {TOP})")
    args = parser.parse_args(argv)
    folder = args.library or args.build
    if args.build:
        if not all(p.exists() for p in SOURCES):
            print(f"../shared corpus not found under {SHARED}", file=sys.stderr)
            return 2
        print(f"recognised in {build(folder):.0f} s", file=sys.stderr)
    library = Library.open(folder)
    try:
        if args.recognise and args.library:
            started = time.perf_counter()
            library.extract_entities(rebuild=True)
            print(f"recognised in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        report, _ = check(library, args.top)
        from newsreader.core.entities import recognizer

        report = (
            f"{library.stats().articles:,} articles (../shared: BBC business and entertainment,"
            f" HuffPost); {recognizer.model_id()}; top {args.top} per type.\n\n" + report
        )
    finally:
        library.close()
    print(report)
    if args.write_readme:
        block = "ner_realnews" if args.top == TOP else f"ner_realnews {args.top}"
        write_section(README, block, report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
