"""The main window driven as a user would: clicks, typing and keys; assertions on what shows."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QTreeWidgetItem
from pytestqt.qtbot import QtBot

from newsreader.core.library import Library
from newsreader.ui.article_model import ArticleTableModel
from newsreader.ui.dialogs import ShortcutsDialog
from newsreader.ui.main_window import MainWindow
from newsreader.ui.settings import Settings
from newsreader.ui.sidebar import count_text
from tests.ui.conftest import open_window, wait_idle
from tests.ui.helpers import press


def _titles(window: MainWindow) -> list[str]:
    model = window.model
    return [model.data(model.index(r, ArticleTableModel.TITLE)) for r in range(model.rowCount())]


def _sidebar_item(window: MainWindow, section: int, row: int) -> QTreeWidgetItem:
    top = window.sidebar.tree.topLevelItem(section)
    assert top is not None
    item = top.child(row)
    assert item is not None
    return item


def _click_row(qtbot: QtBot, window: MainWindow, row: int) -> None:
    index = window.model.index(row, ArticleTableModel.TITLE)
    rect = window.table.visualRect(index)
    QTest.mouseClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    wait_idle(qtbot, window)


# -- 1. Opening ------------------------------------------------------------------------------------


def test_first_run_opens_on_the_bundled_sample(qtbot: QtBot, library: Library) -> None:
    window = open_window(qtbot, library, seed_sample=True)
    qtbot.waitUntil(lambda: window.model.rowCount() == 5)
    wait_idle(qtbot, window)
    assert any("Kursk" in t or "Ukraine" in t for t in _titles(window))
    all_item = _sidebar_item(window, 0, 0)
    assert all_item.text(0) == "All articles" and count_text(all_item) == "5"
    assert window.reader.article is not None  # the newest article is open, ready to read
    window.close()


def test_window_state_is_remembered(qtbot: QtBot, sample_library: Library) -> None:
    first = open_window(qtbot, sample_library)
    first.resize(760, 640)  # within the offscreen screen (800x800)
    first.splitter.setSizes([150, 300, 300])
    header = first.table.horizontalHeader()
    QTest.mouseClick(
        header.viewport(),
        Qt.MouseButton.LeftButton,
        pos=QPoint(
            header.sectionViewportPosition(ArticleTableModel.TITLE) + 20, header.height() // 2
        ),
    )
    wait_idle(qtbot, first)
    sizes = first.splitter.sizes()
    sort = (first.sort_key, first.sort_descending)
    first.close()

    second = open_window(qtbot, sample_library, resize=False)
    assert (second.width(), second.height()) == (760, 640)
    assert second.splitter.sizes() == sizes
    assert (second.sort_key, second.sort_descending) == sort
    assert sort[0] == "title"
    assert _titles(second) == sorted(_titles(second), key=str.casefold, reverse=sort[1])
    second.close()


# -- 2. Layout: list and reading pane --------------------------------------------------------------


def test_clicking_an_article_shows_it_and_marks_it_read(qtbot: QtBot, window: MainWindow) -> None:
    library = window.library
    _click_row(qtbot, window, 2)
    article_id = window.model.article_id(2)
    assert article_id is not None
    article = library.get(article_id)
    assert article is not None and article.read
    assert article.title in window.reader.toPlainText()
    assert window.model.data(window.model.index(2, 1), Qt.ItemDataRole.FontRole) is None
    unread = window.model.data(window.model.index(3, 1), Qt.ItemDataRole.FontRole)
    assert unread is not None and unread.bold()


def test_kicker_photo_credits_and_truncation_show(qtbot: QtBot, window: MainWindow) -> None:
    titles = _titles(window)
    _click_row(qtbot, window, next(i for i, t in enumerate(titles) if "Kenyan" in t))
    text = window.reader.toPlainText()
    assert text.startswith("DITCH TACTICS")
    assert "Kenyan officers were on their way" in text  # the photo caption, not a paragraph
    _click_row(qtbot, window, next(i for i, t in enumerate(titles) if "Japan" in t))
    assert "Truncated in the source" in window.reader.toPlainText()
    _click_row(qtbot, window, next(i for i, t in enumerate(titles) if "Ukraine" in t))
    text = window.reader.toPlainText()
    assert "Photo: Reuters" in text and "Photo: AFP" in text


def test_sidebar_views_filter_the_list(qtbot: QtBot, window: MainWindow) -> None:
    window.library.set_starred([window.model.ids[1]])
    window.refresh_sidebar()
    wait_idle(qtbot, window)
    starred = _sidebar_item(window, 0, 2)
    window.sidebar.tree.setCurrentItem(starred)
    wait_idle(qtbot, window)
    assert window.model.rowCount() == 1
    source = _sidebar_item(window, 1, 0)
    assert source.text(0) == "Newsreader sample"
    window.sidebar.tree.setCurrentItem(source)
    wait_idle(qtbot, window)
    assert window.model.rowCount() == 5


# -- 6. Reading comfort: keys, flags, delete with undo ---------------------------------------------


def test_keyboard_navigation_star_and_read(qtbot: QtBot, window: MainWindow) -> None:
    _click_row(qtbot, window, 0)
    press(qtbot, window, Qt.Key.Key_J)
    assert window.table.currentIndex().row() == 1
    press(qtbot, window, Qt.Key.Key_N)
    assert window.table.currentIndex().row() == 2
    press(qtbot, window, Qt.Key.Key_K)
    press(qtbot, window, Qt.Key.Key_P)
    assert window.table.currentIndex().row() == 0
    article_id = window.model.article_id(0)
    assert article_id is not None
    press(qtbot, window, Qt.Key.Key_S)
    assert window.library.get(article_id).starred  # type: ignore[union-attr]
    star = window.model.index(0, ArticleTableModel.STAR)
    assert window.model.data(star, Qt.ItemDataRole.AccessibleTextRole) == "starred"
    press(qtbot, window, Qt.Key.Key_M)
    assert not window.library.get(article_id).read  # type: ignore[union-attr]
    press(qtbot, window, Qt.Key.Key_M)
    assert window.library.get(article_id).read  # type: ignore[union-attr]


def test_clicking_the_star_column_stars(qtbot: QtBot, window: MainWindow) -> None:
    rect = window.table.visualRect(window.model.index(3, ArticleTableModel.STAR))
    QTest.mouseClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    wait_idle(qtbot, window)
    article_id = window.model.article_id(3)
    assert article_id is not None and window.library.get(article_id).starred  # type: ignore[union-attr]


def test_space_pages_down_then_moves_on(qtbot: QtBot, window: MainWindow) -> None:
    titles = _titles(window)
    long_row = next(i for i, t in enumerate(titles) if "Ukraine" in t)
    _click_row(qtbot, window, long_row)
    window.resize(900, 500)
    qtbot.waitUntil(lambda: window.reader.verticalScrollBar().maximum() > 0)
    bar = window.reader.verticalScrollBar()
    press(qtbot, window, Qt.Key.Key_Space)
    assert bar.value() > 0
    bar.setValue(bar.maximum())
    press(qtbot, window, Qt.Key.Key_Space)
    assert window.table.currentIndex().row() == min(long_row + 1, 4)


def test_delete_and_undo(qtbot: QtBot, window: MainWindow) -> None:
    _click_row(qtbot, window, 1)
    doomed = window.model.article_id(1)
    press(qtbot, window, Qt.Key.Key_Delete)
    wait_idle(qtbot, window)
    assert window.model.rowCount() == 4 and doomed not in window.model.ids
    assert window.library.count() == 4
    assert "Ctrl+Z" in window.statusBar().currentMessage()
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, window)
    assert window.library.count() == 5
    assert doomed in window.model.ids
    assert window.library.search("kursk").total == 1  # the index got it back too


def test_zoom_keys_change_text_size_and_are_remembered(qtbot: QtBot, window: MainWindow) -> None:
    press(qtbot, window, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    press(qtbot, window, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert window.reader.zoom == 2
    press(qtbot, window, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert window.reader.zoom == 1
    assert Settings().zoom == 1


def test_shortcuts_sheet_opens_with_f1_and_question_mark(qtbot: QtBot, window: MainWindow) -> None:
    press(qtbot, window, Qt.Key.Key_F1)
    sheet = window.findChild(ShortcutsDialog)
    assert sheet is not None and sheet.isVisible()
    assert "Star or unstar" in sheet.label.text()
    sheet.close()
    qtbot.waitUntil(lambda: window.findChild(ShortcutsDialog) is None)
    press(qtbot, window, Qt.Key.Key_Question)
    assert window.findChild(ShortcutsDialog) is not None


def test_mark_read_on_open_can_be_switched_off(qtbot: QtBot, window: MainWindow) -> None:
    window.commands["mark_on_open"].trigger()
    assert Settings().mark_read_on_open is False
    _click_row(qtbot, window, 4)
    article_id = window.model.article_id(4)
    assert article_id is not None and not window.library.get(article_id).read  # type: ignore[union-attr]


def test_reading_keys_work_with_the_reading_pane_focused(qtbot: QtBot, window: MainWindow) -> None:
    _click_row(qtbot, window, 0)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.reader.setFocus()
    QTest.keyClick(window.reader, Qt.Key.Key_J)
    assert window.table.currentIndex().row() == 1
    QTest.keyClick(window.reader, Qt.Key.Key_S)
    wait_idle(qtbot, window)
    article_id = window.model.article_id(1)
    assert article_id is not None and window.library.get(article_id).starred  # type: ignore[union-attr]


def test_typing_letters_in_the_search_field_never_triggers_shortcuts(
    qtbot: QtBot, window: MainWindow
) -> None:
    _click_row(qtbot, window, 0)
    window.search_bar.field.setFocus()
    QTest.keyClicks(window.search_bar.field, "jksm/?")
    assert window.search_bar.field.text() == "jksm/?"
    assert window.table.currentIndex().row() == 0
    assert window.findChild(ShortcutsDialog) is None


def test_quick_toggles_reach_the_library_in_order(qtbot: QtBot, window: MainWindow) -> None:
    _click_row(qtbot, window, 2)
    article_id = window.model.article_id(2)
    assert article_id is not None
    window.table.setFocus()
    for _ in range(5):  # faster than the writes: they queue, and must land in order
        QTest.keyClick(window.table, Qt.Key.Key_S)
        QTest.keyClick(window.table, Qt.Key.Key_M)
    wait_idle(qtbot, window)
    article = window.library.get(article_id)
    assert article is not None and article.starred and not article.read
