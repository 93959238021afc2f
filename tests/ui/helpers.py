"""Small helpers the window tests share: clicking rows, pressing keys, reading the list."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

import shiboken6
from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtTest import QAbstractItemModelTester, QTest
from PySide6.QtWidgets import QApplication, QTreeWidgetItem
from pytestqt.qtbot import QtBot

from newsreader.ui.article_model import ArticleTableModel
from newsreader.ui.main_window import MainWindow
from tests.ui.conftest import wait_idle


def titles(window: MainWindow) -> list[str]:
    """The titles the article list shows, top to bottom."""
    model = window.model
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
