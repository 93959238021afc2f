"""Fixtures for the window tests: a main window over the sample library, and job waiting."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from newsreader.core.library import Library
from newsreader.ui.article_model import MAX_PAGES, PAGE_SIZE
from newsreader.ui.main_window import MainWindow
from newsreader.ui.settings import Settings

#: The rows `ArticleTableModel` keeps read at once: `wait_idle` waits for these to land.
ROWS_KEPT = MAX_PAGES * PAGE_SIZE

#: How long a first run's worker may take to finish (milliseconds; see `open_window`).
FIRST_RUN_WAIT_MS = 60_000


def wait_idle(qtbot: QtBot, window: MainWindow, timeout: int = 20_000) -> None:
    """Wait until every background job has delivered its result to the UI thread, the
    worker process has done what it was asked (indexing, recognition), and every row of the
    list has been read."""

    def idle() -> bool:
        return (
            not window.jobs.running()
            and not window.indexing.running()
            and not window.article_actions.flags.busy
            # The list reads its rows off the UI thread: a test reads them once landed (as
            # many as the model keeps at once).
            and window.model.ensure_rows(0, min(window.model.rowCount(), ROWS_KEPT) - 1)
        )

    qtbot.waitUntil(idle, timeout=timeout)


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
