"""Start the window: `newsreader`, `newsreader gui`, `newsreader-gui`, `python -m newsreader`.

`--screenshot FILE` renders the window on the library to a PNG and exits (offscreen when no
display is set), which is how the README screenshot is made and how CI checks the window opens.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from newsreader.core import paths

if TYPE_CHECKING:
    from newsreader.ui.idle_gc import IdleCollector


def _parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="newsreader-gui", description="The Newsreader window.")
    parser.add_argument(
        "--library", metavar="DIR", help="library folder (default: your data folder)"
    )
    parser.add_argument(
        "--screenshot", metavar="FILE", help="render the window to a PNG file and exit"
    )
    parser.add_argument("--search", metavar="QUERY", help="open with this search")
    parser.add_argument(
        "--size", default="1360x860", help="window size for --screenshot (default: 1360x860)"
    )
    return parser.parse_args(list(argv))


def freeze_startup_objects() -> None:
    """Move everything alive after start-up out of the garbage collector's reach.

    The modules, widgets and caches made at start-up live as long as the app. Left in the
    collector's generations, every full collection walks all of them again, which showed as
    60-80 ms pauses while scrolling a 100k-article list (bench/gui_bench.py); frozen, the
    collector only looks at what was made since.
    """
    gc.freeze()


def collect_when_idle(window: object) -> IdleCollector:
    """Full garbage collections wait for the reader's still moments (`ui/idle_gc.py`): the
    window's opens and scroll frames then never carry one (they cost up to 49 ms on the UI
    thread during a 100k import, bench/README.md). Returns the collector (the window owns it)."""
    from newsreader.ui.idle_gc import IdleCollector
    from newsreader.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    return IdleCollector(window.activity, window)


def paint_on_the_ui_thread() -> None:
    """Have Qt's software painter fill on the UI thread instead of handing fills to its pool.

    Qt's raster engine splits every fill taller than ~96 lines (the reading pane's and the
    list's backgrounds, the scrollbars' grooves) into pieces for a pool of threads, then
    waits for all of them: on a 2-core machine busy with an import, the window then waits
    for a core each time, and the hand-off costs more than such fills (an article open's
    repaint took 13.3 ms at the median with the pool, 10.9 ms without, bench/README.md).
    Must run before the first paint (Qt reads the switch once); a user's own setting of
    `QT_NO_GUI_THREADPOOL` is left as it is.
    """
    os.environ.setdefault("QT_NO_GUI_THREADPOOL", "1")


def main(argv: Sequence[str] | None = None) -> int:
    """Open the main window on the library; return the process exit code."""
    args = _parse(sys.argv[1:] if argv is None else argv)
    if args.screenshot and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    paint_on_the_ui_thread()
    # Qt is imported here, not at module level, so `newsreader --help` never pays for it.
    from PySide6.QtCore import QCoreApplication, QTimer
    from PySide6.QtWidgets import QApplication

    from newsreader.core.library import Library
    from newsreader.core.storage import StorageError
    from newsreader.ui import icons, library_health
    from newsreader.ui.settings import Settings
    from newsreader.ui.worker_process import WorkerProcess

    QCoreApplication.setApplicationName("Newsreader")
    QCoreApplication.setOrganizationName("Newsreader")
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0]])
    app.setDesktopFileName(paths.APP_ID)
    app.setWindowIcon(icons.app_icon())

    try:
        # Neither the index nor the backup is seen to here: the window's IndexFollower brings
        # the index in line (rebuilding it if need be) in the background once the window
        # shows, and `check_in_background` takes the day's backup after its full check.
        library = Library.open(args.library, daily_backup=False, update_index=False)
    except (StorageError, OSError) as exc:
        library_health.report_open_failure(exc, args.library, headless=bool(args.screenshot))
        return 1

    # A new user: the worker process that stores the sample starts now, so that its own
    # start-up (a Python interpreter importing the core) runs beside the window's, and the
    # sample is listed about when the window first paints (bench/gui_first_run.py).
    worker = None
    if library.needs_sample():
        worker = WorkerProcess(library.directory)
        worker.first_run()
    from newsreader.ui.main_window import MainWindow

    window = MainWindow(library, Settings(), worker=worker)
    library_health.check_in_background(window.jobs, library, window)
    if args.search:
        window.search_bar.set_query(args.search, immediate=True)
    try:
        if args.screenshot:
            return _screenshot(app, window, Path(args.screenshot), args.size)
        window.show()
        QTimer.singleShot(0, freeze_startup_objects)
        collector = collect_when_idle(window)
        try:
            return app.exec()
        finally:
            collector.stop()  # CPython's own threshold back
    finally:
        window.jobs.cancel_all()
        window.indexing.stop()  # the background worker process (idempotent after a close)
        window.jobs.wait()
        library.close()


def _busy(window: object) -> bool:
    """Whether the window's jobs or its worker process (indexing, recognition) still run, or
    read marks wait to be stored (the counts shown follow them)."""
    from newsreader.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    return (
        bool(window.jobs.running())
        or window.indexing.running()
        or window.background.busy
        or window.article_actions.flags.busy
    )


def _screenshot(app: object, window: object, target: Path, size: str) -> int:
    """Let background jobs settle (sample import, entities), open an article, save a PNG."""
    from PySide6.QtWidgets import QApplication

    from newsreader.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    width, _, height = size.partition("x")
    window.resize(int(width), int(height))
    window.show()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        QApplication.processEvents()
        if not _busy(window):
            QApplication.processEvents()
            if not _busy(window):
                break
        time.sleep(0.02)
    if window.model.rowCount() and window.current_article is None:
        window.next_article()
    opened_by = time.monotonic() + 10  # the pane reads off the UI thread: until it lands
    while window.reading.busy and time.monotonic() < opened_by:
        QApplication.processEvents()
        time.sleep(0.01)
    window.table.setFocus()
    for _ in range(5):
        QApplication.processEvents()
    target.parent.mkdir(parents=True, exist_ok=True)
    ok = window.grab().save(str(target), "PNG")
    if not ok:
        print(f"newsreader: could not write {target}", file=sys.stderr)
        return 1
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
