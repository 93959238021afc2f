"""A new user's first start: how long until the window lists the bundled sample.

    python -m bench.gui_first_run [--rounds 5] [--before REV]

Each round starts a fresh process on a new, empty library (its own NEWSREADER_HOME and
settings folder) that runs `newsreader.ui.app.main` as `newsreader` does, and reports, from
the moment the process was started: the window shown (the event loop's first turn with it
visible), the first article of the sample listed (and the list painted), and the article
open in the reading pane. `--before REV` runs the same child on the code of git
revision REV (exported with `git archive`), alternating with the current code round by round,
so that both are measured in one run on the same machine; the table gives after/before ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
MEASURES = (
    ("window shown", "shown"),
    ("first article listed", "listed"),
    ("article open in the pane", "opened"),
)


def child(started: float) -> int:
    """One first start (run in a fresh process by `main`): `newsreader.ui.app.main` itself,
    watched by a timer that notes when the window shows, lists and opens; prints JSON."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication([sys.argv[0]])  # `main` uses the application that exists
    times: dict[str, float] = {}
    rows = 0

    def poll() -> None:
        nonlocal rows
        windows = [
            w for w in app.topLevelWidgets() if type(w).__name__ == "MainWindow" and w.isVisible()
        ]
        if not windows:
            return
        window: Any = windows[0]
        times.setdefault("shown", time.monotonic() - started)
        if "listed" not in times and window.model.rowCount():
            window.table.viewport().repaint()
            times["listed"] = time.monotonic() - started
        if "listed" in times and window.reading.article is not None:
            window.reader.viewport().repaint()
            times["opened"] = time.monotonic() - started
            rows = window.model.rowCount()
            app.quit()

    timer = QTimer()
    timer.timeout.connect(poll)
    timer.start(1)
    QTimer.singleShot(60_000, app.quit)
    from newsreader.ui.app import main as window_main

    window_main([])
    print(json.dumps({**times, "rows": rows}))
    return 0


def _checkout(revision: str, into: Path) -> Path:
    """The code of `revision` in `into`, with this script beside it."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", revision], check=True, capture_output=True
    )
    into.mkdir()
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    (into / "bench" / "gui_first_run.py").write_bytes(Path(__file__).read_bytes())
    return into


def _round(code: Path, scratch: Path) -> dict[str, Any]:
    home = Path(tempfile.mkdtemp(prefix="first-", dir=scratch))
    env = {
        **os.environ,
        "PYTHONPATH": str(code),
        "NEWSREADER_HOME": str(home / "library"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "QT_QPA_PLATFORM": "offscreen",
    }
    script = code / "bench" / "gui_first_run.py"
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, str(script), "--child", repr(started)],
        cwd=code,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode:
        sys.exit(f"a first start failed ({code}):\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--before", metavar="REV", help="also measure git revision REV")
    parser.add_argument("--child", metavar="STARTED", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        return child(float(args.child))
    with tempfile.TemporaryDirectory(prefix="nr-first-run-") as tmp:
        scratch = Path(tmp)
        codes = {"after": ROOT}
        if args.before:
            codes = {"before": _checkout(args.before, scratch / "before"), **codes}
        results: dict[str, list[dict[str, Any]]] = {name: [] for name in codes}
        for _ in range(args.rounds):
            for name, code in codes.items():
                results[name].append(_round(code, scratch))
    print(f"First start on a new library, {args.rounds} rounds (seconds from process start):")
    print()
    header = "| measure |" + "".join(f" {name}: median / max |" for name in codes)
    print(header + (" after/before, median |" if args.before else ""))
    print("|---|" + "---|" * len(codes) + ("---|" if args.before else ""))
    for label, key in MEASURES:
        line = f"| {label} |"
        medians = {}
        for name in codes:
            values = [r[key] for r in results[name] if key in r]
            if not values:
                line += " — |"
                continue
            medians[name] = statistics.median(values)
            line += f" {medians[name]:.2f} / {max(values):.2f} |"
        if args.before and "before" in medians and "after" in medians:
            line += f" {medians['after'] / medians['before']:.2f}× |"
        print(line)
    rows = {name: sorted({r["rows"] for r in results[name]}) for name in codes}
    print()
    print(f"Rows listed at the end: {rows}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
