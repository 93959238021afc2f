"""What migration 7's change-stamp triggers cost a bulk import: the same import with and
without them, in alternating pairs in one run, reported as a ratio.

    python bench/change_stamps.py [--size 10000] [--pairs 3]

Each run imports `bench/data/bbc-<size>-…jsonl` into a fresh library with the index off
(`Library.import_paths(index=False)`, as the window's worker stores an import: SQLite speed,
the outbox filled), once as shipped and once with the `change_*` triggers dropped right after
the library opened. Recognition bumps once per article (`ner_status`), a flag change once per
row; an import is where the triggers fire most, one per stored article.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import corpus  # noqa: E402


def one_import(source: Path, folder: Path, stamps: bool) -> float:
    """Seconds to store every article of `source` into a new library at `folder`."""
    from newsreader.core.library import Library

    library = Library.open(folder, daily_backup=False)
    try:
        library.storage.set_meta("sample_seeded", "1")
        if not stamps:
            db = library.storage.db
            names = [
                row[0]
                for row in db.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'change_%'"
                )
            ]
            for name in names:
                db.execute(f"DROP TRIGGER {name}")
        started = time.perf_counter()
        report = library.import_paths([source], index=False)
        elapsed = time.perf_counter() - started
        assert report.new > 0
    finally:
        library.close()
    shutil.rmtree(folder)
    return elapsed


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--pairs", type=int, default=3)
    args = parser.parse_args(argv)
    source = corpus.ensure_jsonl(args.size)
    print(f"load average at start: {os.getloadavg()}", flush=True)
    with_s: list[float] = []
    without_s: list[float] = []
    with tempfile.TemporaryDirectory(prefix="nr-stamps-", dir=corpus.DATA_DIR) as tmp:
        for pair in range(args.pairs):
            # Alternate which goes first, so drift in the machine's load hits both alike.
            order = (True, False) if pair % 2 == 0 else (False, True)
            for stamps in order:
                seconds = one_import(source, Path(tmp) / f"lib-{pair}-{stamps}", stamps)
                (with_s if stamps else without_s).append(seconds)
                label = "with stamps" if stamps else "without"
                rate = args.size / seconds
                print(f"pair {pair + 1}: {label}: {rate:,.0f} articles/s", flush=True)
    best_with, best_without = min(with_s), min(without_s)
    print()
    print(f"| import of {args.size:,} (index off) | articles/s best | median |")
    print("|---|---|---|")
    for label, runs in (("without triggers", without_s), ("with change stamps", with_s)):
        best, median = args.size / min(runs), args.size / statistics.median(runs)
        print(f"| {label} | {best:,.0f} | {median:,.0f} |")
    print(f"| with / without (time, best of {args.pairs}) | {best_with / best_without:.3f}× | |")
    print(f"load average at end: {os.getloadavg()}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
