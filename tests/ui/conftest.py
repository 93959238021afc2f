"""Fixtures for the window tests: a main window over the sample library, and job waiting."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.exceptions import TimeoutError as WaitTimeout
from pytestqt.qtbot import QtBot

from newsreader.core.library import Library
from newsreader.ui.article_model import MAX_PAGES, PAGE_SIZE
from newsreader.ui.main_window import MainWindow
from newsreader.ui.settings import Settings
from newsreader.ui.worker_process import WorkerProcess

#: The rows `ArticleTableModel` keeps read at once: `wait_idle` waits for these to land.
ROWS_KEPT = MAX_PAGES * PAGE_SIZE

#: How long a first run's worker may take to finish (milliseconds; see `open_window`).
FIRST_RUN_WAIT_MS = 60_000


#: However long a wait may go on while the worker keeps working (milliseconds): work that
#: never ends (a loop) fails the test here rather than holding the suite for good.
WORKING_WAIT_CAP_MS = 600_000
#: The CPU time (seconds) the worker must use in one `wait_idle` window to count as working:
#: an idle worker uses none (it blocks on its standard input).
WORKING_CPU_S = 0.05


def worker_cpu(worker: WorkerProcess) -> tuple[int, float]:
    """A worker process's id and the CPU time it has used (seconds); (0, 0.0) when none runs,
    (pid, 0.0) where the system cannot tell (no /proc)."""
    pid = worker.pid()
    if not pid:
        return 0, 0.0
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return pid, 0.0
    fields = stat.rsplit(")", 1)[1].split()  # after the command name, from field 3 (state)
    ticks = sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
    return pid, ticks / os.sysconf("SC_CLK_TCK")


def wait_working(
    qtbot: QtBot, done: Callable[[], bool], worker: WorkerProcess, timeout: int = 20_000
) -> None:
    """Wait until `done()` while `worker` works: fail after `timeout` milliseconds in which
    the worker process used no CPU (it sits idle, or none runs), or after
    `WORKING_WAIT_CAP_MS` in all.

    The worker runs at niceness 19 (`newsreader.core.worker.lower_priority`), so on a busy
    machine it gets a few percent of a core: recognising five articles (spaCy and the
    gazetteer loaded from nothing, 7 s of CPU) took 160 s beside two busy processes, with
    nothing hung. A wait by the clock alone fails there; this one fails when the worker
    stopped working while the test still waits (a lost reply, a hang).
    """
    started = time.monotonic()
    seen = worker_cpu(worker)
    while True:
        try:
            qtbot.waitUntil(done, timeout=timeout)
            return
        except WaitTimeout:
            now = worker_cpu(worker)
            working = now[0] != seen[0] or now[1] - seen[1] >= WORKING_CPU_S
            if not working or (time.monotonic() - started) * 1000 > WORKING_WAIT_CAP_MS:
                raise
            seen = now


def wait_idle(qtbot: QtBot, window: MainWindow, timeout: int = 20_000) -> None:
    """Wait until every background job has delivered its result to the UI thread, the
    worker process has done what it was asked (indexing, recognition), and every row of the
    list has been read.

    `timeout` is how long the window may wait while nothing happens: the wait goes on for as
    long as the worker keeps using CPU (`wait_working`), however slowly a loaded machine
    lets it go."""

    def idle() -> bool:
        return (
            not window.jobs.running()
            and not window.indexing.running()
            and not window.article_actions.flags.busy
            and not window.reading.busy  # the pane's reads (the open, the read ahead)
            # The list reads its rows off the UI thread: a test reads them once landed (as
            # many as the model keeps at once).
            and window.model.ensure_rows(0, min(window.model.rowCount(), ROWS_KEPT) - 1)
        )

    wait_working(qtbot, idle, window.indexing.worker, timeout)


def open_window(
    qtbot: QtBot, library: Library, *, seed_sample: bool = False, resize: bool = True
) -> MainWindow:
    """A shown main window with its startup jobs done (`resize=False` keeps saved geometry).

    A first run (`seed_sample`) waits longer: its worker process starts from nothing, stores
    and indexes the sample, then loads the language model and the gazetteer to recognise it
    (about 10 s on an idle machine, twice that when the machine is busy)."""
    window = MainWindow(library, Settings(), seed_sample=seed_sample)
    qtbot.addWidget(window)
    if resize:
        window.resize(1200, 800)
    window.show()
    qtbot.waitExposed(window)
    wait_idle(qtbot, window, timeout=FIRST_RUN_WAIT_MS if seed_sample else 20_000)
    return window


@pytest.fixture(autouse=True)
def system_theme_after() -> Iterator[None]:
    """A test that switches View → Theme leaves the next one the desktop's palette."""
    yield
    from PySide6.QtWidgets import QApplication

    from newsreader.ui import theme

    app = QApplication.instance()
    if theme._system_palette is not None and isinstance(app, QApplication):
        theme.apply_theme(app, "system")


@pytest.fixture
def window(qtbot: QtBot, sample_library: Library) -> Iterator[MainWindow]:
    """The main window over the five sample articles, with every startup job finished."""
    win = open_window(qtbot, sample_library)
    yield win
    win.close()
