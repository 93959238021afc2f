"""Point 1: one-key shortcuts act the same wherever focus is; no view's type-ahead wins."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLineEdit, QTextEdit, QWidget
from pytestqt.qtbot import QtBot

from newsreader.ui.main_window import MainWindow
from tests.ui.conftest import wait_idle
from tests.ui.helpers import click_row


def _focusable(window: MainWindow) -> list[QWidget]:
    """Every visible widget of the window that can take keyboard focus, except text fields
    (they rightly keep their letters); a QTextBrowser is a viewer, so it is included."""
    found = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or widget.focusPolicy() == Qt.FocusPolicy.NoFocus:
            continue
        if isinstance(widget, QLineEdit):
            continue
        if isinstance(widget, QTextEdit) and not widget.isReadOnly():
            continue
        found.append(widget)
    return found


def _current_row(window: MainWindow) -> int:
    return window.table.currentIndex().row()


def test_the_window_has_the_widgets_this_test_walks(window: MainWindow) -> None:
    names = {w.objectName() for w in _focusable(window)}
    assert {"articleList", "sidebarTree", "reader"} <= names
    assert any(isinstance(w, QAbstractButton) for w in _focusable(window))


KEYS = {"j": Qt.Key.Key_J, "k": Qt.Key.Key_K, "s": Qt.Key.Key_S, "m": Qt.Key.Key_M}


@pytest.mark.parametrize("key", list(KEYS))
def test_letters_act_the_same_whatever_has_focus(
    qtbot: QtBot, window: MainWindow, key: str
) -> None:
    # Something in the entity panel and a header click are focus paths a reader takes too.
    window.entity_panel.tree.show()
    click_row(window, 2)
    wait_idle(qtbot, window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    for widget in _focusable(window):
        if not widget.isVisible():
            continue
        click_row(window, 2)
        wait_idle(qtbot, window)
        article_id = window.model.article_id(2)
        assert article_id is not None
        before = window.library.get(article_id)
        assert before is not None
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        QTest.keyClick(widget, KEYS[key])
        wait_idle(qtbot, window)
        where = f"{type(widget).__name__} {widget.objectName()!r}"
        after = window.library.get(article_id)
        assert after is not None
        if key == "j":
            assert _current_row(window) == 3, where
        elif key == "k":
            assert _current_row(window) == 1, where
        elif key == "s":
            assert after.starred != before.starred, where
            assert _current_row(window) == 2, f"{where}: s must not jump"
        else:
            assert after.read != before.read, where
            assert _current_row(window) == 2, f"{where}: m must not jump"


def test_letters_after_escape_and_in_search_results_are_shortcuts(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.search_bar.set_query("kursk OR greenland OR japan")
    wait_idle(qtbot, window)
    assert window.model.rowCount() == 3
    window.listing.clear_current()
    window.sidebar.setFocus()  # from elsewhere (the list may hold focus from the start)
    window.table.setFocus()  # focusing the list makes its first row current
    wait_idle(qtbot, window)
    assert _current_row(window) == 0
    QTest.keyClick(window.table, Qt.Key.Key_J)
    wait_idle(qtbot, window)
    assert _current_row(window) == 1
    QTest.keyClick(window.table, Qt.Key.Key_Escape)
    wait_idle(qtbot, window)
    row = _current_row(window)
    QTest.keyClick(window.table, Qt.Key.Key_J)
    wait_idle(qtbot, window)
    assert _current_row(window) == row + 1


def test_no_view_searches_as_you_type(qtbot: QtBot, window: MainWindow) -> None:
    """Qt's keyboard search (jump to the row starting with the letters) is off everywhere."""
    click_row(window, 0)
    wait_idle(qtbot, window)
    titles = [window.model.row(r).title for r in range(window.model.rowCount())]  # type: ignore[union-attr]
    letter = titles[-1][0]  # a letter some other row starts with
    window.table.keyboardSearch(letter)
    assert _current_row(window) == 0
    for tree in (window.sidebar.tree, window.entity_panel.tree):
        before = tree.currentIndex()
        tree.keyboardSearch("u")
        assert tree.currentIndex() == before


def test_a_letter_that_reaches_a_view_is_routed_to_its_action(
    qtbot: QtBot, window: MainWindow
) -> None:
    """A key delivered straight to a view (no shortcut handling on the way, as when the
    window was not the active one) still does what the key means, never a type-ahead jump."""
    click_row(window, 0)
    wait_idle(qtbot, window)
    for widget in (window.table, window.sidebar.tree, window.entity_panel.tree):
        row = _current_row(window)
        event = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_J, Qt.KeyboardModifier.NoModifier, "j")
        QApplication.sendEvent(widget, event)
        wait_idle(qtbot, window)
        assert _current_row(window) == row + 1, type(widget).__name__
    article_id = window.model.article_id(_current_row(window))
    assert article_id is not None
    event = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_S, Qt.KeyboardModifier.NoModifier, "s")
    QApplication.sendEvent(window.table, event)
    wait_idle(qtbot, window)
    assert window.library.get(article_id).starred  # type: ignore[union-attr]
