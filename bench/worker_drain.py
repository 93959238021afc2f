"""A big import through the window's worker: how long until every article is searchable.

    python -m bench.worker_drain --size 100000 [--recognition on off] [--tidy-wait 900]
                                 [--processes 2 1]

The window imports in its worker process (`newsreader.core.worker`), which indexes a big
backlog with two writer processes from a fork server (`core/search/procwriter.py`; never a
fork of the worker, which has threads); `--processes 1` starts it with
`worker.INDEX_PROCESSES` off, as before, for the comparison in the same run. This drives
that worker exactly as the window does, through its standard input and output:
``import 1 {"paths": [...]}``, and, with recognition on, the ``entities`` command the window
sends when the import reports (`ui/background.py`). For each variant, into a fresh library
under `bench/data/worker/`:

- **listed**: when the worker's "imported" line arrives (every article stored);
- **searchable**: when no article's text waits in the index outbox any more (polled from
  this process with a read-only SQLite connection every `POLL_S`); the pending count is
  sampled along the way, so a stall shows as a flat or rising stretch;
- **commits**: the gaps between the worker's index progress events (one per commit), and the
  merges the worker logs (`core/search/merging.py`: small ones inside commits, idle steps);
- **CPU and memory** of the worker and every process under it (the fork server, the writer
  processes), sampled with the pending count: CPU seconds at the end (a finished writer's
  time is in its fork server's `cutime`), the highest sum of resident memory seen, and
  the highest peak (`VmHWM`) of any one process;
- with recognition off, the search mix of `bench/import_search.py` timed in this process;
  then **tidy** (skipped with `--tidy-wait 0`): the worker restarted with nothing to index,
  so that its idle merging runs (`Library.tidy_index`), up to `--tidy-wait` seconds, and the
  search mix again (many segments, few).

FTS5 inserting the same articles (`bench/fts5.py`) is the reference, in the same run.
Prints the commit, the load average at start and end, and Markdown for bench/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from bench import corpus
from bench.fts5 import Fts5Reference
from bench.write_lane import _load, _revision

WORK = Path(__file__).resolve().parent / "data" / "worker"
POLL_S = 2.0
_PENDING = "SELECT count(DISTINCT article_id) FROM index_outbox"
_MERGE = re.compile(
    r"(commit folded|idle merge of) (\d+) segments \((\d+) documents\) in ([\d.]+) s"
)


@dataclass
class Run:
    recognition: bool
    size: int
    processes: int = 2
    cpu_s: float = 0.0
    peak_rss_mb: float = 0.0
    #: The highest VmHWM of the worker itself, and of any process under it (MB).
    worker_hwm_mb: float = 0.0
    child_hwm_mb: float = 0.0
    listed_s: float = 0.0
    searchable_s: float = 0.0
    #: (seconds since the import started, articles pending for the index).
    pending: list[tuple[float, int]] = field(default_factory=list)
    commit_gaps: list[float] = field(default_factory=list)
    #: (kind, segments, documents, seconds) of every merge the worker logged.
    merges: list[tuple[str, int, int, float]] = field(default_factory=list)
    segments: int = 0
    tidy_s: float | None = None
    tidy_segments: int = 0
    search_before: list[float] = field(default_factory=list)
    search_after: list[float] = field(default_factory=list)
    load: tuple[str, str] = ("", "")


class WorkerProcess:
    """The window's worker, driven through its protocol from this process."""

    def __init__(self, library: Path, processes: int = 2) -> None:
        self.started = time.monotonic()
        command = [sys.executable, "-m", "newsreader.core.worker", "--library", str(library)]
        if processes == 1:  # the worker as it was: every drain in its own process
            command = [
                sys.executable,
                "-c",
                "import sys; from newsreader.core import worker; worker.INDEX_PROCESSES = False;"
                f" sys.exit(worker.main(['--library', {str(library)!r}]))",
            ]
        self.proc = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        self.events: list[tuple[float, dict[str, Any]]] = []
        self.log: list[tuple[float, str]] = []
        self._lock = threading.Lock()
        assert self.proc.stdout is not None and self.proc.stderr is not None
        threading.Thread(target=self._read, args=(self.proc.stdout, True), daemon=True).start()
        threading.Thread(target=self._read, args=(self.proc.stderr, False), daemon=True).start()

    def _read(self, stream: TextIO, protocol: bool) -> None:
        for line in stream:
            now = time.monotonic() - self.started
            with self._lock:
                if protocol:
                    try:
                        self.events.append((now, json.loads(line)))
                    except ValueError:
                        self.log.append((now, line.rstrip()))
                else:
                    self.log.append((now, line.rstrip()))

    def send(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def seen(self, event: str) -> bool:
        with self._lock:
            return any(e.get("event") == event for _, e in self.events)

    def quit(self) -> None:
        with contextlib.suppress(BrokenPipeError, OSError):
            self.send("quit")
        try:
            self.proc.wait(timeout=120)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def _proc_tree(pid: int) -> list[int]:
    """`pid` and every live process below it (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            children.setdefault(int(stat[stat.rindex(")") + 2 :].split()[1]), []).append(
                int(entry.name)
            )
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo += children.get(current, [])
    return found


def _usage(pid: int, run: Run) -> None:
    """Sample CPU and memory of the worker's process tree into `run` (module docstring)."""
    tick = os.sysconf("SC_CLK_TCK")
    cpu = rss = 0.0
    for member in _proc_tree(pid):
        try:
            stat = Path(f"/proc/{member}/stat").read_text()
            status = Path(f"/proc/{member}/status").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        cpu += sum(int(f) for f in fields[11:15]) / tick  # utime stime cutime cstime
        kb = {
            line.split(":")[0]: int(line.split()[1])
            for line in status.splitlines()
            if line.startswith(("VmRSS", "VmHWM"))
        }
        rss += kb.get("VmRSS", 0) / 1024
        hwm = kb.get("VmHWM", 0) / 1024
        if member == pid:
            run.worker_hwm_mb = max(run.worker_hwm_mb, hwm)
        else:
            run.child_hwm_mb = max(run.child_hwm_mb, hwm)
    run.cpu_s = max(run.cpu_s, cpu)
    run.peak_rss_mb = max(run.peak_rss_mb, rss)


def _reader(library: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{library / 'library.sqlite3'}?mode=ro", uri=True, timeout=30)


def _segments(library: Path) -> int:
    from whoosh import index as whoosh_index

    ix = whoosh_index.open_dir(str(library / "index"))
    try:
        return len(ix._segments())
    finally:
        ix.close()


def _say(message: str) -> None:
    print(message, flush=True)


def _search_ms(library: Path, repeats: int) -> list[float]:
    """The search mix of bench/import_search.py, warm, in this process (ms per query)."""
    from bench.import_search import LIMIT, QUERIES
    from newsreader.core.library import Library

    lib = Library.open(library, daily_backup=False, update_index=False)
    try:
        for query in QUERIES:
            lib.search_all(query.text, limit=LIMIT)
        times = []
        for _ in range(repeats):
            for query in QUERIES:
                started = time.perf_counter()
                lib.search_all(query.text, limit=LIMIT)
                times.append((time.perf_counter() - started) * 1000)
        return times
    finally:
        lib.close()


def measure(
    size: int, recognition: bool, tidy_wait: float, repeats: int, processes: int = 2
) -> Run:
    run = Run(recognition, size, processes)
    path = corpus.ensure_jsonl(size)
    library = WORK / (("lib-ner" if recognition else "lib") + f"-p{processes}")
    shutil.rmtree(library, ignore_errors=True)
    library.mkdir(parents=True)
    run.load = (_load(), "")
    from newsreader.core.library import Library

    # The window's library already has its (sample's) index; the worker only follows.
    Library.open(library, daily_backup=False).close()
    worker = WorkerProcess(library, processes)
    while not worker.seen("ready"):
        time.sleep(0.1)
    started = time.monotonic()
    worker.send("import 1 " + json.dumps({"paths": [str(path)]}))
    db: sqlite3.Connection | None = None
    asked_entities = False
    while True:
        time.sleep(POLL_S)
        now = time.monotonic() - started
        if worker.proc.poll() is not None:
            raise SystemExit(f"the worker stopped: {worker.log[-5:]}")
        if db is None and (library / "library.sqlite3").exists():
            db = _reader(library)
        if db is None:
            continue
        try:
            pending = int(
                db.execute("SELECT count(DISTINCT article_id) FROM index_outbox").fetchone()[0]
            )
            texts = db.execute(
                "SELECT EXISTS (SELECT 1 FROM index_outbox WHERE change != 'entities')"
            ).fetchone()[0]
        except sqlite3.OperationalError:
            continue  # the schema is still being created
        run.pending.append((now, pending))
        _usage(worker.proc.pid, run)
        if worker.seen("imported") and not run.listed_s:
            run.listed_s = now
            if recognition and not asked_entities:
                worker.send("entities 2")  # what the window does when the import reports
                asked_entities = True
        if run.listed_s and not texts:
            run.searchable_s = now
            break
        if len(run.pending) % 15 == 0:
            _say(f"    {now:6.0f} s: pending {pending:,}")
    worker.quit()
    assert db is not None
    db.close()
    _collect(worker, run, started - worker.started)
    run.segments = _segments(library)
    _say(
        f"  recognition {'on' if recognition else 'off'}, {processes} writer process(es):"
        f" listed {run.listed_s:.0f} s, CPU {run.cpu_s:.0f} s, peak RSS {run.peak_rss_mb:.0f} MB,"
        f" searchable {run.searchable_s:.0f} s ({size / run.searchable_s:,.0f}/s),"
        f" {run.segments} segments"
    )
    if not recognition:
        run.search_before = _search_ms(library, repeats)
        run.tidy_segments = run.segments
        if tidy_wait > 0:
            run.tidy_s = _tidy(library, tidy_wait, run)
            run.tidy_segments = _segments(library)
            run.search_after = _search_ms(library, repeats)
    run.load = (run.load[0], _load())
    return run


def _collect(worker: WorkerProcess, run: Run, offset: float) -> None:
    index_times = [
        t - offset
        for t, e in worker.events
        if e.get("event") == "progress" and e.get("lane") == "index" and e.get("stage") == "index"
    ]
    run.commit_gaps += [b - a for a, b in itertools.pairwise(index_times)]
    for _t, line in worker.log:
        m = _MERGE.search(line)
        if m:
            kind = "commit" if m.group(1) == "commit folded" else "idle"
            run.merges.append((kind, int(m.group(2)), int(m.group(3)), float(m.group(4))))


def _tidy(library: Path, wait: float, run: Run) -> float | None:
    """Restart the worker with nothing to index and let it merge; seconds until it was done."""
    worker = WorkerProcess(library)
    while not worker.seen("ready"):
        time.sleep(0.1)
    started = time.monotonic()
    worker.send("index 1")
    done: float | None = None
    while time.monotonic() - started < wait:
        time.sleep(1.0)
        if any("merged " in line and "segment groups" in line for _, line in worker.log):
            done = time.monotonic() - started
            break
    worker.quit()
    _collect(worker, run, started - worker.started)
    return done


def _p(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def report(runs: Sequence[Run], fts_s: float, size: int) -> str:
    fts_rate = size / fts_s
    lines = [
        "| Recognition | Writer processes | Listed | Searchable (all articles' text)"
        " | Searchable / FTS5 | Longest gap between commits"
        " | Longest commit that folded segments | Segments"
        " | CPU s (worker and below) | Peak RSS, sum (sampled)"
        " | Peak RSS, worker / largest other |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in runs:
        merges = [m for m in r.merges if m[0] == "commit"] or [("commit", 0, 0, 0.0)]
        worst = max(merges, key=lambda m: m[3])
        name = "on" if r.recognition else "off"
        lines.append(
            f"| {name} | {r.processes} | {size / r.listed_s:,.0f}/s ({r.listed_s:.0f} s)"
            f" | {size / r.searchable_s:,.0f}/s ({r.searchable_s:.0f} s)"
            f" | {size / r.searchable_s / fts_rate:.3f}"
            f" | {max(r.commit_gaps, default=0.0):.1f} s"
            f" | {worst[3]:.1f} s (folding {worst[1]} segments, {worst[2]:,} documents)"
            f" | {r.segments} | {r.cpu_s:.0f} | {r.peak_rss_mb:,.0f} MB"
            f" | {r.worker_hwm_mb:,.0f} / {r.child_hwm_mb:,.0f} MB |"
        )
    lines += ["", f"FTS5 insert + optimize, same run: {fts_rate:,.0f}/s ({fts_s:.1f} s)."]
    for r in runs:
        series = ", ".join(
            f"{t:.0f} s: {p:,}" for t, p in r.pending[:: max(1, len(r.pending) // 12)]
        )
        flat = _longest_flat([(t, p) for t, p in r.pending if t >= r.listed_s])
        lines.append(
            f"- recognition {'on' if r.recognition else 'off'}, {r.processes} writer"
            f" process(es): pending {series};"
            f" after the import was listed, the longest time pending did not fall: {flat:.0f} s"
            f" (load {r.load[0]} at start, {r.load[1]} at end)"
        )
        idle = [m for m in r.merges if m[0] == "idle"]
        if not r.recognition and r.search_after:
            longest = max(idle, key=lambda m: m[3]) if idle else ("idle", 0, 0, 0.0)
            done = f"done in {r.tidy_s:.0f} s" if r.tidy_s is not None else "not done in time"
            lines.append(
                f"  idle merging afterwards: {len(idle)} steps, {sum(m[2] for m in idle):,}"
                f" documents, longest step {longest[3]:.1f} s ({longest[2]:,} documents);"
                f" {r.segments} -> {r.tidy_segments} segments; {done}"
            )
        if r.search_before:
            after = (
                f"; {r.tidy_segments} segments {statistics.median(r.search_after):.1f}"
                f" / {_p(r.search_after, 0.95):.1f}"
                if r.search_after
                else ""
            )
            lines.append(
                f"  search mix (ms, p50 / p95): {r.segments} segments"
                f" {statistics.median(r.search_before):.1f} / {_p(r.search_before, 0.95):.1f}"
                + after
            )
    return "\n".join(lines)


def _longest_flat(pending: Sequence[tuple[float, int]]) -> float:
    """The longest time the pending count did not fall (a stall shows here)."""
    longest, since, low = 0.0, None, None
    for t, p in pending:
        if low is None or p < low:
            low, since = p, t
        elif since is not None:
            longest = max(longest, t - since)
    return longest


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--recognition", nargs="+", choices=("on", "off"), default=["off", "on"])
    parser.add_argument("--tidy-wait", type=float, default=900.0)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--processes", nargs="+", type=int, choices=(1, 2), default=[2, 1])
    args = parser.parse_args(argv)
    corpus.require_bbc()
    _say(f"code: {_revision()}; load average at start: {_load()}")
    WORK.mkdir(parents=True, exist_ok=True)
    runs = [
        measure(args.size, choice == "on", args.tidy_wait, args.repeats, processes)
        for choice in args.recognition
        for processes in args.processes
    ]
    articles = corpus.load_articles(corpus.ensure_jsonl(args.size))
    fts = Fts5Reference(WORK / "fts5.sqlite3")
    fts_s = fts.build(articles)
    fts.close()
    _say(f"load average at end: {_load()}")
    print()
    print(report(runs, fts_s, args.size))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    raise SystemExit(main())
