"""Import throughput through the write lane: "listed" (SQLite commit) and "searchable" (index
outbox drained), with SQLite FTS5 indexing the same articles in the same run as reference.

    python -m bench.write_lane --sizes 10000 [--processes 1 2]

For each size, into fresh libraries under `bench/data/lane/`, in one run:

- (L) listed: `Library.import_paths(jsonl, index=False)`: every article stored and listed;
- (S1) searchable, one process: then `Library.update_index()` (what the window does);
- (S2) searchable, two processes: a second fresh library, `import_paths(index=False)` then
  `update_index(processes=True)` (what `newsreader import` does: Whoosh's two-process writer
  with `multisegment` for backlogs of `indexer.BULK_THRESHOLD` or more);
- (F) FTS5: the same articles inserted into an FTS5 table and optimised (`bench/fts5.py`).

"Searchable" rates count from the start of the import to the end of the drain (what a user
waits for before every article can be found). Ratios to FTS5 are in the table because the
machine is shared and absolute times drift. Prints a Markdown table for bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench import corpus
from bench.fts5 import Fts5Reference
from newsreader.core.library import Library

WORK = Path(__file__).resolve().parent / "data" / "lane"


@dataclass
class Row:
    size: int
    listed_s: float = 0.0
    drain1_s: float = 0.0
    listed2_s: float = 0.0
    drain2_s: float = 0.0
    fts_s: float = 0.0
    segments1: int = 0
    segments2: int = 0
    #: CPU seconds (this process and its Whoosh worker processes) of each phase.
    cpu: dict[str, float] = field(default_factory=dict)


def _segments(library: Library) -> int:
    from whoosh import index as whoosh_index

    ix = whoosh_index.open_dir(str(library.index.directory))
    try:
        return len(ix._segments())
    finally:
        ix.close()


def _cpu() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def _say(message: str) -> None:
    print(message, flush=True)


def measure(size: int, variants: Sequence[int] = (1, 2)) -> Row:
    row = Row(size)
    path = corpus.ensure_jsonl(size)
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)

    for variant, processes in ((1, False), (2, True)):
        if variant not in variants:
            continue
        library = Library.open(WORK / f"lib{variant}")
        started, cpu0 = time.perf_counter(), _cpu()
        report = library.import_paths([path], index=False)
        listed, cpu1 = time.perf_counter() - started, _cpu()
        assert report.new == size, report.summary()
        drain = library.update_index(processes=processes)
        drained = time.perf_counter() - started - listed
        row.cpu[f"listed{variant}"] = cpu1 - cpu0
        row.cpu[f"drain{variant}"] = _cpu() - cpu1
        assert drain.applied == size and library.index_pending() == 0
        assert library.index.doc_count() == size
        segments = _segments(library)
        library.close()
        if variant == 1:
            row.listed_s, row.drain1_s, row.segments1 = listed, drained, segments
        else:
            row.listed2_s, row.drain2_s, row.segments2 = listed, drained, segments
        _say(
            f"  {size:,} procs={variant}: listed {size / listed:,.0f}/s ({listed:.1f} s),"
            f" searchable {size / (listed + drained):,.0f}/s ({listed + drained:.1f} s),"
            f" {segments} segments; CPU listed {row.cpu[f'listed{variant}']:.1f} s,"
            f" drain {row.cpu[f'drain{variant}']:.1f} s"
        )

    articles = corpus.load_articles(path)
    fts = Fts5Reference(WORK / "fts5.sqlite3")
    cpu0 = _cpu()
    row.fts_s = fts.build(articles)
    row.cpu["fts"] = _cpu() - cpu0
    fts.close()
    _say(
        f"  {size:,} FTS5: {size / row.fts_s:,.0f}/s"
        f" ({row.fts_s:.1f} s; CPU {row.cpu['fts']:.1f} s)"
    )
    return row


def table(rows: Sequence[Row]) -> str:
    lines = [
        "| Articles | Listed (SQLite commit) | Searchable, 1 process | Searchable, 2 processes"
        " | FTS5 insert + optimize | Listed / FTS5 | Searchable (2 proc.) / FTS5 |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        fts = r.size / r.fts_s
        listed_s = r.listed2_s or r.listed_s
        s1 = _searchable(r.size, r.listed_s, r.drain1_s, r.segments1)
        s2 = _searchable(r.size, r.listed2_s, r.drain2_s, r.segments2)
        s2_ratio = f"{r.size / (r.listed2_s + r.drain2_s) / fts:.3f}" if r.drain2_s else "—"
        lines.append(
            f"| {r.size:,} | {r.size / listed_s:,.0f}/s ({listed_s:.1f} s) | {s1} | {s2}"
            f" | {fts:,.0f}/s ({r.fts_s:.1f} s) | {r.size / listed_s / fts:.2f} | {s2_ratio} |"
        )
    lines += [
        "",
        "| Articles | Phase | Wall s | CPU s (incl. worker processes) | Articles per CPU-second"
        " | CPU ms per article |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        phases = [
            ("listed (procs=1 run)", r.listed_s, r.cpu.get("listed1", 0.0)),
            ("drain, 1 process", r.drain1_s, r.cpu.get("drain1", 0.0)),
            ("listed (procs=2 run)", r.listed2_s, r.cpu.get("listed2", 0.0)),
            ("drain, 2 processes", r.drain2_s, r.cpu.get("drain2", 0.0)),
            ("FTS5 insert + optimize", r.fts_s, r.cpu.get("fts", 0.0)),
        ]
        for name, wall, cpu in phases:
            if not wall:
                continue  # a drain not measured (--processes)
            per_cpu = f"{r.size / cpu:,.0f}" if cpu else "—"
            per_article = f"{cpu / r.size * 1000:.2f}" if cpu else "—"
            lines.append(
                f"| {r.size:,} | {name} | {wall:.1f} | {cpu:.1f} | {per_cpu} | {per_article} |"
            )
    return "\n".join(lines)


def _searchable(size: int, listed: float, drained: float, segments: int) -> str:
    if not drained:
        return "not measured"
    total = listed + drained
    plural = "s" if segments != 1 else ""
    return f"{size / total:,.0f}/s ({total:.1f} s; {segments} segment{plural})"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    parser.add_argument(
        "--processes",
        type=int,
        nargs="+",
        choices=(1, 2),
        default=[1, 2],
        help="which drains to measure: 1 (the window's) and/or 2 (newsreader import's)",
    )
    args = parser.parse_args(argv)
    corpus.require_bbc()
    _say(f"code: {_revision()}; load average at start: {_load()}")
    rows = [measure(size, args.processes) for size in args.sizes]
    _say(f"load average at end: {_load()}")
    print()
    print(table(rows))
    return 0


def _load() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def _revision() -> str:
    """The commit measured (and whether the worktree had changes), for bench/README.md."""
    import subprocess

    root = Path(__file__).resolve().parents[1]
    try:
        out = subprocess.run(
            ["git", "-C", str(root), "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return out.stdout.strip()


if __name__ == "__main__":
    raise SystemExit(main())
