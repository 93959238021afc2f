"""Read marks and stars as a reader sees them: at once in the list, stored a moment later in
one write, never lost to an import holding the library, nor to closing the window."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from pytestqt.qtbot import QtBot

from newsreader.core.library import Library
from newsreader.ui.article_model import ArticleTableModel
from newsreader.ui.flag_writer import FlagWriter
from newsreader.ui.main_window import MainWindow
from tests.ui.conftest import open_window, wait_idle
from tests.ui.helpers import click_row


def _bold(window: MainWindow, row: int) -> bool:
    font = window.model.data(
        window.model.index(row, ArticleTableModel.TITLE), Qt.ItemDataRole.FontRole
    )
    return font is not None and font.bold()


def _stored_read(library: Library, ids: list[int]) -> list[bool]:
    return [bool(a.read) for a in library.get_many(ids)]


@contextmanager
def write_lock(library: Library) -> Iterator[sqlite3.Connection]:
    """Another connection holding the library's write transaction (as the import worker does
    while it stores a batch), rolled back at the end of the block unless released before."""
    db = sqlite3.connect(library.storage.path, isolation_level=None, check_same_thread=False)
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    finally:
        if db.in_transaction:
            db.execute("ROLLBACK")
        db.close()


def _count_writes(monkeypatch: pytest.MonkeyPatch, library: Library) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []
    real = library.set_flags

    def counted(**kwargs: Any) -> bool:
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(library, "set_flags", counted)
    return calls


@pytest.fixture
def window(qtbot: QtBot, sample_library: Library) -> Iterator[MainWindow]:
    win = open_window(qtbot, sample_library)
    yield win
    win.close()


def test_a_burst_of_opens_shows_read_at_once_and_is_one_write(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = window.library
    writes = _count_writes(monkeypatch, library)
    flags = window.article_actions.flags
    flags.QUIET_MS = flags.MAX_DELAY_MS = 3000  # the burst below is surely within it
    rows = range(1, 5)  # the window opened on row 0 (read already)
    ids = [window.model.article_id(r) or 0 for r in rows]
    assert _stored_read(library, ids) == [False] * 4
    for row in rows:
        assert _bold(window, row)
        click_row(window, row)
        assert not _bold(window, row), "the row turns read as it opens"
    assert _stored_read(library, ids) == [False] * 4, "not yet written: gathered first"
    wait_idle(qtbot, window)
    assert _stored_read(library, ids) == [True] * 4
    assert len(writes) == 1, writes
    assert all(not _bold(window, r) for r in rows)


def test_marks_made_while_another_writer_holds_the_library_land_after_it_lets_go(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = window.library
    writes = _count_writes(monkeypatch, library)
    flags = window.article_actions.flags
    flags.QUIET_MS = 0
    rows = range(1, 4)
    ids = [window.model.article_id(r) or 0 for r in rows]
    ticks: list[int] = []
    heartbeat = QTimer(window)
    heartbeat.timeout.connect(lambda: ticks.append(1))
    heartbeat.start(20)
    with write_lock(library) as db:
        for row in rows:
            click_row(window, row)
        # The event loop runs on, the rows show read, and the serial pool (other writes)
        # is free: a write that finds the library held gives way and is tried again later.
        qtbot.waitUntil(lambda: len(writes) >= 2, timeout=5000)
        probe = threading.Event()
        window.jobs.start("probe", lambda p, c: probe.set(), serial=True)
        qtbot.waitUntil(probe.is_set, timeout=2000)
        assert [_bold(window, r) for r in rows] == [False] * 3
        assert flags.busy
        assert _stored_read(library, ids) == [False] * 3
        db.execute("ROLLBACK")  # the other writer is done
    heartbeat.stop()
    assert len(ticks) >= 5, "the UI thread kept turning while the library was held"
    wait_idle(qtbot, window)
    assert _stored_read(library, ids) == [True] * 3
    assert "could not" not in window.statusBar().currentMessage()


def test_closing_the_window_stores_the_pending_marks(qtbot: QtBot, sample_library: Library) -> None:
    window = open_window(qtbot, sample_library)
    window.article_actions.flags.QUIET_MS = 60_000
    window.article_actions.flags.MAX_DELAY_MS = 60_000
    ids = [window.model.article_id(r) or 0 for r in range(1, 4)]
    with write_lock(sample_library) as db:
        for row in range(1, 4):
            click_row(window, row)
        window.table.setFocus()
        window.article_actions.toggle_star([ids[0]])
        assert window.article_actions.flags.pending == 4
        # The other writer lets go a moment after the window starts closing.
        threading.Timer(0.5, lambda: db.execute("ROLLBACK")).start()
        window.close()
    assert _stored_read(sample_library, ids) == [True] * 3
    assert sample_library.get(ids[0]).starred  # type: ignore[union-attr]


def test_closing_while_the_library_stays_held_gives_up_in_bounded_time(
    qtbot: QtBot, sample_library: Library
) -> None:
    window = open_window(qtbot, sample_library)
    flags = window.article_actions.flags
    flags.QUIET_MS = flags.MAX_DELAY_MS = 60_000
    flags.CLOSE_WAIT_S = 0.3
    article_id = window.model.article_id(1) or 0
    with write_lock(sample_library):
        click_row(window, 1)
        window.close()  # returns although the library never comes free
        assert not window.isVisible()
    assert _stored_read(sample_library, [article_id]) == [False]


def test_a_write_that_keeps_failing_is_said_in_the_status_bar_and_the_row_shows_the_truth(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    flags = window.article_actions.flags
    flags.QUIET_MS = 0
    flags.RETRY_MS = (10, 10, 10, 10)
    tries: list[int] = []

    def broken(**kwargs: Any) -> bool:
        tries.append(1)
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(window.library, "set_flags", broken)
    click_row(window, 1)
    assert not _bold(window, 1)
    qtbot.waitUntil(lambda: not flags.busy, timeout=5000)
    assert len(tries) == flags.ATTEMPTS
    message = window.statusBar().currentMessage()
    assert "could not be stored: disk I/O error" in message
    assert "Traceback" not in message
    assert _bold(window, 1), "unread again: the list shows what the library holds"
    wait_idle(qtbot, window)


def test_a_write_after_the_marks_follows_one_still_on_its_way(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Marks being written (and finding the library held by another writer) when "Mark all
    read" comes are stored by it first: none is lost (a star it does not cover), and the
    held-back write trying again later does not undo it (an unread mark it does cover)."""
    library = window.library
    flags = window.article_actions.flags
    flags.QUIET_MS = 0
    ids = [window.model.article_id(r) or 0 for r in range(1, 3)]
    library.set_read(ids, True)
    real = library.set_flags
    started, release = threading.Event(), threading.Event()

    def held_once(**kwargs: Any) -> bool:
        if not started.is_set():
            started.set()
            release.wait(10)
            return False  # as when another writer held the library all along
        return real(**kwargs)

    monkeypatch.setattr(library, "set_flags", held_once)
    flags.set(ids[:1], "read", False)  # marked unread
    flags.set(ids[1:], "starred", True)
    qtbot.waitUntil(started.is_set, timeout=2000)  # on its way
    done: list[object] = []
    flags.write_after(
        "mark-all",
        lambda: library.set_read(ids, True),
        on_result=done.append,
        on_error=done.append,
    )
    release.set()
    qtbot.waitUntil(lambda: bool(done), timeout=15_000)
    wait_idle(qtbot, window)
    qtbot.wait(FlagWriter.RETRY_MS[-1])  # a retry of the held-back write would land by now
    wait_idle(qtbot, window)
    assert done == [None]
    assert _stored_read(library, ids) == [True, True]
    assert [a.starred for a in library.get_many(ids)] == [False, True]
    assert not flags.busy
