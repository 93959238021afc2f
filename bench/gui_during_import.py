"""The window while an import is stored and indexed in the background: article open and
scrolling, idle and during the import, side by side in one run.

    python bench/gui_during_import.py --size 5000 --import 5000 [--before REV]

Builds (once) a library of `--size` articles as `bench/gui_bench.py` does, opens the window
over it, measures article open (p50/p95 over random rows, entity and search-hit highlights as
in gui_bench) and a page-by-page scroll of the list while idle; then starts a window import of
`--import` new articles (another seed of the scaled BBC corpus) and measures the same again
while the import job and the background indexer (`IndexFollower`) run (and the entity
recognition the import starts: it is cancelled once every new article is searchable). Each
sample records whether the import and the indexer were running, so the table says what was
measured; the figures during the import are also split by phase (the import storing, or only
indexing and recognising, all three in the worker process since the import moved there).

An open lasts from the click (`select_row`) until the pane shows the article and has painted
it: the pane reads in the background since s8-8open, so the harness waits in an event loop for
the read to land (`until_shown`); code that read on the UI thread shows it at once, so both are
measured alike. Besides random rows it steps with j through runs of 20 rows at a reader's pace
(`STEP_PACE_MS`), where the neighbours read ahead answer. `--freeze` also starts the idle-time
collector where the code has it (`newsreader.ui.app.collect_when_idle`), as the app does;
`--no-idle-gc` leaves it out (with `--before` the same revision, an A/B of the collector).

`--before REV` first runs this benchmark on the code of git revision REV (exported with `git
archive` into a temporary folder, with this script and the same `bench/data`), in a child
process, so that the old code path and the new are measured in one run on the same data; the
table then gives new/old ratios too.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench import corpus  # noqa: E402
from bench.corpus import DATA_DIR  # noqa: E402
from bench.gui_bench import build_library, open_window, percentile, sched_ns  # noqa: E402


def qt_setup() -> None:
    """What `newsreader.ui.app.main` sets up before Qt starts, when the code measured has it
    (here, not imported from gui_bench: `--before` runs this script beside an old gui_bench)."""
    from newsreader.ui import app

    setup = getattr(app, "paint_on_the_ui_thread", None)
    if setup is not None:
        setup()


class Tracer:
    """What the UI thread did around each sample, to explain the slow ones: its own CPU time
    (against the wall time: the rest is waiting, for a core or for the interpreter lock),
    garbage collections, which background jobs of the window ran, and the list's re-reads."""

    def __init__(self, window: Any) -> None:
        self.window = window
        self.gc_ms = 0.0
        self._gc_start = 0.0
        #: Collections of 20 ms or more: (generation, ms, on the UI thread).
        self.long_gcs: list[tuple[int, float, bool]] = []
        self.set_ids_ms: list[float] = []
        self.slow: list[dict[str, Any]] = []
        #: How long each turn of the event loop between samples took (the list re-reads,
        #: worker messages, status updates: a stall there is one the user feels too).
        self.turns_ms: list[float] = []
        self.closed = False
        gc.callbacks.append(self._on_gc)
        model = window.model
        original = model.set_ids

        def timed_set_ids(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                if not self.closed:
                    self.set_ids_ms.append((time.perf_counter() - start) * 1000)

        model.set_ids = timed_set_ids

    def _on_gc(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._gc_start = time.perf_counter()
        else:
            took = (time.perf_counter() - self._gc_start) * 1000
            self.gc_ms += took
            if took >= 20:
                ui = threading.current_thread() is threading.main_thread()
                self.long_gcs.append((info.get("generation", -1), took, ui))

    def begin(self) -> tuple[float, float, float, list[str], tuple[int, int, int]]:
        return time.perf_counter(), time.thread_time(), self.gc_ms, self._jobs(), sched_ns()

    def end(
        self,
        kind: str,
        mark: tuple[float, float, float, list[str], tuple[int, int, int]],
        phase: str,
    ) -> float:
        wall = (time.perf_counter() - mark[0]) * 1000
        if wall >= 25:
            run, wait, _switches = (
                now - then for now, then in zip(sched_ns(), mark[4], strict=True)
            )
            self.slow.append(
                {
                    "kind": kind,
                    "phase": phase,
                    "wall": wall,
                    "cpu": (time.thread_time() - mark[1]) * 1000,
                    # Linux schedstat: the rest of the wall time is neither on a CPU nor
                    # waiting for one, so blocked (I/O, a lock, the interpreter lock).
                    "runqueue": wait / 1e6,
                    "blocked": max(0.0, wall - run / 1e6 - wait / 1e6),
                    "gc": self.gc_ms - mark[2],
                    "jobs": sorted({*mark[3], *self._jobs()}),
                }
            )
        return wall

    def _jobs(self) -> list[str]:
        jobs = getattr(self.window, "jobs", None)
        return [job.kind for job in jobs.running()] if jobs is not None else []

    def turn(self, app: Any) -> None:
        start = time.perf_counter()
        app.processEvents()
        self.turns_ms.append((time.perf_counter() - start) * 1000)

    def close(self) -> None:
        self.closed = True
        gc.callbacks.remove(self._on_gc)


#: The window's figures every window benchmark reports: (label, figure, target).
WINDOW_ROWS: list[tuple[str, str, str]] = [
    ("article open p50 (ms)", "open_p50", ""),
    ("article open p95 (ms)", "open_p95", "≤ 30"),
    ("article open max (ms)", "open_max", ""),
    ("scroll, worst frame (ms)", "scroll_max", "≤ 50"),
    ("scroll, p99 frame (ms)", "scroll_p99", ""),
]


def until_shown(window: Any, app: Any, timeout_s: float = 30.0) -> None:
    """An open lasts from the click until the pane shows the selected article: at once
    where the pane reads on the UI thread (up to a3c6446), when its read lands where it
    reads in the background (s8-8open), the event loop turning meanwhile as the app's does."""
    from PySide6.QtCore import QEventLoop, QTimer

    target = window.listing.current_id
    reading = window.reading
    shown = getattr(reading, "shown", None)
    if reading.article_id == target or shown is None:
        return
    # An event loop, as the app's: it sleeps until the read lands (a loop calling
    # processEvents would spin, and take the CPU and interpreter lock the read needs).
    loop = QEventLoop()
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(loop.quit)

    def landed(article_id: object) -> None:
        if article_id == target:
            loop.quit()

    shown.connect(landed)
    timer.start(round(timeout_s * 1000))
    loop.exec()
    timer.stop()
    shown.disconnect(landed)


def pause(app: Any, ms: int) -> None:
    """`ms` of the event loop running with nothing asked of it (a reader between keys)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


#: Steps with j (the next row) per run of steps, from a random row.
STEP_RUN = 20
#: A reader stepping with j: a key every this many milliseconds (a held key repeats at ~30/s).
STEP_PACE_MS = 40


def _measure(
    window: Any, app: Any, opens: int, seed: int, tracer: Tracer | None = None
) -> dict[str, Any]:
    rng = random.Random(seed)
    tracer = tracer or Tracer(window)
    samples: list[float] = []
    busy: list[bool] = []
    phases: dict[str, list[float]] = {}
    for _ in range(opens):
        row = rng.randrange(window.model.rowCount())
        mark = tracer.begin()
        window.listing.select_row(row)
        until_shown(window, app)
        window.reader.viewport().repaint()
        samples.append(tracer.end("open", mark, _phase(window)))
        busy.append(window.indexing.running() or window.import_job is not None)
        phases.setdefault(f"open {_phase(window)}", []).append(samples[-1])
        tracer.turn(app)
        time.sleep(0.005)  # a reader's pace, and time for queued results to arrive
    # Stepping with j: runs of STEP_RUN opens of the next row, from random rows.
    steps: list[float] = []
    for _ in range(max(1, opens // (3 * STEP_RUN))):
        window.listing.select_row(rng.randrange(max(1, window.model.rowCount() - STEP_RUN)))
        until_shown(window, app)
        pause(app, STEP_PACE_MS)
        for _ in range(STEP_RUN):
            mark = tracer.begin()
            window.next_article()
            until_shown(window, app)
            window.reader.viewport().repaint()
            steps.append(tracer.end("step", mark, _phase(window)))
            phases.setdefault(f"step {_phase(window)}", []).append(steps[-1])
            pause(app, STEP_PACE_MS)
    table = window.table
    bar = table.verticalScrollBar()
    bar.setValue(0)
    app.processEvents()
    frames: list[float] = []
    while bar.value() < bar.maximum():
        mark = tracer.begin()
        bar.setValue(bar.value() + bar.pageStep())
        table.viewport().repaint()
        frames.append(tracer.end("frame", mark, _phase(window)))
        busy.append(window.indexing.running() or window.import_job is not None)
        phases.setdefault(f"scroll {_phase(window)}", []).append(frames[-1])
        tracer.turn(app)
    return {
        "open_p50": statistics.median(samples),
        "open_p95": percentile(samples, 0.95),
        "open_max": max(samples),
        "step_p50": statistics.median(steps),
        "step_p95": percentile(steps, 0.95),
        "step_max": max(steps),
        "scroll_max": max(frames),
        "scroll_p99": percentile(frames, 0.99),
        "frames": len(frames),
        "busy_share": sum(busy) / len(busy),
        "phases": phases,
        "turn_max": max(tracer.turns_ms),
        "turn_p99": percentile(tracer.turns_ms, 0.99),
    }


def _phase(window: Any) -> str:
    """What ran beside the sample: the import (a thread of the window's process up to a722e55,
    the worker process since), else background indexing or recognition (a thread before issue
    8's worker process, the worker since)."""
    if window.import_job is not None:
        return "import"
    background = window.indexing.running() or getattr(window.background, "busy", False)
    return "background" if background else "idle"


ROW = re.compile(r"^\| (?P<name>[^|]+?) \| (?P<idle>[\d.]+) \| (?P<during>[\d.]+) \|")


def _before(revision: str, argv: Sequence[str]) -> dict[str, tuple[float, float]]:
    """Run this benchmark as it was at `revision` on the same data; its table's figures."""
    with tempfile.TemporaryDirectory(prefix="nr-before-") as tmp:
        # The same harness measures both: this script, run on the old code.
        old = corpus.checkout_at(revision, Path(tmp) / "checkout", Path(__file__))
        env = {**os.environ, "PYTHONPATH": str(old)}
        print(f"before: {revision} …", flush=True)
        done = subprocess.run(
            [sys.executable, str(old / "bench" / "gui_during_import.py"), *argv],
            cwd=old,
            env=env,
            capture_output=True,
            text=True,
        )
    print(done.stdout, flush=True)
    if done.returncode:
        sys.exit(f"the benchmark at {revision} failed:\n{done.stderr[-3000:]}")
    figures: dict[str, tuple[float, float]] = {}
    for line in done.stdout.splitlines():
        match = ROW.match(line)
        if match:
            figures[match["name"]] = (float(match["idle"]), float(match["during"]))
    return figures


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=5000)
    parser.add_argument("--import", dest="imported", type=int, default=5000)
    parser.add_argument("--opens", type=int, default=150)
    parser.add_argument("--before", metavar="REV", help="also measure git revision REV, first")
    parser.add_argument(
        "--max-wait",
        type=float,
        default=None,
        metavar="S",
        help="stop waiting for every new article to be searchable after S seconds (a 100k"
        " import: the table is what matters; what was still pending is reported)",
    )
    parser.add_argument(
        "--freeze",
        action="store_true",
        help="gc.freeze() once the window is up, as the app does (newsreader.ui.app.main)",
    )
    parser.add_argument(
        "--no-idle-gc",
        action="store_true",
        help="with --freeze, leave full collections to CPython (no idle-time collector)",
    )
    args = parser.parse_args(argv)
    before: dict[str, tuple[float, float]] = {}
    if args.before:
        old_args = ["--size", str(args.size), "--import", str(args.imported)]
        old_args += ["--freeze"] if args.freeze else []
        old_args += [] if args.max_wait is None else ["--max-wait", str(args.max_wait)]
        before = _before(args.before, [*old_args, "--opens", str(args.opens)])

    from PySide6.QtWidgets import QApplication

    from newsreader.core.library import Library

    qt_setup()  # after the old revision's run: its child process must not inherit it
    folder = DATA_DIR / f"gui-{args.size}"
    build_library(folder, args.size)
    incoming = corpus.ensure_jsonl(args.imported, seed=corpus.SEED + 1)
    work = DATA_DIR / f"gui-during-{args.size}"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(folder, work)  # every run imports into the same starting library
    os.environ["NEWSREADER_HOME"] = str(DATA_DIR / "gui-home")
    app = QApplication.instance() or QApplication([sys.argv[0]])
    library = Library.open(work, update_index=False)
    window = open_window(library)
    while window.jobs.running() or not window.model.rowCount():
        app.processEvents()
        time.sleep(0.001)
    window.reading.set_terms(("government", "said"))  # hits marked as after a search
    print("idle …", flush=True)
    if args.freeze:
        from newsreader.ui.app import freeze_startup_objects

        freeze_startup_objects()  # as `newsreader.ui.app.main` does once the window is up
        from newsreader.ui import app as app_module

        idle_gc = getattr(app_module, "collect_when_idle", None)
        if idle_gc is not None and not args.no_idle_gc:
            idle_gc(window)  # full collections at still moments, as the app has since s8
            print("full collections: at idle moments (ui/idle_gc.py)", flush=True)
    idle_tracer = Tracer(window)
    idle = _measure(window, app, args.opens, 7, idle_tracer)
    idle_tracer.close()
    during_tracer = Tracer(window)
    print("during import …", flush=True)
    started = time.perf_counter()
    window.start_import([incoming])
    while window.import_job is None:
        app.processEvents()
    during = _measure(window, app, args.opens, 8, during_tracer)
    during_tracer.close()
    measured_s = time.perf_counter() - started

    # Until every new article is searchable (the import done, the outbox empty); recognition
    # (which the import starts) is the entities benchmark's business, so it is cancelled
    # rather than waited for (closing the window stops the worker).
    def still_going() -> bool:
        return bool(window.import_job or library.index_pending())

    deadline = None if args.max_wait is None else started + args.max_wait
    while still_going() and (deadline is None or time.perf_counter() < deadline):
        app.processEvents()
        time.sleep(0.01)
    pending_at_end = library.index_pending()
    total_s = time.perf_counter() - started
    window.jobs.cancel_all()
    window.jobs.wait()
    searchable = library.index_pending() == 0 and library.count() == args.size + args.imported
    window.close()
    library.close()

    print()
    print(
        f"Library {args.size:,} articles; import of {args.imported:,} more through the window;"
        f" measured for the first {measured_s:.0f} s of the {total_s:.0f} s until every new"
        f" article was searchable ({'yes' if searchable else 'NO'})."
        + ("" if searchable else f" {pending_at_end:,} articles were still pending in the outbox.")
    )
    fills = "the UI thread" if os.environ.get("QT_NO_GUI_THREADPOOL") else "Qt's thread pool"
    print(f"Qt's software painter filled on {fills}.")
    print()
    print(
        "| measure | idle | during import | ratio | target |"
        + (" before: idle | during | after/before during |" if before else "")
    )
    print("|---|---|---|---|---|" + ("---|---|---|" if before else ""))
    rows = [
        *WINDOW_ROWS,
        ("step with j, open p50 (ms)", "step_p50", ""),
        ("step with j, open p95 (ms)", "step_p95", ""),
        ("step with j, open max (ms)", "step_max", ""),
        ("event loop between samples, longest turn (ms)", "turn_max", ""),
        ("event loop between samples, p99 turn (ms)", "turn_p99", ""),
    ]
    for name, key, target in rows:
        ratio = during[key] / idle[key] if idle[key] else float("nan")
        line = f"| {name} | {idle[key]:.1f} | {during[key]:.1f} | {ratio:.1f}× | {target} |"
        if name in before:
            old_idle, old_during = before[name]
            line += f" {old_idle:.1f} | {old_during:.1f} | {during[key] / old_during:.2f}× |"
        print(line)
    print(
        f"| samples taken while the import or indexer ran | {idle['busy_share']:.0%} |"
        f" {during['busy_share']:.0%} | | |"
    )
    print()
    print("During the import, by what ran beside the window (samples, p95, max in ms):")
    for phase, values in sorted(during["phases"].items()):
        print(
            f"- {phase}: {len(values)} samples, p95 {percentile(values, 0.95):.1f},"
            f" max {max(values):.1f}"
        )
    for name, tracer in (("idle", idle_tracer), ("during the import", during_tracer)):
        _print_trace(name, tracer)
    return 0


def _print_trace(name: str, tracer: Tracer) -> None:
    """The slow samples (≥ 25 ms) and what ran beside them; the list's re-reads."""
    slow = sorted(tracer.slow, key=lambda s: -s["wall"])
    print()
    print(f"Slow samples {name} (≥ 25 ms): {len(slow)}; the worst:")
    for sample in slow[:12]:
        print(
            f"- {sample['kind']} {sample['wall']:.1f} ms: UI-thread CPU {sample['cpu']:.1f},"
            f" waiting for a CPU {sample.get('runqueue', 0.0):.1f},"
            f" blocked {sample.get('blocked', 0.0):.1f},"
            f" GC {sample['gc']:.1f}, phase {sample['phase']}, jobs {sample['jobs'] or '-'}"
        )
    if tracer.long_gcs:
        listed = ", ".join(
            f"gen {gen} {ms:.1f} ms{'' if ui else ' (another thread)'}"
            for gen, ms, ui in tracer.long_gcs
        )
        print(f"Garbage collections of 20 ms or more {name}: {len(tracer.long_gcs)}: {listed}")
    if tracer.set_ids_ms:
        calls = tracer.set_ids_ms
        print(
            f"List re-reads applied (model.set_ids) {name}: {len(calls)}, p50"
            f" {statistics.median(calls):.1f} ms, max {max(calls):.1f} ms (UI thread)"
        )


if __name__ == "__main__":
    raise SystemExit(main())
