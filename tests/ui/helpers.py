"""Small helpers the window tests share: clicking rows, pressing keys, reading the list."""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import shiboken6
from PySide6.QtCore import QAbstractItemModel, QEventLoop, Qt
from PySide6.QtTest import QAbstractItemModelTester, QTest
from PySide6.QtWidgets import QApplication, QTreeWidgetItem
from pytestqt.qtbot import QtBot

from newsreader.core import storage
from newsreader.ui.article_model import ArticleTableModel
from newsreader.ui.main_window import MainWindow
from tests.ui.conftest import wait_idle


def rows_landed(model: ArticleTableModel, first: int = 0, last: int | None = None) -> None:
    """Wait until rows `first`..`last` (all by default) have been read: the list reads its
    rows off the UI thread, so a test that reads the model's data directly waits for them
    as a reader waits a moment for a row to fill in."""
    last = model.rowCount() - 1 if last is None else last
    deadline = time.monotonic() + 20
    while not model.ensure_rows(first, last):
        assert time.monotonic() < deadline, f"rows {first}..{last} never landed"
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        time.sleep(0.002)


@dataclass
class Statement:
    """One SQL statement the UI thread ran, and where in the window's code it came from."""

    sql: str
    stack: list[traceback.FrameSummary]

    def __str__(self) -> str:
        ours = [f for f in self.stack if "/newsreader/" in f.filename]
        where = " <- ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in ours[::-1])
        return f"{self.sql[:80]!r} from {where}"


@contextmanager
def statements_on_the_ui_thread() -> Iterator[list[Statement]]:
    """Every SQL statement the library's connections run on the main (UI) thread within the
    block, with its stack (`core.storage.trace_statements`): a read there can wait on the
    disk for as long as an import's commit takes (bench/README.md, issue 8)."""
    found: list[Statement] = []
    main = threading.main_thread()

    def record(sql: str) -> None:
        if threading.current_thread() is main:
            found.append(Statement(sql, traceback.extract_stack()[:-1]))

    storage.trace_statements(record)
    try:
        yield found
    finally:
        storage.trace_statements(None)


def story_files(folder: Path, count: int) -> Path:
    """A new folder of `count` small article files, as a user would drop on the window."""
    folder.mkdir()
    for n in range(count):
        (folder / f"story-{n:04}.txt").write_text(
            f"Harbour council approves plan number {n}\n\n"
            f"The harbour council approved plan number {n} on Tuesday after a long debate.\n",
            encoding="utf-8",
        )
    return folder


def titles(window: MainWindow) -> list[str]:
    """The titles the article list shows, top to bottom (once its rows have landed)."""
    model = window.model
    rows_landed(model)
    return [model.data(model.index(r, ArticleTableModel.TITLE)) for r in range(model.rowCount())]


def row_with(window: MainWindow, word: str) -> int:
    return next(i for i, t in enumerate(titles(window)) if word in t)


def sidebar_item(window: MainWindow, section: int, row: int) -> QTreeWidgetItem:
    top = window.sidebar.tree.topLevelItem(section)
    assert top is not None
    item = top.child(row)
    assert item is not None
    return item


def click_row(window: MainWindow, row: int, column: int = ArticleTableModel.TITLE) -> None:
    rect = window.table.visualRect(window.model.index(row, column))
    QTest.mouseClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    wait_pane(window)


def wait_pane(window: MainWindow, timeout_s: float = 20.0) -> None:
    """Until the pane's reads have landed (the article opens off the UI thread, s8-8open):
    what a reader sees once the click has shown its article."""
    deadline = time.monotonic() + timeout_s
    while window.reading.busy and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.001)
    QApplication.processEvents()
    assert not window.reading.busy, "the pane's read never landed"


def press(
    qtbot: QtBot,
    window: MainWindow,
    key: Qt.Key,
    modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    """Press a key with the article list focused in the active window (as a reader would)."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.table.setFocus()
    QTest.keyClick(window.table, key, modifier)
    wait_idle(qtbot, window)  # what the key started in the background is done


@contextmanager
def watched_model(model: QAbstractItemModel) -> Iterator[QAbstractItemModelTester]:
    """Qt's model tester watching `model` for the block, deleted before the model's owner.

    A tester left alive while a QTreeWidget is destroyed crashes in its checks, so it is
    deleted explicitly at the end of the block rather than left to the garbage collector.
    """
    tester = QAbstractItemModelTester(
        model, QAbstractItemModelTester.FailureReportingMode.Warning
    )  # a Qt warning fails the test
    try:
        yield tester
    finally:
        shiboken6.delete(tester)
