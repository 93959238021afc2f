"""The window's UI thread while an import stores: what it reads, and how its frames paint.

    python bench/ui_thread_reads.py --size 5000 --import 20000 [--before REV]

Opens the real window (as `bench/gui_during_import.py` does) over a copy of
`bench/data/gui-<size>`, starts a window import of `--import` articles (the scaled BBC corpus,
another seed), and while the import stores, scrolls the list a page at a time (down to the end,
then up to the top, over and over, each frame repainted), and every few seconds types a search
and leaves it with Esc. It never opens an article: the reading pane's open (still a read on
the UI thread until it moves, `ui/reading.py`) has its own benchmark, and a view switch would
open one. Counted over the import, for the UI thread alone (the main thread's
`/proc/self/task/TID/io` and schedstat):

- read system calls (`syscr`; every `pread64` of library.sqlite3 is one, so are the few reads
  of the worker's pipe) and bytes read (`rchar`);
- the time it was blocked (neither on a CPU nor waiting for one: I/O, a lock);
- frames: worst and p99 paint time; the worst turn of the event loop between frames (where
  rows that landed are applied); rows painted before their page had landed (`blank`: never
  read, painted empty; `kept`: painted as last read), for the code that reads rows off the UI
  thread.

The process id is printed first, so that `strace -e trace=pread64 -p PID` can count the
preads of its main thread. `--before REV` first runs this script on revision REV's code (a
`git archive` in a temporary folder, the same `bench/data`), so the two are measured in one
run; the table gives new/old ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
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

SEARCHES = ("government", "minister said", "football", "police")


def thread_io() -> dict[str, int]:
    """The main thread's I/O counters (its task id is the process id)."""
    text = Path(f"/proc/self/task/{os.getpid()}/io").read_text()
    return {k: int(v) for k, v in (line.split(": ") for line in text.splitlines())}


def measure(size: int, imported: int, max_s: float) -> dict[str, Any]:
    from PySide6.QtWidgets import QApplication

    from newsreader.core.library import Library

    folder = DATA_DIR / f"gui-{size}"
    build_library(folder, size)
    incoming = corpus.ensure_jsonl(imported, seed=corpus.SEED + 1)
    work = DATA_DIR / f"ui-reads-{size}"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(folder, work)
    os.environ["NEWSREADER_HOME"] = str(DATA_DIR / "gui-home")
    app = QApplication.instance() or QApplication([sys.argv[0]])
    library = Library.open(work, update_index=False)
    window = open_window(library)
    while window.jobs.running() or not window.model.rowCount():
        app.processEvents()
        time.sleep(0.001)
    model, table = window.model, window.table
    bar = table.verticalScrollBar()
    loaded = getattr(model, "is_loaded", None)
    frames: list[float] = []
    turns: list[float] = []
    blank = kept = painted = 0
    searches = 0
    slept = 0.0
    #: The slowest frames: (wall, on a CPU, waiting for a CPU, blocked), in ms.
    slow: list[tuple[float, float, float, float]] = []

    def pause(seconds: float) -> None:
        nonlocal slept
        mark = time.perf_counter()
        time.sleep(seconds)
        slept += time.perf_counter() - mark

    print(f"pid {os.getpid()}: during import …", flush=True)
    io0, sched0 = thread_io(), sched_ns()
    started, epoch0 = time.perf_counter(), time.time()
    window.start_import([incoming])
    while window.import_job is None:
        app.processEvents()
    step = 1
    next_search = started + 3.0
    while window.import_job is not None and time.perf_counter() - started < max_s:
        if time.perf_counter() >= next_search:
            window.search_bar.set_query(SEARCHES[searches % len(SEARCHES)], immediate=True)
            searches += 1
            for _ in range(20):
                app.processEvents()
                pause(0.01)
            window.clear_search()
            next_search = time.perf_counter() + 3.0
        value = bar.value() + step * bar.pageStep()
        if value >= bar.maximum() or value <= 0:
            step = -step
        mark, before_frame = time.perf_counter(), sched_ns()
        bar.setValue(max(0, min(bar.maximum(), value)))
        table.viewport().repaint()
        frames.append((time.perf_counter() - mark) * 1000)
        if frames[-1] >= 25:
            now = sched_ns()
            run, wait = now[0] - before_frame[0], now[1] - before_frame[1]
            split = (frames[-1], run / 1e6, wait / 1e6, frames[-1] - run / 1e6 - wait / 1e6)
            slow = sorted([*slow, split], reverse=True)[:5]
        top = table.rowAt(0)
        bottom = table.rowAt(table.viewport().height() - 1)
        bottom = model.rowCount() - 1 if bottom < 0 else bottom
        for row in range(max(top, 0), bottom + 1):
            painted += 1
            if loaded is not None and not loaded(row):
                if model.row(row) is None:
                    blank += 1
                else:
                    kept += 1
        mark = time.perf_counter()
        app.processEvents()
        turns.append((time.perf_counter() - mark) * 1000)
        pause(0.004)  # a scroll's pace: about 60 frames a second with the paint
    seconds = time.perf_counter() - started
    io1, sched1 = thread_io(), sched_ns()
    wall_ms = seconds * 1000
    on_cpu, waiting = (sched1[0] - sched0[0]) / 1e6, (sched1[1] - sched0[1]) / 1e6
    result = {
        "pid": os.getpid(),
        "epoch": [epoch0, time.time()],  # to cut a `strace -ttt` of the main thread
        "seconds": seconds,
        "import_done": window.import_job is None,
        "syscr": io1["syscr"] - io0["syscr"],
        "rchar_mb": (io1["rchar"] - io0["rchar"]) / 1e6,
        "read_bytes_mb": (io1["read_bytes"] - io0["read_bytes"]) / 1e6,
        # Neither on a CPU nor waiting for one (I/O, a lock, the interpreter lock), outside
        # this script's own pauses between frames.
        "blocked_s": max(0.0, wall_ms - on_cpu - waiting) / 1000 - slept,
        "waiting_s": waiting / 1000,
        "slowest": slow,
        "frames": len(frames),
        "frame_max": max(frames),
        "frame_p99": percentile(frames, 0.99),
        "frame_p50": statistics.median(frames),
        "turn_max": max(turns),
        "turn_p99": percentile(turns, 0.99),
        "painted": painted,
        "blank": blank,
        "kept": kept,
        "searches": searches,
    }
    window.jobs.cancel_all()
    window.jobs.wait()
    window.close()
    library.close()
    return result


