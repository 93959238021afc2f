"""The window while its worker's two writer processes index a big backlog: article open,
scrolling and search, idle and during the drain, side by side in one run.

    python bench/gui_during_indexing.py --size 100000 [--opens 60] [--after-s 0]

`bench/gui_during_import.py` measures the window while an import *stores*; a backlog of
5,000 or more is indexed only after that (`Worker._drain`: two Whoosh writer processes from a
fork server, at niceness 19), for minutes at 100k, and that phase is this benchmark's. It
builds (once) `bench/data/indexing-<size>/`: an empty search index, then `--size` articles of
the scaled BBC corpus (`bench/data/bbc-<size>-…jsonl`, as `bench/worker_drain.py` imports)
stored through `Library.import_paths(index=False)`, as the window's worker stores an import:
every article listed, none searchable, the whole backlog in the index outbox. Each run copies
it, and opens the real window over the copy (offscreen, synthetic entity mentions as in
`bench/gui_bench.py`), while this process holds the library's index lane: the worker starts
and waits for the lane, so nothing is indexed yet, and the window is measured **idle** (the
same open and scroll as gui_during_import: select a random row and repaint the pane; scroll
the list a page at a time, each frame repainted). Then the lane is let go, the worker drains
the backlog with its two writer processes, and the window is measured in rounds **during the
drain** (`--opens` opens, `--searches` searches typed into the window, `--frames` pages of
scrolling, on down the list from where the last round stopped) until the worker says the
drain ended. Every sample carries its time, so only those inside the drain count. Each open
and frame also records where the UI thread's wall time went (Linux's schedstat: on a CPU,
waiting for one, or blocked), and each phase the machine's CPU pressure (PSI; it counts the
drain's own waiting processes too), and how often the window re-listed because another
process (the worker, deleting the outbox rows a commit applied) changed the database.

A search during the drain is timed from `run_search` until its results are listed, and must
say its results may be incomplete (issue 8 §3). After the drain the worker is stopped (its
idle merging left out, unless `--after-s` measures the window that long beside it first) and
the window is measured **after**: the same opens, scroll and searches over the full index.

Also printed: the drain's rate (articles / seconds from letting the lane go to the worker's
"indexed" line), the CPU of the worker and every process under it and of the window's
process over the drain, and the load average at the start and end.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench import corpus  # noqa: E402
from bench.corpus import DATA_DIR  # noqa: E402
from bench.gui_bench import open_window, percentile, sched_ns  # noqa: E402
from bench.gui_during_import import WINDOW_ROWS, Tracer, _print_trace  # noqa: E402
from bench.worker_drain import _proc_tree  # noqa: E402
from bench.write_lane import _load, _revision  # noqa: E402

INCOMPLETE = "may be incomplete"


def say(message: str) -> None:
    print(message, flush=True)


def build_backlog(size: int) -> Path:
    """`bench/data/indexing-<size>/`: `size` articles stored, none indexed (module docstring)."""
    from newsreader.core.library import Library

    folder = DATA_DIR / f"indexing-{size}"
    marker = folder / "complete"
    if marker.exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    source = corpus.ensure_jsonl(size)
    library = Library.open(folder, daily_backup=False)  # an empty, usable search index
    try:
        library.storage.set_meta("sample_seeded", "1")  # a bench library never gets the sample
        say(f"storing {size:,} articles from {source.name} (not indexed) …")
        report = library.import_paths([source], index=False)
        say(f"  stored {report.new:,}; pending for the index: {library.index_pending():,}")
    finally:
        library.close()
    marker.write_text("ok", encoding="utf-8")
    return folder


def tree_cpu_s(pid: int) -> float:
    """CPU seconds of `pid` and every process under it, finished children included."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for member in _proc_tree(pid):
        try:
            stat = Path(f"/proc/{member}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        total += sum(int(f) for f in fields[11:15]) / tick  # utime stime cutime cstime
    return total


def cpu_pressure_us() -> int:
    """The machine's CPU pressure (PSI "some" total, µs): time in which at least one task
    waited for a core. Its growth over a phase / the phase's length says how loaded the
    machine was (the other engineers' work included)."""
    try:
        first = Path("/proc/pressure/cpu").read_text().splitlines()[0]
    except (OSError, IndexError):
        return 0
    return int(first.rsplit("total=", 1)[1])


@dataclass
class Where:
    """Where a sample's wall time went: on a CPU, waiting for one (the run queue: other
    processes or threads had the cores), or neither (blocked: I/O, a lock, the interpreter
    lock held by another thread of the window); and how often it blocked."""

    kind: str
    phase: str
    at: float
    wall: float
    on_cpu: float
    runqueue: float
    switches: int

    @property
    def blocked(self) -> float:
        return max(0.0, self.wall - self.on_cpu - self.runqueue)


@dataclass
class Samples:
    """Timed samples (`time.perf_counter()` at the start, milliseconds) by kind."""

    opens: list[tuple[float, float]] = field(default_factory=list)
    frames: list[tuple[float, float]] = field(default_factory=list)
    searches: list[tuple[float, float]] = field(default_factory=list)
    #: Whether each search's line above the results said they may be incomplete.
    incomplete: list[bool] = field(default_factory=list)

    def within(self, start: float, end: float) -> Samples:
        def keep(values: list[tuple[float, float]]) -> list[tuple[float, float]]:
            return [v for v in values if start <= v[0] <= end]

        kept = Samples(keep(self.opens), keep(self.frames), keep(self.searches))
        kept.incomplete = [
            said
            for (t, _ms), said in zip(self.searches, self.incomplete, strict=True)
            if start <= t <= end
        ]
        return kept


class Harness:
    """Drives the window as gui_during_import does, one sample at a time."""

    def __init__(self, window: Any, app: Any, tracer: Tracer) -> None:
        self.window = window
        self.app = app
        self.tracer = tracer
        self.rng = random.Random(7)
        self.queries = [q.text for q in _queries()]
        self._next_query = 0
        #: Every open and frame, by where its time went.
        self.where: list[Where] = []

    def _begin(self) -> tuple[float, tuple[int, int, int], Any]:
        return time.perf_counter(), sched_ns(), self.tracer.begin()

    def _end(self, kind: str, phase: str, mark: tuple[float, tuple[int, int, int], Any]) -> float:
        wall = self.tracer.end(kind, mark[2], phase)
        run, wait, switches = sched_ns()
        before = mark[1]
        self.where.append(
            Where(
                kind,
                phase,
                mark[0],
                wall,
                (run - before[0]) / 1e6,
                (wait - before[1]) / 1e6,
                switches - before[2],
            )
        )
        return wall

    def idle_wait(self, until: Callable[[], bool], timeout: float = 120.0) -> None:
        deadline = time.perf_counter() + timeout
        while not until() and time.perf_counter() < deadline:
            self.app.processEvents()
            time.sleep(0.001)

    def opens(self, samples: Samples, count: int, phase: str) -> None:
        window = self.window
        for _ in range(count):
            row = self.rng.randrange(window.model.rowCount())
            mark = self._begin()
            window.listing.select_row(row)
            window.reader.viewport().repaint()
            samples.opens.append((mark[0], self._end("open", phase, mark)))
            self.tracer.turn(self.app)
            time.sleep(0.005)  # a reader's pace, and time for queued results to arrive

    def scroll(self, samples: Samples, phase: str, frames: int, stop: Callable[[], bool]) -> None:
        """`frames` pages down the list (on from where the last scroll stopped, from the top
        again at the bottom), or until `stop()`, each frame repainted."""
        table = self.window.table
        bar = table.verticalScrollBar()
        for _ in range(frames):
            if stop():
                return
            if bar.value() >= bar.maximum():
                bar.setValue(0)
                self.app.processEvents()
            mark = self._begin()
            bar.setValue(bar.value() + bar.pageStep())
            table.viewport().repaint()
            samples.frames.append((mark[0], self._end("frame", phase, mark)))
            self.tracer.turn(self.app)

    def search(self, samples: Samples) -> None:
        """Type a query into the window: until its results are listed; then back."""
        window = self.window
        query = self.queries[self._next_query % len(self.queries)]
        self._next_query += 1
        listing = window.listing
        at = time.perf_counter()
        window.run_search(query)
        self.idle_wait(
            lambda: (
                listing.session is not None
                and listing.session.results is not None
                and not window.jobs.running("list")
            )
        )
        samples.searches.append((at, (time.perf_counter() - at) * 1000))
        samples.incomplete.append(INCOMPLETE in window.search_info.text())
        listing.clear_search()
        self.idle_wait(lambda: not window.jobs.running("list") and window.model.rowCount() > 0)


def _queries() -> Sequence[Any]:
    from bench.import_search import QUERIES

    return QUERIES


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--opens", type=int, default=60, help="article opens per round")
    parser.add_argument("--idle-opens", type=int, default=200)
    parser.add_argument("--searches", type=int, default=2, help="searches per round")
    parser.add_argument("--frames", type=int, default=300, help="scroll frames per round")
    parser.add_argument("--idle-frames", type=int, default=1500)
    parser.add_argument(
        "--after-s",
        type=float,
        default=0.0,
        metavar="S",
        help="after the drain, measure the window for S seconds beside the worker's idle"
        " merging before stopping it",
    )
    parser.add_argument(
        "--pause",
        type=float,
        default=0.0,
        metavar="S",
        help="between rounds during the drain, leave the window to itself for S seconds (a"
        " reader reading), so that the drain is not always beside a busy window",
    )
    parser.add_argument(
        "--max-wait",
        type=float,
        default=540.0,
        metavar="S",
        help="measure at most S seconds of the drain (the bench lock's limit is 12 minutes);"
        " a drain not finished by then is reported with its rate so far",
    )
    parser.add_argument("--build-only", action="store_true")
    args = parser.parse_args(argv)

    corpus.require_bbc()
    backlog = build_backlog(args.size)
    if args.build_only:
        return 0
    load_start = _load()
    say(f"code: {_revision()}; load average at start: {load_start}")

    from PySide6.QtWidgets import QApplication

    from newsreader.core.lane import LaneLock
    from newsreader.core.library import Library
    from newsreader.ui.app import freeze_startup_objects

    work = DATA_DIR / f"indexing-during-{args.size}"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(backlog, work)
    os.environ["NEWSREADER_HOME"] = str(DATA_DIR / "gui-home")
    gate = contextlib.ExitStack()
    gate.enter_context(LaneLock(work, "index").hold())  # the worker waits until let go

    app = QApplication.instance() or QApplication([sys.argv[0]])
    library = Library.open(work, update_index=False, daily_backup=False)
    window = open_window(library)
    worker = window.background.worker
    while window.jobs.running() or not window.model.rowCount() or not worker.pid():
        app.processEvents()
        time.sleep(0.001)
    window.reading.set_terms(("government", "said"))  # hits marked as after a search
    freeze_startup_objects()  # as `newsreader.ui.app.main` does once the window is up

    drain: dict[str, float] = {}
    progress: list[tuple[float, int, int]] = []

    def on_progress(event: Any) -> None:
        if event is not None and event.stage == "index":
            progress.append((time.perf_counter(), event.done, event.total or 0))

    window.indexing.progress.connect(on_progress)

    def on_indexed(applied: int, _notices: list[str]) -> None:
        if "end" not in drain and applied:
            drain["end"] = time.perf_counter()
            drain["applied"] = applied

    worker.indexed.connect(on_indexed)
    # The window re-lists whenever another connection commits (`ui/library_watch.py`).
    relisted: list[float] = []
    window.watcher.changed.connect(lambda: relisted.append(time.perf_counter()))

    def drained() -> bool:
        return "end" in drain

    # -- idle: the worker is up and waits for the index lane --------------------------------
    say(f"idle ({window.model.rowCount():,} rows, {library.index_pending():,} pending) …")
    tracer = Tracer(window)
    harness = Harness(window, app, tracer)
    idle = Samples()
    harness.opens(Samples(), 20, "warm-up")  # first paints of the pane: fonts, caches
    tracer.slow = []
    harness.where = []
    pressure: dict[str, float] = {}
    mark = (time.perf_counter(), cpu_pressure_us())
    harness.opens(idle, args.idle_opens, "idle")
    harness.scroll(idle, "idle", args.idle_frames, lambda: False)
    pressure["idle"] = _pressure_since(mark)
    idle_slow = tracer.slow
    tracer.slow = []

    # -- during the drain ----------------------------------------------------------------------
    say("during the drain …")
    worker_pid = worker.pid()
    cpu_worker0, cpu_window0 = tree_cpu_s(worker_pid), time.process_time()
    drain["start"] = time.perf_counter()
    gate.close()
    mark = (time.perf_counter(), cpu_pressure_us())
    during = Samples()
    deadline = drain["start"] + args.max_wait
    rounds = 0
    while not drained() and time.perf_counter() < deadline:
        rounds += 1
        harness.opens(during, args.opens, "drain")
        for _ in range(args.searches):
            if not drained():
                harness.search(during)
        harness.scroll(during, "drain", args.frames, drained)
        if args.pause:
            harness.idle_wait(drained, timeout=args.pause)
        done = progress[-1][1] if progress else 0
        say(f"  round {rounds}: {time.perf_counter() - drain['start']:5.0f} s, indexed {done:,}")
    end = drain.get("end", time.perf_counter())
    pressure["drain"] = _pressure_since(mark)
    harness.where = [w for w in harness.where if w.phase != "drain" or w.at <= end]
    cpu_worker = tree_cpu_s(worker_pid) - cpu_worker0
    cpu_window = time.process_time() - cpu_window0
    during = during.within(drain["start"], end)
    during_slow = tracer.slow
    tracer.slow = []
    drain_s = end - drain["start"]

    beside_tidy = Samples()
    if args.after_s and drained():
        say(f"beside the idle merging ({args.after_s:.0f} s) …")
        stop_at = time.perf_counter() + args.after_s
        mark = (time.perf_counter(), cpu_pressure_us())
        while time.perf_counter() < stop_at:
            harness.opens(beside_tidy, args.opens, "tidy")
            harness.scroll(beside_tidy, "tidy", args.frames, lambda: time.perf_counter() >= stop_at)
        pressure["tidy"] = _pressure_since(mark)
    # -- after: the worker stopped, the full index ---------------------------------------------
    window.indexing.stop()
    say("after …")
    after = Samples()
    mark = (time.perf_counter(), cpu_pressure_us())
    harness.opens(after, args.idle_opens, "after")
    for _ in range(max(6, args.searches * 3)):
        harness.search(after)
    harness.scroll(after, "after", args.idle_frames, lambda: False)
    pressure["after"] = _pressure_since(mark)
    load_end = _load()
    pending_end = library.index_pending()
    window.close()
    library.close()
    tracer.close()

    # A drain cut short by --max-wait: what its commits had applied by then.
    applied = int(drain.get("applied", 0)) or max((done for _t, done, _n in progress), default=0)
    say("")
    say(
        f"Library {args.size:,} articles stored, none indexed; the window open over it"
        f" ({rounds} rounds during the drain). Drain: {applied:,} articles in {drain_s:.0f} s"
        f" ({applied / drain_s:,.0f}/s){'' if drained() else ' — NOT FINISHED'};"
        f" {pending_end:,} pending at the end. Load average {load_start} at the start,"
        f" {load_end} at the end."
    )
    say(
        f"CPU over the drain: worker and below {cpu_worker:.0f} s ({cpu_worker / drain_s:.2f}"
        f" cores), the window's process {cpu_window:.0f} s ({cpu_window / drain_s:.2f} cores)."
    )
    relists = sum(drain["start"] <= t <= end for t in relisted)
    say(f"The window re-listed for another process's commit {relists} times during the drain.")
    commits = ", ".join(f"{t - drain['start']:.0f} s: {done:,}" for t, done, _n in progress)
    say(f"The drain's commits (seconds after the lane was let go: articles indexed): {commits}.")
    say("")
    _table(idle, during, after, beside_tidy)
    raw = DATA_DIR / f"indexing-during-{args.size}.json"
    columns = {"idle": idle, "drain": during, "tidy": beside_tidy, "after": after}
    raw.write_text(json.dumps({name: asdict(samples) for name, samples in columns.items()}))
    say(f"(every sample: {raw})")
    _print_trace("idle", _with_slow(tracer, idle_slow))
    _print_trace("during the drain", _with_slow(tracer, during_slow))
    _print_where(harness.where, pressure)
    return 0


def _pressure_since(mark: tuple[float, int]) -> float:
    """The machine's CPU pressure since `mark` (`cpu_pressure_us`): a share of the time."""
    seconds = time.perf_counter() - mark[0]
    return (cpu_pressure_us() - mark[1]) / 1e6 / seconds if seconds > 0 else 0.0


def _print_where(where: Sequence[Where], pressure: dict[str, float]) -> None:
    """Where the UI thread's time went in each phase (`Where`), all samples and slow ones."""
    say("")
    say(
        "Where the UI thread's wall time went in the opens and frames (ms, summed; the"
        " machine's CPU pressure: share of the phase in which some task waited for a core):"
    )
    for phase in dict.fromkeys(w.phase for w in where):
        for label, mine in (
            ("all", [w for w in where if w.phase == phase]),
            ("≥ 25 ms", [w for w in where if w.phase == phase and w.wall >= 25]),
        ):
            if not mine:
                continue
            say(
                f"- {phase}, {label}: {len(mine)} samples, wall {sum(w.wall for w in mine):.0f}:"
                f" on a CPU {sum(w.on_cpu for w in mine):.0f}, waiting for a CPU"
                f" {sum(w.runqueue for w in mine):.0f}, blocked {sum(w.blocked for w in mine):.0f}"
                f" ({sum(w.switches for w in mine)} waits)"
                + (
                    f"; CPU pressure {pressure[phase]:.0%}"
                    if label == "all" and phase in pressure
                    else ""
                )
            )
        worst = sorted((w for w in where if w.phase == phase), key=lambda w: -w.wall)[:4]
        for w in worst:
            say(
                f"  - {w.kind} {w.wall:.1f}: on a CPU {w.on_cpu:.1f}, waiting {w.runqueue:.1f},"
                f" blocked {w.blocked:.1f} ({w.switches} waits)"
            )


def _with_slow(tracer: Tracer, slow: list[dict[str, Any]]) -> Tracer:
    tracer.slow = slow
    tracer.set_ids_ms = []
    return tracer


def _chunks(values: list[float], size: int) -> list[list[float]]:
    """`values` in consecutive runs of `size` (the last, if shorter, only when it is alone)."""
    runs = [values[i : i + size] for i in range(0, len(values), size)] if size else []
    return [r for r in runs if len(r) == size] or runs


def _figures(samples: Samples, opens_per: int, frames_per: int) -> dict[str, float]:
    """The table's figures; the `*_chunk` ones over runs of as many samples as idle took
    (a worst frame of 15,000 is not a worst of 1,500: the median run's is)."""
    opens = [ms for _t, ms in samples.opens]
    frames = [ms for _t, ms in samples.frames]
    searches = [ms for _t, ms in samples.searches]
    nan = float("nan")
    open_runs = [percentile(r, 0.95) for r in _chunks(opens, opens_per)]
    frame_runs = [max(r) for r in _chunks(frames, frames_per)]
    return {
        "open_p95_chunk": statistics.median(open_runs) if open_runs else nan,
        "scroll_max_chunk": statistics.median(frame_runs) if frame_runs else nan,
        "runs_over": sum(m > 50 for m in frame_runs) / len(frame_runs) if frame_runs else nan,
        "open_p50": statistics.median(opens) if opens else nan,
        "open_p95": percentile(opens, 0.95) if opens else nan,
        "open_max": max(opens, default=nan),
        "scroll_max": max(frames, default=nan),
        "scroll_p99": percentile(frames, 0.99) if frames else nan,
        "search_p50": statistics.median(searches) if searches else nan,
        "search_p95": percentile(searches, 0.95) if searches else nan,
    }


def _table(idle: Samples, during: Samples, after: Samples, tidy: Samples) -> None:
    columns = [("idle (before)", idle), ("during the drain", during), ("after", after)]
    if tidy.opens:
        columns.insert(2, ("beside idle merging", tidy))
    figures = [_figures(s, len(idle.opens), len(idle.frames)) for _n, s in columns]
    names = [n for n, _s in columns]
    say("| measure | " + " | ".join(names) + " | during / idle | target |")
    say("|---|" + "---|" * len(names) + "---|---|")
    rows = [
        *WINDOW_ROWS,
        (
            f"article open p95 per {len(idle.opens)} opens, median run (ms)",
            "open_p95_chunk",
            "≤ 30",
        ),
        (
            f"scroll, worst frame per {len(idle.frames)} frames, median run (ms)",
            "scroll_max_chunk",
            "≤ 50",
        ),
        (f"runs of {len(idle.frames)} frames with one over 50 ms (share)", "runs_over", ""),
        ("search until listed, p50 (ms)", "search_p50", ""),
        ("search until listed, p95 (ms)", "search_p95", ""),
    ]
    for name, key, target in rows:
        values = " | ".join(f"{f[key]:.1f}" for f in figures)
        base = figures[0][key] if key.startswith(("open", "scroll", "runs")) else figures[-1][key]
        ratio = figures[1][key] / base if base == base and base else float("nan")
        say(f"| {name} | {values} | {ratio:.2f}× | {target} |")
    counts = " | ".join(
        f"{len(s.opens)} / {len(s.frames)} / {len(s.searches)}" for _n, s in columns
    )
    say(f"| samples: opens / frames / searches | {counts} | | |")
    said = sum(during.incomplete)
    say(
        f"| searches during the drain that said {INCOMPLETE!r} | | {said} of"
        f" {len(during.incomplete)} | | all |"
    )
    say("")
    say("(during / idle: opens and frames against idle before; searches against after.)")


if __name__ == "__main__":
    raise SystemExit(main())
