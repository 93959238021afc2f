"""Section 3: live search, ranked results, did-you-mean, highlighting, saved searches, Esc."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from newsreader.core.library import Library
from newsreader.core.models import Article
from newsreader.ui import listing
from newsreader.ui.article_model import ArticleTableModel
from newsreader.ui.main_window import MainWindow
from newsreader.ui.reader import highlighted_spans
from newsreader.ui.sidebar import View
from tests.ui.conftest import open_window, wait_idle
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


@pytest.fixture
def harbours(qtbot: QtBot, library: Library) -> Iterator[MainWindow]:
    """A window over 60 dated articles that all mention harbours, some more than others."""
    library.storage.add_articles(
        [
            Article(
                title=f"Port report {n}",
                paragraphs=(
                    "The harbour cranes stood still. " * (1 + (n * 7) % 5),
                    f"Dockers met on day {n}.",
                ),
                source="Wire",
                published=datetime(2024, 1, 1) + timedelta(days=(n * 37) % 300),
            )
            for n in range(60)
        ]
    )
    library.index.rebuild(library.storage)
    win = open_window(qtbot, library)
    yield win
    win.close()


def test_every_match_is_listed_and_snippets_follow_as_rows_are_painted(
    qtbot: QtBot, harbours: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = harbours
    monkeypatch.setattr(listing, "SEARCH_HITS", 2)  # the rest come lazily
    _type(qtbot, window, "harbours")
    results = window.search_results
    assert results is not None and results.total == 60
    assert window.model.rowCount() == results.total == len(results.ids)
    first, last = window.model.ids[0], window.model.ids[-1]
    assert "«" in window.model.snippet(first)  # came with the search
    window.table.scrollToBottom()  # painting the last rows asks for their snippets
    qtbot.waitUntil(lambda: "«" in window.model.snippet(last))


def test_results_sort_by_best_match_or_newest_first(qtbot: QtBot, harbours: MainWindow) -> None:
    window = harbours
    _type(qtbot, window, "harbours")
    by_relevance = list(window.model.ids)
    window.search_sort.set_sort("date")
    qtbot.waitUntil(
        lambda: window.search_results is not None and window.search_results.sort == "date"
    )
    wait_idle(qtbot, window)
    by_date = list(window.model.ids)
    assert sorted(by_date) == sorted(by_relevance)
    rows = {row.id: row.published for row in window.library.rows(by_date)}
    dates = [d for d in (rows[i] for i in by_date) if d is not None]
    assert len(dates) == len(by_date) and dates == sorted(dates, reverse=True)
    assert by_date != by_relevance


def test_a_stale_search_is_cancelled_not_finished(qtbot: QtBot, window: MainWindow) -> None:
    window.run_search("kursk")
    (stale,) = window.jobs.running("list")
    window.run_search("greenland")
    assert stale.cancel_token.cancelled
    qtbot.waitUntil(
        lambda: window.search_results is not None and window.search_results.query == "greenland"
    )
    wait_idle(qtbot, window)
    assert len(titles(window)) == 1 and "Vance" in titles(window)[0]