def before(revision: str, argv: Sequence[str]) -> dict[str, Any]:
    """This script, run on revision REV's code over the same data; its result."""
    with tempfile.TemporaryDirectory(prefix="nr-before-") as tmp:
        old = corpus.checkout_at(revision, Path(tmp) / "checkout", Path(__file__))
        print(f"before: {revision} …", flush=True)
        done = subprocess.run(
            [sys.executable, str(old / "bench" / "ui_thread_reads.py"), *argv, "--json"],
            cwd=old,
            env={**os.environ, "PYTHONPATH": str(old)},
            stdout=subprocess.PIPE,
            text=True,
        )
    if done.returncode:
        sys.exit(f"the run at {revision} failed")
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT "))
    return dict(json.loads(line[len("RESULT ") :]))


ROWS = (
    ("read system calls on the UI thread", "syscr", "{:,.0f}"),
    ("bytes read by the UI thread (MB)", "rchar_mb", "{:.1f}"),
    ("UI thread blocked, outside the pauses between frames (s)", "blocked_s", "{:.2f}"),
    ("UI thread waiting for a CPU (s)", "waiting_s", "{:.2f}"),
    ("frames", "frames", "{:,.0f}"),
    ("frame, worst (ms)", "frame_max", "{:.1f}"),
    ("frame, p99 (ms)", "frame_p99", "{:.1f}"),
    ("frame, p50 (ms)", "frame_p50", "{:.1f}"),
    ("event-loop turn between frames, worst (ms)", "turn_max", "{:.1f}"),
    ("event-loop turn, p99 (ms)", "turn_p99", "{:.1f}"),
    ("rows painted", "painted", "{:,.0f}"),
    ("… before their page landed: blank", "blank", "{:,.0f}"),
    ("… before their page landed: as last read", "kept", "{:,.0f}"),
    ("searches typed", "searches", "{:,.0f}"),
    ("seconds measured", "seconds", "{:.0f}"),
)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=5000)
    parser.add_argument("--import", dest="imported", type=int, default=20_000)
    parser.add_argument("--max-s", type=float, default=300.0, help="stop measuring after S s")
    parser.add_argument("--before", metavar="REV")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    common = ["--size", str(args.size), "--import", str(args.imported), "--max-s", str(args.max_s)]
    old = before(args.before, common) if args.before else None
    new = measure(args.size, args.imported, args.max_s)
    if args.json:
        print("RESULT " + json.dumps(new), flush=True)
        return 0
    load = os.getloadavg()
    for name, found in (("before", old), ("this code", new)):
        if found:
            print(f"{name}: pid {found['pid']}, import measured {found['epoch']}")
    for name, found in (("before", old), ("this code", new)):
        if found:
            frames = "; ".join(
                "{:.0f} = {:.0f} CPU + {:.0f} run queue + {:.0f} blocked".format(*f)
                for f in found["slowest"]
            )
            print(f"{name}: slowest frames (ms): {frames}")
    print(f"\nLibrary {args.size:,} + an import of {args.imported:,}; load {load[0]:.2f}")
    header = "| measure | " + (f"{args.before} | " if old else "") + "this code |"
    print(header + (" ratio |" if old else ""))
    print("|---" * (header.count("|") - (0 if old else 1)) + "|")
    for label, key, fmt in ROWS:
        cells = [fmt.format(old[key])] if old else []
        cells.append(fmt.format(new[key]))
        if old:
            cells.append(f"{new[key] / old[key]:.2f}" if old[key] else "–")
        print(f"| {label} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
