"""Section 3: live search, ranked results, did-you-mean, highlighting, saved searches, Esc."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from newsreader.ui.article_model import ArticleTableModel
from newsreader.ui.main_window import MainWindow
from newsreader.ui.reader import highlighted_spans
from newsreader.ui.sidebar import View
from tests.ui.conftest import wait_idle
from tests.ui.helpers import click_row, press, row_with, titles


def _type(qtbot: QtBot, window: MainWindow, text: str) -> None:
    """Focus the search field with Ctrl+F and type, then let the debounced search finish."""
    press(qtbot, window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search_bar.field.hasFocus()
    QTest.keyClicks(window.search_bar.field, text)
    qtbot.waitUntil(lambda: window.search_results is not None and window.search_info.isVisible())
    wait_idle(qtbot, window)


def test_typing_searches_and_highlights_hits(qtbot: QtBot, window: MainWindow) -> None:
    _type(qtbot, window, "kursk")
    assert len(titles(window)) == 1 and "Ukraine" in titles(window)[0]
    assert "1</b> result for <b>kursk" in window.search_info.text()
    tip = window.model.data(
        window.model.index(0, ArticleTableModel.TITLE), Qt.ItemDataRole.ToolTipRole
    )
    assert "<b>Kursk</b>" in tip  # the snippet, hits in bold
    one_line = window.table.row_height
    assert window.table.rowHeight(0) > one_line  # title and snippet on two lines
    click_row(window, 0)
    hits = [text for text, _, hit in highlighted_spans(window.reader.document()) if hit]
    assert hits and all(text.lower().startswith("kursk") for text in hits)


def test_slash_focuses_search(qtbot: QtBot, window: MainWindow) -> None:
    press(qtbot, window, Qt.Key.Key_Slash)
    assert window.search_bar.field.hasFocus()


def test_stale_results_are_dropped(qtbot: QtBot, window: MainWindow) -> None:
    window.search_bar.field.setFocus()
    QTest.keyClicks(window.search_bar.field, "kursk")
    window.run_search("kursk")  # as if the timer had fired mid-typing
    window.search_bar.set_query("greenland")
    qtbot.waitUntil(
        lambda: (
            window.search_results is not None
            and window.search_results.query == "greenland"
            and window.search_results.total > 0
        )
    )
    wait_idle(qtbot, window)
    assert len(titles(window)) == 1 and "Vance" in titles(window)[0]


def test_did_you_mean_is_offered_as_a_click(qtbot: QtBot, window: MainWindow) -> None:
    _type(qtbot, window, "ukranian")
    assert window.search_info.suggestion == "ukrainian"
    assert "Did you mean" in window.search_info.text()
    window.search_info.linkActivated.emit("suggest")  # what clicking the link does
    qtbot.waitUntil(lambda: window.search_bar.field.text() == "ukrainian")
    wait_idle(qtbot, window)
    assert window.search_results is not None and window.search_results.total >= 1
    assert window.model.rowCount() >= 1


def test_a_broken_query_gets_a_gentle_notice(qtbot: QtBot, window: MainWindow) -> None:
    _type(qtbot, window, '"kursk AND (')
    text = window.search_info.text()
    assert "searched for the words instead" in text or "result" in text
    assert window.isVisible()


def test_no_results_says_so(qtbot: QtBot, window: MainWindow) -> None:
    _type(qtbot, window, "zzyzx")
    assert window.model.rowCount() == 0
    assert window.empty_label.isVisible()
    assert "Nothing matches" in window.empty_label.text()


def test_escape_returns_to_the_previous_view_on_the_result_read(
    qtbot: QtBot, window: MainWindow
) -> None:
    click_row(window, row_with(window, "Japan"))
    _type(qtbot, window, "kursk")
    click_row(window, 0)
    opened = window.current_article
    assert opened is not None and "Ukraine" in opened.title
    QTest.keyClick(window.search_bar.field, Qt.Key.Key_Escape)
    wait_idle(qtbot, window)
    assert window.search_bar.field.text() == ""
    assert not window.search_info.isVisible()
    assert window.model.rowCount() == 5
    assert window.table.rowHeight(0) == window.table.two_line_height  # the layout stays
    # Back on the article opened from the results, not the one open before the search.
    assert window.model.article_id(window.table.currentIndex().row()) == opened.id
    assert window.current_article is not None and window.current_article.id == opened.id
    assert not any(hit for _, _, hit in highlighted_spans(window.reader.document()))


def test_escape_without_opening_a_result_returns_to_the_article_before(
    qtbot: QtBot, window: MainWindow
) -> None:
    click_row(window, row_with(window, "Japan"))
    before = window.current_article
    _type(qtbot, window, "kursk")
    QTest.keyClick(window.search_bar.field, Qt.Key.Key_Escape)
    wait_idle(qtbot, window)
    assert before is not None
    assert window.model.article_id(window.table.currentIndex().row()) == before.id


def test_save_search_to_the_sidebar_and_reuse_it(qtbot: QtBot, window: MainWindow) -> None:
    _type(qtbot, window, "greenland")
    press(qtbot, window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.sidebar.item_for(View("saved", "greenland")) is not None)
    assert [s.query for s in window.library.saved_searches()] == ["greenland"]
    item = window.sidebar.item_for(View("saved", "greenland"))
    assert item is not None
    QTest.keyClick(window.search_bar.field, Qt.Key.Key_Escape)
    wait_idle(qtbot, window)
    assert window.model.rowCount() == 5
    window.sidebar.tree.setCurrentItem(item)  # the user clicks the saved search
    wait_idle(qtbot, window)
    assert window.search_bar.field.text() == "greenland"
    assert len(titles(window)) == 1


def test_syntax_help_pops_up(qtbot: QtBot, window: MainWindow) -> None:
    QTest.mouseClick(window.search_bar.help_button, Qt.MouseButton.LeftButton)
    popup = window.search_bar.help_popup
    qtbot.waitUntil(popup.isVisible)
    assert "person:putin" in popup.label.text()
    popup.close()
