"""The lazy article model: a correct Qt model, rows fetched in pages, changes without resets."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester
from pytestqt.qtbot import QtBot

from newsreader.core.library import Library
from newsreader.core.models import Article, ArticleRow
from newsreader.ui.article_model import PAGE_SIZE, ArticleTableModel


def _articles(n: int) -> list[Article]:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    return [
        Article(
            title=f"Article number {i}",
            paragraphs=(f"Body of article {i}.",),
            source="synthetic",
            published=start + timedelta(hours=i),
        )
        for i in range(n)
    ]


@pytest.fixture
def big_library(library: Library) -> Library:
    library.storage.add_articles(_articles(1000))
    return library


class CountingFetcher:
    """Wraps `Library.rows` to count how many rows the model asked for."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self.calls: list[int] = []

    def __call__(self, ids: Sequence[int]) -> list[ArticleRow]:
        self.calls.append(len(ids))
        return self.library.rows(ids)


def test_model_passes_qt_model_tester(qtbot: QtBot, big_library: Library) -> None:
    model = ArticleTableModel(big_library.rows)
    tester = QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.set_ids(big_library.ids())
    model.set_ids(big_library.ids()[:500])  # not insert-only: a reset
    model.set_ids(big_library.ids())  # insertions only
    model.remove_ids(big_library.ids()[10:20])
    assert model.rowCount() == 990
    assert tester is not None


def test_rows_are_fetched_lazily_in_pages(big_library: Library) -> None:
    fetch = CountingFetcher(big_library)
    model = ArticleTableModel(fetch)
    model.set_ids(big_library.ids())
    assert model.rowCount() == 1000
    assert fetch.calls == []  # listing 1000 ids loads no row at all
    title = model.data(model.index(0, ArticleTableModel.TITLE))
    assert title == "Article number 999"  # newest first
    assert fetch.calls == [PAGE_SIZE]
    model.data(model.index(5, ArticleTableModel.SOURCE))
    assert fetch.calls == [PAGE_SIZE]  # same page: cached
    model.data(model.index(999, ArticleTableModel.TITLE))
    assert fetch.calls == [PAGE_SIZE, 1000 - 4 * PAGE_SIZE]


def test_unread_rows_are_bold_and_flags_update(big_library: Library) -> None:
    model = ArticleTableModel(big_library.rows)
    model.set_ids(big_library.ids())
    first = model.index(0, ArticleTableModel.TITLE)
    assert model.data(first, Qt.ItemDataRole.FontRole).bold()
    article_id = model.article_id(0)
    assert article_id is not None
    big_library.set_read([article_id])
    model.update_row(article_id, read=True)
    assert model.data(first, Qt.ItemDataRole.FontRole) is None
    star = model.index(0, ArticleTableModel.STAR)
    assert model.data(star, Qt.ItemDataRole.AccessibleTextRole) == "not starred"
    model.update_row(article_id, starred=True)
    assert model.data(star, Qt.ItemDataRole.AccessibleTextRole) == "starred"


def test_new_ids_are_inserted_not_reset(qtbot: QtBot, big_library: Library) -> None:
    model = ArticleTableModel(big_library.rows)
    ids = big_library.ids()
    model.set_ids(ids[5:])
    with qtbot.assertNotEmitted(model.modelReset), qtbot.waitSignal(model.rowsInserted):
        model.set_ids(ids)
    assert model.ids == ids


def test_sorting_asks_the_library(qtbot: QtBot, big_library: Library) -> None:
    model = ArticleTableModel(big_library.rows)
    model.set_ids(big_library.ids())
    with qtbot.waitSignal(model.sort_requested) as blocker:
        model.sort(ArticleTableModel.TITLE, Qt.SortOrder.AscendingOrder)
    assert blocker.args == ["title", False]


def test_search_snippet_is_the_title_tooltip(big_library: Library) -> None:
    model = ArticleTableModel(big_library.rows)
    ids = big_library.ids()[:3]
    model.set_ids(ids, {ids[0]: "the «offensive» began"})
    tip = model.data(model.index(0, ArticleTableModel.TITLE), Qt.ItemDataRole.ToolTipRole)
    assert "<b>offensive</b>" in tip


def test_a_flag_change_survives_a_reread_until_its_write_lands(big_library: Library) -> None:
    model = ArticleTableModel(big_library.rows)
    ids = big_library.ids()
    model.set_ids(ids)
    star = model.index(0, ArticleTableModel.STAR)
    model.data(star)
    model.hold([ids[0]])
    model.update_row(ids[0], starred=True)  # shown at once; the write is still queued
    model.set_ids(ids)  # e.g. an import re-lists: pages are read again from the database
    assert model.data(star, Qt.ItemDataRole.AccessibleTextRole) == "starred"
    big_library.set_starred([ids[0]])  # the write lands
    model.settle([ids[0]])
    big_library.set_starred([ids[0]], False)  # changed elsewhere: the database is trusted again
    model.set_ids(ids)
    assert model.data(star, Qt.ItemDataRole.AccessibleTextRole) == "not starred"


def test_an_undated_article_shows_a_dash_muted_and_sorts_last(library: Library) -> None:
    library.storage.add_articles([Article(title="Undated", paragraphs=("Text.",)), *_articles(2)])
    model = ArticleTableModel(library.rows)
    model.set_ids(library.ids(sort="title", descending=True))  # "Undated" first
    undated, dated = model.index(0, ArticleTableModel.DATE), model.index(1, ArticleTableModel.DATE)
    assert model.data(undated, Qt.ItemDataRole.DisplayRole) == "—", "as the CLI shows it"
    assert model.data(undated, Qt.ItemDataRole.ForegroundRole) is not None
    tip = model.data(undated, Qt.ItemDataRole.ToolTipRole)
    assert "No publication date" in tip and "imported" in tip
    assert model.data(dated, Qt.ItemDataRole.DisplayRole) == "1 Jan 2024"
    for descending in (True, False):  # newest or oldest first: undated after every dated one
        model.set_ids(library.ids(sort="published", descending=descending))
        shown = [model.data(model.index(r, ArticleTableModel.DATE)) for r in range(3)]
        assert shown[-1] == "—" and "—" not in shown[:-1]
    assert model.data(dated, Qt.ItemDataRole.ForegroundRole) is None, "unread and dated"
